"""SERVICE never leaves the machine: the check reads the text as the engines do, and query
processes cannot open a network socket whatever the check lets through.

Every smuggling row is first run on pyoxigraph *unchecked*, to show the engine really calls
the listener on it (the row is an exploit, not a guess); then the check must refuse it. The
fuzz test does the same for 10,000 generated queries (tests/sparql_fuzz.py): whatever the
check accepts, the engine must not call out on. The sandbox tests turn the check off and
show the query processes still cannot reach the listener.
"""
from __future__ import annotations

import logging
import multiprocessing
import socket

import pyoxigraph as ox
import pytest

import sparql_fuzz as fz
from kg import store as kg_store
from kg.errors import QueryError
from kg.sparql import QueryRefused, prepare, refuse_service
from server.engine import OxigraphEngine
from server.sandbox import forbid_network

PROLOGUE = "PREFIX ex: <http://e/> PREFIX e1: <http://e:1> PREFIX : <http://{L}/>\n"
E = "<http://{L}/>"
CALL = "{ ?x ?p ?o }"

# text → the engine (pyoxigraph) calls the listener on it; the check must refuse it
SMUGGLED = {
    "comment-ended-by-cr": f"SELECT ?x WHERE {{ # x\r SERVICE {E} {CALL}\n}}",
    "eight-digit-escape": f'SELECT ?x WHERE {{ BIND("a\\u00000022," AS ?y) .SERVICE {E} {CALL} }}',
    "after-a-dot": f"SELECT * WHERE {{ ?s ?p ?o .SERVICE {E} {CALL} }}",
    "after-a-brace": f"SELECT * WHERE {{ {{ ?s ?p ?o }}SERVICE {E} {CALL} }}",
    "after-a-number": f"SELECT * WHERE {{ ?s ?p 1SERVICE {E} {CALL} }}",
    "after-true": f"SELECT * WHERE {{ ?s ?p trueSERVICE {E} {CALL} }}",
    "after-a-name-with-dots": f"SELECT * WHERE {{ ?s ?p ex:a.b.SERVICE {E} {CALL} }}",
    "prefixed-name-split-at-its-colon": f"SELECT * WHERE {{ ?s e1:trueSERVICE {E} {CALL} }}",
    "keyword-read-before-a-prefixed-name": f"SELECT * WHERE {{ SERVICE:x{CALL} }}",
    "less-than-then-comment": f"SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n{E} {CALL} }}",
    "less-than-then-long-string":
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'''a>''')SERVICE {E} {CALL} #'''\n}}",
    "escaped-hash-in-a-name": f"SELECT * WHERE {{ ?s ex:p ex:a\\#b . SERVICE {E} {CALL} }}",
}

# read as SERVICE by engines that decode escapes before parsing (Jena, rdflib); pyoxigraph does not
DECODED = {
    "four-digit-escape": f"SELECT * WHERE {{ \\u0053ERVICE {E} {CALL} }}",
    "eight-digit-escape-upper": f"SELECT * WHERE {{ \\U00000053ERVICE {E} {CALL} }}",
    "rdflib-eight-digit-lower": f"SELECT * WHERE {{ \\u00000053ERVICE {E} {CALL} }}",
    "unbound-variable": f"SELECT * WHERE {{ # x\r SERVICE ?e {CALL}\n}}",
}

# the word as text: accepted
HARMLESS = {
    "in-a-comment": f"# SERVICE {E} {CALL}\nASK {{}}",
    "in-strings": f"ASK {{ FILTER(\"SERVICE {E}\" != 'service' && \"\"\"SERVICE\"\"\" != '''x''') }}",
    "in-an-iri": "SELECT * WHERE { ?s <http://example.org/Service> ?o }",
    "variables": "SELECT ?service ?my_service WHERE { ?service ?p ?my_service }",
    "local-names": "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:webService ex:self_service }",
    "language-tag": 'SELECT * WHERE { ?s ?p "x"@service }',
    "blank-node": "SELECT * WHERE { _:service ?p ?o }",
}


@pytest.fixture(scope="module")
def listener():
    lst = fz.Listener()
    yield lst
    lst.close()


@pytest.fixture(autouse=True)
def quiet_rdflib():
    logging.disable(logging.WARNING)  # rdflib warns about odd IRIs the generator writes
    yield
    logging.disable(logging.NOTSET)


