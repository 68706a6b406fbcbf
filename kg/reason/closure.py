"""The closure of a set of facts under a compiled :class:`kg.reason.rules.Schema`, kept up to date.

Terms become strings (:func:`key`) and integers once (:class:`Terms`); a triple is a tuple of three,
and is held as one integer (:func:`pack`: at 100,000 articles the closure holds some 13 million
triples, and an integer is half a tuple's memory). :class:`Closure` holds every triple known
(asserted or inferred) and, for the few properties that join (transitive ones, links of property
chains), an index each way; a node's classes are looked up among the known triples (to find
disjoint ones). Adding a triple adds at once everything it implies alone (superproperties,
inverses, domain and range types, superclasses); only joined properties go through the work
list. `add()` on a closed set is the incremental step: only what the new facts imply is added.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from functools import lru_cache
from itertools import repeat

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF

from .rules import Schema

Triple = tuple[int, int, int]

_BITS = 32
_MASK = (1 << _BITS) - 1


def pack(x: int, p: int, y: int) -> int:
    """A triple of term ids (each below 2**32) as one integer; :func:`unpack` undoes it."""
    return (x << 64) | (p << 32) | y


def unpack(k: int) -> Triple:
    return k >> 64, (k >> 32) & _MASK, k & _MASK


def key(term) -> str:
    """A term as a plain string: ``<iri``, ``"lexical\x1flang\x1fdatatype``, ``_bnode``."""
    if term.__class__ is URIRef:
        return str.__add__("<", term)
    if isinstance(term, Literal):
        return f'"{term}\x1f{term.language or ""}\x1f{term.datatype or ""}'
    if isinstance(term, BNode):
        return f"_{term}"
    return f"<{term}"


@lru_cache(maxsize=1 << 16)
def from_key(k: str):
    if k[0] == '"':
        lexical, lang, datatype = k[1:].rsplit("\x1f", 2)
        return Literal(lexical, lang=lang or None, datatype=URIRef(datatype) if datatype else None)
    return BNode(k[1:]) if k[0] == "_" else URIRef(k[1:])


class Terms:
    """A two-way table between term keys (:func:`key`) and integers."""

    def __init__(self, keys: list[str] | None = None) -> None:
        self.keys: list[str] = list(keys or ())
        self.ids: dict[str, int] = {k: i for i, k in enumerate(self.keys)}

    def id(self, k: str) -> int:
        found = self.ids.get(k)
        if found is None:
            found = self.ids[k] = len(self.keys)
            self.keys.append(k)
        return found

    def encode(self, triple) -> Triple:
        """A triple of key strings as integers."""
        ids = self.ids
        s, p, o = triple
        a, b, c = ids.get(s), ids.get(p), ids.get(o)
        return (self.id(s) if a is None else a, self.id(p) if b is None else b, self.id(o) if c is None else c)

    def decode(self, triple: Triple) -> tuple[str, str, str]:
        k = self.keys
        return k[triple[0]], k[triple[1]], k[triple[2]]

    def is_literal(self, i: int) -> bool:
        return self.keys[i][0] == '"'


class _Tables:
    """The schema's tables translated to integers, built once per Terms."""

    def __init__(self, schema: Schema, terms: Terms) -> None:
        i = lambda term: terms.id(key(term))
        self.type, self.nothing = i(RDF.type), i(OWL.Nothing)
        self.supers = {i(c): tuple(i(s) for s in sorted(v)) for c, v in schema.supers.items()}
        self.forward = {i(p): tuple(i(q) for q in sorted(v)) for p, v in schema.forward.items()}
        self.backward = {i(p): tuple(i(q) for q in sorted(v)) for p, v in schema.backward.items()}
        self.s_types = {i(p): tuple(i(c) for c in sorted(v)) for p, v in schema.subject_types.items() if v}
        self.o_types = {i(p): tuple(i(c) for c in sorted(v)) for p, v in schema.object_types.items() if v}
        self.transitive = frozenset(i(p) for p in schema.transitive)
        self.after = defaultdict(list)  # p1 → [(p2, p)] for chains p1∘p2 ⊑ p
        self.before = defaultdict(list)  # p2 → [(p1, p)]
        for (p1, p2), p in schema.chains:
            self.after[i(p1)].append((i(p2), i(p)))
            self.before[i(p2)].append((i(p1), i(p)))
        self.joined = frozenset(i(p) for p in schema.joined)
        self.disjoint = defaultdict(set)
        for pair in schema.disjoint:
            a, b = sorted(pair)
            self.disjoint[i(a)].add(i(b))
            self.disjoint[i(b)].add(i(a))


