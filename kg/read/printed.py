"""What a printed page's text says about itself, shared by the PDF and DOCX readers.

Takes the text a reader laid out and the file's own properties, and returns the
:class:`~kg.read.base.Read`. Two kinds of page come this way. An official document: the
letterhead row by row ("TỈNH ỦY BẾN TRE      ĐẢNG CỘNG SẢN VIỆT NAM", …, "Số 908-TB/TU      Bến
Tre, ngày 24 tháng 8 năm 2022"), title lines, body, signature block; its issuer, date, title and
signer come from those. A news article, as a newsroom copy or a browser's printout: the site's
masthead, menu and breadcrumb, the dateline, photo captions, "Tin liên quan" and the site's
footer are left out of the text, and give the publisher and date; the byline gives the author.
The properties fill what the text does not say. Text typed in a legacy font (TCVN3, VNI) is
converted (:func:`kg.encodings.reinterpret`); text that is not Vietnamese is refused. It does
not lay out text (the readers do) nor normalise it (:mod:`kg.text` does, later).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import encodings
from ..config import DATA_DIR
from ..errors import InputError
from .base import Read

COLUMN_GAP = " " * 6  # between a letterhead's left and right cell on one line, as in the dev-set texts

_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_RIGHT_CELL = re.compile(r"^(?:ĐẢNG CỘNG SẢN|CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP)|ngày\s+\d", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:Số|SỐ)\b")
_PARTY_UNIT = re.compile(r"^ĐẢNG BỘ (?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)? ?(?P<place>.+)$")
_COMMITTEE = re.compile(r"^(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG) (?:ỦY|UỶ)$")
_PLACE_LINE = re.compile(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG) \S")
_KEEP_CAPS = frozenset("UBND HĐND MTTQ TW TƯ BCH BTV XHCN CNXH UBMTTQ CSVN TP".split())
_JUNK_PROPERTY = re.compile(r"^(?:microsoft word|untitled|\(?anonymous\)?|unknown|user|admin|administrator|pc|owner|"
                            r"default|normal|slide \d+|python-docx|reportlab|pdfkit)\b|\.(?:docx?|pdf|rtf)$",
                            re.IGNORECASE)
# old tone placement → modern, letter for letter, so that a key keeps the text's offsets
_TONE_PAIRS = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
               "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?!\w)")
# marks only Vietnamese puts on Latin letters: hook above, dot below, horn, breve; and đ
_VI_MARKS = frozenset("\u0309\u0323\u031b\u0306")
_VI_WORDS = frozenset("và của các có là được trong cho với những đã này không người một theo về tại "
                      "đến năm ngày để từ cũng như khi đồng chí tỉnh ủy ban".split())


@dataclass(frozen=True)
class Properties:
    """What a file's own properties say (PDF Info dictionary, DOCX docProps), junk left out."""

    title: str | None = None
    author: str | None = None
    created: dt.date | None = None
    company: str | None = None
    url: str | None = None  # a browser's printout prints the page's address in its footer


def property_text(value: str | None) -> str | None:
    """A property's value, or None where it is empty or a word processor's default."""
    value = " ".join((value or "").split())
    return value if len(value) > 2 and not _JUNK_PROPERTY.search(value) else None


def finish(path: Path, kind: str, text: str, props: Properties, notes: tuple[str, ...] = ()) -> Read:
    """The :class:`Read` for a laid-out text; InputError when it is not Vietnamese."""
    fixed = encodings.reinterpret(text)  # typed in a TCVN3 or VNI font (.VnTime, VNI-Times)
    if fixed is not None and fixed.text:
        text, notes = fixed.text, notes + (f"converted from {fixed.name}, the encoding of the font it was typed in",)
    text, page = strip_furniture(text)
    language = check_language(path, text)
    if not text:
        raise InputError(path, f"{kind.upper()} has no article text once its page furniture is left out")
    head = _head(text)
    if head:
        title, publisher = props.title or _title(text, len(head)), _issuer(head) or props.company
        published = _issued(head) or page.date or props.created
    else:
        publisher = _masthead(page.masthead, props.title) or props.company
        title, published = _site_title(props.title, publisher) or _first_line(text), page.date or props.created
    author = props.author or _signer(text) or _byline(text)
    notes += (f"left out {page.dropped} line(s) of page furniture (masthead, menu, dateline, captions, "
              "related links, site footer)",) if page.dropped else ()
    return Read(text=text, kind=kind, title=title, published=published, author=author, publisher=publisher,
                url=props.url, language=language, province=_province(publisher), notes=notes)


