"""What the build keeps of its sources beside the dataset `NAME` (`kg.trig`):

- `NAME.texts/ID.txt`: the text read from each page or document (source `ID`), which evidence
  offsets count — a quote from a saved page can be checked against a file; a `.txt` source is
  its own text and is not copied;
- `NAME.sources.jsonl`: one line per source — its name, the SHA-256 of its bytes and its
  fingerprint (:mod:`kg.read.duplicates`) — so that `kg add` recognises an article the dataset
  already holds under another name.

Both are replaced together with the dataset: written to temporary names first, renamed into
place only once the dataset itself has been written.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Sequence

from ..export import write_atomic
from ..model import Extraction
from ..spool import Lazy
from . import TEXTS_SUFFIX, kept_text
from .duplicates import Fingerprint, Index, fingerprint

Log = Callable[[str], None]


def record_path(dataset: Path) -> Path:
    dataset = Path(dataset)
    return dataset.with_name(dataset.name + ".sources.jsonl")


class Brief(NamedTuple):
    """What finding the copies of an article, and the sources record, read of a source: its name,
    address, checksum, fingerprint (packed: 0.3 kB, not 1.5 kB as objects) and kind."""
    id: str
    url: str | None
    sha256: str
    fingerprint: tuple[str, bytes]
    kind: str = "text"


def brief(ex: Extraction) -> Brief:
    """`ex`'s :class:`Brief`, its fingerprint made from its text."""
    return Brief(ex.source.id, ex.source.meta.url, ex.source.sha256, _packed(fingerprint(ex.source.text)),
                 ex.source.kind)


def one_per_article(extractions: Sequence[Extraction], keys: Sequence[str], log: Log,
                    briefs: Sequence[Brief] | None = None
                    ) -> tuple[Sequence[Extraction], list[str], tuple[tuple[str, str], ...]]:
    """The extractions with every copy of an earlier article left out (and named on the source
    kept, as `copies`), their keys, and the (copy, kept) pairs; one `duplicate:` line each. The
    extractions are read here unless their `briefs` are given (:func:`brief`, in the same order;
    a build makes them as the extractions come), and again, one at a time, each time the result
    is read: then a source with no copies is given as it was read (its fingerprint stays in its
    brief, from which the build writes the sources record: :func:`keep_texts`)."""
    index, kept, pairs = Index(), [], []  # kept: [position in extractions, fingerprint, copies]
    where: dict[str, int] = {}
    for i, b in enumerate(map(brief, extractions) if briefs is None else briefs):
        fp = _unpacked(b.fingerprint)
        found = index.match(fp)
        if found is None:
            index.add(b.id, fp)
            where[b.id] = len(kept)
            kept.append([i, b.fingerprint, ()])  # held to the end of the build
            continue
        original, reason = found
        first = kept[where[str(original)]]
        first[2] = (*first[2], (b.id, b.url, b.sha256))
        pairs.append((b.id, str(original)))
        log(f"duplicate: {b.id} is the article of {original} ({reason}); read once")

    def item(j: int) -> Extraction:
        i, fp, copies = kept[j]
        ex = extractions[i]
        if briefs is not None and not copies:
            return ex
        return replace(ex, source=replace(ex.source, fingerprint=_unpacked(fp), copies=(*ex.source.copies, *copies)))
    return Lazy(len(kept), item), [keys[i] for i, _, _ in kept], tuple(pairs)


def _packed(fp: Fingerprint) -> tuple[str, bytes]:
    return fp.text, struct.pack(f">{len(fp.sketch)}Q", *fp.sketch)


def _unpacked(packed: tuple[str, bytes]) -> Fingerprint:
    text, sketch = packed
    return Fingerprint(text, struct.unpack(f">{len(sketch) // 8}Q", sketch))


def lines(extractions: Sequence[Extraction]) -> bytes:
    out = [_line(ex.source.id, ex.source.sha256, ex.source.fingerprint or fingerprint(ex.source.text),
                 [c[0] for c in ex.source.copies]) for ex in extractions]
    return ("\n".join(out) + "\n").encode("utf-8") if out else b""


def _line(name: str, sha256: str, fp: Fingerprint, copies: Sequence[str]) -> str:
    return json.dumps({"id": name, "sha256": sha256, "fp": fp.to_json(), "copies": list(copies)}, ensure_ascii=False)


def read_record(dataset: Path) -> list[tuple[str, str, Fingerprint]] | None:
    """(name, sha256, fingerprint) of every source of the dataset, or None without a record. A
    line cut short by a crash is ignored."""
    path = record_path(dataset)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return None
    out = []
    for line in raw.splitlines():
        try:
            row = json.loads(line)
            out.append((row["id"], row["sha256"], Fingerprint.from_json(row["fp"])))
        except (ValueError, KeyError, TypeError, IndexError):
            continue
    return out


def append_record(dataset: Path, extractions: Sequence[Extraction]) -> None:
    data = lines(extractions)
    if data:
        with open(record_path(dataset), "ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_texts(dataset: Path, extractions: Sequence[Extraction]) -> int:
    """The texts of the pages and documents among `extractions`, each written atomically into
    the dataset's texts folder (what `kg add` adds); returns how many."""
    n = 0
    for ex in extractions:
        if ex.source.kind != "text":
            _write(kept_text(dataset, ex.source.id), ex.source.text)
            n += 1
    return n


def _write(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def keep_texts(dataset: Path, extractions: Sequence[Extraction], briefs: Sequence[Brief] | None = None,
               pairs: Sequence[tuple[str, str]] = ()) -> Iterator[None]:
    """Write the texts folder and the sources record for `extractions` under temporary names;
    run the body (which writes the dataset); then put them in place of the old ones. Given their
    `briefs` (in the same order) and the (copy, kept) `pairs` of :func:`one_per_article`, the record
    is written from those, and only the pages and documents are read (for their texts)."""
    dataset = Path(dataset)
    dataset.parent.mkdir(parents=True, exist_ok=True)
    final = kept_text(dataset, "x").parent
    staging = Path(tempfile.mkdtemp(dir=dataset.parent, prefix=f".{final.name}.", suffix=".tmp"))
    record = record_path(dataset)
    fd, record_tmp = tempfile.mkstemp(dir=dataset.parent, prefix=f".{record.name}.", suffix=".tmp")
    pages = False
    try:
        with os.fdopen(fd, "wb") as f:
            if briefs is None:
                for ex in extractions:  # one pass: a build reads each extraction back from disk
                    f.write(lines([ex]))
                    if ex.source.kind != "text":
                        _write(staging / (ex.source.id + ".txt"), ex.source.text)
                        pages = True
            else:
                copies: dict[str, list[str]] = {}
                for copy, kept in pairs:
                    copies.setdefault(kept, []).append(copy)
                for j, b in enumerate(briefs):
                    f.write((_line(b.id, b.sha256, _unpacked(b.fingerprint), copies.get(b.id, ())) + "\n").encode())
                    if b.kind != "text":
                        _write(staging / (b.id + ".txt"), extractions[j].source.text)
                        pages = True
        yield
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.old.tmp")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(final, old)
        if pages:
            os.replace(staging, final)
        os.replace(record_tmp, record)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(record_tmp)


__all__ = ["one_per_article", "keep_texts", "write_texts", "read_record", "append_record", "record_path",
           "TEXTS_SUFFIX"]
