"""Serialise SPARQL query results: pure functions, no I/O, no web framework.

Takes a :class:`QueryResult` (or an rdflib query result, converted with :func:`from_rdflib`)
and a media type; returns bytes. SELECT and ASK results go to the W3C SPARQL results formats
(JSON, XML, CSV, TSV; TSV is written here, rdflib has no writer for it), CONSTRUCT and
DESCRIBE results to Turtle, N-Triples, RDF/XML, JSON-LD, TriG or N-Quads. It does not run
queries nor choose a format for a request: the server's protocol module and ``kg query`` do.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
import warnings
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Union
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryError
from .vocab import bind_all

Node = Union[URIRef, BNode, Literal]
Triple = tuple[Node, Node, Node]

JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values")
TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS = (
    "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
    "application/trig", "application/n-quads")

# media type → rdflib serializer name, for graph results
_GRAPH_FORMATS = {TURTLE: "turtle", NTRIPLES: "nt11", RDFXML: "xml", JSONLD: "json-ld",
                  TRIG: "trig", NQUADS: "nquads"}
# the formats each query form can be written in, preferred first
MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "SELECT": (JSON, XML, CSV, TSV),
    "ASK": (JSON, XML),
    "CONSTRUCT": (TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS),
    "DESCRIBE": (TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS),
}
# short names (SPARQLWrapper's format=/output=, `kg query --format`) → media type
_NAMES = {
    "json": JSON, "srj": JSON, "xml": XML, "srx": XML, "csv": CSV, "tsv": TSV,
    "turtle": TURTLE, "ttl": TURTLE, "n3": TURTLE, "nt": NTRIPLES, "ntriples": NTRIPLES,
    "n-triples": NTRIPLES, "rdf": RDFXML, "rdfxml": RDFXML, "rdf+xml": RDFXML, "owl": RDFXML,
    "jsonld": JSONLD, "json-ld": JSONLD, "trig": TRIG, "nquads": NQUADS, "nq": NQUADS,
    "n-quads": NQUADS,
}
# where a name means one thing for tables and another for graphs
_GRAPH_NAMES = {"json": JSONLD, "xml": RDFXML}
# media types served under other names by some clients
_ALIASES = {"application/json": JSON, "application/xml": XML, "text/xml": XML,
            "application/x-turtle": TURTLE, "text/plain": NTRIPLES, "text/n3": TURTLE,
            "text/rdf+n3": TURTLE, "application/turtle": TURTLE, "application/x-trig": TRIG}
FILE_EXTENSIONS = {JSON: "srj", XML: "srx", CSV: "csv", TSV: "tsv", TURTLE: "ttl",
                   NTRIPLES: "nt", RDFXML: "rdf", JSONLD: "jsonld", TRIG: "trig", NQUADS: "nq"}


class ResultTooLarge(QueryError):
    """A result with more rows or triples than the configured cap."""


@dataclass(frozen=True)
class QueryResult:
    """A query's whole answer: `kind` is SELECT, ASK, CONSTRUCT or DESCRIBE."""

    kind: str
    vars: tuple[str, ...] = ()
    rows: tuple[tuple[Optional[Node], ...], ...] = ()
    boolean: Optional[bool] = None
    triples: tuple[Triple, ...] = ()

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "SELECT" else len(self.triples)


def media_type_for(name: str, graph: bool = False) -> str:
    """The media type a short name or a media type stands for: ``media_type_for("csv")``.

    ``graph=True`` reads the ambiguous "json" and "xml" as JSON-LD and RDF/XML."""
    key = name.strip().lower()
    if graph and key in _GRAPH_NAMES:
        return _GRAPH_NAMES[key]
    if key in _NAMES:
        return _NAMES[key]
    if key in _ALIASES:
        return _ALIASES[key]
    if key in FILE_EXTENSIONS:
        return key
    raise QueryError(f"unknown result format {name!r}; known: {', '.join(sorted(_NAMES))}")


def from_rdflib(result: Any, max_results: Optional[int] = None) -> QueryResult:
    """Read an rdflib query result into a :class:`QueryResult`, at most `max_results` long."""
    kind = result.type
    if kind == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if kind == "SELECT":
        names = tuple(str(v) for v in result.vars or ())
        rows = capped((tuple(row) for row in result), max_results, "rows")
        return QueryResult("SELECT", vars=names, rows=rows)
    triples = capped(iter(result.graph), max_results, "triples")
    return QueryResult(kind, triples=triples)