def check_language(path: Path, text: str) -> str | None:
    """"vi" for Vietnamese text, None for text too short to tell; InputError for another language."""
    words = re.findall(r"[^\W\d_]+", text[:20_000].lower())  # a long text's start is sample enough
    if not words:
        return None
    marked = sum(1 for w in words if "đ" in w or _VI_MARKS & set(unicodedata.normalize("NFD", w))) / len(words)
    common = sum(1 for w in words if w in _VI_WORDS) / len(words)
    if marked >= 0.08 or common >= 0.08:
        return "vi"
    if len(words) < 20:
        return None
    raise InputError(path, f"not Vietnamese text ({marked:.0%} of {len(words)} words carry Vietnamese "
                           "letters, against 25–40% in Vietnamese); vnkg reads Vietnamese documents only")


def _head(text: str) -> list[str]:
    """The letterhead's lines: up to the one with the place and date, within the first dozen."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:12]
    for n, line in enumerate(lines):
        if _DATE.search(line):
            return lines[: n + 2] if n + 1 < len(lines) and _NUMBER.match(lines[n + 1]) else lines[: n + 1]
    return []


def _issued(head: list[str]) -> dt.date | None:
    for line in head:
        m = _DATE.search(line)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
    return None


def _left_caps(head: list[str]) -> list[str]:
    """The left cell's upper-case lines above the number: the issuing body, parent first."""
    found = []
    for line in head:
        left = re.split(r"\s{3,}", line)[0].strip(" *-_")
        if _NUMBER.match(left):
            break
        if left and left.isupper() and not _RIGHT_CELL.search(left):
            found.append(" ".join(left.split()))
    return found


def _issuer(head: list[str]) -> str | None:
    """"Tỉnh ủy Bến Tre" from "TỈNH ỦY BẾN TRE"; "Tỉnh ủy Lâm Đồng" from "ĐẢNG BỘ TỈNH LÂM ĐỒNG /
    TỈNH ỦY"; "Ủy ban nhân dân tỉnh X" from "ỦY BAN NHÂN DÂN / TỈNH X"."""
    lines = _left_caps(head)
    if not lines:
        return None
    first = lines[0]
    unit = _PARTY_UNIT.match(first)
    if unit and len(lines) > 1 and _COMMITTEE.match(lines[1]):
        first = f"{lines[1]} {unit.group('place')}"
    elif len(lines) > 1 and _PLACE_LINE.match(lines[1]) and not _PLACE_LINE.match(first):
        first = f"{first} {lines[1]}"
    return recase(first)


def _title(text: str, head_lines: int) -> str | None:
    """The title lines under the letterhead ("THÔNG BÁO / KẾT LUẬN CỦA … / về …"), as one phrase:
    an upper-case line, then lines in upper case or going on in lower case ("về …", "của …")."""
    lines = [line.strip() for line in text.strip().splitlines()]
    i = seen = 0
    while i < len(lines) and seen < head_lines:
        seen += bool(lines[i])
        i += 1
    block = []
    for line in lines[i:]:
        if len(block) == 5 or (block and line and not _title_goes_on(line)):
            break
        if line and line != "*":
            block.append(line)
    if not head_lines or not block or not block[0].isupper():
        return None
    phrase = " ".join(recase(line, capitalise=False) if line.isupper() else line for line in block)
    return phrase[:1].upper() + phrase[1:]


def _title_goes_on(line: str) -> bool:
    return len(line) < 300 and not line.endswith((".", ":", ";")) and (line.isupper() or line[:1].islower())


