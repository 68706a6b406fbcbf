"""Forms of one person's name: what makes two written names the same name, or a likely variant.

A name is compared in three forms:

- *exact*: NFC, modern tone placement ("Hoà" → "Hòa"), one apostrophe ("K’Đăm" → "K'Đăm"),
  spaces folded, case folded ("NGUYỄN VĂN A" in a signature block is "Nguyễn Văn A");
- *bare*: the exact form without diacritics (đ → d) — the block in which variants are looked for;
- *display*: the written form a reader should see — the commonest one with diacritics and
  not in capitals.

Two exact forms of one bare form are one name when one of them has no diacritics at all (a
text typed without them), and a likely misspelling when they are one edit apart ("Đương"/"Dương",
a dropped tone mark); a misspelling is merged only with strong context (:mod:`kg.resolve.people`).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from ..text import fold, modern_tone

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


@lru_cache(maxsize=1 << 16)
def exact(name: str) -> str:
    return " ".join(modern_tone(name).translate(_APOSTROPHES).casefold().split())


@lru_cache(maxsize=1 << 16)
def bare(name: str) -> str:
    return fold(exact(name))


def has_diacritics(name: str) -> bool:
    return exact(name) != bare(name)


def is_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def title_case(name: str) -> str:
    """"NGUYỄN VĂN A" → "Nguyễn Văn A"; "K'ĐĂM" → "K'Đăm"."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in unicodedata.normalize("NFC", name).split())


def display(forms: Counter) -> str:
    """The form to show for a person written in these forms (form → how many mentions)."""
    def rank(form: str) -> tuple:
        return (has_diacritics(form), not is_capitals(form), form == modern_tone(form), forms[form], form)
    best = max(forms, key=rank)
    return title_case(best) if is_capitals(best) else " ".join(modern_tone(best).translate(_APOSTROPHES).split())


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one substitution, insertion or deletion (of characters)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:]
