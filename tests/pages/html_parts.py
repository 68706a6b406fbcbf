"""The furniture every page template shares: menus, share bars, boxes, comments, banners, footers.

Each function takes plain values and returns an HTML fragment (str). Choices that vary
between pages (which comments, which related titles) come from a `random.Random` seeded with
the article's name, so every run writes the same bytes.
"""
from __future__ import annotations

import datetime as dt
import html
import random
import re
import unicodedata

from pages.article import Article, Block, plain

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
NAV = ("Trang chủ", "Thời sự", "Chính trị", "Xây dựng Đảng", "Kinh tế", "Xã hội", "Pháp luật",
       "Quốc phòng - An ninh", "Văn hóa", "Giáo dục", "Y tế", "Thể thao", "Du lịch", "Nông nghiệp",
       "Khoa học - Công nghệ", "Quốc tế", "Bạn đọc", "Ảnh", "Video", "Podcast", "E-paper")
COMMENTS = (
    ("Nguyễn Văn Hải", "Mong tỉnh sớm triển khai các nội dung nghị quyết đến từng thôn, bản."),
    ("Trần Thị Thu", "Bài viết rất hay, cảm ơn phóng viên đã thông tin kịp thời."),
    ("Lê Minh", "Đề nghị báo theo dõi, phản ánh tiếp việc thực hiện các chỉ tiêu đã đề ra."),
    ("Phạm Quang", "Hy vọng các dự án giao thông sớm được hoàn thành để người dân được hưởng lợi."),
    ("Hoàng Anh", "Chúc hội nghị thành công tốt đẹp!"),
    ("Đỗ Thị Mai", "Cần quan tâm hơn nữa đến đời sống bà con vùng sâu, vùng xa."),
)
CAPTIONS = ("Quang cảnh hội nghị.", "Các đại biểu dự hội nghị.", "Đại biểu biểu quyết thông qua nghị quyết.",
            "Toàn cảnh buổi làm việc.")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def inline(text: str) -> str:
    """Escaped text with Markdown **bold** turned into <strong>."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", esc(text))


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = ascii_.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")


def rng(article: Article) -> random.Random:
    return random.Random(article.name)


def when(article: Article) -> dt.datetime:
    date = dt.date.fromisoformat(article.facts["published"])
    hour, minute = map(int, article.facts["time"].split(":"))
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def vi_date(moment: dt.datetime) -> str:
    """'Thứ Năm, 14/07/2022 08:30', the date line a Vietnamese paper prints."""
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y %H:%M}"


def nav(items: tuple[str, ...] = NAV, cls: str = "main-menu") -> str:
    links = "".join(f'<li><a href="/{slug(i) or "home"}">{esc(i)}</a></li>' for i in items)
    return f'<nav class="{cls}"><ul>{links}</ul></nav>'


def breadcrumbs(section: str, sep: str = " › ") -> str:
    return (f'<div class="breadcrumb"><a href="/">Trang chủ</a>{esc(sep)}'
            f'<a href="/{slug(section)}">{esc(section)}</a></div>')


def share_bar(url: str, title: str) -> str:
    u = html.escape(url, quote=True)
    return (f'<div class="share"><span>Chia sẻ</span>'
            f'<a class="fb" href="https://www.facebook.com/sharer/sharer.php?u={u}">Facebook</a>'
            f'<a class="zalo" href="https://zalo.me/share?url={u}">Zalo</a>'
            f'<a class="mail" href="mailto:?subject={esc(title)}">Email</a>'
            f'<a class="print" href="javascript:window.print()">In bài</a></div>')


def titles_box(heading: str, titles: list[str], cls: str) -> str:
    items = "".join(f'<li><a href="/{slug(t)[:60]}.html">{esc(t)}</a></li>' for t in titles)
    return f'<section class="{cls}"><h3>{esc(heading)}</h3><ul>{items}</ul></section>'


def other_titles(article: Article, pool: list[str], k: int) -> list[str]:
    others = [t for t in pool if t != article.title]
    return list(article.related) + rng(article).sample(others, k)


def comments(article: Article) -> str:
    picked = rng(article).sample(COMMENTS, 3)
    items = "".join(f'<li class="comment"><b class="name">{esc(n)}</b><time>2 ngày trước</time>'
                    f'<p>{esc(c)}</p><a href="#" class="reply">Trả lời</a></li>' for n, c in picked)
    return (f'<section id="comments"><h3>Bình luận ({len(picked)})</h3><ul>{items}</ul>'
            '<form class="comment-form"><textarea placeholder="Ý kiến của bạn"></textarea>'
            '<input placeholder="Họ tên"><input placeholder="Email">'
            '<button type="submit">Gửi bình luận</button></form></section>')


def cookie_banner() -> str:
    return ('<div id="cookie-consent" class="cookie"><p>Chúng tôi sử dụng cookie để cải thiện trải nghiệm '
            'của bạn trên trang. Tiếp tục sử dụng trang nghĩa là bạn đồng ý với chính sách này.</p>'
            '<button onclick="acceptCookies()">Đồng ý</button></div>')


def ad(slot: str, size: str = "300x250") -> str:
    return (f'<div class="ads ads-{slot}"><span class="ads-label">Quảng cáo</span>'
            f'<a href="https://ads.example.vn/click?slot={slot}" rel="nofollow">'
            f'<img src="https://ads.example.vn/banner/{size}.jpg" alt="Quảng cáo"></a></div>')


def footer(site: dict, extra: str = "") -> str:
    return (f'<footer class="footer"><div class="logo-footer">{esc(site["short"])}</div>'
            f'<p>Cơ quan chủ quản: {esc(site["owner"])}</p>'
            f'<p>Chịu trách nhiệm nội dung: {esc(site["editor"])}</p>'
            f'<p>{esc(site["licence"])}</p>'
            f'<p>Địa chỉ: {esc(site["address"])} - Điện thoại: {esc(site["phone"])}</p>'
            f'<p>Email: toasoan@{esc(site["host"])}</p>'
            f'<p>© Bản quyền thuộc về {esc(site["name"])}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>'
            f'{extra}</footer>')


def scripts(site: dict) -> str:
    return ('<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}'
            "gtag('js',new Date());gtag('config','G-" + slug(site["short"]).upper()[:8] + "');</script>"
            '<script>function acceptCookies(){document.getElementById("cookie-consent").style.display="none";'
            'document.cookie="consent=1;path=/;max-age=31536000";}</script>'
            '<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>')


def style(extra: str = "") -> str:
    return ("<style>body{font-family:Arial,sans-serif;margin:0}.main-menu ul{display:flex;list-style:none}"
            ".sapo{font-weight:bold}.ads{margin:10px 0;text-align:center}.cookie{position:fixed;bottom:0}"
            f"figure{{margin:0}}figcaption{{font-style:italic;font-size:90%}}{extra}</style>")


def figures(article: Article) -> list[Block]:
    """Body blocks with one or two figures: the text's own captions, or made-up ones when it has none."""
    blocks = list(article.blocks)
    if any(b.kind == "caption" for b in blocks):
        return blocks
    r = rng(article)
    credit = article.author or article.facts["publisher"]
    blocks.insert(min(1, len(blocks)), Block("caption", f"{r.choice(CAPTIONS)} Ảnh: {credit}"))
    if len(blocks) >= 6:
        blocks.insert(len(blocks) // 2 + 1, Block("caption", f"{r.choice(CAPTIONS)} Ảnh: {credit}"))
    return blocks


def image_url(site: dict, article: Article, k: int) -> str:
    moment = when(article)
    return f"https://img.{site['host']}/uploads/{moment:%Y/%m/%d}/{slug(article.title)[:40]}-{k}.jpg"


def body(article: Article, site: dict, figure_cls: str = "image") -> str:
    parts = []
    for k, block in enumerate(figures(article), 1):
        if block.kind == "caption":
            parts.append(f'<figure class="{figure_cls}"><img src="{image_url(site, article, k)}" '
                         f'alt="{esc(plain(block.text))}"><figcaption>{inline(block.text)}</figcaption></figure>')
        elif block.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            parts.append(f'<table class="data">{rows}</table>')
        else:
            parts.append(f"<p>{inline(block.text)}</p>")
    return "\n".join(parts)


def body_text(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    """The paragraphs a reader should return for these blocks: captions left out, table rows one a line."""
    out = []
    for block in blocks:
        if block.kind == "table":
            out.append("\n".join("\t".join(row) for row in block.rows))
        elif block.kind == "p":
            out.append(plain(block.text))
    return out
