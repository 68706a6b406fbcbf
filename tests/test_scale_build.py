"""Builds at scale, small: the corpus generator, the build cache, processes, --keep-going,
the reasoner choice, the progress bar."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from scale_support import ROOT, article, write_corpus
from kg.cache import extraction_key
from kg.cli import main
from kg.errors import InputError
from kg.model import SourceMeta, SourceText
from kg.pipeline import build
from kg.progress import Progress, wanted

QUIET = lambda line: None  # noqa: E731


def test_generator_is_deterministic_and_varied():
    assert article(5, seed=1) == article(5, seed=1)
    assert article(5, seed=1) != article(5, seed=2)
    names = {article(i, seed=1)[2]["province"] for i in range(40)}
    kinds = {article(i, seed=1)[0].rsplit("_", 1)[1] for i in range(40)}
    assert len(names) > 15 and kinds == {"conference.txt", "session.txt", "personnel.txt", "notice.txt"}


def test_generated_articles_yield_the_genres_facts(tmp_path):
    write_corpus(4, tmp_path, seed=11)
    out = tmp_path / "out" / "kg.trig"
    summary = build([tmp_path], out, log=QUIET)
    assert summary.entities["Person"] >= 8 and summary.entities["Document"] >= 4 and summary.inferred > 0


@pytest.fixture
def corpus(tmp_path) -> Path:
    write_corpus(8, tmp_path / "src", seed=5)
    return tmp_path / "src"


def test_cache_makes_rebuilds_identical_and_incremental(corpus, tmp_path):
    out = tmp_path / "b" / "kg.trig"
    first = build([corpus], out, log=QUIET)
    data = out.read_bytes()
    again = build([corpus], out, log=QUIET)
    assert (first.cached, again.cached) == (0, 8)
    assert out.read_bytes() == data
    write_corpus(1, corpus, seed=5, start=8)
    added = build([corpus], out, log=QUIET)
    assert (added.sources, added.cached) == (9, 8)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    assert build([corpus], out, log=QUIET).cached == 8


def test_cache_and_processes_do_not_change_the_bytes(tmp_path):
    write_corpus(20, tmp_path / "src", seed=9)
    one = tmp_path / "one" / "kg.trig"
    two = tmp_path / "two" / "kg.trig"
    build([tmp_path / "src"], one, log=QUIET, overrides={"jobs": 1, "build_cache": "off"})
    build([tmp_path / "src"], two, log=QUIET, overrides={"jobs": 2})
    assert one.read_bytes() == two.read_bytes()
    assert not (tmp_path / "one" / ".vnkg-cache").exists()


def test_a_build_is_handed_each_fresh_extraction_packed(tmp_path, monkeypatch):
    """A worker hands the build each fresh extraction pickled once, with its brief and outline
    (`kg.parallel.Packed`): the build's process writes the bytes to its spool, never receiving the
    extraction as objects only to pickle it again. One from the cache comes packed too: the worker
    looks it up, not the build's process before the workers start."""
    import kg.pipeline as pipeline
    write_corpus(20, tmp_path / "src", seed=9)
    seen, call = [], pipeline._Held.__call__

    def spy(self, r):
        seen.append((r.extraction is None, r.packed is not None))
        return call(self, r)
    monkeypatch.setattr(pipeline._Held, "__call__", spy)
    out = tmp_path / "out" / "kg.trig"
    build([tmp_path / "src"], out, log=QUIET, overrides={"jobs": 2}, disk_store=False)  # the stages in this process
    assert seen == [(True, True)] * 20
    seen.clear()
    again = build([tmp_path / "src"], out, log=QUIET, overrides={"jobs": 2}, disk_store=False)
    assert seen == [(True, True)] * 20 and again.cached == 20


