"""Read a Word (DOCX) file's body text in reading order, the way the project keeps documents as text.

Takes the bytes of one .docx; returns a :class:`~kg.read.base.Read` whose text has the
letterhead table row by row (left cell, several spaces, right cell: "Số 908-TB/TU      Bến Tre,
ngày …"), one paragraph a line with a blank line between (a run of centred title lines stays
together), a signature table column by column (recipients, then "T/M …" / role / name), and any
other table one row a line as "| cell | cell |". Metadata comes from :mod:`kg.read.printed`.

It reads `word/document.xml` and `docProps/` itself, with :mod:`zipfile` and defusedxml (see
docs/reading-documents.md): every member's declared size and compression ratio is checked before
anything is read, reading stops at a hard cap, and XML with a DTD is refused, so a zip bomb or
an entity bomb is an :class:`~kg.errors.InputError`, as are a file that is not a zip and one
without `word/document.xml`. Headers, footers, footnotes, comments and deleted revisions are
left out; numbering that Word adds itself ("1.", "a)") is not in the text.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import InputError
from .base import Read
from .printed import COLUMN_GAP, Properties, finish, property_text

MAX_MEMBERS = 5_000
MAX_PART_BYTES = 64 * 2**20  # one member, uncompressed; the largest real document.xml we know is ~20 MiB
MAX_TOTAL_BYTES = 512 * 2**20  # all members, as declared
MAX_RATIO = 100  # uncompressed / compressed, for members past 1 MiB; Word's XML deflates 5–20×

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ĐẢNG CỘNG SẢN|CỘNG H[OÒ]À? XÃ HỘI", re.IGNORECASE)
_SIGNING = re.compile(r"^(?:T/M|TM\.|T\.M\.|KT\.?|K/T|TUQ\.?|TL\.|Q\.|THAY MẶT|Nơi nhận|NƠI NHẬN)")
_RULE = re.compile(r"^[-_–—=.]{3,}$")
# deleted or moved-away text, a duplicate kept for old readers, and the formatting
_SKIPPED = frozenset({f"{W}del", f"{W}moveFrom", _MC_FALLBACK, f"{W}pPr", f"{W}rPr", f"{W}instrText"})
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


def read_docx(raw: bytes, path: Path) -> Read:
    """Read one DOCX file's bytes; InputError for a file that is not a readable, safe DOCX."""
    parts = _parts(raw, path)
    body = _parse(parts["word/document.xml"], "word/document.xml", path).find(f"{W}body")
    if body is None:
        raise InputError(path, "word/document.xml has no <w:body>; not a Word document")
    text = "\n\n".join("\n".join(b) for b in _Layout().blocks(body) if b)
    if not text.strip():
        raise InputError(path, "DOCX has no text in word/document.xml (only images or empty paragraphs?)")
    return finish(path, "docx", text, _properties(parts, path))


