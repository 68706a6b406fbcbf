#!/usr/bin/env python3
"""Restore the texts of the real development articles from answers of the stored public pages.

The texts are third-party: git keeps their sources table (each batch's ``sources.csv``: file,
URL, publisher, date, province, genre, the search query that found the page, the text's
SHA-256 and length), their sidecars and their gold, never the texts. A text is the excerpt
the stored-pages corpus gives for its URL (the opening of the page, as the corpus stores it).
To restore them, ask the corpus the queries of the table (``search``, corpus ``pages``; the
query of each missing file is printed) and save its answers as JSON files, then:

    python tests/realdev/restore.py ANSWER.json [ANSWER.json …]   # write the texts found in them
    python tests/realdev/restore.py --check                       # which texts are here, intact

An answer file is what the corpus returns (``{"results": [{"url": …, "excerpt": …}, …]}``), a
list of such answers, or JSON lines of ``{"url": …, "excerpt": …}``. A text is written only if
its SHA-256 is the table's (a page the corpus stores differently now is reported, not written),
to a temporary file first and then renamed. Before use, every text must still pass
``python ../shared/tools/reserved.py FILE`` (the tests do not use a text that is reserved).
Exit status: 0 when every text is here and intact, 1 otherwise.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

HERE = Path(__file__).resolve().parent


def rows() -> Iterator[tuple[Path, dict]]:
    """Every (batch folder, row) of the sources tables."""
    for table in [*sorted(HERE.glob("batch*/sources.csv")), *sorted(HERE.glob("identity/sources.csv"))]:
        with table.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield table.parent, row


def url_key(url: str) -> str:
    """A URL as pages are matched: no scheme, no "www.", no trailing slash, lower case."""
    u = re.sub(r"^https?://", "", url.strip().lower())
    return re.sub(r"^(?:www\.|m\.|amp\.)", "", u).rstrip("/")


def excerpts(paths: Iterable[Path]) -> dict[str, str]:
    """URL key → excerpt, from answer files in any of the shapes the module names."""
    found: dict[str, str] = {}
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
            items = data if isinstance(data, list) else [data]
        except ValueError:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        for item in items:
            for result in item.get("results", [item]):
                if result.get("url") and isinstance(result.get("excerpt"), str):
                    found.setdefault(url_key(result["url"]), result["excerpt"])
    return found


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("answers", nargs="*", type=Path, help="JSON answers of the stored-pages corpus")
    ap.add_argument("--check", action="store_true", help="only report which texts are here and intact")
    args = ap.parse_args(argv)
    pages = {} if args.check else excerpts(args.answers)
    missing = 0
    for folder, row in rows():
        path = folder / row["file"]
        if path.exists() and sha256(path.read_text(encoding="utf-8")) == row["sha256"]:
            continue
        text = pages.get(url_key(row["url"]))
        if text is not None and sha256(text) == row["sha256"]:
            write(path, text)
            print(f"restored  {path.relative_to(HERE)}")
            continue
        missing += 1
        why = "differs from the stored page" if path.exists() or text is not None else "missing"
        print(f"{why:9s} {path.relative_to(HERE)}  (pages query: {row['query']!r}; url {row['url']})")
    print(f"{missing} text(s) missing or changed" if missing else "every text is here and intact")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
