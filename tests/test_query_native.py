"""`kg query` on the store: a SELECT's answer is written by pyoxigraph (the SPARQL results
formats) or printed from pyoxigraph's terms (the table), never turned into rdflib terms, and
it means what the rdflib terms gave — under the same exact row cap."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from kg import config, store
from kg.query import query_text, render
from kg.results import ResultTooLarge

CQS = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))
PARSED = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
P = ox.NamedNode("https://w3id.org/vnkg/id/test/p")
ALL = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"


def solutions(body: bytes, fmt: str) -> list:
    if fmt == "csv":
        return sorted(tuple(row) for row in list(csv.reader(io.StringIO(body.decode(), newline="")))[1:])
    parsed = ox.parse_query_results(body, format=PARSED[fmt])
    return sorted(tuple("" if row[v] is None else str(row[v]) for v in parsed.variables) for row in parsed)


def no_rdflib_terms(monkeypatch) -> None:
    def refuse(term):
        raise AssertionError(f"{term!r} turned into an rdflib term")
    monkeypatch.setattr(store, "to_rdflib", refuse)


@pytest.fixture(scope="module")
def seeds_store(seeds_build) -> ox.Store:
    return store.open_store(seeds_build)


@pytest.fixture(scope="module")
def typed() -> ox.Store:
    """12 rows: language-tagged, typed and plain literals, IRIs and blank nodes."""
    s = ox.Store()
    for i in range(6):
        s.add(ox.Quad(ox.NamedNode(f"https://w3id.org/vnkg/id/test/n{i}"), P, ox.Literal(f"ngày {i}", language="vi")))
        s.add(ox.Quad(ox.BlankNode(f"b{i}"), P, ox.Literal(f"2025-0{i + 1}-01", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))))
    return s


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
@pytest.mark.parametrize("cq", CQS)
def test_a_question_in_each_format_means_what_rdflib_terms_gave(seeds_store, cq, fmt, monkeypatch):
    text = query_text(cq)
    reference = render(store.query(seeds_store, text, 0), fmt)
    no_rdflib_terms(monkeypatch)
    answered = store.answer_bytes(seeds_store, text, fmt, 0)
    if fmt == "table":
        assert answered == reference  # the very same bytes
    else:
        assert solutions(answered, fmt) == solutions(reference, fmt)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_terms_of_every_kind_are_written_as_before(typed, fmt, monkeypatch):
    reference = render(store.query(typed, ALL, 0), fmt)
    no_rdflib_terms(monkeypatch)
    answered = store.answer_bytes(typed, ALL, fmt, 0)
    assert answered == reference if fmt == "table" else solutions(answered, fmt) == solutions(reference, fmt)
    assert b"2025-01-01" in answered and b"ng\xc3\xa0y 0" in answered


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
@pytest.mark.parametrize("cap, refused", [(12, False), (11, True), (5, True)])
def test_the_row_cap_is_exact(typed, fmt, cap, refused):
    if refused:
        with pytest.raises(ResultTooLarge):
            store.answer_bytes(typed, ALL, fmt, cap)
    else:
        answered = store.answer_bytes(typed, ALL, fmt, cap)
        assert answered.endswith(b"(12 rows)\n") if fmt == "table" else len(solutions(answered, fmt)) == 12


def test_other_forms_still_go_through_rdflib_terms(typed):
    assert store.answer_bytes(typed, "ASK { ?s ?p ?o }", "table", 0) == b"yes\n"
    constructed = store.answer_bytes(typed, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "nt", 0)
    assert constructed.count(b"\n") == 12 and b"<https://w3id.org/vnkg/id/test/p>" in constructed
