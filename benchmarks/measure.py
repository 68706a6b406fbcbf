"""Measuring tools for the benchmarks: wall time of a child process with the peak memory of its
whole process tree (sampled from /proc), medians, and the table the results print as."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd: Sequence[str], env: dict | None = None) -> dict:
    """Run `cmd`; its wall seconds, exit code, stderr, and the peak RSS (MiB) summed over its
    process tree (workers included), sampled every 50 ms (and kept every 5 s: [seconds, MiB])."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak, timeline = [0], []

    def sample() -> None:
        every = 0
        while proc.poll() is None:
            now = sum(_rss_kib(p) for p in _tree(proc.pid))
            peak[0] = max(peak[0], now)
            if every % 100 == 0:  # every 5 s: the memory's course through the run
                timeline.append((round(time.perf_counter() - start, 1), round(now / 1024)))
            every += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    return {"seconds": round(time.perf_counter() - start, 3), "exit": proc.returncode,
            "peak_mib": round(peak[0] / 1024, 1), "rss_every_5s": timeline, "stderr": err.decode("utf-8", "replace"),
            "stdout_bytes": len(out), "command": " ".join(cmd)}


def snippet_json(snippet: str, args: Sequence[object], doing: str) -> dict:
    """Run the Python `snippet` in a fresh interpreter with `args` (``sys.argv[1:]``) and return the
    JSON it prints; if it fails, stop, saying what it was `doing` and what it wrote to stderr."""
    r = subprocess.run([sys.executable, "-c", snippet, *map(str, args)], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"{doing} failed:\n{r.stderr}")
    return json.loads(r.stdout)


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[list[float], object]:
    """Seconds of each of `repeat` calls of `fn`, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def header(module: str, argv: Sequence[str] | None) -> dict:
    """What each result file starts with: the machine, when, and the command that made it."""
    import platform
    return {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "command": " ".join([sys.executable, "-m", module, *map(str, argv or sys.argv[1:])])}


def save(out: Path, result: dict) -> None:
    """`result` as JSON in `out`, written whole or not at all; says where."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    tmp.replace(out)
    print(f"\nresults: {out}")


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: Sequence[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def kg_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("kg")), *args]


def table(rows: list[dict], columns: Sequence[str]) -> str:
    cells = [[_fmt(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)] if cells else []
    line = lambda xs: "  ".join(x.rjust(w) if i else x.ljust(w) for i, (x, w) in enumerate(zip(xs, widths)))
    return "\n".join([line(list(columns)), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)
