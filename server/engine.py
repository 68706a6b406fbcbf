"""The query engine behind the endpoint: one small interface, an rdflib implementation.

:class:`Engine` is what the protocol needs: ``query(text, default_graphs, named_graphs,
timeout) -> QueryResult``, raising :class:`kg.errors.QueryError` subclasses that carry the
HTTP status they deserve. :class:`RdflibEngine` runs each query in a forked worker process
(:mod:`server.pool`) with a deadline, a memory cap and a result-size cap, so a hostile query
costs at most its time limit and never the server. Another engine (pyoxigraph) can stand
behind the same interface: :class:`OxigraphEngine` runs pyoxigraph the same way (a store in
memory is shared with the workers by fork; an on-disk store is opened read-only by each
worker, never used across a fork), with the same refusals (:func:`kg.store.checked`).

:meth:`Engine.answer` gives the answer already written, in the query process: the parser
there tells the query's form, the caller's chooser picks the media type for it, and the
bytes are checked against the size cap (``max_bytes``) before they leave, so an answer too
large never reaches the server's own processes.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Optional, Protocol, Sequence

from rdflib import Dataset

from kg.errors import QueryError
from kg.results import QueryResult, ResultTooLarge, serialize_result, within_size

from kg import sparql
from kg.store import native
from .store import quiet_rdflib
from .pool import WorkerBusy, WorkerLost, WorkerPool, WorkerTimeout

# the status each refusal or failure is answered with
STATUS: dict[type, int] = {
    sparql.QuerySyntaxError: 400,
    ResultTooLarge: 400,
    WorkerTimeout: 503,
    WorkerLost: 503,
    WorkerBusy: 503,
}
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
Choose = Callable[[str], str]  # a query form → the media type to write its answer in (or a 406)


def status_of(exc: QueryError) -> int:
    """The HTTP status for a query error: its own ``status`` if it has one, else by class."""
    return getattr(exc, "status", None) or STATUS.get(type(exc), 400)


class Engine(Protocol):
    def query(self, text: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = (), timeout: Optional[float] = None) -> QueryResult:
        """Run one read-only query; raise a QueryError subclass when it cannot be answered."""

    def answer(self, text: str, default_graphs: Sequence[str], named_graphs: Sequence[str],
               choose: Choose) -> tuple[str, bytes]:
        """Like :meth:`query`, but the answer written, in the media type ``choose(form)``
        picks for the query's form, within the size cap. Optional: the protocol calls
        :meth:`query` and writes the result itself when it is missing."""

    def start(self) -> None:
        """Get ready to answer (start workers) in the current process."""

    def close(self) -> None:
        """Release workers."""


def _job(dataset: Dataset, max_results: Optional[int], max_bytes: int, task: tuple) -> Any:
    """A QueryResult; or, given a chooser, (media type, the answer written in it)."""
    text, default_graphs, named_graphs, choose = (*task, None)[:4]
    with quiet_rdflib():
        result = sparql.run(dataset, text, default_graphs, named_graphs, max_results)
        return result if choose is None else _written(result, choose(result.kind), max_bytes)


def _written(result: QueryResult, media_type: str, max_bytes: int) -> tuple[str, bytes]:
    return media_type, within_size(serialize_result(result, media_type), max_bytes)


_OPENED: dict[tuple[int, str], Any] = {}
_OPENING = threading.Lock()


def _native(source: Any) -> Any:
    """The pyoxigraph store to query in this process: the one given (in memory), or the
    on-disk store at the folder given, opened read-only once per process."""
    if not isinstance(source, str):
        return source
    import os

    import pyoxigraph as ox
    key = (os.getpid(), source)
    with _OPENING:  # a worker's threads open it once between them
        if key not in _OPENED:
            _OPENED[key] = ox.Store.read_only(source)
        return _OPENED[key]


def _ox_job(source: Any, max_results: Optional[int], max_bytes: int, task: tuple) -> Any:
    """A QueryResult; or, given a chooser, (media type, the answer written in it): a SELECT
    in a format pyoxigraph writes is written by it (:mod:`kg.store.native`) unless it may pass
    the row cap, then rows are counted one by one."""
    from kg import store
    text, default_graphs, named_graphs, choose = (*task, None)[:4]
    if choose is None:
        return store.query(_native(source), text, max_results, default_graphs, named_graphs)
    form = FORMS[store.checked(text)]
    media_type = choose(form)
    if media_type in native.FORMATS and form == "SELECT":
        written = native.select_bytes(_native(source), text, media_type, max_results,
                                      default_graphs, named_graphs, max_bytes, store.row_limit(text))
        if written is not None:
            return media_type, written
    result = store.query(_native(source), text, max_results, default_graphs, named_graphs)
    return _written(result, media_type, max_bytes)


class MemoryExceeded(QueryError):
    """The query needed more memory than a worker may use (503)."""

    status = 503


class RdflibEngine:
    """rdflib's SPARQL engine in forked workers, each killed at its query's deadline, each
    running one query at a time (rdflib holds the GIL while it evaluates)."""

    name = "rdflib"

    def __init__(self, dataset: Dataset, *, timeout: float = 10.0, memory_mb: int = 1024,
                 max_results: Optional[int] = 100_000, workers: int = 1, job: Any = None,
                 max_bytes: int = 0, threads: int = 1) -> None:
        self.dataset, self.timeout, self.max_bytes = dataset, timeout, max_bytes
        job = job or functools.partial(_job, dataset, max_results, max_bytes)
        self.pool = WorkerPool(job, size=workers, memory_mb=memory_mb, threads=threads)

    def query(self, text: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = (), timeout: Optional[float] = None) -> QueryResult:
        return self._run((text, tuple(default_graphs), tuple(named_graphs)), timeout)

    def answer(self, text: str, default_graphs: Sequence[str], named_graphs: Sequence[str],
               choose: Choose) -> tuple[str, bytes]:
        """The answer written in the query process, in the media type `choose` picks."""
        return self._run((text, tuple(default_graphs), tuple(named_graphs), choose), None)

    def _run(self, task: tuple, timeout: Optional[float]) -> Any:
        try:
            return self.pool.run(task, timeout or self.timeout)
        except MemoryError:
            raise MemoryExceeded("the query needed more memory than a query may use and "
                                 "was stopped") from None

    def start(self) -> None:
        self.pool.start()

    def close(self) -> None:
        self.pool.close()


class OxigraphEngine(RdflibEngine):
    """pyoxigraph in forked workers: `source` is a store in memory or an on-disk store's folder.
    Each worker runs up to `threads` queries at once: pyoxigraph evaluates without the GIL, and
    queries that share a process share its store's caches (measured on the 100,000-article
    store: 3.0 ms of CPU a query for 8 threads of one process, 4.5 ms for 8 processes)."""

    name = "oxigraph"

    def __init__(self, source: Any, *, timeout: float = 10.0, memory_mb: int = 1024,
                 max_results: Optional[int] = 100_000, workers: int = 1, max_bytes: int = 0,
                 threads: int = 1) -> None:
        source = str(source) if not hasattr(source, "query") else source
        super().__init__(None, timeout=timeout, memory_mb=memory_mb, workers=workers,  # type: ignore[arg-type]
                         job=functools.partial(_ox_job, source, max_results, max_bytes), max_bytes=max_bytes,
                         threads=threads)
