"""The extractor on articles it was not written against: the hand-written dev set."""
from kg.evaluate import evaluate, load_golds
from kg.export import load

from conftest import DEVSET


def test_devset_score(devset_build):
    scores = evaluate(load(devset_build), load_golds([DEVSET]))
    assert scores.must_not == 0, scores.must_not_list
    assert scores.overall >= 0.90, scores
