"""Tenures in the ontology and the shapes: a small graph of two tenures of one post conforms,
each broken variant fails with its shape's message, and after OWL 2 RL reasoning (both
engines, which agree) a query in W3C ORG terms finds each tenure's member, organisation and
role. Reasoning cases are named after the OWL 2 RL rule they exercise."""
from __future__ import annotations

import pytest
from onto_fixtures import dataset, trig
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace
from rdflib.namespace import PROV, SDO, XSD

from kg.reason import ENGINES, infer
from kg.validate import asserted_graph, check_shapes, load_ontology, load_shapes, render, validate, without_evidence
from kg.vocab import ORG, VNKG

ID = Namespace("https://w3id.org/vnkg/id/")
GRAPH = "https://w3id.org/vnkg/graph/"

# Bí thư Tỉnh ủy Hải Dương: Nguyễn Văn Sơn from 2010 to 10/2015, then Trần Văn Minh, who
# succeeds him. Source a (2015-10-20) calls Sơn former and states Minh's start; source b
# (2010-10-16) shows Sơn in the post.
SOURCE_A = """\
id:src-a a vnkg:Source ; dcterms:identifier "a.txt" ; vnkg:published "2015-10-20"^^xsd:date .
id:son a vnkg:Person ; rdfs:label "Nguyễn Văn Sơn"@vi ; vnkg:mentionedIn id:src-a ; vnkg:formerlyHeld id:post-bt .
id:minh a vnkg:Person ; rdfs:label "Trần Văn Minh"@vi ; vnkg:mentionedIn id:src-a ; vnkg:holds id:post-bt .
id:post-bt a vnkg:Post ; rdfs:label "Bí thư Tỉnh ủy Hải Dương"@vi ; vnkg:mentionedIn id:src-a ;
    vnkg:role id:bi-thu ; vnkg:postIn id:tu-hd .
id:bi-thu a vnkg:Role ; rdfs:label "Bí thư"@vi ; vnkg:mentionedIn id:src-a .
id:tu-hd a vnkg:Body ; rdfs:label "Tỉnh ủy Hải Dương"@vi ; vnkg:mentionedIn id:src-a .
id:t-minh vnkg:startDate "2015-10"^^xsd:gYearMonth .
id:ev-a rdf:subject id:t-minh ; rdf:predicate vnkg:startDate ; rdf:object "2015-10"^^xsd:gYearMonth ;
    vnkg:mention id:m-a .
id:m-a vnkg:inSentence id:s-a ; vnkg:start 0 ; vnkg:end 58 ; vnkg:rule "tenure-start" .
id:s-a vnkg:source id:src-a ; rdf:value "Đồng chí Trần Văn Minh giữ chức Bí thư Tỉnh ủy từ tháng 10/2015."@vi .
"""
SOURCE_B = """\
id:src-b a vnkg:Source ; dcterms:identifier "b.txt" ; vnkg:published "2010-10-16"^^xsd:date .
id:son vnkg:mentionedIn id:src-b ; vnkg:holds id:post-bt .
id:post-bt vnkg:mentionedIn id:src-b .
"""
TENURES = """\
id:t-son a vnkg:Tenure ; vnkg:holder id:son ; vnkg:post id:post-bt ;
    vnkg:startDate "2010"^^xsd:gYear ; vnkg:endDate "2015-10"^^xsd:gYearMonth ;
    vnkg:firstAttested "2010-10-16"^^xsd:date ; vnkg:lastAttested "2010-10-16"^^xsd:date ;
    vnkg:endedBefore "2015-10-20"^^xsd:date ; vnkg:attestedIn id:src-a , id:src-b .
id:t-minh a vnkg:Tenure ; vnkg:holder id:minh ; vnkg:post id:post-bt ;
    vnkg:startDate "2015-10"^^xsd:gYearMonth ;
    vnkg:firstAttested "2015-10-20"^^xsd:date ; vnkg:lastAttested "2015-10-20"^^xsd:date ;
    vnkg:attestedIn id:src-a ; vnkg:succeeds id:t-son .
"""


def fixture(tenures: str = TENURES, extra: str = "") -> str:
    return trig({GRAPH + "source/a.txt": SOURCE_A + extra, GRAPH + "source/b.txt": SOURCE_B,
                 GRAPH + "tenures": tenures})


# ---------------------------------------------------------------- the ontology

