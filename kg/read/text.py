"""Read `.txt` sources and their `.meta.json` sidecars, as :class:`SourceText` records.

Every problem with one source — missing, not a regular file, over the size limit, empty,
binary, undecodable, an HTML page, nothing left after removing page furniture, a malformed sidecar —
is an :class:`InputError` naming the file and the problem, never another exception.

Decoding (:func:`decode`) tries, in order: UTF-32 or UTF-16 with a byte-order mark; UTF-16
without one, told by its NUL bytes (every other byte zero in mostly-ASCII text); UTF-8 with
or without a BOM (converting legacy-encoded Vietnamese that was saved as UTF-8, "Vieät Nam",
when that is convincing); then the legacy Vietnamese encodings of :mod:`kg.encodings`,
accepted only when the result is convincingly Vietnamese. The decoded text, not the bytes, is the
"original" of a source: evidence offsets count its characters (a BOM is not one of them; a
legacy file's offsets count the characters of its Unicode conversion). The source is not
normalised here (:mod:`kg.text` does), only checked to have text left after normalisation.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
from pathlib import Path
from typing import Any

from .. import config, encodings
from ..errors import InputError
from ..model import SourceMeta, SourceText
from ..text import normalise

SIDECAR_KEYS = ("title", "url", "publisher", "published", "province", "language", "author")
MAX_BYTES = next(s.default for s in config.SETTINGS if s.name == "max_source_bytes")
MAX_SIDECAR_BYTES = 1024 * 1024
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive or Office document"),
          (b"\x1f\x8b", "gzip-compressed data"), (b"RIFF", "a RIFF (WebP, WAV, AVI) file"),
          (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"\x7fELF", "a program"))
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def read_text_source(path: Path, overrides: dict[str, Any] | None = None, id: str | None = None,
                     raw: bytes | None = None) -> SourceText:
    """One `.txt` source and its sidecar; any problem with either is an InputError naming the
    file. `id` is the source's name in the dataset (:func:`kg.read.find_inputs`; the file name
    by default)."""
    path = Path(path)
    check_name(path)
    if raw is None:
        raw = read_bytes(path, int(config.get("max_source_bytes", overrides)))
    text = decode(raw, path)
    if not has_text(text):
        raise InputError(path, "no text after removing page furniture (lines such as 'Phản hồi', "
                               "'Xem nhiều nhất', 'Tags: …'); nothing to extract")
    meta = read_sidecar(sidecar_of(path))
    return SourceText(id=id or path.name, path=str(path), text=text, meta=meta,
                      sha256=hashlib.sha256(raw).hexdigest())


def sidecar_of(path: Path) -> Path:
    """`NAME.meta.json` beside `NAME.txt` (or `NAME.html`, `NAME.pdf`, …)."""
    return path.with_name(path.name[: -len(path.suffix)] + ".meta.json") if path.suffix else path.with_name(path.name + ".meta.json")


def check_name(path: Path) -> None:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(path, "file name is not valid UTF-8; rename the file") from exc


def read_bytes(path: Path, limit: int = MAX_BYTES, what: str = "source") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked with stat before reading."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise InputError(path, f"{kind}, not a {what} file")
        _check_size(path, st.st_size, limit, what)
        with path.open("rb") as f:
            raw = f.read(limit + 1)  # the file may have grown since stat
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    _check_size(path, len(raw), limit, what)
    return raw


def _check_size(path: Path, size: int, limit: int, what: str) -> None:
    if size > limit:
        setting = " (setting max_source_bytes, KG_MAX_SOURCE_BYTES)" if what == "source" else ""
        raise InputError(path, f"{size:,} bytes ({size / 2**20:.1f} MiB) is over the limit of {limit:,} bytes "
                               f"for one {what}{setting}")


def decode(raw: bytes, path: Path) -> str:
    """Bytes of a source as text, or an InputError saying why not. Offsets of evidence index
    the string returned here (see the module docstring)."""
    return decode_as(raw, path)[0]


def decode_as(raw: bytes, path: Path) -> tuple[str, str]:
    """The decoded text and the name of the encoding it was in."""
    if not raw.strip():
        raise InputError(path, "empty file")
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise InputError(path, f"binary file ({kind}), not a text source")
    text, encoding = _unicode(raw, path) or _legacy(raw, path)
    _check_text(text, path, encoding)
    return text, encoding


def _unicode(raw: bytes, path: Path) -> tuple[str, str] | None:
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig")):
        if raw.startswith(bom):
            return _strict(raw, codec, path, "with a byte-order mark"), codec.upper().replace("-SIG", "")
    if b"\x00" in raw[:4096]:
        codec = _utf16_without_bom(raw[:4096])
        if codec is None:
            raise InputError(path, "binary file (NUL bytes), not a text source")
        return _strict(raw, codec, path, "without a byte-order mark"), codec.upper()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fixed = encodings.reinterpret(text)
    return (fixed.text, f"{fixed.name} stored as UTF-8") if fixed and fixed.text else (text, "UTF-8")


def _strict(raw: bytes, codec: str, path: Path, how: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().replace("-SIG", "")
        raise InputError(path, f"looks like {name} {how} but is not valid {name} "
                               f"at byte {exc.start} ({exc.reason})") from exc


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 told by its zeros: the high byte of each ASCII character, on one side only."""
    sample = sample[: len(sample) // 2 * 2]
    if not sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd >= 0.3 and zero_even <= 0.02:
        return "utf-16-le"
    if zero_even >= 0.3 and zero_odd <= 0.02:
        return "utf-16-be"
    return None


def _legacy(raw: bytes, path: Path) -> tuple[str, str]:
    where = "invalid bytes"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}"
    best, tried = encodings.guess(raw)
    if best is not None and best.text is not None:
        return best.text, best.name
    raise InputError(path, f"not UTF-8 ({where}) and not convincingly Vietnamese in a legacy encoding: "
                           f"{encodings.doubt(tried)} (" + "; ".join(c.describe() for c in tried)
                           + "); convert it to UTF-8")


