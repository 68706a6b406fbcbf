"""Answers of `kg query` kept beside the dataset until the dataset changes.

A competency question on ten thousand articles returns up to a couple of hundred thousand
rows: the engine needs a second or more to produce them however fast it is. Analysts ask the
same questions again and again of a dataset that changes only when `kg build` or `kg add`
writes it, so `kg query` keeps each answer (the bytes it printed) in ``.NAME.answers/``
beside the dataset file, under the file's inode, size and modification time: any change to the file
makes every kept answer unreachable, and the next answer written removes them. Keys are the
query text and the output format; an answer larger than the ``answer_cache_mb`` setting is
not kept, and 0 turns the cache off. Errors are never kept, nor the answers of queries that
call a function whose value changes from one run to the next (NOW, RAND, UUID, STRUUID, BNODE). Reads and writes are atomic
(a temporary file and a rename), so concurrent `kg query` processes never see half an answer.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Callable

from . import config
from .cache import write_atomic_bytes


_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def folder(graph: Path) -> Path:
    return graph.with_name(f".{graph.name}.answers")


def _version(graph: Path) -> str:
    st = graph.stat()
    return hashlib.sha256(f"{graph.name}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:16]


def answer(graph: Path, text: str, fmt: str, compute: Callable[[], bytes], overrides: dict | None = None) -> bytes:
    """The kept answer to `text` in `fmt` for the dataset as it is now, else `compute()` (kept)."""
    limit = float(config.get("answer_cache_mb", overrides)) * 1024 * 1024
    if limit <= 0 or _VOLATILE.search(text):
        return compute()
    graph = Path(graph)
    version = _version(graph)
    entry = folder(graph) / version / (hashlib.sha256(f"{fmt}\0{text}".encode("utf-8")).hexdigest() + ".out")
    try:
        return entry.read_bytes()
    except OSError:
        pass
    data = compute()
    if len(data) <= limit:
        try:
            _forget_others(graph, version)
            write_atomic_bytes(entry, data)
        except OSError:
            pass  # a folder we may not write to: the answer is still given, just not kept
    return data


def _forget_others(graph: Path, version: str) -> None:
    """Remove the answers kept for earlier versions of the dataset."""
    if folder(graph).is_dir():
        for old in folder(graph).iterdir():
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)
