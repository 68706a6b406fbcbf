"""An entity's page is bounded whatever the entity: at most `entity_page_values` values of a
property in each direction (the next on `?page=2`, with how many there are), at most
`entity_page_sources` sources quoted for a fact (with how many graphs state it) — on the
pyoxigraph store the server reads and on an rdflib dataset alike. A hub named by every
article of a large corpus had its million quads read whole."""
from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

import server_fixture as fx
from kg import store
from kg.export import load
from server.entities import _HIDDEN_INCOMING, describe, entity_graph
from server.oxdataset import OxDataset

NOT_LISTED = {str(RDF.type), str(RDFS.label)}  # shown as the page's kind and heading, not as facts


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def dataset(request, devset_build):
    if request.param == "oxigraph":
        return OxDataset(store.open_store(devset_build))
    ds = load(devset_build)
    ds.default_union = True
    return ds


@pytest.fixture(scope="module")
def everything(devset_build) -> dict:
    """(entity, incoming, predicate) → every value, and (s, p, o) → every graph stating it."""
    values, graphs = defaultdict(set), defaultdict(set)
    for q in store.open_store(devset_build):
        if isinstance(q.graph_name, ox.DefaultGraph):  # the union
            continue
        s, p, o = (store.to_rdflib(t) for t in (q.subject, q.predicate, q.object))
        values[(s, False, p)].add(o)
        if p not in _HIDDEN_INCOMING:
            values[(o, True, p)].add(s)
        graphs[(s, p, o)].add(q.graph_name.value)
    return {"values": values, "graphs": graphs}


def hub(everything) -> URIRef:
    """The entity (one with a page: under /id/) with the most values of one property."""
    return max(((k, v) for k, v in everything["values"].items() if "/id/" in str(k[0])),
               key=lambda kv: (len(kv[1]), str(kv[0])))[0][0]


def test_the_pages_together_show_every_value_and_each_at_most_the_setting(dataset, everything, monkeypatch):
    monkeypatch.setenv("KG_ENTITY_PAGE_VALUES", "3")
    node = hub(everything)
    expected = {(inc, p): vs for (e, inc, p), vs in everything["values"].items() if e == node}
    assert max(len(v) for v in expected.values()) > 6  # so that it takes three pages or more
    seen, page = defaultdict(list), 1
    while True:
        view = describe(dataset, str(node), page)
        assert set(view.counts) == {(str(p), inc, len(vs)) for (inc, p), vs in expected.items()}
        shown = Counter((f.predicate, inc) for inc, facts in ((False, view.outgoing), (True, view.incoming))
                        for f in facts)
        assert all(n <= 3 for n in shown.values())
        for inc, facts in ((False, view.outgoing), (True, view.incoming)):
            for f in facts:
                seen[(inc, f.predicate)].append(f.value)
        if not view.more:
            break
        page += 1
    assert page >= 3
    shown_out = {k: sorted(v) for k, v in seen.items()}
    wanted = {(inc, str(p)): sorted(str(v) for v in vs) for (inc, p), vs in expected.items()
              if str(p) not in NOT_LISTED or inc}
    assert shown_out == wanted  # every value once, on one page or another


def test_a_fact_quotes_at_most_the_setting_and_says_how_many_graphs_state_it(dataset, everything, monkeypatch):
    monkeypatch.setenv("KG_ENTITY_PAGE_SOURCES", "2")
    (s, p, o), graphs = max(((t, g) for t, g in everything["graphs"].items() if str(t[1]).endswith("altLabel")),
                            key=lambda kv: (len(kv[1]), str(kv[0])))
    assert len(graphs) > 4
    view = describe(dataset, str(s))
    fact = next(f for f in view.outgoing if f.predicate == str(p) and f.value == str(o))
    assert fact.stated == len(graphs)
    assert 0 < len({e.source for e in fact.evidence}) <= 2
    assert set(fact.graphs) <= graphs and len(fact.graphs) < len(graphs)


