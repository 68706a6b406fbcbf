"""Resolution inside `kg build` and `kg add`: people across sources, a source placed by its
people, the tenures graph, the people record, `--explain`, and `kg add`'s rewrite of the tenures
block (same tenures as a full build; a crash in the middle leaves the file as it was).

The articles are invented for the tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import add as adding
from kg.add import add, roll_back
from kg.explain import explain
from kg.pipeline import build
from kg.resolve.record import PeopleFile

V = "https://w3id.org/vnkg/ontology#"
ARTICLES = {
    "a.txt": ("2021-03-01", "Sơn La",
              "Sáng 1/3, UBND tỉnh Sơn La tổ chức hội nghị tổng kết công tác năm. Ông Lò Văn Khánh, Phó Bí thư "
              "Tỉnh ủy, Chủ tịch UBND tỉnh Sơn La chủ trì hội nghị. Bà Cầm Thị Nga, Phó Chủ tịch UBND tỉnh Sơn La "
              "báo cáo kết quả."),
    "c.txt": ("2021-04-01", "Cà Mau",
              "Ngày 1/4, UBND tỉnh Cà Mau họp phiên thường kỳ. Ông Lò Văn Khánh, Phó Chủ tịch UBND tỉnh Cà Mau "
              "phát biểu tại phiên họp."),
    "b.txt": ("2021-05-01", None,
              "Ngày 1/5, Ban Thường vụ Tỉnh ủy họp cho ý kiến về công tác cán bộ. Ông Lò Văn Khánh, Phó Bí thư "
              "Tỉnh ủy, Chủ tịch UBND tỉnh và bà Cầm Thị Nga, Phó Chủ tịch UBND tỉnh dự họp."),
}


def corpus(folder: Path, names=ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        date, province, text = ARTICLES[name]
        (folder / name).write_text(text, encoding="utf-8")
        meta = {"published": date, **({"province": province} if province else {})}
        (folder / name.replace(".txt", ".meta.json")).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def load(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def rows(store: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(getattr(t, "value", None) for t in r) for r in store.query(
        f"PREFIX vnkg: <{V}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query, use_default_graph_as_union=True))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("resolve")
    out = root / "out" / "kg.trig"
    lines = []
    build([corpus(root / "in")], out, do_reason=False, log=lines.append, overrides={"build_cache": "off"})
    return out, load(out), lines


def test_one_name_two_people_and_one_person_across_sources(built):
    _, store, _ = built
    people = rows(store, "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?p a vnkg:Person ; rdfs:label 'Lò Văn Khánh'@vi ; "
                         "vnkg:mentionedIn ?s } GROUP BY ?p")
    assert sorted(int(n) for _, n in people) == [1, 2]  # the Cà Mau vice-chair, and the Sơn La chair in a and b


def test_a_source_is_placed_by_its_people(built):
    _, store, lines = built
    assert any("b.txt is taken to be of Sơn La" in line for line in lines)
    held = rows(store, "SELECT DISTINCT ?body WHERE { GRAPH ?g { ?p rdfs:label 'Cầm Thị Nga'@vi ; vnkg:holds/vnkg:postIn ?b } "
                       "?b rdfs:label ?body FILTER(CONTAINS(STR(?g), 'b.txt')) }")
    assert held == [("Ủy ban nhân dân tỉnh Sơn La",)]


def test_tenures_are_in_their_graph_with_attestations(built):
    _, store, _ = built
    found = rows(store, "SELECT ?first ?last (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <https://w3id.org/vnkg/graph/tenures> { "
                        "?t a vnkg:Tenure ; vnkg:holder ?p ; vnkg:firstAttested ?first ; vnkg:lastAttested ?last ; "
                        "vnkg:attestedIn ?s } ?p rdfs:label 'Cầm Thị Nga'@vi } GROUP BY ?first ?last")
    assert found == [("2021-03-01", "2021-05-01", "2")]


def test_the_record_and_explain_say_why(built):
    out, _, _ = built
    assert PeopleFile(out).read() is not None
    text = explain(out, "Lò Văn Khánh")
    assert "one person: a.txt#Lò Văn Khánh and b.txt#Lò Văn Khánh" in text
    assert "at the same time" in text and text.count("identity:") == 2


def test_a_record_of_another_file_is_not_used(built, tmp_path):
    out, _, _ = built
    copy = tmp_path / "kg.trig"
    copy.write_bytes(out.read_bytes() + b"\n")
    (tmp_path / "kg.trig.people.db").write_bytes(PeopleFile(out).path.read_bytes())
    assert PeopleFile(copy).read() is None


def test_kg_add_gives_the_tenures_of_a_full_build(tmp_path):
    full, part = tmp_path / "full" / "kg.trig", tmp_path / "part" / "kg.trig"
    off = {"build_cache": "off"}
    build([corpus(tmp_path / "all")], full, log=lambda line: None, overrides=off)
    build([corpus(tmp_path / "first", ["a.txt", "c.txt"])], part, log=lambda line: None, overrides=off)
    before = part.read_bytes()
    done = add([corpus(tmp_path / "more", ["b.txt"])], part, log=lambda line: None, overrides=off)
    assert done.tenures > 0 and part.read_bytes()[:100] == before[:100]
    q = ("SELECT ?name ?role ?first ?last WHERE { GRAPH <https://w3id.org/vnkg/graph/tenures> { ?t vnkg:holder ?p ; "
         "vnkg:post ?post ; vnkg:firstAttested ?first ; vnkg:lastAttested ?last } ?p rdfs:label ?name . "
         "?post vnkg:role/rdfs:label ?role }")
    assert rows(load(part), q) == rows(load(full), q)
    assert PeopleFile(part).read() is not None  # the record follows the file


def test_a_crash_in_the_tenures_rewrite_is_undone(tmp_path, monkeypatch):
    part = tmp_path / "part" / "kg.trig"
    off = {"build_cache": "off"}
    build([corpus(tmp_path / "first", ["a.txt", "c.txt"])], part, log=lambda line: None, overrides=off)
    before = part.read_bytes()

    def crash(path, at, end, data, block, kept=None):  # the journal and the tail kept, the file cut: then killed
        if kept is not None:
            kept.block()  # its copy of the tail written
        real(path, at, end, data, block[: len(block) // 2])
        raise KeyboardInterrupt

    real = _rewrite_until_cut
    monkeypatch.setattr(adding, "rewrite_tail", crash)
    with pytest.raises(KeyboardInterrupt):
        add([corpus(tmp_path / "more", ["b.txt"])], part, log=lambda line: None, overrides=off)
    assert part.read_bytes() != before
    assert roll_back(part) and part.read_bytes() == before


def _rewrite_until_cut(path: Path, at: int, end: int, data: bytes, block: bytes) -> None:
    """What `rewrite_tail` has done when killed after cutting the file: journal and tail written, part of the new tail."""
    note, keep = adding.journal(path), path.with_name(f".{path.name}.tail")
    st = path.stat()
    with open(path, "rb") as f:
        f.seek(at)
        keep.write_bytes(f.read())
    note.write_text(json.dumps({"size": st.st_size, "inode": st.st_ino, "tail_at": at, "tail": keep.name}))
    with open(path, "r+b") as f:
        f.truncate(at)
        f.seek(at)
        f.write(block)


def test_a_build_failing_after_resolution_leaves_no_people_record(tmp_path, monkeypatch):
    """The record is written as resolution ends (so its mentions can be let go of), under a
    temporary name; a build that fails later leaves neither it nor the temporary file."""
    import kg.pipeline as pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("the reasoner broke")
    monkeypatch.setattr(pipeline, "_inferred", broken)
    out = tmp_path / "out" / "kg.trig"
    with pytest.raises(RuntimeError, match="the reasoner broke"):
        build([corpus(tmp_path / "all")], out, log=lambda line: None, overrides={"build_cache": "off"}, disk_store=False)
    assert sorted(p.name for p in out.parent.iterdir()) == []
