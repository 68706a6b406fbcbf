"""Articles as Word files: official documents as the party committees type them, news as a newsroom copy.

`document_docx(article, site)` and `news_docx(article, site)` return the .docx bytes. The
letterhead and the recipients/signature block are borderless two-column tables; the heading
is centred and bold; the body justified. Every page has a header and a footer "Trang {PAGE}/
{NUMPAGES}" (fields with cached values a reader must drop). Core properties carry title,
author and dates; app.xml carries the issuer as Company. The zip is rewritten with fixed
member dates, so the bytes are the same on every run. Needs python-docx and Pillow.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image

from pages import html_parts as P
from pages.article import Article, plain
from pages.html_parts import when

CENTER, JUSTIFY, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT


def _para(container, text: str, size: float = 14, bold: bool = False, align=None, italic: bool = False, indent: bool = False):
    p = container.add_paragraph()
    for k, piece in enumerate(re.split(r"\*\*", text)):  # Markdown **bold** becomes a bold run
        run = p.add_run(piece)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold or k % 2 == 1, italic
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_after = Pt(4)
    return p


def _field(paragraph, code: str, cached: str) -> None:
    """A Word field (PAGE, NUMPAGES) with the value Word showed when it saved."""
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, cached), ("end", None)):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            el.text = text
            el.set(qn("xml:space"), "preserve")
        run._r.append(el)


def _furniture(doc, running: str, pages: int) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)
    head = section.header.paragraphs[0]
    head.text, head.alignment = running, RIGHT
    foot = section.footer.paragraphs[0]
    foot.alignment = CENTER
    foot.add_run("Trang ")
    _field(foot, "PAGE", "1")
    foot.add_run("/")
    _field(foot, "NUMPAGES", str(pages))


def _borderless(doc, rows: list[tuple[list[str], list[str]]], styles: list[tuple[dict, dict]]):
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)
    for r, (left, right) in enumerate(rows):
        for c, (lines, style) in enumerate(((left, styles[r][0]), (right, styles[r][1]))):
            cell = table.cell(r, c)
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for line in lines:
                _para(cell, line, **style)
    return table


def _core(doc, title: str, author: str | None, moment: dt.datetime, subject: str = "") -> None:
    props = doc.core_properties
    utc = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)  # Word stores UTC: a 06:20 article is dated the day before
    props.title, props.author, props.subject = title, author or "", subject
    props.created = props.modified = utc
    props.last_modified_by, props.revision, props.comments, props.language = author or "", 1, "", "vi-VN"


def document_docx(article: Article, site: dict) -> bytes:
    letter = article.letter
    doc = Document()
    bold_c, plain_c = {"size": 13, "bold": True, "align": CENTER}, {"size": 13, "align": CENTER}
    _borderless(doc, [(list(letter.issuer), [letter.party]), ([letter.number], [letter.place_date])],
                [(bold_c, bold_c), (plain_c, {**plain_c, "italic": True})])
    for i, line in enumerate(letter.heading):
        _para(doc, line, 15 if i == 0 else 14, True, CENTER)
    for block in article.blocks:
        _para(doc, block.text, align=JUSTIFY, indent=True)
    sign = [{"size": 14, "bold": not x.startswith("("), "align": CENTER} for x in letter.signature]
    table = _borderless(doc, [(list(letter.recipients), list(letter.signature))], [({"size": 11}, sign[0])])
    for p, style in zip(table.cell(0, 1).paragraphs, sign):
        p.runs[0].font.bold = style["bold"]
    table.cell(0, 0).paragraphs[0].runs[0].font.bold = True
    _furniture(doc, f"{site['name']} - {letter.number}", 2)
    _core(doc, article.title, letter.signature[-1], when(article).replace(hour=9, minute=0), letter.number.removeprefix("Số "))
    return _stable(doc, site["name"], when(article))


def _picture() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (200, 200, 200)).save(out, "PNG")
    out.seek(0)
    return out


def news_docx(article: Article, site: dict) -> bytes:
    doc = Document()
    moment = when(article)
    _para(doc, article.title, 16, True, CENTER)
    _para(doc, P.vi_date(moment), 11, italic=True)
    _para(doc, article.lead, 13, True, JUSTIFY)
    for block in P.figures(article):
        if block.kind == "caption":
            doc.add_picture(_picture(), width=Cm(12))
            doc.paragraphs[-1].alignment = CENTER
            _para(doc, plain(block.text), 11, italic=True, align=CENTER)
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value
        else:
            _para(doc, block.text, 13, align=JUSTIFY, indent=True)
    if article.byline:
        _para(doc, article.byline, 13, True, RIGHT)
    _furniture(doc, f"{site['name'].upper()} - {article.facts['section']}", 2)
    _core(doc, article.meta_title, article.author, moment)
    return _stable(doc, site["name"], moment)


def _stable(doc, company: str, moment: dt.datetime) -> bytes:
    """The saved file with fixed member dates and the issuer as Company: the same bytes every run."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = data.replace(b"<Company/>", f"<Company>{P.esc(company)}</Company>".encode())
            member = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, data)
    return out.getvalue()
