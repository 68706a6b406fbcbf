"""Legacy Vietnamese encodings: decode them, encode them, and tell which one a file is in.

Before Unicode, Vietnamese was typed in one of three byte encodings still met in archives:

- **Windows-1258** (cp1258): some precomposed letters and five combining tone marks; Python
  has the codec, and the result needs NFC.
- **TCVN3 (ABC)**, TCVN 5712:1993: one byte a letter. VN3, the table fonts such as .VnTime
  use, puts the lower-case toned letters and Ă Â Ê Ô Ơ Ư Đ in 0xA1–0xFE; the full standard
  (VN1) adds capitals with tones in the gaps of that range, which are decoded too. Bytes
  0x80–0x9F are read as Windows-1252 (quotes, dashes), the code page the files were typed in.
- **VNI-Windows**: Windows-1252 bytes in which a vowel is followed by a separate byte for its
  marks ("Vieät" = Việt); ơ ư đ, the toned i and ỵ are single bytes.

Each ``decode_*`` returns NFC text, or None when the bytes cannot be in that encoding.
:func:`guess` decodes with each and keeps a result only when it is convincingly Vietnamese:
it scores each result by the share of its words that are valid Vietnamese syllables, counting
only words with a letter outside ASCII (the only words in which the decoders differ). It does
not try UTF-8 or UTF-16 (:mod:`kg.read.text` does, first). ``encode_*`` are the inverses, used to
make test files; they raise ValueError on a character the encoding cannot hold.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
MIN_WORDS = 3  # fewer non-ASCII words than this cannot tell the encodings apart
MIN_SHARE = 0.9  # share of valid syllables a decoding needs to be accepted …
MARGIN = 0.2  # … and by how much it must beat every other decoding
SAMPLE_CHARS = 200_000
SAMPLE_BYTES = 256 * 1024  # what the candidates are scored on

# --- TCVN3 (TCVN 5712:1993), bytes 0xA1-0xFF ------------------------------------------
_TCVN_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"  # A1-AF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # B0-BF (B0-B4: VN1 combining tones)
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # C0-CF
    "éẹềểễếệìỉỄẾỒĩíịò"  # D0-DF
    "Ổỏõóọồổỗốộờởỡớợù"  # E0-EF
    "Ỗủũúụừửữứựỳỷỹýỵ" "Ố"  # F0-FF
)
assert len(_TCVN_HIGH) == 0xFF - 0xA1 + 1
_TCVN_DECODE = {0xA1 + i: c for i, c in enumerate(_TCVN_HIGH)}  # byte → character
# VN3 proper: what the encoder writes (no capitals with tones, no separate tone marks)
_TCVN_ENCODE = {c: b for b, c in _TCVN_DECODE.items()
                if c.islower() or c in "ĂÂÊÔƠƯĐ"}

# --- VNI-Windows ---------------------------------------------------------------------
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_LETTERS.update({k.upper(): v.upper() for k, v in list(_VNI_LETTERS.items())})
_VNI_MARKS = {  # mark byte (lower case) → (modifier, tone) it stands for
    "ù": ("", "\u0301"), "ø": ("", "\u0300"), "û": ("", "\u0309"), "õ": ("", "\u0303"), "ï": ("", "\u0323"),
    "â": ("\u0302", ""), "á": ("\u0302", "\u0301"), "à": ("\u0302", "\u0300"), "å": ("\u0302", "\u0309"),
    "ã": ("\u0302", "\u0303"), "ä": ("\u0302", "\u0323"),
    "ê": ("\u0306", ""), "é": ("\u0306", "\u0301"), "è": ("\u0306", "\u0300"), "ú": ("\u0306", "\u0309"),
    "ü": ("\u0306", "\u0303"), "ë": ("\u0306", "\u0323"),
}
_VNI_BYTE_FOR = {v: k for k, v in _VNI_MARKS.items()}
_VNI_LETTER_BYTE = {v: k for k, v in _VNI_LETTERS.items()}
# a mark byte becomes combining marks wherever it stands: in VNI text it only follows a vowel,
# and in text that is not VNI a stray mark spoils the word, as it should for the score
_VNI_TABLE = str.maketrans({**_VNI_LETTERS, **{m: "".join(v) for m, v in _VNI_MARKS.items()},
                            **{m.upper(): "".join(v) for m, v in _VNI_MARKS.items()}})


def decode_cp1258(raw: bytes) -> str | None:
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1258"))
    except UnicodeDecodeError:
        return None


def decode_tcvn3(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")  # 0x00-0x7F ASCII, 0x80-0x9F Windows punctuation
    except UnicodeDecodeError:
        return None
    return unicodedata.normalize("NFC", text.translate(_TCVN_DECODE))  # cp1252 kept A1-FF as U+00A1-U+00FF


def decode_vni(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return unicodedata.normalize("NFC", text.translate(_VNI_TABLE))


def encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        base, tone = _split_tone(ch)
        for attempt in (ch, base + tone):
            try:
                out += attempt.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(f"{ch!r} has no code in Windows-1258")
    return bytes(out)


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN_ENCODE:
            out.append(_TCVN_ENCODE[ch])
        elif ord(ch) < 0x80 or _cp1252_punct(ch):
            out += ch.encode("cp1252")
        else:
            raise ValueError(f"{ch!r} has no code in TCVN3 (VN3 has no capitals with tone marks)")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    return "".join(_vni_char(ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


def _vni_char(ch: str) -> str:
    if ord(ch) < 0x80 or _cp1252_punct(ch):
        return ch
    if ch in _VNI_LETTER_BYTE:
        return _VNI_LETTER_BYTE[ch]
    base, tone = _split_tone(ch)
    if base in _VNI_LETTER_BYTE:  # ơ ư (and i, y) with a tone: letter byte, then the tone byte
        return _VNI_LETTER_BYTE[base] + _case(_VNI_BYTE_FOR[("", tone)], base)
    nfd = unicodedata.normalize("NFD", base)
    key = (nfd[1:], tone)
    if nfd[0].lower() not in "aeiouy" or key not in _VNI_BYTE_FOR:
        raise ValueError(f"{ch!r} has no code in VNI-Windows")
    return nfd[0] + _case(_VNI_BYTE_FOR[key], nfd[0])


def _case(mark: str, base: str) -> str:
    return mark.upper() if base.isupper() else mark


def _cp1252_punct(ch: str) -> bool:
    """A Windows-1252 character that is no letter (quotes, dashes, ©): kept as it is."""
    try:
        code = ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return False
    return 0x80 <= code <= 0xBF and not ch.isalpha()


def _split_tone(ch: str) -> tuple[str, str]:
    """A letter without its tone mark (NFC), and the tone mark."""
    nfd = unicodedata.normalize("NFD", ch)
    return (unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES)),
            "".join(c for c in nfd if c in TONES))


# --- Vietnamese syllables ------------------------------------------------------------
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu uơ oa oă oe oo uâ uê uy iê yê uô ươ "
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu"
).split()
_CODA = "ch|ng|nh|[cmnptk]"  # k: Đắk Lắk and other highland names
_SYLLABLE = re.compile(f"(?:{_ONSET})?(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})(?:{_CODA})?")
_WORD_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORD_BREAK = re.compile(r"[\s\-‐–—/]+")


def is_syllable(word: str) -> bool:
    """Whether `word` is spelled as one Vietnamese syllable (onset, vowels, coda, ≤ 1 tone)."""
    base, tone = _split_word(word.lower())
    return len(tone) <= 1 and _SYLLABLE.fullmatch(base) is not None


def _split_word(word: str) -> tuple[str, str]:
    nfd = unicodedata.normalize("NFD", word)
    return (unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES)),
            "".join(c for c in nfd if c in TONES))


@dataclass(frozen=True)
class Candidate:
    """One legacy encoding tried: its name, the text (None: impossible bytes) and its score."""

    name: str
    text: str | None
    valid: int = 0
    words: int = 0

    @property
    def share(self) -> float:
        return self.valid / self.words if self.words else 0.0

    def describe(self) -> str:
        if self.text is None:
            return f"{self.name}: bytes it does not define"
        return f"{self.name}: {self.valid} of {self.words} non-ASCII words valid ({self.share:.0%})"


def score(text: str) -> tuple[int, int]:
    """(valid syllables, words) over the words of `text` that have a non-ASCII character."""
    valid = words = 0
    for token in _WORD_BREAK.split(text[:SAMPLE_CHARS]):
        word = _WORD_EDGES.sub("", token)
        if word and not word.isascii():
            words += 1
            valid += is_syllable(word)
    return valid, words


DECODERS: tuple[tuple[str, Callable[[bytes], str | None]], ...] = (
    ("Windows-1258", decode_cp1258),
    ("TCVN3 (ABC)", decode_tcvn3),
    ("VNI-Windows", decode_vni),
)
ENCODERS: dict[str, Callable[[str], bytes]] = {
    "Windows-1258": encode_cp1258, "TCVN3 (ABC)": encode_tcvn3, "VNI-Windows": encode_vni,
}


def candidates(raw: bytes) -> tuple[Candidate, ...]:
    """Every legacy decoding of `raw`, scored."""
    out = []
    for name, decoder in DECODERS:
        text = decoder(raw)
        out.append(Candidate(name, text, *score(text)) if text is not None else Candidate(name, None))
    return tuple(out)


def guess(raw: bytes) -> tuple[Candidate | None, tuple[Candidate, ...]]:
    """The convincing legacy decoding of `raw` (or None) and every candidate tried. The
    candidates are scored on the first SAMPLE_BYTES (cut at a line end); the winner then
    decodes the whole file, and loses if a byte further on is one its encoding lacks."""
    sample = raw if len(raw) <= SAMPLE_BYTES else raw[: raw.rfind(b"\n", 0, SAMPLE_BYTES) + 1 or SAMPLE_BYTES]
    tried = candidates(sample)
    if doubt(tried):
        return None, tried
    best = _ranked(tried)[0]
    text = best.text if sample is raw else dict(DECODERS)[best.name](raw)
    if text is None:
        return None, tuple(Candidate(c.name, None) if c is best else c for c in tried)
    return Candidate(best.name, text, best.valid, best.words), tried


_VIETNAMESE_LETTER = re.compile("[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0]")


def reinterpret(text: str) -> Candidate | None:
    """Legacy-encoded Vietnamese stored as UTF-8 ("Vieät Nam": VNI bytes read as Windows-1252
    and saved as UTF-8, as happens when text in a VNI or TCVN3 font is pasted), converted when
    that is convincing; None for everything else. Only text with none of the letters proper to
    Vietnamese (ạ ă đ ơ ư …) and mostly misspelled non-ASCII words is looked at again."""
    sample = text[:SAMPLE_CHARS]
    if sample.isascii() or _VIETNAMESE_LETTER.search(sample):
        return None
    valid, words = score(sample)
    if words < MIN_WORDS or valid / words >= 0.5:
        return None
    for codepage in ("cp1252", "latin-1"):
        try:
            raw = text.encode(codepage)
        except UnicodeEncodeError:
            continue
        best, _ = guess(raw)
        return best
    return None


def doubt(tried: tuple[Candidate, ...]) -> str:
    """Why none of the candidates convinces ("" when the best one does)."""
    best, *rest = _ranked(tried)
    if best.text is None:
        return "no legacy encoding defines all its bytes"
    if best.share < MIN_SHARE:
        return f"no decoding has {MIN_SHARE:.0%} of its non-ASCII words spelled as Vietnamese syllables"
    if best.words < MIN_WORDS:
        return f"too few non-ASCII words ({best.words}, fewer than {MIN_WORDS}) to tell the encodings apart"
    close = [c.name for c in rest if c.share > best.share - MARGIN]
    return f"{best.name} and {', '.join(close)} read about as well" if close else ""


def _ranked(tried: tuple[Candidate, ...]) -> list[Candidate]:
    return sorted(tried, key=lambda c: (c.text is not None, c.share, c.words), reverse=True)
