"""The spool a build keeps its extractions and blocks in, and the lazy sequences over it."""
from __future__ import annotations

import pytest

from kg.model import Extraction, SourceMeta, SourceText
from kg.spool import Lazy, Objects, Spool, mapped


def test_objects_come_back_as_they_went_in(tmp_path):
    xs = [Extraction(SourceText(f"s{i}", f"s{i}.txt", "Văn bản " * i, SourceMeta(), "0" * 64), (), (), ())
          for i in range(5)]
    with Spool(tmp_path) as spool:
        held = Objects(spool)
        numbers = [held.add(x) for x in xs]
        span = spool.put(b"a block")
        assert list(held.view(numbers[::-1])) == xs[::-1]
        assert spool.read(span) == b"a block"
    assert list(tmp_path.iterdir()) == []


CASES = [(0, "a"), (-1, "e"), (slice(1, 3), ["b", "c"])]


@pytest.mark.parametrize("index, item", CASES, ids=["first", "last", "slice"])
def test_lazy_is_a_sequence(index, item):
    seq = Lazy(5, lambda i: "abcde"[i])
    assert seq[index] == item
    assert len(mapped(seq, str.upper)) == 5 and list(mapped(seq, str.upper)) == list("ABCDE")
    with pytest.raises(IndexError):
        seq[5]


def test_another_process_reads_an_object_at_its_place(tmp_path, monkeypatch):
    """A worker reads an object at its place (:meth:`Objects.place`) itself, written out for it
    first: forked before the spool was made, by opening the spool's name; forked after, through
    the descriptor it inherited, opening nothing. A place whose file has become another is an error."""
    import multiprocessing
    import os
    from kg.spool import Place, load
    xs = [Extraction(SourceText(f"s{i}", f"s{i}.txt", "Văn bản " * i, SourceMeta(), "0" * 64)) for i in range(3)]
    with multiprocessing.get_context("fork").Pool(1) as early, Spool(tmp_path) as spool:
        held = Objects(spool)
        places = [held.place(held.add(x)) for x in xs]
        assert all(p.path == f"/proc/{os.getpid()}/fd/{spool.file.fileno()}" for p in places)
        assert early.map(load, places) == xs

        def refused(*args, **kwargs):
            raise PermissionError("no open in a worker forked after the spool")
        monkeypatch.setattr(os, "open", refused)
        with multiprocessing.get_context("fork").Pool(1) as late:
            assert late.map(load, places[::-1]) == xs[::-1]
        monkeypatch.undo()
        other = tmp_path / "other"
        other.write_bytes(b"x" * 100)
        with open(other, "rb") as f, pytest.raises(OSError, match="no longer the spool"):
            load(Place(f"/proc/{os.getpid()}/fd/{f.fileno()}", places[0].device, places[0].inode, 0, 10))


def test_the_graph_workers_read_the_spooled_extractions_themselves(tmp_path, monkeypatch):
    """Making the source graphs reads each spooled extraction once in the build's process (for its
    graph key); the workers read it, and its labels, from the spool: the same graphs as when each
    is sent, the labels chosen for its entities in them."""
    from dataclasses import replace
    from conftest import SEEDS
    from kg.extract import extract
    from kg.parallel import stream_graphs
    from kg.read import find_inputs, read_source
    seeds = [extract(read_source(i)) for i in find_inputs([SEEDS])]
    xs = [replace(ex, source=replace(ex.source, id=f"{n:02d}-{ex.source.id}")) for n in range(4) for ex in seeds]
    keys = [f"k{n}" for n in range(len(xs))]
    person = next(e.key for e in xs[0].entities if e.cls == "Person")
    labels = {person: "Nhãn Chọn Thử"}
    sent = list(stream_graphs(xs, keys, labels, None, 2))
    reads: list[int] = []
    get = Objects.get
    monkeypatch.setattr(Objects, "get", lambda self, i: reads.append(i) or get(self, i))
    with Spool(tmp_path) as spool:
        held = Objects(spool)
        view = held.view([held.add(x) for x in xs])
        read = list(stream_graphs(view, keys, labels, None, 2))
    assert sorted(reads) == list(range(len(xs)))
    assert [(g.iri, g.block, g.facts, g.triples) for g in read] == [(g.iri, g.block, g.facts, g.triples) for g in sent]
    assert "Nhãn Chọn Thử".encode() in read[0].block


