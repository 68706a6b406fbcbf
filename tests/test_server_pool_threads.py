"""A query process that runs several jobs at once (`WorkerPool(threads=N)`), one per slot.

Jobs share the process: they run at the same time in it; a job past its deadline has the
whole process killed, and the jobs it was running besides are sent again and answered; a
process that dies of one job while running others sends each of them again once; the
address-space cap is what the queries may add together, the threads' own stacks and arenas
aside.
"""
from __future__ import annotations

import os
import platform
import socket
import threading
import time

import pytest

from server.pool import WorkerLost, WorkerPool, WorkerTimeout


def _job(task: tuple) -> object:
    """("sleep", s) → this process's pid after s seconds; ("spin",) never ends; ("die",)
    ends the process, ("die-once", path) the first time; ("grow", mb) → holds mb MiB for a
    moment."""
    kind, *args = task
    if kind == "sleep":
        time.sleep(args[0])
        return os.getpid()
    if kind == "spin":
        while True:
            pass
    if kind == "die":
        os._exit(3)
    if kind == "die-once":  # dies the first time (no file at args[0] yet), answers after
        if not os.path.exists(args[0]):
            open(args[0], "w").close()
            os._exit(3)
        return "answered"
    if kind == "connect":  # which thread, and whether it may open a TCP socket
        time.sleep(0.5)  # every slot busy at once
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
            return threading.current_thread().name, "allowed"
        except PermissionError:
            return threading.current_thread().name, "refused"
    if kind == "grow":
        block = bytearray(args[0] * 1024 * 1024)
        time.sleep(0.2)
        return len(block) // (1024 * 1024)
    raise ValueError(kind)


def _concurrently(pool: WorkerPool, tasks: list[tuple], timeout: float | list[float]) -> list[object]:
    """Each task run from a thread of its own (with its timeout, if a list), started in order
    one after the other; value or exception, in order."""
    results: list[object] = [None] * len(tasks)
    timeouts = timeout if isinstance(timeout, list) else [timeout] * len(tasks)

    def run(n: int) -> None:
        try:
            results[n] = pool.run(tasks[n], timeouts[n])
        except Exception as exc:  # the test looks at which
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(tasks))]
    for t in threads:
        t.start()
        time.sleep(0.05)  # in this order
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def pool():
    made: list[WorkerPool] = []

    def make(**kwargs) -> WorkerPool:
        made.append(WorkerPool(_job, **kwargs))
        made[-1].start()
        return made[-1]

    yield make
    for p in made:
        p.close()


def test_jobs_of_one_process_run_at_the_same_time(pool):
    p = pool(size=1, threads=4)
    started = time.monotonic()
    pids = _concurrently(p, [("sleep", 1.0)] * 4, 10)
    assert time.monotonic() - started < 2.5  # one after the other: 4 s
    assert len(set(pids)) == 1 and isinstance(pids[0], int)


def test_load_gathers_on_the_first_process(pool):
    p = pool(size=2, threads=4)
    pids = _concurrently(p, [("sleep", 0.5)] * 3, 10)
    assert len(set(pids)) == 1
    assert p.run(("sleep", 0), 5) == pids[0]  # the slot freed last, of the same process


def test_a_deadline_kills_the_process_and_its_other_jobs_are_answered(pool):
    p = pool(size=1, threads=4)
    first = p.run(("sleep", 0), 5)
    results = _concurrently(p, [("spin",), ("sleep", 1.5), ("sleep", 1.5)], [1.0, 4.0, 4.0])
    spin, *others = results
    assert isinstance(spin, WorkerTimeout)
    assert all(isinstance(r, int) and r != first for r in others), results  # again, on the new process
    assert p.run(("sleep", 0), 5) != first


def test_a_job_sent_again_keeps_its_deadline(pool):
    p = pool(size=1, threads=2)
    started = time.monotonic()
    # the spinner's deadline (1 s) kills the process about 1 s into the sleeper's; sent
    # again, the sleeper has about 1.2 s left of its 2.2 s, not 2.2 s more, for a job of 1.5 s
    results = _concurrently(p, [("spin",), ("sleep", 1.5)], [1.0, 2.2])
    assert isinstance(results[0], WorkerTimeout) and isinstance(results[1], WorkerTimeout)
    assert time.monotonic() - started < 2.2 + 0.8


def test_a_process_that_dies_alone_loses_its_job_and_with_others_sends_each_again(pool, tmp_path):
    p = pool(size=1, threads=3)
    with pytest.raises(WorkerLost):
        p.run(("die",), 5)
    first = p.run(("sleep", 0), 5)
    results = _concurrently(p, [("sleep", 1.0), ("die-once", str(tmp_path / "died"))], 10)
    assert results[1] == "answered" and (tmp_path / "died").exists()
    assert isinstance(results[0], int) and results[0] != first  # sent again, to the new process
    results = _concurrently(p, [("sleep", 1.0), ("die",)], 10)
    assert isinstance(results[1], WorkerLost)  # sent again once, died again: lost


