"""Hostile files a reader must refuse, each with the reason it should give.

`files(articles, sites)` returns `record.Made` records for bad/: a category index with no
article, an English page, a password-protected PDF, a scanned PDF with no text layer, a DOCX
whose document.xml expands to 1 GiB (the file itself about 1 MB), a truncated PDF, and a .docx
that is not a zip. Needs reportlab and Pillow; the zip bomb takes a few seconds to compress.
"""
from __future__ import annotations

import io
import zipfile

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pages import html_parts as P
from pages import pdfs
from pages.article import Article, document_lines
from pages.record import Made

BOMB_SIZE = 1 << 30  # what word/document.xml expands to
ENGLISH = ("Hanoi Party Committee reviews 2023 socio-economic performance",
           "Hanoi (VNA) - The Hanoi Party Committee opened its 14th plenum on Tuesday to review the city's "
           "socio-economic performance in 2023 and set targets for next year.",
           "Delegates heard that the capital's economy grew by an estimated 6.3 percent this year, while budget "
           "revenue exceeded the target set by the municipal People's Council.",
           "Speaking at the meeting, the committee's secretary asked city departments to speed up public investment "
           "disbursement and to prepare the resolutions needed to implement the revised Law on the Capital.",
           "The plenum runs for two days.")


def _bad(file: str, kind: str, reason: str, data: bytes, article: Article | None = None) -> Made:
    entry = {"kind": kind, "reason": reason}
    if article is not None:
        entry["article"] = article.source
    return Made(file, data, entry)


def category_index(articles: list[Article], sites: dict) -> bytes:
    site = {**sites["Báo Quảng Nam"], "name": "Báo Quảng Nam"}
    items = "".join(f'<li class="story"><h3><a href="/chinh-tri/{P.slug(a.title)[:60]}.html">{P.esc(a.title)}</a></h3>'
                    f'<p class="sapo">{P.esc(a.lead.split(". ")[0])}.</p><span class="time">{P.when(a):%d/%m/%Y}</span></li>'
                    for a in articles if not a.letter)
    pager = "".join(f'<a href="/chinh-tri?page={n}">{n}</a>' for n in range(1, 6)) + '<a href="/chinh-tri?page=2">Sau »</a>'
    body = (f'{P.cookie_banner()}<header>{P.nav()}</header>{P.breadcrumbs("Chính trị")}<main><h1 class="cat-title">Chính trị</h1>'
            f'<ul class="story-list">{items}</ul><div class="pagination">{pager}</div></main>'
            f'<aside>{P.ad("right")}</aside>{P.footer(site)}{P.scripts(site)}')
    head = (f'<meta charset="utf-8"><title>Chính trị - {P.esc(site["name"])}</title>'
            f'<link rel="canonical" href="https://{site["host"]}/chinh-tri"><meta property="og:type" content="website">{P.style()}')
    return f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n'.encode()


def english_page() -> bytes:
    title, *paras = ENGLISH
    body = "".join(f"<p>{P.esc(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"><title>{P.esc(title)} | Vietnam News Wire</title>'
            f'<meta property="og:title" content="{P.esc(title)}"><meta property="og:locale" content="en_US">'
            f'<meta property="article:published_time" content="2023-11-28T14:05:00+07:00">\n</head>\n<body>\n'
            f'<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/economy">Economy</a></nav>'
            f'<article><h1>{P.esc(title)}</h1><p class="byline">By VNA staff</p>{body}</article>'
            f'<footer>© Vietnam News Wire</footer>\n</body>\n</html>\n').encode()


def encrypted_pdf(article: Article) -> bytes:
    """The document PDF again, behind a user password (RC4-128: no random salt, so the bytes are stable)."""
    out = io.BytesIO()
    pdfs.register_fonts()
    canvas = Canvas(out, pagesize=A4, invariant=1, encrypt=StandardEncryption("tinhuy@2022", "owner@2022", strength=128))
    canvas.setDateFormatter(lambda *_: "D:20220824090000+07'00'")
    canvas.setTitle(article.title)
    canvas.setFont("Serif", 12)
    for k, line in enumerate(document_lines(article)[:40]):
        canvas.drawString(72, A4[1] - 72 - 16 * k, line[:90])
    canvas.save()
    return out.getvalue()


def scan_image(article: Article) -> Image.Image:
    """A page of the document as a 100 dpi black-and-white scan."""
    image = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(pdfs.FONT_DIRS[0] / "DejaVuSerif.ttf"), 15)
    for k, line in enumerate(document_lines(article)[:30]):
        draw.text((90, 80 + 32 * k), line[:80], fill=0, font=font)
    return image.rotate(0.6, fillcolor=255).point(lambda v: 255 if v > 140 else 0).convert("1")


def scanned_pdf(article: Article) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setDateFormatter(lambda *_: "D:20220825101500+07'00'")
    canvas.setCreator("Canon iR-ADV C5535 PDF")
    canvas.drawImage(ImageReader(scan_image(article)), 0, 0, width=A4[0], height=A4[1])
    canvas.save()
    return out.getvalue()


def zip_bomb() -> bytes:
    """A .docx whose word/document.xml is 1 GiB of blanks inside valid XML: about 1 MB on disk."""
    parts = {"[Content_Types].xml": ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                                     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
             "_rels/.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/document.xml", (2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">')
            chunk = b" " * (1 << 20)
            for _ in range(BOMB_SIZE >> 20):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def not_a_zip() -> bytes:
    return (b"<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\n<body><h1>403 Forbidden</h1>"
            b"<p>You don't have permission to access this resource.</p><hr><address>nginx</address></body></html>\n")


def files(articles: list[Article], sites: dict) -> list[Made]:
    by_name = {a.name: a for a in articles}
    doc, other = by_name["006_bentre_thong_bao_ket_luan_btv"], by_name["008_daknong_ke_hoach_129"]
    site = {**sites["Tỉnh ủy Đắk Nông"], "name": "Tỉnh ủy Đắk Nông"}
    whole = pdfs.document_pdf(other, site)
    return [
        _bad("bad/category_index.html", "html", "no article: a category index, a list of headlines linking elsewhere",
             category_index(articles, sites)),
        _bad("bad/english_article.html", "html", "not Vietnamese: the page is in English (lang=en)", english_page()),
        _bad("bad/encrypted.pdf", "pdf", "encrypted: the PDF needs a user password", encrypted_pdf(doc), doc),
        _bad("bad/scanned.pdf", "pdf", "no text layer: a scanned page (one image); it needs OCR", scanned_pdf(doc), doc),
        _bad("bad/zip_bomb.docx", "docx", f"too large: word/document.xml expands to {BOMB_SIZE} bytes (a zip bomb)", zip_bomb()),
        _bad("bad/truncated.pdf", "pdf", "damaged: the PDF is cut off (no xref table, trailer or %%EOF)",
             whole[: len(whole) * 11 // 20], other),
        _bad("bad/not_a_zip.docx", "docx", "not a Word file: a .docx must be a zip package; this is an HTML error page", not_a_zip()),
    ]
