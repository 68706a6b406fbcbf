"""An entity's facts with their evidence, for the notebook API (what the server's entity page shows).

Takes a backend (:mod:`kg.toolkit.backends`: its public view, the graphs the server serves), an
entity's IRI and a function giving labels; returns :class:`Facts`: each triple about the
entity in either direction (the evidence nodes' own pointers left out), the graphs that state
it, whether only the reasoner's ``inferred`` graph does, and for asserted facts the evidence
behind them — the extraction rule, the source file, the sentence, and the character offsets in
the original file. Everything is asked in SPARQL, so a file and an endpoint answer alike.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional

from .. import config
from ..errors import KgError
from ..graph import evidence_pattern
from .rows import Result, pandas
from ..vocab import NAMESPACES

NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')  # what SPARQL's IRIREF may not hold
_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# ?ev is the mention a fact was read from, by the rule of kg.graph.evidence_of, or a Wikidata
# link's evidence node (which has a rule and no mention)
_EVIDENCE = """OPTIONAL { ?ev vnkg:inSentence ?in .
    OPTIONAL { ?in vnkg:source ?src OPTIONAL { ?src dcterms:identifier ?file } }
    OPTIONAL { ?in rdf:value ?sentence } OPTIONAL { ?ev vnkg:start ?start } OPTIONAL { ?ev vnkg:end ?end } }
  OPTIONAL { ?ev vnkg:rule ?rule }"""


def _link(s: str, o: str) -> str:
    """A Wikidata link's evidence node for (`s` ?p `o`): it has a rule and no mention."""
    return f"{{ ?n rdf:subject {s} ; rdf:predicate ?p ; rdf:object {o} . FILTER NOT EXISTS {{ ?n vnkg:mention ?x }} BIND(?n AS ?ev) }}"


OUTGOING = "SELECT ?p ?o ?g WHERE { GRAPH ?g { <IRI> ?p ?o } }"
INCOMING = _PREFIXES + ("SELECT ?s ?p ?g WHERE { GRAPH ?g { ?s ?p <IRI> } "
                        "FILTER(?p NOT IN (rdf:subject, rdf:object, vnkg:supports, vnkg:denotes, vnkg:relates)) }")
EVIDENCE_OUT = (_PREFIXES + "SELECT ?ev ?p ?o ?src ?file ?sentence ?start ?end ?rule WHERE {\n  GRAPH ?g { "
                + evidence_pattern("<IRI>", "?p", "?o", "?ev", hidden="?n") + " UNION "
                + _link("<IRI>", "?o") + " }\n  " + _EVIDENCE + "\n}")
EVIDENCE_IN = (_PREFIXES + "SELECT ?ev ?s ?p ?src ?file ?sentence ?start ?end ?rule WHERE {\n  GRAPH ?g { "
               + evidence_pattern("?s", "?p", "<IRI>", "?ev", hidden="?n") + " UNION "
               + _link("?s", "<IRI>") + " }\n  " + _EVIDENCE + "\n}")


@dataclass(frozen=True)
class Evidence:
    source: str  # the source's file name (its IRI if it has none)
    sentence: str
    start: Optional[int]  # character offsets, in the original file, of the words the fact was read from
    end: Optional[int]
    rule: str  # the extraction rule (the rules, comma-separated, that read the same span)
    source_iri: str
    iri: str  # the mention it was read from (a Wikidata link: its evidence node)


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    object: Any  # an IRI (str) or the literal's Python value
    property: str  # the predicate as a prefixed name: "vnkg:holds"
    label: str  # the other end's label: the object's, or the subject's for an incoming fact
    incoming: bool
    inferred: bool  # stated only by the reasoner
    graphs: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Facts:
    """The facts about one entity, outgoing first; iterable, and ``to_pandas()`` gives one row
    per fact and evidence (a fact without evidence: one row with empty evidence columns)."""

    entity: str
    label: str
    items: tuple[Fact, ...]

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Fact:
        return self.items[i]

    def to_pandas(self) -> Any:
        pd = pandas()
        rows = [_frame_row(f, e) for f in self.items for e in (f.evidence or (None,))]
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
        return frame.astype({"start": "Int64", "end": "Int64"})


FRAME_COLUMNS = ("direction", "property", "subject", "object", "label", "inferred", "source", "sentence",
                 "start", "end", "rule", "predicate", "graphs")


