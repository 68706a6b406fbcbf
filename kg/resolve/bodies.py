"""Bodies and places whose keys a merger made ambiguous.

Districts were abolished on 1 July 2025, when provinces merged. An article of the merged
province written after that names a former post "nguyên Bí thư Huyện ủy X" with only its own
province to qualify it, so the district comes out under the new province while every earlier
article has it under the old one: one district, two keys. Across sources the old key is known;
a district-level body or place keyed under a merged province's successor, seen in other sources
under exactly one of the provinces merged into it, takes that province's key (its posts and
tenures follow).
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from typing import Iterable, Sequence

from ..extract import gazetteer as gz
from ..model import Extraction, Key, tenure_key, tenure_parts
from .posts import family, merged_on

_DISTRICT = re.compile(r"(?<!\w)(?:huyện|quận|thị xã|huyện ủy|quận ủy|thị ủy)(?!\w)", re.IGNORECASE)


def _district_level(key: Key) -> bool:
    return key[0] in ("Body", "Place") and len(key) == 3 and key[2] in gz.provinces() and bool(_DISTRICT.search(key[1]))


def renamable(key: Key) -> bool:
    """Whether :func:`renamer` could change `key`, whatever keys it is given: a district-level
    body or place, a post of such a body, a tenure of such a post."""
    if key[0] == "Post":
        return _district_level(("Body", *key[2:]))
    if key[0] == "Tenure":
        return any(map(renamable, tenure_parts(key)))
    return _district_level(key)


def renames(extractions: Sequence[Extraction], known: Iterable[Key] = ()) -> dict[Key, Key]:
    """Body and place keys → the keys they had before the merger (see the module's text);
    `known`: keys of a dataset the extractions are added to."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k in itertools.chain((e.key for ex in extractions for e in ex.entities), known):
        if _district_level(k):
            seen[(k[0], k[1])].add(k[2])
    out = {}
    for (kind, label), provinces in seen.items():
        for p in provinces:
            old = [q for q in provinces if q != p and merged_on(q) is not None and family(q) == p]
            if len(old) == 1 and merged_on(p) is None:
                out[(kind, label, p)] = (kind, label, old[0])
    return out


def renamer(keys: dict[Key, Key]):
    """A function from a key to its renamed key: bodies and places as `keys` says, a post of a
    renamed body, a tenure of a renamed post."""
    def rename(k: Key) -> Key:
        if k in keys:
            return keys[k]
        if k[0] == "Post" and ("Body", *k[2:]) in keys:
            return ("Post", k[1], *keys[("Body", *k[2:])][1:])
        if k[0] == "Tenure":
            person, post = tenure_parts(k)
            return tenure_key(rename(person), rename(post))
        return k
    return rename
