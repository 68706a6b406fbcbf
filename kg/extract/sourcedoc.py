"""A source that is itself a document: its heading, number, issuer and signature block.

"KẾT LUẬN CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH về …" at the top, "Số 123-KL/TU", and at the foot
"T/M TỈNH ỦY / BÍ THƯ / Name" (or "KT. BÍ THƯ / PHÓ BÍ THƯ / Name"). The document gets a label
qualified with the province, its kind, issuer, signer (who holds the signing post), and it
cites every document its text names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer as gz
from .bodies import BodyRef, Scope, central, provincial
from .numbers import PARTY, STATE

_SIGNATURE = re.compile(
    r"^(?:T/M|TM\.?|T\.M\.?|THAY MẶT)\s+(?P<body>[^\n]+)\n+(?:(?:KT\.?|K/T)\s*[^\n]+\n+)?(?P<role>[^\n]+)\n+(?P<name>[^\n]+)\s*$",
    re.MULTILINE)
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*(?P<n>[^\s,]+)", re.MULTILINE)


@dataclass(frozen=True)
class Signature:
    start: int
    end: int
    body: BodyRef
    role: str
    name: str


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    kind: str  # vnkg class
    label: str
    issuer: BodyRef | None
    number: str | None


def signature(text: str, scope: Scope) -> Signature | None:
    """The signature block at the foot of a document text, if there is one."""
    found = None
    for m in _SIGNATURE.finditer(text):
        found = m
    if found is None:
        return None
    body = caps_body(found.group("body"), scope)
    role = _caps_role(found.group("role"))
    name = _name(found.group("name"))
    if body is None or role is None or name is None:
        return None
    return Signature(found.start(), found.end(), body, role, name)


def caps_body(line: str, scope: Scope) -> BodyRef | None:
    """A body from an upper-case line ("TỈNH ỦY", "BAN THƯỜNG VỤ", "BỘ CHÍNH TRỊ")."""
    key = gz.body_key(line)
    for t in gz.templates():
        for head in t.heads:
            h = gz.fold(head)
            if key == h or key + " tinh uy" == h or key + " tinh" == h:
                return provincial(head, scope.province, scope)
    return central(gz.central_by_label(line))


def _caps_role(line: str) -> str | None:
    key = gz.fold(line)
    roles = sorted(gz.lexicon()["roles"], key=len, reverse=True)
    return next((r for r in roles if gz.fold(r) == key), None)


def _name(line: str) -> str | None:
    words = line.split()
    if not 2 <= len(words) <= 5 or not all(w[0].isupper() for w in words):
        return None
    return " ".join(w if not w.isupper() else w[0] + w[1:].lower() for w in words)


def heading(text: str, scope: Scope, title: str | None) -> Heading | None:
    """The document heading at the top of the text (or, failing that, a sidecar title that
    names a document kind)."""
    m = re.match(r"\s*(?P<h>(?:[^\n]+\n?){1,3}?)(?:\n\n|$)", text)
    block = m.group("h") if m else ""
    found = _parse_heading(block.replace("\n", " "), scope, caps_only=True)
    if found is not None:
        start = m.start("h")
        kind, label, issuer = found
        return Heading(start, m.end("h"), kind, label, issuer, _number(text))
    if title:
        found = _parse_heading(title, scope, caps_only=False)
        if found is not None:
            return Heading(0, 0, found[0], found[1], found[2], _number(text))
    return None


def _parse_heading(line: str, scope: Scope, caps_only: bool):
    line = " ".join(line.split())
    for word, (_code, kind) in sorted(gz.lexicon()["document_kinds"].items(), key=lambda kv: -len(kv[0])):
        n = len(word)
        head = line[:n]
        if gz.fold(head) != gz.fold(word) or (caps_only and not head.isupper()):
            continue
        rest = line[n:].strip()
        issuer, rest = _issuer_phrase(rest, scope)
        label = word + (f" của {_issuer_words(issuer, rest)}" if issuer else "") + (f" {rest}" if rest else "")
        return kind, " ".join(label.split()), issuer
    return None


def _issuer_phrase(rest: str, scope: Scope) -> tuple[BodyRef | None, str]:
    m = re.match(r"(?:của|CỦA)\s+", rest)
    if not m:
        return None, rest
    stop = next((i for i in range(m.end(), len(rest)) if rest[i].islower()), len(rest))
    who = rest[m.end():stop].strip()
    body = caps_body(who, scope) if who.isupper() else None
    return body, rest[stop:].strip()


def _issuer_words(issuer: BodyRef, rest: str) -> str:
    for alt in issuer.alt_labels:
        if alt.startswith("Ban Chấp hành"):
            return alt
    return issuer.label


def _number(text: str) -> str | None:
    m = _NUMBER_LINE.search(text[:600])
    if not m:
        return None
    n = PARTY.match(m.group("n")) or STATE.match(m.group("n"))
    return m.group("n") if n else None
