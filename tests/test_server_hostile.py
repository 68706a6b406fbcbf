"""Hostile and broken requests against a live server, as one table.

One gunicorn server for the module (2 s query time limit, 300 MiB per query process, 1000
result rows, two requests in progress per client), serving the fixture dataset, a graph with
a 2,000-step chain and a 50-node cycle, and the W3C protocol suite's small graphs. A loopback
listener stands for every outside address the requests name: nothing may ever connect to it.

Each row is sent from one client address while another client (another loopback address)
asks ``ASK {}``: the row must get one of its statuses within the time limit + 1 s, its error
body must name no file, library or traceback, and the other client must be answered within
1 s. After the table the data must be unchanged (the file and the served N-Quads, byte for
byte) and the listener must have had no connection.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import quote, urlencode

import pytest
from rdflib import Namespace, URIRef

import server_fixture as fx
from kg.results import serialize_dataset

TIME_LIMIT = 2.0
HOSTILE_CLIENT, OTHER_CLIENT = "127.0.0.2", "127.0.0.3"
X = Namespace("https://w3id.org/vnkg/id/test/")
NEXT = X.next
LISTENER = "LISTENER"  # replaced by 127.0.0.1:<port of the module's listener>
SQ, FORM, SU = "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update"
LEAKS = ("Traceback", 'File "', ".py", "/work/", "/tmp/", "site-packages", "rdflib", "pyparsing",
         "werkzeug", "flask", "gunicorn", "python", "jinja")


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    target: str  # path and query string
    statuses: frozenset[int]
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    check: Optional[Callable[[bytes], bool]] = None  # on a 200's body
    chunked: bool = False


def get(id: str, query: str, statuses: set[int], check=None, **params: list[str]) -> Case:
    pairs = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items() for v in vs]
    return Case(id, "GET", "/sparql?" + urlencode(pairs, quote_via=quote), frozenset(statuses),
                check=check)


def form(id: str, pairs: list[tuple[str, str]], statuses: set[int], check=None) -> Case:
    return Case(id, "POST", "/sparql", frozenset(statuses), urlencode(pairs).encode(),
                (("Content-Type", FORM),), check)


def direct(id: str, body: str | bytes, statuses: set[int], content_type: str = SQ, check=None,
           chunked: bool = False) -> Case:
    data = body.encode() if isinstance(body, str) else body
    return Case(id, "POST", "/sparql", frozenset(statuses), data, (("Content-Type", content_type),),
                check, chunked)


def boolean(expected: bool) -> Callable[[bytes], bool]:
    return lambda body: json.loads(body)["boolean"] is expected


def count(expected: int) -> Callable[[bytes], bool]:
    return lambda body: int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected


def nested(n: int, inner: str = "?s ?p ?o") -> str:
    return "SELECT * WHERE " + "{ " * n + inner + " }" * n


def concat(steps: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(steps))
    return f'SELECT (STRLEN(?s{steps}) AS ?n) WHERE {{ BIND("ab" AS ?s0) {binds} }}'


def replace_bomb(levels: int) -> str:
    text = '"a"'
    for _ in range(levels):
        text = f'REPLACE({text}, "a", "aaaaaaaaaa")'
    return f"SELECT (STRLEN({text}) AS ?n) {{}}"


SVC = f"SERVICE <http://{LISTENER}/sparql> {{ ?s ?p ?o }}"
OUT = f"http://{LISTENER}/data.ttl"
SECRET = "SECRET_FILE"  # replaced by the file: IRI of a file written for the module
G = "https://w3id.org/vnkg/graph/"
INSERT = "INSERT DATA { GRAPH <https://w3id.org/vnkg/graph/inferred> { <http://a> <http://b> <http://c> } }"
ALL = "?s ?p ?o"
NO = frozenset()

CASES: list[Case] = [
    # SERVICE in every position: refused (400) before evaluation, nothing sent
    get("service-plain", f"SELECT * {{ {SVC} }}", {400}),
    get("service-silent", f"SELECT * {{ SERVICE SILENT <http://{LISTENER}/> {{ ?s ?p ?o }} }}", {400}),
    get("service-lowercase", f"select * {{ service <http://{LISTENER}/> {{ ?s ?p ?o }} }}", {400}),
    get("service-in-optional", f"SELECT * {{ ?s ?p ?o OPTIONAL {{ {SVC} }} }}", {400}),
    get("service-in-filter-exists", f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ {SVC} }} }}", {400}),
    get("service-in-filter-not-exists", f"ASK {{ FILTER NOT EXISTS {{ {SVC} }} }}", {400}),
    get("service-in-bind-exists", f"SELECT * {{ BIND(EXISTS {{ {SVC} }} AS ?b) }}", {400}),
    get("service-in-select-expression", f"SELECT (EXISTS {{ {SVC} }} AS ?b) {{}}", {400}),
    get("service-in-having", f"SELECT ?s {{ ?s ?p ?o }} GROUP BY ?s HAVING (EXISTS {{ {SVC} }})", {400}),
    get("service-in-order-by", f"SELECT * {{ ?s ?p ?o }} ORDER BY (EXISTS {{ {SVC} }})", {400}),
    get("service-in-minus", f"SELECT * {{ ?s ?p ?o MINUS {{ {SVC} }} }}", {400}),
    get("service-in-union", f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ {SVC} }} }}", {400}),
    get("service-in-subselect", f"SELECT * {{ {{ SELECT * WHERE {{ {SVC} }} }} }}", {400}),
    get("service-in-graph", f"SELECT * {{ GRAPH ?g {{ {SVC} }} }}", {400}),
    get("service-variable-endpoint",
        f"SELECT * {{ VALUES ?e {{ <http://{LISTENER}/> }} SERVICE ?e {{ ?s ?p ?o }} }}", {400}),
    get("service-in-ask", f"ASK {{ {SVC} }}", {400}),
    get("service-in-construct", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {SVC} }}", {400}),
    get("service-in-describe", f"DESCRIBE ?s WHERE {{ {SVC} }}", {400}),
    get("service-under-60-groups", nested(60, SVC), {400}),
    direct("service-after-300-optionals", "SELECT * { ?s ?p ?o " + " ".join(
        f"OPTIONAL {{ ?s <http://x/p{i}> ?o{i} }}" for i in range(300)) + f" {SVC} }}", {400}),
    form("service-post-form", [("query", f"SELECT * {{ {SVC} }}")], {400}),
    direct("service-post-direct", f"ASK {{ {SVC} }}", {400}),
    # SERVICE hidden from a check that lexes the text otherwise than the engine does
    direct("service-after-comment-ended-by-cr", f"SELECT ?x WHERE {{ # x\r {SVC}\n}}", {400}),
    direct("service-after-eight-digit-escape",
           f'SELECT ?x WHERE {{ BIND("a\\u00000022," AS ?y) .{SVC} }}', {400}),
    direct("service-unbound-after-cr", "SELECT ?x WHERE { # x\r SERVICE ?e { ?s ?p ?o }\n}", {400}),
    direct("service-after-less-than-and-comment",
           f"SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n<http://{LISTENER}/> {{ ?s ?p ?o }} }}", {400}),
    direct("service-after-a-number", f"SELECT * WHERE {{ ?s ?p 1{SVC} }}", {400}),
    get("service-word-in-a-comment-is-fine", f"# {SVC}\nASK {{}}", {200}, boolean(True)),
    get("service-word-in-a-string-is-fine", f'ASK {{ FILTER("{SVC}" != "") }}', {200}, boolean(True)),
    # FROM and the protocol's graphs choose among the served graphs; nothing is loaded
    get("from-file", f"ASK FROM <{SECRET}> {{ {ALL} }}", {200}, boolean(False)),
    get("from-named-file", f"ASK FROM NAMED <{SECRET}> {{ GRAPH ?g {{ {ALL} }} }}", {200}, boolean(False)),
    get("from-etc-passwd", f"ASK FROM <file:///etc/passwd> {{ {ALL} }}", {200}, boolean(False)),
    get("default-graph-uri-file", f"ASK {{ {ALL} }}", {200}, boolean(False), default_graph_uri=[SECRET]),
    get("named-graph-uri-file", f"ASK {{ GRAPH ?g {{ {ALL} }} }}", {200}, boolean(False),
        named_graph_uri=[SECRET]),
    get("from-loopback-http", f"ASK FROM <{OUT}> {{ {ALL} }}", {200}, boolean(False)),
    get("from-named-loopback-http", f"ASK FROM NAMED <{OUT}> {{ GRAPH ?g {{ {ALL} }} }}", {200}, boolean(False)),
    get("default-graph-uri-loopback-http", f"ASK {{ {ALL} }}", {200}, boolean(False), default_graph_uri=[OUT]),
    form("named-graph-uri-loopback-http-post", [("query", f"ASK {{ GRAPH ?g {{ {ALL} }} }}"),
                                                ("named-graph-uri", OUT)], {200}, boolean(False)),
    # hundreds of graph parameters: answered, quickly
    form("default-graph-uri-500", [("query", f"ASK {{ {ALL} }}")] + [
        ("default-graph-uri", f"{G}x{i}") for i in range(500)], {200}, boolean(False)),
    form("named-graph-uri-500", [("query", f"ASK {{ GRAPH ?g {{ {ALL} }} }}")] + [
        ("named-graph-uri", f"{G}x{i}") for i in range(499)] + [("named-graph-uri", f"{G}inferred")],
        {200}, boolean(True)),
    direct("from-500", "ASK " + " ".join(f"FROM <{G}x{i}>" for i in range(500)) + f" {{ {ALL} }}",
           {200}, check=boolean(False)),
    form("query-param-300-times", [("query", "ASK {}")] * 300, {400}),
    # updates through every door: 403
    Case("update-get", "GET", "/sparql?update=" + quote("DROP ALL"), frozenset({403})),
    Case("update-get-with-a-query", "GET", "/sparql?query=ASK%7B%7D&update=" + quote("DROP ALL"),
         frozenset({403})),
    form("update-post-form", [("update", "CLEAR ALL")], {403}),
    direct("update-sparql-update", INSERT, {403}, SU),
    direct("update-sparql-update-charset", "DROP ALL", {403}, SU + "; charset=utf-8"),
    get("insert-in-query-get", INSERT, {403}),
    form("insert-in-query-form", [("query", INSERT)], {403}),
    direct("insert-in-query-direct", INSERT, {403}),
    get("insert-lowercase", INSERT.replace("INSERT DATA", "insert data").replace("GRAPH", "graph"), {403}),
    get("insert-where", f"INSERT {{ ?s <http://x/p> ?o }} WHERE {{ {ALL} }}", {403}),
    get("delete-where", "DELETE WHERE { ?s ?p ?o }", {403}),
    get("delete-data", "DELETE DATA { <http://a> <http://b> <http://c> }", {403}),
    get("load-file", f"LOAD <{SECRET}>", {403}),
    get("load-loopback-http", f"LOAD <{OUT}> INTO GRAPH <{G}inferred>", {403}),
    get("clear-all", "CLEAR ALL", {403}),
    get("drop-graph", f"DROP GRAPH <{G}inferred>", {403}),
    get("create-graph", f"CREATE GRAPH <{G}new>", {403}),
    get("move-graph", f"MOVE <{G}inferred> TO <{G}ontology>", {403}),
    get("copy-default", f"COPY DEFAULT TO <{G}new>", {403}),
    get("query-then-update", "ASK {} ; DROP ALL", {400, 403}),
    # costly queries: stopped at the time or memory limit (503), or refused (400)
    get("cartesian-count", "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {503}),
    get("cartesian-order-by-limit", "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
        {503}),
    get("cartesian-rows-over-cap", "SELECT * { ?a ?b ?c . ?d ?e ?f }", {400, 503}),
    # rdflib's backtracking regex runs to the limit (503); pyoxigraph's (linear time) answers (200)
    get("regex-catastrophic", 'ASK { FILTER(REGEX("' + "a" * 40 + '!", "^(a+)+$")) }', {200, 503}),
    get("regex-catastrophic-over-data", 'SELECT * { ?s ?p ?o FILTER(REGEX(CONCAT("' + "a" * 36
        + '!", STR(?o)), "^(a|a?)+$")) } LIMIT 1', {200, 503}),
    get("concat-doubling-30", concat(30), {503}),
    get("replace-tenfold-10", replace_bomb(10), {503}),
    get("group-concat-product", "SELECT (STRLEN(GROUP_CONCAT(?o)) AS ?n) { ?a ?b ?c . ?d ?e ?o }", {200, 503}),
    # nesting: 60 levels are answered; thousands are refused
    get("nested-60-groups", nested(60) + " LIMIT 1", {200}),
    get("nested-60-optionals", "SELECT * { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 60 + "}" * 60 + " } LIMIT 1",
        {200}),
    get("nested-60-subselects", "SELECT * { " + "{ SELECT * WHERE " * 60 + "{ ?s a ?o }" + " }" * 60
        + " } LIMIT 1", {200}),
    get("nested-60-exists", "ASK { " + "FILTER EXISTS { " * 60 + ALL + " }" * 60 + " }", {200}, boolean(True)),
    get("nested-60-parentheses", "ASK { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }", {200}, boolean(True)),
    direct("nested-200-groups", nested(200) + " LIMIT 1", {200}),
    direct("nested-600-groups", nested(600), {400}),
    direct("nested-600-optionals", "SELECT * { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 600 + "}" * 600 + " }",
           {400}),
    direct("nested-3000-parentheses", "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }", {400}),
    direct("nested-5000-groups", nested(5000), {400}),
    # property paths over a 2,000-step chain and a 50-node cycle
    get("path-chain-star", f"SELECT (COUNT(*) AS ?n) {{ <{X.c0}> <{NEXT}>* ?x }}", {200}, count(2001)),
    get("path-chain-inverse-plus", f"SELECT (COUNT(*) AS ?n) {{ <{X.c2000}> ^<{NEXT}>+ ?x }}", {200}, count(2000)),
    direct("path-chain-2000-step-sequence", f"ASK {{ <{X.c0}> " + "/".join([f"<{NEXT}>"] * 2000)
           + f" <{X.c2000}> }}", {200, 503}, check=boolean(True)),  # pyoxigraph: a 2,000-join plan, to the limit
    get("path-cycle-plus-from-a-node", f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ <{X.r0}> <{NEXT}>+ ?x }}",
        {200}, count(50)),
    get("path-cycle-all-pairs", f"SELECT (COUNT(*) AS ?n) {{ ?a <{NEXT}>+ ?b }}", {503}),
    get("path-chain-both-ways-all-pairs", f"SELECT (COUNT(*) AS ?n) {{ ?a (<{NEXT}>|^<{NEXT}>)* ?b }}", {503}),
    get("path-negated-closure-product",
        "SELECT (COUNT(*) AS ?n) { ?a (!<http://x/q>)* ?b . ?c (!<http://x/q>)* ?d }", {503}),
    # sizes: 413 for a body over 1 MiB, 414 for a request line over 8 KiB, 431 for headers
    direct("body-over-1mib-direct", "ASK {}" + " " * (1024 * 1024), {413}),
    form("body-over-1mib-form", [("query", "ASK {}" + " " * (1024 * 1024))], {413}),
    direct("body-over-1mib-chunked", "ASK {}" + " " * (1024 * 1024), {413}, chunked=True),
    Case("body-over-1mib-form-chunked", "POST", "/sparql", frozenset({413}),
         ("query=ASK%7B%7D" + "+" * (1024 * 1024)).encode(), (("Content-Type", FORM),), chunked=True),
    direct("body-just-under-1mib", "ASK {}" + " " * (1024 * 1024 - 10), {200}, check=boolean(True)),
    Case("get-20kib", "GET", "/sparql?query=" + quote("ASK {}" + " " * (20 * 1024)), frozenset({414})),
    Case("header-16kib", "GET", "/sparql?query=ASK%7B%7D", frozenset({431}),
         headers=(("X-Padding", "x" * 16 * 1024),)),
    Case("headers-200", "GET", "/sparql?query=ASK%7B%7D", frozenset({431}),
         headers=tuple((f"X-H{i}", "x") for i in range(200))),
    Case("export-unknown-graph", "GET", "/export?graph=" + quote("urn:private"), frozenset({404})),
    # parsing alone would take the time limit: refused at once by counting tokens first
    direct("union-10000-branches", "SELECT * { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(10_000)) + " }",
           {400}),
    direct("values-60000-rows", "SELECT * { VALUES ?x { " + " ".join(map(str, range(60_000))) + " } }", {400}),
    # IRIs no entity can have
    Case("entity-angle-brackets", "GET", "/id/%3Cscript%3E", frozenset({404})),
    Case("entity-nul", "GET", "/id/%00", frozenset({404})),
]


def _paths_graph(ds) -> None:
    g = ds.graph(URIRef(G + "source/zz_paths.txt"))
    for i in range(2000):
        g.add((X[f"c{i}"], NEXT, X[f"c{i + 1}"]))
    for i in range(50):
        g.add((X[f"r{i}"], NEXT, X[f"r{(i + 1) % 50}"]))


@pytest.fixture(scope="module")
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    ds = fx.dataset(protocol_data=True)
    _paths_graph(ds)
    path = folder / "kg.trig"
    path.write_bytes(serialize_dataset(ds, "application/trig"))
    secret = folder / "secret.nt"
    secret.write_text("<http://example.org/secret> <http://example.org/is> <http://example.org/here> .\n")
    env = {"KG_CLIENT_LIMIT": "2", "KG_QUERY_PROCESSES": "2", "KG_THREADS": "4"}
    with fx.live_server(path, timeout=TIME_LIMIT, memory_mb=300, workers=2, env=env) as url:
        before = _fingerprint(url, path)
        yield url, path, secret.as_uri(), before


def send(base: str, case: Case, source: str, timeout: float = 30) -> tuple[int, dict, bytes, float]:
    host, port = base.rsplit("/", 1)[-1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    headers = {"Accept": "application/sparql-results+json, text/turtle;q=0.5", **dict(case.headers)}
    started = time.monotonic()
    try:
        body = (case.body[i:i + 65536] for i in range(0, len(case.body), 65536)) if case.chunked else case.body
        connection.request(case.method, case.target, body=body or None, headers=headers,
                           encode_chunked=case.chunked)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read(), time.monotonic() - started
    finally:
        connection.close()


def _fingerprint(url: str, path) -> tuple[str, str]:
    export = Case("export", "GET", "/export?format=nquads", frozenset({200}))
    status, _, body, _ = send(url, export, OTHER_CLIENT)
    assert status == 200
    return hashlib.sha256(path.read_bytes()).hexdigest(), hashlib.sha256(body).hexdigest()


def _resolved(case: Case, port: int, secret: str) -> Case:
    """The case with the listener's address and the secret file's IRI in place (encoded in a
    URL or a form, as they are in a query sent directly)."""
    values = {LISTENER: f"127.0.0.1:{port}", SECRET: secret}
    encoded = {k: quote(v, safe="") for k, v in values.items()}
    is_form = ("Content-Type", FORM) in case.headers
    target, body = case.target, case.body.decode()
    for placeholder in values:
        target = target.replace(placeholder, encoded[placeholder])
        body = body.replace(placeholder, (encoded if is_form else values)[placeholder])
    return Case(case.id, case.method, target, case.statuses, body.encode(), case.headers, case.check,
                case.chunked)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_request(served, listener, case):
    base, _, secret, _ = served
    case = _resolved(case, listener.getsockname()[1], secret)
    assert LISTENER not in case.target + case.body.decode() and SECRET not in case.target + case.body.decode()
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.update(zip(
        ("status", "headers", "body", "seconds"), send(base, case, HOSTILE_CLIENT))))
    thread.start()
    time.sleep(0.15)
    ask = Case("ask", "GET", "/sparql?query=ASK%7B%7D", frozenset({200}))
    status, _, body, seconds = send(base, ask, OTHER_CLIENT)
    thread.join(TIME_LIMIT + 10)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert seconds < 1.0, f"another client waited {seconds:.2f} s"
    assert outcome["status"] in case.statuses, outcome["body"][:300]
    assert outcome["seconds"] < TIME_LIMIT + 1.0, f"answered after {outcome['seconds']:.2f} s"
    if outcome["status"] >= 400:
        text = outcome["body"].decode("utf-8", "replace")
        assert text.strip() and not [leak for leak in LEAKS if leak.lower() in text.lower()], text[:300]
    elif case.check is not None:
        assert case.check(outcome["body"]), outcome["body"][:300]


# requests gunicorn answers itself, before the application sees them
RAW = [
    ("bad-request-line", b"NOT HTTP AT ALL\r\n\r\n", 400),
    ("request-line-over-8190", b"GET /sparql?query=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ("header-over-8190", b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"x" * 9000 + b"\r\n\r\n", 431),
]


def send_raw(base: str, data: bytes) -> tuple[int, dict[str, str], bytes]:
    host, port = base.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port)), timeout=10, source_address=(HOSTILE_CLIENT, 0)) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("data, status", [r[1:] for r in RAW], ids=[r[0] for r in RAW])
def test_errors_gunicorn_answers_itself_carry_the_security_headers(served, data, status):
    from server.app import CORS_HEADERS, SECURITY_HEADERS
    got, headers, body = send_raw(served[0], data)
    assert got == status
    for name, value in {**SECURITY_HEADERS, **CORS_HEADERS}.items():
        assert headers.get(name) == value, name
    assert headers["Content-Type"].startswith("text/plain")
    text = body.decode("utf-8")
    assert text.startswith(str(status)) and not [leak for leak in LEAKS if leak.lower() in text.lower()], text


def test_data_unchanged_after_the_table(served):
    base, path, _, before = served
    assert _fingerprint(base, path) == before


def test_nothing_connected_to_the_outside_listener(served, listener):
    listener.settimeout(0.5)
    with pytest.raises(socket.timeout):
        connection, _ = listener.accept()
        connection.close()


def test_requests_are_parsed_by_gunicorns_c_parser():
    """gunicorn_h1c (a dependency) parses requests under the limits `kg serve` sets: the table
    above runs through it. gunicorn falls back on its Python parser without a word if the
    module is missing or too old, so that is checked here."""
    from gunicorn.config import Config
    from gunicorn.http import message

    cfg = Config()
    cfg.set("limit_request_line", 8190)
    assert message._check_fast_parser(cfg)
