"""Incremental OWL-RL over a built dataset: what new facts add to a closure already in a store.

A built dataset's default graph (in pyoxigraph, :mod:`kg.store`) holds every asserted triple
and every inference, and is closed under the compiled rules. Adding facts then needs only the
consequences of the new ones: :class:`StoreClosure` is :class:`kg.reason.closure.Closure` whose
``known`` set (a node's classes among them) and join indexes are the new triples *plus* look-ups in the store,
fetched on first use — a new ``memberOf`` chain looks up the posts of one person, not the
whole graph. :class:`StoreReasoner` is the ``rules`` engine on top of it, with the store's
``owl:sameAs`` classes loaded first; a new ``owl:sameAs`` that joins classes brings every
stored fact of their members back in, so equality is applied to them too.

What comes out is what the full build would put in the inferred graph for these facts,
less what the store already holds (the parity test in tests/test_scale_add.py checks it).
"""
from __future__ import annotations

from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL

from .closure import Closure, Terms, Triple, key, pack
from ..graph import EVIDENCE_PREDICATES
from . import FastReasoner, Inference
from .rules import Schema

_DEFAULT = ox.DefaultGraph()
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_EVIDENCE_KEYS = frozenset(key(p) for p in EVIDENCE_PREDICATES)


def to_ox(k: str):
    """A term key (:func:`kg.reason.closure.key`) as a pyoxigraph term."""
    if k[0] == "<":
        return ox.NamedNode(k[1:])
    if k[0] == "_":
        return ox.BlankNode(k[1:])
    lexical, lang, datatype = k[1:].rsplit("\x1f", 2)
    if lang:
        return ox.Literal(lexical, language=lang)
    return ox.Literal(lexical, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(lexical)


def from_ox(term) -> str:
    """A pyoxigraph term as a term key, the inverse of :func:`to_ox`."""
    if isinstance(term, ox.NamedNode):
        return "<" + term.value
    if isinstance(term, ox.BlankNode):
        return "_" + term.value
    datatype = term.datatype.value
    if term.language or datatype in (_XSD_STRING, _LANG_STRING):
        datatype = ""
    return f'"{term.value}\x1f{term.language or ""}\x1f{datatype}'


class StoreView:
    """The store's default graph seen through integer term ids."""

    def __init__(self, store: ox.Store, terms: Terms) -> None:
        self.store, self.terms = store, terms
        self._ox: dict[int, object] = {}

    def term(self, i: int):
        found = self._ox.get(i)
        if found is None:
            found = self._ox[i] = to_ox(self.terms.keys[i])
        return found

    def id(self, term) -> int:
        return self.terms.id(from_ox(term))

    def has(self, t: Triple) -> bool:
        s, p, o = t
        if self.terms.keys[s][0] == '"':
            return False
        return ox.Quad(self.term(s), self.term(p), self.term(o), _DEFAULT) in self.store

    def objects(self, s: int, p: int) -> Iterator[int]:
        for q in self.store.quads_for_pattern(self.term(s), self.term(p), None, _DEFAULT):
            yield self.id(q.object)

    def subjects(self, p: int, o: int) -> Iterator[int]:
        for q in self.store.quads_for_pattern(None, self.term(p), self.term(o), _DEFAULT):
            yield self.id(q.subject)

    def facts_about(self, node: int) -> Iterator[tuple[str, str, str]]:
        """Every stored fact (evidence left out) with `node` as subject or object, as keys."""
        n = self.term(node)
        for q in (*self.store.quads_for_pattern(n, None, None, _DEFAULT),
                  *self.store.quads_for_pattern(None, None, n, _DEFAULT)):
            t = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            if t[1] not in _EVIDENCE_KEYS:
                yield t


class StoreClosure(Closure):
    """A closure whose earlier part lives in a store; only the new part is held here."""

    def __init__(self, schema: Schema, terms: Terms, view: StoreView, rep) -> None:
        super().__init__(schema, terms)
        self.view, self.rep = view, rep
        self.old: set[Triple] = set()  # triples found in the store
        self._fetched: set[tuple[str, int, int]] = set()

    def _stored(self, t: Triple) -> bool:
        if t in self.old:
            return True
        if not self.has(t) and self.view.has(t):
            self.old.add(t)
            return True
        return False

    def _local(self, t: Triple, work: list, k: int | None = None) -> None:
        if not self._stored(t):  # a stored triple's consequences are stored too: the store is closed
            super()._local(t, work, k)

    def _store(self, t: Triple, work: list) -> None:
        if not self._stored(t):
            super()._store(t, work)

    def _has_type(self, x: int, c: int) -> bool:
        return super()._has_type(x, c) or self._stored((x, self.t.type, c))

    def _join(self, t: Triple, work: list) -> None:
        x, p, y = t
        tb = self.t
        if p in tb.transitive:
            self._fetch("out", p, y)
            self._fetch("in", p, x)
        for p2, _ in tb.after.get(p, ()):
            self._fetch("out", p2, y)
        for p1, _ in tb.before.get(p, ()):
            self._fetch("in", p1, x)
        super()._join(t, work)

    def _fetch(self, way: str, p: int, node: int) -> None:
        if (way, p, node) in self._fetched:
            return
        self._fetched.add((way, p, node))
        if way == "out":
            self.out[p][node].update(self.rep(o) for o in self.view.objects(node, p))
        else:
            self.inn[p][node].update(self.rep(s) for s in self.view.subjects(p, node))


class StoreReasoner(FastReasoner):
    """The ``rules`` engine adding facts to the closed dataset in `store`."""

    def __init__(self, ontology: Graph, base: str, store: ox.Store) -> None:
        super().__init__(ontology, base)
        self.view = StoreView(store, self.terms)
        self.closure = self._fresh()
        self.recalled: list[Triple] = []  # stored facts of nodes whose sameAs class changed
        same = ox.NamedNode(str(OWL.sameAs))
        pairs = [(self.view.id(q.subject), self.same_as, self.view.id(q.object))
                 for q in store.quads_for_pattern(None, same, None, _DEFAULT) if not isinstance(q.object, ox.Literal)]
        self.same.merge(pairs)

    def _fresh(self) -> StoreClosure:
        return StoreClosure(self.schema, self.terms, self.view, self.same.rep)

    def _restart(self) -> None:
        self._refuse_vocabulary_sameas()
        encode, same_as = self.terms.encode, self.same_as
        self.recalled = [encode(t) for node in sorted(self.same.members_of_classes())
                         for t in self.view.facts_about(node)]
        self.closure = self._fresh()
        self.closure.add(self.same.quotient([*(t for t in self.asserted_triples() if t[1] != same_as),
                                             *(t for t in self.recalled if t[1] != same_as)]))

    def result(self) -> Inference:
        """The new inferences (as term keys): what the full build would infer, less the store."""
        known = self.closure.known
        self.closure.known = known | {pack(*t) for t in self.same.quotient(self.recalled)}
        try:
            found = super().result()
        finally:
            self.closure.known = known
        encode, has = self.terms.encode, self.view.has
        return Inference(tuple(t for t in found.triples if not has(encode(t))), found.inconsistencies)


def add_facts(store: ox.Store, ontology: Graph, base: str, facts: Iterable[tuple[str, str, str]]) -> Inference:
    """The inferences `facts` (term keys) add to the closed dataset in `store`."""
    engine = StoreReasoner(ontology, base, store)
    engine.add_keys(facts)
    return engine.result()


__all__ = ["StoreClosure", "StoreReasoner", "StoreView", "add_facts", "from_ox", "to_ox"]
