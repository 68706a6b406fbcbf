"""Articles as PDF: official documents laid out as on paper, news articles as a browser prints them.

`pdf_file(article, site, url)` returns a `make.Made`. An official document gets its letterhead
and its recipients/signature block as borderless two-column tables, a centred bold heading,
justified body, a running header and "Trang 1/2" footers. A news article comes out as Chrome
prints a page: print date and page title at the top, URL and "1/2" at the bottom, the site's
masthead, menu and "Tin liên quan" around the article. Needs reportlab and a TrueType font with
Vietnamese glyphs (DejaVu, Debian's fonts-dejavu-core). Output is byte-stable: invariant mode,
dates fixed from the article.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pages import html_parts as P
from pages.article import Article, plain
from pages.html_parts import when

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONTS = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf",
         "Sans": "DejaVuSans.ttf", "Sans-Bold": "DejaVuSans-Bold.ttf"}


@functools.cache
def register_fonts() -> None:
    for name, file in FONTS.items():
        path = next((d / file for d in FONT_DIRS if (d / file).exists()), None)
        if path is None:
            raise FileNotFoundError(f"{file} not found in {[str(d) for d in FONT_DIRS]}; install Debian's fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for family in ("Serif", "Sans"):  # no italics: fonts-dejavu-core has none
        bold = f"{family}-Bold"
        pdfmetrics.registerFontFamily(family, normal=family, bold=bold, italic=family, boldItalic=bold)


def _esc(text: str) -> str:
    return P.inline(text).replace("<strong>", "<b>").replace("</strong>", "</b>")


def _style(name: str, font: str = "Serif", size: float = 14, align: int = TA_JUSTIFY, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, alignment=align, **kw)


def pdf_date(moment: dt.datetime) -> str:
    off = moment.utcoffset() or dt.timedelta()
    hours, minutes = divmod(int(off.total_seconds()) // 60, 60)
    return f"D:{moment:%Y%m%d%H%M%S}{hours:+03d}'{minutes:02d}'"


class StatedInfo(PDFInfo):
    """The document info with only the fields a file states: no '(anonymous)' author, no '(unspecified)' subject."""

    def format(self, document):
        fields = {"Title": self.title, "Author": self.author, "Subject": self.subject, "Keywords": self.keywords,
                  "Producer": self.producer, "Creator": self.creator}
        info = {k: PDFString(v) for k, v in fields.items() if v and v not in ("anonymous", "(anonymous)", "unspecified", "(unspecified)")}
        info["ModDate"] = info["CreationDate"] = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        info["Trapped"] = PDFName(self.trapped)
        return PDFDictionary(info).format(document)


def numbered_canvas(furniture, date: str):
    """A canvas class that knows the page count when it draws each page's header and footer."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._doc.info.__class__ = StatedInfo
            self.setDateFormatter(lambda *_: date)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                furniture(self, self._pageNumber, len(self._pages))
                super().showPage()
            super().save()

    return NumberedCanvas


def build(story: list, furniture, moment: dt.datetime, margins: tuple[float, float, float, float], **info) -> bytes:
    out = io.BytesIO()
    top, right, bottom, left = margins
    doc = SimpleDocTemplate(out, pagesize=A4, topMargin=top, rightMargin=right, bottomMargin=bottom, leftMargin=left,
                            invariant=1, lang="vi-VN", **info)
    doc.build(story, canvasmaker=numbered_canvas(furniture, pdf_date(moment)))
    return out.getvalue()


def _cell(lines, style: ParagraphStyle) -> list:
    return [Paragraph(_esc(x), style) for x in lines]


