"""Answers of `kg query` kept beside the dataset until the dataset changes.

A competency question on ten thousand articles returns up to a couple of hundred thousand
rows: the engine needs a second or more to produce them however fast it is. Analysts ask the
same questions again and again of a dataset that changes only when `kg build` or `kg add`
writes it, so `kg query` keeps each answer (the bytes it printed) in ``.NAME.answers/``
beside the dataset file, under the file's inode, size and modification time: any change to the file
makes every kept answer unreachable, and the next answer written removes them. Keys are the
query text and the output format; an answer larger than the ``answer_cache_mb`` setting is
not kept, and 0 turns the cache off. The folder holds at most ``answer_cache_total_mb``: to
make room for a new answer the least recently used ones are removed first (under a lock on
the folder, so concurrent writers never pass the cap together). Errors are never kept, nor the answers of queries that
call a function whose value changes from one run to the next (NOW, RAND, UUID, STRUUID, BNODE). Reads and writes are atomic
(a temporary file and a rename), so concurrent `kg query` processes never see half an answer.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Iterator, Optional

from . import config
from .cache import write_atomic_bytes


_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def folder(graph: Path) -> Path:
    return graph.with_name(f".{graph.name}.answers")


def _version(graph: Path) -> str:
    st = graph.stat()
    return hashlib.sha256(f"{graph.name}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:16]


def answer(graph: Path, text: str, fmt: str, compute: Callable[[], bytes], overrides: dict | None = None,
           version: Optional[str] = None) -> bytes:
    """The kept answer to `text` in `fmt` for the dataset as it is now, else `compute()` (kept).
    `version` names the dataset's version instead of the file's stamp (the server keys
    answers by the load it serves, which a file replaced or removed since does not change)."""
    limit = float(config.get("answer_cache_mb", overrides)) * 1024 * 1024
    total = float(config.get("answer_cache_total_mb", overrides)) * 1024 * 1024
    if limit <= 0 or total <= 0 or _VOLATILE.search(text):
        return compute()
    graph = Path(graph)
    try:
        version = version or _version(graph)
    except OSError:  # the file is gone: nothing to key the answer by
        return compute()
    entry = folder(graph) / version / (hashlib.sha256(f"{fmt}\0{text}".encode("utf-8")).hexdigest() + ".out")
    try:
        data = entry.read_bytes()
    except OSError:
        data = None
    if data is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: removed last
        return data
    data = compute()
    if len(data) <= min(limit, total):
        try:
            _keep(graph, version, entry, data, int(total))
        except OSError:
            pass  # a folder we may not write to: the answer is still given, just not kept
    return data


def _keep(graph: Path, version: str, entry: Path, data: bytes, total: int) -> None:
    """Write `entry` once the folder has room for it under `total` bytes."""
    root = folder(graph)
    root.mkdir(exist_ok=True)
    with _locked(root):
        _forget_others(graph, version)
        _make_room(root, len(data), total)
        write_atomic_bytes(entry, data)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock on the answers folder (an flock on the folder itself)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _make_room(root: Path, needed: int, total: int) -> None:
    """Remove the least recently used answers until `needed` more bytes fit under `total`."""
    files = sorted(_kept_files(root))
    used = sum(size for _, size, _ in files)
    for _, size, path in files:
        if used + needed <= total:
            return
        path.unlink(missing_ok=True)
        used -= size


def _kept_files(root: Path) -> Iterator[tuple[int, int, Path]]:
    """(last use, size, path) of every file under the versions of `root`."""
    for version in root.iterdir():
        with contextlib.suppress(OSError):
            for entry in os.scandir(version):
                if entry.is_file():
                    st = entry.stat()
                    yield st.st_mtime_ns, st.st_size, Path(entry.path)


def _forget_others(graph: Path, version: str) -> None:
    """Remove the answers kept for earlier versions of the dataset."""
    if folder(graph).is_dir():
        for old in folder(graph).iterdir():
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)
