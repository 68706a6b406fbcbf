"""The links graph, linking a built TriG dataset, and the review → accept → link loop."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import InputError
from kg.link import LinkResult, link
from kg.link.rdf import link_dataset, link_dataset_file, links_graph, read_dataset, targets_from_dataset
from kg.link.review import accept_review, read_accepted
from kg.link.table import SHIPPED_TABLE, load_table
from kg.model import Entity, Extraction, Link, SourceMeta, SourceText
from kg.vocab import VNKG, WD

ID = "https://w3id.org/vnkg/id/"
LINKS = URIRef("https://w3id.org/vnkg/graph/links")

TRIG = f"""
@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/vnkg/graph/source/003_x.txt> {{
  <{ID}source/003> a vnkg:Source ; vnkg:published "2024-07-16"^^xsd:date .
  <{ID}place/bac-giang> a vnkg:Place, vnkg:Province ; rdfs:label "Bắc Giang"@vi ; vnkg:mentionedIn <{ID}source/003> .
  <{ID}place/tp-bac-giang> a vnkg:Place, vnkg:District ; rdfs:label "thành phố Bắc Giang"@vi ;
      vnkg:locatedIn <{ID}place/bac-giang> .
  <{ID}body/mttq> a vnkg:Body ; rdfs:label "Mặt trận Tổ quốc Việt Nam"@vi .
  <{ID}person/an-1> a vnkg:Person ; rdfs:label "Nguyễn Văn An"@vi .
  <{ID}person/an-2> a vnkg:Person ; rdfs:label "Nguyễn Văn An"@vi .
  <{ID}goal/g> a vnkg:Goal ; rdfs:label "Việt Nam"@vi .
}}
<https://w3id.org/vnkg/graph/inferred> {{ <{ID}goal/g> a vnkg:Place . }}
<https://w3id.org/vnkg/graph/links> {{ <{ID}body/mttq> owl:sameAs <http://www.wikidata.org/entity/Q1> . }}
"""


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "kg.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


def test_links_graph_has_same_as_exact_match_and_evidence():
    result = LinkResult((Link(("Place", "Việt Nam"), "Q881", "Việt Nam", 1.0, "wikidata-table-label"),), ())
    g = links_graph(result, lambda key: f"{ID}place/{key[1]}".replace(" ", "-"), base=ID)
    s = URIRef(f"{ID}place/Việt-Nam")
    assert (s, OWL.sameAs, WD.Q881) in g and (s, SKOS.exactMatch, WD.Q881) in g
    node, = g.subjects(RDF.subject, s)
    assert str(node).startswith(f"{ID}evidence/")
    assert g.value(node, VNKG.rule) == Literal("wikidata-table-label")
    assert g.value(node, VNKG.confidence).toPython() == Decimal("1.000")
    assert g.identifier == LINKS
    assert len(links_graph(result, lambda key: "urn:x", evidence=False)) == 2


def test_targets_are_read_back_from_source_graphs_only(trig):
    targets = {t.key[1]: t for t in targets_from_dataset(read_dataset(trig))}
    assert set(targets) == {f"{ID}{p}" for p in ("place/bac-giang", "place/tp-bac-giang", "body/mttq",
                                                 "person/an-1", "person/an-2")}
    bg = targets[f"{ID}place/bac-giang"]
    assert (bg.cls, bg.types, bg.label, bg.dates, bg.successor) == (
        "Place", ("Province",), "Bắc Giang", (dt.date(2024, 7, 16),), "Bắc Ninh")
    assert targets[f"{ID}place/tp-bac-giang"].places == ("Bắc Giang",)


def test_link_dataset_replaces_the_links_graph(trig, tmp_path):
    result = link_dataset(trig, tables=[SHIPPED_TABLE], cache_dir=tmp_path)
    ds = read_dataset(trig)
    same_as = sorted((str(s)[len(ID):], str(o)) for s, o in ds.graph(LINKS).subject_objects(OWL.sameAs))
    assert same_as == [("body/mttq", str(WD.Q1628865)), ("place/bac-giang", str(WD.Q36367)),
                       ("place/tp-bac-giang", str(WD.Q36736))]
    assert len(result.links) == 3
    assert (None, RDF.type, VNKG.Goal) in ds.graph(URIRef("https://w3id.org/vnkg/graph/source/003_x.txt"))
    before = trig.read_bytes()
    link_dataset(trig, tables=[SHIPPED_TABLE], cache_dir=tmp_path)
    assert trig.read_bytes() == before


def test_a_file_that_is_not_trig_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> {", encoding="utf-8")
    with pytest.raises(InputError, match="not a TriG dataset"):
        read_dataset(bad)
    with pytest.raises(InputError, match="no such dataset"):
        read_dataset(tmp_path / "none.trig")


def mark(review: Path, accept: dict[str, str]) -> Path:
    """A copy of a review file with the rows of the given key → QID marked accepted."""
    with review.open(encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src))
    for row in rows:
        row["accept"] = "x" if accept.get(row["key"]) == row["qid"] else ""
    out = review.with_name("reviewed.csv")
    with out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def two_namesakes(tmp_path: Path) -> Path:
    path = tmp_path / "people.json"
    path.write_text('{"items": [{"qid": "Q900000001", "kind": "human", "labels": {"vi": "Nguyễn Văn An"}},'
                    ' {"qid": "Q900000002", "kind": "human", "labels": {"vi": "Nguyễn Văn An"}}]}', encoding="utf-8")
    return path


def test_review_then_accept_then_link(tmp_path):
    people = two_namesakes(tmp_path)
    an = Entity(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An")
    extraction = Extraction(SourceText("a.txt", "a.txt", "", SourceMeta()), (an,))
    first = link([extraction], tables=[people], review=tmp_path / "review.csv", cache_dir=tmp_path)
    assert first.links == () and [r.status for r in first.review_rows] == ["weak", "weak"]
    assert first.review_rows[0].note == "missing evidence: identity"  # a name alone never links a person
    reviewed = mark(tmp_path / "review.csv", {'["Person", "Nguyễn Văn An"]': "Q900000002"})
    local = tmp_path / "local.json"
    added = accept_review(reviewed, local)
    assert [(i.qid, i.kind, i.origin, i.keys[0]) for i in added] == [("Q900000002", "human", "accepted", an.key)]
    second = link([extraction], tables=[people, local], cache_dir=tmp_path)
    assert [(l.key, l.qid) for l in second.links] == [(an.key, "Q900000002")]


@pytest.mark.parametrize("accepts, message", [
    ([("1", "Q900000001"), ("1", "Q900000002")], "accepted as both"),
    ([("1", "Q900000001"), ("2", "Q900000001")], "accepted for both"),
    ([("1", "900000001")], "not a Wikidata item id"),
], ids=["two-items-one-entity", "one-item-two-entities", "bad-qid"])
def test_read_accepted_refuses_contradictions(tmp_path, accepts, message):
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(["accept", "key", "label", "kind", "item_kind", "status", "note", "qid", "candidate",
                         "score", "rule", "reasons"])
        for key, qid in accepts:
            writer.writerow(["x", f'["Person", "{key}"]', key, "person", "human", "ambiguous", "", qid, "",
                             "1", "", ""])
    with pytest.raises(InputError, match=message):
        read_accepted(path)


def test_kg_link_on_a_dataset_accepts_then_links(trig, tmp_path):
    people = two_namesakes(tmp_path)
    review = tmp_path / "review.csv"
    link_dataset(trig, tables=[SHIPPED_TABLE, people], cache_dir=tmp_path, review=review)
    reviewed = mark(review, {f'["iri", "{ID}person/an-1"]': "Q900000001"})
    local = tmp_path / "local.json"
    result = link_dataset_file(trig, accept=reviewed, table=local, cache_dir=tmp_path)
    assert (f"{ID}person/an-1", "Q900000001") in {(l.key[1], l.qid) for l in result.links}
    assert ("Q900000001" in {i.qid for i in load_table(local)})
    ds = read_dataset(trig)
    assert (URIRef(f"{ID}person/an-1"), OWL.sameAs, WD.Q900000001) in ds.graph(LINKS)
    assert not list(ds.graph(LINKS).triples((URIRef(f"{ID}person/an-2"), OWL.sameAs, None)))


@pytest.mark.parametrize("linked, successor", [
    (("Bắc Giang", "Bắc Ninh"), True),
    (("Bắc Giang",), False),
], ids=["both-linked", "successor-not-in-the-graph"])
def test_a_linked_unit_that_ceased_gets_its_end_and_successor_with_evidence(linked, successor):
    qids = {"Bắc Giang": "Q36367", "Bắc Ninh": "Q33408"}
    result = LinkResult(tuple(Link(("Place", n), qids[n], n, 1.0, "wikidata-table-label") for n in linked), ())
    g = links_graph(result, lambda key: f"{ID}place/{key[1]}".replace(" ", "-"), base=ID,
                    items=load_table(SHIPPED_TABLE))
    bg, bn = URIRef(f"{ID}place/Bắc-Giang"), URIRef(f"{ID}place/Bắc-Ninh")
    assert g.value(bg, VNKG.validUntil).toPython() == dt.date(2025, 7, 1)
    assert list(g.objects(bg, VNKG.successor)) == ([bn] if successor else [])
    assert g.value(bn, VNKG.validUntil) is None
    for predicate in (VNKG.validUntil, OWL.sameAs) + ((VNKG.successor,) if successor else ()):
        node, = (n for n in g.subjects(RDF.predicate, predicate) if g.value(n, RDF.subject) == bg)
        assert g.value(node, VNKG.rule) and g.value(node, VNKG.confidence) is not None
        assert any("ProvincesEng.gf" in str(c) for c in g.objects(node, RDFS.comment))
