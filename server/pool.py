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
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
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


@dataclass(eq=False)
class _Worker:
    process: Any
    slots: list[Connection]  # one pipe for each job it may run at once
    busy: int = 0  # slots in use
    gone: bool = False  # dead or killed, and replaced
    killed: bool = False  # by the pool (a job's deadline, a broken slot): its jobs were not at fault
    busy_at_end: int = 0  # slots that were in use when it was found gone


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


def _worker_main(slots: list[Connection], job: Callable[[Any], Any], memory_mb: int, parent: int) -> None:
    """A worker: each of its slots (a pipe) receives (time limit, task), runs the job and
    sends back ("ok", value) or an error, one job at a time. The first slot is served by this
    thread, each other by a thread of its own: pyoxigraph lets go of the GIL while it
    evaluates, so they share the CPUs, and the store's block cache. The threads start before
    the address space is capped: each one's stack and the malloc arena it takes on its first
    allocation count in what the process maps then, not in what its queries may add."""
    _die_with(parent)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGWINCH, signal.SIGCHLD, signal.SIGXCPU):
        signal.signal(sig, signal.SIG_DFL)
    try:  # first: a seccomp filter holds for the thread that installs it and those it starts later
        forbid_network()
    except SandboxUnavailable as exc:  # the query check still refuses SERVICE
        log.warning("query process %d keeps network access: %s", os.getpid(), exc)
    ready, memory = threading.Barrier(len(slots)), _GiveBack()
    for n, conn in enumerate(slots[1:], 1):
        threading.Thread(target=_serve, args=(conn, job, len(slots), ready, memory), daemon=True,
                         name=f"kg-query-{n}").start()
    if len(slots) > 1:
        ready.wait()
    if memory_mb:  # for all its slots' queries together: a thread's use cannot be capped alone
        cap_address_space(memory_mb)
    # rdflib's parser recurses about 20 frames per level of nesting: the default limit
    # refuses 30 nested groups. A worker that overflows is killed and replaced, so a deeper
    # stack is affordable (measured: 3,000 levels end in RecursionError, not a crash).
    sys.setrecursionlimit(RECURSION_LIMIT)
    _serve(slots[0], job, len(slots), None, memory)


def _serve(conn: Connection, job: Callable[[Any], Any], threads: int, ready: threading.Barrier | None,
           memory: "_GiveBack") -> None:
    """Run the jobs of one slot until the owner goes away. The CPU cap, the process's, is set
    at each job's start to what all its threads could use in that job's time."""
    if ready is not None:
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.free.argtypes = [ctypes.c_void_p]
        libc.free(libc.malloc(64))  # this thread's malloc arena, taken before the cap
        ready.wait()
    while True:
        try:
            seconds, task = _get(conn)
        except (EOFError, OSError):
            return  # the owner went away
        _limit_cpu(seconds * threads)
        _put(conn, _attempt(job, task))
        memory.after_job()


_SIZE = struct.Struct("!Q")
READ_AHEAD = 256 * 1024  # a message this long (a page of answers) is read in one system call


def _put(conn: Connection, value: Any) -> None:
    """Send `value` through a slot: its length, then its pickle, in one writev(2) while the
    socket takes it all (``Connection.send`` makes two writes of a message over 16 KiB, and
    its reader two reads)."""
    data = ForkingPickler.dumps(value, pickle.HIGHEST_PROTOCOL)
    fd, parts = conn.fileno(), [_SIZE.pack(len(data)), data]
    sent = os.writev(fd, parts)
    left = memoryview(parts[0] + data)[sent:] if sent < _SIZE.size else memoryview(data)[sent - _SIZE.size:]
    while left:
        left = left[os.write(fd, left):]


def _get(conn: Connection) -> Any:
    """The value :func:`_put` sent through a slot, read in one read(2) when it fits in
    READ_AHEAD. A slot carries one message at a time (a task, then its answer), so a read
    never takes part of the next: more than one message is a broken slot (OSError)."""
    fd = conn.fileno()
    head = os.read(fd, READ_AHEAD)
    while 0 < len(head) < _SIZE.size:
        more = os.read(fd, READ_AHEAD)
        if not more:
            break
        head += more
    if len(head) < _SIZE.size:
        raise EOFError("the slot was closed")
    size, got = _SIZE.unpack_from(head)[0], len(head) - _SIZE.size
    if got > size:
        raise OSError("a slot carried more than one message")
    if got == size:
        return pickle.loads(memoryview(head)[_SIZE.size:])
    data = bytearray(size)
    data[:got] = memoryview(head)[_SIZE.size:]
    view = memoryview(data)
    while got < size:
        n = os.readv(fd, [view[got:]])
        if not n:
            raise EOFError("the slot was closed in the middle of a message")
        got += n
    return pickle.loads(data)


