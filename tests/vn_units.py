"""The QIDs of Viet Nam's provinces that public data files agree on (../shared/wikidata/vn-units.json),
by the gazetteer's name of each: what the linking tests hold the graph's links against."""
import json
import re

import pytest

from conftest import ROOT
from kg.extract import gazetteer as gz

UNITS = ROOT.parent / "shared" / "wikidata" / "vn-units.json"


def verified_qids() -> dict[str, str]:
    """Gazetteer name → the QID vn-units.json gives with three confirmations or more (Huế: the
    item Thừa Thiên Huế became); skips the test when the file is not here."""
    if not UNITS.is_file():
        pytest.skip("../shared/wikidata/vn-units.json is not here")
    out = {}
    for raw in json.loads(UNITS.read_text(encoding="utf-8"))["items"]:
        province = gz.province_by_fold(re.sub(r"^(?:Thành phố|Tỉnh) ", "", re.sub(r"\s*\(.*\)$", "", raw["label_vi"])))
        if raw["kind"] in ("province", "city") and raw.get("confirmations", 0) >= 3 and province is not None:
            out[province.name] = raw["qid"]
    return out | {"Huế": out["Thừa Thiên Huế"]}