def _text(template: str, listener: fz.Listener) -> str:
    return (PROLOGUE + template).replace("{L}", listener.address)


def calls_out(text: str, listener: fz.Listener, data: ox.Store) -> bool:
    """Whether pyoxigraph, asked `text` with no check at all, connects to the listener."""
    before = listener.connections
    try:
        answer = data.query(text)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except Exception:  # noqa: BLE001 - a failed call is still a call; syntax errors are no call
        pass
    return listener.connections > before


@pytest.mark.parametrize("name", list(SMUGGLED))
def test_smuggled_service_is_a_real_call_and_is_refused(name, listener):
    text = _text(SMUGGLED[name], listener)
    assert calls_out(text, listener, fz.store()), "the row no longer reaches the engine's SERVICE"
    with pytest.raises(QueryError) as refused:
        prepare(text)
    assert getattr(refused.value, "status", 400) == 400


@pytest.mark.parametrize("name", list(DECODED))
def test_service_read_after_decoding_escapes_is_refused(name, listener):
    with pytest.raises(QueryError):
        prepare(_text(DECODED[name], listener))


@pytest.mark.parametrize("name", list(HARMLESS))
def test_the_word_as_text_is_accepted(name, listener):
    prepare(_text(HARMLESS[name], listener))


def test_a_prefix_named_like_the_keyword_is_refused_with_advice():
    with pytest.raises(QueryRefused, match="full IRI"):
        refuse_service("PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>\n"
                       "SELECT * WHERE { ?s a sd:Service }")


def test_many_less_than_signs_are_checked_in_bounded_work():
    text = "SELECT * { " + " ".join(f"?s <http://x/p{i}#a> ?o{i} ." for i in range(5000)) + "}"
    refuse_service(text)  # one line, 5,000 IRIs with '#': each '<' read both ways
    with pytest.raises(QueryRefused):
        refuse_service(text + " FILTER(1<2)SERVICE#>\n<http://x/> {}")


def test_fuzz_nothing_the_check_accepts_calls_out(listener):
    """10,000 generated queries: the check (lexing, the part that decides SERVICE) against
    what pyoxigraph does with each text."""
    data = fz.store()
    accepted = called = 0
    for text in fz.queries(listener.address, 10_000):
        call = calls_out(text, listener, data)
        called += call
        try:
            refuse_service(text)
        except QueryRefused:
            continue
        accepted += 1
        assert not call, f"accepted, and the engine called out: {text!r}"
    assert called >= 300, "the generator no longer exercises the engine's SERVICE"
    assert accepted >= 1_000, "the check refuses what is only text"


def test_fuzz_the_full_check_only_raises_query_errors(listener):
    """The whole check (rdflib's parse, its algebra, the lexing) on generated texts: a
    refusal or a syntax error, never another exception (which the server answers 500)."""
    for text in fz.queries(listener.address, 600, seed=5):
        try:
            prepare(text)
        except QueryError:
            pass


def _in_child(target, *args) -> int:
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    process.join(30)
    return process.exitcode


def _sandboxed_child(address: str) -> None:
    forbid_network()
    host, port = address.split(":")
    try:
        socket.create_connection((host, int(port)), timeout=2)
    except PermissionError:
        pass
    else:
        raise SystemExit(3)
    socket.socketpair()  # Unix sockets still work (the pipes to the server are those)
    try:
        list(fz.store().query(f"SELECT * WHERE {{ SERVICE <http://{address}/> {CALL} }}"))
    except OSError:
        raise SystemExit(0)
    raise SystemExit(4)


def test_a_sandboxed_process_cannot_connect(listener):
    before = listener.connections
    assert _in_child(_sandboxed_child, listener.address) == 0
    assert listener.connections == before


def test_query_processes_reach_nothing_even_with_the_check_off(listener, monkeypatch):
    """The second wall alone: the check turned off in the query processes (forked after the
    patch), a SERVICE query fails there, the listener hears nothing."""
    monkeypatch.setattr(kg_store, "checked", lambda text: "SelectQuery")
    engine = OxigraphEngine(fz.store(), timeout=10, memory_mb=0)
    try:
        before = listener.connections
        with pytest.raises(QueryError, match="query failed"):
            engine.query(f"SELECT * WHERE {{ SERVICE <http://{listener.address}/> {CALL} }}")
        assert listener.connections == before
        assert engine.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        engine.close()
