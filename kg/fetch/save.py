"""What `kg fetch` keeps of a response: the kind of file, the file, and its sidecar.

:func:`suffix_for` takes a :class:`~kg.fetch.http.Response` and returns the suffix its body is
saved under — ``.html``, ``.pdf``, ``.docx``, ``.txt``, the sources `kg build` reads — from its
Content-Type, or from its first bytes when the type is missing or generic
(``application/octet-stream``); a PDF sent as ``text/html`` is still a PDF. Anything else (an
image, an archive, audio, a feed met where a page was expected) is a lasting
:class:`~kg.fetch.http.FetchError`, "not a page (image/png)".

:func:`sidecar` builds the ``NAME.meta.json`` of a page from its final URL, what the feed that
listed it said (title, date, feed title as publisher, language) and the Content-Language
header, with only the keys kg's sidecars know. Nothing is guessed from the page itself: a
sidecar wins over what the reader finds in the page, so it holds only what is known better
elsewhere. :func:`save` writes the file and its sidecar, each atomically.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Mapping

from ..errors import KgError
from .http import FetchError, Response
from .record import write_atomic
from .urls import file_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
              "application/x-pdf": ".pdf", DOCX: ".docx", "text/plain": ".txt"}
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/download",
                 "application/x-download", "application/force-download"}
SIDECAR_KEYS = ("title", "url", "publisher", "published", "province", "language", "author")
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype html|html|head|body)\b", re.I | re.S)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def suffix_for(response: Response) -> str:
    """The suffix `response`'s body is saved under, or FetchError when it is not a page."""
    media, sniffed = response.media_type, sniff(response.body)
    if media in PAGE_TYPES:
        return sniffed if sniffed in (".pdf", ".docx") else PAGE_TYPES[media]
    if media in GENERIC_TYPES and sniffed:
        return sniffed
    raise FetchError(f"not a page ({media or 'no Content-Type'})", lasting=True)


def sniff(body: bytes) -> str | None:
    """The suffix the first bytes of `body` say it has: .pdf, .docx, .html, or None."""
    if body.startswith(b"%PDF-"):
        return ".pdf"
    if body.startswith(b"PK\x03\x04") and _is_docx(body):
        return ".docx"
    if _HTML_START.match(body[:4096]):
        return ".html"
    return None


def _is_docx(body: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:  # reads the directory only, inflates nothing
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def sidecar(final_url: str, hints: Mapping[str, str], response: Response) -> dict[str, str]:
    """The sidecar of a page (see the module docstring); keys without a value are left out."""
    published = hints.get("published")
    meta = {"url": final_url, "title": hints.get("title"), "publisher": hints.get("publisher"),
            "published": published if published and _DAY.fullmatch(published) else None,
            "language": hints.get("language") or language(response.header("content-language")),
            "author": hints.get("author")}
    return {k: meta[k] for k in SIDECAR_KEYS if meta.get(k)}


def language(header: str | None) -> str | None:
    """The first language tag of a Content-Language header, when it looks like one."""
    first = (header or "").split(",")[0].strip()
    return first if _LANGUAGE.fullmatch(first) else None


def save(folder: Path, final_url: str, suffix: str, body: bytes, meta: Mapping[str, str]) -> str:
    """Write a page and its sidecar under `folder`; return the page's path relative to it."""
    name = file_name(final_url, suffix)
    path = Path(folder) / name
    side = path.with_name(path.name[: -len(suffix)] + ".meta.json")
    try:
        write_atomic(path, body)
        write_atomic(side, (json.dumps(dict(meta), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}; stopped (the record keeps what was done)") from exc
    return name
