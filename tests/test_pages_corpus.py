"""The page corpus (tests/pages, issue 16): manifest and files agree, make.py is deterministic,
and measure.py scores the way its docstring says."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest

from kg.read.base import Read
from pages import make, measure

PAGES = Path(__file__).resolve().parent / "pages"
ROOT = PAGES.parent.parent
MANIFEST = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))
FILES = MANIFEST["files"]
HAVE_GENERATORS = all(importlib.util.find_spec(m) for m in ("reportlab", "docx", "PIL"))
needs_generators = pytest.mark.skipif(not HAVE_GENERATORS, reason="reportlab, python-docx and Pillow make PDFs and DOCX")


def test_every_listed_file_exists_and_every_file_is_listed():
    listed = {e["file"] for e in FILES + MANIFEST["bad"]}
    on_disk = {p.relative_to(PAGES).as_posix() for d in ("html", "mhtml", "pdf", "docx", "bad")
               for p in (PAGES / d).rglob("*") if p.is_file()}
    assert listed == on_disk
    assert all((PAGES / e["text"]).is_file() for e in FILES)


def test_counts_meet_the_brief():
    kinds = [e["kind"] for e in FILES]
    assert kinds.count("html") == len(list((ROOT / "tests" / "devset").glob("*.txt")))
    assert kinds.count("mhtml") == 3 and kinds.count("pdf") >= 10 and kinds.count("docx") >= 10
    assert len({e["template"] for e in FILES if e["kind"] == "html"}) >= 5
    assert {Path(e["file"]).stem for e in MANIFEST["bad"]} == {
        "category_index", "english_article", "encrypted", "scanned", "zip_bomb", "truncated", "not_a_zip"}


@pytest.mark.parametrize("entry", FILES, ids=[e["file"] for e in FILES])
def test_entry_is_complete_and_agrees_with_the_sidecar(entry):
    assert (ROOT / entry["article"]).is_file()
    expect = entry["expect"]
    assert set(expect) == set(measure.FIELDS) and expect["language"] == "vi"
    dt.date.fromisoformat(expect["published"])
    sidecar = ROOT / entry["article"].replace(".txt", ".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    for field in ("published", "publisher", "title"):
        if field in meta:
            assert expect[field] == meta[field], field
    if "url" in meta and entry["kind"] in ("html", "mhtml"):
        assert expect["url"] == meta["url"]


@pytest.mark.parametrize("entry", [e for e in FILES if e["kind"] == "html"], ids=lambda e: e["file"])
def test_page_states_what_the_manifest_expects(entry):
    raw = (PAGES / entry["file"]).read_bytes()
    page = raw.decode("utf-8-sig")
    assert '<html lang="vi">' in page and "Giấy phép số" in page and "Bình luận" in page
    assert entry["expect"]["url"].replace("&", "&amp;") in page


def test_zip_bomb_is_small_on_disk_and_huge_inside():
    path = PAGES / "bad" / "zip_bomb.docx"
    assert path.stat().st_size < 2_000_000
    assert max(i.file_size for i in zipfile.ZipFile(path).infolist()) >= 1 << 30


def test_corpus_stays_small():
    assert sum(p.stat().st_size for p in PAGES.rglob("*") if p.is_file()) < 15_000_000


def test_committed_pages_are_what_make_writes_now():
    """The HTML, MHTML and texts need only the standard library: they must match the dev set as it is now."""
    for made in make.make({"html", "mhtml"}):
        assert (PAGES / made.file).read_bytes() == made.data, f"{made.file} is stale: run python tests/pages/make.py"
        assert (PAGES / make.text_path(made.file)).read_text(encoding="utf-8") == made.text


@needs_generators
def test_make_is_deterministic(tmp_path, monkeypatch):
    from pages import bad

    monkeypatch.setattr(bad, "BOMB_SIZE", 1 << 20)  # the same code, a smaller bomb: two runs in a second
    runs = []
    for name in ("a", "b"):
        made = make.make(set(make.KINDS))
        make.write(made, tmp_path / name)
        runs.append({p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()})
    assert runs[0].keys() == runs[1].keys()
    assert [k for k in runs[0] if runs[0][k] != runs[1][k]] == []


@pytest.mark.parametrize(("extracted", "expected", "f1"), [
    ("abc", "abc", 1.0),
    ("", "", 1.0),
    ("", "abc", 0.0),
    ("abc", "", 0.0),
    ("xyz", "abc", 0.0),
    ("  a\n\nb\u00a0c ", "a b c", 1.0),
    ("Ho\u0300a", "Hòa", 1.0),  # NFD against NFC
    ("abc", "abd", 2 / 3),
    ("xx abc", "abc", 2 * 0.5 * 1.0 / 1.5),
    ("tin một tin hai", "tin một", 2 * (7 / 15) * 1.0 / (7 / 15 + 1)),
], ids=["same", "both empty", "nothing read", "nothing expected", "disjoint", "whitespace", "nfc",
        "one letter off", "extra words", "extra tail"])
def test_f1(extracted, expected, f1):
    assert measure.f1(extracted, expected) == pytest.approx(f1)


def test_f1_is_order_preserving():
    # swapped paragraphs: only one of the two can be aligned
    assert measure.f1("bbbb aaaa", "aaaa bbbb") == pytest.approx(4 / 9)
    assert measure.f1("x longword", "longword y") == pytest.approx(0.8)


@pytest.mark.parametrize(("name", "got", "want", "ok"), [
    ("published", dt.date(2022, 7, 14), "2022-07-14", True),
    ("published", dt.date(2022, 7, 13), "2022-07-14", False),
    ("title", "Hội  nghị\n", "Hội nghị", True),
    ("publisher", "TỈNH ỦY BẾN TRE", "Tỉnh ủy Bến Tre", True),
    ("url", "https://a.vn/x", "https://a.vn/x/", False),
    ("author", None, None, True),
    ("author", "", None, True),
    ("author", "PV", None, False),
    ("author", None, "Thu Trang", False),
])
def test_field_ok(name, got, want, ok):
    assert measure.field_ok(name, got, want) is ok


def _perfect_reader(path: Path) -> Read:
    entry = next(e for e in FILES if PAGES / e["file"] == path)
    ex = entry["expect"]
    return Read(text=(PAGES / entry["text"]).read_text(encoding="utf-8"), kind=entry["kind"], title=ex["title"],
                published=dt.date.fromisoformat(ex["published"]), author=ex["author"], publisher=ex["publisher"],
                url=ex["url"], language=ex["language"])


def _oracle(path: Path) -> Read:
    if path.parent.name == "bad":
        raise ValueError(f"{path.name}: hostile")
    return _perfect_reader(path)


def _strip_tags(path: Path) -> Read:
    """A trivial reader: HTML without its tags; anything else is refused."""
    if path.suffix != ".html":
        raise ValueError(f"{path.name}: not HTML")
    page = path.read_bytes().decode("utf-8-sig")
    page = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", page)
    return Read(text=re.sub(r"<[^>]+>", " ", page), kind="html")


def test_measure_scores_a_perfect_reader_at_one():
    result = measure.measure(_oracle, PAGES)
    assert set(result["kinds"]) == {"html", "mhtml", "pdf", "docx"}
    for summary in result["kinds"].values():
        assert summary["f1_min"] == 1.0 and summary["metadata"] == 1.0 and summary["errors"] == 0
    assert all(b["rejected"] for b in result["bad"])


def test_measure_scores_a_tag_stripper_in_between(tmp_path):
    result = measure.measure(_strip_tags, PAGES)
    html = result["kinds"]["html"]
    assert 0.2 < html["f1_mean"] < 0.9 and html["errors"] == 0
    assert result["kinds"]["pdf"]["errors"] == result["kinds"]["pdf"]["files"]
    assert "html" in measure.report(result)
    out = tmp_path / "m.json"
    measure.main(["--reader", "test_pages_corpus:_strip_tags", "--json", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["kinds"]["html"]["files"] == 30
