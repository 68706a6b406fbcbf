"""The on-disk store's bulk loader on one dataset file, by piece size: wall seconds (load, then
flush and optimize, as `kg build` makes the store) and the process's peak memory, each size in a
fresh process, one after the other on the same file.

    python -m benchmarks.loader /tmp/vnkg-stream/now-10000/kg.trig --pieces 16,64,0 \
        --out benchmarks/results/loader-10000.json

A piece size of 0 reads the file in one call. Only the file's named graphs are loaded (the build
also loads the union it writes beside the file, the same way).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from benchmarks.measure import ROOT, snippet_json, table

# how a measured load ends (`store`, `folder`, its start `t` defined): flushed and compacted as `kg build`
# makes the store, the folder removed, its figures in `figures`
FINISH = r"""
loaded = time.perf_counter() - t
store.flush()
store.optimize()
done = time.perf_counter() - t
quads = len(store)
del store
shutil.rmtree(folder, ignore_errors=True)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
figures = {"load_seconds": round(loaded, 2), "seconds": round(done, 2), "peak_mib": round(hwm / 1024, 1), "quads": quads}
"""

_ONE = r"""
import json, shutil, sys, time
import pyoxigraph as ox
sys.path.insert(0, sys.argv[1])
from kg.graph.trig import pieces
path, mib, folder = sys.argv[2], float(sys.argv[3]), sys.argv[4]
shutil.rmtree(folder, ignore_errors=True)
store, t, calls = ox.Store(folder), time.perf_counter(), 0
if not mib:
    store.bulk_load(path=path, format=ox.RdfFormat.TRIG)
    calls += 1
for piece in pieces(__import__("pathlib").Path(path), int(mib * 1024 * 1024)) if mib else ():
    store.bulk_load(piece, format=ox.RdfFormat.TRIG)
    calls += 1
""" + FINISH + r"""
print(json.dumps({"calls": calls, **figures}))
"""


def measure(path: Path, mib: float, folder: Path) -> dict:
    return {"piece_mib": mib, **snippet_json(_ONE, [ROOT, path, mib, folder], f"loading {path} in pieces of {mib} MiB")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.loader", description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path, help="a TriG file kg build wrote")
    ap.add_argument("--pieces", default="16,64,0", help="piece sizes in MiB, comma-separated (0: the file whole)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over the sizes (medians reported)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    sizes = [float(x) for x in args.pieces.split(",")]
    folder = args.dataset.with_name(f".loader-bench.{args.dataset.name}.oxigraph")
    runs: dict[float, list[dict]] = {m: [] for m in sizes}
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for _ in range(args.repeat):
        for mib in sizes:  # interleaved: each round measures every size once
            runs[mib].append(measure(args.dataset, mib, folder))
    rows = [{"piece_mib": m, "calls": r[0]["calls"], "quads": r[0]["quads"],
             **{k: statistics.median(x[k] for x in r) for k in ("load_seconds", "seconds", "peak_mib")},
             "runs": r} for m, r in runs.items()]
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
              "started": started, "dataset": str(args.dataset), "bytes": args.dataset.stat().st_size,
              "command": "python -m benchmarks.loader " + " ".join(sys.argv[1:] if argv is None else argv),
              "sizes": rows}
    print(table([{**r, "piece_mib": r["piece_mib"] or "whole"} for r in rows],
                ["piece_mib", "calls", "load_seconds", "seconds", "peak_mib"]))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
