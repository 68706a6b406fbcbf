"""Legacy Vietnamese encodings: the published codes, round trips, syllable spelling, and that
decoding any bytes gives text or an InputError, never another exception."""
from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from kg import encodings as enc
from kg.errors import InputError
from kg.read import decode_as, read_sidecar, read_source

# words and their bytes as the encodings' published tables give them
CODES = [
    ("vni-viet", enc.encode_vni, "Việt", b"Vie\xe4t"),
    ("vni-nguoi", enc.encode_vni, "người", b"ng\xf6\xf4\xf8i"),
    ("vni-dang", enc.encode_vni, "Đảng", b"\xd1a\xfbng"),
    ("vni-ho", enc.encode_vni, "Hồ", b"Ho\xe0"),
    ("vni-upper", enc.encode_vni, "ỦY", b"U\xdbY"),
    ("vni-i-y", enc.encode_vni, "nghị kỵ", b"ngh\xf2 k\xee"),
    ("vni-breve", enc.encode_vni, "Bắc", b"Ba\xe9c"),
    ("tcvn3-cac", enc.encode_tcvn3, "các", b"c\xb8c"),
    ("tcvn3-dang", enc.encode_tcvn3, "Đảng", b"\xa7\xb6ng"),
    ("tcvn3-viet", enc.encode_tcvn3, "Việt", b"Vi\xd6t"),
    ("tcvn3-uoi", enc.encode_tcvn3, "người", b"ng\xad\xeai"),
    ("cp1258-viet", enc.encode_cp1258, "Việt", b"Vi\xea\xf2t"),
    ("cp1258-precomposed", enc.encode_cp1258, "cá", b"c\xe1"),
    ("cp1258-horn", enc.encode_cp1258, "Ượ", b"\xdd\xf5\xf2"),
]


@pytest.mark.parametrize("encode,text,raw", [c[1:] for c in CODES], ids=[c[0] for c in CODES])
def test_published_codes(encode, text, raw):
    assert encode(text) == raw
    decoder = {enc.encode_vni: enc.decode_vni, enc.encode_tcvn3: enc.decode_tcvn3,
               enc.encode_cp1258: enc.decode_cp1258}[encode]
    assert decoder(raw) == text


def test_tcvn3_capitals_with_tones_decode_but_are_not_written():
    assert enc.decode_tcvn3(b"\xc4n \xa7\xe9") == "Ấn Độ"  # 0xC4: VN1 capital Ấ
    with pytest.raises(ValueError, match="no code in TCVN3"):
        enc.encode_tcvn3("Ấn")


def test_tcvn3_reads_windows_quotes():
    assert enc.decode_tcvn3(b"\x93c\xb8c\x94") == "“các”"


SYLLABLES = [
    ("nguoi", "người", True), ("nghieng", "nghiêng", True), ("khuyu", "khuỷu", True),
    ("quyet", "quyết", True), ("giua", "giữa", True), ("dak", "Đắk", True), ("upper", "HUYỆN", True),
    ("vni-raw", "Vieät", False), ("tcvn-as-1258", "ViÖt", False), ("two-tones", "ngưởì", False),
    ("french", "café", False), ("no-vowel", "đc", False), ("symbol-inside", "c¸c", False),
]


@pytest.mark.parametrize("word,valid", [s[1:] for s in SYLLABLES], ids=[s[0] for s in SYLLABLES])
def test_is_syllable(word, valid):
    assert enc.is_syllable(word) is valid


VIET_LETTERS = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
TEXT = st.text(st.sampled_from(VIET_LETTERS + VIET_LETTERS.upper() + " .,;:!?()-0123456789\n\"'"), max_size=80)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_round_trip(text):
    nfc = unicodedata.normalize("NFC", text)
    assert enc.decode_vni(enc.encode_vni(text)) == nfc
    assert enc.decode_cp1258(enc.encode_cp1258(text)) == nfc
    lower = text.lower()
    assert enc.decode_tcvn3(enc.encode_tcvn3(lower)) == unicodedata.normalize("NFC", lower)


BYTES = st.one_of(st.binary(max_size=300), TEXT.map(enc.encode_vni), TEXT.map(enc.encode_cp1258),
                  TEXT.map(lambda t: enc.encode_vni(t).decode("cp1252").encode("utf-8")),
                  st.text(max_size=100).map(lambda t: t.encode("utf-16-le")))


@settings(max_examples=200, deadline=None)
@given(BYTES)
def test_any_bytes_decode_or_refuse(tmp_path_factory, raw):
    for _, decoder in enc.DECODERS:
        text = decoder(raw)
        assert text is None or isinstance(text, str)
    path = tmp_path_factory.mktemp("src") / "x.txt"
    path.write_bytes(raw)
    try:
        source = read_source(path)
    except InputError as err:
        assert err.path == str(path) and err.problem
    else:
        assert source.text.strip() and decode_as(raw, path)[1]


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=80), st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
                 st.dictionaries(st.sampled_from(["title", "published", "url", "province"]),
                                 st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=4)
                 .map(json.dumps)))
def test_any_sidecar_reads_or_refuses(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("side") / "x.meta.json"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    try:
        read_sidecar(path)
    except InputError as err:
        assert err.path == str(path)


def test_deeply_nested_sidecar(tmp_path):
    path = tmp_path / "x.meta.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="sidecar"):
        read_sidecar(path)
