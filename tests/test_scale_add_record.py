"""`kg add` on its records: it reads of the people record and of the sources record only what the
new articles touch, and leaves both as a full build of all the articles makes them."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from scale_support import write_corpus
from test_scale_add import QUIET, build_only, copy_sources, graphs, label_changes, without_labels
from kg.add import add
from kg.pipeline import build
from kg.read import kept
from kg.resolve import mentions, names
from kg.resolve.record import PeopleFile, Record, path_for


def rows(dataset: Path, sql: str) -> list:
    db = sqlite3.connect(path_for(dataset))
    try:
        return sorted(db.execute(sql))
    finally:
        db.close()


def test_additions_read_what_they_touch_and_leave_the_records_of_a_full_build(tmp_path, monkeypatch):
    write_corpus(24, tmp_path / "all", seed=11)
    articles = sorted((tmp_path / "all").glob("*.txt"))
    first = copy_sources(articles[:20], tmp_path / "first")
    out, full = tmp_path / "a" / "kg.trig", tmp_path / "b" / "kg.trig"
    build([first], out, log=QUIET)
    asked: list[str] = []
    people_of = Record.people_of
    monkeypatch.setattr(Record, "people_of", lambda self, bares: asked.extend(bares) or people_of(self, bares))

    def whole(*_):
        raise AssertionError("kg add read a whole record")
    monkeypatch.setattr(Record, "everything", whole)
    monkeypatch.setattr(kept, "read_record", whole)
    for i, article in enumerate(articles[20:]):  # one at a time: each finds the records the one before left
        done = add([copy_sources([article], tmp_path / f"new{i}")], out, log=QUIET)
        assert done.sources == 1
    monkeypatch.undo()
    build([first, *(tmp_path / f"new{i}" for i in range(4))], full, log=QUIET)
    a, b = graphs(out), graphs(full)
    assert without_labels(a) == without_labels(b)  # an entity already there keeps its label (kg.add)
    assert label_changes(a, b) <= {t[0] for ts in graphs(build_only(first, tmp_path)).values() for t in ts}
    from kg.extract import extract
    from kg.read import Input, read_source
    new_names = {names.bare(m.name) for a in articles[20:] for m in mentions(extract(read_source(Input(a, a.name))))}
    assert asked and set(asked) <= new_names  # the people of the names the new articles mention, no others
    for table in ("person", "tenure", "body"):
        columns = "key, label" if table == "person" else "*"
        assert rows(out, f"SELECT {columns} FROM {table}") == rows(full, f"SELECT {columns} FROM {table}"), table
    mention = "SELECT p.key, m.source, m.key, m.name, m.date, m.province, m.posts FROM mention m JOIN person p ON p.id = m.person"
    assert rows(out, mention) == rows(full, mention)
    assert PeopleFile(out).read() is not None
