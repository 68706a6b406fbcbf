"""Pure matching of local entities to Wikidata items: names, kinds, dates and decisions.

Takes :class:`Target` records (one local entity, gathered over every source that names it)
and candidates — curated :class:`~kg.link.table.Item` records here, online candidates scored
by :mod:`kg.link.rank` — and returns :class:`Decision` records: a link only for a confident,
unambiguous match, otherwise the ranked candidates for a person to review. No I/O.

Safety rules kept here: an item is only a candidate for an entity of a compatible kind (a
province item never for a city, a city item never for a province); an item that came into
being after the sources that name the entity is not it, nor is a renamed unit's item under its
new name in sources older than the rename; a person is linked from a table only by an item
kept for that very entity or one whose public file ties it to a post the graph gives the
person (a name is never enough); an item only one public file vouches for (origin
``candidate``) is offered for review, never linked; one QID is never the link of two distinct
entities — except the two names of a renamed unit that kept its item.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from ..model import Key
from ..text import fold, modern_tone
from .table import Item


@dataclass(frozen=True)
class Target:
    """A local entity to link: its key, class, names, and what the graph says around it."""

    key: Key
    cls: str
    label: str
    types: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()  # dates of the sources that name it
    posts: tuple[str, ...] = ()  # labels of the posts a person holds in those sources
    places: tuple[str, ...] = ()  # labels of the places it lies in or has jurisdiction over
    successor: str = ""  # for a unit that ceased: the name of the one it merged into
    mentions: int = 0  # the number of sources that name it
    iri: str = ""  # its IRI in the graph, where known

    def names(self) -> tuple[str, ...]:
        return (self.label,) + tuple(a for a in self.alt_labels if a != self.label)


@dataclass(frozen=True)
class Scored:
    """One candidate item for one target: its score in [0, 1], the rule, and the reasons."""

    qid: str
    label: str
    score: float
    rule: str
    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # kinds of evidence found: name, class, country, position …
    kind: str = ""  # the item's kind in the table's terms (human, province, city …)
    weight: float = 0.0  # the evidence before the score is capped at 1, where it is more

    @property
    def strength(self) -> float:
        """What candidates are compared on: two homonyms may both reach a score of 1, and
        the one in office at the source's date, in the graph's province, still leads."""
        return max(self.score, self.weight)


@dataclass(frozen=True)
class Policy:
    """When a best candidate becomes a link: its score, its lead and the evidence it needs."""

    threshold: float
    margin: float
    required: tuple[str, ...] = ("name",)


@dataclass(frozen=True)
class Decision:
    """What became of one target: `status` is linked, ambiguous, weak, conflict or unconfirmed."""

    target: Target
    candidates: tuple[Scored, ...]  # best first
    chosen: Scored | None
    status: str
    note: str = ""


TABLE_POLICY = Policy(threshold=0.85, margin=0.1)
# a person needs more than a name: an item kept for this entity, or a post the file ties to it
TABLE_POLICIES = {"person": Policy(threshold=0.85, margin=0.1, required=("name", "identity"))}

# local kind → the table kinds an item may have to be a candidate for it
ITEM_KINDS: dict[str, frozenset[str]] = {
    "person": frozenset({"human"}),
    "organization": frozenset({"political party", "organization"}),
    "country": frozenset({"country"}),
    "province": frozenset({"province", "centrally-run city"}),
    "city": frozenset({"city"}),
    "place": frozenset({"country", "province", "centrally-run city", "city"}),
    "position": frozenset({"position"}),
}
# local kind → the kind an item found online for it is recorded under
ITEM_KIND_OF = {"person": "human", "organization": "organization", "country": "country",
                "province": "province", "city": "city", "position": "position"}
_PLACE_KINDS = (("Country", "country"), ("Province", "province"), ("District", "city"))
_CLASS_KINDS = {"Person": "person", "Body": "organization", "Role": "position", "Post": "position"}
_TP = re.compile(r"^tp(?:\.\s*|\s+)")
# the unit word a name may drop: "tỉnh Bắc Giang" is the province "Bắc Giang", and "thành phố
# Hà Nội" the centrally-run city "Hà Nội" — but "thành phố Bắc Giang" is not the province
UNITS = {"province": re.compile(r"^tỉnh\s+"), "centrally-run city": re.compile(r"^thành phố\s+"),
         "any": re.compile(r"^(?:tỉnh|thành phố)\s+")}


_PLACES = frozenset({"Place", *(cls for cls, _ in _PLACE_KINDS)})
LINKABLE = _PLACES | frozenset(_CLASS_KINDS)


def may_link(cls: str, types: Iterable[str] = ()) -> bool:
    """Whether an entity of this class and these types can ever be linked (:func:`local_kind` is
    not None for it): goals, meetings and documents never are."""
    return cls in LINKABLE or any(t in LINKABLE for t in types)


def local_kind(target: Target) -> str | None:
    """The kind of item a target may be: person, organization, position, country, province,
    city, place (a place of unknown level), or None for what is never linked."""
    classes = {target.cls, *target.types}
    if classes & _PLACES:
        return next((kind for cls, kind in _PLACE_KINDS if cls in classes), "place")
    return next((kind for cls, kind in _CLASS_KINDS.items() if cls in classes), None)


def name_key(name: str) -> str:
    """A name as compared: NFC, modern tones, case-folded, spaces and edge punctuation
    folded, "TP"/"TP." spelled out as "thành phố"."""
    t = " ".join(modern_tone(name).casefold().split()).strip(" .,;:-–\"'“”")
    return _TP.sub("thành phố ", t)


def has_marks(name: str) -> bool:
    """True when a name is written with Vietnamese diacritics (or đ)."""
    return fold(name) != " ".join(name.casefold().split())


def name_variants(name: str, unit: str = "") -> set[str]:
    """The keys a name matches under: itself, and without its unit word (see UNITS)."""
    key = name_key(name)
    return {key, UNITS[unit].sub("", key)} if unit else {key}


def name_match(ours: Iterable[str], theirs: Iterable[str], unit: str = "") -> str | None:
    """"exact" when a name of ours equals one of theirs; "folded" when they differ only by
    diacritics and one of the two is written without any; else None."""
    mine = {v: n for n in ours for v in name_variants(n, unit)}
    other = {v: n for n in theirs for v in name_variants(n, unit)}
    if mine.keys() & other.keys():
        return "exact"
    folded = {fold(v) for v, n in mine.items() if not has_marks(n)}
    unmarked = {fold(v) for v, n in other.items() if not has_marks(n)}
    if folded & {fold(v) for v in other} or unmarked & {fold(v) for v in mine}:
        return "folded"
    return None


def begins_after(start: dt.date | None, dates: Sequence[dt.date]) -> bool:
    """True when an item came into being after a source that names the entity was published."""
    return start is not None and bool(dates) and min(dates) < start


def score_item(target: Target, item: Item) -> Scored | None:
    """A curated item as a candidate for a target, or None when it cannot be it."""
    kind = local_kind(target)
    if kind is None or item.kind not in ITEM_KINDS[kind] or begins_after(item.valid_from, target.dates):
        return None
    if item.keys and not keyed_for(item, target):
        return None
    strip = item.kind if kind == "province" else ""
    found = _name_score(target, item, strip)
    if found is None:
        return None
    era = _era(target, item, strip)
    if era == "too early":
        return None
    return _table_scored(target, item, *found, era)


def keyed_for(item: Item, target: Target) -> bool:
    """True when the item was kept for this very entity (by its key, or its IRI)."""
    return target.key in item.keys or bool(target.iri) and ("iri", target.iri) in item.keys


def _name_score(target: Target, item: Item, strip: str) -> tuple[float, str] | None:
    labels = [text for _, text in item.labels]
    for how, names, score in (("label", labels, 1.0), ("alias", [a for _, a in item.aliases], 0.95)):
        if name_match(target.names(), names, strip) == "exact":
            return score, how
    if name_match(target.names(), labels + [a for _, a in item.aliases], strip) == "folded":
        return 0.85, "folded"
    return None


def _era(target: Target, item: Item, strip: str) -> str:
    """For a renamed unit's item: "former" when the target goes by a name the unit had before
    the rename, "current" for the new name, "too early" for the new name in sources that all
    predate the rename (another unit of that name, such as the old provincial city)."""
    if not item.former_names:
        return ""
    if name_match(target.names(), item.former_names, strip):
        return "former"
    if item.renamed_on and target.dates and max(target.dates) < item.renamed_on:
        return "too early"
    return "current"


def _table_scored(target: Target, item: Item, score: float, how: str, era: str) -> Scored:
    reasons = (f"{how} match with {_ORIGIN_WORDS.get(item.origin, item.origin)}", f"kind {item.kind}")
    if item.keys:
        return Scored(item.qid, item.label(), score, f"wikidata-{item.origin}", reasons + (item.evidence,),
                      ("name", "table", "key", "identity"), item.kind)
    tags: tuple[str, ...] = ("name", "table")
    if item.origin == "candidate":
        reasons += (f"only {item.kind_note.rsplit('; ', 1)[-1] or 'one public file'} ties {item.qid} to this name: "
                    f"{item.evidence}",)
        tags += ("unverified",)
    if item.valid_until:
        reasons += (f"historical: ceased {item.valid_until.isoformat()}"
                    + (f", merged into {item.successor}" if item.successor else ""),)
    if era:
        reasons += (f"{era} name of a unit renamed on {item.renamed_on}; Wikidata keeps one item for both",)
        tags += (f"renamed-{era}",)
    held = [p for p in target.posts if any(posts_alike(p, q) for q in item.positions)]
    if held:
        reasons += (f"holds {held[0]!r}, a post the public file ties to {item.qid} ({item.evidence})",)
        tags += ("position", "identity")
    return Scored(item.qid, item.label(), score, f"wikidata-table-{how}", reasons, tags, item.kind)


_ORIGIN_WORDS = {"curated": "a verified item of the shipped table",
                 "candidate": "an unverified item of the shipped table",
                 "accepted": "an item you accepted in a review", "online": "an item an online run confirmed"}


def posts_alike(theirs: str, ours: str) -> bool:
    """Names of posts alike: equal when folded, or one holds the other at word boundaries
    and the shorter has at least three words ("Ủy viên Bộ Chính trị" in a longer title)."""
    a, b = fold(theirs), fold(ours)
    short, long_ = sorted((a, b), key=len)
    if not short:
        return False
    return a == b or (len(short.split()) >= 3 and f" {short} " in f" {long_} ")


def table_candidates(target: Target, items: Sequence[Item] | NameIndex) -> tuple[Scored, ...]:
    """Every curated item that may be the target, scored (`items` may be a :class:`NameIndex`)."""
    pool = items.pool(target) if isinstance(items, NameIndex) else items
    return tuple(s for s in (score_item(target, i) for i in pool) if s is not None)


class NameIndex:
    """Items by the folded forms of their names, so that a target is scored only against the
    items that share a name with it (a superset of those that match)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = tuple(items)
        self._by: dict[str, list[int]] = defaultdict(list)
        for n, item in enumerate(self.items):
            names = [t for _, t in item.labels + item.aliases]
            for key in dict.fromkeys(k for name in names for k in _folds(name)):
                self._by[key].append(n)

    def pool(self, target: Target) -> tuple[Item, ...]:
        found = sorted({n for name in target.names() for k in _folds(name) for n in self._by.get(k, ())})
        return tuple(self.items[n] for n in found)


