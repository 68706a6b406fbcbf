"""The inferred graph's block written from the reasoner's integer rows, in chunks, is byte for
byte the block the text writer makes of the same rows (`trig.block(…, trig.body(key_row …))`)."""
from __future__ import annotations

import random

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.graph import trig
from kg.reason.closure import key

BASE = "https://w3id.org/vnkg/id/"
VNKG = "https://w3id.org/vnkg/ontology#"
TERMS = [key(t) for t in (
    RDF.type, OWL.sameAs, RDFS.label, URIRef(VNKG + "memberOf"), URIRef("http://example.org/p"),  # "<http…" < "a"
    URIRef(VNKG + "Person"), URIRef(VNKG + "Body"),
    *(URIRef(f"{BASE}person/nguoi-{i}-abc{i}") for i in range(12)), URIRef(BASE + "body/tinh-uy-b"),
    Literal("Tỉnh ủy \"B\"\nmới", lang="vi"), Literal("2021-03-01", datatype=XSD.date), Literal("3", datatype=XSD.integer),
    URIRef("http://www.wikidata.org/entity/Q881"))]


def by_text(iri: str, rows) -> bytes:
    return trig.block(iri, trig.body(trig.key_row(tuple(TERMS[i] for i in row)) for row in rows))


@pytest.mark.parametrize("seed", range(6))
def test_the_block_from_integer_rows_is_the_text_writers(seed):
    rng = random.Random(seed)
    subjects = [i for i, k in enumerate(TERMS) if k.startswith("<")]
    rows = [(rng.choice(subjects), rng.choice(range(5)), rng.randrange(len(TERMS))) for _ in range(rng.randrange(1, 400))]
    rows += rng.sample(rows, len(rows) // 3)  # the same row twice (sameAs expansion)
    rows.append((subjects[0], 3, 0))  # rdf:type as an object is a term, not "a"
    iri = "https://w3id.org/vnkg/graph/inferred"
    chunks = list(trig.key_rows_block(iri, list(rows), TERMS.__getitem__, size=64))
    assert len(chunks) > 2 and b"".join(chunks) == by_text(iri, rows)


def test_an_empty_graph_is_the_text_writers_empty_block():
    iri = "https://w3id.org/vnkg/graph/inferred"
    assert b"".join(trig.key_rows_block(iri, [], TERMS.__getitem__)) == by_text(iri, [])


def test_the_rows_are_read_to_the_end_before_the_first_chunk():
    """The build lets the reasoner's closure go once its rows are read: the block must have read
    them all before it yields anything (then ranks and sorts what it holds of them)."""
    read = []

    def rows():
        for row in [(7, 0, 5), (8, 2, 19), (7, 1, 6)]:
            read.append(row)
            yield row
        read.append("end")
    chunks = trig.key_rows_block("https://w3id.org/vnkg/graph/inferred", rows(), TERMS.__getitem__, size=1)
    next(chunks)
    assert read[-1] == "end"


def test_literals_are_escaped_as_turtle_reads_them():
    """`trig.escape` (a replace per character, the backslash first) is the translation table's
    escaping, and a literal of every character it escapes, written by the fast writer, reads back
    as itself (pyoxigraph's TriG parser)."""
    import pyoxigraph as ox
    rng = random.Random(7)
    alphabet = ['\\', '"', "\n", "\r", "\t", "a", "ế", " ", "'", "\\n"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert trig.escape(text) == text.translate(trig._ESCAPES), repr(text)
    texts = ['Tỉnh ủy "B"\\n\n\r\t\\"', "\\", '""', "a\\\\b"]
    rows = [(URIRef(f"{BASE}body/b{i}"), RDFS.label, Literal(t, lang="vi")) for i, t in enumerate(texts)]
    block = trig.block(f"{BASE}g", trig.body(trig.formatted(rows)))
    prefixes = "\n".join(trig.prefix_lines()).encode() + b"\n"
    read = {q.subject.value: q.object.value for q in ox.parse(prefixes + block, format=ox.RdfFormat.TRIG)}
    assert read == {f"{BASE}body/b{i}": t for i, t in enumerate(texts)}