def test_a_small_entity_shows_all_it_has(dataset, everything):
    node = min((e for (e, inc, p) in everything["values"] if isinstance(e, URIRef) and "/id/person/" in str(e)), key=str)
    view = describe(dataset, str(node))
    assert not view.more and view.page == 1
    out = {(f.predicate, f.value) for f in view.outgoing}
    assert out == {(str(p), str(v)) for (e, inc, p), vs in everything["values"].items()
                   if e == node and not inc and str(p) not in NOT_LISTED for v in vs}
    for f in view.outgoing:
        assert f.stated == len(everything["graphs"][(node, URIRef(f.predicate), next(
            v for v in everything["values"][(node, False, URIRef(f.predicate))] if str(v) == f.value))])


def test_the_rdf_of_a_page_is_the_page(dataset, everything, monkeypatch):
    monkeypatch.setenv("KG_ENTITY_PAGE_VALUES", "3")
    node = hub(everything)
    triples = {(s, p, o) for s, p, o, _ in entity_graph(dataset, str(node)).quads((None, None, None, None))}
    per = Counter((p, s == node) for s, p, o in triples)
    assert triples and all(n <= 3 for n in per.values())
    second = {(s, p, o) for s, p, o, _ in entity_graph(dataset, str(node), 2).quads((None, None, None, None))}
    assert second and not (second & triples)


def test_pages_over_http(devset_build, everything, monkeypatch):
    monkeypatch.setenv("KG_ENTITY_PAGE_VALUES", "3")
    node = str(hub(everything))
    path = "/id/" + node.split("/id/", 1)[1]
    with fx.app_for(devset_build) as app:
        client = app.test_client()
        first = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'rel="next" href="?page=2"' in first and "in all)" in first and 'rel="prev"' not in first
        second = client.get(path + "?page=2", headers={"Accept": "text/html"})
        assert second.status_code == 200 and 'rel="prev" href="?page=1"' in second.get_data(as_text=True)
        for bad in ("0", "x", "-1", "2.5"):
            assert client.get(f"{path}?page={bad}", headers={"Accept": "text/html"}).status_code == 400
        assert client.get(path + "?page=2", headers={"Accept": "text/turtle"}).status_code == 200


def _pictures(devset_build, monkeypatch=None):
    from server import netpic
    ox_dataset, rd = OxDataset(store.open_store(devset_build)), load(devset_build)
    rd.default_union = True
    people = sorted({str(s) for s in rd.subjects(RDF.type, URIRef("https://w3id.org/vnkg/ontology#Person"))})
    base = "https://w3id.org/vnkg/id/"
    return [(netpic.picture(ox_dataset, p, base), netpic.picture(rd, p, base)) for p in people]


def test_the_network_the_engine_counts_is_the_one_looked_up(devset_build):
    """The server's store answers a person's network in queries; an rdflib dataset by lookups."""
    pairs = _pictures(devset_build)
    assert sum(len(a.ties) for a, _ in pairs) > 50
    for by_engine, looked_up in pairs:
        assert by_engine == looked_up


def test_a_tie_names_a_few_of_what_is_shared_and_counts_the_rest(devset_build, monkeypatch):
    from server import netpic
    monkeypatch.setattr(netpic, "NAMED", 1)
    pairs = _pictures(devset_build)
    many = [(a, b) for a, b in pairs for ta, tb in zip(a.ties, b.ties) if ta.weight > 2]
    assert many
    for by_engine, looked_up in pairs:
        for ta, tb in zip(by_engine.ties, looked_up.ties):
            assert (ta.iri, ta.counts, ta.kind) == (tb.iri, tb.counts, tb.kind)
            assert len(ta.bodies) <= 1 and len(ta.meetings) <= 1
    tie = next(t for a, _ in many for t in a.ties if t.weight > 2)
    drawn = netpic.svg(netpic.Picture("x", "X", (tie,), 0), lambda iri: iri)
    assert f"(+{tie.weight - len(tie.bodies) - len(tie.meetings)})" in drawn
