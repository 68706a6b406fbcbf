"""What a saved page says about itself: title, date of publication, author, site, canonical URL.

Takes a parsed page (an lxml tree, read before :mod:`kg.read.html` strips it for its text);
returns a :class:`PageMeta` of what the page's own markup states: JSON-LD (its first
article-like object), Open Graph, Twitter, Dublin Core and other meta tags, itemprop
attributes, the canonical link, the h1 and ``<title>``, each value from the first of them that
has it; and, for a page that states no date, a date line near the headline written as
Vietnamese sites write it ("Thứ Sáu, 22/01/2021 08:30", "Cập nhật: 22-01-2021"). These rules
come first; trafilatura's guesses only fill what they leave empty (:func:`kg.read.html.read_page`).

:func:`date_of` reads one date as a page writes it: an ISO timestamp (its date in Vietnam's time
zone), "22/01/2021", "ngày 22 tháng 1 năm 2021". The few text helpers the page reader shares
with this module (HTML white space, NFC and a key for matching) are here too. Values keep the
page's own characters; one that cannot be read is None, never an error.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from lxml.html import HtmlElement

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # a timestamp's date is the date in Vietnam
WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"[ \t\r\f]+")  # HTML's white space; a no-break space is text and stays


# --- metadata ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PageMeta:
    """What a page's markup says about it."""

    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage"}
_SITE_TAIL = re.compile(r"(.*\S)\s+(?:[-|–—]|::)\s+([^-|–—]+?)\s*")
_DATE_KEYS = ("article:published_time", "datepublished", "og:published_time", "article:published", "pubdate",
              "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
              "dcterms.created", "dcterms.issued", "parsely-pub-date", "sailthru.date", "created")


