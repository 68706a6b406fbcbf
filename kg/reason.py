"""OWL-RL materialisation with owlrl, the reference reasoner, keeping asserted and inferred apart.

Takes the asserted facts (evidence nodes left out: they are provenance, not knowledge) and
the ontology; returns a :class:`Reasoned` with the inferred triples alone and any
inconsistencies owlrl reported. What is kept of owlrl's output, by rule:

* only triples about data (subject under the data base IRI): class and property axioms that
  owlrl re-derives for the vocabularies are the ontology's business, not the data's;
* no reflexive ``owl:sameAs``, no literal subjects, nothing already asserted;
* owlrl's ``err:ErrorMessage`` reports and members of ``owl:Nothing`` become inconsistencies,
  never data.
"""
from __future__ import annotations

from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from . import config

ERRNS = str(owlrl.Namespaces.ERRNS)  # owlrl's own namespace for its error reports


@dataclass(frozen=True)
class Reasoned:
    inferred: Graph
    inconsistencies: tuple[str, ...]


def load_ontology() -> Graph:
    g = Graph()
    g.parse(config.ONTOLOGY_DIR / "vnkg.ttl", format="turtle")
    return g


def reason(facts: Graph, ontology: Graph, overrides: dict | None = None) -> Reasoned:
    """Materialise the OWL-RL closure of `facts` under `ontology`; return only what is new."""
    base = config.get("base_iri", overrides)
    work = Graph()
    for t in facts:
        work.add(t)
    for t in ontology:
        work.add(t)
    # owlrl's expand(…, destination=…) reads only the source graph, so rules never see what other
    # rules inferred (a property chain over an inferred property is lost): expand in place, then
    # keep what is new.
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    raw = Graph()
    for t in work:
        if t not in facts and t not in ontology:
            raw.add(t)
    problems = _inconsistencies(raw)
    inferred = Graph()
    for s, p, o in raw:
        if _keep(s, p, o, base) and (s, p, o) not in facts:
            inferred.add((s, p, o))
    problems += tuple(f"{s} is a member of owl:Nothing" for s in inferred.subjects(RDF.type, OWL.Nothing))
    return Reasoned(inferred, problems)


def _keep(s, p, o, base: str) -> bool:
    if isinstance(s, Literal) or not str(s).startswith(base):
        return False
    return not (p == OWL.sameAs and s == o)


def _inconsistencies(raw: Graph) -> tuple[str, ...]:
    out = []
    for node in raw.subjects(RDF.type, URIRef(ERRNS + "ErrorMessage")):
        for msg in raw.objects(node, RDFS.comment):
            out.append(" ".join(str(msg).split()))
        for msg in raw.objects(node, URIRef(ERRNS + "error")):
            out.append(" ".join(str(msg).split()))
    return tuple(sorted(set(out)))
