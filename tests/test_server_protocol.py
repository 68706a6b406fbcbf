"""The SPARQL protocol, in process: statuses, negotiation, dataset selection, refusals.

One app per module around the fixture dataset; its queries run in a forked worker as in
production. Each table row is a request and the status (and media type) it must get.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

import server_fixture as fx
from server.app import create_app

SQ, FORM, SU = "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update"
JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values")
TTL = "text/turtle"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("protocol") / "kg.trig")
    app = create_app({"GRAPH": str(path), "QUERY_TIMEOUT": 5, "MAX_RESULTS": 50})
    yield app
    app.extensions["kg"]["engine"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def q(text: str) -> str:
    return "/sparql?query=" + quote(text, safe="")


# id, method, url, headers, body, expected status, expected media type (or None)
REQUESTS = [
    ("get-ask", "GET", q("ASK {}"), {}, b"", 200, JSON),
    ("post-form", "POST", "/sparql", {"Content-Type": FORM}, b"query=ASK%20%7B%7D", 200, JSON),
    ("post-direct", "POST", "/sparql", {"Content-Type": SQ}, b"ASK {}", 200, JSON),
    ("post-direct-utf8-charset", "POST", "/sparql", {"Content-Type": f"{SQ}; charset=UTF-8"}, b"ASK {}", 200, JSON),
    ("trailing-slash", "GET", "/sparql/?query=ASK%7B%7D", {}, b"", 200, JSON),
    ("select-xml", "GET", q(COUNT), {"Accept": XML}, b"", 200, XML),
    ("select-csv", "GET", q(COUNT), {"Accept": CSV}, b"", 200, CSV),
    ("select-tsv", "GET", q(COUNT), {"Accept": TSV}, b"", 200, TSV),
    ("q-values", "GET", q(COUNT), {"Accept": f"{JSON};q=0.2, {TSV};q=0.9, {CSV};q=0.5"}, b"", 200, TSV),
    ("wildcard", "GET", q(COUNT), {"Accept": "*/*"}, b"", 200, JSON),
    ("browser-accept", "GET", q(COUNT), {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, b"", 200, JSON),
    ("application-json", "GET", q(COUNT), {"Accept": "application/json"}, b"", 200, JSON),
    ("format-param", "GET", q(COUNT) + "&format=csv", {"Accept": JSON}, b"", 200, CSV),
    ("output-param", "GET", q(COUNT) + "&output=xml", {}, b"", 200, XML),
    ("format-unknown-falls-back", "GET", q(COUNT) + "&format=excel", {"Accept": TSV}, b"", 200, TSV),
    ("construct-turtle", "GET", q("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"), {}, b"", 200, TTL),
    *[(f"construct-{m.split('/')[1]}", "GET", q("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"),
       {"Accept": m}, b"", 200, m) for m in ("application/n-triples", "application/rdf+xml",
                                             "application/ld+json", "application/trig", "application/n-quads")],
    ("construct-format-json-is-jsonld", "GET", q("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1") + "&format=json", {},
     b"", 200, "application/ld+json"),
    ("describe", "GET", q(f"DESCRIBE <{fx.AN}>"), {"Accept": TTL}, b"", 200, TTL),
    ("ask-csv-406", "GET", q("ASK {}"), {"Accept": CSV}, b"", 406, None),
    ("select-turtle-406", "GET", q(COUNT), {"Accept": TTL}, b"", 406, None),
    ("construct-json-results-406", "GET", q("CONSTRUCT WHERE { ?s ?p ?o }"), {"Accept": JSON}, b"", 406, None),
    ("put-405", "PUT", q("ASK {}"), {"Content-Type": FORM}, b"", 405, None),
    ("delete-405", "DELETE", "/sparql", {}, b"", 405, None),
    ("two-queries-400", "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, b"", 400, None),
    ("query-in-url-and-body-400", "POST", q("ASK {}"), {"Content-Type": SQ}, b"ASK {}", 400, None),
    ("syntax-400", "GET", q("ASK {"), {}, b"", 400, None),
    ("empty-query-400", "GET", "/sparql?query=", {}, b"", 400, None),
    ("post-no-query-400", "POST", "/sparql", {"Content-Type": FORM}, b"default-graph-uri=x", 400, None),
    ("not-utf8-body-400", "POST", "/sparql", {"Content-Type": SQ}, b"ASK { \xff }", 400, None),
    ("text-plain-415", "POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}", 415, None),
    ("no-content-type-415", "POST", "/sparql", {}, b"query=ASK%20%7B%7D", 415, None),
    ("utf16-415", "POST", "/sparql", {"Content-Type": f"{SQ}; charset=UTF-16"}, "ASK {}".encode("utf-16"), 415, None),
    ("update-param-get-403", "GET", "/sparql?update=CLEAR%20ALL", {}, b"", 403, None),
    ("update-form-403", "POST", "/sparql", {"Content-Type": FORM}, b"update=DROP%20ALL", 403, None),
    ("update-direct-403", "POST", "/sparql", {"Content-Type": SU}, b"CLEAR ALL", 403, None),
    ("insert-as-query-403", "GET", q("INSERT DATA { <http://a> <http://b> <http://c> }"), {}, b"", 403, None),
    ("load-as-query-403", "POST", "/sparql", {"Content-Type": SQ}, b"LOAD <file:///etc/hostname>", 403, None),
    ("drop-as-query-403", "GET", q("DROP ALL"), {}, b"", 403, None),
    ("service-400", "GET", q("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), {}, b"", 400, None),
    ("service-silent-in-optional-400", "GET",
     q("SELECT * { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?q ?r } } }"), {}, b"", 400, None),
    ("service-in-exists-400", "GET",
     q("ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }"), {}, b"", 400, None),
    ("service-after-300-optionals-400", "GET", q("SELECT * { ?s ?p ?o " + " ".join(
        f"OPTIONAL {{ ?s <http://x/p{i}> ?o{i} }}" for i in range(300)) + " SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }"),
     {}, b"", 400, None),
    ("too-many-rows-400", "GET", q("SELECT * { ?s ?p ?o }"), {}, b"", 400, None),
    ("options-preflight-204", "OPTIONS", "/sparql", {"Origin": "http://example.org"}, b"", 204, None),
    # media types match whatever their case
    ("content-type-upper-case", "POST", "/sparql", {"Content-Type": SQ.upper()}, b"ASK {}", 200, JSON),
    ("form-content-type-mixed-case", "POST", "/sparql", {"Content-Type": "Application/X-WWW-Form-Urlencoded"},
     b"query=ASK%20%7B%7D", 200, JSON),
    # the form is the parser's, not the first word that looks like one
    ("prefix-named-ask-select-csv", "GET", q("PREFIX ask: <http://example.org/ask#> " + COUNT), {"Accept": CSV},
     b"", 200, CSV),
    ("prefix-named-select-construct-turtle", "GET", q("PREFIX select: <http://example.org/s#> "
                                                      "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"),
     {"Accept": TTL}, b"", 200, TTL),
    # percent-escapes that are not UTF-8: 400, never a query with U+FFFD in it
    ("form-body-percent-ff-400", "POST", "/sparql", {"Content-Type": FORM}, b"query=ASK%20%7B%7D%20%23%FF", 400, None),
    ("query-string-percent-ff-400", "GET", "/sparql?query=ASK%20%7B%7D%20%23%FF", {}, b"", 400, None),
    ("head-is-a-get", "HEAD", q("ASK {}"), {}, b"", 200, JSON),
    # an IRI that no entity can have is not found, not an error
    ("entity-angle-brackets-404", "GET", "/id/%3Cscript%3E", {}, b"", 404, None),
    ("entity-nul-404", "GET", "/id/%00", {}, b"", 404, None),
    ("entity-space-404", "GET", "/id/a%20b", {}, b"", 404, None),
]


@pytest.mark.parametrize("method, url, headers, body, status, media",
                         [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS])
def test_request_gets_status(client, method, url, headers, body, status, media):
    response = client.open(url, method=method, headers=headers, data=body)
    assert response.status_code == status, response.get_data(as_text=True)
    if media:
        assert response.mimetype == media
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


ERRORS = [r for r in REQUESTS if r[5] >= 400 and r[1] != "OPTIONS"]


@pytest.mark.parametrize("method, url, headers, body", [r[1:5] for r in ERRORS], ids=[r[0] for r in ERRORS])
def test_error_bodies_say_what_but_never_where(client, method, url, headers, body):
    text = client.open(url, method=method, headers=headers, data=body).get_data(as_text=True)
    assert text.strip()
    for leak in ("Traceback", "rdflib", "pyparsing", "werkzeug", ".py", "/work/", "/tmp/"):
        assert leak not in text


def test_406_names_what_is_available(client):
    text = client.get(q("ASK {}"), headers={"Accept": CSV}).get_data(as_text=True)
    assert JSON in text and XML in text


def test_405_says_allow(client):
    assert "GET" in client.put("/sparql").headers["Allow"]


@pytest.mark.parametrize("path", ["/sparql", "/sparql/", "/search?q=an"])
def test_cors_preflight_says_what_may_follow_and_answers_do_not_repeat_it(client, path):
    """What a browser reads from the preflight alone (methods, headers, how long to keep
    them) comes with the OPTIONS answer; the answers to queries carry only the origin."""
    preflight = client.options(path, headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert int(preflight.headers["Access-Control-Max-Age"]) > 0
    answer = client.post("/sparql", headers={"Content-Type": SQ, "Origin": "http://example.org"}, data=b"ASK {}")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Methods" not in answer.headers


ROUTES = ["/sparql", "/sparql/", "/export", "/health", "/stats", "/search?q=an", "/",
          "/id/person/nguyen-van-an-a1b2c3", "/static/query.js"]


@pytest.mark.parametrize("path", ROUTES)
def test_405_allow_lists_only_methods_that_are_allowed(client, path):
    for method in ("PUT", "DELETE", "PATCH", "TRACE"):
        refused = client.open(path, method=method)
        assert refused.status_code == 405, (method, refused.status_code)
        for allowed in (m.strip() for m in refused.headers["Allow"].split(",")):
            post = {"headers": {"Content-Type": SQ}, "data": b"ASK {}"} if allowed == "POST" else {}
            with client.open(path, method=allowed, **post) as answered:
                assert answered.status_code != 405, (method, allowed)


def ask(client, text: str, **params) -> bool:
    url = q(text) + "".join(f"&{k.replace('_', '-')}={quote(v, safe='')}"
                            for k, vs in params.items() for v in vs)
    response = client.get(url, headers={"Accept": JSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["boolean"]


G = "https://w3id.org/vnkg/graph/"
HOLDS = f"<{fx.AN}> <{fx.VNKG.holds}> ?post"
MEMBER = f"<{fx.AN}> <{fx.VNKG.memberOf}> ?body"
DATASETS = [
    ("default-is-union-asserted", HOLDS, {}, True),
    ("default-is-union-inferred", MEMBER, {}, True),
    ("default-graph-uri-source", HOLDS, {"default_graph_uri": [G + "source/000_test.txt"]}, True),
    ("default-graph-uri-excludes-others", MEMBER, {"default_graph_uri": [G + "source/000_test.txt"]}, False),
    ("default-graph-uri-inferred", MEMBER, {"default_graph_uri": [G + "inferred"]}, True),
    ("default-graph-uri-unknown-is-empty", HOLDS, {"default_graph_uri": ["http://example.org/nothing"]}, False),
    ("named-graph-only-empties-default", HOLDS, {"named_graph_uri": [G + "inferred"]}, False),
]


@pytest.mark.parametrize("pattern, params, expected", [d[1:] for d in DATASETS], ids=[d[0] for d in DATASETS])
def test_protocol_dataset(client, pattern, params, expected):
    assert ask(client, f"ASK {{ {pattern} }}", **params) is expected


def test_from_chooses_served_graphs(client):
    assert ask(client, f"ASK FROM <{G}inferred> {{ {MEMBER} }}")
    assert not ask(client, f"ASK FROM <{G}inferred> {{ {HOLDS} }}")
    assert ask(client, f"ASK FROM NAMED <{G}links> {{ GRAPH <{G}links> {{ ?s ?p ?o }} }}")
    assert not ask(client, f"ASK FROM NAMED <{G}links> {{ GRAPH <{G}inferred> {{ ?s ?p ?o }} }}")


def test_protocol_dataset_overrides_from(client):
    assert ask(client, f"ASK FROM <{G}inferred> {{ {HOLDS} }}", default_graph_uri=[G + "source/000_test.txt"])


def test_from_file_reads_no_file(client, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://example.org/secret> <http://example.org/is> <http://example.org/here> .\n")
    url = secret.as_uri()
    for text, params in [
        (f"ASK FROM <{url}> {{ ?s ?p ?o }}", {}),
        (f"ASK FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("ASK { ?s ?p ?o }", {"default_graph_uri": [url]}),
        ("ASK { GRAPH ?g { ?s ?p ?o } }", {"named_graph_uri": [url]}),
        ("ASK FROM <file:///etc/hostname> { ?s ?p ?o }", {}),
    ]:
        assert ask(client, text, **params) is False, text
    assert not ask(client, "ASK { <http://example.org/secret> ?p ?o }")


def test_service_description(client):
    from rdflib import Graph, Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    response = client.get("/sparql")
    assert response.mimetype == TTL
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    service = next(graph.subjects(sd.endpoint, None))
    assert str(graph.value(service, sd.endpoint)).endswith("/sparql")
    assert (service, sd.defaultSupportedEntailmentProfile, None) in graph
    assert len(list(graph.objects(service, sd.resultFormat))) == 10
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert G + "inferred" in names and G + "links" in names
    assert client.get("/sparql", headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"


def _description(client) -> tuple:
    from rdflib import Graph, Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph().parse(data=client.get("/sparql").get_data(as_text=True), format="turtle")
    return graph, sd, next(graph.subjects(sd.defaultGraph, None))


def test_the_service_description_names_each_graph_with_its_triples(app, client):
    from rdflib.namespace import VOID

    graph, sd, dataset = _description(client)
    named = {str(graph.value(n, sd.name)): int(graph.value(graph.value(n, sd.graph), VOID.triples))
             for n in graph.objects(dataset, sd.namedGraph)}
    kept = app.extensions["kg"]["store"]
    assert named == kept.graph_counts and len(named) >= 5
    union = int(graph.value(graph.value(dataset, sd.defaultGraph), VOID.triples))
    assert union == len({q[:3] for q in kept.dataset.quads()}) <= sum(named.values())


def test_past_the_setting_the_service_description_names_the_graphs_that_are_not_sources(client, monkeypatch):
    from rdflib.namespace import RDFS

    monkeypatch.setenv("KG_SERVICE_GRAPHS", "3")
    graph, sd, dataset = _description(client)
    named = sorted(str(graph.value(n, sd.name)) for n in graph.objects(dataset, sd.namedGraph))
    assert named and not any("/graph/source/" in n for n in named)
    assert {n.rsplit("/", 1)[1] for n in named} <= {"inferred", "links", "ontology", "tenures"}
    said = str(graph.value(dataset, RDFS.comment))
    assert "/stats" in said and "graphs of the sources are not listed" in said


def test_the_counts_of_a_disk_store_are_kept_once_per_version_of_its_file(tmp_path):
    from server.oxdataset import COUNTS, _kept

    asked = []

    def count(n):
        return lambda: asked.append(n) or n
    assert _kept(tmp_path, {"v": 1}, "union", count(7)) == 7
    assert _kept(tmp_path, {"v": 1}, "counts", count({"g": 2})) == {"g": 2}
    assert _kept(tmp_path, {"v": 1}, "union", count(99)) == 7  # kept: not counted again
    assert _kept(tmp_path, {"v": 1}, "counts", count({})) == {"g": 2}
    assert asked == [7, {"g": 2}]
    assert _kept(tmp_path, {"v": 2}, "union", count(8)) == 8  # another version of the file
    assert _kept(tmp_path, {"v": 2}, "counts", count({"g": 3})) == {"g": 3}
    (tmp_path / COUNTS).write_text('{"stamp": {"v": 2}, "uni')  # cut short
    assert _kept(tmp_path, {"v": 2}, "union", count(9)) == 9
    assert _kept(None, {"v": 2}, "union", count(10)) == 10  # an in-memory store keeps nothing
    assert not list(tmp_path.glob("*.tmp*"))


def test_browser_without_query_goes_to_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")


def test_select_json_body(client):
    response = client.get(q(f"SELECT ?name WHERE {{ <{fx.AN}> <http://www.w3.org/2000/01/rdf-schema#label> ?name }}"))
    bindings = json.loads(response.get_data())["results"]["bindings"]
    assert bindings == [{"name": {"type": "literal", "value": "Nguyễn Văn An", "xml:lang": "vi"}}]


class _BrokenEngine:
    def query(self, *args, **kwargs):
        raise RuntimeError("boom in /work/main/server/secret.py")


def test_500_logs_the_traceback_and_sends_none(app, client, caplog):
    engines = app.extensions["kg"]
    real, engines["engine"] = engines["engine"], _BrokenEngine()
    try:
        response = client.get(q("ASK { FILTER(true) }  # asked of no engine before: not a kept answer"))
    finally:
        engines["engine"] = real
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "boom" not in body and "secret" not in body and "Traceback" not in body
    assert any("boom" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_an_answer_given_before_is_sent_again_without_the_engine(app, client):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }  # kept-answer test"
    first = client.get(q(text))
    engines = app.extensions["kg"]
    real, engines["engine"] = engines["engine"], _BrokenEngine()
    try:
        again = client.get(q(text))
        other_format = client.get(q(text), headers={"Accept": "text/csv"})
    finally:
        engines["engine"] = real
    assert first.status_code == again.status_code == 200 and again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert other_format.status_code == 500  # another format is another answer: the engine was asked


def test_kept_answers_can_be_turned_off(seeds_build):
    from server.app import create_app
    app = create_app({"GRAPH": str(seeds_build), "ANSWER_CACHE_MB": 0})
    try:
        assert app.extensions["kg"]["keep"] is None
    finally:
        app.extensions["kg"]["engine"].close()


def _lane(app):
    from server.sparql import QueryLane
    layer = app.wsgi_app
    while not isinstance(layer, QueryLane):
        layer = layer.wsgi_app
    return layer


@pytest.mark.parametrize("method, url, headers, body", [r[1:5] for r in REQUESTS], ids=[r[0] for r in REQUESTS])
def test_the_query_lane_answers_as_the_flask_view(app, method, url, headers, body):
    """Every request of the table, answered by the lane (the app as served) and by Flask alone
    (the layer under the lane): the same status, headers and body."""
    from werkzeug.test import Client

    answers = []
    for wsgi in (_lane(app), _lane(app).wsgi_app):
        response = Client(wsgi).open(url, method=method, headers=headers, data=body)
        answers.append((response.status, sorted(response.headers.items()), response.get_data()))
    assert answers[0] == answers[1]
