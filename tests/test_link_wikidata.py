"""The Wikidata connector against a real HTTP server on loopback (tests/linkfake.py)."""
from __future__ import annotations

import socket

import pytest

from kg.errors import LinkError
from kg.link.wikidata import HttpWikidata, parse_retry_after
from linkfake import FakeWikidata, Scripted, entity

DOCS = {
    "Q881": entity("Q881", "Việt Nam", "Vietnam", claims={"P31": ["Q6256"]}),
    "Q900000001": entity("Q900000001", "Lê Minh Hưng", claims={"P31": ["Q5"]}),
}


@pytest.fixture
def wd():
    with FakeWikidata(dict(DOCS)) as fake:
        yield fake


def client(wd: FakeWikidata, **kw) -> HttpWikidata:
    """A connector to the fake whose sleeps are recorded in ``.slept`` instead of slept."""
    slept: list[float] = []
    c = HttpWikidata(api_url=wd.api_url, sparql_url=wd.sparql_url, sleep=slept.append, **{"timeout": 2.0, **kw})
    c.slept = slept  # type: ignore[attr-defined]
    return c


def test_search_answers_hits_and_sends_the_user_agent(wd):
    c = client(wd)
    hits = c.search("Lê Minh")
    assert [h["id"] for h in hits] == ["Q900000001"]
    path, query, headers = wd.requests[0]
    assert path == "/w/api.php" and query["action"] == ["wbsearchentities"] and query["language"] == ["vi"]
    assert headers["User-Agent"] == c.user_agent and "vnkg" in headers["User-Agent"]


def test_entities_are_asked_fifty_at_a_time(wd):
    ids = [f"Q{n}" for n in range(1, 121)] + ["Q881"]
    found = client(wd).entities(ids)
    assert found["Q881"]["labels"]["vi"]["value"] == "Việt Nam"
    assert "missing" in found["Q7"]
    assert [len(q["ids"][0].split("|")) for _, q, _ in wd.requests] == [50, 50, 21]


def test_sparql_returns_bindings_and_asks_for_sparql_json(wd):
    rows = client(wd).sparql('SELECT ?item WHERE { ?item rdfs:label "Việt Nam"@vi }')
    assert rows == [{"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q881"}}]
    path, query, headers = wd.requests[0]
    assert path == "/sparql" and query["format"] == ["json"]
    assert headers["Accept"] == "application/sparql-results+json"


def test_429_is_retried_after_the_retry_after_it_gives(wd):
    wd.script = [Scripted(429, b"slow down", {"Retry-After": "1"})]
    c = client(wd)
    assert [h["id"] for h in c.search("Việt")] == ["Q881"]
    assert c.slept == [1.0] and len(wd.requests) == 2 and c.requests == 2


def test_429_forever_ends_in_a_link_error_after_the_retries(wd):
    wd.script = [Scripted(429, b"", {"Retry-After": "1"}) for _ in range(5)]
    c = client(wd, retries=2)
    with pytest.raises(LinkError, match="429"):
        c.search("Việt")
    assert c.slept == [1.0, 1.0] and len(wd.requests) == 3


def test_a_long_retry_after_is_capped(wd):
    wd.script = [Scripted(503, b"", {"Retry-After": "86400"})]
    c = client(wd, max_wait=30.0)
    c.search("Việt")
    assert c.slept == [30.0]


def test_an_answer_slower_than_the_timeout_is_retried_then_fails(wd):
    wd.script = [Scripted(200, b'{"search": []}', delay=0.6) for _ in range(2)]
    c = client(wd, timeout=0.15, retries=1)
    with pytest.raises(LinkError, match="no answer within"):
        c.search("Việt")
    assert len(c.slept) == 1 and c.requests == 2


def test_a_timeout_then_an_answer_succeeds(wd):
    wd.script = [Scripted(200, b'{"search": []}', delay=0.6)]
    c = client(wd, timeout=0.15, retries=1)
    assert [h["id"] for h in c.search("Việt")] == ["Q881"]


@pytest.mark.parametrize("body, message", [
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not an object"),
    (b'{"searchinfo": {}}', "unexpected answer"),
    (b'{"search": [{"label": "no id"}]}', "unexpected answer"),
    (b'{"error": {"code": "maxlag", "info": "Waiting for a database server"}}', "maxlag"),
], ids=["truncated", "not-utf8", "array", "no-search-key", "hit-without-id", "api-error"])
def test_malformed_answers_are_link_errors_and_not_cached(wd, tmp_path, body, message):
    wd.script = [Scripted(200, body)]
    c = client(wd, cache_dir=tmp_path)
    with pytest.raises(LinkError, match=message):
        c.search("Việt")
    assert [h["id"] for h in c.search("Việt")] == ["Q881"]  # asked again, not served from cache
    assert c.requests == 2


def test_a_server_error_is_not_retried(wd):
    wd.script = [Scripted(500, b"oops")]
    c = client(wd)
    with pytest.raises(LinkError, match="HTTP 500"):
        c.search("Việt")
    assert c.requests == 1 and c.slept == []


def test_sparql_without_bindings_is_a_link_error(wd):
    wd.script = [Scripted(200, b'{"head": {"vars": []}}')]
    with pytest.raises(LinkError, match="bindings"):
        client(wd).sparql("SELECT * WHERE { ?s ?p ?o }")


def test_entities_without_an_entities_object_is_a_link_error(wd):
    wd.script = [Scripted(200, b'{"success": 1}')]
    with pytest.raises(LinkError, match="wbgetentities: unexpected answer"):
        client(wd).entities(["Q881"])


def test_cache_hit_avoids_a_second_request_even_across_clients(wd, tmp_path):
    first = client(wd, cache_dir=tmp_path)
    assert first.search("Việt") == first.search("Việt")
    second = client(wd, cache_dir=tmp_path)
    assert [h["id"] for h in second.search("Việt")] == ["Q881"]
    assert first.requests == 1 and second.requests == 0 and len(wd.requests) == 1


def test_a_refused_connection_is_a_link_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = HttpWikidata(api_url=f"http://127.0.0.1:{port}/w/api.php", timeout=1.0, sleep=lambda s: None)
    with pytest.raises(LinkError, match="127.0.0.1"):
        c.search("Việt")


@pytest.mark.parametrize("value, expected", [
    ("1", 1.0),
    (" 120 ", 120.0),
    (None, 4.0),
    ("", 4.0),
    ("soon", 4.0),
    ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
    ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
], ids=["seconds", "spaces", "absent", "empty", "garbage", "http-date", "http-date-past"])
def test_parse_retry_after(value, expected):
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(value, default=4.0, now=now) == expected
