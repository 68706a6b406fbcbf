"""Turn extractions (and links) into an RDF dataset: one named graph per source.

Takes :class:`Extraction` records and :class:`Link` records; returns an rdflib ``Dataset`` whose
source graphs hold what each source asserts — entities with types, ``@vi`` labels and
``vnkg:mentionedIn``, the facts, the source's own metadata — and, for every asserted triple,
its evidence. Links go into a links graph.

Evidence is lean: each asserted triple gets a node that reifies it (``rdf:subject``,
``rdf:predicate``, ``rdf:object``) and points with ``vnkg:mention`` to the *mention* it was read
from — a span of the original text (``vnkg:start``, ``vnkg:end``), the rule that read it
(``vnkg:rule``) and ``vnkg:inSentence`` its sentence. A sentence is stored once per source
(``rdf:value``, ``vnkg:source``) and a mention once per span and rule, however many facts they
support; the source's date is on the source. The choice, measured against the candidates, is
documented in ``ontology/vnkg.ttl`` (the Evidence class).

It does not reason (:mod:`kg.reason`) nor write files (:mod:`kg.export`).
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from .. import config
from ..ids import mint as _mint_key
from ..model import Entity, Evidence, Extraction, Key, Link, Lit, SourceText
from ..read import MEDIA_TYPES
from ..vocab import VNKG, bind_all

mint = lru_cache(maxsize=1 << 16)(_mint_key)  # the same keys are minted for every mention: mint once

EVIDENCE_PREDICATES = frozenset({RDF.subject, RDF.predicate, RDF.object, RDF.value, VNKG.source, VNKG.start,
                                 VNKG.end, VNKG.sentence, VNKG.rule, VNKG.attested, VNKG.mention,
                                 VNKG.inSentence})


def build(extractions: Iterable[Extraction], links: Iterable[Link] = (), overrides: dict | None = None,
          resolution=None) -> Dataset:
    """The asserted dataset: a graph per source, a tenures graph and a links graph. `extractions`
    are resolved (:func:`kg.resolve.resolve`, whose `resolution` gives the tenures)."""
    base = config.get("base_iri", overrides)
    ds = Dataset()
    bind_all(ds)
    extractions = list(extractions)
    labels = preferred_labels(extractions)
    for ex in extractions:
        g = ds.graph(URIRef(config.graph_iri("source", ex.source.id, overrides)))
        _source_graph(g, ex, base, labels)
    from ..resolve import Resolution, mentions
    from ..resolve.tenures import tenures
    if resolution is None:  # the extractions' own keys, resolved or not
        resolution = Resolution.of_keys([m for ex in extractions for m in mentions(ex)])
    held = tenures(resolution)
    if held:
        target = ds.graph(URIRef(config.graph_iri("tenures", overrides=overrides)))
        for t in tenures_triples(held, overrides):
            target.add(t)
    links = list(links)
    if links:
        target = ds.graph(URIRef(config.graph_iri("links", overrides=overrides)))
        for t in links_triples(links, overrides):
            target.add(t)
    return ds


def links_triples(links: Iterable[Link], overrides: dict | None = None) -> Graph:
    """The links graph's triples (owl:sameAs, skos:exactMatch, evidence) for `links`."""
    from ..link import LinkResult
    from ..link.rdf import links_graph
    base = config.get("base_iri", overrides)
    return links_graph(LinkResult(tuple(links), ()), lambda k: mint(k, base), base=base)


def tenures_triples(ts, overrides: dict | None = None) -> list[tuple]:
    """The tenures graph's triples (:mod:`kg.resolve.tenures`), as rdflib terms."""
    from ..resolve.tenures import triples
    base = config.get("base_iri", overrides)
    out = []
    for s, p, o in triples(ts):
        subject = URIRef(mint(s, base))
        if p == "a":
            out.append((subject, RDF.type, VNKG[o[1]]))
        else:
            out.append((subject, VNKG[p], _object(o, base)))
    return out


class _Sink:
    """Collects what `_source_graph` adds, in order, instead of an rdflib Graph; `seen` holds the
    mentions and sentences already written, so each is written once."""

    def __init__(self) -> None:
        self.triples: list[tuple] = []
        self.seen: set = set()

    def add(self, triple: tuple) -> None:
        self.triples.append(triple)


def source_triples(ex: Extraction, labels: dict[Key, str], overrides: dict | None = None) -> list[tuple]:
    """The triples of one source graph, exactly as :func:`build` puts them in it (the fast writer's way in)."""
    sink = _Sink()
    _source_graph(sink, ex, config.get("base_iri", overrides), labels)
    return sink.triples


_RDF_TYPE, _EVIDENCE_CLASSES = RDF.type, (VNKG.Evidence, RDF.Statement)  # typed: a Wikidata link's evidence


def is_fact(triple: tuple) -> bool:
    """Whether a triple is knowledge (for the reasoner) rather than part of an evidence node."""
    _, p, o = triple
    return p not in EVIDENCE_PREDICATES and not (p == _RDF_TYPE and o in _EVIDENCE_CLASSES)


def preferred_labels(extractions: list[Extraction]) -> dict[Key, str]:
    """One rdfs:label per entity across all sources: the label a document gives itself (its
    heading), else the one most sources use, the longer on a tie. Other forms become
    skos:altLabel in the graph of the source that used them."""
    votes: dict[Key, Counter] = defaultdict(Counter)
    own: dict[Key, str] = {}
    for ex in extractions:
        local = {e.key: e.label for e in ex.entities}
        for e in ex.entities:
            votes[e.key][e.label] += 1
        for f in ex.facts:
            if f.predicate == "textOf" and f.object in local:
                own[f.object] = local[f.object]
    return {k: own.get(k) or max(c, key=lambda label: (c[label], len(label), label)) for k, c in votes.items()}