AXIOMS = [
    ("Tenure-Membership", (VNKG.Tenure, RDFS.subClassOf, ORG.Membership)),
    ("holder-member", (VNKG.holder, RDFS.subPropertyOf, ORG.member)),
    ("holder-range", (VNKG.holder, RDFS.range, VNKG.Person)),
    ("post-range", (VNKG.post, RDFS.range, VNKG.Post)),
    ("attestedIn-wasDerivedFrom", (VNKG.attestedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom)),
    ("attestedIn-range", (VNKG.attestedIn, RDFS.range, VNKG.Source)),
    ("succeeds-range", (VNKG.succeeds, RDFS.range, VNKG.Tenure)),
]
ABSENT = [
    ("succeeds-not-transitive", (VNKG.succeeds, RDF.type, OWL.TransitiveProperty)),
    ("holder-not-functional", (VNKG.holder, RDF.type, OWL.FunctionalProperty)),
    ("post-not-functional", (VNKG.post, RDF.type, OWL.FunctionalProperty)),
    ("endDate-no-meeting-domain", (VNKG.endDate, RDFS.domain, VNKG.Meeting)),
]
CHAINS = [(ORG.organization, [VNKG.post, VNKG.postIn]), (ORG.role, [VNKG.post, VNKG.role])]
DISJOINT_FROM_TENURE = ["Person", "Body", "Document", "Meeting", "Post", "Role", "Goal", "Evidence", "Place", "Source"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.mark.parametrize("triple", [t for _, t in AXIOMS], ids=[i for i, _ in AXIOMS])
def test_axiom(ontology: Graph, triple: tuple) -> None:
    assert triple in ontology


@pytest.mark.parametrize("triple", [t for _, t in ABSENT], ids=[i for i, _ in ABSENT])
def test_no_axiom(ontology: Graph, triple: tuple) -> None:
    """Cardinalities are SHACL's: in OWL 2 RL a functional property would merge two holders."""
    assert triple not in ontology


@pytest.mark.parametrize(("prop", "links"), CHAINS, ids=[p.fragment for p, _ in CHAINS])
def test_org_chain(ontology: Graph, prop, links: list) -> None:
    assert [list(ontology.items(c)) for c in ontology.objects(prop, OWL.propertyChainAxiom)] == [links]


def _disjoint_pairs(ont: Graph) -> set[frozenset]:
    pairs = {frozenset(p) for p in ont.subject_objects(OWL.disjointWith)}
    for node in ont.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ont.items(ont.value(node, OWL.members)))
        pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return pairs


@pytest.mark.parametrize("name", DISJOINT_FROM_TENURE, ids=DISJOINT_FROM_TENURE)
def test_tenure_disjoint(ontology: Graph, name: str) -> None:
    assert frozenset((VNKG.Tenure, VNKG[name])) in _disjoint_pairs(ontology)


# ---------------------------------------------------------------- the shapes

def test_fixture_conforms() -> None:
    report = validate(dataset(fixture()))
    assert report.conforms, render(report)
    assert (report.violations, report.inconsistencies) == ((), ())


# (id, text in TENURES, replacement, fragment of the expected violation)
BROKEN = [
    ("two-holders", "vnkg:holder id:minh ;", "vnkg:holder id:minh , id:son ;", "exactly one vnkg:holder"),
    ("no-holder", "vnkg:holder id:minh ;", "", "exactly one vnkg:holder"),
    ("holder-not-a-person", "vnkg:holder id:minh ;", "vnkg:holder id:tu-hd ;", "exactly one vnkg:holder"),
    ("two-posts", "vnkg:holder id:minh ; vnkg:post id:post-bt ;", "vnkg:holder id:minh ; vnkg:post id:post-bt , id:bi-thu ;",
     "exactly one vnkg:post"),
    ("start-a-string", 'vnkg:startDate "2010"^^xsd:gYear', 'vnkg:startDate "2010"', "vnkg:startDate, an xsd:date"),
    ("start-a-datetime", 'vnkg:startDate "2010"^^xsd:gYear', 'vnkg:startDate "2010-10-15T00:00:00"^^xsd:dateTime',
     "vnkg:startDate, an xsd:date"),
    ("two-ends", 'vnkg:endDate "2015-10"^^xsd:gYearMonth', 'vnkg:endDate "2015-10"^^xsd:gYearMonth , "2015"^^xsd:gYear',
     "at most one vnkg:endDate"),
    ("first-attested-a-year", 'vnkg:firstAttested "2015-10-20"^^xsd:date', 'vnkg:firstAttested "2015"^^xsd:gYear',
     "vnkg:firstAttested, an xsd:date"),
    ("first-after-last", 'vnkg:lastAttested "2015-10-20"^^xsd:date', 'vnkg:lastAttested "2015-10-19"^^xsd:date',
     "vnkg:firstAttested is not after vnkg:lastAttested"),
    ("ended-before-a-month", 'vnkg:endedBefore "2015-10-20"^^xsd:date', 'vnkg:endedBefore "2015-10"^^xsd:gYearMonth',
     "vnkg:endedBefore, an xsd:date"),
    ("no-source", "vnkg:attestedIn id:src-a ;", "", "vnkg:attestedIn to at least one vnkg:Source"),
    ("source-not-a-source", "vnkg:attestedIn id:src-a ;", "vnkg:attestedIn id:tu-hd ;", "vnkg:attestedIn"),
    ("succeeds-not-a-tenure", "vnkg:succeeds id:t-son", "vnkg:succeeds id:son", "vnkg:succeeds, a vnkg:Tenure"),
    ("succeeds-itself", "vnkg:succeeds id:t-son", "vnkg:succeeds id:t-minh", "not another tenure of the same vnkg:post"),
    ("succeeds-another-post", "id:t-son a vnkg:Tenure ; vnkg:holder id:son ; vnkg:post id:post-bt ;",
     "id:t-son a vnkg:Tenure ; vnkg:holder id:son ; vnkg:post id:post-ct ;", "not another tenure of the same vnkg:post"),
]
POST_CT = """\
id:post-ct a vnkg:Post ; rdfs:label "Chủ tịch Tỉnh ủy Hải Dương"@vi ; vnkg:mentionedIn id:src-a ;
    vnkg:role id:bi-thu ; vnkg:postIn id:tu-hd .
"""


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_fixture_fails(ontology: Graph, old: str, new: str, expected: str) -> None:
    assert old in TENURES
    data = asserted_graph(dataset(fixture(TENURES.replace(old, new, 1), POST_CT)))
    conforms, found, _ = check_shapes(data, load_shapes(), ontology)
    assert not conforms
    assert any(expected in v for v in found), found


