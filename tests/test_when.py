"""Who held what, when (kg/when.py, `kg held`, `kg career`, `kg leaders`, `kg successions`)
on the handwritten dataset tests/data/tenures.trig: each class of answer (stated, attested,
bounded) and the days at the edges of their spans, names matched without diacritics, two
people sharing one name, the commands' formats and exit codes."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg import when
from kg.cli import main
from kg.errors import KgError
from kg.store import open_store

DATA = Path(__file__).parent / "data" / "tenures.trig"
ID = "https://w3id.org/vnkg/id/"
SON_A, SON_D = ID + "person/nguyen-van-son-a1a1a1", ID + "person/nguyen-van-son-d4d4d4"
MINH, LAN, HOA = ID + "person/tran-van-minh-b2b2b2", ID + "person/pham-thi-lan-c3c3c3", ID + "person/le-thi-hoa-e5e5e5"
BI_THU, PHO_BI_THU = "Bí thư Tỉnh ủy Hải Dương", "Phó Bí thư Tỉnh ủy Hải Dương"
CHU_TICH = "Chủ tịch Ủy ban nhân dân tỉnh Hải Dương"


@pytest.fixture(scope="module")
def ds():
    return open_store(DATA)


SPANS = [
    ("2020", date(2020, 1, 1), date(2020, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2015-10-15", date(2015, 10, 15), date(2015, 10, 15)),
    ("2021-06-30Z", date(2021, 6, 30), date(2021, 6, 30)),
]


@pytest.mark.parametrize("value, first, last", SPANS, ids=[s[0] for s in SPANS])
def test_a_date_compares_by_its_span(value, first, last):
    assert when.span(value) == (first, last)


@pytest.mark.parametrize("value", ["2020-13", "20201", "hôm qua", ""], ids=["month-13", "five-digits", "words", "empty"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(KgError, match="is not a date"):
        when.span(value)


@pytest.mark.parametrize("text, expected", [("2021-06-30", date(2021, 6, 30)), ("30/6/2021", date(2021, 6, 30)),
                                            ("01/02/2020", date(2020, 2, 1))], ids=["iso", "vietnamese", "padded"])
def test_a_day_as_users_write_it(text, expected):
    assert when.day(text) == expected


@pytest.mark.parametrize("text", ["2021", "2021-06", "31/2/2021"], ids=["year", "month", "no-such-day"])
def test_a_month_or_a_year_is_not_a_day(text):
    with pytest.raises(KgError):
        when.day(text)


# (day, post, expected {(person, how)}): the Bí thư chain Sơn → Minh → Lan; Phó Bí thư with
# several holders at once; Chủ tịch, attested once and called former later
HELD = [
    ("2010-10-14", BI_THU, set()),                                           # the day before the stated start
    ("2010-10-15", BI_THU, {(SON_A, "stated")}),                             # the stated start's day
    ("2015-09-30", BI_THU, {(SON_A, "stated")}),
    ("2015-10-01", BI_THU, {(SON_A, "stated"), (MINH, "stated")}),            # "2015-10" starts Minh on its first day,
    ("2015-10-31", BI_THU, {(SON_A, "stated"), (MINH, "stated")}),            # "2015-10" ends Sơn on its last
    ("2015-11-01", BI_THU, {(MINH, "stated")}),
    ("2020-11-01", BI_THU, {(MINH, "stated")}),                              # no end stated: until Lan is first seen
    ("2020-11-02", BI_THU, {(LAN, "attested")}),                             # Lan's first attestation ends Minh's span
    ("2023-05-01", BI_THU, {(LAN, "attested")}),                             # her last attestation
    ("2023-05-02", BI_THU, {(LAN, "bounded")}),                              # after it: open on the right
    ("2018-12-31", PHO_BI_THU, {(SON_D, "attested")}),                       # "2019" has not begun
    ("2019-01-01", PHO_BI_THU, {(SON_D, "attested"), (HOA, "stated")}),       # several holders, each with its class
    ("2021-06-30", PHO_BI_THU, {(SON_D, "attested"), (HOA, "stated")}),
    ("2021-07-01", PHO_BI_THU, {(SON_D, "bounded"), (HOA, "stated")}),        # after his last attestation
    ("2021-08-31", PHO_BI_THU, {(SON_D, "bounded"), (HOA, "stated")}),
    ("2021-09-01", PHO_BI_THU, {(HOA, "stated")}),                           # a source calls him former that day
    ("2015-10-31", PHO_BI_THU, {(MINH, "stated")}),                          # stated end "2015-10", its last day
    ("2015-11-01", PHO_BI_THU, set()),
    ("2021-09-01", CHU_TICH, {(SON_D, "attested")}),
    ("2024-05-31", CHU_TICH, {(SON_D, "bounded")}),
    ("2024-06-01", CHU_TICH, set()),                                         # called former: no longer held
]


_SHORT = {BI_THU: "bi-thu", PHO_BI_THU: "pho-bi-thu", CHU_TICH: "chu-tich"}


@pytest.mark.parametrize("on, post, expected", HELD, ids=[f"{_SHORT[p]}-{d}" for d, p, _ in HELD])
def test_who_held_the_post_on_a_day(ds, on, post, expected):
    answers = when.held_on(ds, on, post=post)
    assert {(a.step.person, a.how) for a in answers} == expected


def test_a_role_and_a_body_name_the_post(ds):
    by_post = when.held_on(ds, "2019-06-01", post=PHO_BI_THU)
    by_role = when.held_on(ds, "2019-06-01", role="pho bi thu", body="Tỉnh uỷ Hải Dương")
    assert by_post == by_role and len(by_role) == 2


def test_a_stated_answer_comes_with_the_sentence_that_states_it(ds):
    (answer,) = when.held_on(ds, "2012-06-01", role="Phó Bí thư", body="Tỉnh ủy Hải Dương")
    assert answer.how == "stated" and answer.step.start == "2012-05-20"
    assert answer.evidence[0].says == "start" and answer.evidence[0].name == "s02.txt"
    assert answer.evidence[0].sentence.startswith("Ngày 20/5/2012, ông Trần Văn Minh được bầu")
    assert {e.name for e in answer.evidence} == {"s02.txt", "s03.txt"}  # s03 states the end


def test_an_attested_answer_comes_with_the_sentences_showing_the_post_held(ds):
    (answer,) = when.held_on(ds, "2021-01-01", post=BI_THU)
    assert answer.how == "attested" and answer.step.name == "Phạm Thị Lan"
    assert [(e.name, e.says) for e in answer.evidence] == [("s08.txt", "holds"), ("s12.txt", "holds")]


def test_the_post_may_be_given_by_its_iri(ds):
    answers = when.held_on(ds, date(2016, 1, 1), post=f"<{ID}post/bi-thu-tinh-uy-hai-duong-300001>")
    assert [(a.step.name, a.how) for a in answers] == [("Trần Văn Minh", "stated")]


def test_a_career_in_order(ds):
    steps = when.career(ds, "tran van minh")
    assert [s.post_label for s in steps] == [PHO_BI_THU, BI_THU]
    assert [(s.start, s.end) for s in steps] == [("2012-05-20", "2015-10"), ("2015-10", "")]


def test_two_people_with_one_name_are_told_apart(ds):
    with pytest.raises(when.Ambiguous) as caught:
        when.career(ds, "Nguyễn Văn Sơn")
    message = str(caught.value)
    assert SON_A in message and SON_D in message and CHU_TICH in message
    assert [s.post_label for s in when.career(ds, SON_D)] == [PHO_BI_THU, CHU_TICH]
    assert [s.post_label for s in when.career(ds, SON_A)] == [BI_THU]


@pytest.mark.parametrize("name, kind", [("Hồ Văn Không", "person"), ("Tỉnh ủy Bắc Ninh", "body")], ids=["person", "body"])
def test_a_name_nothing_has_is_an_error(ds, name, kind):
    with pytest.raises(when.NoMatch, match="no (person|body) named"):
        when.career(ds, name) if kind == "person" else when.leaders(ds, name)


@pytest.mark.parametrize("name, iri", [("LE THI HOA", HOA), ("Lê Thị Hoà", HOA), ("pham thi lan", LAN)],
                         ids=["capitals", "old-tone", "no-diacritics"])
def test_names_match_as_the_search_box_matches_them(ds, name, iri):
    assert when.resolve(ds, name, "person") == iri


def test_the_leaders_of_a_body_post_by_post(ds):
    steps = when.leaders(ds, "Tinh uy Hai Duong")
    assert [(s.post_label, s.name) for s in steps] == [
        (BI_THU, "Nguyễn Văn Sơn"), (BI_THU, "Trần Văn Minh"), (BI_THU, "Phạm Thị Lan"),
        (PHO_BI_THU, "Trần Văn Minh"), (PHO_BI_THU, "Nguyễn Văn Sơn"), (PHO_BI_THU, "Lê Thị Hòa")]
    assert [s.name for s in when.leaders(ds, "Tinh uy Hai Duong", role="Bí thư")] == \
        ["Nguyễn Văn Sơn", "Trần Văn Minh", "Phạm Thị Lan"]
    with pytest.raises(when.NoMatch, match="the roles there: Bí thư, Phó Bí thư"):
        when.leaders(ds, "Tinh uy Hai Duong", role="Chủ tịch")


def test_successions_in_a_chain_of_three(ds):
    chain = when.successions(ds, "Tỉnh ủy Hải Dương")
    assert [(x.before.name, x.after.name, x.how) for x in chain] == [
        ("Nguyễn Văn Sơn", "Trần Văn Minh", "stated"), ("Trần Văn Minh", "Phạm Thị Lan", "attested")]
    assert when.successions(ds, "Ủy ban nhân dân tỉnh Hải Dương") == []


def test_rdflib_answers_as_pyoxigraph_does(ds):
    from kg.export import load
    rdflib_ds = load(DATA)
    rdflib_ds.default_union = True
    for on in ("2015-10-31", "2021-07-01"):
        assert when.held_on(rdflib_ds, on, role="Phó Bí thư", body="Tỉnh ủy Hải Dương") == \
            when.held_on(ds, on, role="Phó Bí thư", body="Tỉnh ủy Hải Dương")


# --- the commands --------------------------------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "-i", str(DATA)])
    out, err = capsys.readouterr()
    return code, out, err


def test_kg_held_table_shows_how_sure_and_the_sentence(capsys):
    code, out, err = run(capsys, "held", "--on", "1/7/2021", "Phó Bí thư", "Tinh uy Hai Duong")
    assert code == 0 and "2 holders (stated 1, bounded 1)" in err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["how", "name", "post_label"] and lines[-1] == "(2 rows)"
    assert lines[2].startswith("stated") and "Bà Lê Thị Hòa giữ chức Phó Bí thư" in lines[2]
    assert lines[3].startswith("bounded") and "Nguyễn Văn Sơn" in lines[3]


def test_kg_held_json_has_the_evidence(capsys):
    code, out, _ = run(capsys, "held", "--on", "2010-10-15", "--post", BI_THU, "-f", "json")
    (answer,) = json.loads(out)
    assert code == 0 and answer["how"] == "stated" and answer["person"] == SON_A
    assert answer["evidence"][0]["says"] == "start" and answer["evidence"][0]["published"] == "2010-10-16"


def test_kg_held_with_no_holder_exits_1(capsys):
    code, out, err = run(capsys, "held", "--on", "2000-01-01", "--post", BI_THU, "-f", "csv")
    assert code == 1 and out.startswith("how,name,post_label") and "nobody is known" in err


@pytest.mark.parametrize("argv, says", [
    (("career", "Nguyen Van Son"), "names 2 people"),
    (("leaders", "Hai Duong"), "names 2 bodies"),
    (("held", "--on", "2021", "--post", BI_THU), "is not a day"),
    (("held", "--on", "2021-01-01"), "say which post"),
    (("career", "Ai Đó"), "no person named"),
], ids=["ambiguous-person", "ambiguous-body", "not-a-day", "no-post", "nobody"])
def test_kg_errors_are_one_line_and_exit_2(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and says in err and len(err.strip().splitlines()) == 1


def test_kg_career_csv_and_leaders_and_successions(capsys):
    code, out, _ = run(capsys, "career", SON_D, "-f", "csv")
    rows = out.splitlines()
    assert code == 0 and rows[0].startswith("how,post_label,start") and rows[0].endswith("person,post,tenure")
    assert [r.split(",")[1] for r in rows[1:]] == [PHO_BI_THU, CHU_TICH]
    code, out, _ = run(capsys, "leaders", "Tỉnh ủy Hải Dương", "--role", "Bí thư", "-f", "json")
    assert [s["name"] for s in json.loads(out)] == ["Nguyễn Văn Sơn", "Trần Văn Minh", "Phạm Thị Lan"]
    code, out, err = run(capsys, "successions")
    assert code == 0 and "2 successions" in err and "Phạm Thị Lan" in out and "2015-10" in out
