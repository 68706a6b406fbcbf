"""Benchmarks of vnkg at scale, run on demand (never by the unit tests).

For each corpus size: generate the corpus (benchmarks/generate.py), then measure
extraction throughput, the build end to end (cold cache, warm cache) with the peak memory of
the whole process tree, reasoning (compiled rules; owlrl, the reference, side by side up to
--owlrl-max articles; and 200 facts added incrementally), the latency of every competency
question (kg/data/cq/*.rq) on pyoxigraph — the engine asked every time, and `kg query`'s
path, which keeps answers until the dataset changes — with rdflib's engine side by side up
to --rdflib-max articles, and last `kg add` of one new article (five times; the full build
with them, from the cache, side by side). Ratios are anchor ÷ vnkg from the same run.
Results print as tables and go to a JSON file.

    python -m benchmarks.run --sizes 50,1000,10000 --out benchmarks/results/run.json

At 100,000 articles a full run takes hours: measure some phases only, the cold build alone and
each question's first page (about 50 minutes on 2 cores):

    python -m benchmarks.run --sizes 100000 --phases generate,build,queries,add --cold-only \
        --limit100-only --out benchmarks/results/scale-100000.json
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from pathlib import Path

from benchmarks.generate import write_corpus
from benchmarks.measure import kg_command, median, percentile, run, table, timed

from kg import config
from kg.cache import GraphCache, graph_key
from kg.reason.closure import from_key
from kg.query import query_text


def bench_extraction(corpus: Path, sample: int) -> dict:
    from kg.extract import extract
    from kg.read import find_sources, read_source
    sources = [read_source(p) for p in find_sources([corpus])[:sample]]
    times, _ = timed(lambda: [extract(s) for s in sources])
    chars = sum(len(s.text) for s in sources)
    return {"articles": len(sources), "seconds": round(times[0], 3), "articles_per_s": round(len(sources) / times[0], 1),
            "chars_per_s": round(chars / times[0])}


def bench_build(corpus: Path, out: Path, warm: bool = True) -> dict:
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    result = {}
    for name in ("cold", "warm") if warm else ("cold",):
        r = run(kg_command("build", str(corpus), "-o", str(out)), {"CI": "true"})
        if r["exit"] != 0:
            raise SystemExit(f"{r['command']} failed:\n{r['stderr']}")
        result[name] = {"seconds": r["seconds"], "peak_mib": r["peak_mib"], "command": r["command"],
                        "stages": [line for line in r["stderr"].splitlines() if ":" in line],
                        "rss_every_5s": r["rss_every_5s"]}
    result["output_bytes"] = out.stat().st_size
    return result


def bench_add(corpus: Path, out: Path, n: int, seed: int, count: int = 5, rebuild: bool = True,
              before: Path | None = None) -> dict:
    """`kg add` of one new article, `count` times (a different article each time: generated
    articles number `n` on), on the built dataset whose store `kg query` made; then (with
    `rebuild`), side by side, the full build of the corpus with those articles (every extraction
    from the cache). With `before` (the root of another source tree), each addition is followed
    by one of another new article with that tree's `kg`, on the same dataset: the two side by
    side, each seeing the dataset grown by the other's additions."""
    from benchmarks.stream import _RUN
    extra = corpus.parent / f"{corpus.name}-extra"
    shutil.rmtree(extra, ignore_errors=True)
    write_corpus(count * (2 if before else 1), extra, seed=seed, start=n)
    paths = sorted(extra.glob("*.txt"))
    runs, olds = [], []
    for i in range(count):
        r = run(kg_command("add", str(paths[i * (2 if before else 1)]), "-g", str(out)), {"CI": "true"})
        if r["exit"] != 0:
            raise SystemExit(f"{r['command']} failed:\n{r['stderr']}")
        runs.append(r)
        if before is not None:
            b = run([sys.executable, "-c", _RUN, str(before), "add", str(paths[i * 2 + 1]), "-g", str(out)], {"CI": "true"})
            if b["exit"] != 0:
                raise SystemExit(f"{b['command']} failed:\n{b['stderr']}")
            olds.append(b)
    seconds = [r["seconds"] for r in runs]
    result = {"add_one_s": round(median(seconds), 3), "runs_s": seconds, "peak_mib": max(r["peak_mib"] for r in runs),
              "command": runs[0]["command"], "lines": [r["stderr"].strip() for r in runs]}
    if olds:
        old = [r["seconds"] for r in olds]
        result.update(before={"code": str(before), "add_one_s": round(median(old), 3), "runs_s": old,
                              "peak_mib": max(r["peak_mib"] for r in olds), "lines": [r["stderr"].strip() for r in olds]},
                      speedup=round(median(old) / median(seconds), 2))
    if rebuild:
        full = run(kg_command("build", str(corpus), str(extra), "-o", str(out.with_name("rebuilt.trig"))),
                   {"CI": "true"})
        shutil.rmtree(out.with_name("rebuilt.trig.oxigraph"), ignore_errors=True)
        for made in out.parent.glob("rebuilt.trig*"):
            made.unlink(missing_ok=True)
        result.update(rebuild_with_them_s=full["seconds"], rebuild_command=full["command"],
                      ratio=round(full["seconds"] / median(seconds), 1))
    return result


