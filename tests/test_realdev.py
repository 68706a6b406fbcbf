"""The real development articles (tests/realdev): each batch keeps at least the score it reached.

The texts are third-party and not in git; a batch whose texts are not all here (restored by
tests/realdev/restore.py, hashes checked) is skipped, so the suite stays green without them.
Floors are the scores measured at the end of the development the batches prompted, less a
small margin; batch 3 was held back as the estimate and is scored here like the others.
"""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from kg.evaluate import evaluate, load_golds
from kg.export import load
from kg.pipeline import build

REALDEV = Path(__file__).resolve().parent / "realdev"
FLOORS = {"batch1": 0.90, "batch2": 0.92, "batch3": 0.72, "batch4": 0.90, "batch5": 0.92}
# must_not pairs the gold of one article sets against a post another article of the batch states
# at another time (a secretary of a province merged in 2025; see tests/realdev/README.md)
MUST_NOT = {"batch1": 1, "batch2": 1}


def texts_here(batch: Path) -> bool:
    with (batch / "sources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return bool(rows) and all((batch / r["file"]).is_file() and
                              hashlib.sha256((batch / r["file"]).read_bytes()).hexdigest() == r["sha256"] for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_batch_keeps_its_score(name, tmp_path):
    batch = REALDEV / name
    if not batch.is_dir() or not texts_here(batch):
        pytest.skip(f"the texts of tests/realdev/{name} are not here (tests/realdev/restore.py restores them)")
    out = tmp_path / "kg.trig"
    build([batch], out, log=lambda line: None)
    scores = evaluate(load(out), load_golds([batch]))
    assert scores.must_not <= MUST_NOT.get(name, 0), scores.must_not_list
    assert scores.overall >= FLOORS[name], scores
