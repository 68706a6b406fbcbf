"""The resolution stage: which person mentions are one person, tenures and successions, the
user's table, `kg add`'s placing, and the stated starts and ends the extractor reads.

Names and sentences here are invented for the tests; none is a seed's or a real article's.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract import extract
from kg.model import Entity, Extraction, Fact, Lit, SourceMeta, SourceText
from kg.resolve import cluster, load_table, place, resolve
from kg.resolve.names import bare, display, exact, one_edit
from kg.resolve.mentions import Mention, PostRef, Resolution
from kg.resolve.posts import CENTRAL, family, is_membership, single_holder
from kg.resolve.record import PeopleFile, Record
from kg.resolve.tenures import changed as changed_tenures, span, tenures


def post(role: str, body: str, seat: str | None, former: bool = False, start: Lit | None = None,
         end: Lit | None = None) -> PostRef:
    return PostRef(("Post", role, body), role, f"{role} {body}", seat, former, start, end)


def m(source: str, name: str, date: str | None, *posts: PostRef, province: str | None = None) -> Mention:
    return Mention(source, ("Person", name), name, date, province, tuple(posts))


CHAIR_A = post("Chủ tịch", "Ủy ban nhân dân tỉnh Sơn La", "Sơn La")
CHAIR_B = post("Chủ tịch", "Ủy ban nhân dân tỉnh Cà Mau", "Cà Mau")
VICE_B = post("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Cà Mau", "Cà Mau")
DEPUTY_MIN = post("Thứ trưởng", "Bộ Công Thương", CENTRAL)
SEC_A = post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La")
CC = post("Ủy viên", "Ban Chấp hành Trung ương Đảng", CENTRAL)


def people_of(res: Resolution) -> list[set[str]]:
    return sorted(({x.source for x in p.mentions} for p in res.people), key=sorted)


# --- names -------------------------------------------------------------------------------


def test_forms_of_a_name():
    assert exact("Nguyễn Thị Hoà") == exact("NGUYỄN THỊ HÒA") == exact("nguyễn  thị hòa")
    assert exact("K’Bơ Lành") == exact("K'Bơ Lành")
    assert bare("Đặng Văn Tư") == "dang van tu"
    assert one_edit(exact("Đương Văn Tư"), exact("Dương Văn Tư")) and not one_edit("abc", "abd e")
    from collections import Counter
    assert display(Counter({"NGUYỄN THỊ HOÀ": 3, "Nguyễn Thị Hoà": 1})) == "Nguyễn Thị Hòa"
    assert display(Counter({"Nguyen Thi Hoa": 5, "Nguyễn Thị Hòa": 1})) == "Nguyễn Thị Hòa"


def test_posts_kinds_and_seats():
    assert is_membership("Ủy viên Ban Thường vụ") and is_membership("Tỉnh ủy viên") and is_membership("Đại biểu")
    assert single_holder("Bí thư") and single_holder("Chủ tịch") and single_holder("Tổng Thư ký")
    assert not single_holder("Phó Bí thư") and not single_holder("Thứ trưởng") and not single_holder("Ủy viên")
    assert family("Hà Giang") == "Tuyên Quang" and family("Tuyên Quang") == "Tuyên Quang" and family(CENTRAL) == CENTRAL


# --- clustering --------------------------------------------------------------------------


def test_one_name_in_two_provinces_at_once_is_two_people():
    res = cluster([m("a1", "Lò Văn Khánh", "2021-03-02", CHAIR_A), m("b1", "Lò Văn Khánh", "2021-04-10", VICE_B),
                   m("a2", "Lò Văn Khánh", "2022-01-05", CHAIR_A), m("b2", "Lò Văn Khánh", "2021-12-01", VICE_B)])
    assert people_of(res) == [{"a1", "a2"}, {"b1", "b2"}]
    apart = [d for d in res.decisions if not d.same]
    assert apart and "at the same time" in apart[0].reason
    keys = sorted(p.key for p in res.people)
    assert keys[0] == ("Person", "Lò Văn Khánh") and keys[1][:2] == ("Person", "Lò Văn Khánh") and len(keys[1]) == 3


def test_a_national_and_a_provincial_post_at_once_are_two_people():
    res = cluster([m("c", "Hà Minh Quý", "2023-05-01", DEPUTY_MIN), m("d", "Hà Minh Quý", "2023-05-20", VICE_B)])
    assert len(res.people) == 2


def test_a_move_between_provinces_is_one_person():
    linked = cluster([m("a", "Bạch Văn Tài", "2020-01-10", SEC_A),
                      m("b", "Bạch Văn Tài", "2021-06-01", CHAIR_B, post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La", former=True))])
    assert people_of(linked) == [{"a", "b"}]
    assert "post in common" in linked.decisions[0].reason
    unlinked = cluster([m("a", "Bạch Văn Tài", "2020-01-10", SEC_A), m("b", "Bạch Văn Tài", "2022-06-01", CHAIR_B)])
    assert people_of(unlinked) == [{"a", "b"}] and "a move" in unlinked.decisions[0].reason


def test_a_province_merged_in_2025_is_not_a_second_place():
    old = post("Bí thư", "Tỉnh ủy Hà Giang", "Hà Giang")
    new = post("Bí thư", "Tỉnh ủy Tuyên Quang", "Tuyên Quang")
    after = cluster([m("a", "Vi Thị Mai", "2025-06-20", old), m("b", "Vi Thị Mai", "2025-07-05", new)])
    assert len(after.people) == 1
    before = cluster([m("a", "Vi Thị Mai", "2020-03-01", old), m("b", "Vi Thị Mai", "2020-03-20", new)])
    assert len(before.people) == 2  # two provinces then: two people


def test_a_single_holder_post_is_held_for_weeks():
    """Chairs of two provinces confirmed three weeks apart are two people, not a move."""
    res = cluster([m("a", "Lương Văn Đạt", "2016-07-02", CHAIR_A), m("b", "Lương Văn Đạt", "2016-07-23", CHAIR_B)])
    assert len(res.people) == 2


def test_a_mention_without_a_post_joins_the_person_of_its_province():
    res = cluster([m("a1", "Lò Văn Khánh", "2021-03-02", CHAIR_A), m("b1", "Lò Văn Khánh", "2021-04-10", VICE_B),
                   m("x", "Lò Văn Khánh", "2021-05-01", province="Cà Mau")])
    assert people_of(res) == [{"a1"}, {"b1", "x"}]


def test_forms_of_one_name_are_one_person_and_a_near_name_needs_a_shared_post():
    res = cluster([m("a", "Nguyễn Thị Hoà", "2022-01-01", SEC_A), m("b", "NGUYỄN THỊ HÒA", "2022-02-01", SEC_A),
                   m("c", "Nguyen Thi Hoa", "2022-03-01", SEC_A)])
    assert len(res.people) == 1 and res.people[0].label == "Nguyễn Thị Hòa"
    typo = cluster([m("a", "Dương Văn Tư", "2022-01-01", SEC_A), m("b", "Đương Văn Tư", "2022-02-01", SEC_A)])
    assert len(typo.people) == 1 and "one letter apart" in typo.decisions[-1].reason
    other = cluster([m("a", "Lê Văn Hưng", "2022-01-01", SEC_A), m("b", "Lê Văn Hùng", "2022-02-01", CHAIR_A)])
    assert len(other.people) == 2


def test_keys_do_not_depend_on_input_order():
    ms = [m("a1", "Lò Văn Khánh", "2021-03-02", CHAIR_A), m("b1", "Lò Văn Khánh", "2021-04-10", VICE_B),
          m("c", "Lò Văn Khánh", "2021-04-01", DEPUTY_MIN)]
    assert sorted(p.key for p in cluster(ms).people) == sorted(p.key for p in cluster(ms[::-1]).people)
    assert len(cluster(ms).people) == 3


# --- the table ---------------------------------------------------------------------------


def test_the_table_overrides_the_rules(tmp_path):
    table = tmp_path / "people.csv"
    table.write_text("a,b,decision\n"
                     "# a hash and a space: a comment\n"
                     "a#Bạch Văn Tài,b#Bạch Văn Tài,different\n"
                     "c#Lê Văn Hưng,d#Lê Văn Hùng,same\n", encoding="utf-8")
    t = load_table(table)
    res = cluster([m("a", "Bạch Văn Tài", "2020-01-10", SEC_A), m("b", "Bạch Văn Tài", "2020-02-01", SEC_A),
                   m("c", "Lê Văn Hưng", "2022-01-01", SEC_A), m("d", "Lê Văn Hùng", "2024-02-01", CHAIR_B)], t)
    assert people_of(res) == [{"a"}, {"b"}, {"c", "d"}]
    assert any("line 3" in d.reason for d in res.decisions if not d.same)


@pytest.mark.parametrize("text, problem", [
    ("x,y,z\n", "header a,b,decision"),
    ("a,b,decision\na#X,b#Y,maybe\n", "line 2: decision 'maybe'"),
    ("a,b,decision\nX,b#Y,same\n", "line 2: 'X' is not SOURCE#Name"),
    ("a,b,decision\na#X,same\n", "line 2: expected 3 cells"),
])
def test_a_bad_table_is_refused_with_the_file_and_line(tmp_path, text, problem):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_table(path)
    assert str(path) in str(e.value) and problem in str(e.value)


# --- tenures -----------------------------------------------------------------------------


def test_tenures_carry_what_is_stated_and_attested_and_follow_each_other():
    first = m("a", "Đinh Văn Lộc", "2019-05-01", SEC_A)
    later = m("b", "Đinh Văn Lộc", "2021-02-01", SEC_A)
    gone = m("c", "Đinh Văn Lộc", "2022-03-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La", former=True,
                                                       end=Lit("2022-02", "gYearMonth")))
    new = m("c", "Cầm Thị Nga", "2022-03-01", post("Bí thư", "Tỉnh ujy Sơn La".replace("ujy", "ủy"), "Sơn La",
                                                    start=Lit("2022-02-15", "date")))
    ts = {t.person[1]: t for t in tenures(cluster([first, later, gone, new]))}
    old, nxt = ts["Đinh Văn Lộc"], ts["Cầm Thị Nga"]
    assert (old.first, old.last, old.ended_before) == (dt.date(2019, 5, 1), dt.date(2021, 2, 1), dt.date(2022, 3, 1))
    assert old.end == Lit("2022-02", "gYearMonth") and old.sources == ("a", "b", "c")
    assert nxt.start == Lit("2022-02-15", "date") and nxt.succeeds == old.key and old.succeeds is None
    assert span(Lit("2020", "gYear")) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert span(Lit("2024-02", "gYearMonth"))[1] == dt.date(2024, 2, 29)


def test_a_multi_holder_post_has_no_succession():
    deputy = post("Phó Bí thư", "Tỉnh ủy Sơn La", "Sơn La")
    ts = tenures(cluster([m("a", "Đinh Văn Lộc", "2019-05-01", deputy), m("b", "Cầm Thị Nga", "2021-05-01", deputy)]))
    assert len(ts) == 2 and all(t.succeeds is None for t in ts)


def recorded(folder: Path, res: Resolution) -> Record:
    """`res` as the people record of an (empty) dataset file in `folder`, open."""
    dataset = folder / "kg.trig"
    dataset.write_bytes(b"")
    PeopleFile(dataset).write(res, None, tenures(res))
    record = PeopleFile(dataset).open()
    assert record is not None
    return record


def test_the_record_round_trips(tmp_path):
    res = cluster([m("a", "Đinh Văn Lộc", "2019-05-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La",
                                                             start=Lit("2019", "gYear"))),
                   m("b", "Đinh Văn Lộc", "2021-02-01", VICE_B)])
    with recorded(tmp_path, res) as record:
        back = record.everything()
        assert [(p.key, p.mentions) for p in back.people] == [(p.key, p.mentions) for p in res.people]
        assert back.decisions == res.decisions
        assert list(record.tenures(t.key for t in tenures(res)).values()) == tenures(res)
        assert record.people_of(["dinh van loc"]) == back.people and record.people_of(["cam thi nga"]) == []
    (tmp_path / "kg.trig").write_bytes(b"#")  # the file changed since: the record is not about it
    assert PeopleFile(tmp_path / "kg.trig").read() is None


def test_the_tenures_an_addition_changes_are_those_a_full_build_makes(tmp_path):
    """`changed` from the record and the new mentions only, against `tenures` of everything."""
    first = [m("a", "Đinh Văn Lộc", "2019-05-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La")),
             m("b", "Cầm Thị Nga", "2022-02-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La"))]
    more = [m("c", "Đinh Văn Lộc", "2018-03-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La", start=Lit("2015", "gYear"))),
            m("d", "Lò Văn Khánh", "2020-06-01", post("Bí thư", "Tỉnh ủy Sơn La", "Sơn La"))]
    res = cluster(first)
    full = {t.key: t for t in tenures(cluster(first + more))}
    with recorded(tmp_path, res) as record:
        before, after = changed_tenures([(x.key, x) for x in more], record.tenures, record.tenures_of_posts)
    old = {t.key: t for t in tenures(res)}
    assert {t.key: t for t in after} == {k: t for k, t in full.items() if old.get(k) != t}
    assert {t.key for t in before} == {k for k in old if old[k] != full[k]}  # Cầm Thị Nga now succeeds Lò Văn Khánh
    assert len(after) == 3


# --- applying keys, kg add ---------------------------------------------------------------


def _extraction(sid: str, date: str, *people: tuple[str, str, str]) -> Extraction:
    """A source whose people hold posts: (name, role, body) with the body in Sơn La."""
    ents, facts = [], []
    for name, role, body in people:
        person, post_key, role_key, body_key = ("Person", name), ("Post", role, body), ("Role", role), ("Body", body)
        ents += [Entity(person, "Person", name), Entity(post_key, "Post", f"{role} {body}"), Entity(role_key, "Role", role),
                 Entity(body_key, "Body", body), Entity(("Place", "Sơn La"), "Place", "Sơn La", ("Province",))]
        facts += [Fact(person, "holds", post_key), Fact(post_key, "role", role_key), Fact(post_key, "postIn", body_key),
                  Fact(body_key, "jurisdiction", ("Place", "Sơn La"))]
    src = SourceText(sid, sid, "", SourceMeta(published=dt.date.fromisoformat(date)))
    return Extraction(src, tuple(dict.fromkeys(ents)), tuple(dict.fromkeys(facts)))


def test_apply_makes_two_forms_in_one_source_one_entity():
    ex = _extraction("s", "2022-01-01", ("Đinh Văn Lộc", "Bí thư", "Tỉnh ủy Sơn La"),
                     ("ĐINH VĂN LỘC", "Bí thư", "Tỉnh ủy Sơn La"))
    out, res = resolve([ex])
    persons = [e for e in out[0].entities if e.cls == "Person"]
    assert len(persons) == 1 and set(persons[0].alt_labels) | {persons[0].label} == {"Đinh Văn Lộc", "ĐINH VĂN LỘC"}
    assert len([f for f in out[0].facts if f.predicate == "holds"]) == 1


def test_name_identity_keeps_one_person_per_written_name():
    a = _extraction("a", "2021-03-02", ("Lò Văn Khánh", "Chủ tịch", "Ủy ban nhân dân tỉnh Sơn La"))
    b = _extraction("b", "2021-04-01", ("Lò Văn Khánh", "Bí thư", "Huyện ủy Mường La"))
    _, res = resolve([a, b], identity="name")
    assert len(res.people) == 1
    with pytest.raises(ValueError):
        resolve([a], identity="guess")


def test_kg_add_places_new_people_and_reports_what_it_would_change(tmp_path):
    (tmp_path / "one").mkdir(), (tmp_path / "two").mkdir()
    a = _extraction("a", "2021-03-02", ("Lò Văn Khánh", "Chủ tịch", "Ủy ban nhân dân tỉnh Sơn La"))
    b = _extraction("b", "2022-01-10", ("Lò Văn Khánh", "Chủ tịch", "Ủy ban nhân dân tỉnh Sơn La"))
    _, before = resolve([a])
    out, after, notes = place([b], recorded(tmp_path / "one", before))
    assert len(after.people) == 1 and not notes  # joins the one there
    assert {x.key for x in out[0].entities if x.cls == "Person"} == {after.people[0].key}
    # one person by the rules of the day (a move from Sơn La to Cà Mau) whom a new source shows
    # in Sơn La while the Cà Mau post is held: two people now — said, not done
    moved = cluster([m("s", "Bạch Văn Tài", "2020-01-10", SEC_A), m("c", "Bạch Văn Tài", "2022-06-01", CHAIR_B)])
    assert len(moved.people) == 1
    late = _extraction("n", "2022-06-20", ("Bạch Văn Tài", "Bí thư", "Tỉnh ủy Sơn La"))
    out, after, notes = place([late], recorded(tmp_path / "two", moved))
    assert len(notes) == 1 and "would make 2 people" in notes[0] and "until `kg build`" in notes[0]
    assert [len(p.mentions) for p in after.people] == [3]  # joined where its post is; nothing split
    assert len(cluster([x for p in after.people for x in p.mentions]).people) == 2  # what a full build makes


# --- the extractor's stated starts and ends ------------------------------------------------


def _stated(text: str, date=dt.date(2024, 3, 20)) -> dict:
    ex = extract(SourceText("t.txt", "t.txt", text, SourceMeta(published=date)))
    return {(f.subject[f.subject.index("→") + 1], f.predicate): f.object for f in ex.facts
            if f.predicate in ("startDate", "endDate")}


@pytest.mark.parametrize("text, role, predicate, value", [
    ("Ngày 15/10/2020, HĐND tỉnh Sơn La đã bầu ông Lò Văn Khánh giữ chức Chủ tịch UBND tỉnh Sơn La.",
     "Chủ tịch", "startDate", Lit("2020-10-15", "date")),
    ("Ông Cầm Văn Phúc, Phó Bí thư Tỉnh ủy Sơn La, được bổ nhiệm giữ chức Giám đốc Sở Tài chính tỉnh Sơn La "
     "kể từ ngày 1/4/2024.", "Giám đốc", "startDate", Lit("2024-04-01", "date")),
    ("Ông Lò Văn Khánh, Chủ tịch UBND tỉnh Sơn La, nghỉ hưu từ ngày 1/3/2024.", "Chủ tịch", "endDate",
     Lit("2024-03-01", "date")),
    ("Ông Lò Văn Khánh được điều động giữ chức Bí thư Tỉnh ủy Sơn La từ tháng 10/2023.", "Bí thư", "startDate",
     Lit("2023-10", "gYearMonth")),
    ("Tháng 3/2024, ông Lò Văn Khánh, Giám đốc Sở Tài chính tỉnh Sơn La nghỉ hưu.", "Giám đốc", "endDate",
     Lit("2024-03", "gYearMonth")),
    ("Tháng 10/2019, đồng chí Cầm Văn Phúc giữ chức vụ Phó Chủ tịch Ủy ban Nhân dân tỉnh Sơn La.", "Phó Chủ tịch",
     "startDate", Lit("2019-10", "gYearMonth")),
    ("Trước đó, năm 2015, ông Cầm Văn Phúc được bổ nhiệm Giám đốc Sở Tài chính tỉnh Sơn La; tháng 5/2018 giữ chức "
     "Phó Chủ tịch UBND tỉnh Sơn La.", "Giám đốc", "startDate", Lit("2015", "gYear")),
    ("Trước đó, năm 2015, ông Cầm Văn Phúc được bổ nhiệm Giám đốc Sở Tài chính tỉnh Sơn La; tháng 5/2018 giữ chức "
     "Phó Chủ tịch UBND tỉnh Sơn La.", "Phó Chủ tịch", "startDate", Lit("2018-05", "gYearMonth")),
    ("Từ tháng 3/2015 đến tháng 9/2020, ông Cầm Văn Phúc là Bí thư Huyện ủy Mường La.", "Bí thư", "startDate",
     Lit("2015-03", "gYearMonth")),
    ("Từ tháng 3/2015 đến tháng 9/2020, ông Cầm Văn Phúc là Bí thư Huyện ủy Mường La.", "Bí thư", "endDate",
     Lit("2020-09", "gYearMonth")),
])
def test_a_stated_start_or_end(text, role, predicate, value):
    found = _stated(text)
    assert found.get((role, predicate)) == value, found


def test_a_birth_year_is_not_a_start():
    assert _stated("Ông Cầm Văn Phúc, sinh năm 1970, từng giữ chức Giám đốc Sở Tài chính tỉnh Sơn La.") == {}


def test_the_chair_of_the_meeting_is_not_the_one_appointed():
    found = _stated("Ngày 12/3, đồng chí Lò Văn Khánh, Bí thư Tỉnh ủy Sơn La chủ trì hội nghị công bố quyết định "
                    "bổ nhiệm ông Cầm Văn Phúc giữ chức Giám đốc Sở Y tế tỉnh Sơn La.")
    assert ("Bí thư", "startDate") not in found and found.get(("Giám đốc", "startDate")) == Lit("2024-03-12", "date")


# --- bodies a merger split -----------------------------------------------------------------


def test_a_district_named_after_the_merger_keeps_its_old_province():
    from dataclasses import replace as rep
    after = _stated_source("a.txt", "Ông Lê Văn Tám, nguyên Bí thư Huyện ủy Hải Hậu, Bí thư Đảng ủy xã Hải Hậu phát biểu.",
                           "Ninh Bình", dt.date(2025, 9, 1))
    before = _stated_source("b.txt", "Ông Lê Văn Tám, Bí thư Huyện ủy Hải Hậu phát biểu.", "Nam Định", dt.date(2023, 9, 1))
    out, res = resolve([after, before])
    keys = {e.key for e in out[0].entities}
    assert ("Body", "Huyện ủy Hải Hậu", "Nam Định") in keys and ("Body", "Huyện ủy Hải Hậu", "Ninh Bình") not in keys
    assert ("Post", "Bí thư", "Đảng ủy xã Hải Hậu", "Ninh Bình") in keys  # a commune of the new province stays
    assert len(res.people) == 1
    alone, _ = resolve([rep(after)])  # no earlier source: nothing to go by
    assert ("Body", "Huyện ủy Hải Hậu", "Ninh Bình") in {e.key for e in alone[0].entities}


def _stated_source(sid: str, text: str, province: str, date: dt.date) -> Extraction:
    return extract(SourceText(sid, sid, text, SourceMeta(published=date, province=province)))


def test_joining_by_posts_before_any_group_is_made_clusters_as_making_every_group_first():
    """Without a table, a mention whose post's owner takes it is never made a group of its own
    (`_Clusters._by_posts_first`); with one (here a table about nobody), every mention's group
    is made first. People, their mentions in order, and every decision are the same."""
    import random
    from dataclasses import replace as with_
    from kg.resolve.table import Ref, Row, Table
    nobody = Table([Row(Ref("", "không ai"), Ref("", "chẳng ai"), False, 2)])
    posts = [CHAIR_A, CHAIR_B, VICE_B, DEPUTY_MIN, SEC_A, CC, post("Bí thư", "Tỉnh ủy Quảng Bình", "Quảng Bình"),
             post("Bí thư", "Tỉnh ủy Quảng Trị", "Quảng Trị"), with_(SEC_A, former=True),
             with_(CHAIR_B, former=True, ends=True), post("Giám đốc", "Sở Tài chính", None)]
    names = ["Lò Văn Khánh", "Lo Van Khanh", "Lò Văn Khánk", "Cầm Thị Nga"]
    rng = random.Random(5)
    for _ in range(60):
        ms = [m(f"s{i:03d}", rng.choice(names),
                rng.choice([None, *(f"{y}-{mo:02d}-{d:02d}" for y in (2021, 2022) for mo in (1, 3, 6) for d in (1, 20))]),
                *rng.sample(posts, rng.choice([0, 1, 1, 1, 2, 3])), province=rng.choice([None, "Sơn La", "Cà Mau"]))
              for i in range(rng.randint(1, 40))]
        fast, made = cluster(ms), cluster(ms, nobody)
        assert [(p.key, p.label, [x.ref for x in p.mentions]) for p in fast.people] == \
            [(p.key, p.label, [x.ref for x in p.mentions]) for p in made.people]
        assert fast.decisions == made.decisions


# --- outlines: resolving without reading the extractions back --------------------------------


class _Counted:
    """A sequence of extractions that counts which are read (as the build's spool would be)."""

    def __init__(self, items: list[Extraction]) -> None:
        self.items, self.read = items, []

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Extraction:
        self.read.append(i)
        return self.items[i]

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _resolved(out, res) -> tuple:
    return ([sorted(e.key for e in ex.entities) for ex in out],
            sorted((p.key, sorted(x.ref for x in p.mentions)) for p in res.people),
            sorted((d.same, d.a, d.b, d.reason) for d in res.decisions))


def test_with_outlines_only_a_source_a_merger_renames_is_read():
    from kg.resolve import outline
    after = _stated_source("a.txt", "Ông Lê Văn Tám, nguyên Bí thư Huyện ủy Hải Hậu, Bí thư Đảng ủy xã Hải Hậu phát biểu.",
                           "Ninh Bình", dt.date(2025, 9, 1))
    before = _stated_source("b.txt", "Ông Lê Văn Tám, Bí thư Huyện ủy Hải Hậu phát biểu.", "Nam Định", dt.date(2023, 9, 1))
    other = _stated_source("c.txt", "Bà Cầm Thị Nga, Phó Chủ tịch UBND tỉnh Sơn La phát biểu.", "Sơn La", dt.date(2024, 1, 2))
    items = [after, before, other]
    counted = _Counted(items)
    out, res = resolve(counted, outlines=[outline(ex) for ex in items])
    assert counted.read == [0]  # the district under the new province, renamed to the old one
    assert _resolved(out, res) == _resolved(*resolve(items))
    assert ("Body", "Huyện ủy Hải Hậu", "Nam Định") in {e.key for e in out[0].entities}


def test_with_outlines_only_a_source_its_people_place_is_read():
    from kg.pipeline import resolve_all
    from kg.resolve import outline
    chair, vice = "Ông Lò Văn Khánh, Chủ tịch UBND tỉnh Sơn La", "bà Cầm Thị Nga, Phó Chủ tịch UBND tỉnh Sơn La"
    items = [_stated_source("a.txt", f"{chair} và {vice} dự hội nghị.", "Sơn La", dt.date(2021, 3, 1)),
             _stated_source("c.txt", "Ông Đinh Văn Hùng, Chủ tịch UBND tỉnh Cà Mau phát biểu.", "Cà Mau", dt.date(2021, 4, 1)),
             extract(SourceText("b.txt", "b.txt", "Ban Thường vụ Tỉnh ủy họp. Ông Lò Văn Khánh, Chủ tịch UBND tỉnh và "
                                "bà Cầm Thị Nga, Phó Chủ tịch UBND tỉnh dự họp.", SourceMeta(published=dt.date(2021, 5, 1))))]
    counted, lines = _Counted(items), []
    out, res = resolve_all(counted, log=lines.append, outlines=[outline(ex) for ex in items])
    assert lines == ["resolve: b.txt is taken to be of Sơn La: its people Cầm Thị Nga, Lò Văn Khánh hold posts in Sơn La"]
    assert counted.read == [2]  # read once, to be extracted again in its province
    assert _resolved(out, res) == _resolved(*resolve_all(items))
    assert ("Body", "Ủy ban nhân dân tỉnh Sơn La") in {e.key[:2] for e in out[2].entities}
