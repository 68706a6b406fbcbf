"""The meeting an article reports, and who spoke, chaired and took part.

The main meeting is the first one the text anchors as an event: "X tổ chức Hội nghị …",
"chiều 22.1, Hội nghị lần thứ 3 … bế mạc", "A làm việc với B", or, failing those, "phát biểu tại
Tọa đàm". Its date is a date in the anchoring sentence; its organiser the body that holds it
(for a working session, the host). Speakers are people followed by a verb of speech
("nhấn mạnh", "cho biết", "phát biểu …"), or a title standing for its holder ("đồng chí Chủ tịch
UBND tỉnh khẳng định").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer as gz
from .bodies import BodyRef
from .collect import Collector
from .sentence import Analysed

_KINDS = {"hội nghị": "Conference", "đại hội": "Congress", "tọa đàm": "Seminar", "hội thảo": "Seminar",
          "kỳ họp": "Session", "phiên họp": "Session", "giao ban": "Conference", "kỳ": "Session"}
_KIND = r"(?P<kind>[Hh]ội nghị|[Đđ]ại hội|[Tt]ọa đàm|[Hh]ội thảo|[Kk]ỳ họp|[Pp]hiên họp|(?<=họp )kỳ(?= thứ))"
_PHRASE = re.compile(_KIND + r"(?P<rest>(?:(?![,;.()\n]| đã | đang | sẽ | diễn ra| khai mạc| bế mạc| tại | với | nhằm | để | và ).){0,160})")
_HELD = re.compile(r"(?:tổ chức|khai mạc|bế mạc|tiến hành|họp|tiếp tục|tiếp tục chương trình|triệu tập|chủ trì)\s+$")
_EVENT_LATER = re.compile(r"\b(?:đã |đang |sẽ )?(?:khai mạc|bế mạc|diễn ra|được tổ chức|kết thúc|thành công tốt đẹp|hoàn thành toàn bộ)\b")
_FILLER = re.compile(r"[\s,]*(?:\([^()]{0,60}\))?[\s,]*(?:nhiệm kỳ \d{4}\s*[-–]\s*\d{4})?[\s,]*(?:đã|sẽ|đang|long trọng|chính thức|trọng thể)?\s*"
                     r"(?:(?:khai mạc|bế mạc|tổ chức|tiến hành)\s+(?:và|,)\s*)?")
_TODAY = re.compile(r"\b(?:hôm nay|sáng nay|chiều nay|tối nay|trưa nay)\b", re.IGNORECASE)
_PREFIX = re.compile(r"(?:Phát biểu|Tham luận|Thảo luận|Trình bày|Báo cáo|Kết luận|Giải trình|Tiếp thu|Chia sẻ|Theo|Thay mặt|"
                     r"Tại (?:hội nghị|buổi|kỳ họp|phiên|tọa đàm|hội thảo|đại hội))\b[^.;:]{0,80}?(?:,|của)\s")
_EVENT_AFTER = re.compile(r"\s*(?:đã|đang|sẽ)?\s*(?:khai mạc|bế mạc|diễn ra|được tổ chức|tiến hành|họp|thành công)")
_AT = re.compile(r"(?:tại|dự|chủ trì)\s+(?:buổi\s+)?$")
_WORK = re.compile(r"(?:đã có buổi |có buổi |buổi )?làm việc với\s+")
_NOT_EVENT = re.compile(r"(?:[Nn]ghị quyết|nhiệm kỳ|[Vv]ăn kiện|chuẩn bị|tiến tới|các cấp|kỷ niệm|[Tt]rung tâm|[Hh]ội trường|[Nn]hà|[Cc]ung)\s+$")
_TRAILING = re.compile(r"(?:\s+(?:các đồng chí|đồng chí|ông|bà|của|do|với|là))+$", re.IGNORECASE)
_ORDINAL = re.compile(r"lần thứ (?P<n>\d+|[a-zà-ỹ]+(?: [a-zà-ỹ]+)?)")
_TERM = re.compile(r"khóa (?P<t>[IVXLC]+)")
_DIGITS = {"nhất": 1, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "lăm": 5, "sáu": 6,
           "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


@dataclass(frozen=True)
class Anchor:
    strength: int
    index: int  # sentence index
    start: int
    end: int
    kind: str
    label: str
    organizer: BodyRef | None


@lru_cache(maxsize=1)
def _speech_re() -> re.Pattern:
    verbs = gz.alternation(gz.lexicon()["speech_verbs"])
    return re.compile(rf"\s*(?:,[^,.;:]{{1,80}}){{0,3}}(?:,\s*)?\s*(?:(?:cũng|đã|còn|thì|tiếp tục|đồng thời|lại|khi|trực tiếp)\s+)*(?:{verbs})(?!\w)")


def spoken_after(text: str, at: int) -> bool:
    return bool(_speech_re().match(text, at))


def ordinal(words: str) -> int | None:
    if words.isdigit():
        return int(words)
    parts = [_DIGITS.get(w) for w in words.split()]
    if not parts or None in parts:
        return None
    if parts[0] == 10:
        return 10 + (parts[1] if len(parts) > 1 else 0)
    if len(parts) == 2 and parts[1] == 10:
        return parts[0] * 10
    return parts[0] if len(parts) == 1 else None


def anchors(analysed: list[Analysed]) -> list[Anchor]:
    out = []
    for i, an in enumerate(analysed):
        out += _phrase_anchors(i, an)
        out += _work_anchors(i, an)
    dated = {i for i, an in enumerate(analysed) if an.dates or _TODAY.search(an.sent.text)}
    return sorted(out, key=lambda a: (-a.strength, a.index not in dated, a.index, a.start))


def _phrase_anchors(i: int, an: Analysed) -> list[Anchor]:
    out = []
    text = an.sent.text
    for m in _PHRASE.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        if _NOT_EVENT.search(before):
            continue
        clause = re.split(r"[;.]", text[m.end():], maxsplit=1)[0]
        if _HELD.search(before) or _EVENT_AFTER.match(text, m.end()) or _EVENT_LATER.search(clause) \
                or (i == 0 and m.start() < 20):
            strength = 3
        elif _AT.search(before):
            strength = 1
        else:
            continue
        end = _phrase_end(an, m)
        word = "kỳ họp" if m.group("kind") == "kỳ" else m.group("kind")
        label = _TRAILING.sub("", " ".join((word[0].upper() + word[1:] + text[m.start() + len(m.group("kind")):end]).split()))
        out.append(Anchor(strength, i, m.start(), end, _KINDS[m.group("kind").lower()], label, _organizer(an, m, end)))
    return out


def _phrase_end(an: Analysed, m: re.Match) -> int:
    """A meeting phrase ends before the first person or title that follows it."""
    cuts = [p.start for p in an.people if m.start() < p.start < m.end()]
    cuts += [t.start for t in an.titles if m.start() < t.start < m.end() and t.start >= m.start() + len(m.group("kind"))
             and not any(b.start == t.start for b in an.bodies)]
    return min(cuts + [m.end()])


def _organizer(an: Analysed, m: re.Match, end: int) -> BodyRef | None:
    """The body that holds the meeting: "B tổ chức/khai mạc Hội nghị", "Hội nghị … B …" (named in
    the phrase), or "Phiên họp thứ 31, B cho ý kiến" (the subject right after it)."""
    text = an.sent.text
    held = re.search(r"(?:tổ chức|khai mạc|bế mạc|tiến hành|họp|triệu tập)\s+$", text[:m.start()])
    if held:
        for i, b in enumerate(an.bodies):
            if _FILLER.fullmatch(text[b.end:held.start()]):
                while i > 0 and re.fullmatch(r"\s*(?:,|và|cùng|cùng với|phối hợp với|phối hợp cùng)\s*", text[an.bodies[i - 1].end:an.bodies[i].start]):
                    i -= 1
                return an.bodies[i].body
    inside = [b for b in an.bodies if m.start() <= b.start < end]
    if inside:
        return inside[0].body
    after = [b for b in an.bodies if re.fullmatch(r"[^,;.]{0,40},\s*", text[end:b.start])]
    if after:
        return after[0].body
    return _chair_body(an, m)


_CENTRAL_PARTY = ("Ban Chấp hành Trung ương Đảng", "Bộ Chính trị", "Ban Bí thư")


def _chair_body(an: Analysed, m: re.Match) -> BodyRef | None:
    """"X, Phó Thủ tướng Chính phủ, chủ trì Hội nghị …": the body the chair leads it for — the first of
    the chair's titles outside the central party organs (or the first of them if that is all)."""
    if not re.search(r"chủ trì\s+$", an.sent.text[:m.start()]):
        return None
    chairs = [p for p in an.people if p.end <= m.start() and p.titles]
    if not chairs:
        return None
    titles = [t for t in chairs[-1].titles if not t.former]
    own = [t for t in titles if t.body.label not in _CENTRAL_PARTY]
    return (own or titles or [None])[0].body if (own or titles) else None


