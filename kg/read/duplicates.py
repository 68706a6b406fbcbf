"""The same article read twice: one file saved under two names, or one story syndicated by a
second site (its page furniture, lead or credit line a little different).

Each source gets a :class:`Fingerprint`: the hash of its words, and a bottom-k sketch of its
sentences — the `K` smallest hashes of its sentences of at least `MIN_WORDS` words, in Unicode
NFC and case-folded, punctuation and spacing dropped (page furniture lines are shorter). It
costs a fraction of a millisecond an article: no full normalisation (:mod:`kg.text`). Two sources are one article when their texts
are equal, or when the Jaccard similarity of their sentence sets, estimated from the sketches
(Broder's bottom-k estimator), is at least `SIMILAR`. A short notice quoted whole inside a
long report is not a copy of it: Jaccard, not containment. The sketch has a fixed size, so a
dataset can keep one per source (for `kg add`) at a cost that does not grow with the text.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

K = 32
MIN_WORDS = 8
SIMILAR = 0.8
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+|\n+")


@dataclass(frozen=True)
class Fingerprint:
    text: str  # a hash of its words (case-folded, NFC)
    sketch: tuple[int, ...]  # the K smallest sentence hashes, ascending

    def to_json(self) -> list:
        return [self.text, [f"{h:016x}" for h in self.sketch]]

    @classmethod
    def from_json(cls, data: list) -> "Fingerprint":
        return cls(str(data[0]), tuple(int(h, 16) for h in data[1]))


def _h(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def fingerprint(original: str) -> Fingerprint:
    text = unicodedata.normalize("NFC", original).casefold()
    hashes, every = set(), []
    for sentence in _SENTENCE_END.split(text):
        words = _WORDS.findall(sentence)
        every += words  # the text's words: no word runs over a sentence's end (white space)
        if len(words) >= MIN_WORDS:
            hashes.add(_h(" ".join(words)))
    every = " ".join(every)
    return Fingerprint(hashlib.sha256(every.encode("utf-8")).hexdigest()[:32], tuple(sorted(hashes)[:K]))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of two sources' sentence sets (exact below K sentences)."""
    if a.text == b.text:
        return 1.0
    if not a.sketch or not b.sketch:
        return 0.0
    sa, sb = set(a.sketch), set(b.sketch)
    union = sorted(sa | sb)[:K]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def why(a: Fingerprint, b: Fingerprint) -> str:
    return "the same text" if a.text == b.text else f"{similarity(a, b):.0%} of their sentences in common"


@dataclass(frozen=True)
class Copy:
    copy: int  # index of the source that is a copy
    of: int  # index of the source kept (earlier in order)
    reason: str


class Index:
    """Fingerprints seen so far; :meth:`match` finds an earlier one that is the same article.

    Candidates come from the sketch hashes two sources share. A sentence found in more than
    `COMMON` sources (a paper's standard closing line, a template's stock phrase) says nothing
    about copying and is not followed, so a corpus of one genre costs linear time, not quadratic;
    a copy shares at least half of its other sketch hashes with the source it copies."""

    COMMON = 64

    def __init__(self) -> None:
        self.prints: list[tuple[object, Fingerprint]] = []
        self.by_text: dict[str, int] = {}
        self.by_hash: dict[int, list[int]] = {}

    def add(self, name: object, fp: Fingerprint) -> None:
        i = len(self.prints)
        self.prints.append((name, fp))
        self.by_text.setdefault(fp.text, i)
        for h in fp.sketch:
            posting = self.by_hash.setdefault(h, [])
            if len(posting) <= self.COMMON:
                posting.append(i)

    def match(self, fp: Fingerprint) -> tuple[object, str] | None:
        """The earliest source added that `fp` copies, and why; None if there is none."""
        if fp.text in self.by_text:
            name, other = self.prints[self.by_text[fp.text]]
            return name, why(fp, other)
        return first_copied(fp, lambda h: self.by_hash.get(h, ()), self.prints.__getitem__)


def first_copied(fp: Fingerprint, posting: Callable[[int], Sequence[int]],
                 fingerprint_of: Callable[[int], tuple[object, Fingerprint]]) -> tuple[object, str] | None:
    """The earliest fingerprint (by number) that `fp` copies, and why, among those sharing at
    least half of its usable sketch hashes: `posting(h)` numbers the fingerprints holding hash `h`
    (more than :attr:`Index.COMMON` of them: a stock sentence, not used), `fingerprint_of(i)`
    gives the name and the fingerprint numbered `i`."""
    shared: dict[int, int] = {}
    usable = 0
    for h in fp.sketch:
        numbers = posting(h)
        if len(numbers) > Index.COMMON:
            continue
        usable += 1
        for i in numbers:
            shared[i] = shared.get(i, 0) + 1
    needed = max(1, usable // 2)
    for i in sorted(i for i, n in shared.items() if n >= needed):
        name, other = fingerprint_of(i)
        if similarity(fp, other) >= SIMILAR:
            return name, why(fp, other)
    return None


def copies(texts: Sequence[str]) -> list[Copy]:
    """Which of `texts` (in order) copy an earlier one: the first of each article is kept."""
    index, out = Index(), []
    for i, text in enumerate(texts):
        fp = fingerprint(text)
        found = index.match(fp)
        if found is not None:
            out.append(Copy(i, int(found[0]), found[1]))  # type: ignore[arg-type]
        else:
            index.add(i, fp)
    return out


def index_of(items: Iterable[tuple[object, Fingerprint]]) -> Index:
    index = Index()
    for name, fp in items:
        index.add(name, fp)
    return index
