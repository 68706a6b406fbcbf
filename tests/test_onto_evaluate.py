"""kg.evaluate gives the figures of the shared scorer (eval/score.py) on the same files,
and kg.gold reads, checks and merges gold files."""
from __future__ import annotations

import copy
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from onto_fixtures import dataset, trig

from kg.errors import InputError
from kg.evaluate import Scores, as_dict, evaluate, load_gold, load_golds, merge_gold, render_json, render_text
from kg.gold import canonical_number, join_groups, norm

SCORER = Path("/work/shared/eval/score.py")
needs_scorer = pytest.mark.skipif(not SCORER.is_file(), reason="the shared scorer is not on this machine")
A, B, C = "a.txt", "b.txt", "c.txt"
G = "https://w3id.org/vnkg/graph/"

SOURCE_A = """\
id:src-a a vnkg:Source ; dcterms:identifier "a.txt" ; vnkg:published "2024-07-16"^^xsd:date .
id:lmh a vnkg:Person ; rdfs:label "Lê Minh Hưng"@vi ; vnkg:mentionedIn id:src-a ; vnkg:holds id:post1 .
id:lc a vnkg:Person ; rdfs:label "Lương Cường"@vi ; vnkg:mentionedIn id:src-a ; vnkg:holds id:post2 .
id:x a vnkg:Person ; rdfs:label "Nguyễn Văn Khác"@vi ; vnkg:mentionedIn id:src-a .
id:post1 vnkg:role id:uv ; vnkg:postIn id:bct .
id:post2 vnkg:role id:bt ; vnkg:postIn id:tu .
id:uv rdfs:label "Uỷ viên"@vi . id:bt rdfs:label "Bí thư"@vi .
id:bct a vnkg:Body ; rdfs:label "Bộ Chính trị"@vi . id:tu a vnkg:Body ; rdfs:label "Ban Chấp hành Đảng bộ tỉnh Bắc Giang"@vi .
id:btv a vnkg:Body ; rdfs:label "Ban Thường vụ Tỉnh ủy Bắc Giang"@vi .
id:nq11 a vnkg:Document , vnkg:Resolution ; rdfs:label "Nghị quyết số 11-NQ/TW"@vi ; vnkg:number "11-NQ/TW" ;
    vnkg:issued "2022-02-10"^^xsd:date ; vnkg:issuedBy id:bct ; vnkg:mentionedIn id:src-a .
id:ct26 a vnkg:Document , vnkg:Directive ; rdfs:label "Chỉ thị số 26-CT/TU"@vi ; vnkg:number "026-CT/TU" ;
    vnkg:issued "2023-06-03"^^xsd:date ; vnkg:issuedBy id:btv ; vnkg:mentionedIn id:src-a .
id:kl a vnkg:Document , vnkg:Conclusion ; rdfs:label "Kết luận của Ban Chấp hành Đảng bộ tỉnh Bắc Giang về nhiệm vụ"@vi ;
    vnkg:cites id:nq11 , id:ct26 ; vnkg:mentionedIn id:src-a .
id:m1 a vnkg:Meeting ; rdfs:label "Buổi làm việc"@vi ; vnkg:date "2024-07-16"^^xsd:date ;
    vnkg:organizedBy id:tu ; vnkg:speaker id:lmh ; vnkg:mentionedIn id:src-a .
"""
SOURCE_B = """\
id:src-b a vnkg:Source ; dcterms:identifier "b.txt" .
id:lmh vnkg:mentionedIn id:src-b .
id:gau a vnkg:Person ; rdfs:label "Đương Văn Thái"@vi ; vnkg:mentionedIn id:src-b ; vnkg:holds id:post3 .
id:post3 vnkg:role id:bt ; vnkg:postIn id:tu .
id:nq11 vnkg:mentionedIn id:src-b .
id:nq13 a vnkg:Document , vnkg:Resolution ; rdfs:label "Nghị quyết Đại hội XIII của Đảng"@vi ; vnkg:mentionedIn id:src-b .
id:goal a vnkg:Goal ; vnkg:text "tăng trưởng GRDP bình quân" ; vnkg:targetValue 12 ; vnkg:mentionedIn id:src-b .
"""
INFERRED = """\
id:lmh vnkg:memberOf id:bct . id:lc vnkg:memberOf id:tu . id:gau vnkg:memberOf id:tu .
"""
LINKS = """\
id:lmh owl:sameAs wd:Q111 . id:bct owl:sameAs wd:Q222 .
"""