def recase(caps: str, *, capitalise: bool = True) -> str:
    """An upper-case line in sentence case, known names kept: "KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY"
    → "Kết luận của Ban Thường vụ Tỉnh ủy"."""
    words = [w if w in _KEEP_CAPS or any(c.isdigit() for c in w) else w.lower() for w in caps.split()]
    out = list(" ".join(words))
    key = _key("".join(out))
    done = [False] * len(out)  # a longer name matched here first: "Ủy ban nhân dân" before "Nhân dân"
    for phrase, phrase_key in _names():
        for m in re.finditer(rf"(?<!\w){re.escape(phrase_key)}(?!\w)", key):
            if any(done[m.start():m.end()]):
                continue
            done[m.start():m.end()] = [True] * len(phrase)
            for i, c in enumerate(phrase):
                if c.isupper():
                    out[m.start() + i] = out[m.start() + i].upper()
    text = "".join(out)
    return text[:1].upper() + text[1:] if capitalise else text


def _key(text: str) -> str:
    """Lower case and modern tone placement, the same length as `text`."""
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, str], ...]:
    """Names with capitals inside (bodies, provinces), longest first, each with its key."""
    bodies = json.loads((DATA_DIR / "bodies.json").read_text(encoding="utf-8"))
    provinces = json.loads((DATA_DIR / "provinces.json").read_text(encoding="utf-8"))["provinces"]
    names = {"Đảng", "Nhân dân", "Ủy ban nhân dân", "Hội đồng nhân dân", "Nhà nước", "Trung ương", "Việt Nam",
             "Hồ Chí Minh", "Tổ quốc", "Ủy ban", "Ban Thường vụ", "Ban Chấp hành", "Thường trực"}
    for row in bodies["central"]:
        names.update([row["label"], *row["aliases"]])
    for row in bodies["provincial"]:
        names.update(row["head"])
    names.update(bodies["district_heads"])
    names.update(p["name"] for p in provinces)
    names = {n for n in names if n != n.upper() and len(n) > 3}
    return tuple((n, _key(n)) for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _province_names() -> tuple[tuple[str, str], ...]:
    provinces = json.loads((DATA_DIR / "provinces.json").read_text(encoding="utf-8"))["provinces"]
    return tuple((p["name"], _key(p["name"])) for p in sorted(provinces, key=lambda p: -len(p["name"])))


def _province(publisher: str | None) -> str | None:
    """The province a publisher's name ends with ("Tỉnh ủy Bến Tre" → "Bến Tre")."""
    key = _key(publisher or "")
    return next((name for name, k in _province_names() if key.endswith(" " + k)), None)


# --- a news page's furniture -----------------------------------------------------------------

_MASTHEAD = re.compile(r"^(?:BÁO|TẠP CHÍ|THÔNG TẤN XÃ|ĐÀI|CỔNG THÔNG TIN|TRANG THÔNG TIN|TRUYỀN HÌNH)\b")
_DATELINE = re.compile(r"^(?:(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])|Chủ\s+nhật|THỨ\s+\S+|CHỦ\s+NHẬT),?\s+)?"
                       r"(\d{1,2})/(\d{1,2})/(\d{4})(?P<time>\s*[-,|]?\s*\d{1,2}:\d{2}(?:\s*\(?GMT\s*\+\s*7\)?)?)?$")
_CAPTION = re.compile(r"(?:^|[.!?…]\s+|\(\s*)(?:Ảnh|ẢNH|Nguồn ảnh)\s*:")
_BREADCRUMB = re.compile(r"^[^.!?]{1,60}(?:\s[›»>]\s[^.!?]{1,60})+$")
_RELATED = frozenset({"tin liên quan", "bài liên quan", "xem thêm", "tin cùng chuyên mục", "đọc thêm",
                      "tin khác", "các tin khác", "tin mới"})
_BULLET = ("•", "- ", "– ", "+ ", "* ", "·", "▪", "►")
_SITE_FOOTER = re.compile(r"^(?:Giấy phép|Địa chỉ\s*:|Điện thoại\s*:|E-?mail\s*:|Bản quyền|©|Copyright|"
                          r"Tổng biên tập|Cơ quan chủ quản|Ghi rõ nguồn)", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(?:Bài(?:\s*(?:,|và)\s*ảnh)?|Tin(?:\s*,\s*ảnh)?|Nhóm PV|Ảnh)\s*:\s*", re.IGNORECASE)
_BYLINE_SUFFIX = re.compile(r"\s*(?:\((?:TTXVN|PV|CTV|TTXVN/Vietnam\+)\)|/\s*(?:TTXVN|PV))$")
_SIGNING = re.compile(r"^(?:T/M|TM\.|T\.M\.|KT\.?|K/T|TUQ\.?|TL\.|Q\.|THAY MẶT)\s")


@dataclass(frozen=True)
class Page:
    """What the furniture said: the masthead, the dateline's date, how many lines went."""

    masthead: str | None
    date: dt.date | None
    dropped: int


def strip_furniture(text: str) -> tuple[str, Page]:
    """The text without a news page's furniture; an official document's text is left as it is."""
    if _head(text):
        return text.strip(), Page(None, None, 0)
    blocks = [b.split("\n") for b in re.split(r"\n[ \t]*\n", text.strip())]
    masthead = blocks[0].pop(0).strip() if _MASTHEAD.match(blocks[0][0].strip()) and blocks[0][0].isupper() else None
    date, related, kept, dropped = None, False, [], int(masthead is not None)
    for block in blocks:
        lines = []
        for line in block:
            s = line.strip()
            related = (related and s.startswith(_BULLET)) or s.rstrip(":").casefold() in _RELATED
            m = _DATELINE.match(s)
            if m and (m.group("time") or not s[0].isdigit()):
                date = date or _date(m.group(3), m.group(2), m.group(1))
            elif not (related or s.count(" | ") >= 3 or _BREADCRUMB.match(s)
                      or (len(s) < 120 and _CAPTION.search(s))):
                lines.append(line)
                continue
            dropped += 1
        if lines:
            kept.append(lines)
    while kept and _SITE_FOOTER.match(kept[-1][-1].strip()):
        kept[-1].pop()
        kept = [b for b in kept if b]
        dropped += 1
    return "\n\n".join("\n".join(b) for b in kept), Page(masthead, date, dropped)


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _masthead(masthead: str | None, title: str | None) -> str | None:
    """The site's name as its page title spells it ("… - Báo Hànộimới"), else the masthead recased."""
    if masthead is None:
        return None
    for sep in (" - ", " | ", " – "):
        tail = (title or "").rpartition(sep)[2]
        if sep in (title or "") and tail.casefold() == masthead.casefold():
            return tail
    return recase(masthead)


def _site_title(title: str | None, site: str | None) -> str | None:
    """A page title without the site's name after it."""
    for sep in (" - ", " | ", " – "):
        if title and site and title.casefold().endswith((sep + site).casefold()):
            return title[: -len(sep + site)].strip()
    return title


def _first_line(text: str) -> str | None:
    first = text.split("\n\n", 1)[0].replace("\n", " ").strip()
    return first if len(first) < 250 and not first.endswith((".", ":", ";")) else None


def _byline(text: str) -> str | None:
    """The author's name from a byline closing the article ("Bài, ảnh: Thu Trang", "Quang Thắng (TTXVN)")."""
    last = text.rsplit("\n\n", 1)[-1].strip()
    if "\n" in last or len(last) > 50 or any(c.isdigit() for c in last) or last.endswith((".", ":", ";")):
        return None
    return _name(_BYLINE_SUFFIX.sub("", _BYLINE_PREFIX.sub("", last)))


def _signer(text: str) -> str | None:
    """The signer's name closing a signature block ("T/M BAN THƯỜNG VỤ / BÍ THƯ / Hồ Thị Kim Cúc")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()][-8:]
    return _name(lines[-1]) if lines and any(_SIGNING.match(line) for line in lines) else None


def _name(line: str) -> str | None:
    words = line.split()
    ok = 2 <= len(words) <= 5 and all(w[0].isupper() and not (len(w) > 1 and w.isupper()) for w in words)
    return " ".join(words) if ok else None
