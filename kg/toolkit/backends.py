"""Where the notebook API's queries run: a dataset file's store, or a SPARQL endpoint over HTTP.

:class:`FileBackend` runs a query on the file's pyoxigraph store (:func:`kg.store.open_store`:
in memory for a small file, the on-disk store beside a large one; never an rdflib copy),
opened again when the file changes, and reads a SELECT's answer through pyoxigraph's TSV
writer, the fastest way out of the engine. Its public view holds only the graphs the server
would serve (under ``graph_base`` or ``public_graphs``). :class:`EndpointBackend` posts the
query to a SPARQL 1.1 query endpoint (``kg serve``'s ``/sparql``, Oxigraph, Fuseki …) and
reads the SPARQL JSON results format; the endpoint decides what is public. Both check the
query first as everywhere (:func:`kg.store.checked`: valid SPARQL, no update, no SERVICE)
and return a :class:`kg.toolkit.rows.Result`.
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox

from .. import __version__, config
from ..errors import KgError, QueryError
from ..results import capped
from .rows import Column, Labels, Result
from ..store import ENGINE_ERRORS, checked, file_stamp, held, is_current, open_store, store_folder, with_union
from .terms import from_json_key, from_oxigraph, from_text, json_key

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TRIPLE = ("subject", "predicate", "object")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def public_prefixes(overrides: Optional[dict] = None) -> tuple[str, ...]:
    """IRI prefixes of the graphs the server serves: ``graph_base`` and ``public_graphs``."""
    return (str(config.get("graph_base", overrides)), *str(config.get("public_graphs", overrides) or "").split())


def boolean_result(answer: bool) -> Result:
    return Result([Column.single("boolean", (answer, "boolean", "true" if answer else "false"))], boolean=answer)


def terms_result(names: Sequence[str], rows: Iterable[tuple], labels: Optional[Labels]) -> Result:
    """A Result of rows of pyoxigraph terms (a CONSTRUCT's triples)."""
    rows = list(rows)
    raw = list(zip(*rows)) or [() for _ in names]
    return Result([Column.of(n, list(r), from_oxigraph) for n, r in zip(names, raw)], labels)


def tsv_result(data: bytes, cap: Optional[int], labels: Optional[Labels]) -> Result:
    """A Result of SPARQL TSV results: a header line, then a line per row, every cell a term in
    Turtle syntax (tabs and line breaks inside a term are escaped, so the whole answer is cut
    into cells at once)."""
    text = data.decode("utf-8")
    header, _, body = text.partition("\n")
    names = [h[1:] for h in header.split("\t")] if header else []
    count = body.count("\n")
    if cap and count > cap:
        capped(range(count), cap, "rows")  # raises ResultTooLarge
    cells = body[:-1].replace("\n", "\t").split("\t") if count else []
    width = len(names)
    if width and len(cells) != count * width:
        raise QueryError(f"the engine's answer has {len(cells)} cells for {count} rows of {width} columns")
    return Result([Column.of(n, cells[i::width], from_text) for i, n in enumerate(names)], labels)


def _evaluate(store: ox.Store, text: str, base_iri: str, max_results: Optional[int],
              labels: Optional[Labels]) -> Result:
    """The store's answer as a Result. The engine's answer lives in this frame alone: the
    caller's frame may outlive its call in a reference cycle (the query parser's exceptions
    keep their frames and those frames' callers), and pyoxigraph's answer must be dropped in
    the thread that made it, not by a garbage collection that runs in another thread."""
    answer = store.query(text, base_iri=base_iri)
    try:  # an error's traceback keeps this frame: let go of the answer whatever happens
        if isinstance(answer, ox.QueryBoolean):
            return boolean_result(bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            return tsv_result(answer.serialize(format=ox.QueryResultsFormat.TSV), max_results, labels)
        triples = capped(((t.subject, t.predicate, t.object) for t in answer), max_results, "triples")
        return terms_result(TRIPLE, triples, labels)
    finally:
        del answer


class FileBackend:
    """Queries on a dataset file's store, opened again whenever the file changes."""

    def __init__(self, path: Path, overrides: Optional[dict] = None) -> None:
        self.path, self.overrides = Path(path), overrides
        self._store: Optional[ox.Store] = None
        self._public: Optional[ox.Store] = None
        self._stamp: Optional[dict] = None

    def __repr__(self) -> str:
        return str(self.path)

    def store(self) -> ox.Store:
        try:
            stamp = file_stamp(self.path)
        except OSError:
            raise KgError(f"{self.path}: no such file; build it first with `kg build`") from None
        if self._store is None or stamp != self._stamp:
            self._store, self._public, self._stamp = open_store(self.path, self.overrides), None, stamp
        return self._store

    def version(self) -> Optional[dict]:
        """The file's stamp (size, modification time) as the store now holds it."""
        self.store()
        return self._stamp

    def public_store(self) -> ox.Store:
        """The store as the server serves it: only graphs under the public prefixes (a copy in
        memory in the rare case the file holds others)."""
        store = self.store()
        if self._public is None:
            prefixes = public_prefixes(self.overrides)
            names = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
            if all(g.value.startswith(prefixes) for g in names):
                self._public = store
            else:
                self._public = ox.Store()
                keep = [g for g in names if g.value.startswith(prefixes)]
                self._public.bulk_extend(with_union(q for g in keep for q in store.quads_for_pattern(None, None, None, g)))
        return self._public

    def search_keep(self) -> Optional[tuple[Path, Callable[[], Any]]]:
        """Where the search index is kept, as the server keeps it: the on-disk store's folder
        (:data:`kg.toolkit.search.KEPT`, under the stamp of the file it holds) when the store is
        current and serves every graph; None otherwise (a file held in memory, private graphs)."""
        from .search import KEPT
        if self.public_store() is not self.store() or not is_current(self.path):
            return None
        folder = store_folder(self.path)
        return folder / KEPT, lambda: held(folder)

    def run(self, text: str, max_results: Optional[int] = None, labels: Optional[Labels] = None,
            public: bool = False) -> Result:
        checked(text)
        store = self.public_store() if public else self.store()
        try:
            return _evaluate(store, text, config.get("base_iri", self.overrides), max_results, labels)
        except ENGINE_ERRORS as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def labels(self, public: bool = False) -> list[tuple[str, str, str]]:
        """(IRI, label, language) of every rdfs:label in the dataset (`public`: in its public
        graphs), read off the store's index."""
        store = self.public_store() if public else self.store()
        return [(q.subject.value, q.object.value, q.object.language or "")
                for q in store.quads_for_pattern(None, _LABEL, None, ox.DefaultGraph())
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)]

    def close(self) -> None:
        self._store = self._public = self._stamp = None


class EndpointBackend:
    """Queries posted to a SPARQL 1.1 query endpoint (form-encoded, SPARQL JSON results)."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url, self.timeout = url, timeout

    def __repr__(self) -> str:
        return self.url

    def run(self, text: str, max_results: Optional[int] = None, labels: Optional[Labels] = None,
            public: bool = False) -> Result:
        form = checked(text)
        if form in ("ConstructQuery", "DescribeQuery"):
            body = self._post(text, NTRIPLES)
            try:
                triples = [(t.subject, t.predicate, t.object) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
            except SyntaxError as exc:
                raise KgError(f"{self.url} answered something that is not N-Triples ({exc})") from None
            return terms_result(TRIPLE, capped(triples, max_results, "triples"), labels)
        data = self._json(self._post(text, JSON))
        if "boolean" in data:
            return boolean_result(bool(data["boolean"]))
        names = list(data["head"].get("vars", ()))
        bindings = capped(data["results"]["bindings"], max_results, "rows")
        return Result([Column.of(n, [json_key(b.get(n)) for b in bindings], from_json_key) for n in names], labels)

    def _json(self, body: bytes) -> dict:
        try:
            data = json.loads(body)
            if "boolean" not in data:
                data["head"], data["results"]["bindings"]  # noqa: B018 - the parts read later
            return data
        except (ValueError, KeyError, TypeError):
            raise KgError(f"{self.url} answered something that is not SPARQL JSON results: "
                          f"{body[:200].decode('utf-8', 'replace')!r}") from None

    def _post(self, text: str, accept: str) -> bytes:
        request = urllib.request.Request(self.url, data=urlencode({"query": text}).encode(), method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
            "User-Agent": f"vnkg/{__version__} (kg.toolkit.api)"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace").strip()
            raise (QueryError if exc.code == 400 else KgError)(
                f"{self.url} refused the query (HTTP {exc.code}): {detail}") from None
        except (socket.timeout, TimeoutError):
            raise KgError(f"{self.url} did not answer within {self.timeout:g} s (kg.open(..., timeout=…))") from None
        except (urllib.error.URLError, OSError) as exc:
            raise KgError(f"{self.url} cannot be reached ({getattr(exc, 'reason', exc)})") from None

    def version(self) -> None:
        """An endpoint's data may change at any time: nothing to tell versions apart by."""

    def close(self) -> None:
        """Nothing to release."""


def backend(source: Any, overrides: Optional[dict] = None, timeout: float = 60.0) -> Any:
    """The backend for a dataset file's path or an endpoint's http(s) URL."""
    text = str(source)
    if text.startswith(("http://", "https://")):
        return EndpointBackend(text, timeout)
    return FileBackend(Path(source), overrides)
