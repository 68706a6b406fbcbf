"""One writer at a time for an output file, and no leftovers from a writer that was killed.

Every output of `kg build` and `kg export` is written to a temporary file beside it
(``.NAME.XXXXXXXX.tmp``) and renamed over it (:func:`kg.graph.trig.write`,
:func:`kg.export.write_atomic`): a writer killed at any moment leaves the previous file whole.
What SIGKILL can leave is the temporary file. :func:`claimed` takes an exclusive lock on the
output's folder for the length of a command (a second `kg build` into the same folder waits)
and, holding it, removes such leftovers: no other writer can be using them. It does not
write the output itself.
"""
from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
from pathlib import Path
from typing import Iterator


def stale(path: Path) -> list[Path]:
    """Temporary files (and the texts folder staged beside a dataset, :mod:`kg.read.kept`) a
    writer of `path` leaves while it writes (or if it was killed)."""
    path = Path(path)
    return sorted(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))


@contextlib.contextmanager
def claimed(path: Path) -> Iterator[list[Path]]:
    """Hold the lock of `path`'s folder; clear the leftovers of killed writers first.
    Yields the leftovers removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        removed = stale(path)
        for leftover in removed:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)  # a texts folder being staged (kg.read.kept)
            else:
                leftover.unlink(missing_ok=True)
        yield removed
    finally:
        os.close(fd)  # closing the folder releases the lock