def _facts(corpus: Path, out: Path) -> list:
    """The asserted facts of the built corpus, from the build cache (as the build reads them)."""
    from kg import graph as graph_stage
    from kg.parallel import extract_sources
    from kg.pipeline import cache_folder
    cache = cache_folder(out)
    from kg.read import find_sources
    results = extract_sources(find_sources([corpus]), cache, 1)
    extractions = [r.extraction for r in results]
    labels = graph_stage.preferred_labels(extractions)
    store, facts = GraphCache(cache), []
    for r in results:
        mine = {e.key: labels[e.key] for e in r.extraction.entities if e.key in labels}
        hit = store.get(graph_key(r.key, mine))
        if hit is None:  # the code changed since the build: make the graph again
            from kg.parallel import _graph_one
            hit = (None, _graph_one((r.extraction, mine, None, "urn:x", None, "")).facts)
        facts += hit[1]
    return facts


def bench_reasoning(corpus: Path, out: Path, n: int, owlrl_max: int) -> dict:
    from rdflib import Graph
    from kg.reason import FastReasoner, infer, load_ontology
    facts = _facts(corpus, out)
    ontology, base = load_ontology(), config.get("base_iri")
    engine = FastReasoner(ontology, base)
    timed(lambda: (engine.add_keys(facts[:-200]), engine.result()))
    step, _ = timed(lambda: (engine.add_keys(facts[-200:]), engine.result()))
    full, found = timed(lambda: FastReasoner(ontology, base).run(
        (from_key(s), from_key(p), from_key(o)) for s, p, o in facts), repeat=3)
    result = {"facts": len(facts), "inferred": len(found.triples), "rules_s": round(median(full), 3),
              "rules_runs": [round(t, 3) for t in full], "incremental_200_facts_s": round(step[0], 3)}
    if n <= owlrl_max:
        g = Graph()
        for s, p, o in facts:
            g.add((from_key(s), from_key(p), from_key(o)))
        ref_times, ref = timed(lambda: infer(g, ontology, engine="owlrl"))
        result.update(owlrl_s=round(ref_times[0], 3), ratio=round(ref_times[0] / median(full), 1),
                      parity=set(ref.triples) == set(found.triples))
    return result


def _repeat(fn, repeat: int, budget_s: float = 20.0) -> list[float]:
    """Times of up to `repeat` runs of `fn`, fewer (at least 3) when they would pass the budget."""
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeat and (len(times) < 3 or time.perf_counter() - start < budget_s):
        times += timed(fn)[0]
    return times


