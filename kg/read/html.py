"""Read a saved article page (`.html`, `.htm`, `.mhtml`): its main text without the page around it.

Takes the bytes of one page as saved from a browser or a crawler (:func:`read_html`, and
optionally the URL it came from) or of an MHTML file (:func:`read_mhtml`, unpacked by
:mod:`kg.read.mhtml`); returns a :class:`~kg.read.base.Read` of kind ``"html"`` or ``"mhtml"``:
the headline on the first line, a blank line, then the article's paragraphs (lead included) one
a line with a blank line between them, and the metadata the page states: title, date of publication, author, site name,
canonical URL (absolute), language. Navigation, breadcrumbs, related-article boxes, share bars,
comments, cookie banners, footers and photo captions are left out.

trafilatura finds the article's text (chosen on measurement: ``docs/reading-html.md``); it is
given the parsed page and never touches the network. Metadata come from rules of our own first
(JSON-LD, meta tags, a date line near the title written as Vietnamese sites write it:
:mod:`kg.read.pagemeta`), trafilatura's guesses second.

Bytes are decoded by :mod:`kg.read.pagecode` (:func:`decode_html`): a byte-order mark, else the
charset the page declares, else UTF-8, else the legacy Vietnamese encodings of :mod:`kg.encodings`.
The text is not normalised (:mod:`kg.text` does that later), and the province is left to the caller.
This module keeps what turns a decoded page into a Read: parsing, the checks that refuse a page,
and the article's text assembled from trafilatura's tree (headline, lead, paragraphs, byline).

A page that is no article (an index, a login form, an empty shell filled by JavaScript), is
not in Vietnamese, is cut short or is not HTML is an :class:`InputError` naming the file.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import lxml.etree
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from ..errors import InputError
from .base import Read
from .mhtml import html_part
from .pagecode import decode_html
from .pagemeta import (VIETNAM, WORD, PageMeta, clean, date_of, first_h1, is_dateline, match_key, nfc, page_metadata,
                       person_name, visible_date)

MIN_CHARS = 300  # an article has this much prose at least; less is a teaser, a stub or a login page
MAX_BLOCKS = 3000  # past this many blocks, no fallback extractors (see _extract); articles have ~300
MAX_PAGE_BLOCKS = 20_000  # past this, no article page at all (trafilatura's time grows faster than the page)
PROSE_LINE = 60  # a line this long is prose; menus, buttons and link lists are shorter
VIETNAMESE_SHARE = 0.2  # Vietnamese prose has 0.5-0.65 of its words with ă đ ơ ư ạ…ỹ; other languages ~0

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_VIETNAMESE_LETTER = re.compile("[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9]")

_BLOCKS_XPATH = "//p|//div|//li|//td|//tr|//br|//h1|//h2|//h3|//h4|//dd|//dt|//blockquote|//pre"
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d"}


def read_html(raw: bytes, path: Path, url: str | None = None) -> Read:
    """A saved article page as its text and metadata; `url` is where it came from, if known."""
    page, notes = decode_html(raw, path)
    return read_page(page, path, url=url, notes=notes)


def read_mhtml(raw: bytes, path: Path) -> Read:
    """A page saved as MHTML, read from its main HTML part (:mod:`kg.read.mhtml`); the part's
    charset wins over the page's, its address stands in for a canonical URL the page lacks."""
    part = html_part(raw, path)
    page, notes = decode_html(part.html, path, charset=part.charset)
    return read_page(page, path, location=part.location, kind="mhtml", notes=notes)


# --- text to Read -----------------------------------------------------------------------

