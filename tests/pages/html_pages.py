"""Five page templates modelled on Vietnamese news sites, and the page record they return.

`render(article, site, url, pool)` picks the article's template and returns a :class:`Page`:
the HTML (str; make.py chooses the bytes), the text a good reader should return, and the
metadata it should find. Templates differ in layout and in where they state their metadata:

- provincial: a provincial party paper; date only as a visible line "Thứ Năm, 14/07/2022 08:30",
  og:url for the address, author only as a byline at the end;
- daily: a national daily; canonical link, og:*, article:published_time, meta author, JSON-LD;
- agency: the news agency; schema.org microdata (itemprop) and a canonical link;
- portal: a government or party-committee portal; Dublin Core metas, http-equiv charset, tables;
- journal: a party journal; a JSON-LD @graph and og:* with an ISO date.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pages import html_parts as P
from pages.article import Article, document_lines, plain
from pages.html_doc import document_html, document_info


@dataclass(frozen=True)
class Page:
    html: str
    text: str  # what a good reader returns as the article's text
    expect: dict  # the metadata the page states


def render(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    template = TEMPLATES[article.facts["template"]]
    return template(article, site, url, pool)


def _text(article: Article, with_byline: bool) -> str:
    if article.letter:
        parts = [article.title, "\n".join(document_lines(article))]
    else:
        parts = [article.title, plain(article.lead), *P.body_text(article.blocks)]
        if with_byline and article.byline:
            parts.append(article.byline)
    return "\n\n".join(parts) + "\n"


def _expect(article: Article, site: dict, url: str, author: bool = True) -> dict:
    return {"title": article.meta_title, "published": article.facts["published"],
            "author": article.author if author else None, "publisher": site["name"], "url": url, "language": "vi"}


def _header(site: dict, extra: str = "") -> str:
    return (f'<header class="header"><div class="top-bar"><span class="hotline">Đường dây nóng: {P.esc(site["phone"])}</span>'
            f'<a href="/rss">RSS</a><a href="/dang-nhap">Đăng nhập</a></div>'
            f'<a class="logo" href="/"><img src="/images/logo-{P.slug(site["short"])}.png" alt="{P.esc(site["name"])}"></a>'
            f'{P.nav()}<form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"></form>{extra}</header>')


def _byline_end(article: Article, cls: str = "author") -> str:
    return f'<p class="{cls}" style="text-align:right"><strong>{P.esc(article.byline)}</strong></p>' if article.byline else ""


def provincial(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    moment = P.when(article)
    head = (f'<meta charset="utf-8"><title>{P.esc(article.meta_title)} - {P.esc(site["name"])}</title>'
            f'<meta name="description" content="{P.esc(plain(article.lead)[:160])}">'
            f'<meta name="keywords" content="{P.esc(site["short"])}, {P.esc(article.facts["section"])}, tin tức">'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{P.esc(article.meta_title)}">'
            f'<meta property="og:site_name" content="{P.esc(site["name"])}"><meta property="og:url" content="{P.esc(url)}">'
            f'<meta property="og:image" content="{P.image_url(site, article, 1)}">{P.style()}')
    main = (f'{P.breadcrumbs(article.facts["section"])}<div class="detail"><h1 class="title">{P.esc(article.title)}</h1>'
            f'<div class="meta"><span class="date">{P.vi_date(moment)}</span>{P.share_bar(url, article.title)}</div>'
            f'<div class="sapo">{P.inline(article.lead)}</div><div class="content">{P.body(article, site)}'
            f'{_byline_end(article)}</div>{P.share_bar(url, article.title)}'
            f'{P.titles_box("Tin liên quan", P.other_titles(article, pool, 3), "related")}{P.comments(article)}</div>')
    aside = f'<aside>{P.ad("right")}{P.titles_box("Xem nhiều nhất", P.rng(article).sample(pool, 5), "most-read")}</aside>'
    page = _page(head, f'{P.cookie_banner()}{_header(site)}{P.ad("top", "970x90")}'
                 f'<div class="container"><main>{main}</main>{aside}</div>{P.footer(site)}{P.scripts(site)}')
    return Page(page, _text(article, True), _expect(article, site, url))


def daily(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    moment = P.when(article)
    iso = moment.isoformat()
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.meta_title,
          "datePublished": iso, "dateModified": iso, "mainEntityOfPage": url,
          "image": [P.image_url(site, article, 1)],
          "publisher": {"@type": "Organization", "name": site["name"],
                        "logo": {"@type": "ImageObject", "url": f"https://{site['host']}/logo.png"}}}
    if article.author:
        ld["author"] = {"@type": "Person", "name": article.author}
    head = (f'<meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{P.esc(article.meta_title)} | {P.esc(site["name"])}</title><link rel="canonical" href="{P.esc(url)}">'
            f'<meta property="og:title" content="{P.esc(article.meta_title)}"><meta property="og:site_name" content="{P.esc(site["name"])}">'
            f'<meta property="og:url" content="{P.esc(url)}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{iso}"><meta property="article:section" content="{P.esc(article.facts["section"])}">'
            + (f'<meta name="author" content="{P.esc(article.author)}">' if article.author else "")
            + f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>{P.style(".sapo{font-size:18px}")}')
    byline = f'<div class="author-info">Tác giả: <a class="author" href="/tac-gia/{P.slug(article.author)}">{P.esc(article.author)}</a></div>' if article.author else ""
    ticker = P.titles_box("Tin mới", P.rng(article).sample(pool, 4), "ticker")
    main = (f'{P.breadcrumbs(article.facts["section"], " / ")}<article class="article"><h1 class="article-title">{P.esc(article.title)}</h1>'
            f'{byline}<div class="article-meta"><time>{moment:%d/%m/%Y %H:%M} GMT+7</time>{P.share_bar(url, article.title)}</div>'
            f'<h2 class="sapo">{P.inline(article.lead)}</h2>{P.ad("inread", "640x360")}<div class="article-body">{P.body(article, site, "photo")}</div>'
            f'</article>{P.titles_box("Tin cùng chuyên mục", P.other_titles(article, pool, 4), "same-section")}{P.comments(article)}')
    aside = f'<aside>{P.titles_box("Xem nhiều nhất", P.rng(article).sample(pool, 6), "most-read")}{P.ad("sidebar")}</aside>'
    page = _page(head, f'{_header(site, ticker)}<div class="layout"><main>{main}</main>{aside}</div>'
                 f'{P.cookie_banner()}{P.footer(site)}{P.scripts(site)}')
    return Page(page, _text(article, False), _expect(article, site, url))


def agency(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    moment = P.when(article)
    head = (f'<meta charset="utf-8"><title>{P.esc(article.meta_title)} | {P.esc(site["name"])}</title>'
            f'<link rel="canonical" href="{P.esc(url)}"><meta property="og:title" content="{P.esc(article.meta_title)}">'
            f'<meta property="og:url" content="{P.esc(url)}"><meta property="og:image" content="{P.image_url(site, article, 1)}">'
            f'{P.style(".sapo{color:#333}")}')
    author = (f'<p class="author" itemprop="author" itemscope itemtype="https://schema.org/Person">'
              f'{_name_span(article)}</p>') if article.byline else ""
    micro = (f'<meta itemprop="datePublished" content="{moment.isoformat()}">'
             f'<div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
             f'<meta itemprop="name" content="{P.esc(site["name"])}"></div>')
    main = (f'{P.breadcrumbs(article.facts["section"], " » ")}<article itemscope itemtype="https://schema.org/NewsArticle">{micro}'
            f'<h1 itemprop="headline">{P.esc(article.title)}</h1><div class="date">{moment:%d/%m/%Y %H:%M}</div>'
            f'{P.share_bar(url, article.title)}<h2 class="sapo" itemprop="description">{P.inline(article.lead)}</h2>'
            f'<div itemprop="articleBody">{P.body(article, site)}{author}</div></article>'
            f'{P.titles_box("Tin liên quan", P.other_titles(article, pool, 3), "related")}{P.ad("bottom", "728x90")}{P.comments(article)}')
    aside = f'<aside>{P.titles_box("Đọc nhiều", P.rng(article).sample(pool, 5), "most-read")}{P.ad("right")}</aside>'
    page = _page(head, f'{_header(site)}<div class="wrap"><main>{main}</main>{aside}</div>'
                 f'{P.footer(site)}{P.cookie_banner()}{P.scripts(site)}')
    return Page(page, _text(article, True), _expect(article, site, url, author=article.byline is not None))


def _name_span(article: Article) -> str:
    """The byline with the author's name marked up as itemprop=name, the rest ('(TTXVN)') outside it."""
    byline, name = article.byline or "", article.author or ""
    before, found, after = byline.partition(name)
    if not found:
        return f'<span itemprop="name">{P.esc(byline)}</span>'
    return f'{P.esc(before)}<span itemprop="name">{P.esc(name)}</span>{P.esc(after)}'


