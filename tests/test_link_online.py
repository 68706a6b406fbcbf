"""Online linking end to end, against the loopback fake of Wikidata (tests/linkfake.py)."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from kg.link import link
from kg.link.table import SHIPPED_TABLE, load_table
from kg.link.wikidata import HttpWikidata
from kg.model import Entity, Extraction, Fact, SourceMeta, SourceText
from linkfake import FakeWikidata, entity

POS, PARTY, VN, PROV = "Q900000100", "Q427325", "Q881", "Q2824648"
HUNG = ("Person", "Lê Minh Hưng")
POST = ("Post", "Trưởng Ban Tổ chức Trung ương")


def person_docs(*people: dict) -> dict:
    docs = {POS: entity(POS, "Trưởng Ban Tổ chức Trung ương")}
    docs.update({d["id"]: d for d in people})
    return docs


def politician(qid: str, *, died: str | None = None, start: str = "2024-05-16") -> dict:
    claims = {"P31": ["Q5"], "P27": [VN], "P102": [PARTY], "P39": [(POS, start, None)]}
    if died:
        claims["P570"] = [died]
    return entity(qid, "Lê Minh Hưng", claims=claims)


NAMESAKE = entity("Q900000002", "Lê Minh Hưng", claims={"P31": ["Q5"], "P27": [VN]})


def extraction(*entities: Entity, facts: tuple[Fact, ...] = (), day: str = "2024-07-16") -> Extraction:
    meta = SourceMeta(published=dt.date.fromisoformat(day))
    return Extraction(SourceText("003_x.txt", "003_x.txt", "", meta), entities, facts)


def hung_extraction() -> Extraction:
    return extraction(Entity(HUNG, "Person", HUNG[1]), Entity(POST, "Post", POST[1]),
                      facts=(Fact(HUNG, "holds", POST),))


def run(wd: FakeWikidata, extractions, tmp_path, **kw):
    """Link online against the fake; the HTTP cache only when the test gives a cache_dir."""
    client = HttpWikidata(api_url=wd.api_url, sparql_url=wd.sparql_url, timeout=2.0, sleep=lambda s: None,
                          cache_dir=kw.get("cache_dir"))
    kw.setdefault("tables", [])
    kw.setdefault("cache_dir", tmp_path / "confirmed-only")
    return link(extractions, online=True, client=client, **kw), client


def test_a_person_is_linked_on_the_position_the_graph_gives(tmp_path):
    with FakeWikidata(person_docs(politician("Q900000001"), NAMESAKE)) as wd:
        result, _ = run(wd, [hung_extraction()], tmp_path)
    assert [(l.key, l.qid, l.rule) for l in result.links] == [(HUNG, "Q900000001", "wikidata-online")]
    chosen = result.decisions[0].chosen
    assert any("held 'Trưởng Ban Tổ chức Trung ương'" in r for r in chosen.reasons)
    assert any("source's date" in r for r in chosen.reasons)


def test_two_candidates_of_equal_evidence_give_no_link_and_review_rows(tmp_path):
    twin = dict(politician("Q900000003"), id="Q900000003")
    with FakeWikidata(person_docs(politician("Q900000001"), twin)) as wd:
        result, _ = run(wd, [hung_extraction()], tmp_path, review=tmp_path / "review.csv")
    assert result.links == ()
    with (tmp_path / "review.csv").open(encoding="utf-8") as src:
        rows = [r for r in csv.DictReader(src) if r["key"] == '["Person", "Lê Minh Hưng"]']
    assert [(r["qid"], r["status"], r["label"]) for r in rows] == [
        ("Q900000001", "ambiguous", "Lê Minh Hưng"), ("Q900000003", "ambiguous", "Lê Minh Hưng")]
    assert rows[0]["score"] == rows[1]["score"] and "held" in rows[0]["reasons"]


def test_a_namesake_without_career_evidence_is_not_linked(tmp_path):
    with FakeWikidata(person_docs(NAMESAKE)) as wd:
        result, _ = run(wd, [hung_extraction()], tmp_path)
    assert result.links == ()
    assert [(r.qid, r.status) for r in result.review_rows if r.key == HUNG] == [("Q900000002", "weak")]
    assert "position" in result.decisions[0].note


def test_a_person_dead_before_the_source_is_dropped(tmp_path):
    with FakeWikidata(person_docs(politician("Q900000001", died="1990-01-01"))) as wd:
        result, _ = run(wd, [hung_extraction()], tmp_path)
    assert result.links == () and [r for r in result.review_rows if r.key == HUNG] == []


CITY_DOCS = {
    "Q900000010": entity("Q900000010", "Bắc Giang", aliases=("thành phố Bắc Giang",),
                         claims={"P31": [PROV], "P17": [VN]}),
    "Q900000011": entity("Q900000011", "thành phố Bắc Giang", claims={"P31": ["Q900000012"], "P17": [VN],
                                                                      "P131": ["Q900000010"]}),
}


def test_city_and_province_get_their_own_items_never_each_other(tmp_path):
    province = Entity(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",))
    city = Entity(("Place", "thành phố Bắc Giang"), "Place", "thành phố Bắc Giang", ("District",))
    facts = (Fact(city.key, "locatedIn", province.key),)
    with FakeWikidata(dict(CITY_DOCS)) as wd:
        result, _ = run(wd, [extraction(province, city, facts=facts)], tmp_path)
    assert {l.key[1]: l.qid for l in result.links} == {"Bắc Giang": "Q900000010",
                                                       "thành phố Bắc Giang": "Q900000011"}


def test_a_ceased_province_links_to_its_historical_item_not_its_successor(tmp_path):
    docs = {
        "Q900000020": entity("Q900000020", "Bắc Giang", claims={"P31": [PROV], "P17": [VN], "P576": ["2025-07-01"]}),
        "Q900000021": entity("Q900000021", "Bắc Ninh", aliases=("Bắc Giang",),
                             claims={"P31": [PROV], "P17": [VN], "P571": ["2025-07-01"]}),
    }
    province = Entity(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",))
    with FakeWikidata(docs) as wd:
        result, _ = run(wd, [extraction(province)], tmp_path)
    assert [l.qid for l in result.links] == ["Q900000020"]
    assert [c.qid for c in result.decisions[0].candidates] == ["Q900000020"]


def test_table_links_are_confirmed_and_a_redirected_item_goes_to_review(tmp_path):
    docs = {"Q881": entity("Q881", "Việt Nam", "Vietnam"), "Q900000030": entity("Q900000030", "Bắc Giang")}
    country = Entity(("Place", "Việt Nam"), "Place", "Việt Nam", ("Country",))
    province = Entity(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",))
    with FakeWikidata(docs, redirects={"Q36367": "Q900000030"}) as wd:
        result, _ = run(wd, [extraction(country, province)], tmp_path, tables=[SHIPPED_TABLE])
    assert [(l.qid, l.rule) for l in result.links] == [("Q881", "wikidata-table-label")]
    assert [(r.qid, r.status, r.note) for r in result.review_rows] == [
        ("Q36367", "unconfirmed", "Q36367 now redirects to Q900000030")]


def test_the_cache_answers_a_second_run_and_keeps_confirmed_links(tmp_path):
    cache = tmp_path / "cache"
    with FakeWikidata(person_docs(politician("Q900000001"))) as wd:
        first, c1 = run(wd, [hung_extraction()], tmp_path, cache_dir=cache)
        second, c2 = run(wd, [hung_extraction()], tmp_path, cache_dir=cache)
        offline = link([hung_extraction()], cache_dir=cache, client=c2)
        asked = len(wd.requests)
    assert c1.requests > 0 and c2.requests == 0 and asked == c1.requests
    assert first.links == second.links
    assert [(l.qid, l.rule) for l in offline.links] == [("Q900000001", "wikidata-online")]
    kept = load_table(cache / "confirmed.json")
    assert [(i.qid, i.kind, i.origin, i.keys[0]) for i in kept] == [("Q900000001", "human", "online", HUNG)]
    assert kept[0].keys[1] == ("iri", "https://w3id.org/vnkg/id/person/le-minh-hung-c502d2")


def test_offline_never_asks(tmp_path):
    with FakeWikidata(person_docs(politician("Q900000001"))) as wd:
        client = HttpWikidata(api_url=wd.api_url, sparql_url=wd.sparql_url, sleep=lambda s: None)
        result = link([hung_extraction()], client=client, tables=[SHIPPED_TABLE], cache_dir=tmp_path)
        assert wd.requests == [] and result.links == ()


@pytest.mark.parametrize("label", ['Nguyễn "Văn" An', "back\\slash"], ids=["quote", "backslash"])
def test_labels_are_escaped_in_sparql(tmp_path, label):
    person = Entity(("Person", label), "Person", label)
    with FakeWikidata({}) as wd:
        result, _ = run(wd, [extraction(person)], tmp_path)
        queries = [q["query"][0] for path, q, _ in wd.requests if path == "/sparql"]
    assert result.links == ()
    assert queries and all('\\"' in q or "\\\\" in q for q in queries)
