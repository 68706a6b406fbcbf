"""A live gunicorn server on loopback, used by real clients: the W3C protocol tests,
SPARQLWrapper, rdflib's SPARQLStore, Linked Data dereferencing. (Hostile requests are the
table of ``test_server_hostile.py``.)

One server for the module, with a 2 s query time limit, a 300 MiB memory cap per query
process and a cap of 1000 result rows, serving the fixture dataset plus the W3C protocol suite's three small graphs.
"""
from __future__ import annotations

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


@pytest.mark.parametrize("case", conformance.CASES, ids=[c.id for c in conformance.CASES])
def test_w3c_protocol_case(endpoint, case):
    answer = conformance.send(endpoint, case)
    verdict, detail = conformance.judge(case, answer)
    assert verdict == "PASS", f"HTTP {answer.status}: {detail}: {answer.body[:200]!r}"


def test_conformance_command_passes_everything(endpoint, capsys):
    assert conformance.main([endpoint]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(conformance.CASES) and all(line.startswith("PASS ") for line in out)


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
