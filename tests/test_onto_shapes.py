"""SHACL shapes and kg.validate: a valid fixture conforms; each broken variant of it fails
with the message of the shape it breaks."""
from __future__ import annotations

from pathlib import Path

import pytest
from onto_fixtures import SOURCE_GRAPH, VALID, dataset, graph, trig
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from owlrl.Namespaces import ERRNS

from kg.errors import InputError
from kg.validate import (
    check_shapes, inconsistencies, load_ontology, load_shapes, render, validate,
)

INFERRED_GRAPH = "https://w3id.org/vnkg/graph/inferred"
ONTOLOGY_GRAPH = "https://w3id.org/vnkg/graph/ontology"
LINKS_GRAPH = "https://w3id.org/vnkg/graph/links"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def test_valid_fixture_conforms() -> None:
    report = validate(dataset(trig({SOURCE_GRAPH: VALID})))
    assert report.conforms, render(report)
    assert (report.violations, report.inconsistencies, report.exit_code) == ((), (), 0)


# (id, text in VALID, replacement, fragment of the expected violation)
BROKEN = [
    ("post-without-role", " vnkg:role id:uy-vien ;", "", "exactly one vnkg:role"),
    ("post-role-not-a-role", "vnkg:role id:uy-vien", "vnkg:role id:bct", "exactly one vnkg:role"),
    ("post-without-body", "vnkg:postIn id:bct .", "vnkg:mentionedIn id:src-a .", "exactly one vnkg:postIn"),
    ("label-without-vi", '"Bộ Chính trị"@vi', '"Bộ Chính trị"', "tagged @vi"),
    ("label-plain-beside-vi", '"Bộ Chính trị"@vi', '"Bộ Chính trị"@vi , "BCT"', "language tag"),
    ("label-en-only", '"Lê Minh Hưng"@vi', '"Le Minh Hung"@en', "tagged @vi"),
    ("two-vi-labels", '"Lê Minh Hưng"@vi', '"Lê Minh Hưng"@vi , "Lê Minh Hưng (TBKT)"@vi', "tagged @vi"),
    ("no-mentioned-in", 'rdfs:label "Việt Nam"@vi ; vnkg:mentionedIn id:src-a', 'rdfs:label "Việt Nam"@vi',
     "vnkg:mentionedIn"),
    ("mentioned-in-not-a-source", "id:goal a vnkg:Target ; rdfs:label \"Tăng trưởng GRDP 12%\"@vi ;",
     "id:goal a vnkg:Target ; rdfs:label \"Tăng trưởng GRDP 12%\"@vi ; vnkg:mentionedIn id:bct ;",
     "vnkg:mentionedIn"),
    ("number-not-canonical", 'vnkg:number "11-NQ/TW"', 'vnkg:number "số 11-NQ/TW"', "canonical form"),
    ("number-leading-zero", 'vnkg:number "11-NQ/TW"', 'vnkg:number "011-NQ/TW"', "canonical form"),
    ("document-twice", "id:nq11 a vnkg:Resolution",
     'id:nq11b a vnkg:Resolution ; rdfs:label "Nghị quyết 11"@vi ; vnkg:number "11-NQ/TW" ; vnkg:issuedBy id:bct ; '
     'vnkg:mentionedIn id:src-a .\nid:nq11 a vnkg:Resolution', "same vnkg:number and vnkg:issuedBy"),
    ("meeting-date-string", 'vnkg:date "2024-07-16"^^xsd:date', 'vnkg:date "16/7/2024"', "xsd:date"),
    ("source-two-identifiers", 'dcterms:identifier "a.txt"', 'dcterms:identifier "a.txt" , "b.txt"',
     "dcterms:identifier"),
    ("source-date-string", 'vnkg:published "2024-07-16"^^xsd:date', 'vnkg:published "2024"', "vnkg:published"),
    ("evidence-start-after-end", "vnkg:start 12", "vnkg:start 41", "not after vnkg:end"),
    ("evidence-negative-start", "vnkg:start 12", "vnkg:start -1", "integer ≥ 0"),
    ("evidence-without-offsets", "vnkg:start 12 ; vnkg:end 40 ;", "", "vnkg:start"),
    ("evidence-without-mention", "; vnkg:mention id:m1 .", ".", "either one vnkg:mention"),
    ("mention-without-sentence", "id:m1 vnkg:inSentence id:s1 ;", "id:m1", "inSentence"),
    ("sentence-without-source", "id:s1 vnkg:source id:src-a ;", "id:s1", "vnkg:source"),
    ("evidence-without-object", "rdf:object id:post-uv-bct ;", "", "rdf:object"),
]


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_fixture_fails(shapes: Graph, ontology: Graph, old: str, new: str, expected: str) -> None:
    assert old in VALID
    conforms, found, _ = check_shapes(graph(VALID.replace(old, new, 1)), shapes, ontology)
    assert not conforms
    assert any(expected in v for v in found), found


