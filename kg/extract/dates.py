"""Dates as the genre writes them: "ngày 10-2-2022", "10/02/2022", "16/7", "22.1", "chiều 22.1",
"11-13/10/2020", "ngày 5 tháng 3 năm 2021", "quý I/2024", "tháng 7/2023".

A day and month without a year take the year of the article's date (its sidecar or
dateline); without one they are not resolved. Returns `datetime.date` records with offsets.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .gazetteer import tried_at

_DAY = r"(?P<d>[0-3]?\d)"
_MONTH = r"(?P<m>[01]?\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"\s*[-/.]\s*"
_DATE = re.compile(
    rf"(?:(?P<d0>[0-3]?\d)\s*(?:[-–]|và|đến|tới)\s*(?:ngày\s+)?)?{_DAY}{_SEP}{_MONTH}(?:{_SEP}{_YEAR})?(?![\d/.]\d)"
    rf"|ngày\s+(?P<d2>[0-3]?\d)\s+tháng\s+(?P<m2>[01]?\d)(?:\s+năm\s+(?P<y2>(?:19|20)\d\d))?"
)
# "ngày 16/7", "sáng 22.1", "sáng cùng ngày (3/5)": a day and month, not a ratio
_CUE = re.compile(r"(?:(?:ngày|Ngày|sáng|Sáng|chiều|Chiều|tối|Tối|trưa|Trưa|hôm)\s*\(?|từ|Từ|đến|,|nay \()\s*$")
_DATELINE = re.compile(rf"(?<!\d){_DAY}/{_MONTH}/{_YEAR}(?:\s+\d\d?:\d\d)?"
                       r"|(?:^|\n)\s*date\s+(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b")
# the year and month a page gives without a day: a stored page's "date 2021-12", a URL's "/202112/"
_MONTHLINE = re.compile(r"(?:^|\n)\s*date\s+(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)\b")
_URL_DATE = re.compile(r"(?<!\d)(?P<y>20[0-4]\d)(?:[/-]?)(?P<m>0[1-9]|1[0-2])(?:[/-]?(?P<d>0[1-9]|[12]\d|3[01]))?(?!\d{1,3}(?!\d))")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date
    end_date: dt.date | None = None
    cued: bool = False  # preceded by "ngày", "sáng", "chiều" … (a date, not a ratio like 17/17)


# where a date can start: a digit (the day, or the first day of a range) or "ngày" ("ngày 5 tháng 3")
_STARTS = re.compile(r"\d|ngày")


def find_dates(text: str, year: int | None) -> list[DateMention]:
    """Dates in `text`; a missing year is `year` (or the date is skipped)."""
    out = []
    for m in tried_at(_STARTS, _DATE, text):  # what _DATE.finditer gives, tried only where a date can start
        found = _to_date(m, year)
        if found is not None:
            cued = bool(_CUE.search(text[max(0, m.start() - 8):m.start()])) or m.group("d2") is not None
            if m.group("y") or m.group("y2") or cued:
                out.append(DateMention(m.start(), m.end(), found[0], found[1], cued))
    return out


def _to_date(m: re.Match, year: int | None) -> tuple[dt.date, dt.date | None] | None:
    if m.group("d2"):
        d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
    else:
        d, mo, y = m.group("d"), m.group("m"), m.group("y")
    y = int(y) if y else year
    if y is None:
        return None
    try:
        day = dt.date(y, int(mo), int(d))
        first = dt.date(y, int(mo), int(m.group("d0"))) if m.groupdict().get("d0") else None
    except ValueError:
        return None
    if first is not None and first < day:
        return first, day
    return day, None


def dateline(text: str) -> dt.date | None:
    """The date of a dateline near the top ("THỨ SÁU, 22/01/2021 17:11:16", a stored page's
    "date 2025-09-29"), if any."""
    m = _DATELINE.search(text[:400])
    if not m:
        return None
    y, mo, d = (m.group("iy"), m.group("im"), m.group("id")) if m.group("iy") else (m.group("y"), m.group("m"), m.group("d"))
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def year_of_page(text: str, url: str | None) -> int | None:
    """The year a page is from when it gives no full date: its "date 2021-12" line, else a date in
    its URL ("…/202112/…", "…/2021/12/…", "-20201028103157318.htm")."""
    m = _MONTHLINE.search(text[:200])
    if m:
        return int(m.group("y"))
    for m in _URL_DATE.finditer(url or ""):
        return int(m.group("y"))
    return None
