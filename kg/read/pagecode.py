"""Decode a saved page's bytes into text, as a browser would, minding Vietnam's legacy encodings.

Takes the bytes of one HTML page (and a charset stated outside it, such as an MHTML part's
header); returns the page as text and a note when it was not plain UTF-8 or as declared. The
order of trust: a byte-order mark, else the charset stated outside the page, else the one the
page declares (``<meta charset>``, ``http-equiv``, an XML declaration), else UTF-8, else the
legacy Vietnamese encodings of :mod:`kg.encodings`. Bytes that are valid UTF-8 are read as
UTF-8 whatever the label says, and text stored in one encoding but read as another is
converted back: pages are re-saved under old tags, so a label is checked, not believed.

It does not parse the HTML (:mod:`kg.read.html` does) or normalise the text (:mod:`kg.text`
does, later). An empty or binary file, a broken byte-order mark, or bytes that no encoding
reads convincingly as Vietnamese are an :class:`InputError` naming the file.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .. import encodings
from ..errors import InputError

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:.]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w:.]+)""",
                       re.IGNORECASE)


def decode_html(raw: bytes, path: Path, charset: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The page as text, with a note when it was not plain UTF-8 or as declared. `charset` is
    one stated outside the page (an MHTML part's header); it wins over the page's own."""
    if not raw.strip():
        raise InputError(path, "empty file")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, codec, path), ()
    if b"\x00" in raw[:4096]:
        raise InputError(path, "binary file (NUL bytes), not an HTML page")
    declared = _codec(charset) or _declared(raw)
    text = _decode_declared(raw, declared) if declared else None
    notes: tuple[str, ...] = ()
    if text is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text, name = _legacy(raw, path, declared)
            notes = (f"decoded as {name}" + (f", not as the {declared} it declares" if declared else ""),)
    fixed = encodings.reinterpret(text)
    if fixed is not None and fixed.text:
        return fixed.text, (f"converted from {fixed.name} stored as {declared or 'UTF-8'}",)
    return text, notes


def _strict(raw: bytes, codec: str, path: Path) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().replace("-SIG", "")
        raise InputError(path, f"has a {name} byte-order mark but is not valid {name} at byte {exc.start}") from exc


def _codec(name: str | None) -> str | None:
    """Python's name for a charset label; Latin-1 and ASCII labels mean Windows-1252, as they
    do in browsers (the WHATWG Encoding standard), since pages so labelled use its quotes."""
    try:
        codec = codecs.lookup(name.strip()).name if name else None
    except LookupError:
        return None
    return "cp1252" if codec in ("iso8859-1", "ascii") else codec


def _declared(raw: bytes) -> str | None:
    """The first charset named by `<meta charset>`, `<meta http-equiv>` or an XML declaration
    that Python knows."""
    for match in _DECLARED.finditer(raw[:8192]):
        codec = _codec((match.group(1) or match.group(2)).decode("ascii", "replace"))
        if codec:  # a page cannot state UTF-16 in its own ASCII bytes: browsers read it as UTF-8
            return "utf-8" if codec.startswith(("utf-16", "utf-32")) else codec
    return None


def _decode_declared(raw: bytes, declared: str) -> str | None:
    """The bytes in the declared charset, or None when they are not in it. Bytes that are valid
    UTF-8 beyond ASCII are UTF-8 whatever the page declares: single-byte text is almost never
    valid UTF-8 by chance, and browsers re-save pages as UTF-8 under the old tag."""
    if declared != "utf-8" and not raw.isascii():
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if declared == "cp1258":
        return encodings.decode_cp1258(raw)  # composes its combining tone marks
    try:
        return raw.decode(declared)
    except UnicodeDecodeError:
        return None


def _legacy(raw: bytes, path: Path, declared: str | None) -> tuple[str, str]:
    best, tried = encodings.guess(raw)
    if best is not None and best.text is not None:
        return best.text, best.name
    said = f"its bytes are not the {declared} it declares, " if declared and declared != "utf-8" else ""
    raise InputError(path, f"cannot decode the page: {said}not UTF-8 and not convincingly Vietnamese in a "
                           f"legacy encoding ({encodings.doubt(tried)}); save it again as UTF-8")
