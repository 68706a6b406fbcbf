"""Ranking online candidates by the graph's evidence: a table of cases, no network."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import LinkError
from kg.link.match import Target, decide
from kg.link.rank import POLICIES, parse_entity, parse_time, score_candidate
from linkfake import entity

D = dt.date(2024, 7, 16)
POS = "Q900000100"
NAMES = {POS: "Bí thư Tỉnh ủy Bắc Giang", "Q900000200": "Bắc Giang", "Q900000201": "Hải Dương"}
PERSON = Target(("Person", "Nguyễn Văn Gấu"), "Person", "Nguyễn Văn Gấu", dates=(D,),
                posts=("Bí thư Tỉnh ủy Bắc Giang",))
PROVINCE = Target(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",), dates=(D,), successor="Bắc Ninh")
CITY = Target(("Place", "thành phố Bắc Giang"), "Place", "thành phố Bắc Giang", ("District",),
              places=("Bắc Giang",))
BODY = Target(("Body", "Ban Tổ chức Trung ương"), "Body", "Ban Tổ chức Trung ương")
POST = Target(("Post", "Chủ tịch nước"), "Post", "Chủ tịch nước")


def doc(label: str, aliases: tuple[str, ...] = (), en: str = "", **claims) -> dict:
    return entity("Q900000001", label, en, aliases=aliases, claims=claims)


CASES = [
    # (target, candidate document, expected score or None when dropped, tags that must be there)
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P27=["Q881"], P102=["Q427325"],
                 P39=[(POS, "2024-01-01", None)]),
     1.0, {"name", "class", "country", "party", "position", "position-date"}),
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P39=[(POS, "2010-01-01", "2015-01-01")]), 0.7, {"position"}),
    (PERSON, doc("Nguyen Van Gau", P31=["Q5"], P27=["Q881"]), 0.6, {"name", "class", "country"}),
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P27=["Q30"]), 0.4, {"name", "class"}),
    (PERSON, doc("Nguyễn Văn Gầu", P31=["Q5"]), None, set()),
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q4167410"]), None, set()),
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P570=["2000-01-01"]), None, set()),
    (PROVINCE, doc("Bắc Giang", P31=["Q2824648"], P17=["Q881"]), 0.7, {"name", "class", "country"}),
    (PROVINCE, doc("tỉnh Bắc Giang", P31=["Q2824648"], P17=["Q881"]), 0.7, {"name", "class"}),
    (PROVINCE, doc("Bắc Ninh", ("Bắc Giang",), P31=["Q2824648"], P17=["Q881"]), None, set()),
    (PROVINCE, doc("Bắc Giang", P31=["Q2824648"], P571=["2025-07-01"]), None, set()),
    (PROVINCE, doc("Bắc Giang", P31=["Q515"], P17=["Q881"]), 0.5, {"name", "country"}),
    (CITY, doc("thành phố Bắc Giang", P17=["Q881"], P131=["Q900000200"]), 0.7, {"name", "country", "place"}),
    (CITY, doc("thành phố Bắc Giang", P17=["Q881"], P131=["Q900000201"]), 0.5, {"name", "country"}),
    (CITY, doc("Bắc Giang", ("thành phố Bắc Giang",), P31=["Q2824648"]), None, set()),
    (BODY, doc("Ban Tổ chức Trung ương", P17=["Q881"]), 0.5, {"name", "country"}),
    (BODY, doc("Ban Tổ chức Trung ương", P31=["Q5"]), None, set()),
    (POST, doc("Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam", ("Chủ tịch nước",), P1001=["Q881"]),
     0.4, {"name", "country"}),
    (POST, doc("President of Vietnam", en="President of Vietnam", P1001=["Q881"]), None, set()),
]
IDS = ["person-in-office", "person-held-before", "person-unmarked-name", "person-other-country",
       "person-other-diacritics", "person-not-human", "person-dead-before-source", "province",
       "province-with-unit-word", "successor-province", "province-founded-after-source", "province-not-classed",
       "city-in-its-province", "city-in-another-province", "province-item-for-city", "body", "body-is-a-human",
       "position-by-alias", "position-english-only"]


@pytest.mark.parametrize("target, raw, score, tags", CASES, ids=IDS)
def test_score_candidate(target, raw, score, tags):
    scored = score_candidate(target, parse_entity(raw), NAMES)
    assert (scored.score if scored else None) == score, scored
    assert tags <= set(scored.tags if scored else ())


@pytest.mark.parametrize("target, raw, linked", [
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P27=["Q881"], P102=["Q427325"]), False),
    (PERSON, doc("Nguyễn Văn Gấu", P31=["Q5"], P39=[(POS, None, None)]), True),
    (PROVINCE, doc("Bắc Giang", P31=["Q515"], P17=["Q881"]), False),
    (CITY, doc("thành phố Bắc Giang", P17=["Q881"]), False),
], ids=["person-without-position", "person-with-position", "province-without-class", "city-without-place"])
def test_each_kind_needs_its_evidence(target, raw, linked):
    scored = score_candidate(target, parse_entity(raw), NAMES)
    kind = {"Person": "person", "Place": "province" if "Province" in target.types else "city"}[target.cls]
    assert (decide(target, [scored], POLICIES[kind]).chosen is not None) is linked


@pytest.mark.parametrize("raw", [["Q1"], {"id": 5}, {"id": "Q1", "labels": {"vi": "x"}},
                                 {"id": "Q1", "claims": {"P31": [{"mainsnak": {"snaktype": "value"}}]}}],
                         ids=["list", "id-not-text", "label-not-object", "snak-without-datavalue"])
def test_malformed_entities_are_link_errors(raw):
    with pytest.raises(LinkError):
        parse_entity(raw)


def test_a_missing_entity_is_none():
    assert parse_entity({"id": "Q1", "missing": ""}) is None


@pytest.mark.parametrize("text, day", [
    ("+2021-01-22T00:00:00Z", dt.date(2021, 1, 22)),
    ("+1957-00-00T00:00:00Z", dt.date(1957, 1, 1)),
    ("+2021-02-30T00:00:00Z", None),
    ("-0500-00-00T00:00:00Z", None),
    ("+12021-01-01T00:00:00Z", None),
], ids=["day", "year-precision", "impossible-day", "bce", "five-digit-year"])
def test_parse_time(text, day):
    assert parse_time(text) == day


PERSON_BG = Target(("Person", "Nguyễn Văn Gấu"), "Person", "Nguyễn Văn Gấu", dates=(D,),
                   posts=("Bí thư Tỉnh ủy Bắc Giang",), places=("Bắc Giang",))


@pytest.mark.parametrize("held, tags, reason", [
    ((POS, "2020-10-15", None, {"P1001": "Q900000200"}), {"position", "position-date", "province"},
     "'Bí thư Tỉnh ủy Bắc Giang' in 'Bắc Giang' (P1001 Q900000200)"),
    ((POS, "2020-10-15", None, {"P642": "Q900000201"}), {"position", "position-date"},
     "held 'Bí thư Tỉnh ủy Bắc Giang' (P39 Q900000100, 2020-10-15 – no end given)"),
    ((POS, "2010-01-01", "2015-06-30"), {"position"},
     "'Bí thư Tỉnh ủy Bắc Giang' ended 2015-06-30, before the source's date"),
], ids=["province-qualifier", "another-province", "ended-before-the-source"])
def test_position_claims_and_the_reasons_that_name_them(held, tags, reason):
    scored = score_candidate(PERSON_BG, parse_entity(doc("Nguyễn Văn Gấu", P31=["Q5"], P39=[held])), NAMES)
    assert set(scored.tags) - {"name", "class"} == tags and reason in scored.reasons


def test_homonyms_both_at_the_cap_are_still_told_apart_by_their_evidence():
    full = dict(P31=["Q5"], P27=["Q881"], P102=["Q427325"])
    current = score_candidate(PERSON_BG, parse_entity(entity("Q900000001", "Nguyễn Văn Gấu", claims={
        **full, "P39": [(POS, "2020-10-15", None, {"P1001": "Q900000200"})]})), NAMES)
    earlier = score_candidate(PERSON_BG, parse_entity(entity("Q900000002", "Nguyễn Văn Gấu", claims={
        **full, "P39": [(POS, "2010-01-01", "2015-06-30", {"P1001": "Q900000200"})]})), NAMES)
    assert current.score == earlier.score == 1.0 and current.strength > earlier.strength
    assert decide(PERSON_BG, [earlier, current], POLICIES["person"]).chosen.qid == "Q900000001"
