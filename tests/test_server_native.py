"""SELECT answers written by pyoxigraph in the query worker (kg/store/native.py): the same
answers as the rows written in Python, and the same exact row cap — also when the text of a
value holds what separates rows in the format."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg import config, store
from kg.query import query_text
from kg.results import CSV, JSON, TSV, XML, serialize_result
from kg.store import native

FORMATS = {JSON: ox.QueryResultsFormat.JSON, XML: ox.QueryResultsFormat.XML,
           CSV: ox.QueryResultsFormat.CSV, TSV: ox.QueryResultsFormat.TSV}
P = ox.NamedNode("https://w3id.org/vnkg/id/test/p")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# values holding each format's row separator, escaped or not by the format
TRICKY = ('a},{"b"}', "hai\r\ndòng", "một\nhai", "<result>x</result>", 'chữ "trong" ngoặc, phẩy', "tab\there")
ALL = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
CQS = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))


def solutions(body: bytes, media_type: str) -> list:
    if media_type == CSV:  # pyoxigraph does not read CSV (it loses the kinds of terms)
        return sorted(tuple(row) for row in list(csv.reader(io.StringIO(body.decode(), newline="")))[1:])
    parsed = ox.parse_query_results(body, format=FORMATS[media_type])
    return sorted(tuple(str(row[v]) if row[v] is not None else "" for v in parsed.variables) for row in parsed)


@pytest.fixture(scope="module")
def tricky() -> ox.Store:
    s = ox.Store()
    for i, text in enumerate(TRICKY):
        s.add(ox.Quad(ox.NamedNode(f"https://w3id.org/vnkg/id/test/n{i}"), P, ox.Literal(text, language="vi")))
        s.add(ox.Quad(ox.BlankNode(f"b{i}"), P, ox.Literal(str(i), datatype=INTEGER)))
    return s


@pytest.mark.parametrize("media_type", list(FORMATS), ids=["json", "xml", "csv", "tsv"])
def test_native_answer_means_what_the_python_writer_writes(tricky, media_type):
    written = native.select_bytes(tricky, ALL, media_type, None)
    reference = serialize_result(store.query(tricky, ALL), media_type)
    assert written is not None and solutions(written, media_type) == solutions(reference, media_type)


@pytest.mark.parametrize("media_type", list(FORMATS), ids=["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("cap, answered", [(0, True), (100, True), (len(TRICKY), None), (5, False)],
                         ids=["no-cap", "far-above", "at-the-separators", "below"])
def test_the_count_may_only_be_too_high(tricky, media_type, cap, answered):
    """12 rows; the tricky values may add separators, never hide one: under the cap the bytes
    are written; past it or near it (separators in values), None: the caller counts rows."""
    written = native.select_bytes(tricky, ALL, media_type, cap)
    if answered:
        assert len(solutions(written, media_type)) == 2 * len(TRICKY)
    elif answered is False:
        assert written is None
    elif written is not None:  # counted near the cap: only a right answer may come back
        assert len(solutions(written, media_type)) == 2 * len(TRICKY)


@pytest.mark.parametrize("media_type", list(FORMATS), ids=["json", "xml", "csv", "tsv"])
def test_a_page_is_written_in_one_call_and_means_the_same(tricky, media_type, monkeypatch):
    """A query whose own LIMIT is a page: pyoxigraph writes it whole, no writer called back."""
    text = ALL + " LIMIT 7"
    streamed = native.select_bytes(tricky, text, media_type, 100)
    monkeypatch.setattr(native, "_CountingWriter", None)  # the page path must not need it
    page = native.select_bytes(tricky, text, media_type, 100, rows_at_most=store.row_limit(text))
    assert store.row_limit(text) == 7
    assert page is not None and solutions(page, media_type) == solutions(streamed, media_type)
    assert len(solutions(page, media_type)) == 7


@pytest.mark.parametrize("rows_at_most, cap, streamed", [
    (7, 100, False), (native.PAGE_ROWS, 0, False), (native.PAGE_ROWS + 1, 0, True), (7, 5, True), (None, 100, True)],
    ids=["a-page", "a-page-no-cap", "more-than-a-page", "over-the-cap", "no-limit"])
def test_only_a_page_within_the_cap_skips_the_writer(tricky, monkeypatch, rows_at_most, cap, streamed):
    made = []

    class Counting(native._CountingWriter):
        def __init__(self, *args: object) -> None:
            made.append(self)
            super().__init__(*args)

    monkeypatch.setattr(native, "_CountingWriter", Counting)
    native.select_bytes(tricky, ALL + " LIMIT 7", JSON, cap, rows_at_most=rows_at_most)
    assert bool(made) == streamed


def test_a_page_is_held_to_the_byte_cap(tricky):
    from kg.results import ResultTooLarge
    with pytest.raises(ResultTooLarge):
        native.select_bytes(tricky, ALL + " LIMIT 7", JSON, 100, max_bytes=50, rows_at_most=7)


def test_a_page_with_more_rows_than_its_limit_said_is_counted(tricky):
    """Should the engine read a LIMIT rdflib did not (the two parsers differ), the page's
    separators are checked against the cap all the same: past it, the caller counts rows."""
    assert native.select_bytes(tricky, ALL, JSON, 5, rows_at_most=3) is None
    assert len(solutions(native.select_bytes(tricky, ALL, JSON, 100, rows_at_most=3), JSON)) == 2 * len(TRICKY)


def test_separators_cut_between_chunks_are_counted_once():
    writer = native._CountingWriter(b"},{", 1, 10)
    for chunk in (b'[{"a"}', b",", b'{"b"},', b'{"c"}]'):
        writer.write(chunk)
    assert writer.count == 3 and b"".join(writer.chunks) == b'[{"a"},{"b"},{"c"}]'


@pytest.fixture(scope="module")
def client(seeds_build):
    from server.app import create_app
    app = create_app({"GRAPH": str(seeds_build), "ENGINE": "oxigraph", "ANSWER_CACHE_MB": 0})
    yield app.test_client()
    app.extensions["kg"]["engine"].close()


def ask(client, text: str, media_type: str) -> bytes:
    response = client.get("/sparql?query=" + quote(text, safe=""), headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type, response.data[:300]
    return response.data


@pytest.mark.parametrize("cq", CQS)
@pytest.mark.parametrize("media_type", list(FORMATS), ids=["json", "xml", "csv", "tsv"])
def test_competency_questions_through_the_endpoint(client, seeds_build, cq, media_type):
    """Written by pyoxigraph (its compact JSON shows it), meaning what the Python writer writes."""
    body = ask(client, query_text(cq), media_type)
    reference = serialize_result(store.query(store.open_store(seeds_build), query_text(cq)), media_type)
    assert solutions(body, media_type) == solutions(reference, media_type)
    if media_type == JSON:
        assert body.startswith(b'{"head":{"vars":')


@pytest.mark.parametrize("media_type", list(FORMATS), ids=["json", "xml", "csv", "tsv"])
def test_the_row_cap_is_exact_on_the_native_path(seeds_build, media_type):
    """Labels with commas (quoted in CSV): a cap of exactly the row count answers, one less refuses."""
    rows = len(json.loads(ask_once(seeds_build, 0, JSON))["results"]["bindings"])
    assert rows > 1 and len(solutions(ask_once(seeds_build, rows, media_type), media_type)) == rows
    with pytest.raises(AssertionError, match="^400 .*more than"):
        ask_once(seeds_build, rows - 1, media_type)


LABELS = """SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l
  FILTER(CONTAINS(?l, ",") || CONTAINS(?l, " ")) }"""


def ask_once(path, cap: int, media_type: str) -> bytes:
    from server.app import create_app
    app = create_app({"GRAPH": str(path), "MAX_RESULTS": cap, "ANSWER_CACHE_MB": 0})
    try:
        response = app.test_client().get("/sparql?query=" + quote(LABELS, safe=""), headers={"Accept": media_type})
        assert response.status_code == 200, f"{response.status_code} {response.data[:200]!r}"
        return response.data
    finally:
        app.extensions["kg"]["engine"].close()


@pytest.mark.parametrize("text, rows", [
    ("SELECT * { ?s ?p ?o } LIMIT 100", 100), ("SELECT * { ?s ?p ?o } LIMIT 0", 0),
    ("SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 10 OFFSET 3", 10),
    ("SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s LIMIT 7", 7),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }", None),  # a sub-query's LIMIT bounds nothing outside
    ("SELECT * { ?s ?p ?o } OFFSET 5", None), ("SELECT * { ?s ?p ?o }", None),
    ("ASK { ?s ?p ?o }", None), ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", None)])
def test_the_rows_a_query_lets_through(text, rows):
    assert store.row_limit(text) == rows


@pytest.mark.parametrize("separator,extra", [(sep, extra) for _, sep, extra in native.FORMATS.values()])
def test_an_answer_too_short_to_pass_the_cap_is_not_counted(separator, extra):
    """The bound that skips the count never hides an answer past the cap: each separator
    counted is bytes of its own."""
    import random
    chunks = [separator, b"x", b"{", b"}", b",", b"\r", b"\n", b"<result>"[:3]]
    for seed in range(400):
        rng = random.Random(seed)
        written = b"".join(rng.choice(chunks) for _ in range(rng.randrange(0, 60)))
        cap = rng.randrange(1, 30)
        assert native._may_pass(written, separator, extra, cap) == (written.count(separator) + extra > cap)


def test_a_short_page_is_not_counted():
    class Written(bytes):
        def count(self, *args):
            raise AssertionError("counted")
    assert native._may_pass(Written(b"},{" * 10), b"},{", 1, 100) is False
    assert native._may_pass(b"},{" * 200, b"},{", 1, 100) is True