CLASHES = [
    ("cax-dw-tenure-meeting", "id:t-son a vnkg:Meeting .\n"),
    ("cax-dw-tenure-person", "id:t-son a vnkg:Person .\n"),
    ("prp-rng-cax-dw-holder-body", "id:t-son vnkg:holder id:tu-hd .\n"),
]


@pytest.mark.parametrize("extra", [c[1] for c in CLASHES], ids=[c[0] for c in CLASHES])
def test_disjoint_classes_fail_validation(extra: str) -> None:
    report = validate(dataset(fixture(TENURES + extra)))
    assert not report.conforms
    assert any("Disjoint classes" in i for i in report.inconsistencies), report.inconsistencies


# ---------------------------------------------------------------- reasoning, both engines

@pytest.fixture(scope="module")
def facts() -> Graph:
    return without_evidence(asserted_graph(dataset(fixture())))


@pytest.fixture(scope="module", params=ENGINES)
def closed(request: pytest.FixtureRequest, facts: Graph, ontology: Graph) -> tuple[str, Graph]:
    found = infer(facts, ontology, engine=request.param)
    assert found.inconsistencies == ()
    g = Graph()
    for t in (*facts, *found.triples):
        g.add(t)
    return request.param, g


def test_query_in_org_terms(closed: tuple[str, Graph]) -> None:
    _, g = closed
    rows = g.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?m ?p ?b ?r WHERE { ?m a org:Membership ; org:member ?p ; org:organization ?b ; org:role ?r }""")
    assert set(rows) == {(ID["t-son"], ID.son, ID["tu-hd"], ID["bi-thu"]),
                         (ID["t-minh"], ID.minh, ID["tu-hd"], ID["bi-thu"])}


DATE = Literal("2015-10", datatype=XSD.gYearMonth)
CASES = [
    # (rule, triple, inferred?)
    ("cax-sco-org-Membership", (ID["t-son"], RDF.type, ORG.Membership), True),
    ("prp-spo1-org-member", (ID["t-son"], ORG.member, ID.son), True),
    ("prp-spo2-org-organization", (ID["t-son"], ORG.organization, ID["tu-hd"]), True),
    ("prp-spo2-org-role", (ID["t-minh"], ORG.role, ID["bi-thu"]), True),
    ("prp-spo1-prov-wasDerivedFrom", (ID["t-son"], PROV.wasDerivedFrom, ID["src-b"]), True),
    ("prp-spo1-schema-startDate", (ID["t-minh"], SDO.startDate, DATE), True),
    ("prp-spo1-schema-endDate", (ID["t-son"], SDO.endDate, DATE), True),
    ("prp-rng-holder", (ID.son, RDF.type, VNKG.Person), True),
    ("prp-dom-no-endDate-domain", (ID["t-son"], RDF.type, VNKG.Meeting), False),
    ("prp-spo2-org-organization-not-on-post", (ID["post-bt"], ORG.organization, ID["tu-hd"]), False),
]


@pytest.mark.parametrize(("triple", "expected"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_rule(closed: tuple[str, Graph], triple: tuple, expected: bool) -> None:
    assert (triple in closed[1]) is expected


def test_engines_agree_on_tenures(facts: Graph, ontology: Graph) -> None:
    tenures = set(facts.subjects(RDF.type, VNKG.Tenure))
    about = {e: {t for t in infer(facts, ontology, engine=e).triples if t[0] in tenures or t[2] in tenures}
             for e in ENGINES}
    assert about["rules"] == about["owlrl"]
    assert len(about["rules"]) > 10
