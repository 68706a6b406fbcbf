"""Read a PDF's text layer in reading order, the way the project keeps documents as text.

Takes the bytes of one PDF; returns a :class:`~kg.read.base.Read` whose text has the letterhead
row by row (left cell, several spaces, right cell: "Số 908-TB/TU      Bến Tre, ngày …"), one
paragraph a line with a blank line between, lines broken inside a paragraph joined back
(a word hyphenated across lines too), the signature block's lines kept apart, and page numbers
and running headers and footers left out. Metadata comes from :mod:`kg.read.printed`.

A scanned PDF (no text layer), one that needs a password, a truncated or corrupt file are
refused with an :class:`~kg.errors.InputError`. It does no OCR and reads no form fields,
annotations or attachments. The text layer comes from pdfminer.six (see
docs/reading-documents.md for why): this module makes the library calls, turns each page's
lines into positioned segments and refuses what cannot be read; the layout is rebuilt from the
position of each line by :mod:`kg.read.pdflayout`.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import re
import statistics
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextBox, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException, PSException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from ..errors import InputError
from .base import Read
from .pdflayout import Page, Row, Segment, join_lines, lay_out
from .printed import Properties, finish, property_text

SCANNED = "scanned PDF with no text layer; this tool does no OCR — run OCR first"
# what pdfminer raises on a damaged file besides its own exceptions
_BROKEN = (PDFException, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError,
           AssertionError, ZeroDivisionError, OverflowError, RecursionError, EOFError)
_LAPARAMS = LAParams(line_overlap=0.5, char_margin=2.0, word_margin=0.1, boxes_flow=None)


def read_pdf(raw: bytes, path: Path) -> Read:
    """Read one PDF file's bytes; InputError for a file that cannot be read as text."""
    _check_ends(raw, path)
    with _pdfminer_notes() as heard:
        doc = _open(raw, path)
        pages, images = _pages(doc, path)
        props = _properties(doc)
    if not any(s.text.strip() for page in pages for s in page.segments):
        raise InputError(path, SCANNED if images else "PDF has no text on any of its "
                         f"{len(pages)} page(s); if it was scanned, this tool does no OCR — run OCR first")
    text, notes, url = lay_out(pages)
    return finish(path, "pdf", text, replace(props, url=url), notes + tuple(dict.fromkeys(heard))[:5])


def _check_ends(raw: bytes, path: Path) -> None:
    if b"%PDF-" not in raw[:1024]:
        raise InputError(path, "not a PDF: no '%PDF-' header in the first 1024 bytes")
    if b"%%EOF" not in raw[-2048:]:
        raise InputError(path, f"truncated PDF: no '%%EOF' marker at the end of its {len(raw)} bytes "
                               "(the file was cut short); get a complete copy")


def _open(raw: bytes, path: Path) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(raw)), password="")
    except PDFPasswordIncorrect:
        raise InputError(path, "encrypted PDF that needs a password to open; this tool reads "
                               "no passwords — save an unprotected copy first") from None
    except PDFEncryptionError as exc:
        raise InputError(path, f"encrypted PDF this tool cannot decrypt ({exc})") from None
    except _BROKEN as exc:
        raise InputError(path, f"corrupt PDF: {_reason(exc)}") from None


def _pages(doc: PDFDocument, path: Path) -> tuple[list[Page], int]:
    """Every page's text lines as positioned segments, and how many pages carry images."""
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=_LAPARAMS)
    interpreter = PDFPageInterpreter(manager, device)
    pages, images = [], 0
    try:
        for page in PDFPage.create_pages(doc):
            interpreter.process_page(page)
            layout = device.get_result()
            pages.append(Page(layout.width, layout.height, tuple(_segments(layout))))
            images += any(isinstance(o, (LTFigure, LTImage)) for o in layout)
    except _BROKEN as exc:
        raise InputError(path, f"corrupt PDF: {_reason(exc)}") from None
    if not pages:
        raise InputError(path, "corrupt PDF: it has no pages")
    return pages, images


def _segments(layout) -> list[Segment]:
    found = []
    for box in layout:
        if not isinstance(box, LTTextBox):
            continue
        for line in box:
            if not isinstance(line, LTTextLineHorizontal):
                continue
            text = " ".join(unicodedata.normalize("NFC", line.get_text()).split())
            sizes = [c.size for c in line if isinstance(c, LTChar)]
            if text:
                found.append(Segment(line.x0, line.x1, layout.height - line.y1, layout.height - line.y0,
                                     text, statistics.median(sizes) if sizes else line.height))
    return found


def _properties(doc: PDFDocument) -> Properties:
    info = {}
    for d in doc.info:
        for k, v in (resolve1(d) or {}).items():
            v = resolve1(v)
            info[k] = decode_text(v) if isinstance(v, bytes) else v if isinstance(v, str) else None
    return Properties(title=property_text(info.get("Title")), author=property_text(info.get("Author")),
                      created=_pdf_date(info.get("CreationDate")))


def _pdf_date(value: str | None) -> dt.date | None:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_LOGGER_LOCK = threading.Lock()


@contextmanager
def _pdfminer_notes() -> Iterator[list[str]]:
    """What pdfminer logs at WARNING while it repairs an odd file: notes of the Read, not lines on
    the user's stderr. The logger is the process's, so one reader at a time holds it."""
    heard: list[str] = []
    handler = _Collect(heard)
    logger = logging.getLogger("pdfminer")
    with _LOGGER_LOCK:
        propagate, logger.propagate = logger.propagate, False
        logger.addHandler(handler)
        try:
            yield heard
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append("pdfminer: " + " ".join(record.getMessage().split())[:120])


__all__ = ["read_pdf", "SCANNED", "lay_out", "join_lines", "Page", "Row", "Segment"]
