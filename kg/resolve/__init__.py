"""Resolution: the stage between extraction and the graph that decides which mentions, across
all sources, are one entity, and builds what only many sources together tell (tenures).

    extractions ─bodies─► district keys a merger split made one ─mentions─► Mention records
    ─cluster─► Resolution ─apply─► extractions with resolved keys ─tenures─► Tenure records

- :mod:`.names`, :mod:`.posts`: forms of a name; where a post sits, who holds it alone;
- :mod:`.mentions`: the records; :mod:`.people`: the clustering and its decisions;
- :mod:`.table`: the user's same/different pairs; :mod:`.record`: the record kept beside a build;
- :mod:`.bodies`: districts after the 2025 mergers; :mod:`.places`: a source placed by its people;
- :mod:`.tenures`: tenures and successions.

`resolve` serves `kg build` (``person_identity = "name"`` turns it off: one person per written
name, as before); `place` serves `kg add`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Sequence

from ..model import Entity, Extraction, Fact, Key, tenure_key, tenure_parts
from ..spool import mapped
from .bodies import renamable, renamer, renames as body_renames
from .mentions import Decision, Mention, Person, Resolution, mentions
from .people import block_of, cluster, joined_names, stem as name_stem
from .table import Table, load as load_table

if TYPE_CHECKING:
    from .record import Record

__all__ = ["Decision", "Mention", "Outline", "Person", "Resolution", "Table", "apply", "cluster", "load_table",
           "mentions", "outline", "place", "resolve"]


@dataclass(frozen=True, slots=True)
class Outline:
    """What resolution reads of one source: its person mentions as extracted, the keys of its
    entities a merger could rename (:func:`.bodies.renamable`), whether it leaves bodies or
    documents unplaced (:func:`.places.unplaced`) and its date. A build takes it as each
    extraction comes (:func:`outline`), so that resolving never reads the extractions back but
    the few a merger renames or their people place."""
    source: str
    mentions: tuple[Mention, ...]
    renamable: frozenset[Key]
    unplaced: bool
    published: date | None


def outline(ex: Extraction) -> Outline:
    from .places import unplaced
    return Outline(ex.source.id, tuple(mentions(ex)), frozenset(e.key for e in ex.entities if renamable(e.key)),
                   unplaced(ex), ex.source.meta.published)


def resolve(extractions: Sequence[Extraction], table: Table | None = None, identity: str = "context",
            outlines: Sequence[Outline] | None = None) -> tuple[Sequence[Extraction], Resolution]:
    """The extractions with their person keys resolved (and the district keys a merger split,
    :mod:`kg.resolve.bodies`), and the resolution behind them. The extractions are read one at a
    time, and resolved again each time the result is read: a build never holds them all. Given
    their `outlines` (in the same order), only those whose keys a merger renames are read here."""
    if identity not in ("context", "name"):
        raise ValueError(f"person_identity must be 'context' or 'name', not {identity!r}")
    if outlines is None:
        outlines = [outline(ex) for ex in extractions]
    if identity == "name":
        return extractions, Resolution.of_keys([m for o in outlines for m in o.mentions])
    districts = renamer(body_renames((), (k for o in outlines for k in o.renamable)))
    extractions = mapped(extractions, lambda ex: apply(ex, districts))
    # a source none of whose keys the merger renames is unchanged by `apply`: its mentions are the outline's
    res = cluster([m for i, o in enumerate(outlines)
                   for m in (mentions(extractions[i]) if any(districts(k) != k for k in o.renamable) else o.mentions)],
                  table)
    keys = res.key_map()
    return mapped(extractions, lambda ex: apply(ex, _people_of(ex.source.id, keys))), res


def _people_of(source: str, keys: dict[tuple[str, Key], Key]):
    def rename(k: Key) -> Key:
        if k[0] == "Tenure":
            person, post = tenure_parts(k)
            return tenure_key(keys.get((source, person), person), post)
        return keys.get((source, k), k)
    return rename


def apply(ex: Extraction, rename) -> Extraction:
    """`ex` with each key `rename`d (a function from key to key); two entities that become one (a
    name and its signature in capitals) are one entity, with the other's label as an alternative."""
    if not any(rename(e.key) != e.key for e in ex.entities):
        return ex
    entities: dict[Key, Entity] = {}
    for e in ex.entities:
        k = rename(e.key)
        old = entities.get(k)
        if old is None:
            entities[k] = replace(e, key=k)
        elif e.label != old.label and e.label not in old.alt_labels:
            entities[k] = replace(old, alt_labels=old.alt_labels + (e.label,))
    facts: dict[tuple, Fact] = {}
    for f in ex.facts:
        s, o = rename(f.subject), f.object
        if isinstance(o, tuple):
            o = rename(o)
        facts.setdefault((s, f.predicate, o), replace(f, subject=s, object=o))
    return replace(ex, entities=tuple(entities.values()), facts=tuple(facts.values()))


