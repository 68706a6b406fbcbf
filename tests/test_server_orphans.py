"""No query process outlives its time limit, whatever happens to the process that started it.

A query process dies with its parent (the kernel's parent-death signal), and before each
job the kernel is told to stop it once it has computed the job's time limit plus a second
(RLIMIT_CPU). Checked on a pool whose owner stops watching, and on a live server whose
gunicorn worker is killed with ``kill -9`` in the middle of a cartesian product, and then
stopped: afterwards no query process of any worker is left. Processes are looked up in /proc.
"""
from __future__ import annotations

import os
import resource
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import server_fixture as fx
from server import pool as pool_module
from server.pool import WorkerPool

TIME_LIMIT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _spin(_: object) -> None:
    while True:
        pass


def _echo(value: object) -> object:
    return value


def _burn(seconds: float) -> float:
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds


def test_a_job_nobody_stops_is_stopped_by_the_kernel_past_its_limit():
    pool = WorkerPool(_spin, size=1)
    try:
        pool.start()
        worker = pool._workers[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        pool_module._put(worker.slots[0], (1.0, None))  # as run() sends a job, but nobody kills it at the deadline
        worker.process.join(30)
        assert worker.process.exitcode == -signal.SIGXCPU
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker's, now it is reaped
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        assert used < 1.0 + 2.5  # CPU seconds: on a loaded machine the wall clock runs on
    finally:
        pool.close()


def test_the_cpu_cap_counts_from_each_job_not_from_the_process_start():
    pool = WorkerPool(_burn, size=1)
    try:
        for _ in range(4):  # 3.2 s of CPU in all, more than a 1 s limit + the margin, in jobs under it
            assert pool.run(0.8, 1.5) == 0.8
        assert len(pool._workers) == 1 and pool._workers[0].process.is_alive()
    finally:
        pool.close()


def test_workers_forked_for_a_thread_outlive_the_thread():
    """The parent-death signal follows the thread that forks; the pool forks from its own
    thread, so workers started on behalf of a short-lived request thread stay."""
    pool = WorkerPool(_echo, size=2)
    try:
        starter = threading.Thread(target=pool.start)
        starter.start()
        starter.join()
        time.sleep(0.3)
        assert [pool.run(n, 5.0) for n in range(4)] == [0, 1, 2, 3]
    finally:
        pool.close()


# --- live: kill -9 of a gunicorn worker, then the server's own stop ---------------------

def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except (urllib.error.HTTPError, urllib.error.URLError, OSError) as exc:
        return getattr(exc, "code", -1)


@pytest.mark.slow
def test_no_query_process_outlives_a_killed_worker_or_the_server(tmp_path):
    path = fx.write(tmp_path / "kg.trig")
    env = {"KG_QUERY_PROCESSES": "3", "KG_CLIENT_LIMIT": "0"}
    with fx.live_server(path, timeout=TIME_LIMIT, workers=1, env=env, with_process=True) as (base, master):
        (worker,) = fx.children(master.pid)
        queries = fx.children(worker)
        assert len(queries) == 3
        asking = threading.Thread(target=_get, args=(f"{base}/sparql?query={urllib.parse.quote(CARTESIAN)}",))
        asking.start()
        time.sleep(0.5)  # the query is computing now
        os.kill(worker, signal.SIGKILL)
        killed = time.monotonic()
        assert fx.wait_for(lambda: not any(fx.alive(q) for q in queries), TIME_LIMIT + 2.0), \
            [q for q in queries if fx.alive(q)]
        assert time.monotonic() - killed < TIME_LIMIT + 2.0
        asking.join(30)
        assert fx.wait_for(lambda: len(fx.children(master.pid)) == 1 and _get(base + "/health") == 200, 30)
        (respawned,) = fx.children(master.pid)
        assert fx.wait_for(lambda: len(fx.children(respawned)) == 3, 10)
        later = fx.children(respawned)
    assert fx.wait_for(lambda: not any(fx.alive(q) for q in later + [respawned]), 5.0)


@pytest.mark.slow
def test_a_server_on_the_disk_store_stops_whole(tmp_path):
    """With the dataset in the on-disk store (RocksDB, whose exit handler would wait for
    threads that live only in the master), workers still exit at once: on reload and on stop."""
    path = fx.write(tmp_path / "kg.trig")
    env = {"KG_STORE_CACHE_MB": "0", "KG_QUERY_PROCESSES": "2"}
    with fx.live_server(path, timeout=TIME_LIMIT, workers=1, env=env, with_process=True) as (base, master):
        assert _get(f"{base}/sparql?query={urllib.parse.quote('ASK { ?s ?p ?o }')}") == 200
        (first,) = fx.children(master.pid)
        master.send_signal(signal.SIGHUP)
        assert fx.wait_for(lambda: not fx.alive(first), 5.0)  # the old worker, gone once idle
        assert fx.wait_for(lambda: _get(base + "/health") == 200 and len(fx.children(master.pid)) == 1, 15)
        (second,) = fx.children(master.pid)
        everyone = [second, *fx.children(second)]
        stopping = time.monotonic()
        master.terminate()
        master.wait(10)
        assert time.monotonic() - stopping < 5.0
    assert fx.wait_for(lambda: not any(fx.alive(p) for p in everyone), 2.0)
