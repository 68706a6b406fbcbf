"""The province of a page from its publisher's web host (``kg/data/publishers.json``).

Takes a URL or a bare host and, optionally, the page's date; returns the :class:`Publisher`
registered for that host — the outlet's name, the province it served on that date (as
``kg/data/provinces.json`` names it) or ``None`` for a national outlet — or ``None`` for a host
nobody registered. A page saved from a province's party paper says "Tỉnh ủy" without naming
the province; its host names it.

Hosts are compared after normalisation (lower case, IDNA, no port, no trailing dot, no leading
``www.``/``m.``/``amp.``), and a subdomain belongs to its most specific registered suffix
(``sonnptnt.laichau.gov.vn`` → ``laichau.gov.vn``). It does not guess from the page's text, and it
does not resolve a host nobody registered to a province by its spelling.

The table is read once and checked as it is read: a malformed entry is an
:class:`kg.errors.InputError` naming the file and the entry.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from ..config import DATA_DIR
from ..errors import InputError

TABLE = DATA_DIR / "publishers.json"
PROVINCES = DATA_DIR / "provinces.json"
KINDS = frozenset({"party-newspaper", "party-portal", "government-portal", "broadcaster", "national-outlet"})
_PREFIXES = ("www", "m", "amp")  # labels that only pick a mobile or canonical copy of the same site


@dataclass(frozen=True)
class Publisher:
    """Who published a page, as far as its host tells."""

    name: str  # "Báo Quảng Ninh"
    province: str | None  # as kg/data/provinces.json names it; None for a national outlet
    national: bool
    host: str  # the registered host that matched, e.g. "laichau.gov.vn" for sonnptnt.laichau.gov.vn


@dataclass(frozen=True)
class _Entry:
    publisher: Publisher
    valid_from: dt.date | None  # inclusive; None = since ever
    valid_until: dt.date | None  # exclusive; None = still

    def covers(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_until is None or on < self.valid_until)


def lookup(url_or_host: str, on: dt.date | None = None) -> Publisher | None:
    """The publisher of a URL's or host's most specific registered suffix, valid on `on`
    (None: the latest entry for that host); None for an unregistered host or a date no entry covers."""
    host = normalise_host(url_or_host)
    if host is None:
        return None
    entries = _find(_table(), host)
    if not entries:
        return None
    if on is None:
        return entries[-1].publisher
    if isinstance(on, dt.datetime):  # a datetime does not compare with the table's dates
        on = on.date()
    return next((e.publisher for e in entries if e.covers(on)), None)


def normalise_host(url_or_host: str) -> str | None:
    """The comparable form of a URL's host: "https://WWW.BaoQuangNinh.vn:443/x" → "baoquangninh.vn";
    None when there is no host to speak of."""
    text = url_or_host.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(labels):
        return None
    try:
        labels = [label.encode("idna").decode("ascii").lower() for label in labels]
    except UnicodeError:
        return None
    while len(labels) > 2 and labels[0] in _PREFIXES:
        labels = labels[1:]
    return ".".join(labels)


def _find(table: dict[str, tuple[_Entry, ...]], host: str) -> tuple[_Entry, ...]:
    labels = host.split(".")
    for i in range(len(labels) - 1):
        entries = table.get(".".join(labels[i:]))
        if entries:
            return entries
    return ()


@cache
def _table() -> dict[str, tuple[_Entry, ...]]:
    return load(TABLE)


def load(path: Path) -> dict[str, tuple[_Entry, ...]]:
    """Host → its entries in date order, from a publishers file; checks every entry."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(path, f"cannot be read as JSON ({e})") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("publishers"), list) or not doc.get("source"):
        raise InputError(path, 'expected an object with a "source" note and a "publishers" list')
    provinces = _province_names()
    table: dict[str, list[_Entry]] = {}
    for i, raw in enumerate(doc["publishers"]):
        where = f"publishers[{i}] ({raw.get('hosts') if isinstance(raw, dict) else raw!r})"
        for host, entry in _entries(raw, provinces, where, path):
            table.setdefault(host, []).append(entry)
    return {host: _ordered(host, entries, path) for host, entries in table.items()}


def _entries(raw: object, provinces: frozenset[str], where: str, path: Path) -> list[tuple[str, _Entry]]:
    problem = _problem(raw, provinces)
    if problem:
        raise InputError(path, f"{where}: {problem}")
    assert isinstance(raw, dict)
    start, end = _date(raw.get("valid_from")), _date(raw.get("valid_until"))
    return [(host, _Entry(Publisher(raw["name"], raw.get("province"), raw["national"], host), start, end))
            for host in raw["hosts"]]


def _problem(raw: object, provinces: frozenset[str]) -> str | None:
    """What is wrong with one entry of the table, or None."""
    if not isinstance(raw, dict):
        return "not an object"
    hosts = raw.get("hosts")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) and normalise_host(h) == h for h in hosts):
        return 'needs "hosts": a list of normalised host names (lower case, no scheme, no "www.")'
    if not isinstance(raw.get("name"), str) or not raw["name"].strip():
        return 'needs a "name"'
    if raw.get("kind") not in KINDS:
        return f'"kind" {raw.get("kind")!r} is not one of {sorted(KINDS)}'
    return _place_problem(raw, provinces) or _date_problem(raw) or _evidence_problem(raw)


def _place_problem(raw: dict, provinces: frozenset[str]) -> str | None:
    if not isinstance(raw.get("national"), bool):
        return '"national" must be true or false'
    if raw["national"]:
        return None if raw.get("province") is None else "a national outlet has no province"
    if raw.get("province") not in provinces:
        return f'"province" {raw.get("province")!r} is not a name in {PROVINCES.name}'
    return None


def _date_problem(raw: dict) -> str | None:
    try:
        start, end = _date(raw.get("valid_from")), _date(raw.get("valid_until"))
    except ValueError as e:
        return f"a validity date is not an ISO date ({e})"
    if start and end and not start < end:
        return f'"valid_from" {start} is not before "valid_until" {end}'
    return None


def _evidence_problem(raw: dict) -> str | None:
    evidence = raw.get("evidence")
    if not isinstance(evidence, list) or not all(isinstance(u, str) for u in evidence):
        return '"evidence" must be a list of URLs'
    if not isinstance(raw.get("confirmed"), bool):
        return '"confirmed" must be true or false'
    seen = {normalise_host(u) for u in evidence}
    covered = all(any(s == h or (s or "").endswith("." + h) for s in seen) for h in raw["hosts"])
    if raw["confirmed"] and not covered:
        return "confirmed, but an evidence URL is not on every host"
    if not raw["confirmed"] and evidence:
        return "has evidence but is not marked confirmed"
    return None


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r}")
    return dt.date.fromisoformat(value)


def _ordered(host: str, entries: list[_Entry], path: Path) -> tuple[_Entry, ...]:
    """Entries in date order; two entries of one host may not both cover a day."""
    entries.sort(key=lambda e: e.valid_from or dt.date.min)
    for a, b in zip(entries, entries[1:]):
        if a.valid_until is None or b.valid_from is None or b.valid_from < a.valid_until:
            raise InputError(path, f"host {host!r} has overlapping validity windows "
                                   f"({a.valid_from}–{a.valid_until} and {b.valid_from}–{b.valid_until})")
    return tuple(entries)


def _province_names() -> frozenset[str]:
    return frozenset(row["name"] for row in json.loads(PROVINCES.read_text(encoding="utf-8"))["provinces"])
