"""What the server shows about one entity: its label, types and facts in both directions.

Takes the dataset and an IRI; returns an :class:`EntityView`, plain records for a template,
where each fact says which graphs state it (a source, or only the reasoner's ``inferred``
graph) and, for asserted facts, the evidence behind it: the source, the sentence, the
character offsets and the extraction rule. Also the entity's triples as an rdflib graph for
RDF clients. Looks triples up by index; on a pyoxigraph dataset the engine counts them.

A page is bounded whatever the entity: at most ``entity_page_values`` values of each property
in each direction (``page`` 2 shows the next ones; each property says how many it has), and
at most ``entity_page_sources`` sources quoted for a fact (with how many state it). A party
named by each of 100,000 articles has 1.3 million quads about it: read whole, its page took
ten minutes and half a gigabyte.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, Optional

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
    graphs: tuple[str, ...]  # the graphs that state it (the first few when many do)
    evidence: tuple[EvidenceView, ...] = ()  # from the first `entity_page_sources` of them
    stated: int = 0  # how many graphs state it


@dataclass(frozen=True)
class EntityView:
    iri: str
    label: str
    types: tuple[tuple[str, bool], ...]  # (class IRI, inferred only)
    outgoing: tuple[FactView, ...]
    incoming: tuple[FactView, ...]
    wikidata: tuple[str, ...]
    page: int = 1
    per_page: int = 0  # values of a property a page shows in each direction (`entity_page_values`, read once)
    # (predicate, incoming, values it has) for each property of the entity
    counts: tuple[tuple[str, bool, int], ...] = ()

    @property
    def more(self) -> tuple[tuple[str, bool, int], ...]:
        """The properties with values past this page."""
        return tuple(c for c in self.counts if c[2] > self.page * self.per_page)


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


def _evidence(dataset: Dataset, s: Node, p: Node, o: Node, graphs: Iterable[str]) -> tuple[EvidenceView, ...]:
    found = {node: _evidence_view(dataset, node) for g in graphs
             for node in evidence_of(InGraph(dataset, URIRef(g)), (s, p, o))}
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


def _fact(dataset: Dataset, s: Node, p: Node, o: Node, shown: Node) -> FactView:
    graphs, stated = _stated_in(dataset, (s, p, o))
    inferred = bool(graphs) and _only_inferred(graphs)
    quoted = [g for g in graphs if g != config.graph_iri("inferred")][:int(config.get("entity_page_sources"))]
    evidence = () if inferred else _evidence(dataset, s, p, o, quoted)
    if isinstance(shown, Literal):
        extra = f"@{shown.language}" if shown.language else ""
        return FactView(str(p), str(shown), False, str(shown) + extra, inferred, graphs, evidence, stated)
    return FactView(str(p), str(shown), isinstance(shown, URIRef), label_of(dataset, shown),
                    inferred, graphs, evidence, stated)


def _stated_in(dataset: Dataset, triple: tuple) -> tuple[tuple[str, ...], int]:
    """The first graphs that state the triple (sorted) and how many do."""
    cap = int(config.get("entity_page_sources")) + 2  # the inferred and links graphs may come first
    names = [str(getattr(g, "identifier", g)) for *_, g in islice(dataset.quads((*triple, None)), cap + 1)]
    if len(names) <= cap:
        return tuple(sorted(names)), len(names)
    counted = getattr(dataset, "graph_count", None)
    total = counted(triple) if counted else sum(1 for _ in dataset.quads((*triple, None)))
    return tuple(sorted(names[:cap])), total


def _property_counts(dataset: Dataset, node: URIRef, incoming: bool) -> dict:
    """{predicate: distinct triples} of the entity in one direction (the evidence's pointers
    to what it supports left out of the incoming ones)."""
    counted = getattr(dataset, "predicate_counts", None)
    if counted is not None:
        counts = counted(object=node) if incoming else counted(subject=node)
    else:  # an rdflib dataset: small
        pattern = (None, None, node, None) if incoming else (node, None, None, None)
        counts = Counter(p for _, p, _ in {q[:3] for q in dataset.quads(pattern)})
    return {p: n for p, n in counts.items() if not (incoming and p in _HIDDEN_INCOMING)}


def _values(dataset: Dataset, node: URIRef, p: URIRef, incoming: bool, page: int, per_page: int) -> list:
    """The values of one property on this page, in the store's order, then sorted."""
    found: Iterator = dataset.subjects(p, node) if incoming else dataset.objects(node, p)
    return sorted(set(islice(found, (page - 1) * per_page, page * per_page)))


def _selected(dataset: Dataset, node: URIRef, incoming: bool, page: int,
              per_page: int) -> tuple[list[tuple], dict]:
    """The triples of one direction on this page, and the counts of its properties."""
    counts = _property_counts(dataset, node, incoming)
    triples = [((v, p, node) if incoming else (node, p, v))
               for p in sorted(counts) for v in _values(dataset, node, p, incoming, page, per_page)]
    return triples, counts


def describe(dataset: Dataset, iri: str, page: int = 1) -> Optional[EntityView]:
    """The view of one entity (one page of it), or None if the dataset says nothing about it."""
    node, per_page = URIRef(iri), int(config.get("entity_page_values"))
    out, out_counts = _selected(dataset, node, False, page, per_page)
    into, into_counts = _selected(dataset, node, True, page, per_page)
    if not out_counts and not into_counts:
        return None
    types = tuple(sorted((str(o), _only_inferred(_stated_in(dataset, (s, p, o))[0])) for s, p, o in out if p == RDF.type))
    outgoing = tuple(_fact(dataset, s, p, o, o) for s, p, o in sorted(out) if p not in (RDF.type, RDFS.label))
    incoming = tuple(_fact(dataset, s, p, o, s) for s, p, o in sorted(into))
    wikidata = tuple(sorted(str(o) for (_, p, o) in out if p == OWL.sameAs and str(o).startswith(str(WD))))
    counts = tuple(sorted([(str(p), False, n) for p, n in out_counts.items()] +
                          [(str(p), True, n) for p, n in into_counts.items()]))
    return EntityView(iri, label_of(dataset, node), types, outgoing, incoming, wikidata, page, per_page, counts)


def _only_inferred(graphs: Iterable[str]) -> bool:
    return all(g == config.graph_iri("inferred") for g in graphs)


def entity_graph(dataset: Dataset, iri: str, page: int = 1) -> Optional[Dataset]:
    """The entity's triples in both directions (the page's, as its HTML shows them), in the
    named graphs that state them (the first few, when many do); None if the dataset says
    nothing about it. No evidence nor labels are read: what the RDF forms of a page hold."""
    node, per_page = URIRef(iri), int(config.get("entity_page_values"))
    selected = [_selected(dataset, node, incoming, page, per_page) for incoming in (False, True)]
    if not any(counts for _, counts in selected):
        return None
    out = Dataset()
    bind_all(out)
    for triples, _ in selected:
        for triple in triples:
            for g in _stated_in(dataset, triple)[0]:
                out.graph(URIRef(g)).add(triple)
    return out


def as_graph(dataset: Dataset) -> Graph:
    """The triples of a dataset, graphs merged."""
    graph = Graph()
    bind_all(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
