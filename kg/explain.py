"""Explain facts: for entities matching a text, each fact with the rule that produced it and
the sentence (and original offsets) it came from; inferred facts are marked as such.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from . import config
from .export import load
from .graph import InGraph, evidence_of, rule_names
from .text import fold
from .vocab import VNKG


def explain(graph: Path, text: str) -> str:
    ds = load(graph)
    ds.default_union = True
    key = fold(text)
    subjects = sorted({s for s, o in ds.subject_objects(RDFS.label)
                       if isinstance(s, URIRef) and key in fold(str(o)) and (s, RDF.type, VNKG.Evidence) not in ds})
    people = _people(graph)
    return "".join(_entity(ds, s) + people.get(str(s), "") for s in subjects) or f"no entity's label contains {text!r}\n"


def _people(graph: Path) -> dict[str, str]:
    """Why each person of the build is the mentions it is: IRI → lines (from the people record)."""
    from .ids import mint
    from .resolve.record import PeopleFile
    res = PeopleFile(graph).read()
    if res is None:
        return {}
    base = config.get("base_iri")
    owner = {m.ref: p for p in res.people for m in p.mentions}
    out: dict[str, list[str]] = {}
    for p in res.people:
        iri = mint(p.key, base)
        sources = sorted({m.source for m in p.mentions})
        out[iri] = [f"  identity: {len(p.mentions)} mention(s) in {len(sources)} source(s) are this person\n"]
    for d in res.decisions:
        a, b = owner.get(d.a), owner.get(d.b)
        if a is None or b is None:
            continue
        for mine, other in ((a, b), (b, a)):
            if d.same:
                line = f"    one person: {d.a} and {d.b} — {d.reason}\n"
            else:
                line = f"    not {mint(other.key, base)}: {d.a} and {d.b} — {d.reason}\n"
            out[mint(mine.key, base)].append(line)
            if d.same:
                break
    return {iri: "".join(dict.fromkeys(lines)) for iri, lines in out.items()}


def _entity(ds: Dataset, s: URIRef) -> str:
    inferred = ds.graph(URIRef(config.graph_iri("inferred")))
    lines = [f"{ds.value(s, RDFS.label)} <{s}>\n"]
    for p, o in sorted(ds.predicate_objects(s), key=lambda po: (str(po[0]), str(po[1]))):
        if p == RDFS.label:
            continue
        shown = o if isinstance(o, Literal) else ds.value(o, RDFS.label) or o
        m = next((m for _, _, _, g in ds.quads((s, p, o, None)) if g is not None
                  for m in evidence_of(InGraph(ds, g), (s, p, o))), None)
        if m is not None:
            sentence = ds.value(m, VNKG.inSentence)
            how = (f"rule {rule_names(ds, m)}, {_source(ds, sentence)} "
                   f"[{ds.value(m, VNKG.start)}:{ds.value(m, VNKG.end)}]: «{ds.value(sentence, RDF.value)}»")
        elif (s, p, o) in inferred:
            how = "inferred by OWL-RL"
        else:
            how = "asserted"
        lines.append(f"  {ds.namespace_manager.normalizeUri(p)} {shown}\n      ← {how}\n")
    return "".join(lines)


def _source(ds: Dataset, sentence) -> str:
    src = ds.value(sentence, VNKG.source)
    return str(ds.value(src, URIRef("http://purl.org/dc/terms/identifier")) or src)
