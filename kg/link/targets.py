"""Gather the entities to link from the extractions: one :class:`Target` per key.

Takes the extractions of every source; returns one target per linkable entity (people,
bodies, places, roles and posts), with every label it goes by, the dates of the sources
that name it and how many they are, its IRI, the posts a person holds, the places an entity
lies in (for a person: the provinces of the bodies its posts are in), and — for a province —
every spelling the gazetteer knows for it and, if it ceased in the 2025 mergers, its
successor's name (``kg/data/provinces.json``). It does not match anything.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Sequence

from .. import config
from ..extract import gazetteer as gz
from ..ids import mint
from ..model import Extraction, Key
from ..text import fold
from .match import Target, local_kind, may_link

PLACE_LINKS = ("locatedIn", "jurisdiction")
_UNIT = re.compile(r"^(?P<unit>tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)


class Gather:
    """What linking needs of the extractions, gathered one extraction at a time (:meth:`add`)
    and made into targets at the end (:meth:`targets`). Of the facts it keeps only the links
    between entities that place a person or a body (no evidence), and of each entity its class
    and first label (not the sentence it was read in), so it holds the entity index, not the corpus."""

    KEPT = ("holds", "postIn", "partOf", *PLACE_LINKS)

    def __init__(self) -> None:
        # per key, in the least memory the common case needs (at 100,000 articles half a million keys,
        # most named by one source): its class and first label; its labels and types as tuples (types
        # only if any); the number of sources naming it; the day, or the set of days, of those sources
        self.first: dict[Key, tuple[str, str]] = {}
        self.labels: dict[Key, tuple[str, ...]] = {}
        self.types: dict[Key, tuple[str, ...]] = {}
        self.dates: dict[Key, dt.date | set[dt.date]] = {}
        self.sources: dict[Key, int] = {}
        self.links: dict[tuple[Key, str, Key], None] = {}

    def add(self, extraction: Extraction) -> None:
        """Gather one source's extraction (each source once: `sources` counts them); of its
        entities only those that may be linked (:func:`kg.link.match.may_link`: not its goals,
        meetings and documents, most of a build's keys, each goal's label a clause)."""
        when = extraction.source.meta.published
        first, labels, types, dates, sources = self.first, self.labels, self.types, self.dates, self.sources
        entities = [e for e in extraction.entities if may_link(e.cls, e.types)]
        for key in dict.fromkeys(e.key for e in entities):
            sources[key] = sources.get(key, 0) + 1
            if when:
                day = dates.get(key)
                if day is None:
                    dates[key] = when
                elif isinstance(day, set):
                    day.add(when)
                elif day != when:
                    dates[key] = {day, when}
        for entity in entities:
            key = entity.key
            if key not in first:  # its class and label, not the sentence it was read in
                first[key] = (entity.cls, entity.label)
            names = (entity.label, *entity.alt_labels)
            had = labels.get(key)
            if had is None:
                labels[key] = tuple(dict.fromkeys(names))
            elif not all(n in had for n in names):
                labels[key] = tuple(dict.fromkeys(had + names))
            if entity.types:
                had = types.get(key, ())
                if not all(t in had for t in entity.types):
                    types[key] = tuple(dict.fromkeys(had + entity.types))
        for fact in extraction.facts:
            if fact.predicate in self.KEPT and isinstance(fact.object, tuple):
                self.links[(fact.subject, fact.predicate, fact.object)] = None

    def days(self, key: Key) -> tuple[dt.date, ...]:
        day = self.dates.get(key)
        return () if day is None else tuple(sorted(day)) if isinstance(day, set) else (day,)

    def objects(self, predicates: Sequence[str]) -> dict[Key, dict[Key, None]]:
        """The keys each subject points to through `predicates`."""
        out: dict[Key, dict[Key, None]] = defaultdict(dict)
        for s, p, o in self.links:
            if p in predicates and o in self.first:
                out[s][o] = None
        return out

    def label_of(self, keys: Iterable[Key]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.first[k][1] for k in keys))

    def targets(self, base: str | None = None) -> tuple[Target, ...]:
        """One target per linkable entity key, in order of first appearance."""
        base = base or config.get("base_iri")
        holds, places = self.objects(("holds",)), self.objects(PLACE_LINKS)
        provinces = person_places(holds, self.objects(("postIn",)), self.objects(("partOf",)), places)
        out = []
        for key, (cls, label) in self.first.items():
            labels = self.labels[key]
            target = Target(key=key, cls=cls, label=label, types=self.types.get(key, ()),
                            alt_labels=labels[1:] if labels[0] == label else labels,
                            dates=self.days(key), posts=self.label_of(holds.get(key, ())),
                            places=self.label_of(provinces.get(key) or places.get(key, ())),
                            mentions=self.sources[key], iri=_iri(key, base))
            if local_kind(target) is not None:
                out.append(with_unit_names(target))
        return tuple(out)


def targets_from_extractions(extractions: Sequence[Extraction], base: str | None = None) -> tuple[Target, ...]:
    """One target per linkable entity key, in order of first appearance."""
    g = Gather()
    for extraction in extractions:
        g.add(extraction)
    return g.targets(base)


def person_places(holds: dict, post_in: dict, part_of: dict, places: dict) -> dict:
    """Person → the places its posts' bodies (or the bodies they are part of) have jurisdiction over."""
    out: dict = {}
    for person, posts in holds.items():
        bodies = [b for post in posts for b in post_in.get(post, ())]
        seen: dict = {}
        while bodies:
            body = bodies.pop()
            if body not in seen:
                seen[body] = None
                bodies.extend(part_of.get(body, ()))
        found = dict.fromkeys(p for b in seen for p in places.get(b, ()))
        if found:
            out[person] = tuple(found)
    return out


def _iri(key: Key, base: str) -> str:
    try:
        return mint(key, base)
    except ValueError:  # a kind of key the minter does not know: no IRI to match on
        return ""


def with_unit_names(target: Target) -> Target:
    """A province target with every spelling the gazetteer knows for it, and its successor's
    name when it ceased in a merger; other targets as they are."""
    if local_kind(target) not in ("province", "place"):
        return target
    province = unit_of(target.label)
    if province is None:
        return target
    names = [province.name, *province.aliases, province.unit]
    extra = tuple(n for n in dict.fromkeys(names) if n not in target.names())
    target = replace(target, alt_labels=target.alt_labels + extra)
    return with_successor(target)


def unit_of(label: str) -> gz.Province | None:
    """The province or centrally-run city a label names: "tỉnh X" only a province, "thành
    phố X" / "TP X" only a centrally-run city (the city of a province is not the province)."""
    m = _UNIT.match(label)
    province = gz.province_by_fold(label[m.end():] if m else label)
    if province is None or m is None:
        return province
    city_word = m.group("unit").casefold() != "tỉnh"
    return province if city_word == (province.kind == "thành phố") else None


def with_successor(target: Target) -> Target:
    """The target with its successor's name when it is a province that ceased."""
    if target.successor or local_kind(target) != "province":
        return target
    for name in target.names():
        successor = ceased_provinces().get(fold(name).removeprefix("tinh ").removeprefix("thanh pho "))
        if successor:
            return replace(target, successor=successor)
    return target


@lru_cache(maxsize=1)
def ceased_provinces() -> dict[str, str]:
    """Folded name → successor name, for the provinces that ceased (kg/data/provinces.json)."""
    return {fold(n): p.successor for n, p in gz.provinces().items() if p.successor}