def portal(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    moment = P.when(article)
    head = ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<title>\n\t{P.esc(article.meta_title)} - {P.esc(site["name"])}\n</title>'
            f'<link rel="canonical" href="{P.esc(url)}"><meta name="DC.title" content="{P.esc(article.meta_title)}">'
            f'<meta name="DC.date.issued" scheme="W3CDTF" content="{moment:%Y-%m-%d}">'
            f'<meta name="DC.publisher" content="{P.esc(site["name"])}"><meta name="DC.language" content="vi">'
            + (f'<meta name="DC.creator" content="{P.esc(article.author)}">' if article.byline else "")
            + P.style("table.layout td{vertical-align:top}"))
    if article.letter:
        content = document_info(article) + document_html(article)
    else:
        content = (f'<p class="sapo"><b>{P.inline(article.lead)}</b></p>{P.body(article, site)}{_byline_end(article, "tacgia")}')
    main = (f'<table class="layout" width="100%"><tr><td class="left">{P.nav(P.NAV[:12], "left-menu")}</td><td class="center">'
            f'{P.breadcrumbs(article.facts["section"], " > ")}<div class="news-detail"><h1 class="news-title">{P.esc(article.title)}</h1>'
            f'<div class="news-date">Ngày đăng: {moment:%d/%m/%Y %H:%M} | Lượt xem: {P.rng(article).randint(120, 9000)}</div>'
            f'<div class="news-content">{content}</div>{P.share_bar(url, article.title)}'
            f'{P.titles_box("Tin cùng chuyên mục", P.other_titles(article, pool, 5), "same-section")}</div></td>'
            f'<td class="right">{P.titles_box("Xem nhiều nhất", P.rng(article).sample(pool, 5), "most-read")}{P.ad("right", "250x250")}</td></tr></table>')
    banner = f'<div class="banner"><img src="/Style Library/images/banner.jpg" alt="{P.esc(site["name"])}"><span>{P.esc(site["name"])}</span></div>'
    page = _page(head, f'{banner}{_header(site)}{main}{P.comments(article)}{P.footer(site)}{P.cookie_banner()}{P.scripts(site)}')
    return Page(page, _text(article, True), _expect(article, site, url, author=article.byline is not None))


