"""kg.results: every SPARQL results format, written from one table of results."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import results
from kg.errors import QueryError
from kg.results import QueryResult, ResultTooLarge, media_type_for, serialize_result, tsv_term

A = URIRef("https://w3id.org/vnkg/id/person/nguyen-van-an-a1b2c3")
ROWS = QueryResult("SELECT", vars=("s", "name", "n"), rows=(
    (A, Literal("Nguyễn Văn An", lang="vi"), Literal(12)),
    (BNode("b0"), Literal('say "hi"\tand\nbye'), None),
    (None, Literal("2024-07-16", datatype=XSD.date), Literal("1.50", datatype=XSD.decimal)),
))
ASK = QueryResult("ASK", boolean=True)
GRAPH = QueryResult("CONSTRUCT", triples=((A, URIRef("https://w3id.org/vnkg/ontology#holds"),
                                           Literal("Bí thư", lang="vi")),))

TSV_TERMS = [
    (A, f"<{A}>"), (Literal("x"), '"x"'), (Literal("Hòa", lang="vi"), '"Hòa"@vi'),
    (Literal(12), "12"), (Literal("012", datatype=XSD.integer, normalize=False), "012"),
    (Literal("1e3", datatype=XSD.double, normalize=False), "1e3"), (Literal("NaN", datatype=XSD.double, normalize=False), f'"NaN"^^<{XSD.double}>'),
    (Literal("a\tb\nc\"d\\"), '"a\\tb\\nc\\"d\\\\"'), (BNode("x1"), "_:x1"), (None, ""),
    (Literal("2024-07-16", datatype=XSD.date), f'"2024-07-16"^^<{XSD.date}>'),
]


@pytest.mark.parametrize("term, expected", TSV_TERMS, ids=[repr(t[0]) for t in TSV_TERMS])
def test_tsv_term(term, expected):
    assert tsv_term(term) == expected


def test_tsv_table_has_one_line_per_row_and_question_marked_header():
    lines = serialize_result(ROWS, results.TSV).decode().split("\n")
    assert lines[0] == "?s\t?name\t?n"
    assert len(lines) == 5 and lines[-1] == ""  # 3 rows, newline-terminated
    assert lines[2].split("\t") == ["_:b0", '"say \\"hi\\"\\tand\\nbye"', ""]


def test_csv_follows_the_spec():
    text = serialize_result(ROWS, results.CSV).decode()
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["s", "name", "n"]
    assert rows[1] == [str(A), "Nguyễn Văn An", "12"]
    assert rows[2] == ["_:b0", 'say "hi"\tand\nbye', ""]


def test_json_bindings():
    data = json.loads(serialize_result(ROWS, results.JSON))
    assert data["head"]["vars"] == ["s", "name", "n"]
    first, second, third = data["results"]["bindings"]
    assert first["name"] == {"type": "literal", "value": "Nguyễn Văn An", "xml:lang": "vi"}
    assert first["n"]["datatype"] == str(XSD.integer)
    assert second["s"] == {"type": "bnode", "value": "b0"} and "n" not in second
    assert "s" not in third


def test_xml_bindings_and_boolean():
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(serialize_result(ROWS, results.XML))
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "name", "n"]
    assert len(root.findall("r:results/r:result", ns)) == 3
    literal = root.find("r:results/r:result/r:binding[@name='name']/r:literal", ns)
    assert literal.text == "Nguyễn Văn An" and literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    ask = ET.fromstring(serialize_result(ASK, results.XML))
    assert ask.find("r:boolean", ns).text == "true"
    assert json.loads(serialize_result(ASK, results.JSON)) == {"head": {}, "boolean": True}


GRAPH_FORMATS = [(results.TURTLE, "turtle"), (results.NTRIPLES, "nt"), (results.RDFXML, "xml"),
                 (results.JSONLD, "json-ld"), (results.TRIG, "trig"), (results.NQUADS, "nquads")]


@pytest.mark.parametrize("media_type, fmt", GRAPH_FORMATS, ids=[f for _, f in GRAPH_FORMATS])
def test_graph_formats_round_trip(media_type, fmt):
    body = serialize_result(GRAPH, media_type)
    graph = Graph()
    if fmt in ("trig", "nquads"):
        from rdflib import Dataset
        ds = Dataset()
        ds.parse(data=body, format=fmt)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(data=body, format=fmt)
    assert set(graph) == set(GRAPH.triples)


NAMES = [("json", False, results.JSON), ("json", True, results.JSONLD), ("xml", True, results.RDFXML),
         ("csv", False, results.CSV), ("tsv", False, results.TSV), ("ttl", True, results.TURTLE),
         ("application/sparql-results+json", False, results.JSON), ("text/xml", False, results.XML)]


@pytest.mark.parametrize("name, graph, expected", NAMES, ids=[f"{n}-{g}" for n, g, _ in NAMES])
def test_media_type_for(name, graph, expected):
    assert media_type_for(name, graph=graph) == expected


def test_unknown_name_and_wrong_format_are_errors():
    with pytest.raises(QueryError, match="known: "):
        media_type_for("excel")
    with pytest.raises(QueryError, match="cannot be written as text/csv"):
        serialize_result(ASK, results.CSV)


def test_from_rdflib_caps_rather_than_truncates():
    graph = Graph()
    for n in range(5):
        graph.add((A, URIRef("http://x/p"), Literal(n)))
    full = results.from_rdflib(graph.query("SELECT ?o { ?s ?p ?o }"), max_results=5)
    assert len(full) == 5
    with pytest.raises(ResultTooLarge, match="more than 4 rows"):
        results.from_rdflib(graph.query("SELECT ?o { ?s ?p ?o }"), max_results=4)
    assert serialize_result(graph.query("ASK { ?s ?p 3 }"), results.JSON) == b'{"head": {}, "boolean": true}'