def _check_text(text: str, path: Path, encoding: str) -> None:
    if not text.strip():
        raise InputError(path, f"empty file (nothing but a byte-order mark or spaces in {encoding})")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(8, len(text[:100_000]) // 100):
        raise InputError(path, f"binary or corrupt ({controls} control characters after decoding as "
                               f"{encoding}), not a text source")
    if looks_like_html(text):
        raise InputError(path, "an HTML page, not a text source; name it .html to read it as a page")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return (head.startswith(("<!doctype html", "<html", "<head", "<body", "<meta "))
            or len(re.findall(r"</?(?:div|p|span|script|a|li|ul|td|tr|table|img|br|h[1-6])\b", head)) > 10)


def has_text(text: str, block: int = 8192) -> bool:
    """Whether anything is left of `text` once normalised (page furniture removed). Looks at
    one block of whole lines at a time, so a long source costs only its first block."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + block)
        end = len(text) if end < 0 else end + 1
        if normalise(text[start:end]).text:
            return True
        start = end
    return False


def read_sidecar(path: Path) -> SourceMeta:
    """A `.meta.json` sidecar, if there is one; every key optional."""
    if not path.exists():
        return SourceMeta()
    data = _sidecar_json(path)
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
        author=data.get("author") or None,
    )


def _sidecar_json(path: Path) -> dict:
    raw = read_bytes(path, MAX_SIDECAR_BYTES, "sidecar")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"sidecar is not UTF-8 (invalid byte at offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(path, f"sidecar is not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise InputError(path, "sidecar is not valid JSON (nested too deeply)") from exc
    if not isinstance(data, dict):
        raise InputError(path, f"sidecar must be a JSON object, not {type(data).__name__}")
    return data


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", re.S)
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,].*)?", re.S)


def _date(path: Path, value: str | None) -> dt.date | None:
    """A sidecar date: ISO (2024-07-16, a time may follow) or day first (16/07/2024)."""
    if not value or not value.strip():
        return None
    iso, dmy = _ISO_DATE.fullmatch(value.strip()), _DMY_DATE.fullmatch(value.strip())
    if not iso and not dmy:
        raise InputError(path, f"sidecar 'published' {value!r} is not a date; write YYYY-MM-DD or DD/MM/YYYY")
    year, month, day = iso.groups() if iso else dmy.groups()[::-1]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise InputError(path, f"sidecar 'published' {value!r} is not a real date ({exc})") from exc
