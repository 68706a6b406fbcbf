"""A built dataset in pyoxigraph, for `kg query` and `kg export` at native speed.

Takes the TriG file `kg build` wrote; gives a pyoxigraph ``Store`` holding it. A small file
is loaded into memory on each call; a large one (over the ``store_cache_mb`` setting) once
into an on-disk store beside it (``kg.trig.oxigraph/``), reused while the file's size and
modification time are unchanged, rebuilt (in a temporary folder, then renamed) when not.

Queries go through :func:`kg.sparql.prepare` first — the same checks as everywhere:
malformed text, updates and ``SERVICE`` are refused before pyoxigraph sees the query.
pyoxigraph never dereferences an IRI: ``FROM <x>`` names a graph of the store (empty when
there is none), it never loads anything. The default graph is the union of all graphs (as a
set of triples, stored once at load time; see :func:`_load`).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .. import config
from ..errors import KgError, QueryError
from ..results import QueryResult, capped

_FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
            "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}
STAMP = "vnkg-stamp.json"


def open_store(path: Path, overrides: dict | None = None, *, writable: bool = False) -> ox.Store:
    """The dataset file as a store: in memory when small, else the on-disk store beside it
    (read-only unless `writable`: only `kg add` writes to it, and it holds the file's lock
    already; a reader takes the lock shared while it opens)."""
    path = Path(path)
    if not path.exists():
        raise KgError(f"{path}: no such file; build it first with `kg build`")
    with contextlib.nullcontext() if writable else locked(path, exclusive=False):
        if path.stat().st_size <= float(config.get("store_cache_mb", overrides)) * 1024 * 1024:
            store = ox.Store()
            _load(store, path, overrides)
            return store
        folder = disk_store(path, overrides)
    return ox.Store(str(folder)) if writable else ox.Store.read_only(str(folder))


@contextlib.contextmanager
def locked(path: Path, exclusive: bool = True) -> Iterator[None]:
    """Hold the lock of a dataset file (an flock on the file itself): `kg add` holds it
    exclusively while it appends to the file and its store; a reader opening them holds it
    shared, so it never sees half an addition. `kg build` needs no lock: it renames a whole
    new file into place, which readers then open."""
    fd = os.open(Path(path), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def _load(store: ox.Store, path: Path, overrides: dict | None = None) -> None:
    """The file's named graphs, and their union (a set: each triple once) as the default graph.

    pyoxigraph's own union mode matches a triple once per graph holding it, so a label
    repeated in a thousand source graphs would multiply every join by a thousand; a real
    default graph gives SPARQL's set semantics and lets the joins run at native speed. One
    pass over the file gives each quad and its default-graph copy (measured on 1,000
    articles: 23 s, against 45 s for a bulk load followed by one union update per graph)."""
    fmt = ox.RdfFormat.N_QUADS if path.suffix == ".nq" else ox.RdfFormat.TRIG
    batch = max(1, int(config.get("store_load_batch", overrides)))
    quads = with_union(ox.parse(path=str(path), format=fmt))
    try:
        for first in quads:  # one bulk load per `batch` quads: the loader sorts each in memory
            store.bulk_extend(chain((first,), islice(quads, batch - 1)))
    except SyntaxError as exc:
        raise KgError(f"{path}: not a dataset kg can read ({exc})") from exc


def _bulk_load(store: ox.Store, path: Path, union: Path, overrides: dict | None = None) -> None:
    """The dataset file's named graphs and, as the default graph, the `union` file (every graph's
    statements in default-graph blocks, a triple as often as graphs hold it): the store's bulk
    loader, which parses and sorts in its own threads, no quad passing through Python, called on
    pieces of ``store_load_piece_mb`` (:func:`kg.graph.trig.pieces`), or on each file whole past
    ``store_load_whole_mb`` (:func:`piece_bytes`) — its memory grows with what one call reads, up to
    pyoxigraph's batches of a million quads (the 253 MB file of 10,000 generated articles in one
    call: 1.7 GiB; in pieces of 16 MiB: 0.43 GiB, for a quarter more time; `benchmarks/loader.py`;
    both files of 100,000 whole at once: 3.6 GiB, `benchmarks/store_load.py`). The two files load at once,
    each from a thread of its own: one loader alone keeps 1.6 of 2 cores busy, the two together
    nearly both, for more memory and more compaction after (`benchmarks/store_load.py`: 10,000
    articles 66.4 → 55.7 s, 517 → 744 MiB; 100,000 articles 731 → 709 s, 874 → 1,382 MiB).
    :func:`_load` reads any dataset file, and is used where no union file was written."""
    from concurrent.futures import ThreadPoolExecutor
    size = piece_bytes(path, overrides)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-load") as loaders:
        for done in [loaders.submit(_load_file, store, file, size) for file in (path, union)]:
            try:
                done.result()
            except SyntaxError as exc:
                raise KgError(f"{path}: not a dataset kg can read ({exc})") from exc


def piece_bytes(path: Path, overrides: dict | None = None) -> int:
    """The pieces the bulk loader reads the dataset file `path` and its union in (0: each whole):
    ``store_load_piece_mb``, or whole past ``store_load_whole_mb``. Each call of the loader ends
    by putting what it sorted into the store's first level, which the store merges into the levels
    below as they fill, so a piece at a time costs more merging the larger the store grows: at
    100,000 generated articles the compactions took 605 of the 1,227 CPU seconds in pieces of
    16 MiB, 197 of 1,156 whole (`benchmarks/store_load.py --piece-mb`); at 10,000, 44 of 110."""
    whole = float(config.get("store_load_whole_mb", overrides))
    if whole > 0 and Path(path).stat().st_size > whole * 1024 * 1024:
        return 0
    mb = float(config.get("store_load_piece_mb", overrides))
    return max(1, int(mb * 1024 * 1024)) if mb > 0 else 0


def _load_file(store: ox.Store, file: Path, size: int) -> None:
    """One TriG file into `store` by the bulk loader, in pieces of about `size` bytes (0: whole)."""
    from ..graph.trig import pieces
    if size and file.stat().st_size > size:
        try:
            for piece in pieces(file, size):
                store.bulk_load(piece, format=ox.RdfFormat.TRIG)
            return
        except SyntaxError:  # a piece ended inside a graph (see `pieces`): the file whole, its quads a set
            pass
    store.bulk_load(path=str(file), format=ox.RdfFormat.TRIG)


def with_union(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad of a named graph and its copy in the default graph (triples outside any
    named graph are dropped: the default graph is the union of the named ones)."""
    default, quad = ox.DefaultGraph(), ox.Quad
    for q in quads:
        if q.graph_name != default:
            yield q
            yield quad(q.subject, q.predicate, q.object, default)


