"""``owl:sameAs`` for the fast reasoner: classes of equal nodes, one representative each.

OWL 2 RL's equality rules (eq-sym, eq-trans, eq-rep-s/p/o) say that whatever holds of one
member of a class of equal nodes holds of every member. So the closure is computed once over
representatives (:meth:`SameAs.quotient`) and copied to the members (:meth:`SameAs.expand`),
which also yields the ``owl:sameAs`` pairs themselves. Nodes are integers (:class:`kg.reason.closure.Terms`).
"""
from __future__ import annotations

from typing import Iterable, Iterator

Triple = tuple[int, int, int]


class SameAs:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, tuple[int, ...]] = {}  # representative → members (classes of two or more)

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def merge(self, pairs: Iterable[Triple]) -> bool:
        """Join the classes of each (a, sameAs, b); True when a class changed."""
        changed = False
        for a, _, b in pairs:
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.parent[max(ra, rb)] = min(ra, rb)
                self.parent.setdefault(min(ra, rb), min(ra, rb))
                changed = True
        if changed:
            classes: dict[int, list[int]] = {}
            for x in list(self.parent):
                classes.setdefault(self.find(x), []).append(x)
            self.members = {r: tuple(sorted(m)) for r, m in classes.items() if len(m) > 1}
        return changed

    def rep(self, x: int) -> int:
        return self.find(x) if x in self.parent else x

    def quotient(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        if not self.members:
            yield from triples
            return
        rep = self.rep
        for s, p, o in triples:
            yield rep(s), p, rep(o)

    def members_of_classes(self) -> set[int]:
        return {m for ms in self.members.values() for m in ms}

    def expand(self, known: Iterable[Triple], same_as: int) -> Iterator[Triple]:
        """Every triple over representatives, for every member; and the sameAs pairs."""
        members = self.members
        if not members:
            yield from known
            return
        for s, p, o in known:
            if s in members or o in members:
                for a in members.get(s, (s,)):
                    for b in members.get(o, (o,)):
                        yield a, p, b
            else:
                yield s, p, o
        for ms in members.values():
            for a in ms:
                for b in ms:
                    yield a, same_as, b
