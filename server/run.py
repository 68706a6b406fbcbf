"""Serve the dataset with gunicorn: what ``kg serve`` calls.

``serve(graph_path, host, port, workers)`` builds the dataset from ``seeds/`` first if the
file does not exist, loads it once in the master (``preload_app``), and forks `workers`
synchronous gunicorn workers that share it copy-on-write; each worker then forks its own
query process (:mod:`server.pool`). No Flask development server, no debug mode.
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any, Optional

from gunicorn.app.base import BaseApplication

from kg import config as settings

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def _engine(worker: Any) -> Any:
    return worker.app.application.extensions["kg"]["engine"]


def _post_worker_init(worker: Any) -> None:
    _engine(worker).start()  # pre-start this worker's query process, before any request


def _worker_exit(server: Any, worker: Any) -> None:
    _engine(worker).close()


def ensure_built(graph_path: Path, seeds: Optional[Path] = None) -> None:
    """Build the dataset from the seeds if `graph_path` does not exist yet."""
    if graph_path.exists():
        return
    from kg import pipeline  # only needed on a first run

    seeds = seeds or Path(settings.get("seeds"))
    log.warning("no dataset at %s: building it from %s first", graph_path, seeds)
    pipeline.build(sorted(seeds.glob("*.txt")), graph_path)


def serve(graph_path: Path | str | None = None, host: str = "127.0.0.1", port: int = 5000,
          workers: int | None = None, config: Optional[dict[str, Any]] = None) -> None:
    """Build if needed, load `graph_path` once and serve it until interrupted."""
    from .app import create_app

    path = Path(graph_path or settings.get("output"))
    ensure_built(path)
    app = create_app({**(config or {}), "GRAPH": str(path)})
    timeout = float(app.config["QUERY_TIMEOUT"])
    options = {
        "bind": f"{host}:{port}",
        "workers": int(workers or app.config["WORKERS"]),
        "worker_class": "sync",
        "timeout": int(timeout) + 30,  # a worker waits for its query process up to `timeout`
        "graceful_timeout": 5,
        "limit_request_line": 8190,  # long GET queries (SPARQLWrapper's default method)
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
        "accesslog": "-",
        "loglevel": "info",
        "proc_name": "kg-serve",
    }
    _Gunicorn(app, options).run()


def main(argv: list[str] | None = None) -> None:
    """``python -m server.run [GRAPH] [--host H] [--port P] [--workers N]``."""
    parser = argparse.ArgumentParser(prog="python -m server.run", description=serve.__doc__)
    parser.add_argument("graph", nargs="?", help="dataset file (default: build/kg.trig)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    serve(args.graph, args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
