"""The gunicorn worker's own parts, each on a real socket pair: the read deadline, the wait
for a new connection's first bytes, the heartbeat, and the close of a connection its client
has closed already (the live behaviour is in test_server_slow and test_server_limits)."""
from __future__ import annotations

import selectors
import socket
import time
from collections import Counter, deque
from concurrent.futures import Future
from types import SimpleNamespace

import pytest

from server import worker as w


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair()
    yield ours, theirs
    ours.close()
    theirs.close()


def _no_wait(*_args):
    raise AssertionError("waited for bytes that had arrived")


def test_bytes_that_arrived_are_read_without_waiting(pair, monkeypatch):
    ours, theirs = pair
    sock = w.DeadlineSocket(ours, 5.0)
    sock.arm()
    theirs.sendall(b"GET / HTTP/1.1\r\n")
    monkeypatch.setattr(w, "readable", _no_wait)
    assert sock.recv(1024) == b"GET / HTTP/1.1\r\n"
    buffer = bytearray(16)
    theirs.sendall(b"Host: x\r\n")
    assert sock.recv_into(buffer) == 9 and bytes(buffer[:9]) == b"Host: x\r\n"
    assert ours.gettimeout() is None  # still a blocking socket: the read did not change its mode


def test_a_read_waits_for_the_rest_of_the_deadline_only(pair):
    ours, theirs = pair
    sock = w.DeadlineSocket(ours, 0.3)
    sock.arm()
    theirs.sendall(b"POST / HTTP/1.1\r\n")
    assert sock.recv(1024)  # starts the deadline
    started = time.monotonic()
    with pytest.raises(w.ReadDeadline):
        sock.recv(1024)  # nothing more comes
    assert time.monotonic() - started < 1.0 and sock.expired


def test_past_the_deadline_even_bytes_that_arrived_are_refused(pair):
    ours, theirs = pair
    sock = w.DeadlineSocket(ours, 0.05)
    sock.arm()
    theirs.sendall(b"x")
    assert sock.recv(1) == b"x"
    time.sleep(0.1)
    theirs.sendall(b"y")
    with pytest.raises(w.ReadDeadline):
        sock.recv(1)


def test_a_disarmed_socket_reads_as_the_socket_does(pair):
    ours, theirs = pair
    sock = w.DeadlineSocket(ours, 0.01)
    theirs.sendall(b"abc")
    time.sleep(0.05)
    assert sock.recv(3) == b"abc" and not sock.expired


def test_the_mode_is_set_only_when_it_changes(pair):
    ours, _ = pair
    calls = []

    class Counted:
        def __init__(self, sock):
            self.sock = sock

        def __getattr__(self, name):
            return getattr(self.sock, name)

        def setblocking(self, flag):
            calls.append(("setblocking", flag))
            self.sock.setblocking(flag)

        def settimeout(self, value):
            calls.append(("settimeout", value))
            self.sock.settimeout(value)

    sock = w.DeadlineSocket(Counted(ours), 1.0)
    sock.setblocking(True)  # blocking already
    sock.setblocking(False)
    sock.setblocking(False)
    sock.settimeout(0.0)  # the same as non-blocking
    sock.settimeout(2.0)
    sock.settimeout(2.0)
    sock.setblocking(True)
    assert calls == [("setblocking", False), ("settimeout", 2.0), ("setblocking", True)]
    assert ours.gettimeout() is None


def _conn(sock):
    fake_worker = SimpleNamespace(cfg=SimpleNamespace(is_ssl=False, keepalive=2), read_timeout=1.0,
                                  count=lambda address, step: None)
    return w._Conn(fake_worker, sock, ("127.0.0.1", 5), ("127.0.0.1", 80))


def test_a_new_connection_waits_for_its_first_bytes_with_one_poll(pair, monkeypatch):
    ours, theirs = pair
    monkeypatch.setattr(selectors, "DefaultSelector", _no_wait)  # gunicorn's makes one per connection
    conn = _conn(ours)
    assert conn.wait_for_data(0.05) is False and not conn.data_ready
    theirs.sendall(b"G")
    assert conn.wait_for_data(5) is True and conn.data_ready
    assert conn.wait_for_data(0) is True  # known ready: not asked again
    closed = _conn(theirs)
    theirs.close()
    assert closed.wait_for_data(0.01) is False  # as gunicorn's: a closed socket never sends


def _worker(**attributes):
    worker = object.__new__(w.KgWorker)
    for name, value in attributes.items():
        setattr(worker, name, value)
    return worker


def test_the_heartbeat_is_sent_at_most_once_a_second():
    beats = []
    worker = _worker(tmp=SimpleNamespace(notify=lambda: beats.append(time.monotonic())), _notified=0.0)
    for _ in range(1000):
        worker.notify()
    assert len(beats) == 1
    worker._notified -= w.NOTIFY_EVERY
    worker.notify()
    assert len(beats) == 2


def _finished(result):
    future = Future()
    future.set_result(result)
    return future


class _Parser:
    def __init__(self, left=b""):
        self.unreader = SimpleNamespace(buf=SimpleNamespace(getvalue=lambda: left))


def _kept_alive_worker():
    counts = Counter()
    worker = _worker(alive=True, nr_conns=1, keepalived_conns=deque(), poller=selectors.DefaultSelector(),
                     cfg=SimpleNamespace(keepalive=2, is_ssl=False), per_client=counts, read_timeout=1.0)
    worker.count = lambda address, step: counts.update({address: step})
    return worker


def test_a_connection_its_client_closed_is_closed_at_once(pair):
    ours, theirs = pair
    worker = _kept_alive_worker()
    conn = w._Conn(worker, ours, ("127.0.0.9", 5), ("127.0.0.1", 80))
    conn.parser = _Parser()
    theirs.close()
    worker.finish_request(conn, _finished(True))
    assert worker.nr_conns == 0 and not worker.keepalived_conns
    assert ours.fileno() == -1 and worker.per_client["127.0.0.9"] == 0


def test_a_connection_its_client_keeps_open_is_kept_alive(pair):
    ours, theirs = pair
    worker = _kept_alive_worker()
    conn = w._Conn(worker, ours, ("127.0.0.9", 5), ("127.0.0.1", 80))
    conn.parser = _Parser()
    worker.finish_request(conn, _finished(True))
    assert worker.nr_conns == 1 and list(worker.keepalived_conns) == [conn]
    assert worker.poller.get_key(conn.sock)
    assert ours.fileno() != -1 and worker.per_client["127.0.0.9"] == 1
    worker.poller.close()
