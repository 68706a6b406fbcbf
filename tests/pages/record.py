"""The record every generator returns: one file's bytes and its manifest entry."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Made:
    """One generated file, its bytes, and its manifest entry."""

    file: str  # relative to the corpus folder, e.g. "html/001_x.html"
    data: bytes
    entry: dict  # kind, article, template, expect (or reason, for a hostile file)
    text: str | None = None  # what a good reader returns; written to text/<file minus extension>.txt
