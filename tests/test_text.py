"""Normalisation: idempotent, offsets always valid, the genre's mess cleaned."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from kg.text import fold, modern_tone, normalise, sentences, slug

NASTY = [
    ("nfd", unicodedata.normalize("NFD", "Tỉnh ủy Quảng Ngãi họp"), "Tỉnh ủy Quảng Ngãi họp"),
    ("old-tone", "Tỉnh uỷ Thái Bình, hoà bình, khoẻ mạnh, Thuỷ", "Tỉnh ủy Thái Bình, hòa bình, khỏe mạnh, Thủy"),
    ("qu-stays", "quý I, thuý", "quý I, thúy"),
    ("nbsp", "Bí\u00a0thư  Tỉnh\u202fủy", "Bí thư Tỉnh ủy"),
    ("markdown", "**Kết luận** của *Tỉnh ủy*", "Kết luận của Tỉnh ủy"),
    ("glued-stars", "NGHỊ QUYẾT**VỀ", "NGHỊ QUYẾT VỀ"),
    ("footnote", "quy mô GRDP¹ năm 2023", "quy mô GRDP năm 2023"),
    ("glued-date", "Quảng Trị, 28/9/2020Sáng nay, Tỉnh ủy họp", "Quảng Trị, 28/9/2020\nSáng nay, Tỉnh ủy họp"),
    ("glued-word", "Hải PhòngÔng Trần Lưu Quang", "Hải Phòng Ông Trần Lưu Quang"),
    ("camel-kept", "VnExpress và TikTok", "VnExpress và TikTok"),
    ("lookalike", "\u00d0ồng chí", "Đồng chí"),
    ("furniture", "Nội dung chính.\nPhản hồi\nXem nhiều nhất\nTin liên quan\nHết.", "Nội dung chính.\nHết."),
    ("related", ">>> Khai mạc Hội nghị\nNội dung", "Nội dung"),
    ("photo-credit", "Toàn cảnh hội nghị. Ảnh: Minh Hà\nNội dung", "Toàn cảnh hội nghị.\nNội dung"),
    ("crlf", "Dòng một\r\nDòng hai\r\n\r\n\r\n\r\nDòng ba", "Dòng một\nDòng hai\n\nDòng ba"),
    ("zero-width", "Bí\u200b thư\ufeff", "Bí thư"),
]


@pytest.mark.parametrize("raw,expected", [(r, e) for _, r, e in NASTY], ids=[n for n, _, _ in NASTY])
def test_normalise(raw, expected):
    assert normalise(raw).text == expected


@pytest.mark.parametrize("raw", [r for _, r, _ in NASTY], ids=[n for n, _, _ in NASTY])
def test_idempotent_and_offsets(raw):
    n = normalise(raw)
    assert normalise(n.text).text == n.text
    _check_offsets(n)


def _check_offsets(n):
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i in range(len(n.text)):
        a, b = n.span(i, i + 1)
        assert 0 <= a <= b <= len(n.original)
    if n.text:
        assert n.span(0, len(n.text))[1] <= len(n.original)


def test_offsets_point_at_the_original_word():
    raw = unicodedata.normalize("NFD", "**Ông** Lò Văn Pợ,\u00a0Bí thư Tỉnh uỷ")
    n = normalise(raw)
    i = n.text.index("Lò Văn Pợ")
    a, b = n.span(i, i + len("Lò Văn Pợ"))
    assert unicodedata.normalize("NFC", raw[a:b]) == "Lò Văn Pợ"
    j = n.text.index("Tỉnh ủy")
    a, b = n.span(j, j + len("Tỉnh ủy"))
    assert modern_tone(raw[a:b]) == "Tỉnh ủy"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_never_crashes_and_stays_idempotent(raw):
    n = normalise(raw)
    assert normalise(n.text).text == n.text
    _check_offsets(n)
    for s in sentences(n.text):
        assert n.text[s.start:s.end] == s.text


def test_fold_and_slug():
    assert fold("Tỉnh uỷ  ĐẮK LẮK") == "tinh uy dak lak"
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert slug("Lê Minh Hưng") == "le-minh-hung"


SENTENCES = [
    ("abbrev", "Ông A làm việc tại TP. Hồ Chí Minh. Sau đó về Hà Nội.", ["Ông A làm việc tại TP. Hồ Chí Minh.", "Sau đó về Hà Nội."]),
    ("dotted-date", "Chiều 22.1, hội nghị bế mạc.", ["Chiều 22.1, hội nghị bế mạc."]),
    ("lines", "Dòng một\nDòng hai", ["Dòng một", "Dòng hai"]),
    ("numbered-list", "2.1. Bám sát nghị quyết.\n2.2. Tiếp tục.", ["2.1. Bám sát nghị quyết.", "2.2. Tiếp tục."]),
]


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in SENTENCES], ids=[n for n, _, _ in SENTENCES])
def test_sentences(text, expected):
    assert [s.text for s in sentences(text)] == expected


def test_tone_and_glue_steps_match_their_plain_patterns():
    """The tone pairs as character classes and the glued-word rule that passes over small letters
    first change exactly what the plain alternation and the plain look-arounds change."""
    import random
    import re
    from kg import text as T
    plain_tone = T._resub(re.compile(r"(?<![qQ])(" + "|".join(T._TONE_OLD_NEW) + r")(?![\w\u0300-\u036f])"),
                          lambda m: T._TONE_OLD_NEW[m.group(1)])
    plain_glue = T._resub(re.compile(r"(?<=\d)(?=[^\W\d_]{2})|(?<=[^\W\d_]{3})(?=[^\W\d_]{2})"), T._unglue)
    tone = T._resub(T._TONE_RE, lambda m: T._TONE_OLD_NEW[m.group(1)])
    glue = T._resub(T._GLUED, T._unglue)
    pieces = [*T._TONE_OLD_NEW, *"aoOuUqQyY đĐ09.\u0301ǅΣσЖжⒶ", "oÀ", "Oà", "Tỉnh uỷ", "2024Xem", "hoàVăn", "ÔNG", "Sáng"]
    rnd = random.Random(3)
    for _ in range(20000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        assert tone(s) == plain_tone(s), s
        assert glue(s) == plain_glue(s), s
    assert T.normalise("Tỉnh uỷ họp.28/9/2020Sáng nay").text == "Tỉnh ủy họp.28/9/2020\nSáng nay"
