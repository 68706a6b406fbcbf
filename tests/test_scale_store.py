"""`kg query` and `kg export` on pyoxigraph: the same answers as rdflib's engine, the same
refusals, FROM that never loads, a disk store reused while the file is unchanged."""
from __future__ import annotations


import pytest
from rdflib import Graph

from kg import config
from kg.cli import main
from kg.errors import QueryError
from kg.export import load
from kg.query import query_text
from kg.sparql import run as rdflib_run
from kg.store import export, open_store, query

CQS = sorted(p.stem for p in config.CQ_DIR.glob("*.rq"))


@pytest.fixture(scope="module")
def store(seeds_build):
    return open_store(seeds_build)


@pytest.fixture(scope="module")
def rdflib_ds(seeds_build):
    ds = load(seeds_build)
    ds.default_union = True
    return ds


@pytest.mark.parametrize("cq", CQS, ids=CQS)
def test_competency_questions_answer_as_rdflib_does(store, rdflib_ds, cq):
    ours, theirs = query(store, query_text(cq)), rdflib_run(rdflib_ds, query_text(cq))
    assert ours.vars == theirs.vars
    assert sorted(map(repr, ours.rows)) == sorted(map(repr, theirs.rows))


def test_from_never_loads_a_file(store, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    for text in (f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                 f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        assert query(store, text).rows == ()


REFUSED = [
    ("service", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    ("service-escaped", "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    ("service-silent", "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    ("insert", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"),
    ("load", "LOAD <file:///etc/hostname>"),
    ("malformed", "SELEC ?s WHERE { ?s ?p ?o }"),
]


@pytest.mark.parametrize("name, text", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_before_pyoxigraph_sees_it(store, name, text):
    with pytest.raises(QueryError):
        query(store, text)


def test_cli_query_defaults_to_pyoxigraph_and_refuses_service(seeds_build, capsys):
    assert main(["query", "-g", str(seeds_build), "members", "-f", "csv"]) == 0
    ours = capsys.readouterr().out.splitlines()
    assert main(["query", "-g", str(seeds_build), "members", "-f", "csv", "--engine", "rdflib"]) == 0
    assert sorted(ours) == sorted(capsys.readouterr().out.splitlines())
    assert main(["query", "-g", str(seeds_build), REFUSED[0][1]]) == 2


FORMATS = ["nt", "nquads", "turtle", "json-ld"]


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMATS)
def test_export_is_deterministic_and_complete(seeds_build, fmt):
    data = export(seeds_build, fmt)
    assert data == export(seeds_build, fmt)
    if fmt == "nquads":
        assert len(data.splitlines()) == sum(len(g) for g in load(seeds_build).graphs())
    else:
        g = Graph().parse(data=data, format={"nt": "nt", "turtle": "turtle", "json-ld": "json-ld"}[fmt])
        union = Graph()
        for x in load(seeds_build).graphs():
            for t in x:
                union.add(t)
        assert len(g) == len(union)


def test_export_of_the_whole_dataset_as_trig_is_the_file(seeds_build):
    assert export(seeds_build, "trig") == seeds_build.read_bytes()


def test_a_large_dataset_gets_a_disk_store_reused_until_the_file_changes(seeds_build, tmp_path):
    copy = tmp_path / "kg.trig"
    copy.write_bytes(seeds_build.read_bytes())
    small = {"store_cache_mb": 0}
    first = query(open_store(copy, small), query_text("members"))
    folder = tmp_path / "kg.trig.oxigraph"
    stamp = (folder / "vnkg-stamp.json").read_text()
    assert query(open_store(copy, small), query_text("members")) == first
    copy.write_bytes(seeds_build.read_bytes() + b"\n")
    open_store(copy, small)
    assert (folder / "vnkg-stamp.json").read_text() != stamp


@pytest.mark.parametrize("make", [True, False], ids=["made-by-the-build", "no-store"])
def test_the_build_makes_the_disk_store_of_a_large_dataset(tmp_path, make):
    """Over `store_cache_mb` the build's last stage makes the on-disk store, stamped current, so
    the first query opens it rather than loading the file; `--no-store` leaves it to that query."""
    from kg.pipeline import build
    from kg.store import is_current
    out, lines = tmp_path / "kg.trig", []
    build([config.PACKAGE_DIR.parent / "seeds"], out, log=lines.append, overrides={"store_cache_mb": 0},
          disk_store=make)
    assert is_current(out) == make
    assert any(line.startswith("store: ") for line in lines) == make
    assert not list(tmp_path.glob(".kg.trig.union.*"))  # the union the store's loader read is gone
    if make:
        stamp = (tmp_path / "kg.trig.oxigraph" / "vnkg-stamp.json").read_text()
        assert query(open_store(out, {"store_cache_mb": 0}), query_text("members")).rows
        assert (tmp_path / "kg.trig.oxigraph" / "vnkg-stamp.json").read_text() == stamp  # opened, not rebuilt


@pytest.mark.parametrize("loader,piece_mb,whole_mb", [("bulk", 16, 1024), ("bulk", 0.005, 1024), ("bulk", 0.005, 0.001),
                                                     ("bulk", 0, 0), ("batched", 16, 1024)],
                         ids=["bulk", "bulk-in-small-pieces", "bulk-whole-past-its-size", "bulk-whole", "batched"])
def test_the_store_the_build_loads_holds_what_the_file_does(tmp_path, loader, piece_mb, whole_mb):
    """The build's store, bulk-loaded from the file and the union it wrote beside it, in one
    piece or in many, or each whole (past ``store_load_whole_mb``, or with pieces of 0), or
    loaded in batches through Python, holds the quads of the file read quad by quad, its
    default graph (the union) included."""
    import pyoxigraph as ox
    from kg.pipeline import build
    from kg.store import _load
    out = tmp_path / "kg.trig"
    build([config.PACKAGE_DIR.parent / "seeds"], out, log=lambda line: None,
          overrides={"store_cache_mb": 0, "store_loader": loader, "store_load_batch": 5000,
                     "store_load_piece_mb": piece_mb, "store_load_whole_mb": whole_mb})
    built, read = ox.Store.read_only(str(tmp_path / "kg.trig.oxigraph")), ox.Store()
    _load(read, out)
    named = lambda store: sorted(str(q) for q in store if "_:" not in str(q))  # noqa: E731 - blank labels differ per load
    default = lambda store: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # noqa: E731
    assert named(built) == named(read) and len(built) == len(read)
    assert default(built) == default(read) > 1000


def test_the_store_loaded_in_small_batches_holds_the_same_quads(seeds_build, tmp_path):
    """`store_load_batch` bounds what the bulk loader sorts at once; the store is the same,
    default graph (the union) included, whatever the batch."""
    import shutil

    from kg.store import disk_store
    import pyoxigraph as ox
    named = lambda store: sorted(str(q) for q in store if "_:" not in str(q))  # noqa: E731 - blank labels differ per load
    whole = open_store(seeds_build)
    copy = tmp_path / "kg.trig"
    shutil.copy(seeds_build, copy)
    small = ox.Store.read_only(str(disk_store(copy, {"store_load_batch": 7})))
    assert named(small) == named(whole) and len(small) == len(whole) and len(named(whole)) > 1000


def test_an_unknown_store_loader_is_refused_before_anything_is_read(tmp_path):
    from kg.errors import ConfigError
    from kg.pipeline import build
    with pytest.raises(ConfigError, match="store_loader"):
        build([config.PACKAGE_DIR.parent / "seeds"], tmp_path / "kg.trig", log=lambda line: None,
              overrides={"store_loader": "fast"})
    assert not list(tmp_path.iterdir())


def test_an_answer_is_dropped_on_the_thread_that_made_it_when_the_query_fails(seeds_build):
    """pyoxigraph's answers must be dropped on their own thread: a query failing past its cap
    leaves none for the garbage collector to drop elsewhere, even while its error is kept."""
    import gc
    import sys
    import threading
    from kg.errors import KgError
    store, kept, unraisable = open_store(seeds_build), [], []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append

    def ask():
        try:
            query(store, "SELECT * WHERE { ?s ?p ?o }", max_results=1)
        except KgError as exc:
            kept.append(exc)  # the error (and its traceback) outlive the thread
    try:
        thread = threading.Thread(target=ask)
        thread.start()
        thread.join()
        assert kept
        kept.clear()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert not [u for u in unraisable if "unsendable" in str(u.exc_value)]


def _named(quads) -> set:
    """The quads (or triples) without blank nodes, whose labels differ from one reading to the next."""
    import pyoxigraph as ox
    return {q for q in quads if not any(isinstance(t, ox.BlankNode) for t in q)}


def _quads(data: bytes) -> set:
    import pyoxigraph as ox
    return set(ox.parse(data, format=ox.RdfFormat.TRIG))


def test_a_dataset_file_comes_in_pieces_of_whole_graphs(seeds_build, tmp_path):
    """Each piece is a TriG document of its own (the header, then graph blocks; a large graph in
    several) of about the size asked; together they hold the file's quads. The union file the writer tees beside it comes
    in pieces the same way, every triple in the default graph."""
    import pyoxigraph as ox
    from kg.graph.trig import pieces, write
    data = seeds_build.read_bytes()
    head, blocks = data[:data.index(b"\n\n") + 1], data[data.index(b"\n\n") + 1:].split(b"\n}\n")
    blocks = [b + b"\n}\n" for b in blocks if b.strip()]
    out, union = tmp_path / "kg.trig", tmp_path / "union.trig"
    write(out, head.decode().splitlines(), blocks, union)
    assert out.read_bytes() == data
    parts = list(pieces(out, 4096))
    assert len(parts) > 3 and all(p.startswith(head) and p.endswith(b"\n}\n") for p in parts)
    assert all(len(p) - len(head) <= 4096 + max(len(b) for b in blocks) for p in parts)
    inferred = b"\n<https://w3id.org/vnkg/graph/inferred> {\n"
    assert len(data[data.index(inferred):].split(b"\n}\n")[0]) > 3 * 4096
    assert sum(inferred in p for p in parts) >= 3  # a large graph comes in several blocks, in several pieces
    whole = _quads(data)
    assert _named(set().union(*map(_quads, parts))) == _named(whole)
    assert sum(len(_quads(p)) for p in parts) == len(whole)
    assert list(pieces(out, 1 << 30)) == [data]
    default = set().union(*map(_quads, pieces(union, 4096)))
    assert {q.graph_name for q in default} == {ox.DefaultGraph()}
    assert _named({q.triple for q in default}) == _named({q.triple for q in whole})


def test_a_file_with_labelled_blank_nodes_comes_whole(tmp_path):
    """A label ``_:x`` names one node across a document's graphs but not across two documents."""
    from kg.graph.trig import pieces
    path = tmp_path / "kg.trig"
    path.write_bytes(b"@prefix ex: <http://example.org/> .\n\n<http://example.org/g1> {\n_:x ex:p ex:o .\n}\n"
                     b"\n<http://example.org/g2> {\n_:x ex:q ex:o .\n}\n")
    assert list(pieces(path, 1)) == [path.read_bytes()]
    assert len({q.subject for q in _quads(path.read_bytes())}) == 1


def test_a_piece_that_ends_inside_a_long_literal_makes_the_file_load_whole(tmp_path):
    """rdflib writes a literal with newlines between triple quotes; one holding a line ``}`` and a
    next line starting ``<`` looks like a graph's end, a piece ends there and does not parse, and
    the loader reads the file whole instead: the store holds the file's quads all the same."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef
    from kg.graph.trig import block, header, pieces, rdflib_block, write
    from kg.store import _bulk_load
    ex = "http://example.org/"
    g = Graph()
    g.add((BNode(), URIRef(ex + "note"), Literal("a\n}\n\n<b> {\nc")))
    g.add((URIRef(ex + "s"), URIRef(ex + "p"), Literal("d")))
    odd, used = rdflib_block(ex + "g0", g)
    blocks = [odd, block(ex + "g1", f"<{ex}s> <{ex}p> <{ex}o> .")]
    out, union = tmp_path / "kg.trig", tmp_path / "union.trig"
    write(out, used, blocks, union)
    with pytest.raises(SyntaxError):
        [_quads(p) for p in pieces(out, 1)]
    store = ox.Store()
    _bulk_load(store, out, union, {"store_load_piece_mb": 1e-6})
    named = {q for q in store if q.graph_name != ox.DefaultGraph()}
    assert len(named) == len(_quads(out.read_bytes())) == 3
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 3
    assert header(used).startswith(b"@prefix")


def test_a_file_past_the_whole_size_is_loaded_whole_and_a_smaller_one_in_pieces(tmp_path):
    """`store_load_whole_mb` decides, by the dataset file's size, whether the loader reads each file
    whole (one call, pyoxigraph's own batches) or in pieces of `store_load_piece_mb`; 0 turns it off,
    and pieces of 0 mean whole at any size."""
    import pyoxigraph as ox
    import kg.store as kg_store
    from kg.store import piece_bytes
    out, union = _dataset_and_union(tmp_path)
    size = out.stat().st_size
    assert piece_bytes(out, {"store_load_whole_mb": size / 2 ** 20 * 0.99, "store_load_piece_mb": 1e-6}) == 0
    assert piece_bytes(out, {"store_load_whole_mb": size / 2 ** 20 * 1.01, "store_load_piece_mb": 1e-6}) == 1
    assert piece_bytes(out, {"store_load_whole_mb": 0, "store_load_piece_mb": 16}) == 16 << 20
    assert piece_bytes(out, {"store_load_whole_mb": 0, "store_load_piece_mb": 0}) == 0

    class Counting:  # the store, its loader's calls counted
        def __init__(self) -> None:
            self.store, self.calls = ox.Store(), 0

        def bulk_load(self, *args, **kwargs):
            self.calls += 1
            return self.store.bulk_load(*args, **kwargs)
    for whole_mb, expected in ((size / 2 ** 20 * 0.99, 2), (0, 6)):  # each file whole, or a call a graph block
        counting = Counting()
        kg_store._bulk_load(counting, out, union, {"store_load_piece_mb": 1e-6, "store_load_whole_mb": whole_mb})
        assert counting.calls == expected
        store = counting.store
        assert len([q for q in store if q.graph_name != ox.DefaultGraph()]) == 6
        assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 4


def _dataset_and_union(tmp_path):
    from kg.graph.trig import block, write
    ex = "http://example.org/"
    blocks = [block(f"{ex}g{i}", f"<{ex}s{i}> <{ex}p> <{ex}o> .\n<{ex}s> <{ex}p> <{ex}o> .") for i in range(3)]
    out, union = tmp_path / "kg.trig", tmp_path / "union.trig"
    write(out, [f"@prefix ex: <{ex}> ."], blocks, union)
    return out, union


def test_the_dataset_and_its_union_load_at_once(tmp_path, monkeypatch):
    """The file and the union go to the bulk loader from two threads at the same time (one loader
    keeps 1.6 of 2 cores busy): each load waits at a barrier for the other, which a load after
    the other never reaches; the store then holds both, the default graph a set."""
    import threading
    import pyoxigraph as ox
    import kg.store as kg_store
    out, union = _dataset_and_union(tmp_path)
    barrier, load = threading.Barrier(2, timeout=10), kg_store._load_file

    def together(store, file, size):
        barrier.wait()
        load(store, file, size)
    monkeypatch.setattr(kg_store, "_load_file", together)
    store = ox.Store()
    kg_store._bulk_load(store, out, union, {"store_load_piece_mb": 1e-6})
    assert len([q for q in store if q.graph_name != ox.DefaultGraph()]) == 6
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 4


def test_a_union_that_does_not_parse_is_an_error_naming_the_dataset(tmp_path):
    import pyoxigraph as ox
    from kg.errors import KgError
    from kg.store import _bulk_load
    out, union = _dataset_and_union(tmp_path)
    union.write_bytes(union.read_bytes().replace(b"{\n", b"{\n<broken ", 1))
    with pytest.raises(KgError, match=r"kg\.trig: not a dataset kg can read"):
        _bulk_load(ox.Store(), out, union, {"store_load_piece_mb": 1e-6})


def test_the_pages_of_a_piece_are_let_go_of_once_it_is_made(tmp_path):
    """A file is mapped to be cut into pieces; a mapped page read counts in the process's memory
    until it is let go of, so a 2.5 GB dataset would count whole: each piece's pages go once it is
    made, and the memory counted for the file stays near a piece's size."""
    from scale_support import memory_kib
    from kg.graph.trig import block, pieces, write
    text = " .\n\n".join(f'<http://example.org/s{i}> <http://example.org/p> "{"x" * 200} {i}"' for i in range(100)) + " ."
    out = tmp_path / "kg.trig"
    write(out, ["@prefix ex: <http://example.org/> ."],
          (block(f"http://example.org/g{i:05d}", text) for i in range(2000)))
    assert out.stat().st_size > 40 << 20
    before, most, n = memory_kib("RssFile"), 0, 0
    for piece in pieces(out, 1 << 20):
        most, n = max(most, memory_kib("RssFile") - before), n + 1
        assert piece.startswith(b"@prefix ex:")
    assert n >= 40
    assert most < 8 << 10, f"{most} KiB of the file counted at once"
