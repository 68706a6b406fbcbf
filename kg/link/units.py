"""Table items for Vietnam's provinces, centrally-run cities and central bodies, from a file of verified QIDs.

Takes the JSON of ``shared/wikidata/vn-units.json`` (the 63 units before July 2025, each with
the QID that public data files agree on, its ISO code and what became of it in 2025, and a
few central bodies and positions) and the project's gazetteer of provinces; returns items in
the shape of ``kg/data/wikidata.json``.

* A unit dissolved on 2025-07-01 keeps its own item, valid until then, with the unit it
  merged into as its successor — by name, and by QID where the file gives it (the successor
  is one of the same file's verified units). A unit that survived keeps its QID.
* A unit renamed without losing its item (Thừa Thiên Huế, the city of Huế from 2025-01-01:
  one item for both, the file says) has both names, the former ones listed as such.
* Units and bodies with at least ``MIN_CONFIRMATIONS`` independent files, or with two where
  our own check of the second file agreed (:data:`SECOND_FILE_CHECKED`), are linked offline
  (origin ``curated``); the rest are kept as origin ``candidate``: offered for review, never
  linked on their own.

The names an item goes by are the file's label and every spelling the gazetteer knows for the
unit ("BR-VT", "TP.HCM", "Thừa Thiên - Huế"). Items already in the table from
``shared/wikidata/verified.json`` keep their labels, kind and evidence; they gain the names,
successor QID and validity the units file adds.

    python -m kg.link.units ../shared/wikidata/vn-units.json   # refresh the shipped table
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from ..cache import write_atomic_text
from ..extract import gazetteer as gz
from .table import SHIPPED_TABLE

MIN_CONFIRMATIONS = 3
# QID → the second public file we read ourselves and found agreeing with the units file.
SECOND_FILE_CHECKED = {
    "Q10841192": ("checked 2026: opensanctions/opensanctions datasets/vn/national_assembly/crawler.py "
                  "(make_position 'Member of the National Assembly of Vietnam', wikidata_id='Q10841192') agrees "
                  "with bamboo-filing-cabinet/vietnam-elections-wikidata (POSITION_MEMBER_NA, verified live "
                  "2026-07-04); everypolitician's older Q17593571 is the conflict the file notes"),
}
_MERGED = re.compile(r"dissolved (?P<date>\d{4}-\d{2}-\d{2}), merged into (?:Tỉnh |Thành phố )?(?P<into>[^(]+?) "
                     r"\((?P<qid>Q\d+)\)")
_MERGED_NOTE = re.compile(r"merged into (?P<into>[^,;.]+?) on (?P<date>\d{4}-\d{2}-\d{2})")
_VALIDITY = ("valid_until", "successor", "successor_qid", "former_names", "renamed_on")
_KINDS = {"province": "province", "city": "centrally-run city", "body": "organization", "position": "position"}


def items_from_units(units: dict) -> list[dict[str, Any]]:
    """Table items for every unit, body and position of `units` (the weakly confirmed as
    review-only candidates), in the file's order."""
    raw_items = [raw for raw in units["items"] if raw.get("kind") in _KINDS]
    qid_of = {_gazetteer_name(_bare(raw["label_vi"])): raw["qid"] for raw in raw_items
              if raw["kind"] in ("province", "city") and confirmed(raw)}
    return [_item(raw, qid_of) for raw in raw_items]


def confirmed(raw: dict) -> bool:
    """Enough independent files tie the QID to the unit for an offline link."""
    return raw.get("confirmations", 0) >= MIN_CONFIRMATIONS or raw["qid"] in SECOND_FILE_CHECKED


def _item(raw: dict, qid_of: dict[str, str]) -> dict[str, Any]:
    label = _bare(raw["label_vi"])
    names, former = _names(raw, label)
    checked = SECOND_FILE_CHECKED.get(raw["qid"])
    evidence = [*raw.get("evidence", [])[:3], *([checked] if checked else [])]
    item: dict[str, Any] = {
        "qid": raw["qid"], "labels": {"vi": names[0], "en": raw.get("label_en", "")},
        "aliases": {"vi": [n for n in dict.fromkeys(names[1:]) if n != names[0]], "en": []},
        "kind": _KINDS[raw["kind"]],
        "kind_note": raw["kind"] + (f", ISO 3166-2 {raw['iso']}" if raw.get("iso") else "")
        + f"; {raw.get('confirmations', 0)} independent file(s)",
        "evidence": "; ".join(evidence),
    }
    if not confirmed(raw):
        item["origin"] = "candidate"
    item.update(_validity(raw, qid_of))
    if former:
        item.update(former_names=former, renamed_on=_province(label).valid_until)
    return item


