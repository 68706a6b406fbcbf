"""The extraction benchmark: both trees' runs are compared on the same articles, and a tree whose
extractions differ is told apart."""
import json
import shutil

from benchmarks.extraction import main
from benchmarks.measure import ROOT


def test_the_same_code_gives_the_same_extractions(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["12", "--before", str(ROOT), "--rounds", "1", "--work", str(tmp_path), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["same_extractions"] and [r["code"] for r in result["rows"]] == ["now", "before"]
    assert all(r["ms_per_article"] > 0 for r in result["rows"])


def test_code_that_extracts_otherwise_is_told_apart(tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "kg", other / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    goals = other / "kg" / "extract" / "goals.py"  # a figure rule that no longer reads percentages
    goals.write_text(goals.read_text(encoding="utf-8").replace("(?P<unit>%)", "(?P<unit>‰)"), encoding="utf-8")
    assert main(["30", "--before", str(other), "--rounds", "1", "--work", str(tmp_path)]) == 1
