"""The publishers table (kg/data/publishers.json) and kg.read.publishers.lookup: the table covers
every province as kg/data/provinces.json names it, its windows agree with the 2025 mergers, and
a URL's host finds its publisher on the page's date."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.read import publishers as pub
from kg.read.publishers import lookup, normalise_host

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "kg" / "data" / "publishers.json"
PROVINCES = ROOT / "kg" / "data" / "provinces.json"
UNITS = ROOT.parent / "shared" / "wikidata" / "vn-units.json"
BEFORE, MERGER = dt.date(2024, 6, 30), dt.date(2025, 7, 1)


def rows() -> list[dict]:
    return json.loads(TABLE.read_text(encoding="utf-8"))["publishers"]


def provinces() -> dict[str, dict]:
    return {p["name"]: p for p in json.loads(PROVINCES.read_text(encoding="utf-8"))["provinces"]}


def date(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def alive(province: dict, on: dt.date) -> bool:
    return date(province.get("valid_from"), dt.date.min) <= on < date(province.get("valid_until"), dt.date.max)


def covers(row: dict, on: dt.date) -> bool:
    return date(row["valid_from"], dt.date.min) <= on < date(row["valid_until"], dt.date.max)


def papers_on(on: dt.date) -> set[str]:
    return {r["province"] for r in rows() if r["kind"] == "party-newspaper" and covers(r, on)}


# --- the table --------------------------------------------------------------------------------

def test_the_table_loads_and_states_its_source():
    doc = json.loads(TABLE.read_text(encoding="utf-8"))
    assert doc["source"].strip() and pub.load(TABLE)


@pytest.mark.parametrize("on, units", [(BEFORE, 63), (MERGER, 34), (dt.date(2026, 1, 1), 34)],
                         ids=["63-before-2025", "34-on-merger-day", "34-after"])
def test_every_unit_alive_on_a_day_has_its_party_paper(on, units):
    living = {name for name, p in provinces().items() if alive(p, on)}
    assert len(living) == units
    assert living <= papers_on(on), f"no party paper on {on} for {sorted(living - papers_on(on))}"


def test_every_province_of_the_gazetteer_has_a_party_paper():
    assert set(provinces()) <= {r["province"] for r in rows() if r["kind"] == "party-newspaper"}


def test_provinces_are_named_as_the_gazetteer_names_them():
    named = {r["province"] for r in rows() if not r["national"]}
    assert named <= set(provinces())
    assert all(r["province"] is None for r in rows() if r["national"])


def test_a_host_has_one_entry_per_day():
    by_host: dict[str, list[dict]] = {}
    for r in rows():
        for host in r["hosts"]:
            by_host.setdefault(host, []).append(r)
    for host, entries in by_host.items():
        entries.sort(key=lambda r: r["valid_from"] or "")
        for a, b in zip(entries, entries[1:]):
            assert a["valid_until"] and b["valid_from"] and a["valid_until"] <= b["valid_from"], host


def test_validity_dates_are_ordered():
    for r in rows():
        if r["valid_from"] and r["valid_until"]:
            assert r["valid_from"] < r["valid_until"], r["hosts"]


def test_a_host_serves_a_province_only_while_it_exists():
    units = provinces()
    for r in filter(lambda r: not r["national"], rows()):
        unit = units[r["province"]]
        assert (r["valid_from"] or "") >= (unit.get("valid_from") or ""), r["hosts"]
        if unit.get("valid_until"):
            assert r["valid_until"] and r["valid_until"] <= unit["valid_until"], r["hosts"]


def test_a_host_carried_on_serves_the_successor_from_the_merger_day():
    units = provinces()
    by_host = {}
    for r in filter(lambda r: not r["national"], rows()):
        by_host.setdefault(r["hosts"][0], []).append(r)
    for host, entries in by_host.items():
        entries.sort(key=lambda r: r["valid_from"] or "")
        for a, b in zip(entries, entries[1:]):
            assert units[a["province"]].get("successor") == b["province"], host
            assert a["valid_until"] == b["valid_from"] == units[a["province"]]["valid_until"], host


def merger_of(item: dict) -> tuple[str, str] | None:
    """(date, successor as the gazetteer names it) from vn-units.json's status_2025, if it was dissolved."""
    m = re.match(r"dissolved (\d{4}-\d\d-\d\d), merged into (?:Tỉnh|Thành phố) (.+?) \(Q\d+\)", item.get("status_2025") or "")
    return (m.group(1), m.group(2)) if m else None


