"""The extractor's long patterns, built and compiled once per machine rather than once per process.

The body and title patterns are built from the gazetteers (the bodies' 38 KB, the titles' 78 KB,
which holds the bodies' twice) behind a look-ahead read by the regex parser
(:func:`gazetteer.starting`), and CPython compiles a regular expression in Python: a process that
extracts one article (`kg add`) spent about 0.3 s on the two before reading a word. So each is
kept, under its name, in the user's cache folder (setting ``cache_dir``, ``patterns/``): the
pattern's text with the program CPython's own ``re.compile`` makes of it, keyed by the
extractor's fingerprint (its code and gazetteers, :func:`kg.cache.extractor_fingerprint`) and the
Python build, with a checksum. A later process hands the program to the regex engine's
constructor, which checks it. The program is kept only once it is shown to be the very one
``re.compile`` makes (compiled patterns compare equal when their flags, text and programs do);
any miss, mismatch or error builds and compiles the pattern as before.
"""
from __future__ import annotations

import hashlib
import marshal
import re
import sys
from pathlib import Path
from typing import Callable

try:  # CPython's regex engine and the parser and code generator `re.compile` uses
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python: compiled each time
    _sre = None

__all__ = ["remembered"]

_DIGEST = 32


def remembered(name: str, build: Callable[[], str], folder: Path | None = None) -> re.Pattern:
    """The pattern `build()` makes, compiled: from the cache when the same extractor and Python
    have compiled it before, else built, compiled and kept there."""
    path = _path(name, folder)
    if path is not None:
        found = _load(path)
        if found is not None:
            return found
    pattern = build()
    compiled = re.compile(pattern)
    if path is not None:
        program = _program(pattern)
        if program is not None and _sre.compile(pattern, *program) == compiled:
            _save(path, pattern, program)
    return compiled


def _path(name: str, folder: Path | None) -> Path | None:
    if _sre is None:
        return None
    from ..cache import extractor_fingerprint
    if folder is None:
        from .. import config
        folder = config.cache_dir() / "patterns"
    key = hashlib.blake2b("\0".join((extractor_fingerprint(), sys.version, str(_sre.MAGIC), str(sys.maxunicode)))
                          .encode(), digest_size=12).hexdigest()
    return folder / f"{name}-{key}.re"


def _program(pattern: str) -> tuple | None:
    """What ``re.compile`` hands the engine for `pattern` (``re._compiler.compile``'s steps), or
    None where this Python's compiler is not laid out so."""
    try:
        p = _parser.parse(pattern, 0)
        code = _compiler._code(p, 0)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        # plain ints: the code generator writes opcodes as named int constants
        return (int(p.state.flags), [int(c) for c in code], p.state.groups - 1, groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 — any change in the compiler's insides: compile as before
        return None


def _load(path: Path) -> re.Pattern | None:
    try:
        data = path.read_bytes()
        body = data[_DIGEST:]
        if hashlib.blake2b(body, digest_size=_DIGEST).digest() != data[:_DIGEST]:
            return None
        pattern, program = marshal.loads(body)
        return _sre.compile(pattern, *program)
    except Exception:  # noqa: BLE001 — unreadable, torn or refused by the engine: a miss
        return None


def _save(path: Path, pattern: str, program: tuple) -> None:
    from ..cache import write_atomic_bytes
    body = marshal.dumps((pattern, program))
    try:
        write_atomic_bytes(path, hashlib.blake2b(body, digest_size=_DIGEST).digest() + body)
        for stale in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.re"):  # of another extractor or Python
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full cache: compiled again next time
        pass
