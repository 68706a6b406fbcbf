"""Consistency of the hand-written development set (tests/devset): every gold file against its article.

These tests check the gold, not the extractor: names, numbers and keywords in a gold file must
occur in the article they are taken from, bodies must be spelled as an alias group names them,
and every person a gold field mentions must be one of the article's persons.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

DEVSET = Path(__file__).parent / "devset"
GOLDS = sorted(DEVSET.glob("*.gold.json"))
META_KEYS = {"title", "url", "publisher", "published", "province", "language"}
DOC_TYPES = {"Resolution", "Conclusion", "Directive", "Report", "Plan", "Programme", "Other"}
GOLD_KEYS = {"about", "sources", "aliases", "persons", "posts", "members", "must_not", "documents",
             "named_documents", "citations", "meetings", "goals", "wikidata", "person_aliases"}
VERIFIED_QIDS = {"Q881", "Q427325", "Q1628865", "Q36367", "Q36729", "Q36736", "Q36354", "Q1858"}
_OLD_NEW = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
            "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_NUMBER = re.compile(r"\d+\s*[-–]\s*[A-Za-zĐđ]+\s*/\s*[A-ZĐ.]+|\d+/(?:\d{4}/)?[A-ZĐ]+(?:-[A-Za-zĐ]+)+|\d+/\d{4}/[A-ZĐ]+\d*")


def fold(text: str) -> str:
    """The scorer's comparison form: NFC, casefold, modern tone placement, one space."""
    t = unicodedata.normalize("NFC", text).casefold()
    for old, new in _OLD_NEW.items():
        t = t.replace(old, new)
    t = t.replace("t.ư", "trung ương")
    t = re.sub(r"\*+", "", t)
    return re.sub(r"[\s\u00a0]+", " ", t)


def canon_number(text: str) -> str:
    t = unicodedata.normalize("NFC", text).upper().replace(" ", "").replace("–", "-")
    m = re.match(r"^0*(\d+)-?([A-ZĐ]+)/([A-ZĐ.]+)$", t)
    return f"{m.group(1)}-{m.group(2)}/{m.group(3)}" if m else t


def load(path: Path) -> tuple[dict, str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    (name,) = gold["sources"]
    return gold, (DEVSET / name).read_text(encoding="utf-8")


def people(gold: dict) -> set[str]:
    names = {fold(p["name"]) for p in gold["persons"]}
    for group in gold.get("person_aliases", []):
        if names & {fold(n) for n in group}:
            names |= {fold(n) for n in group}
    return names


def bodies(gold: dict) -> set[str]:
    return {fold(name) for group in gold["aliases"] for name in group}


def cited_people(gold: dict) -> list[str]:
    found = [p["person"] for p in gold["posts"]] + [m["person"] for m in gold["must_not"]]
    found += [n for m in gold["members"] for n in m["persons"]]
    for meeting in gold["meetings"]:
        found += meeting["speakers"] + meeting["participants"]
    return found


def cited_bodies(gold: dict) -> list[str]:
    found = [body for p in gold["posts"] for _, body in p["accept"]]
    found += [m["body"] for m in gold["must_not"]] + [m["body"] for m in gold["members"]]
    found += [d["issuer"] for d in gold["documents"] if d.get("issuer")]
    return found + [m["organizer"] for m in gold["meetings"] if m.get("organizer")]


@pytest.fixture(params=GOLDS, ids=[p.name.removesuffix(".gold.json") for p in GOLDS])
def case(request):
    return load(request.param)


def test_there_are_enough_articles():
    assert len(GOLDS) >= 24


def test_gold_has_the_seed_format(case):
    gold, _ = case
    assert GOLD_KEYS <= set(gold)
    assert all(set(p) == {"name", "sources"} and p["sources"] == list(gold["sources"]) for p in gold["persons"])


def test_sidecar_keys_and_date(case):
    gold, _ = case
    (name,) = gold["sources"]
    meta_path = DEVSET / name.replace(".txt", ".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    assert set(meta) <= META_KEYS
    assert gold["sources"][name]["published"] == meta.get("published")


def test_article_length(case):
    _, text = case
    assert 150 <= len(text.split()) <= 700


def test_every_person_is_named_in_the_article(case):
    gold, text = case
    for group in [[p["name"]] for p in gold["persons"]]:
        spellings = next((g for g in gold["person_aliases"] if group[0] in g), group)
        assert any(fold(s) in fold(text) for s in spellings), group[0]


def test_bylines_are_not_persons(case):
    gold, text = case
    for name in gold.get("not_persons", []):
        assert fold(name) in fold(text) and fold(name) not in people(gold)


def test_fields_name_only_the_articles_persons(case):
    gold, _ = case
    assert {fold(n) for n in cited_people(gold)} <= people(gold)


def test_bodies_are_spelled_as_an_alias_group(case):
    gold, _ = case
    assert {fold(b) for b in cited_bodies(gold)} <= bodies(gold)


def test_alias_groups_do_not_overlap(case):
    gold, _ = case
    names = [fold(n) for group in gold["aliases"] for n in set(group)]
    assert len(names) == len(set(names))


def test_document_numbers_occur_in_the_article(case):
    gold, text = case
    written = {canon_number(m) for m in _NUMBER.findall(unicodedata.normalize("NFC", text))}
    for doc in gold["documents"]:
        assert canon_number(doc["number"]) in written and doc["type"] in DOC_TYPES, doc["number"]


def test_goal_keywords_occur_in_the_article(case):
    gold, text = case
    for goal in gold["goals"]:
        assert all(fold(k) in fold(text) for k in goal["keywords"]), goal["keywords"]


def test_dates_are_iso(case):
    gold, _ = case
    dates = [d["issued"] for d in gold["documents"]] + [m["date"] for m in gold["meetings"]]
    assert all(d is None or re.fullmatch(r"20(19|2\d)-\d\d-\d\d", d) for d in dates)


def test_wikidata_only_verified_items_the_article_mentions(case):
    gold, text = case
    for item in gold["wikidata"]:
        assert item["qid"] in VERIFIED_QIDS
        assert any(re.search(rf"(?<!\w){re.escape(fold(label))}(?!\w)", fold(text)) for label in item["labels"])


def test_one_meeting_at_most_and_from_this_article(case):
    gold, _ = case
    assert len(gold["meetings"]) <= 1
    assert all(m["source"] in gold["sources"] for m in gold["meetings"])


def _posts_by_person() -> dict[str, dict[str, set]]:
    seen: dict[str, dict[str, set]] = {}
    for path in GOLDS:
        gold, _ = load(path)
        for person in gold["persons"]:
            options = {frozenset((fold(r), fold(b)) for r, b in p["accept"])
                       for p in gold["posts"] if fold(p["person"]) == fold(person["name"])}
            seen.setdefault(fold(person["name"]), {})[path.name] = options
    return seen


def test_a_person_in_two_articles_holds_the_same_posts_in_both():
    """Gold files may then be scored against one graph built from the whole set."""
    for name, by_file in _posts_by_person().items():
        assert len({frozenset(v) for v in by_file.values()}) == 1, (name, sorted(by_file))