def page_metadata(tree: HtmlElement) -> PageMeta:
    """Title, date, author, site name and canonical URL from JSON-LD, meta tags, itemprop
    attributes, the canonical link, the h1 and a date line near it."""
    ld, tags = _json_ld(tree), _meta_tags(tree)
    publisher = _first(_name(ld.get("publisher")), tags.get("og:site_name"), tags.get("publisher"),
                       tags.get("dc.publisher"), tags.get("application-name"))
    title = _first(ld.get("headline"), tags.get("og:title"), tags.get("twitter:title"), first_h1(tree),
                   _text(tree.find(".//title")))
    published = next((d for d in map(date_of, [ld.get("datePublished", "")] + [tags.get(k, "") for k in _DATE_KEYS]
                                     + tree.xpath("//time/@datetime")) if d), None)
    author = _first(_name(ld.get("author")), tags.get("author"), tags.get("article:author"),
                    tags.get("dc.creator"), tags.get("byl"))
    canonical = tree.xpath("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
    return PageMeta(
        title=_without_site(title, publisher) if title else None,
        published=published or visible_date(tree),
        author=person_name(author, publisher),
        publisher=publisher,
        url=_first(*canonical[:1], tags.get("og:url"), _name(ld.get("mainEntityOfPage"), "@id"), ld.get("url")),
    )


def _first(*values: Any) -> str | None:
    return next((clean(v) for v in values if isinstance(v, str) and clean(v)), None)


def _text(el: Any) -> str | None:
    return clean(el.text_content()) if el is not None else None


def first_h1(tree: HtmlElement) -> str | None:
    """The first h1 that reads like a headline (a site's logo is often an h1 too)."""
    return next((t for t in map(_text, tree.iter("h1")) if t and len(t.split()) >= 4), None)


def _without_site(title: str, publisher: str | None) -> str:
    """'Headline - Báo X' → 'Headline', when the tail is the site's name."""
    match = _SITE_TAIL.fullmatch(title)
    if match and publisher and match_key(match.group(2)) == match_key(publisher):
        return match.group(1)
    return title


def person_name(name: str | None, publisher: str | None) -> str | None:
    """An author that is a person's name: not a URL, not the site itself."""
    name = clean(name or "")
    if not name or "/" in name or (publisher and match_key(name) == match_key(publisher)):
        return None
    return name


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """The first value of each meta property, name or itemprop (lower-cased), and of each
    itemprop on other elements (its datetime, content or text)."""
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content") and key not in tags:
            tags[key] = el.get("content")
    for el in tree.xpath("//*[@itemprop][not(self::meta)]"):
        key = el.get("itemprop").strip().lower()
        if key in ("datepublished", "author", "publisher", "headline") and key not in tags:
            named = el.xpath(".//*[@itemprop='name']") if el.get("itemscope") is not None else [el]
            value = named and (named[0].get("datetime") or named[0].get("content") or named[0].text_content())
            if value:
                tags[key] = value
    return tags


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The first article-like object of the page's JSON-LD (an empty dict if none)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for obj in _objects(data):
            kinds = obj.get("@type") if isinstance(obj.get("@type"), list) else [obj.get("@type")]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                return obj
    return {}


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"), depth + 1)


def _name(value: Any, key: str = "name") -> str | None:
    """A JSON-LD value's name: a string, {"name": …} or a list of them (joined)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get(key) if isinstance(value.get(key), str) else None
    if isinstance(value, list):
        names = [n for n in map(_name, value) if n]
        return ", ".join(names) or None
    return None


# --- dates ------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/.-])")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm|,|/)\s*(\d{4})", re.IGNORECASE)
_DATELINE_CUE = re.compile(r"thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật|cập nhật|ngày đăng|đăng (?:ngày|lúc)|"
                           r"xuất bản|gmt\s*\+\s*7|\d{1,2}:\d{2}", re.IGNORECASE)


def date_of(value: str) -> dt.date | None:
    """A date from an ISO timestamp (taken in Vietnam's time zone when it has an offset),
    '22/01/2021 08:30', '22-01-2021' or 'ngày 22 tháng 1 năm 2021'; None for anything else."""
    value = clean(nfc(value or ""))
    iso = _ISO.search(value)
    if iso:
        return _iso_date(iso)
    for pattern in (_DMY, _WORDS):
        match = pattern.search(value)
        if match:
            return _real(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return None


def _iso_date(match: re.Match[str]) -> dt.date | None:
    year, month, day, hour, minute, zone = match.groups()
    date = _real(int(year), int(month), int(day))
    if date is None or hour is None or zone is None:
        return date
    offset = dt.timezone.utc if zone == "Z" else dt.timezone(
        (1 if zone[0] == "+" else -1) * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:])))
    try:
        stamp = dt.datetime(date.year, date.month, date.day, int(hour), int(minute), tzinfo=offset)
    except ValueError:
        return date
    return stamp.astimezone(VIETNAM).date()


def _real(year: int, month: int, day: int) -> dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if 1945 <= year <= 2100 else None


def is_dateline(block: str) -> bool:
    """A line that says when, and little else: 'Thứ Năm, 14/07/2022 16:42 | Lượt xem: 120'."""
    return (len(block) <= 120 and len(WORD.findall(block)) <= 10 and date_of(block) is not None
            and bool(_DATELINE_CUE.search(block)))


def visible_date(tree: HtmlElement) -> dt.date | None:
    """The date of a short line next to the headline ('Thứ Sáu, 22/01/2021 08:30', 'Cập nhật:
    22-01-2021'): the first within a few lines after the h1, else one with a cue before it."""
    texts = [clean(nfc(t)) for t in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")]
    texts = [t for t in texts if t]
    h1 = nfc(first_h1(tree) or "")
    start = next((i for i, t in enumerate(texts) if h1 and (t == h1 or (len(t) >= 20 and t in h1))), None)
    if start is not None:
        for text in texts[start + 1: start + 25]:
            if len(text) > 200:
                break
            if len(text) <= 120 and date_of(text):
                return date_of(text)
        before = texts[max(0, start - 12): start]
    else:
        before = texts[:200]
    return next((date_of(t) for t in before if len(t) <= 120 and _DATELINE_CUE.search(t) and date_of(t)), None)


# --- text, for matching -----------------------------------------------------------------

def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def nfc(text: str) -> str:
    """For matching only: the text returned keeps the page's own characters."""
    return unicodedata.normalize("NFC", text)


def match_key(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFC", text)).strip().casefold()
