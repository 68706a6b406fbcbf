"""The reading stage: files in, :class:`~kg.model.SourceText` records out.

What is read, by suffix: `.txt` (:mod:`kg.read.text`), saved web pages `.html`/`.htm`/`.xhtml`
and `.mhtml`/`.mht` (:mod:`kg.read.html`), `.pdf` (:mod:`kg.read.pdf`) and `.docx`
(:mod:`kg.read.docx`). A `.txt` that is really a saved page is read as a page.

**A source's name** (`SourceText.id`, the `dcterms:identifier` of its `vnkg:Source`, the last
part of its graph's IRI) is its path relative to the folder it was found in (a file named on
its own: its file name). Where two inputs would get one name — `a/001.txt` and `b/001.txt`
built together, or `index.html` in every folder of a saved site — each of them is named by as
many of its parent folders as make the names differ (`a/001.txt`, `b/001.txt`), so different
files are never merged; names that were unique stay as they were.

**Metadata** of a page or document (title, date, author, site, canonical URL, language) fills
the fields its sidecar `NAME.meta.json` leaves empty — the sidecar wins field by field — and a
page from a provincial publisher's host gets that province (:mod:`kg.read.publishers`).

The text a page or document yields is what evidence offsets count; the build keeps it beside
the dataset (:func:`kept_text`) so that every quote can be checked against a file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .. import config
from ..errors import InputError
from ..model import SourceMeta, SourceText
from .base import Read
from .text import (MAX_BYTES, SIDECAR_KEYS, check_name, decode, decode_as, has_text, looks_like_html, read_bytes,
                   read_sidecar, read_text_source, sidecar_of)

KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".mhtml": "mhtml", ".mht": "mhtml",
         ".pdf": "pdf", ".docx": "docx"}
MEDIA_TYPES = {"text": "text/plain", "html": "text/html", "mhtml": "multipart/related", "pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
TEXTS_SUFFIX = ".texts"  # the folder beside a dataset that keeps the text read from its pages and documents


@dataclass(frozen=True)
class Input:
    """A file to read and the name it has in the dataset."""

    path: Path
    id: str


def find_inputs(paths: Iterable[Path], recursive: bool = False) -> list[Input]:
    """The sources named, or found in the folders named (in their subfolders too when
    `recursive`), each with its name (see the module docstring), sorted by name."""
    found: dict[str, tuple[Path, str, tuple[str, ...]]] = {}  # real path -> (file, its path in its folder, the folder's parts)
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(path, "no such file or directory")
        if path.is_dir():
            files = _scan(path, recursive)
            if not files:
                raise InputError(path, "folder holds no sources (" + ", ".join(sorted(KINDS)) + " files"
                                       + ("" if recursive else "; --recursive reads its subfolders too") + ")")
            root = path
        else:
            files, root = [(path, path.name)], path.parent
        parts = root.resolve().parts
        real = os.path.realpath(root)
        for f, rel in files:
            key = os.path.realpath(f) if os.path.islink(f) else os.path.join(real, rel)  # one file named twice: once
            found.setdefault(key, (f, rel, parts))
    named = _names(list(found.values()))
    return sorted((Input(f, name) for f, name in named), key=lambda i: (i.id, str(i.path)))


def find_sources(paths: Iterable[Path], recursive: bool = False) -> list[Path]:
    """The files :func:`find_inputs` finds."""
    return [i.path for i in find_inputs(paths, recursive)]


def _scan(folder: Path, recursive: bool) -> list[tuple[Path, str]]:
    """The sources in `folder` (and below it when `recursive`), each with its path there."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if recursive and not d.startswith(".") and not d.endswith(TEXTS_SUFFIX))
        at = os.path.relpath(dirpath, folder)
        for name in filenames:  # hidden files and a dataset's kept texts are not sources
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in KINDS:
                f = Path(dirpath, name)
                if f.is_file():
                    out.append((f, name if at == "." else f"{Path(at).as_posix()}/{name}"))
    return sorted(out)


def _names(files: Sequence[tuple[Path, str, tuple[str, ...]]]) -> list[tuple[Path, str]]:
    """Each file's path in its folder, lengthened by the folder's parents where names meet."""
    groups: dict[str, list[Path]] = {}
    for f, rel, _ in files:
        groups.setdefault(rel, []).append(f)
    taken = {name for name, group in groups.items() if len(group) == 1}
    named = {group[0]: name for name, group in groups.items() if len(group) == 1}
    roots = {f: parts for f, _, parts in files}
    for name, clash in groups.items():
        if len(clash) > 1:
            named.update(_apart(name, clash, roots, taken))
    return [(f, named[f].lstrip("/")) for f, _, _ in files]


