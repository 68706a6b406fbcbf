"""The graph built from saved pages, PDFs and Word files scores within 0.01 of the graph built
from the same articles' `.txt` files (issue 16), on the corpus of `tests/pages/` (rendered from
the dev set by `tests/pages/make.py`), with no sidecar: what the files themselves carry."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.evaluate import evaluate, load_golds
from kg.export import load
from kg.pipeline import build
from kg.read import kept_text

from conftest import DEVSET

PAGES = Path(__file__).parent / "pages"
MANIFEST = PAGES / "manifest.json"
QUIET = lambda line: None  # noqa: E731
TOLERANCE = 0.01

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="tests/pages/manifest.json is not there")


def _entries(kinds: tuple[str, ...]) -> list[dict]:
    return [e for e in json.loads(MANIFEST.read_text(encoding="utf-8"))["files"] if e["kind"] in kinds]


def renamed(gold, names: dict[str, str]):
    """The gold with every source name in `names` replaced (keys and values alike)."""
    if isinstance(gold, dict):
        return {names.get(k, k): renamed(v, names) for k, v in gold.items()}
    if isinstance(gold, list):
        return [renamed(v, names) for v in gold]
    return names.get(gold, gold) if isinstance(gold, str) else gold


def _scores(tmp: Path, kinds: tuple[str, ...]):
    """(score of the pages' graph, score of the same articles' .txt graph, the build's summary)."""
    entries = _entries(kinds)
    articles = [Path(e["article"]).name for e in entries]
    assert len(set(articles)) == len(articles), "one file per article and kind"
    pages, texts = tmp / "pages", tmp / "texts"
    pages.mkdir(), texts.mkdir()
    for e in entries:
        shutil.copy(PAGES / e["file"], pages / Path(e["file"]).name)
        shutil.copy(DEVSET / Path(e["article"]).name, texts)
        sidecar = DEVSET / (Path(e["article"]).name[:-4] + ".meta.json")
        if sidecar.exists():
            shutil.copy(sidecar, texts)
    golds = [DEVSET / (a[:-4] + ".gold.json") for a in articles]
    gold = load_golds(golds)
    summary = build([pages], tmp / "pages.trig", log=QUIET, overrides={"build_cache": "off"})
    build([texts], tmp / "texts.trig", log=QUIET, overrides={"build_cache": "off"})
    names = {Path(e["article"]).name: Path(e["file"]).name for e in entries}
    page_scores = evaluate(load(tmp / "pages.trig"), renamed(gold, names))
    text_scores = evaluate(load(tmp / "texts.trig"), gold)
    return page_scores, text_scores, summary


@pytest.mark.slow
@pytest.mark.parametrize("kinds", [("html",), ("pdf",), ("docx",)], ids=lambda k: "+".join(k))
def test_pages_score_as_their_texts(tmp_path, kinds):
    pages, texts, summary = _scores(tmp_path, kinds)
    assert summary.sources == len(_entries(kinds)) and not summary.duplicates
    assert pages.must_not == 0, pages.must_not_list
    assert pages.overall >= texts.overall - TOLERANCE, (pages, texts)


def test_page_text_is_kept_beside_the_dataset(tmp_path):
    entry = _entries(("html",))[0]
    shutil.copy(PAGES / entry["file"], tmp_path / "page.html")
    out = tmp_path / "out" / "kg.trig"
    build([tmp_path / "page.html"], out, log=QUIET, overrides={"build_cache": "off"})
    kept = kept_text(out, "page.html")
    text = kept.read_text(encoding="utf-8")
    from kg.store import open_store
    store = open_store(out)
    rows = list(store.query(
        "SELECT ?start ?end ?sentence WHERE { ?m <https://w3id.org/vnkg/ontology#start> ?start ; "
        "<https://w3id.org/vnkg/ontology#end> ?end ; <https://w3id.org/vnkg/ontology#inSentence> ?in . "
        "?in <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?sentence }",
        use_default_graph_as_union=True))
    assert rows
    for start, end, sentence in rows:
        quoted = text[int(start.value):int(end.value)]
        assert quoted and " ".join(quoted.split())[:10] in " ".join(text.split())
    formats = list(store.query("SELECT DISTINCT ?f WHERE { ?s <http://purl.org/dc/terms/format> ?f }",
                               use_default_graph_as_union=True))
    assert [f[0].value for f in formats] == ["text/html"]


def test_bad_files_cost_one_line_each_and_nothing_else(tmp_path):
    """Every hostile file of the corpus beside good pages: `--keep-going` skips each with one
    line naming it; without it the first one stops the build and nothing is written."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    bad = manifest["bad"]
    good = _entries(("html", "pdf", "docx"))[:6]
    folder = tmp_path / "in"
    folder.mkdir()
    for e in [*good, *bad]:
        shutil.copy(PAGES / e["file"], folder / Path(e["file"]).name)
    names = {Path(e["file"]).name for e in good}
    assert len(names) == len(good)
    log: list[str] = []
    out = tmp_path / "out" / "kg.trig"
    summary = build([folder], out, log=log.append, keep_going=True, overrides={"build_cache": "off"})
    assert summary.sources == len(good) - len(summary.duplicates)
    assert sorted(Path(p).name for p in summary.skipped) == sorted(Path(e["file"]).name for e in bad)
    warnings = [line for line in log if line.startswith("warning: skipped ")]
    assert len(warnings) == len(bad)
    for e in bad:
        line = next(w for w in warnings if Path(e["file"]).name in w)
        assert "\n" not in line and len(line) < 400, line
    from kg.errors import InputError
    with pytest.raises(InputError):
        build([folder], tmp_path / "strict" / "kg.trig", log=QUIET, overrides={"build_cache": "off"})
    assert not (tmp_path / "strict" / "kg.trig").exists()


def test_kg_add_reads_a_page_and_keeps_its_text(tmp_path):
    from kg.add import add
    from kg.read.kept import read_record
    entry = _entries(("html",))[0]
    out = tmp_path / "out" / "kg.trig"
    build([DEVSET.parent.parent / "seeds"], out, log=QUIET, overrides={"build_cache": "off"})
    (tmp_path / "site" / "a").mkdir(parents=True)
    shutil.copy(PAGES / entry["file"], tmp_path / "site" / "a" / "index.html")
    done = add([tmp_path / "site"], out, log=QUIET, recursive=True, overrides={"build_cache": "off"})
    assert done.sources == 1
    assert kept_text(out, "a/index.html").read_text(encoding="utf-8").startswith(entry["expect"]["title"][:10])
    assert "a/index.html" in {name for name, _, _ in read_record(out)}
    again = add([tmp_path / "site"], out, log=QUIET, recursive=True, overrides={"build_cache": "off"})
    assert again.sources == 0 and again.unchanged == ("a/index.html",)