def _bare(label: str) -> str:
    """The file's label without its parenthesis: "Tổng cục Thống kê (Việt Nam)" → "Tổng cục Thống kê"."""
    return re.sub(r"\s*\(.*\)$", "", label).strip()


def _names(raw: dict, label: str) -> tuple[list[str], list[str]]:
    """The item's names, its own label first, and those of them the unit had before a rename."""
    if raw["kind"] in ("body", "position"):
        return list(dict.fromkeys([label, re.sub(r" (?:Việt Nam|Chính phủ)$", "", label)])), []
    province = _province(label)
    if province is None:
        return [label], []
    names = [province.name, *province.aliases, label, province.unit]
    renamed = _renamed_to(raw, province)
    if renamed is None:
        return list(dict.fromkeys(names)), []
    return list(dict.fromkeys(names + [renamed.name, *renamed.aliases, renamed.unit])), list(dict.fromkeys(names))


def _renamed_to(raw: dict, province: gz.Province) -> gz.Province | None:
    """The unit a province became by a rename that kept its item: the gazetteer gives it a
    successor, but the units file says it survives with its QID."""
    if not province.successor or not (raw.get("status_2025") or "").startswith("survives"):
        return None
    return _province(province.successor)


def _validity(raw: dict, qid_of: dict[str, str]) -> dict[str, str]:
    """valid_until, successor and successor_qid of a unit that merged into another."""
    merged = _MERGED.search(raw.get("status_2025") or "") or _MERGED_NOTE.search(raw.get("note") or "")
    if not merged:
        return {}
    successor = _gazetteer_name(merged.group("into").strip())
    given = merged.groupdict().get("qid") or qid_of.get(successor, "")
    out = {"valid_until": merged.group("date"), "successor": successor}
    return out | ({"successor_qid": given} if given and given == qid_of.get(successor) else {})


def _province(label: str) -> gz.Province | None:
    return gz.province_by_fold(label) or gz.province_by_fold(re.sub(r"^(?:Thành phố|Tỉnh)\s+", "", label))


def _gazetteer_name(label: str) -> str:
    province = _province(label)
    return province.name if province else label


def merge_into_table(units_path: Path, table_path: Path = SHIPPED_TABLE) -> tuple[int, int]:
    """Refresh the table file from the units file: a unit's item is replaced by the one made
    now; an item of verified.json (read beside the units file) keeps its labels, kind, origin
    and evidence, and a province's gains the names and validity made now. Returns (added,
    refreshed)."""
    table = json.loads(Path(table_path).read_text(encoding="utf-8"))
    made = {i["qid"]: i for i in items_from_units(json.loads(Path(units_path).read_text(encoding="utf-8")))}
    verified = _verified_qids(Path(units_path).with_name("verified.json"))
    refreshed = 0
    for n, item in enumerate(table["items"]):
        new = made.pop(item["qid"], None)
        if new is not None:
            table["items"][n] = _enriched(item, new) if item["qid"] in verified else new
            refreshed += 1
    table["items"].extend(made.values())
    write_atomic_text(Path(table_path), json.dumps(table, ensure_ascii=False, indent=1) + "\n")
    return len(made), refreshed


def _verified_qids(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {i["qid"] for i in json.loads(path.read_text(encoding="utf-8"))["items"]}


def _enriched(item: dict, new: dict) -> dict:
    """A verified.json item with what the units file adds: a province's other names and its
    validity (a body's or position's names stay the curated ones)."""
    if new["kind"] not in ("province", "centrally-run city"):
        return item
    out = dict(item)
    vi = [*item.get("aliases", {}).get("vi", []), new["labels"]["vi"], *new["aliases"]["vi"]]
    out["aliases"] = {**item.get("aliases", {}), "vi": [n for n in dict.fromkeys(vi) if n != item["labels"].get("vi")]}
    out.update({k: new[k] for k in _VALIDITY if k in new})
    return out


if __name__ == "__main__":
    added, refreshed = merge_into_table(Path(sys.argv[1]))
    print(f"{added} items added to {SHIPPED_TABLE}, {refreshed} refreshed")
