"""Per-client limits: how many requests one client may have in progress at once.

A client is its remote address (or, behind a trusted reverse proxy, the last address of the
header named by the ``CLIENT_HEADER`` setting). A request beyond ``CLIENT_LIMIT`` in
progress is answered at once with 429 and ``Retry-After``, so a client that sends slow
queries holds at most ``CLIENT_LIMIT`` of the server's query processes and two such clients
cannot starve a third (``kg serve`` runs ``WORKERS × QUERY_PROCESSES × QUERY_THREADS``
queries at once, more than ``2 × CLIENT_LIMIT`` by default). ``CLIENT_LIMIT = 0`` turns the limit off.

The table of requests in progress lives in memory shared by every gunicorn worker: it is
made in the master before the workers are forked, and guarded by one lock. Each row holds a
hash of the client and the pid of the worker serving it, so the master can free the rows of
a worker that died (:meth:`ClientLimiter.forget_process`). Cheap paths (``/health``, static
files) are not counted.
"""
from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from typing import Any, Iterator, Optional

from werkzeug.wrappers import Response
from werkzeug.wsgi import ClosingIterator

_FORK = multiprocessing.get_context("fork")
_EXEMPT = ("/health", "/static/", "/favicon.ico")
RETRY_AFTER = 1  # seconds: a slow query ends within the time limit, a fast one much sooner


class ClientLimiter:
    """At most `limit` rows per client in a table of `rows` requests in progress."""

    def __init__(self, limit: int, rows: int = 512) -> None:
        self.limit, self.rows = limit, rows
        self._keys = _FORK.RawArray("q", rows)  # 0: a free row
        self._pids = _FORK.RawArray("i", rows)
        self._lock = _FORK.Lock()

    def acquire(self, client: str) -> Optional[int]:
        """Take a row for `client`; its index, or None when the client is at its limit or
        the table is full."""
        key = _key(client)
        with self._lock:
            keys = self._keys[:]  # a list copied in C: scanning the shared array in Python took 30 µs
            if keys.count(key) >= self.limit or 0 not in keys:
                return None
            row = keys.index(0)
            self._keys[row], self._pids[row] = key, os.getpid()
            return row

    def release(self, row: int) -> None:
        with self._lock:
            self._keys[row], self._pids[row] = 0, 0

    def in_progress(self, client: str) -> int:
        key = _key(client)
        with self._lock:
            return self._keys[:].count(key)

    def forget_process(self, pid: int) -> None:
        """Free the rows of a worker process that is gone (gunicorn's ``child_exit``)."""
        with self._lock:
            for row in range(self.rows):
                if self._pids[row] == pid:
                    self._keys[row], self._pids[row] = 0, 0


def _key(client: str) -> int:
    """A non-zero signed 64-bit hash of the client's address."""
    value = int.from_bytes(hashlib.blake2b(client.encode("utf-8"), digest_size=8).digest(),
                           "big", signed=True)
    return value or 1


def client_of(environ: dict[str, Any], header: str = "") -> str:
    """The client's address: the last entry of `header` when one is configured (the one the
    trusted proxy added), else the remote address of the connection."""
    if header:
        forwarded = environ.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return str(environ.get("REMOTE_ADDR") or "unknown")


class LimitedApp:
    """WSGI middleware: count every request but the cheap ones until its response is closed
    (a streamed export counts until its last byte); answer 429 past the limit."""

    def __init__(self, wsgi_app: Any, limiter: ClientLimiter, header: str = "") -> None:
        self.wsgi_app, self.limiter, self.header = wsgi_app, limiter, header

    def __call__(self, environ: dict, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(_EXEMPT) or environ.get("REQUEST_METHOD") == "OPTIONS":
            return self.wsgi_app(environ, start_response)
        row = self.limiter.acquire(client_of(environ, self.header))
        if row is None:
            return _too_many(self.limiter.limit)(environ, start_response)
        release = _Release(self.limiter, row)
        try:
            body = self.wsgi_app(environ, start_response)
        except BaseException:
            release()
            raise
        callbacks = [c for c in (getattr(body, "close", None), release) if c is not None]
        return ClosingIterator(_ahead(body, release), callbacks)


class _Release:
    """Give a row back, once."""

    def __init__(self, limiter: ClientLimiter, row: int) -> None:
        self.limiter, self.row, self.done = limiter, row, False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            self.limiter.release(self.row)


def _ahead(body: Any, release: _Release) -> Iterator[bytes]:
    """The body's chunks, the row given back just before the last one is handed to the
    server: a client that sends its next request as soon as it has read the answer must
    not find its previous request still counted."""
    chunks = iter(body)
    try:
        chunk = next(chunks)
    except StopIteration:
        release()
        return
    for following in chunks:
        yield chunk
        chunk = following
    release()
    yield chunk


def _too_many(limit: int) -> Response:
    return Response(f"429 Too Many Requests: a client may have {limit} requests in progress "
                    f"at once; retry after {RETRY_AFTER} s\n", 429,
                    headers={"Retry-After": str(RETRY_AFTER), "Access-Control-Allow-Origin": "*",
                             "X-Content-Type-Options": "nosniff"},
                    content_type="text/plain; charset=utf-8")


class BoundedBody:
    """WSGI middleware: a body sent without Content-Length (chunked) is read here, at most
    `limit` bytes, and handed on with its length; a longer one is answered 413. (Werkzeug
    checks Content-Length against MAX_CONTENT_LENGTH, but read gunicorn's chunked bodies to
    their end, forms and direct queries alike.)"""

    def __init__(self, wsgi_app: Any, limit: int) -> None:
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if environ.get("CONTENT_LENGTH") or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.wsgi_app(environ, start_response)
        stream, parts, size = environ["wsgi.input"], [], 0
        while size <= self.limit:
            part = stream.read(min(65536, self.limit + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
        if size > self.limit:
            return Response(f"413 Request Entity Too Large: the request body is larger than "
                            f"{self.limit:,} bytes\n", 413, content_type="text/plain; charset=utf-8",
                            headers={"Connection": "close"})(environ, start_response)
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(b"".join(parts)), str(size)
        return self.wsgi_app(environ, start_response)
