"""SELECT answers written by pyoxigraph itself, under the result cap: in the server's query
worker, and for `kg query` (:func:`kg.store.answer_bytes`).

Converting every term of a large answer to rdflib, sending the rows through the worker's
pipe and writing them again in Python costs more than the query on the 10,000-article graph.
:func:`select_bytes` lets pyoxigraph write a SELECT answer in the SPARQL results format the
client negotiated (JSON, XML, CSV, TSV) and sends those bytes back instead. It takes a query
already checked by :func:`kg.store.checked` (no update, no ``SERVICE``) and runs it as
:func:`kg.store.query` does (protocol graphs replacing FROM/FROM NAMED, the base IRI).

The cap stays a cap on rows, exact: while pyoxigraph writes, the separators between rows are
counted (JSON ``},{``, XML ``<result>``, CSV ``\\r\\n``, TSV ``\\n``); each row has one, but the
text of a value may hold one too, so the count can only be too high. When it passes the cap
the writing stops (the answer is never held whole) and :func:`select_bytes` returns None:
the caller then counts rows one by one on the usual path, which refuses only a real excess.
Bytes are counted exactly: past ``max_bytes`` the writing stops and the answer is refused
(:class:`kg.results.ResultTooLarge`), whatever its rows.
A page — a query whose own outermost LIMIT lets through at most :data:`PAGE_ROWS` rows, and
no more than the cap — is written by pyoxigraph in one call instead, without calling back into
Python, then checked the same way (its bytes, its separators against the cap; past the cap,
which only a LIMIT read differently by the two parsers could give, it goes to the usual path).
It does not handle ASK, CONSTRUCT or DESCRIBE (small, or in formats written with prefixes).
"""
from __future__ import annotations

from typing import Optional, Sequence

import pyoxigraph as ox

from .. import config
from ..errors import QueryError
from ..results import CSV, JSON, TSV, XML, too_many_bytes
from . import ENGINE_ERRORS, protocol_dataset

# media type → (pyoxigraph's format, the bytes each row adds once, rows it counts beyond them)
FORMATS: dict[str, tuple[ox.QueryResultsFormat, bytes, int]] = {
    JSON: (ox.QueryResultsFormat.JSON, b"},{", 1),   # between rows; the first row has none
    XML: (ox.QueryResultsFormat.XML, b"<result>", 0),
    CSV: (ox.QueryResultsFormat.CSV, b"\r\n", -1),   # the header line ends with one too
    TSV: (ox.QueryResultsFormat.TSV, b"\n", -1),
}


# a query whose own LIMIT lets through at most this many rows (and no more than the cap) is
# written by pyoxigraph in one call, never calling back into Python while it evaluates (the
# writer above takes the GIL for each 8 KiB it is handed: 0.1 ms of CPU a query of the mix,
# measured with 4 queries at once); such a page is held whole, then checked (bytes, rows)
PAGE_ROWS = 10_000


class _PastCap(Exception):
    """Raised from inside pyoxigraph's writer to stop it once the cap may be passed."""


class _CountingWriter:
    """A binary file for pyoxigraph: keeps the chunks, counts row separators as they come."""

    def __init__(self, separator: bytes, extra: int, cap: Optional[int], max_bytes: int = 0) -> None:
        self.separator, self.cap, self.max_bytes = separator, cap, max_bytes
        self.count, self.chunks, self.tail, self.size = extra, [], b"", 0

    def write(self, chunk: bytes) -> int:
        # the tail is shorter than a separator, so any found here ends in this chunk: none twice
        seen = self.tail + chunk
        self.count += seen.count(self.separator)
        self.tail = seen[max(0, len(seen) - len(self.separator) + 1):]
        self.chunks.append(bytes(chunk))
        self.size += len(chunk)
        if self.max_bytes and self.size > self.max_bytes:
            raise too_many_bytes(self.max_bytes)
        if self.cap and self.count > self.cap:
            raise _PastCap
        return len(chunk)

    def flush(self) -> None:
        """Nothing buffered here."""


def select_bytes(store: ox.Store, text: str, media_type: str, max_results: Optional[int],
                 default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                 max_bytes: int = 0, rows_at_most: Optional[int] = None) -> Optional[bytes]:
    """The SELECT query's answer written in `media_type` (one of :data:`FORMATS`), or None
    when it may have more rows than `max_results` (0 or None: no cap); ResultTooLarge when
    it is longer than `max_bytes` (0: no cap). `rows_at_most`: what the query's own LIMIT
    lets through, if it has one (:func:`kg.store.row_limit`)."""
    fmt, separator, extra = FORMATS[media_type]
    page = rows_at_most is not None and rows_at_most <= min(PAGE_ROWS, max_results or PAGE_ROWS)
    answer = None
    try:
        answer = store.query(text, base_iri=config.get("base_iri"), **protocol_dataset(default_graphs, named_graphs))
        if page:
            written = answer.serialize(format=fmt)
        else:
            writer = _CountingWriter(separator, extra, max_results, max_bytes)
            answer.serialize(writer, format=fmt)
    except _PastCap:
        return None
    except ENGINE_ERRORS as exc:
        raise QueryError(f"query failed: {exc}") from exc
    finally:
        answer = None  # dropped here, on this thread (kg.store's UNSENDABLE)
    if not page:
        return b"".join(writer.chunks)
    if max_bytes and len(written) > max_bytes:
        raise too_many_bytes(max_bytes)
    if max_results and _may_pass(written, separator, extra, max_results):
        return None  # more rows than its LIMIT as rdflib read it: counted one by one
    return written


def _may_pass(written: bytes, separator: bytes, extra: int, cap: int) -> bool:
    """Whether the separators in `written` pass `cap` rows. Each row's separator is its own
    bytes, so an answer shorter than a separator for each of cap + 1 rows cannot: counting is
    skipped (it was 1 % of a query's CPU on the pages of the mix)."""
    if len(written) < (cap + 1 - extra) * len(separator):
        return False
    return written.count(separator) + extra > cap
