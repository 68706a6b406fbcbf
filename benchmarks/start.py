"""How long the server takes to start on a built dataset: ``server.app.create_app`` in a fresh
process (what `kg serve`'s master does before it forks the workers, and again on each reload),
with the search index made from the dataset ("made": the kept one removed first) and read back
from the on-disk store's folder ("kept"), and with `--before`, the code of another worktree (which
may keep nothing), the three one after the other in each round.

    python -m benchmarks.start /tmp/vnkg-bench/build-100000/kg.trig --rounds 3 --before /tmp/wt-base \\
        --out benchmarks/results/start-100000.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from benchmarks.measure import median

ROOT = Path(__file__).resolve().parent.parent
# the child: the app made, its seconds printed; its store closed
CHILD = ("import sys, time\nfrom server.app import create_app\nt = time.perf_counter()\n"
         "app = create_app({'GRAPH': sys.argv[1]})\nprint(time.perf_counter() - t)\n"
         "app.extensions['kg']['engine'].close()\n")


def start(graph: Path, code: Path) -> float:
    """Seconds to make the app in a new process running the code of `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(graph)], cwd=code, env=env, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure(graph: Path, rounds: int, before: Optional[Path]) -> dict:
    from kg.store import store_folder
    from kg.toolkit.search import KEPT
    kept = store_folder(graph) / KEPT
    times: dict[str, list[float]] = {"made": [], "kept": [], **({"before": []} if before else {})}
    for _ in range(rounds):
        if before:
            times["before"].append(start(graph, before))
        kept.unlink(missing_ok=True)
        times["made"].append(start(graph, ROOT))
        if not kept.exists():
            raise SystemExit(f"{graph}: no search index was kept (is there an on-disk store beside it?)")
        times["kept"].append(start(graph, ROOT))
    return {"graph": str(graph), "kept_bytes": kept.stat().st_size, "before": str(before) if before else None,
            **{k: {"p50_s": round(median(v), 2), "runs_s": [round(t, 2) for t in v]} for k, v in times.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.start", description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="a built dataset file (kg.trig) with its on-disk store")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--before", type=Path, help="a worktree of the code to compare with")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/start.json"))
    a = ap.parse_args(argv)
    if not a.graph.exists():
        raise SystemExit(f"{a.graph}: no such dataset; build one first (python -m benchmarks.run --phases generate,build)")
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "command": " ".join([sys.executable, "-m", "benchmarks.start", *map(str, argv or sys.argv[1:])]),
              **measure(a.graph, a.rounds, a.before)}
    for k in ("before", "made", "kept"):
        if result.get(k):
            print(f"{k:7} p50 {result[k]['p50_s']:8.2f} s   {result[k]['runs_s']}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    tmp.replace(a.out)
    print(f"\nresults: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
