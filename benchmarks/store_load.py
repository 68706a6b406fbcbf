"""The on-disk store as `kg build` makes it — the dataset file's named graphs and the union of its
graphs as the default graph, bulk-loaded in pieces of 16 MiB, then compacted — with the two files
loaded one after the other against both at once, each from a thread of its own (as
`kg.store._bulk_load` loads them); each mode in a fresh process, alternated round by round: wall
seconds loading and in all (with compacting), CPU seconds, peak memory, quads, and the CPU seconds of
the process's threads by name (sampled from /proc while they live: the loader's own threads and the
store's background compactions, "rocksdb:low", while loading and in all). `--piece-mb` sets the
pieces (0: each file whole).

    python -m benchmarks.store_load /tmp/vnkg-bench/build-10000/kg.trig --rounds 1 \
        --out benchmarks/results/store-two-10000.json

The union is written beside the file first, as `kg build` writes it (each graph's statements in a
default-graph block of its own).
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

from benchmarks.loader import FINISH
from benchmarks.measure import ROOT, snippet_json, table

_ONE = r"""
import json, os, shutil, sys, threading, time
import pyoxigraph as ox
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from kg.store import _load_file
path, union, folder, mode = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]
size = int(float(sys.argv[6]) * 1024 * 1024)  # 0: each file whole
shutil.rmtree(folder, ignore_errors=True)
seen, tick = {}, os.sysconf("SC_CLK_TCK")  # thread id: (name, CPU seconds), sampled while it lives
def sample():
    for tid in os.listdir("/proc/self/task"):
        try:
            name = open(f"/proc/self/task/{tid}/comm").read().strip()
            fields = open(f"/proc/self/task/{tid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seen[tid] = (name, (int(fields[11]) + int(fields[12])) / tick)
def by_name():
    sample()
    out = {}
    for name, cpu in seen.values():
        out[name] = round(out.get(name, 0) + cpu, 1)
    return out
sampling = True
def sampler():
    while sampling:
        sample()
        time.sleep(0.2)
threading.Thread(target=sampler, daemon=True).start()
store, t, cpu = ox.Store(folder), time.perf_counter(), time.process_time()
if mode == "together":  # each file from a thread of its own, as kg build loads them (kg.store._bulk_load)
    with ThreadPoolExecutor(2) as loaders:
        for done in [loaders.submit(_load_file, store, f, size) for f in (path, union)]:
            done.result()
else:  # as kg build loaded them before 3c8ef89
    _load_file(store, path, size)
    _load_file(store, union, size)
loading = by_name()
""" + FINISH + r"""
sampling = False
threads = {"loading": loading, "in_all": by_name()}
print(json.dumps({"mode": mode, **figures, "cpu_seconds": round(time.process_time() - cpu, 1), "threads_cpu": threads}))
"""

MODES = ("after", "together")


def write_union(path: Path, union: Path) -> None:
    """The union file `kg build` writes beside `path` (:func:`kg.graph.trig.write`), made from it."""
    import mmap
    sys.path.insert(0, str(ROOT))
    from kg.graph.trig import _parts, _tee
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as whole, open(union, "wb") as out:
        start = whole.find(b"\n\n") + 1
        out.write(whole[:start])
        for part, _ in _parts(whole, start, len(whole)):
            _tee(part, out)


def measure(path: Path, union: Path, folder: Path, mode: str, piece_mib: float = 16) -> dict:
    return snippet_json(_ONE, [ROOT, path, union, folder, mode, piece_mib], f"loading {path} ({mode})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.store_load", description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path, help="a TriG file kg build wrote")
    ap.add_argument("--rounds", type=int, default=2, help="rounds over the two modes (medians reported)")
    ap.add_argument("--piece-mb", type=float, default=16, help="the pieces each file is loaded in (0: whole; "
                    "kg build: the store_load_piece_mb setting, 16, or whole past store_load_whole_mb, 1024)")
    ap.add_argument("--modes", default=",".join(MODES), help="the modes measured, comma-separated (default: %(default)s)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if set(modes) - set(MODES):
        ap.error(f"unknown modes {sorted(set(modes) - set(MODES))}; the modes are {', '.join(MODES)}")
    union = args.dataset.with_name(f".store-load-bench.{args.dataset.name}.union")
    folder = args.dataset.with_name(f".store-load-bench.{args.dataset.name}.oxigraph")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_union(args.dataset, union)
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    try:
        for _ in range(args.rounds):
            for mode in modes:
                runs[mode].append(measure(args.dataset, union, folder, mode, args.piece_mb))
    finally:
        union.unlink(missing_ok=True)
    rows = [{"mode": m, "quads": r[0]["quads"],
             **{k: statistics.median(x[k] for x in r) for k in ("load_seconds", "seconds", "cpu_seconds", "peak_mib")},
             "runs": r} for m, r in runs.items()]
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, "started": started,
              "dataset": str(args.dataset), "bytes": args.dataset.stat().st_size,
              "command": "python -m benchmarks.store_load " + " ".join(sys.argv[1:] if argv is None else argv),
              "modes": rows}
    print(table(rows, ["mode", "quads", "load_seconds", "seconds", "cpu_seconds", "peak_mib"]))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
