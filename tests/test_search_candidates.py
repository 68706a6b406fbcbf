"""Search scores only the labels a query can match (kg/toolkit/search.py `_matching`), found by
string search over one text of all folded labels — and ranks exactly as scoring every label did."""
from __future__ import annotations

import random

import pytest
from rdflib import RDF, URIRef

from kg import store
from kg.text import fold
from kg.toolkit import search as search_module
from kg.toolkit.search import _RULES, Hit, SearchIndex, _score
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


def candidates(index: SearchIndex, query: str) -> set[int]:
    """The labels any rule may score on `query`."""
    return set().union(*(index._matching(rule, query) for _, rule in _RULES))


def every_label(index: SearchIndex, query: str, limit: int, kind: str | None = None) -> list[Hit]:
    """The ranking by its definition: every label scored, each entity by its best (the first
    label giving it), ranked by score, sources, the label's length, the IRI."""
    key = fold(query)
    if not key:
        return []
    stripped = index.strip_titles(key)
    best: dict[str, tuple[int, str]] = {}
    for entry in index.entries:
        score = max(_score(key, entry.key), _score(stripped, entry.key) - 5 if stripped != key else 0)
        if score and score > best.get(entry.iri, (0, ""))[0]:
            best[entry.iri] = (score, entry.text)
    if kind:  # the entity's classes, each read from the dataset
        best = {iri: found for iri, found in best.items()
                if kind.lower() in {str(t).rsplit("#", 1)[-1].lower() for t in index.dataset.objects(URIRef(iri), RDF.type)}}
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -index.mentions[kv[0]], len(kv[1][1]), kv[0]))
    return [index._hit(iri, score, text) for iri, (score, text) in ranked[:limit]]


def test_the_candidates_rank_as_scoring_every_label(index):
    asked = queries(index)
    fast = [index.search(q, limit=500) for q in asked]
    assert fast == [every_label(index, q, 500) for q in asked]
    assert sum(map(len, fast)) > 2000  # the queries find things, many of them


# what many labels begin with or hold: the rules stop early, once enough entities score as high
BROAD = ["Bí thư", "bi thu tinh uy", "Tỉnh ủy", "uy ban nhan dan", "Phó Chủ tịch", "chu tich", "đồng chí",
         "nguyen", "nghi quyet", "dai hoi", "hoi nghi", "ban thuong vu", "tinh", "uy", "van"]


@pytest.mark.parametrize("limit", [1, 3, 20, 60])
def test_stopping_early_ranks_the_first_hits_as_scoring_every_label(index, limit):
    asked = BROAD + queries(index)[::7]
    for q in asked:
        assert index.search(q, limit=limit) == every_label(index, q, limit), q


@pytest.mark.parametrize("kind", ["Person", "body", "Post", "Document", "Place", "MEETING", "conference", "Goal",
                                  "nothing"])
def test_a_kind_stops_on_entities_of_that_kind(index, kind):
    for q in BROAD + queries(index)[::11]:
        assert index.search(q, limit=10, kind=kind) == every_label(index, q, 10, kind), (q, kind)


def test_a_broad_query_scores_far_fewer_labels_than_it_can_match(index, monkeypatch):
    scored = []
    score = search_module._score
    monkeypatch.setattr(search_module, "_score", lambda q, label: scored.append(label) or score(q, label))
    hits = index.search("Bí thư", limit=20)
    assert len(hits) == 20
    matching = len(candidates(index, fold("Bí thư")))
    assert len(scored) < matching / 4  # only the labels that begin with it, scored twice at most


def test_a_query_is_scored_on_far_fewer_labels_than_all(index):
    asked = [e.key for e in index.entries[::50]]
    scored = [len(candidates(index, q)) for q in asked]
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


def test_a_one_word_query_scores_its_words_labels_without_looking_at_them(index, monkeypatch):
    """Past the labels equal to a one-word query or beginning with it, a label with a word
    starting with it scores what all its words give, without `_score`: the same hits."""
    words = sorted({w for e in index.entries for w in e.key.split()})[::9] + ["dang", "uy", "tinh", "van"]
    expected = {w: every_label(index, w, 30) for w in words}
    scored = []
    score = search_module._score
    monkeypatch.setattr(search_module, "_score", lambda q, label: scored.append(label) or score(q, label))
    for w in words:
        assert index.search(w, limit=30) == expected[w], w
    every = sum(len(candidates(index, w)) for w in words)
    assert len(scored) < every / 2


def test_a_kind_reads_the_entities_of_that_class_once_and_no_others(index, monkeypatch):
    from kg.vocab import VNKG
    asked = []
    subjects = index.dataset.subjects
    monkeypatch.setattr(index, "_kinds", {})
    monkeypatch.setattr(index.dataset, "subject_objects", lambda *a, **k: pytest.fail("read every entity's classes"))
    monkeypatch.setattr(index.dataset, "subjects", lambda p=None, o=None: asked.append((p, o)) or subjects(p, o))
    assert index.search("nguyen", 5, kind="Person") and index.search("nguyen thi", 5, kind="person")
    assert index.search("tinh", 5, kind="no such class") == []
    assert asked == [(RDF.type, VNKG.Person)]
