"""Extraction comes from the genre, not from the seeds: no seed person's name and no seed
sentence (or any run of ten of its words) appears in the extractor's code or data."""
import json
import re
import unicodedata

from conftest import ROOT, SEEDS, SEEDS_GOLD

KG = ROOT / "kg"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _extractor_files() -> str:
    files = [p for p in KG.rglob("*") if p.suffix in {".py", ".json", ".txt", ".rq"} and p.is_file()]
    return _norm("\n".join(p.read_text(encoding="utf-8") for p in files))


def test_no_seed_person_in_code_or_data():
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    names = {p["name"] for p in gold["persons"]} | {n for group in gold.get("person_aliases", []) for n in group}
    corpus = _extractor_files()
    assert not [n for n in names if _norm(n) in corpus]


def test_no_seed_sentence_in_code_or_data():
    corpus = _extractor_files()
    leaks = []
    for path in SEEDS.glob("*.txt"):
        words = re.findall(r"\w+", _norm(path.read_text(encoding="utf-8")))
        for i in range(0, max(0, len(words) - 10)):
            run = " ".join(words[i:i + 10])
            if run in corpus:
                leaks.append(run)
    assert not leaks, leaks[:5]
