"""Reading official documents as PDF and DOCX (kg.read.pdf, kg.read.docx).

The fixtures are built here, byte by byte: a PDF with a Type0 font whose ToUnicode map
carries the Vietnamese letters (optionally RC4-encrypted, optionally only an image), and a
DOCX zipped from a few lines of WordprocessingML. No reportlab, no python-docx, no network.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import statistics
import struct
import zipfile
from pathlib import Path

import pytest

from kg.encodings import encode_tcvn3
from kg.errors import InputError
from kg.read.docx import read_docx
from kg.read.printed import COLUMN_GAP, recase
from kg.read.pdf import join_lines, read_pdf

HERE = Path(__file__).parent
PAGES = HERE / "pages"

# --- a PDF built by hand --------------------------------------------------------------------

A4 = (595, 842)
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_ID = b"vnkg-test-pdf-id"


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _security(user: str, owner: str) -> tuple[bytes, bytes, bytes]:
    """The standard security handler, revision 2 (RC4, 40 bits): /O, /U and the file key."""
    def pad(pw: str) -> bytes:
        return (pw.encode("latin-1") + _PAD)[:32]
    o = _rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    key = hashlib.md5(pad(user) + o + struct.pack("<i", -44) + _ID).digest()[:5]
    return o, _rc4(key, _PAD), key


def pdf_bytes(pages: list[list[tuple]], *, info: dict | None = None, user: str | None = None, owner: str = "owner",
              image_only: bool = False, ops: str = "") -> bytes:
    """A PDF whose pages show (x, y, size, text[, right]) items in a Type0 font with a ToUnicode map,
    every character half an em wide; an item with a `right` edge is spaced out to reach it. With
    `user`, RC4-encrypted with that user password; with `image_only`, an image under the text."""
    objs = _font_objects(sorted({c for page in pages for item in page for c in item[3]} | {" "}))
    kids = []
    for page in pages:
        content = ("q 400 0 0 500 90 200 cm /Im1 Do Q\n" if image_only else "") + ops
        content += "".join(f"BT /F1 {it[2]} Tf {_spacing(it)} Tc {it[0]} {it[1]} Td "
                           f"<{''.join(f'{ord(c):04X}' for c in it[3])}> Tj ET\n" for it in page)
        objs.append(("<< >>", content.encode()))
        objs.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] /Contents {len(objs)} 0 R "
                     "/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 7 0 R >> >> >>", None))
        kids.append(len(objs))
    objs[1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>", None)
    trailer, key = "", None
    if user is not None:
        o, u, key = _security(user, owner)
        objs.append((f"<< /Filter /Standard /V 1 /R 2 /O <{o.hex()}> /U <{u.hex()}> /P -44 >>", None))
        trailer = f" /Encrypt {len(objs)} 0 R"
    elif info:
        objs.append(("<< " + " ".join(f"/{k} <FEFF{v.encode('utf-16-be').hex()}>" for k, v in info.items()) + " >>", None))
        trailer = f" /Info {len(objs)} 0 R"
    return _serialise(objs, trailer, key)


def _font_objects(chars: list[str]) -> list[tuple[str, bytes | None]]:
    """Catalog, a placeholder for the page tree, the font (glyph ids are code points) and the image."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + "".join(f"{len(chars[i:i + 90])} beginbfchar\n"
                      + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in chars[i:i + 90]) + "endbfchar\n"
                      for i in range(0, len(chars), 90))
            + "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    return [
        ("<< /Type /Catalog /Pages 2 0 R >>", None),
        ("", None),
        ("<< /Type /Font /Subtype /Type0 /BaseFont /VnSerif /Encoding /Identity-H "
         "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>", None),
        ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /VnSerif /DW 500 /CIDToGIDMap /Identity "
         "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R >>", None),
        ("<< >>", cmap),
        ("<< /Type /FontDescriptor /FontName /VnSerif /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
         "/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>", None),
        ("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 >>",
         b"\x80"),
    ]