def _parts(raw: bytes, path: Path) -> dict[str, bytes]:
    """The members we read, each checked against the caps before and while it is read."""
    if raw[:8] == _OLE:
        raise InputError(path, "not a DOCX: an OLE container (a Word 97–2003 .doc, or an encrypted "
                               "Office file); save it as an unprotected .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            _check_members(z.infolist(), path)
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise InputError(path, "not a DOCX: the zip has no word/document.xml")
            wanted = ("word/document.xml", "docProps/core.xml", "docProps/app.xml")
            return {name: _read_member(z, name, path) for name in wanted if name in names}
    except _BROKEN as exc:
        what = "not a DOCX: not a zip file" if isinstance(exc, zipfile.BadZipFile) and not raw.startswith(b"PK") \
            else f"corrupt DOCX zip ({type(exc).__name__}: {' '.join(str(exc).split())[:100]})"
        raise InputError(path, what) from None


def _check_members(infos: list[zipfile.ZipInfo], path: Path) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(path, f"DOCX zip has {len(infos)} members, more than the {MAX_MEMBERS} allowed")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (info.file_size > 2**20 and ratio > MAX_RATIO):
            raise InputError(path, f"DOCX refused as a possible zip bomb: {info.filename} would expand to "
                                   f"{info.file_size:,} bytes from {info.compress_size:,} (limits: "
                                   f"{MAX_PART_BYTES // 2**20} MiB a member, {MAX_TOTAL_BYTES // 2**20} MiB in all, "
                                   f"{MAX_RATIO}:1)")


def _read_member(z: zipfile.ZipFile, name: str, path: Path) -> bytes:
    with z.open(name) as f:
        data = f.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise InputError(path, f"DOCX refused as a possible zip bomb: {name} expands past "
                               f"{MAX_PART_BYTES:,} bytes, more than it declares")
    return data


def _parse(data: bytes, name: str, path: Path) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(path, f"{name} declares a DTD or entities ({type(exc).__name__}); refused, "
                               "as Word never writes one and it is how entity bombs work") from None
    except ParseError as exc:
        raise InputError(path, f"{name} is not well-formed XML ({exc})") from None


class _Layout:
    """The body's paragraphs and tables as blocks of lines."""

    def __init__(self) -> None:
        self.seen_text = False  # a letterhead table comes before any long paragraph
        self.foot: tuple[list[str], list[str]] | None = None  # a signature block laid out with tabs

    def blocks(self, parent: Element) -> list[list[str]]:
        out: list[list[str]] = []
        centred = False
        for el in _content(parent):
            if el.tag == f"{W}tbl":
                out += self._end_foot() + self._table(el)
                centred = False
                continue
            raw = _raw_lines(el)
            if len("".join(raw)) > 150 and "\t" not in "".join(raw):
                out += self._end_foot()  # a paragraph of prose: the signature block is over
            if self.foot is not None or any(_tabbed_signature(line) for line in raw):
                self._add_to_foot(raw, _aside(el))
                continue
            lines = [x for x in map(_clean, raw) if x]
            if not lines:
                continue
            here = _centred(el)
            if centred and here and out:
                out[-1].extend(lines)
            else:
                out.append(lines)
            centred = here
            self.seen_text |= len(" ".join(lines)) > 100
        return out + self._end_foot()

    def _add_to_foot(self, raw: list[str], aside: bool) -> None:
        """Recipients on the left of a tab, the signature on the right: kept as two columns. A
        line with no tab goes right when its paragraph is centred, right-aligned or indented far."""
        left, right = self.foot or ([], [])
        for line in raw:
            before, tab, after = line.lstrip(" \u00a0").partition("\t")
            if not tab and aside:
                before, after = "", before
            left += [x for x in [_clean(before)] if x]
            right += [x for x in [_clean(after)] if x]
        self.foot = (left, right)

    def _end_foot(self) -> list[list[str]]:
        foot, self.foot = self.foot, None
        return [side for side in foot if side] if foot else []

    def _table(self, tbl: Element) -> list[list[str]]:
        rows = [[_cell_lines(tc) for tc in tr.iter(f"{W}tc") if _owner_row(tc, tr)] for tr in tbl.findall(f"{W}tr")]
        flat = [line for row in rows for cell in row for line in cell]
        if not self.seen_text and any(_DATE.search(line) for line in flat):
            self.seen_text = True
            return [[line for row in rows for line in _side_by_side(row)]]
        if any(_SIGNING.match(line) for line in flat):
            return [cell for row in rows for cell in row if cell]
        return [["| " + " | ".join(" ".join(cell) for cell in row) + " |" for row in rows if any(row)]]


def _content(parent: Element):
    """Block-level children in order, looking through content controls and custom XML."""
    for el in parent:
        if el.tag in (f"{W}sdt", f"{W}customXml"):
            inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            yield from _content(inner if inner is not None else el)
        elif el.tag in (f"{W}p", f"{W}tbl"):
            yield el


def _raw_lines(p: Element) -> list[str]:
    """A paragraph's lines, tabs kept; a line break starts a new line; a text box anchored in the
    paragraph follows it."""
    parts: list[str] = []
    boxes: list[Element] = []
    _runs(p, parts, boxes)
    lines = "".join(parts).split("\n")
    for box in boxes:
        lines += [line for q in box.iter(f"{W}p") for line in _raw_lines(q)]
    return lines


def _clean(line: str) -> str | None:
    """A line as text: a tab inside it is a column gap, runs of spaces one space, rules dropped."""
    line = re.sub(r"[ \u00a0]*\t[\t \u00a0]*", COLUMN_GAP, line.strip(" \t\u00a0"))
    line = re.sub(r"(?<! ) {2,5}(?! )|\u00a0", " ", line)
    return line if line and not _RULE.match(line) else None


def _tabbed_signature(line: str) -> bool:
    """"Nơi nhận:<tab><tab>T/M BAN THƯỜNG VỤ": the signature block beside the recipients."""
    before, tab, after = line.strip(" \u00a0").partition("\t")
    return bool(tab) and (before.strip().startswith(("Nơi nhận", "NƠI NHẬN")) or bool(_SIGNING.match(after.strip())))


def _runs(el: Element, out: list[str], boxes: list[Element]) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        elif tag not in _SKIPPED:
            _runs(child, out, boxes)


def _aside(p: Element) -> bool:
    """Whether a paragraph stands on the right half: centred, right-aligned or indented 2 inches."""
    jc = p.find(f"{W}pPr/{W}jc")
    ind = p.find(f"{W}pPr/{W}ind")
    left = (ind.get(f"{W}left") or ind.get(f"{W}start") or "0") if ind is not None else "0"
    aligned = jc is not None and jc.get(f"{W}val") in ("center", "right", "end")
    return aligned or (left.isdigit() and int(left) >= 2880)


def _centred(p: Element) -> bool:
    jc = p.find(f"{W}pPr/{W}jc")
    return jc is not None and jc.get(f"{W}val") in ("center", "centre")


def _owner_row(tc: Element, tr: Element) -> bool:
    return any(child is tc for child in tr) or any(child is tc for sdt in tr.iter(f"{W}sdtContent") for child in sdt)


def _cell_lines(tc: Element) -> list[str]:
    return [x for el in _content(tc) for x in (map(_clean, _raw_lines(el)) if el.tag == f"{W}p" else
                                                _flat_table(el)) if x]


def _flat_table(tbl: Element) -> list[str]:
    return [x for tc in tbl.iter(f"{W}tc") for el in _content(tc) if el.tag == f"{W}p"
            for x in map(_clean, _raw_lines(el))]


def _side_by_side(row: list[list[str]]) -> list[str]:
    """A letterhead row's cells line by line: first lines together, last lines together."""
    cells = [c for c in row if c]
    n = max((len(c) for c in cells), default=0)
    padded = [c[:1] + [""] * (n - len(c)) + c[1:] for c in cells]
    return [COLUMN_GAP.join(x for x in line if x) for line in zip(*padded)]


def _properties(parts: dict[str, bytes], path: Path) -> Properties:
    core = _parse(parts["docProps/core.xml"], "docProps/core.xml", path) if "docProps/core.xml" in parts else None
    app = _parse(parts["docProps/app.xml"], "docProps/app.xml", path) if "docProps/app.xml" in parts else None

    def text(root: Element | None, tag: str) -> str | None:
        el = root.find(tag) if root is not None else None
        return property_text(el.text) if el is not None else None

    created = text(core, f"{_DCTERMS}created") or ""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", created)
    try:
        date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        date = None
    return Properties(title=text(core, f"{_DC}title"), author=text(core, f"{_DC}creator"), created=date,
                      company=text(app, f"{_APP}Company"))