def test_post_without_role_fails_validate() -> None:
    report = validate(dataset(trig({SOURCE_GRAPH: VALID.replace(" vnkg:role id:uy-vien ;", "")})))
    assert not report.conforms and report.exit_code == 1
    assert report.inconsistencies == ()
    assert "vnkg:role" in report.shacl_text or "ontology#role" in report.shacl_text


LINK_EVIDENCE = """\
id:lmh owl:sameAs wd:Q1 .
id:ev2 a vnkg:Evidence , rdf:Statement ; rdf:subject id:lmh ; rdf:predicate owl:sameAs ;
    rdf:object wd:Q1 ; vnkg:rule "wikidata-exact-label" ; vnkg:confidence 0.9 .
"""


def test_link_evidence_conforms() -> None:
    report = validate(dataset(trig({SOURCE_GRAPH: VALID, LINKS_GRAPH: LINK_EVIDENCE})))
    assert report.conforms, render(report)


def test_inferred_graph_checked_only_when_asked() -> None:
    """A second Vietnamese label that only the inferred graph carries."""
    inferred = 'id:lmh rdfs:label "Lê Minh Hưng (Q1)"@vi .\n'
    ds = dataset(trig({SOURCE_GRAPH: VALID, INFERRED_GRAPH: inferred}))
    assert validate(ds).conforms
    assert not validate(ds, with_inferred=True).conforms


def test_ontology_graph_is_not_data() -> None:
    ds = dataset(trig({SOURCE_GRAPH: VALID, ONTOLOGY_GRAPH: "vnkg:Person a owl:Class .\n"}))
    assert validate(ds).conforms


def test_validate_leaves_dataset_alone() -> None:
    ds = dataset(trig({SOURCE_GRAPH: VALID + "id:lmh a vnkg:Body .\n"}))
    before = sorted(ds.quads())
    validate(ds)
    assert sorted(ds.quads()) == before


def test_missing_shapes_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_shapes(tmp_path / "shapes.ttl")


def test_bad_turtle(tmp_path: Path) -> None:
    path = tmp_path / "vnkg.ttl"
    path.write_text("vnkg:Person a", encoding="utf-8")
    with pytest.raises(InputError, match="not readable as Turtle"):
        load_ontology(path)


def _error_graph(namespace: str, prop: URIRef | None = None) -> Graph:
    g, node = Graph(), BNode()
    g.add((node, RDF.type, URIRef(namespace + "ErrorMessage")))
    g.add((node, prop or URIRef(namespace + "error"), Literal("something clashes")))
    return g


ERROR_GRAPHS = [
    ("owlrl-errns", _error_graph(str(ERRNS)), ("something clashes",)),
    ("agent-ontology-comment", _error_graph("http://www.daml.org/2002/03/agents/agent-ontology#", RDFS.comment),
     ("something clashes",)),
    ("nothing-member", Graph().add((URIRef("urn:x"), RDF.type, OWL.Nothing)), ("urn:x is defined of type 'Nothing'",)),
    ("clean", Graph().add((URIRef("urn:x"), RDF.type, OWL.Thing)), ()),
]


@pytest.mark.parametrize(("g", "expected"), [c[1:] for c in ERROR_GRAPHS], ids=[c[0] for c in ERROR_GRAPHS])
def test_inconsistencies(g: Graph, expected: tuple[str, ...]) -> None:
    assert inconsistencies(g) == expected


@pytest.mark.parametrize(("reason_over_evidence", "clashes"), [(False, 0), (True, 1)], ids=["default", "with-evidence"])
def test_evidence_left_out_of_owl_rl_unless_asked(reason_over_evidence: bool, clashes: int) -> None:
    ds = dataset(trig({SOURCE_GRAPH: VALID + "id:ev1 a vnkg:Source .\n"}))
    report = validate(ds, reason_over_evidence=reason_over_evidence)
    assert not report.conforms  # the shapes see every evidence node either way
    assert len([i for i in report.inconsistencies if "Disjoint classes" in i]) == clashes