def file_stamp(path: Path) -> dict:
    st = path.stat()
    return {"file": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def store_folder(path: Path) -> Path:
    return path.with_name(path.name + ".oxigraph")


def restamp(path: Path) -> None:
    """Record that the disk store beside `path` holds the file as it is now (after `kg add`
    changed both)."""
    folder = store_folder(path)
    if folder.is_dir():
        (folder / STAMP).write_text(json.dumps(file_stamp(path)))


def held(folder: Path) -> Optional[dict]:
    """The stamp of the file the on-disk store in `folder` holds (what `kg build` and `kg add`
    wrote there), or None when there is none to read."""
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def is_current(path: Path) -> bool:
    """Whether the disk store beside `path` holds the file as it is now (its stamp matches)."""
    return held(store_folder(path)) == file_stamp(path)


def disk_store(path: Path, overrides: dict | None = None, union: Path | None = None,
               seconds: dict[str, float] | None = None) -> Path:
    """The folder of the disk store of `path`, (re)built first unless it is current (`kg build`
    makes it as its last stage when the file is over ``store_cache_mb``, given the `union` of
    its graphs, written beside it: see :func:`_bulk_load`). The seconds spent loading and
    compacting (``load``, ``optimize``) are put in `seconds` if given."""
    folder = store_folder(path)
    if is_current(path):
        return folder
    tmp = path.with_name(f".{path.name}.oxigraph.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    store = ox.Store(str(tmp))
    started = time.perf_counter()
    if union is not None and union.is_file():
        _bulk_load(store, path, union, overrides)
    else:
        _load(store, path, overrides)
    store.flush()
    loaded = time.perf_counter()
    store.optimize()
    if seconds is not None:
        seconds.update(load=loaded - started, optimize=time.perf_counter() - loaded)
    del store
    (tmp / STAMP).write_text(json.dumps(file_stamp(path)))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def checked(text: str) -> str:
    """The query's form (SelectQuery, …), once it passed :func:`kg.sparql.prepare`: valid
    SPARQL 1.1, no update, and no SERVICE under any engine's reading of the text (pyoxigraph
    would make the HTTP request of a SERVICE clause). A pure function of the text: memoised."""
    return _read(text)[0]


def row_limit(text: str) -> Optional[int]:
    """The most rows a checked SELECT's outermost LIMIT lets through, as rdflib reads it (None:
    no LIMIT, or not a SELECT). Memoised with :func:`checked`."""
    return _read(text)[1]


@lru_cache(maxsize=256)
def _read(text: str) -> tuple[str, Optional[int]]:
    from ..sparql import prepare
    algebra = prepare(text).algebra
    top = algebra.get("p") if algebra.name == "SelectQuery" else None
    limit = top.get("length") if getattr(top, "name", None) == "Slice" else None
    return algebra.name, (int(limit) if isinstance(limit, int) else None)


def protocol_dataset(default_graphs: Sequence[str], named_graphs: Sequence[str]) -> dict:
    """pyoxigraph's query arguments for the protocol's graphs, which replace the query's FROM
    and FROM NAMED when either is given (none given: the store's own dataset)."""
    if not (default_graphs or named_graphs):
        return {}
    return {"default_graph": [ox.NamedNode(g) for g in default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs]}


def query(store: ox.Store, text: str, max_results: int | None = None, default_graphs: Sequence[str] = (),
          named_graphs: Sequence[str] = (), *, plain: bool = False) -> QueryResult:
    """Run one read-only query (checked by :func:`checked`) on the store. Graphs given by the
    protocol (`default_graphs`, `named_graphs`) replace the query's FROM and FROM NAMED.
    `plain`: each term as the text a table prints (an IRI, a blank node's label, a literal's
    lexical form), not an rdflib term — a tenth of the cost of a typed literal."""
    kind = checked(text)
    answer = None
    try:
        answer = store.query(text, base_iri=config.get("base_iri"), **protocol_dataset(default_graphs, named_graphs))
        return _materialise(answer, kind, max_results, _plain if plain else _converter())
    except ENGINE_ERRORS as exc:
        raise QueryError(f"query failed: {exc}") from exc
    finally:
        answer = None  # see UNSENDABLE


# UNSENDABLE: pyoxigraph's answers must be dropped on the thread that made them. An exception
# leaving a frame that holds one keeps it in a reference cycle (traceback → frame → the caught
# error → its traceback), which the garbage collector may then break on another thread, where
# dropping it raises "unsendable" into whatever that thread was doing; the frames that hold an
# answer let go of it before an exception leaves them.

# what pyoxigraph raises when a query cannot be evaluated (syntax, store, an unbound SERVICE
# variable, a bad argument), while it is parsed or while its answer is read
ENGINE_ERRORS = (SyntaxError, OSError, ValueError, RuntimeError)


def _materialise(answer, kind: str, max_results: int | None, convert) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = answer.variables
        rows_of = (tuple(convert(row[v]) for v in variables) for row in answer)
        try:
            rows = capped(rows_of, max_results, "rows")
        finally:
            rows_of.close()  # see UNSENDABLE
            answer = None
        return QueryResult("SELECT", vars=tuple(v.value for v in variables), rows=rows)
    triples_of = ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer)
    try:
        triples = capped(triples_of, max_results, "triples")
    finally:
        triples_of.close()
        answer = None
    return QueryResult("DESCRIBE" if kind == "DescribeQuery" else "CONSTRUCT", triples=triples)


def _converter():
    """`to_rdflib` with a memo for one result: labels and IRIs repeat across its rows."""
    memo: dict = {}

    def convert(term):
        found = memo.get(term)
        if found is None and term is not None:
            found = memo[term] = to_rdflib(term)
        return found
    return convert


def _plain(term) -> Optional[str]:
    return None if term is None else term.value


def to_rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value) if dt == "http://www.w3.org/2001/XMLSchema#string" else Literal(term.value, datatype=URIRef(dt))


