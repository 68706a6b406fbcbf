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

`kg build` makes them all (:func:`tenures`); `kg add` makes again only those its new mentions change
(:func:`changed`), from the tenures the people record keeps.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from ..model import Key, Lit, tenure_key
from .mentions import Mention, Resolution
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
            _attest(found, sources, person.key, m)
    for k, t in found.items():
        t.sources = tuple(sorted(sources[k]))
    _successions(found.values())
    return sorted(found.values(), key=lambda t: t.key)


def _attest(found: dict[Key, Tenure], sources: dict[Key, set[str]], person: Key, m: Mention) -> None:
    """What mention `m` of `person` says of each post it gives them, added to their tenures in `found`."""
    date = dt.date.fromisoformat(m.date) if m.date else None
    for p in m.posts:
        k = tenure_key(person, p.key)
        t = found.get(k) or found.setdefault(k, Tenure(k, person, p.key, p.role))
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


def changed(fresh: Iterable[tuple[Key, Mention]], stored: Callable[[set[Key]], dict[Key, Tenure]],
            of_posts: Callable[[set[Key]], list[Tenure]]) -> tuple[list[Tenure], list[Tenure]]:
    """`kg add`: the tenures new mentions change, before and after — every tenure whose rows
    (:func:`triples`) differ, whole. `fresh` are the new mentions, each with its person's key;
    `stored(keys)` gives the dataset's tenures of these keys, `of_posts(posts)` every tenure of
    these posts (the record's). Tenures only gain from a mention (earlier starts, later ends,
    more sources), so the stored tenure and the new mentions make the tenure a full build
    makes; a single-holder post's successions are made again over all its tenures."""
    fresh = list(fresh)
    keys = {tenure_key(person, p.key) for person, m in fresh for p in m.posts}
    before = stored(keys)
    found = {k: replace(t) for k, t in before.items()}
    sources: dict[Key, set[str]] = defaultdict(set)
    for k, t in found.items():
        sources[k].update(t.sources)
    for person, m in fresh:
        _attest(found, sources, person, m)
    for k, t in found.items():
        t.sources = tuple(sorted(sources[k]))
    single = {t.post for t in found.values() if single_holder(t.role)}
    if single:
        for t in of_posts(single):
            if t.key not in found:
                before[t.key] = t
                found[t.key] = replace(t)
        post_tenures = [t for t in found.values() if t.post in single]
        for t in post_tenures:
            t.succeeds = None
        _successions(post_tenures)
    moved = sorted(k for k, t in found.items() if k not in before or t != before[k])  # rows follow the fields
    return [before[k] for k in moved if k in before], [found[k] for k in moved]


def _successions(all_tenures: Iterable[Tenure]) -> None:
    by_post: dict[Key, list[Tenure]] = defaultdict(list)
    for t in all_tenures:
        if single_holder(t.role):
            by_post[t.post].append(t)
    for ts in by_post.values():
        ts = sorted((t for t in ts if t.order()[1] < 3), key=lambda t: (t.order(), t.key))
        for before, after in zip(ts, ts[1:]):
            after.succeeds = before.key


def attested_in(tenure: Key, source: str) -> tuple[Key, str, Key]:
    """The row saying a source speaks of a tenure."""
    return (tenure, "attestedIn", ("Source", source))


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
        rows += [attested_in(t.key, s) for s in t.sources]
        if t.succeeds is not None:
            rows.append((t.key, "succeeds", t.succeeds))
    return rows
