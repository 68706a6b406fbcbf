"""The fetch record: what `kg fetch` did with every URL, kept in the output folder.

``DIR/.fetch-record.jsonl`` holds one JSON object per line, an :class:`Entry`: the URL as asked
(normal form, the key), whether it was a page or a feed, its status — ``saved`` (a page on disk),
``read`` (a feed), ``skipped`` (a lasting reason: robots.txt, a 404, not a page, over the limit),
``failed`` (a passing one: a 5xx, a timeout, a long Retry-After; a rerun tries again) — the final
URL, the file, the validators (ETag, Last-Modified), when, the error, the feed that listed it and
what that feed said of it, and for a feed its items (so that a feed answering 304 still
lists what is left to fetch).

Each outcome is appended as one line as soon as it is known and flushed to disk, so a run that
is interrupted loses at most the URL it was on; a later line for a URL replaces earlier ones,
and a torn last line is ignored. At the end of a run the record is rewritten through a
temporary file and a rename, one line per URL in URL order. :func:`write_atomic` is the one
writer of pages and sidecars too. The folder is held (:func:`kg.atomic.claimed`) by one run at
a time by the caller.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

from ..export import write_atomic
from .feeds import Item

NAME = ".fetch-record.jsonl"
STATUSES = ("saved", "read", "skipped", "failed")


@dataclass(frozen=True)
class Entry:
    url: str
    kind: str = "page"  # "page" or "feed"
    status: str = "failed"  # one of STATUSES
    final_url: str | None = None
    file: str | None = None  # relative to the output folder, with "/"
    media_type: str | None = None
    bytes: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None  # UTC, ISO 8601, to the second
    error: str | None = None
    via: str | None = None  # the feed that listed it
    hints: tuple[tuple[str, str], ...] = ()  # what that feed said: title, published, author, publisher, language
    items: tuple[Item, ...] = field(default=(), repr=False)  # a feed's items

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v not in (None, (), [])}
        if self.hints:
            data["hints"] = dict(self.hints)
        if self.items:
            data["items"] = [{k: v for k, v in asdict(i).items() if v is not None} for i in self.items]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k not in ("hints", "items")}
        hints = tuple((str(k), str(v)) for k, v in (data.get("hints") or {}).items())
        items = tuple(Item(**{k: i.get(k) for k in ("url", "title", "published", "author")})
                      for i in data.get("items") or () if isinstance(i, dict) and isinstance(i.get("url"), str))
        return cls(**values, hints=hints, items=items)


class Record:
    """The entries of one output folder, read at start and added to as the run goes."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / NAME
        self.entries, self.damaged = load(self.path)

    def get(self, url: str) -> Entry | None:
        return self.entries.get(url)

    def put(self, entry: Entry) -> None:
        self.entries[entry.url] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(_line(entry))
            out.flush()
            os.fsync(out.fileno())

    def compact(self) -> None:
        """Rewrite the record with one line per URL, in URL order."""
        if self.entries or self.path.exists():
            write_atomic(self.path, "".join(_line(self.entries[u]) for u in sorted(self.entries)).encode("utf-8"))


def load(path: Path) -> tuple[dict[str, Entry], int]:
    """The entries of a record file (the last line of each URL), and how many lines could not be read."""
    entries: dict[str, Entry] = {}
    damaged = 0
    if not path.exists():
        return entries, 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            data = json.loads(line)
            entry = Entry.from_json(data)
        except (ValueError, TypeError, AttributeError):
            damaged += bool(line.strip())  # most likely the line a killed run was writing
            continue
        entries[entry.url] = entry
    return entries, damaged


def _line(entry: Entry) -> str:
    return json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=True) + "\n"


def leftovers(folder: Path) -> Iterable[Path]:
    """Temporary files a killed run left in the output folder and its host folders."""
    yield from Path(folder).glob(".*.tmp")
    yield from Path(folder).glob("*/.*.tmp")