def export(path: Path, fmt: str, graph: str | None = None, overrides: dict | None = None) -> bytes:
    """The dataset (or one named graph) in `fmt` (trig, turtle, nt, nquads, json-ld), sorted so
    that the same dataset always gives the same bytes. TriG of the whole dataset is the file."""
    from ..export import format_name
    from ..vocab import NAMESPACES
    fmt = format_name(fmt)
    if fmt == "trig" and graph is None and Path(path).suffix == ".trig":
        return Path(path).read_bytes()
    store = open_store(path, overrides)
    if graph is not None:
        quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        if not quads:
            names = ", ".join(sorted(g.value for g in store.named_graphs()))
            raise KgError(f"no graph named {graph!r}; the dataset has: {names}")
    elif fmt in ("turtle", "nt", "json-ld"):  # one graph: the union, held as the default graph
        quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    else:
        quads = [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]
    quads = _canonical_blank_nodes(quads)
    if fmt in ("turtle", "nt", "json-ld"):
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    else:
        items = sorted(quads, key=str)
    prefixes = {p: str(ns) for p, ns in NAMESPACES.items()} if fmt in ("trig", "turtle", "json-ld") else None
    return ox.serialize(items, format=_FORMATS[fmt], prefixes=prefixes)


def run_query(graph: Path, text_or_name: str, fmt: str = "table", overrides: dict | None = None,
              keep: bool = True) -> bytes:
    """`kg query` on pyoxigraph: the query text (or @file, or a competency question's name) in
    `fmt`; the answer kept until the dataset changes (:mod:`kg.answers`) unless not `keep`."""
    from ..answers import answer
    from ..query import query_text
    text = query_text(text_or_name)
    compute = lambda: answer_bytes(open_store(graph, overrides), text, fmt, config.get("max_results", overrides))
    return answer(graph, text, fmt, compute, overrides) if keep else compute()


