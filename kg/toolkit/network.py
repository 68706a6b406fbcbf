"""Networks out of a built dataset: who sits with whom, who meets whom, what cites what.

Takes a dataset file (read through its pyoxigraph store, :mod:`kg.store`, keeping only the
public graphs — those under the ``graph_base`` setting or one of ``public_graphs``, as the
server serves them) and a kind; returns a :class:`Network`, plain records that
:mod:`kg.toolkit.netxml` writes as GraphML or GEXF for Gephi and NetworkX:

* ``membership`` — people, linked when they hold posts in the same body (the bodies they
  sit in: ``vnkg:holds ∘ vnkg:postIn``, not the whole a body is part of, which would join
  every member of the Party); weight = bodies shared, with their names and the dates the
  sources attest the posts.
* ``attendance`` — people, linked when they took part in (spoke at, chaired, attended) the
  same meeting; weight = meetings shared, with their names and dates.
* ``citations`` — documents, an edge from the citing to the cited (``vnkg:cites``, or
  ``vnkg:implements``), with the relation, both dates of issue and the dates attested.

Only entities under the ``base_iri`` setting are nodes (an entity's Wikidata item, which
owl:sameAs makes share some of its facts, is an attribute, never a node). Never writes.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from .. import config, store
from ..errors import KgError
from ..graph import evidence_pattern
from .options import KINDS, add_network_args as add_export_args  # noqa: F401 — its option, kept here too

FORMATS = ("graphml", "gexf")
VNKG = "https://w3id.org/vnkg/ontology#"
WIKIDATA = "http://www.wikidata.org/entity/"
_PREFIXES = f"""PREFIX vnkg: <{VNKG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string" or "int"


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    values: tuple[str, ...]  # one per field of Network.node_fields


@dataclass(frozen=True)
class Edge:
    source: str  # node IRIs
    target: str
    weight: int
    values: tuple[str, ...]  # one per field of Network.edge_fields


@dataclass(frozen=True)
class Network:
    kind: str
    base: str  # the base IRI of the nodes' IRIs
    directed: bool
    node_fields: tuple[Field, ...]
    edge_fields: tuple[Field, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def _fields(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n, "string") for n in names)


PERSON_FIELDS = _fields("kind", "province", "wikidata", "iri")
DOCUMENT_FIELDS = _fields("kind", "number", "issued", "issuer", "province", "wikidata", "iri")


def network(path: Path, kind: str, overrides: dict | None = None) -> Network:
    """The network of `kind` in the dataset at `path` (see the module's docstring)."""
    if kind not in KINDS:
        raise KgError(f"unknown network {kind!r}; choose one of {', '.join(KINDS)}")
    data = _Data(public_store(Path(path), overrides), str(config.get("base_iri", overrides)))
    return {"membership": _membership, "attendance": _attendance, "citations": _citations}[kind](data)


def public_store(path: Path, overrides: dict | None = None) -> ox.Store:
    """The dataset's store holding only its public graphs (all of it, when all are public),
    its default graph their union — what `kg serve` serves (server.oxdataset.open_public)."""
    whole = store.open_store(path, overrides)
    public = (str(config.get("graph_base", overrides)), *str(config.get("public_graphs", overrides) or "").split())
    names = [g for g in whole.named_graphs() if isinstance(g, ox.NamedNode)]
    if all(g.value.startswith(public) for g in names):
        return whole
    kept = ox.Store()
    quads = (q for g in names if g.value.startswith(public) for q in whole.quads_for_pattern(None, None, None, g))
    kept.bulk_extend(store.with_union(quads))
    return kept


class _Data:
    """The public store and the base IRI, with the few lookups every network needs."""

    def __init__(self, native: ox.Store, base: str) -> None:
        self.native, self.base = native, base

    def rows(self, text: str) -> list[tuple[str, ...]]:
        """The rows of a SELECT, each term as its IRI or lexical form ("" when unbound)."""
        answer = store.query(self.native, _PREFIXES + text)
        return [tuple("" if t is None else str(t) for t in row) for row in answer.rows]

    def ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def labels(self, cls: str) -> dict[str, str]:
        """Each entity of `cls`: its label, the first Vietnamese one in order (as the pages choose)."""
        found: dict[str, list[tuple[bool, str]]] = defaultdict(list)
        for iri, label, lang in self.rows(f"SELECT ?e ?l (LANG(?l) AS ?lang) WHERE {{ ?e a vnkg:{cls} ; rdfs:label ?l }}"):
            found[iri].append((lang != "vi", label))
        return {iri: min(labels)[1] for iri, labels in found.items() if self.ours(iri)}

    def wikidata(self) -> dict[str, str]:
        """Entity → the QID of its Wikidata item (the first in order, when there are several)."""
        found: dict[str, list[str]] = defaultdict(list)
        for iri, item in self.rows(f'SELECT ?e ?i WHERE {{ ?e owl:sameAs ?i FILTER(STRSTARTS(STR(?i), "{WIKIDATA}Q")) }}'):
            found[iri].append(item[len(WIKIDATA):])
        return {iri: sorted(qids)[0] for iri, qids in found.items()}

    def provinces(self, path: str) -> dict[str, str]:
        """Entity → the provinces its `path` leads to (a body's vnkg:jurisdiction typed vnkg:Province)."""
        found: dict[str, set[str]] = defaultdict(set)
        for iri, label in self.rows(f"SELECT DISTINCT ?e ?l WHERE {{ ?e {path} ?p . ?p a vnkg:Province ; rdfs:label ?l }}"):
            found[iri].add(label)
        return {iri: "; ".join(sorted(names)) for iri, names in found.items()}


def _people(data: _Data, iris: Iterable[str]) -> tuple[Node, ...]:
    labels, qids = data.labels("Person"), data.wikidata()
    provinces = data.provinces("vnkg:holds/vnkg:postIn/vnkg:jurisdiction")
    return tuple(Node(i, labels.get(i, i), ("Person", provinces.get(i, ""), qids.get(i, ""), i)) for i in sorted(iris))


def _dates(values: Iterable[str]) -> tuple[str, str, str]:
    """All the dates (one string), the first and the last."""
    days = sorted({v for v in values if v})
    return "; ".join(days), days[0] if days else "", days[-1] if days else ""


def _co_occurrence(data: _Data, kind: str, groups: dict[str, set[str]], dates: dict[tuple[str, str], set[str]],
                   group_labels: dict[str, str], what: str) -> Network:
    """People linked by the groups (bodies, meetings) they share: weight, the groups' names, dates."""
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group, members in groups.items():
        for a, b in combinations(sorted(members), 2):
            shared[(a, b)].append(group)
    edges = []
    for (a, b), together in sorted(shared.items()):
        names = "; ".join(sorted(group_labels.get(g, g) for g in together))
        days = _dates(d for g in together for person in (a, b) for d in dates.get((person, g), ()))
        edges.append(Edge(a, b, len(together), (names, *days)))
    people = {p for members in groups.values() for p in members}
    return Network(kind, data.base, False, PERSON_FIELDS, _fields(what, "dates", "first", "last"), _people(data, people), tuple(edges))


def _membership(data: _Data) -> Network:
    rows = data.rows("""SELECT DISTINCT ?person ?body ?date WHERE {
      ?person a vnkg:Person ; vnkg:holds ?post . ?post vnkg:postIn ?body . ?body a vnkg:Body .
      OPTIONAL { GRAPH ?g { """ + evidence_pattern("?person", "vnkg:holds", "?post", "?m") + """ }
                 ?m vnkg:inSentence/vnkg:source/vnkg:published ?published }
      BIND(COALESCE(?published, "") AS ?date)
    }""")
    groups, dates = _grouped(data, rows)
    return _co_occurrence(data, "membership", groups, dates, data.labels("Body"), "bodies")


def _attendance(data: _Data) -> Network:
    rows = data.rows("""SELECT DISTINCT ?person ?meeting ?date WHERE {
      VALUES ?role { vnkg:participant vnkg:speaker vnkg:chair }
      ?meeting a vnkg:Meeting ; ?role ?person . ?person a vnkg:Person .
      OPTIONAL { ?meeting vnkg:date ?day }
      BIND(COALESCE(?day, "") AS ?date)
    }""")
    groups, dates = _grouped(data, rows)
    return _co_occurrence(data, "attendance", groups, dates, data.labels("Meeting"), "meetings")


def _grouped(data: "_Data", rows) -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    """(person, group, date) rows as the people of each group (a body, a meeting) and the dates
    each person is attested in it; entities outside the dataset's base left out."""
    groups: dict[str, set[str]] = defaultdict(set)
    dates: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person, group, date in rows:
        if data.ours(person) and data.ours(group):
            groups[group].add(person)
            dates[(person, group)].add(date)
    return groups, dates


def _citations(data: _Data) -> Network:
    rows = data.rows("""SELECT DISTINCT ?citing ?cited ?relation ?date WHERE {
      VALUES ?relation { vnkg:cites vnkg:implements }
      ?citing ?relation ?cited . ?citing a vnkg:Document . ?cited a vnkg:Document .
      OPTIONAL { GRAPH ?g { """ + evidence_pattern("?citing", "?relation", "?cited", "?m") + """ }
                 ?m vnkg:inSentence/vnkg:source/vnkg:published ?published }
      BIND(COALESCE(?published, "") AS ?date)
    }""")
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    attested: dict[tuple[str, str], set[str]] = defaultdict(set)
    for citing, cited, relation, date in rows:
        if data.ours(citing) and data.ours(cited):
            relations[(citing, cited)].add(relation[len(VNKG):])
            attested[(citing, cited)].add(date)
    nodes = _documents(data, {d for pair in relations for d in pair})
    issued = {n.iri: n.values[2] for n in nodes}
    edges = tuple(Edge(a, b, 1, ("implements" if "implements" in found else "cites", issued[a], issued[b],
                                 _dates(attested[(a, b)])[0]))
                  for (a, b), found in sorted(relations.items()))
    return Network("citations", data.base, True, DOCUMENT_FIELDS, _fields("relation", "citing_issued", "cited_issued", "attested"),
                   nodes, edges)


def _documents(data: _Data, iris: set[str]) -> tuple[Node, ...]:
    labels, qids = data.labels("Document"), data.wikidata()
    provinces = data.provinces("vnkg:issuedBy/vnkg:jurisdiction")
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc, kind, number, issued, issuer in data.rows("""SELECT DISTINCT ?doc ?kind ?number ?issued ?issuer WHERE {
      ?doc a vnkg:Document .
      OPTIONAL { ?doc a ?type . ?type rdfs:subClassOf vnkg:Document . FILTER(?type != vnkg:Document) }
      BIND(COALESCE(STRAFTER(STR(?type), "#"), "") AS ?kind)
      OPTIONAL { ?doc vnkg:number ?number } OPTIONAL { ?doc vnkg:issued ?issued }
      OPTIONAL { ?doc vnkg:issuedBy/rdfs:label ?issuer } }"""):
        if doc in iris:
            for name, value in (("kind", kind), ("number", number), ("issued", issued), ("issuer", issuer)):
                if value:
                    facts[doc][name].add(value)

    def one(doc: str, name: str, default: str = "") -> str:
        return "; ".join(sorted(facts[doc][name])) or default
    return tuple(Node(d, labels.get(d, d), (one(d, "kind", "Document"), one(d, "number"), one(d, "issued"),
                                             one(d, "issuer"), provinces.get(d, ""), qids.get(d, ""), d))
                 for d in sorted(iris))


# --- the command line: `kg export --network KIND -f graphml|gexf -o FILE` ------------------

def run(a: argparse.Namespace) -> int:
    """`kg export --network`: write the network to -o (atomically) or stdout; a summary on stderr."""
    from ..atomic import claimed
    from ..export import write_atomic
    from .netxml import write
    if getattr(a, "named", None):
        raise KgError("--named chooses an RDF graph; a --network is drawn from the public graphs together")
    fmt = _format(a.format, a.output)
    net = network(a.graph, a.network)
    data = write(net, fmt)
    if a.output:
        with claimed(a.output):
            write_atomic(a.output, data)
        where = f"{a.output} ({len(data):,} bytes, {fmt})"
    else:
        sys.stdout.buffer.write(data)
        where = f"stdout ({fmt})"
    print(f"export: {net.kind} network, {len(net.nodes):,} nodes and {len(net.edges):,} edges, to {where}", file=sys.stderr)
    return 0


def _format(given: Any, output: Path | None) -> str:
    fmt = (given or (Path(output).suffix.lstrip(".") if output else "") or "").lower()
    if fmt not in FORMATS:
        raise KgError(f"a network is written as {' or '.join(FORMATS)}, not {fmt or 'that'!r}: give -f graphml or "
                      "-f gexf (or -o FILE.graphml / FILE.gexf)")
    return fmt
