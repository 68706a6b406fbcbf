"""Find entities by label, the way a Vietnamese reader types a name (the server's /search, the
notebook API's ``find``).

Takes a dataset once — any object with rdflib's read methods ``subject_objects``, ``subjects``
and ``objects`` (an rdflib Dataset, the server's ``OxDataset`` or ``RemoteDataset``, the
notebook API's view of a store) — and builds an index of folded labels
(:func:`kg.text.fold`: no diacritics, modern tone placement, case-folded, đ → d), so "Nguyen
Van An", "nguyễn văn an" and "Hoà"/"Hòa" find the same entity. Titles and honorifics in the
query ("đồng chí", "Bí thư Tỉnh ủy", a body's own name) are stripped before matching. Returns
ranked :class:`Hit` records; does not run SPARQL itself (the dataset's methods may).
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..config import DATA_DIR
from ..text import fold
from ..vocab import VNKG

# a match of the whole cleaned query scores higher than a partial one
_EXACT, _NAME_AFTER_TITLE, _PREFIX, _ALL_WORDS, _LABEL_IN_QUERY, _SUBSTRING = 100, 90, 80, 60, 50, 30
_GENERAL = ("Person", "Body", "Post", "Role", "Meeting", "Document", "Goal", "Place", "Source")


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


def plain_label(dataset: Any, node: Any) -> str:
    """An entity's rdfs:label, the Vietnamese one first; else the IRI's last segment."""
    labels = list(dataset.objects(node, RDFS.label))
    if labels:
        vi = [lab for lab in labels if isinstance(lab, Literal) and lab.language == "vi"]
        return str(sorted(vi or labels)[0])
    return str(node).rstrip("/#").rsplit("/", 1)[-1]


def _lexicon_titles() -> set[str]:
    words: set[str] = {"dong chi", "ong", "ba", "anh", "chi", "dong gia"}
    try:
        lexicon = json.loads((DATA_DIR / "lexicon.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        lexicon = {}
    for name in ("roles", "honorifics"):
        words.update(fold(w) for w in lexicon.get(name, []) if isinstance(w, str))
    return words


class SearchIndex:
    """Folded labels of every labelled entity, and the titles to strip from queries.

    `label` gives a hit's label (default :func:`plain_label`; the server passes its own)."""

    def __init__(self, dataset: Any, label: Optional[Callable[[Any, Any], str]] = None) -> None:
        self.dataset, self.label = dataset, label or plain_label
        self.entries: list[_Entry] = []
        titled = set(dataset.subjects(RDF.type, VNKG.Body)) | set(dataset.subjects(RDF.type, VNKG.Role))
        words = _lexicon_titles()
        for p in (RDFS.label, SKOS.altLabel):
            for s, label_ in dataset.subject_objects(p):
                if isinstance(s, URIRef):
                    self.entries.append(_Entry(str(s), fold(str(label_)), str(label_)))
                    if p == RDFS.label and s in titled:
                        words.add(fold(str(label_)))
        self.titles = tuple(sorted((w for w in words if w), key=len, reverse=True))
        counted = getattr(dataset, "subject_counts", None)  # a store that counts for itself
        self.mentions = counted(VNKG.mentionedIn) if counted else \
            Counter(str(s) for s in dataset.subjects(VNKG.mentionedIn, None))
        self._types: Optional[dict[str, set[str]]] = None
        # every folded label in one text, one a line, so that C's string search finds where a
        # query can match; only those entries are scored (see _candidates)
        self._text = "\n" + "\n".join(e.key for e in self.entries) + "\n"
        self._starts = list(accumulate((len(e.key) + 1 for e in self.entries), initial=1))[:-1]
        self._by_key: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            self._by_key.setdefault(e.key, []).append(i)
        # the labels' words, sorted, with running counts: how many words start with a prefix
        occurrences = Counter(w for e in self.entries for w in e.key.split())
        self._words = sorted(occurrences)
        self._word_counts = list(accumulate((occurrences[w] for w in self._words), initial=0))

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

    def search(self, query: str, limit: int = 20, kind: Optional[str] = None) -> list[Hit]:
        """Entities whose label matches `query`, best first; with `kind` ("Person", "Body",
        "Document" …, any case), only entities of that vnkg class."""
        key = fold(query)
        if not key:
            return []
        stripped = self.strip_titles(key)
        best: dict[str, tuple[int, str]] = {}
        scored = self._candidates(key) | (self._candidates(stripped) if stripped != key else set())
        for entry in map(self.entries.__getitem__, sorted(scored)):
            # the query as typed wins a tie with the query without its titles
            score = max(_score(key, entry.key), _score(stripped, entry.key) - 5 if stripped != key else 0)
            if score and score > best.get(entry.iri, (0, ""))[0]:
                best[entry.iri] = (score, entry.text)
        if kind:
            best = {iri: found for iri, found in best.items() if kind.lower() in self._types_of(iri)}
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -self.mentions[kv[0]],
                                                       len(kv[1][1]), kv[0]))
        return [self._hit(iri, score, text) for iri, (score, text) in ranked[:limit]]

    def _candidates(self, query: str) -> set[int]:
        """The entries `query` may score on (by :func:`_score`'s rules), by index: those holding
        it (exact, prefix, substring), those with a word starting as its rarest word does (each
        of its words starts one of theirs), and those whose label is a run of its words (a name
        after a title, a label within the query). At 100,000 articles 635,000 labels were
        scored for each query, 3–9 s."""
        if not query:
            return set()
        found = self._holding(query)
        words = query.split()
        rarest = min(words, key=self._starting)
        found |= self._holding(" " + rarest) | self._holding("\n" + rarest)
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                found.update(self._by_key.get(" ".join(words[i:j]), ()))
        return found

    def _starting(self, prefix: str) -> int:
        """How many words of the labels start with `prefix` (as many as _holding will find)."""
        return (self._word_counts[bisect_left(self._words, prefix + "\U0010ffff")]
                - self._word_counts[bisect_left(self._words, prefix)])

    def _holding(self, part: str) -> set[int]:
        """The entries whose line holds `part` (a line's leading newline counts as its own)."""
        found, at = set(), self._text.find(part)
        while at >= 0:
            index = bisect_right(self._starts, at + (part[0] == "\n")) - 1
            found.add(index)
            at = self._text.find(part, at + 1)
        return found

    def _types_of(self, iri: str) -> set[str]:
        """The lower-cased local names of the entity's vnkg classes (all read once, when first asked)."""
        if self._types is None:
            self._types = {}
            ns = str(VNKG._NS)
            for s, t in self.dataset.subject_objects(RDF.type):
                if str(t).startswith(ns):
                    self._types.setdefault(str(s), set()).add(str(t)[len(ns):].lower())
        return self._types.get(iri, set())

    def _hit(self, iri: str, score: int, text: str) -> Hit:
        node = URIRef(iri)
        types = sorted(str(t).rsplit("#", 1)[-1] for t in self.dataset.objects(node, RDF.type)
                       if str(t).startswith(str(VNKG._NS)))
        return Hit(iri, self.label(self.dataset, node), _main_type(types), text, score)


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
