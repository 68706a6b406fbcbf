"""A live gunicorn server on loopback, used by real clients and hostile queries.

One server for the module, with a 2 s query time limit, a 300 MiB memory cap per query
process and a cap of 1000 result rows, serving the fixture dataset plus the W3C protocol suite's three small graphs.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import server_fixture as fx
from server import conformance

TIME_LIMIT = 2.0


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("live") / "kg.trig", protocol_data=True)
    with fx.live_server(path, timeout=TIME_LIMIT, memory_mb=300, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def endpoint(base):
    return base + "/sparql"


def post_query(endpoint: str, text: str, accept: str = "application/sparql-results+json",
               timeout: float = 30) -> tuple[int, bytes, float]:
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(endpoint, data=data, headers={"Accept": accept})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - started


@pytest.mark.parametrize("case", conformance.CASES, ids=[c.id for c in conformance.CASES])
def test_w3c_protocol_case(endpoint, case):
    answer = conformance.send(endpoint, case)
    verdict, detail = conformance.judge(case, answer)
    assert verdict == "PASS", f"HTTP {answer.status}: {detail}: {answer.body[:200]!r}"


def test_conformance_command_passes_everything(endpoint, capsys):
    assert conformance.main([endpoint]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(conformance.CASES) and all(line.startswith("PASS ") for line in out)


def _concat(steps: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(steps))
    return f'SELECT (STRLEN(?s{steps}) AS ?n) WHERE {{ BIND("ab" AS ?s0) {binds} }}'


HOSTILE = [
    ("cartesian-product", "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", {503}),
    ("catastrophic-regex", 'ASK { FILTER(REGEX("' + "a" * 40 + '!", "^(a+)+$")) }', {503}),
    ("concat-doubling-30", _concat(30), {503}),
    ("deep-nesting-groups", "SELECT * WHERE " + "{ " * 600 + "?s ?p ?o" + " }" * 600, {400}),
    ("deep-nesting-brackets", "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }", {400}),
    ("path-closure-cycles", "SELECT (COUNT(*) AS ?n) { ?a (!<http://x/q>)* ?b . ?c (!<http://x/q>)* ?d }", {503}),
    ("rows-over-cap", "SELECT * { ?a ?b ?c . ?d ?e ?f }", {400}),
]


@pytest.mark.slow
@pytest.mark.parametrize("text, statuses", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_query_ends_in_time_while_others_are_served(endpoint, text, statuses):
    outcome: dict = {}

    def hostile() -> None:
        outcome["status"], outcome["body"], outcome["seconds"] = post_query(endpoint, text)

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.3)
    status, body, seconds = post_query(endpoint, "ASK {}")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert seconds < 1.0, f"ASK {{}} took {seconds:.2f} s beside a hostile query"
    thread.join(TIME_LIMIT + 10)
    assert outcome["status"] in statuses, outcome["body"][:200]
    assert outcome["seconds"] < TIME_LIMIT + 1.0
    assert b"Traceback" not in outcome["body"]


def test_server_still_answers_after_the_hostile_queries(endpoint):
    status, body, _ = post_query(endpoint, f"ASK {{ <{fx.AN}> ?p ?o }}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_service_to_a_loopback_listener_is_refused_and_nothing_is_sent(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    queries = [f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
               f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?q ?r }} }} }}",
               f"ASK {{ FILTER NOT EXISTS {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}"]
    try:
        for text in queries:
            status, body, _ = post_query(endpoint, text)
            assert status == 400 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            connection, _ = listener.accept()
            connection.close()
    finally:
        listener.close()


def test_sparqlwrapper(endpoint):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT ?name WHERE {{ <{fx.AN}> <http://www.w3.org/2000/01/rdf-schema#label> ?name }}")
    for fmt in (JSON, XML, CSV):
        client.setReturnFormat(fmt)
        converted = client.query().convert()
        if fmt == JSON:
            assert converted["results"]["bindings"][0]["name"]["value"] == "Nguyễn Văn An"
        elif fmt == CSV:
            assert "Nguyễn Văn An" in converted.decode("utf-8")
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT {{ <{fx.AN}> ?p ?o }} WHERE {{ <{fx.AN}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    assert b"nguyen-van-an" in client.query().convert()
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(endpoint):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(f"SELECT ?post WHERE {{ <{fx.AN}> <{fx.VNKG.holds}> ?post }}"))
    assert rows == [(URIRef(str(fx.POST)),)]
    assert (fx.AN, fx.VNKG.memberOf, fx.TINH_UY) in graph  # an inferred triple, in the union
    store.close()


def test_entity_dereferences_for_rdf_clients(base):
    from rdflib import Graph

    graph = Graph()
    graph.parse(base + "/id/person/nguyen-van-an-a1b2c3", format="turtle")
    assert (fx.AN, fx.VNKG.holds, fx.POST) in graph