def _work_anchors(i: int, an: Analysed) -> list[Anchor]:
    out = []
    for m in _WORK.finditer(an.sent.text):
        host = next((b for b in an.bodies if b.start == m.end()), None)
        if host is None:
            continue
        guest = an.sent.text[:m.start()].strip(" ,")
        guest = guest.split(",")[-1].strip()
        label = f"Buổi làm việc của {guest} với {an.sent.text[host.start:host.end]}" if guest else \
            f"Buổi làm việc với {an.sent.text[host.start:host.end]}"
        out.append(Anchor(2, i, m.start(), host.end, "WorkingSession", label, host.body))
    return out


def extract_meeting(analysed: list[Analysed], col: Collector, posts: dict) -> tuple[str, ...] | None:
    """Add the article's main meeting, with date, organiser, speakers and participants, to `col`."""
    found = anchors(analysed)
    if not found:
        return None
    a = found[0]
    an = analysed[a.index]
    if a.label.lower() in _KINDS and col.source.meta.title:
        a = Anchor(a.strength, a.index, a.start, a.end, a.kind, f"{a.label} \u201c{col.source.meta.title}\u201d", a.organizer)
    ev = col.evidence(an.sent, a.start, a.end, f"meeting-{a.kind.lower()}")
    date = _date(an, analysed, col)
    organizer = a.organizer
    key = ("Meeting", a.kind, organizer.label, date.date.isoformat()) if organizer and date else \
        ("Meeting", col.source.id, a.kind, gz.fold(a.label))
    col.entity(key, "Meeting", a.label, ev, types=(a.kind,))
    if date:
        col.literal(key, "date", date.date.isoformat(), "date", ev)
        if date.end_date:
            col.literal(key, "endDate", date.end_date.isoformat(), "date", ev)
    if organizer:
        col.fact(key, "organizedBy", col.body(organizer, ev), ev)
        if a.kind == "WorkingSession":
            col.fact(key, "participant", organizer.key, ev)
    _details(key, a.label, col, ev)
    _people(key, analysed, col, posts, a)
    return key