def test_mergers_agree_with_the_wikidata_units():
    if not UNITS.is_file():
        pytest.skip("../shared/wikidata/vn-units.json is not here")
    units = provinces()
    checked = 0
    for item in json.loads(UNITS.read_text(encoding="utf-8"))["items"]:
        merger, unit = merger_of(item), units.get(item["label_vi"])
        if merger and unit:
            assert (unit["valid_until"], unit["successor"]) == merger, item["label_vi"]
            assert all(r["valid_until"] and r["valid_until"] <= merger[0]
                       for r in rows() if r["province"] == item["label_vi"]), item["label_vi"]
            checked += 1
    assert checked == 29  # the 63 became 34 by folding 29 into others


def test_confirmed_entries_show_a_page_on_their_host():
    for r in rows():
        seen = {normalise_host(url) for url in r["evidence"]}
        assert r["confirmed"] == bool(r["evidence"]), r["hosts"]
        if r["confirmed"]:
            assert all(any(s == h or s.endswith("." + h) for s in seen) for h in r["hosts"]), r["hosts"]


NATIONAL = ["nhandan.vn", "dangcongsan.vn", "baochinhphu.vn", "vnexpress.net", "tuoitre.vn", "thanhnien.vn",
            "vietnamplus.vn", "qdnd.vn", "cand.com.vn", "tapchicongsan.org.vn", "quochoi.vn", "chinhphu.vn"]


@pytest.mark.parametrize("host", NATIONAL, ids=NATIONAL)
def test_national_outlets_give_no_province(host):
    found = lookup(host)
    assert found is not None and found.national and found.province is None and found.name


# --- lookup -----------------------------------------------------------------------------------

LOOKUPS = [  # (id, URL or host, date, expected province, or "national", or None for no publisher)
    ("plain-host", "baoquangninh.com.vn", None, "Quảng Ninh"),
    ("url-with-www", "https://www.baoquangninh.com.vn/chinh-tri/x.html", None, "Quảng Ninh"),
    ("mobile-prefix", "http://m.btv.org.vn/tin-tuc/x.html", BEFORE, "Bình Dương"),
    ("amp-prefix", "https://amp.vtcnews.vn/x.html", None, "national"),
    ("upper-case-and-port", "HTTP://BaoHaTinh.VN:443/x", None, "Hà Tĩnh"),
    ("trailing-dot", "https://baonghean.vn./x", None, "Nghệ An"),
    ("subdomain-of-a-portal", "https://sonnptnt.laichau.gov.vn/tin-tuc", None, "Lai Châu"),
    ("deep-subdomain", "http://quangtruc.tuyduc.daknong.gov.vn/tin-tuc-trong-xa", BEFORE, "Đắk Nông"),
    ("party-portal-beside-gov", "https://thanhhoa.dcs.vn/tinhuy/x.aspx", None, "Thanh Hóa"),
    ("national-outlet", "https://nhandan.vn/x.html", dt.date(2020, 1, 1), "national"),
    ("unknown-host", "https://example.com/x", None, None),
    ("unknown-vn-host", "https://baokhongcothat.vn/", None, None),
    ("bare-suffix", "gov.vn", None, None),
    ("no-host", "", None, None),
    ("not-a-host", "localhost", None, None),
    ("paper-before-its-province-merged", "baobacgiang.vn", dt.date(2025, 6, 30), "Bắc Giang"),
    ("paper-after-its-province-merged", "baobacgiang.vn", MERGER, None),
    ("merged-paper-latest-is-last-window", "baobacgiang.vn", None, "Bắc Giang"),
    ("survivor-paper-across-the-merger", "baogialai.com.vn", MERGER, "Gia Lai"),
    ("renamed-unit-before", "https://huengaynay.vn/x.html", dt.date(2024, 12, 31), "Thừa Thiên Huế"),
    ("renamed-unit-on-the-day", "https://huengaynay.vn/x.html", dt.date(2025, 1, 1), "Huế"),
    ("renamed-unit-latest", "huengaynay.vn", None, "Huế"),
    ("a-datetime-for-a-date", "huengaynay.vn", dt.datetime(2024, 12, 31, 23, 59), "Thừa Thiên Huế"),
]


