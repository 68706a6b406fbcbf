"""How heavy the evidence is: triples per extracted fact and TriG bytes per article, the dataset
as built now against a baseline revision's and a previous design's, side by side on one generated
corpus, and what the other candidate designs would write for the same extractions.

    python -m benchmarks.provenance 1000 --baseline 0bfac52 --previous 82a13d2

Each build is cold (its own output folder, so no cache) and runs in a child process whose whole
process tree's peak RSS is sampled (:func:`benchmarks.measure.run`); the baseline runs from a
git worktree of its revision with the same interpreter. The candidates are counted on the
current build's evidence (its mentions, sentences and evidence nodes):

* ``typed-copies``: a typed node per asserted triple with its own source, offsets, sentence,
  rule and date (the design before lean evidence; measured, when the baseline predates it);
* ``reify-every-triple``: a node reifying every asserted triple and pointing to its mention, one
  mention per span and rule, one sentence per source (the previous design; counted on the
  previous revision's build, where every piece of evidence is such a node);
* ``default-mention``: what the build writes now (each subject's default mention stands for the
  triples read from it alone, the others reified), measured;
* ``rdf12-reifier``: an RDF 1.2 mention that ``rdf:reifies`` each triple it supports (one
  triple per fact) with the same mentions and sentences; counted, not built, since rdflib,
  owlrl, pyshacl and JSON-LD cannot hold triple terms.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from .measure import ROOT, run

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
VNKG = "https://w3id.org/vnkg/ontology#"


def _build(tree: Path, corpus: Path, out: Path) -> dict:
    shutil.rmtree(out.parent, ignore_errors=True)
    code = f"import sys; sys.path.insert(0, {str(tree)!r}); from kg.cli import main; sys.exit(main(sys.argv[1:]))"
    r = run([sys.executable, "-c", code, "build", str(corpus), "-o", str(out)])
    if r["exit"] != 0:
        raise SystemExit(f"build in {tree} failed:\n{r['stderr'][-2000:]}")
    facts = int(re.search(r"entities .*?, (\d+) facts", r["stderr"]).group(1))
    asserted = int(re.search(r"graph: ([\d,]+) asserted triples", r["stderr"]).group(1).replace(",", ""))
    graph_s = float(re.search(r"graph: .* in ([\d.]+) s", r["stderr"]).group(1))
    return {"seconds": r["seconds"], "peak_mib": r["peak_mib"], "graph_stage_s": graph_s, "facts": facts,
            "asserted": asserted, "triples_per_fact": round(asserted / facts, 2), "trig_bytes": out.stat().st_size}


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query, use_default_graph_as_union=True)))[0].value)


def _candidates(trig: Path, facts: int) -> dict:
    """The triples each design writes for the extractions of `trig`, a build of the previous
    design (where every piece of evidence is a node reifying one triple)."""
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    ev = f"?e <{VNKG}mention> ?m"
    items = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {ev} }} }}")
    mentions = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?m <{VNKG}inSentence> ?s }} }}")
    sentences = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF}value> ?t ; <{VNKG}source> ?src }} }}")
    evidence = 4 * items + 4 * mentions + 2 * sentences
    asserted = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                             "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/vnkg/graph/source/')) }")
    knowledge = asserted - evidence
    designs = {"typed-copies": knowledge + 11 * items, "reify-every-triple": asserted,
               "rdf12-reifier": knowledge + items + 4 * mentions + 2 * sentences}
    return {"evidence_items": items, "mentions": mentions, "sentences": sentences, "knowledge_triples": knowledge,
            "source_graph_triples": {k: v for k, v in designs.items()},
            "triples_per_fact": {k: round(v / facts, 2) for k, v in designs.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.provenance", description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="articles in the generated corpus")
    ap.add_argument("--baseline", default="0bfac52", help="the revision to compare with (default: %(default)s, "
                    "the last before lean evidence)")
    ap.add_argument("--previous", default="82a13d2", help="the previous design's revision (default: %(default)s, "
                    "the last that reified every triple)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-provenance"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="default: benchmarks/results/provenance-N.json")
    a = ap.parse_args(argv)
    corpus, tree = a.work / f"corpus-{a.n}", a.work / "baseline"
    if not corpus.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.generate", str(a.n), str(corpus), "--seed", str(a.seed)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    builds = {}
    for name, revision in (("baseline", a.baseline), ("previous", a.previous)):
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), revision], cwd=ROOT, check=True)
        try:
            builds[name] = _build(tree, corpus, a.work / f"{name}-build" / "kg.trig")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    current = _build(ROOT, corpus, a.work / "current-build" / "kg.trig")
    baseline, previous = builds["baseline"], builds["previous"]
    for r in (baseline, previous, current):
        r["trig_bytes_per_article"] = round(r["trig_bytes"] / a.n)
    report = {"command": f"python -m benchmarks.provenance {a.n} --baseline {a.baseline} --previous {a.previous}",
              "generate": f"python -m benchmarks.generate {a.n} {corpus} --seed {a.seed}",
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "articles": a.n,
              "baseline": {"revision": a.baseline, **baseline}, "previous": {"revision": a.previous, **previous},
              "current": current,
              "ratios": {"triples_per_fact": round(current["triples_per_fact"] / baseline["triples_per_fact"], 3),
                         "trig_bytes": round(current["trig_bytes"] / baseline["trig_bytes"], 3),
                         "build_seconds": round(current["seconds"] / baseline["seconds"], 3),
                         "peak_mib": round(current["peak_mib"] / baseline["peak_mib"], 3)},
              "candidates": _candidates(a.work / "previous-build" / "kg.trig", previous["facts"])}
    report["candidates"]["source_graph_triples"]["default-mention"] = current["asserted"]
    report["candidates"]["triples_per_fact"]["default-mention"] = current["triples_per_fact"]
    out = a.out or ROOT / "benchmarks" / "results" / f"provenance-{a.n}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    b, v, c = baseline, previous, current
    print(f"{a.n} articles: triples per fact {b['triples_per_fact']} → {v['triples_per_fact']} → {c['triples_per_fact']}; "
          f"TriG {b['trig_bytes_per_article']:,} → {v['trig_bytes_per_article']:,} → {c['trig_bytes_per_article']:,} "
          "bytes per article "
          f"({report['ratios']['trig_bytes']:.0%}); build {b['seconds']} → {c['seconds']} s, "
          f"peak {b['peak_mib']} → {c['peak_mib']} MiB; candidates per fact {report['candidates']['triples_per_fact']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
