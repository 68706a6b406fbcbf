"""Search scores only the labels a query can match (kg/toolkit/search.py `_candidates`), found by
string search over one text of all folded labels — and ranks exactly as scoring every label did."""
from __future__ import annotations

import random

import pytest

from kg import store
from kg.toolkit.search import SearchIndex
from server.oxdataset import OxDataset


@pytest.fixture(scope="module")
def index(devset_build) -> SearchIndex:
    return SearchIndex(OxDataset(store.open_store(devset_build)))


def queries(index: SearchIndex) -> list[str]:
    """Labels whole, as typed, their words, runs of words, bits of words, titles before names,
    words from different labels together, and what matches nothing."""
    rng = random.Random(7)
    picked = rng.sample(index.entries, 60)
    found = ["", "a", "ba", "uy", "zzzz qqq", "Bí thư Tỉnh ủy", "đồng chí", "tinh uy", "nguyen van"]
    for e in picked:
        words = e.key.split()
        found += [e.text, e.key, words[0], words[-1], e.key[1:7], e.key[len(e.key) // 2:][:5],
                  " ".join(words[1:3]), "dong chi bi thu tinh uy " + e.key, e.key + " " + rng.choice(picked).key,
                  " ".join(w[:2] for w in words[:3]), rng.choice(picked).key.split()[0] + " " + words[-1]]
    return found


def test_the_candidates_rank_as_scoring_every_label(index, monkeypatch):
    asked = queries(index)
    fast = [index.search(q, limit=500) for q in asked]
    monkeypatch.setattr(index, "_candidates", lambda query: set(range(len(index.entries))) if query else set())
    every = [index.search(q, limit=500) for q in asked]
    assert fast == every
    assert sum(map(len, fast)) > 2000  # the queries find things, many of them


def test_a_query_is_scored_on_far_fewer_labels_than_all(index):
    asked = [e.key for e in index.entries[::50]]
    scored = [len(index._candidates(q)) for q in asked]
    assert sum(scored) < len(asked) * len(index.entries) / 10


def test_the_store_counts_the_sources_as_the_lookups_did(index, devset_build):
    from collections import Counter

    from kg.vocab import VNKG
    looked_up = Counter(str(s) for s in OxDataset(store.open_store(devset_build)).subjects(VNKG.mentionedIn, None))
    assert index.mentions == looked_up and len(looked_up) > 100


def test_words_starting_with_a_prefix_are_counted_as_the_text_holds_them(index):
    for prefix in ["a", "bi", "tinh", "uy", "nguyen", "zzz", "k'", "th"]:
        held = index._text.count(" " + prefix) + index._text.count("\n" + prefix)
        assert index._starting(prefix) == held