class _Resident:
    """The process's resident size in MiB, read from /proc/self/statm opened once by this
    process (pread(2) again at offset 0 makes the kernel write it anew: 0.6 µs, against 8 µs
    to open, read and close the file each job)."""

    def __init__(self) -> None:
        self.fd = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)

    def __call__(self) -> float:
        return int(os.pread(self.fd, 128, 0).split()[1]) * resource.getpagesize() / 1024 / 1024


def _malloc_trim() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _GiveBack:
    """After a job that left the process larger, hand malloc's free pages back to the system:
    glibc keeps them in its arenas otherwise (a refused 128 MiB answer kept a query process
    at 450 MiB for good). No effect on other C libraries.

    "Larger" is measured from a mark: the process's size after the last trim (at first, its
    size when it started). What a trim leaves is memory in use — the store's caches, warm —
    so the mark rises to it: a process that grew by its caches is not trimmed again after
    every job (malloc_trim walks every arena: 0.7 ms of CPU a query on the 100,000-article
    store, a quarter of the query). Shared by the slots of a process."""

    def __init__(self, resident: Callable[[], float] | None = None, trim: Callable[[], None] = _malloc_trim) -> None:
        self.resident, self.trim = resident or _Resident(), trim
        self.mark = self.resident()
        self._lock = threading.Lock()

    def after_job(self) -> None:
        if self.resident() - self.mark < TRIM_ABOVE_MB:
            return
        with self._lock:  # one slot trims; the others find the mark raised
            if self.resident() - self.mark < TRIM_ABOVE_MB:
                return
            self.trim()
            self.mark = self.resident()


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
    """`size` forked processes running `job(task)`, each up to `threads` jobs at once (a slot,
    a pipe, for each) that share its address-space cap, `memory_mb`; :meth:`run` waits at
    most `timeout` s for a free slot and as long for the job.

    A job past its deadline has its whole process killed and replaced. The other jobs that
    process was running were not at fault: each is sent again, to the deadline it had, to
    another slot. A process that dies on its own (out of memory, a crash) while it runs one
    job takes that job with it (WorkerLost); while it runs several, each is sent again once."""

    def __init__(self, job: Callable[[Any], Any], size: int = 1, memory_mb: int = 0, threads: int = 1) -> None:
        self.job, self.size, self.memory_mb, self.threads = job, max(1, size), memory_mb, max(1, threads)
        self._owner = -1
        self._starting = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._idle: list[tuple[_Worker, Connection]] = []  # free slots; the last is taken first
        self._workers: list[_Worker] = []
        self._free = threading.Condition()  # guards the above and each worker's busy, gone, killed

    def start(self) -> None:
        """Fork the workers now (else on first :meth:`run`), in the process that will use them."""
        if self._owner == os.getpid():
            return
        with self._starting:
            if self._owner == os.getpid():
                return
            self._reset()
            self._forker = ThreadPoolExecutor(1, thread_name_prefix="kg-query-fork")
            _prctl()
            for _ in range(self.size):
                self._spawn()
            self._owner = os.getpid()

    def _spawn(self) -> None:
        """A new worker, forked from the pool's own thread (see the module's docstring). Its
        slots go under the free ones already there: the last freed is taken first, so load
        gathers on the fewest processes, whose caches stay warm."""
        worker = self._forker.submit(self._fork).result()
        with self._free:
            self._workers.append(worker)
            self._idle[:0] = [(worker, conn) for conn in reversed(worker.slots)]
            self._free.notify_all()

    def _fork(self) -> _Worker:
        pipes = [_FORK.Pipe() for _ in range(self.threads)]
        process = _FORK.Process(target=_worker_main, args=([theirs for _, theirs in pipes], self.job,
                                                           self.memory_mb, os.getpid()),
                                daemon=True, name="kg-query-worker")
        process.start()
        for _, theirs in pipes:
            theirs.close()
        return _Worker(process, [mine for mine, _ in pipes])

    def run(self, task: Any, timeout: float) -> Any:
        """Run `task` in a worker; its value, or the QueryError it raised.

        Raises WorkerBusy when no slot becomes free within `timeout` seconds, WorkerTimeout
        past `timeout` seconds of running, WorkerLost if the worker died of it, and
        MemoryError if the job ran out of its memory cap. Safe to call from several threads."""
        self.start()
        worker, conn = self._take(timeout, busy=True)
        deadline, retried = time.monotonic() + timeout, False
        while True:
            outcome = self._exchange(worker, conn, task, timeout, deadline)
            if outcome[0] == "again" or (outcome[0] == "maybe" and not retried):
                retried |= outcome[0] == "maybe"
                worker, conn = self._take(deadline - time.monotonic(), busy=False)
                continue
            return _unwrap(*outcome)

    def _take(self, seconds: float, busy: bool) -> tuple[_Worker, Connection]:
        """A free slot, waiting at most `seconds` for one."""
        until = time.monotonic() + seconds
        with self._free:
            while not self._idle:
                left = until - time.monotonic()
                if left <= 0 and busy:
                    raise WorkerBusy(f"every query process stayed busy for {seconds:g} s; retry shortly")
                if left <= 0:
                    raise WorkerTimeout("the query ran out of time while its query process was replaced")
                self._free.wait(left)
            worker, conn = self._idle.pop()
            worker.busy += 1
            return worker, conn

    def _exchange(self, worker: _Worker, conn: Connection, task: Any, timeout: float, deadline: float) -> tuple:
        """Run `task` on a slot; its outcome, or ("again", None) if its process was killed by
        the pool meanwhile, ("lost" or "maybe", None) if it died on its own running this job
        alone or with others."""
        try:
            _put(conn, (max(0.0, deadline - time.monotonic()), task))
            if not readable(conn, deadline - time.monotonic()):
                self._end(worker, killed=True)
                raise WorkerTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            outcome = _get(conn)
        except (EOFError, OSError):
            return self._end(worker, killed=False)
        except BaseException:  # not sent (not picklable) or not read back: the slot is not trusted
            self._end(worker, killed=True)
            raise
        with self._free:
            worker.busy -= 1
            if not worker.gone:
                self._idle.append((worker, conn))
                self._free.notify()
        return outcome

    def _end(self, worker: _Worker, killed: bool) -> tuple:
        """Give up this job's slot of `worker`, which is gone (`killed`: the pool kills it
        now); the first to find it gone replaces it. The fault to report for the job."""
        with self._free:
            first = not worker.gone
            if first:
                worker.gone, worker.killed, worker.busy_at_end = True, killed, worker.busy
                self._idle = [(w, c) for w, c in self._idle if w is not worker]
                if worker in self._workers:
                    self._workers.remove(worker)
            worker.busy -= 1
            fault = "again" if worker.killed else ("lost" if worker.busy_at_end == 1 else "maybe")
        if first:
            _kill(worker)
            if self._owner == os.getpid():
                try:
                    self._spawn()
                except RuntimeError:  # the pool closed meanwhile
                    pass
        return (fault, None)

    def close(self) -> None:
        """Stop every worker this process started."""
        if self._owner != os.getpid():
            return
        with self._free:
            workers, self._workers, self._idle, self._owner = self._workers, [], [], -1
            for worker in workers:
                worker.gone = worker.killed = True
        for worker in workers:
            _kill(worker)
        self._forker.shutdown(wait=False)


def _kill(worker: _Worker) -> None:
    """Kill and reap `worker`. Its slots are closed when the last thread using one lets go
    (closing a pipe another thread waits on could hand its number to a new one)."""
    if worker.process.is_alive():
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)


def readable(fileobj: Any, seconds: float) -> bool:
    """Whether `fileobj` (a pipe, a socket: anything with ``fileno``) has something to read, or
    was closed, within `seconds`: one poll(2), not the selector that ``Connection.poll`` and
    gunicorn build and tear down each time (15 µs a query)."""
    poller = select.poll()
    poller.register(fileobj.fileno(), select.POLLIN | select.POLLPRI)
    return bool(poller.poll(max(0, math.ceil(seconds * 1000))))


def _unwrap(status: str, value: Any) -> Any:
    if status == "ok":
        return value
    if status == "error":
        raise value
    if status == "memory":
        raise MemoryError("the query needed more memory than a query may use")
    if status in ("lost", "maybe"):
        raise WorkerLost("the query stopped its worker (out of memory?)")
    raise RuntimeError("the query worker failed; see the server log")
