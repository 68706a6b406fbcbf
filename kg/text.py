"""Normalise Vietnamese text once, at the door, keeping a map back to the original.

Takes a decoded source text; returns a :class:`Normalised` whose ``text`` is NFC, with modern
tone placement ("Tỉnh uỷ" → "Tỉnh ủy"), look-alike letters fixed, spaces and NBSP folded,
Markdown emphasis, footnote marks, page furniture and photo credits removed, and glued
datelines ("28/9/2020Sáng nay") split. For every character of the result it keeps the
``[start, end)`` range of the original text it came from, so evidence offsets always point
into the file as it is on disk. It does not split sentences (:func:`sentences` does) nor
decode bytes (:mod:`kg.read` does).

``normalise(normalise(s).text).text == normalise(s).text`` holds for every string.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

# old tone placement (on the second vowel of a final oa/oe/uy) → modern (on the first)
_TONE_OLD_NEW = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_OLD_NEW.update({k.upper(): v.upper() for k, v in list(_TONE_OLD_NEW.items())})
_TONE_OLD_NEW.update({k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_TONE_OLD_NEW.items()) if k.islower()})
# only where the pair ends the syllable, and "qu" + y is a consonant + vowel ("quý" stays); the pairs
# as one character class per first letter ("o[àáảãạèéẻẽẹ]"): two letters each, so the same matches as
# their alternation, without trying every pair at every place; the pair first, so that the engine
# goes from one of its first letters to the next (not "q" before it: a look-behind over the pair)
_TONE_RE = re.compile(r"(" + "|".join(
    f"{first}[{''.join(k[1] for k in _TONE_OLD_NEW if k[0] == first)}]" for first in dict.fromkeys(k[0] for k in _TONE_OLD_NEW))
    + r")(?<![qQ]..)(?![\w\u0300-\u036f])")

_LOOKALIKE = str.maketrans({
    "\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ",  # eth / African D used for Đ đ
    "\u01ce": "ă", "\u01cd": "Ă",  # caron used for breve
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n",
})
_DROP_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\r¹²³⁴⁵⁶⁷⁸⁹⁰\x00-\x08\x0e-\x1f]")
# Markdown emphasis: "**" between two words stood for a break ("KẾT LUẬN**CỦA"); elsewhere it goes
_GLUED_STARS = re.compile(r"(?<=[^\W_])\*+(?=[^\W_])")
_STARS = re.compile(r"\*+")
_MARK = re.compile(r"[\u0300-\u036f\u0323]")  # what `_COMBINING` needs one of
# Markdown heading marks ("## thực hiện …") and horizontal rules ("-----")
_MARKDOWN_LINES = re.compile(r"^[ \t]*#{1,6}[ \t]+|^[ \t]*(?:-{3,}|={3,}|_{3,})[ \t]*$", re.MULTILINE)
_COMBINING = re.compile(r"[^\u0300-\u036f\u0323][\u0300-\u036f\u0323]+")

# whole lines that are page furniture, not content
_FURNITURE = re.compile(
    r"^[ \t]*(?:phản hồi|các tin khác|tin khác|mới nhất|xem nhiều nhất|đọc nhiều nhất|tin liên quan|"
    r"bài liên quan|chia sẻ|bình luận|in bài|gửi bài|lưu bài|quay lại|về đầu trang|"
    r"leftcenterrightdel|(?:tags?|từ khóa|từ khoá)\s*:.*|>>>?.*|mời bạn đọc .*|"
    r"\(?xem (?:thêm|bài|tiếp).*|theo dõi .* trên .*)[ \t]*$\n?",
    re.IGNORECASE | re.MULTILINE,
)
# "… tại hội nghị. Ảnh: Báo Nam Định" — the credit, not the caption
_PHOTO_CREDIT = re.compile(r"(?:(?<=[.!?|])|(?<=^))[ \t]*(?:\(?(?:ảnh|bài và ảnh|bài, ảnh|bài - ảnh|nguồn)\s*:[^\n]*)$",
                           re.IGNORECASE | re.MULTILINE)
_CREDITED = re.compile(r"(?:ảnh|nguồn)\s*:", re.IGNORECASE)  # what every credit line holds
# "28/9/2020Sáng nay", "Hải PhòngÔng" — a dateline glued to the first word
# (a break goes only before a capital: a small letter, the most of a text's places, is passed over
# before the look-behinds are tried and :func:`_unglue` is called)
_SMALL = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x2000)) if c.islower())
_GLUED = re.compile(rf"(?![{_SMALL}])(?:(?<=\d)|(?<=[^\W\d_]{{3}}))(?=[^\W\d_]{{2}})")
_EDGE_SPACES = re.compile(r" +(?=\n)|(?<=\n) +|^ +| +$")
# a line broken inside a sentence, as copies of legal texts wrap them ("Quyết định số 919/QĐ-TTg\n
# ngày 01 tháng 8 năm 2022 của …"): the next line goes on in lower case, or with a number that is
# not a list item's
_WRAPPED = re.compile(r"\n(?<=[^\s.;:!?|]\n)(?=[^\W_]|\()")  # the break first: the engine looks for "\n" only
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")

# what one step changed: (start, end, length) — the step's input `[start:end]` became `length`
# characters; everything between edits is copied as it is
Edits = list[tuple[int, int, int]]


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the original range it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of ``text[start:end]``."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        if end <= start:
            return (self.starts[start], self.starts[start])
        return (self.starts[start], self.ends[min(end, len(self.text)) - 1])


@lru_cache(maxsize=4)  # reading checks a source has text left once normalised; extraction then normalises it
def normalise(original: str) -> Normalised:
    """Normalise `original` (a decoded source text) keeping the offset map."""
    text = original
    starts = list(range(len(text)))
    ends = [i + 1 for i in starts]
    for step in _STEPS:
        text, edits = step(text)
        if edits:
            starts, ends = _compose(starts, ends, edits)
    return Normalised(original, text, tuple(starts), tuple(ends))


def _compose(starts: list[int], ends: list[int], edits: Edits) -> tuple[list[int], list[int]]:
    """The offset maps after a step's `edits`: unchanged runs copied as slices; an edited span
    of the same length character by character; any other maps each of its characters to the
    whole original span (an insertion to the point it was made at)."""
    n = len(starts)
    tail = ends[-1] if ends else 0
    new_s, new_e = [], []
    pos = 0
    for a, b, length in edits:
        new_s += starts[pos:a]
        new_e += ends[pos:a]
        if length == b - a:
            new_s += starts[a:b]
            new_e += ends[a:b]
        elif b > a:
            new_s += [starts[a]] * length
            new_e += [ends[b - 1]] * length
        else:
            at = starts[a] if a < n else tail
            new_s += [at] * length
            new_e += [at] * length
        pos = b
    new_s += starts[pos:]
    new_e += ends[pos:]
    return new_s, new_e


def _resub(pattern: re.Pattern, repl: Callable[[re.Match], str]) -> Callable[[str], tuple[str, Edits]]:
    """A regex substitution that also reports what it changed (no edit where a match is
    replaced by itself)."""

    def step(text: str) -> tuple[str, Edits]:
        out: list[str] = []
        edits: Edits = []
        pos = 0
        for m in pattern.finditer(text):
            new = repl(m)
            if new == m.group():
                continue
            out.append(text[pos:m.start()])
            out.append(new)
            edits.append((m.start(), m.end(), len(new)))
            pos = m.end()
        if not edits:
            return text, edits
        out.append(text[pos:])
        return "".join(out), edits

    return step


_LOOKALIKES = re.compile("[" + "".join(map(re.escape, map(chr, _LOOKALIKE))) + "]")


def _translate(text: str) -> tuple[str, Edits]:
    if _LOOKALIKES.search(text) is None:  # most texts: translating looks each character up
        return text, []
    return text.translate(_LOOKALIKE), []  # one character for one: the offsets stay


def _rewrap(m: re.Match) -> str:
    """The line break of a wrapped sentence becomes a space."""
    rest = m.string[m.end():m.end() + 12]
    if _SIGNED.match(rest):  # "(Đã ký)" under a signature block's title stands on its own line
        return "\n"
    if rest[:1].islower() or rest[:1] == "(" or (rest[:1].isdigit() and not re.match(r"\d+[.)]", rest[:3])):
        return " "
    return "\n"


_SIGNED = re.compile(r"\(\s*(?:đã\s+)?ký\b", re.IGNORECASE)


def _unglue(m: re.Match) -> str:
    """A break where a lower-case word or a date runs into a capitalised word."""
    text, at = m.string, m.start()
    if not (text[at].isupper() and text[at + 1].islower()):
        return ""
    if text[at - 1].isdigit():
        return "\n"
    return " " if text[at - 3:at].islower() else ""


def _when(needed: Callable[[str], bool], step: Callable[[str], tuple[str, Edits]]) -> Callable[[str], tuple[str, Edits]]:
    """`step`, tried only on a text where `needed` finds what every one of its edits needs (a
    scan at C speed, where the step's pattern would be tried at every character)."""
    return lambda text: step(text) if needed(text) else (text, [])


def _strip(text: str) -> tuple[str, Edits]:
    """What `\\A\\s+|\\s+\\Z` removes: the white space at either end (str.strip's white space is
    the engine's \\s)."""
    head = len(text) - len(text.lstrip())
    if head == len(text):
        return ("", [(0, head, 0)]) if head else (text, [])
    tail = len(text) - len(text.rstrip())
    edits = ([(0, head, 0)] if head else []) + ([(len(text) - tail, len(text), 0)] if tail else [])
    return (text[head:len(text) - tail], edits) if edits else (text, edits)


def _edge_spaced(text: str) -> bool:
    """Whether `_EDGE_SPACES` can match: a space beside a line break, or at either end."""
    return " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " "


_COMPOSE = _when(lambda text: _MARK.search(text) is not None,
                 _resub(_COMBINING, lambda m: unicodedata.normalize("NFC", m.group())))

_STEPS: tuple[Callable[[str], tuple[str, Edits]], ...] = (
    _resub(re.compile(r"\r\n?"), lambda m: "\n"),
    _COMPOSE,
    _translate,
    _resub(_DROP_CHARS, lambda m: ""),
    _when(lambda text: "*" in text, _resub(_GLUED_STARS, lambda m: " ")),
    _when(lambda text: "*" in text, _resub(_STARS, lambda m: "")),
    _resub(_MARKDOWN_LINES, lambda m: ""),
    _COMPOSE,  # again: the removals above can bring a letter and its mark together
    _resub(_GLUED, _unglue),  # before furniture: "2024Xem nhiều nhất" is a furniture line once split
    _resub(_TONE_RE, lambda m: _TONE_OLD_NEW[m.group(1)]),  # after ungluing: "hoàVăn" → "hoà Văn" ends a syllable
    _resub(_FURNITURE, lambda m: ""),
    _when(lambda text: _CREDITED.search(text) is not None, _resub(_PHOTO_CREDIT, lambda m: "")),
    _when(_edge_spaced, _resub(_EDGE_SPACES, lambda m: "")),
    _resub(_WRAPPED, _rewrap),
    _resub(_SPACE_RUN, lambda m: " "),
    _resub(_BLANK_LINES, lambda m: "\n\n"),
    _strip,  # the white space at either end
)


def modern_tone(text: str) -> str:
    """NFC with modern tone placement; no other change."""
    return _TONE_RE.sub(lambda m: _TONE_OLD_NEW[m.group(1)], unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1 << 16)  # a pure function of names and phrases that recur across sentences
def fold(text: str) -> str:
    """A search key: NFC, modern tone, casefolded, diacritics removed, đ → d, spaces folded."""
    t = modern_tone(text).casefold().replace("đ", "d")
    t = "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
    return " ".join(t.split())


def slug(text: str) -> str:
    """An ASCII slug for IRIs: folded, non-alphanumerics to single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# --- sentences -----------------------------------------------------------------------

_ABBREV = ("TP", "Tp", "PGS", "GS", "TS", "ThS", "BS", "KS", "NXB", "St", "Th", "Mr", "Ms", "Dr", "Q", "P", "TX")
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-ZĐÀ-ỸĂÂÊÔƠƯ0-9])|\n+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the normalised text: its text and its ``[start, end)`` there."""

    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Sentence]:
    """Split normalised text into sentences: at line breaks, and after . ! ? … before a capital,
    except after abbreviations ("TP. Hồ Chí Minh") and list numbers ("2.1. Bám sát")."""
    pos = 0
    for m in _SENT_END.finditer(text):
        if "\n" not in m.group() and _is_abbreviation(text, m.start()):
            continue
        yield from _emit(text, pos, m.start())
        pos = m.end()
    yield from _emit(text, pos, len(text))


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"(\S+)[.]$", text[max(0, dot - 12):dot])
    if not word:
        return False
    w = word.group(1)
    return w in _ABBREV or bool(re.fullmatch(r"\d+(?:\.\d+)*", w)) and _line_start(text, dot - len(w) - 1)


def _line_start(text: str, at: int) -> bool:
    return at <= 0 or text[at - 1] == "\n"


def _emit(text: str, start: int, end: int) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Sentence(start, end, text[start:end])
