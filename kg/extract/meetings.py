"""The meeting an article reports, and who spoke, chaired and took part.

Takes the analysed sentences, the collector and the posts found; adds the article's main
meeting (the first :mod:`kg.extract.anchors` anchor) with its date, organiser, speakers and
participants. Its date is a date in the anchoring sentence, else one the next sentences cue,
else the article's own date where it speaks of "hôm nay" (a press conference is dated by its
own day, never by the congress it announces). Its organiser is the body the anchor names, else
the one the genre implies (:func:`kg.extract.anchors.default_organizer`). Speakers are people
followed by a verb of speech ("nhấn mạnh", "cho biết", "có bài phát biểu …"), or a title
standing for its holder ("đồng chí Chủ tịch UBND tỉnh khẳng định").
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import gazetteer as gz
from .anchors import KINDS, Anchor, anchors, default_organizer, plenum
from .collect import Collector
from .dates import DateMention
from .sentence import Analysed

# "Tham dự và chỉ đạo tại đại hội có Chủ tịch Quốc hội X": who is there to direct speaks
_DIRECTS = gz.needing(re.compile(r"(?:^|[.;]\s*)\W*(?:[Tt]ham dự|[Dd]ự|[Đđ]ến dự) và (?:phát biểu )?chỉ đạo\b[^.;]*$"))
_TODAY = re.compile(r"\b(?:hôm nay|sáng nay|chiều nay|tối nay|trưa nay)\b", re.IGNORECASE)
_PREFIX = re.compile(r"(?:Phát biểu|Tham luận|Thảo luận|Trình bày|Báo cáo|Kết luận|Giải trình|Tiếp thu|Chia sẻ|Theo|Thay mặt|"
                     r"Tại (?:hội nghị|buổi|kỳ họp|phiên|tọa đàm|hội thảo|đại hội))\b[^.;:]{0,80}?(?:,|của)\s")
_ORDINAL = re.compile(r"lần thứ (?P<n>\d+|[a-zà-ỹ]+(?: [a-zà-ỹ]+)?)")
_TERM = re.compile(r"khóa (?P<t>[IVXLC]+)")
_DIGITS = {"nhất": 1, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "lăm": 5, "sáu": 6,
           "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_MANNER = (r"(?:cũng|đã|còn|thì|tiếp tục|đồng thời|lại|khi|trực tiếp|có bài|có ý kiến|có|đã có bài|dự và|tham dự và|đến dự và|"
           r"thay mặt (?:cho )?[^,.;:]{3,60}?|ủy quyền của [^,.;:]{3,60}?)")  # "thay mặt Đoàn Chủ tịch trình bày"


@lru_cache(maxsize=1)
def _speech_re() -> re.Pattern:
    verbs = gz.alternation(gz.lexicon()["speech_verbs"])
    # "X (được giao nhiệm vụ …) trình bày": a bracket after the name does not part it from its verb
    return re.compile(rf"\s*(?:\([^()]{{1,120}}\)\s*)?(?:,[^,.;:]{{1,80}}){{0,3}}(?:,\s*)?\s*(?:{_MANNER}\s+)*(?:{verbs})(?!\w)")


def spoken_after(text: str, at: int, people=()) -> bool:
    """A verb of speaking follows `at` (across appositions), with no one else named before it."""
    m = _speech_re().match(text, at)
    return bool(m) and not any(at < p.start < m.end() for p in people)


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


def extract_meeting(analysed: list[Analysed], col: Collector, posts: dict, province=None) -> tuple[str, ...] | None:
    """Add the article's main meeting, with date, organiser, speakers and participants, to `col`."""
    found = anchors(analysed)
    if not found:
        return None
    a = found[0]
    an = analysed[a.index]
    organizer = a.organizer or default_organizer(a, analysed, province)
    if organizer is not None and organizer.label.startswith("Ban Thường vụ") and plenum(a, analysed, electing=True):
        organizer = default_organizer(a, analysed, province) or organizer
    if a.label.lower() in KINDS and col.source.meta.title:
        a = Anchor(a.strength, a.index, a.start, a.end, a.kind, f"{a.label} \u201c{col.source.meta.title}\u201d", a.organizer)
    ev = col.evidence(an.sent, a.start, a.end, f"meeting-{a.kind.lower()}")
    date = _date(a, analysed, col)
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


def _date(a: Anchor, analysed: list[Analysed], col: Collector) -> DateMention | None:
    """The meeting's date: in the anchoring sentence, a range's first day, else a cued date, else
    any date (a press conference: only a date before the words that announce the congress);
    else a cued date in the sentence before or the two after it; else, if the article speaks of
    today or the meeting is in its lead, the article's own date."""
    an = analysed[a.index]
    dates = [d for d in an.dates if (a.kind != "PressConference" or d.start < a.end) and not _of_a_document(an.sent.text, d)]
    found = _pick(dates)
    if found is None and not _TODAY.search(an.sent.text):
        # the sentence before, then the two after, then the one before that ("Thứ Hai, ngày 3/6, Quốc hội
        # làm việc … / Buổi chiều: / Quốc hội họp phiên toàn thể …")
        near = analysed[max(0, a.index - 1):a.index] + analysed[a.index + 1:a.index + 3] + analysed[max(0, a.index - 2):max(0, a.index - 1)]
        found = next((d for other in near for d in other.dates
                      if d.cued and not _of_a_document(other.sent.text, d) and not _SINCE.search(other.sent.text[:d.start])), None)
    if found is None and (_TODAY.search(an.sent.text) or any(_TODAY.search(x.sent.text) for x in analysed[:a.index + 4])
                          or a.index <= 1):  # the lead of a report is about the day it was published
        day = col.source.meta.published or _dateline(analysed)
        if day is not None:
            return DateMention(0, 0, day)
    return found


