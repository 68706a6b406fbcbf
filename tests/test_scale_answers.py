"""`kg query` keeps answers until the dataset changes (kg/answers.py)."""
from __future__ import annotations

import shutil

import pytest

from kg.answers import answer, folder
from kg.cli import main
from kg.errors import QueryError


@pytest.fixture
def dataset(seeds_build, tmp_path):
    copy = tmp_path / "kg.trig"
    shutil.copy(seeds_build, copy)
    return copy


def counted(data: bytes):
    calls = []

    def compute() -> bytes:
        calls.append(1)
        return data
    return compute, calls


def test_an_answer_is_computed_once_per_version_of_the_dataset(dataset):
    compute, calls = counted(b"rows\n")
    assert answer(dataset, "SELECT 1", "csv", compute) == answer(dataset, "SELECT 1", "csv", compute) == b"rows\n"
    assert len(calls) == 1
    answer(dataset, "SELECT 1", "tsv", compute)  # another format, another answer
    assert len(calls) == 2
    with dataset.open("ab") as f:  # what `kg add` does to the file
        f.write(b"\n")
    answer(dataset, "SELECT 1", "csv", compute)
    assert len(calls) == 3 and len(list(folder(dataset).iterdir())) == 1  # the old version's answers are gone


@pytest.mark.parametrize("settings,size,kept", [({"answer_cache_mb": 0}, 10, False),
                                                ({"answer_cache_mb": 1}, 2 * 1024 * 1024, False),
                                                ({"answer_cache_mb": 1}, 10, True)],
                         ids=["off", "too-large", "kept"])
def test_the_setting_bounds_what_is_kept(dataset, settings, size, kept):
    compute, calls = counted(b"x" * size)
    answer(dataset, "q", "csv", compute, settings)
    answer(dataset, "q", "csv", compute, settings)
    assert len(calls) == (1 if kept else 2)


@pytest.mark.parametrize("text", ["SELECT (NOW() AS ?t) {}", "SELECT (rand ( ) AS ?r) {}", "SELECT (STRUUID() AS ?u) {}"])
def test_answers_that_change_from_run_to_run_are_not_kept(dataset, text):
    compute, calls = counted(b"x")
    answer(dataset, text, "csv", compute)
    answer(dataset, text, "csv", compute)
    assert len(calls) == 2


def test_errors_are_not_kept(dataset):
    def failing() -> bytes:
        raise QueryError("no")
    with pytest.raises(QueryError):
        answer(dataset, "q", "csv", failing)
    assert answer(dataset, "q", "csv", lambda: b"ok") == b"ok"


def test_kg_query_answers_again_from_what_it_kept_and_fresh_asks_the_engine(dataset, capsysbinary):
    assert main(["query", "-g", str(dataset), "members", "-f", "csv"]) == 0
    first = capsysbinary.readouterr().out
    entries = list(folder(dataset).rglob("*.out"))
    assert len(entries) == 1 and entries[0].read_bytes() == first
    entries[0].write_bytes(b"kept\n")  # proves the second answer comes from the kept file
    assert main(["query", "-g", str(dataset), "members", "-f", "csv"]) == 0
    assert capsysbinary.readouterr().out == b"kept\n"
    assert main(["query", "-g", str(dataset), "members", "-f", "csv", "--fresh"]) == 0
    assert capsysbinary.readouterr().out == first