def test_the_links_reach_the_reasoner_before_the_source_graphs(tmp_path, monkeypatch):
    """The links graph's owl:sameAs go to the rules engine first: its classes of equal entities are
    made while the closure holds only them, not rebuilt over every fact once the source graphs'
    are in (3.5 s at 10,000 articles, on one core). The inferences are those of the reference."""
    from kg.reason import FastReasoner
    sizes, restart = [], FastReasoner._restart
    monkeypatch.setattr(FastReasoner, "_restart", lambda self: sizes.append(len(self.asserted)) or restart(self))
    write_corpus(20, tmp_path / "src", seed=9)
    made = build([tmp_path / "src"], tmp_path / "out" / "kg.trig", log=QUIET, disk_store=False)
    assert made.links and sizes and max(sizes) * 20 < made.asserted  # the links graph, not the sources
    sizes.clear()
    reference = build([tmp_path / "src"], tmp_path / "ref" / "kg.trig", log=QUIET, disk_store=False, reasoner="owlrl")
    assert not sizes and reference.inferred == made.inferred


def test_an_extraction_cache_entry_is_marshal_and_a_cut_one_a_miss(tmp_path):
    """An entry of the extraction cache is written with marshal (a third of JSON's time to write,
    half to read) and read back as the extraction; cut short, it is a miss, never an error."""
    import marshal
    from conftest import SEEDS
    from kg.cache import ExtractionCache, extraction_key
    from kg.extract import extract
    from kg.read import find_inputs, read_source
    source = read_source(find_inputs([SEEDS])[0])
    ex, key, store = extract(source), extraction_key(source), ExtractionCache(tmp_path)
    store.put(key, ex)
    entry = store._path(key)
    assert entry.suffix == ".marshal" and marshal.loads(entry.read_bytes())["entities"]
    assert store.get(source, key) == ex
    entry.write_bytes(entry.read_bytes()[:-40])
    assert store.has(key) and store.get(source, key) is None


def test_a_packed_extraction_is_what_the_build_would_make_of_it():
    import pickle
    from collections import Counter
    from kg.extract import extract
    from kg.parallel import packed
    from kg.read.kept import brief
    from kg.resolve import outline
    name, text, sidecar = article(3, seed=9)
    ex = extract(SourceText(name, name, text, SourceMeta(province=sidecar["province"])))
    p = packed(ex)
    assert pickle.loads(p.data) == ex and p.source == name
    assert p.brief == brief(ex) and p.outline == outline(ex) and p.outline.mentions
    assert p.figures == (Counter(e.cls for e in ex.entities), len(ex.facts), len(ex.source.text))


def test_spool_and_small_reasoner_batches_do_not_change_the_bytes(tmp_path):
    """Extractions and uncached blocks wait in a spool beside the output, and the rules engine is
    fed `reason_batch` facts at a time: a batch of 7 facts writes what one batch of all writes,
    and no spool file is left behind."""
    write_corpus(20, tmp_path / "src", seed=9)
    whole, small = tmp_path / "whole" / "kg.trig", tmp_path / "small" / "kg.trig"
    build([tmp_path / "src"], whole, log=QUIET, overrides={"reason_batch": 10 ** 9, "jobs": 1})
    build([tmp_path / "src"], small, log=QUIET, overrides={"reason_batch": 7, "build_cache": "off", "jobs": 2})
    assert small.read_bytes() == whole.read_bytes()
    assert not [p for p in tmp_path.rglob("*") if "spool" in p.name]


def test_reasoners_write_the_same_bytes(tmp_path):
    rules, owlrl = tmp_path / "r" / "kg.trig", tmp_path / "o" / "kg.trig"
    build([ROOT / "seeds"], rules, log=QUIET, reasoner="rules")
    build([ROOT / "seeds"], owlrl, log=QUIET, reasoner="owlrl")
    assert rules.read_bytes() == owlrl.read_bytes()


SIDECARS = [("title", {"title": "Một tiêu đề khác"}), ("province", {"province": "Hà Giang"}),
            ("published", {"published": "2024-01-02"})]


@pytest.mark.parametrize("field, meta", SIDECARS, ids=[s[0] for s in SIDECARS])
def test_extraction_key_follows_the_sidecar(field, meta):
    plain = SourceText("a.txt", "a.txt", "", SourceMeta(), "00")
    other = SourceText("a.txt", "a.txt", "", SourceMeta(**{k: v if k != "published" else __import__("datetime").date(2024, 1, 2)
                                                          for k, v in meta.items()}), "00")
    assert extraction_key(plain) != extraction_key(other)


