"""A pool of forked worker processes that run one job each at a time, under a deadline.

Forked from the process that holds the dataset, so the workers share it copy-on-write. A
thread cannot stop rdflib (a catastrophic REGEX holds the GIL); a process can be killed. So a
job over its time has its worker killed and replaced, and the caller hears
:class:`WorkerTimeout`. Each worker's address space is capped (``RLIMIT_AS``), so a job that
grows too large fails with ``MemoryError`` inside the worker instead of taking the machine,
and no worker can open a network socket (:mod:`server.sandbox`): a query is answered from
the data here, never by calling another host, whatever its text makes the engine try.

The pool belongs to the process that started it: after a fork (gunicorn forks its workers
from a master that loaded the dataset) the child starts a pool of its own on first use.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from kg.errors import QueryError

from .sandbox import SandboxUnavailable, forbid_network

log = logging.getLogger(__name__)
_FORK = multiprocessing.get_context("fork")
RECURSION_LIMIT = 10_000


class WorkerTimeout(QueryError):
    """The job ran past its deadline; its worker was killed."""


class WorkerLost(QueryError):
    """The worker died during the job (out of memory, crashed); it was replaced."""


class WorkerBusy(QueryError):
    """Every worker stayed busy past the wait; the client may retry (503, Retry-After)."""

    status = 503
    retry_after = 2


@dataclass
class _Worker:
    process: Any
    conn: Connection


def _cap_memory(memory_mb: int) -> None:
    """Cap the address space at what the process maps now plus `memory_mb`."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(conn: Connection, job: Callable[[Any], Any], memory_mb: int) -> None:
    """Loop of a worker: receive a task, run the job, send back ("ok", value) or an error."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGWINCH, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    if memory_mb:
        _cap_memory(memory_mb)
    try:
        forbid_network()
    except SandboxUnavailable as exc:  # the query check still refuses SERVICE
        log.warning("query process %d keeps network access: %s", os.getpid(), exc)
    # rdflib's parser recurses about 20 frames per level of nesting: the default limit
    # refuses 30 nested groups. A worker that overflows is killed and replaced, so a deeper
    # stack is affordable (measured: 3,000 levels end in RecursionError, not a crash).
    sys.setrecursionlimit(RECURSION_LIMIT)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the owner went away
        conn.send(_attempt(job, task))


def _attempt(job: Callable[[Any], Any], task: Any) -> tuple:
    try:
        return ("ok", job(task))
    except QueryError as exc:
        return ("error", exc)
    except MemoryError:
        return ("memory", None)
    except Exception:  # a bug, not the client's fault: log it here, tell the owner "internal"
        log.error("query worker failed:\n%s", traceback.format_exc())
        return ("internal", None)


class WorkerPool:
    """`size` forked processes running `job(task)`; :meth:`run` waits at most `timeout` s."""

    def __init__(self, job: Callable[[Any], Any], size: int = 1, memory_mb: int = 0) -> None:
        self.job, self.size, self.memory_mb = job, max(1, size), memory_mb
        self._owner = -1
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()  # guards _all when threads replace workers

    def start(self) -> None:
        """Fork the workers now (else on first :meth:`run`), in the process that will use them."""
        if self._owner == os.getpid():
            return
        self._idle, self._all, self._owner = queue.LifoQueue(), [], os.getpid()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        mine, theirs = _FORK.Pipe()
        process = _FORK.Process(target=_worker_main, args=(theirs, self.job, self.memory_mb),
                                daemon=True, name="kg-query-worker")
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        self._all.append(worker)
        return worker

    def run(self, task: Any, timeout: float) -> Any:
        """Run `task` in a worker; its value, or the QueryError it raised.

        Raises WorkerBusy when no worker becomes free within `timeout` seconds, WorkerTimeout
        past `timeout` seconds of running, WorkerLost if the worker died, and MemoryError if
        the job ran out of its memory cap. Safe to call from several threads."""
        self.start()
        try:
            worker: _Worker | None = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise WorkerBusy("every query process stayed busy for "
                             f"{timeout:g} s; retry shortly") from None
        assert worker is not None
        try:
            worker.conn.send(task)
            if not worker.conn.poll(timeout):
                self._replace(worker)
                worker = None
                raise WorkerTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, value = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            worker = None
            raise WorkerLost("the query stopped its worker (out of memory?)") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        return _unwrap(status, value)

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and put a fresh one in the idle queue in its place."""
        _kill(worker)
        with self._lock:
            self._all.remove(worker)
            fresh = self._spawn()
        self._idle.put(fresh)

    def close(self) -> None:
        """Stop every worker this process started."""
        if self._owner != os.getpid():
            return
        for worker in self._all:
            _kill(worker)
        self._all, self._owner = [], -1


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)
    worker.conn.close()


def _unwrap(status: str, value: Any) -> Any:
    if status == "ok":
        return value
    if status == "error":
        raise value
    if status == "memory":
        raise MemoryError("the query needed more memory than a query may use")
    raise RuntimeError("the query worker failed; see the server log")