def _folds(name: str) -> set[str]:
    return {fold(v) for v in name_variants(name, "any")}


def table_decision(target: Target, items: Sequence[Item] | NameIndex) -> Decision:
    """Decide from the tables. An item kept for this very entity (accepted in a review, or
    confirmed online) settles it; other items of the same name are not weighed against it.
    Items only one file vouches for never decide: when nothing better links, they are the
    candidates a reviewer sees (status ``unverified``)."""
    candidates = table_candidates(target, items)
    policy = TABLE_POLICIES.get(local_kind(target) or "", TABLE_POLICY)
    scoped = [c for c in candidates if "key" in c.tags]
    if scoped:
        return decide(target, scoped, policy)
    unverified = rank(c for c in candidates if "unverified" in c.tags)
    decision = decide(target, [c for c in candidates if "unverified" not in c.tags], policy)
    if decision.chosen is not None or not unverified:
        return decision
    if decision.status == "none":
        return Decision(target, unverified, None, "unverified", "only one public file ties these items to the name; "
                        "check them (kg link --online) before accepting")
    return replace(decision, candidates=decision.candidates + unverified)


def decide(target: Target, candidates: Iterable[Scored], policy: Policy) -> Decision:
    """Link the best candidate only if it clears the threshold, has the evidence the policy
    requires, and leads the next item by the margin; else say why not."""
    ranked = rank(candidates)
    if not ranked:
        return Decision(target, (), None, "none")
    best = ranked[0]
    if best.score < policy.threshold or not set(policy.required) <= set(best.tags):
        missing = sorted(set(policy.required) - set(best.tags))
        return Decision(target, ranked, None, "weak", "missing evidence: " + ", ".join(missing) if missing else "")
    if len(ranked) > 1 and best.strength - ranked[1].strength < policy.margin:
        return Decision(target, ranked, None, "ambiguous", f"{best.qid} and {ranked[1].qid} score alike")
    return Decision(target, ranked, best, "linked")