def read_page(page: str, path: Path, *, url: str | None = None, location: str | None = None,
              kind: str = "html", notes: tuple[str, ...] = ()) -> Read:
    """A decoded page as a Read. `url` is where the caller says it came from; `location` where
    a saved copy says it was (MHTML's Content-Location), used when the page names no URL."""
    tree = _parse(page, path)
    found = page_metadata(tree)
    base = url or location or found.url
    prepare(tree)
    body, extracted = _extract(tree, base, path)
    title = found.title or clean(extracted.title or "") or None
    headline = _headline(title, first_h1(tree))
    paragraphs, dropped = _paragraphs(body, (title, headline))
    paragraphs, byline = _completed(tree, paragraphs)
    text = "\n\n".join(paragraphs)
    _check_article(tree, text, _link_share(body), path)
    _check_language(tree, f"{headline or ''}\n{text}", path)
    return Read(
        text=f"{headline}\n\n{text}" if headline else text,
        kind=kind,
        title=title,
        published=found.published or date_of(extracted.date or ""),
        author=found.author or person_name(_byline_name(byline), found.publisher)
        or person_name(extracted.author, found.publisher),
        publisher=found.publisher or extracted.sitename or None,
        url=_absolute(found.url, base) or _absolute(url or location, None),
        language="vi",
        notes=notes + dropped,
    )


def _headline(title: str | None, h1: str | None) -> str | None:
    """The headline as the page prints it (its h1) when it is the title's, longer or shorter:
    the text's first line; the title otherwise."""
    if title and h1 and (match_key(title) in match_key(h1) or match_key(h1) in match_key(title)):
        return h1
    return title or h1


def _parse(page: str, path: Path) -> HtmlElement:
    head = page[:4096].lower()
    if not re.search(r"<(?:!doctype html|html|head|body|div|p|article|title)\b", head):
        raise InputError(path, "not an HTML page (no <html>, <body>, <div> or <p> tag near the start)")
    controls = len(_CONTROL.findall(page[:100_000]))
    if controls > max(8, len(page[:100_000]) // 200):
        raise InputError(path, f"garbage, not an HTML page ({controls} control or replacement characters)")
    if not re.search(r"</(?:body|html)\s*>", page[-65536:], re.IGNORECASE):
        raise InputError(path, "the page ends without </body> or </html>: the file looks truncated; save it again")
    try:
        tree = load_html(page)
    except (ValueError, lxml.etree.LxmlError, RecursionError) as exc:
        raise InputError(path, f"not parseable as HTML ({_one_line(exc)})") from exc
    if tree is None:
        raise InputError(path, "not parseable as HTML")
    blocks = len(tree.xpath(_BLOCKS_XPATH))
    if blocks > MAX_PAGE_BLOCKS:
        raise InputError(path, f"no article: {blocks:,} blocks (paragraphs, cells, list items) are more than an "
                               f"article page has (at most {MAX_PAGE_BLOCKS:,}); save the article alone")
    return tree


def _body(tree: HtmlElement) -> HtmlElement:
    body = tree.find("body")
    return tree if body is None else body


def _extract(tree: HtmlElement, url: str | None, path: Path) -> tuple[Any, Any]:
    """trafilatura's main-text tree (p, head, list, table, quote … as TEI-like elements) and
    its Document (metadata); no network, no language filter of its own. A page of more than
    MAX_BLOCKS blocks is read without trafilatura's fallback extractors: jusText's takes time
    quadratic in the number of short paragraphs (minutes for 20,000)."""
    fast = len(tree.xpath(_BLOCKS_XPATH)) > MAX_BLOCKS
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, fast=fast, include_comments=False, include_tables=True, include_images=False,
            include_links=True, include_formatting=False, deduplicate=False, with_metadata=True,
            date_extraction_params=_DATE_PARAMS)
    except (ValueError, TypeError, lxml.etree.LxmlError, RecursionError) as exc:
        raise InputError(path, f"no article found: the page could not be read ({_one_line(exc)})") from exc
    if doc is None or doc.body is None:
        raise InputError(path, _no_article(tree, 0))
    return doc.body, doc


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def prepare(tree: HtmlElement) -> None:
    """What every extractor should be given: layout tables undone, photo captions and a
    document's info box taken out (the article texts of this project carry no captions)."""
    _unlayout(tree)
    _drop_info_boxes(tree)
    for el in tree.xpath("//figcaption|//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]"):
        if el.tag == "figcaption" or (
                el.tag not in ("body", "main", "article", "section", "figure")
                and any(_CAPTION_CLASS.search(c) for c in (el.get("class") or "").split())
                and len(el.text_content()) <= 600):
            el.drop_tree()


