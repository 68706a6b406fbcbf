"""PDF and Word files of the dev-set articles, with the text and metadata a good reader recovers.

`pdf_made(article, site, url, pool)` and `docx_made(article, site)` return a `record.Made`.
Official documents (those with a letterhead) become typed documents; news articles become a
browser's printout (PDF) or a newsroom copy (DOCX). What each file states, and so what its
manifest entry expects: a document's properties carry the title and the signer as author, its
letterhead the issuer and the date, and it has no URL; a printout carries the page title, the
article's visible date line and the URL in its footer; a newsroom copy carries title, date
line, author and the paper's name in its header, and no URL.
"""
from __future__ import annotations

from pages import docxs, pdfs
from pages import html_parts as P
from pages.article import Article, document_lines, plain
from pages.record import Made


def expected_text(article: Article) -> str:
    if article.letter:
        return "\n".join(document_lines(article)) + "\n"
    parts = [article.title, plain(article.lead), *P.body_text(article.blocks)]
    return "\n\n".join(parts + ([article.byline] if article.byline else [])) + "\n"


def _expect(article: Article, site: dict, url: str | None) -> dict:
    author = article.letter.signature[-1] if article.letter else article.author
    return {"title": article.meta_title, "published": article.facts["published"], "author": author,
            "publisher": site["name"], "url": url, "language": "vi"}


def _entry(kind: str, article: Article, site: dict, url: str | None) -> dict:
    form = "document" if article.letter else ("printout" if kind == "pdf" else "newsroom copy")
    return {"kind": kind, "form": form, "article": article.source, "expect": _expect(article, site, url)}


def pdf_made(article: Article, site: dict, url: str, pool: list[str]) -> Made:
    if article.letter:
        data, url_ = pdfs.document_pdf(article, site), None
    else:
        data, url_ = pdfs.news_pdf(article, site, url, pool), url
    return Made(f"pdf/{article.name}.pdf", data, _entry("pdf", article, site, url_), expected_text(article))


def docx_made(article: Article, site: dict) -> Made:
    data = docxs.document_docx(article, site) if article.letter else docxs.news_docx(article, site)
    return Made(f"docx/{article.name}.docx", data, _entry("docx", article, site, None), expected_text(article))
