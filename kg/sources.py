"""Read sources: `.txt` files and their `.meta.json` sidecars, as :class:`SourceText` records.

Takes paths (files or folders); returns records in a stable order (by file name). Decodes
UTF-8 (with or without BOM) and UTF-16 with a BOM; anything else — empty, binary,
undecodable, a malformed sidecar, a missing path — is an :class:`InputError` naming the file
and the problem. It does not normalise the text (:mod:`kg.text` does).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Iterable

from .errors import InputError
from .model import SourceMeta, SourceText

SIDECAR_KEYS = ("title", "url", "publisher", "published", "province", "language")
MAX_BYTES = 20 * 1024 * 1024


def find_sources(paths: Iterable[Path]) -> list[Path]:
    """The `.txt` files named or found (not recursively) in the folders named, sorted by name."""
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(path, "no such file or directory")
        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise InputError(path, "folder holds no .txt sources")
        for f in files:
            found[str(f.resolve())] = f
    return sorted(found.values(), key=lambda p: (p.name, str(p)))


def read_source(path: Path) -> SourceText:
    """One source and its sidecar."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    text = decode(raw, path)
    meta = read_sidecar(path.with_name(path.name[: -len(path.suffix)] + ".meta.json"))
    return SourceText(id=path.name, path=str(path), text=text, meta=meta,
                      sha256=hashlib.sha256(raw).hexdigest())


def decode(raw: bytes, path: Path) -> str:
    """Bytes of a source as text, or an InputError saying why not."""
    if not raw.strip():
        raise InputError(path, "empty file")
    if len(raw) > MAX_BYTES:
        raise InputError(path, f"{len(raw)} bytes is over the limit of {MAX_BYTES} for one source")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid UTF-16 at byte {exc.start}") from exc
    if b"\x00" in raw[:4096]:
        raise InputError(path, "binary file (NUL bytes), not a text source; UTF-16 needs a byte-order mark")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                               "convert it to UTF-8") from exc
    if _looks_like_html(text):
        raise InputError(path, "an HTML page, not a text source; save the article's text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(re.findall(r"</?(?:div|p|span|script|a)\b", head)) > 10


def read_sidecar(path: Path) -> SourceMeta:
    """A `.meta.json` sidecar, if there is one; every key optional."""
    if not path.exists():
        return SourceMeta()
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"sidecar is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(path, f"sidecar must be a JSON object, not {type(data).__name__}")
    for key in SIDECAR_KEYS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InputError(path, f"sidecar key {key!r} must be a string, not {type(data[key]).__name__}")
    return SourceMeta(
        title=data.get("title") or None,
        url=data.get("url") or None,
        publisher=data.get("publisher") or None,
        published=_date(path, data.get("published")),
        province=data.get("province") or None,
        language=data.get("language") or None,
    )


def _date(path: Path, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(path, f"sidecar 'published' {value!r} is not a real date (YYYY-MM-DD)") from exc