def test_the_graphs_are_planned_from_outlines_without_reading_an_extraction(tmp_path, monkeypatch):
    """Given the outlines of the extractions (:class:`kg.parallel.Outlines`: each source's id, copies
    and entity keys, spooled as the extractions pass after resolving), the build's process plans
    every graph without reading an extraction back: the same graphs, the same graph keys (a cache
    filled by one is all hits for the other, a source with copies among them)."""
    from dataclasses import replace
    from conftest import SEEDS
    from kg.extract import extract
    from kg.parallel import Outlines, stream_graphs
    from kg.read import find_inputs, read_source
    seeds = [extract(read_source(i)) for i in find_inputs([SEEDS])]
    xs = [replace(ex, source=replace(ex.source, id=f"{n:02d}-{ex.source.id}")) for n in range(4) for ex in seeds]
    xs[1] = replace(xs[1], source=replace(xs[1].source, copies=(("ban-sao.txt", "https://vi.example/a", "0" * 64),)))
    keys = [f"k{n}" for n in range(len(xs))]
    labels = {next(e.key for e in xs[0].entities if e.cls == "Person"): "Nhãn Chọn Thử"}
    sent = list(stream_graphs(xs, keys, labels, None, 2))
    reads: list[int] = []
    get = Objects.get
    monkeypatch.setattr(Objects, "get", lambda self, i: reads.append(i) or get(self, i))
    cache = tmp_path / "cache"
    with Spool(tmp_path) as spool:
        held, numbers = Objects(spool), []
        outlines = Outlines(held)
        for x in xs:
            numbers.append(held.add(x))
            outlines.add(x)
        view, hits = held.view(numbers), []
        read = list(stream_graphs(view, keys, labels, cache, 2, outlines=outlines.view(), hits=hits))
        assert reads and not set(reads) & set(numbers) and hits == [0]
        again = list(stream_graphs(view, keys, labels, cache, 2, hits=hits))
        assert hits == [0, len(xs)]
    assert [(g.iri, g.facts, g.triples) for g in read] == [(g.iri, g.facts, g.triples) for g in sent]
    assert [g.block.read_bytes() for g in read] == [g.block for g in sent] == [g.block.read_bytes() for g in again]


def test_the_graph_workers_start_before_every_source_is_planned(tmp_path, monkeypatch):
    """Source graphs are planned `PLAN_AHEAD` sources at a time, each batch sent to the workers
    before the graphs of the one before are taken: the first graph comes once two batches are
    planned, not every source (the workers idle meanwhile), and the graphs come in order, as one
    process makes them."""
    from dataclasses import replace
    from conftest import SEEDS
    import kg.parallel as parallel
    from kg.extract import extract
    from kg.read import find_inputs, read_source
    seeds = [extract(read_source(i)) for i in find_inputs([SEEDS])]
    xs = [replace(ex, source=replace(ex.source, id=f"{n:02d}-{ex.source.id}")) for n in range(10) for ex in seeds]
    keys = [f"k{n}" for n in range(len(xs))]
    alone = list(parallel.stream_graphs(xs, keys, {}, None, 1))
    monkeypatch.setattr(parallel, "PLAN_AHEAD", 16, raising=False)
    planned, key = [], parallel.graph_key
    monkeypatch.setattr(parallel, "graph_key", lambda *a: planned.append(1) or key(*a))
    with Spool(tmp_path) as spool:
        held = Objects(spool)
        graphs = parallel.stream_graphs(held.view([held.add(x) for x in xs]), keys, {}, None, 2)
        first = next(graphs)
        assert len(planned) == 32 < len(xs)
        made = [first, *graphs]
    assert [(g.iri, g.block, g.facts, g.triples) for g in made] == [(g.iri, g.block, g.facts, g.triples) for g in alone]


def test_a_view_knows_the_object_it_read_last(tmp_path):
    """`Spooled.number`: the object a view read last, passed on unchanged by the stages after it,
    is found in the spool again (the build does not spool it twice); a changed one, or an older
    one, is not."""
    from dataclasses import replace
    with Spool(tmp_path) as spool:
        objects = Objects(spool)
        made = [Extraction(SourceText(f"{i}.txt", f"{i}.txt", f"Văn bản {i}.", SourceMeta())) for i in range(3)]
        numbers = [objects.add(x) for x in made]
        view = objects.view([numbers[2], numbers[0]])
        later = mapped(view, lambda ex: ex if ex.source.id == "2.txt" else replace(ex, facts=()))
        first = later[0]
        assert view.number(first) == numbers[2] and first == made[2]
        second = later[1]  # changed on the way (a new object, though equal)
        assert view.number(second) is None and second == made[0]
        assert view.number(first) is None  # no longer the last read
        assert view.number(made[2]) is None  # equal, but not the object read
