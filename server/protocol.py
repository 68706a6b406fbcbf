"""The SPARQL 1.1 Protocol as plain functions: request parts in, (status, headers, body) out.

No web framework here: the Flask view hands over the method, URL and form parameters, the
Content-Type, the body and the Accept header, and sends back the :class:`Reply`. The order of
checks follows the W3C protocol tests (``sparql11/protocol/manifest.ttl``): 405 a method other
than GET/POST, 415 a POST body that is neither a form nor ``application/sparql-query`` (or not
UTF-8), 400 a missing, repeated or malformed query, 403 any update, 406 when no format the
client accepts can carry the result (the body names those that can), 503 a query stopped at
its time or memory limit. A GET without a query describes the service.

Parameters are read strictly: a query string or form body whose percent-escapes are not
UTF-8 is a 400 (never a query with U+FFFD in it), and media types match whatever their case.
The query form, which decides the formats offered, is the parser's: the protocol hands the
engine a chooser (:func:`media_type_of`) that the engine calls once it has parsed the query.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional, Sequence
from urllib.parse import parse_qsl

from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.http import parse_accept_header, parse_options_header

from kg import results
from kg.errors import QueryError

from .engine import Engine, status_of

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
HTML = "text/html"
TEXT = "text/plain; charset=utf-8"
# media types some clients ask for by another name → the one we send
_ALIASES = {"application/json": results.JSON, "application/xml": results.XML,
            "text/xml": results.XML, "application/x-turtle": results.TURTLE,
            "application/turtle": results.TURTLE}

Headers = tuple[tuple[str, str], ...]
Keep = Callable[[str, str, Callable[[], bytes]], bytes]  # (key, negotiation, compute) → answer


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Headers
    body: bytes


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks for, once read and checked."""

    query: Optional[str]  # None: a request for the service description
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: Optional[str] = None  # SPARQLWrapper's format= / output=


class ProtocolError(QueryError):
    """A request the protocol itself rejects, with the status to answer."""

    def __init__(self, status: int, message: str, headers: Headers = ()) -> None:
        super().__init__(message)
        self.status, self.headers = status, headers

    def __reduce__(self) -> tuple:  # a 406 travels back from a query process by pickle
        return (type(self), (self.status, str(self), self.headers))


def error(status: int, message: str, headers: Headers = ()) -> Reply:
    """A plain-text error reply. Messages never carry tracebacks, paths or library names."""
    return Reply(status, (("Content-Type", TEXT),) + headers, f"{message}\n".encode("utf-8"))


ALLOW = "GET, HEAD, POST, OPTIONS"
MAX_PARAMETERS = 10_000


def parse_form(encoded: bytes, what: str = "the form") -> MultiDict:
    """The parameters of a query string or a form body, strictly: percent-escapes and the
    text itself must be UTF-8 (else ProtocolError 400)."""
    try:
        pairs = parse_qsl(encoded.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                          errors="strict", max_num_fields=MAX_PARAMETERS)
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{what} is not UTF-8 (a percent-escape such as %FF is no UTF-8 "
                            "character); encode the query as UTF-8") from None
    except ValueError:
        raise ProtocolError(400, f"{what} has more than {MAX_PARAMETERS:,} parameters") from None
    return MultiDict(pairs)


def read_request(method: str, query_string: bytes, content_type: str, body: bytes) -> SparqlRequest:
    """Check a request against the protocol and read its parameters; raise ProtocolError.
    HEAD is read as GET (the server sends no body back)."""
    if method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"method {method} is not allowed; use GET or POST", (("Allow", ALLOW),))
    params = parse_form(query_string, "the query string")
    if method == "POST":
        params = _post_params(params, content_type, body)
    if "update" in params:
        raise ProtocolError(403, "updates are not accepted: this endpoint is read-only")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProtocolError(400, "the request carries more than one query; send exactly one")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise ProtocolError(400, "the query is empty")
    if query is None and method == "POST":
        raise ProtocolError(400, "the request carries no query")
    return SparqlRequest(query, tuple(params.getlist("default-graph-uri")),
                         tuple(params.getlist("named-graph-uri")),
                         params.get("format") or params.get("output"))