_CAPTION_CLASS = re.compile(r"(?:^|[-_])caption(?:[-_]?text)?$", re.IGNORECASE)

_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "section", "article",
               "blockquote", "form", "nav")


def _unlayout(tree: HtmlElement) -> None:
    """Tables used for layout (a cell holding paragraphs or other blocks: a portal's columns, a
    letterhead, a signature block) become divs, so their blocks are read in order like any
    other; tables of data (cells of text) stay tables."""
    for table in list(tree.iter("table")):
        cells = table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th")
        if any(cell.xpath("|".join(f".//{t}" for t in _BLOCK_TAGS)) for cell in cells):
            for el in [table, *table.xpath("./*|./*/tr|./*/tr/*|./tr/*")]:
                el.tag = "div"


_INFO_BOX = re.compile(r"(?:thông tin|thuộc tính|chi tiết) văn bản|văn bản liên quan", re.IGNORECASE)


def _drop_info_boxes(tree: HtmlElement) -> None:
    """A portal's 'Thông tin văn bản' box (number, date, signer in a table) repeats what the
    document itself says; it goes, with its heading."""
    for head in tree.xpath("//h2|//h3|//h4|//h5|//h6"):
        if _INFO_BOX.fullmatch(nfc(clean(head.text_content())).rstrip(":")):
            box = head.getnext()
            if box is not None and box.tag in ("table", "dl", "ul", "ol"):
                box.drop_tree()
            head.drop_tree()


# the lead (sapo) and the byline, which extractors often leave out: the lead stands outside the
# body's container on most Vietnamese sites, and "author" elements look like page furniture
_LEAD_CLASS = re.compile(r"(?:^|[-_])(?:sapo|lead|summary|chapeau|description|excerpt|intro|teaser|abstract|"
                         r"tom-?tat)(?:$|[-_])", re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"author|tac-?gia|byline|signature|writer|butdanh", re.IGNORECASE)
_BYLINE_WORDS = re.compile(r"^(?:bài(?:,| và| -)? ảnh|bài|tin(?:,| và) ảnh|tin|ảnh|nhóm pv|tác giả)\s*:\s*|"
                           r"\s*\((?:ttxvn|pv|ctv|tổng hợp|theo [^)]*)\)$", re.IGNORECASE)


def _completed(tree: HtmlElement, blocks: list[str]) -> tuple[list[str], str | None]:
    """The blocks with the lead put back in front and the byline at the end when the extractor
    left them out; and the byline (None if there is none)."""
    if not blocks:
        return blocks, None
    first, last = _element_of(tree, blocks[0]), _element_of(tree, blocks[-1])
    lead = _lead(tree, first)
    if lead and match_key(lead)[:100] not in match_key(" ".join(blocks)):
        blocks = [lead, *blocks]
    byline = _byline_after(last) if last is not None else None
    if byline and match_key(byline) != match_key(blocks[-1]):
        return [*blocks, byline], byline
    signed = len(blocks) > 1 and (blocks[-2].isupper() or "đã ký" in nfc(blocks[-2]).lower())
    return blocks, byline or (blocks[-1] if _looks_like_byline(blocks[-1]) and not signed else None)


def _element_of(tree: HtmlElement, block: str) -> Any:
    """The innermost element whose text is `block`."""
    key = match_key(block)
    found = None
    for el in _body(tree).iter("p", "div", "li", "td", "blockquote", "h2", "h3", "h4", "span"):
        if match_key(el.text_content()) == key:
            found = el  # iter goes outside-in: the last match on a branch is the innermost
        elif found is not None:
            break
    return found


def _lead(tree: HtmlElement, first: Any) -> str | None:
    """A lead marked as such by its class, between the headline (if the page has an h1) and
    the body's first block."""
    seen_h1 = first_h1(tree) is None
    for el in _body(tree).iter():
        if el is first:
            return None
        if el.tag == "h1":
            seen_h1 = True
        elif seen_h1 and isinstance(el.tag, str) and _is_lead(el):
            return clean(el.text_content())
    return None


def _is_lead(el: Any) -> bool:
    return (any(_LEAD_CLASS.search(c) for c in (el.get("class") or "").split())
            and 40 <= len(clean(el.text_content())) <= 2000)