def _alternate(fns: dict, repeat: int) -> dict[str, list[float]]:
    """Times of `repeat` runs of each of `fns`, taken in turn (one run of each, then again), so
    that a machine slower for a while is slower for all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name] += timed(fn)[0]
    return times


def bench_queries(out: Path, n: int, rdflib_max: int, repeat: int, whole: bool = True) -> list[dict]:
    """Each CQ: the engine (pyoxigraph, asked every time), `kg query`'s path (the answer kept
    until the dataset changes: the first call asks the engine), rdflib's engine side by side;
    without `whole`, only the first page (``LIMIT 100``): as rdflib terms (:func:`kg.store.query`),
    the engine's rows alone, and written as CSV as `kg query` writes it."""
    from kg import answers, store as oxstore
    rows = []
    open_times, store = timed(lambda: oxstore.open_store(out))
    shutil.rmtree(answers.folder(out), ignore_errors=True)
    rd = None
    if n <= rdflib_max:
        from kg.export import load
        rd = load(out)
        rd.default_union = True
    for cq in sorted(p.stem for p in config.CQ_DIR.glob("*.rq")):
        text = query_text(cq)
        oxstore._read.cache_clear()  # the query read afresh: its checks are part of the first call
        paged = text + "\nLIMIT 100"
        if not whole:
            first, _ = timed(lambda: oxstore.query(store, paged))
            taken = _alternate({
                "page": lambda: oxstore.query(store, paged),  # as rdflib terms
                # the engine alone: pyoxigraph's rows read, no term turned into anything
                "engine": lambda: sum(1 for _ in store.query(paged, base_iri=config.get("base_iri"))),
                # `kg query`'s path on the open store: the page written as CSV, no rdflib term made
                "written": lambda: oxstore.answer_bytes(store, paged, "csv", 0)}, repeat)
            page, engine, written = taken["page"], taken["engine"], taken["written"]
            rows.append({"size": n, "cq": cq, "limit100_first_ms": round(first[0] * 1000, 2),
                         "limit100_p50_ms": round(median(page) * 1000, 2),
                         "limit100_p95_ms": round(percentile(page, 0.95) * 1000, 2), "runs": len(page),
                         "limit100_engine_p50_ms": round(median(engine) * 1000, 2),
                         "limit100_csv_p50_ms": round(median(written) * 1000, 2),
                         "open_store_s": round(open_times[0], 3)})
            continue
        first, res = timed(lambda: oxstore.query(store, text))
        times = _repeat(lambda: oxstore.query(store, text), repeat)
        page = _repeat(lambda: oxstore.query(store, paged), repeat)
        every = {"max_results": 0}  # every row, as the engine's figures above
        cli_first, _ = timed(lambda: oxstore.run_query(out, cq, "csv", every))
        cli = _repeat(lambda: oxstore.run_query(out, cq, "csv", every), repeat)
        row = {"size": n, "cq": cq, "rows": len(res), "engine_first_ms": round(first[0] * 1000, 2),
               "engine_p50_ms": round(median(times) * 1000, 2), "engine_p95_ms": round(percentile(times, 0.95) * 1000, 2),
               "engine_runs": len(times), "limit100_p50_ms": round(median(page) * 1000, 2),
               "kg_query_first_ms": round(cli_first[0] * 1000, 2), "kg_query_p50_ms": round(median(cli) * 1000, 3),
               "open_store_s": round(open_times[0], 3)}
        if rd is not None:
            from kg.sparql import run as rdflib_run
            rtimes, _ = timed(lambda: rdflib_run(rd, text), max(3, repeat // 10))
            row.update(rdflib_p50_ms=round(median(rtimes) * 1000, 1), ratio=round(median(rtimes) / median(times), 1))
        rows.append(row)
    return rows


def bench_cli_query(out: Path) -> dict:
    r = run(kg_command("query", "-g", str(out), "members", "-f", "csv"))
    return {"seconds": r["seconds"], "command": r["command"], "peak_mib": r["peak_mib"]}


def _generate(n: int, corpus: Path, seed: int) -> str:
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(n, corpus, seed=seed)
    return f"python -m benchmarks.generate {n} {corpus} --seed {seed}"


PHASES = ("generate", "extraction", "build", "reasoning", "queries", "cli_query", "add")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,1000", help="corpus sizes, comma-separated (default: %(default)s)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-bench"), help="where corpora and builds go")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/latest.json"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--owlrl-max", type=int, default=50, help="largest size owlrl runs at (it is slow)")
    ap.add_argument("--rdflib-max", type=int, default=200, help="largest size rdflib's engine runs at")
    ap.add_argument("--repeat", type=int, default=30, help="runs per query")
    ap.add_argument("--resume", action="store_true", help="keep the phases --out already holds (each phase is "
                    "written as it ends) and measure the rest")
    ap.add_argument("--phases", default=",".join(PHASES), help="the phases to run, comma-separated, in their order "
                    "(default: all, %(default)s)")
    ap.add_argument("--cold-only", action="store_true", help="no build from a warm cache: neither the warm build "
                    "nor `kg add`'s rebuild with the added articles (at 100,000 articles each is most of an hour)")
    ap.add_argument("--limit100-only", action="store_true", help="queries: only each question's first page "
                    "(LIMIT 100) from the engine, not its whole answer (at 100,000 articles some take minutes)")
    ap.add_argument("--add-from", type=int, default=None, help="add: the number of the first generated article "
                    "added (default: the corpus size; higher on a dataset an earlier run has added to)")
    ap.add_argument("--add-before", type=Path, default=None, help="add: the root of another source tree whose "
                    "`kg add` adds other new articles to the same dataset, one after each of this tree's")
    a = ap.parse_args(argv)
    wanted = a.phases.split(",")
    if set(wanted) - set(PHASES):
        ap.error(f"unknown phases {sorted(set(wanted) - set(PHASES))}; the phases are {', '.join(PHASES)}")
    report = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "sizes": {}}
    if a.resume and a.out.exists():
        report["sizes"] = json.loads(a.out.read_text())["sizes"]
    for n in map(int, a.sizes.split(",")):
        corpus, out = a.work / f"corpus-{n}", a.work / f"build-{n}" / "kg.trig"
        entry = report["sizes"].setdefault(str(n), {})
        phases = [("generate", lambda: _generate(n, corpus, a.seed)),
                  ("extraction", lambda: bench_extraction(corpus, min(n, 200))),
                  ("build", lambda: bench_build(corpus, out, warm=not a.cold_only)),
                  ("reasoning", lambda: bench_reasoning(corpus, out, n, a.owlrl_max)),
                  ("queries", lambda: bench_queries(out, n, a.rdflib_max, a.repeat, whole=not a.limit100_only)),
                  ("cli_query", lambda: bench_cli_query(out)),
                  ("add", lambda: bench_add(corpus, out, a.add_from or n, a.seed, rebuild=not a.cold_only,
                                                  before=a.add_before))]  # appends
        for name, phase in phases:
            if name in wanted and name not in entry:  # with --resume, a phase measured before is kept
                entry[name] = phase()
                a.out.parent.mkdir(parents=True, exist_ok=True)
                a.out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        _print(n, entry)
    print(f"\nresults: {a.out}")
    return 0


def _print(n: int, e: dict) -> None:
    """The tables of the phases `e` holds (a run of some phases only prints theirs)."""
    print(f"\n== {n} articles ({e.get('generate', 'corpus made before')})")
    if "extraction" in e:
        x = e["extraction"]
        print(f"extraction: {x['articles_per_s']} articles/s, {x['chars_per_s']:,} chars/s (one process, "
              f"{x['articles']} articles)")
    b, ad = e.get("build", {}), e.get("add")
    rows = [{"build": k, "seconds": b[k]["seconds"], "peak MiB": b[k]["peak_mib"]} for k in ("cold", "warm") if k in b]
    if ad:
        rows.append({"build": f"kg add (one article, median of {len(ad['runs_s'])})", "seconds": ad["add_one_s"],
                     "peak MiB": ad["peak_mib"]})
        if "rebuild_with_them_s" in ad:
            rows.append({"build": "kg build with those (cache)", "seconds": ad["rebuild_with_them_s"], "peak MiB": ""})
    if rows:
        print(table(rows, ["build", "seconds", "peak MiB"]))
    if b:
        print(f"output {b['output_bytes']:,} bytes")
    if "reasoning" in e:
        r = e["reasoning"]
        print(f"reasoning: {r['facts']:,} facts → {r['inferred']:,} inferred, rules {r['rules_s']} s (median of 3)"
              + (f", owlrl {r['owlrl_s']} s, ratio {r['ratio']}×, parity {r['parity']}" if "owlrl_s" in r else "")
              + f"; 200 facts added: {r['incremental_200_facts_s']} s")
    if e.get("queries"):
        q = e["queries"]
        print(f"store opened in {q[0]['open_store_s']} s")
        cols = (["cq", "rows", "engine_first_ms", "engine_p50_ms", "engine_p95_ms", "limit100_p50_ms", "kg_query_p50_ms"]
                if "rows" in q[0] else ["cq", "limit100_first_ms", "limit100_p50_ms", "limit100_p95_ms", "limit100_engine_p50_ms", "runs"])
        print(table(q, cols + (["rdflib_p50_ms", "ratio"] if "ratio" in q[0] else [])))
    if "cli_query" in e:
        print(f"kg query members (whole process): {e['cli_query']['seconds']} s")
    if ad:
        print(f"kg add one article: {ad['add_one_s']} s (median of {len(ad['runs_s'])})"
              + (f"; full build with them from the cache: {ad['rebuild_with_them_s']} s ({ad['ratio']}×)"
                 if "rebuild_with_them_s" in ad else "")
              + (f"; the code of {ad['before']['code']}: {ad['before']['add_one_s']} s ({ad['speedup']}× faster now)"
                 if "before" in ad else ""))


if __name__ == "__main__":
    raise SystemExit(main())
