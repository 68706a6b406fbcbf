"""The curated table of Wikidata items: load, merge, save, and grow it from a reviewed file.

Takes JSON files shaped like ``kg/data/wikidata.json`` (``{"about": …, "items": [...]}``);
returns :class:`Item` records. The shipped table holds items verified against public data
files (origin ``curated``) and, as origin ``candidate``, items that only one public file ties to
a name: those are never linked on their own, only offered for review. A user's own table
(default ``kg/data/wikidata.local.json``) holds what a person accepted from a review file;
``<cache>/confirmed.json`` holds what an online run linked with confidence. It does not match
anything (:mod:`kg.link.match` does) nor read the network.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..config import DATA_DIR
from ..errors import InputError
from ..model import Key

SHIPPED_TABLE = DATA_DIR / "wikidata.json"
LOCAL_TABLE = DATA_DIR / "wikidata.local.json"
CONFIRMED_NAME = "confirmed.json"

ORIGINS = ("curated", "candidate", "accepted", "online")
KINDS = ("country", "province", "centrally-run city", "city", "political party", "organization",
         "position", "human", "event", "class")
QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class Item:
    """One Wikidata item the linker may use, with the names it goes by and why we trust it."""

    qid: str
    kind: str
    labels: tuple[tuple[str, str], ...] = ()  # (language, label)
    aliases: tuple[tuple[str, str], ...] = ()  # (language, alias)
    kind_note: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    successor: str = ""  # the unit it merged into, by name
    successor_qid: str = ""  # and by QID, only where the same verified file gives it
    former_names: tuple[str, ...] = ()  # names of the unit before a rename that kept the item
    renamed_on: dt.date | None = None  # the day those names ceased
    positions: tuple[str, ...] = ()  # for a human: the posts the public file ties to this person
    evidence: str = ""
    origin: str = "curated"  # curated | candidate (review only) | accepted | online
    keys: tuple[Key, ...] = ()  # when given, the item is a candidate for these entities only

    def label(self, lang: str = "vi") -> str:
        """The item's label in `lang`, else in any language, else its QID."""
        by_lang = dict(self.labels)
        return by_lang.get(lang) or next(iter(by_lang.values()), self.qid)


def load_table(path: Path, *, missing_ok: bool = False) -> tuple[Item, ...]:
    """The items of one table file; a missing file is an error unless `missing_ok`."""
    path = Path(path)
    if not path.exists():
        if missing_ok:
            return ()
        raise InputError(path, "no such Wikidata table")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_item(path, raw) for raw in data["items"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"not a Wikidata table ({exc})") from exc


def load_tables(paths: Iterable[Path]) -> tuple[Item, ...]:
    """The items of several tables merged by QID; files that do not exist are skipped."""
    return merge(item for path in paths for item in load_table(path, missing_ok=True))


def merge(items: Iterable[Item]) -> tuple[Item, ...]:
    """One item per QID (and per set of keys, for items kept for given entities only), in
    first-seen order; later items add their names to earlier ones. A QID given two kinds
    is an InputError."""
    merged: dict[tuple[str, tuple[Key, ...]], Item] = {}
    kinds: dict[str, Item] = {}
    for item in items:
        first = kinds.setdefault(item.qid, item)
        if first.kind != item.kind:
            raise InputError(item.qid, f"kind {item.kind!r} conflicts with {first.kind!r} given earlier")
        old = merged.get((item.qid, item.keys))
        merged[(item.qid, item.keys)] = item if old is None else _merge_two(old, item)
    return tuple(merged.values())


def _merge_two(old: Item, new: Item) -> Item:
    labels = dict(old.labels)
    for lang, text in new.labels:
        labels.setdefault(lang, text)
    label_pairs = tuple(sorted(labels.items()))
    names = dict.fromkeys(old.aliases + new.labels + new.aliases)
    origin = new.origin if old.origin == "candidate" else old.origin  # a later table may confirm it
    return replace(old, labels=label_pairs, aliases=tuple(n for n in names if n not in label_pairs), origin=origin)


def _item(path: Path, raw: dict[str, Any]) -> Item:
    qid = str(raw["qid"])
    kind = str(raw["kind"])
    if not QID.fullmatch(qid):
        raise InputError(path, f"{qid!r} is not a Wikidata item id (Q followed by digits)")
    if kind not in KINDS:
        raise InputError(path, f"{qid}: kind {kind!r} is not one of {', '.join(KINDS)}")
    origin = raw.get("origin", "curated")
    if origin not in ORIGINS:
        raise InputError(path, f"{qid}: origin {origin!r} is not one of {', '.join(ORIGINS)}")
    successor_qid = raw.get("successor_qid") or ""
    if successor_qid and not QID.fullmatch(successor_qid):
        raise InputError(path, f"{qid}: successor_qid {successor_qid!r} is not a Wikidata item id")
    return Item(
        qid=qid, kind=kind,
        labels=tuple((lang, text) for lang, text in sorted(raw.get("labels", {}).items())),
        aliases=tuple((lang, a) for lang, names in sorted(raw.get("aliases", {}).items()) for a in names),
        kind_note=raw.get("kind_note", ""), valid_from=_date(path, raw.get("valid_from")),
        valid_until=_date(path, raw.get("valid_until")), successor=raw.get("successor") or "",
        successor_qid=successor_qid, former_names=tuple(raw.get("former_names", ())),
        renamed_on=_date(path, raw.get("renamed_on")), positions=tuple(raw.get("positions", ())),
        evidence=raw.get("evidence", ""), origin=origin,
        keys=tuple(tuple(str(part) for part in key) for key in raw.get("keys", ())),
    )


def _date(path: Path, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(path, f"{value!r} is not a date (YYYY-MM-DD)") from exc


def item_json(item: Item) -> dict[str, Any]:
    """The JSON object of one item, as the table files hold it."""
    aliases: dict[str, list[str]] = {}
    for lang, alias in item.aliases:
        aliases.setdefault(lang, []).append(alias)
    out: dict[str, Any] = {"qid": item.qid, "labels": dict(item.labels), "aliases": aliases,
                           "kind": item.kind}
    extra = {"kind_note": item.kind_note, "successor": item.successor, "successor_qid": item.successor_qid,
             "former_names": list(item.former_names), "renamed_on": item.renamed_on and item.renamed_on.isoformat(),
             "positions": list(item.positions), "evidence": item.evidence,
             "valid_from": item.valid_from and item.valid_from.isoformat(),
             "valid_until": item.valid_until and item.valid_until.isoformat(), "origin": item.origin,
             "keys": [list(k) for k in item.keys]}
    out.update({k: v for k, v in extra.items() if v})
    return out


def save_table(path: Path, items: Sequence[Item], about: str) -> None:
    """Write a table file atomically (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"about": about, "items": [item_json(i) for i in items]},
                      ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


def add_items(path: Path, new: Sequence[Item], about: str) -> tuple[Item, ...]:
    """Add items to the table at `path` (created if missing); returns the table as saved."""
    items = merge(load_table(path, missing_ok=True) + tuple(new))
    save_table(path, items, about)
    return items
