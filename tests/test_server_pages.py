"""Entity pages, search, export, health and stats, in process on the fixture dataset."""
from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph

import server_fixture as fx
from server.app import create_app

AN_PAGE = "/id/person/nguyen-van-an-a1b2c3"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with fx.app_for(fx.write(tmp_path_factory.mktemp("pages") / "kg.trig")) as app:
        yield app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def test_entity_page_html(client):
    response = client.get(AN_PAGE, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<h1 id="entity-label">Nguyễn Văn An</h1>' in html
    assert "vnkg:Person" in html and "foaf:Person" in html
    assert fx.SENTENCE_A in html and "000_test.txt" in html and "test-rule" in html
    assert 'href="https://www.wikidata.org/wiki/Q4000001"' in html
    assert 'href="/id/post/bi-thu-tinh-uy-bac-giang-444444"' in html  # links stay on the server
    assert 'class="badge inferred"' in html  # memberOf, heldBy, participant come from the reasoner
    assert 'href="/id/meeting/hoi-nghi-tinh-uy-bac-giang-777777"' in html  # incoming: speaker


def test_inferred_and_asserted_facts_are_told_apart(app):
    from server.entities import describe

    view = describe(app.extensions["kg"]["store"].dataset, str(fx.AN))
    facts = {(f.predicate.rsplit("#", 1)[-1], f.inferred) for f in view.outgoing}
    assert ("holds", False) in facts and ("memberOf", True) in facts
    holds = next(f for f in view.outgoing if f.predicate.endswith("#holds"))
    assert [e.sentence for e in holds.evidence] == [fx.SENTENCE_A]
    assert holds.evidence[0].start == 0 and holds.evidence[0].end == len(fx.SENTENCE_A)
    incoming = {(f.predicate.rsplit("#", 1)[-1], f.inferred) for f in view.incoming}
    assert ("speaker", False) in incoming and ("participant", True) in incoming
    assert view.wikidata == ("http://www.wikidata.org/entity/Q4000001",)


RDF_FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
               ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]


@pytest.mark.parametrize("media, fmt", RDF_FORMATS, ids=[f for _, f in RDF_FORMATS])
def test_entity_as_rdf_by_negotiation(client, media, fmt):
    response = client.get(AN_PAGE, headers={"Accept": media})
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Vary"] == "Accept"
    graph = Graph().parse(data=response.get_data(), format=fmt)
    assert (fx.AN, fx.VNKG.holds, fx.POST) in graph
    assert (fx.MEETING, fx.VNKG.speaker, fx.AN) in graph


def test_entity_as_trig_keeps_graphs(client):
    from server.store import quiet_rdflib

    response = client.get(AN_PAGE + "?format=trig")
    dataset = Dataset()
    with quiet_rdflib():
        dataset.parse(data=response.get_data(), format="trig")
    inferred = dataset.graph(fx.G["inferred"])
    assert (fx.AN, fx.VNKG.memberOf, fx.TINH_UY) in inferred
    assert (fx.AN, fx.VNKG.holds, fx.POST) not in inferred


