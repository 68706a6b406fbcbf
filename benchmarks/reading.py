"""What reading costs: each kind of file of `tests/pages/` read by its reader (median of
`--repeat` runs per file, then the median over the files of a kind), side by side with the
`.txt` of the same articles; and the fingerprints that tell an article read twice
(:mod:`kg.read.duplicates`) over a generated corpus.

    python -m benchmarks.reading [--repeat 5] [--articles 2000] [--out benchmarks/results/reading.json]
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.measure import ROOT, table

PAGES = ROOT / "tests" / "pages"


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def per_kind(repeat: int) -> dict:
    from kg.read import read_source
    manifest = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))
    by_kind: dict[str, list[float]] = {}
    texts: list[float] = []
    for entry in manifest["files"]:
        path = PAGES / entry["file"]
        by_kind.setdefault(entry["kind"], []).append(_timed(lambda: read_source(path), repeat))
        texts.append(_timed(lambda: read_source(ROOT / entry["article"]), repeat))
    out = {kind: {"files": len(times), "median_ms": round(1000 * statistics.median(times), 2),
                  "max_ms": round(1000 * max(times), 2)} for kind, times in sorted(by_kind.items())}
    out["txt (the same articles)"] = {"files": len(texts), "median_ms": round(1000 * statistics.median(texts), 2),
                                      "max_ms": round(1000 * max(texts), 2)}
    return out


def fingerprints(articles: int) -> dict:
    from benchmarks.generate import write_corpus
    from kg.read.duplicates import copies, fingerprint
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(articles, Path(folder), seed=1)
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
    t = time.perf_counter()
    for text in texts:
        fingerprint(text)
    each = (time.perf_counter() - t) / len(texts)
    t = time.perf_counter()
    found = copies(texts + texts[: articles // 10])  # a tenth of them again, as copies
    return {"articles": len(texts), "fingerprint_ms_each": round(1000 * each, 3),
            "copies_found": len(found), "copies_planted": articles // 10,
            "one_pass_s": round(time.perf_counter() - t, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "reading.json")
    a = ap.parse_args()
    kinds = per_kind(a.repeat)
    prints = fingerprints(a.articles)
    print(table([{"kind": k, **v} for k, v in kinds.items()], ["kind", "files", "median_ms", "max_ms"]))
    print(f"fingerprints: {prints['fingerprint_ms_each']} ms an article over {prints['articles']} generated "
          f"articles; {prints['copies_found']} of {prints['copies_planted']} planted copies found in one pass "
          f"of {prints['one_pass_s']} s")
    result = {"command": f"python -m benchmarks.reading --repeat {a.repeat} --articles {a.articles}",
              "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
              "read": kinds, "fingerprints": prints}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
