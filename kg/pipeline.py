"""The one place the stages are chained: read → extract → resolve → link → graph → reason → write.

`build` reads sources — text files, saved pages, PDF and Word files (:mod:`kg.read`) — skipping
unreadable ones with a warning under ``keep_going``, and reads an article found twice once,
extracts (from the build cache where the source, its sidecar and the extractor are
unchanged; in worker processes otherwise; from the shard folders `kg extract` wrote,
:mod:`kg.shard`, when given them), links offline (online only when asked), writes
each source's named graph (cached too), adds the ontology graph and, unless told not to, the
OWL-RL inferences in a graph of their own (the compiled ``rules`` engine by default, ``owlrl``
on request); it refuses to write an inconsistent graph; it writes TriG atomically, graph by
graph in IRI order. Its memory is bounded but for what resolution and reasoning need across
sources (people, entities, the facts the reasoner closes): each extraction waits in a temporary
spool beside the output (:mod:`kg.spool`) and is read back one at a time by each stage, each source
graph's block waits in the build cache or the spool until it is copied into the output, and the
facts go to the reasoner as the graphs are made. When a disk store is to be made, the stages run
in a child process (:mod:`kg.apart`), so that all they held is given back before the store's loader
takes its own. Each stage reports one line (through `log`) with its figures and
seconds; a progress bar shows on a terminal; a summary line ends the build.
"""
from __future__ import annotations

import ctypes
import gc
import itertools
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Graph

from . import apart, config, graph as graph_stage
from .graph import trig
from .cache import cache_folder, sweep
from .collector import fewer_collections
from .reason.closure import from_key, key as term_key
from .errors import ConfigError, InputError, KgError, ValidationError
from .extract import extract
from .link.targets import Gather
from .model import Extraction, Link
from .parallel import Extracted, Outlines, Workers, jobs_setting, packed, stream_graphs
from .progress import Progress
from .resolve import Outline, Resolution, load_table, resolve
from .resolve.places import placed_by_people
from .resolve.record import PeopleFile as people_file
from .resolve.tenures import tenures
from .reason import infer, load_ontology
from .read import find_inputs, read_source
from .read.kept import keep_texts, one_per_article
from .read.known import make as index_sources
from .shard.load import extracted
from .spool import Objects, Spool

Log = Callable[[str], None]


def stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass
class Summary:
    sources: int = 0
    skipped: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()  # (copy, the source kept)
    cached: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    asserted: int = 0
    inferred: int = 0
    links: int = 0
    people: int = 0
    tenures: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    output: str = ""
    bytes: int = 0


class _Clock:
    def __init__(self, summary: Summary, log: Log) -> None:
        self.summary, self.log, self.t = summary, log, time.perf_counter()
        self.start = self.t

    def lap(self, stage: str, line: str) -> None:
        now = time.perf_counter()
        self.summary.seconds[stage] = round(now - self.t, 3)
        self.log(f"{stage}: {line} in {now - self.t:.2f} s")
        self.t = now

    def total(self) -> float:
        return time.perf_counter() - self.start


def extract_all(inputs: Sequence[Path], log: Log = stderr, recursive: bool = False) -> list[Extraction]:
    return [extract(read_source(i)) for i in find_inputs(inputs, recursive)]


def link_all(extractions: Sequence[Extraction], online: bool = False) -> tuple[Link, ...]:
    from . import link as linking
    return tuple(linking.link(extractions, online=online).links)


def _linked(targets, online: bool) -> tuple[Link, ...]:
    from . import link as linking
    return tuple(linking.link_targets(targets, online=online).links)


def _spooled(ex: Extraction, objects: Objects, number: int | None, *gatherers) -> int:
    """Put `ex` in the spool unless it is there already (as object `number`: resolving changed
    nothing in it), and give it to each gatherer on the way (one read for them all)."""
    for g in gatherers:
        g.add(ex)
    return objects.add(ex) if number is None else number


