"""The curated table: only verified items, well-formed, and how tables load and merge."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.link.table import KINDS, SHIPPED_TABLE, Item, add_items, load_table, load_tables, merge
from kg.link.units import items_from_units

SHARED = Path(__file__).resolve().parents[2] / "shared" / "wikidata"
VERIFIED, UNITS = SHARED / "verified.json", SHARED / "vn-units.json"
needs_verified = pytest.mark.skipif(not (VERIFIED.is_file() and UNITS.is_file()),
                                    reason="../shared/wikidata/verified.json or vn-units.json is not here")


def _units() -> dict:
    return {i["qid"]: i for i in items_from_units(json.loads(UNITS.read_text(encoding="utf-8")))}


@needs_verified
def test_the_shipped_table_holds_exactly_the_verified_items():
    """verified.json's items, and the units and bodies of vn-units.json with three
    independent confirmations or more (kg.link.units)."""
    verified = {i["qid"]: i for i in json.loads(VERIFIED.read_text(encoding="utf-8"))["items"]}
    units = _units()
    shipped = {i.qid: i for i in load_table(SHIPPED_TABLE)}
    assert shipped.keys() == verified.keys() | units.keys()
    for qid, item in shipped.items():
        expected = verified[qid]["labels"] if qid in verified else {"vi": units[qid]["labels"]["vi"]}
        assert {k: v for k, v in item.labels if k in expected} == expected, qid
        assert item.evidence and item.kind_note


@needs_verified
def test_validity_dates_and_successors_are_those_the_files_state():
    verified = {i["qid"]: i["kind"] for i in json.loads(VERIFIED.read_text(encoding="utf-8"))["items"]}
    statuses = {i["qid"]: f"{i.get('status_2025') or ''} {i.get('note') or ''}"
                for i in json.loads(UNITS.read_text(encoding="utf-8"))["items"]}
    for item in load_table(SHIPPED_TABLE):
        stated = verified.get(item.qid) or statuses[item.qid]
        if item.valid_until or item.successor:
            assert (f"merged into {item.successor} on {item.valid_until.isoformat()}" in stated
                    or f"dissolved {item.valid_until.isoformat()}, merged into" in stated), item.qid
        elif "merged into" in stated:
            pytest.fail(f"{item.qid}: the files state a merger the table lacks")


def test_the_shipped_table_kinds_are_closed_and_qids_unique():
    items = load_table(SHIPPED_TABLE)
    assert all(i.kind in KINDS for i in items)
    assert len({i.qid for i in items}) == len(items)


def write(tmp_path: Path, items: list[dict]) -> Path:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("raw, message", [
    ({"qid": "881", "kind": "country"}, "not a Wikidata item id"),
    ({"qid": "Q0", "kind": "country"}, "not a Wikidata item id"),
    ({"qid": "Q881", "kind": "nation"}, "kind 'nation' is not one of"),
    ({"qid": "Q881", "kind": "country", "valid_until": "1/7/2025"}, "not a date"),
    ({"kind": "country"}, "not a Wikidata table"),
], ids=["no-q", "q-zero", "unknown-kind", "bad-date", "no-qid"])
def test_a_bad_item_is_an_input_error(tmp_path, raw, message):
    with pytest.raises(InputError, match=message):
        load_table(write(tmp_path, [raw]))


def test_a_missing_table_is_an_error_unless_optional(tmp_path):
    with pytest.raises(InputError, match="no such Wikidata table"):
        load_table(tmp_path / "none.json")
    assert load_tables([tmp_path / "none.json", SHIPPED_TABLE]) == load_table(SHIPPED_TABLE)


def test_merge_adds_names_and_refuses_a_kind_conflict():
    a = Item("Q1", "city", labels=(("vi", "thành phố A"),))
    b = Item("Q1", "city", labels=(("en", "A city"), ("vi", "TP A")), aliases=(("vi", "thành phố A"),))
    merged, = merge([a, b])
    assert merged.labels == (("en", "A city"), ("vi", "thành phố A")) and merged.aliases == (("vi", "TP A"),)
    with pytest.raises(InputError, match="conflicts"):
        merge([a, Item("Q1", "province")])
    with pytest.raises(InputError, match="conflicts"):
        merge([a, Item("Q1", "province", keys=(("Place", "A"),))])


def test_an_item_kept_for_given_entities_stays_apart_from_the_general_one():
    general = Item("Q1", "human", labels=(("vi", "A"),))
    scoped = Item("Q1", "human", labels=(("vi", "A"),), keys=(("Person", "A"),))
    assert [i.keys for i in merge([general, scoped, scoped])] == [(), (("Person", "A"),)]


def test_add_items_round_trips(tmp_path):
    path = tmp_path / "local.json"
    item = Item("Q900000001", "province", labels=(("vi", "Bắc Giang"),), valid_until=dt.date(2025, 7, 1),
                successor="Bắc Ninh", origin="accepted", keys=(("Place", "Bắc Giang"),), evidence="review")
    add_items(path, [item], about="test")
    assert load_table(path) == (item,)
    add_items(path, [Item("Q900000002", "human", labels=(("vi", "A"),))], about="test")
    assert [i.qid for i in load_table(path)] == ["Q900000001", "Q900000002"]


@needs_verified
def test_items_one_file_vouches_for_are_review_only_candidates():
    from kg.link.units import SECOND_FILE_CHECKED
    verified = {i["qid"] for i in json.loads(VERIFIED.read_text(encoding="utf-8"))["items"]}
    shipped = {i.qid: i for i in load_table(SHIPPED_TABLE)}
    for raw in json.loads(UNITS.read_text(encoding="utf-8"))["items"]:
        weak = raw["confirmations"] < 3 and raw["qid"] not in SECOND_FILE_CHECKED and raw["qid"] not in verified
        assert (shipped[raw["qid"]].origin == "candidate") is weak, raw["qid"]
    assert {"Q5589338", "Q5261077", "Q131746469"} <= {q for q, i in shipped.items() if i.origin == "candidate"}
    assert shipped["Q10841192"].origin == "curated"  # two files agree; the second one checked


@needs_verified
def test_a_merged_units_successor_qid_is_the_one_its_file_names():
    shipped = {i.qid: i for i in load_table(SHIPPED_TABLE)}
    merged = 0
    for raw in json.loads(UNITS.read_text(encoding="utf-8"))["items"]:
        named = re.search(r"merged into [^(]+\((Q\d+)\)", raw.get("status_2025") or "")
        if named:
            merged += 1
            assert shipped[raw["qid"]].successor_qid == named.group(1), raw["qid"]
    assert merged == 29
    ha_tay = shipped["Q1077294"]  # merged into Hà Nội in 2008, by the file's note
    assert (ha_tay.valid_until, ha_tay.successor, ha_tay.successor_qid) == (dt.date(2008, 8, 1), "Hà Nội", "Q1858")


def test_a_renamed_unit_keeps_one_item_with_its_former_names():
    hue = {i.qid: i for i in load_table(SHIPPED_TABLE)}["Q36399"]
    names = {n for _, n in hue.labels + hue.aliases}
    assert {"Thừa Thiên Huế", "Thừa Thiên - Huế", "TT-Huế", "Huế", "Thành phố Huế"} <= names
    assert "Thừa Thiên Huế" in hue.former_names and "Huế" not in hue.former_names
    assert (hue.renamed_on, hue.valid_until, hue.successor_qid) == (dt.date(2025, 1, 1), None, "")


@needs_verified
def test_refreshing_the_table_from_the_units_file_changes_nothing(tmp_path):
    from kg.link.units import merge_into_table
    copy = tmp_path / "wikidata.json"
    copy.write_bytes(SHIPPED_TABLE.read_bytes())
    assert merge_into_table(UNITS, copy) == (0, 81)
    assert copy.read_bytes() == SHIPPED_TABLE.read_bytes()


@pytest.mark.parametrize("raw, message", [
    ({"qid": "Q1", "kind": "province", "origin": "guessed"}, "origin 'guessed' is not one of"),
    ({"qid": "Q1", "kind": "province", "successor_qid": "Bắc Ninh"}, "successor_qid 'Bắc Ninh' is not a Wikidata"),
    ({"qid": "Q1", "kind": "province", "renamed_on": "2025"}, "not a date"),
], ids=["unknown-origin", "successor-by-name", "bad-rename-date"])
def test_a_bad_new_field_is_an_input_error(tmp_path, raw, message):
    with pytest.raises(InputError, match=message):
        load_table(write(tmp_path, [raw]))


def test_a_later_table_may_confirm_a_candidate():
    candidate = Item("Q1", "organization", labels=(("vi", "A"),), origin="candidate")
    merged, = merge([candidate, Item("Q1", "organization", labels=(("vi", "A"),), origin="accepted")])
    assert merged.origin == "accepted"
