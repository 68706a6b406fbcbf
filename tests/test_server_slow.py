"""Slow clients against a live server: a client that sends its request slowly holds a thread
for at most the read deadline, and one address holds at most its share of the connections.

One gunicorn worker (8 threads, a 3 s deadline to read a request, 4 connections per client
address) serving the fixture dataset. Clients are told apart by their loopback source address.
Also here, as they need servers of their own: gunicorn's control socket (none unless asked for).
"""
from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
import urllib.parse

import pytest

import server_fixture as fx

READ_DEADLINE = 3.0
SLOW, OTHER, GREEDY, KEEPER = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("slow") / "kg.trig")
    env = {"KG_REQUEST_READ_TIMEOUT": str(READ_DEADLINE), "KG_CLIENT_CONNECTION_LIMIT": "4",
           "KG_THREADS": "8", "KG_CLIENT_LIMIT": "2"}
    with fx.live_server(path, timeout=2.0, workers=1, env=env) as url:
        yield url


def _address(base: str) -> tuple[str, int]:
    host, port = base.rsplit("/", 1)[-1].split(":")
    return host, int(port)


def _connect(base: str, source: str) -> socket.socket:
    return socket.create_connection(_address(base), timeout=10, source_address=(source, 0))


def _answer_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sends (b"" when it closes) within `seconds`, else None."""
    ready, _, _ = select.select([sock], [], [], seconds)
    if not ready:
        return None
    try:
        return sock.recv(65536)
    except ConnectionResetError:
        return b""


class Slowloris(threading.Thread):
    """Sends a request line, then a header line every `pace` s, until the server answers or
    closes; then starts again on a new connection. Keeps how long each connection lasted."""

    def __init__(self, base: str, source: str, pace: float) -> None:
        super().__init__(daemon=True)
        self.base, self.source, self.pace = base, source, pace
        self.stop, self.lasted, self.answers = threading.Event(), [], []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                sock = _connect(self.base, self.source)
            except OSError:
                time.sleep(0.1)
                continue
            with sock:
                self._dribble(sock)

    def _dribble(self, sock: socket.socket) -> None:
        started = time.monotonic()
        try:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            while not self.stop.is_set():
                answer = _answer_within(sock, self.pace)
                if answer is not None:
                    self.answers.append(answer[:40])
                    self.lasted.append(time.monotonic() - started)
                    return
                sock.sendall(b"X-Slow: 1\r\n")
        except OSError:
            self.lasted.append(time.monotonic() - started)


def _ask(base: str, n: int) -> tuple[int, float]:
    text = urllib.parse.quote(f"ASK {{ FILTER(\"{n}\" != \"\") }}")  # a new text each time: never a kept answer
    started = time.monotonic()
    with _connect(base, OTHER) as sock:
        sock.sendall(f"GET /sparql?query={text} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Accept: application/sparql-results+json\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["boolean"] is True
    return status, time.monotonic() - started


def test_sixteen_slow_connections_do_not_stall_another_client(base):
    attackers = [Slowloris(base, SLOW, pace=1.0) for _ in range(16)]
    for attacker in attackers:
        attacker.start()
    time.sleep(1.0)
    try:
        answers = []
        deadline = time.monotonic() + 3 * READ_DEADLINE
        while time.monotonic() < deadline:
            answers.append(_ask(base, len(answers)))
            time.sleep(0.2)
    finally:
        for attacker in attackers:
            attacker.stop.set()
        for attacker in attackers:
            attacker.join(5)
    assert answers and all(status == 200 for status, _ in answers)
    slowest = max(seconds for _, seconds in answers)
    assert slowest < 1.0, f"another client waited {slowest:.2f} s"
    lasted = [s for a in attackers for s in a.lasted]
    assert lasted and max(lasted) < READ_DEADLINE + 1.5, max(lasted)  # cut off at the deadline


def test_a_request_not_sent_within_the_deadline_is_cut_off(base):
    with _connect(base, SLOW) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")  # the headers in time, the body never
        answer = _answer_within(sock, READ_DEADLINE + 3)
        assert answer is not None and (answer == b"" or answer.startswith(b"HTTP/1.1 408")), answer
        assert READ_DEADLINE - 0.5 < time.monotonic() - started < READ_DEADLINE + 1.5
        while answer:
            answer = _answer_within(sock, 1.0)
        assert answer == b""  # and closed


def test_connections_past_the_cap_are_answered_429_at_once(base):
    held = [_connect(base, GREEDY) for _ in range(4)]
    try:
        for sock in held:
            sock.sendall(b"GET /health HTTP/1.1\r\n")  # reading its headers holds a thread
        time.sleep(0.3)
        for _ in range(3):
            with _connect(base, GREEDY) as extra:
                started = time.monotonic()
                answer = _answer_within(extra, 1.0)
                assert answer is not None and answer.startswith(b"HTTP/1.1 429"), answer
                assert b"Retry-After: 1" in answer and b"X-Content-Type-Options: nosniff" in answer
                assert time.monotonic() - started < 0.5
        assert _ask(base, -1)[0] == 200  # another address is not counted
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    with _connect(base, GREEDY) as again:  # its connections closed, the client is served again
        again.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert (_answer_within(again, 2.0) or b"").startswith(b"HTTP/1.1 200")


def test_an_idle_connection_of_the_client_makes_room_for_a_new_one(base):
    host, port = _address(base)
    idle = [http.client.HTTPConnection(host, port, timeout=5, source_address=(KEEPER, 0)) for _ in range(4)]
    try:
        for connection in idle:  # one request each, the connection kept alive afterwards
            connection.request("GET", "/health")
            assert connection.getresponse().read().startswith(b'{"status":"ok"')
        time.sleep(0.2)
        with _connect(base, KEEPER) as fifth:
            fifth.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert (_answer_within(fifth, 2.0) or b"").startswith(b"HTTP/1.1 200")
        closed = [c for c in idle if _answer_within(c.sock, 0.5) == b""]
        assert len(closed) == 1  # the oldest idle one, closed to make room
    finally:
        for connection in idle:
            connection.close()


# --- gunicorn's control socket: none unless asked for ------------------------------------

def test_two_servers_share_no_control_socket(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    home = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime)}
    path = fx.write(tmp_path / "kg.trig")
    own = tmp_path / "own.ctl"
    with fx.live_server(path, workers=1, env=home), \
            fx.live_server(path, workers=1, env={**home, "KG_CONTROL_SOCKET": str(own)}):
        deadline = time.monotonic() + 10
        while not own.is_socket() and time.monotonic() < deadline:  # gunicorn opens it in a thread
            time.sleep(0.1)
        assert own.is_socket()  # asked for: at its own path
        assert not (runtime / "gunicorn.ctl").exists() and not (tmp_path / ".gunicorn").exists()
