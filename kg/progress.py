"""A progress bar for long builds: count, rate and ETA on one redrawn line of a terminal.

Quiet unless the stream is a terminal and the environment is not CI (``CI=true``), so logs
and pipes get only the stage summaries. Redraws at most ten times a second.
"""
from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def wanted(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return not ci and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.start = self.last = time.perf_counter()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and (now - self.last >= 0.1 or self.done >= self.total):
            self.last = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = (now or time.perf_counter()) - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        return (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,} "
                f"{rate:,.1f}/s ETA {_clock(left)}")

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds + 0.5), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
