"""Rebuild the reading order of a PDF's text from the position of each line on its pages.

Takes the pages as :class:`Page` records holding positioned :class:`Segment` records (points
from the page's top left, as :mod:`kg.read.pdf` reads them with pdfminer.six); returns
(:func:`lay_out`) the text the project keeps for a document, a note for each kind of thing
left out or joined, and the address a browser printed in the page footer. The text has the
letterhead row by row (left cell, several spaces, right cell: "Số 908-TB/TU      Bến Tre, ngày …"),
one paragraph a line with a blank line between, lines broken inside a paragraph joined back (a
word hyphenated across lines too: :func:`join_lines`), a run of centred heading lines and the
signature block's two columns kept as lines, and page numbers, a browser's print date and
address, and headers and footers that recur on other pages left out.

A text layer says where each line stands, not which line comes next nor where a paragraph
ends: that is told here from the margins, the usual step from line to line and the font size.
Plain records in, text out, no pdfminer: the layout can be tested with positions written by hand.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from .printed import COLUMN_GAP


@dataclass(frozen=True)
class Segment:
    """A run of text on one line with no wide gap inside, in points from the page's top left."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float


@dataclass(frozen=True)
class Row:
    """Segments side by side on one line of one page, left to right."""

    page: int
    cells: tuple[Segment, ...]  # joined where the gap between them is narrow

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def x0(self) -> float:
        return self.cells[0].x0

    @property
    def x1(self) -> float:
        return self.cells[-1].x1

    @property
    def size(self) -> float:
        return max(c.size for c in self.cells)

    @property
    def text(self) -> str:
        return COLUMN_GAP.join(c.text for c in self.cells)


@dataclass(frozen=True)
class Page:
    """One page: its size in points and its lines of text, as positioned segments."""

    width: float
    height: float
    segments: tuple[Segment, ...]


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$",
                          re.IGNORECASE)
_PRINTED = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?: ?[AP]M)?\b")  # a browser's print date
_URL = re.compile(r"https?://[^\s<>\"]+")
_DATE_LINE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
_SIGNING = re.compile(r"^(?:T/M|TM\.|T\.M\.|KT\.?|K/T|TUQ\.?|TL\.|Q\.|THAY MẶT|Nơi nhận|NƠI NHẬN)")
_LIST_ITEM = re.compile(r"^(?:[-–•+]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|[IVXLC]+\.\s)")
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}"
                       r"(?:ch|ng|nh|[cmnpt])?")


def lay_out(pages: list[Page]) -> tuple[str, tuple[str, ...], str | None]:
    """The text of the pages, a note for each kind of thing left out or joined, and the address a
    browser printed in the page footer."""
    rows = [_rows(n, p.segments) for n, p in enumerate(pages)]
    rows, dropped, url = _drop_furniture(rows, pages)
    flat = [r for page in rows for r in page]
    head = _letterhead(flat)
    blocks = [[r.text for r in head]] if head else []
    body, joined = _body(flat[len(head):])
    notes = (f"left out {dropped} page header, footer or number line(s)",) if dropped else ()
    notes += (f"joined {joined} word(s) hyphenated across lines",) if joined else ()
    return "\n\n".join("\n".join(b) for b in blocks + body if b), notes, url


def _rows(page: int, segments: tuple[Segment, ...]) -> list[Row]:
    """Segments grouped into lines by their vertical overlap, cells split at wide gaps."""
    groups: list[list[Segment]] = []
    for s in sorted(segments, key=lambda s: (s.top, s.x0)):
        last = groups[-1] if groups else None
        if last and (s.top + s.bottom) / 2 < max(x.bottom for x in last):
            last.append(s)
        else:
            groups.append([s])
    return [Row(page, _cells(sorted(g, key=lambda s: s.x0))) for g in groups]