def _apart(name: str, clash: list[Path], roots: dict[Path, tuple[str, ...]], taken: set[str]) -> dict[Path, str]:
    """The files of one name, each named by as many parent folders as make them all differ
    (and differ from the names no other file has); at worst, by their whole paths."""
    ladders = [list(longer_names(name, roots[g])) or [name] for g in clash]
    depth = max(map(len, ladders))
    for names in zip(*(ladder + ladder[-1:] * (depth - len(ladder)) for ladder in ladders)):  # a shallower one stays whole
        if len(set(names)) == len(clash) and not set(names) & taken:
            return dict(zip(clash, names))
    return {g: str(g.resolve()) for g in clash}


def longer_names(name: str, folder: tuple[str, ...]) -> Iterator[str]:
    """`name` under one, two, … of its folder's parts (`folder` as `Path.parts`, absolute):
    "001.txt" in /data/a → "a/001.txt", "data/a/001.txt"."""
    parts = folder[1:] if folder and folder[0] == "/" else folder
    for depth in range(1, len(parts) + 1):
        yield "/".join((*parts[-depth:], name))


def kind_of(path: Path) -> str:
    return KINDS.get(Path(path).suffix.lower(), "text")


def read_source(path: Path | Input, overrides: dict[str, Any] | None = None, id: str | None = None) -> SourceText:
    """One source and its sidecar, whatever its kind; any problem is an InputError naming the file."""
    if isinstance(path, Input):
        path, id = path.path, id or path.id
    path = Path(path)
    kind = kind_of(path)
    if kind == "text":
        check_name(path)
        raw = read_bytes(path, int(config.get("max_source_bytes", overrides)))
        try:
            return read_text_source(path, overrides, id, raw=raw)
        except InputError:
            if not _is_page(raw):
                raise
        kind = "html"  # a page saved as .txt
    else:
        check_name(path)
        raw = read_bytes(path, int(config.get("max_source_bytes", overrides)))
    read = read_raw(raw, path, kind)
    if not has_text(read.text):
        raise InputError(path, f"no article text in this {kind.upper()} file after removing page furniture")
    meta = merged(read_sidecar(sidecar_of(path)), read)
    return SourceText(id=id or path.name, path=str(path), text=read.text, meta=meta,
                      sha256=hashlib.sha256(raw).hexdigest(), kind=kind)


def _is_page(raw: bytes) -> bool:
    """Whether a `.txt` file's bytes are a saved page (its head, in UTF-8 or UTF-16)."""
    head = raw[:4096]
    codec = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    return looks_like_html(head.decode(codec, "replace"))


def read_raw(raw: bytes, path: Path, kind: str) -> Read:
    """The bytes of a page or document, read by the reader of its kind."""
    if kind == "html":
        from .html import read_html
        return read_html(raw, path)
    if kind == "mhtml":
        from .html import read_mhtml
        return read_mhtml(raw, path)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(raw, path)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(raw, path)
    raise InputError(path, f"no reader for {kind} files")


def read_document(path: Path, overrides: dict[str, Any] | None = None) -> Read:
    """A page or document as its reader sees it (no sidecar): what `tests/pages/measure.py` scores."""
    path = Path(path)
    kind = kind_of(path)
    raw = read_bytes(path, int(config.get("max_source_bytes", overrides)))
    if kind == "text":
        if not _is_page(raw):
            raise InputError(path, "a text file, not a page or document")
        kind = "html"
    return _with_province(read_raw(raw, path, kind))


def _with_province(read: Read) -> Read:
    if read.province or not read.url:
        return read
    from .publishers import lookup
    found = lookup(read.url, read.published)
    return dataclasses.replace(read, province=found.province) if found is not None and found.province else read


def merged(sidecar: SourceMeta, read: Read) -> SourceMeta:
    """The sidecar's fields, and the reader's where the sidecar has none; a publisher's province
    where neither names one."""
    read = _with_province(dataclasses.replace(read, published=sidecar.published or read.published,
                                              url=sidecar.url or read.url))
    fields = {f.name: getattr(sidecar, f.name) for f in dataclasses.fields(SourceMeta)}
    for name in fields:
        if fields[name] is None and getattr(read, name, None) is not None:
            fields[name] = getattr(read, name)
    return SourceMeta(**fields)


def kept_text(dataset: Path, source_id: str) -> Path:
    """Where the build keeps the text read from a page or document: `NAME.texts/ID.txt` beside
    the dataset `NAME` (`kg.trig.texts/…`)."""
    dataset = Path(dataset)
    return dataset.with_name(dataset.name + TEXTS_SUFFIX) / (source_id + ".txt")


__all__ = ["Input", "Read", "find_inputs", "find_sources", "longer_names", "read_source", "read_document", "read_raw",
           "merged", "kept_text", "kind_of", "KINDS", "MEDIA_TYPES",
           # from kg.read.text, for callers that read `.txt` bytes themselves (the build cache's probe, tests)
           "MAX_BYTES", "SIDECAR_KEYS", "decode", "decode_as", "read_bytes", "read_sidecar", "sidecar_of"]
