"""A pool of forked worker processes that run one job each at a time, under a deadline.

Forked from the process that holds the dataset, so the workers share it copy-on-write. A
thread cannot stop rdflib (a catastrophic REGEX holds the GIL); a process can be killed. So a
job over its time has its worker killed and replaced, and the caller hears
:class:`WorkerTimeout`. Each worker's address space is capped (``RLIMIT_AS``), so a job that
grows too large fails with ``MemoryError`` inside the worker instead of taking the machine,
and no worker can open a network socket (:mod:`server.sandbox`): a query is answered from
the data here, never by calling another host, whatever its text makes the engine try.

The deadline must hold even when the process that set it is gone (a gunicorn worker killed
with ``kill -9`` cannot kill its query processes any more). So each worker dies with its
parent (``PR_SET_PDEATHSIG``: the kernel sends SIGKILL when the thread that forked it ends,
which is why every worker is forked from one thread that lives as long as the pool), and
before each job its CPU time is capped at the job's time limit plus a second
(``RLIMIT_CPU``): a job still computing past that is stopped by the kernel (SIGXCPU), with no
core dump, whoever is left to watch it.

The pool belongs to the process that started it: after a fork (gunicorn forks its workers
from a master that loaded the dataset) the child starts a pool of its own on first use.
"""
from __future__ import annotations

import ctypes
import functools
import logging
import math
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from kg.errors import QueryError

from .sandbox import SandboxUnavailable, forbid_network

log = logging.getLogger(__name__)
_FORK = multiprocessing.get_context("fork")
RECURSION_LIMIT = 10_000
CPU_MARGIN = 1.0  # seconds of CPU a job may use past its time limit before the kernel stops it
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
TRIM_ABOVE_MB = 32  # a job that left the process this much larger: its freed memory is given back


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


def cap_address_space(memory_mb: int, hard: bool = True) -> int:
    """Cap the address space at what the process maps now plus `memory_mb`; the cap in
    bytes. `hard=False` sets only the soft limit, which processes forked later may raise
    for themselves (a gunicorn worker, whose query processes set caps of their own)."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit if hard else resource.RLIM_INFINITY))
    return limit


@functools.lru_cache(maxsize=1)
def _prctl() -> Any:
    """libc's prctl, looked up once in the parent: a child calls it without the loader."""
    return ctypes.CDLL(None, use_errno=True).prctl


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the thread that forked it ends, and never
    dump its memory (a worker stopped by SIGXCPU may hold a gigabyte)."""
    _prctl()(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _prctl()(PR_SET_DUMPABLE, 0, 0, 0, 0)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _limit_cpu(seconds: float) -> None:
    """Let the kernel stop this process once it has computed `seconds` + CPU_MARGIN more."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds + CPU_MARGIN)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _worker_main(conn: Connection, job: Callable[[Any], Any], memory_mb: int, parent: int) -> None:
    """Loop of a worker: receive (time limit, task), run the job, send back ("ok", value) or
    an error."""
    _die_with(parent)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGWINCH, signal.SIGCHLD, signal.SIGXCPU):
        signal.signal(sig, signal.SIG_DFL)
    if memory_mb:
        cap_address_space(memory_mb)
    try:
        forbid_network()
    except SandboxUnavailable as exc:  # the query check still refuses SERVICE
        log.warning("query process %d keeps network access: %s", os.getpid(), exc)
    # rdflib's parser recurses about 20 frames per level of nesting: the default limit
    # refuses 30 nested groups. A worker that overflows is killed and replaced, so a deeper
    # stack is affordable (measured: 3,000 levels end in RecursionError, not a crash).
    sys.setrecursionlimit(RECURSION_LIMIT)
    start = _resident_mb()
    while True:
        try:
            seconds, task = conn.recv()
        except (EOFError, OSError):
            return  # the owner went away
        _limit_cpu(seconds)
        conn.send(_attempt(job, task))
        _give_back_memory(start)


def _resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def _give_back_memory(start: float) -> None:
    """After a job that left the process larger, hand malloc's free pages back to the system:
    glibc keeps them in its arenas otherwise (a refused 128 MiB answer kept a query process
    at 450 MiB for good). No effect on other C libraries."""
    if _resident_mb() - start < TRIM_ABOVE_MB:
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


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
        self._forker = ThreadPoolExecutor(1, thread_name_prefix="kg-query-fork")
        _prctl()
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        """A new worker, forked from the pool's own thread (see the module's docstring)."""
        return self._forker.submit(self._fork).result()

    def _fork(self) -> _Worker:
        mine, theirs = _FORK.Pipe()
        process = _FORK.Process(target=_worker_main, args=(theirs, self.job, self.memory_mb, os.getpid()),
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
            status, value = self._exchange(worker, task, timeout)
        except BaseException:
            self._replace(worker)  # a worker with half an answer in its pipe is not reused
            raise
        self._idle.put(worker)
        return _unwrap(status, value)

    def _exchange(self, worker: _Worker, task: Any, timeout: float) -> tuple:
        try:
            worker.conn.send((timeout, task))
            if not worker.conn.poll(timeout):
                raise WorkerTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            return worker.conn.recv()
        except (EOFError, OSError):
            raise WorkerLost("the query stopped its worker (out of memory?)") from None

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
        self._forker.shutdown(wait=False)


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
