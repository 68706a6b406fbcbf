"""The ontology file: it parses, declares exactly the terms of kg/vocab.py, labels and
explains each in Vietnamese and English, and stays inside what OWL 2 RL can use."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg.vocab import ONTOLOGY_IRI, VNKG, term_names

ONTOLOGY = Path(__file__).parent.parent / "ontology" / "vnkg.ttl"
NS = str(VNKG._NS)

# The properties whose values are literals (the comments in kg/vocab.py give their types).
DATATYPE = {
    "term", "date", "endDate", "ordinal", "number", "issued", "period", "targetValue", "deadline",
    "unit", "indicator", "text", "validFrom", "validUntil", "published", "publisher", "province",
    "contentHash", "start", "end", "sentence", "rule", "attested", "confidence",
    "startDate", "firstAttested", "lastAttested", "endedBefore",
}
CLASSES = [n for n in term_names() if n[0].isupper()]
PROPERTIES = [n for n in term_names() if n[0].islower()]


@pytest.fixture(scope="module")
def ont() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_header(ont: Graph) -> None:
    iri = URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in ont
    assert ont.value(iri, OWL.versionInfo) is not None
    assert str(ont.value(iri, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")
    assert ont.value(iri, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in ont.objects(iri, prop)} == {"vi", "en"}


def test_declares_only_vocab_terms(ont: Graph) -> None:
    declared = {str(s)[len(NS):] for s in ont.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    used = {str(t)[len(NS):] for t in ont.all_nodes() if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert declared == used == set(term_names())


@pytest.mark.parametrize("name", CLASSES, ids=CLASSES)
def test_class_declared(ont: Graph, name: str) -> None:
    assert (VNKG[name], RDF.type, OWL.Class) in ont


@pytest.mark.parametrize("name", PROPERTIES, ids=PROPERTIES)
def test_property_kind(ont: Graph, name: str) -> None:
    kinds = set(ont.objects(VNKG[name], RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert kinds == {OWL.DatatypeProperty if name in DATATYPE else OWL.ObjectProperty}


@pytest.mark.parametrize("name", term_names(), ids=term_names())
def test_labels_and_comments_in_vi_and_en(ont: Graph, name: str) -> None:
    for prop in (RDFS.label, RDFS.comment):
        values = list(ont.objects(VNKG[name], prop))
        assert sorted(v.language for v in values if isinstance(v, Literal)) == ["en", "vi"], prop


REQUIRED = [
    ("heldBy-inverse", (VNKG.heldBy, OWL.inverseOf, VNKG.holds)),
    ("partOf-transitive", (VNKG.partOf, RDF.type, OWL.TransitiveProperty)),
    ("locatedIn-transitive", (VNKG.locatedIn, RDF.type, OWL.TransitiveProperty)),
    ("speaker-participant", (VNKG.speaker, RDFS.subPropertyOf, VNKG.participant)),
    ("chair-participant", (VNKG.chair, RDFS.subPropertyOf, VNKG.participant)),
    ("implements-cites", (VNKG.implements, RDFS.subPropertyOf, VNKG.cites)),
    ("Target-Goal", (VNKG.Target, RDFS.subClassOf, VNKG.Goal)),
    ("ReportedFigure-Goal", (VNKG.ReportedFigure, RDFS.subClassOf, VNKG.Goal)),
] + [
    (f"{c}-Document", (VNKG[c], RDFS.subClassOf, VNKG.Document))
    for c in "Resolution Conclusion Directive Report Plan Programme Decision Notice Scheme Regulation "
             "Guidance Decree Circular Law Dispatch".split()
] + [
    (f"{c}-Meeting", (VNKG[c], RDFS.subClassOf, VNKG.Meeting))
    for c in "Conference Congress Seminar WorkingSession Session Ceremony PressConference".split()
] + [(f"{c}-Place", (VNKG[c], RDFS.subClassOf, VNKG.Place)) for c in ("Country", "Province", "District")]


@pytest.mark.parametrize("triple", [t for _, t in REQUIRED], ids=[i for i, _ in REQUIRED])
def test_required_axiom(ont: Graph, triple: tuple) -> None:
    assert triple in ont


def test_member_of_chain(ont: Graph) -> None:
    chain = ont.value(VNKG.memberOf, OWL.propertyChainAxiom)
    assert list(ont.items(chain)) == [VNKG.holds, VNKG.postIn]


def _disjoint_pairs(ont: Graph) -> set[frozenset]:
    pairs = {frozenset(p) for p in ont.subject_objects(OWL.disjointWith)}
    for node in ont.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ont.items(ont.value(node, OWL.members)))
        pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return pairs


DISJOINT = [("Person", "Body"), ("Person", "Document"), ("Body", "Meeting"), ("Document", "Meeting"),
            ("Source", "Person"), ("Source", "Body"), ("Source", "Meeting"), ("Post", "Role")]
NOT_DISJOINT = [("Source", "Document"), ("Place", "Body")]


@pytest.mark.parametrize("pair", DISJOINT, ids=["-".join(p) for p in DISJOINT])
def test_disjoint(ont: Graph, pair: tuple[str, str]) -> None:
    assert frozenset(VNKG[c] for c in pair) in _disjoint_pairs(ont)


@pytest.mark.parametrize("pair", NOT_DISJOINT, ids=["-".join(p) for p in NOT_DISJOINT])
def test_not_disjoint(ont: Graph, pair: tuple[str, str]) -> None:
    """A source may be a document's text; a country is a territory and a state."""
    assert frozenset(VNKG[c] for c in pair) not in _disjoint_pairs(ont)


FORBIDDEN_IN_RL = [OWL.someValuesFrom, OWL.unionOf, OWL.equivalentClass, OWL.minCardinality,
                   OWL.cardinality, OWL.hasSelf]


@pytest.mark.parametrize("prop", FORBIDDEN_IN_RL, ids=[p.fragment for p in FORBIDDEN_IN_RL])
def test_no_construct_outside_rl(ont: Graph, prop: URIRef) -> None:
    """None of these is used: on the right of a subclass they fall outside OWL 2 RL."""
    assert not list(ont.triples((None, prop, None)))


def test_no_anonymous_ranges_or_superclasses(ont: Graph) -> None:
    for prop in (RDFS.range, RDFS.domain, RDFS.subClassOf):
        assert not [o for o in ont.objects(None, prop) if isinstance(o, BNode)], prop


def test_participant_has_no_range(ont: Graph) -> None:
    """A participant is a person or a body: any range would type one of them wrongly."""
    assert ont.value(VNKG.participant, RDFS.range) is None


# The datatypes OWL 2 RL supports (OWL 2 Profiles, section 4.2); xsd:date and xsd:gYear are not.
RL_DATATYPES = {XSD[n] for n in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short "
    "byte unsignedLong unsignedInt unsignedShort unsignedByte float double string normalizedString token "
    "language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()}


def test_ranges_use_rl_datatypes_only(ont: Graph) -> None:
    used = {o for o in ont.objects(None, RDFS.range) if str(o).startswith(str(XSD))}
    assert used and used <= RL_DATATYPES, used - RL_DATATYPES