def test_unknown_entity_is_404_and_unacceptable_is_406(client):
    assert client.get("/id/person/nobody-000000").status_code == 404
    for media, _ in RDF_FORMATS:
        assert client.get("/id/person/nobody-000000", headers={"Accept": media}).status_code == 404
    assert client.get(AN_PAGE, headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("media, fmt", RDF_FORMATS, ids=[f for _, f in RDF_FORMATS])
def test_an_entity_as_rdf_reads_no_evidence_nor_labels(client, monkeypatch, media, fmt):
    """The RDF forms hold the page's triples in their graphs: the HTML's quotes and labels are
    not made for them (at 100,000 articles, most of the time of a hub's Turtle)."""
    import server.entities as entities

    def refused(*args, **kwargs):
        raise AssertionError("read for an RDF form")
    for name in ("_evidence", "label_of", "describe"):
        monkeypatch.setattr(entities, name, refused)
    monkeypatch.setattr("server.pages.describe", refused)
    graph = Graph().parse(data=client.get(AN_PAGE, headers={"Accept": media}).get_data(), format=fmt)
    assert (fx.AN, fx.VNKG.holds, fx.POST) in graph


def test_base_iri_setting_dereferences_another_domain(tmp_path):
    path = tmp_path / "own.ttl.trig"
    path.write_text('<https://kg.example.org/graph/g> { <https://kg.example.org/id/person/x-1> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "Lê Văn X"@vi . }\n', encoding="utf-8")
    app = create_app({"GRAPH": str(path), "BASE_IRI": "https://kg.example.org/id/",
                      "GRAPH_BASE": "https://kg.example.org/graph/"})
    response = app.test_client().get("/id/person/x-1")
    assert response.status_code == 200 and "Lê Văn X" in response.get_data(as_text=True)


SEARCHES = [
    ("exact", "Nguyễn Văn An", "nguyen-van-an"),
    ("no-diacritics", "nguyen van an", "nguyen-van-an"),
    ("upper-case", "NGUYỄN VĂN AN", "nguyen-van-an"),
    ("honorific", "đồng chí Nguyễn Văn An", "nguyen-van-an"),
    ("role-and-body-title", "Bí thư Tỉnh ủy Bắc Giang Nguyễn Văn An", "nguyen-van-an"),
    ("title-without-province", "Bí thư Tỉnh ủy Phạm Văn Thụy", "pham-van-thuy"),
    ("old-tone-placement", "Phạm Văn Thuỵ", "pham-van-thuy"),
    ("old-tone-in-query-new-in-label", "Trần Thị Hoà", "tran-thi-hoa"),
    ("old-tone-in-title", "Bí thư Tỉnh uỷ Bắc Giang", "tinh-uy-bac-giang"),
    ("prefix", "Tran Thi", "tran-thi-hoa"),
    ("document-number", "11-NQ/TW", "nghi-quyet-11"),
    ("body", "tinh uy bac giang", "tinh-uy-bac-giang"),
]


@pytest.mark.parametrize("query, expected", [s[1:] for s in SEARCHES], ids=[s[0] for s in SEARCHES])
def test_search_finds_by_vietnamese_label(client, query, expected):
    response = client.get("/search", query_string={"q": query, "format": "json"})
    results = response.json["results"]
    assert results and expected in results[0]["iri"], [r["label"] for r in results]
    assert results[0]["page"].startswith("/id/")


def test_search_ranks_exact_before_partial_and_finds_nothing_for_nonsense(client):
    labels = [r["label"] for r in client.get("/search?q=Tỉnh ủy Bắc Giang&format=json").json["results"]]
    assert labels[0] == "Tỉnh ủy Bắc Giang" and "Ban Thường vụ Tỉnh ủy Bắc Giang" in labels
    assert client.get("/search?q=zzzqqq&format=json").json["results"] == []


def test_search_html_links_to_entity_pages(client):
    html = client.get("/search?q=nguyen van an").get_data(as_text=True)
    assert 'href="/id/person/nguyen-van-an-a1b2c3"' in html


def test_export_whole_dataset_as_built(app, client):
    response = client.get("/export")
    body = response.get_data()
    response.close()
    assert response.mimetype == "application/trig"
    assert body == app.extensions["kg"]["store"].path.read_bytes()


def test_export_nquads_streams_every_quad(app, client):
    from server.store import quiet_rdflib

    response = client.get("/export?format=nquads")
    assert response.is_streamed
    dataset = Dataset()
    with quiet_rdflib():
        dataset.parse(data=response.get_data(), format="nquads")
        assert len(list(dataset.quads((None, None, None, None)))) == app.extensions["kg"]["store"].triples


def _file_quads(app) -> set:
    from server.store import quiet_rdflib

    whole = Dataset()
    with quiet_rdflib():
        whole.parse(app.extensions["kg"]["store"].path, format="trig")
    served = app.extensions["kg"]["store"].graph_counts
    return {(s, p, o, g) for s, p, o, g in whole.quads((None, None, None, None)) if str(g) in served}


EXPORTS = [("ntriples", "nt"), ("turtle", "turtle"), ("nquads", "nquads"), ("trig", "trig")]


@pytest.mark.parametrize("fmt, parser", EXPORTS, ids=[f for f, _ in EXPORTS])
def test_the_store_writes_each_graph_as_the_file_holds_it(app, client, monkeypatch, fmt, parser):
    """With the oxigraph engine pyoxigraph writes the exports, never rdflib, in batches (each of
    Turtle and TriG with the prefixes again): the same statements as the file."""
    from server.store import quiet_rdflib
    import server.data

    monkeypatch.setattr(server.data, "_nquads", None)  # rdflib's way: not taken
    monkeypatch.setattr(server.data, "serialize_dataset", None)
    dataset = app.extensions["kg"]["store"].dataset
    in_file = _file_quads(app)
    for name in app.extensions["kg"]["store"].graph_counts:
        body = client.get("/export", query_string={"graph": name, "format": fmt}).get_data()
        batched = b"".join(dataset.written(fmt, name, batch=2))
        for data in (body, batched):
            read = Dataset()
            with quiet_rdflib():
                read.parse(data=data, format=parser)
            got = {(s, p, o) for s, p, o, _ in read.quads((None, None, None, None))}
            assert got == {(s, p, o) for s, p, o, g in in_file if str(g) == name} and got, (name, fmt)


def test_the_store_writes_every_graph_as_nquads(app, client, monkeypatch):
    from server.store import quiet_rdflib
    import server.data

    monkeypatch.setattr(server.data, "_nquads", None)
    response = client.get("/export?format=nquads")
    assert response.is_streamed
    read = Dataset()
    with quiet_rdflib():
        read.parse(data=response.get_data(), format="nquads")
    assert {(s, p, o, g.identifier if hasattr(g, "identifier") else g)
            for s, p, o, g in read.quads((None, None, None, None))} == _file_quads(app)


def test_export_one_graph(client):
    response = client.get("/export", query_string={"graph": str(fx.G["inferred"]), "format": "turtle"})
    graph = Graph().parse(data=response.get_data(), format="turtle")
    assert len(graph) == 4 and (fx.AN, fx.VNKG.memberOf, fx.TINH_UY) in graph
    assert client.get("/export?graph=http://example.org/none").status_code == 404
    assert client.get("/export?format=xlsx").status_code == 400


def test_health_and_stats(app, client):
    assert client.get("/health").json == {"status": "ok", "triples": app.extensions["kg"]["store"].triples}
    stats = client.get("/stats").json
    kinds = {g["kind"]: g["triples"] for g in stats["graphs"]}
    assert kinds["inferred"] == 4 and kinds["links"] == 1 and kinds["ontology"] == 2
    assert stats["version"] and stats["built"].endswith("+00:00") and stats["dataset"] == "kg.trig"
    assert "/" not in stats["dataset"]


def test_query_page_lists_the_competency_questions(client):
    html = client.get("/").get_data(as_text=True)
    assert "CQ1" in html and 'id="query"' in html and "query.js" in html
    examples = json.loads(html.split('id="example-data">', 1)[1].split("</script>", 1)[0])
    assert len(examples) >= 10 and all("SELECT" in e["query"] for e in examples)
    import re

    loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', html)
    assert loaded and all(url.startswith("/") for url in loaded)  # nothing from a CDN
