"""What the server shows about one entity: its label, types and facts in both directions.

Takes the dataset and an IRI; returns an :class:`EntityView`, plain records for a template,
where each fact says which graphs state it (a source, or only the reasoner's ``inferred``
graph) and, for asserted facts, the evidence behind it: the source, the sentence, the
character offsets and the extraction rule. Also the entity's triples as an rdflib graph for
RDF clients. Looks triples up by index; never runs SPARQL.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg import config
from kg.graph import InGraph, evidence_of, rule_names
from kg.vocab import VNKG, WD, bind_all

# an evidence node points at everything it supports, a mention at what it names, relates or is the default of
_HIDDEN_INCOMING = {RDF.subject, RDF.object, VNKG.supports, VNKG.denotes, VNKG.relates}
_HOLDER, _POST = URIRef(f"{VNKG._NS}holder"), URIRef(f"{VNKG._NS}post")  # a tenure's (docs/tenures.md)


@dataclass(frozen=True)
class EvidenceView:
    source: str  # the source's file name
    source_iri: str
    sentence: str
    start: Optional[int]
    end: Optional[int]
    rule: str


@dataclass(frozen=True)
class FactView:
    predicate: str
    value: str  # IRI or lexical form
    is_iri: bool
    label: str  # the IRI's label, or the literal with its language or datatype
    inferred: bool  # stated only by the reasoner
    graphs: tuple[str, ...]
    evidence: tuple[EvidenceView, ...] = ()


@dataclass(frozen=True)
class EntityView:
    iri: str
    label: str
    types: tuple[tuple[str, bool], ...]  # (class IRI, inferred only)
    outgoing: tuple[FactView, ...]
    incoming: tuple[FactView, ...]
    wikidata: tuple[str, ...]


def label_of(dataset: Dataset, node: Node) -> str:
    """The best label of a node: its Vietnamese rdfs:label, any label, else its IRI's tail."""
    labels = list(dataset.objects(node, RDFS.label)) or list(dataset.objects(node, SKOS.prefLabel))
    if labels:
        vi = [lab for lab in labels if isinstance(lab, Literal) and lab.language == "vi"]
        return str(sorted(vi or labels)[0])
    holder, post = (next(iter(dataset.objects(node, p)), None) for p in (_HOLDER, _POST))
    if holder is not None and post is not None:  # a tenure has no label of its own: say whose and what
        return f"{label_of(dataset, holder)} · {label_of(dataset, post)}"
    text = str(node)
    return text.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def _evidence(dataset: Dataset, s: Node, p: Node, o: Node) -> tuple[EvidenceView, ...]:
    found = {node: _evidence_view(dataset, node) for _, _, _, g in dataset.quads((s, p, o, None))
             if g is not None for node in evidence_of(InGraph(dataset, g), (s, p, o))}
    return tuple(sorted(found.values(), key=lambda e: (e.source, e.start or 0)))


def _evidence_view(dataset: Dataset, node: Node) -> EvidenceView:
    """What the page shows of one piece of evidence: a mention's source, sentence, offsets and
    rule (read from a text), or only its rule (a Wikidata link's evidence node)."""
    def one(subject: Optional[Node], p: URIRef) -> Optional[Node]:
        return None if subject is None else next(iter(dataset.objects(subject, p)), None)

    mention = node if one(node, VNKG.inSentence) is not None else one(node, VNKG.mention)
    sentence = one(mention, VNKG.inSentence)
    source = one(sentence, VNKG.source)
    ident = one(node, DCTERMS.identifier) if source is None else one(source, DCTERMS.identifier)
    start, end = one(mention, VNKG.start), one(mention, VNKG.end)
    rule = rule_names(dataset, mention if mention is not None else node)  # a span read by two rules names both
    return EvidenceView(str(ident or source or ""), str(source or ""), str(one(sentence, RDF.value) or ""),
                        int(start) if start is not None else None,
                        int(end) if end is not None else None, str(rule or ""))


def _fact(dataset: Dataset, s: Node, p: Node, o: Node, graphs: Iterable[str],
          shown: Node) -> FactView:
    graphs = tuple(sorted(graphs))
    inferred = bool(graphs) and all(g == config.graph_iri("inferred") for g in graphs)
    evidence = () if inferred else _evidence(dataset, s, p, o)
    if isinstance(shown, Literal):
        extra = f"@{shown.language}" if shown.language else ""
        return FactView(str(p), str(shown), False, str(shown) + extra, inferred, graphs, evidence)
    return FactView(str(p), str(shown), isinstance(shown, URIRef), label_of(dataset, shown),
                    inferred, graphs, evidence)


def _grouped(quads: Iterable[tuple]) -> dict[tuple, set[str]]:
    grouped: dict[tuple, set[str]] = defaultdict(set)
    for s, p, o, g in quads:
        name = g.identifier if hasattr(g, "identifier") else g
        grouped[(s, p, o)].add(str(name))
    return grouped


def describe(dataset: Dataset, iri: str) -> Optional[EntityView]:
    """The view of one entity, or None if the dataset says nothing about it."""
    node = URIRef(iri)
    out = _grouped(dataset.quads((node, None, None, None)))
    into = _grouped(q for q in dataset.quads((None, None, node, None)) if q[1] not in _HIDDEN_INCOMING)
    if not out and not into:
        return None
    types = tuple(sorted((str(o), _only_inferred(gs)) for (_, p, o), gs in out.items() if p == RDF.type))
    outgoing = tuple(_fact(dataset, s, p, o, gs, o) for (s, p, o), gs in sorted(out.items())
                     if p not in (RDF.type, RDFS.label))
    incoming = tuple(_fact(dataset, s, p, o, gs, s) for (s, p, o), gs in sorted(into.items()))
    wikidata = tuple(sorted(str(o) for (_, p, o) in out if p == OWL.sameAs and str(o).startswith(str(WD))))
    return EntityView(iri, label_of(dataset, node), types, outgoing, incoming, wikidata)


def _only_inferred(graphs: set[str]) -> bool:
    return all(g == config.graph_iri("inferred") for g in graphs)


def entity_graph(dataset: Dataset, iri: str) -> Dataset:
    """The entity's triples in both directions, in the named graphs that state them, with
    the labels of what they point at (a concise description for RDF clients)."""
    node = URIRef(iri)
    out = Dataset()
    bind_all(out)
    quads = list(dataset.quads((node, None, None, None)))
    quads += [q for q in dataset.quads((None, None, node, None)) if q[1] not in _HIDDEN_INCOMING]
    for s, p, o, g in quads:
        out.graph(g.identifier if hasattr(g, "identifier") else g).add((s, p, o))
    return out


def as_graph(dataset: Dataset) -> Graph:
    """The triples of a dataset, graphs merged."""
    graph = Graph()
    bind_all(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
