"""What the links graph says besides the links: why each link was made, and the mergers.

Takes a :class:`~kg.link.LinkResult` and the table items; returns plain records:
:func:`link_reasons` the lines that explain each link (the claims an online candidate matched
— position, its dates, province —, the review it was accepted in, or the public files behind
a curated item), and :func:`unit_facts` what the table says of a linked unit that ceased
(``validUntil``, and ``successor`` when the unit it merged into is linked too). No RDF here
(:mod:`kg.link.rdf` writes the triples).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from ..model import Key, Link
from .table import Item

if TYPE_CHECKING:
    from . import LinkResult


@dataclass(frozen=True)
class UnitFact:
    """One statement the table makes about a linked unit: `obj` is a date or a linked entity's key."""

    key: Key
    predicate: str  # validUntil | successor
    obj: dt.date | Key
    evidence: str


def link_reasons(result: "LinkResult", items: Sequence[Item],
                 iri_of: Callable[[Key], str] | None = None) -> dict[tuple[Key, str], tuple[str, ...]]:
    """(entity key, QID) → the lines that say why the link was made. `iri_of` gives an
    entity's IRI, under which a table may have kept an item for it."""
    chosen = {(d.target.key, d.chosen.qid): d.chosen.reasons for d in result.decisions if d.chosen is not None}
    by_qid = _by_qid(items)
    out = {}
    for link in result.links:
        own = _own_item(link, by_qid, iri_of(link.key) if iri_of else "")
        general = _general_item(link.qid, by_qid)
        lines = list(chosen.get((link.key, link.qid), ()))
        if own is not None and own.evidence and own.evidence not in lines:
            lines.append(own.evidence)
        if not lines and general is not None:
            lines.append(f"{link.rule}: the item {general.label()!r} ({general.kind_note or general.kind})")
        if general is not None and general.former_names:
            lines.append(f"one Wikidata item for the unit under its former name ({general.former_names[0]}) "
                         f"and under the name it has had since {general.renamed_on}")
        if own is None and general is not None and general.evidence:
            lines.append(f"public files: {general.evidence}")
        out[(link.key, link.qid)] = tuple(dict.fromkeys(line for line in lines if line))
    return out


def unit_facts(links: Sequence[Link], items: Sequence[Item]) -> list[UnitFact]:
    """The end of each linked unit that ceased, and its successor where that is linked too."""
    holders: dict[str, list[Key]] = {}
    for link in links:
        holders.setdefault(link.qid, []).append(link.key)
    by_qid = _by_qid(items)
    out = []
    for link in links:
        item = _general_item(link.qid, by_qid)
        if item is None or item.valid_until is None or item.former_names:
            continue
        why = (f"the table's item {item.qid}: ceased {item.valid_until.isoformat()}, merged into "
               f"{item.successor or '?'}" + (f" ({item.successor_qid})" if item.successor_qid else "")
               + f"; {item.evidence}")
        out.append(UnitFact(link.key, "validUntil", item.valid_until, why))
        out += [UnitFact(link.key, "successor", key, why) for key in holders.get(item.successor_qid, ())]
    return out


def _by_qid(items: Sequence[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for item in items:
        out.setdefault(item.qid, []).append(item)
    return out


def _own_item(link: Link, by_qid: dict[str, list[Item]], iri: str) -> Item | None:
    """The item kept for this entity (accepted in a review, confirmed online), by key or IRI."""
    return next((i for i in by_qid.get(link.qid, ()) if link.key in i.keys or ("iri", iri) in i.keys), None)


def _general_item(qid: str, by_qid: dict[str, list[Item]]) -> Item | None:
    return next((i for i in by_qid.get(qid, ()) if not i.keys), None)
