"""Extraction alone, in one process: milliseconds an article (read, normalised, extracted, made ready
for the build — `kg.parallel._extract_one` without a cache) with the code of this tree and, alternated
round by round, with the code of another tree (`--before`), on the same generated articles. Both must
give the same entities, facts and warnings for every article (compared as text, digest per tree).

    python -m benchmarks.extraction 1500 --before /tmp/wt-before --rounds 3 \
        --out benchmarks/results/extraction-1500.json
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from benchmarks.generate import write_corpus
from benchmarks.measure import ROOT, median, snippet_json, table

_ONE = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from kg import read
from kg.parallel import _extract_one
paths = sorted(Path(sys.argv[2]).glob("*.txt"))[:int(sys.argv[3])]
items = [(read.Input(p, p.name), None, True) for p in paths]
_extract_one(items[0])  # the patterns compiled, the gazetteers read: not an article's cost
started = time.perf_counter()
for item in items:
    _extract_one(item)
seconds = time.perf_counter() - started
digest = hashlib.sha256()
for item in items:
    ex = _extract_one((item[0], None, False)).extraction
    digest.update(repr((ex.entities, ex.facts, ex.warnings)).encode())
print(json.dumps({"ms_per_article": round(seconds / len(items) * 1000, 3), "digest": digest.hexdigest()}))
"""


def measure(code: Path, corpus: Path, n: int) -> dict:
    return snippet_json(_ONE, [code, corpus, n], f"extracting with the code of {code}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extraction", description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=int, help="how many generated articles")
    ap.add_argument("--before", type=Path, help="root of another source tree (holding kg/), measured alternately")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-stream"), help="where the corpus goes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    corpus = args.work / f"corpus-{args.articles}"
    if not corpus.is_dir():
        write_corpus(args.articles, corpus, seed=args.seed)
    trees = {"now": ROOT, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, code in trees.items():
            runs[name].append(measure(code, corpus, args.articles))
    rows = [{"code": name, "ms_per_article": median([r["ms_per_article"] for r in got]),
             "runs": [r["ms_per_article"] for r in got], "digest": got[0]["digest"][:16]} for name, got in runs.items()]
    digests = {r["digest"] for got in runs.values() for r in got}
    result = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "articles": args.articles,
              "corpus": str(corpus), "trees": {k: str(v) for k, v in trees.items()}, "rows": rows,
              "same_extractions": len(digests) == 1}
    print(table(rows, ["code", "ms_per_article", "runs", "digest"]))
    print("same entities, facts and warnings:", result["same_extractions"])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0 if result["same_extractions"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