def _date(an: Analysed, analysed: list[Analysed], col: Collector):
    """The meeting's date: a range's first day, else a cued date, else any date in the anchoring
    sentence; "sáng nay" is the article's own date."""
    ranges = [d for d in an.dates if d.end_date]
    cued = [d for d in an.dates if d.cued]
    found = (ranges or cued or an.dates or [None])[0]
    if found is None and _TODAY.search(an.sent.text):
        day = col.source.meta.published or _dateline(analysed)
        if day is not None:
            from .dates import DateMention
            return DateMention(0, 0, day)
    return found


def _dateline(analysed: list[Analysed]):
    from .dates import dateline
    return dateline("\n".join(an.sent.text for an in analysed[:4]))


def _details(key, label: str, col: Collector, ev) -> None:
    m = _ORDINAL.search(label)
    n = ordinal(m.group("n")) if m else None
    if n is not None:
        col.literal(key, "ordinal", str(n), "integer", ev)
    t = _TERM.search(label)
    if t:
        col.literal(key, "term", t.group("t"), "string", ev)


def _people(key, analysed: list[Analysed], col: Collector, posts: dict, anchor: Anchor) -> None:
    for i, an in enumerate(analysed):
        text = an.sent.text
        prefix = _PREFIX.match(text)
        first = next((p for p in an.people if prefix and p.start >= prefix.end() - 1), None)
        if text.startswith("Theo "):  # "Theo ông X, …", "Theo Thứ trưởng Bộ Tài chính X, …": X says so
            first = next((p for p in an.people if "," not in text[:p.start]), first)
        for p in an.people:
            end = max([p.end] + [t.end for t in p.titles])
            person = ("Person", p.name)
            if not col.has(person):
                continue
            ev = col.evidence(an.sent, p.start, end, "meeting-speaker")
            if spoken_after(text, end) or p is first:
                col.fact(key, "speaker", person, ev)
                col.fact(key, "participant", person, ev)
            elif re.match(r"\s*,?\s*chủ trì", text[end:]) or re.search(r"(?:sự chủ trì của|do)\s+(?:đồng chí|ông|bà)?\s*$", text[:p.start]):
                col.fact(key, "chair", person, ev)
                col.fact(key, "participant", person, ev)
            elif _attending(text) or (i == anchor.index and p.end <= anchor.start):
                col.fact(key, "participant", person, ev)
        for t in an.titles:
            if any(t in p.titles for p in an.people) or not spoken_after(text, t.end):
                continue
            holder = posts.get((t.role, t.body.key))
            if holder is not None:
                ev = col.evidence(an.sent, t.start, t.end, "meeting-speaker-by-title")
                col.fact(key, "speaker", holder, ev)
                col.fact(key, "participant", holder, ev)


def _attending(text: str) -> bool:
    return bool(re.search(r"(?:[Cc]ùng dự|[Tt]ham dự|[Dd]ự (?:hội nghị|buổi|tọa đàm|đại hội|kỳ họp)|có mặt|đến dự)", text))