def _cells(segments: list[Segment]) -> tuple[Segment, ...]:
    cells = [segments[0]]
    for s in segments[1:]:
        c = cells[-1]
        if s.x0 - c.x1 < 3 * max(c.size, s.size):
            cells[-1] = Segment(c.x0, max(c.x1, s.x1), min(c.top, s.top), max(c.bottom, s.bottom),
                                f"{c.text} {s.text}", max(c.size, s.size))
        else:
            cells.append(s)
    return tuple(cells)


def _drop_furniture(rows: list[list[Row]], pages: list[Page]) -> tuple[list[list[Row]], int, str | None]:
    """Page numbers, a browser's print date and address, and lines at a page's top or foot that
    recur on other pages; and the first address printed."""
    def edge(r: Row, page: list[Row], h: float) -> bool:
        return (r in page[:2] and r.top < 0.15 * h) or (r in page[-2:] and r.top > 0.8 * h)

    seen: dict[str, set[int]] = {}
    for n, page in enumerate(rows):
        for r in page:
            if edge(r, page, pages[n].height):
                seen.setdefault(re.sub(r"\d+", "#", r.text.lower()), set()).add(n)
    running = {k for k, on in seen.items() if len(on) >= 2 and len(on) >= (len(rows) - 1) / 2}
    kept, dropped = [], 0
    for n, page in enumerate(rows):
        keep = [r for r in page if not (edge(r, page, pages[n].height) and (
            _PAGE_NUMBER.match(r.text) or _PRINTED.match(r.text) or _URL.search(r.text)
            or re.sub(r"\d+", "#", r.text.lower()) in running))]
        dropped += len(page) - len(keep)
        kept.append(keep)
    urls = (_URL.search(r.text) for n, page in enumerate(rows) for r in page if edge(r, page, pages[n].height))
    return kept, dropped, next((m.group() for m in urls if m), None)


def _letterhead(rows: list[Row]) -> list[Row]:
    """The first page's rows down to the one with the place and date, when a letterhead has one."""
    first = [r for r in rows[:12] if r.page == rows[0].page] if rows else []
    for n, r in enumerate(first):
        if _DATE_LINE.search(r.text):
            n += n + 1 < len(first) and first[n + 1].text.startswith(("Số", "SỐ"))
            return first[: n + 1] if any(len(x.cells) > 1 for x in first[: n + 1]) else []
    return []


def _body(rows: list[Row]) -> tuple[list[list[str]], int]:
    """Paragraph blocks, and each signature block's two columns; and how many hyphens were dropped."""
    for n, r in enumerate(rows):
        if len(r.cells) > 1 and any(_SIGNING.match(c.text) for x in rows[n:n + 5] for c in x.cells):
            foot = [x for x in rows[n:] if x.page == r.page]
            before, dropped = _paragraphs(rows[:n])
            after, more = _body(rows[n + len(foot):])
            return before + _foot(foot) + after, dropped + more
    return _paragraphs(rows)


def _foot(rows: list[Row]) -> list[list[str]]:
    """A signature block beside the recipients: the left column's lines, then the right's; a line
    going on in lower case is the one before it, wrapped."""
    two = [r for r in rows if len(r.cells) > 1]
    middle = (max(r.cells[0].x1 for r in two) + min(r.cells[-1].x0 for r in two)) / 2
    left: list[str] = []
    right: list[str] = []
    for r in rows:
        for c in r.cells:
            side = right if (c.x0 + c.x1) / 2 > middle and c.x0 > middle - 4 * c.size else left
            if side and c.text[:1].islower():
                side[-1] = join_lines(side[-1], c.text)
            else:
                side.append(c.text)
    return [left, right]


