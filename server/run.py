"""Serve the dataset with gunicorn: what ``kg serve`` calls.

``serve(graph_path, host, port, workers)`` builds the dataset from ``seeds/`` first if the
file does not exist, loads it once in the master, and forks `workers` threaded gunicorn
workers (:class:`server.worker.KgWorker`: gunicorn's threaded worker with a read deadline
and a per-client connection cap) that share it copy-on-write; each worker caps its own
address space and forks its query processes (:mod:`server.pool`). Each client may have
``CLIENT_LIMIT`` requests in progress (:mod:`server.limits`). When the dataset file is
replaced (``kg build`` renames a new file over it), removed, or the master gets SIGHUP, the
master loads the file again, forks new workers from it and lets the old ones finish their
requests: nothing is dropped. A file that cannot be loaded, or that holds no public triple,
leaves the last good dataset served, and ``/health`` says so. No Flask development server,
no debug mode, no gunicorn control socket unless one is asked for.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Optional

from gunicorn.app.base import BaseApplication

from kg import config as settings
from kg.errors import ConfigError, KgError
from kg.store import STAMP

from .accesslog import AccessLog
from .pool import cap_address_space
from .worker import KgWorker

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):
    """gunicorn around an app factory: the master builds the app; a reload (SIGHUP) builds it
    again from the dataset file and new workers are forked from it, while the old ones finish
    what they are answering. A file that cannot be loaded leaves the last good app served."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory, self.options = factory, options
        self.application = factory()
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application

    def reload(self) -> None:
        super().reload()
        try:
            app = self.factory()
        except KgError as exc:
            self._keep_last_good(exc)
            return
        try:
            _serves_something(app)
        except KgError as exc:
            if not _store_replaced(self.application):
                app.extensions["kg"]["engine"].close()
                self._keep_last_good(exc)
                return
            # the last good load's on-disk store was rebuilt from the new file: reading it
            # would serve that file's graphs unfiltered, so the new (empty) load is served
            log.error("reload: %s; the last good dataset's store was replaced, so nothing is served", exc)
            app.extensions["kg"]["problem"] = _problem(exc, app)
        self.application, self.callable = app, None
        log.warning("reload: serving %s (%s triples)", app.config["GRAPH"],
                    f"{app.extensions['kg']['store'].triples:,}")

    def _keep_last_good(self, exc: KgError) -> None:
        log.error("reload: the new dataset cannot be served (%s); the last good one still is", exc)
        # the workers forked next, from the last good app, report it on /health
        self.application.extensions["kg"]["problem"] = _problem(exc, self.application)


def _serves_something(app: Any) -> None:
    """Refuse a load with no public triple (an emptied file, one holding only private graphs):
    serving nothing in place of the last good dataset is no reload."""
    store = app.extensions["kg"]["store"]
    if store.remote is None and store.triples == 0:
        raise ConfigError(f"{store.path.name} holds no triple in the public graphs")


def _store_replaced(app: Any) -> bool:
    """Whether the on-disk store `app` reads (a large file's) no longer holds the file it
    loaded: reading the file again rebuilt it."""
    store = app.extensions["kg"]["store"]
    if store.folder is None or store.stamp is None:
        return False
    try:
        kept = json.loads((store.folder / STAMP).read_text())
    except (OSError, ValueError):
        return True
    return (kept.get("size"), kept.get("mtime_ns")) != store.stamp[1:]


def _problem(exc: KgError, app: Any) -> str:
    """What /health says went wrong: the error's first line, the file named without its folder."""
    path = Path(app.config["GRAPH"]).resolve()
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    for long in (path.as_uri(), str(path), str(app.config["GRAPH"])):
        text = text.replace(long, path.name)
    return text[:300]


def _kg(worker: Any) -> dict[str, Any]:
    return worker.app.application.extensions["kg"]


def _post_worker_init(worker: Any) -> None:
    # rdflib 7.6 warns about its own deprecated calls; per-request silencing
    # (warnings.catch_warnings) is not thread-safe, so a threaded worker silences them once
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
    memory_mb = int(worker.app.application.config["WORKER_MEMORY_MB"])
    if memory_mb > 0:  # soft only: the query processes forked from here set caps of their own
        cap_address_space(memory_mb, hard=False)
    _kg(worker)["engine"].start()  # pre-start this worker's query processes, before any request


def _worker_exit(server: Any, worker: Any) -> None:
    _kg(worker)["engine"].close()
    _exit_now()


def _exit_now() -> None:
    """End the worker now, with gunicorn's exit status, without the C library's exit
    handlers: RocksDB (the on-disk store) registers one that joins its thread pool, whose
    threads live only in the master the worker was forked from, so it would wait forever and
    outlive the server as an orphan. Python's own exit work is done here: logs flushed."""
    exc = sys.exc_info()[1]
    code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else int(exc is not None)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