def _frame_row(f: Fact, e: Optional[Evidence]) -> tuple:
    return ("in" if f.incoming else "out", f.property, f.subject, f.object if isinstance(f.object, str) else str(f.object),
            f.label, f.inferred, e and e.source, e and e.sentence, e and e.start, e and e.end, e and e.rule,
            f.predicate, " ".join(f.graphs))


def short(iri: str) -> str:
    """A prefixed name for a vocabulary IRI (vnkg:holds), else the IRI."""
    for prefix, ns in sorted(NAMESPACES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def facts(run: Callable[[str], Result], iri: str, labels: Callable[[Iterable[str]], dict[str, str]],
          overrides: Optional[dict] = None) -> Facts:
    """The facts about `iri`; `run` answers a query on the public graphs."""
    if NOT_IN_IRI.search(iri):
        raise KgError(f"{iri!r} is not an IRI (it holds a character an IRI may not hold)")
    ask = lambda template: run(template.replace("IRI", iri))
    out, into = _grouped(ask(OUTGOING), "o"), _grouped(ask(INCOMING), "s")
    if not out and not into:
        raise KgError(f"nothing is known about <{iri}>")
    evidence = _evidence(ask(EVIDENCE_OUT), "o") | _evidence(ask(EVIDENCE_IN), "s", incoming=True)
    names = labels([iri, *(value for _, (value, kind, _) in [*out, *into] if kind == "iri")])
    inferred = config.graph_iri("inferred", overrides=overrides)
    items = [_fact(iri, key, graphs, evidence, names, inferred, False) for key, graphs in sorted(out.items(), key=_order)]
    items += [_fact(iri, key, graphs, evidence, names, inferred, True) for key, graphs in sorted(into.items(), key=_order)]
    return Facts(iri, names.get(iri, ""), tuple(items))


def _order(item: tuple) -> tuple:
    (p, (_, kind, text)), _ = item
    return p, kind != "iri", text


def _grouped(result: Result, other: str) -> dict[tuple, set[str]]:
    """(predicate, (value, kind, lexical) of the other end) → the graphs stating it."""
    o, p, g = result.column(other), result.column("p"), result.column("g")
    grouped: dict[tuple, set[str]] = defaultdict(set)
    for i, (value, text) in enumerate(zip(o.values, o.lexical)):
        grouped[(p.values[i], (value, o.kind(i), text))].add(g.values[i])
    return grouped


def _evidence(result: Result, other: str, incoming: bool = False) -> dict:
    """(direction, predicate, lexical of the other end) → its evidence, in source order; a span
    read by several rules is one piece of evidence naming them all ("meeting-speaker, person-title")."""
    rows: dict[tuple, dict] = {}
    cols = {name: result.column(name) for name in result.columns}
    for i in range(len(result)):
        get = lambda name: cols[name].values[i]
        key = (incoming, get("p"), cols[other].lexical[i], str(get("ev")))
        row = rows.setdefault(key, {"src": get("src") or "", "file": get("file"), "sentence": get("sentence"),
                                    "start": get("start"), "end": get("end"), "rules": set()})
        if get("rule"):
            row["rules"].add(str(get("rule")))
    found: dict[tuple, list[Evidence]] = defaultdict(list)
    for (inc, p, lexical, ev), r in rows.items():
        found[(inc, p, lexical)].append(Evidence(
            str(r["file"] or r["src"]), str(r["sentence"] or ""), r["start"], r["end"], ", ".join(sorted(r["rules"])),
            str(r["src"]), ev))
    return {k: tuple(sorted(v, key=lambda e: (e.source, e.start or 0, e.iri))) for k, v in found.items()}


def _fact(iri: str, key: tuple, graphs: set[str], evidence: dict, names: dict[str, str], inferred_graph: str,
          incoming: bool) -> Fact:
    p, (value, kind, text) = key
    inferred = bool(graphs) and all(g == inferred_graph for g in graphs)
    label = names.get(value) or short(value) if kind == "iri" else str(text)
    subject, obj = (value, iri) if incoming else (iri, value)
    found = () if inferred else evidence.get((incoming, p, text), ())
    return Fact(subject, p, obj, short(p), label, incoming, inferred, tuple(sorted(graphs)), found)
