"""When a post began or ended, where the sentence that gives it says so.

- a start: an appointment verb (được bầu, bổ nhiệm, chỉ định, điều động, nhận quyết định …)
  that governs the title — "HĐND tỉnh bầu ông X giữ chức Chủ tịch UBND tỉnh", "ông X được bổ
  nhiệm giữ chức Giám đốc Sở …" — and a date in the sentence: the one after "(kể) từ ngày" if
  there is one, else the nearest to the verb ("Ngày 15/10/2020, … bầu …");
- an end: a leaving verb (nghỉ hưu, thôi giữ chức, miễn nhiệm, cho thôi, chuyển công tác …)
  with a former title of the person and a date ("nghỉ hưu từ ngày 1/3/2024").

A career line gives both ends of a past post by the time it opens on: "Tháng 10/2019, X giữ
chức Phó Chủ tịch UBND tỉnh", "Từ tháng 3/2015 đến tháng 9/2020, X là Bí thư Huyện ủy Y" — the
nearest time before the title in its clause, with no other title of the person between
(:func:`career`).

A month without a day ("từ tháng 10/2020") is an ``xsd:gYearMonth``, a bare year ("năm 2015") an
``xsd:gYear``. Returns the literal and the span of the date in the sentence, or None.
"""
from __future__ import annotations

import datetime as dt
import re

from ..model import Lit
from .bodies import Title
from .dates import DateMention
from .people import PersonMention

_START = re.compile(r"(?<!\w)(?:bầu(?! cử)|tái đắc cử|đắc cử|trúng cử|bổ nhiệm|chỉ định|điều động|luân chuyển|"
                    r"phân công|chuẩn y|phê chuẩn|nhận quyết định|trao quyết định|giao (?:giữ|quyền)|giữ chức)(?!\w)")
_END = re.compile(r"(?<!\w)(?:nghỉ hưu|nghỉ chế độ|nghỉ công tác|thôi giữ chức|thôi làm|cho thôi|thôi chức|"
                  r"miễn nhiệm|bãi nhiệm|cách chức|chuyển công tác|nhận công tác khác)(?!\w)")
_FROM = re.compile(r"(?:kể\s+)?từ\s+(?:ngày\s+)?$", re.IGNORECASE)
_MONTH = re.compile(r"(?:(?:kể\s+)?từ\s+)?tháng\s+(?P<m>[01]?\d)\s*(?:/|-|năm)\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_NEAR = 90  # characters between a verb and the title (or the name) it governs
_CLAUSE = re.compile(r"[;:]|\.\s")


def start(text: str, p: PersonMention, t: Title, dates: list[DateMention]) -> tuple[Lit, int, int] | None:
    """The start the sentence states for person `p`'s current title `t`."""
    if t.former:
        return None
    verb = _governing(_START, text, p, t)
    return _date(text, verb, dates) if verb is not None else None


def end(text: str, p: PersonMention, t: Title, dates: list[DateMention]) -> tuple[Lit, int, int] | None:
    """The end the sentence states for person `p`'s former title `t` (not one of a career line)."""
    if not t.former or t.past:
        return None
    verbs = [m for m in _END.finditer(text) if abs(m.start() - p.end) < 2 * _NEAR or abs(m.start() - t.end) < _NEAR]
    return _date(text, verbs[0], dates) if verbs else None


_WHEN = re.compile(r"(?:(?:kể\s+)?từ\s+)?(?:(?:ngày\s+)?(?P<d>[0-3]?\d)\s*[/-]\s*(?P<dm>[01]?\d)\s*[/-]\s*(?P<dy>(?:19|20)\d\d)"
                   r"|tháng\s+(?P<m>[01]?\d)\s*(?:/|-|năm)\s*(?P<y>(?:19|20)\d\d)|năm\s+(?P<y2>(?:19|20)\d\d))(?![\d/])",
                   re.IGNORECASE)
_CAREER_LINE = re.compile(r"\W*(?:Trước đó|Sau đó|Tháng\s+\d|Từ tháng|Từ năm|Năm\s+\d{4}|Giai đoạn)", re.IGNORECASE)
_BORN = re.compile(r"(?:sinh|sinh ra|tuổi)\s*(?:ngày|năm)?\s*$", re.IGNORECASE)
_TO = re.compile(r"(?:đến|tới|[-–])\s*$", re.IGNORECASE)  # "… đến tháng 9/2020": an end, not a start
_UNTIL = re.compile(r"\s*(?:[-–]|đến|tới)\s*", re.IGNORECASE)


def career(text: str, p: PersonMention, t: Title) -> tuple[tuple[Lit, int, int] | None, tuple[Lit, int, int] | None]:
    """The start and end a career line gives past title `t` of person `p`: the last time written
    before the title in its clause (no other of p's titles between; not a birth date), and the
    time after it ("đến tháng 9/2020"). Not where a leaving verb makes the date an end."""
    if not (t.past or t.former and _CAREER_LINE.match(text)) or _END.search(text):
        return None, None
    when = None
    for m in _WHEN.finditer(text, 0, t.start):
        if t.start - m.end() <= 2 * _NEAR and not _CLAUSE.search(text, m.end(), t.start) \
                and not _BORN.search(text, max(0, m.start() - 12), m.start()) \
                and not _TO.search(text, max(0, m.start() - 8), m.start()) \
                and not any(m.end() <= o.start < t.start for o in p.titles if o is not t):
            when = m
    if when is None:
        return None, None
    until = _UNTIL.match(text, when.end())
    after = _WHEN.match(text, until.end()) if until else None
    return _lit(when), (_lit(after) if after else None)


def _lit(m: re.Match) -> tuple[Lit, int, int] | None:
    try:
        if m.group("dy"):
            value = dt.date(int(m.group("dy")), int(m.group("dm")), int(m.group("d")))
            return Lit(value.isoformat(), "date"), m.start(), m.end()
    except ValueError:
        return None
    if m.group("y"):
        month = int(m.group("m"))
        return (Lit(f"{int(m.group('y')):04d}-{month:02d}", "gYearMonth"), m.start(), m.end()) if 1 <= month <= 12 else None
    return Lit(m.group("y2"), "gYear"), m.start(), m.end()


def _governing(pattern: re.Pattern, text: str, p: PersonMention, t: Title) -> re.Match | None:
    """A verb before title `t` that governs it: the person's name is between them ("bầu ông X giữ
    chức T") or just before the verb ("X, Title, được bổ nhiệm giữ chức T")."""
    for m in pattern.finditer(text, 0, t.start):
        if t.start - m.end() > _NEAR or _CLAUSE.search(text, m.end(), t.start):
            continue
        if m.end() <= p.start < t.start or 0 <= m.start() - p.end <= _NEAR:
            return m
    return None


def _date(text: str, verb: re.Match, dates: list[DateMention]) -> tuple[Lit, int, int] | None:
    month = _MONTH.search(text)
    days = [d for d in dates if d.end_date is None and (d.cued or d.date.year)]
    stated = [d for d in days if _FROM.search(text[max(0, d.start - 16):d.start])]
    if stated:
        d = stated[0]
        return Lit(d.date.isoformat(), "date"), d.start, d.end
    if month and not days and 1 <= int(month.group("m")) <= 12:
        return Lit(f"{int(month.group('y')):04d}-{int(month.group('m')):02d}", "gYearMonth"), month.start(), month.end()
    if not days:
        return None
    d = min(days, key=lambda d: abs(d.start - verb.start()))
    return Lit(d.date.isoformat(), "date"), d.start, d.end
