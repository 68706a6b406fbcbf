"""The review file: what the linker would not link on its own, for a person to judge.

Takes decisions; writes a CSV with one row per candidate of each entity left unlinked
(ambiguous, too weak, in conflict over a QID, offered only by an unverified item, or not
confirmed online): the entities named by the most sources first, each entity's best candidate
first, with its score and the reasons. ``-`` as the file writes it to standard output. A person
marks the right row's ``accept`` column (``x``, ``yes``); :func:`read_accepted` reads those rows
back for :func:`accept_review`, which keeps each accepted item for that entity (its key and
IRI) in the user's table. The columns are documented in ``docs/linking.md``. It does not decide
anything.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..model import Key
from .match import Decision, local_kind
from .table import KINDS, LOCAL_TABLE, QID, Item, add_items

COLUMNS = ("accept", "mentions", "label", "kind", "status", "qid", "candidate", "item_kind", "score", "note",
           "reasons", "rule", "key", "iri")
REQUIRED = ("accept", "key", "label", "item_kind", "qid")  # what reading an accepted row needs
YES = frozenset({"x", "y", "yes", "1", "true", "ok", "accept"})


@dataclass(frozen=True)
class ReviewRow:
    """One candidate of one unlinked entity."""

    key: Key
    label: str
    kind: str  # the entity's kind: person, organization, province, city …
    item_kind: str  # the kind the item gets in the table if accepted
    status: str  # ambiguous | weak | conflict | unverified | unconfirmed
    note: str
    qid: str
    candidate: str
    score: float
    rule: str
    reasons: tuple[str, ...]
    mentions: int = 0  # the number of sources that name the entity
    iri: str = ""


@dataclass(frozen=True)
class Accepted:
    """A review row a person accepted: this entity is this item."""

    key: Key
    label: str
    item_kind: str
    qid: str
    reasons: str
    iri: str = ""


def review_rows(decisions: Sequence[Decision]) -> tuple[ReviewRow, ...]:
    """Rows for every decision that has candidates but no link: the entities most sources
    name first (then by label), each one's candidates best first."""
    open_ = sorted((d for d in decisions if d.chosen is None and d.candidates),
                   key=lambda d: (-d.target.mentions, d.target.label, json.dumps(list(d.target.key))))
    return tuple(
        ReviewRow(d.target.key, d.target.label, local_kind(d.target) or "", c.kind, d.status, d.note,
                  c.qid, c.label, c.score, c.rule, c.reasons, d.target.mentions, d.target.iri)
        for d in open_ for c in d.candidates
    )


def write_review(rows: Sequence[ReviewRow], path: Path) -> None:
    """Write the review CSV (UTF-8, header first) to `path`, or to standard output for ``-``;
    an empty list writes the header only."""
    if str(path) == "-":
        _write_rows(rows, sys.stdout)
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        _write_rows(rows, out)


def _write_rows(rows: Sequence[ReviewRow], out) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(("", r.mentions, r.label, r.kind, r.status, r.qid, r.candidate, r.item_kind,
                         f"{r.score:.3f}", r.note, "; ".join(r.reasons), r.rule,
                         json.dumps(list(r.key), ensure_ascii=False), r.iri))


def read_accepted(path: Path) -> tuple[Accepted, ...]:
    """The rows marked accepted; one QID per entity and one entity per QID, else InputError."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as src:
            rows = list(csv.DictReader(src))
    except OSError as exc:
        raise InputError(path, f"cannot read the review file ({exc.strerror})") from exc
    if rows and not set(REQUIRED) <= set(rows[0]):
        raise InputError(path, f"not a review file: it needs the columns {', '.join(REQUIRED)}")
    accepted = tuple(_accepted(path, n, row) for n, row in enumerate(rows, 2)
                     if (row.get("accept") or "").strip().casefold() in YES)
    _one_to_one(path, accepted)
    return accepted


def _accepted(path: Path, line: int, row: dict[str, str]) -> Accepted:
    qid, kind = row["qid"].strip(), row["item_kind"].strip()
    if not QID.fullmatch(qid):
        raise InputError(path, f"line {line}: {qid!r} is not a Wikidata item id")
    if kind not in KINDS:
        raise InputError(path, f"line {line}: item_kind {kind!r} is not one of {', '.join(KINDS)}")
    try:
        key = tuple(str(k) for k in json.loads(row["key"]))
    except (ValueError, TypeError) as exc:
        raise InputError(path, f"line {line}: key {row['key']!r} is not a JSON list") from exc
    return Accepted(key, row["label"].strip(), kind, qid, row.get("reasons") or "", (row.get("iri") or "").strip())


def _one_to_one(path: Path, accepted: Sequence[Accepted]) -> None:
    qid_of: dict[Key, str] = {}
    key_of: dict[str, Key] = {}
    for a in accepted:
        if qid_of.setdefault(a.key, a.qid) != a.qid:
            raise InputError(path, f"{list(a.key)} is accepted as both {qid_of[a.key]} and {a.qid}")
        if key_of.setdefault(a.qid, a.key) != a.key:
            raise InputError(path, f"{a.qid} is accepted for both {list(key_of[a.qid])} and {list(a.key)}")


def accept_review(review: Path, table: Path = LOCAL_TABLE) -> tuple[Item, ...]:
    """Add the accepted rows of a review file to a user table; returns the items added.

    Each accepted item is kept for the entity it was accepted for (its key); delete
    ``keys`` from its JSON to let it match every entity of that name and kind."""
    items = tuple(
        Item(qid=a.qid, kind=a.item_kind, labels=(("vi", a.label),), origin="accepted",
             keys=(a.key, ("iri", a.iri)) if a.iri and a.key != ("iri", a.iri) else (a.key,),
             evidence=f"accepted in {Path(review).name}" + (f": {a.reasons}" if a.reasons else ""))
        for a in read_accepted(review)
    )
    add_items(table, items, about=LOCAL_ABOUT)
    return items


LOCAL_ABOUT = ("Wikidata items a person accepted from a `kg link --review` file (`kg link --accept`). "
               "Read after the shipped table kg/data/wikidata.json; same format.")
