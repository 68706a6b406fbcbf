"""Posts across the sentences of one article: what one sentence says of a post another changes.

Takes the analysed sentences (their people and titles) and marks or adds titles in place: the
items of a list that a dismissal opens leave their posts; each majority of a vote tally under a
heading that names a post takes it; one rank per person and body; a sole post whose new holder
the article names ("tân Bí thư") is no longer held by the others. It adds nothing to a collector.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .sentence import Analysed

_ENDING_LIST = re.compile(r"(?:miễn nhiệm|cho thôi|bãi nhiệm|thôi giữ chức|thôi làm|nghỉ hưu|cách chức)[^.]*?"
                          r"(?:gồm(?: có)?|sau đây|như sau|là)\s*:\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.)/-]|[-–+•*])\s*")


def ending_lists(ans: list[Analysed]) -> None:
    """"… được Quốc hội phê chuẩn miễn nhiệm gồm: / 1. Phó Thủ tướng A / 2. Bộ trưởng Quốc phòng B":
    the posts of the items of a list that a dismissal opens are the posts they leave."""
    ending = False
    for an in ans:
        if ending and _ITEM.match(an.sent.text):
            for p in an.people:
                p.titles[:] = [replace(t, former=True) for t in p.titles]
            continue
        text = an.sent.text  # the list's head ends with a colon: the (case-blind) search only where one does
        ending = text.rstrip().endswith(":") and bool(_ENDING_LIST.search(text))


_VOTE_HEAD = re.compile(r"kết quả (?:bầu|bỏ phiếu (?:bầu|phê chuẩn|miễn nhiệm)?|phê chuẩn)\b[^.:]*:\s*$", re.IGNORECASE)
# "Đồng chí A: Có 412 phiếu đồng ý (bằng 90,1%)": one line of the tally
_VOTES = re.compile(r"\s*[:,–-]\s*(?:có|được|đạt)\s+\d[\d.]*\s+(?:phiếu|đại biểu)[^()%]*"
                    r"(?:\((?:bằng\s+|đạt\s+)?(?P<pct>\d{1,3}(?:[,.]\d+)?)\s*%)?", re.IGNORECASE)


def vote_lists(ans: list[Analysed]) -> None:
    """"Về kết quả bầu Ủy viên Ban Thường vụ: / Đồng chí A: Có 412 phiếu đồng ý (bằng 90,1%) / …":
    each person of the tally under a heading that names the post holds it — unless
    the share given is not a majority."""
    title = None
    for an in ans:
        if title is not None and len(an.people) == 1:
            p = an.people[0]
            votes = _VOTES.match(an.sent.text, p.end)
            if votes:
                if (votes.group("pct") is None or float(votes.group("pct").replace(",", ".")) > 50) \
                        and not any(t.body.key == title.body.key for t in p.titles):
                    p.titles.append(title)
                continue
        head = _VOTE_HEAD.search(an.sent.text)
        title = next((t for t in reversed(an.titles) if head and t.start >= head.start()), None)


def one_rank_per_body(ans: list[Analysed]) -> None:
    """One person holds one rank in a body at a time. Named "Phó Bí thư Tỉnh ủy" in a list and
    "Phó Bí thư Thường trực Tỉnh ủy" beside it, the person holds the fuller one; named deputy and
    head of one body ("Phó Chủ tịch UBND tỉnh … được bầu làm Chủ tịch UBND tỉnh", "tân Chủ tịch"),
    the deputy's post is the one left."""
    held: dict[str, set[tuple[str, tuple]]] = {}
    for an in ans:
        for p in an.people:
            held.setdefault(p.name, set()).update((t.role, t.body.key) for t in p.titles if not t.former)
    for an in ans:
        for p in an.people:
            mine = held.get(p.name, set())
            p.titles[:] = [t for t in p.titles if t.former or not _fuller_held(t, mine)]
            p.titles[:] = [replace(t, former=True) if not t.former and _head_held(t, mine) else t for t in p.titles]


# "tân Bí thư", a headline's "Tân Chủ tịch …" (a capital "Tân" after a word may end a name: "ông Lê Tân")
_NEW = re.compile(r"(?:(?<!\w)tân|(?:^|[\n:;.,(“\"]\s*)Tân)\s+$")
_SHARED = re.compile(r"(?:Phó|Ủy viên|Đại biểu|Thành viên|Thư ký|\w+ ủy viên)\b")
_COLLEGIAL = ("Ban Bí thư", "Bộ Chính trị", "Ban Chấp hành Trung ương Đảng")  # whose "Bí thư"s are many


def new_holder(ans: list[Analysed]) -> None:
    """"… ông A, Bí thư Tỉnh ủy khóa XVI, … và tân Bí thư Tỉnh ủy B": a post one person holds at a
    time, whose new holder the article names, is no longer held by the others it names in it."""
    new = {(t.role, t.body.key): p.name for an in ans for p in an.people for t in p.titles
           if not t.former and not _SHARED.match(t.role) and t.body.label not in _COLLEGIAL
           and _NEW.search(an.sent.text[:t.start])}
    for an in ans:
        for p in an.people:
            p.titles[:] = [replace(t, former=True) if not t.former and new.get((t.role, t.body.key), p.name) != p.name
                           else t for t in p.titles]


def _fuller_held(t, held: set) -> bool:
    return any(body == t.body.key and role.startswith(t.role + " Thường trực") for role, body in held)


def _head_held(t, held: set) -> bool:
    head = t.role.removeprefix("Phó ").removesuffix(" Thường trực")
    return t.role.startswith("Phó ") and (head, t.body.key) in held
