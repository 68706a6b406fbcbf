"""Extraction and source-graph writing over many sources: cached, and spread over processes.

`extract_sources` reads each source and gives its :class:`Extraction`: from the cache when
its key (:func:`kg.cache.extraction_key`) is there, else by reading it fully (every check of
:func:`kg.read.read_source`) and running the extractor — in worker processes when there
are many. A source that cannot be read comes back with its problem, for the caller to report. `graph_sources` turns each extraction into its named graph's
TriG block and its facts (term keys, for the reasoner), again cached by content. `stream_graphs` yields them
as they come, and :class:`Workers` lets the stages of a build share one pool. Results
come back in input order, so the build stays deterministic whatever the number of processes.
"""
from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from . import config, read
from .graph import trig
from .cache import ExtractionCache, GraphCache, extraction_key, graph_key
from .reason.closure import key as term_key
from .extract import extract
from .graph import is_fact, source_triples
from .errors import InputError
from .model import Extraction, Key, SourceText
from .spool import Objects, Place, Spooled, load

MIN_PER_PROCESS = 8  # below this many items a worker pool costs more than it saves


@dataclass(frozen=True)
class SourceGraph:
    iri: str
    block: bytes | Path  # the TriG block, or the cache file that holds it
    facts: list  # (s, p, o) term keys, evidence left out
    triples: int


def jobs_setting(overrides: dict | None = None) -> int:
    n = int(config.get("jobs", overrides))
    return n if n > 0 else (os.cpu_count() or 1)


