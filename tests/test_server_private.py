"""The server shows only the graphs meant to be public.

A dataset file holding, besides the fixture's graphs, a graph ``<urn:private>``, a graph under
a look-alike base and triples outside any named graph: none of them may be seen through
``/sparql`` (any form, FROM, the protocol's graph parameters), ``/export``, ``/id`` pages,
``/search``, ``/stats`` or the Service Description.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

import server_fixture as fx
from kg.results import serialize_dataset
from kg.vocab import VNKG

SECRET = URIRef("https://w3id.org/vnkg/id/person/secret-person-999999")
MARK = "BÍ MẬT"  # in every private triple's label
PRIVATE = ["urn:private", "https://w3id.org/vnkg/graph-evil/x", "http://example.org/g"]
JSON = "application/sparql-results+json"


def _dataset_file(path):
    ds = fx.dataset()
    for n, name in enumerate(PRIVATE):
        g = ds.graph(URIRef(name))
        g.add((SECRET, RDF.type, VNKG.Person))
        g.add((SECRET, RDFS.label, Literal(f"{MARK} {n}", lang="vi")))
        g.add((fx.AN, RDFS.comment, Literal(f"{MARK} about An {n}")))
    data = serialize_dataset(ds, "application/trig").decode()
    data += f'\n<{fx.AN}> <{RDFS.comment}> "{MARK} default graph" .\n'  # outside any graph
    path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with fx.app_for(_dataset_file(tmp_path_factory.mktemp("private") / "kg.trig")) as app:
        yield app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def test_file_holds_the_private_graphs_and_the_store_drops_them(app):
    text = app.extensions["kg"]["store"].path.read_text(encoding="utf-8")
    assert all(name in text for name in PRIVATE) and f"{MARK} default graph" in text
    store = app.extensions["kg"]["store"]
    assert set(PRIVATE) <= set(store.dropped) and not store.whole_file
    assert not any(name in store.graph_counts for name in PRIVATE)


def _q(text: str, **params: str) -> str:
    extra = "".join(f"&{k.replace('_', '-')}={quote(v, safe='')}" for k, v in params.items())
    return "/sparql?query=" + quote(text, safe="") + extra


QUERIES = [
    ("union-subject", _q(f"ASK {{ <{SECRET}> ?p ?o }}")),
    ("union-literal", _q(f'ASK {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{MARK}")) }}')),
    ("graph-variable", _q(f'ASK {{ GRAPH ?g {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{MARK}")) }} }}')),
    ("graph-named", _q("ASK { GRAPH <urn:private> { ?s ?p ?o } }")),
    ("from", _q("ASK FROM <urn:private> { ?s ?p ?o }")),
    ("from-named", _q("ASK FROM NAMED <urn:private> { GRAPH ?g { ?s ?p ?o } }")),
    ("default-graph-uri", _q("ASK { ?s ?p ?o }", default_graph_uri="urn:private")),
    ("named-graph-uri", _q("ASK { GRAPH ?g { ?s ?p ?o } }", named_graph_uri="urn:private")),
    ("look-alike-base", _q("ASK { GRAPH <https://w3id.org/vnkg/graph-evil/x> { ?s ?p ?o } }")),
]


@pytest.mark.parametrize("url", [q[1] for q in QUERIES], ids=[q[0] for q in QUERIES])
def test_sparql_never_sees_a_private_graph(client, url):
    response = client.get(url, headers={"Accept": JSON})
    assert response.status_code == 200 and response.json["boolean"] is False


def test_graph_names_and_describe_show_only_public_graphs(client):
    names = client.get(_q("SELECT DISTINCT ?g { GRAPH ?g { } }"), headers={"Accept": JSON}).json
    served = {b["g"]["value"] for b in names["results"]["bindings"]}
    assert served and all(name.startswith("https://w3id.org/vnkg/graph/") for name in served)
    text = client.get(_q(f"DESCRIBE <{SECRET}> <{fx.AN}>"), headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert MARK not in text and "secret-person" not in text


ROUTES = [
    ("export-trig", "/export"),
    ("export-nquads", "/export?format=nquads"),
    ("entity-page", "/id/person/nguyen-van-an-a1b2c3"),
    ("entity-turtle", "/id/person/nguyen-van-an-a1b2c3?format=turtle"),
    ("entity-trig", "/id/person/nguyen-van-an-a1b2c3?format=trig"),
    ("stats", "/stats"),
    ("service-description", "/sparql"),
]


@pytest.mark.parametrize("url", [r[1] for r in ROUTES], ids=[r[0] for r in ROUTES])
def test_no_route_shows_private_data(client, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for leak in (MARK, "urn:private", "graph-evil", "example.org/g", "secret-person"):
        assert leak not in text, leak


def test_search_finds_no_private_label(client):
    for query in (MARK, "bi mat", "secret person"):
        assert client.get("/search", query_string={"q": query, "format": "json"}).json["results"] == []


def test_export_is_still_the_whole_public_dataset(client):
    from rdflib import Dataset

    from server.store import quiet_rdflib

    exported = Dataset()
    with quiet_rdflib():
        exported.parse(data=client.get("/export").get_data(), format="trig")
    assert (fx.AN, VNKG.holds, fx.POST) in exported.graph(fx.G["source/000_test.txt"])
    assert (fx.AN, VNKG.memberOf, fx.TINH_UY) in exported.graph(fx.G["inferred"])


PRIVATE_PAGES = [
    ("private-entity-page", "/id/person/secret-person-999999", 404),
    ("private-graph-export", "/export?graph=" + quote("urn:private", safe=""), 404),
    ("look-alike-graph-export", "/export?graph=" + quote(PRIVATE[1], safe=""), 404),
]


@pytest.mark.parametrize("url, status", [p[1:] for p in PRIVATE_PAGES], ids=[p[0] for p in PRIVATE_PAGES])
def test_private_things_are_not_found(client, url, status):
    assert client.get(url).status_code == status