def journal(article: Article, site: dict, url: str, pool: list[str]) -> Page:
    moment = P.when(article)
    utc = moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    news = {"@type": "NewsArticle", "headline": article.meta_title, "datePublished": utc, "inLanguage": "vi",
            "isPartOf": {"@id": f"https://{site['host']}/#website"}, "articleSection": article.facts["section"],
            "publisher": {"@type": "Organization", "name": site["name"]}}
    if article.author:
        news["author"] = [{"@type": "Person", "name": article.author}]
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": f"https://{site['host']}/#website", "name": site["name"], "url": f"https://{site['host']}/"},
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{article.meta_title} - {site['name']}"},
        {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": article.facts["section"]}]},
        news]}
    head = (f'<meta charset="utf-8"><title>{P.esc(article.meta_title)} - {P.esc(site["name"])}</title>'
            f'<meta property="og:locale" content="vi_VN"><meta property="og:title" content="{P.esc(article.meta_title)}">'
            f'<meta property="og:site_name" content="{P.esc(site["name"])}"><meta property="og:url" content="{P.esc(url)}">'
            f'<meta property="article:published_time" content="{utc}">'
            f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False, indent=1)}</script>{P.style()}')
    byline = f'<div class="author">{P.esc(article.author)}</div>' if article.author else ""
    main = (f'{P.breadcrumbs(article.facts["section"])}<div class="journal-article"><h1>{P.esc(article.title)}</h1>{byline}'
            f'<div class="date">{moment:%d/%m/%Y} | {moment:%H:%M}</div><div class="sapo"><p><b>{P.inline(article.lead)}</b></p></div>'
            f'<div class="body">{P.body(article, site, "journal-figure")}</div>{P.share_bar(url, article.title)}</div>'
            f'{P.titles_box("Tin cùng chuyên mục", P.other_titles(article, pool, 4), "same-section")}{P.comments(article)}')
    aside = f'<aside>{P.titles_box("Xem nhiều nhất", P.rng(article).sample(pool, 5), "most-read")}{P.ad("sidebar", "300x600")}</aside>'
    page = _page(head, f'{_header(site)}{P.cookie_banner()}<div class="page"><main>{main}</main>{aside}</div>{P.footer(site)}{P.scripts(site)}')
    return Page(page, _text(article, False), _expect(article, site, url))


def _page(head: str, body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n'


TEMPLATES = {"provincial": provincial, "daily": daily, "agency": agency, "portal": portal, "journal": journal}
