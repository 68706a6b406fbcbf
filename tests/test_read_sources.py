"""A source is its path in the folder it was found in, not its bare file name (issue 16), and
the same article read twice is one source."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from scale_support import ROOT, write_corpus
from kg import config
from kg.add import add
from kg.errors import InputError
from kg.pipeline import build
from kg.read import Input, find_inputs, kept_text
from kg.read.duplicates import SIMILAR, copies, fingerprint, similarity
from kg.read.kept import read_record, record_path

QUIET = lambda line: None  # noqa: E731
VNKG = "https://w3id.org/vnkg/ontology#"
DEVSET = ROOT / "tests" / "devset"


def _numbered(files: list[Path], folder: Path) -> list[Path]:
    """The files copied into `folder` as 001.txt, 002.txt, … with their sidecars."""
    folder.mkdir(parents=True)
    out = []
    for i, f in enumerate(files, 1):
        target = folder / f"{i:03d}.txt"
        shutil.copy(f, target)
        meta = f.with_name(f.name[:-4] + ".meta.json")
        if meta.exists():
            shutil.copy(meta, folder / f"{i:03d}.meta.json")
        out.append(target)
    return out


def _rows(path: Path, sparql: str) -> list[tuple]:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return [tuple(getattr(t, "value", t) for t in row) for row in store.query(sparql, use_default_graph_as_union=True)]


@pytest.fixture(scope="module")
def two_folders(tmp_path_factory):
    """Two folders of 30 different generated articles with the same 30 file names, built together."""
    root = tmp_path_factory.mktemp("two")
    for name, seed in (("heldout", 11), ("heldout2", 12)):
        made = root / f"made-{name}"
        write_corpus(30, made, seed=seed)
        _numbered(sorted(made.glob("*.txt")), root / name)
    out = root / "out" / "kg.trig"
    summary = build([root / "heldout", root / "heldout2"], out, log=QUIET, overrides={"build_cache": "off"})
    return root, out, summary


def test_names_are_paths_where_file_names_meet(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir(), (tmp_path / "b" / "sub").mkdir()
    for rel in ("a/001.txt", "b/001.txt", "a/only.txt", "b/sub/index.html"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    names = {i.id for i in find_inputs([tmp_path / "a", tmp_path / "b"])}
    assert names == {"a/001.txt", "b/001.txt", "only.txt"}  # a unique name stays as it was
    names = {i.id for i in find_inputs([tmp_path / "a", tmp_path / "b"], recursive=True)}
    assert names == {"a/001.txt", "b/001.txt", "only.txt", "sub/index.html"}
    (tmp_path / "c" / "sub").mkdir(parents=True)
    (tmp_path / "c" / "sub" / "index.html").write_text("x", encoding="utf-8")
    names = {i.id for i in find_inputs([tmp_path / "b", tmp_path / "c"], recursive=True)}
    assert {"b/sub/index.html", "c/sub/index.html", "001.txt"} == names


def test_one_folder_keeps_the_names_it_always_had(tmp_path):
    assert [i.id for i in find_inputs([ROOT / "seeds"])] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert [i.id for i in find_inputs(sorted((ROOT / "seeds").glob("*.txt"))[:2])] == \
        sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[:2]


def test_hidden_files_and_kept_texts_are_not_sources(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "kg.trig.texts").mkdir()
    (tmp_path / "kg.trig.texts" / "p.html.txt").write_text("x", encoding="utf-8")
    assert [i.id for i in find_inputs([tmp_path], recursive=True)] == ["a.txt"]


def test_two_folders_with_the_same_file_names_are_sixty_sources(two_folders):
    root, out, summary = two_folders
    assert summary.sources == 60 and summary.duplicates == ()
    rows = _rows(out, f"SELECT ?g ?s ?id WHERE {{ GRAPH ?g {{ ?s a <{VNKG}Source> ; "
                      "<http://purl.org/dc/terms/identifier> ?id } }")
    assert len({r[1] for r in rows}) == 60 and len({r[0] for r in rows}) == 60
    assert {r[2] for r in rows} == {f"{d}/{i:03d}.txt" for d in ("heldout", "heldout2") for i in range(1, 31)}
    assert all(r[0] == config.graph_iri("source", r[2]) for r in rows)


def test_each_fact_points_into_its_own_file(two_folders):
    root, out, _ = two_folders
    rows = _rows(out, f"SELECT ?g ?id ?start ?end ?sentence WHERE {{ GRAPH ?g {{ ?src <http://purl.org/dc/terms/identifier> ?id . "
                      f"?in <{VNKG}source> ?src ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?sentence . ?m <{VNKG}inSentence> ?in ; <{VNKG}start> ?start ; "
                      f"<{VNKG}end> ?end }} }}")
    assert len(rows) > 1000
    texts = {f"{d}/{p.name}": p.read_text(encoding="utf-8") for d in ("heldout", "heldout2")
             for p in (root / d).glob("*.txt")}
    for graph, name, start, end, sentence in rows:
        assert graph == config.graph_iri("source", name)
        text = texts[name]
        assert 0 <= int(start) < int(end) <= len(text)
        assert " ".join(sentence.split())[:20] in " ".join(text.split())


def test_a_duplicated_article_is_one_source(tmp_path):
    files = _numbered(sorted(DEVSET.glob("*.txt"))[:4], tmp_path / "a")
    (tmp_path / "b").mkdir()
    shutil.copy(files[1], tmp_path / "b" / "same-story.txt")  # the same text under another name
    lines = files[2].read_text(encoding="utf-8").splitlines()
    syndicated = ["(Theo báo điện tử)", *lines, "", "Chia sẻ", "Tin liên quan"]  # another site's copy
    (tmp_path / "b" / "syndicated.txt").write_text("\n".join(syndicated), encoding="utf-8")
    log: list[str] = []
    out = tmp_path / "out" / "kg.trig"
    summary = build([tmp_path / "a", tmp_path / "b"], out, log=log.append, overrides={"build_cache": "off"})
    assert summary.sources == 4
    assert sorted(summary.duplicates) == [("same-story.txt", "002.txt"), ("syndicated.txt", "003.txt")]
    assert sum(line.startswith("duplicate: ") for line in log) == 2
    rows = _rows(out, "SELECT ?copy ?id ?of WHERE { ?copy <http://www.w3.org/ns/prov#alternateOf> ?of ; "
                      "<http://purl.org/dc/terms/identifier> ?id }")
    assert sorted(r[1] for r in rows) == ["same-story.txt", "syndicated.txt"]
    sources = _rows(out, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{VNKG}Source> }}")
    assert int(sources[0][0]) == 4
    assert {json.loads(line)["id"] for line in record_path(out).read_text(encoding="utf-8").splitlines()} == \
        {"001.txt", "002.txt", "003.txt", "004.txt"}


def test_fingerprints_tell_copies_from_different_articles(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEVSET.glob("*.txt"))]
    assert copies(texts) == []  # 30 dev-set articles of one genre: none a copy of another
    write_corpus(300, tmp_path, seed=5)
    generated = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    assert copies(generated) == []  # templated text, stock sentences shared by many: none a copy
    planted = copies(generated + ["Nguồn: báo điện tử\n" + t for t in generated[:30]])
    assert [(c.copy, c.of) for c in planted] == [(300 + i, i) for i in range(30)]
    a = texts[5]
    assert similarity(fingerprint(a), fingerprint(a.upper())) == 1.0  # case does not make another article
    assert similarity(fingerprint(a), fingerprint("Trang chủ\n" + a + "\nBình luận (0)")) >= SIMILAR
    half = "\n".join(a.splitlines()[: len(a.splitlines()) // 3])
    assert similarity(fingerprint(a), fingerprint(half)) < SIMILAR  # a third of an article is not a copy of it
    notice = texts[6]
    assert similarity(fingerprint(texts[7] + "\n" + notice), fingerprint(notice)) < SIMILAR  # quoted whole ≠ copy


def test_kg_add_names_a_new_article_by_its_folder_and_refuses_a_changed_one(tmp_path):
    files = _numbered(sorted(DEVSET.glob("*.txt"))[:3], tmp_path / "first")
    out = tmp_path / "out" / "kg.trig"
    build([tmp_path / "first"], out, log=QUIET, overrides={"build_cache": "off"})
    _numbered(sorted(DEVSET.glob("*.txt"))[10:11], tmp_path / "second")  # another 001.txt
    log: list[str] = []
    done = add([tmp_path / "second"], out, log=log.append, overrides={"build_cache": "off"})
    assert done.sources == 1
    names = {r[0] for r in _rows(out, "SELECT ?id WHERE { ?s a <https://w3id.org/vnkg/ontology#Source> ; "
                                      "<http://purl.org/dc/terms/identifier> ?id }")}
    assert names == {"001.txt", "002.txt", "003.txt", "second/001.txt"}
    assert "second/001.txt" in {r[0] for r in read_record(out) or []}
    again = add([tmp_path / "second"], out, log=QUIET, overrides={"build_cache": "off"})  # the same file again
    assert again.sources == 0 and again.unchanged == ("second/001.txt",) and again.duplicates == ()
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "002.txt").write_text(files[1].read_text(encoding="utf-8") + "\nMột câu thêm vào cuối bài báo này để sửa.",
                                    encoding="utf-8")
    with pytest.raises(InputError, match="in the dataset with other content"):
        add([edited / "002.txt"], out, log=QUIET, overrides={"build_cache": "off"})
    elsewhere = tmp_path / "again"
    elsewhere.mkdir()
    shutil.copy(files[2], elsewhere / "copy-of-three.txt")
    log.clear()
    done = add([elsewhere], out, log=log.append, overrides={"build_cache": "off"})
    assert done.sources == 0 and done.duplicates == (("copy-of-three.txt", "003.txt"),)
    assert any("already in the dataset" in line for line in log)


def test_kept_text_lives_beside_the_dataset(tmp_path):
    assert kept_text(tmp_path / "kg.trig", "site/a/index.html") == tmp_path / "kg.trig.texts" / "site/a/index.html.txt"
    assert Input(Path("x"), "x").id == "x"


def test_a_page_saved_as_txt_is_read_as_a_page(tmp_path):
    from kg.read import read_source
    pages = Path(__file__).parent / "pages"
    if not (pages / "manifest.json").exists():
        pytest.skip("tests/pages is not there")
    entry = next(e for e in json.loads((pages / "manifest.json").read_text(encoding="utf-8"))["files"]
                 if e["kind"] == "html")
    saved = tmp_path / "article.txt"
    shutil.copy(pages / entry["file"], saved)
    source = read_source(saved)
    assert source.kind == "html" and "<" not in source.text
    assert source.meta.title == entry["expect"]["title"] and source.meta.url == entry["expect"]["url"]


def test_copies_are_found_from_the_briefs_without_reading_the_extractions():
    """A build makes each source's brief (name, address, checksum, fingerprint) as its extraction
    comes, so finding the copies of an article reads no extraction back from the spool: only the
    sources kept are read, one at a time, when the result is."""
    from kg.model import Extraction, SourceMeta, SourceText
    from kg.read.kept import brief, one_per_article
    from kg.spool import Lazy
    story = "\n".join(f"Câu thứ {i} của bài báo về kỳ họp Hội đồng nhân dân tỉnh lần này." for i in range(12))
    texts = {"a.txt": story, "b.txt": "Một bài khác hẳn, về hội nghị Ban Chấp hành.\n" * 3,
             "a-copy.txt": "(Theo báo điện tử)\n" + story + "\nChia sẻ"}
    sources = [Extraction(SourceText(name, name, text, SourceMeta(url=f"https://e.vn/{name}"), sha256=name * 2))
               for name, text in texts.items()]
    read: list[int] = []

    def item(i: int) -> Extraction:
        read.append(i)
        return sources[i]
    log: list[str] = []
    kept, keys, pairs = one_per_article(Lazy(3, item), ["k1", "k2", "k3"], log.append, [brief(x) for x in sources])
    assert read == [] and pairs == (("a-copy.txt", "a.txt"),) and keys == ["k1", "k2"]
    assert [x.source.id for x in kept] == ["a.txt", "b.txt"] and read == [0, 1]
    assert kept[0].source.copies == (("a-copy.txt", "https://e.vn/a-copy.txt", "a-copy.txta-copy.txt"),)
    assert kept[0].source.fingerprint == fingerprint(texts["a.txt"])
    assert one_per_article(sources, ["k1", "k2", "k3"], log.append)[2] == pairs
    assert kept[1] is sources[1]  # with briefs, a source with no copies is passed on as it was read


def test_the_sources_record_is_written_from_the_briefs(tmp_path):
    """`kg build` writes the sources record from the briefs and the (copy, kept) pairs: the same
    lines as from the extractions, and only a page's extraction is read (for the text kept)."""
    from kg.model import Extraction, SourceMeta, SourceText
    from kg.read.kept import brief, keep_texts, kept_text, one_per_article, record_path
    from kg.spool import Lazy
    story = "\n".join(f"Câu thứ {i} của bài báo về kỳ họp Hội đồng nhân dân tỉnh lần này." for i in range(12))
    sources = [Extraction(SourceText("a.txt", "a.txt", story, SourceMeta(), sha256="a" * 64)),
               Extraction(SourceText("p.html", "p.html", "Trang web về hội nghị Ban Chấp hành.\n" * 3, SourceMeta(),
                                     sha256="p" * 64, kind="html")),
               Extraction(SourceText("a2.txt", "a2.txt", story + "\nChia sẻ", SourceMeta(), sha256="c" * 64))]
    briefs = [brief(x) for x in sources]
    kept, _, pairs = one_per_article(sources, ["1", "2", "3"], lambda line: None, briefs)
    assert pairs == (("a2.txt", "a.txt"),)
    with keep_texts(tmp_path / "old.trig", list(kept)):
        pass
    read: list[int] = []

    def item(j: int) -> Extraction:
        read.append(j)
        return kept[j]
    with keep_texts(tmp_path / "new.trig", Lazy(len(kept), item), [b for b in briefs if b.id != "a2.txt"], pairs):
        pass
    assert read == [1]
    assert record_path(tmp_path / "new.trig").read_bytes() == record_path(tmp_path / "old.trig").read_bytes()
    assert kept_text(tmp_path / "new.trig", "p.html").read_text(encoding="utf-8") == sources[1].source.text
