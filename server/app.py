"""The Flask application factory: settings, the dataset loaded once, the blueprints.

``create_app(config=None)`` reads the defaults of :data:`kg.config.SETTINGS`, then ``KG_*``
environment variables (``app.config.from_prefixed_env("KG")``), then the caller's overrides;
loads the dataset named by ``GRAPH`` (only its graphs under ``GRAPH_BASE`` or
``PUBLIC_GRAPHS``); builds the query engine and the search index; registers the SPARQL
endpoint, the pages and the data routes; and, when ``CLIENT_LIMIT`` is set, limits the
requests each client may have in progress (:mod:`server.limits`). Nothing happens at import
time. A 500 logs its traceback and answers a line that names neither files nor libraries.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from flask import Flask, Response, has_request_context, request
from werkzeug.exceptions import ClientDisconnected, HTTPException

from kg import config as settings

from . import store as store_module
from .engine import OxigraphEngine, RdflibEngine
from .limits import BoundedBody, ClientLimiter, LimitedApp
from .search import SearchIndex
from .sparql import QueryLane

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'"),
}
CORS_HEADERS = {"Access-Control-Allow-Origin": "*"}
# what a browser reads only from the answer to its preflight (an OPTIONS request; Fetch,
# "CORS-preflight fetch"): sent there, not with every answer
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}


def _defaults() -> dict[str, Any]:
    values = {s.name.upper(): s.default for s in settings.SETTINGS}
    values["GRAPH"] = values["OUTPUT"]
    values["MAX_CONTENT_LENGTH"] = 1024 * 1024  # a query larger than 1 MiB is refused (413)
    values["CLIENT_LIMIT"] = 0  # off for an embedded app; `kg serve` turns it on
    return values


def _public(config: Any) -> tuple[str, ...]:
    """IRI prefixes of the graphs that may be served: the graph base and PUBLIC_GRAPHS."""
    return (str(config["GRAPH_BASE"]), *str(config.get("PUBLIC_GRAPHS") or "").split())


def create_app(config: Optional[dict[str, Any]] = None) -> Flask:
    """Build the application around the dataset file ``config["GRAPH"]``."""
    app = Flask(__name__)
    app.config.update(_defaults())
    app.config.from_prefixed_env("KG")
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    limits = {"timeout": float(app.config["QUERY_TIMEOUT"]), "memory_mb": int(app.config["QUERY_MEMORY_MB"]),
              "max_results": int(app.config["MAX_RESULTS"]), "workers": int(app.config["QUERY_PROCESSES"]),
              "max_bytes": int(float(app.config["MAX_RESULT_MB"]) * 1024 * 1024)}
    if app.config.get("STORE"):  # in front of another SPARQL server
        from .remote import RemoteEngine
        engine: Any = RemoteEngine(str(app.config["STORE"]), **limits)
        kg_store = store_module.load_remote(str(app.config["STORE"]), engine)
    else:
        kg_store = store_module.load(app.config["GRAPH"], _public(app.config), str(app.config["ENGINE"]))
        native = kg_store.folder or kg_store.native
        engine = (RdflibEngine(kg_store.dataset, **limits) if native is None
                  else OxigraphEngine(native, **limits, threads=int(app.config["QUERY_THREADS"])))
    if kg_store.dropped:
        log.warning("not served (not under the public graph prefixes): %s", ", ".join(kg_store.dropped))
    with store_module.quiet_rdflib():
        search = SearchIndex(kg_store.dataset, kg_store.folder)
    if hasattr(kg_store.dataset, "release"):
        kg_store.dataset.release()  # the workers forked from this process open their own
    app.extensions["kg"] = {"store": kg_store, "engine": engine, "search": search, "problem": None,
                            "keep": None if kg_store.remote else _keeper(app.config, kg_store, engine.name)}
    _register(app)
    app.wsgi_app = BoundedBody(QueryLane(_Quiet(app.wsgi_app), app),  # type: ignore[method-assign]
                               int(app.config["MAX_CONTENT_LENGTH"]))
    limit = int(app.config["CLIENT_LIMIT"])
    if limit > 0:
        limiter = ClientLimiter(limit)
        app.extensions["kg"]["limiter"] = limiter
        app.wsgi_app = LimitedApp(app.wsgi_app, limiter,  # type: ignore[method-assign]
                                  str(app.config.get("CLIENT_HEADER") or ""))
    return app


def _keeper(config: Any, kg_store: Any, engine: str) -> Optional[Callable[[str, str, Callable[[], bytes]], bytes]]:
    """Answers kept beside the dataset (:mod:`kg.answers`) under this load of it, not under
    the file as it is now (a reload never meets an answer of the last one; a file replaced,
    broken or removed since changes nothing for the data still served), and keyed by what
    decides them here: the engine, the public graphs and the caps."""
    sizes = {"answer_cache_mb": float(config["ANSWER_CACHE_MB"]),
             "answer_cache_total_mb": float(config["ANSWER_CACHE_TOTAL_MB"])}
    if min(sizes.values()) <= 0:
        return None
    import hashlib
    import os
    import time

    from kg.answers import answer
    load = f"{os.getpid()}-{time.time_ns()}-{kg_store.stamp}"
    version = hashlib.sha256(load.encode()).hexdigest()[:16]
    scope = "\x1f".join(["http", engine, *_public(config), str(config["MAX_RESULTS"]), str(config["MAX_RESULT_MB"])])
    return lambda key, asked, compute: answer(kg_store.path, key, f"{scope}\x1f{asked}", compute, sizes, version)


class _Quiet:
    """WSGI middleware: each request runs with rdflib's internal deprecations silenced."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        with store_module.quiet_rdflib():
            return self.wsgi_app(environ, start_response)


def _register(app: Flask) -> None:
    from .data import blueprint as data
    from .pages import blueprint as pages
    from .sparql import blueprint as sparql

    for blueprint in (sparql, pages, data):
        app.register_blueprint(blueprint)
    app.after_request(_headers)
    app.register_error_handler(Exception, _internal_error)


def _headers(response: Response) -> Response:
    for name, value in {**CORS_HEADERS, **SECURITY_HEADERS}.items():
        response.headers.setdefault(name, value)
    if has_request_context() and request.method == "OPTIONS":
        for name, value in PREFLIGHT_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def _internal_error(exc: Exception) -> Response:
    return failure(exc, request.method, request.path)


def failure(exc: BaseException, method: str, path: str) -> Response:
    """The response to an exception that escaped a view (or the query lane), logged unless
    the client caused it; it names neither files nor libraries."""
    if isinstance(exc, ClientDisconnected):  # the body stopped short: gone, or past the read deadline
        return Response("408 Request Timeout: the request body did not arrive in full within the time "
                        "allowed\n", 408, headers={"Connection": "close"}, content_type="text/plain; charset=utf-8")
    if isinstance(exc, HTTPException):
        response = exc.get_response()  # keeps headers such as Allow
        response.set_data(f"{exc.code} {exc.name}: {exc.description}\n")
        response.content_type = "text/plain; charset=utf-8"
        return response
    if isinstance(exc, MemoryError):  # the worker's own memory cap (server.run)
        log.error("out of memory answering %s %s", method, path)
        return Response("503 Service Unavailable: the server is short of memory; retry shortly\n", 503,
                        headers={"Retry-After": "2"}, content_type="text/plain; charset=utf-8")
    log.error("error answering %s %s", method, path, exc_info=exc)
    return Response("500 Internal Server Error: the server failed to answer; the error is "
                    "logged\n", 500, content_type="text/plain; charset=utf-8")