GOLD = {
    "sources": {A: {"published": "2024-07-16"}, B: {"published": None}, C: {"published": None}},
    "aliases": [["Tỉnh ủy Bắc Giang", "Ban Chấp hành Đảng bộ tỉnh Bắc Giang"]],
    "person_aliases": [["Dương Văn Thái", "Đương Văn Thái"]],
    "persons": [{"name": "Lê Minh Hưng", "sources": [A, B]}, {"name": "Lương Cường", "sources": [A]},
                {"name": "Dương Văn Thái", "sources": [B]}, {"name": "Nguyễn Văn Gấu", "sources": [C]}],
    "posts": [{"person": "Lê Minh Hưng", "accept": [["Ủy viên", "Bộ Chính trị"]]},
              {"person": "Dương Văn Thái", "accept": [["Bí thư", "Tỉnh ủy Bắc Giang"]]},
              {"person": "Nguyễn Văn Gấu", "accept": [["Phó Bí thư", "Tỉnh ủy Bắc Giang"]]}],
    "members": [{"body": "Bộ Chính trị", "persons": ["Lê Minh Hưng"]},
                {"body": "Tỉnh ủy Bắc Giang", "persons": ["Dương Văn Thái", "Nguyễn Văn Gấu"]}],
    "must_not": [{"person": "Lương Cường", "body": "Tỉnh ủy Bắc Giang", "why": "a visitor"}],
    "documents": [{"number": "11-NQ/TW", "type": "Resolution", "issued": "2022-02-10", "issuer": "Bộ Chính trị",
                   "sources": [A, B]},
                  {"number": "26-CT/TU", "type": "Directive", "issued": "2023-06-02",
                   "issuer": "Ban Thường vụ Tỉnh ủy Bắc Giang", "sources": [A, B]},
                  {"number": "48-KL/TW", "type": "Conclusion", "issued": None, "issuer": "Bộ Chính trị", "sources": [C]}],
    "named_documents": [{"label": "Nghị quyết Đại hội XIII của Đảng", "type": "Resolution", "sources": [B]},
                        {"label": "Quy hoạch tỉnh Bắc Giang thời kỳ 2021-2030", "type": "Plan", "sources": [C]}],
    "citations": [{"citing": "Kết luận của Ban Chấp hành Đảng bộ tỉnh Bắc Giang", "cited": ["11-NQ/TW", "26-CT/TU", "48-KL/TW"]}],
    "meetings": [{"source": A, "date": "2024-07-16", "organizer": "Tỉnh ủy Bắc Giang",
                  "speakers": ["Lê Minh Hưng", "Lương Cường"]},
                 {"source": C, "date": "2021-01-22", "organizer": "Tỉnh ủy Hải Dương", "speakers": []}],
    "goals": [{"source": B, "keywords": ["12", "GRDP"]}, {"source": C, "keywords": ["15"]}],
    "wikidata": [{"labels": ["Lê Minh Hưng"], "qid": "Q999"}, {"labels": ["Bộ Chính trị"], "qid": "Q222"},
                 {"labels": ["Việt Nam"], "qid": "Q881"}],
}


def _without(gold: dict, *keys: str) -> dict:
    return {k: v for k, v in copy.deepcopy(gold).items() if k not in keys}


FULL = {G + "source/a.txt": SOURCE_A, G + "source/b.txt": SOURCE_B, G + "inferred": INFERRED, G + "links": LINKS}
CASES = [
    ("full-with-must-not-and-wrong-link", FULL, GOLD),
    ("no-wikidata-no-aliases", FULL, _without(GOLD, "wikidata", "aliases", "person_aliases")),
    ("sources-only", {G + "source/a.txt": SOURCE_A}, GOLD),
    ("empty-gold-lists", FULL, {"sources": {A: {}}, "persons": [], "posts": [], "documents": []}),
]


