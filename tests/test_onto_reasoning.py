"""OWL 2 RL reasoning with the ontology, one case per rule exercised (owlrl's rule names).

One closure of a small graph is computed once; each case says which triple the rule must
(or must not) add. The last cases check that disjointness makes validation fail."""
from __future__ import annotations

import owlrl
import pytest
from onto_fixtures import SOURCE_GRAPH, VALID, dataset, graph, trig
from rdflib import RDF, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, FOAF, PROV, SDO, SKOS, XSD

from kg.validate import inconsistencies, load_ontology, validate
from kg.vocab import ORG, VNKG

ID = Namespace("https://w3id.org/vnkg/id/")

FACTS = """\
id:src a vnkg:Source .
id:p a vnkg:Person ; vnkg:holds id:post ; vnkg:mentionedIn id:src .
id:post vnkg:postIn id:b ; vnkg:role id:r .
id:former vnkg:formerlyHeld id:post .
id:b vnkg:partOf id:b2 . id:b2 vnkg:partOf id:b3 .
id:x1 vnkg:locatedIn id:x2 . id:x2 vnkg:locatedIn id:x3 .
id:m vnkg:speaker id:p ; vnkg:chair id:p2 ; vnkg:participant id:b ; vnkg:organizedBy id:b ;
    vnkg:date "2024-07-16"^^xsd:date .
id:res a vnkg:Resolution ; vnkg:number "11-NQ/TW" ; vnkg:issued "2022-02-10"^^xsd:date ;
    vnkg:issuedBy id:b ; vnkg:implements id:res2 .
id:foreign a foaf:Person ; org:memberOf id:b .
"""

DATE = Literal("2024-07-16", datatype=XSD.date)
CASES = [
    # (rule, triple, inferred?)
    ("prp-inv", (ID.post, VNKG.heldBy, ID.p), True),
    ("prp-spo2", (ID.p, VNKG.memberOf, ID.b), True),
    ("prp-spo2-not-formerly", (ID.former, VNKG.memberOf, ID.b), False),
    ("prp-trp-partOf", (ID.b, VNKG.partOf, ID.b3), True),
    ("prp-trp-locatedIn", (ID.x1, VNKG.locatedIn, ID.x3), True),
    ("prp-spo1-speaker", (ID.m, VNKG.participant, ID.p), True),
    ("prp-spo1-chair", (ID.m, VNKG.participant, ID.p2), True),
    ("prp-spo1-implements", (ID.res, VNKG.cites, ID.res2), True),
    ("prp-spo1-org-holds", (ID.p, ORG.holds, ID.post), True),
    ("prp-spo1-org-heldBy", (ID.post, ORG.heldBy, ID.p), True),
    ("prp-spo1-org-postIn", (ID.post, ORG.postIn, ID.b), True),
    ("prp-spo1-org-role", (ID.post, ORG.role, ID.r), True),
    ("prp-spo1-org-memberOf", (ID.p, ORG.memberOf, ID.b), True),
    ("prp-spo1-org-subOrganizationOf", (ID.b, ORG.subOrganizationOf, ID.b3), True),
    ("prp-spo1-schema-memberOf", (ID.p, SDO.memberOf, ID.b), True),
    ("prp-spo1-schema-organizer", (ID.m, SDO.organizer, ID.b), True),
    ("prp-spo1-schema-attendee", (ID.m, SDO.attendee, ID.p), True),
    ("prp-spo1-schema-startDate", (ID.m, SDO.startDate, DATE), True),
    ("prp-spo1-dcterms-identifier", (ID.res, DCTERMS.identifier, Literal("11-NQ/TW")), True),
    ("prp-spo1-dcterms-issued", (ID.res, DCTERMS.issued, Literal("2022-02-10", datatype=XSD.date)), True),
    ("prp-spo1-dcterms-creator", (ID.res, DCTERMS.creator, ID.b), True),
    ("prp-spo1-dcterms-references", (ID.res, DCTERMS.references, ID.res2), True),
    ("prp-spo1-dcterms-isReferencedBy", (ID.p, DCTERMS.isReferencedBy, ID.src), True),
    ("prp-spo1-prov-wasAttributedTo", (ID.res, PROV.wasAttributedTo, ID.b), True),
    ("prp-spo1-one-way", (ID.foreign, VNKG.memberOf, ID.b), False),
    ("prp-dom", (ID.m, RDF.type, VNKG.Meeting), True),
    ("prp-rng", (ID.post, RDF.type, VNKG.Post), True),
    ("prp-rng-no-participant-range", (ID.b, RDF.type, VNKG.Person), False),
    ("cax-sco-foaf-Person", (ID.p, RDF.type, FOAF.Person), True),
    ("cax-sco-schema-Person", (ID.p, RDF.type, SDO.Person), True),
    ("cax-sco-prov-Agent", (ID.p, RDF.type, PROV.Agent), True),
    ("cax-sco-org-Organization", (ID.b, RDF.type, ORG.Organization), True),
    ("cax-sco-foaf-Organization", (ID.b, RDF.type, FOAF.Organization), True),
    ("cax-sco-org-Post", (ID.post, RDF.type, ORG.Post), True),
    ("cax-sco-skos-Concept", (ID.r, RDF.type, SKOS.Concept), True),
    ("cax-sco-schema-Event", (ID.m, RDF.type, SDO.Event), True),
    ("cax-sco-Document", (ID.res, RDF.type, VNKG.Document), True),
    ("cax-sco-foaf-Document", (ID.src, RDF.type, FOAF.Document), True),
    ("cax-sco-prov-Entity", (ID.src, RDF.type, PROV.Entity), True),
    ("cax-sco-schema-Place", (ID.x1, RDF.type, SDO.Place), True),
    ("cax-sco-one-way", (ID.foreign, RDF.type, VNKG.Person), False),
]


@pytest.fixture(scope="module")
def closure() -> Graph:
    g = graph(FACTS) + load_ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


@pytest.mark.parametrize(("triple", "expected"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_rule(closure: Graph, triple: tuple, expected: bool) -> None:
    assert (triple in closure) is expected


def test_closure_is_consistent(closure: Graph) -> None:
    assert inconsistencies(closure) == ()


CLASHES = [
    ("cax-dw-person-body", "id:lmh a vnkg:Body .\n"),
    ("cax-dw-document-meeting", "id:nq11 a vnkg:Conference .\n"),
    ("cax-dw-source-person", "id:src-a a vnkg:Person .\n"),
    ("eq-rep-s-cax-dw", "id:lmh owl:sameAs wd:Q1 .\nid:bct owl:sameAs wd:Q1 .\n"),
]


@pytest.mark.parametrize("extra", [c[1] for c in CLASHES], ids=[c[0] for c in CLASHES])
def test_disjoint_classes_fail_validation(extra: str) -> None:
    report = validate(dataset(trig({SOURCE_GRAPH: VALID + extra})))
    assert not report.conforms and report.exit_code == 1
    assert any("Disjoint classes" in i for i in report.inconsistencies), report.inconsistencies