def _borderless(rows: list, widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def document_story(article: Article, width: float) -> list:
    letter = article.letter
    bold_c = _style("bc", "Serif-Bold", 13, TA_CENTER)
    plain_c = _style("pc", "Serif", 13, TA_CENTER)
    head = _borderless([[_cell(letter.issuer, bold_c), _cell([letter.party], bold_c)],
                        [_cell([letter.number], plain_c), _cell([letter.place_date], plain_c)]], [width * 0.42, width * 0.58])
    story: list = [head, Spacer(1, 8 * mm)]
    story += [Paragraph(_esc(x), _style("h", "Serif-Bold", 15 if i == 0 else 14, TA_CENTER)) for i, x in enumerate(letter.heading)]
    story.append(Spacer(1, 6 * mm))
    body = _style("b", firstLineIndent=10 * mm, spaceAfter=6)
    story += [Paragraph(_esc(b.text), body) for b in article.blocks]
    recipients = [Paragraph(_esc(letter.recipients[0]), _style("r0", "Serif-Bold", 12, 0))]
    recipients += _cell(letter.recipients[1:], _style("r", "Serif", 11, 0))
    signature = [Paragraph(_esc(x), _style("s", "Serif-Bold" if not x.startswith("(") else "Serif", 14, TA_CENTER,
                                          spaceBefore=14 * mm if x == letter.signature[-1] else 0)) for x in letter.signature]
    story += [Spacer(1, 6 * mm), _borderless([[recipients, signature]], [width * 0.5, width * 0.5])]
    return story


def document_pdf(article: Article, site: dict) -> bytes:
    register_fonts()
    letter = article.letter
    moment = when(article).replace(hour=9, minute=0)
    running = f"{site['name']} - {letter.number}"

    def furniture(canvas: Canvas, page: int, pages: int) -> None:
        canvas.setFont("Serif", 9)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - 15 * mm, A4[1] - 12 * mm, running)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"Trang {page}/{pages}")

    width = A4[0] - 45 * mm
    return build(document_story(article, width), furniture, moment, (20 * mm, 15 * mm, 20 * mm, 30 * mm),
                 title=article.title, author=letter.signature[-1], subject=letter.number.removeprefix("Số ").strip(),
                 creator="Microsoft® Word 2016", producer="Microsoft® Word 2016", keywords=[site["name"]])


def _figure(caption: str, width: float) -> list:
    box = Drawing(width, 60 * mm)
    box.add(Rect(0, 0, width, 60 * mm, fillColor=colors.lightgrey, strokeColor=None))
    return [box, Paragraph(_esc(caption), _style("cap", "Sans", 9, TA_CENTER, textColor=colors.grey, spaceAfter=8))]


def _data_table(rows) -> Table:
    table = Table([[Paragraph(P.esc(c), _style("td", "Sans", 10, 0)) for c in row] for row in rows])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    return table


def news_story(article: Article, site: dict, pool: list[str], width: float) -> list:
    small = _style("sm", "Sans", 8, 0, textColor=colors.grey)
    body = _style("nb", "Sans", 11, spaceAfter=7)
    moment = when(article)
    story: list = [Paragraph(P.esc(site["name"]).upper(), _style("mast", "Sans-Bold", 20, 0)),
                   Paragraph(" | ".join(P.NAV[:14]), small), Spacer(1, 4 * mm),
                   Paragraph(f"Trang chủ › {P.esc(article.facts['section'])}", small),
                   Paragraph(P.esc(article.title), _style("t", "Sans-Bold", 17, 0, spaceBefore=4, spaceAfter=4)),
                   Paragraph(P.vi_date(moment), small), Spacer(1, 3 * mm),
                   Paragraph(_esc(article.lead), _style("lead", "Sans-Bold", 11, spaceAfter=7))]
    for block in P.figures(article):
        if block.kind == "caption":
            story += _figure(plain(block.text), width)
        elif block.kind == "table":
            story += [_data_table(block.rows), Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(_esc(block.text), body))
    if article.byline:
        story.append(Paragraph(f"<b>{P.esc(article.byline)}</b>", _style("by", "Sans", 11, TA_RIGHT)))
    story += [Spacer(1, 6 * mm), Paragraph("Tin liên quan", _style("rel", "Sans-Bold", 12, 0))]
    story += [Paragraph("• " + P.esc(t), _style("li", "Sans", 10, 0)) for t in P.other_titles(article, pool, 3)]
    story += [Spacer(1, 6 * mm), Paragraph(P.esc(site["licence"]), small),
              Paragraph(f"Địa chỉ: {P.esc(site['address'])} - Điện thoại: {P.esc(site['phone'])}", small)]
    return story


def news_pdf(article: Article, site: dict, url: str, pool: list[str]) -> bytes:
    register_fonts()
    moment = when(article)
    printed = moment + dt.timedelta(days=2, hours=1, minutes=17)  # when the reader printed it: not the article's date
    page_title = f"{article.meta_title} - {site['name']}"

    def furniture(canvas: Canvas, page: int, pages: int) -> None:
        canvas.setFont("Sans", 7)
        canvas.drawString(8 * mm, A4[1] - 6 * mm, f"{printed:%d/%m/%Y, %H:%M}")
        canvas.drawCentredString(A4[0] / 2 + 20 * mm, A4[1] - 6 * mm, page_title[:110])
        canvas.drawString(8 * mm, 6 * mm, url)
        canvas.drawRightString(A4[0] - 8 * mm, 6 * mm, f"{page}/{pages}")

    width = A4[0] - 30 * mm
    return build(news_story(article, site, pool, width), furniture, printed, (14 * mm, 15 * mm, 14 * mm, 15 * mm),
                 title=page_title, creator="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                 producer="Skia/PDF m120")