def _shared_scores(trig_path: Path, gold_path: Path) -> tuple[dict, str]:
    """The shared scorer's JSON, and its last line ("overall F1=0.812 must_not=0")."""
    done = subprocess.run([sys.executable, str(SCORER), str(trig_path), str(gold_path), "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    scores, _ = json.JSONDecoder().raw_decode(done.stdout)
    return scores, done.stdout.strip().splitlines()[-1]


def _mine(scores: Scores) -> dict:
    out: dict = {c.name: c.value if c.precision is None else [c.precision, c.recall, c.value]
                 for c in scores.categories}
    out["must_not"], out["must_not_list"] = scores.must_not, list(scores.must_not_list)
    if scores.wikidata_wrong is not None:
        out["wikidata_wrong"] = scores.wikidata_wrong
    return out


@needs_scorer
@pytest.mark.parametrize(("graphs", "gold"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_same_figures_as_shared_scorer(tmp_path: Path, graphs: dict, gold: dict) -> None:
    text = trig(graphs)
    (tmp_path / "kg.trig").write_text(text, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    theirs, overall_line = _shared_scores(tmp_path / "kg.trig", tmp_path / "gold.json")
    mine = evaluate(dataset(text), load_gold(tmp_path / "gold.json"))
    ours = _mine(mine)
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        assert ours[key] == (pytest.approx(value) if isinstance(value, (list, float)) else value), key
    assert render_text(mine).splitlines()[-1] == overall_line
    figures = [v[2] if isinstance(v, list) else v
               for k, v in theirs.items() if k != "must_not_list" and isinstance(v, (list, float))]
    assert mine.overall == pytest.approx(sum(figures) / len(figures))


def test_full_case_counts_must_not_and_wrong_link() -> None:
    scores = evaluate(dataset(trig(FULL)), GOLD)
    assert scores.must_not_list == ("Lương Cường / Tỉnh ủy Bắc Giang",)
    assert scores.wikidata_wrong == 1
    assert scores["wikidata"].precision == pytest.approx(0.5)
    assert scores["posts"].recall == pytest.approx(2 / 3)  # Đương = Dương through person_aliases


def test_renderings() -> None:
    scores = evaluate(dataset(trig(FULL)), GOLD)
    text = render_text(scores)
    assert text.splitlines()[-1] == f"overall F1={scores.overall:.3f} must_not=1"
    assert "  must_not violated: Lương Cường / Tỉnh ủy Bắc Giang" in text
    assert json.loads(render_json(scores)) == json.loads(json.dumps(as_dict(scores)))
    assert as_dict(scores)["overall"] == scores.overall


def _load_shared_module():
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NAMES = ["Ban Chấp hành T.Ư Đảng", "Bí thư TW", "  đồng chí  Lê Minh Hưng. ", "ông bà X", "Hoà Bình",
         "Thuỷ lợi", "Ủy ban\u00a0nhân dân", "“Nghị quyết”", "Đ/c Nguyễn Văn A", "", "tw-ương"]
NUMBERS = ["11-NQ/TW", "011-nq/tw", "26 - CT/TU", "26–CT/TU", "15/2023/NĐ-CP", "08-QĐi/TW", "abc"]


@needs_scorer
@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_norm_agrees(name: str) -> None:
    assert norm(name) == _load_shared_module().norm(name)


@needs_scorer
@pytest.mark.parametrize("number", NUMBERS, ids=NUMBERS)
def test_canonical_number_agrees(number: str) -> None:
    assert canonical_number(number) == _load_shared_module().num(number)


BAD_GOLD = [
    ("not-json", "{", "not a UTF-8 JSON"),
    ("list", "[]", "top level is a list"),
    ("no-sources", "{}", '"sources" must be an object'),
    ("persons-not-list", '{"sources": {}, "persons": {}}', '"persons" must be a list'),
    ("person-without-sources", '{"sources": {}, "persons": [{"name": "X"}]}', "persons[0] lacks sources"),
    ("empty-alias-group", '{"sources": {}, "aliases": [[]]}', "aliases[0] must be a non-empty list"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD_GOLD], ids=[c[0] for c in BAD_GOLD])
def test_bad_gold(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_gold(path)


def test_missing_gold(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_gold(tmp_path / "nope.json")


ONE = {"sources": {A: {"province": "Bắc Giang"}},
       "aliases": [["Tỉnh ủy Bắc Giang", "BCH Đảng bộ tỉnh Bắc Giang"]],
       "persons": [{"name": "Lê Minh Hưng", "sources": [A]}],
       "posts": [{"person": "Lê Minh Hưng", "accept": [["Ủy viên", "Bộ Chính trị"]]}],
       "documents": [{"number": "26-CT/TU", "type": "Directive", "issued": None,
                      "issuer": "Ban Thường vụ Tỉnh ủy Bắc Giang", "sources": [A]}],
       "members": [{"body": "Tỉnh ủy Bắc Giang", "persons": ["Dương Văn Thái"]}],
       "wikidata": [{"labels": ["Bộ Chính trị"], "qid": "Q222"}]}
TWO = {"sources": {B: {"province": "Bắc Giang"}},
       "aliases": [["BCH Đảng bộ tỉnh Bắc Giang", "Ban Chấp hành Đảng bộ tỉnh Bắc Giang"]],
       "persons": [{"name": "Lê Minh Hưng", "sources": [B]}, {"name": "Lương Cường", "sources": [B]}],
       "posts": [{"person": "Lê Minh Hưng", "accept": [["Uỷ viên", "Bộ Chính trị"]]}],
       "documents": [{"number": "026-CT/TU", "type": "Directive", "issued": "2023-06-02",
                      "issuer": "Ban Thường vụ Tỉnh ủy Bắc Giang", "sources": [B]},
                     {"number": "26-CT/TU", "type": "Directive", "issuer": "Ban Thường vụ Tỉnh ủy Quảng Nam",
                      "sources": [B]}],
       "members": [{"body": "Ban Chấp hành Đảng bộ tỉnh Bắc Giang", "persons": ["Nguyễn Văn Gấu"]}],
       "wikidata": [{"labels": ["BCT"], "qid": "Q222"}]}


def test_merge_gold() -> None:
    merged = merge_gold({"one": ONE, "two": TWO})
    assert merged["sources"] == {A: {"province": "Bắc Giang"}, B: {"province": "Bắc Giang"}}
    assert merged["aliases"] == [["Tỉnh ủy Bắc Giang", "BCH Đảng bộ tỉnh Bắc Giang",
                                  "Ban Chấp hành Đảng bộ tỉnh Bắc Giang"]]
    assert [(p["name"], p["sources"]) for p in merged["persons"]] == [("Lê Minh Hưng", [A, B]), ("Lương Cường", [B])]
    assert len(merged["posts"]) == 1
    # one body through the joined alias groups of both files
    assert merged["members"] == [{"body": "Tỉnh ủy Bắc Giang", "persons": ["Dương Văn Thái", "Nguyễn Văn Gấu"]}]
    bac_giang, quang_nam = merged["documents"]
    assert (bac_giang["sources"], bac_giang["issued"]) == ([A, B], "2023-06-02")
    assert quang_nam["sources"] == [B]
    assert merged["wikidata"] == [{"labels": ["Bộ Chính trị", "BCT"], "qid": "Q222"}]
    assert merge_gold([ONE, TWO]) == merged


CONFLICTS = [
    ("source-metadata", {"sources": {A: {"province": "Hải Dương"}}}, "source a.txt"),
    ("document-type", {"sources": {}, "documents": [{**ONE["documents"][0], "type": "Resolution"}]}, "contradicts"),
    ("label-two-items", {"sources": {}, "wikidata": [{"labels": ["bộ chính trị"], "qid": "Q1"}]}, "Q1 here, Q222"),
]


@pytest.mark.parametrize(("other", "message"), [c[1:] for c in CONFLICTS], ids=[c[0] for c in CONFLICTS])
def test_merge_conflict(other: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        merge_gold({"one": ONE, "other": other})


def test_a_number_reused_with_another_date_is_another_document() -> None:
    """"01/NQ-CP" of 2023 and of 2024, "35-CT/TW" of two terms: two documents, not a conflict."""
    dated = TWO["documents"][0]
    other = {"sources": {}, "documents": [{**dated, "issued": "2020-01-01", "sources": ["x.txt"]}]}
    merged = merge_gold({"two": TWO, "other": other})
    dates = sorted(d.get("issued") or "" for d in merged["documents"] if d["number"] == dated["number"])
    assert dates == ["2020-01-01", dated["issued"]]


def test_join_groups() -> None:
    assert join_groups([["A", "B"], ["C"], ["c", "D"], ["B", "D"]]) == [["A", "B", "C", "D"]]


def test_load_golds_folder(tmp_path: Path) -> None:
    for name, gold in (("x.gold.json", ONE), ("y.gold.json", TWO)):
        (tmp_path / name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert load_golds([tmp_path]) == merge_gold({"x": ONE, "y": TWO})
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no \\*.gold.json"):
        load_golds([tmp_path / "empty"])
