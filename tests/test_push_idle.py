"""`kg push` opens a new connection after an idle spell: reading the next part of a large graph
from the store can outlast the server's keep-alive, and a request on the connection the server
dropped fails (a broken pipe at 100,000 articles)."""
import http.server
import threading
import time

import pytest

from kg.errors import KgError
from kg.store import push as pushing

KEEP_ALIVE = 0.3  # seconds the test server keeps an idle connection


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = KEEP_ALIVE  # an idle connection's next read times out and the server closes it

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass

    def log_error(self, *args):
        pass


@pytest.fixture()
def store_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def _post_after_a_pause(url: str) -> None:
    client = pushing._Client(url, 5)
    try:
        assert client.server().startswith("BaseHTTP")
        time.sleep(KEEP_ALIVE * 3)  # the server has dropped the connection by now
        client.send("POST", "batch 1", None, [b"<urn:a> <urn:b> <urn:c> .\n"], 26, "application/n-quads")
    finally:
        client.close()


def test_a_request_after_an_idle_spell_goes_on_a_new_connection(store_url, monkeypatch):
    monkeypatch.setattr(pushing, "IDLE_SECONDS", KEEP_ALIVE / 3)
    _post_after_a_pause(store_url)


def test_without_it_the_dropped_connection_fails(store_url, monkeypatch):
    """What the idle check prevents (so the test above can fail)."""
    monkeypatch.setattr(pushing, "IDLE_SECONDS", 3600.0)
    with pytest.raises(KgError, match="failed at batch 1"):
        _post_after_a_pause(store_url)
