"""The endpoint in front of another SPARQL server (`kg serve --store URL`).

:class:`RemoteEngine` is the :class:`server.engine.Engine` that sends each query, once it has
passed the same checks as everywhere (:func:`kg.store.checked`: valid SPARQL, no update, no
``SERVICE``), to the store's SPARQL query endpoint — Oxigraph server, Fuseki, Virtuoso,
GraphDB, Neptune — with the protocol's graph parameters, the query time limit as the
deadline, and the result cap applied while the answer is read. The store must answer over
the union of its named graphs as the default graph (``oxigraph serve --union-default-graph``,
Fuseki's ``tdb2:unionDefaultGraph true``), as `kg serve` does, and should hold only what may
be public. Redirects are not followed. A store that fails answers 502, one that is too slow 504.

:class:`RemoteDataset` gives the pages, the search and the statistics the same rdflib-like
read methods as :class:`server.oxdataset.OxDataset`, each by a small query through the engine.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Iterator, Optional, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError
from kg.results import QueryResult, capped, too_many_bytes
from kg.store import checked, to_rdflib

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class StoreFailed(QueryError):
    """The store behind the endpoint failed or could not be reached (502)."""

    status = 502


class StoreTimeout(QueryError):
    """The store did not answer within the query time limit (504)."""

    status = 504


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer we do not follow (it could point anywhere)


_OPENER = urllib.request.build_opener(_NoRedirect)


def _term(b: dict) -> Any:
    kind, value = b["type"], b["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in b:
        return Literal(value, lang=b["xml:lang"])
    datatype = b.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype and not datatype.endswith("#string") else None)


class RemoteEngine:
    """Queries sent to a SPARQL 1.1 query endpoint, checked first, under the time limit and cap."""

    name = "remote"

    def __init__(self, url: str, *, timeout: float = 10.0, max_results: Optional[int] = 100_000,
                 max_bytes: int = 0, **_: Any) -> None:
        self.url, self.timeout, self.max_results, self.max_bytes = url, timeout, max_results, max_bytes

    def query(self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: Optional[float] = None) -> QueryResult:
        kind = checked(text)
        graph_form = kind in ("ConstructQuery", "DescribeQuery")
        params = [("query", text), *(("default-graph-uri", g) for g in default_graphs),
                  *(("named-graph-uri", g) for g in named_graphs)]
        body = self._send(urlencode(params).encode(), NTRIPLES if graph_form else JSON, timeout or self.timeout)
        if graph_form:
            triples = (tuple(map(to_rdflib, (t.subject, t.predicate, t.object)))
                       for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            return QueryResult("DESCRIBE" if kind == "DescribeQuery" else "CONSTRUCT",
                               triples=capped(triples, self.max_results, "triples"))
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ASK", boolean=bool(data["boolean"]))
        names = tuple(data["head"].get("vars", ()))
        rows = ((tuple(_term(b[v]) if v in b else None for v in names)) for b in data["results"]["bindings"])
        return QueryResult("SELECT", vars=names, rows=capped(rows, self.max_results, "rows"))

    def _send(self, form: bytes, accept: str, timeout: float) -> bytes:
        request = urllib.request.Request(self.url, data=form, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        deadline = time.monotonic() + timeout
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                if response.status != 200:
                    raise StoreFailed(f"the store answered HTTP {response.status}")
                return self._read(response, deadline, timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip()
            raise (QueryError if exc.code == 400 else StoreFailed)(
                f"the store refused the query (HTTP {exc.code}): {detail}") from None
        except (socket.timeout, TimeoutError):
            raise StoreTimeout(f"the store did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise StoreFailed(f"the store at {self.url} cannot be reached ({getattr(exc, 'reason', exc)})") from None

    def _read(self, response: Any, deadline: float, timeout: float) -> bytes:
        """The store's answer, at most `max_bytes` of it (more: ResultTooLarge)."""
        chunks, size = [], 0
        while chunk := response.read(1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if self.max_bytes and size > self.max_bytes:
                raise too_many_bytes(self.max_bytes)
            if time.monotonic() > deadline:
                raise StoreTimeout(f"the store did not answer within {timeout:g} s")
        return b"".join(chunks)

    def start(self) -> None:
        """Nothing to start: the store runs elsewhere."""

    def close(self) -> None:
        """Nothing to release."""


def _n3(term: Any, var: str) -> str:
    return f"?{var}" if term is None else term.n3()


class RemoteDataset:
    """The rdflib-like read methods of :class:`server.oxdataset.OxDataset`, answered by the store."""

    def __init__(self, engine: RemoteEngine) -> None:
        self.engine = engine
        self._size: Optional[int] = None

    def _select(self, text: str) -> tuple:
        return self.engine.query(text).rows

    def objects(self, subject=None, predicate=None) -> Iterator:
        for (o,) in self._select(f"SELECT DISTINCT ?o WHERE {{ {_n3(subject, 's')} {_n3(predicate, 'p')} ?o }}"):
            yield o

    def subjects(self, predicate=None, object=None) -> Iterator:  # noqa: A002 - rdflib's name
        for (s,) in self._select(f"SELECT DISTINCT ?s WHERE {{ ?s {_n3(predicate, 'p')} {_n3(object, 'o')} }}"):
            yield s

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        yield from self._select(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {_n3(predicate, 'p')} ?o }}")

    def quads(self, pattern: Sequence = (None, None, None, None)) -> Iterator[tuple]:
        s, p, o, g = (*pattern, None)[:4]
        graph = _n3(None if g is None else URIRef(str(getattr(g, "identifier", g))), "g")
        rows = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {graph} {{ {_n3(s, 's')} {_n3(p, 'p')} {_n3(o, 'o')} }} "
                            f"BIND({graph} AS ?g) }}" if g is not None else
                            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {_n3(s, 's')} {_n3(p, 'p')} {_n3(o, 'o')} }} }}")
        for row in rows:
            values = dict(zip(("s", "p", "o", "g"), row))
            yield (s or values["s"], p or values["p"], o or values["o"], values["g"])

    def counts(self) -> dict[str, int]:
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return dict(sorted((str(g), int(n)) for g, n in rows))

    def graphs(self) -> Iterator["RemoteGraph"]:
        for name in self.counts():
            yield RemoteGraph(self, URIRef(name))

    def graph(self, identifier) -> "RemoteGraph":
        return RemoteGraph(self, URIRef(str(identifier)))

    def __contains__(self, triple: tuple) -> bool:
        return bool(self.engine.query("ASK { " + " ".join(t.n3() for t in triple) + " }").boolean)

    def __len__(self) -> int:
        if self._size is None:
            self._size = int(self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0])
        return self._size

    def serialize(self, format: str = "trig", encoding: str = "utf-8") -> bytes:  # noqa: A002
        """The named graphs as TriG or N-Quads, read from the store graph by graph."""
        out = []
        for graph in self.graphs():
            lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph)
            if format in ("nquads", "nq"):
                out += [f"{line} {graph.identifier.n3()} .\n" for line in lines]
            else:
                out.append(f"{graph.identifier.n3()} {{\n" + "".join(f"{line} .\n" for line in lines) + "}\n")
        return "".join(out).encode("utf-8")


class RemoteGraph:
    def __init__(self, dataset: RemoteDataset, identifier: URIRef) -> None:
        self.dataset, self.identifier = dataset, identifier

    def __iter__(self) -> Iterator[tuple]:
        for s, p, o, _ in self.dataset.quads((None, None, None, self.identifier)):
            yield s, p, o

    def __len__(self) -> int:
        return self.dataset.counts().get(str(self.identifier), 0)
