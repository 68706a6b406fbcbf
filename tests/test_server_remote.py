"""`kg serve --store URL`: the endpoint in front of a real `oxigraph serve` process on loopback,
loaded by `kg push`, with its own checks still applied."""
from __future__ import annotations

import json
import shutil
import time
from urllib.parse import quote

import pytest

from kg import config
from kg.store.push import push
from kg.query import query_text

from oxigraph_support import free_port, oxigraph

JSON = "application/sparql-results+json"
CQS = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))


@pytest.fixture(scope="module")
def store(seeds_build, tmp_path_factory):
    """`oxigraph serve --union-default-graph` holding the seeds build, pushed by `kg push`."""
    folder = tmp_path_factory.mktemp("oxigraph")
    with oxigraph(folder / "db", "--union-default-graph") as base:
        copy = folder / "kg.trig"
        shutil.copy(seeds_build, copy)
        push(copy, base + "/store")
        yield base


@pytest.fixture(scope="module")
def client(store):
    from server.app import create_app
    app = create_app({"STORE": store + "/query", "QUERY_TIMEOUT": 5})
    assert app.extensions["kg"]["engine"].name == "remote"
    return app.test_client()


@pytest.fixture(scope="module")
def local(seeds_build):
    from server.app import create_app
    app = create_app({"GRAPH": str(seeds_build)})
    yield app.test_client()
    app.extensions["kg"]["engine"].close()


def rows(client, text: str) -> list:
    response = client.get("/sparql?query=" + quote(text, safe=""), headers={"Accept": JSON})
    assert response.status_code == 200, response.data[:300]
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in json.loads(response.data)["results"]["bindings"])


@pytest.mark.parametrize("cq", CQS)
def test_the_store_answers_every_competency_question_as_the_file_does(client, local, cq):
    assert rows(client, query_text(cq)) == rows(local, query_text(cq))


@pytest.mark.parametrize("text,status", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
    ("SELECT * WHERE { ?s ?p }", 400),
    ("SELECT ?x WHERE { # x\r SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}", 400),
    ('SELECT ?x WHERE { BIND("a\\u00000022," AS ?y) .SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }', 400),
], ids=["service", "update", "syntax", "service-after-cr-comment", "service-after-eight-digit-escape"])
def test_refusals_happen_before_the_store_is_asked(client, text, status):
    assert client.get("/sparql?query=" + quote(text, safe="")).status_code == status


def test_pages_search_and_stats_come_from_the_store(client, local):
    assert json.loads(client.get("/stats").data)["graphs"] == json.loads(local.get("/stats").data)["graphs"]
    person = json.loads(rows(client, 'SELECT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> "Lương Cường"@vi }')[0])
    page = client.get("/id/" + person["p"]["value"].split("/id/", 1)[1])
    assert page.status_code == 200 and "Bộ Chính trị" in page.get_data(as_text=True)
    hits = client.get("/search?format=json&q=" + quote("Lương Cường"))
    assert hits.status_code == 200 and person["p"]["value"] in hits.get_data(as_text=True)


def test_a_store_that_is_down_is_a_502(store):
    from server.remote import RemoteEngine, StoreFailed
    engine = RemoteEngine(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreFailed, match="cannot be reached") as caught:
        engine.query("ASK {}")
    assert caught.value.status == 502


def test_a_store_too_slow_is_a_504(store):
    """Last in the module: the store goes on with the product after we stop waiting."""
    from server.remote import RemoteEngine, StoreTimeout
    engine = RemoteEngine(store + "/query", timeout=1)
    started = time.monotonic()
    with pytest.raises(StoreTimeout) as caught:
        engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert caught.value.status == 504 and time.monotonic() - started < 3