def resolve_all(extractions: Sequence[Extraction], overrides: dict | None = None,
                log: Log = lambda line: None, outlines: Sequence[Outline] | None = None
                ) -> tuple[list[Extraction], Resolution]:
    """The extractions with person keys resolved across sources (`person_identity`, `people_table`);
    a source that never names its province but whose people place it is extracted again in it
    (:mod:`kg.resolve.places`), and the people resolved again. Given the extractions' `outlines`
    (:func:`kg.resolve.outline`, in the same order), resolving reads few of them."""
    table, identity = load_table(config.get("people_table", overrides)), str(config.get("person_identity", overrides))
    if identity == "name":
        return resolve(extractions, table, identity, outlines)
    return placed_by_people(extractions, lambda xs, os: resolve(xs, table, identity, os), log, outlines)


def _refuse_inconsistent(problems: Sequence[str]) -> None:
    if problems:
        raise ValidationError("the graph is inconsistent under OWL-RL; nothing written:\n  " + "\n  ".join(problems))


def _outcomes(results: list, held: Objects, keep_going: bool, log: Log
              ) -> tuple[Sequence[Extraction], list[str], list[str], int]:
    """Extractions (read back from `held` one at a time), their cache keys, the skipped paths
    and the cache hits; without `keep_going` the first source that could not be read stops the build."""
    numbers, keys, skipped = [], [], []
    for r in results:
        if r.held < 0:
            if not keep_going:
                raise InputError(r.path, r.problem)
            log(f"warning: skipped {r.path}: {r.problem}")
            skipped.append(str(r.path))
        else:
            numbers.append(r.held)
            keys.append(r.key)
    if not numbers:
        raise KgError("no source could be read; nothing written")
    return held.view(numbers), keys, skipped, sum(r.cached for r in results)


class _Held:
    """The extractions of a build, moved to a spool as they come, with what the extract line
    reports of each source, what finding the copies of an article reads of it (its
    :class:`kg.read.kept.Brief`) and what resolving reads of it (its :class:`kg.resolve.Outline`),
    so that none of them reads the extractions back."""

    def __init__(self, spool: Spool) -> None:
        self.objects, self.figures, self.briefs, self.outlines = Objects(spool), {}, {}, {}

    def __call__(self, r: Extracted) -> Extracted:
        if r.packed is None:  # from the cache, a shard or this process: packed here, as a worker packs it
            if r.extraction is None:
                return r
            r = replace(r, extraction=None, packed=packed(r.extraction))
        p = r.packed  # the bytes go to the spool as they are
        self.figures[p.source] = p.figures
        held = self.objects.add_packed(p.data)
        self.briefs[held], self.outlines[held] = p.brief, p.outline
        return replace(r, packed=None, held=held)

    def totals(self, leave_out: set[str]) -> tuple[Counter, int, int]:
        """Entities by class, facts and characters of every source but those in `leave_out`."""
        entities, facts, characters = Counter(), 0, 0
        for sid, (by_class, n, chars) in self.figures.items():
            if sid not in leave_out:
                entities.update(by_class)
                facts, characters = facts + n, characters + chars
        return entities, facts, characters


def _progress(label: str, total: int, show: bool | None) -> Progress:
    return Progress(label, total, enabled=show)


