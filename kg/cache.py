"""Extractions and source graphs cached on disk, keyed by what they depend on, so a rebuild extracts only what changed.

An extraction depends on the source's bytes (its SHA-256), its name, its sidecar and the
extractor (the code of :mod:`kg.extract`, :mod:`kg.text` and :mod:`kg.read`, and the
gazetteers in ``kg/data``): :func:`extraction_key` hashes all of them, so editing a rule or a gazetteer
invalidates every entry and nothing stale is ever read. Entries are :mod:`marshal` files
(``extract/ab/abcdef….marshal``: lists and strings, as the facts of a source graph are kept; JSON
took twice the time to write and to read) written atomically; a corrupt or unreadable entry counts
as a miss. The text of a `.txt` source is not stored: it is read anew each build; the text read from
a page or document is stored with its extraction, so a hit does not run its reader again. A source graph
(:class:`GraphCache`) is kept as the TriG block written for it and its facts, keyed by the
extraction's key, the labels chosen for its entities and the base IRIs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import marshal
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import config
from .model import Entity, Evidence, Extraction, Fact, Lit, SourceMeta, SourceText

FORMAT = 2  # 1: JSON entries


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of everything extraction reads besides the source: code and gazetteers."""
    pkg = config.PACKAGE_DIR
    files = sorted([*pkg.glob("extract/*.py"), *pkg.glob("read/*.py"), pkg / "text.py", pkg / "model.py",
                    *(p for p in config.DATA_DIR.iterdir() if p.is_file())])
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def extraction_key(source: SourceText) -> str:
    meta = json.dumps({k: str(v) if v is not None else None for k, v in vars(source.meta).items()}, sort_keys=True)
    parts = (extractor_fingerprint(), source.id, source.sha256, meta)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class ExtractionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / "extract" / key[:2] / f"{key}.marshal"

    def has(self, key: str) -> bool:
        return self._path(key).exists()

    def get(self, source: SourceText, key: str) -> Extraction | None:
        try:
            return decode(marshal.loads(self._path(key).read_bytes()), source)
        except (OSError, ValueError, EOFError, KeyError, TypeError, IndexError):
            return None

    def put(self, key: str, ex: Extraction) -> None:
        write_atomic_bytes(self._path(key), marshal.dumps(encode(ex)))


def write_atomic_text(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))


def encode(ex: Extraction) -> dict:
    sentences: dict[str, int] = {}

    def ev(e: Evidence | None):
        if e is None:
            return None
        return [e.start, e.end, sentences.setdefault(e.sentence, len(sentences)), e.rule]

    def obj(o):
        return {"lit": [o.value, o.datatype, o.lang]} if isinstance(o, Lit) else list(o)

    entities = [[list(e.key), e.cls, e.label, list(e.types), list(e.alt_labels), ev(e.evidence)] for e in ex.entities]
    facts = [[list(f.subject), f.predicate, obj(f.object), ev(f.evidence)] for f in ex.facts]
    data = {"format": FORMAT, "entities": entities, "facts": facts, "warnings": list(ex.warnings),
            "sentences": list(sentences)}
    if ex.source.kind != "text":  # what was read from a page or document, so that a hit need not read it again
        data["read"] = {"kind": ex.source.kind, "text": ex.source.text,
                        "meta": {k: None if v is None else str(v) for k, v in vars(ex.source.meta).items()}}
    return data


def decode(data: dict, source: SourceText) -> Extraction:
    if data["format"] != FORMAT:
        raise ValueError("old cache format")
    sentences = data["sentences"]
    if "read" in data:
        got = data["read"]
        meta = {k: v for k, v in got["meta"].items() if k in SourceMeta.__dataclass_fields__}
        if meta.get("published"):
            meta["published"] = dt.date.fromisoformat(meta["published"])
        source = replace(source, text=got["text"], kind=got["kind"], meta=SourceMeta(**meta))

    def ev(e):
        return None if e is None else Evidence(source.id, e[0], e[1], sentences[e[2]], e[3])

    def obj(o):
        return Lit(*o["lit"]) if isinstance(o, dict) else tuple(o)

    entities = tuple(Entity(tuple(k), c, label, tuple(t), tuple(a), ev(e)) for k, c, label, t, a, e in data["entities"])
    facts = tuple(Fact(tuple(s), p, obj(o), ev(e)) for s, p, o, e in data["facts"])
    return Extraction(source, entities, facts, tuple(data["warnings"]))


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """A hash of the code that turns an extraction into a source graph and writes it."""
    pkg = config.PACKAGE_DIR
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for name in ("graph/__init__.py", "ids.py", "vocab.py", "graph/trig.py", "text.py", "reason/closure.py"):
        h.update(name.encode() + b"\0" + (pkg / name).read_bytes())
    return h.hexdigest()


def graph_key(extraction: str, labels: dict, overrides: dict | None = None) -> str:
    """A source graph depends on its extraction, the labels chosen for its entities, the bases."""
    items = sorted(("\x1f".join(k), v) for k, v in labels.items())
    parts = (graph_fingerprint(), extraction, config.get("base_iri", overrides), config.get("graph_base", overrides),
             json.dumps(items, ensure_ascii=False))
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


class GraphCache:
    """Source graphs as written (a TriG block) with their facts for the reasoner (term keys)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def paths(self, key: str) -> tuple[Path, Path]:
        d = self.folder / "graph" / key[:2]
        return d / f"{key}.trig", d / f"{key}.facts"

    def has(self, key: str) -> bool:
        return all(p.exists() for p in self.paths(key))

    def get(self, key: str) -> tuple[Path, list, int] | None:
        block, facts = self.paths(key)
        try:
            count, triples = marshal.loads(facts.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return (block, triples, count) if block.exists() else None

    def put(self, key: str, block: bytes, facts: list, count: int) -> Path:
        path, facts_path = self.paths(key)
        write_atomic_bytes(path, block)
        write_atomic_bytes(facts_path, marshal.dumps((count, facts)))
        return path


def cache_folder(output: Path, overrides: dict | None = None) -> Path | None:
    """Where the build cache of the dataset file `output` is (setting ``build_cache``: "off",
    a folder, or empty for ``.vnkg-cache`` beside the file)."""
    setting = str(config.get("build_cache", overrides))
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else Path(output).parent / ".vnkg-cache"


_WRITES = itertools.count()


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """`data` into `path` through a temporary file beside it (``.NAME.PID-N``, made anew: never
    one another writer holds) renamed into place; the folders made when missing. A cold build
    writes two or three files a source, so the temporary name is this process's own rather than
    drawn at random, and the folder is made only when it is found missing (both about a fifth of
    the cost of a write)."""
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_WRITES)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            break
        except FileExistsError:  # another machine's process of that number, on a shared cache
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        left = memoryview(data)
        try:
            while left:
                left = left[os.write(fd, left):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sweep(folder: Path, older_than: float = 3600.0) -> int:
    """Remove the temporary files (``.NAME.XXXXXXXX``) that writers killed mid-write left in
    the cache, once older than `older_than` seconds (a live writer's file is seconds old);
    return how many were removed."""
    import time
    limit, removed = time.time() - older_than, 0
    for tmp in Path(folder).glob("*/*/.*"):
        try:
            if tmp.is_file() and tmp.stat().st_mtime < limit:
                tmp.unlink()
                removed += 1
        except OSError:
            continue  # removed by another build meanwhile
    return removed
