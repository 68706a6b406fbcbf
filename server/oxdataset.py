"""The served dataset in pyoxigraph, seen through the part of rdflib's Dataset API the pages use.

The entity pages, the search index and the export routes read a dataset with rdflib's
methods (``objects``, ``subjects``, ``subject_objects``, ``quads``, ``graphs``, ``graph``,
``len``, ``in``). :class:`OxDataset` gives those methods over a pyoxigraph ``Store`` whose
default graph is the union of its named graphs (:mod:`kg.store`), answering with rdflib terms,
so the same page code serves a dataset of any size without loading it into rdflib. It is
read-only. :func:`open_public` opens the file's store — the on-disk one beside a large file,
shared with `kg query`, or an in-memory one — keeping only the graphs meant to be public.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from kg import store as kg_store
from kg.export import write_atomic
from kg.store import to_oxigraph, to_rdflib
from kg.vocab import NAMESPACES

_DEFAULT = ox.DefaultGraph()
COUNTS = "vnkg-counts.json"


def _ox(term):
    return None if term is None else to_oxigraph(term)


class NamedGraph:
    """One named graph of an :class:`OxDataset`: iterable as rdflib triples, sized."""

    def __init__(self, store: ox.Store, identifier: URIRef) -> None:
        self.store, self.identifier = store, identifier

    def __iter__(self) -> Iterator[tuple]:
        for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(self.identifier))):
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)

    def __len__(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(self.identifier))))


class OxDataset:
    """A read-only, rdflib-like view of a pyoxigraph store (union default graph). Given the
    on-disk store's `folder`, a process forked from the one that opened it (a gunicorn
    worker) opens its own read-only handle: a RocksDB handle is never used across a fork."""

    def __init__(self, store: Optional[ox.Store], folder: Optional[Path] = None) -> None:
        self._store, self.folder = store, folder
        self._handles: dict[int, ox.Store] = {}
        self._size: Optional[int] = None

    @property
    def store(self) -> ox.Store:
        if self.folder is None:
            assert self._store is not None
            return self._store
        handle = self._handles.get(os.getpid())
        if handle is None:
            handle = self._handles[os.getpid()] = ox.Store.read_only(str(self.folder))
        return handle

    def release(self) -> None:
        """Close this process's handle on the on-disk store (before forking workers: a child
        must neither use nor destroy its parent's RocksDB handle; each opens its own)."""
        self._handles.pop(os.getpid(), None)

    def _triples(self, s, p, o) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(_ox(s), _ox(p), _ox(o), _DEFAULT)

    def objects(self, subject=None, predicate=None) -> Iterator:
        for q in self._triples(subject, predicate, None):
            yield to_rdflib(q.object)

    def subjects(self, predicate=None, object=None) -> Iterator:  # noqa: A002 - rdflib's name
        for q in self._triples(None, predicate, object):
            yield to_rdflib(q.subject)

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        for q in self._triples(None, predicate, None):
            yield to_rdflib(q.subject), to_rdflib(q.object)

    def iri_texts(self, predicate) -> Iterator[tuple[str, str]]:
        """(subject, object) as text — ``str`` of the rdflib terms — of the union's triples with
        `predicate` whose subject is an IRI; no rdflib term made (the search index reads 635,000
        labels at 100,000 articles)."""
        for q in self._triples(None, predicate, None):
            if isinstance(q.subject, ox.NamedNode):
                yield q.subject.value, q.object.value

    def quads(self, pattern: Sequence = (None, None, None, None)) -> Iterator[tuple]:
        """(s, p, o, graph IRI) in the named graphs (the union default graph left out)."""
        s, p, o, g = (*pattern, None)[:4]
        graph = None if g is None else ox.NamedNode(str(getattr(g, "identifier", g)))
        for q in self.store.quads_for_pattern(_ox(s), _ox(p), _ox(o), graph):
            if q.graph_name != _DEFAULT:
                yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), URIRef(q.graph_name.value)

    def predicate_counts(self, subject=None, object=None) -> dict:  # noqa: A002 - rdflib's name
        """{predicate: distinct triples of the union} with `subject` (or `object`) fixed,
        counted by the engine: a hub's million triples are never turned into rdflib terms."""
        # a term's N-Triples form (pyoxigraph's str) is valid SPARQL, escapes included
        pattern = f"{to_oxigraph(subject)} ?p ?y" if subject is not None else f"?y ?p {to_oxigraph(object)}"
        answer = self.store.query(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?p")
        return {URIRef(row[0].value): int(row[1].value) for row in answer}

    def subject_counts(self, predicate) -> Counter:
        """{subject (as text): triples of the union with `predicate`}, counted by the engine (the
        search's ranking by sources: 3.5 million `vnkg:mentionedIn` at 100,000 articles)."""
        answer = self.store.query(f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s {to_oxigraph(predicate)} ?o }} GROUP BY ?s")
        # written whole by pyoxigraph, which lets go of the GIL meanwhile (the search index reads
        # the labels beside it), as TSV: an IRI <…>, a blank node _:…, the count a bare integer
        lines = answer.serialize(format=ox.QueryResultsFormat.TSV).decode().split("\n")[1:]
        counts: Counter = Counter()
        for line in lines:
            if line:
                term, _, n = line.partition("\t")
                counts[term[1:-1] if term[0] == "<" else term[2:]] = int(n)
        return counts

    def graph_count(self, triple: tuple) -> int:
        """How many named graphs state the triple, counted by the engine."""
        s, p, o = map(to_oxigraph, triple)
        answer = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {s} {p} {o} }} }}")
        return int(next(iter(answer))[0].value)

    def rows(self, query: str) -> list[tuple]:
        """A SELECT over the union (the pages' own queries, small answers) as rows of rdflib terms."""
        answer = self.store.query(query)
        variables = answer.variables
        return [tuple(to_rdflib(row[v]) for v in variables) for row in answer]

    def graphs(self) -> Iterator[NamedGraph]:
        for name in sorted(g.value for g in self.store.named_graphs()):
            yield NamedGraph(self.store, URIRef(name))

    def graph(self, identifier) -> NamedGraph:
        return NamedGraph(self.store, URIRef(str(identifier)))

    def __contains__(self, triple: tuple) -> bool:
        return ox.Quad(*map(to_oxigraph, triple), _DEFAULT) in self.store

    def __len__(self) -> int:
        """Triples in the union (each once), counted once, by the engine (:func:`union_size`)."""
        if self._size is None:
            self._size = union_size(self.store)
        return self._size

    def written(self, fmt: str, graph: Optional[str] = None, batch: int = 50_000) -> Iterator[bytes]:
        """The named graphs in `fmt` ("nquads"), or the graph `graph` ("ntriples", "turtle",
        "trig"), written by pyoxigraph `batch` statements at a time — graph by graph in the
        order of their names, each in the store's order (the same for the same store), never
        a term in rdflib (at 100,000 articles the tenures graph as Turtle took 75 s through it).
        Each batch of Turtle or TriG states the project's prefixes again, as the syntax allows."""
        form = {"nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES,
                "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}[fmt]
        prefixes = {p: str(ns) for p, ns in NAMESPACES.items()} if fmt in ("turtle", "trig") else None
        names = [graph] if graph is not None else sorted(g.value for g in self.store.named_graphs())
        for name in names:
            quads = self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
            while chunk := list(islice(quads, batch)):
                if fmt in ("ntriples", "turtle"):
                    chunk = [q.triple for q in chunk]
                yield ox.serialize(chunk, format=form, prefixes=prefixes)
            quads = None  # see kg.store's UNSENDABLE: let go of on this thread

    def serialize(self, format: str = "trig", encoding: str = "utf-8") -> bytes:  # noqa: A002
        """The named graphs as TriG or N-Quads (what /export writes when it cannot send the file)."""
        fmt = ox.RdfFormat.N_QUADS if format in ("nquads", "nq") else ox.RdfFormat.TRIG
        quads = sorted((q for q in self.store if q.graph_name != _DEFAULT), key=str)
        return ox.serialize(quads, format=fmt)


def graph_counts(store: ox.Store, folder: Optional[Path] = None, stamp: Optional[dict] = None) -> dict[str, int]:
    """Triples per named graph; kept in the disk store's folder under the file's stamp (a count
    of ten million quads takes seconds: it is done once per version of the file)."""
    def count() -> dict[str, int]:
        answer = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return dict(sorted((row["g"].value, int(row["n"].value)) for row in answer))
    return _kept(folder, stamp, "counts", count)


def union_size(store: ox.Store, folder: Optional[Path] = None, stamp: Optional[dict] = None) -> int:
    """Triples of the union (each once), counted by the engine (32 million at 100,000 articles:
    13 s, where reading them into Python took 300 s) and kept like :func:`graph_counts`."""
    return _kept(folder, stamp, "union", lambda: int(next(iter(
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value))


def _kept(folder: Optional[Path], stamp: Optional[dict], key: str, count: Callable[[], Any]) -> Any:
    """`count()`, kept under `key` in the disk store's folder (beside what else is kept there
    for the same stamp of the file): counted once per version of the file."""
    kept = folder / COUNTS if folder is not None else None
    saved: dict = {}
    if kept is not None and kept.exists():
        try:
            saved = json.loads(kept.read_text())
        except ValueError:  # a file cut short: counted again
            saved = {}
        if saved.get("stamp") != stamp:
            saved = {}
        elif key in saved:
            return saved[key]
    value = count()
    if kept is not None:
        try:
            write_atomic(kept, [json.dumps({**saved, "stamp": stamp, key: value}).encode()])
        except OSError:
            pass  # a read-only store folder: count again next time
    return value


def open_public(path: Path, public: tuple[str, ...]) -> tuple[ox.Store, dict[str, int], tuple[str, ...], Optional[Path]]:
    """The file's store holding only graphs under `public`, their triple counts, the graphs
    left out, and the disk store's folder (None for a store in memory, which fork shares)."""
    store = kg_store.open_store(path)
    folder = kg_store.store_folder(path)
    on_disk = kg_store.is_current(path)  # open_store used the disk store, not memory
    names = sorted(g.value for g in store.named_graphs())
    dropped = tuple(n for n in names if not n.startswith(public))
    if dropped:  # rare: copy the public graphs into memory, with their own union
        kept = ox.Store()
        keep = [ox.NamedNode(n) for n in names if n.startswith(public)]
        kept.bulk_extend(kg_store.with_union(q for g in keep for q in store.quads_for_pattern(None, None, None, g)))
        return kept, graph_counts(kept), dropped, None
    if on_disk:
        return store, graph_counts(store, folder, kg_store.file_stamp(path)), (), folder
    return store, graph_counts(store), (), None