def place(extractions: Sequence[Extraction], previous: "Record | None", table: Table | None = None,
          identity: str = "context") -> tuple[list[Extraction], Resolution, list[str]]:
    """`kg add`: the new sources' people placed among those of the dataset (`previous`, its
    people record, of which only the people of the names the new sources mention are read). A
    new mention joins the person the rules give it; no earlier decision is undone — where the
    new sources would now join two people or part one, the note says so (a full `kg build`
    applies it). Returns the resolved extractions, the people the new sources touch (each with
    all their mentions, old and new) with the new decisions, and the notes."""
    if identity != "name":
        known = previous.bodies() if previous is not None else set()
        extractions = [apply(ex, renamer(body_renames(extractions, known))) for ex in extractions]
    new = [m for ex in extractions for m in mentions(ex)]
    if identity == "name":
        return list(extractions), Resolution.of_keys(new), []
    joined = joined_names(table)
    touched = {block_of(m.name, joined) for m in new}  # only the people of these names can change
    bares = touched | {bare for bare, block in joined.items() if block in touched}
    before = previous.people_of(bares) if previous is not None else []
    old = [m for p in before for m in p.mentions if block_of(m.name, joined) in touched]
    refs = {m.ref for m in new}
    full = cluster(old + new, table, keep=lambda a, b: a in refs or b in refs)  # the decisions about the new
    # a mention's ref is made anew each time it is asked: asked once each here (tens of thousands)
    was = {m.ref: p.key for p in before for m in p.mentions}
    now: dict[str, Key] = {}
    people = {p.key: Person(p.key, p.label, list(p.mentions)) for p in before}
    notes, keys, targets = [], {}, set()
    for p in full.people:
        counts, fresh = Counter(), []
        for m in p.mentions:
            ref = m.ref
            now[ref] = p.key
            if ref in was:
                counts[was[ref]] += 1
            else:
                fresh.append(m)
        olds = sorted(counts)
        if len(olds) > 1:
            notes.append(f"{p.label}: the new sources make {len(olds)} people one ({', '.join(map(_show, olds))}); "
                         "they stay apart until `kg build`")
        if not fresh:
            continue
        if olds:
            target = max(olds, key=lambda k: (counts[k], k))
        else:
            taken = {k for k in people if k[1] == p.label} | (previous.keys_named(p.label) if previous else set())
            target = _free_key(p, taken)
            people[target] = Person(target, p.label, [])
        people[target].mentions += fresh
        targets.add(target)
        keys.update({(m.source, m.key): target for m in fresh})
    for p in before:
        parts = {now[ref] for ref in (m.ref for m in p.mentions) if ref in now}
        if len(parts) > 1:
            notes.append(f"{p.label} ({_show(p.key)}): with the new sources the rules would make {len(parts)} people "
                         "of it; it stays one until `kg build`")
    decisions = [d for d in full.decisions if d.a in refs or d.b in refs]
    # the people a new mention joined, or with a mention of the new one's ref (read again)
    targets |= {was[ref] for ref in refs if ref in was}
    touched_people = [p for k, p in people.items() if k in targets]
    return ([apply(ex, _people_of(ex.source.id, keys)) for ex in extractions], Resolution(touched_people, decisions),
            notes)


def _show(key: Key) -> str:
    return " ".join(key[1:])


def _free_key(p: Person, taken: set[Key]) -> Key:
    """A key for a new person, none of `taken` (the keys of people of this name): the name, else
    the name with where and when they first appear."""
    if not taken:
        return ("Person", p.label)
    stem = name_stem(p.mentions)
    n = 2
    while ("Person", p.label, f"@{stem}-{n}" if stem else f"@{n}") in taken:
        n += 1
    return ("Person", p.label, f"@{stem}-{n}" if stem else f"@{n}")