def _post_params(params: MultiDict, content_type: str, body: bytes) -> MultiDict:
    mimetype, options = parse_options_header(content_type or "")
    mimetype, charset = mimetype.lower(), options.get("charset", "utf-8").lower()
    if mimetype == UPDATE:
        raise ProtocolError(403, "updates are not accepted: this endpoint is read-only")
    if mimetype not in (FORM, DIRECT):
        named = f"Content-Type {mimetype}" if mimetype else "a request without a Content-Type"
        raise ProtocolError(415, f"{named} is not supported; send {FORM} or {DIRECT}")
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"charset {charset} is not supported; send UTF-8")
    if mimetype == FORM:
        for key, value in parse_form(body).items(multi=True):
            params.add(key, value)
        return params
    if "query" in params:
        raise ProtocolError(400, "the query is both in the URL and in the body; send one")
    try:
        params.add("query", body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None
    return params


def negotiate(accept: Optional[str], offers: Sequence[str], forced: Optional[str] = None,
              graph: bool = False) -> str:
    """The offer the client prefers, by Accept q-values (or by format=); raise 406 if none."""
    if forced:
        try:
            wanted = results.media_type_for(forced, graph=graph)
        except QueryError:
            wanted = None  # an unknown format= name: fall back on the Accept header
        if wanted in offers:
            return wanted
    if not accept or not accept.strip():
        return offers[0]
    chosen = parse_accept_header(accept, MIMEAccept).best_match(
        list(offers) + [a for a, to in _ALIASES.items() if to in offers])
    if chosen is None:
        raise ProtocolError(406, "none of the media types in Accept can carry this result; "
                            f"available: {', '.join(offers)}")
    return _ALIASES.get(chosen, chosen)


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type we write (always UTF-8)."""
    return f"{media_type}; charset=utf-8"


@functools.lru_cache(maxsize=256)
def media_type_of(accept: Optional[str], forced: Optional[str], form: str) -> str:
    """The media type to write a `form` (SELECT, ASK, CONSTRUCT, DESCRIBE) answer in, for a
    client that sent `accept` (and SPARQLWrapper's `forced` format=); raise 406 if none.
    Remembered (at most 256 of them): a client sends the same Accept with every query, and
    reading it takes 20–60 µs each time."""
    return negotiate(accept, results.MEDIA_TYPES[form], forced, graph=form in ("CONSTRUCT", "DESCRIBE"))


def _ask(engine: Engine, request: SparqlRequest, choose: Callable[[str], str]) -> tuple[str, bytes]:
    """The answer written by the engine (in the process that ran the query) when it can,
    else its result written here; the media type is chosen once the query's form is known."""
    assert request.query is not None
    native = getattr(engine, "answer", None)
    if native is not None:
        return native(request.query, request.default_graphs, request.named_graphs, choose)
    result = engine.query(request.query, request.default_graphs, request.named_graphs)
    media_type = choose(result.kind)
    body = results.serialize_result(result, media_type)
    return media_type, results.within_size(body, getattr(engine, "max_bytes", 0))


def answer(request: SparqlRequest, accept: Optional[str], engine: Engine,
           keep: Optional[Keep] = None) -> Reply:
    """Run a checked query request and write its result in the negotiated format. With
    `keep` (:func:`kg.answers.answer`), an answer given before for the same dataset, query,
    graphs and negotiation (Accept, format=) is sent again without asking the engine."""
    assert request.query is not None
    choose = functools.partial(media_type_of, accept, request.format)

    def run() -> bytes:
        media_type, body = _ask(engine, request, choose)
        return media_type.encode() + b"\n" + body

    key = "\x1f".join([*request.default_graphs, "", *request.named_graphs, "", request.query])
    asked = f"{accept or ''}\x1f{request.format or ''}"
    kept = keep(key, asked, run) if keep is not None else run()
    written, body = kept.split(b"\n", 1)
    return Reply(200, (("Content-Type", content_type(written.decode())), ("Vary", "Accept")), body)


def handle(method: str, query_string: bytes, content_type_header: str, body: bytes,
           accept: Optional[str], engine: Engine, describe: Callable[[str], Reply],
           keep: Optional[Keep] = None) -> Reply:
    """The whole protocol: a request's parts in, a reply out. `describe(accept)` writes the
    service description, for a GET without a query."""
    try:
        request = read_request(method, query_string, content_type_header, body)
    except ProtocolError as exc:
        return error(exc.status, str(exc), exc.headers)
    if request.query is None:
        return describe(accept or "")
    return answered(request, accept, engine, keep)


def answered(request: SparqlRequest, accept: Optional[str], engine: Engine, keep: Optional[Keep] = None) -> Reply:
    """:func:`answer`, with a refusal of the query (or of its answer) as its error reply."""
    try:
        return answer(request, accept, engine, keep)
    except ProtocolError as exc:
        return error(exc.status, str(exc), exc.headers)
    except QueryError as exc:
        retry = getattr(exc, "retry_after", None)
        return error(status_of(exc), str(exc), (("Retry-After", str(retry)),) if retry else ())


def describe_reply(accept: str, graph_bytes: Callable[[str], bytes],
                   html_location: Optional[str] = "/") -> Reply:
    """Reply with the service description in the negotiated RDF format; a browser that
    prefers HTML is sent to the query page instead."""
    offers = results.MEDIA_TYPES["CONSTRUCT"]
    if html_location and accept:
        best = parse_accept_header(accept, MIMEAccept).best_match([HTML, *offers])
        if best == HTML:
            return Reply(303, (("Location", html_location), ("Vary", "Accept")), b"")
    try:
        media_type = negotiate(accept, offers)
    except ProtocolError as exc:
        return error(exc.status, str(exc))
    return Reply(200, (("Content-Type", content_type(media_type)), ("Vary", "Accept")),
                 graph_bytes(media_type))
