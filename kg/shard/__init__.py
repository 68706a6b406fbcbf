"""Extraction split into shards, so that many processes or machines share it: the shard folder's format.

`kg extract PATHS… -o DIR --shard I/N` (:mod:`kg.shard.make`) finds the sources as `kg build`
does — each named over the whole input list (:func:`kg.read.find_inputs`) — and extracts the
sources of shard I: those whose name gives ``int(sha256(name)[:8], 16) % N == I - 1``
(:func:`shard_of`). The rule depends on the name alone, so every shard run given the same PATHS
agrees on who does what, with no scheduler and no shared state; a batch engine (GNU parallel, a
Slurm array job) only starts the N runs (``docs/cluster.md``).

A shard folder holds:

- one **record** per source, ``DIR/ab/abcdef….json`` (the first 32 hex digits of the SHA-256 of
  its name): the source as read — name, original path, kind, SHA-256 of its bytes, metadata
  (its sidecar, and for a page or document what the file says of itself), the text — its
  extraction in the build cache's encoding (:func:`kg.cache.encode`), the cache key and the
  extractor's fingerprint. A build needs neither the sources nor their folder;
- one **manifest** per shard, ``DIR/shard-I-of-N.json``: the names it holds, the sources it could
  not read (name, path, problem), counts, the extractor's fingerprint and a digest of every name
  of the whole input list (so shards given other PATHS are told apart). It is written last: a
  shard without its manifest is a shard not done.

`kg build DIR` (:mod:`kg.shard.load`) takes the extractions from the records in place of reading
and extracting; the rest of the build is the same, and so are its bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Sequence

from ..cache import decode, encode, extractor_fingerprint
from ..model import Extraction, SourceMeta, SourceText

FORMAT = 1
MANIFEST = re.compile(r"shard-(\d+)-of-(\d+)\.json")


def shard_of(name: str, count: int) -> int:
    """The shard, 1 to `count`, that the source named `name` belongs to."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) % count + 1


def manifest_path(folder: Path, shard: int, count: int) -> Path:
    return Path(folder) / f"shard-{shard}-of-{count}.json"


def record_path(folder: Path, name: str) -> Path:
    """Where a shard folder keeps the record of the source named `name`."""
    h = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
    return Path(folder) / h[:2] / f"{h}.json"


def inputs_digest(names: Sequence[str]) -> str:
    """A digest of every source name of a `kg extract` run's input list, its shard's or not."""
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()


def to_record(ex: Extraction, key: str) -> dict:
    """One source's record: the source as read and its extraction."""
    s = ex.source
    data = encode(ex)
    data.pop("read", None)  # the cache keeps a page's text and metadata there; the source below says them
    return {"format": FORMAT, "name": s.id, "extractor": extractor_fingerprint(), "key": key,
            "source": {"path": s.path, "kind": s.kind, "sha256": s.sha256, "text": s.text,
                       "meta": {k: None if v is None else str(v) for k, v in vars(s.meta).items()}},
            "extraction": data}


def from_record(data: dict) -> tuple[Extraction, str]:
    """The extraction a record holds and its cache key (:func:`kg.cache.extraction_key`)."""
    s = data["source"]
    source = SourceText(data["name"], s["path"], s["text"], _meta(s["meta"]), s["sha256"], s["kind"])
    return decode(data["extraction"], source), data["key"]


def _meta(raw: dict) -> SourceMeta:
    known = {f.name for f in fields(SourceMeta)}
    meta = {k: v for k, v in raw.items() if k in known}
    if meta.get("published"):
        meta["published"] = dt.date.fromisoformat(meta["published"])
    return SourceMeta(**meta)


def dumps(data: dict, indent: int | None = None) -> bytes:
    compact = None if indent else (",", ":")
    return json.dumps(data, ensure_ascii=False, indent=indent, separators=compact).encode("utf-8")
