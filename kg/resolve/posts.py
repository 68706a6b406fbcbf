"""What a post says about its holder: where it sits, whether one person holds it at a time,
and whether it is a seat at all or a membership.

- A *membership* ("Ủy viên Ban Thường vụ", "Tỉnh ủy viên", "Đại biểu Quốc hội", "Thành viên
  Chính phủ") is held beside any post and never keeps two people apart.
- A *single-holder* post (Bí thư, Chủ tịch, Trưởng ban, Giám đốc, Thủ tướng …: no "Phó", not a
  deputy minister, not a membership) has one holder at a time; its tenures form a succession.
- A post's *seat* is the province its body serves (a district's body serves its province), or
  ``"central"`` for a national body, or unknown for a body the source left unqualified. One
  person works in one seat at a time: a vice-chairman in one province and a district secretary
  in another in the same month are two people.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..extract import gazetteer as gz
from ..text import fold

CENTRAL = "central"

_MEMBER_HEADS = ("uy vien", "thanh vien", "dai bieu", "hoi vien", "dang vien", "can bo", "chuyen vien")
_MEMBER_TAILS = (" uy vien",)  # Tỉnh ủy viên, Huyện ủy viên, Đảng ủy viên …
_DEPUTY_HEADS = ("pho ", "thu truong", "tham phan", "hoi tham", "kiem sat vien", "tro ly", "thu ky")


@lru_cache(maxsize=4096)  # asked of every post of every mention a name's people are clustered from
def is_membership(role: str) -> bool:
    r = fold(role)
    return r.startswith(_MEMBER_HEADS) or r.endswith(_MEMBER_TAILS)


def single_holder(role: str) -> bool:
    r = fold(role)
    return not is_membership(role) and not r.startswith(_DEPUTY_HEADS)


@lru_cache(maxsize=4096)
def family(seat: str) -> str:
    """A seat as it is after the 2025 mergers: a province merged into another is that one's seat
    (a secretary of Quảng Bình who goes on in the merged Quảng Trị has not moved)."""
    if seat == CENTRAL:
        return seat
    seen = {seat}
    p = gz.provinces().get(seat)
    while p is not None and p.successor and p.successor not in seen:
        seen.add(p.successor)
        seat, p = p.successor, gz.provinces().get(p.successor)
    return seat


@lru_cache(maxsize=4096)
def merged_on(seat: str) -> int | None:
    """The day (ordinal) a province merged into another stopped being a seat of its own, or None."""
    p = gz.provinces().get(seat)
    return dt.date.fromisoformat(p.valid_until).toordinal() if p is not None and p.valid_until else None
