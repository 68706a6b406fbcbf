"""Validate a dataset: SHACL conformance of its asserted data, and OWL-RL consistency.

Takes an rdflib Dataset laid out as ``kg build`` writes it (one graph per source, the
Wikidata links, the ontology, owlrl's inferences) and returns a :class:`Report`. The
shapes (``ontology/shapes.ttl``) check the asserted data: every graph but the ontology
and, unless asked, the inferred one. The ontology is given to pyshacl only so that class
targets reach subclasses; pyshacl itself infers nothing. Consistency runs owlrl's OWL-RL
closure over a copy of asserted data ∪ ontology and reports owlrl's error messages and
any member of owl:Nothing. It never changes the dataset given, and never says "conforms"
when either check fails. It does not build, reason for export, or repair anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import owlrl
import pyshacl
from owlrl.Namespaces import ERRNS
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, NamespaceManager

from . import config
from .graph import EVIDENCE_PREDICATES
from .errors import InputError
from .vocab import VNKG, bind_all

ONTOLOGY_FILE = "vnkg.ttl"
SHAPES_FILE = "shapes.ttl"
# owlrl writes its error messages with ERRNS; older write-ups name the agent-ontology one.
_ERROR_NAMESPACES = (ERRNS, Namespace("http://www.daml.org/2002/03/agents/agent-ontology#"))


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`. ``conforms`` is true only if both checks pass."""

    conforms: bool
    shacl_text: str
    violations: tuple[str, ...]
    inconsistencies: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        """0 when the dataset conforms and is consistent, 1 otherwise."""
        return 0 if self.conforms else 1

    def text(self) -> str:
        """The plain-text summary of :func:`render`."""
        return render(self)


def validate(
    dataset: Dataset | Graph,
    *,
    with_inferred: bool = False,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    reason_over_evidence: bool = False,
    overrides: dict[str, Any] | None = None,
) -> Report:
    """Check ``dataset`` against the shapes and for OWL-RL consistency.

    ``with_inferred`` adds the inferred graph to the data the shapes see. Evidence nodes
    are checked by the shapes; OWL-RL reasons over them only if ``reason_over_evidence``
    (they are provenance, most of the triples, and make owlrl several times slower).
    ``ontology`` and ``shapes`` default to the files in :data:`kg.config.ONTOLOGY_DIR`;
    ``overrides`` are settings (``graph_base``) naming the ontology and inferred graphs.
    """
    ontology = load_ontology() if ontology is None else ontology
    shapes = load_shapes() if shapes is None else shapes
    data = asserted_graph(dataset, with_inferred=with_inferred, overrides=overrides)
    shacl_ok, found, text = check_shapes(data, shapes, ontology)
    facts = asserted_graph(dataset, overrides=overrides)
    problems = consistency(facts if reason_over_evidence else without_evidence(facts), ontology)
    return Report(shacl_ok and not problems, text, found, problems)


def load_ontology(path: Path | None = None) -> Graph:
    """The vnkg ontology, from ``ontology/vnkg.ttl`` unless another path is given."""
    return _parse(path or config.ONTOLOGY_DIR / ONTOLOGY_FILE)


def load_shapes(path: Path | None = None) -> Graph:
    """The SHACL shapes, from ``ontology/shapes.ttl`` unless another path is given."""
    return _parse(path or config.ONTOLOGY_DIR / SHAPES_FILE)


def _parse(path: Path) -> Graph:
    if not path.is_file():
        raise InputError(path, "no such file; expected the Turtle file shipped in ontology/")
    try:
        return Graph().parse(path, format="turtle")
    except (SyntaxError, ValueError) as exc:  # rdflib's BadSyntax is a SyntaxError
        raise InputError(path, f"not readable as Turtle: {exc}") from exc


def asserted_graph(
    dataset: Dataset | Graph, *, with_inferred: bool = False, overrides: dict[str, Any] | None = None
) -> Graph:
    """A plain Graph of the data: every graph except the ontology (and the inferred one)."""
    if not isinstance(dataset, Dataset):
        return _copy([dataset])
    skip = {URIRef(config.graph_iri("ontology", overrides=overrides))}
    if not with_inferred:
        skip.add(URIRef(config.graph_iri("inferred", overrides=overrides)))
    return _copy(g for g in dataset.graphs() if g.identifier not in skip)


def without_evidence(graph: Graph) -> Graph:
    """A copy of ``graph`` without the triples about its evidence nodes: its vnkg:Evidence, and
    the evidence, mentions and sentences that the evidence predicates describe (untyped)."""
    evidence = set(graph.subjects(RDF.type, VNKG.Evidence))
    evidence.update(s for s, p, _ in graph if p in EVIDENCE_PREDICATES)
    out = Graph()
    for triple in graph:
        if triple[0] not in evidence:
            out.add(triple)
    return out


def _copy(graphs: Iterable[Graph]) -> Graph:
    out = Graph()
    for graph in graphs:
        for triple in graph:
            out.add(triple)
    return out


def check_shapes(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, tuple[str, ...], str]:
    """SHACL validation of ``data``: (conforms, one line per violation, pyshacl's report)."""
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=False
    )
    return bool(conforms), violations(results), str(text)


def violations(results: Graph) -> tuple[str, ...]:
    """One line per sh:ValidationResult, sorted: focus node, path, message, value."""
    names = Graph()
    bind_all(names)
    lines = (_describe(results, r, names.namespace_manager) for r in results.subjects(RDF.type, SH.ValidationResult))
    return tuple(sorted(set(lines)))


def _describe(results: Graph, result: Any, names: NamespaceManager) -> str:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    if message is None:
        message = results.value(result, SH.sourceConstraintComponent)
    value = results.value(result, SH.value)
    line = f"{focus.n3(names) if focus is not None else '?'}"
    line += f" {path.n3(names)}" if isinstance(path, URIRef) else ""
    line += f": {message}"
    return line + (f" (value {value.n3(names)})" if value is not None else "")


def consistency(data: Graph, ontology: Graph) -> tuple[str, ...]:
    """OWL-RL inconsistencies of data ∪ ontology. Works on a copy: neither graph changes."""
    closure = _copy([data, ontology])
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return inconsistencies(closure)


def inconsistencies(graph: Graph | Dataset) -> tuple[str, ...]:
    """What owlrl found wrong, from its output: its error messages and owl:Nothing's members.

    ``graph`` is what owlrl expanded (or the graph it wrote into); sorted, without repeats.
    """
    graphs = list(graph.graphs()) if isinstance(graph, Dataset) else [graph]
    found: set[str] = set()
    for g in graphs:
        found.update(error_messages(g))
        found.update(f"{x} is defined of type 'Nothing'" for x in g.subjects(RDF.type, OWL.Nothing))
    return tuple(sorted(found))


def error_messages(graph: Graph) -> Iterable[str]:
    """owlrl's error reports in a graph it expanded, as it wrote them."""
    for ns in _ERROR_NAMESPACES:
        for node in graph.subjects(RDF.type, ns.ErrorMessage):
            for prop in (ns.error, RDFS.comment):
                yield from (str(m) for m in graph.objects(node, prop) if isinstance(m, Literal))


def render(report: Report) -> str:
    """A plain-text summary: the verdict, then every violation and inconsistency."""
    lines = [f"conforms: {'yes' if report.conforms else 'no'}"]
    lines.append(f"shape violations: {len(report.violations)}")
    lines.extend(f"  {v}" for v in report.violations)
    lines.append(f"OWL-RL inconsistencies: {len(report.inconsistencies)}")
    lines.extend(f"  {i}" for i in report.inconsistencies)
    return "\n".join(lines)
