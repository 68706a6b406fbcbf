"""The identity corpus (benchmarks/identity.py): its truth agrees with its texts, it holds what
it promises (homonyms, rotations, mergers, variants), its scorer scores hand-made clusterings
right, and the default build resolves the small corpus to the issue's targets."""
import json
from pathlib import Path

import pytest

from benchmarks import identity
from conftest import SEEDS_GOLD

N, SEED = 200, 5


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("identity")
    return folder, identity.write_corpus(N, folder, SEED)


def _text(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def test_every_written_name_is_in_its_article(corpus):
    folder, t = corpus
    assert len(list(folder.glob("*.txt"))) == N == len(t["articles"])
    missing = [(src, m["written"]) for src, ms in t["articles"].items() for m in ms if m["written"] not in _text(folder, src)]
    assert not missing


def test_sidecars_have_date_province_title(corpus):
    folder, _ = corpus
    for meta in folder.glob("*.meta.json"):
        m = json.loads(meta.read_text(encoding="utf-8"))
        assert m["title"] and m["province"] and "2019-01-01" <= m["published"] <= "2026-12-31"


def test_one_name_is_one_person_within_an_article(corpus):
    _, t = corpus
    for ms in t["articles"].values():
        keys = {}
        for m in ms:
            assert keys.setdefault(identity._key(m["written"]), m["person"]) == m["person"]


def _mentioned(t: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for src, ms in t["articles"].items():
        for m in ms:
            out.setdefault(m["person"], set()).add(src)
    return out


def test_homonyms_share_a_name_at_different_levels_and_places(corpus):
    _, t = corpus
    seen = _mentioned(t)
    assert len(t["homonyms"]) >= 2
    for group in t["homonyms"]:
        people = [t["people"][pid] for pid in group]
        assert len({p["name"] for p in people}) == 1
        posts = [t["posts"][p["posts"][0]["post"]] for p in people]
        assert len({p["role"] + p["body"] for p in posts}) == 3 and "" in {p["province"] for p in posts}
        assert len({p["province"] for p in posts}) == 3
        assert all(len(seen.get(pid, ())) >= 2 for pid in group)


def test_rotations_move_people_between_provinces(corpus):
    folder, t = corpus
    texts = {src: _text(folder, src) for src in t["articles"]}
    assert t["rotations"]
    for pid in t["rotations"]:
        person = t["people"][pid]
        provinces = {t["posts"][s["post"]]["province"] for s in person["posts"]}
        assert len(provinces) >= 2
        assert any(f"chỉ định đồng chí {person['name']}, " in text for text in texts.values())


def test_merged_people_go_on_in_the_new_province(corpus):
    _, t = corpus
    assert t["merged"]
    for pid in t["merged"]:
        spans = t["people"][pid]["posts"]
        assert any(s["start"] == "2025-07-01" and s["came_from"] for s in spans)


@pytest.mark.parametrize("form,check", [
    ("tone", lambda w, p: w != p["name"] and ("oà" in w or "uỷ" in w)),
    ("caps", lambda w, p: w == p["name"].upper()),
    ("apostrophe", lambda w, p: "’" in w and w.replace("’", "'") == p["name"]),
    ("typo", lambda w, p: w == p["typo"] != p["name"]),
], ids=["tone", "caps", "apostrophe", "typo"])
def test_spelling_variants_are_written(corpus, form, check):
    _, t = corpus
    found = [(m["written"], t["people"][m["person"]]) for ms in t["articles"].values() for m in ms if m["form"] == form]
    assert found and all(check(w, p) for w, p in found)


def test_questions_name_true_holders(corpus):
    _, t = corpus
    assert any(q["stated"] for q in t["questions"]) and any(not q["stated"] for q in t["questions"])
    for q in t["questions"]:
        for pid in q["holders"]:
            assert any(s["post"] == q["post"] and s["start"] <= q["date"] <= s["end"] for s in t["people"][pid]["posts"])


def test_same_count_and_seed_give_the_same_articles():
    assert list(identity.articles(60, 2)) == list(identity.articles(60, 2))
    assert list(identity.articles(60, 2)) != list(identity.articles(60, 3))


def test_no_seed_person_is_generated(corpus):
    _, t = corpus
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    seeds = {identity._key(p["name"]) for p in gold["persons"]}
    assert not seeds & {identity._key(p["name"]) for p in t["people"].values()}


# ---- the scorer on hand-made cases ----

def _mapped(rows):
    return {(src, node): pid for src, node, pid in rows}


HOMONYMS = [("a", "n1", "x"), ("b", "n1", "x"), ("c", "n1", "y"), ("d", "n1", "y")]


@pytest.mark.parametrize("rows,precision,recall", [
    ([("a", "n1", "x"), ("b", "n1", "x"), ("c", "n2", "y"), ("d", "n2", "y")], 1.0, 1.0),
    (HOMONYMS, 1 / 3, 1.0),
    ([("a", "n1", "x"), ("b", "n2", "x"), ("c", "n3", "y"), ("d", "n3", "y")], 1.0, 0.5),
    ([("a", "n1", "x")], 1.0, 1.0),
], ids=["perfect", "name-only-merges-homonyms", "variant-split", "single"])
def test_pairwise(rows, precision, recall):
    score = identity.pairwise(_mapped(rows))
    assert score["precision"] == pytest.approx(precision, abs=1e-4)
    assert score["recall"] == pytest.approx(recall, abs=1e-4)


def test_mentions_map_by_label_as_written():
    t = {"articles": {"s1": [{"written": "Lê Văn Hoà", "person": "x"}, {"written": "TRẦN THỊ AN", "person": "y"}],
                      "s2": [{"written": "Lê Văn Hòa", "person": "z"}]}}
    nodes = {("s1", "n1"): {"Lê Văn Hòa"}, ("s1", "n2"): {"Trần Thị An"}, ("s2", "n1"): {"Lê Văn Hòa"},
             ("s2", "n9"): {"Không Ai"}}
    mapped, counts = identity.map_mentions(t, nodes)
    assert mapped == {("s1", "n1"): "x", ("s1", "n2"): "y", ("s2", "n1"): "z"}
    assert counts["unmatched_nodes"] == 1 and counts["missed"] == 0
    assert identity.pairwise(mapped)["precision"] == 0.0


# ---- the builds ----

def test_name_only_identity_merges_homonyms(corpus, tmp_path):
    folder, t = corpus
    result = identity.score_build(folder, tmp_path / "name.trig", "name", t)
    assert result["pairwise"]["precision"] < 1.0
    assert result["mentions"]["mapped"] > 0.9 * result["mentions"]["truth_mentions"]


def test_default_build_resolves_people(corpus, tmp_path):
    folder, t = corpus
    result = identity.score_build(folder, tmp_path / "default.trig", None, t)
    assert result["pairwise"]["precision"] >= 0.97, result["pairwise"]
    assert result["pairwise"]["recall"] >= 0.97, result["pairwise"]
