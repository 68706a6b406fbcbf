"""Score a reader on the page corpus: how much of each article's text it recovers, and its metadata.

    python tests/pages/measure.py [--json OUT] [--reader MODULE:FUNCTION]

The reader (default `kg.read:read_document`, imported only when needed) takes a path and
returns a `kg.read.base.Read`. For every file in `manifest.json` it is compared with the text
in the entry's `text` file and the metadata in its `expect`; every file under "bad" should make
it raise (a `kg.errors.InputError` for a reader that follows kg/read/base.py).

**Character F1.** Both texts are NFC-normalised and every run of whitespace (spaces, tabs,
newlines, no-break spaces) becomes one space; ends are stripped. The two strings are then
aligned in order, keeping the order of both (a plain character SequenceMatcher is quadratic on
a whole page, so it is done in two steps): word by word first (difflib.SequenceMatcher over the
space-separated words, autojunk off), a run of k aligned words counting its letters and its k-1
inner spaces; then character by character inside each pair of unaligned stretches between two
word runs (SequenceMatcher over characters, autojunk off; a pair over 4,000,000 character pairs
counts as unaligned). The space on either side of such a stretch is not counted, so `matched`
can fall a few characters short of the longest alignment, never above it. Precision =
matched / len(extracted), recall = matched / len(expected), F1 = 2PR / (P + R); identical
texts score 1, two empty texts 1, one empty text 0.

**Metadata.** Fields title, published, author, publisher, url, language. A null expectation is
met only by None or an empty string. Dates compare exactly as YYYY-MM-DD; URLs exactly;
other strings after NFC, whitespace collapse and casefold (a letterhead prints its issuer in
capitals). The share is correct fields / all fields, per kind.
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
FIELDS = ("title", "published", "author", "publisher", "url", "language")
CHAR_LIMIT = 4_000_000


def canon(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _matched(a: str, b: str) -> int:
    wa, wb = a.split(" "), b.split(" ")
    total = ia = ib = 0
    for block in SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks():
        ga, gb = " ".join(wa[ia:block.a]), " ".join(wb[ib:block.b])
        if ga and gb and len(ga) * len(gb) <= CHAR_LIMIT:
            total += sum(m.size for m in SequenceMatcher(None, ga, gb, autojunk=False).get_matching_blocks())
        if block.size:
            total += sum(len(w) for w in wa[block.a:block.a + block.size]) + block.size - 1
        ia, ib = block.a + block.size, block.b + block.size
    return total


def f1(extracted: str, expected: str) -> float:
    """Character-level F1 of `extracted` against `expected` (see the module docstring)."""
    a, b = canon(extracted), canon(expected)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    matched = _matched(a, b)
    if matched == 0:
        return 0.0
    precision, recall = matched / len(a), matched / len(b)
    return 2 * precision * recall / (precision + recall)


def field_ok(name: str, got: Any, want: str | None) -> bool:
    if hasattr(got, "isoformat"):
        got = got.isoformat()[:10]
    if want is None:
        return got is None or got == ""
    if not isinstance(got, str):
        return False
    if name in ("url", "published"):
        return got.strip() == want
    return canon(got).casefold() == canon(want).casefold()


def score_file(reader: Callable[[Path], Any], root: Path, entry: dict) -> dict:
    expected = (root / entry["text"]).read_text(encoding="utf-8")
    try:
        read = reader(root / entry["file"])
    except Exception as exc:  # a reader that fails on a good file scores zero, and says why
        return {"file": entry["file"], "kind": entry["kind"], "f1": 0.0, "error": f"{type(exc).__name__}: {exc}",
                "fields": {f: False for f in FIELDS}}
    fields = {f: field_ok(f, getattr(read, f, None), entry["expect"].get(f)) for f in FIELDS}
    return {"file": entry["file"], "kind": entry["kind"], "f1": round(f1(read.text or "", expected), 4), "fields": fields}


def check_bad(reader: Callable[[Path], Any], root: Path, entry: dict) -> dict:
    try:
        reader(root / entry["file"])
    except Exception as exc:
        return {"file": entry["file"], "rejected": True, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"file": entry["file"], "rejected": False, "error": None}


def summarise(results: list[dict]) -> dict:
    kinds: dict[str, dict] = {}
    for kind in sorted({r["kind"] for r in results}):
        rows = [r for r in results if r["kind"] == kind]
        worst = min(rows, key=lambda r: r["f1"])
        oks = [ok for r in rows for ok in r["fields"].values()]
        kinds[kind] = {"files": len(rows), "f1_mean": round(statistics.fmean(r["f1"] for r in rows), 4),
                       "f1_min": worst["f1"], "f1_min_file": worst["file"],
                       "metadata": round(sum(oks) / len(oks), 4),
                       "by_field": {f: round(sum(r["fields"][f] for r in rows) / len(rows), 4) for f in FIELDS},
                       "errors": sum("error" in r for r in rows)}
    return kinds


def measure(reader: Callable[[Path], Any], root: Path = HERE) -> dict:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    results = [score_file(reader, root, e) for e in manifest["files"]]
    bad = [check_bad(reader, root, e) for e in manifest.get("bad", [])]
    return {"kinds": summarise(results), "files": results, "bad": bad}


def load_reader(spec: str) -> Callable[[Path], Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "read_document")


def report(result: dict) -> str:
    lines = [f"{'kind':6} {'files':>5} {'F1 mean':>8} {'F1 min':>7} {'meta':>6}  worst file"]
    for kind, s in result["kinds"].items():
        lines.append(f"{kind:6} {s['files']:5d} {s['f1_mean']:8.3f} {s['f1_min']:7.3f} {s['metadata']:6.3f}  {s['f1_min_file']}"
                     + (f"  ({s['errors']} failed)" if s["errors"] else ""))
        lines.append("       " + "  ".join(f"{f} {v:.2f}" for f, v in s["by_field"].items()))
    rejected = sum(b["rejected"] for b in result["bad"])
    lines.append(f"bad    {len(result['bad']):5d} rejected {rejected}/{len(result['bad'])}"
                 + "".join(f"\n       not rejected: {b['file']}" for b in result["bad"] if not b["rejected"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the full results (per file) as JSON here")
    parser.add_argument("--reader", default="kg.read:read_document", help="MODULE:FUNCTION taking a path")
    parser.add_argument("--root", type=Path, default=HERE, help="the corpus folder (default: tests/pages)")
    args = parser.parse_args(argv)
    try:
        reader = load_reader(args.reader)
    except (ImportError, AttributeError) as exc:
        print(f"measure: no reader {args.reader!r} ({exc}); give one with --reader MODULE:FUNCTION", file=sys.stderr)
        return 2
    result = measure(reader, args.root)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
