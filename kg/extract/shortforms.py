"""Documents named by a bare number: "Chỉ thị số 21 của Ban Bí thư", "Nghị quyết 88 của Chính
phủ", "Công văn số 4455", "Thông báo số 12".

Takes an analysed sentence, the article's scope and the documents already found in it (full
numbers are read first, by :mod:`kg.extract.documents`); adds each bare-number document to the
collector and returns its mentions. Identity: where the issuer's party series makes the full
number certain (a directive of the Ban Bí thư is "…-CT/TW", one of a provincial standing
committee "…-CT/TU"), the document is the one that full number names; otherwise it is that
kind, number and issuer within the article's province (or the article alone, without an
issuer). A bare number is not an official number: the document gets a label ("Chỉ thị số 21
của Ban Bí thư"), never a `vnkg:number` from it (the full number, where some text gives it,
comes with that text).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import gazetteer as gz
from .bodies import BodyRef, Scope
from .collect import Collector
from .numbers import synthesise
from .sentence import Analysed

# what a number followed by one of these is: a quantity, not a document's number
_QUANTITY = (r"năm|tháng|ngày(?!\s+\d)|tuần|giờ|nhiệm kỳ|khóa|%|phần trăm|tỷ|tỉ|triệu|nghìn|ngàn|người|lần|điểm|"
             r"nội dung|nhiệm vụ|chỉ tiêu|giải pháp|điều|khoản|mục|chương|trang|bước|nhóm|văn bản")


@lru_cache(maxsize=1)
def _bare_re() -> re.Pattern:
    kinds = gz.alternation(gz.lexicon()["document_kinds"], nocase=True)
    return re.compile(rf"(?<![\w/])(?P<kind>(?i:{kinds}))\s+(?P<so>số\s+)?(?P<seq>\d{{1,5}})"
                      rf"(?![\d/\-–]|[.,]\d|\w)(?!\s*(?:{_QUANTITY})(?!\w))")


def find_bare_numbers(an: Analysed, scope: Scope, col: Collector, seen: list, issuer_of) -> list:
    """Every bare-number document of the sentence not inside one already `seen`; `issuer_of`
    reads the issuer after a position (:func:`kg.extract.documents.issuer_after`). Its label is
    the reference as the text writes it, date and issuer included ("Nghị quyết số 102 ngày
    24.11.2015 của Quốc hội"), and the subject after it."""
    from .documents import DocMention, about_after, issued_after
    out = []
    text = an.sent.text
    for m in _bare_re().finditer(text):
        if any(d.start <= m.start() < d.end for d in seen) or _a_year(m):
            continue
        word = _kind_word(m.group("kind"))
        code, kind = gz.lexicon()["document_kinds"][word]
        dated, _ = issued_after(an, m.end())
        issuer, end = issuer_of(an, dated)
        if issuer is None:
            end = dated
        key = _key(word, code, m.group("seq"), issuer, scope)
        ev = col.evidence(an.sent, m.start(), end, "document-bare-number")
        about = about_after(text, end)
        written = " ".join(text[m.end("kind"):end].split())
        label = f"{word} {written}" + (f" về {about}" if about else "")
        col.entity(key, "Document", label, ev, types=(kind,) if kind else ())
        if issuer is not None:
            col.fact(key, "issuedBy", col.body(issuer, ev), ev)
        out.append(DocMention(m.start(), end, key))
    return out


def _a_year(m: re.Match) -> bool:
    """"Kế hoạch 2025" is the plan for a year, not plan number 2025 (unless "số" says so)."""
    return not m.group("so") and len(m.group("seq")) == 4 and 1945 <= int(m.group("seq")) <= 2100


def _kind_word(found: str) -> str:
    return next(w for w in gz.lexicon()["document_kinds"] if w.lower() == " ".join(found.split()).lower())


def _key(word: str, code: str, seq: str, issuer: BodyRef | None, scope: Scope) -> tuple[str, ...]:
    number = synthesise(code, int(seq), issuer.label) if issuer is not None and code else None
    if number is not None:
        where = "national" if number.endswith("/TW") else _province_of(issuer, scope) or "@" + scope.source_id
        return ("Document", where, number)
    where = _province_of(issuer, scope) if issuer is not None else None
    return ("Document", "bare", where or "@" + scope.source_id, gz.fold(word), str(int(seq)),
            issuer.label if issuer is not None else "")


def _province_of(issuer: BodyRef | None, scope: Scope) -> str | None:
    if issuer is not None and issuer.place is not None:
        return issuer.place.label if issuer.place.kind == "Province" else "national"
    return scope.province.name if scope.province else None