def answer_bytes(store: ox.Store, text: str, fmt: str, max_results: int | None) -> bytes:
    """The query's answer as `kg query` prints it in `fmt`. A SELECT is never turned into rdflib
    terms: in a SPARQL results format pyoxigraph writes it (:mod:`kg.store.native`, under the
    same exact row cap), as a table it is printed from pyoxigraph's terms; other forms (small,
    or graphs written with prefixes) go through rdflib terms and :func:`kg.query.render`."""
    from ..query import render
    from ..results import media_type_for
    from . import native
    select = checked(text) == "SelectQuery"
    if select and fmt != "table":
        media_type = media_type_for(fmt)
        if media_type in native.FORMATS:
            written = native.select_bytes(store, text, media_type, max_results, rows_at_most=row_limit(text))
            if written is not None:
                return written  # else it may pass the cap: its rows are counted one by one below
    return render(query(store, text, max_results, plain=select and fmt == "table"), fmt)


def _canonical_blank_nodes(quads: list) -> list:
    """The quads with blank nodes (the ontology's lists) relabelled canonically, graph by graph,
    so an export does not change with the labels a load happened to give them."""
    from collections import defaultdict
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph
    plain, blank = [], defaultdict(list)
    for q in quads:
        if any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object)):
            blank[q.graph_name].append(q)
        else:
            plain.append(q)
    for graph_name, group in blank.items():
        g = Graph()
        for q in group:
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        for t in to_canonical_graph(g):
            plain.append(ox.Quad(*map(to_oxigraph, t), graph_name))
    return plain


def to_oxigraph(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