class Closure:
    """Everything `schema` lets one conclude from the facts added so far."""

    def __init__(self, schema: Schema, terms: Terms | None = None) -> None:
        self.terms = terms or Terms()
        self.t = _Tables(schema, self.terms)
        self.known: set[int] = set()  # packed triples (:func:`pack`)
        self.out: dict[int, dict[int, set[int]]] = {p: defaultdict(set) for p in self.t.joined}
        self.inn: dict[int, dict[int, set[int]]] = {p: defaultdict(set) for p in self.t.joined}
        self.clashes: list[tuple[int, int, int]] = []  # (node, class, class)

    def add(self, triples: Iterable[Triple], packed: Iterable[int] | None = None) -> int:
        """Add facts; return how many triples were not known before (facts and inferences).
        `packed`, if given, is each triple packed (:func:`pack`), in the same order: the fact is
        then held as that very integer, which the caller may hold too (the reasoner's set of
        asserted triples) without a second copy."""
        return self.add_pairs(zip(triples, repeat(None) if packed is None else packed))

    def add_pairs(self, pairs: Iterable[tuple[Triple, int]]) -> int:
        """:meth:`add` of triples each given with its packed integer (which the closure then holds;
        None: packed here)."""
        before = len(self.known)
        work: list[Triple] = []
        for t, k in pairs:
            self._local(t, work, k)
        while work:
            self._join(work.pop(), work)
        return len(self.known) - before

    def _local(self, t: Triple, work: list, k: int | None = None) -> None:
        x, p, y = t
        if k is None:
            k = (x << 64) | (p << 32) | y
        if k in self.known:
            return
        self._keep(k, t, work)  # the triple itself, then what it implies alone (itself among them: known)
        tb = self.t
        if p == tb.type:
            for c in tb.supers.get(y, (y,)):
                self._store((x, p, c), work)
            return
        literal = self.terms.keys[y][0] == '"'
        for q in tb.forward.get(p, (p,)):
            self._store((x, q, y), work)
        for c in tb.s_types.get(p, ()):
            self._store((x, tb.type, c), work)
        if literal:  # a literal is never a subject: inverses and range types of literals are dropped
            return
        for q in tb.backward.get(p, ()):
            self._store((y, q, x), work)
        for c in tb.o_types.get(p, ()):
            self._store((y, tb.type, c), work)

    def _store(self, t: Triple, work: list) -> None:
        x, p, y = t
        k = (x << 64) | (p << 32) | y
        if k not in self.known:
            self._keep(k, t, work)

    def _keep(self, k: int, t: Triple, work: list) -> None:
        x, p, y = t
        self.known.add(k)
        if p == self.t.type:
            self._typed(x, y)
        elif p in self.t.joined:
            work.append(t)

    def _typed(self, x: int, c: int) -> None:
        for other in self.t.disjoint.get(c, ()):
            if self._has_type(x, other):
                self.clashes.append((x, c, other))
        if c == self.t.nothing:
            self.clashes.append((x, c, c))

    def _has_type(self, x: int, c: int) -> bool:
        return self.has((x, self.t.type, c))

    def has(self, t: Triple) -> bool:
        return pack(*t) in self.known

    def _join(self, t: Triple, work: list) -> None:
        x, p, y = t
        tb = self.t
        self.out[p][x].add(y)
        self.inn[p][y].add(x)
        found = []
        if p in tb.transitive:
            found += [(x, p, z) for z in self.out[p].get(y, ())]
            found += [(w, p, y) for w in self.inn[p].get(x, ())]
        for p2, q in tb.after.get(p, ()):
            found += [(x, q, z) for z in self.out[p2].get(y, ())]
        for p1, q in tb.before.get(p, ()):
            found += [(w, q, y) for w in self.inn[p1].get(x, ())]
        for f in found:
            self._local(f, work)

    def triples(self) -> Iterator[Triple]:
        return map(unpack, self.known)
