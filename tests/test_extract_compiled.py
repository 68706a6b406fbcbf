"""The extractor's long patterns kept compiled between processes (kg.extract.compiled)."""
from __future__ import annotations

import re

import pytest

from kg.extract import compiled
from kg.extract.compiled import remembered

pytestmark = pytest.mark.skipif(compiled._sre is None, reason="not CPython: compiled each time")

PATTERN = r"(?<!\w)(?P<role>(?i:Phó Bí thư|Bí thư))\s+(?P<body>Tỉnh ủy|Thành ủy)(?:\s+(?P<name>[A-ZĐ]\w+))?"


def _builder(calls: list):
    def build() -> str:
        calls.append(1)
        return PATTERN
    return build


def test_a_pattern_is_built_once_and_read_back_as_the_very_program_re_compile_makes(tmp_path):
    calls = []
    first = remembered("t", _builder(calls), tmp_path)
    again = remembered("t", _builder(calls), tmp_path)
    assert calls == [1]  # the second process's worth: read, not built
    assert first == again == re.compile(PATTERN)  # flags, text and program all equal
    assert again.groupindex == re.compile(PATTERN).groupindex and again.groups == 3
    text = "ông Nguyễn Văn A, phó bí thư Tỉnh ủy Lào, và Bí thư Thành ủy"
    assert [m.groupdict() for m in again.finditer(text)] == [m.groupdict() for m in re.finditer(PATTERN, text)]
    assert len(list(tmp_path.glob("t-*.re"))) == 1


def test_a_torn_or_altered_file_is_a_miss(tmp_path):
    calls = []
    remembered("t", _builder(calls), tmp_path)
    (path,) = tmp_path.glob("t-*.re")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # torn
    assert remembered("t", _builder(calls), tmp_path) == re.compile(PATTERN) and calls == [1, 1]
    data = bytearray(path.read_bytes())
    data[-40] ^= 1  # one bit of the program flipped: the checksum no longer holds
    path.write_bytes(bytes(data))
    assert remembered("t", _builder(calls), tmp_path) == re.compile(PATTERN) and calls == [1, 1, 1]


def test_another_extractor_s_pattern_is_removed_when_this_one_is_kept(tmp_path):
    stale = tmp_path / "t-000000000000000000000000.re"
    stale.write_bytes(b"old")
    other = tmp_path / "u-000000000000000000000000.re"
    other.write_bytes(b"another pattern's")
    remembered("t", _builder([]), tmp_path)
    assert not stale.exists() and other.exists()


def test_an_unwritable_cache_compiles_each_time(tmp_path):
    folder = tmp_path / "file"
    folder.write_text("not a folder")
    calls = []
    assert remembered("t", _builder(calls), folder) == re.compile(PATTERN)
    assert remembered("t", _builder(calls), folder) == re.compile(PATTERN) and calls == [1, 1]


def test_the_body_and_title_patterns_are_those_compiled_from_their_text():
    from kg.extract.bodies import _body_pattern, body_regex
    from kg.extract.titles import _title_regex_text, title_regex
    assert body_regex() == re.compile(_body_pattern())
    assert title_regex() == re.compile(_title_regex_text())
