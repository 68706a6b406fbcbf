"""Links as RDF: the links graph, and linking a dataset that is already built.

:func:`links_graph` turns a :class:`~kg.link.LinkResult` into the triples of the graph
``<…/graph/links>``: for each link ``<entity> owl:sameAs wd:Qn ; skos:exactMatch wd:Qn``,
and (unless ``evidence=False``) an evidence node saying which rule made the link, how sure
it is and why (``rdfs:comment``, one line per claim matched or file behind it); for a linked
unit that ceased, ``vnkg:validUntil`` and — when the unit it merged into is linked too —
``vnkg:successor``, each with its evidence node (:mod:`kg.link.why`). :func:`link_dataset`
reads a TriG dataset written by ``kg build``, finds its entities (``rdf:type vnkg:X``,
``rdfs:label``) in every graph but the links, inferred and ontology graphs, links them, and
replaces the links graph in the file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from .. import config
from ..errors import InputError
from ..model import Key
from ..vocab import VNKG, WD, bind_all
from . import LinkResult, default_local_table, default_tables, link_targets
from .match import Target, local_kind
from .review import accept_review
from .table import Item, load_tables
from .targets import with_unit_names
from .why import UnitFact, link_reasons, unit_facts
from .wikidata import WikidataClient

LINKABLE = ("Person", "Body", "Role", "Post", "Place")
PLACE_PREDICATES = (VNKG.locatedIn, VNKG.jurisdiction)
NOT_SOURCES = ("links", "inferred", "ontology")
_VNKG = str(VNKG._NS)


def links_graph(result: LinkResult, iri_of: Callable[[Key], str], *, evidence: bool = True,
                base: str | None = None, items: Sequence[Item] | None = None) -> Graph:
    """The links graph: sameAs and exactMatch for each link, and the table's end dates and
    successors of linked units, each with its evidence node. `items` are the table items the
    links came from: the result's own, else the default tables'."""
    graph = Graph(identifier=URIRef(config.graph_iri("links")))
    bind_all(graph)
    base = base or config.get("base_iri")
    items = items if items is not None else (result.items or load_tables(default_tables()))
    reasons = link_reasons(result, items, iri_of) if evidence else {}
    for found in sorted(result.links, key=lambda l: (iri_of(l.key), l.qid)):
        subject, item = URIRef(iri_of(found.key)), WD[found.qid]
        graph.add((subject, OWL.sameAs, item))
        graph.add((subject, SKOS.exactMatch, item))
        if evidence:
            why = reasons.get((found.key, found.qid), ())
            _evidence(graph, (subject, OWL.sameAs, item), found.rule, found.score, why, base, f"{subject} {found.qid}")
    for fact in unit_facts(result.links, items):
        triple = _unit_triple(fact, iri_of)
        graph.add(triple)
        if evidence:
            _evidence(graph, triple, "wikidata-table-unit", 1.0, (fact.evidence,), base, " ".join(map(str, triple)))
    return graph


def _unit_triple(fact: UnitFact, iri_of: Callable[[Key], str]) -> tuple:
    subject = URIRef(iri_of(fact.key))
    if fact.predicate == "validUntil":
        return subject, VNKG.validUntil, Literal(fact.obj.isoformat(), datatype=XSD.date)
    return subject, VNKG.successor, URIRef(iri_of(fact.obj))


def _evidence(graph: Graph, triple: tuple, rule: str, score: float, why: Sequence[str], base: str,
              seed: str) -> None:
    node = URIRef(f"{base}evidence/{hashlib.sha256(seed.encode()).hexdigest()[:16]}")
    subject, predicate, obj = triple
    for p, o in ((RDF.type, VNKG.Evidence), (RDF.type, RDF.Statement), (RDF.subject, subject),
                 (RDF.predicate, predicate), (RDF.object, obj), (VNKG.rule, Literal(rule)),
                 (VNKG.confidence, Literal(Decimal(f"{score:.3f}")))):
        graph.add((node, p, o))
    for line in why:
        graph.add((node, RDFS.comment, Literal(line)))


def targets_from_dataset(dataset: Dataset) -> tuple[Target, ...]:
    """One target per typed, labelled entity of the dataset's source graphs; its key is
    ``("iri", IRI)``."""
    graph = asserted(dataset)
    out = []
    for subject in sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}):
        target = _target(graph, subject)
        if target is not None and local_kind(target) is not None:
            out.append(with_unit_names(target))
    return tuple(out)


def asserted(dataset: Dataset) -> Graph:
    """Every graph of the dataset but the links, inferred and ontology graphs, as one graph."""
    skip = {URIRef(config.graph_iri(kind)) for kind in NOT_SOURCES}
    graph = Graph()
    for context in dataset.graphs():
        if context.identifier not in skip:
            for triple in context:
                graph.add(triple)
    return graph


def _target(graph: Graph, subject: URIRef) -> Target | None:
    classes = sorted(str(o)[len(_VNKG):] for o in graph.objects(subject, RDF.type) if str(o).startswith(_VNKG))
    cls = next((c for c in LINKABLE if c in classes), None)
    labels = _labels(graph, subject)
    if cls is None or not labels:
        return None
    return Target(key=("iri", str(subject)), cls=cls, label=labels[0], alt_labels=labels[1:],
                  types=tuple(c for c in classes if c != cls), dates=_dates(graph, subject),
                  posts=_names(graph, subject, (VNKG.holds,)),
                  places=_person_places(graph, subject) or _names(graph, subject, PLACE_PREDICATES),
                  mentions=len(set(graph.objects(subject, VNKG.mentionedIn))), iri=str(subject))


def _labels(graph: Graph, subject: URIRef) -> tuple[str, ...]:
    found = [o for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(subject, p)
             if isinstance(o, Literal)]
    first = sorted(str(o) for o in graph.objects(subject, RDFS.label) if isinstance(o, Literal) and o.language == "vi")
    return tuple(dict.fromkeys(first + sorted(str(o) for o in found)))


def _names(graph: Graph, subject: URIRef, predicates: Sequence[URIRef]) -> tuple[str, ...]:
    objects = [o for p in predicates for o in graph.objects(subject, p)]
    return tuple(sorted({label for o in objects for label in _labels(graph, o)[:1]}))


def _person_places(graph: Graph, subject: URIRef) -> tuple[str, ...]:
    """The places a person's posts' bodies (or the bodies they are part of) have jurisdiction over."""
    bodies = [b for post in graph.objects(subject, VNKG.holds) for b in graph.objects(post, VNKG.postIn)]
    seen: dict = {}
    while bodies:
        body = bodies.pop()
        if body not in seen:
            seen[body] = None
            bodies.extend(graph.objects(body, VNKG.partOf))
    places = [p for b in seen for p in graph.objects(b, VNKG.jurisdiction)]
    return tuple(sorted({label for p in places for label in _labels(graph, p)[:1]}))


def _dates(graph: Graph, subject: URIRef) -> tuple[dt.date, ...]:
    found = {d.toPython() for src in graph.objects(subject, VNKG.mentionedIn)
             for d in graph.objects(src, VNKG.published) if isinstance(d, Literal)}
    return tuple(sorted(d for d in found if isinstance(d, dt.date)))


def link_dataset(path: Path, *, out: Path | None = None, online: bool = False, cache_dir: Path | None = None,
                 review: Path | None = None, client: WikidataClient | None = None,
                 tables: Sequence[Path] | None = None, evidence: bool = True) -> LinkResult:
    """Link the entities of a built TriG dataset and write it back (to `out`, else in place)
    with its links graph replaced."""
    dataset = read_dataset(Path(path))
    result = link_targets(targets_from_dataset(dataset), online=online, cache_dir=cache_dir,
                          review=review, client=client, tables=tables)
    links_iri = URIRef(config.graph_iri("links"))
    dataset.remove_graph(links_iri)
    target = dataset.graph(links_iri)
    for triple in links_graph(result, lambda key: key[1], evidence=evidence):
        target.add(triple)
    write_dataset(dataset, Path(out or path))
    return result


def read_dataset(path: Path) -> Dataset:
    """A TriG file as an rdflib Dataset; InputError when it cannot be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(path, "no such dataset file; build it first with `kg build`") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the dataset ({exc})") from exc
    dataset = Dataset()
    try:
        with warnings.catch_warnings():
            # rdflib 7.6's TriG parser uses its own deprecated ConjunctiveGraph and default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=text, format="trig")
    except (BadSyntax, SyntaxError, ValueError) as exc:
        raise InputError(path, f"not a TriG dataset ({str(exc)[:200]})") from exc
    return dataset


def write_dataset(dataset: Dataset, path: Path) -> None:
    """Write TriG atomically, with the project's deterministic writer."""
    from ..export import serialize, write_atomic  # the one TriG writer; linking a built file ends there

    write_atomic(path, serialize(dataset, "trig"))


def link_dataset_file(path: Path, *, online: bool = False, review: Path | None = None,
                      accept: Path | None = None, out: Path | None = None, cache_dir: Path | None = None,
                      table: Path | None = None, client: WikidataClient | None = None) -> LinkResult:
    """What ``kg link`` does: add a reviewed file's accepted rows to the user table (`accept`),
    then link the dataset at `path` and write it back (or to `out`) with a new links graph."""
    table = Path(table) if table else default_local_table()
    if accept is not None:
        accept_review(accept, table)
    tables = (default_tables(cache_dir)[0], table) + default_tables(cache_dir)[2:]
    return link_dataset(path, out=out, online=online, cache_dir=cache_dir, review=review, client=client,
                        tables=tables)
