"""Gather the entities to link from the extractions: one :class:`Target` per key.

Takes the extractions of every source; returns one target per linkable entity (people,
bodies, places, roles and posts), with every label it goes by, the dates of the sources
that name it, the posts a person holds, the places an entity lies in, and — for a province
that ceased in the 2025 mergers — its successor's name (from ``kg/data/provinces.json``).
It does not match anything.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import Sequence

from ..config import DATA_DIR
from ..model import Entity, Extraction, Fact, Key
from ..text import fold
from .match import Target, local_kind

PLACE_LINKS = ("locatedIn", "jurisdiction")


class _Gather:
    """Mutable collector used while reading extractions; frozen into targets at the end."""

    def __init__(self) -> None:
        self.first: dict[Key, Entity] = {}
        self.labels: dict[Key, dict[str, None]] = defaultdict(dict)
        self.types: dict[Key, dict[str, None]] = defaultdict(dict)
        self.dates: dict[Key, set[dt.date]] = defaultdict(set)
        self.facts: list[Fact] = []

    def add(self, extraction: Extraction) -> None:
        when = extraction.source.meta.published
        for entity in extraction.entities:
            self.first.setdefault(entity.key, entity)
            self.labels[entity.key].update(dict.fromkeys((entity.label,) + entity.alt_labels))
            self.types[entity.key].update(dict.fromkeys(entity.types))
            if when:
                self.dates[entity.key].add(when)
        self.facts.extend(extraction.facts)

    def related(self, predicates: Sequence[str]) -> dict[Key, dict[str, None]]:
        """Labels of the objects each subject points to through `predicates`."""
        out: dict[Key, dict[str, None]] = defaultdict(dict)
        for fact in self.facts:
            if fact.predicate in predicates and isinstance(fact.object, tuple) and fact.object in self.first:
                out[fact.subject][self.first[fact.object].label] = None
        return out


def targets_from_extractions(extractions: Sequence[Extraction]) -> tuple[Target, ...]:
    """One target per linkable entity key, in order of first appearance."""
    g = _Gather()
    for extraction in extractions:
        g.add(extraction)
    posts, places = g.related(("holds",)), g.related(PLACE_LINKS)
    out = []
    for key, entity in g.first.items():
        labels = tuple(g.labels[key])
        target = Target(key=key, cls=entity.cls, label=entity.label, types=tuple(g.types[key]),
                        alt_labels=labels[1:] if labels[0] == entity.label else labels,
                        dates=tuple(sorted(g.dates[key])), posts=tuple(posts.get(key, ())),
                        places=tuple(places.get(key, ())))
        if local_kind(target) is not None:
            out.append(with_successor(target))
    return tuple(out)


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
    path = DATA_DIR / "provinces.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {fold(n): p["successor"] for p in data.get("provinces", ()) if p.get("successor")
            for n in [p["name"], *p.get("aliases", ())]}