def rank(candidates: Iterable[Scored]) -> tuple[Scored, ...]:
    """Best score per QID, best first; ties in QID order so the output is deterministic."""
    best: dict[str, Scored] = {}
    for c in candidates:
        if c.qid not in best or c.strength > best[c.qid].strength:
            best[c.qid] = c
    return tuple(sorted(best.values(), key=lambda c: (-c.strength, -c.score, int(c.qid[1:]))))


def one_entity_per_qid(decisions: Sequence[Decision], margin: float = 0.1) -> tuple[Decision, ...]:
    """Keep a QID's link only on the entity that leads every other claimant by `margin`;
    the others (all of them, on a tie) lose the link and go to review as a conflict. A renamed
    unit's item is the exception: one entity under its former name and one under its new name
    both keep it (they are one unit; Wikidata has one item for both)."""
    claims: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, d in enumerate(decisions):
        if d.chosen is not None:
            era = next((t for t in d.chosen.tags if t.startswith("renamed-")), "")
            claims[(d.chosen.qid, era)].append(i)
    out = list(decisions)
    for (qid, _), idx in claims.items():
        if len(idx) > 1:
            _settle(out, qid, sorted(idx, key=lambda i: -decisions[i].chosen.score), margin)
    return tuple(out)


def _settle(out: list[Decision], qid: str, idx: list[int], margin: float) -> None:
    lead = out[idx[0]].chosen.score - out[idx[1]].chosen.score >= margin
    keep = idx[0] if lead else None
    for i in idx:
        if i != keep:
            others = ", ".join(" / ".join(out[j].target.key) for j in idx if j != i)
            out[i] = replace(out[i], chosen=None, status="conflict", note=f"{qid} also matches {others}")
