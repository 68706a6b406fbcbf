"""The extractor on articles it was not written against: the hand-written dev set."""
from kg.evaluate import evaluate, load_golds
from kg.export import load

from conftest import DEVSET


def test_devset_score(devset_build):
    scores = evaluate(load(devset_build), load_golds([DEVSET]))
    assert scores.must_not == 0, scores.must_not_list
    assert scores.overall >= 0.90, scores


HELDOUT = DEVSET.parent / "heldout"


def test_heldout_score(tmp_path):
    """The second set, written apart from the extractor by someone who never read it (its first
    score, before anything was changed for it, is in the closing notes)."""
    from kg.pipeline import build
    out = tmp_path / "heldout.trig"
    build([HELDOUT], out, log=lambda line: None)
    scores = evaluate(load(out), load_golds([HELDOUT]))
    assert scores.must_not == 0, scores.must_not_list
    assert scores.overall >= 0.90, scores
