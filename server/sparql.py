"""The ``/sparql`` endpoint: Flask hands the request's parts to :mod:`server.protocol`.

Only translation happens here: from Flask's request to plain values, and from the
protocol's :class:`~server.protocol.Reply` back to a Flask response.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from kg.results import rdflib_format

from . import protocol
from .store import service_description

blueprint = Blueprint("sparql", __name__)



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
    if request.method == "OPTIONS":  # CORS preflight; the CORS headers are added for all
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
        graph = service_description(store, endpoint)
        return graph.serialize(format=rdflib_format(media_type), encoding="utf-8")

    return protocol.describe_reply(accept, write, url_for("pages.index"))
