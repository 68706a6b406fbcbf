"""One HTTP GET, within limits: the client under `kg fetch`.

:func:`get` takes a normal URL (:func:`kg.fetch.urls.normal`), request headers and
:class:`Limits`; it returns a :class:`Response` — the status, the headers and, for a 200, the
body decoded from gzip or deflate — or raises :class:`FetchError` saying why not, in words fit
for a report line. It does not follow redirects, retry, wait between requests or read
robots.txt: :mod:`kg.fetch.crawl` does those, hop by hop, so every request made here is one the
crawler decided on.

The limits: ``timeout`` seconds for connecting and for each wait on the socket, and the same
seconds for the whole exchange, enforced by a timer that shuts the socket (a server that
trickles bytes is cut off, not only a silent one); a claimed Content-Length over ``max_bytes``
refused before the body is read; a body that grows past ``max_bytes`` cut off while it
streams; a compressed body inflated only up to ``max_bytes`` (no decompression bomb).
"""
from __future__ import annotations

import email.utils
import functools
import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import KgError
from .urls import target

CHUNK = 64 * 1024


class FetchError(KgError):
    """One URL could not be fetched. `lasting` when asking again later would not help
    (a 404, a refusal by robots.txt, a file over the limit); otherwise a rerun tries again."""

    def __init__(self, reason: str, lasting: bool = False) -> None:
        self.reason, self.lasting = reason, lasting
        super().__init__(reason)


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds to connect, for each read, and for the whole exchange
    max_bytes: int = 10 * 2**20  # of a body, as sent and as decoded


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # names in lower case, in the order sent
    body: bytes = b""

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)

    @property
    def media_type(self) -> str:
        """The Content-Type without its parameters, in lower case ('' when there is none)."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()


def get(url: str, headers: dict[str, str], limits: Limits) -> Response:
    """One GET of `url`; the body is read only for a 200 (see the module docstring)."""
    conn = _connection(url, limits.timeout)
    deadline = _Deadline(limits.timeout)
    try:
        with deadline:
            conn.connect()
            deadline.sock = conn.sock  # kept: getresponse() drops conn.sock when the server will close
            conn.request("GET", target(url), headers={**headers, "Connection": "close"})
            reply = conn.getresponse()
            try:
                response = _response(url, reply, limits)
            finally:
                reply.close()
    except (OSError, http.client.HTTPException) as exc:
        raise _failure(exc, deadline.expired, limits.timeout) from exc
    finally:
        conn.close()
    if deadline.expired:  # a body without a length ends where the socket was shut: not the whole body
        raise FetchError(f"timed out after {limits.timeout:g} s")
    return response


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=_tls())
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()  # the system's CAs, certificate and host name checked


def _response(url: str, reply: http.client.HTTPResponse, limits: Limits) -> Response:
    headers = tuple((k.lower(), v) for k, v in reply.getheaders())
    head = Response(url, reply.status, reply.reason, headers)
    if reply.status != 200:
        return head
    _check_length(head.header("content-length"), limits.max_bytes)
    raw = _read(reply, limits.max_bytes)
    body = inflate(raw, head.header("content-encoding"), limits.max_bytes)
    return Response(url, reply.status, reply.reason, headers, body)


def _check_length(claimed: str | None, limit: int) -> None:
    if claimed and claimed.strip().isdigit() and int(claimed) > limit:
        raise FetchError(f"claims {int(claimed):,} bytes, over the limit of {limit:,} bytes (--max-bytes); "
                         "not read", lasting=True)


def _read(reply: http.client.HTTPResponse, limit: int) -> bytes:
    chunks, size = [], 0
    while chunk := reply.read1(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"sent more than the limit of {limit:,} bytes (--max-bytes); cut off", lasting=True)
        chunks.append(chunk)
    return b"".join(chunks)


def inflate(raw: bytes, encoding: str | None, limit: int) -> bytes:
    """`raw` decoded from its Content-Encoding, never to more than `limit` bytes."""
    coding = (encoding or "identity").strip().lower()
    if coding == "identity":
        return raw
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"sent in an encoding that was not asked for ({coding})", lasting=True)
    try:
        body = _inflate(raw, 32 + zlib.MAX_WBITS, limit)  # gzip or zlib, told by their headers
    except zlib.error as exc:
        if coding != "deflate":
            raise FetchError(f"{coding} body is corrupt ({exc})", lasting=True) from exc
        try:  # "deflate" as some servers send it: raw, without the zlib header
            body = _inflate(raw, -zlib.MAX_WBITS, limit)
        except zlib.error as exc2:
            raise FetchError(f"deflate body is corrupt ({exc2})", lasting=True) from exc2
    if len(body) > limit:
        raise FetchError(f"{coding} body inflates to more than the limit of {limit:,} bytes (--max-bytes); "
                         f"not inflated further ({len(raw):,} bytes sent)", lasting=True)
    return body


def _inflate(raw: bytes, wbits: int, limit: int) -> bytes:
    return zlib.decompressobj(wbits).decompress(raw, limit + 1)  # at most one byte past the limit


def _failure(exc: Exception, expired: bool, timeout: float) -> FetchError:
    if isinstance(exc, FetchError):
        return exc
    if expired or isinstance(exc, TimeoutError):
        return FetchError(f"timed out after {timeout:g} s")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError(f"TLS certificate not accepted ({exc.verify_message})", lasting=True)
    if isinstance(exc, socket.gaierror):
        return FetchError(f"host not found ({exc.strerror})")
    if isinstance(exc, ConnectionRefusedError):
        return FetchError("connection refused")
    if isinstance(exc, http.client.HTTPException):
        return FetchError(f"not a valid HTTP answer ({type(exc).__name__}: {exc})")
    return FetchError(f"network error ({exc.strerror or exc})" if isinstance(exc, OSError) else str(exc))


class _Deadline:
    """Shuts the connection's socket when the exchange has run for `seconds`: a blocked read
    then returns at once, however the server dribbles its bytes. (Connecting is bounded by the
    socket's own timeout.)"""

    def __init__(self, seconds: float) -> None:
        self.sock: socket.socket | None = None
        self.expired = False
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        sock = self.sock
        if sock is not None:
            try:  # the plain socket's shutdown: an SSLSocket's would drop its state under the reader
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent
    or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