_SINCE = re.compile(r"(?:từ|kể từ|đến|trước)\s+(?:ngày\s+)?$", re.IGNORECASE)
_DOCUMENT_BEFORE = gz.needing(re.compile(r"(?:số\s*\S+|\d+/\S+|\d+-[A-ZĐ]+/[A-ZĐ.]+)\s*,?\s*(?:ban hành\s+)?(?:ngày\s*)?$"))


def _of_a_document(text: str, d: DateMention) -> bool:
    """"Nghị quyết số 102 ngày 24.11.2015": a document's date, not the meeting's."""
    return bool(_DOCUMENT_BEFORE.search(text[max(0, d.start - 40):d.start]))


def _pick(dates: list[DateMention]) -> DateMention | None:
    ranges = [d for d in dates if d.end_date]
    cued = [d for d in dates if d.cued]
    return (ranges or cued or dates or [None])[0]


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


_FIRST_PERSON = re.compile(r"\s*(?:tôi|chúng tôi)\b")
_ADDRESS = gz.needing(re.compile(r"(?:^|\W)(?:Kính thưa|Thưa)\s"))


def _speech_author(analysed: list[Analysed]):
    """A speech printed whole under its speaker's name and title ("Bí thư Tỉnh ủy Nguyễn Văn A" /
    "… Kính thưa các đồng chí! … tôi xin …"): the person the heading names is the one speaking."""
    if not analysed or not any(_ADDRESS.search(an.sent.text) for an in analysed) \
            or not any(re.search(r"(?<!\w)tôi(?!\w)", an.sent.text) for an in analysed):
        return None
    head = analysed[0]
    if len(head.people) != 1 or not head.people[0].titles:
        return None
    p = head.people[0]
    rest = head.sent.text[:min([p.start] + [t.start for t in p.titles])] + head.sent.text[max([p.end] + [t.end for t in p.titles]):]
    return p if len(re.sub(r"\bdate\s+\S+", "", rest).strip(" .:-–")) <= 3 else None


def _people(key, analysed: list[Analysed], col: Collector, posts: dict, anchor: Anchor) -> None:
    author = _speech_author(analysed)
    if author is not None and col.has(("Person", author.name)):
        ev = col.evidence(analysed[0].sent, author.start, author.end, "meeting-speech-author")
        col.fact(key, "speaker", ("Person", author.name), ev)
        col.fact(key, "participant", ("Person", author.name), ev)
    for i, an in enumerate(analysed):
        text = an.sent.text
        prefix = _PREFIX.match(text)
        if prefix and _FIRST_PERSON.match(text, prefix.end()):
            prefix = None  # "Thay mặt Đảng bộ …, tôi chào mừng đồng chí X": the one speaking is "tôi", not X
        first = next((p for p in an.people if prefix and p.start >= prefix.end() - 1), None)
        if text.startswith("Theo "):  # "Theo ông X, …", "Theo Thứ trưởng Bộ Tài chính X, …": X says so
            first = next((p for p in an.people if "," not in text[:p.start]), first)
        for p in an.people:
            end = max([p.end] + [t.end for t in p.titles])
            person = ("Person", p.name)
            if not col.has(person):
                continue
            ev = col.evidence(an.sent, p.start, end, "meeting-speaker")
            if spoken_after(text, end, an.people) or p is first or _DIRECTS.search(text[:p.start]):
                col.fact(key, "speaker", person, ev)
                col.fact(key, "participant", person, ev)
            elif re.match(r"\s*,?\s*chủ trì", text[end:]) or re.search(r"(?:sự chủ trì của|sự điều hành của|do)\s+(?:đồng chí|ông|bà)?\s*$", text[:p.start]) \
                    or re.search(r"(?:sự chủ trì của|sự điều hành của)\s+[^,;.]{0,80}$", text[:p.start]) and p.titles:
                col.fact(key, "chair", person, ev)
                col.fact(key, "participant", person, ev)
            elif _attending(text) or (i == anchor.index and p.end <= anchor.start):
                col.fact(key, "participant", person, ev)
        for t in an.titles:
            if any(t in p.titles for p in an.people) or not spoken_after(text, t.end, an.people):
                continue
            holder = posts.get((t.role, t.body.key))
            if holder is not None:
                ev = col.evidence(an.sent, t.start, t.end, "meeting-speaker-by-title")
                col.fact(key, "speaker", holder, ev)
                col.fact(key, "participant", holder, ev)


def _attending(text: str) -> bool:
    return bool(re.search(r"(?:[Cc]ùng dự|[Tt]ham dự|[Dd]ự (?:hội nghị|buổi|tọa đàm|đại hội|kỳ họp)|có mặt|đến dự)", text))
