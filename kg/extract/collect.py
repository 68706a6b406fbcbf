"""Accumulate what one source yields into an :class:`Extraction`, with evidence.

Rules report spans in the *normalised* text; the collector turns them into offsets in the
original text and attaches the sentence, so every fact carries where it came from. Entities
are kept once per key (first evidence wins); facts once per (subject, predicate, object).
"""
from __future__ import annotations

from ..model import Entity, Evidence, Extraction, Fact, Key, Lit, Obj, SourceText
from ..text import Normalised, Sentence
from . import gazetteer as gz
from .bodies import BodyRef, PlaceRef


class Collector:
    def __init__(self, source: SourceText, norm: Normalised) -> None:
        self.source = source
        self.norm = norm
        self._entities: dict[Key, Entity] = {}
        self._facts: dict[tuple, Fact] = {}

    def evidence(self, sent: Sentence, start: int, end: int, rule: str) -> Evidence:
        """Evidence for `sent.text[start:end]` (offsets within the sentence)."""
        a, b = self.norm.span(sent.start + start, sent.start + end)
        return Evidence(self.source.id, a, b, sent.text, rule)

    def entity(self, key: Key, cls: str, label: str, ev: Evidence | None, types: tuple[str, ...] = (),
               alt: tuple[str, ...] = ()) -> Key:
        old = self._entities.get(key)
        if old is None:
            self._entities[key] = Entity(key, cls, label, types, alt, ev)
        elif types and not set(types) <= set(old.types):
            merged = tuple(sorted(set(old.types) | set(types)))
            self._entities[key] = Entity(key, old.cls, old.label, merged, old.alt_labels, old.evidence or ev)
        return key

    def relabel(self, key: Key, label: str) -> None:
        """Give an entity the label its own text gives it (a document's heading)."""
        old = self._entities[key]
        self._entities[key] = Entity(key, old.cls, label, old.types, old.alt_labels, old.evidence)

    def fact(self, s: Key, p: str, o: Obj, ev: Evidence | None) -> None:
        self._facts.setdefault((s, p, o), Fact(s, p, o, ev))

    def has(self, key: Key) -> bool:
        return key in self._entities

    def label(self, key: Key) -> str:
        return self._entities[key].label

    def types(self, key: Key) -> tuple[str, ...]:
        return self._entities[key].types

    def keys(self, cls: str) -> list[Key]:
        """The keys of the entities of class `cls` found so far."""
        return [k for k, e in self._entities.items() if e.cls == cls]

    def facts(self, predicate: str) -> list[Fact]:
        return [f for f in self._facts.values() if f.predicate == predicate]

    def body(self, ref: BodyRef, ev: Evidence | None) -> Key:
        """A body, its parents (partOf), and its place (jurisdiction)."""
        self.entity(ref.key, "Body", ref.label, ev, alt=ref.alt_labels)
        if ref.parent is not None:
            link = "partOf" if ref.relation == "part" else "subordinateTo"
            self.fact(ref.key, link, self.body(ref.parent, ev), ev)
        if ref.place is not None:
            self.fact(ref.key, "jurisdiction", self.place(ref.place, ev), ev)
        return ref.key

    def place(self, ref: PlaceRef, ev: Evidence | None) -> Key:
        self.entity(ref.key, "Place", ref.label, ev, types=(ref.kind,))
        if ref.parent is not None:
            self.fact(ref.key, "locatedIn", self.place(ref.parent, ev), ev)
        return ref.key

    def post(self, person: Key, role: str, body: BodyRef, ev: Evidence, former: bool = False) -> Key:
        body_key = self.body(body, ev)
        role_key = self.entity(("Role", role), "Role", role, ev)
        post_key = ("Post", role, *body.key[1:])
        self.entity(post_key, "Post", post_label(role, body.label), ev)
        self.fact(post_key, "role", role_key, ev)
        self.fact(post_key, "postIn", body_key, ev)
        self.fact(person, "formerlyHeld" if former else "holds", post_key, ev)
        return post_key

    def literal(self, s: Key, p: str, value: str, datatype: str, ev: Evidence | None) -> None:
        self.fact(s, p, Lit(value, datatype), ev)

    def build(self, warnings: tuple[str, ...] = ()) -> Extraction:
        return Extraction(self.source, tuple(self._entities.values()), tuple(self._facts.values()), warnings)


def post_label(role: str, body: str) -> str:
    """A post's name as the press writes it: the role, then the body, the body's head noun written
    once ("Trưởng ban" of "Ban Tổ chức Trung ương" → "Trưởng Ban Tổ chức Trung ương", "Chánh Văn
    phòng" of "Văn phòng Trung ương Đảng" → "Chánh Văn phòng Trung ương Đảng"); the role alone
    when it names the body already ("Bí thư Trung ương Đảng" of "Ban Bí thư")."""
    r, b = role.split(), body.split()
    fold = lambda words: [w.casefold() for w in words]  # noqa: E731
    for head in gz.lexicon()["head_nouns"]:
        h = fold(head.split())
        if fold(b[:len(h)]) != h:
            continue
        if len(r) > len(h) and fold(r[-len(h):]) == h:
            return " ".join(r[:-len(h)] + b)
        rest = fold(b[len(h):])
        if rest and any(fold(r[i:i + len(rest)]) == rest for i in range(len(r) - len(rest) + 1)):
            return role
        break
    return f"{role} {body}"