def _child_exit(server: Any, worker: Any) -> None:
    limiter = server.app.application.extensions["kg"].get("limiter")
    if limiter is not None:  # a worker killed mid-request leaves rows behind
        limiter.forget_process(worker.pid)


M_ARENA_MAX, M_MMAP_THRESHOLD = -8, -3


def release_large_blocks() -> None:
    """Have malloc (glibc) serve every block of 1 MiB or more by mmap, returned to the system
    when freed, from two arenas: an answer of hundreds of MiB otherwise leaves the heap of
    the process that held it that large long after. Called in the master, so the workers and
    their query processes inherit it. Nothing happens on other C libraries."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(M_MMAP_THRESHOLD, 1024 * 1024)  # fixed: no more raising it as blocks are freed
    libc.mallopt(M_ARENA_MAX, 2)


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def watch(path: Path, on_change: Callable[[], None], interval: float = 1.0) -> threading.Thread:
    """Call `on_change` when the file at `path` is replaced, rewritten or removed (its inode,
    mtime or size changed, or it is gone, and stayed so for one more `interval`), from a
    daemon thread."""
    def loop() -> None:
        served = _stamp(path)
        while True:
            time.sleep(interval)
            seen = _stamp(path)
            if seen == served:
                continue
            time.sleep(interval)
            if _stamp(path) == seen:
                served = seen
                on_change()

    thread = threading.Thread(target=loop, name="kg-dataset-watch", daemon=True)
    thread.start()
    return thread


def ensure_built(graph_path: Path, seeds: Optional[Path] = None) -> None:
    """Build the dataset from the seeds if `graph_path` does not exist yet."""
    if graph_path.exists():
        return
    from kg import pipeline  # only needed on a first run

    seeds = seeds or Path(settings.get("seeds"))
    log.warning("no dataset at %s: building it from %s first", graph_path, seeds)
    pipeline.build(sorted(seeds.glob("*.txt")), graph_path)


def serve(graph_path: Path | str | None = None, host: str = "127.0.0.1", port: int = 5000,
          workers: int | None = None, config: Optional[dict[str, Any]] = None,
          watch_file: bool = True) -> None:
    """Build if needed, load `graph_path` once and serve it until interrupted; reload it when
    the file changes (or on SIGHUP) without dropping requests."""
    from .app import create_app

    path = Path(graph_path or settings.get("output"))
    remote = (config or {}).get("STORE")
    if not remote:
        ensure_built(path)
    overrides = {"CLIENT_LIMIT": settings.get("client_limit"), **(config or {}), "GRAPH": str(path)}
    server = _Gunicorn(lambda: create_app(overrides), {})
    app = server.application
    timeout = float(app.config["QUERY_TIMEOUT"])

    def when_ready(arbiter: Any) -> None:
        if watch_file and not remote:
            watch(path, lambda: os.kill(arbiter.pid, signal.SIGHUP))

    server.options = {
        "bind": f"{host}:{port}",
        "workers": int(workers or app.config["WORKERS"]),
        "worker_class": KgWorker,
        "threads": int(app.config["THREADS"]),
        "timeout": int(timeout) + 30,  # a worker waits for its query process up to `timeout`
        "graceful_timeout": int(timeout) + 5,  # on reload or stop, running queries finish
        "limit_request_line": 8190,  # longer request lines get 414 (send long queries by POST)
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
        "child_exit": _child_exit,
        "when_ready": when_ready,
        "accesslog": "-",
        "logger_class": AccessLog,  # the default line, written without gunicorn's table of atoms
        "loglevel": "info",
        "proc_name": "kg-serve",
        **_control_socket(str(app.config.get("CONTROL_SOCKET") or "")),
    }
    server.do_load_config()
    release_large_blocks()
    server.run()


def _control_socket(path: str) -> dict[str, Any]:
    """gunicorn's control socket (gunicorn ≥ 25.1) at `path`, or none: by default every
    gunicorn of a user shares one path, and the second server would take the first's."""
    return {"control_socket": path} if path else {"control_socket_disable": True}


def main(argv: list[str] | None = None) -> None:
    """``python -m server.run [GRAPH] [--host H] [--port P] [--workers N]``."""
    parser = argparse.ArgumentParser(prog="python -m server.run", description=serve.__doc__)
    parser.add_argument("graph", nargs="?", help="dataset file (default: build/kg.trig)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), default=None,
                        help="query engine (default: the engine setting, oxigraph)")
    parser.add_argument("--store", metavar="URL", help="serve the SPARQL endpoint at URL (its union default graph) "
                        "instead of a file")
    args = parser.parse_args(argv)
    serve(args.graph, args.host, args.port, args.workers, overrides_for(args.engine, args.store))


def overrides_for(engine: Optional[str], store: Optional[str]) -> Optional[dict[str, Any]]:
    found = {"ENGINE": engine, "STORE": store}
    return {k: v for k, v in found.items() if v} or None


if __name__ == "__main__":
    main()
