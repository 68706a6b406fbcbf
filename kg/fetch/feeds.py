"""RSS 2.0, Atom and RSS 1.0 (RDF) feeds: the links they list, with what they say of each.

:func:`parse` takes the bytes of a response and the URL it came from; it returns a
:class:`Feed` (its title, which names the publisher, its language, and up to :data:`MAX_ITEMS`
items: link, title, date as YYYY-MM-DD, author) when the bytes are one of the three kinds of
feed, told by the root element and not by the Content-Type, and None when they are not XML or
not a feed. A feed that is not well-formed, or that declares entities, raises
:class:`FeedError`.

The XML is parsed with expat, whose entity declarations are refused outright (as
``defusedxml`` does): no entity expansion ("billion laughs"), no external entities or DTDs
fetched. A feed needs none of them; the five predefined entities and character references
still work. Links are resolved against the feed's URL; they are not checked here
(:func:`kg.fetch.urls.normal` does that). No network here.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.parsers import expat

from ..errors import KgError

MAX_ITEMS = 1000
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_START = re.compile(rb"\s*(?:<\?xml|<!--|<!DOCTYPE|<rss|<feed|<rdf:RDF)", re.I)


class FeedError(KgError):
    """Bytes that claim to be a feed but cannot be read as one safely."""


@dataclass(frozen=True)
class Item:
    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, the day as the feed wrote it (its own time zone)
    author: str | None = None


@dataclass(frozen=True)
class Feed:
    kind: str  # "rss", "atom" or "rdf"
    title: str | None
    language: str | None
    items: tuple[Item, ...]


def looks_like_xml(body: bytes) -> bool:
    return bool(_XML_START.match(body.lstrip(b"\xef\xbb\xbf")[:1024]))


def parse(body: bytes, url: str) -> Feed | None:
    """The feed in `body`, or None when it is no feed (see the module docstring)."""
    if not looks_like_xml(body):
        return None
    root = safe_tree(body)
    if root.tag == "rss":
        return _rss(root, url)
    if root.tag == f"{ATOM}feed":
        return _atom(root, url)
    if root.tag == f"{RDF}RDF" and root.find(f"{RSS1}channel") is not None:
        return _rdf(root, url)
    return None


def safe_tree(body: bytes) -> ET.Element:
    """The element tree of `body`, refusing entity declarations; FeedError when not well-formed."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = lambda name, attrs: builder.start(_name(name), {_name(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda name: builder.end(_name(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_entities
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        raise FeedError(f"not well-formed XML (line {exc.lineno}, column {exc.offset}: "
                        f"{expat.ErrorString(exc.code)})") from exc
    return builder.close()


def _refuse_entities(*_: object) -> None:
    raise FeedError("XML that declares entities; refused (a feed needs none, and expanding them is an attack)")


def _name(name: str) -> str:
    return "{" + name if "}" in name else name


def _rss(root: ET.Element, url: str) -> Feed:
    channel = root.find("channel")
    channel = channel if channel is not None else root
    items = tuple(filter(None, (_rss_item(e, url) for e in channel.iter("item"))))
    return Feed("rss", _text(channel.find("title")), _text(channel.find("language")) or _text(channel.find(f"{DC}language")),
                items[:MAX_ITEMS])


def _rss_item(e: ET.Element, url: str) -> Item | None:
    link = _text(e.find("link"))
    guid = e.find("guid")
    if not link and guid is not None and guid.get("isPermaLink", "true").lower() != "false":
        link = _text(guid)
    if not link:
        return None
    return Item(urljoin(url, link), _title(e.find("title")),
                _day(_text(e.find("pubDate")) or _text(e.find(f"{DC}date"))),
                _text(e.find("author")) or _text(e.find(f"{DC}creator")))


def _atom(root: ET.Element, url: str) -> Feed:
    items = tuple(filter(None, (_atom_entry(e, url) for e in root.iter(f"{ATOM}entry"))))
    return Feed("atom", _title(root.find(f"{ATOM}title")), root.get(XML_LANG), items[:MAX_ITEMS])


def _atom_entry(e: ET.Element, url: str) -> Item | None:
    links = [a for a in e.findall(f"{ATOM}link") if a.get("rel", "alternate") == "alternate" and a.get("href")]
    if not links:
        return None
    author = e.find(f"{ATOM}author/{ATOM}name")
    day = _day(_text(e.find(f"{ATOM}published")) or _text(e.find(f"{ATOM}updated")))
    return Item(urljoin(url, links[0].get("href", "")), _title(e.find(f"{ATOM}title")), day, _text(author))


def _rdf(root: ET.Element, url: str) -> Feed:
    channel = root.find(f"{RSS1}channel")
    items = tuple(filter(None, (_rdf_item(e, url) for e in root.iter(f"{RSS1}item"))))
    return Feed("rdf", _title(channel.find(f"{RSS1}title")), _text(channel.find(f"{DC}language")), items[:MAX_ITEMS])


def _rdf_item(e: ET.Element, url: str) -> Item | None:
    link = _text(e.find(f"{RSS1}link")) or e.get(f"{RDF}about")
    if not link:
        return None
    return Item(urljoin(url, link), _title(e.find(f"{RSS1}title")), _day(_text(e.find(f"{DC}date"))),
                _text(e.find(f"{DC}creator")))


def _text(e: ET.Element | None) -> str | None:
    if e is None:
        return None
    text = " ".join("".join(e.itertext()).split())
    return text or None


def _title(e: ET.Element | None) -> str | None:
    """A title's words: feeds often escape markup (`&lt;b&gt;`) or escape entities twice."""
    text = _text(e)
    if text is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]{0,200}>", " ", text)).split()) or None


def _day(value: str | None) -> str | None:
    """YYYY-MM-DD of an RFC 822 date (RSS) or an ISO 8601 one (Atom, Dublin Core); None if neither."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    try:
        return dt.date(*map(int, m.groups())).isoformat() if m else None
    except ValueError:
        return None
