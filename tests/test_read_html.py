"""Reading saved web pages (kg.read.html, issue 16): the article's text without the page's
chrome, its metadata from every place a page states it, the charsets a page may be in, MHTML,
and every bad page refused with an InputError that names the file."""
from __future__ import annotations

import datetime as dt
import json
import socket
import unicodedata
from email.charset import QP, Charset
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kg.encodings import encode_cp1258, encode_vni
from kg.errors import InputError
from kg.read.html import date_of, read_html, read_mhtml

PAGES = Path(__file__).resolve().parent / "pages"

TITLE = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ tám bàn giải pháp phát triển kinh tế"
LEAD = ("Sáng 14/7, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị lần thứ tám để đánh giá kết quả sáu tháng "
        "đầu năm và bàn nhiệm vụ, giải pháp cho những tháng cuối năm.")
BODY = (
    "Theo báo cáo tại hội nghị, tổng sản phẩm trên địa bàn tỉnh ước tăng 7,5% so với cùng kỳ; thu ngân sách "
    "nhà nước đạt hơn một nửa dự toán năm, cao hơn nhiều so với cùng kỳ năm trước.",
    "Các đại biểu thảo luận về tiến độ giải ngân vốn đầu tư công, công tác giải phóng mặt bằng và chuyển đổi "
    "số trong các cơ quan đảng, chính quyền, đoàn thể ở cơ sở.",
    "Kết luận hội nghị, đồng chí Bí thư Tỉnh ủy yêu cầu các cấp ủy, chính quyền bám sát kế hoạch, phấn đấu "
    "hoàn thành các chỉ tiêu chủ yếu của năm và chăm lo đời sống của nhân dân.",
)
BYLINE = "Bài, ảnh: Lan Phương"
ARTICLE = "\n\n".join([TITLE, LEAD, *BODY, BYLINE])
CHROME = ("Trang chủ", "Tin liên quan", "Xem nhiều nhất", "Bình luận", "Chia sẻ", "Facebook", "Zalo", "cookie",
          "Quảng cáo", "Giấy phép", "Bản quyền", "Đăng nhập", "Quang cảnh hội nghị", "Giá xăng", "Từ khóa")


