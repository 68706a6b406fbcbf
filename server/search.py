"""Find entities by label, the way a Vietnamese reader types a name.

Takes the dataset once and builds an index of folded labels (:func:`kg.text.fold`: no
diacritics, modern tone placement, case-folded, đ → d), so "Nguyen Van An", "nguyễn văn an"
and "Hoà"/"Hòa" find the same entity. Titles and honorifics in the query ("đồng chí",
"Bí thư Tỉnh ủy", a body's own name) are stripped before matching. Returns ranked
:class:`Hit` records; does not run SPARQL.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.config import DATA_DIR
from kg.text import fold
from kg.vocab import VNKG

from .entities import label_of

# a match of the whole cleaned query scores higher than a partial one
_EXACT, _NAME_AFTER_TITLE, _PREFIX, _ALL_WORDS, _LABEL_IN_QUERY, _SUBSTRING = 100, 90, 80, 60, 50, 30


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    type: str  # local name of the entity's vnkg class
    matched: str  # the label or alternative label that matched
    score: int


@dataclass(frozen=True)
class _Entry:
    iri: str
    key: str  # folded label
    text: str  # the label as written


def _titles(dataset: Dataset) -> tuple[str, ...]:
    """Folded words to strip from a query: honorifics, roles, body names; longest first."""
    words: set[str] = {"dong chi", "ong", "ba", "anh", "chi", "dong gia"}
    try:
        lexicon = json.loads((DATA_DIR / "lexicon.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        lexicon = {}
    for name in ("roles", "honorifics"):
        words.update(fold(w) for w in lexicon.get(name, []) if isinstance(w, str))
    for cls in (VNKG.Body, VNKG.Role):
        for node in dataset.subjects(RDF.type, cls):
            words.update(fold(str(lab)) for lab in dataset.objects(node, RDFS.label))
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


class SearchIndex:
    """Folded labels of every labelled entity, and the titles to strip from queries."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.entries: list[_Entry] = []
        for p in (RDFS.label, SKOS.altLabel):
            for s, label in dataset.subject_objects(p):
                if isinstance(s, URIRef):
                    self.entries.append(_Entry(str(s), fold(str(label)), str(label)))
        self.titles = _titles(dataset)
        self.mentions = Counter(str(s) for s in dataset.subjects(VNKG.mentionedIn, None))

    def strip_titles(self, key: str) -> str:
        """A folded query without its leading titles: "dong chi bi thu x" → "x"."""
        changed = True
        while changed:
            changed = False
            for title in self.titles:
                if key.startswith(title + " "):
                    key, changed = key[len(title) + 1:], True
                    break
        return key

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Entities whose label matches `query`, best first."""
        key = fold(query)
        if not key:
            return []
        stripped = self.strip_titles(key)
        best: dict[str, tuple[int, str]] = {}
        for entry in self.entries:
            # the query as typed wins a tie with the query without its titles
            score = max(_score(key, entry.key), _score(stripped, entry.key) - 5 if stripped != key else 0)
            if score and score > best.get(entry.iri, (0, ""))[0]:
                best[entry.iri] = (score, entry.text)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -self.mentions[kv[0]],
                                                       len(kv[1][1]), kv[0]))
        return [self._hit(iri, score, text) for iri, (score, text) in ranked[:limit]]

    def _hit(self, iri: str, score: int, text: str) -> Hit:
        node = URIRef(iri)
        types = sorted(str(t).rsplit("#", 1)[-1] for t in self.dataset.objects(node, RDF.type)
                       if str(t).startswith(str(VNKG._NS)))
        return Hit(iri, label_of(self.dataset, node), _main_type(types), text, score)


_GENERAL = ("Person", "Body", "Post", "Role", "Meeting", "Document", "Goal", "Place", "Source")


def _main_type(types: Iterable[str]) -> str:
    types = list(types)
    specific = [t for t in types if t not in _GENERAL]
    return (specific or types or [""])[0]


def _score(query: str, label: str) -> int:
    """How well a folded query matches a folded label (0: not at all)."""
    if not query or not label:
        return 0
    if query == label:
        return _EXACT
    if label.startswith(query + " ") or (len(query) >= 3 and label.startswith(query)):
        return _PREFIX
    q_words, l_words = query.split(), label.split()
    if len(l_words) >= 2 and f" {query}".endswith(f" {label}"):
        return _NAME_AFTER_TITLE  # titles come before a name: "bi thu tinh uy <name>"
    if all(any(w.startswith(q) for w in l_words) for q in q_words):
        return _ALL_WORDS
    if len(l_words) >= 2 and f" {label} " in f" {query} ":
        return _LABEL_IN_QUERY
    if len(query) >= 3 and query in label:
        return _SUBSTRING
    return 0