def test_the_memory_cap_is_shared_by_the_slots_and_leaves_out_the_threads_own_stacks_and_arenas(pool):
    p = pool(size=1, threads=8, memory_mb=200)  # for the 8 slots' queries together
    assert p.run(("grow", 150), 10) == 150
    with pytest.raises(MemoryError):
        p.run(("grow", 300), 10)
    assert _concurrently(p, [("grow", 20)] * 8, 10) == [20] * 8


@pytest.mark.skipif(platform.machine() not in ("x86_64", "aarch64"), reason="no network filter for this machine")
def test_no_slot_of_a_process_can_open_a_network_socket(pool):
    """The seccomp filter holds for the thread that installs it and the threads it starts
    after: every slot's thread, not only the first, is refused."""
    p = pool(size=1, threads=4)
    answers = _concurrently(p, [("connect",)] * 4, 10)
    assert len({name for name, _ in answers}) == 4  # each slot's thread, the process's own among them
    assert {"kg-query-1", "kg-query-2", "kg-query-3"} <= {name for name, _ in answers}
    assert all(verdict == "refused" for _, verdict in answers), answers


def test_memory_is_given_back_after_a_job_that_grew_the_process_not_after_every_job():
    """malloc's free pages go back to the system when the process is 32 MiB above its size
    after the last trim; what a trim cannot give back (the store's caches) raises that mark,
    so a process grown by its caches is not trimmed after every job (0.7 ms a query)."""
    from server.pool import TRIM_ABOVE_MB, _GiveBack

    sizes, trims = [100.0], []

    def trim() -> None:
        trims.append(sizes[0])
        sizes[0] = after_trim

    memory = _GiveBack(resident=lambda: sizes[0], trim=trim)
    for size, after_trim, trimmed in [
            (110.0, 0, False),                     # a little larger: kept
            (100.0 + TRIM_ABOVE_MB, 105.0, True),  # a large answer freed: given back
            (120.0, 0, False),                     # under the mark + 32 again
            (200.0, 190.0, True),                  # the caches grew: trimmed once...
            (200.0, 0, False), (210.0, 0, False),  # ...and not after every job since
            (190.0 + TRIM_ABOVE_MB, 190.0, True)]:
        sizes[0], before = size, len(trims)
        memory.after_job()
        assert (len(trims) > before) == trimmed, (size, trims)


def test_a_slot_carries_messages_of_any_length_whole(monkeypatch):
    """A message longer than the read-ahead, or than the socket's buffer, comes whole; one
    that fits comes in a single read."""
    from multiprocessing import Pipe

    from server import pool as p
    ours, theirs = Pipe()
    try:
        for value in (("ok", b""), ("ok", b"x" * 1000), ("ok", bytes(range(256)) * 20_000)):
            sender = threading.Thread(target=p._put, args=(theirs, value))
            sender.start()
            assert p._get(ours) == value
            sender.join()
        p._put(theirs, ("error", ValueError("no")))
        status, error = p._get(ours)
        assert status == "error" and isinstance(error, ValueError) and str(error) == "no"
        reads = []
        real = os.read
        p._put(theirs, ("ok", b"y" * 100_000))
        monkeypatch.setattr(p.os, "read", lambda fd, n: reads.append(n) or real(fd, n))
        assert p._get(ours) == ("ok", b"y" * 100_000)
        assert len(reads) == 1
    finally:
        ours.close()
        theirs.close()


def test_a_slot_closed_in_a_message_or_carrying_two_is_broken():
    from multiprocessing import Pipe

    from server import pool as p
    ours, theirs = Pipe()
    p._put(theirs, "one")
    p._put(theirs, "two")
    time.sleep(0.05)
    with pytest.raises(OSError):
        p._get(ours)
    ours.close()
    theirs.close()
    ours, theirs = Pipe()
    os.write(theirs.fileno(), p._SIZE.pack(1000) + b"abc")
    theirs.close()
    with pytest.raises(EOFError):
        p._get(ours)
    ours.close()
    ours, theirs = Pipe()
    theirs.close()
    with pytest.raises(EOFError):
        p._get(ours)
    ours.close()


def test_the_resident_size_is_read_anew_each_time():
    from server import pool as p
    resident = p._Resident()
    before = resident()
    held = bytearray(64 * 1024 * 1024)
    held[::4096] = b"1" * len(held[::4096])  # touched: resident
    assert resident() - before > 50
    del held
    os.close(resident.fd)
