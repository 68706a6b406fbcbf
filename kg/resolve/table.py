"""A user's table of person mentions that are, or are not, one person; it overrides the rules.

A CSV file with a header ``a,b,decision``: ``a`` and ``b`` name mentions as
``SOURCE#Name`` (the source's id, as ``kg build`` reports it, and the name as the source writes
it, in any case or tone placement), or ``#Name`` for every mention of that name; ``decision`` is
``same`` or ``different``. Lines starting with ``# `` (a hash and a space) are comments.

    a,b,decision
    2021_bac_giang.txt#Nguyễn Văn A,2024_ha_noi.txt#Nguyễn Văn A,same
    #Nguyễn Văn B,2023_son_la.txt#Nguyễn Văn B,different
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from . import names

DECISIONS = ("same", "different")


@dataclass(frozen=True)
class Ref:
    source: str  # "" for any source
    name: str  # exact form

    def matches(self, m) -> bool:
        return names.exact(m.name) == self.name and (not self.source or m.source == self.source)

    def __str__(self) -> str:
        return f"{self.source}#{self.name}"


@dataclass(frozen=True)
class Row:
    a: Ref
    b: Ref
    same: bool
    line: int


class Table:
    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = tuple(rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def names(self) -> list[tuple[str, str]]:
        """Pairs of exact names the table says are one person (their blocks are joined)."""
        return [(r.a.name, r.b.name) for r in self.rows if r.same]

    def same_pairs(self, mentions: Sequence) -> list[tuple]:
        out = []
        for r in self.rows:
            if r.same:
                xs = [m for m in mentions if r.a.matches(m)]
                ys = [m for m in mentions if r.b.matches(m)]
                out += [(x, y) for x in xs[:1] for y in ys]
                out += [(x, xs[0]) for x in xs[1:] if r.a.source]
        return out

    def apart(self, ms: Iterable, ns: Iterable) -> str | None:
        """Which row keeps a mention of `ms` from one of `ns`, as text, or None."""
        ms, ns = list(ms), list(ns)
        for r in self.rows:
            if not r.same and ((any(r.a.matches(m) for m in ms) and any(r.b.matches(n) for n in ns))
                               or (any(r.b.matches(m) for m in ms) and any(r.a.matches(n) for n in ns))):
                return f"{r.a} and {r.b} are different people (line {r.line})"
        return None


def _ref(text: str, path: Path, line: int) -> Ref:
    source, sep, name = text.strip().partition("#")
    if not sep or not name.strip():
        raise InputError(path, f"line {line}: {text!r} is not SOURCE#Name or #Name")
    return Ref(source.strip(), names.exact(name))


def load(path: Path | str | None) -> Table:
    if not path:
        return Table(())
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, f"cannot read the people table: {e}") from e
    lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("# ")]
    reader = csv.reader([line for _, line in lines])
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["a", "b", "decision"]:
        raise InputError(path, "the people table must start with the header a,b,decision")
    rows = []
    for (number, _), cells in zip(lines[1:], reader):
        if len(cells) != 3:
            raise InputError(path, f"line {number}: expected 3 cells (a,b,decision), found {len(cells)}")
        decision = cells[2].strip().lower()
        if decision not in DECISIONS:
            raise InputError(path, f"line {number}: decision {cells[2]!r} is not one of {', '.join(DECISIONS)}")
        rows.append(Row(_ref(cells[0], path, number), _ref(cells[1], path, number), decision == "same", number))
    return Table(rows)