def page(head: str = "", meta_line: str = "", lang: str = "vi", charset: str = '<meta charset="utf-8">',
         title: str = TITLE, body: tuple[str, ...] = BODY, lead: str = LEAD, byline: str = BYLINE) -> str:
    """An article page with the chrome a Vietnamese news site puts around it."""
    paragraphs = [f"<p>{p}</p>" for p in body]
    half = len(paragraphs) // 2
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{charset}<title>{title} - Báo Thử</title>{head}</head><body>
<div id="cookie">Trang web sử dụng cookie để cải thiện trải nghiệm. <button>Đồng ý</button></div>
<header><a href="/dang-nhap">Đăng nhập</a><nav><ul><li><a href="/">Trang chủ</a></li>
<li><a href="/chinh-tri">Chính trị</a></li>
<li><a href="/kinh-te">Kinh tế</a></li><li><a href="/xa-hoi">Xã hội</a></li></ul></nav></header>
<div class="ads"><span>Quảng cáo</span><img src="/banner.jpg"></div>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/chinh-tri">Chính trị</a></div>
<div class="detail"><h1 class="title">{title}</h1>
<div class="meta">{meta_line}
<div class="share"><span>Chia sẻ</span><a href="#">Facebook</a><a href="#">Zalo</a></div></div>
<div class="sapo">{lead}</div>
<div class="content">{"".join(paragraphs[:half])}
<figure><img src="/anh.jpg" alt="Quang cảnh hội nghị">
<figcaption>Quang cảnh hội nghị. Ảnh: Báo Thử</figcaption></figure>
{"".join(paragraphs[half:])}
<p class="author" style="text-align:right"><strong>{byline}</strong></p></div>
<div class="tags">Từ khóa: <a href="/tag/hoi-nghi">hội nghị</a></div>
<section class="related"><h3>Tin liên quan</h3>
<ul><li><a href="/a.html">Khai mạc kỳ họp thứ năm Hội đồng nhân dân tỉnh khóa mới</a></li>
<li><a href="/b.html">Tỉnh ủy tổng kết công tác năm và triển khai nhiệm vụ năm tới</a></li></ul></section>
<section class="comments"><h3>Bình luận</h3><form><textarea name="c"></textarea><button>Gửi</button></form>
<div class="comment"><p>Bài viết rất hay, cảm ơn báo đã đưa tin kịp thời cho bạn đọc gần xa.</p></div>
</section></div></main>
<aside><h3>Xem nhiều nhất</h3>
<ol><li><a href="/c.html">Giá xăng dầu giảm mạnh từ chiều nay theo điều hành mới</a></li>
<li><a href="/d.html">Thời tiết cuối tuần có mưa rào và dông ở nhiều nơi</a></li></ol></aside>
<footer><p>Báo Thử - Cơ quan của Đảng bộ tỉnh. Giấy phép số 123/GP-BTTTT.</p>
<p>© Bản quyền thuộc về Báo Thử</p></footer>
<script>var tracking = "analytics";</script></body></html>"""


def read(html: str, name: str = "bai.html", url: str | None = None):
    return read_html(html.encode("utf-8"), Path(name), url=url)


# --- text ---------------------------------------------------------------------------------

def test_chrome_removed_and_paragraphs_kept_in_order():
    got = read(page())
    assert got.text == ARTICLE and got.kind == "html" and got.title == TITLE
    assert [c for c in CHROME if c.lower() in got.text.lower()] == []
    assert got.province is None and got.language == "vi"


def test_no_markdown_and_tables_one_row_a_line():
    body = BODY + ("<b>Một số chỉ tiêu chủ yếu</b> như sau:",)
    html = page(body=body).replace("</div>\n<div class=\"tags\">", "<table><tr><td>Chỉ tiêu</td><td>Kết quả</td></tr>"
                                   "<tr><td>Tăng trưởng</td><td>7,5%</td></tr></table>"
                                   "<ul><li>Thu ngân sách đạt kế hoạch</li><li>Giải ngân vượt tiến độ</li></ul>"
                                   "</div>\n<div class=\"tags\">", 1)
    text = read(html).text
    assert "Một số chỉ tiêu chủ yếu như sau:" in text and "**" not in text and "|" not in text
    assert "Chỉ tiêu\tKết quả\n\nTăng trưởng\t7,5%" in text
    assert "\n\nThu ngân sách đạt kế hoạch\n\nGiải ngân vượt tiến độ" in text and "- Thu" not in text


def test_layout_table_read_in_reading_order_and_info_box_dropped():
    info = ("<h3>Thông tin văn bản</h3><table><tr><th>Số ký hiệu</th><td>12-TB/TU</td></tr>"
            "<tr><th>Người ký</th><td>Văn phòng Tỉnh ủy</td></tr></table>")
    letter = info + ("<table class='letterhead'><tr><td><p>TỈNH ỦY THỬ</p><p>*</p></td>"
                     "<td><p>ĐẢNG CỘNG SẢN VIỆT NAM</p></td></tr>"
                     "<tr><td><p>Số 12-TB/TU</p></td><td><p>Thử, ngày 24 tháng 8 năm 2022</p></td></tr></table>")
    html = page().replace('<div class="content">', f'<div class="content">{letter}')
    text = read(html).text
    assert "TỈNH ỦY THỬ\n\n*\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 12-TB/TU\n\nThử, ngày 24 tháng 8 năm 2022\n\n" in text
    assert "Số ký hiệu" not in text and "Thông tin văn bản" not in text


def test_text_is_not_normalised():
    nfd = unicodedata.normalize("NFD", LEAD)
    assert nfd in read(page(lead=nfd)).text


# --- metadata -----------------------------------------------------------------------------

OG = ('<meta property="og:title" content="{t}"><meta property="og:site_name" content="Báo Thử">'
      '<meta property="og:url" content="https://baothu.vn/tin/hoi-nghi-123.html">'
      '<meta property="article:published_time" content="2022-07-14T08:30:00+07:00">'
      '<meta name="author" content="Lan Phương">').format(t=TITLE)
LD = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
                 "datePublished": "2022-07-13T23:30:00Z", "author": {"@type": "Person", "name": "Lan Phương"},
                 "publisher": {"@type": "Organization", "name": "Báo Thử"},
                 "mainEntityOfPage": {"@id": "https://baothu.vn/tin/hoi-nghi-123.html"}}, ensure_ascii=False)
GRAPH = json.dumps({"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "name": "Trang khác"},
    {"@type": ["NewsArticle"], "headline": TITLE, "datePublished": "2022-07-14",
     "author": [{"@type": "Person", "name": "Lan Phương"}], "publisher": {"name": "Báo Thử"},
     "url": "https://baothu.vn/tin/hoi-nghi-123.html"}]}, ensure_ascii=False)
DC = ('<meta name="DC.title" content="x"><meta name="DC.date.issued" content="2022-07-14">'
      '<meta name="DC.publisher" content="Báo Thử"><meta name="DC.creator" content="Lan Phương">'
      '<link rel="canonical" href="/tin/hoi-nghi-123.html">')
MICRO = ('<meta itemprop="datePublished" content="2022-07-14T08:30:00+07:00">'
         '<div itemprop="publisher" itemscope><meta itemprop="name" content="Báo Thử"></div>'
         '<p itemprop="author" itemscope><span itemprop="name">Lan Phương</span> (TTXVN)</p>')
FULL = {"title": TITLE, "published": dt.date(2022, 7, 14), "author": "Lan Phương", "publisher": "Báo Thử",
        "url": "https://baothu.vn/tin/hoi-nghi-123.html"}
DATE_ONLY = {"published": dt.date(2021, 1, 22)}
METADATA = [
    ("open-graph", {"head": OG}, None, FULL),
    ("json-ld", {"head": f'<script type="application/ld+json">{LD}</script>'}, None, FULL),
    ("json-ld-graph", {"head": f'<script type="application/ld+json">{GRAPH}</script>'}, None, FULL),
    ("dublin-core-relative-canonical", {"head": DC}, "https://baothu.vn/tin/khac.html", FULL),
    ("microdata", {"head": '<meta property="og:url" content="https://baothu.vn/tin/hoi-nghi-123.html">',
                   "meta_line": MICRO}, None, FULL),
    ("title-tag-and-byline", {"head": '<meta property="og:site_name" content="Báo Thử">'}, None,
     {"title": TITLE, "publisher": "Báo Thử", "author": "Lan Phương", "published": None, "url": None}),
    ("url-given", {}, "https://baothu.vn/tin/hoi-nghi-123.html", {"url": "https://baothu.vn/tin/hoi-nghi-123.html"}),
    ("visible-weekday", {"meta_line": '<span class="date">Thứ Sáu, 22/01/2021 08:30</span>'}, None, DATE_ONLY),
    ("visible-dash", {"meta_line": "<span>22/01/2021 - 08:30</span>"}, None, DATE_ONLY),
    ("visible-updated", {"meta_line": "<span>Cập nhật: 22-01-2021</span>"}, None, DATE_ONLY),
    ("visible-words", {"meta_line": "<span>Hà Nội, ngày 22 tháng 1 năm 2021</span>"}, None, DATE_ONLY),
    ("visible-time-element", {"meta_line": '<time datetime="2021-01-22T08:30:00+07:00">22/01</time>'}, None, DATE_ONLY),
]


@pytest.mark.parametrize("parts, url, expected", [c[1:] for c in METADATA], ids=[c[0] for c in METADATA])
def test_metadata_from_every_source(parts, url, expected):
    got = read(page(**parts), url=url)
    assert {k: getattr(got, k) for k in expected} == expected
    assert got.text == ARTICLE  # the date line is not text


DATES = [
    ("iso-offset", "2022-07-14T08:30:00+07:00", dt.date(2022, 7, 14)),
    ("iso-utc-late-evening-is-next-day-in-vietnam", "2021-01-21T23:30:00Z", dt.date(2021, 1, 22)),
    ("iso-date", "2021-01-22", dt.date(2021, 1, 22)),
    ("weekday", "Thứ Sáu, 22/01/2021 08:30", dt.date(2021, 1, 22)),
    ("weekday-nfd", unicodedata.normalize("NFD", "Thứ Sáu, 22/01/2021"), dt.date(2021, 1, 22)),
    ("dash-time", "22/01/2021 - 08:30", dt.date(2021, 1, 22)),
    ("updated", "Cập nhật: 22-01-2021", dt.date(2021, 1, 22)),
    ("words", "ngày 22 tháng 1 năm 2021", dt.date(2021, 1, 22)),
    ("not-a-date", "31/02/2021", None),
    ("no-year", "Sáng 14/7", None),
    ("nothing", "", None),
]


@pytest.mark.parametrize("value, expected", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_date_of(value, expected):
    assert date_of(value) == expected


# --- bytes --------------------------------------------------------------------------------

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


CHARSETS = [
    ("utf-8-declared", lambda: page().encode("utf-8")),
    ("utf-8-undeclared", lambda: page(charset="").encode("utf-8")),
    ("utf-8-bom", lambda: b"\xef\xbb\xbf" + page(charset="").encode("utf-8")),
    ("utf-16-bom", lambda: page(charset="").encode("utf-16")),
    ("windows-1258-meta-charset", lambda: encode_cp1258(page(charset='<meta charset="windows-1258">'))),
    ("windows-1258-http-equiv", lambda: encode_cp1258(page(
        charset='<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'))),
    ("windows-1258-undeclared", lambda: encode_cp1258(page(charset=""))),
    ("declared-latin-1-but-utf-8", lambda: page(charset='<meta charset="iso-8859-1">').encode("utf-8")),
    ("declared-utf-16-in-ascii-bytes", lambda: page(charset='<meta charset="utf-16">').encode("utf-8")),
    ("vni-font-text-declared-windows-1252", lambda: encode_vni(page(charset='<meta charset="windows-1252">'))),
]


@pytest.mark.parametrize("make", [c[1] for c in CHARSETS], ids=[c[0] for c in CHARSETS])
def test_charsets(make):
    got = read_html(make(), Path("bai.html"))
    assert _nfc(got.text) == _nfc(ARTICLE) and got.title == TITLE


def test_legacy_bytes_say_how_they_were_read():
    got = read_html(encode_cp1258(page(charset="")), Path("bai.html"))
    assert got.notes[0] == "decoded as Windows-1258"


def _mhtml(html: str, encoding: str, location: str = "https://baothu.vn/tin/hoi-nghi-123.html") -> bytes:
    root = MIMEMultipart("related", type="text/html")
    root["Snapshot-Content-Location"] = location
    if encoding == "quoted-printable":
        charset = Charset("utf-8")
        charset.body_encoding = QP
        part = MIMEText(html, "html", charset)
    else:
        part = MIMEText(html, "html", "utf-8")  # base64
    part["Content-Location"] = location
    root.attach(part)
    image = MIMEApplication(b"\x89PNG\r\n\x1a\n\x00\x00", "png")
    image.replace_header("Content-Type", "image/png")
    image["Content-Location"] = "https://baothu.vn/anh.jpg"
    root.attach(image)
    return root.as_bytes()


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
def test_mhtml(encoding):
    raw = _mhtml(page(), encoding)
    assert f"Content-Transfer-Encoding: {encoding}".encode() in raw
    got = read_mhtml(raw, Path("bai.mhtml"))
    assert got.text == ARTICLE and got.kind == "mhtml"
    assert got.url == "https://baothu.vn/tin/hoi-nghi-123.html"  # from Content-Location: the page names none


def test_mhtml_canonical_wins_over_content_location():
    html = page(head='<link rel="canonical" href="https://baothu.vn/tin/goc-1.html">')
    assert read_mhtml(_mhtml(html, "base64"), Path("bai.mhtml")).url == "https://baothu.vn/tin/goc-1.html"


def test_mhtml_as_chrome_writes_it():
    tokens = [bytes([c]) if 32 < c < 127 and c != 61 else b"=%02X" % c for c in page().encode("utf-8")]
    lines, line = [], b""
    for token in tokens:  # soft line breaks every 76 characters at most, never inside an =XX
        if len(line) + len(token) > 75:
            lines.append(line)
            line = b""
        line += token
    lines = b"=\r\n".join([*lines, line])
    raw = (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://baothu.vn/tin/hoi-nghi-123.html\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n"
           b"\tboundary=\"----MultipartBoundary--x--\"\r\n\r\n------MultipartBoundary--x--\r\n"
           b"Content-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
           b"Content-Transfer-Encoding: quoted-printable\r\n"
           b"Content-Location: https://baothu.vn/tin/hoi-nghi-123.html\r\n\r\n" + lines
           + b"\r\n------MultipartBoundary--x----\r\n")
    got = read_mhtml(raw, Path("bai.mht"))
    assert got.text == ARTICLE and got.url == "https://baothu.vn/tin/hoi-nghi-123.html"


# --- bad input ----------------------------------------------------------------------------

INDEX = page(body=(), lead="", byline="").replace("<h1", "<ul class='list'>" + "".join(
    f"<li><h3><a href='/bai-{i}.html'>Tỉnh ủy tổ chức hội nghị chuyên đề lần thứ {i} trong năm</a></h3>"
    f"<p>Ban Thường vụ Tỉnh ủy đánh giá kết quả thực hiện nghị quyết và bàn nhiệm vụ thời gian tới số {i}.</p>"
    f"<span>1{i}/07/2022</span></li>" for i in range(8)) + "</ul><h1")
LOGIN = page(body=(), lead="", byline="").replace(
    '<div class="content">', '<div class="content"><form><input name="u"><input type="password" name="p"></form>')
SHELL = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Báo Thử</title></head><body>'
         '<div id="app"></div><noscript>Bật JavaScript để đọc báo.</noscript><script src="/app.js"></script>'
         '<script>window.__STATE__ = {};</script></body></html>')
ENGLISH = page(lang="en", title="Provincial party committee holds its eighth plenary meeting on the economy",
               lead="The provincial party committee met on Thursday to review the first half of the year.",
               body=tuple("The delegates discussed public investment, land clearance and the digital "
                          "transformation of party and state agencies in the province. " * 2 for _ in range(3)),
               byline="By a staff reporter")
FRENCH_SAYING_VI = page(title="Le comité provincial du parti tient sa huitième session plénière sur l'économie",
                        lead="Le comité provincial s'est réuni jeudi pour examiner le premier semestre de l'année.",
                        body=tuple("Les délégués ont discuté des investissements publics, du déblaiement des terrains "
                                   "et de la transformation numérique des administrations. " * 2 for _ in range(3)),
                        byline="Notre correspondant")
BAD = [
    ("empty", "bai.html", b"  \n", "empty file"),
    ("binary", "anh.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("plain-text", "bai.html", ARTICLE.encode("utf-8"), "not an HTML page"),
    ("truncated", "bai.html", page().encode("utf-8")[:2500], "truncated"),
    ("garbage-bytes", "bai.html", b"<html><body>" + bytes(range(128, 256)) * 40 + b"</body></html>", "cannot decode"),
    ("index-page", "chuyen-muc.html", INDEX.encode("utf-8"), "index"),
    ("login-page", "dang-nhap.html", LOGIN.encode("utf-8"), "login"),
    ("javascript-shell", "app.html", SHELL.encode("utf-8"), "JavaScript"),
    ("english", "english.html", ENGLISH.encode("utf-8"), "not in Vietnamese"),
    ("french-saying-vi", "francais.html", FRENCH_SAYING_VI.encode("utf-8"), "not in Vietnamese"),
    ("mhtml-no-html-part", "bai.mhtml", MIMEApplication(b"\x00\x01", "octet-stream").as_bytes(), "no text/html part"),
    ("mhtml-not-mime", "bai.mht", page().encode("utf-8"), "not an MHTML file"),
    ("mhtml-empty-html-part", "bai.mhtml", _mhtml(" ", "base64"), "empty"),
]


@pytest.mark.parametrize("name, raw, says", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_an_input_error_naming_the_file(name, raw, says):
    reader = read_mhtml if name.endswith((".mhtml", ".mht")) else read_html
    with pytest.raises(InputError) as caught:
        reader(raw, Path("thu-muc") / name)
    message = str(caught.value)
    assert name in message and says.lower() in message.lower() and "\n" not in message


def test_a_page_of_too_many_blocks_is_refused_quickly():
    with pytest.raises(InputError, match="blocks"):
        read(page().replace("<main>", "<main>" + "<br>" * 20_001), "dai.html")


@settings(max_examples=40, deadline=None)
@given(raw=st.binary(max_size=3000), cut=st.integers(min_value=0, max_value=20_000))
def test_any_bytes_give_a_read_or_an_input_error(raw, cut):
    for data in (raw, page().encode("utf-8")[:cut] + raw):
        for reader in (read_html, read_mhtml):
            try:
                reader(data, Path("bai.html"))
            except InputError as exc:
                assert "\n" not in str(exc)


def test_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the reader tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert read(page(head=OG), url="https://baothu.vn/tin/hoi-nghi-123.html").text == ARTICLE


# --- the page corpus (tests/pages) --------------------------------------------------------

@pytest.mark.skipif(not (PAGES / "manifest.json").exists(), reason="tests/pages/manifest.json not made")
def test_page_corpus_averages():
    measure = pytest.importorskip("pages.measure")
    manifest = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))
    scores, fields = [], []
    for entry in [e for e in manifest["files"] if e["kind"] in ("html", "mhtml")]:
        reader = read_mhtml if entry["kind"] == "mhtml" else read_html
        got = reader((PAGES / entry["file"]).read_bytes(), PAGES / entry["file"])
        scores.append(measure.f1(got.text, (PAGES / entry["text"]).read_text(encoding="utf-8")))
        fields += [measure.field_ok(f, getattr(got, f), entry["expect"][f]) for f in measure.FIELDS]
    assert scores and sum(scores) / len(scores) >= 0.97 and sum(fields) / len(fields) >= 0.95
    for entry in [e for e in manifest["bad"] if e["kind"] in ("html", "mhtml")]:
        reader = read_mhtml if entry["kind"] == "mhtml" else read_html
        with pytest.raises(InputError):
            reader((PAGES / entry["file"]).read_bytes(), PAGES / entry["file"])