def capped(items: Iterable, cap: Optional[int], what: str) -> tuple:
    """The items, or ResultTooLarge when there are more than `cap` (None or 0: no cap)."""
    taken = tuple(itertools.islice(items, cap + 1 if cap else None))
    if cap and len(taken) > cap:
        raise ResultTooLarge(f"the result has more than {cap} {what}, the most this endpoint "
                             "returns (setting max_results); add a LIMIT or narrow the query")
    return taken


def within_size(body: bytes, max_bytes: Optional[int]) -> bytes:
    """The written answer, or ResultTooLarge when it is longer than `max_bytes` (0: no cap)."""
    if max_bytes and len(body) > max_bytes:
        raise too_many_bytes(max_bytes)
    return body


def too_many_bytes(max_bytes: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than {max_bytes / 1024 / 1024:g} MiB, the most this endpoint "
                          "returns (setting max_result_mb); add a LIMIT or narrow the query")


def serialize_result(result: Any, media_type: str) -> bytes:
    """Write a query result in `media_type` (one of ``MEDIA_TYPES[result.kind]``)."""
    if not isinstance(result, QueryResult):
        result = from_rdflib(result)
    media_type = _ALIASES.get(media_type, media_type)
    if media_type not in MEDIA_TYPES[result.kind]:
        raise QueryError(f"a {result.kind} result cannot be written as {media_type}; "
                         f"it can be: {', '.join(MEDIA_TYPES[result.kind])}")
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return serialize_graph(result.triples, media_type)
    writer = {JSON: _json, XML: _xml, CSV: _csv, TSV: _tsv}[media_type]
    return writer(result).encode("utf-8")


def rdflib_format(media_type: str) -> str:
    """rdflib's serializer name for a graph media type ("text/turtle" → "turtle")."""
    return _GRAPH_FORMATS[_ALIASES.get(media_type, media_type)]


def serialize_graph(triples: Iterable[Triple], media_type: str) -> bytes:
    """Write triples in an RDF format. In TriG and N-Quads they are the default graph, which
    those formats write as Turtle and N-Triples do."""
    fmt = {"trig": "turtle", "nquads": "nt11"}.get(rdflib_format(media_type), rdflib_format(media_type))
    graph = Graph()
    bind_all(graph)
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format=fmt, encoding="utf-8")


def serialize_dataset(dataset: Dataset, media_type: str) -> bytes:
    """Write a dataset with its named graphs (TriG, N-Quads), or its triples merged."""
    with warnings.catch_warnings():  # rdflib 7.6's own writers call its deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        return dataset.serialize(format=rdflib_format(media_type), encoding="utf-8")


# --- SPARQL 1.1 Query Results JSON -----------------------------------------------------

def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{v: _json_term(t) for v, t in zip(result.vars, row) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}},
                      ensure_ascii=False)


# --- SPARQL Query Results XML ----------------------------------------------------------

def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype and term.datatype != XSD.string:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attr}>{escape(str(term))}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in result.vars]
    out.append("</head>")
    if result.kind == "ASK":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                            for v, t in zip(result.vars, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


# --- SPARQL 1.1 Query Results CSV and TSV ----------------------------------------------

def _csv_term(term: Optional[Node]) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    writer.writerows([_csv_term(t) for t in row] for row in result.rows)
    return buffer.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
# Turtle's bare forms of numbers and booleans (TSV writes these as Turtle does)
_BARE = {XSD.integer: re.compile(r"[+-]?\d+"), XSD.decimal: re.compile(r"[+-]?\d*\.\d+"),
         XSD.double: re.compile(r"[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
         XSD.boolean: re.compile(r"true|false")}


def tsv_term(term: Optional[Node]) -> str:
    """One RDF term as the TSV results format writes it: in Turtle syntax, empty if unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{str(term).translate(_TSV_ESCAPES)}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if term.datatype in _BARE and _BARE[term.datatype].fullmatch(str(term)):
        return str(term)
    text = f'"{str(term).translate(_TSV_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"