BAD = [("empty.txt", b""), ("binary.txt", b"\x00\x01\x02" * 50), ("page.txt", b"<!doctype html><html><body><p>Tin</p></body></html>")]


@pytest.mark.parametrize("name, data", BAD, ids=[b[0] for b in BAD])
def test_keep_going_skips_an_unreadable_source(corpus, tmp_path, capsys, name, data):
    (corpus / name).write_bytes(data)
    out = tmp_path / "k" / "kg.trig"
    assert main(["build", str(corpus), "-o", str(out), "--keep-going"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and name in warnings[0]
    assert out.exists()


def test_without_keep_going_the_first_bad_source_stops_the_build(corpus, tmp_path, capsys):
    (corpus / "00003_bad.txt").write_bytes(b"")
    out = tmp_path / "s" / "kg.trig"
    out.parent.mkdir()
    out.write_bytes(b"previous build")
    assert main(["build", str(corpus), "-o", str(out)]) == 2
    assert "00003_bad.txt" in capsys.readouterr().err
    assert out.read_bytes() == b"previous build"
    with pytest.raises(InputError):
        build([corpus], out, log=QUIET)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_only(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tty = _Tty()
    bar = Progress("extract", 10, stream=tty)
    for _ in range(10):
        bar.advance()
    bar.close()
    assert "10/10" in tty.getvalue() and "/s ETA" in tty.getvalue()
    assert not wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not wanted(_Tty())


def test_build_ends_with_a_summary_line(corpus, tmp_path):
    lines = []
    build([corpus], tmp_path / "x" / "kg.trig", log=lines.append)
    assert lines[-1].startswith("build: 8 sources") and "inferred" in lines[-1]
    assert [line.split(":")[0] for line in lines[:-1]] == ["extract", "resolve", "link", "graph", "reason", "write"]
    assert json.dumps(lines)


def test_a_build_sweeps_old_temporary_files_from_the_cache(corpus, tmp_path):
    import os
    import time
    from kg.pipeline import cache_folder
    out = tmp_path / "out" / "kg.trig"
    build([corpus], out, log=QUIET)
    folder = next(p for p in (cache_folder(out) / "extract").iterdir() if p.is_dir())
    stale, fresh = folder / ".abc.json.k3j2l1x0", folder / ".def.json.p9q8r7s6"
    for tmp in (stale, fresh):
        tmp.write_bytes(b"half an entry")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    build([corpus], out, log=QUIET)
    assert not stale.exists() and fresh.exists()  # a live writer's file (seconds old) is left alone


def test_a_cache_file_is_written_whole_through_a_name_of_its_own(tmp_path, monkeypatch):
    """A cache entry goes through a temporary name of this process's own beside it, made anew
    (one a writer on another machine holds is passed over), then renamed; its folders are made
    when missing; a write that fails leaves the entry as it was and no temporary file."""
    import os
    import kg.cache as cache
    path = tmp_path / "extract" / "ab" / "abcdef.json"
    cache.write_atomic_bytes(path, b"first")
    assert path.read_bytes() == b"first" and [p.name for p in path.parent.iterdir()] == ["abcdef.json"]
    taken = next(cache._WRITES) + 1
    held = path.with_name(f".{path.name}.{os.getpid()}-{taken}")
    held.write_bytes(b"another writer's")
    cache.write_atomic_bytes(path, b"x" * (3 << 20))
    assert path.read_bytes() == b"x" * (3 << 20) and held.read_bytes() == b"another writer's"
    held.unlink()

    def broken(fd, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache.os, "write", broken)
    with pytest.raises(OSError, match="No space"):
        cache.write_atomic_bytes(path, b"second")
    assert path.read_bytes() == b"x" * (3 << 20) and [p.name for p in path.parent.iterdir()] == ["abcdef.json"]
