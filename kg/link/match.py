"""Pure matching of local entities to Wikidata items: names, kinds, dates and decisions.

Takes :class:`Target` records (one local entity, gathered over every source that names it)
and candidates — curated :class:`~kg.link.table.Item` records here, online candidates scored
by :mod:`kg.link.rank` — and returns :class:`Decision` records: a link only for a confident,
unambiguous match, otherwise the ranked candidates for a person to review. No I/O.

Safety rules kept here: an item is only a candidate for an entity of a compatible kind (a
province item never for a city, a city item never for a province); an item that came into
being after the sources that name the entity is not it; one QID is never the link of two
distinct entities.
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


def local_kind(target: Target) -> str | None:
    """The kind of item a target may be: person, organization, position, country, province,
    city, place (a place of unknown level), or None for what is never linked."""
    classes = {target.cls, *target.types}
    if "Place" in classes or classes & {"Country", "Province", "District"}:
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
    if item.keys and target.key not in item.keys:
        return None
    strip = item.kind if kind == "province" else ""
    labels = [text for _, text in item.labels]
    for how, names, score in (("label", labels, 1.0), ("alias", [a for _, a in item.aliases], 0.95)):
        match = name_match(target.names(), names, strip)
        if match == "exact":
            return _table_scored(item, score, how)
    if name_match(target.names(), labels + [a for _, a in item.aliases], strip) == "folded":
        return _table_scored(item, 0.85, "folded")
    return None


def _table_scored(item: Item, score: float, how: str) -> Scored:
    reasons = (f"{how} match in the {item.origin} table", f"kind {item.kind}")
    if item.keys:
        return Scored(item.qid, item.label(), score, f"wikidata-{item.origin}", reasons + (item.evidence,),
                      ("name", "table", "key"), item.kind)
    if item.valid_until:
        reasons += (f"historical: ceased {item.valid_until.isoformat()}"
                    + (f", merged into {item.successor}" if item.successor else ""),)
    return Scored(item.qid, item.label(), score, f"wikidata-table-{how}", reasons, ("name", "table"), item.kind)


def table_candidates(target: Target, items: Sequence[Item]) -> tuple[Scored, ...]:
    """Every curated item that may be the target, scored."""
    return tuple(s for s in (score_item(target, i) for i in items) if s is not None)


def table_decision(target: Target, items: Sequence[Item]) -> Decision:
    """Decide from the tables. An item kept for this very entity (accepted in a review, or
    confirmed online) settles it; other items of the same name are not weighed against it."""
    candidates = table_candidates(target, items)
    scoped = [c for c in candidates if "key" in c.tags]
    return decide(target, scoped or candidates, TABLE_POLICY)


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
    if len(ranked) > 1 and best.score - ranked[1].score < policy.margin:
        return Decision(target, ranked, None, "ambiguous", f"{best.qid} and {ranked[1].qid} score alike")
    return Decision(target, ranked, best, "linked")


def rank(candidates: Iterable[Scored]) -> tuple[Scored, ...]:
    """Best score per QID, best first; ties in QID order so the output is deterministic."""
    best: dict[str, Scored] = {}
    for c in candidates:
        if c.qid not in best or c.score > best[c.qid].score:
            best[c.qid] = c
    return tuple(sorted(best.values(), key=lambda c: (-c.score, int(c.qid[1:]))))


def one_entity_per_qid(decisions: Sequence[Decision], margin: float = 0.1) -> tuple[Decision, ...]:
    """Keep a QID's link only on the entity that leads every other claimant by `margin`;
    the others (all of them, on a tie) lose the link and go to review as a conflict."""
    claims: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(decisions):
        if d.chosen is not None:
            claims[d.chosen.qid].append(i)
    out = list(decisions)
    for qid, idx in claims.items():
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
