"""Unpack a page a browser saved as one MIME file (`.mhtml`, `.mht`): its main HTML part.

Takes the bytes of the file; returns a :class:`Part`: the bytes of the page's main
``text/html`` part with its transfer encoding (quoted-printable, base64) undone by the stdlib
:mod:`email` package, the ``charset`` its header states, and the address it was saved from.
:func:`kg.read.html.read_mhtml` reads that part as it reads any page.

The main part is the one the multipart's ``start`` parameter names, else the one at the
``Snapshot-Content-Location`` (Chrome), else the first HTML part (frames come after the page).
Its address is its ``Content-Location``, else the file's ``Snapshot-Content-Location``.
A file that is not MIME, or has no HTML part, is an :class:`InputError` naming the file.
"""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class Part:
    """The page inside an MHTML file."""

    html: bytes
    charset: str | None  # the part's charset parameter, if any
    location: str | None  # where the page was saved from, if the file says


def html_part(raw: bytes, path: Path) -> Part:
    """The main text/html part of an MHTML file, decoded from its transfer encoding."""
    if not raw.strip():
        raise InputError(path, "empty file")
    root = email.message_from_bytes(raw, policy=email.policy.compat32)
    if root.get("Content-Type") is None:
        raise InputError(path, "not an MHTML file (no MIME Content-Type header); save the page again as MHTML")
    part = _main_part(root)
    if part is None:
        kinds = sorted({p.get_content_type() for p in root.walk() if not p.is_multipart()})
        raise InputError(path, f"an MHTML file with no text/html part (it holds {', '.join(kinds) or 'nothing'})")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise InputError(path, "the MHTML file's text/html part is empty")
    location = part.get("Content-Location") or root.get("Snapshot-Content-Location") or root.get("Content-Location")
    return Part(payload, part.get_content_charset(), str(location).strip() if location else None)


def _main_part(root: Message) -> Message | None:
    pages = [p for p in root.walk() if p.get_content_type() == "text/html"]
    start = root.get_param("start") if root.is_multipart() else None
    snapshot = str(root.get("Snapshot-Content-Location") or "").strip()
    for wanted, header in ((start, "Content-ID"), (snapshot, "Content-Location")):
        if isinstance(wanted, str) and wanted:
            match = next((p for p in pages if str(p.get(header) or "").strip() == wanted.strip()), None)
            if match is not None:
                return match
    return pages[0] if pages else None
