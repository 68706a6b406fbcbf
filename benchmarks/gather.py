"""What a build holds across sources for linking and the preferred labels (`kg.link.targets.Gather`,
`kg.graph.Labels`): the memory they hold after every extraction of a corpus is gathered (traced by
tracemalloc) and the seconds it takes, with the code of this tree and, side by side, of another
(`--before`), on the same extractions; both must give the same targets and labels.

    python -m benchmarks.gather 3000 --before /tmp/wt-before --out benchmarks/results/gather-3000.json

The extractions are made once (with this tree's code) and kept in the work folder.
"""
from __future__ import annotations

import argparse
import json
import pickle
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import write_corpus
from benchmarks.measure import ROOT, median, table

_MEASURE = r"""
import gc, hashlib, pickle, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from kg.graph import Labels
from kg.link.targets import Gather
extractions = pickle.load(open(sys.argv[2], "rb"))
gc.collect()
tracemalloc.start()
started = time.perf_counter()
gathered, votes = Gather(), Labels()
for x in extractions:
    gathered.add(x)
    votes.add(x)
seconds = time.perf_counter() - started
held = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
targets, labels = gathered.targets(), votes.chosen()
digest = hashlib.sha256(repr((targets, sorted(labels.items()))).encode()).hexdigest()
print(held, seconds, len(targets), len(labels), digest)
"""


def measure(code: Path, extractions: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(code), str(extractions)], capture_output=True,
                         text=True, check=True).stdout.split()
    return {"held_mib": round(int(out[0]) / 2**20, 1), "seconds": round(float(out[1]), 3), "targets": int(out[2]),
            "labels": int(out[3]), "digest": out[4]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.gather", description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=int, help="generated articles")
    ap.add_argument("--before", type=Path, help="root of another source tree (holding kg/), side by side")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-gather"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/gather.json")
    args = ap.parse_args(argv)
    corpus, extractions = args.work / f"corpus-{args.articles}", args.work / f"extractions-{args.articles}.pickle"
    if not corpus.is_dir():
        write_corpus(args.articles, corpus, seed=args.seed)
    if not extractions.is_file():
        from kg.pipeline import extract_all
        extractions.parent.mkdir(parents=True, exist_ok=True)
        extractions.write_bytes(pickle.dumps(list(extract_all([corpus])), pickle.HIGHEST_PROTOCOL))
    trees = {"now": ROOT, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.repeat):  # alternated, so that the machine's moods fall on both
        for name, code in trees.items():
            runs[name].append(measure(code, extractions))
    rows = []
    for name, rs in runs.items():
        rows.append({"code": name, "held_mib": median([r["held_mib"] for r in rs]),
                     "seconds": median([r["seconds"] for r in rs]), "targets": rs[0]["targets"],
                     "labels": rs[0]["labels"]})
    same = len({r["digest"] for rs in runs.values() for r in rs}) == 1
    print(table(rows, ["code", "held_mib", "seconds", "targets", "labels"]))
    print(f"same targets and labels: {same}")
    result = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "command": "python -m benchmarks.gather " + " ".join(argv if argv is not None else sys.argv[1:]),
              "articles": args.articles, "trees": {k: str(v) for k, v in trees.items()}, "runs": runs,
              "medians": rows, "same_targets_and_labels": same}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
