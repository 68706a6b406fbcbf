"""The fast reasoner: OWL 2 RL rules compiled for vnkg's ontology, run over integer triples.

`compile_schema(ontology)` reads the axioms the ontology uses — subclass and subproperty (and
their equivalences), domain, range, inverse, symmetric and transitive properties, property
chains of two, disjoint classes — and closes them once into tables: what one triple implies
on its own (its superproperties, inverses and their superproperties, the types its subject
and object get). Anything else in the ontology (restrictions, keys, functional properties,
longer chains, …) raises :class:`UnsupportedOntology`: the caller then uses owlrl, never a
reasoner that would silently infer less.

:class:`Closure` holds the closure of a set of facts: the local tables give a triple's
consequences in one step; only the triples of transitive and chained properties are joined,
through two indexes. `add()` is incremental: adding facts to a closed set computes only what
they imply. ``owl:sameAs`` is handled by reasoning over one representative per class and
copying the results to the other members (:mod:`kg.reason`). It reports disjointness
violations and members of ``owl:Nothing`` as inconsistencies; it does not filter what is
worth keeping (:mod:`kg.reason` does, the same way for both reasoners).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import KgError

# Axiom predicates and class/property kinds the compiler understands; anything else about a
# class or property that OWL 2 RL gives meaning to is refused.
_UNDERSTOOD_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                     OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AllDisjointClasses, RDFS.Class,
                     RDF.Property, RDFS.Datatype}
_REFUSED = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty, OWL.AsymmetricProperty,
            OWL.Restriction, OWL.AllDifferent, OWL.AllDisjointProperties, OWL.NegativePropertyAssertion,
            OWL.hasKey, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.propertyDisjointWith,
            OWL.onProperty, OWL.sameAs, OWL.differentFrom, OWL.maxCardinality, OWL.maxQualifiedCardinality}


class UnsupportedOntology(KgError):
    """The ontology uses an OWL 2 RL construct the compiled rules do not implement."""


@dataclass(frozen=True)
class Schema:
    """The ontology closed into lookup tables, keyed by rdflib terms."""

    supers: dict  # class → frozenset of its superclasses, itself included
    forward: dict  # property p → properties q with (x p y) ⇒ (x q y), p included
    backward: dict  # property p → properties q with (x p y) ⇒ (y q x)
    subject_types: dict  # property p → classes of x implied by (x p y), closed under superclasses
    object_types: dict  # property p → classes of y implied by (x p y) (object properties only)
    transitive: frozenset
    chains: tuple  # ((p1, p2), p): (x p1 y) ∧ (y p2 z) ⇒ (x p z)
    disjoint: frozenset  # frozenset({c1, c2}) pairs that share no member

    @property
    def joined(self) -> frozenset:
        """Properties whose triples take part in joins."""
        return frozenset(self.transitive | {q for pair, _ in self.chains for q in pair})


def compile_schema(ontology: Graph) -> Schema:
    _refuse_unsupported(ontology)
    sub_class = _edges(ontology, RDFS.subClassOf, OWL.equivalentClass)
    for c in set(ontology.subjects(RDF.type, OWL.Class)) | {OWL.Thing}:
        sub_class[c].add(OWL.Thing)  # owlrl's scm-cls: every declared class is under owl:Thing
    supers = _reflexive_closure(sub_class, _classes(ontology) | {OWL.Thing})
    sub_prop = _edges(ontology, RDFS.subPropertyOf, OWL.equivalentProperty)
    props = _properties(ontology)
    inverse = defaultdict(set)
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverse[p].add(q)
        inverse[q].add(p)
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    forward, backward = {}, {}
    for p in props:
        forward[p], backward[p] = _directions(p, sub_prop, inverse, symmetric)
    close = lambda classes: frozenset(s for c in classes for s in supers.get(c, {c}))
    domain, range_ = _by_subject(ontology, RDFS.domain), _by_subject(ontology, RDFS.range)
    subject_types = {p: close({c for q in forward[p] for c in domain[q]} | {c for q in backward[p] for c in range_[q]})
                     for p in props}
    object_types = {p: close({c for q in forward[p] for c in range_[q]} | {c for q in backward[p] for c in domain[q]})
                    for p in props}
    return Schema(supers, forward, backward, subject_types, object_types,
                  frozenset(ontology.subjects(RDF.type, OWL.TransitiveProperty)), _chains(ontology), _disjoint(ontology))


def _refuse_unsupported(ontology: Graph) -> None:
    for s, p, o in ontology:
        if p in _REFUSED or (p == RDF.type and o in _REFUSED):
            raise UnsupportedOntology(f"the fast reasoner does not implement {p if p in _REFUSED else o} "
                                      f"(used on {s}); use --reasoner owlrl")
        if p == RDF.type and o.startswith(str(OWL)) and o not in _UNDERSTOOD_TYPES:
            raise UnsupportedOntology(f"the fast reasoner does not implement {o} (on {s}); use --reasoner owlrl")


def _edges(g: Graph, sub: URIRef, equivalent: URIRef) -> defaultdict:
    edges = defaultdict(set)
    for a, b in g.subject_objects(sub):
        edges[a].add(b)
    for a, b in g.subject_objects(equivalent):
        edges[a].add(b)
        edges[b].add(a)
    return edges


def _reflexive_closure(edges: dict, nodes: set) -> dict:
    out = {}
    for n in set(nodes) | set(edges):
        seen, todo = {n}, [n]
        while todo:
            for m in edges.get(todo.pop(), ()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        out[n] = frozenset(seen)
    return out


def _classes(g: Graph) -> set:
    found = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, RDFS.Class))
    for p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
        for a, b in g.subject_objects(p):
            found |= {a, b}
    return {c for c in found if not isinstance(c, BNode)}


def _properties(g: Graph) -> set:
    found = set()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                 OWL.TransitiveProperty, OWL.SymmetricProperty):
        found |= set(g.subjects(RDF.type, kind))
    for p in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf):
        for a, b in g.subject_objects(p):
            found |= {a, b}
    return found | {RDF.type}


def _directions(p, sub_prop: dict, inverse: dict, symmetric: set) -> tuple[frozenset, frozenset]:
    """The properties (x p y) implies forwards (x q y) and backwards (y q x), to a fixpoint."""
    fwd, bwd, changed = {p}, set(), True
    while changed:
        before = (len(fwd), len(bwd))
        for q in list(fwd):
            fwd |= sub_prop.get(q, set())
            bwd |= inverse.get(q, set()) | ({q} if q in symmetric else set())
        for q in list(bwd):
            bwd |= sub_prop.get(q, set())
            fwd |= inverse.get(q, set()) | ({q} if q in symmetric else set())
        changed = (len(fwd), len(bwd)) != before
    return frozenset(fwd), frozenset(bwd)


def _by_subject(g: Graph, p: URIRef) -> defaultdict:
    out = defaultdict(set)
    for a, b in g.subject_objects(p):
        out[a].add(b)
    return out


def _chains(g: Graph) -> tuple:
    out = []
    for p, head in g.subject_objects(OWL.propertyChainAxiom):
        links = tuple(Collection(g, head))
        if len(links) != 2:
            raise UnsupportedOntology(f"property chain of {len(links)} on {p}: only chains of two are compiled; "
                                      "use --reasoner owlrl")
        out.append((links, p))
    return tuple(sorted(out))


def _disjoint(g: Graph) -> frozenset:
    pairs = {frozenset((a, b)) for a, b in g.subject_objects(OWL.disjointWith)}
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        for head in g.objects(node, OWL.members):
            members = list(Collection(g, head))
            pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return frozenset(pairs)
