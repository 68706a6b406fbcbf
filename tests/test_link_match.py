"""Matching local entities to curated items: kinds, names, dates, ambiguity, one QID per entity."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from kg.link.match import (TABLE_POLICY, Decision, Scored, Target, decide, local_kind, name_match,
                           one_entity_per_qid, table_candidates, table_decision)
from kg.link.table import SHIPPED_TABLE, Item, load_table

ITEMS = load_table(SHIPPED_TABLE)


def place(label: str, *types: str, key: str | None = None, when: str | None = None) -> Target:
    dates = (dt.date.fromisoformat(when),) if when else ()
    return Target(("Place", key or label), "Place", label, types, dates=dates)


def body(label: str) -> Target:
    return Target(("Body", label), "Body", label)


CASES = [
    # (target, the QID it must link to, or None)
    (place("Việt Nam", "Country"), "Q881"),
    (place("Bắc Giang", "Province"), "Q36367"),
    (place("Bắc Giang", "Province", when="2025-09-01"), "Q36367"),
    (place("Hải Dương", "Province", when="2021-01-22"), "Q36729"),
    (place("tỉnh Bắc Giang", "Province", key="Bắc Giang"), "Q36367"),
    (place("thành phố Bắc Giang", "District"), "Q36736"),
    (place("TP. Bắc Giang", "District"), "Q36736"),
    (place("TP Hải Dương", "District"), "Q36354"),
    (place("Bắc Giang", "District"), None),
    (place("thành phố Bắc Giang", "Province"), None),
    (place("Hà Nội", "Province"), "Q1858"),
    (place("Hà Nội", "District"), None),
    (place("Bắc Ninh", "Province"), "Q33408"),  # the successor: linked by its own verified QID
    (place("Hải Phòng", "Province"), "Q72818"),
    (place("Bac Giang", "Province"), "Q36367"),
    (place("Bắc Giàng", "Province"), None),
    (place("tỉnh Bắc Giang"), "Q36367"),
    (place("Bắc Giang"), "Q36367"),
    (place("Việt Nam", "Province"), None),
    (Target(("Person", "Việt Nam"), "Person", "Việt Nam"), None),
    (body("Đảng Cộng sản Việt Nam"), "Q427325"),
    (body("Mặt trận Tổ quốc Việt Nam"), "Q1628865"),
    (body("MTTQ Việt Nam"), "Q1628865"),
    (body("Tỉnh ủy Bắc Giang"), None),
    (body("Bắc Giang"), None),
    (Target(("Role", "Chủ tịch nước"), "Role", "Chủ tịch nước"), "Q866680"),
    (Target(("Post", "Chủ tịch Quốc hội"), "Post", "Chủ tịch Quốc hội"), "Q428110"),
    (Target(("Role", "Chủ tịch"), "Role", "Chủ tịch"), None),
    (Target(("Meeting", "Việt Nam"), "Meeting", "Việt Nam"), None),
    (Target(("Document", "COVID-19 pandemic in Vietnam"), "Document", "COVID-19 pandemic in Vietnam"), None),
]
IDS = ["country", "province", "ceased-province-after-merger", "historical-province-dated",
       "province-label-with-tinh", "city", "city-tp-dot", "city-tp", "district-named-like-province",
       "province-named-like-city", "centrally-run-city", "district-named-hanoi", "successor-own-qid",
       "successor-hai-phong-own-qid", "without-diacritics", "other-diacritics", "untyped-place-alias",
       "untyped-place-label", "country-item-not-province", "person-not-place", "party", "front",
       "front-alias", "provincial-committee-unlisted", "body-not-place", "president-role",
       "chair-of-assembly-post", "generic-role", "meeting-never-linked", "event-never-linked"]


@pytest.mark.parametrize("target, qid", CASES, ids=IDS)
def test_table_link(target, qid):
    decision = decide(target, table_candidates(target, ITEMS), TABLE_POLICY)
    assert (decision.chosen.qid if decision.chosen else None) == qid, decision


@pytest.mark.parametrize("target, kind", [
    (place("Việt Nam", "Country"), "country"),
    (Target(("Place", "x"), "Province", "x", ("Place",)), "province"),
    (place("Việt Yên", "District"), "city"),
    (place("Bắc Giang"), "place"),
    (Target(("Person", "x"), "Person", "x"), "person"),
    (Target(("Post", "x"), "Post", "x"), "position"),
    (Target(("Goal", "x"), "Goal", "x"), None),
], ids=["country", "province-as-class", "district", "untyped-place", "person", "post", "goal"])
def test_local_kind(target, kind):
    assert local_kind(target) == kind


@pytest.mark.parametrize("ours, theirs, unit, expected", [
    ("Bắc Giang", "bắc  giang", "", "exact"),
    ("Hòa Bình", "Hoà Bình", "", "exact"),
    ("Bac Giang", "Bắc Giang", "", "folded"),
    ("Bắc Giang", "Bac Giang", "", "folded"),
    ("Bắc Giang", "Bắc Giàng", "", None),
    ("Lê Minh Hưng", "Lê Minh Hùng", "", None),
    ("tỉnh Bắc Giang", "Bắc Giang", "province", "exact"),
    ("tỉnh Bắc Giang", "Bắc Giang", "", None),
    ("thành phố Bắc Giang", "Bắc Giang", "province", None),
    ("thành phố Hà Nội", "Hà Nội", "centrally-run city", "exact"),
    ("TP. Bắc Giang", "thành phố Bắc Giang", "", "exact"),
], ids=["case-space", "old-tone", "ours-unmarked", "theirs-unmarked", "marks-differ", "person-marks-differ",
        "unit-stripped", "unit-kept", "city-is-not-province", "centrally-run-city", "tp-spelled-out"])
def test_name_match(ours, theirs, unit, expected):
    assert name_match([ours], [theirs], unit) == expected


def human(qid: str, name: str, **kw) -> Item:
    return Item(qid=qid, kind="human", labels=(("vi", name),), **kw)


def test_equal_evidence_gives_no_link_and_both_candidates():
    items = (human("Q900000001", "Nguyễn Văn An"), human("Q900000002", "Nguyễn Văn An"))
    target = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An")
    decision = decide(target, table_candidates(target, items), TABLE_POLICY)
    assert decision.chosen is None and decision.status == "ambiguous"
    assert [c.qid for c in decision.candidates] == ["Q900000001", "Q900000002"]


def test_an_exact_label_beats_a_folded_one():
    items = (human("Q900000001", "Nguyen Van An"), human("Q900000002", "Nguyễn Văn An"))
    target = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An")
    assert decide(target, table_candidates(target, items), TABLE_POLICY).chosen.qid == "Q900000002"


@pytest.mark.parametrize("valid_from, when, linked", [
    ("2025-07-01", "2024-07-16", False),
    ("2025-07-01", "2025-08-01", True),
    ("2025-07-01", None, True),
    (None, "2024-07-16", True),
], ids=["item-younger-than-source", "source-after-item", "undated-source", "no-start"])
def test_an_item_that_began_after_the_source_is_not_it(valid_from, when, linked):
    item = Item(qid="Q900000003", kind="province", labels=(("vi", "Bắc Ninh"),),
                valid_from=dt.date.fromisoformat(valid_from) if valid_from else None)
    target = place("Bắc Ninh", "Province", when=when)
    assert bool(table_candidates(target, (item,))) is linked


def test_an_item_with_keys_matches_those_entities_only():
    item = human("Q900000004", "Nguyễn Văn An", keys=(("Person", "Nguyễn Văn An"),))
    same = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An")
    other = Target(("Person", "Nguyễn Văn An 2"), "Person", "Nguyễn Văn An")
    assert table_candidates(same, (item,)) and not table_candidates(other, (item,))


def linked(key: str, qid: str, score: float) -> Decision:
    s = Scored(qid, qid, score, "r")
    return Decision(Target(("Body", key), "Body", key), (s,), s, "linked")


@pytest.mark.parametrize("scores, kept", [
    ((1.0, 1.0), []),
    ((1.0, 0.95), []),
    ((1.0, 0.85), ["A"]),
    ((0.85, 1.0), ["B"]),
], ids=["tie", "within-margin", "clear-lead", "clear-lead-second"])
def test_one_qid_is_never_linked_to_two_entities(scores, kept):
    decisions = one_entity_per_qid([linked("A", "Q1", scores[0]), linked("B", "Q1", scores[1]),
                                    linked("C", "Q2", 1.0)])
    assert [d.target.key[1] for d in decisions if d.chosen and d.chosen.qid == "Q1"] == kept
    assert decisions[2].status == "linked"
    assert all(d.status == "conflict" and "Q1 also matches" in d.note for d in decisions[:2] if not d.chosen)


def test_the_same_entity_from_two_sources_is_one_target_not_a_conflict():
    from kg.link.targets import targets_from_extractions
    from kg.model import Entity, Extraction, SourceMeta, SourceText

    def source(name: str, day: str) -> Extraction:
        meta = SourceMeta(published=dt.date.fromisoformat(day))
        entity = Entity(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",))
        return Extraction(SourceText(name, name, "", meta), (entity,))

    targets = targets_from_extractions([source("a.txt", "2024-07-16"), source("b.txt", "2021-01-22")])
    assert len(targets) == 1 and targets[0].dates == (dt.date(2021, 1, 22), dt.date(2024, 7, 16))
    assert targets[0].successor == "Bắc Ninh"


def test_what_linking_gathers_of_an_entity_holds_no_sentence():
    """Linking gathers every entity of every source; of each it keeps the class and first label,
    with its other labels and types gathered apart, never the sentence it was read in (which
    would make the gathered index grow with the corpus's text). The target is the same."""
    from kg.link.targets import Gather
    from kg.model import Entity, Evidence, Extraction, SourceMeta, SourceText
    sentence = "Tỉnh Bắc Giang tổ chức hội nghị " * 20
    entity = Entity(("Place", "Bắc Giang"), "Place", "Bắc Giang", ("Province",), ("tỉnh Bắc Giang",),
                    Evidence("a.txt", 0, 9, sentence, "place"))
    g = Gather()
    g.add(Extraction(SourceText("a.txt", "a.txt", sentence, SourceMeta(published=dt.date(2024, 7, 16))), (entity,)))
    assert g.first[entity.key] == ("Place", "Bắc Giang")
    [target] = g.targets()
    assert target.types == ("Province",) and target.alt_labels == ("tỉnh Bắc Giang",)


def linked_to(target: Target) -> str | None:
    chosen = table_decision(target, ITEMS).chosen
    return chosen.qid if chosen else None


def test_a_renamed_unit_is_one_item_under_both_names():
    assert [linked_to(t) for t in (place("Thừa Thiên Huế", "Province", when="2021-03-11"),
                                   place("Thừa Thiên Huế", "Province", when="2026-01-21"),
                                   place("Huế", "Province", when="2026-01-21"),
                                   place("Huế", "Province"))] == ["Q36399"] * 4


def test_the_new_name_before_the_rename_is_not_the_unit():
    assert linked_to(place("Huế", "Province", when="2021-05-10")) is None
    assert linked_to(place("Huế", "Province", key="Huế 2", when="2025-01-01")) == "Q36399"
    assert linked_to(place("thành phố Huế", "District", when="2026-05-10")) is None  # a city item is not a province's


def renamed(key: str, era: str, score: float = 1.0) -> Decision:
    s = Scored("Q36399", "Thừa Thiên Huế", score, "r", tags=("name", f"renamed-{era}"))
    return Decision(Target(("Place", key), "Place", key, ("Province",)), (s,), s, "linked")


def test_a_renamed_units_item_links_one_entity_per_name_era():
    kept = one_entity_per_qid([renamed("Thừa Thiên Huế", "former"), renamed("Huế", "current", 0.95)])
    assert [d.status for d in kept] == ["linked", "linked"]
    twice = one_entity_per_qid([renamed("Huế", "current"), renamed("Huế 2", "current")])
    assert [d.status for d in twice] == ["conflict", "conflict"]


def test_an_item_one_file_vouches_for_is_offered_never_linked():
    decision = table_decision(body("Chính phủ"), ITEMS)
    assert (decision.chosen, decision.status) == (None, "unverified")
    assert [c.qid for c in decision.candidates] == ["Q5589338"] and "unverified" in decision.candidates[0].tags
    assert table_decision(body("Đảng Cộng sản Việt Nam"), ITEMS).chosen.qid == "Q427325"


def test_a_person_needs_a_post_the_file_ties_to_the_item():
    item = human("Q900000005", "Nguyễn Văn An", positions=("Bí thư Tỉnh ủy Bắc Giang",))
    holder = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An", posts=("Bí thư Tỉnh ủy Bắc Giang",))
    namesake = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An", posts=("Giám đốc Sở Y tế tỉnh Hải Dương",))
    assert table_decision(holder, (item,)).chosen.qid == "Q900000005"
    assert table_decision(namesake, (item,)).status == "weak"


def test_an_item_kept_for_an_entity_is_found_by_its_iri_too():
    item = human("Q900000006", "Nguyễn Văn An", keys=(("iri", "https://w3id.org/vnkg/id/person/an"),))
    by_iri = Target(("Person", "Nguyễn Văn An"), "Person", "Nguyễn Văn An", iri="https://w3id.org/vnkg/id/person/an")
    assert table_decision(by_iri, (item,)).chosen.qid == "Q900000006"
    assert table_decision(replace(by_iri, iri="https://w3id.org/vnkg/id/person/other"), (item,)).chosen is None


def test_the_name_index_offers_every_item_that_could_match():
    from kg.extract import gazetteer as gz
    from kg.link.match import NameIndex
    index = NameIndex(ITEMS)
    targets = [t for t, _ in CASES] + [place(s, "Province") for p in gz.provinces().values() for s in (p.name, *p.aliases)]
    for target in targets:
        assert table_candidates(target, index) == table_candidates(target, ITEMS), target.label


def test_the_preferred_label_is_the_one_most_sources_use_the_longer_on_a_tie_a_heading_first():
    """`kg.graph.Labels` keeps a key's label until a second source votes, then counts: the label
    most sources use wins, the longer on a tie; a document's own heading (`textOf`) wins over all."""
    from kg.graph import preferred_labels
    from kg.model import Entity, Extraction, Fact, SourceText

    def ex(name: str, *labelled, heading=None):
        entities = tuple(Entity(key, "Body", label) for key, label in labelled)
        facts = (Fact(("Text", name), "textOf", heading),) if heading else ()
        return Extraction(SourceText(name, name, ""), entities, facts)
    a, b, c, d = ("Body", "a"), ("Body", "b"), ("Body", "c"), ("Document", "d")
    chosen = preferred_labels([
        ex("1.txt", (a, "UBND tỉnh"), (b, "Sở Y tế"), (c, "Ban"), (d, "Nghị quyết 11")),
        ex("2.txt", (a, "Ủy ban nhân dân tỉnh"), (b, "Sở Y tế tỉnh"), (d, "Nghị quyết số 11-NQ/TW"), heading=d),
        ex("3.txt", (a, "UBND tỉnh"), (d, "Nghị quyết 11")),
    ])
    assert chosen == {a: "UBND tỉnh", b: "Sở Y tế tỉnh", c: "Ban", d: "Nghị quyết số 11-NQ/TW"}


def test_a_key_of_one_source_alone_is_not_voted_on_and_keeps_its_label():
    """A goal's key and a body left unplaced ("@source") belong to one source: `Labels` does not
    hold them (its chosen labels leave them out, and the graph uses the entity's own label),
    but a key of one source named by two of its entities is still voted on."""
    from kg.graph import Labels
    from kg.model import Entity, Extraction, SourceText
    goal, unplaced, shared = ("Goal", "1.txt", "dat 100%", "100"), ("Body", "Ban", "@1.txt"), ("Body", "Sở Y tế")
    votes = Labels()
    votes.add(Extraction(SourceText("1.txt", "1.txt", ""), (
        Entity(goal, "Goal", "đạt 100% số xã"), Entity(unplaced, "Body", "Ban"), Entity(shared, "Body", "Sở Y tế")), ()))
    assert votes.chosen() == {shared: "Sở Y tế"}
    twice = Labels()
    twice.add(Extraction(SourceText("1.txt", "1.txt", ""), (
        Entity(unplaced, "Body", "Ban"), Entity(unplaced, "Body", "Ban Tuyên giáo")), ()))
    assert twice.chosen() == {unplaced: "Ban Tuyên giáo"}


def test_goals_meetings_and_documents_are_not_gathered_for_linking():
    """They are never linked (`local_kind` is None for them): `Gather` does not hold them, and
    the targets are those it would make of everything."""
    from kg.link.match import local_kind
    from kg.link.targets import Gather
    from kg.model import Entity, Extraction, SourceText
    entities = (Entity(("Goal", "1.txt", "dat", "1"), "Goal", "đạt 100% số xã", types=("Target",)),
                Entity(("Meeting", "1.txt", "hoi nghi"), "Meeting", "Hội nghị", types=("Conference",)),
                Entity(("Document", "national", "11-NQ/TW"), "Document", "Nghị quyết 11-NQ/TW"),
                Entity(("Body", "Tỉnh ủy Bắc Ninh"), "Body", "Tỉnh ủy Bắc Ninh"),
                Entity(("Place", "Bắc Ninh"), "Place", "Bắc Ninh", types=("Province",)))
    g = Gather()
    g.add(Extraction(SourceText("1.txt", "1.txt", ""), entities, ()))
    assert set(g.first) == {("Body", "Tỉnh ủy Bắc Ninh"), ("Place", "Bắc Ninh")}
    assert [t.key for t in g.targets()] == [e.key for e in entities if local_kind(
        Target(key=e.key, cls=e.cls, label=e.label, types=e.types)) is not None]
