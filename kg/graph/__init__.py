"""Turn extractions (and links) into an RDF dataset: one named graph per source.

Takes :class:`Extraction` records and :class:`Link` records; returns an rdflib ``Dataset`` whose
source graphs hold what each source asserts — entities with types, ``@vi`` labels and
``vnkg:mentionedIn``, the facts, the source's own metadata — and, for every asserted triple,
its evidence. Links go into a links graph.

Evidence is lean: a *mention* is a span of the original text (``vnkg:start``, ``vnkg:end``), the
rules that read it (``vnkg:rule``) and ``vnkg:inSentence`` its sentence; a sentence is stored once
per source (``rdf:value``, ``vnkg:source``) and a mention once per span. Mentions point at what
they were read for — ``vnkg:denotes`` the entities they name, ``vnkg:supports`` the subjects they
are the default mention of, ``vnkg:relates`` the subjects they relate to what they name — and a
triple those links would not give exactly its mentions gets a node that reifies it
(``rdf:subject``, ``rdf:predicate``, ``rdf:object``) and points with ``vnkg:mention`` to each.
:func:`evidence_of` (Python) and :func:`evidence_pattern` (SPARQL) find a triple's mentions by
that rule. The source's date is on the source. The choice, measured against the candidates, is
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
# rdflib makes a term in Python (an IRI checked, a literal's value cast); the terms the graphs of a
# build repeat (entities, their labels, offsets, rule names) are made once per process, and, being
# the same objects, are then found in a dict or set without rdflib's slow `==`
_node = lru_cache(maxsize=1 << 14)(URIRef)
_number = lru_cache(maxsize=1 << 14, typed=True)(Literal)  # typed: Literal(1) is not Literal(True)


def _text(value: str, lang: str | None = None) -> Literal:
    """A text literal; a name (what recurs: a body's, a place's, a role's) made once per process,
    not a clause (a goal's label, a figure's text: one source's alone, they would crowd the names out)."""
    return _name(value, lang) if len(value) <= 80 else Literal(value, lang=lang)


@lru_cache(maxsize=1 << 14)
def _name(value: str, lang: str | None) -> Literal:
    return Literal(value, lang=lang)

EVIDENCE_PREDICATES = frozenset({RDF.subject, RDF.predicate, RDF.object, RDF.value, VNKG.source, VNKG.start,
                                 VNKG.end, VNKG.sentence, VNKG.rule, VNKG.attested, VNKG.mention,
                                 VNKG.inSentence, VNKG.supports, VNKG.denotes, VNKG.relates})


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


def tenures_triples(ts, overrides: dict | None = None, minted: dict | None = None) -> list[tuple]:
    """The tenures graph's triples (:mod:`kg.resolve.tenures`), as rdflib terms; `minted` keeps
    the IRIs made, for another call (a tenure's sources are many, and the same before and after)."""
    from ..resolve.tenures import triples
    return tenure_terms(triples(ts), overrides, minted)


def tenure_terms(rows: Iterable[tuple], overrides: dict | None = None, minted: dict | None = None) -> list[tuple]:
    """Rows of the tenures graph (:func:`kg.resolve.tenures.triples`: keys, property names,
    literals) as rdflib terms; `minted` keeps the IRIs made, for another call."""
    base = config.get("base_iri", overrides)
    minted = {} if minted is None else minted

    def iri(k) -> URIRef:
        made = minted.get(k)
        if made is None:
            made = minted[k] = URIRef(mint(k, base))
        return made
    out = []
    for s, p, o in rows:
        if p == "a":
            out.append((iri(s), RDF.type, VNKG[o[1]]))
        else:
            out.append((iri(s), VNKG[p], iri(o) if isinstance(o, tuple) else _object(o, base)))
    return out


class _Sink:
    """Collects what `_source_graph` adds, in order, instead of an rdflib Graph."""

    def __init__(self) -> None:
        self.triples: list[tuple] = []

    def add(self, triple: tuple) -> None:
        self.triples.append(triple)


def source_triples(ex: Extraction, labels: dict[Key, str], overrides: dict | None = None) -> list[tuple]:
    """The triples of one source graph, exactly as :func:`build` puts them in it (the fast writer's way in)."""
    sink = _Sink()
    _source_graph(sink, ex, config.get("base_iri", overrides), labels)
    return sink.triples


_RDF_TYPE, _EVIDENCE_CLASSES = RDF.type, frozenset((VNKG.Evidence, RDF.Statement))  # typed: a Wikidata link's evidence
_same = str.__eq__


def is_fact(triple: tuple) -> bool:
    """Whether a triple is knowledge (for the reasoner) rather than part of an evidence node."""
    _, p, o = triple  # a predicate is an IRI: compared as a string, not by rdflib's `==` (a Python call)
    return p not in EVIDENCE_PREDICATES and not (_same(p, _RDF_TYPE) and o in _EVIDENCE_CLASSES)


def preferred_labels(extractions: list[Extraction]) -> dict[Key, str]:
    """One rdfs:label per entity across all sources: the label a document gives itself (its
    heading), else the one most sources use, the longer on a tie. Other forms become
    skos:altLabel in the graph of the source that used them."""
    votes = Labels()
    for ex in extractions:
        votes.add(ex)
    return votes.chosen()


class Labels:
    """The votes of :func:`preferred_labels`, gathered one extraction at a time."""

    def __init__(self) -> None:
        # a key's label while one source has named it (most keys), its votes once a second has
        self.votes: dict[Key, str | Counter] = {}
        self.own: dict[Key, str] = {}

    def add(self, ex: Extraction) -> None:
        local = {e.key: e.label for e in ex.entities}
        votes = self.votes
        mine = (ex.source.id, "@" + ex.source.id)
        once = len(local) == len(ex.entities)  # each key named by one entity here
        for e in ex.entities:
            if once and any(part in mine for part in e.key[1:]):
                continue  # a key of this source alone (a goal, "Tỉnh ủy" left unplaced): its one label is chosen
            had = votes.get(e.key)
            if had is None:
                votes[e.key] = e.label
            elif isinstance(had, Counter):
                had[e.label] += 1
            else:
                votes[e.key] = Counter((had, e.label))
        for f in ex.facts:
            if f.predicate == "textOf" and f.object in local and f.object in votes:
                self.own[f.object] = local[f.object]

    def chosen(self) -> dict[Key, str]:
        own = self.own
        return {k: own.get(k) or (c if isinstance(c, str) else max(c, key=lambda label: (c[label], len(label), label)))
                for k, c in self.votes.items()}


def _source_graph(g: Graph, ex: Extraction, base: str, labels: dict[Key, str]) -> None:
    src = _node(mint(("Source", ex.source.id), base))
    _source_meta(g, src, ex.source, base)
    named: list[tuple[tuple, Evidence]] = []  # (an entity's class triple, the mention naming it)
    read: list[tuple[tuple, Evidence]] = []  # (an asserted fact, the mention it was read from)
    for e in ex.entities:
        typed = _entity(g, e, src, base, labels.get(e.key, e.label))
        if e.evidence is not None:
            named.append((typed, e.evidence))
    for f in ex.facts:
        s, o = _node(mint(f.subject, base)), _object(f.object, base)
        p = _predicate(f.predicate)
        g.add((s, p, o))
        if f.evidence is not None:
            read.append(((s, p, o), f.evidence))
    _evidence(g, named, read, src, base)


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


# a namespace's attribute is a Python call (1 µs); an entity's terms are looked up once, not each time
_TYPE, _LABEL, _ALT_LABEL, _MENTIONED_IN = RDF.type, RDFS.label, SKOS.altLabel, VNKG.mentionedIn


def _entity(g: Graph, e: Entity, src: URIRef, base: str, label: str) -> tuple:
    """Write the entity; return the triple its evidence supports (its class)."""
    node = _node(mint(e.key, base))
    for cls in (e.cls, *e.types):
        g.add((node, _TYPE, VNKG[cls]))
    g.add((node, _LABEL, _text(label, "vi")))
    for alt in (e.label, *e.alt_labels):
        if alt != label:
            g.add((node, _ALT_LABEL, _text(alt, "vi")))
    g.add((node, _MENTIONED_IN, src))
    return node, _TYPE, VNKG[e.cls]


def _predicate(name: str) -> URIRef:
    if ":" in name:
        prefix, local = name.split(":", 1)
        return {"skos": SKOS, "rdfs": RDFS, "owl": OWL, "dcterms": DCTERMS}[prefix][local]
    return VNKG[name]


def _object(obj, base: str):
    if isinstance(obj, Lit):
        if obj.lang:
            return _text(obj.value, obj.lang)
        if obj.datatype == "string":  # RDF 1.1: a simple literal is an xsd:string
            return _text(obj.value)
        return _typed(obj.value, obj.datatype)
    return _node(mint(obj, base))


@lru_cache(maxsize=1 << 12, typed=True)  # a figure, a year, a date recurs; rdflib casts each typed literal's value (20 µs)
def _typed(value, datatype: str) -> Literal:
    return Literal(value, datatype=XSD[datatype])


# Namespace attribute look-ups cost a call each; evidence uses these terms millions of times.
_EV = (RDF.subject, RDF.predicate, RDF.object, VNKG.mention, VNKG.inSentence, VNKG.start, VNKG.end, VNKG.rule,
       VNKG.source, RDF.value, VNKG.supports, VNKG.denotes, VNKG.relates)
# what a source graph says of an entity itself, read from the mentions naming it (vnkg:denotes)
NAMING_PREDICATES = (RDF.type, RDFS.label, SKOS.altLabel, VNKG.mentionedIn)
_NAMING_SET = frozenset(NAMING_PREDICATES)  # a hash, not four `==`, for each triple


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _mention_iri(ev: Evidence, base: str) -> URIRef:
    return _mention(ev.source, ev.start, ev.end, base)


@lru_cache(maxsize=1 << 12)  # a mention is looked up for each triple read from it
def _mention(source: str, start: int, end: int, base: str) -> URIRef:
    return URIRef(f"{base}mention/{_digest(source, start, end)}")


@lru_cache(maxsize=1 << 12)  # each mention in a sentence names it
def _sentence(source: str, sentence: str, base: str) -> URIRef:
    return URIRef(f"{base}sentence/{_digest(source, sentence)}")


def _evidence(g, named: list[tuple[tuple, Evidence]], read: list[tuple[tuple, Evidence]], src: URIRef,
              base: str) -> None:
    """The evidence of one source graph's triples: `named` pairs each entity's class triple with
    a mention naming the entity, `read` each asserted fact with a mention it was read from (a
    triple may come more than once). What is written makes :func:`evidence_of` give every triple
    exactly the mentions it came with:

    * ``mention vnkg:denotes entity`` for each mention naming the entity: what the graph says of
      the entity itself (:data:`NAMING_PREDICATES`) was read from them;
    * ``mention vnkg:supports subject`` for the subject's *default* mention, the one the most of
      its other facts were read from alone;
    * ``mention vnkg:relates subject`` for another mention that read facts of the subject whose
      object it names or is the default of (a speaker of a meeting, read where the speaker is
      named): those facts were read from it;
    * a node reifying any other triple (``rdf:subject``, ``rdf:predicate``, ``rdf:object``) that
      points with ``vnkg:mention`` to each mention it was read from — every triple the three
      links would not give exactly its mentions.

    When the only mention naming an entity is its default, ``vnkg:denotes`` is left out: the
    default stands for both. Each mention (span, rule, sentence) and each sentence (text,
    source) is written once per source graph; a mention is a span, with every rule that read it."""
    subject, predicate, object_, mention, in_sentence, start, end, rule, source, value, supports, denotes, relates = _EV
    described: dict[URIRef, Evidence] = {}
    rules: dict[URIRef, list[str]] = defaultdict(list)

    def grouped(pairs):
        out: dict = defaultdict(lambda: defaultdict(list))  # subject → triple → [mention]
        for triple, ev in pairs:
            m = _mention_iri(ev, base)
            described.setdefault(m, ev)
            if ev.rule not in rules[m]:
                rules[m].append(ev.rule)
            ms = out[triple[0]][triple]
            if m not in ms:
                ms.append(m)
        return out

    names, facts = grouped(named), grouped(read)
    subjects = list(dict.fromkeys([*facts, *names]))
    default: dict = {}
    naming: dict = {}
    for s in subjects:
        alone = Counter(ms[0] for t, ms in facts.get(s, {}).items() if len(ms) == 1 and t[1] not in _NAMING_SET)
        if alone:
            default[s] = max(alone, key=alone.__getitem__)  # the first on a tie
        named_by = list(dict.fromkeys(m for ms in names.get(s, {}).values() for m in ms))
        if named_by and named_by != [default.get(s)]:  # else the default stands for the naming too
            naming[s] = named_by

    def attached(m, o) -> bool:  # the mention names `o` or is its default
        return default.get(o) == m or m in naming.get(o, ())

    for s in subjects:
        d, triples = default.get(s), facts.get(s, {})
        if d is not None:
            g.add((d, supports, s))
        for m in naming.get(s, ()):
            g.add((m, denotes, s))
        related = list(dict.fromkeys(ms[0] for t, ms in triples.items()
                                     if len(ms) == 1 and ms[0] != d and t[1] not in _NAMING_SET
                                     and attached(ms[0], t[2])))
        for m in related:
            g.add((m, relates, s))
        for triple, ms in [*names.get(s, {}).items(), *triples.items()]:
            if triple[1] in _NAMING_SET and s in naming:
                given = set(naming[s])
            else:
                given = {m for m in related if attached(m, triple[2])} or ({d} if d is not None else set())
            if set(ms) == given:
                continue
            for m in ms:
                node = URIRef(f"{base}evidence/{_digest(src, *triple, m)}")
                for t in ((node, subject, s), (node, predicate, triple[1]), (node, object_, triple[2]),
                          (node, mention, m)):
                    g.add(t)
    sentences: set[URIRef] = set()
    for m, ev in described.items():
        sentence = _sentence(ev.source, ev.sentence, base)
        for t in ((m, in_sentence, sentence), (m, start, _number(ev.start)), (m, end, _number(ev.end)),
                  *((m, rule, _text(r)) for r in sorted(rules[m]))):
            g.add(t)
        if sentence not in sentences:
            sentences.add(sentence)
            g.add((sentence, source, src))
            g.add((sentence, value, Literal(ev.sentence, lang="vi")))


_R, _V = str(RDF), str(VNKG)
_NAMING = ", ".join(f"<{p}>" for p in NAMING_PREDICATES)


def evidence_pattern(s: str, p: str, o: str, m: str, hidden: str = "?_ev") -> str:
    """A SPARQL group pattern, to be placed inside ``GRAPH ?g { … }``, binding `m` to each
    mention the asserted triple (`s` `p` `o`) of that graph was read from, by the rule of
    :func:`evidence_of`. `s`, `p`, `o` and `m` are variables or IRIs in SPARQL syntax (no prefix
    is needed); `hidden` names the evidence-node variable (its ``_2``, ``_3`` and ``_4`` twins
    are used in the tests of absence)."""
    reified = f"FILTER NOT EXISTS {{ {hidden}_2 <{_R}subject> {s} ; <{_R}predicate> {p} ; <{_R}object> {o} }}"
    not_naming = f"FILTER(!({p} IN ({_NAMING})) || NOT EXISTS {{ {hidden}_3 <{_V}denotes> {s} }})"
    return (f"{{ {hidden} <{_R}subject> {s} ; <{_R}predicate> {p} ; <{_R}object> {o} ; <{_V}mention> {m} }} UNION "
            f"{{ {m} <{_V}denotes> {s} . {s} {p} {o} . FILTER({p} IN ({_NAMING})) {reified} }} UNION "
            f"{{ {m} <{_V}relates> {s} . {s} {p} {o} . {m} <{_V}denotes>|<{_V}supports> {o} . {reified} {not_naming} }} UNION "
            f"{{ {m} <{_V}supports> {s} . {s} {p} {o} . {reified} {not_naming} "
            f"FILTER NOT EXISTS {{ {hidden}_4 <{_V}relates> {s} ; <{_V}denotes>|<{_V}supports> {o} }} }}")


def evidence_of(graph, triple: tuple) -> list:
    """The evidence of an asserted `triple` of `graph` (one source graph, or the links graph):

    1. the mentions of its evidence nodes (a node without a mention, a Wikidata link's, stands
       for itself), if it has any;
    2. else, for what the graph says of an entity itself (:data:`NAMING_PREDICATES`), the
       mentions that denote its subject, if there are any;
    3. else the mentions that relate its subject and name its object or are its default, if
       there are any;
    4. else its subject's default mention (``vnkg:supports``)."""
    s, p, o = triple
    nodes = [n for n in graph.subjects(RDF.subject, s)
             if (n, RDF.predicate, p) in graph and (n, RDF.object, o) in graph]
    if nodes:
        return [m for n in nodes for m in (list(graph.objects(n, VNKG.mention)) or [n])]
    if triple not in graph:
        return []
    if p in NAMING_PREDICATES:
        naming = list(graph.subjects(VNKG.denotes, s))
        if naming:
            return naming
    related = [m for m in graph.subjects(VNKG.relates, s)
               if (m, VNKG.denotes, o) in graph or (m, VNKG.supports, o) in graph]
    return related or list(graph.subjects(VNKG.supports, s))


class InGraph:
    """rdflib-like look-ups (``subjects``, ``objects``, ``in``) within one named graph of a
    dataset that answers ``quads((s, p, o, graph))``: an rdflib Dataset, or the server's views of
    a store; what :func:`evidence_of` needs to read one source graph of a whole dataset."""

    def __init__(self, dataset, graph) -> None:
        self.dataset, self.graph = dataset, getattr(graph, "identifier", graph)

    def subjects(self, predicate=None, object=None):  # noqa: A002 - rdflib's name
        return (q[0] for q in self.dataset.quads((None, predicate, object, self.graph)))

    def objects(self, subject=None, predicate=None):
        return (q[2] for q in self.dataset.quads((subject, predicate, None, self.graph)))

    def __contains__(self, triple: tuple) -> bool:
        return next(iter(self.dataset.quads((*triple, self.graph))), None) is not None


def rule_names(graph, node) -> str:
    """The rules that read a mention (or made a Wikidata link's evidence node), comma-separated."""
    return ", ".join(sorted(str(r) for r in graph.objects(node, VNKG.rule)))


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
