"""The answer digest of the push benchmark: what lets it compare answers of millions of rows."""
import pyoxigraph as ox

from benchmarks.push import digest

EX = "http://example.org/"
QUERY = "SELECT ?s ?o ?none WHERE { ?s ?p ?o } ORDER BY "


def _store(*objects) -> ox.Store:
    store = ox.Store()
    for i, o in enumerate(objects):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), o))
    return store


OBJECTS = (ox.Literal("Bí thư\nTỉnh ủy", language="vi"), ox.Literal("2024-03", datatype=ox.NamedNode(
    "http://www.w3.org/2001/XMLSchema#gYearMonth")), ox.NamedNode(EX + "x"), ox.Literal('say "hi"'))


def test_the_digest_ignores_order_and_counts_rows():
    store = _store(*OBJECTS)
    up, down = digest(store.query(QUERY + "?s")), digest(store.query(QUERY + "DESC(?s)"))
    assert up == down and up[0] == len(OBJECTS)


def test_the_digest_of_an_answer_read_back_from_json_is_the_stores():
    """A server's answer is parsed from its JSON; the terms come out as the store's do."""
    answer = _store(*OBJECTS).query(QUERY + "?s")
    written = answer.serialize(format=ox.QueryResultsFormat.JSON)
    parsed = ox.parse_query_results(written, ox.QueryResultsFormat.JSON)
    assert digest(parsed) == digest(_store(*OBJECTS).query(QUERY + "?s"))


def test_the_digest_tells_one_changed_term_and_a_lost_row():
    base = digest(_store(*OBJECTS).query(QUERY + "?s"))
    changed = (ox.Literal("Bí thư\nTỉnh ủy", language="en"), *OBJECTS[1:])
    assert digest(_store(*changed).query(QUERY + "?s")) != base
    assert digest(_store(*OBJECTS[:-1]).query(QUERY + "?s"))[0] == base[0] - 1
    # two rows swapping a value between them is a different answer, not the same multiset
    a = _store(ox.Literal("a"), ox.Literal("b"))
    b = _store(ox.Literal("b"), ox.Literal("a"))
    assert digest(a.query(QUERY + "?s")) != digest(b.query(QUERY + "?s"))
