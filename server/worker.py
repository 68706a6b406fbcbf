"""The gunicorn worker of ``kg serve``: gunicorn's threaded worker, made safe from slow clients.

A thread of the worker reads each request from its socket, so a client that sends a request
slowly (a header line every few seconds) holds a thread while it does; sixteen such
connections once held every thread of the server. Two bounds keep slow clients to a share:

* a deadline: from the first byte of a request, the client has ``REQUEST_READ_TIMEOUT``
  seconds to send all of it, headers and body. Each read waits only for the time left;
  past it the connection is closed, at once (no lingering: a client that sends slowly would
  not close its side either).
* a cap: one client address may hold ``CLIENT_CONNECTION_LIMIT`` connections in a worker.
  For a new one past the cap, a connection of that client that is idle (kept alive, or
  connected without sending) is closed to make room; if none is, the new connection is
  answered 429 at once and closed, from the worker's event loop, without taking a thread.

Closing never waits in the event loop: gunicorn's graceful close (FIN, then up to 2 s for
the client to close) runs there, and a client that keeps its socket open turned it into a
stall of the whole worker. Here the request thread that gave the last answer closes the
connection itself, gracefully — or at once past the deadline, since that client is not
sending its part. The error pages gunicorn writes itself (400, 414, 431…) are rewritten as
plain text with the application's security and CORS headers (:func:`error_page`).
"""
from __future__ import annotations

import errno
import socket
import threading
import time
from collections import Counter
from typing import Any, Callable, Optional

from gunicorn import util
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import TConn, ThreadWorker

from .app import CORS_HEADERS, SECURITY_HEADERS
from .pool import readable

_WHY = {
    400: "the request is not valid HTTP/1.1",
    408: "the request was not sent in time",
    414: "the request line is longer than 8190 bytes; send a long query by POST",
    429: "this client has too many connections open; retry after 1 s",
    431: "a header is longer than 8190 bytes, or there are more than 100 headers",
}


