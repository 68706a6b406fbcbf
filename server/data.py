"""Whole-dataset routes: ``/export`` (streamed), ``/health`` and ``/stats``.

``/export`` sends the dataset file as it was built (TriG), or streams N-Quads, or one named
graph (``?graph=IRI``) in TriG, Turtle, N-Triples or N-Quads. The file is sent only while it
is the one that was loaded (same inode, size and modification time); once it has been
replaced, broken or removed, the data served is written instead. ``/stats`` counts triples
per graph and gives the build time and version; ``/health`` answers as soon as the data is
loaded, and says "degraded" when the last reload failed and the last good load is served.
"""
from __future__ import annotations

import os
from typing import IO, Any, Iterator, Optional

from flask import Blueprint, Response, abort, current_app, jsonify, request, send_file
from rdflib import Dataset, Graph, URIRef

import kg
from kg.results import serialize_dataset
from kg.vocab import bind_all

from .store import quiet_rdflib

blueprint = Blueprint("data", __name__)

_TYPES = {"trig": "application/trig", "nquads": "application/n-quads",
          "turtle": "text/turtle", "ntriples": "application/n-triples"}
_ALIASES = {"nq": "nquads", "ttl": "turtle", "nt": "ntriples", "n-quads": "nquads",
            "n-triples": "ntriples"}


def _store() -> Any:
    return current_app.extensions["kg"]["store"]


def _nquads(dataset: Dataset, graph: URIRef | None) -> Iterator[bytes]:
    """N-Quads (or N-Triples, for one graph) a line at a time, in a stable order per graph."""
    with quiet_rdflib():
        names = [graph] if graph is not None else sorted(
            g.identifier for g in dataset.graphs() if isinstance(g.identifier, URIRef))
    for name in names:
        with quiet_rdflib():  # a generator runs after the request's own silencing ended
            triples = sorted(dataset.graph(name))
        for s, p, o in triples:
            tail = f" {name.n3()}" if graph is None else ""
            yield f"{s.n3()} {p.n3()} {o.n3()}{tail} .\n".encode("utf-8")


@blueprint.route("/export")
def export() -> Any:
    store = _store()
    fmt = request.args.get("format", "trig").lower()
    fmt = _ALIASES.get(fmt, fmt)
    if fmt not in _TYPES:
        abort(400, description=f"unknown format {fmt!r}; known: {', '.join(_TYPES)}")
    graph_iri = request.args.get("graph")
    if graph_iri is None:
        return _export_all(store, fmt)
    if graph_iri not in store.graph_counts:
        abort(404, description=f"no graph <{graph_iri}> is served; see /stats for the graphs")
    return _export_graph(store.dataset, URIRef(graph_iri), fmt)


def _as_loaded(store: Any) -> Optional[IO[bytes]]:
    """The dataset file, opened, if it is still the file that was loaded; else None."""
    if store.path.suffix != ".trig" or not store.whole_file or store.stamp is None:
        return None
    try:
        fh = open(store.path, "rb")
    except OSError:
        return None
    st = os.fstat(fh.fileno())
    if (st.st_ino, st.st_size, st.st_mtime_ns) == store.stamp:
        return fh
    fh.close()
    return None


def _export_all(store: Any, fmt: str) -> Any:
    name = f"vnkg.{'trig' if fmt == 'trig' else 'nq'}"
    if fmt not in ("trig", "nquads"):
        abort(400, description="the whole dataset is exported as trig or nquads; "
              "give graph=IRI for turtle or ntriples")
    loaded = _as_loaded(store) if fmt == "trig" else None
    if loaded is not None:
        return send_file(loaded, mimetype=_TYPES["trig"], download_name=name, as_attachment=True,
                         conditional=True, etag="-".join(map(str, store.stamp)), last_modified=store.built)
    if fmt == "trig":  # the file holds graphs that are not served, or is not the one loaded
        with quiet_rdflib():
            body = serialize_dataset(store.dataset, _TYPES["trig"])
        return Response(body, mimetype=_TYPES["trig"],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    native = getattr(store.dataset, "written", None)  # pyoxigraph writes it (server.oxdataset)
    return Response(native("nquads") if native else _nquads(store.dataset, None), mimetype=_TYPES["nquads"],
                    headers={"Content-Disposition": 'attachment; filename="vnkg.nq"'})


def _export_graph(dataset: Dataset, name: URIRef, fmt: str) -> Response:
    native = getattr(dataset, "written", None)
    if native is not None:  # pyoxigraph writes it, in batches (server.oxdataset.OxDataset.written)
        return Response(native(fmt, str(name)), mimetype=_TYPES[fmt])
    if fmt in ("nquads", "ntriples"):
        lines = _nquads(dataset, name) if fmt == "ntriples" else (
            line[:-3] + f" {name.n3()} .\n".encode("utf-8") for line in _nquads(dataset, name))
        return Response(lines, mimetype=_TYPES[fmt])
    out: Graph = Dataset() if fmt == "trig" else Graph()
    bind_all(out)
    target = out.graph(name) if isinstance(out, Dataset) else out
    for triple in dataset.graph(name):
        target.add(triple)
    return Response(serialize_dataset(out, _TYPES[fmt]) if fmt == "trig" else
                    out.serialize(format=fmt, encoding="utf-8"), mimetype=_TYPES[fmt])


@blueprint.route("/health")
def health() -> Any:
    store, problem = _store(), current_app.extensions["kg"].get("problem")
    if not problem:
        return jsonify(status="ok", triples=store.triples)
    return jsonify(status="degraded", triples=store.triples, problem=problem,
                   serving=f"the last good load of {store.path.name} (built {store.built.isoformat()}, "
                           f"{store.triples:,} triples)")


@blueprint.route("/stats")
def stats() -> Any:
    store = _store()
    kinds = store.graph_kinds()
    graphs = [{"graph": iri, "kind": kinds.get(iri, "source"), "triples": n}
              for iri, n in store.graph_counts.items()]
    return jsonify(version=kg.__version__, dataset=store.path.name,
                   built=store.built.isoformat(), triples=store.triples, graphs=graphs)
