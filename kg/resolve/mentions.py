"""The records of resolution: a person mention as the rules see it, the decisions, the people.

:func:`mentions` reads them off one source's extraction: each person with the name as written,
the source's date and province, and the posts the source gives them — with where each post
sits (:mod:`kg.resolve.posts`) and the start or end the source states for it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..model import Extraction, Key, Lit, tenure_parts
from .posts import CENTRAL, is_membership


@dataclass(frozen=True, slots=True)  # slots: a build of 100,000 articles holds some 400,000 mentions at once
class PostRef:
    key: Key
    role: str
    label: str
    seat: str | None  # a province's name, CENTRAL, or None (unknown)
    former: bool = False
    start: Lit | None = None  # the start the source states
    end: Lit | None = None  # the end the source states
    ends: bool = False  # former because it ends in this source ("nghỉ hưu", "thôi giữ chức"): held until then

    @property
    def member(self) -> bool:
        return is_membership(self.role)


@dataclass(frozen=True, slots=True)
class Mention:
    """One source's person: the name as written and what the source says of them."""

    source: str
    key: Key
    name: str
    date: str | None = None  # the source's publication date, ISO
    province: str | None = None  # the source's province
    posts: tuple[PostRef, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.source}#{self.name}"

    def seats(self) -> set[str]:
        return {p.seat for p in self.posts if p.seat and not p.former and not p.member}


@dataclass(frozen=True, slots=True)
class Decision:
    same: bool
    a: str  # a mention's ref
    b: str
    reason: str


@dataclass
class Person:
    key: Key
    label: str
    mentions: list[Mention]


@dataclass
class Resolution:
    people: list[Person] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @classmethod
    def of_keys(cls, ms: Iterable[Mention]) -> "Resolution":
        """The people the mentions' own keys make (one per key)."""
        by: dict[Key, list[Mention]] = defaultdict(list)
        for m in ms:
            by[m.key].append(m)
        return cls(people=[Person(k, ms[0].name, ms) for k, ms in by.items()])

    def key_map(self) -> dict[tuple[str, Key], Key]:
        """(source, key as extracted) → the person's key."""
        return {(m.source, m.key): p.key for p in self.people for m in p.mentions}


def mentions(ex: Extraction) -> list[Mention]:
    """The person mentions of one source, with their posts and where each post sits."""
    facts = defaultdict(list)
    for f in ex.facts:
        facts[f.predicate].append(f)
    one = {p: {f.subject: f.object for f in fs} for p, fs in facts.items()}
    types = {e.key: e.types for e in ex.entities}
    labels = {e.key: e.label for e in ex.entities}

    def place_seat(place: Key | None, depth: int = 0) -> str | None:
        if place is None or depth > 4:
            return None
        kinds = types.get(place, ())
        if "Country" in kinds:
            return CENTRAL
        if "Province" in kinds:
            return place[1]
        return place_seat(one.get("locatedIn", {}).get(place), depth + 1)

    def body_seat(body: Key, depth: int = 0) -> str | None:
        place = one.get("jurisdiction", {}).get(body)
        if place is not None:
            return place_seat(place)
        parent = one.get("partOf", {}).get(body) or one.get("subordinateTo", {}).get(body)
        if parent is None or depth > 4 or any(part.startswith("@") for part in body[1:]):
            return None
        return body_seat(parent, depth + 1)

    roles, bodies = one.get("role", {}), one.get("postIn", {})
    stated: dict[tuple[Key, Key], dict[str, Lit]] = defaultdict(dict)
    for pred in ("startDate", "endDate"):
        for f in facts.get(pred, ()):
            if f.subject[0] == "Tenure":
                stated[tenure_parts(f.subject)][pred] = f.object
    posts: dict[Key, list[PostRef]] = defaultdict(list)
    for pred, former in (("holds", False), ("formerlyHeld", True)):
        for f in facts.get(pred, ()):
            post = f.object
            role = roles.get(post)
            said = stated.get((f.subject, post), {})
            ends = former and f.evidence is not None and f.evidence.rule == "person-title-ends"
            posts[f.subject].append(PostRef(post, labels.get(role, role[1] if role else ""), labels.get(post, ""),
                                            body_seat(bodies[post]) if post in bodies else None, former,
                                            said.get("startDate"), said.get("endDate"), ends))
    date = ex.source.meta.published.isoformat() if ex.source.meta.published else None
    return [Mention(ex.source.id, e.key, e.label, date, ex.source.meta.province, tuple(posts.get(e.key, ())))
            for e in ex.entities if e.cls == "Person"]
