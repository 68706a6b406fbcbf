"""Mint data IRIs, in one function, deterministically.

An IRI is the base, a type prefix, an ASCII slug of the key and a short hash of the whole
key: ``https://w3id.org/vnkg/id/person/le-minh-hung-3fa2c1``. The hash keeps apart keys whose
slugs meet ("Hưng" and "Hùng" both fold to "hung"); it depends only on the key, never on
run order, time or the rest of the corpus.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .model import Key
from .text import modern_tone, slug

PREFIXES = {"Person": "person", "Body": "body", "Post": "post", "Role": "role", "Document": "document",
            "Meeting": "meeting", "Goal": "goal", "Place": "place", "Source": "source", "Evidence": "evidence", "Tenure": "tenure"}
MAX_SLUG = 60


def key_hash(key: Key, size: int = 6) -> str:
    text = "\x1f".join(modern_tone(part) for part in key)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


@lru_cache(maxsize=1 << 16)  # a source's bodies, places, posts and roles recur in thousands of others
def mint(key: Key, base: str) -> str:
    """The IRI of the entity with this key."""
    kind = key[0]
    if kind not in PREFIXES:
        raise ValueError(f"unknown entity kind {kind!r} in key {key!r}; known: {', '.join(PREFIXES)}")
    if kind == "Source":  # a name with folders in it (kg.read) gets a hash: "a-b/c.txt" and "a/b-c.txt" meet as slugs
        return f"{base}source/{slug(key[1])}" + (f"-{key_hash(key)}" if "/" in key[1] else "")
    words = slug(" ".join(p for p in key[1:] if not p.startswith("@")))[:MAX_SLUG].strip("-") or "x"
    return f"{base}{PREFIXES[kind]}/{words}-{key_hash(key)}"
