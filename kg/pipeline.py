"""The one place the stages are chained: read → extract → link → graph → reason → write.

`build` reads sources, extracts, links offline (online only when asked), builds the asserted
dataset, adds the ontology graph and, unless told not to, the OWL-RL inferences in a graph
of their own; it refuses to write an inconsistent graph; it writes TriG atomically. Each
stage reports one line (through `log`) with its figures and seconds.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Dataset, URIRef

from . import config, graph as graph_stage
from .errors import ValidationError
from .export import serialize, write_atomic
from .extract import extract
from .model import Extraction, Link
from .reason import load_ontology, reason
from .sources import find_sources, read_source

Log = Callable[[str], None]


def stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass
class Summary:
    sources: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    asserted: int = 0
    inferred: int = 0
    links: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    output: str = ""


class _Clock:
    def __init__(self, summary: Summary, log: Log) -> None:
        self.summary, self.log, self.t = summary, log, time.perf_counter()

    def lap(self, stage: str, line: str) -> None:
        now = time.perf_counter()
        self.summary.seconds[stage] = round(now - self.t, 3)
        self.log(f"{stage}: {line} in {now - self.t:.2f} s")
        self.t = now


def extract_all(inputs: Sequence[Path], log: Log = stderr) -> list[Extraction]:
    return [extract(read_source(p)) for p in find_sources(inputs)]


def link_all(extractions: Sequence[Extraction], online: bool = False) -> tuple[Link, ...]:
    from . import link as linking
    return tuple(linking.link(extractions, online=online).links)


def assemble(extractions: Sequence[Extraction], links: Sequence[Link], do_reason: bool = True,
             overrides: dict | None = None) -> tuple[Dataset, int, int]:
    """The full dataset: source graphs, links, ontology, inferences. Returns it with the
    asserted and inferred triple counts."""
    ds = graph_stage.build(extractions, links, overrides)
    asserted = sum(len(g) for g in ds.graphs())
    ontology = load_ontology()
    onto_iri = config.graph_iri("ontology", overrides=overrides)
    target = ds.graph(URIRef(onto_iri))
    for t in ontology:
        target.add(t)
    inferred = 0
    if do_reason:
        facts = graph_stage.facts_only(ds, exclude=[onto_iri])
        result = reason(facts, ontology, overrides)
        if result.inconsistencies:
            raise ValidationError("the graph is inconsistent under OWL-RL; nothing written:\n  "
                                  + "\n  ".join(result.inconsistencies))
        g = ds.graph(URIRef(config.graph_iri("inferred", overrides=overrides)))
        for t in result.inferred:
            g.add(t)
        inferred = len(result.inferred)
    return ds, asserted, inferred


def build(inputs: Sequence[Path], output: Path, do_reason: bool = True, online: bool = False,
          log: Log = stderr, overrides: dict | None = None) -> Summary:
    summary = Summary(output=str(output))
    clock = _Clock(summary, log)
    sources = [read_source(p) for p in find_sources(inputs)]
    summary.sources = len(sources)
    clock.lap("read", f"{len(sources)} sources ({sum(len(s.text) for s in sources):,} characters)")
    extractions = [extract(s) for s in sources]
    summary.entities = dict(sorted(Counter(e.cls for x in extractions for e in x.entities).items()))
    facts = sum(len(x.facts) for x in extractions)
    clock.lap("extract", f"{sum(summary.entities.values())} entities ("
              + ", ".join(f"{k} {v}" for k, v in summary.entities.items()) + f"), {facts} facts")
    links = link_all(extractions, online)
    summary.links = len(links)
    clock.lap("link", f"{len(links)} Wikidata links ({'online' if online else 'offline'})")
    ds, summary.asserted, summary.inferred = assemble(extractions, links, do_reason, overrides)
    clock.lap("graph+reason", f"{summary.asserted:,} asserted triples in {summary.sources} source graphs, "
              + (f"{summary.inferred:,} inferred (owlrl OWL-RL)" if do_reason else "reasoning skipped"))
    data = serialize(ds, "trig")
    write_atomic(output, data)
    clock.lap("write", f"{output} ({len(data):,} bytes)")
    return summary
