"""An entity page that reads as a profile: what an analyst asks first, each fact once.

Takes the dataset and the :class:`server.entities.EntityView` of one entity; returns a
:class:`Profile` for the template — its literal facts (a document's number and date, a
meeting's date), then parts in the order a reader asks for them: a person's posts and former
posts (with the tenure's dates), the meetings they spoke at, chaired or attended, the
documents they signed, their sources; a body's posts and holders, the meetings it organised,
the documents it issued; a document's issuer, what it cites and what cites it; a meeting's
organiser and people. Each item is one linked entity, by label and Wikidata QID, with the
evidence behind it. Only asserted facts make parts; what the reasoner alone states (the ORG,
schema.org, FOAF, PROV copies of a vnkg fact, memberships implied by posts, inverses) stays in
the page's folded list of inferred facts. Looks triples up by index; never runs SPARQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg.vocab import VNKG, WD

from .entities import EntityView, EvidenceView, FactView, label_of
from .timeline import vi_date

V = str(VNKG._NS)


@dataclass(frozen=True)
class Item:
    """One linked entity in a part: what it is to this entity, and why we say so."""
    iri: str
    label: str
    qid: str  # the linked entity's Wikidata item, "" when it has none
    note: str  # dates, roles: "spoke, chaired · 16/07/2024"
    fact: str  # "s p o" of the fact shown (the first, when an item merges several)
    evidence: tuple[EvidenceView, ...] = ()
    tenure: str = ""  # the tenure's IRI, for a post
    children: tuple["Item", ...] = ()  # a body's post: its holders
    stated: int = 0  # graphs stating its fact (the most of its facts'), when more than are quoted


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Literal:
    name: str  # the predicate's local name, in words
    value: str
    fact: str
    evidence: tuple[EvidenceView, ...] = ()
    stated: int = 0  # graphs stating it


@dataclass(frozen=True)
class Profile:
    kind: str  # Person, Body, Document, Meeting, Post, … ("" for other entities)
    literals: tuple[Literal, ...]
    parts: tuple[Part, ...]
    wikidata: tuple[tuple[str, str], ...]  # (item IRI, the label of what it stands for here) of values that are items
    inferred: int  # facts only the reasoner states, folded on the page


_KINDS = ("Person", "Body", "Document", "Meeting", "Post", "Tenure", "Source", "Place", "Goal", "Role")
_SKIP = {str(RDF.type), str(RDFS.label)}
_ROLES = {V + "speaker": "spoke", V + "chair": "chaired", V + "participant": "attended"}


def build(dataset: Any, view: EntityView) -> Profile:
    """The profile of the entity `view` describes."""
    types = {t for t, _ in view.types}
    kind = next((k for k in _KINDS if V + k in types), "")
    reader = _Reader(dataset, view)
    parts = {"Person": reader.person, "Body": reader.body, "Document": reader.document,
             "Meeting": reader.meeting, "Post": reader.post}.get(kind, lambda: [])()
    parts.append(reader.sources())
    parts.append(reader.others())
    inferred = sum(f.inferred for f in (*view.outgoing, *view.incoming))
    return Profile(kind, reader.literals(), tuple(p for p in parts if p.items), reader.items_of_wikidata(), inferred)


class _Reader:
    """The asserted facts of one entity, taken part by part (each fact at most once)."""

    def __init__(self, dataset: Any, view: EntityView) -> None:
        self.dataset, self.view = dataset, view
        self.used: set[tuple[bool, str, str]] = set()  # (incoming, predicate, value) already shown

    # --- facts ---------------------------------------------------------------------------
    def facts(self, predicate: str, incoming: bool = False) -> list[FactView]:
        found = self.view.incoming if incoming else self.view.outgoing
        return [f for f in found if f.predicate == predicate and not f.inferred and f.is_iri]

    def take(self, f: FactView, incoming: bool) -> str:
        self.used.add((incoming, f.predicate, f.value))
        s, o = (f.value, self.view.iri) if incoming else (self.view.iri, f.value)
        return f"{s} {f.predicate} {o}"

    def one(self, node: str, predicate: URIRef) -> str:
        return str(next(iter(self.dataset.objects(URIRef(node), predicate)), "") or "")

    def qid(self, node: str) -> str:
        items = sorted(str(o) for o in self.dataset.objects(URIRef(node), OWL.sameAs) if str(o).startswith(str(WD)))
        return items[0].rsplit("/", 1)[-1] if items else ""

    def item(self, facts: list[FactView], incoming: bool, note: str = "", **extra: Any) -> Item:
        keys = [self.take(f, incoming) for f in facts]
        evidence = tuple(e for f in facts for e in f.evidence)
        first = facts[0]
        return Item(first.value, first.label, self.qid(first.value), note, keys[0], evidence,
                    stated=max(f.stated for f in facts), **extra)

    def simple(self, id: str, title: str, predicates: tuple[str, ...], incoming: bool = False,
               note: Optional[Callable[[str], str]] = None, named: bool = False) -> Part:
        """A part of one item per linked entity, over one or more predicates (`named`: the
        note says which)."""
        grouped: dict[str, list[FactView]] = {}
        for p in predicates:
            for f in self.facts(V + p, incoming):
                grouped.setdefault(f.value, []).append(f)
        items = []
        for value, fs in grouped.items():
            said = [note(value)] if note else []
            if named:
                said.insert(0, ", ".join(dict.fromkeys(_words(f.predicate) for f in fs)))
            items.append(self.item(fs, incoming, " · ".join(x for x in said if x)))
        return Part(id, title, tuple(sorted(items, key=lambda i: (i.note, i.label))))

    # --- parts by kind -------------------------------------------------------------------
    def person(self) -> list[Part]:
        tenures = self._tenures()
        posts: dict[str, list[FactView]] = {}
        for f in self.facts(V + "holds"):
            posts.setdefault(f.value, []).append(f)
        former: dict[str, list[FactView]] = {}
        for f in self.facts(V + "formerlyHeld"):  # a post also called former somewhere is shown once, as held
            (posts if f.value in posts else former).setdefault(f.value, []).append(f)
        return [self._posts("posts", "Posts", posts, tenures, ""),
                self._posts("former-posts", "Former posts", former, tenures, "called former"),
                self._meetings(),
                self.simple("signed", "Documents signed", ("signedBy",), True, note=self._issued)]

    def _posts(self, id: str, title: str, posts: dict[str, list[FactView]], tenures: dict[str, tuple[str, str]],
               default: str) -> Part:
        items = []
        for post, facts in posts.items():
            span, tenure = tenures.get(post, ("", ""))
            items.append(self.item(facts, False, span or default, tenure=tenure))
        return Part(id, title, tuple(sorted(items, key=lambda i: i.label)))

    def _tenures(self) -> dict[str, tuple[str, str]]:
        """Post → (its tenure's dates in words, the tenure's IRI), from the tenures graph."""
        found = {}
        for f in self.view.incoming:
            if f.predicate == V + "holder":
                self.take(f, True)
                post = self.one(f.value, VNKG.post)
                found[post] = (self._span(f.value), f.value)
        return found

    def _span(self, tenure: str) -> str:
        start, end, first, last = (self.one(tenure, getattr(VNKG, p)) for p in
                                   ("startDate", "endDate", "firstAttested", "lastAttested"))
        said = []
        if start or end:
            said.append(f"{vi_date(start) or '…'} – {vi_date(end) or '…'} (stated)")
        if first:
            said.append(f"seen {vi_date(first)}" + (f" – {vi_date(last)}" if last and last != first else ""))
        return " · ".join(said)

    def _meetings(self) -> Part:
        by_meeting: dict[str, list[FactView]] = {}
        for predicate in _ROLES:
            for f in self.facts(predicate, True):
                by_meeting.setdefault(f.value, []).append(f)
        items = []
        for meeting, facts in by_meeting.items():
            roles = ", ".join(dict.fromkeys(_ROLES[f.predicate] for f in facts))
            day = vi_date(self.one(meeting, VNKG.date))
            items.append(self.item(facts, True, f"{roles} · {day}" if day else roles))
        return Part("meetings", "Meetings", tuple(sorted(items, key=lambda i: (i.label, i.note))))

    def _issued(self, document: str) -> str:
        return vi_date(self.one(document, VNKG.issued))

    def body(self) -> list[Part]:
        posts = []
        for f in self.facts(V + "postIn", True):
            holders = [self._holder(p, f.value, former) for former, pred in ((False, VNKG.holds), (True, VNKG.formerlyHeld))
                       for p in self.dataset.subjects(pred, URIRef(f.value))]
            posts.append(self.item([f], True, children=tuple(sorted(holders, key=lambda i: (i.note, i.label)))))
        return [Part("posts", "Posts and holders", tuple(sorted(posts, key=lambda i: i.label))),
                self.simple("meetings", "Meetings", ("organizedBy", "participant"), True, note=self._day, named=True),
                self.simple("issued", "Documents issued", ("issuedBy",), True, note=self._issued),
                self.simple("structure", "Part of, under, serving", ("partOf", "subordinateTo", "jurisdiction"),
                            named=True),
                self.simple("parts", "Its parts", ("partOf", "subordinateTo"), True, named=True),
                self.simple("goals", "Goals set", ("setBy",), True)]

    def _holder(self, person: Any, post: str, former: bool) -> Item:
        iri = str(person)
        fact = f"{iri} {VNKG.formerlyHeld if former else VNKG.holds} {post}"
        return Item(iri, label_of(self.dataset, person), self.qid(iri), "former" if former else "", fact)

    def _day(self, meeting: str) -> str:
        return vi_date(self.one(meeting, VNKG.date))

    def document(self) -> list[Part]:
        return [self.simple("issuer", "Issued by", ("issuedBy",)),
                self.simple("signers", "Signed by", ("signedBy",)),
                self.simple("cites", "Cites", ("implements", "cites"), note=self._issued),
                self.simple("cited-by", "Cited by", ("implements", "cites"), True, note=self._issued),
                self.simple("adopted", "Adopted at", ("adoptedAt",), note=self._day),
                self.simple("goals", "Goals it sets", ("setBy",), True)]

    def meeting(self) -> list[Part]:
        """Who organised it and who took part, one line each, with every role they had."""
        said = {V + "organizedBy": "organised", **_ROLES}
        by_agent: dict[str, list[FactView]] = {}
        for predicate in said:
            for f in self.facts(predicate):
                by_agent.setdefault(f.value, []).append(f)
        people = [self.item(fs, False, ", ".join(dict.fromkeys(said[f.predicate] for f in fs)))
                  for fs in by_agent.values()]
        return [Part("people", "Organisers and people", tuple(sorted(people, key=lambda i: (i.note, i.label)))),
                self.simple("adopted", "Documents adopted", ("adoptedAt",), True, note=self._issued)]

    def post(self) -> list[Part]:
        return [self.simple("post", "Role and body", ("role", "postIn")),
                self.simple("holders", "Holders", ("holds",), True),
                self.simple("former-holders", "Former holders", ("formerlyHeld",), True)]

    def sources(self) -> Part:
        """The sources that mention it, by file name and date (one that is its full text says so)."""
        found: dict[str, list[tuple[FactView, bool]]] = {}
        for f in self.facts(V + "mentionedIn"):
            found.setdefault(f.value, []).append((f, False))
        for f in self.facts(V + "textOf", True):
            found.setdefault(f.value, []).append((f, True))
        items = []
        for source, facts in found.items():
            keys = [self.take(f, incoming) for f, incoming in facts]
            said = [vi_date(self.one(source, VNKG.published))] + (["its full text"] if any(i for _, i in facts) else [])
            items.append(Item(source, self.one(source, DCTERMS.identifier) or facts[0][0].label, "",
                              " · ".join(x for x in said if x), keys[0], tuple(e for f, _ in facts for e in f.evidence)))
        return Part("sources", "Sources", tuple(sorted(items, key=lambda i: (i.note, i.label))))

    def others(self) -> Part:
        """Every asserted fact to or from another entity that no part above showed."""
        items = []
        for incoming, found in ((False, self.view.outgoing), (True, self.view.incoming)):
            for f in found:
                if f.inferred or not f.is_iri or f.predicate in _SKIP or (incoming, f.predicate, f.value) in self.used \
                        or (f.predicate == str(OWL.sameAs) and f.value.startswith(str(WD))):  # the heading shows it
                    continue
                name = _words(f.predicate)
                items.append(self.item([f], incoming, f"{'← ' if incoming else ''}{name}"))
        return Part("other", "Other facts", tuple(sorted(items, key=lambda i: (i.note, i.label))))

    def literals(self) -> tuple[Literal, ...]:
        found = []
        for f in self.view.outgoing:
            if not f.inferred and not f.is_iri and f.predicate not in _SKIP:
                value = vi_date(f.value) if _is_date(f.value) else f.value
                found.append(Literal(_words(f.predicate), value, f"{self.view.iri} {f.predicate} {f.value}", f.evidence,
                                     f.stated))
        return tuple(found)

    def items_of_wikidata(self) -> tuple[tuple[str, str], ...]:
        """Each Wikidata item among the values (the reasoner copies a body's facts to its item):
        its QID and the label of the entity here that it stands for."""
        found = {}
        for f in (*self.view.outgoing, *self.view.incoming):
            if f.is_iri and f.value.startswith(str(WD)):
                here = [s for s in self.dataset.subjects(OWL.sameAs, URIRef(f.value)) if not str(s).startswith(str(WD))]
                found[f.value] = label_of(self.dataset, sorted(here)[0]) if here else ""
        return tuple(sorted(found.items()))


_SAY = {"organizedBy": "organised", "participant": "took part", "subordinateTo": "under", "jurisdiction": "serves",
        "textOf": "text of", "sameAs": "same as"}


def _words(predicate: str) -> str:
    """vnkg:formerlyHeld → "formerly held" (a few said as a reader would: "organised"); other
    vocabularies keep their prefix-free name."""
    name = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if name in _SAY:
        return _SAY[name]
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def _is_date(value: str) -> bool:
    parts = value.split("-")
    return 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
