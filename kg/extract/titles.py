"""Titles: a role and the body it is held in, as the genre writes them.

"Phó Trưởng Ban Tuyên giáo Trung ương" → role "Phó Trưởng ban", body "Ban Tuyên giáo Trung ương";
"Bí thư Tỉnh ủy" → role "Bí thư", body the article's "Tỉnh ủy X"; "Ủy viên Trung ương Đảng",
"Thường trực Ban Bí thư", "Tỉnh ủy viên", "Thủ tướng" come whole from the fixed titles of the
lexicon. "nguyên …" and "thôi giữ chức …" mark a title as former. Takes sentence text and a
:class:`Scope`; returns :class:`Title` mentions. It does not attach titles to people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import gazetteer as gz
from .bodies import BodyRef, Scope, Title, body_regex, central, match_body, _fill

_FORMER = r"(?:(?P<former>nguyên|Nguyên|cựu|Cựu|thôi giữ chức|thôi giữ các chức vụ|thôi làm|thôi tham gia)\s+)?"


@lru_cache(maxsize=1)
def title_regex() -> re.Pattern:
    lex = gz.lexicon()
    body = re.sub(r"\(\?P<\w+>", "(?:", body_regex().pattern)
    body = re.sub(r"\(\?P=\w+\)", "", body)
    fixed = gz.alternation([t[0] for t in lex["fixed_titles"]])
    roles = gz.alternation(lex["roles"])
    heads = gz.alternation(lex["head_roles"])
    return re.compile(
        rf"{_FORMER}(?:(?P<role>{roles})\s+(?P<body>{body})"
        rf"|(?P<fixed>{fixed})(?!\w)"
        rf"|(?P<hrole>{heads})\s+(?P<hbody>{body}))"
    )


def find_titles(text: str, scope: Scope) -> list[Title]:
    """Every title in `text`, leftmost-longest, each resolved to a role and a body."""
    out = []
    for m in title_regex().finditer(text):
        title = _resolve(m, scope)
        if title is not None:
            out.append(title)
    return out


def _resolve(m: re.Match, scope: Scope) -> Title | None:
    former = bool(m.group("former"))
    start = m.start("former") if former else m.start()
    if m.group("fixed"):
        role, body = _fixed(m.group("fixed"), scope)
    elif m.group("role"):
        role, body = " ".join(m.group("role").split()), match_body(m.group("body"), scope)
    else:
        body = match_body(m.group("hbody"), scope)
        role = _head_role(m.group("hrole"), m.group("hbody"))
    if body is None:
        return None
    return Title(start, m.end(), role, body, former)


def _fixed(phrase: str, scope: Scope) -> tuple[str, BodyRef | None]:
    key = gz.body_key(phrase)
    for t_phrase, role, body in gz.lexicon()["fixed_titles"]:
        if gz.body_key(t_phrase) == key:
            if "{" in body:
                return role, _fill(body, scope.province, scope)
            return role, central(gz.central_by_label(body))
    return phrase, None


def _head_role(hrole: str, body_text: str) -> str:
    """"Trưởng" + "ban Tổ chức …" → "Trưởng ban"; "Chánh" + "Văn phòng …" → "Chánh Văn phòng"."""
    hrole = " ".join(hrole.split())
    for noun in gz.lexicon()["head_nouns"]:
        if gz.fold(body_text).startswith(gz.fold(noun) + " ") or gz.fold(body_text) == gz.fold(noun):
            word = noun.lower() if noun in ("Ban", "Đoàn") else noun
            return f"{hrole} {word}"
    return hrole