def _byline_after(el: Any) -> str | None:
    """A short signature line right after the body's last block ('Bài, ảnh: Lan Phương')."""
    for node in (el, el.getparent()):
        for sibling in node.itersiblings() if node is not None else ():
            text = clean(sibling.text_content()) if isinstance(sibling.tag, str) else ""
            if not text or sibling.tag in ("figure", "script", "style"):
                continue
            marked = _BYLINE_CLASS.search(f'{sibling.get("class") or ""} {sibling.get("itemprop") or ""}')
            byline = (marked or _looks_like_byline(text)) and len(text) <= 80 and not _is_furniture(text)
            return text if byline else None
    return None


def _looks_like_byline(text: str) -> bool:
    """A few capitalised words and nothing else, or a name after 'Bài, ảnh:'."""
    words = text.split()
    text = nfc(text)
    return (bool(_BYLINE_WORDS.search(text)) and len(text) <= 80) or (
        2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not text.isupper()
        and not re.search(r"[\d.:;!?]", text))


def _byline_name(byline: str | None) -> str | None:
    return clean(_BYLINE_WORDS.sub("", nfc(byline))) if byline else None


# a line of page furniture, dropped wherever it stands
_FURNITURE = re.compile(
    r"(?:chia sẻ|phản hồi|in bài|gửi bài|lưu bài|lưu|bản in|quay lại|về đầu trang|trở về|trang chủ\b.*|"
    r"(?:tags?|từ khóa|từ khoá|chủ đề)\s*:.*|theo dõi .* trên .*|facebook|zalo|twitter|email|"
    r"đăng nhập|đăng ký|bình luận \(\d+\)|\d+ bình luận|ý kiến \(\d+\)|(?:cỡ chữ|font)\s*[-+aA ]*|"
    r"xem thêm:?|>>.*|(?:xem|đọc) (?:thêm|tiếp|bài gốc).*|(?:tải về|đính kèm|file đính kèm|tệp đính kèm)\s*:.*)[.:]?",
    re.IGNORECASE)
# a heading after which the rest of the extracted text is the page's, not the article's
_TAIL = re.compile(
    r"(?:tin|bài) (?:liên quan|cùng chuyên mục|khác|mới|mới nhất|đọc nhiều|xem nhiều)|các tin khác|"
    r"(?:xem|đọc) nhiều nhất|mới nhất|tin nổi bật|bình luận|ý kiến bạn đọc|gửi bình luận|ý kiến của bạn|"
    r"bạn đọc bình luận|có thể bạn quan tâm|có thể bạn chưa đọc|đọc thêm|xem thêm các bài",
    re.IGNORECASE)


def _paragraphs(body: Any, titles: tuple[str | None, ...]) -> tuple[list[str], tuple[str, ...]]:
    """The article's blocks one a string, without the headline at the top (the title line
    replaces it), furniture lines, and whatever follows a 'Tin liên quan' or 'Bình luận' heading."""
    blocks = [b for b in _blocks(body) if b]
    keys = {match_key(t) for t in titles if t}
    while blocks and match_key(blocks[0]) in keys:
        blocks.pop(0)
    kept, furniture = [], 0
    for i, block in enumerate(blocks):
        if _TAIL.fullmatch(nfc(block).rstrip(":")):
            return kept, _dropped(furniture) + (f"dropped {len(blocks) - i} blocks from '{block}' on",)
        if _is_furniture(block) or (i < 3 and is_dateline(nfc(block))):
            furniture += 1
        else:
            kept.append(block)
    return kept, _dropped(furniture)


def _is_furniture(block: str) -> bool:
    return len(block) <= 120 and _FURNITURE.fullmatch(nfc(block)) is not None


def _dropped(count: int) -> tuple[str, ...]:
    return (f"dropped {count} lines of page furniture",) if count else ()


