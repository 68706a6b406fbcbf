"""Table items for Vietnam's provinces and centrally-run cities, from a file of verified QIDs.

Takes the JSON of ``shared/wikidata/vn-units.json`` (the 63 units before July 2025, each with
the QID that public data files agree on, its ISO code and what became of it in 2025) and the
project's gazetteer of provinces; returns items in the shape of ``kg/data/wikidata.json``. A
unit dissolved on 2025-07-01 keeps its own item, valid until then, with the unit it merged
into as its successor (by name); a unit that survived keeps its QID. Only units and bodies
with at least ``MIN_CONFIRMATIONS`` independent files behind them are taken: the rest stay
for the review queue. The names an item goes by are the file's label and every spelling the
gazetteer knows for the unit ("BR-VT", "TP.HCM", "Thừa Thiên - Huế").

    python -m kg.link.units ../shared/wikidata/vn-units.json   # merge them into the shipped table
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
_MERGED = re.compile(r"dissolved (?P<date>\d{4}-\d{2}-\d{2}), merged into (?:Tỉnh |Thành phố )?(?P<into>[^(]+?) \(")
_KINDS = {"province": "province", "city": "centrally-run city", "body": "organization"}


def items_from_units(units: dict) -> list[dict[str, Any]]:
    """Table items for the well-confirmed units and bodies of `units`."""
    out = []
    for raw in units["items"]:
        if raw.get("kind") not in _KINDS or raw.get("confirmations", 0) < MIN_CONFIRMATIONS:
            continue
        out.append(_item(raw))
    return out


def _item(raw: dict) -> dict[str, Any]:
    label = re.sub(r"\s*\(.*\)$", "", raw["label_vi"]).strip()
    names = _spellings(label) if raw["kind"] != "body" else [label, re.sub(r" Việt Nam$", "", label)]
    item: dict[str, Any] = {
        "qid": raw["qid"], "labels": {"vi": names[0], "en": raw.get("label_en", "")},
        "aliases": {"vi": [n for n in dict.fromkeys(names[1:]) if n != names[0]], "en": []},
        "kind": _KINDS[raw["kind"]], "kind_note": raw["kind"] + (f", ISO 3166-2 {raw['iso']}" if raw.get("iso") else ""),
        "evidence": "; ".join(raw.get("evidence", [])[:3]),
    }
    merged = _MERGED.search(raw.get("status_2025", ""))
    if merged:
        item["valid_until"] = merged.group("date")
        item["successor"] = _gazetteer_name(merged.group("into").strip())
    return item


def _spellings(label: str) -> list[str]:
    """The gazetteer's name of the unit first, then its other spellings (the file's label among
    them), then the same with the unit word."""
    province = gz.province_by_fold(label) or gz.province_by_fold(re.sub(r"^(?:Thành phố|Tỉnh)\s+", "", label))
    if province is None:
        return [label]
    names = [province.name, *province.aliases, label]
    if province.successor is None and province.valid_until:  # renamed, not merged (Thừa Thiên Huế)
        successor = gz.province_by_fold(province.successor or "")
        names += [successor.name, *successor.aliases] if successor else []
    return list(dict.fromkeys(names + [province.unit]))


def _gazetteer_name(label: str) -> str:
    province = gz.province_by_fold(label)
    return province.name if province else label


def merge_into_table(units_path: Path, table_path: Path = SHIPPED_TABLE) -> int:
    """Add the units' items to the table file (an item already there by QID is kept as it is);
    the number added."""
    table = json.loads(table_path.read_text(encoding="utf-8"))
    known = {item["qid"] for item in table["items"]}
    new = [i for i in items_from_units(json.loads(Path(units_path).read_text(encoding="utf-8"))) if i["qid"] not in known]
    table["items"].extend(new)
    write_atomic_text(table_path, json.dumps(table, ensure_ascii=False, indent=1) + "\n")
    return len(new)


if __name__ == "__main__":
    print(f"{merge_into_table(Path(sys.argv[1]))} items added to {SHIPPED_TABLE}")
