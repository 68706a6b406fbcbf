"""Find entities by label, the way a Vietnamese reader types a name (the server's /search, the
notebook API's ``find``).

Takes a dataset once — any object with rdflib's read methods ``subject_objects``, ``subjects``
and ``objects`` (an rdflib Dataset, the server's ``OxDataset`` or ``RemoteDataset``, the
notebook API's view of a store) — and builds an index of folded labels
(:func:`kg.text.fold`: no diacritics, modern tone placement, case-folded, đ → d), so "Nguyen
Van An", "nguyễn văn an" and "Hoà"/"Hòa" find the same entity. Titles and honorifics in the
query ("đồng chí", "Bí thư Tỉnh ủy", a body's own name) are stripped before matching. Returns
ranked :class:`Hit` records; does not run SPARQL itself (the dataset's methods may).

Reading the labels and folding them is most of the work (at 100,000 articles 635,000 labels,
about 35 s as the server starts). Given a file to keep it in (``keep``: the server's on-disk
store's folder, :data:`KEPT`) the index is written there once, under the version of the data it
was read from and of the code that folds and ranks (this module, :mod:`kg.text`, the lexicon's
titles), and read back while both are the same; a file of another version, cut short or damaged
is not used, and the index is read from the dataset again and kept anew.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import heapq
import json
import marshal
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import text as text_module
from ..config import DATA_DIR
from ..export import write_atomic
from ..text import fold
from ..vocab import VNKG

# a match of the whole cleaned query scores higher than a partial one
_EXACT, _NAME_AFTER_TITLE, _PREFIX, _ALL_WORDS, _LABEL_IN_QUERY, _SUBSTRING = 100, 90, 80, 60, 50, 30
# the rules of _score, in the order of their scores: the labels each can match are found apart
_RULES = ((_EXACT, "exact"), (_NAME_AFTER_TITLE, "after_title"), (_PREFIX, "prefix"), (_ALL_WORDS, "all_words"),
          (_LABEL_IN_QUERY, "in_query"), (_SUBSTRING, "substring"))
_GENERAL = ("Person", "Body", "Post", "Role", "Meeting", "Document", "Goal", "Place", "Source")
# the vnkg classes by their lower-cased names: what a search's `kind` names
_CLASSES = {name.lower(): VNKG._NS[name] for name in VNKG.__annotations__ if name[:1].isupper()}


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    type: str  # local name of the entity's vnkg class
    matched: str  # the label or alternative label that matched
    score: int


class _Entry(NamedTuple):
    iri: str
    key: str  # folded label
    text: str  # the label as written


# the file an index is kept in, in the on-disk store's folder, and the parts it holds (_read_labels)
KEPT = "vnkg-search.marshal"
_FORMAT = 1
_PARTS = {"iris": list, "keys": list, "texts": list, "titles": list, "mentions": dict, "order": bytes,
          "words": list, "word_counts": list}


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

    def __init__(self, dataset: Any, label: Optional[Callable[[Any, Any], str]] = None,
                 keep: Optional[tuple[Path, Callable[[], Any]]] = None) -> None:
        """`keep`: the file to keep the index in and a function giving the version of the data
        (any value marshal writes: the on-disk store's stamp; None: none known, nothing kept),
        asked before the labels are read and after: an index is kept only when the data did not
        change meanwhile."""
        self.dataset, self.label = dataset, label or plain_label
        self._kinds: dict[str, frozenset[str]] = {}  # a kind's entities, read when first asked
        path, version = keep if keep is not None else (None, lambda: None)
        key = {"format": _FORMAT, "code": _code_version(), "data": version()}
        if key["data"] is None:  # no version to keep it under
            path = None
        with _no_collection():  # millions of objects made, none of them garbage
            parts = _read_kept(path, key) if path is not None else None
            if parts is None:
                parts = _read_labels(dataset)
                if path is not None and key["data"] == version():
                    body = marshal.dumps(parts)
                    try:
                        write_atomic(path, [marshal.dumps(key), marshal.dumps(hashlib.sha256(body).digest()), body])
                    except OSError:
                        pass  # a read-only folder: read from the dataset again next time
            self._index(parts)

    def _index(self, parts: dict) -> None:
        """The look-up structures from what :func:`_read_labels` read (or a kept file held)."""
        self.entries = list(map(_Entry, parts["iris"], parts["keys"], parts["texts"]))
        self.titles = tuple(parts["titles"])
        self.mentions = Counter(parts["mentions"])
        # every folded label in one text, one a line, so that C's string search finds where a
        # query can match; only those entries are scored (see _matching)
        self._text = "\n" + "\n".join(parts["keys"]) + "\n"
        self._starts = list(accumulate((len(k) + 1 for k in parts["keys"]), initial=1))[:-1]
        # the entries in the order of their folded labels: those beginning with a text are a range
        self._order = array("I")
        self._order.frombytes(parts["order"])
        keys = parts["keys"]
        self._sorted_keys = [keys[i] for i in self._order]
        self._by_key: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            self._by_key.setdefault(k, []).append(i)
        # the labels' words, sorted, with running counts: how many words start with a prefix
        self._words, self._word_counts = parts["words"], parts["word_counts"]

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
        "Document" …, any case), only entities of that vnkg class.

        A label scores by the first of :func:`_score`'s rules it meets, the query as typed or, 5
        less, without its titles; an entity by its best label. The rules are taken from the
        highest score down, each scoring only the labels it can match (:meth:`_matching`), and
        stop once `limit` entities score at least what the rule gives: no label left can raise
        them, nor put another entity above them. A bare title ("Bí thư") begins tens of
        thousands of labels at 100,000 articles; they were all scored, every word of each
        looked at (2–3 s), where those that begin with it are enough."""
        key = fold(query)
        if not key:
            return []
        stripped = self.strip_titles(key)
        # the query as typed wins a tie with the query without its titles
        variants = [(key, 0)] + ([(stripped, 5)] if stripped and stripped != key else [])
        steps = sorted(((value - less, q, rule) for q, less in variants for value, rule in _RULES), key=lambda s: -s[0])
        scored: set[int] = set()
        best: dict[str, tuple[int, int]] = {}  # iri → (score, the first label giving it)
        members = self._of_kind(kind) if kind else frozenset()
        wanted = members.__contains__ if kind else (lambda iri: True)
        floor = 0  # once `limit` entities score at least this, the others are below them
        entries = self.entries
        for value, q, rule in steps:
            # a one-word query: a label with a word starting with it that neither equals it nor
            # begins with it (those were scored first) scores _ALL_WORDS, and nothing else can
            # ("đảng": 140,000 labels at 100,000 articles, each looked at word by word)
            sure = _ALL_WORDS if rule == "all_words" and q == key == stripped and " " not in key else 0
            for i in self._matching(rule, q) - scored:
                scored.add(i)
                label = entries[i].key
                score = sure or max(_score(key, label), _score(stripped, label) - 5 if stripped != key else 0)
                had = best.get(entries[i].iri)
                if score > 0 and (had is None or score > had[0] or (score == had[0] and i < had[1])):
                    best[entries[i].iri] = (score, i)
            if 0 < limit <= sum(1 for iri, (score, _) in best.items() if score >= value and wanted(iri)):
                floor = value
                break
        ranked = heapq.nsmallest(limit, ((iri, score, self.entries[i].text) for iri, (score, i) in best.items()
                                         if score >= floor and wanted(iri)),
                                 key=lambda h: (-h[1], -self.mentions[h[0]], len(h[2]), h[0])) if limit > 0 else []
        return [self._hit(iri, score, text) for iri, score, text in ranked]

    def _matching(self, rule: str, query: str) -> set[int]:
        """The entries that may score by `rule` (a name of :data:`_RULES`) on `query`, by index,
        found by look-up or string search: the labels equal to it, those that begin with it (a
        range of the labels in order), those that hold it, those with a word starting as its
        rarest word does (each of its words starts one of theirs), those that are a run of its
        words (a name after a title, a label within the query). At 100,000 articles 635,000
        labels were scored for each query, 3–9 s."""
        if rule == "exact":
            return set(self._by_key.get(query, ()))
        if rule == "prefix":
            keys = self._sorted_keys
            return set(self._order[bisect_left(keys, query):bisect_left(keys, query + "\U0010ffff")])
        if rule == "substring":
            return self._holding(query) if len(query) >= 3 else set()
        words = query.split()
        if not words:
            return set()
        if rule == "all_words":
            rarest = min(words, key=self._starting)
            return self._holding(" " + rarest) | self._holding("\n" + rarest)
        runs = [(i, len(words)) for i in range(1, len(words))] if rule == "after_title" else \
            [(i, j) for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
        found: set[int] = set()
        for i, j in runs:
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

    def _of_kind(self, kind: str) -> frozenset[str]:
        """The IRIs of the entities of the vnkg class named `kind` (any case; none if there is no
        such class), read when first asked for that kind. The classes of every entity were read
        instead: at 100,000 articles 1.1 million, 34 s at the first search by kind, and through
        the notebook API's SPARQL 72 s and 3 GiB, where the 1,391 people take milliseconds."""
        key = kind.lower()
        found = self._kinds.get(key)
        if found is None:
            cls = _CLASSES.get(key)
            found = frozenset(str(s) for s in self.dataset.subjects(RDF.type, cls)) if cls is not None else frozenset()
            self._kinds[key] = found
        return found

    def _hit(self, iri: str, score: int, text: str) -> Hit:
        node = URIRef(iri)
        types = sorted(str(t).rsplit("#", 1)[-1] for t in self.dataset.objects(node, RDF.type)
                       if str(t).startswith(str(VNKG._NS)))
        return Hit(iri, self.label(self.dataset, node), _main_type(types), text, score)


def _read_labels(dataset: Any) -> dict:
    """What the index is made of, read from `dataset`: each label and alternative label of an
    IRI (its IRI, folded, as written; the labels first, each kind in the order of IRI and text,
    so that the index is the same whichever engine or client read the data), the titles to strip
    from queries (the lexicon's roles and honorifics, the labels of bodies and roles, longest
    first), how many sources mention each entity, the labels in the order of their folded forms,
    and their words with running counts."""
    iris: list[str] = []
    keys: list[str] = []
    texts: list[str] = []
    same: dict[str, str] = {}  # an IRI with several labels is one string, written once when kept
    counted = getattr(dataset, "subject_counts", None)  # a store that counts for itself: beside the labels
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-search-counts") as beside:
        counting = beside.submit(counted, VNKG.mentionedIn) if counted else None
        titled = {str(s) for kind in (VNKG.Body, VNKG.Role) for s in dataset.subjects(RDF.type, kind)}
        words = _lexicon_titles()
        as_text = getattr(dataset, "iri_texts", None)  # a store that reads them as text, no rdflib term made
        for p in (RDFS.label, SKOS.altLabel):
            pairs = as_text(p) if as_text else ((str(s), str(o)) for s, o in dataset.subject_objects(p) if isinstance(s, URIRef))
            for iri, written in sorted(pairs):
                key = fold(written)
                iris.append(same.setdefault(iri, iri))
                keys.append(key)
                texts.append(written)
                if p == RDFS.label and iri in titled:
                    words.add(key)
        mentions = counting.result() if counting else Counter(str(s) for s in dataset.subjects(VNKG.mentionedIn, None))
    occurrences = Counter(w for k in keys for w in k.split())
    ordered = sorted(occurrences)
    return {"iris": iris, "keys": keys, "texts": texts,
            "titles": sorted((w for w in words if w), key=lambda w: (-len(w), w)),
            "mentions": {same.get(iri, iri): n for iri, n in mentions.items()},
            "order": array("I", sorted(range(len(keys)), key=keys.__getitem__)).tobytes(),
            "words": ordered, "word_counts": list(accumulate((occurrences[w] for w in ordered), initial=0))}


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cyclic collector paused: making the index's objects set off collections that
    walk all of them, again and again (a third of reading a kept index at 100,000 articles)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@functools.cache
def _code_version() -> str:
    """The code and data that decide a kept index: this module (what is kept, how it ranks),
    :mod:`kg.text` (folding) and the Unicode tables it folds by, the lexicon (titles)."""
    digest = hashlib.sha256(f"{_FORMAT} {unicodedata.unidata_version} {marshal.version}".encode())
    for file in (Path(__file__), Path(text_module.__file__), DATA_DIR / "lexicon.json"):
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"\0")
    return digest.hexdigest()


def _read_kept(path: Path, key: dict) -> Optional[dict]:
    """The parts kept in `path` under `key`; None when there are none, they are of another
    version, or the file is cut short or damaged (its body's digest follows the key)."""
    try:
        with open(path, "rb") as f:
            if marshal.load(f) != key:
                return None
            digest, body = marshal.load(f), f.read()
            if digest != hashlib.sha256(body).digest():
                return None
            parts = marshal.loads(body)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(parts, dict) or any(not isinstance(parts.get(k), t) for k, t in _PARTS.items()):
        return None  # written by other code under the same key: not ours
    n = len(parts["iris"])
    if len(parts["keys"]) != n or len(parts["texts"]) != n or len(parts["order"]) != array("I").itemsize * n \
            or len(parts["word_counts"]) != len(parts["words"]) + 1:
        return None
    return parts


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