def _blocks(body: Any) -> Iterator[str]:
    """One string a block: a paragraph or heading, a list item, a table row (cells joined by
    a tab), nested lists and tables after the block that holds them."""
    for el in body:
        if el.tag == "list":
            for item in el.findall("item"):
                yield _inline(item)
                yield from _blocks(item.xpath("list|table"))
        elif el.tag == "table":
            for row in el.findall("row"):
                yield "\t".join(c for c in (_inline(cell) for cell in row.findall("cell")) if c)
                yield from _blocks(row.xpath("cell/list|cell/table"))
        elif el.tag == "quote" and el.find("p") is not None:
            yield from _blocks(el)
        else:
            yield _inline(el)


def _inline(el: Any) -> str:
    """An element's text, a line break (lb) kept as one; nested lists and tables left to
    their own blocks."""
    parts: list[str] = []

    def walk(node: Any, top: bool) -> None:
        if not top and node.tag in ("list", "table", "item", "row", "cell") and node.tag != el.tag:
            parts.append(node.tail or "")
            return
        if node.tag == "lb":
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            walk(child, False)
        if not top:
            parts.append(node.tail or "")

    walk(el, True)
    return "\n".join(line for line in (clean(x) for x in "".join(parts).split("\n")) if line)



def _link_share(body: Any) -> float:
    """The share of blocks led by a link with a headline's words (four or more): high on an
    index of other articles, where every item opens with the headline it links to. A 'Tin
    liên quan' box and what follows it do not count."""
    blocks = []
    for block in body.iter("p", "head", "item"):
        text = clean("".join(block.itertext()))
        if _TAIL.fullmatch(nfc(text).rstrip(":")):
            break
        if text:
            blocks.append(block)
    led = sum(1 for b in blocks if len(b) and b[0].tag == "ref" and not clean(b.text or "")
              and len("".join(b[0].itertext()).split()) >= 4)
    return led / len(blocks) if led >= 4 else 0.0


def _check_article(tree: HtmlElement, text: str, link_share: float, path: Path) -> None:
    if link_share >= 0.4:
        raise InputError(path, f"no article: an index or category page ({link_share:.0%} of its blocks "
                               "open with a link to another article); save the article itself")
    prose = sum(len(line) for line in text.splitlines() if len(line) >= PROSE_LINE)
    if prose < MIN_CHARS:
        raise InputError(path, _no_article(tree, prose))


def _no_article(tree: HtmlElement, chars: int) -> str:
    if tree.xpath("//input[@type='password']"):
        return "no article: a login page (it asks for a password); save the article itself"
    visible = len(clean(" ".join(_body(tree).xpath(".//text()[not(ancestor::script or ancestor::style)]"))))
    scripts = len(tree.xpath("//script"))
    if scripts and visible < 2 * MIN_CHARS:
        return (f"no article: an empty shell ({visible} characters of text, {scripts} scripts) whose text is "
                "loaded by JavaScript; save the page after it has loaded, or as MHTML")
    return f"no article text found ({chars} characters in lines of prose, {MIN_CHARS} needed)"


def _check_language(tree: HtmlElement, text: str, path: Path) -> None:
    """Vietnamese, told by the share of its words with a letter only Vietnamese uses; the
    page's lang attribute decides only when the share is low but not nil."""
    words = WORD.findall(unicodedata.normalize("NFC", text[:20_000]))
    share = sum(1 for w in words if _VIETNAMESE_LETTER.search(w)) / max(1, len(words))
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip().lower()
    if share >= VIETNAMESE_SHARE or (share >= 0.05 and lang.startswith("vi")):
        return
    said = f"; the page says lang=\"{lang}\"" if lang else ""
    raise InputError(path, f"not in Vietnamese: {share:.0%} of its words have a Vietnamese letter (ă đ ơ ư ạ …), "
                           f"{VIETNAMESE_SHARE:.0%} needed{said}")


def _absolute(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    full = urljoin(base, link.strip()) if base else link.strip()
    parts = urlsplit(full)
    return full if parts.scheme in ("http", "https") and parts.netloc else None


__all__ = ["read_html", "read_mhtml", "read_page", "prepare", "decode_html", "page_metadata", "PageMeta", "date_of",
           "visible_date", "VIETNAM", "MIN_CHARS", "MAX_BLOCKS", "MAX_PAGE_BLOCKS", "PROSE_LINE", "VIETNAMESE_SHARE"]