@pytest.mark.parametrize("given, on, expected", [c[1:] for c in LOOKUPS], ids=[c[0] for c in LOOKUPS])
def test_lookup(given, on, expected):
    found = lookup(given, on)
    if expected is None:
        assert found is None
    elif expected == "national":
        assert found is not None and found.national and found.province is None
    else:
        assert found is not None and not found.national and found.province == expected


def test_the_publisher_names_the_registered_host_and_outlet():
    found = lookup("https://sonnptnt.laichau.gov.vn/x")
    assert (found.host, found.name) == ("laichau.gov.vn", "Ủy ban nhân dân tỉnh Lai Châu")
    assert lookup("huengaynay.vn", dt.date(2024, 1, 1)).name == "Báo Thừa Thiên Huế"


HOSTS = [  # (given, normalised)
    ("https://www.BaoQuangNinh.com.vn:8443/a?b=c#d", "baoquangninh.com.vn"),
    ("www.m.baolaocai.vn", "baolaocai.vn"),
    ("user:pw@baolaocai.vn/x", "baolaocai.vn"),
    ("m.vn", "m.vn"),
    ("https://bácháo.vn/", "xn--bcho-5nac.vn"),
    ("http://[::1]:5000/", None),
    ("   ", None),
]


@pytest.mark.parametrize("given, expected", HOSTS, ids=[h[0].strip() or "blank" for h in HOSTS])
def test_normalise_host(given, expected):
    assert normalise_host(given) == expected


def test_normalising_twice_changes_nothing():
    for given, _ in HOSTS:
        once = normalise_host(given)
        assert once is None or normalise_host(once) == once


# --- a malformed table is refused, naming the file and the entry ---------------------------------

GOOD = {"hosts": ["baox.vn"], "name": "Báo X", "kind": "party-newspaper", "province": "Quảng Ninh",
        "national": False, "valid_from": None, "valid_until": None, "evidence": [], "confirmed": False}
BAD = [  # (id, changes to GOOD, words the message must contain)
    ("host-not-normalised", {"hosts": ["www.baox.vn"]}, "hosts"),
    ("no-name", {"name": ""}, "name"),
    ("unknown-kind", {"kind": "blog"}, "kind"),
    ("province-misspelt", {"province": "Quang Ninh"}, "province"),
    ("national-with-province", {"national": True}, "national outlet has no province"),
    ("not-iso-date", {"valid_until": "1/7/2025"}, "ISO date"),
    ("dates-reversed", {"valid_from": "2025-07-01", "valid_until": "2025-01-01"}, "not before"),
    ("confirmed-without-evidence", {"confirmed": True}, "evidence"),
    ("evidence-on-another-host", {"confirmed": True, "evidence": ["https://other.vn/x"]}, "evidence"),
]


def write(tmp_path: Path, *entries: dict) -> Path:
    path = tmp_path / "publishers.json"
    path.write_text(json.dumps({"source": "test", "publishers": list(entries)}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_malformed_entry_is_refused(tmp_path, change, words):
    path = write(tmp_path, GOOD | change)
    with pytest.raises(InputError, match=re.escape(words)) as caught:
        pub.load(path)
    assert str(path) in str(caught.value) and "publishers[0]" in str(caught.value)


def test_overlapping_windows_of_one_host_are_refused(tmp_path):
    later = GOOD | {"valid_from": "2020-01-01"}
    with pytest.raises(InputError, match="overlapping"):
        pub.load(write(tmp_path, GOOD | {"valid_until": "2021-01-01"}, later))


def test_a_file_that_is_not_a_table_is_refused(tmp_path):
    path = tmp_path / "publishers.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="publishers"):
        pub.load(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="JSON"):
        pub.load(path)
