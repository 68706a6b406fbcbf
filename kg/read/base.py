"""What every reader returns: the article's text and the metadata its file carries.

A reader takes the bytes of one file (a saved web page, a PDF, a Word file) and returns a
:class:`Read`: the text the extractor will see — evidence offsets count its characters, and the
build keeps it on disk beside the dataset so that quotes can be checked against it — and the
metadata the file itself states (title, date, author, site, canonical URL, language). A
sidecar `NAME.meta.json` beside the file wins over what the reader found, field by field.

Any problem with the file is an :class:`kg.errors.InputError` naming the file and the problem.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Read:
    """One file as a reader saw it."""

    text: str  # the article's text, lines kept (a heading, a signature block on lines of their own)
    kind: str  # "html", "mhtml", "pdf", "docx"
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    publisher: str | None = None  # the site's or issuer's name, e.g. "Báo Quảng Ninh"
    url: str | None = None  # canonical URL, absolute
    language: str | None = None  # BCP 47, e.g. "vi"
    province: str | None = None  # from the publisher's host (kg.read.publishers), when it has one
    notes: tuple[str, ...] = field(default=())  # what the reader noticed and dropped, one short line each
