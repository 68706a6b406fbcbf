"""Where a source is, when it never says: the province its people hold posts in.

An article that never names its province leaves "Tỉnh ủy", "Ban Tổ chức", "Nghị quyết số 05"
unqualified (scoped to the source, never guessed). Once people are resolved across sources, its
people may say it: if the people it names hold posts — in this source or in others — in one
province and no other (national posts aside), the source is taken to be of that province, and
it is extracted again with that province, as if its sidecar had said so.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Sequence

from ..model import Extraction
from .mentions import Resolution
from .posts import CENTRAL, family, merged_on

if TYPE_CHECKING:
    from . import Outline

MIN_PEOPLE = 2  # people, each with a post in the province, that place a source there


def unplaced(ex: Extraction) -> bool:
    """Whether the source has bodies or documents left unqualified (scoped to it)."""
    mark = "@" + ex.source.id
    return not ex.source.meta.province and any(e.cls in ("Body", "Document") and mark in e.key for e in ex.entities)


def _seat_on(seat: str, date) -> str:
    """The seat as it was on the source's date: a province merged by then is its successor."""
    merged = merged_on(seat)
    return family(seat) if merged is not None and date is not None and date.toordinal() >= merged else seat


def provinces(outlines: Sequence["Outline"], res: Resolution) -> dict[str, tuple[str, str]]:
    """Source id → (province, why) for the unplaced sources (by their outlines) whose people place them."""
    dates = {o.source: o.published for o in outlines if o.unplaced}  # the sources to place, and their dates
    if not dates:
        return {}
    seats_of = {}
    for p in res.people:
        raw = {x.seat for m in p.mentions for x in m.posts if x.seat and x.seat != CENTRAL and not x.former}
        for m in p.mentions:
            if m.source in dates:
                seats_of.setdefault(m.source, []).append((p.label, {_seat_on(s, dates[m.source]) for s in raw}))
    out = {}
    for source, people in seats_of.items():
        votes = Counter(next(iter(s)) for _, s in people if len(s) == 1)
        if len(votes) == 1 and sum(votes.values()) >= MIN_PEOPLE:
            province = next(iter(votes))
            names = sorted(label for label, s in people if s == {province})
            out[source] = (province, f"its people {', '.join(names[:3])} hold posts in {province}")
    return out


def extracted_again(extractions: Sequence[Extraction], placed: dict[str, tuple[str, str]],
                    outlines: Sequence["Outline"] | None = None) -> Sequence[Extraction]:
    """The extractions, those of the `placed` sources made again in their province (held in
    memory; the others read from `extractions` as they are asked for). Given their `outlines`,
    only the placed ones are read here."""
    from dataclasses import replace
    from ..extract import extract
    from ..spool import Lazy
    at = (range(len(extractions)) if outlines is None
          else [i for i, o in enumerate(outlines) if o.source in placed])
    again = {i: extract(replace(ex.source, meta=replace(ex.source.meta, province=placed[ex.source.id][0])))
             for i, ex in ((i, extractions[i]) for i in at) if ex.source.id in placed}
    return Lazy(len(extractions), lambda i: again[i] if i in again else extractions[i])


def placed_by_people(extractions: Sequence[Extraction], run, log=lambda line: None,
                     outlines: Sequence["Outline"] | None = None):
    """`run(extractions, outlines)` (a resolution: its first two items the resolved extractions
    and the Resolution), and again on the sources its people place, extracted again there. The
    `outlines` (:func:`kg.resolve.outline`, in the same order) are made here unless given."""
    from . import outline
    outlines = [outline(ex) for ex in extractions] if outlines is None else outlines
    result = run(extractions, outlines)
    placed = provinces(outlines, result[1])
    if not placed:
        return result
    for sid, (province, why) in sorted(placed.items()):
        log(f"resolve: {sid} is taken to be of {province}: {why}")
    del result  # the first resolution (every mention, every decision) goes before the second is made
    again = extracted_again(extractions, placed, outlines)
    return run(again, [outline(again[i]) if o.source in placed else o for i, o in enumerate(outlines)])
