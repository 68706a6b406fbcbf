"""How long the server takes to start on a built dataset: ``server.app.create_app`` in a fresh
process (what `kg serve`'s master does before it forks the workers, and again on each reload),
with the search index made from the dataset ("made": the kept one removed first) and read back
from the on-disk store's folder ("kept"), and with `--before`, the code of another worktree (which
may keep nothing), the three one after the other in each round. With ``--api``, the notebook API's
first search instead (``kg.toolkit.api.open(graph).find(...)``, which makes or reads the index),
then its first search by kind.
Each child's peak memory is recorded too.

    python -m benchmarks.start /tmp/vnkg-bench/build-100000/kg.trig --rounds 3 --before /tmp/wt-base \\
        --out benchmarks/results/start-100000.json
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from benchmarks.measure import header, median, save

ROOT = Path(__file__).resolve().parent.parent
# the children: the seconds and the peak memory (KiB) printed; the store closed
CHILDREN = {
    "server": "from server.app import create_app\nt = time.perf_counter()\n"
              "app = create_app({'GRAPH': sys.argv[1]})\nprint(time.perf_counter() - t, peak())\n"
              "app.extensions['kg']['engine'].close()\n",
    "api": "from kg.toolkit.api import open as open_dataset\nt = time.perf_counter()\n"
           "with open_dataset(sys.argv[1]) as ds:\n    ds.find('Bí thư Tỉnh ủy')\n    first = time.perf_counter() - t\n"
           "    k = time.perf_counter()\n    ds.find('nguyen', kind='Person')\n"
           "    print(first, peak(), time.perf_counter() - k)\n",
}
PEAK = "import resource, sys, time\npeak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"


def start(graph: Path, code: Path, what: str = "server") -> tuple[float, ...]:
    """Seconds to make the app (or the API's first search) in a new process running the code of
    `code`, the process's peak memory in MiB and, for the API, the seconds of its first search by
    kind (people) after it (the peak then counts that search too)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", PEAK + CHILDREN[what], str(graph)], cwd=code, env=env, check=True,
                          capture_output=True, text=True)
    seconds, kib, *kind = done.stdout.strip().splitlines()[-1].split()
    return (float(seconds), int(kib) / 1024, *map(float, kind))


def measure(graph: Path, rounds: int, before: Optional[Path], what: str = "server") -> dict:
    from kg.store import store_folder
    from kg.toolkit.search import KEPT
    kept = store_folder(graph) / KEPT
    runs: dict[str, list[tuple[float, ...]]] = {"made": [], "kept": [], **({"before": []} if before else {})}
    for _ in range(rounds):
        if before:
            kept.unlink(missing_ok=True)  # the code before may read an index kept by this code
            runs["before"].append(start(graph, before, what))
        kept.unlink(missing_ok=True)
        runs["made"].append(start(graph, ROOT, what))
        if not kept.exists():
            raise SystemExit(f"{graph}: no search index was kept (is there an on-disk store beside it?)")
        runs["kept"].append(start(graph, ROOT, what))
    return {"graph": str(graph), "what": what, "kept_bytes": kept.stat().st_size, "before": str(before) if before else None,
            **{k: {"p50_s": round(median([r[0] for r in v]), 2), "runs_s": [round(r[0], 2) for r in v],
                   "peak_mib": [round(r[1]) for r in v],
                   **({"kind_s": [round(r[2], 2) for r in v]} if what == "api" else {})} for k, v in runs.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.start", description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="a built dataset file (kg.trig) with its on-disk store")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--before", type=Path, help="a worktree of the code to compare with")
    ap.add_argument("--api", action="store_true", help="time the notebook API's first search, not the server's start")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/start.json"))
    a = ap.parse_args(argv)
    if not a.graph.exists():
        raise SystemExit(f"{a.graph}: no such dataset; build one first (python -m benchmarks.run --phases generate,build)")
    result = {**header("benchmarks.start", argv), **measure(a.graph, a.rounds, a.before, "api" if a.api else "server")}
    for k in ("before", "made", "kept"):
        if result.get(k):
            print(f"{k:7} p50 {result[k]['p50_s']:8.2f} s   {result[k]['runs_s']}   peak MiB {result[k]['peak_mib']}"
                  + (f"   by kind {result[k]['kind_s']} s" if "kind_s" in result[k] else ""))
    save(a.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
