"""Properties of normalisation and extraction on arbitrary Unicode (issue 7): they never crash,
normalisation is idempotent, and every offset they give points inside the original text.

Two kinds of input: any Unicode at all, and text built from pieces of the genre (titles,
bodies, dates, document numbers, page furniture, markup, odd spaces and marks) mixed with
arbitrary characters, which reaches the extractor's rules rather than stopping at the door.
The pieces are written for these tests.
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from kg.extract import extract
from kg.model import SourceMeta, SourceText
from kg.text import normalise, sentences

PIECES = [
    "Bí thư Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy", "Ủy viên Bộ Chính trị", "Chủ tịch UBND tỉnh",
    "Trưởng ban Tổ chức Trung ương", "đồng chí", "Ông", "Bà", "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh",
    "Hội nghị", "Ban Chấp hành Đảng bộ tỉnh", "lần thứ 12", "khóa XX", "Đại hội đại biểu", "nhiệm kỳ 2025-2030",
    "Nghị quyết số 12-NQ/TU", "Chỉ thị số 05-CT/TW", "Kết luận số 21", "Quyết định số 1234/QĐ-UBND",
    "ngày 5/3/2024", "sáng 16-7", "năm 2025", "tỉnh Quảng Nam", "Hà Nội", "TP. Hồ Chí Minh", "huyện", "xã",
    "phấn đấu đến năm 2030 tăng trưởng 8%", "chủ trì", "phát biểu", "bổ nhiệm", "giữ chức", "được bầu làm",
    "Tỉnh uỷ", "hoà bình", "Phản hồi\n", "Xem nhiều nhất\n", "Tags: hội nghị\n", ">>> Bài liên quan\n",
    "Ảnh: Minh Hà", "**", "*", "¹", "\u00a0", "\u200b", "\ufeff", "\r\n", "\n", "\n\n\n", " ", "  ", ".", ",",
    ";", ":", "(", ")", "“", "”", "…", "-", "–", "/", "\u0301", "\u0323", "\u0309", "Ð", "ǎ", "\t",
]
GENRE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)
ANY = st.text(max_size=300)
NFD_GENRE = GENRE.map(lambda s: unicodedata.normalize("NFD", s))
TEXTS = st.one_of(ANY, GENRE, NFD_GENRE)


def _check_map(n) -> None:
    size = len(n.original)
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i, ch in enumerate(n.text):
        a, b = n.span(i, i + 1)
        assert 0 <= a <= b <= size
        if ch.isalpha():  # a letter comes from somewhere in the original that holds a letter
            assert any(c.isalpha() for c in n.original[a:b]), (ch, n.original[a:b])


# Minimal inputs on which normalise is not idempotent (found by the properties below; reported
# to the lead, who owns kg/text.py). Causes: the ungluing step runs after furniture and photo
# credits are removed (1, 2) and after old tone placement is modernised (8, 9); removals that
# bring a letter and a combining mark together run after composition (4-7); a tone mark after
# an old-placement pair is left over when the tone moves (3).
UNSTABLE = [
    ("glued-furniture", "0Phản hồi"), ("glued-photo-credit", "2024Ảnh: Minh Hà"),
    ("extra-tone-after-pair", "uỳ\u0301"), ("control-before-mark", "A\x1f\u0300"),
    ("zero-width-before-mark", "A\u200b\u0301"), ("lookalike-before-mark", "\u01ce\u0301"),
    ("star-before-mark", "A*\u0301"), ("glued-after-old-tone", "aoẹAa"), ("glued-name", "hoàVăn"),
]


@pytest.mark.parametrize("raw", [r for _, r in UNSTABLE], ids=[n for n, _ in UNSTABLE])
def test_known_unstable_inputs(raw):
    once = normalise(raw).text
    assert normalise(once).text == once


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_normalise_idempotent_and_every_char_maps_into_the_original(raw):
    n = normalise(raw)
    assert normalise(n.text).text == n.text
    assert n.original == raw
    _check_map(n)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_any_span_is_ordered_and_inside_the_original(raw, data):
    n = normalise(raw)
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.span(start, end)
    assert 0 <= a <= b <= len(raw)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_sentences_tile_the_text_in_order(raw):
    text = normalise(raw).text
    last = 0
    for s in sentences(text):
        assert last <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text == s.text.strip()
        last = s.end


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from([None, "Quảng Nam", "Không Có"]))
def test_extract_never_crashes_and_evidence_points_into_the_original(raw, province):
    source = SourceText(id="x.txt", path="x.txt", text=raw, meta=SourceMeta(province=province))
    x = extract(source)
    evidence = [e.evidence for e in x.entities] + [f.evidence for f in x.facts]
    for ev in filter(None, evidence):
        assert ev.source == "x.txt"
        assert 0 <= ev.start <= ev.end <= len(raw)