def _give_back_memory() -> None:
    """Return the memory the finished stages freed to the system: the collector first, then
    glibc's ``malloc_trim`` (CPython's small-object arenas and the freed heap stay mapped
    otherwise, and count in the process's size while the next stage allocates its own)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _store_loader(overrides: dict | None) -> str:
    loader = str(config.get("store_loader", overrides))
    if loader not in ("bulk", "batched"):
        raise ConfigError(f"store_loader must be 'bulk' or 'batched', not {loader!r}")
    return loader


def build(inputs: Sequence[Path], output: Path, do_reason: bool = True, online: bool = False,
          log: Log = stderr, overrides: dict | None = None, reasoner: str | None = None,
          keep_going: bool = False, progress: bool | None = None, recursive: bool = False,
          disk_store: bool = True) -> Summary:
    """Build the dataset `output` from `inputs`; the extractions and the source graphs' blocks
    are kept in a temporary file beside it while the build runs (:mod:`kg.spool`)."""
    summary = Summary(output=str(output))
    clock = _Clock(summary, log)
    # the union of the graphs (default-graph blocks), written beside the output with it: the store's default graph
    bulk = disk_store and _store_loader(overrides) == "bulk"
    union = Path(output).with_name(f".{Path(output).name}.union.{os.getpid()}.tmp") if bulk else None

    def stages(log: Log) -> Summary:
        clock.log = log
        with fewer_collections(), Spool(Path(output).parent) as spool, Workers(jobs_setting(overrides)) as workers:
            _build(inputs, Path(output), do_reason, online, log, overrides, reasoner, keep_going, progress, recursive,
                   spool, workers, clock, union)
        return summary

    try:
        if disk_store and apart.available():
            # the stages in a child process, whose memory is all given back when it ends, before the store's
            # loader takes its own (:mod:`kg.apart`); the clock goes on from where the child's stopped
            summary = clock.summary = apart.run(stages, log)
            clock.t, clock.log = time.perf_counter(), log
        else:
            stages(log)
        if disk_store and summary.bytes > float(config.get("store_cache_mb", overrides)) * 1024 * 1024:
            from .store import disk_store as make_store
            _give_back_memory()  # what the stages before held, before the store's loader takes its own
            seconds: dict[str, float] = {}
            folder = make_store(output, overrides, union, seconds)
            clock.lap("store", f"{folder}, the on-disk store `kg query`, `kg add` and `kg serve` open (loading "
                      f"{seconds.get('load', 0):.1f} s, compacting {seconds.get('optimize', 0):.1f} s)")
    finally:
        if union is not None:
            union.unlink(missing_ok=True)
    log(f"build: {summary.sources} sources ({summary.cached} from cache"
        + (f", {len(summary.skipped)} skipped" if summary.skipped else "") + f"), {summary.asserted:,} asserted and "
        f"{summary.inferred:,} inferred triples, {output} in {clock.total():.1f} s")
    return summary


def _build(inputs, output: Path, do_reason, online, log, overrides, reasoner, keep_going, progress, recursive,
           spool: Spool, workers: Workers, clock: _Clock, union: Path | None = None) -> None:
    summary = clock.summary
    reasoner = reasoner or config.get("reasoner", overrides)
    cache, jobs = cache_folder(output, overrides), jobs_setting(overrides)
    if cache is not None and cache.is_dir():
        sweep(cache)  # what a build killed mid-write left in the cache
    held = _Held(spool)
    results = extracted(inputs, recursive, cache, jobs, keep_going, progress, log, held, workers, True)  # or kg extract's shards
    extractions, keys, skipped, summary.cached = _outcomes(results, held.objects, keep_going, log)
    spooled = extractions  # the view of the spool, which tells an extraction read from it and passed on unchanged
    briefs = [held.briefs.pop(r.held) for r in results if r.held >= 0]
    outlines = [held.outlines.pop(r.held) for r in results if r.held >= 0]
    del results
    extractions, keys, summary.duplicates = one_per_article(extractions, keys, log, briefs)
    copies = {copy for copy, _ in summary.duplicates}
    outlines = [o for o in outlines if o.source not in copies]  # in the order of `extractions`, as the briefs
    briefs = [b for b in briefs if b.id not in copies]
    summary.sources, summary.skipped = len(extractions), tuple(skipped)
    entities, facts, characters = held.totals(copies)
    summary.entities = dict(sorted(entities.items()))
    clock.lap("extract", f"{summary.sources} sources ({characters:,} characters; "
              f"{summary.cached} from cache" + (f"; {len(skipped)} skipped" if skipped else "")
              + (f"; {len(summary.duplicates)} cop{'y' if len(summary.duplicates) == 1 else 'ies'} read once"
                 if summary.duplicates else "") + "): "
              f"{sum(summary.entities.values())} entities ("
              + ", ".join(f"{k} {v}" for k, v in summary.entities.items()) + f"), {facts} facts")
    extractions, resolution = resolve_all(extractions, overrides, log, outlines)
    del outlines
    # resolved once, not at each read; what linking and the labels need is gathered on the way
    gathered, votes, planning = Gather(), graph_stage.Labels(), Outlines(held.objects)
    extractions = held.objects.view([_spooled(x, held.objects, spooled.number(x), gathered, votes, planning)
                                     for x in extractions])
    del spooled
    summary.people = len(resolution.people)
    joined = sum(len({m.source for m in p.mentions}) > 1 for p in resolution.people)
    apart = sum(not d.same for d in resolution.decisions)
    line = (f"{sum(len(p.mentions) for p in resolution.people)} person mentions: {summary.people} people "
            f"({joined} across sources; {apart} pairs of one name kept apart)")
    held_posts = tenures(resolution)
    record = people_file(output)
    with record.staging(resolution, held_posts) as staged:  # the people record now: the mentions are let go of
        del resolution
        clock.lap("resolve", line)
        block = _graphs_to_file(extractions, keys, gathered, votes, held_posts, output, do_reason, online, overrides,
                                reasoner, progress, spool, workers, clock, union, briefs, planning.view())
        record.commit(staged, block)
    index_sources(output)
    clock.lap("write", f"{output} ({summary.bytes:,} bytes)")


def _graphs_to_file(extractions, keys, gathered, votes, held_posts, output: Path, do_reason: bool, online: bool,
                    overrides, reasoner: str, progress, spool: Spool, workers: Workers, clock: _Clock,
                    union: Path | None, briefs: Sequence | None = None, outlines: Sequence | None = None
                    ) -> tuple[int, int]:
    """Link, make the graphs, reason and write the dataset file, and the sources record from the
    extractions' `briefs` if given (planning the graphs from their `outlines` if given:
    :class:`kg.parallel.Outlines`); return where in the file the tenures graph is (its last block:
    `kg add` rewrites it), for the people record."""
    summary, cache = clock.summary, cache_folder(output, overrides)
    links = _linked(gathered.targets(), online)
    summary.links = len(links)
    clock.lap("link", f"{len(links)} Wikidata links ({'online' if online else 'offline'})")
    asserted = Asserted(reasoner if do_reason else None, overrides)
    blocks, prefixes = _graphs(extractions, keys, links, held_posts, cache, workers, overrides, progress, summary,
                               spool, asserted, votes.chosen(), outlines)
    clock.lap("graph", f"{summary.asserted:,} asserted triples in {summary.sources} source graphs and "
              f"{summary.tenures:,} tenures")
    if do_reason:
        blocks.append(_inferred(asserted, reasoner, overrides, summary, spool))
        clock.lap("reason", f"{summary.inferred:,} inferred ({reasoner})")
    else:
        clock.lap("reason", "skipped")
    del asserted
    blocks.sort(key=lambda b: b[0])
    with keep_texts(output, extractions, briefs, summary.duplicates):
        summary.bytes = trig.write(output, prefixes, (spool.read(b) if isinstance(b, tuple) else b for _, b in blocks),
                                   union)
    last = blocks[-1] if blocks and blocks[-1][0] == config.graph_iri("tenures", overrides=overrides) else None
    return (summary.bytes - len(last[1]) if last else summary.bytes, summary.bytes)


class Asserted:
    """The asserted facts (term keys), fed to the ``rules`` engine `reason_batch` at a time as the
    graphs are made, or kept for ``owlrl``; none kept when `reasoner` is None (no reasoning)."""

    def __init__(self, reasoner: str | None, overrides: dict | None) -> None:
        self.batch, self.pending = max(1, int(config.get("reason_batch", overrides))), []
        self.kept: list | None = [] if reasoner == "owlrl" else None
        self.engine = None
        if reasoner is not None and reasoner != "owlrl":
            from .reason import FastReasoner
            self.engine = FastReasoner(load_ontology(), config.get("base_iri", overrides))

    def add(self, facts: Sequence[tuple[str, str, str]]) -> None:
        if self.kept is not None:
            self.kept += facts
        elif self.engine is not None:
            self.pending += facts
            if len(self.pending) >= self.batch:
                self.flush()

    def flush(self) -> None:
        if self.pending:
            self.engine.add_keys(self.pending)
            self.pending = []


def _graphs(extractions, keys, links, held, cache, workers: Workers, overrides, progress, summary: Summary,
            spool: Spool, asserted: Asserted, labels: dict, outlines: Sequence | None = None):
    """The blocks of every graph but the inferred one (a source graph's as its cache file or its
    place in `spool`) and their prefixes; each graph's facts go to `asserted` as it is made.
    `labels` are the preferred labels (:func:`kg.graph.preferred_labels`)."""
    blocks: list[tuple[str, bytes | Path | tuple[int, int]]] = []
    if links:  # first: their owl:sameAs then shape the closure from its start, not rebuild it at its end
        triples = list(graph_stage.links_triples(links, overrides))
        links_iri = config.graph_iri("links", overrides=overrides)
        blocks.append((links_iri, trig.block(links_iri, trig.body(trig.formatted(triples)))))
        summary.asserted += len(set(triples))
        asserted.add([(term_key(s), term_key(p), term_key(o)) for s, p, o in triples
                      if graph_stage.is_fact((s, p, o))])
        asserted.flush()
    bar = _progress("graph", len(extractions), progress)
    for g in stream_graphs(extractions, keys, labels, cache, workers.jobs, overrides, bar.advance, workers=workers,
                           outlines=outlines):
        blocks.append((g.iri, g.block if isinstance(g.block, Path) else spool.put(g.block)))
        asserted.add(g.facts)
        summary.asserted += g.triples
    bar.close()
    prefixes = set(trig.prefix_lines())
    onto_block, used = trig.rdflib_block(config.graph_iri("ontology", overrides=overrides), load_ontology())
    prefixes |= used
    blocks.append((config.graph_iri("ontology", overrides=overrides), onto_block))
    summary.tenures = len(held)
    if held:
        rows = graph_stage.tenures_triples(held, overrides)
        iri = config.graph_iri("tenures", overrides=overrides)
        blocks.append((iri, trig.block(iri, trig.body(trig.formatted(rows)))))
        summary.asserted += len(rows)
        asserted.add([(term_key(s), term_key(p), term_key(o)) for s, p, o in rows])
    return blocks, prefixes


def _inferred(asserted: Asserted, reasoner: str, overrides: dict | None, summary: Summary,
              spool: Spool) -> tuple[str, bytes | tuple[int, int]]:
    """The inferred graph's block; the rules engine's is written to `spool` as it is made, from
    its integer triples (:func:`kg.graph.trig.key_rows_block`), never held whole as text."""
    iri = config.graph_iri("inferred", overrides=overrides)
    if reasoner == "owlrl":
        g = Graph()
        for s, p, o in asserted.kept:
            g.add((from_key(s), from_key(p), from_key(o)))
        found = infer(g, load_ontology(), overrides, "owlrl")
        _refuse_inconsistent(found.inconsistencies)
        summary.inferred = len(found.triples)
        return iri, trig.block(iri, trig.body(trig.formatted(found.triples)))
    asserted.flush()
    engine = asserted.engine
    _refuse_inconsistent(engine.problems())
    counted = itertools.count()
    rows = (t for t, _ in zip(engine.kept(), counted))  # read once, as the block is made: never a list
    key_of = engine.terms.keys.__getitem__
    asserted.engine = engine = None  # the closure goes once the rows are read, before they are sorted
    where = spool.put_chunks(trig.key_rows_block(iri, rows, key_of))
    summary.inferred = next(counted)
    return iri, where