def _source_graph(g: Graph, ex: Extraction, base: str, labels: dict[Key, str]) -> None:
    src = URIRef(mint(("Source", ex.source.id), base))
    _source_meta(g, src, ex.source, base)
    for e in ex.entities:
        _entity(g, e, src, base, labels.get(e.key, e.label))
    for f in ex.facts:
        s, o = URIRef(mint(f.subject, base)), _object(f.object, base)
        p = _predicate(f.predicate)
        g.add((s, p, o))
        if f.evidence is not None:
            _evidence(g, (s, p, o), f.evidence, src, base)


def _source_meta(g: Graph, src: URIRef, source: SourceText, base: str) -> None:
    meta = source.meta
    g.add((src, RDF.type, VNKG.Source))
    g.add((src, DCTERMS.identifier, Literal(source.id)))
    g.add((src, RDFS.label, Literal(meta.title or source.id, lang="vi")))
    g.add((src, VNKG.contentHash, Literal(source.sha256)))
    if meta.published:
        g.add((src, VNKG.published, Literal(meta.published.isoformat(), datatype=XSD.date)))
    if meta.title:
        g.add((src, DCTERMS.title, Literal(meta.title, lang="vi")))
    if meta.publisher:
        g.add((src, VNKG.publisher, Literal(meta.publisher, lang="vi")))
    if meta.url:
        g.add((src, SDO.url, Literal(meta.url, datatype=XSD.anyURI)))
    if meta.language:
        g.add((src, DCTERMS.language, Literal(meta.language)))
    if meta.author:
        g.add((src, DCTERMS.creator, Literal(meta.author, lang="vi")))
    if source.kind != "text":  # its text is kept beside the dataset, in NAME.texts/ID.txt (kg.read.kept)
        g.add((src, DCTERMS.format, Literal(MEDIA_TYPES[source.kind])))
    for name, url, _ in source.copies:  # the same article in another file (kg.read.duplicates)
        copy = URIRef(mint(("Source", name), base))
        g.add((copy, PROV.alternateOf, src))
        g.add((copy, DCTERMS.identifier, Literal(name)))
        if url:
            g.add((copy, SDO.url, Literal(url, datatype=XSD.anyURI)))


def _entity(g: Graph, e: Entity, src: URIRef, base: str, label: str) -> None:
    node = URIRef(mint(e.key, base))
    for cls in (e.cls, *e.types):
        g.add((node, RDF.type, VNKG[cls]))
    g.add((node, RDFS.label, Literal(label, lang="vi")))
    for alt in (e.label, *e.alt_labels):
        if alt != label:
            g.add((node, SKOS.altLabel, Literal(alt, lang="vi")))
    g.add((node, VNKG.mentionedIn, src))
    if e.evidence is not None:
        _evidence(g, (node, RDF.type, VNKG[e.cls]), e.evidence, src, base)


def _predicate(name: str) -> URIRef:
    if ":" in name:
        prefix, local = name.split(":", 1)
        return {"skos": SKOS, "rdfs": RDFS, "owl": OWL, "dcterms": DCTERMS}[prefix][local]
    return VNKG[name]


def _object(obj, base: str):
    if isinstance(obj, Lit):
        if obj.lang:
            return Literal(obj.value, lang=obj.lang)
        if obj.datatype == "string":  # RDF 1.1: a simple literal is an xsd:string
            return Literal(obj.value)
        return Literal(obj.value, datatype=XSD[obj.datatype])
    return URIRef(mint(obj, base))


# Namespace attribute look-ups cost a call each; evidence uses these terms millions of times.
_EV = (RDF.subject, RDF.predicate, RDF.object, VNKG.mention, VNKG.inSentence, VNKG.start, VNKG.end, VNKG.rule,
       VNKG.source, RDF.value)


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _evidence(g, triple, ev: Evidence, src: URIRef, base: str) -> None:
    """The evidence of `triple`: a node reifying it, pointing to its mention; the mention (span
    and rule) and its sentence are written once per source graph, whoever points to them."""
    subject, predicate, object_, mention, in_sentence, start, end, rule, source, value = _EV
    m = URIRef(f"{base}mention/{_digest(ev.source, ev.start, ev.end, ev.rule)}")
    node = URIRef(f"{base}evidence/{_digest(ev.source, *triple, ev.start)}")
    s, p, o = triple
    for t in ((node, subject, s), (node, predicate, p), (node, object_, o), (node, mention, m)):
        g.add(t)
    if not _first(g, m):
        return
    sentence = URIRef(f"{base}sentence/{_digest(ev.source, ev.sentence)}")
    for t in ((m, in_sentence, sentence), (m, start, Literal(ev.start)), (m, end, Literal(ev.end)),
              (m, rule, Literal(ev.rule))):
        g.add(t)
    if _first(g, sentence):
        g.add((sentence, source, src))
        g.add((sentence, value, Literal(ev.sentence, lang="vi")))


def _first(g, node: URIRef) -> bool:
    """Whether `node` is described in `g` for the first time: a :class:`_Sink` keeps a list, so it
    remembers what it holds; an rdflib Graph is a set, where writing twice is harmless."""
    seen = getattr(g, "seen", None)
    if seen is None:
        return True
    if node in seen:
        return False
    seen.add(node)
    return True


def facts_only(ds: Dataset, exclude: Iterable[str] = ()) -> Graph:
    """The union of the asserted graphs without evidence nodes: what the reasoner needs."""
    out = Graph()
    skip = set(exclude)
    for g in ds.graphs():
        if str(g.identifier) in skip:
            continue
        for t in g:
            if is_fact(t):
                out.add(t)
    return out
