"""Both engines behind the endpoint — pyoxigraph (the default; in memory, or the on-disk store
beside a large file) and rdflib — answer alike: every competency question, the protocol's
dataset parameters, the pages and the search."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from kg import config
from kg.query import query_text

ENGINES = {"oxigraph": {"ENGINE": "oxigraph"}, "oxigraph-on-disk": {"ENGINE": "oxigraph"}, "rdflib": {"ENGINE": "rdflib"}}
JSON = "application/sparql-results+json"
CQS = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))


@pytest.fixture(scope="module", params=list(ENGINES))
def client(request, seeds_build, tmp_path_factory):
    from server.app import create_app
    settings = {"GRAPH": str(seeds_build), **ENGINES[request.param]}
    patch = pytest.MonkeyPatch()
    if request.param == "oxigraph-on-disk":  # every file counts as large: the store beside it
        import shutil
        copy = tmp_path_factory.mktemp("disk") / "kg.trig"
        shutil.copy(seeds_build, copy)
        settings["GRAPH"] = str(copy)
        patch.setenv("KG_STORE_CACHE_MB", "0")
    app = create_app(settings)
    engine = app.extensions["kg"]["engine"]
    assert engine.name == ENGINES[request.param]["ENGINE"]
    if request.param == "oxigraph-on-disk":
        assert app.extensions["kg"]["store"].folder is not None
    yield app.test_client()
    engine.close()
    patch.undo()


def rows(client, text: str, **params: str) -> list:
    extra = "".join(f"&{k.replace('_', '-')}={quote(v, safe='')}" for k, v in params.items())
    response = client.get("/sparql?query=" + quote(text, safe="") + extra, headers={"Accept": JSON})
    assert response.status_code == 200, response.data[:300]
    body = json.loads(response.data)
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in body["results"]["bindings"])


@pytest.fixture(scope="module")
def reference(seeds_build):
    """The answers of rdflib's engine, straight from kg.sparql (no server)."""
    from kg.export import load
    from kg.results import serialize_result
    from kg.sparql import run
    ds = load(seeds_build)
    ds.default_union = True
    out = {}
    for cq in CQS:
        body = json.loads(serialize_result(run(ds, query_text(cq)), JSON))
        out[cq] = sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in body["results"]["bindings"])
    return out


EMPTY_ON_SEEDS = {"successions"}  # no seed names two holders of one post


@pytest.mark.parametrize("cq", CQS)
def test_every_competency_question_has_the_same_answer(client, reference, cq):
    assert rows(client, query_text(cq)) == reference[cq] and (reference[cq] or cq in EMPTY_ON_SEEDS)


def test_protocol_graphs_replace_the_dataset(client):
    source = config.graph_iri("source", "000_211ce3051446685c.txt")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    one = rows(client, count, default_graph_uri=source)
    assert one != rows(client, count) and json.loads(one[0])["n"]["value"] != "0"
    assert rows(client, named, named_graph_uri=source) == [json.dumps({"g": {"type": "uri", "value": source}})]
    assert rows(client, count, named_graph_uri=source) == [json.dumps({"n": {
        "datatype": "http://www.w3.org/2001/XMLSchema#integer", "type": "literal", "value": "0"}})]


def test_pages_search_and_stats_read_the_same_dataset(client):
    hits = client.get("/search?q=" + quote("Lương Cường"), headers={"Accept": "application/json"})
    assert hits.status_code == 200
    stats = json.loads(client.get("/stats").data)
    assert len([g for g in stats["graphs"] if g["kind"] == "source"]) == 5
    found = rows(client, 'SELECT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> "Lương Cường"@vi }')
    person = json.loads(found[0])["p"]["value"]
    page = client.get("/id/" + person.split("/id/", 1)[1])
    assert page.status_code == 200 and "Lương Cường" in page.get_data(as_text=True)
    assert "Bộ Chính trị" in page.get_data(as_text=True)
