"""Per-client limits: 429 with Retry-After past the limit, other clients unaffected.

The table of requests in progress on its own; the limit in an app whose engine waits until
told; and on a live gunicorn server, two clients sending slow queries while a third is
served. Clients are told apart by their loopback source address (127.0.0.2, .3, .4).
"""
from __future__ import annotations

import http.client
import json
import threading
import time

import pytest

import server_fixture as fx
from kg.results import QueryResult
from server.app import create_app
from server.limits import ClientLimiter, client_of
from server.pool import WorkerBusy, WorkerPool

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_limiter_counts_per_client_and_frees_rows():
    limiter = ClientLimiter(2, rows=4)
    a1, a2 = limiter.acquire("10.0.0.1"), limiter.acquire("10.0.0.1")
    assert a1 is not None and a2 is not None and limiter.acquire("10.0.0.1") is None
    b1 = limiter.acquire("10.0.0.2")
    assert b1 is not None and limiter.in_progress("10.0.0.1") == 2
    limiter.release(a1)
    assert limiter.in_progress("10.0.0.1") == 1 and limiter.acquire("10.0.0.1") is not None


def test_limiter_table_full_refuses_and_a_dead_process_rows_are_freed():
    limiter = ClientLimiter(5, rows=2)
    assert limiter.acquire("a") is not None and limiter.acquire("b") is not None
    assert limiter.acquire("c") is None
    limiter.forget_process(__import__("os").getpid())
    assert limiter.in_progress("a") == 0 and limiter.acquire("c") is not None


CLIENTS = [
    ("remote-address", {"REMOTE_ADDR": "10.1.1.1"}, "", "10.1.1.1"),
    ("header-last-hop", {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 5.6.7.8"},
     "X-Forwarded-For", "5.6.7.8"),
    ("header-ignored-unless-configured", {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
     "", "10.0.0.9"),
    ("header-missing", {"REMOTE_ADDR": "10.0.0.9"}, "X-Forwarded-For", "10.0.0.9"),
]


@pytest.mark.parametrize("environ, header, expected", [c[1:] for c in CLIENTS], ids=[c[0] for c in CLIENTS])
def test_client_of(environ, header, expected):
    assert client_of(environ, header) == expected


class _WaitingEngine:
    """Answers a client's ASK true once `go` is set; what a page asks (a SELECT), at once and empty,
    as an engine with a free process would."""

    def __init__(self) -> None:
        self.go, self.started = threading.Event(), threading.Semaphore(0)

    def query(self, text, *args, **kwargs) -> QueryResult:
        if "SELECT" in str(text):
            return QueryResult("SELECT")
        self.started.release()
        assert self.go.wait(10)
        return QueryResult("ASK", boolean=True)

    def close(self) -> None:
        pass


@pytest.fixture()
def limited_app(tmp_path):
    app = create_app({"GRAPH": str(fx.write(tmp_path / "kg.trig")), "CLIENT_LIMIT": 1})
    real = app.extensions["kg"]["engine"]
    app.extensions["kg"]["engine"] = engine = _WaitingEngine()
    yield app, engine
    engine.go.set()
    real.close()


def test_past_the_limit_429_with_retry_after_and_others_served(limited_app):
    app, engine = limited_app
    client = app.test_client()
    first: dict = {}
    thread = threading.Thread(target=lambda: first.update(
        response=client.get("/sparql?query=ASK%7B%7D", environ_base={"REMOTE_ADDR": "10.0.0.1"})))
    thread.start()
    assert engine.started.acquire(timeout=10)
    refused = client.get("/sparql?query=ASK%7B%7D", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert "429" in refused.get_data(as_text=True)
    assert client.get("/health", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200  # exempt
    page = client.get("/id/person/nguyen-van-an-a1b2c3", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert page.status_code == 200
    engine.go.set()
    thread.join(10)
    assert first["response"].status_code == 200
    first["response"].close()  # as the server does when the body is sent; the row is given back
    again = client.get("/sparql?query=ASK%7B%7D", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert again.status_code == 200


def test_no_limit_by_default_in_the_factory(tmp_path):
    app = create_app({"GRAPH": str(fx.write(tmp_path / "kg.trig"))})
    try:
        assert "limiter" not in app.extensions["kg"]
    finally:
        app.extensions["kg"]["engine"].close()


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def test_pool_busy_past_the_wait_is_503_with_retry_after():
    pool = WorkerPool(_sleep, size=1)
    try:
        thread = threading.Thread(target=pool.run, args=(1.5, 5))
        thread.start()
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(WorkerBusy) as caught:
            pool.run(0, 0.5)
        assert time.monotonic() - started < 1.0
        assert caught.value.status == 503 and caught.value.retry_after
        thread.join(5)
        assert pool.run(0, 5) == "done"
    finally:
        pool.close()


# --- live: two slow clients cannot starve a third ---------------------------------------

TIME_LIMIT = 2.0


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("limits") / "kg.trig")
    env = {"KG_CLIENT_LIMIT": "2", "KG_QUERY_PROCESSES": "5", "KG_THREADS": "8"}
    with fx.live_server(path, timeout=TIME_LIMIT, memory_mb=300, workers=2, env=env) as url:
        yield url


def request(base: str, source: str, path: str) -> tuple[int, dict, bytes, float]:
    host, port = base.rsplit("/", 1)[-1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(source, 0))
    started = time.monotonic()
    try:
        accept = "application/sparql-results+json" if path.startswith("/sparql") else "*/*"
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read(), time.monotonic() - started
    finally:
        connection.close()


def test_two_slow_clients_cannot_starve_a_third(base):
    from urllib.parse import quote

    slow = "/sparql?query=" + quote(SLOW)
    answers: list[tuple[str, int, dict]] = []
    lock = threading.Lock()

    def hog(source: str) -> None:
        status, headers, _, _ = request(base, source, slow)
        with lock:
            answers.append((source, status, headers))

    threads = [threading.Thread(target=hog, args=(s,)) for s in ("127.0.0.2", "127.0.0.3") for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    for path in ("/sparql?query=ASK%7B%7D", "/id/person/nguyen-van-an-a1b2c3", "/export?format=nquads"):
        status, _, body, seconds = request(base, "127.0.0.4", path)
        # starved, it would wait for a slow query's end, at least TIME_LIMIT - 0.5 s from now
        assert status == 200 and seconds < TIME_LIMIT - 0.6, (path, status, seconds)
    for t in threads:
        t.join(TIME_LIMIT + 10)
    for source in ("127.0.0.2", "127.0.0.3"):
        statuses = sorted(status for s, status, _ in answers if s == source)
        assert statuses == [429, 503, 503], (source, statuses)
    assert all(h.get("Retry-After") == "1" for _, status, h in answers if status == 429)
    status, _, body, _ = request(base, "127.0.0.2", "/sparql?query=ASK%7B%7D")
    assert status == 200 and json.loads(body)["boolean"] is True  # its rows were given back


def test_a_client_at_its_limit_asking_one_after_another_is_never_refused(base):
    """Two loops from one address, each sending its next request as soon as it has read the
    answer: two in progress at most, the limit, so none may be refused."""
    answers: list[tuple[int, bytes]] = []

    def loop() -> None:
        for _ in range(60):
            status, _, body, _ = request(base, "127.0.0.5", "/sparql?query=ASK%7B%7D")
            answers.append((status, body[:200] if status != 200 else b""))

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    refused = [a for a in answers if a[0] != 200]
    assert len(answers) == 120 and not refused, refused  # the body says which limit refused it