def _serialise(objs: list[tuple[str, bytes | None]], trailer: str, key: bytes | None) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, (head, stream) in enumerate(objs, 1):
        offsets.append(out.tell())
        if stream is None:
            out.write(f"{n} 0 obj\n{head}\nendobj\n".encode())
            continue
        if key is not None:
            stream = _rc4(hashlib.md5(key + n.to_bytes(3, "little") + b"\0\0").digest()[:10], stream)
        out.write(f"{n} 0 obj\n{head[:-2]}/Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /ID [<{_ID.hex()}> <{_ID.hex()}>]{trailer} >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _spacing(item: tuple) -> float:
    x, _, size, text, *right = item
    return round((right[0] - x - len(text) * size / 2) / (len(text) - 1), 3) if right and len(text) > 1 else 0


RIGHT = 480  # the right margin of the fixtures' text; the left one is at 60


def page(lines: list[tuple], *, size: float = 12, top: float = 760, lead: float = 16) -> list:
    """Lines of (x, text), one `lead` apart from `top` down: a pair of x and a pair of texts is two
    columns; x "c" centres the line; a third item True justifies it to the right margin."""
    items = []
    for n, (x, text, *justify) in enumerate(lines):
        y = top - n * lead
        if isinstance(x, tuple):
            items += [(xx, y, size, tt) for xx, tt in zip(x, text)]
        elif text:
            x = (60 + RIGHT - len(text) * size / 2) / 2 if x == "c" else x
            items.append((x, y, size, text, RIGHT) if justify else (x, y, size, text))
    return items


LETTERHEAD = [((60, 320), ("TỈNH ỦY BẾN TRE", "ĐẢNG CỘNG SẢN VIỆT NAM")), (110, "*"),
              ((70, 300), ("Số 908-TB/TU", "Bến Tre, ngày 24 tháng 8 năm 2022")), (0, ""),
              ("c", "THÔNG BÁO"), ("c", "KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY"),
              ("c", "về tình hình kinh tế - xã hội 7 tháng đầu năm 2022"), (0, "")]
# paragraphs justified from 60 to RIGHT, first lines indented
BODY = [(96, "Ngày 22/8/2022, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng", True),
        (60, "chí Phan Văn Mến, Bí thư Tỉnh ủy, nghe báo cáo tình hình phát triển kinh", True),
        (60, "tế - xã hội 7 tháng đầu năm và một số giải pháp trọng tâm đến cuối năm."),
        (96, "1. Trong 7 tháng đầu năm, tình hình kinh tế của tỉnh phục hồi khá; sản", True),
        (60, "xuất nông nghiệp cơ bản ổn định, giá trị xuất khẩu tăng 21% so với cùng", True),
        (60, "kỳ; giải ngân vốn đầu tư công còn chậm.")]
FOOT = [((60, 330), ("Nơi nhận:", "T/M BAN THƯỜNG VỤ")), ((60, 320), ("- Các đồng chí Tỉnh ủy viên,", "PHÓ BÍ THƯ THƯỜNG TRỰC")),
        (60, "- Lưu Văn phòng Tỉnh ủy."), (0, ""), (0, ""), (360, "Hồ Thị Kim Cúc")]


def official_pdf(**kw) -> bytes:
    return pdf_bytes([page(LETTERHEAD + BODY + [(0, "")] + FOOT)], **kw)


def read(raw: bytes, name: str):
    path = Path(name)
    return (read_pdf if name.endswith(".pdf") else read_docx)(raw, path)


# --- PDF ------------------------------------------------------------------------------------

def test_pdf_letterhead_comes_out_row_by_row():
    lines = read(official_pdf(), "tb.pdf").text.splitlines()
    assert lines[:3] == [f"TỈNH ỦY BẾN TRE{COLUMN_GAP}ĐẢNG CỘNG SẢN VIỆT NAM", "*",
                         f"Số 908-TB/TU{COLUMN_GAP}Bến Tre, ngày 24 tháng 8 năm 2022"]


def test_pdf_title_lines_stay_together_and_paragraphs_are_joined():
    text = read(official_pdf(), "tb.pdf").text
    assert "\nTHÔNG BÁO\nKẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề tình hình kinh tế - xã hội 7 tháng đầu năm 2022\n" in text
    assert ("\n\nNgày 22/8/2022, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng chí Phan Văn Mến, Bí thư "
            "Tỉnh ủy, nghe báo cáo tình hình phát triển kinh tế - xã hội 7 tháng đầu năm và một số giải pháp "
            "trọng tâm đến cuối năm.\n\n1. Trong 7 tháng") in text


def test_pdf_signature_block_keeps_its_lines_after_the_recipients():
    text = read(official_pdf(), "tb.pdf").text
    assert text.endswith("Nơi nhận:\n- Các đồng chí Tỉnh ủy viên,\n- Lưu Văn phòng Tỉnh ủy.\n\n"
                         "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\nHồ Thị Kim Cúc")


def test_pdf_metadata_from_the_letterhead():
    r = read(official_pdf(), "tb.pdf")
    assert (r.kind, r.language, r.published, r.publisher, r.province) == (
        "pdf", "vi", dt.date(2022, 8, 24), "Tỉnh ủy Bến Tre", "Bến Tre")
    assert r.title == "Thông báo kết luận của Ban Thường vụ Tỉnh ủy về tình hình kinh tế - xã hội 7 tháng đầu năm 2022"


def test_pdf_metadata_from_the_properties_where_they_say_something():
    r = read(official_pdf(info={"Title": "Thông báo kết luận 908", "Author": "Văn phòng Tỉnh ủy",
                                "CreationDate": "D:20220825"}), "tb.pdf")
    assert (r.title, r.author, r.published) == ("Thông báo kết luận 908", "Văn phòng Tỉnh ủy", dt.date(2022, 8, 24))
    junk = read(official_pdf(info={"Title": "Microsoft Word - 908-TB.docx", "Author": "Admin"}), "tb.pdf")
    assert junk.title.startswith("Thông báo kết luận của") and junk.author == "Hồ Thị Kim Cúc"  # the signer


def test_pdf_page_numbers_and_running_headers_are_dropped():
    words = ["một", "hai", "ba"]
    pages = [page([(200, "BÁO CÁO TỔNG HỢP - TỈNH ỦY"), (0, "")] + [
        (96 if n + k == 0 else 60, f"Đoạn {words[k]}, dòng {words[n]} của báo cáo: các dòng đều kéo tới lề phải trang", True)
        for n in range(3)], top=800) + [(280, 30, 10, f"Trang {k + 1}/3"), (270, 50, 10, f"- {k + 1} -")]
             for k in range(3)]
    r = read(pdf_bytes(pages), "bc.pdf")
    assert "TỔNG HỢP" not in r.text and "Trang" not in r.text and "- 2 -" not in r.text
    assert r.text == " ".join(f"Đoạn {a}, dòng {b} của báo cáo: các dòng đều kéo tới lề phải trang"
                              for a in words for b in words)  # one paragraph over three pages
    assert any(note.startswith("left out 9 page header") for note in r.notes)


@pytest.mark.parametrize(("a", "b", "joined"), [
    ("phát triển kinh tế", "xã hội", "phát triển kinh tế xã hội"),
    ("theo Nghị quy-", "ết số 05", "theo Nghị quyết số 05"),  # a split syllable
    ("the develop-", "ment of", "the development of"),
    ("kinh tế-", "xã hội", "kinh tế-xã hội"),  # two syllables: the hyphen was the text's
    ("Số 908-", "TB/TU", "Số 908-TB/TU"),
    ("Covid-", "19 tăng", "Covid-19 tăng"),
    ("kinh tế -", "xã hội", "kinh tế - xã hội"),
], ids=["plain", "syllable", "english", "compound", "number", "digits", "dash"])
def test_lines_join_across_a_hyphen(a, b, joined):
    assert join_lines(a, b) == joined


def test_pdf_hyphenated_word_is_joined_in_a_paragraph():
    lines = [(96, "Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy tập trung triển khai Nghị quy-", True),
             (60, "ết số 05-NQ/TU ngày 12/11/2021 của Tỉnh ủy về chuyển đổi số tỉnh đến", True)]
    r = read(pdf_bytes([page(lines + [(60, "năm 2025, định hướng đến năm 2030.")])]), "nq.pdf")
    assert "triển khai Nghị quyết số 05-NQ/TU ngày 12/11/2021" in r.text


def test_pdf_library_warnings_become_notes_not_log_lines(caplog):
    r = read(official_pdf(ops="q (x) 0 0 1 0 0 cm Q\n"), "odd.pdf")
    assert any(n.startswith("pdfminer: Cannot concatenate matrix") for n in r.notes)
    assert r.publisher == "Tỉnh ủy Bến Tre"
    assert not [rec for rec in caplog.records if rec.name.startswith("pdfminer")]


def test_pdf_with_only_an_owner_password_is_read():
    r = read(official_pdf(user=""), "owner-only.pdf")
    assert r.text.startswith("TỈNH ỦY BẾN TRE") and r.publisher == "Tỉnh ủy Bến Tre"


def test_recase_keeps_the_names_capitalised():
    assert recase("KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH UỶ SÓC TRĂNG") == "Kết luận của Ban Thường vụ Tỉnh uỷ Sóc Trăng"
    assert recase("ỦY BAN NHÂN DÂN TỈNH BẾN TRE") == "Ủy ban nhân dân tỉnh Bến Tre"


# --- DOCX -----------------------------------------------------------------------------------

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def para(text: str, *, centre: bool = False) -> str:
    jc = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centre else ""
    runs = "<w:br/>".join(f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>' for t in text.split("\n"))
    return f"<w:p>{jc}{runs}</w:p>"


def table(*rows: tuple[str, ...]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{''.join(para(x) for x in c.split('|'))}</w:tc>" for c in row)
                    + "</w:tr>" for row in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def docx_bytes(body: str, *, core: str = "", members: dict[str, bytes] | None = None, doctype: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
                                        f"<w:document {_NS}><w:body>{body}</w:body></w:document>")
        if core:
            z.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                       '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                       f'xmlns:dcterms="http://purl.org/dc/terms/">{core}</cp:coreProperties>')
        for name, data in (members or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def official_docx(**kw) -> bytes:
    head = table(("TỈNH ỦY BẾN TRE|*|Số 908-TB/TU", "ĐẢNG CỘNG SẢN VIỆT NAM|Bến Tre, ngày 24 tháng 8 năm 2022"))
    title = "".join(para(t, centre=True) for t in ("THÔNG BÁO", "KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY",
                                                    "về tình hình kinh tế - xã hội 7 tháng đầu năm 2022"))
    body = para("Ngày 22/8/2022, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng chí Phan Văn Mến, Bí thư "
                "Tỉnh ủy.") + para("") + para("1. Tình hình kinh tế của tỉnh phục hồi khá.")
    foot = table(("Nơi nhận:|- Các đồng chí Tỉnh ủy viên,|- Lưu Văn phòng Tỉnh ủy.",
                  "T/M BAN THƯỜNG VỤ|PHÓ BÍ THƯ THƯỜNG TRỰC|(Đã ký)|Hồ Thị Kim Cúc"))
    return docx_bytes(head + title + body + foot, **kw)


def test_docx_reads_letterhead_title_body_and_signature_in_order():
    r = read(official_docx(), "tb.docx")
    assert r.text == (f"TỈNH ỦY BẾN TRE{COLUMN_GAP}ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
                      f"Số 908-TB/TU{COLUMN_GAP}Bến Tre, ngày 24 tháng 8 năm 2022\n\n"
                      "THÔNG BÁO\nKẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề tình hình kinh tế - xã hội 7 tháng đầu năm 2022\n\n"
                      "Ngày 22/8/2022, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng chí Phan Văn Mến, Bí thư "
                      "Tỉnh ủy.\n\n1. Tình hình kinh tế của tỉnh phục hồi khá.\n\n"
                      "Nơi nhận:\n- Các đồng chí Tỉnh ủy viên,\n- Lưu Văn phòng Tỉnh ủy.\n\n"
                      "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n(Đã ký)\nHồ Thị Kim Cúc")


def test_docx_metadata_from_letterhead_then_properties():
    r = read(official_docx(core="<dc:title>Thông báo 908-TB/TU</dc:title><dc:creator>Văn phòng Tỉnh ủy</dc:creator>"
                                "<dcterms:created>2022-08-25T08:00:00Z</dcterms:created>"), "tb.docx")
    assert (r.kind, r.title, r.author, r.published, r.publisher, r.language) == (
        "docx", "Thông báo 908-TB/TU", "Văn phòng Tỉnh ủy", dt.date(2022, 8, 24), "Tỉnh ủy Bến Tre", "vi")
    bare = read(official_docx(), "tb.docx")
    assert bare.title == "Thông báo kết luận của Ban Thường vụ Tỉnh ủy về tình hình kinh tế - xã hội 7 tháng đầu năm 2022"


def test_docx_typed_in_a_tcvn3_font_is_converted():
    said = "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng quán triệt và thực hiện nghiêm Chỉ thị này."
    r = read(docx_bytes(para(encode_tcvn3(said).decode("cp1252"))), "vntime.docx")
    assert (r.text, r.language) == (said, "vi")
    assert any("TCVN3" in note for note in r.notes)


def test_docx_leaves_out_deleted_text_and_reads_tables_as_rows():
    body = ('<w:p><w:r><w:t>Giữ lại </w:t></w:r><w:del><w:r><w:delText>bỏ đi </w:delText></w:r></w:del>'
            '<w:r><w:t>câu này của Tỉnh ủy và các cấp ủy.</w:t></w:r></w:p>') + table(("Chỉ tiêu", "Kết quả"), ("GRDP", "7,5%"))
    r = read(docx_bytes(body), "t.docx")
    assert r.text == "Giữ lại câu này của Tỉnh ủy và các cấp ủy.\n\n| Chỉ tiêu | Kết quả |\n| GRDP | 7,5% |"


def test_docx_signature_laid_out_with_tabs_keeps_its_columns_apart():
    foot = "".join(f'<w:p><w:r><w:t>{a}</w:t></w:r><w:r><w:tab/><w:tab/></w:r><w:r><w:t>{b}</w:t></w:r></w:p>'
                   for a, b in (("Nơi nhận:", "T/M TỈNH ỦY"), ("- Như trên,", "BÍ THƯ")))
    foot += para("- Lưu Văn phòng Tỉnh ủy.") + '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>Lê Văn A</w:t></w:r></w:p>'
    r = read(docx_bytes(para("Tỉnh ủy yêu cầu các cấp ủy đảng tổ chức thực hiện nghiêm túc Chỉ thị này.") + foot), "ct.docx")
    assert r.text.endswith("Nơi nhận:\n- Như trên,\n- Lưu Văn phòng Tỉnh ủy.\n\nT/M TỈNH ỦY\nBÍ THƯ\nLê Văn A")
    assert r.author == "Lê Văn A"


def test_docx_text_box_follows_its_paragraph():
    box = ('<w:p><w:r><w:t>Ban Thường vụ Tỉnh ủy kết luận như sau:</w:t></w:r><w:r><mc:AlternateContent '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
           f'<w:drawing><w:txbxContent>{para("Dự thảo lần 2")}</w:txbxContent></w:drawing></mc:Choice>'
           f'<mc:Fallback><w:pict><w:txbxContent>{para("Dự thảo lần 2")}</w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r></w:p>')
    assert read(docx_bytes(box), "kl.docx").text == "Ban Thường vụ Tỉnh ủy kết luận như sau:\nDự thảo lần 2"


def test_newsroom_copy_loses_its_furniture_and_gives_its_metadata():
    paras = ["BÁO BẾN TRE", "Trang chủ | Thời sự | Chính trị | Kinh tế | Xã hội", "Trang chủ › Chính trị",
             "Ban Thường vụ Tỉnh ủy Bến Tre họp kết luận tình hình 7 tháng", "Thứ Hai, 22/08/2022 16:42",
             "Ngày 22/8/2022, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng chí Phan Văn Mến, Bí thư Tỉnh ủy.",
             "Quang cảnh cuộc họp. Ảnh: Báo Bến Tre", "Giải ngân vốn đầu tư công còn chậm, mới đạt 38% kế hoạch.",
             "Bài, ảnh: Thu Trang", "Tin liên quan", "• Khởi công cầu vượt sông tại trung tâm tỉnh",
             "Giấy phép số 123/GP-BTTTT", "Địa chỉ: 3 Đồng Khởi, Bến Tre"]
    r = read(docx_bytes("".join(para(p) for p in paras),
                        core="<dc:title>Ban Thường vụ Tỉnh ủy Bến Tre họp kết luận tình hình 7 tháng - Báo Bến Tre</dc:title>"),
             "news.docx")
    assert r.text.split("\n\n") == [paras[3], paras[5], paras[7], paras[8]]
    assert (r.title, r.published, r.publisher, r.author, r.province) == (
        paras[3], dt.date(2022, 8, 22), "Báo Bến Tre", "Thu Trang", "Bến Tre")


# --- refused, with one InputError naming the file -------------------------------------------

def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document>" + b" " * (8 * 2**20) + b"</w:document>")
    return out.getvalue()


def _damaged(raw: bytes) -> bytes:
    """The DOCX with bytes inside word/document.xml's compressed data flipped."""
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + 40
    return raw[:start] + bytes(b ^ 0x5A for b in raw[start:start + 16]) + raw[start + 16:]


def _english() -> list:
    return page([(60, "The committee met on Monday and agreed on the plan for the next year in the", True),
                 (60, "province, with the budget for roads, schools and hospitals to be decided.")])


BAD = [
    ("scan.pdf", lambda: pdf_bytes([[]], image_only=True), "scanned PDF with no text layer; this tool does no OCR"),
    ("locked.pdf", lambda: official_pdf(user="secret"), "needs a password"),
    ("cut.pdf", lambda: official_pdf()[:1500], "truncated PDF"),
    ("garbage.pdf", lambda: b"%PDF-1.4\n" + b"\x00garbage" * 200 + b"\n%%EOF\n", "corrupt PDF"),
    ("html.pdf", lambda: b"<html><body>not a pdf</body></html>", "not a PDF"),
    ("english.pdf", lambda: pdf_bytes([_english()]), "not Vietnamese"),
    ("plain.docx", lambda: "Thông báo kết luận".encode(), "not a zip"),
    ("old.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "OLE container"),
    ("nodoc.docx", lambda: docx_bytes("", members={"word/other.xml": b"<x/>"}).replace(b"word/document.xml", b"word/documenX.xml"),
     "no word/document.xml"),
    ("bomb.docx", _zip_bomb, "zip bomb"),
    ("laughs.docx", lambda: docx_bytes(para("&lol9;"), doctype='<!DOCTYPE w:document [<!ENTITY lol "lol">'
                                       '<!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'),
     "declares a DTD or entities"),
    ("cut.docx", lambda: official_docx()[:900], "corrupt DOCX zip"),
    ("crc.docx", lambda: _damaged(official_docx()), "corrupt DOCX zip"),
    ("english.docx", lambda: docx_bytes(para("The committee met on Monday and agreed on the plan for the next year "
                                             "in the province, with the budget for roads and schools.")), "not Vietnamese"),
]


@pytest.mark.parametrize(("name", "make", "says"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_input_error_naming_the_file(name, make, says):
    with pytest.raises(InputError) as caught:
        read(make(), name)
    assert caught.value.path == name and says in caught.value.problem
    assert "\n" not in str(caught.value)


def test_zip_bomb_fixture_is_small():
    assert len(_zip_bomb()) < 20_000


# --- the page corpus ------------------------------------------------------------------------

def _corpus(kind: str) -> list[dict]:
    manifest = PAGES / "manifest.json"
    if not manifest.exists():
        return []
    return [e for e in json.loads(manifest.read_text(encoding="utf-8"))["files"] if e["kind"] == kind]


def _bad_corpus() -> list[dict]:
    manifest = PAGES / "manifest.json"
    found = json.loads(manifest.read_text(encoding="utf-8")).get("bad", []) if manifest.exists() else []
    return [e for e in found if e["kind"] in ("pdf", "docx")]


@pytest.mark.skipif(not _bad_corpus(), reason="tests/pages/manifest.json lists no bad PDF or DOCX files")
def test_page_corpus_bad_files_are_refused():
    for e in _bad_corpus():
        path = PAGES / e["file"]
        with pytest.raises(InputError) as caught:
            read(path.read_bytes(), str(path))
        assert caught.value.path == str(path), e["file"]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_page_corpus_averages(kind):
    entries = _corpus(kind)
    if not entries:
        pytest.skip(f"tests/pages/manifest.json lists no {kind} files")
    from tests.pages.measure import FIELDS, f1, field_ok
    scores, fields = [], []
    for e in entries:
        r = read((PAGES / e["file"]).read_bytes(), str(PAGES / e["file"]))
        scores.append(f1(r.text, (PAGES / e["text"]).read_text(encoding="utf-8")))
        fields += [field_ok(f, getattr(r, f), e["expect"].get(f)) for f in FIELDS]
    assert statistics.fmean(scores) >= 0.97
    assert sum(fields) / len(fields) >= 0.95
