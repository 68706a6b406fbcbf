"""People: offline only by an item a public file ties to that very person; online (against the
loopback fake of Wikidata, tests/linkfake.py) homonyms ranked by the graph's evidence, and each
link kept with the claims it matched. The articles are invented and extracted by the real
extractor; no real person is named."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.export import load
from kg.extract import extract
from kg.link import link
from kg.link.table import SHIPPED_TABLE, load_table
from kg.link.wikidata import HttpWikidata
from kg.model import Extraction
from kg.pipeline import build
from kg.read import read_source
from linkfake import FakeWikidata, entity

NAME = "Nguyễn Văn Thỏ"
SECRETARY = ("Hội nghị Tỉnh ủy Bắc Giang\n\nNgày 15/7/2024, đồng chí Nguyễn Văn Thỏ, Bí thư Tỉnh ủy Bắc Giang chủ trì "
             "hội nghị sơ kết công tác 6 tháng đầu năm.\n", "2024-07-16")
DIRECTOR = ("Sở Y tế tỉnh Hải Dương triển khai nhiệm vụ\n\nNgày 14/7/2024, ông Nguyễn Văn Thỏ, Giám đốc Sở Y tế tỉnh "
            "Hải Dương báo cáo kết quả công tác phòng chống dịch.\n", "2024-07-15")
VICE_CHAIR = ("HĐND tỉnh Lạng Sơn họp\n\nNgày 12/7/2024, ông Nguyễn Văn Thỏ, Phó Chủ tịch HĐND tỉnh Lạng Sơn chủ trì "
              "phiên họp thường kỳ.\n", "2024-07-13")
POS_BG, POS_HD, VN, CPV, BG, HD = "Q900000100", "Q900000101", "Q881", "Q427325", "Q36367", "Q36729"
ONE, TWO = "Q900000201", "Q900000202"
PERSON = ("Person", NAME)


def article(folder: Path, text_day: tuple[str, str], name: str = "a") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text_day[0], encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(json.dumps({"published": text_day[1]}), encoding="utf-8")
    return folder


def extracted(tmp_path: Path, text_day: tuple[str, str]) -> Extraction:
    return extract(read_source(article(tmp_path / "in", text_day) / "a.txt"))


def politician(qid: str, *held: tuple) -> dict:
    return entity(qid, NAME, claims={"P31": ["Q5"], "P27": [VN], "P102": [CPV], "P39": list(held)})


def docs(*people: dict) -> dict:
    found = {POS_BG: entity(POS_BG, "Bí thư Tỉnh ủy Bắc Giang"), POS_HD: entity(POS_HD, "Giám đốc Sở Y tế tỉnh Hải Dương"),
             BG: entity(BG, "Bắc Giang"), HD: entity(HD, "Hải Dương")}
    return found | {p["id"]: p for p in people}


def online(wd: FakeWikidata, extraction: Extraction, tmp_path: Path, **kw):
    client = HttpWikidata(api_url=wd.api_url, sparql_url=wd.sparql_url, timeout=2.0, sleep=lambda s: None)
    return link([extraction], online=True, client=client, tables=[], cache_dir=tmp_path / "cache", **kw)


# --- online: homonyms -------------------------------------------------------------------------

def test_homonyms_with_different_positions_the_one_the_graph_gives_is_chosen(tmp_path):
    people = (politician(ONE, (POS_BG, "2020-10-15", None, {"P1001": BG})),
              politician(TWO, (POS_HD, "2019-01-01", None, {"P1001": HD})))
    with FakeWikidata(docs(*people)) as wd:
        result = online(wd, extracted(tmp_path, SECRETARY), tmp_path)
    assert [(l.key, l.qid) for l in result.links] == [(PERSON, ONE)]
    reasons = next(d.chosen.reasons for d in result.decisions if d.target.key == PERSON)
    assert "held 'Bí thư Tỉnh ủy Bắc Giang' (P39 Q900000100, 2020-10-15 – no end given)" in reasons
    assert "'Bí thư Tỉnh ủy Bắc Giang' held on 2024-07-16, the source's date" in reasons
    assert f"'Bí thư Tỉnh ủy Bắc Giang' in 'Bắc Giang' (P1001 {BG})" in reasons


def test_the_same_homonyms_for_the_other_article_give_the_other_item(tmp_path):
    people = (politician(ONE, (POS_BG, "2020-10-15", None, {"P1001": BG})),
              politician(TWO, (POS_HD, "2019-01-01", None, {"P1001": HD})))
    with FakeWikidata(docs(*people)) as wd:
        result = online(wd, extracted(tmp_path, DIRECTOR), tmp_path)
    assert [(l.key, l.qid) for l in result.links] == [(PERSON, TWO)]


def test_homonyms_in_one_office_the_one_in_it_at_the_articles_date_is_chosen(tmp_path):
    people = (politician(ONE, (POS_BG, "2020-10-15", None, {"P1001": BG})),
              politician(TWO, (POS_BG, "2010-01-01", "2015-06-30", {"P1001": BG})))
    with FakeWikidata(docs(*people)) as wd:
        result = online(wd, extracted(tmp_path, SECRETARY), tmp_path)
    assert [(l.key, l.qid) for l in result.links] == [(PERSON, ONE)]
    loser = next(c for d in result.decisions for c in d.candidates if c.qid == TWO)
    assert "'Bí thư Tỉnh ủy Bắc Giang' ended 2015-06-30, before the source's date" in loser.reasons


def review_rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as src:
        return [r for r in csv.DictReader(src) if r["label"] == NAME]


@pytest.mark.parametrize("held, text_day, status", [
    (((POS_BG, None, None), (POS_BG, None, None)), SECRETARY, "ambiguous"),
    (((POS_BG, "2020-10-15", None), (POS_HD, "2019-01-01", None)), VICE_CHAIR, "weak"),
], ids=["one-office-no-dates", "neither-holds-the-graphs-post"])
def test_homonyms_the_evidence_cannot_tell_apart_both_go_to_review(tmp_path, held, text_day, status):
    people = (politician(ONE, held[0]), politician(TWO, held[1]))
    review = tmp_path / "review.csv"
    with FakeWikidata(docs(*people)) as wd:
        result = online(wd, extracted(tmp_path, text_day), tmp_path, review=review)
    assert [l for l in result.links if l.key == PERSON] == []
    rows = review_rows_of(review)
    assert sorted(r["qid"] for r in rows) == [ONE, TWO] and {r["status"] for r in rows} == {status}
    assert all("Vietnamese label" in r["reasons"] and r["kind"] == "person" for r in rows)


# --- the link kept with the claims it matched -----------------------------------------------

def test_a_link_made_online_is_kept_with_its_claims_and_shown_in_later_builds(tmp_path, monkeypatch):
    people = (politician(ONE, (POS_BG, "2020-10-15", None, {"P1001": BG})), politician(TWO, (POS_HD, None, None)))
    with FakeWikidata(docs(*people)) as wd:
        online(wd, extracted(tmp_path, SECRETARY), tmp_path)
    kept, = load_table(tmp_path / "cache" / "confirmed.json")
    assert (kept.qid, kept.origin, kept.keys[0]) == (ONE, "online", PERSON)
    for claim in ("P39 Q900000100, 2020-10-15 – no end given", "held on 2024-07-16", f"in 'Bắc Giang' (P1001 {BG})"):
        assert claim in kept.evidence
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KG_LINK_TABLE", str(tmp_path / "none.json"))
    build([tmp_path / "in"], tmp_path / "kg.trig", log=lambda line: None)  # offline
    links = load(tmp_path / "kg.trig").graph(URIRef("https://w3id.org/vnkg/graph/links"))
    node, = links.subjects(RDF.object, URIRef(f"http://www.wikidata.org/entity/{ONE}"))
    (person, _, _), = links.triples((None, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{ONE}")))
    assert links.value(node, RDF.subject) == person
    comments = " ".join(str(c) for c in links.objects(node, RDFS.comment))
    assert "P39 Q900000100, 2020-10-15 – no end given" in comments and f"(P1001 {BG})" in comments


# --- offline: only a file that ties the QID to that very person ------------------------------

def human_table(tmp_path: Path, positions: list[str]) -> Path:
    path = tmp_path / "people.json"
    item = {"qid": ONE, "kind": "human", "labels": {"vi": NAME}, "positions": positions,
            "evidence": "an invented public file: ONE held Bí thư Tỉnh ủy Bắc Giang"}
    path.write_text(json.dumps({"items": [item]}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("text_day, positions, linked", [
    (SECRETARY, ["Bí thư Tỉnh ủy Bắc Giang"], True),
    (DIRECTOR, ["Bí thư Tỉnh ủy Bắc Giang"], False),
    (SECRETARY, [], False),
], ids=["the-post-the-file-gives", "a-namesake-in-another-post", "a-name-alone"])
def test_offline_a_person_is_linked_only_through_a_post_the_file_ties_to_the_qid(tmp_path, text_day, positions, linked):
    extraction = extracted(tmp_path, text_day)
    result = link([extraction], tables=[SHIPPED_TABLE, human_table(tmp_path, positions)], cache_dir=tmp_path)
    assert [l.qid for l in result.links if l.key == PERSON] == ([ONE] if linked else [])
    decision = next(d for d in result.decisions if d.target.key == PERSON)
    if linked:
        assert any("a post the public file ties to" in r for r in decision.chosen.reasons)
    else:
        assert (decision.status, decision.note) == ("weak", "missing evidence: identity")