def error_page(status: int, reason: str, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A whole HTTP response for an error the worker answers itself: plain text, the
    security and CORS headers, the connection closed after it."""
    body = f"{status} {reason}: {_WHY.get(status, 'the request could not be answered')}\n".encode()
    headers = [("Connection", "close"), ("Content-Type", "text/plain; charset=utf-8"),
               ("Content-Length", str(len(body))), *extra, *CORS_HEADERS.items(), *SECURITY_HEADERS.items()]
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + body


class ReadDeadline(NoMoreData):
    """The client did not send its whole request within the deadline (closed quietly, as
    gunicorn closes a connection whose client went away)."""

    def __str__(self) -> str:
        return "the request was not sent within its deadline"


NOTIFY_EVERY = 1.0  # seconds between the worker's heartbeats to the master

_PASSED = ("fileno", "gettimeout", "sendall", "send", "shutdown", "close")


class DeadlineSocket:
    """A socket whose reads, while armed, wait only for what is left of a deadline that the
    first read of each request starts. Everything else is the socket's own."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self._sock, self.seconds = sock, seconds
        self.armed, self.expired, self.deadline = False, False, 0.0
        for name in _PASSED:  # what gunicorn calls on every request: bound once, not looked up each time
            setattr(self, name, getattr(sock, name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def arm(self) -> None:
        """A new request: the next read starts its deadline."""
        self.armed, self.deadline = True, 0.0

    def disarm(self) -> None:
        self.armed = False

    def setblocking(self, flag: bool) -> None:
        """As the socket's, without the system call when it is in that mode already
        (gunicorn sets a connection's mode four times a request, twice to what it was)."""
        if self._sock.gettimeout() != (None if flag else 0.0):
            self._sock.setblocking(flag)

    def settimeout(self, value: Optional[float]) -> None:
        if self._sock.gettimeout() != value:
            self._sock.settimeout(value)

    def recv(self, size: int, flags: int = 0) -> bytes:
        return self._read(self._sock.recv, size, flags)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        return self._read(self._sock.recv_into, buffer, nbytes, flags)

    def _read(self, read: Callable[..., Any], *args: Any) -> Any:
        """`read(*args)`, its last argument the flags. While armed, what has arrived is read at
        once; only a read that would wait waits, for what is left of the deadline."""
        if not self.armed:
            return read(*args)
        *head, flags = args
        try:
            return read(*head, flags | self._now())
        except BlockingIOError:
            self._wait()
            return read(*args)

    def _now(self) -> int:
        """Start the request's deadline at its first read; the flag of a read that does not wait."""
        if not self.deadline:
            self.deadline = time.monotonic() + self.seconds
        elif self.deadline <= time.monotonic():
            self.expired = True
            raise ReadDeadline()
        return socket.MSG_DONTWAIT

    def _wait(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0 or not readable(self._sock, left):
            self.expired = True
            raise ReadDeadline()


def _closed_by_peer(sock: Any) -> bool:
    """Whether the client has closed its side (a read would give nothing): peeked, never waited for."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:  # reset: gone too
        return True


def _close_now(sock: Any) -> None:
    """Close without waiting: send FIN, read what has already arrived (unread data turns the
    close into a reset, which can cut an answer off), close."""
    try:
        sock.setblocking(False)
        sock.shutdown(socket.SHUT_WR)
        sock.recv(65536)
    except OSError:
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


class _Conn(TConn):
    """A connection counted against its client's cap, read under the deadline."""

    def __init__(self, worker: "KgWorker", sock: socket.socket, client: Any, server: Any) -> None:
        super().__init__(worker.cfg, sock, client, server)
        if not worker.cfg.is_ssl:
            self.sock = DeadlineSocket(self.sock, worker.read_timeout)
        self.address, self.worker = _address(client), worker
        worker.count(self.address, +1)
        self.counted = True

    def wait_for_data(self, timeout: float) -> bool:
        """Whether the client sends within `timeout` s: one poll(2), not gunicorn's selector
        made and closed for each new connection (four system calls)."""
        if not self.data_ready:
            try:
                self.data_ready = readable(self.sock, timeout)
            except (OSError, ValueError):
                return False
        return self.data_ready

    def finish(self) -> None:
        """Close after the last answer, in the request thread: at once past the deadline,
        else as gunicorn does (FIN, then up to 2 s for the client to close)."""
        if isinstance(self.sock, DeadlineSocket):
            self.sock.disarm()
            if self.sock.expired:
                _close_now(self.sock)
                return
        util.close_graceful(self.sock)

    def close(self, graceful: bool = False) -> None:
        """Called from the event loop: the count given back, the socket closed at once (a
        graceful close was done by :meth:`finish` in the request thread)."""
        if self.counted:
            self.counted = False
            self.worker.count(self.address, -1)
        if isinstance(self.sock, DeadlineSocket):
            self.sock.disarm()
        super().close()


def _address(client: Any) -> str:
    return str(client[0]) if isinstance(client, (tuple, list)) and client else ""


class KgWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker with a read deadline, a per-client connection cap and
    error pages that carry the security headers."""

    def init_process(self) -> None:
        self.read_timeout = float(self._setting("REQUEST_READ_TIMEOUT"))
        self.connection_limit = int(self._setting("CLIENT_CONNECTION_LIMIT"))
        self.per_client: Counter[str] = Counter()
        self._count_lock = threading.Lock()
        self._names: dict[Any, Any] = {}  # each listener's own address, asked once
        self._notified = 0.0
        super().init_process()  # runs the worker until it stops

    def _setting(self, name: str) -> Any:
        application = getattr(self.app, "application", None)
        config = getattr(application, "config", None) or {}
        if name in config:
            return config[name]
        from kg import config as settings
        return settings.get(name.lower())

    def notify(self) -> None:
        """Tell the master this worker is alive: at most once every NOTIFY_EVERY s, not at
        every turn of the event loop (two or three a request; the master allows `timeout`)."""
        now = time.monotonic()
        if now - self._notified >= NOTIFY_EVERY:
            self._notified = now
            super().notify()

    def finish_request(self, conn: Any, fs: Any) -> None:
        """As gunicorn's, but a connection its client has closed already is closed now, not
        kept alive to be found closed at the next turn of the event loop."""
        if (self.alive and not fs.cancelled() and fs.exception() is None and fs.result() is True
                and not conn.parser.unreader.buf.getvalue()
                and _closed_by_peer(getattr(conn.sock, "_sock", conn.sock))):
            self.nr_conns -= 1
            conn.close()
            return
        super().finish_request(conn, fs)

    def count(self, address: str, step: int) -> None:
        with self._count_lock:
            self.per_client[address] += step
            if self.per_client[address] <= 0:
                del self.per_client[address]

    def accept(self, listener: Any) -> None:
        try:
            sock, client = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        if not self._room_for(_address(client)):
            self._refuse(sock)
            return
        self.nr_conns += 1
        if listener not in self._names:
            self._names[listener] = listener.getsockname()
        self.enqueue_req(_Conn(self, sock, client, self._names[listener]))

    def _room_for(self, address: str) -> bool:
        """Whether a new connection of `address` fits under the cap, once an idle one of
        the same client (if it has one) is closed."""
        if self.connection_limit <= 0 or not address or self.per_client[address] < self.connection_limit:
            return True
        # connections a thread has just answered wait in the queue to be closed or kept
        # alive: settle them first (a client that asks again at once must find room)
        self.method_queue.run_callbacks(None)
        if self.per_client[address] < self.connection_limit:
            return True
        idle = self._idle_of(address)
        if idle is None:
            return False
        queue, conn = idle
        queue.remove(conn)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.nr_conns -= 1
        conn.close()
        return True

    def _idle_of(self, address: str) -> Optional[tuple[Any, Any]]:
        for queue in (getattr(self, "pending_conns", ()), self.keepalived_conns):
            for conn in queue:
                if getattr(conn, "address", None) == address:
                    return queue, conn
        return None

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection became readable. If its client has closed it, it is closed
        here and its count given back at once: a thread would only read the end of it, and
        until then it would count against the client's cap, so a client that closes each
        connection after its answer and connects again at once could find no room."""
        if not _closed_by_peer(getattr(client, "_sock", client)):
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.nr_conns -= 1
        conn.close()

    def _refuse(self, sock: socket.socket) -> None:
        try:
            sock.setblocking(False)
            sock.send(error_page(429, "Too Many Requests", (("Retry-After", "1"),)))
        except OSError:
            pass  # a full buffer or a client gone: the close says enough
        _close_now(sock)

    def handle(self, conn: Any) -> Any:
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.arm()
        result = super().handle(conn)
        if not result:  # the event loop closes it next: do the slow part here
            conn.finish()
        return result

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, _ErrorPage(client), addr, exc)


class _ErrorPage:
    """A socket through which gunicorn's own error page goes out rewritten by
    :func:`error_page` (same status, our headers, a plain-text body)."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        status_line = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        try:
            status, reason = int(status_line[1]), status_line[2] if len(status_line) > 2 else ""
        except (IndexError, ValueError):
            self._sock.sendall(data)
            return
        self._sock.sendall(error_page(status, reason))
