"""The one place the stages are chained: read → extract → resolve → link → graph → reason → write.

`build` reads sources — text files, saved pages, PDF and Word files (:mod:`kg.read`) — skipping
unreadable ones with a warning under ``keep_going``, and reads an article found twice once,
extracts (from the build cache where the source, its sidecar and the extractor are
unchanged; in worker processes otherwise; from the shard folders `kg extract` wrote,
:mod:`kg.shard`, when given them), links offline (online only when asked), writes
each source's named graph (cached too), adds the ontology graph and, unless told not to, the
OWL-RL inferences in a graph of their own (the compiled ``rules`` engine by default, ``owlrl``
on request); it refuses to write an inconsistent graph; it writes TriG atomically, graph by
graph in IRI order. Each stage reports one line (through `log`) with its figures and
seconds; a progress bar shows on a terminal; a summary line ends the build.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Dataset, Graph, URIRef

from . import config, graph as graph_stage, trig
from .cache import sweep
from .closure import from_key, key as term_key
from .errors import InputError, KgError, ValidationError
from .extract import extract
from .model import Extraction, Link
from .parallel import graph_sources, jobs_setting
from .progress import Progress
from .resolve import Resolution, load_table, resolve
from .resolve.places import placed_by_people
from .resolve.record import PeopleFile as people_file
from .resolve.tenures import tenures
from .reason import infer, load_ontology, reason
from .read import find_inputs, read_source
from .read.kept import keep_texts, one_per_article
from .shard.load import extracted

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


def resolve_all(extractions: Sequence[Extraction], overrides: dict | None = None,
                log: Log = lambda line: None) -> tuple[list[Extraction], Resolution]:
    """The extractions with person keys resolved across sources (`person_identity`, `people_table`);
    a source that never names its province but whose people place it is extracted again in it
    (:mod:`kg.resolve.places`), and the people resolved again."""
    table, identity = load_table(config.get("people_table", overrides)), str(config.get("person_identity", overrides))
    if identity == "name":
        return resolve(extractions, table, identity)
    return placed_by_people(extractions, lambda xs: resolve(xs, table, identity), log)


def assemble(extractions: Sequence[Extraction], links: Sequence[Link], do_reason: bool = True,
             overrides: dict | None = None, reasoner: str = "owlrl",
             resolution: Resolution | None = None) -> tuple[Dataset, int, int]:
    """The full dataset in memory (rdflib): source graphs, tenures, links, ontology, inferences.
    Returns it with the asserted and inferred triple counts. `extractions` are resolved
    (:func:`resolve_all`). For small inputs and tests; `build` streams."""
    ds = graph_stage.build(extractions, links, overrides, resolution)
    asserted = sum(len(g) for g in ds.graphs())
    ontology = load_ontology()
    onto_iri = config.graph_iri("ontology", overrides=overrides)
    target = ds.graph(URIRef(onto_iri))
    for t in ontology:
        target.add(t)
    inferred = 0
    if do_reason:
        result = reason(graph_stage.facts_only(ds, exclude=[onto_iri]), ontology, overrides, reasoner)
        _refuse_inconsistent(result.inconsistencies)
        g = ds.graph(URIRef(config.graph_iri("inferred", overrides=overrides)))
        for t in result.inferred:
            g.add(t)
        inferred = len(result.inferred)
    return ds, asserted, inferred


def _refuse_inconsistent(problems: Sequence[str]) -> None:
    if problems:
        raise ValidationError("the graph is inconsistent under OWL-RL; nothing written:\n  " + "\n  ".join(problems))


def _outcomes(results: list, keep_going: bool, log: Log) -> tuple[list[Extraction], list[str], list[str], int]:
    """Extractions, their cache keys, the skipped paths and the cache hits; without
    `keep_going` the first source that could not be read stops the build."""
    extractions, keys, skipped = [], [], []
    for r in results:
        if r.extraction is None:
            if not keep_going:
                raise InputError(r.path, r.problem)
            log(f"warning: skipped {r.path}: {r.problem}")
            skipped.append(str(r.path))
        else:
            extractions.append(r.extraction)
            keys.append(r.key)
    if not extractions:
        raise KgError("no source could be read; nothing written")
    return extractions, keys, skipped, sum(r.cached for r in results)


def cache_folder(output: Path, overrides: dict | None = None) -> Path | None:
    setting = str(config.get("build_cache", overrides))
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else Path(output).parent / ".vnkg-cache"


def _progress(label: str, total: int, show: bool | None) -> Progress:
    return Progress(label, total, enabled=show)


def build(inputs: Sequence[Path], output: Path, do_reason: bool = True, online: bool = False,
          log: Log = stderr, overrides: dict | None = None, reasoner: str | None = None,
          keep_going: bool = False, progress: bool | None = None, recursive: bool = False,
          disk_store: bool = True) -> Summary:
    summary = Summary(output=str(output))
    clock = _Clock(summary, log)
    reasoner = reasoner or config.get("reasoner", overrides)
    cache, jobs = cache_folder(output, overrides), jobs_setting(overrides)
    if cache is not None and cache.is_dir():
        sweep(cache)  # what a build killed mid-write left in the cache
    results = extracted(inputs, recursive, cache, jobs, keep_going, progress, log)  # sources, or kg extract's shards
    extractions, keys, skipped, summary.cached = _outcomes(results, keep_going, log)
    extractions, keys, summary.duplicates = one_per_article(extractions, keys, log)
    summary.sources, summary.skipped = len(extractions), tuple(skipped)
    summary.entities = dict(sorted(Counter(e.cls for x in extractions for e in x.entities).items()))
    facts = sum(len(x.facts) for x in extractions)
    clock.lap("extract", f"{summary.sources} sources ({sum(len(x.source.text) for x in extractions):,} characters; "
              f"{summary.cached} from cache" + (f"; {len(skipped)} skipped" if skipped else "")
              + (f"; {len(summary.duplicates)} cop{'y' if len(summary.duplicates) == 1 else 'ies'} read once"
                 if summary.duplicates else "") + "): "
              f"{sum(summary.entities.values())} entities ("
              + ", ".join(f"{k} {v}" for k, v in summary.entities.items()) + f"), {facts} facts")
    extractions, resolution = resolve_all(extractions, overrides, log)
    summary.people = len(resolution.people)
    joined = sum(len({m.source for m in p.mentions}) > 1 for p in resolution.people)
    apart = sum(not d.same for d in resolution.decisions)
    clock.lap("resolve", f"{sum(len(p.mentions) for p in resolution.people)} person mentions: {summary.people} people "
              f"({joined} across sources; {apart} pairs of one name kept apart)")
    links = link_all(extractions, online)
    summary.links = len(links)
    clock.lap("link", f"{len(links)} Wikidata links ({'online' if online else 'offline'})")
    blocks, prefixes, asserted_facts = _graphs(extractions, keys, links, resolution, cache, jobs, overrides, progress,
                                               summary)
    clock.lap("graph", f"{summary.asserted:,} asserted triples in {summary.sources} source graphs and "
              f"{summary.tenures:,} tenures")
    if do_reason:
        blocks.append(_inferred(asserted_facts, reasoner, overrides, summary))
        clock.lap("reason", f"{summary.inferred:,} inferred ({reasoner})")
    else:
        clock.lap("reason", "skipped")
    del asserted_facts
    blocks.sort(key=lambda b: b[0])
    with keep_texts(output, extractions):
        summary.bytes = trig.write(output, prefixes, [b for _, b in blocks])
    last = blocks[-1] if blocks and blocks[-1][0] == config.graph_iri("tenures", overrides=overrides) else None
    people_file(output).write(resolution, (summary.bytes - len(last[1]) if last else summary.bytes, summary.bytes))
    clock.lap("write", f"{output} ({summary.bytes:,} bytes)")
    if disk_store and summary.bytes > float(config.get("store_cache_mb", overrides)) * 1024 * 1024:
        from .store import disk_store as make_store
        clock.lap("store", f"{make_store(output)}, the on-disk store `kg query`, `kg add` and `kg serve` open")
    log(f"build: {summary.sources} sources ({summary.cached} from cache"
        + (f", {len(skipped)} skipped" if skipped else "") + f"), {summary.asserted:,} asserted and "
        f"{summary.inferred:,} inferred triples, {output} in {clock.total():.1f} s")
    return summary


def _graphs(extractions, keys, links, resolution, cache, jobs, overrides, progress, summary: Summary):
    """The blocks of every graph but the inferred one, their prefixes, and the asserted facts."""
    labels = graph_stage.preferred_labels(list(extractions))
    bar = _progress("graph", len(extractions), progress)
    graphs, _ = graph_sources(extractions, keys, labels, cache, jobs, overrides, bar.advance)
    bar.close()
    blocks = [(g.iri, g.block) for g in graphs]
    facts = [t for g in graphs for t in g.facts]
    summary.asserted = sum(g.triples for g in graphs)
    prefixes = set(trig.prefix_lines())
    onto_block, used = trig.rdflib_block(config.graph_iri("ontology", overrides=overrides), load_ontology())
    prefixes |= used
    blocks.append((config.graph_iri("ontology", overrides=overrides), onto_block))
    held = tenures(resolution)
    summary.tenures = len(held)
    if held:
        rows = graph_stage.tenures_triples(held, overrides)
        iri = config.graph_iri("tenures", overrides=overrides)
        blocks.append((iri, trig.block(iri, trig.body(trig.formatted(rows)))))
        summary.asserted += len(rows)
        facts += [(term_key(s), term_key(p), term_key(o)) for s, p, o in rows]
    if links:
        triples = list(graph_stage.links_triples(links, overrides))
        links_iri = config.graph_iri("links", overrides=overrides)
        blocks.append((links_iri, trig.block(links_iri, trig.body(trig.formatted(triples)))))
        summary.asserted += len(set(triples))
        facts += [(term_key(s), term_key(p), term_key(o)) for s, p, o in triples if graph_stage.is_fact((s, p, o))]
    return blocks, prefixes, facts


def _inferred(facts: list, reasoner: str, overrides: dict | None, summary: Summary) -> tuple[str, bytes]:
    ontology = load_ontology()
    if reasoner == "owlrl":
        g = Graph()
        for s, p, o in facts:
            g.add((from_key(s), from_key(p), from_key(o)))
        found = infer(g, ontology, overrides, "owlrl")
        rows = trig.formatted(found.triples)
    else:
        from .reason import FastReasoner
        engine = FastReasoner(ontology, config.get("base_iri", overrides))
        engine.add_keys(facts)
        found = engine.result()
        rows = [trig.key_row(t) for t in found.triples]
    _refuse_inconsistent(found.inconsistencies)
    summary.inferred = len(found.triples)
    iri = config.graph_iri("inferred", overrides=overrides)
    return iri, trig.block(iri, trig.body(rows))
