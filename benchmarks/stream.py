"""Bounded build memory: for each corpus size, the cold `kg build`'s peak memory (RSS summed over
its process tree, workers included) and wall seconds, with the code of this tree and, side by
side, with the code of another tree (`--before`, e.g. an export of the commit before the
build kept its extractions and blocks on disk). Both builds' outputs are compared byte for byte.

    python -m benchmarks.stream 1000 3000 --before /tmp/vnkg-before --out benchmarks/results/stream.json

With ``--store`` each build also makes the on-disk store, as `kg build` does by default.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import platform
import shutil
import sys
import time
from pathlib import Path

from benchmarks.generate import write_corpus
from benchmarks.measure import ROOT, run, table

_RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from kg.cli import main; raise SystemExit(main(sys.argv[1:]))"


def cold_build(code: Path, corpus: Path, out: Path, store: bool = False) -> dict:
    """A build of `corpus` with the `kg` package of the tree `code`, into an empty folder (no cache);
    with `store`, the on-disk store made within it (as `kg build` does by default)."""
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    flags = [] if store else ["--no-store"]
    r = run([sys.executable, "-c", _RUN, str(code), "build", str(corpus), "-o", str(out), *flags], {"CI": "true"})
    if r["exit"] != 0:
        raise SystemExit(f"{r['command']} failed:\n{r['stderr']}")
    return {"seconds": r["seconds"], "peak_mib": r["peak_mib"], "output_bytes": out.stat().st_size,
            "command": f"kg build {corpus} -o {out}{'' if store else ' --no-store'} (code of {code})",
            "stages": [line for line in r["stderr"].splitlines() if ":" in line]}


def bench_size(n: int, work: Path, before: Path | None, seed: int, store: bool = False) -> dict:
    corpus = work / f"corpus-{n}"
    if not corpus.is_dir():
        write_corpus(n, corpus, seed=seed)
    row = {"articles": n, "now": cold_build(ROOT, corpus, work / f"now-{n}" / "kg.trig", store)}
    if before is not None:
        row["before"] = cold_build(before, corpus, work / f"before-{n}" / "kg.trig", store)
        row["same_bytes"] = filecmp.cmp(work / f"now-{n}" / "kg.trig", work / f"before-{n}" / "kg.trig", shallow=False)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.stream", description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="+", type=int, help="corpus sizes (articles)")
    ap.add_argument("--before", type=Path, help="root of another source tree (holding kg/) to build with, side by side")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-stream"), help="where corpora and builds go")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/stream.json")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--store", action="store_true", help="make the on-disk store within each build (the default of "
                    "`kg build`; without it both build with --no-store)")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        rows.append(bench_size(n, args.work, args.before, args.seed, args.store))
        print(table([_flat(r) for r in rows], list(_flat(rows[0]))), flush=True)
    result = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "sizes": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def _flat(row: dict) -> dict:
    out = {"articles": row["articles"], "peak_mib": row["now"]["peak_mib"], "seconds": row["now"]["seconds"]}
    if "before" in row:
        out.update({"before_peak_mib": row["before"]["peak_mib"], "before_seconds": row["before"]["seconds"],
                    "same_bytes": str(row["same_bytes"])})
    return out


if __name__ == "__main__":
    raise SystemExit(main())
