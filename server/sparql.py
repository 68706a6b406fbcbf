"""The ``/sparql`` endpoint: the request's parts go to :mod:`server.protocol`.

Only translation happens here: from the request to plain values, and from the protocol's
:class:`~server.protocol.Reply` back to a response. A request that asks a query is answered
by :class:`QueryLane` straight from WSGI; the rest (the service description, CORS preflight,
other methods, a body too large) by the Flask view.
"""
from __future__ import annotations

from typing import Callable, Iterable

from flask import Blueprint, Flask, Response, current_app, request, url_for
from werkzeug.wsgi import get_input_stream

from kg.results import rdflib_format

from . import protocol
from .store import service_description

blueprint = Blueprint("sparql", __name__)
PATHS = ("/sparql", "/sparql/")


def to_response(reply: protocol.Reply) -> Response:
    response = Response(reply.body, reply.status)
    for name, value in reply.headers:
        response.headers[name] = value
    return response


# only the methods answered: any other gets 405 with an Allow that lists these (and HEAD)
_METHODS = ["GET", "POST", "OPTIONS"]


@blueprint.route("/sparql/", methods=_METHODS, endpoint="sparql_slash")
@blueprint.route("/sparql", methods=_METHODS)
def sparql() -> Response:
    if request.method == "OPTIONS":  # CORS preflight; its headers are added to every OPTIONS answer
        return Response(status=204)
    kg = current_app.extensions["kg"]
    body = request.get_data(cache=False) if request.method == "POST" else b""
    reply = protocol.handle(request.method, request.query_string, request.headers.get("Content-Type", ""),
                            body, request.headers.get("Accept"), kg["engine"], _describe, kg.get("keep"))
    return to_response(reply)


def _describe(accept: str) -> protocol.Reply:
    store = current_app.extensions["kg"]["store"]
    endpoint = url_for("sparql.sparql", _external=True)

    def write(media_type: str) -> bytes:
        graph = service_description(store, endpoint, url_for("data.stats", _external=True))
        return graph.serialize(format=rdflib_format(media_type), encoding="utf-8")

    return protocol.describe_reply(accept, write, url_for("pages.index"))


class QueryLane:
    """WSGI middleware: a GET, HEAD or POST to the endpoint that carries a query is answered
    here, by the same protocol functions, without Flask's routing and request and response
    objects (0.12 ms a request, measured beside 9 µs here, with the engine faked). The
    response carries the headers Flask's would (CORS, security). Anything else — no query,
    another method, a body without a length or over the limit — goes on to `wsgi_app`."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        from .app import CORS_HEADERS, SECURITY_HEADERS
        self.wsgi_app, self.app = wsgi_app, app
        self.limit = int(app.config["MAX_CONTENT_LENGTH"])
        self.always = tuple({**CORS_HEADERS, **SECURITY_HEADERS}.items())

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "")
        if environ.get("PATH_INFO") not in PATHS or method not in ("GET", "HEAD", "POST"):
            return self.wsgi_app(environ, start_response)
        length = environ.get("CONTENT_LENGTH") or ""
        if method == "POST" and not (length.isdigit() and int(length) <= self.limit):
            return self.wsgi_app(environ, start_response)
        kg = self.app.extensions["kg"]
        try:
            body = get_input_stream(environ, max_content_length=self.limit).read() if method == "POST" else b""
            query_string = environ.get("QUERY_STRING", "").encode("latin-1")
            try:
                parsed = protocol.read_request(method, query_string, environ.get("CONTENT_TYPE", ""), body)
            except protocol.ProtocolError as exc:
                reply = protocol.error(exc.status, str(exc), exc.headers)
            else:
                if parsed.query is None:  # the service description, written with Flask's URLs
                    return self.wsgi_app(environ, start_response)
                reply = protocol.answered(parsed, environ.get("HTTP_ACCEPT"), kg["engine"], kg.get("keep"))
        except Exception as exc:  # as Flask's error handler (registered for Exception) answers it
            from .app import _headers, failure
            return _headers(failure(exc, method, environ.get("PATH_INFO", "")))(environ, start_response)
        named = {name for name, _ in reply.headers}
        headers = [*reply.headers, *((k, v) for k, v in self.always if k not in named),
                   ("Content-Length", str(len(reply.body)))]
        start_response(_STATUS.get(reply.status) or f"{reply.status} UNKNOWN", headers)
        return [b""] if method == "HEAD" else [reply.body]


def _reasons() -> dict[int, str]:
    """Status lines as werkzeug writes them ("400 BAD REQUEST")."""
    from werkzeug.http import HTTP_STATUS_CODES
    return {code: f"{code} {reason.upper()}" for code, reason in HTTP_STATUS_CODES.items()}


_STATUS = _reasons()
