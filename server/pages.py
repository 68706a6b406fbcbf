"""Pages for people and Linked Data for machines: the query page, entity pages, search.

``/`` is the query editor (examples from ``kg/data/cq``). ``/id/<path>`` dereferences every
data IRI minted under the ``BASE_IRI`` setting: HTML for browsers, Turtle, JSON-LD and the
other RDF formats by content negotiation, 404 when the dataset says nothing about the IRI.
``/search?q=`` finds entities by label (:mod:`server.search`), as HTML or JSON. A person's page
shows their career, a body's or a post's its holders over time, a tenure's its dates and
sources (:mod:`server.timeline`). An HTML page leads with the entity's profile
(:mod:`server.profile`: posts, meetings, documents, sources, each fact once, evidence a click
away) and keeps every statement below, the reasoner's copies folded; a person's page embeds
``/network/<path>``, their immediate network drawn as SVG (:mod:`server.netpic`).
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from rdflib import URIRef
from rdflib.namespace import RDF
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg import config as settings
from kg import results
from kg.errors import QueryError
from kg.vocab import VNKG

from .entities import as_graph, describe, entity_graph, label_of
from . import netpic, profile, timeline
from .timeline import for_entity

blueprint = Blueprint("pages", __name__)

HTML = "text/html"
_ENTITY_OFFERS = (HTML, results.TURTLE, results.JSONLD, results.NTRIPLES, results.RDFXML,
                  results.TRIG, results.NQUADS)
# what an IRI may not hold (SPARQL's IRIREF): no entity can have such an IRI
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def base_iri() -> str:
    return str(current_app.config["BASE_IRI"])


@blueprint.app_template_filter("local")
def local(iri: str) -> str:
    """The server's own path for a data IRI, else the IRI itself."""
    base = base_iri()
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


@blueprint.app_template_filter("short")
def short(iri: str) -> str:
    """A prefixed name for a vocabulary IRI (vnkg:holds), else the IRI."""
    from kg.vocab import NAMESPACES

    for prefix, ns in sorted(NAMESPACES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


@blueprint.app_template_filter("vi_date")
def vi_date(value: str) -> str:
    """An ISO date, year-month or year as Vietnamese texts write it: 15/10/2010, 10/2015, 2019."""
    return timeline.vi_date(value)


def examples() -> list[dict[str, str]]:
    """The competency questions, as examples for the editor: name, title, text."""
    found = []
    for path in sorted(settings.CQ_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("# ").strip() if first.startswith("#") else path.stem
        found.append({"name": path.stem, "title": title, "query": text})
    return found


@blueprint.route("/")
def index() -> str:
    return render_template("index.html", examples=examples(), base_iri=base_iri())


def _chosen(offers: tuple[str, ...]) -> str | None:
    forced = request.args.get("format")
    if forced:
        try:
            wanted = results.media_type_for(forced, graph=True)
        except QueryError:
            wanted = forced if forced == HTML or forced == "html" else None
        wanted = HTML if forced == "html" else wanted
        if wanted in offers:
            return wanted
    accept = request.headers.get("Accept")
    if not accept:
        return offers[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offers)


@blueprint.route("/id/<path:rest>")
def entity(rest: str) -> Any:
    dataset = current_app.extensions["kg"]["store"].dataset
    iri = base_iri() + rest
    if _NOT_IN_IRI.search(iri):
        abort(404, description="no entity has this IRI: it holds characters an IRI may not hold")
    media_type = _chosen(_ENTITY_OFFERS)
    if media_type is None:
        return Response(f"406 Not Acceptable: available: {', '.join(_ENTITY_OFFERS)}\n", 406,
                        content_type="text/plain; charset=utf-8")
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 1_000_000:
        abort(400, description=f"page must be a whole number from 1: {page!r}")
    if media_type == HTML:
        view = describe(dataset, iri, int(page))
        if view is None:
            abort(404, description=f"nothing is known about <{iri}>")
        dated = for_entity(current_app.extensions["kg"]["engine"], view, local,
                           lambda other: label_of(dataset, URIRef(other)))
        shown = profile.build(dataset, view)
        ties = netpic.picture(dataset, iri, base_iri()) if shown.kind == "Person" else None
        return _vary(Response(render_template("entity.html", view=view, dated=dated, profile=shown, ties=ties,
                                              network=url_for("pages.network", rest=rest))))
    rdf = entity_graph(dataset, iri, int(page))  # the facts without their evidence: not the HTML's view
    if rdf is None:
        abort(404, description=f"nothing is known about <{iri}>")
    source = rdf if media_type in (results.TRIG, results.NQUADS) else as_graph(rdf)
    fmt = {results.TURTLE: "turtle", results.JSONLD: "json-ld", results.NTRIPLES: "nt11",
           results.RDFXML: "xml", results.TRIG: "trig", results.NQUADS: "nquads"}[media_type]
    body = results.serialize_dataset(source, media_type) if source is rdf else \
        source.serialize(format=fmt, encoding="utf-8")
    return _vary(Response(body, content_type=f"{media_type}; charset=utf-8"))


@blueprint.route("/network/<path:rest>")
def network(rest: str) -> Any:
    """A person's immediate network as an SVG document, for their page to embed (links open
    in the page; same-origin framing only, which the page's <object> needs)."""
    dataset = current_app.extensions["kg"]["store"].dataset
    iri = base_iri() + rest
    if _NOT_IN_IRI.search(iri) or (URIRef(iri), RDF.type, VNKG.Person) not in dataset:
        abort(404, description="no person has this IRI")
    body = netpic.svg(netpic.picture(dataset, iri, base_iri()), local)
    return Response(body, content_type="image/svg+xml; charset=utf-8", headers={
        "X-Frame-Options": "SAMEORIGIN",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'; base-uri 'none'"})


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/search")
def search() -> Any:
    query = request.args.get("q", "").strip()[:200]
    hits = current_app.extensions["kg"]["search"].search(query) if query else []
    if _chosen((HTML, "application/json")) == "application/json" or request.args.get("format") == "json":
        return _vary(jsonify(query=query, results=[
            {"iri": h.iri, "label": h.label, "type": h.type, "matched": h.matched,
             "score": h.score, "page": local(h.iri)} for h in hits]))
    return _vary(Response(render_template("search.html", query=query, hits=hits)))


@blueprint.route("/favicon.ico")
def favicon() -> Any:
    return current_app.send_static_file("favicon.svg")