class Workers:
    """Worker processes shared by the stages of a build, forked when first needed (for a cold
    build, while extraction starts and the build holds little: forked later, each would carry a
    copy of all the main process had gathered by then)."""

    def __init__(self, jobs: int) -> None:
        self.jobs, self.pool, self.size = jobs, None, 0

    def get(self, items: int):
        """A pool of one process per `MIN_PER_PROCESS` items, `jobs` at most (a larger one if needed)."""
        want = min(self.jobs, items // MIN_PER_PROCESS)
        if want > self.size:
            self.close()
            self.pool, self.size = multiprocessing.get_context("fork").Pool(want), want
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool, self.size = None, 0

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _uses_pool(jobs: int, items: int) -> bool:
    """Whether :func:`_imap` gives `items` to worker processes (else it works through them here)."""
    return jobs > 1 and items >= MIN_PER_PROCESS * 2


def _imap(fn: Callable, items: Iterable, jobs: int, advance: Callable[[int], None],
          stop: Callable[[object], bool] = lambda result: False, size: int | None = None,
          workers: Workers | None = None) -> Iterator:
    """`fn` over `items`, yielded in order as they come, in worker processes when there are enough
    (`size`, the number of items, when `items` is not a list): those of `workers` if given, else
    a pool of this call's own; ends early after a result for which `stop` is true. Items are
    taken from `items` only as workers are ready for them."""
    n = len(items) if size is None else size
    if not _uses_pool(jobs, n):
        for item in items:
            result = fn(item)
            advance(1)
            yield result
            if stop(result):
                return
        return
    if workers is not None:
        yield from _pooled(workers.get(n), fn, items, advance, stop)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, n // MIN_PER_PROCESS)) as pool:
        yield from _pooled(pool, fn, items, advance, stop)


def _pooled(pool, fn: Callable, items: Iterable, advance: Callable[[int], None],
            stop: Callable[[object], bool]) -> Iterator:
    for result in pool.imap(fn, items, chunksize=4):
        advance(1)
        yield result
        if stop(result):
            return


@dataclass(frozen=True)
class Packed:
    """A fresh extraction as a build keeps it, made in the process that extracted it: pickled as the
    build's spool holds it (:meth:`kg.spool.Objects.add_packed`), with what the build reports of it
    (entities by class, facts, characters) and reads of it (its :class:`kg.read.kept.Brief` and
    :class:`kg.resolve.Outline`). The build's process then writes the bytes to its spool: it does not
    unpickle the extraction from the worker only to pickle it again, nor make the brief and outline."""

    data: bytes
    source: str
    figures: tuple
    brief: tuple
    outline: object


def packed(ex: Extraction) -> Packed:
    import pickle
    from collections import Counter
    from .read.kept import brief
    from .resolve import outline
    return Packed(pickle.dumps(ex, pickle.HIGHEST_PROTOCOL), ex.source.id,
                  (Counter(e.cls for e in ex.entities), len(ex.facts), len(ex.source.text)), brief(ex), outline(ex))


@dataclass(frozen=True)
class Extracted:
    """One source's outcome: its extraction (or, for a build, the extraction :class:`Packed`), or the
    problem that kept it from being read."""

    path: Path
    extraction: Extraction | None = None
    key: str = ""
    problem: str = ""  # an InputError's message part when the source could not be read
    cached: bool = False
    held: int = -1  # where a build keeps the extraction instead (:class:`kg.spool.Objects`), if it does
    packed: Packed | None = None


def _probe(item: read.Input, store: ExtractionCache | None) -> Extracted | None:
    """The cached extraction of `path` if its bytes, name, sidecar and the extractor are unchanged.

    A cached entry means these very bytes were read and checked before, so only the cheap
    steps are repeated (bytes, hash, sidecar, decoding); any problem sends the source down
    the full path, which reports it."""
    if store is None:
        return None
    path = item.path
    try:
        raw = read.read_bytes(path, int(config.get("max_source_bytes")))
        meta = read.read_sidecar(read.sidecar_of(path))
        probe = SourceText(item.id, str(path), "", meta, hashlib.sha256(raw).hexdigest())
        key = extraction_key(probe)
        if not store.has(key):
            return None
        if read.kind_of(path) == "text":  # a page's entry keeps the text read from it
            probe = SourceText(item.id, str(path), read.decode(raw, path), meta, probe.sha256)
    except InputError:
        return None
    ex = store.get(probe, key)
    return Extracted(path, ex, key, cached=True) if ex is not None else None


def _extract_one(work: tuple[read.Input, str | None, bool]) -> Extracted:
    """One source's extraction: from the cache (`folder`) when it has it, else made (and cached);
    with `pack`, handed over :class:`Packed`. Looked up in the cache here, in the worker, rather
    than in the build's process before the workers start: each source's bytes are read and hashed
    for its key, 1.1 s at 10,000 articles in one process, the workers waiting."""
    item, folder, pack = work
    store = ExtractionCache(Path(folder)) if folder is not None else None
    hit = _probe(item, store)
    if hit is not None:
        return replace(hit, extraction=None, packed=packed(hit.extraction)) if pack else hit
    path = item.path
    try:
        source = read.read_source(item)
        sidecar = source.meta if source.kind == "text" else read.read_sidecar(read.sidecar_of(path))
    except InputError as exc:
        return Extracted(path, problem=exc.problem)
    key = extraction_key(replace(source, meta=sidecar))  # as _probe makes it: from the bytes and the sidecar
    ex = extract(source)
    if store is not None:
        store.put(key, ex)
    return Extracted(path, None, key, packed=packed(ex)) if pack else Extracted(path, ex, key)


def extract_sources(paths: Sequence[Path | read.Input], cache: Path | None, jobs: int,
                    advance: Callable[[int], None] = lambda n: None, keep_going: bool = True,
                    keep: Callable[[Extracted], Extracted] = lambda r: r,
                    workers: Workers | None = None, pack: bool = False) -> list[Extracted]:
    """Each source read and extracted (or taken from the cache), in input order, each passed
    through `keep` as it comes (a build spools the extraction there; with `pack`, each comes
    :class:`Packed` for it). Without `keep_going` it stops at the first source that cannot be read
    (the list is then short). A bare path is named by its file name
    (:func:`kg.read.find_inputs` names them otherwise)."""
    paths = [p if isinstance(p, read.Input) else read.Input(Path(p), Path(p).name) for p in paths]
    folder = str(cache) if cache is not None else None
    stop = (lambda r: False) if keep_going else (lambda r: bool(r.problem))
    return [keep(r) for r in _imap(_extract_one, [(p, folder, pack) for p in paths], jobs, advance, stop,
                                   workers=workers)]


def _graph_one(item: tuple[Extraction | Place, dict | Place, dict | None, str, str | None, str]) -> SourceGraph:
    ex, labels, overrides, iri, folder, key = item
    if isinstance(ex, Place):  # read here from the build's spool, not sent (kg.spool.Spooled)
        ex, labels = load(ex), load(labels)
    triples = source_triples(ex, labels, overrides)
    rows = set(trig.formatted(triples))
    block = trig.block(iri, trig.body(rows))
    facts = list(dict.fromkeys((term_key(s), term_key(p), term_key(o)) for s, p, o in triples if is_fact((s, p, o))))
    count = len(rows)
    if folder is not None:
        path = GraphCache(Path(folder)).put(key, block, facts, count)
        return SourceGraph(iri, path, facts, count)
    return SourceGraph(iri, block, facts, count)


def graph_sources(extractions: Sequence[Extraction], keys: Sequence[str], labels: dict[Key, str],
                  cache: Path | None, jobs: int, overrides: dict | None = None,
                  advance: Callable[[int], None] = lambda n: None) -> tuple[list[SourceGraph], int]:
    """Each extraction's source graph, in order, and how many came from the cache."""
    hits: list[int] = []
    return list(stream_graphs(extractions, keys, labels, cache, jobs, overrides, advance, hits)), hits[0]


PLAN_AHEAD = 256  # sources planned at a time (see stream_graphs)


def stream_graphs(extractions: Sequence[Extraction], keys: Sequence[str], labels: dict[Key, str],
                  cache: Path | None, jobs: int, overrides: dict | None = None,
                  advance: Callable[[int], None] = lambda n: None, hits: list | None = None,
                  workers: Workers | None = None, outlines: Sequence[GraphOutline] | None = None
                  ) -> Iterator[SourceGraph]:
    """Each extraction's source graph, yielded in order as it is made or read from the cache;
    `extractions` is read one at a time, and never held whole: once here, and once more by the
    process that makes a graph (worker processes read a build's spool themselves, :class:`Spooled`;
    otherwise it is sent, or made here). The number of cache hits is appended to `hits` once the
    last graph has come.

    Sources are planned (their labels, graph key, whether the cache has it) `PLAN_AHEAD` at a time,
    and a batch's graphs go to the workers as soon as it is planned, before the graphs of the
    batch before are taken: the workers start after the first batch, not after every source was
    planned (3 s at 10,000 articles, the workers idle), and always have the next batch waiting.
    Given the extractions' `outlines` (:class:`Outlines`, in the same order), planning reads those
    rather than the extractions, where the workers read the extractions themselves."""
    store = GraphCache(cache) if cache is not None else None
    folder = str(cache) if cache is not None else None
    # extractions in a build's spool are read there by the workers themselves, each beside its labels,
    # rather than read here again and sent (kg.spool.Spooled: a third of this process's work here)
    spooled = extractions if isinstance(extractions, Spooled) and jobs > 1 else None
    outlined = spooled is not None and outlines is not None
    sources = iter(enumerate(zip(outlines if outlined else extractions, keys)))
    own = Workers(jobs) if workers is None else None
    found = [0]

    def planned() -> tuple[list, Iterator[SourceGraph]] | None:
        """The next batch — for each source [i, iri, graph key, hit, what its graph is made from (the
        extraction and its labels, or their places when sent; None for a hit)] — and its graphs as
        they are made (under way in the workers already when sent there)."""
        plan = []
        for i, (ex, k) in itertools.islice(sources, PLAN_AHEAD):
            sid, copies, entities = ex if outlined else outline(ex)
            mine = _labels_of(entities, labels)
            gkey = graph_key(k + copies, mine, overrides)
            hit = store is not None and store.has(gkey)
            plan.append([i, config.graph_iri("source", sid, overrides), gkey, hit,
                         None if hit else (None if outlined else ex, mine)])
        if not plan:
            return None
        todo = [p for p in plan if not p[3]]
        found[0] += len(plan) - len(todo)
        if not _uses_pool(jobs, len(todo)):
            return plan, map(_graph_one, ((extractions[p[0]] if outlined else p[4][0], p[4][1], overrides, p[1],
                                           folder, p[2]) for p in todo))
        if spooled is not None:  # places only for other processes
            for p in todo:
                p[4] = (spooled.place(p[0]), spooled.put(p[4][1]))
        pool = (workers or own).get(len(extractions))  # sized once, for every batch
        return plan, pool.imap(_graph_one, [(*p[4], overrides, p[1], folder, p[2]) for p in todo], chunksize=4)

    try:
        batch = planned()
        while batch is not None:
            plan, made = batch
            batch = planned()  # under way while this one's graphs are taken
            for i, iri, gkey, hit, _ in plan:
                if not hit:
                    graph = next(made)
                elif (cached := store.get(gkey)) is not None:
                    graph = SourceGraph(iri, *cached)
                else:  # unreadable since it was looked at: made again here
                    ex = extractions[i]
                    graph = _graph_one((ex, _labels_of(outline(ex)[2], labels), overrides, iri, folder, gkey))
                advance(1)
                yield graph
        if hits is not None:
            hits.append(found[0])
    finally:
        if own is not None:
            own.close()


def _labels_of(entities: Iterable[Key], labels: dict[Key, str]) -> dict[Key, str]:
    """The chosen labels of a source's entities (their keys: :func:`outline`)."""
    return {k: labels[k] for k in entities if k in labels}


GraphOutline = tuple[str, str, tuple[Key, ...]]


def outline(ex: Extraction) -> GraphOutline:
    """What planning a source's graph reads of its extraction: the source's id, its copies (as
    they go into the graph key) and its entities' keys."""
    return ex.source.id, "".join(f"\x1f{c}" for copy in ex.source.copies for c in copy if c), \
        tuple(e.key for e in ex.entities)


class Outlines:
    """The :func:`outline` of each extraction given to :meth:`add`, pickled into a spool (a
    gatherer of a build's one read of the extractions after resolving), for :func:`stream_graphs`
    to plan each graph from a few hundred bytes rather than read the whole extraction again (at
    10,000 articles 7 s of the build's process, unpickling, the workers waiting for it)."""

    def __init__(self, objects: Objects) -> None:
        self.objects, self.numbers = objects, []

    def add(self, ex: Extraction) -> None:
        self.numbers.append(self.objects.add(outline(ex)))

    def view(self) -> Spooled:
        return self.objects.view(self.numbers)