def _paragraphs(rows: list[Row]) -> tuple[list[list[str]], int]:
    """Lines joined into paragraphs, a run of centred lines (a heading) kept as a block of lines;
    and how many hyphens were dropped where lines were joined."""
    if not rows:
        return [], 0
    m = _Margins.of(rows)
    blocks: list[list[str]] = [[rows[0].text]]
    dropped = 0
    for a, b in zip(rows, rows[1:]):
        heading = m.centred(a) and m.centred(b) and not m.gap(a, b)
        # a centred line wrapped: the last line is centred on its own, and goes on in lower case
        wrapped = (heading or (m.centred(b) and b.text[:1].islower() and not m.gap(a, b))) and m.wrapped(a, b)
        if len(a.cells) > 1 or len(b.cells) > 1 or (m.breaks(a, b) and not wrapped):
            if heading:
                blocks[-1].append(b.text)
            else:
                blocks.append([b.text])
        else:
            joined = join_lines(blocks[-1][-1], b.text)
            dropped += len(joined) < len(blocks[-1][-1]) + len(b.text)
            blocks[-1][-1] = joined
    return blocks, dropped


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float
    em: float
    pitch: dict[float, float]  # the usual step from one line to the next, by font size

    @classmethod
    def of(cls, rows: list[Row]) -> _Margins:
        em = statistics.median(r.size for r in rows)
        steps: dict[float, list[float]] = {}
        for a, b in zip(rows, rows[1:]):
            if a.page == b.page and round(a.size) == round(b.size) and 0 < b.top - a.top < 3 * a.size:
                steps.setdefault(round(a.size), []).append(b.top - a.top)
        x0s, x1s = sorted(r.x0 for r in rows), sorted(r.x1 for r in rows)
        return cls(x0s[len(x0s) // 10], x1s[len(x1s) * 9 // 10], em,
                   {size: statistics.median(s) for size, s in steps.items()})

    def gap(self, a: Row, b: Row) -> bool:
        """Whether more space than a line's stands between `a` and `b` (never across a page break)."""
        return a.page == b.page and b.top - a.top > 1.45 * self.pitch.get(round(a.size), 1.25 * a.size)

    def centred(self, r: Row) -> bool:
        """Whether `r` stands clear of both margins by about as much on either side."""
        inset_left, inset_right = r.x0 - self.left, self.right - r.x1
        return (min(inset_left, inset_right) > 0.8 * self.em
                and abs(inset_left - inset_right) < max(1.5 * self.em, 0.1 * (self.right - self.left)))

    def short(self, a: Row, b: Row) -> bool:
        """Whether `a` ends before the margin with room for `b`'s first word: it ended a paragraph."""
        return a.x1 + _first_word(b) + 0.5 * self.em < self.right or a.x1 < self.right - 8 * self.em

    def wrapped(self, a: Row, b: Row) -> bool:
        """Whether centred line `a` is too wide to have taken `b`'s first word: one line, wrapped."""
        return a.x1 - a.x0 + _first_word(b) + 0.5 * self.em > self.right - self.left

    def breaks(self, a: Row, b: Row) -> bool:
        """Whether line `b` starts a new paragraph after line `a`."""
        return (self.gap(a, b) or abs(a.size - b.size) > 0.8 or self.short(a, b)
                or b.x0 > a.x0 + 0.8 * self.em or self.centred(b)
                or (a.text[-1:] in ".:;!?" and bool(_LIST_ITEM.match(b.text))))


def _first_word(r: Row) -> float:
    """The width of a line's first word, at the line's average width a character."""
    return len(r.text.split()[0]) * (r.x1 - r.x0) / max(len(r.text), 1)


def join_lines(a: str, b: str) -> str:
    """Two lines of one paragraph as one: a hyphen at the break is dropped where it split a word."""
    if a.endswith(("-", "\u00ad")) and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        pre, post = a[:-1].split()[-1], b.split()[0]
        if a.endswith("\u00ad") or _syllable(pre + post) or not (_syllable(pre) and _syllable(post)):
            return a[:-1] + b
        return a + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalnum() and (b[:1].isupper() or b[:1].isdigit()):
        return a + b
    return f"{a} {b}"


def _syllable(word: str) -> bool:
    """Whether `word` could be one Vietnamese syllable ("quyết", "nghiêng"; not "develop")."""
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(_TONE_MARKS))
    marks = sum(1 for c in unicodedata.normalize("NFD", word) if ord(c) in _TONE_MARKS)
    return marks <= 1 and bool(_SYLLABLE.fullmatch(bare.strip(".,;:!?\"'()")))
