"""Tenures: one person holding one post over a span of time, from what all sources tell.

Takes a :class:`~kg.resolve.people.Resolution` (each person with the mentions that are them,
each mention with its source's date and the posts it gives); returns one :class:`Tenure` per
(person, post) that some source says is held (``holds``) or was held (``formerlyHeld``), with

- the start and end a text *states* (the earliest stated start, the latest stated end; the
  facts themselves, with their evidence, stay in that source's graph),
- the first and last publication dates of sources that show the post held then
  (``firstAttested`` / ``lastAttested``), the earliest date of a source that calls it former
  (``endedBefore``), and every source that speaks of it (``attestedIn``),
- for a single-holder post (:func:`kg.resolve.posts.single_holder`), the tenure it follows
  (``succeeds``): tenures of one post ordered by their start (stated, else first attested, else
  just before the date a source calls them former).

The same function serves `kg build` and `kg add` (which keeps the mentions in the people record).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..model import Key, Lit, tenure_key
from .mentions import Resolution
from .posts import single_holder


@dataclass
class Tenure:
    key: Key
    person: Key
    post: Key
    role: str
    start: Lit | None = None
    end: Lit | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    ended_before: dt.date | None = None
    sources: tuple[str, ...] = ()
    succeeds: Key | None = None

    def order(self) -> tuple:
        """Where the tenure starts, as far as anything tells: stated, attested, or before it was called former."""
        if self.start is not None:
            return (span(self.start)[0], 0)
        if self.first is not None:
            return (self.first, 1)
        if self.ended_before is not None:
            return (self.ended_before - dt.timedelta(days=1), 2)
        return (dt.date.max, 3)


def span(lit: Lit) -> tuple[dt.date, dt.date]:
    """The first and last day a stated date covers ("2020" → the year)."""
    v = lit.value
    if lit.datatype == "gYear":
        return dt.date(int(v), 1, 1), dt.date(int(v), 12, 31)
    if lit.datatype == "gYearMonth":
        y, m = map(int, v.split("-"))
        return dt.date(y, m, 1), dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    d = dt.date.fromisoformat(v)
    return d, d


def tenures(res: Resolution) -> list[Tenure]:
    found: dict[Key, Tenure] = {}
    sources: dict[Key, set[str]] = defaultdict(set)
    for person in res.people:
        for m in person.mentions:
            date = dt.date.fromisoformat(m.date) if m.date else None
            for p in m.posts:
                k = tenure_key(person.key, p.key)
                t = found.get(k) or found.setdefault(k, Tenure(k, person.key, p.key, p.role))
                sources[k].add(m.source)
                if p.start is not None and (t.start is None or span(p.start)[0] < span(t.start)[0]):
                    t.start = p.start
                if p.end is not None and (t.end is None or span(p.end)[1] > span(t.end)[1]):
                    t.end = p.end
                if date is None:
                    continue
                if not p.former:
                    t.first, t.last = min(t.first or date, date), max(t.last or date, date)
                else:
                    t.ended_before = min(t.ended_before or date, date)
    for k, t in found.items():
        t.sources = tuple(sorted(sources[k]))
    _successions(found.values())
    return sorted(found.values(), key=lambda t: t.key)


def _successions(all_tenures: Iterable[Tenure]) -> None:
    by_post: dict[Key, list[Tenure]] = defaultdict(list)
    for t in all_tenures:
        if single_holder(t.role):
            by_post[t.post].append(t)
    for ts in by_post.values():
        ts = sorted((t for t in ts if t.order()[1] < 3), key=lambda t: (t.order(), t.key))
        for before, after in zip(ts, ts[1:]):
            after.succeeds = before.key


def triples(ts: Sequence[Tenure]) -> list[tuple[Key, str, object]]:
    """Rows of the tenures graph: (subject key, vnkg property or "a", object key or Lit)."""
    rows: list[tuple[Key, str, object]] = []
    for t in ts:
        rows += [(t.key, "a", ("Class", "Tenure")), (t.key, "holder", t.person), (t.key, "post", t.post)]
        if t.start is not None:
            rows.append((t.key, "startDate", t.start))
        if t.end is not None:
            rows.append((t.key, "endDate", t.end))
        for name, value in (("firstAttested", t.first), ("lastAttested", t.last), ("endedBefore", t.ended_before)):
            if value is not None:
                rows.append((t.key, name, Lit(value.isoformat(), "date")))
        rows += [(t.key, "attestedIn", ("Source", s)) for s in t.sources]
        if t.succeeds is not None:
            rows.append((t.key, "succeeds", t.succeeds))
    return rows
