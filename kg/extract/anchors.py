"""Where an article reports a meeting: the phrases that anchor one, strongest first.

Takes the analysed sentences of an article; returns :class:`Anchor` records (sentence, span,
kind, label, organiser), ordered so that the first is the article's main meeting. Anchors:

* a meeting's name made an event — "X tổ chức Hội nghị …", "chiều 22.1, Hội nghị lần thứ 3 …
  bế mạc", "Đại hội … tiến hành bầu cử", "diễn ra lễ công bố quyết định …", "Quốc hội họp phiên
  toàn thể", "họp báo thông tin về Đại hội" (strength 3);
* a working session or visit — "A làm việc với B", "A thăm và làm việc tại tỉnh X", "A trao
  quyết định …" (strength 2);
* failing those, a meeting named where something happens at it — "phát biểu tại Tọa đàm"
  (strength 1).

The organiser is the body the text says holds the meeting; failing that, the body a congress
or a session belongs to by the genre's rules (a provincial party congress is its committee's,
a session of a People's Council the council's). It adds nothing to a collector.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer as gz
from .bodies import BodyRef, central, provincial
from .sentence import Analysed

# kind words → meeting class
KINDS = {"hội nghị": "Conference", "đại hội": "Congress", "tọa đàm": "Seminar", "hội thảo": "Seminar",
         "kỳ họp": "Session", "phiên họp": "Session", "giao ban": "Conference", "kỳ": "Session",
         "phiên chất vấn": "Session", "phiên toàn thể": "Session", "phiên trù bị": "Congress",
         "phiên khai mạc": "Congress", "phiên bế mạc": "Congress", "phiên thảo luận": "Session",
         "lễ công bố": "Ceremony", "lễ trao": "Ceremony", "buổi lễ": "Ceremony", "lễ": "Ceremony",
         "họp báo": "PressConference", "cuộc họp": "Conference", "phiên": "Conference",
         "buổi gặp mặt": "Conference", "cuộc gặp mặt": "Conference", "buổi làm việc": "Conference"}
_KIND = (r"(?P<kind>(?i:hội nghị|đại hội|tọa đàm|hội thảo|kỳ họp|phiên họp|phiên chất vấn|phiên toàn thể|"
         r"phiên trù bị|phiên khai mạc|phiên bế mạc|phiên thảo luận|lễ công bố|lễ trao|buổi lễ|họp báo|cuộc họp|"
         r"buổi gặp mặt|cuộc gặp mặt|buổi làm việc(?= *[,.;]))"
         r"|(?<=họp )kỳ(?= thứ)|(?<=họp )phiên(?= thứ))")
# where a meeting's name ends: before what the meeting does
_ENDS = (r"[,;.()\n]| đã | đang | sẽ | cũng | diễn ra| khai mạc| bế mạc| tại | với | nhằm | để | và | tiến hành| tiếp tục|"
         r" thông qua| bầu | biểu quyết| cho ý kiến| xem xét| thảo luận| nghe | được tổ chức| có sự| dưới sự| do | cùng | của chúng ta")
# behind a look-ahead for the letters a kind word starts with (gz.starting): the case-blind alternation
# is then tried where one stands, not at every character (a third of the time)
_PHRASE = re.compile(gz.starting(_KIND + rf"(?P<rest>(?:(?!{_ENDS}).){{0,160}})"))
_HELD = re.compile(r"(?:tổ chức|khai mạc|bế mạc|tiến hành|họp|tiếp tục|tiếp tục chương trình|triệu tập|chủ trì|diễn ra)\s+$")
_EVENT_LATER = re.compile(r"\b(?:đã |đang |sẽ )?(?:khai mạc|bế mạc|diễn ra|được tổ chức|kết thúc|thành công tốt đẹp|"
                          r"hoàn thành toàn bộ|đã hoàn thành|đã bầu|bầu ra|tiến hành bầu|tiến hành bỏ phiếu|đã bỏ phiếu|"
                          r"đã (?:thông qua|biểu quyết|miễn nhiệm|phê chuẩn))\b")
_FILLER = re.compile(r"[\s,]*(?:\([^()]{0,60}\))?[\s,]*(?:nhiệm kỳ \d{4}\s*[-–]\s*\d{4})?[\s,]*"
                     r"(?:(?:trong|vào)?\s*(?:sáng|chiều|tối|trưa|ngày)\s+(?:nay|qua|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?)\s*,?\s*)?"
                     r"(?:đã|sẽ|đang|long trọng|chính thức|trọng thể)?\s*"
                     r"(?:(?:khai mạc|bế mạc|tổ chức|tiến hành)\s+(?:và|,)\s*)?")
_EVENT_AFTER = re.compile(r"\s*(?:đã|đang|sẽ)?\s*(?:khai mạc|bế mạc|diễn ra|được tổ chức|tiến hành|tiếp tục|họp|thành công|"
                          r"thông qua|biểu quyết|bầu|thảo luận|cho ý kiến|nghe|xem xét)")
_FUTURE = re.compile(r"[^,;.]{0,80}?\s(?:sẽ|dự kiến)\s+(?:được\s+)?(?:diễn ra|khai mạc|tổ chức|tiến hành|họp)")
_FUTURE_LATER = gz.needing(re.compile(r"^[^;.]{0,100}?\ssẽ\s+(?:được\s+)?(?:diễn ra|khai mạc|tổ chức|tiến hành)\b"))
# kinds whose name alone says the event took place ("phiên khai mạc Đại hội …", "lễ công bố …")
_EVENTS_BY_NAME = {"Ceremony"}
_AT = re.compile(r"(?:tại|dự|chủ trì|chỉ đạo|[Tt]rong|[Tt]ại)\s+(?:(?:chương trình|khuôn khổ)\s+(?:của\s+)?)?(?:buổi\s+|phiên\s+)?$")
_WORK = gz.needing(re.compile(r"(?:đã có buổi |có buổi |buổi )?làm việc với\s+"))
_LEADERS = re.compile(r"(?:các\s+)?(?:đồng chí\s+)?(?:lãnh đạo|cán bộ)(?:\s+chủ chốt)?\s+(?:của\s+)?(?=(?:tỉnh|thành phố|TP)\b)")
_VISIT = gz.needing(re.compile(r"(?:đến |lên |về )?(?:thăm(?:,| và)? làm việc|thăm và chúc Tết|kiểm tra(?:,| và)? làm việc) (?:tại|với|ở)\s+"))
_HANDOVER = gz.needing(re.compile(r"(?<!\w)(?:trao|công bố|trao các|công bố các)\s+(?:các\s+)?[Qq]uyết định(?:\s+(?:của|số)\b)?"))
_NOT_EVENT = re.compile(r"(?:[Nn]ghị quyết|nhiệm kỳ|[Vv]ăn kiện|chuẩn bị|chuẩn bị(?: và|,) tổ chức|tiến tới|các cấp|kỷ niệm|[Tt]rung tâm|[Hh]ội trường|"
                        r"[Nn]hà|[Cc]ung|[Tt]hưa|[Kk]ính thưa|[Bb]áo cáo|[Nn]ghị quyết của)\s+$")
_TRAILING = re.compile(r"(?:\s+(?:các đồng chí|đồng chí|ông|bà|của|do|với|là|có|vào|ngày|sáng|chiều))+$", re.IGNORECASE)


@dataclass(frozen=True)
class Anchor:
    strength: int
    index: int  # sentence index
    start: int
    end: int
    kind: str
    label: str
    organizer: BodyRef | None


def anchors(analysed: list[Analysed]) -> list[Anchor]:
    """Every anchor of the article, the main meeting's first: the strongest, in a sentence with a
    date, earliest."""
    out = []
    for i, an in enumerate(analysed):
        out += _phrase_anchors(i, an)
        out += _work_anchors(i, an)
        out += _visit_anchors(i, an)
        out += _handover_anchors(i, an)
        out += _assembly_anchors(i, an)
        out += _sitting_anchors(i, an)
    dated = {i for i, an in enumerate(analysed) if an.dates}
    return sorted(out, key=lambda a: (-a.strength, a.index not in dated, a.index, a.start))


def _phrase_anchors(i: int, an: Analysed) -> list[Anchor]:
    out = []
    text = an.sent.text
    for m in _phrases(an):
        before = text[max(0, m.start() - 30):m.start()]
        if _NOT_EVENT.search(before):
            continue
        clause = re.split(r"[;.]", text[m.end():], maxsplit=1)[0]
        kind = KINDS[" ".join(m.group("kind").lower().split())]
        if _FUTURE.match(text, m.end()) or _FUTURE_LATER.search(clause):
            strength = 1  # announced, not reported ("Đại hội … sẽ diễn ra từ 22 đến 24/9")
        elif kind == "PressConference" and (_HELD.search(before) or _EVENT_AFTER.match(text, m.end())):
            strength = 4  # an article about a press conference reports it, not the event it announces
        elif _HELD.search(before) or _EVENT_AFTER.match(text, m.end()) or _EVENT_LATER.search(clause) \
                or (i == 0 and m.start() < 20) or kind in _EVENTS_BY_NAME:
            strength = 3
        elif _AT.search(before):  # "Chiều 5/11, tại kỳ họp thứ 17, HĐND tỉnh …": the lead's dated meeting is reported
            strength = 3 if i <= 1 and an.dates and an.dates[0].start < m.start() else 1
        else:
            continue
        if strength == 3 and _EARLIER.match(text):
            strength = 2  # "Trước đó, ngày 31/7, … tổ chức Hội nghị …": background to the meeting reported
        end = _phrase_end(an, m)
        word = "kỳ họp" if m.group("kind") == "kỳ" else m.group("kind")
        label = _TRAILING.sub("", " ".join((word[0].upper() + word[1:] + text[m.start() + len(m.group("kind")):end]).split()))
        out.append(Anchor(strength, i, m.start(), end, kind, label, _organizer(an, m, end)))
    return out


_EARLIER = re.compile(r"\W*Trước (?:đó|khi)\b")


def _phrases(an: Analysed):
    """The meeting phrases of a sentence; one that starts inside a body's name (the "Đại hội" of "Tiểu ban
    … Đại hội XIII của Đảng") is that body's, and the search goes on after the name."""
    text, pos = an.sent.text, 0
    while (m := _PHRASE.search(text, pos)) is not None:
        inside = next((b for b in an.bodies if b.start < m.start() < b.end), None)
        if inside is None:
            yield m
            pos = m.end()
        else:
            pos = inside.end


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
    by = next((b for b in an.bodies if m.start() < b.start < m.start() + 200 and re.search(r"(?<!\w)do\s+$", text[:b.start])
               and re.match(r"\s*(?:phối hợp[^,;.]{0,80}?\s+)?(?:tổ chức|chủ trì|triệu tập)\b", text[b.end:])), None)
    if by is not None:  # "Hội nghị … do Ban Tuyên giáo Tỉnh ủy tổ chức"
        return by.body
    held = re.search(r"(?:tổ chức|khai mạc|bế mạc|tiến hành|họp|triệu tập)\s+$", text[:m.start()])
    if held:
        for i, b in enumerate(an.bodies):
            if _FILLER.fullmatch(text[b.end:held.start()]):
                while i > 0 and re.fullmatch(r"\s*(?:,|và|cùng|cùng với|phối hợp với|phối hợp cùng)\s*", text[an.bodies[i - 1].end:an.bodies[i].start]) \
                        and not _VENUE.search(text[:an.bodies[i - 1].start]):
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
# "tại Hội trường UBND tỉnh, Ban Thường vụ Tỉnh ủy tổ chức …": a body named in the venue is where, not who
_VENUE = re.compile(r"(?<!\w)(?:[Tt]ại|ở)\s+(?:[^,;.]{0,40}\s)?$")


def _chair_body(an: Analysed, m: re.Match) -> BodyRef | None:
    """"X, Phó Thủ tướng Chính phủ, chủ trì Hội nghị …": the body the chair leads it for — the first of
    the chair's titles outside the central party organs (or the first of them if that is all)."""
    if not re.search(r"chủ trì\s+$", an.sent.text[:m.start()]):
        return None
    chairs = [p for p in an.people if p.end <= m.start() and p.titles]
    if not chairs:
        return None
    titles = [t for t in chairs[-1].titles if not t.former]
    # "Trưởng Tiểu ban … chủ trì phiên họp thứ hai của Tiểu ban": the body the phrase names by its head words
    phrase = gz.fold(an.sent.text[m.start():m.start() + 160])
    named = [t for t in titles if re.search(rf"\bcua {re.escape(gz.fold(' '.join(t.body.label.split()[:2])))}\b", phrase)]
    own = [t for t in titles if t.body.label not in _CENTRAL_PARTY]
    return (named or own or titles or [None])[0].body if (own or titles) else None


_ASSEMBLY_ACTS = gz.needing(re.compile(r"(?<!\w)(?P<who>Quốc hội|HĐND tỉnh|HĐND thành phố|Hội đồng nhân dân tỉnh|Hội đồng nhân dân thành phố)"
                                       r"(?: khóa [IVXLC]+)?\s+(?:đã\s+)?(?:tiếp tục\s+)?(?:nghe|biểu quyết|thông qua|bầu|miễn nhiệm|phê chuẩn|"
                                       r"họp|làm việc|xem xét|thảo luận|chất vấn)\b"))


def _assembly_anchors(i: int, an: Analysed) -> list[Anchor]:
    """"Chiều 24/10, Quốc hội nghe …", "HĐND tỉnh biểu quyết …": a sitting of that assembly."""
    out = []
    for m in _ASSEMBLY_ACTS.finditer(an.sent.text):
        body = next((b.body for b in an.bodies if b.start == m.start()), None)
        if body is None:
            continue
        label = f"Phiên họp của {an.sent.text[m.start():m.end('who')]}"
        out.append(Anchor(2, i, m.start(), m.end("who"), "Session", label, body))
    return out


_SITTING = gz.needing(re.compile(r"(?<!\w)(?:chủ trì|triệu tập|điều hành)\s+(?:cuộc\s+|phiên\s+)?họp\s+"))
_WORK_ON = gz.needing(re.compile(r"(?<!\w)(?:chủ trì|dự|có)\s+(?:cuộc|buổi)\s+làm việc\s+về\s+"))


def _sitting_anchors(i: int, an: Analysed) -> list[Anchor]:
    """"Thủ tướng chủ trì họp Chính phủ …": a sitting of the body named; "… chủ trì cuộc làm việc về
    một dự án …": a working session whose host the text may not name."""
    out = []
    text = an.sent.text
    for m in _SITTING.finditer(text):
        body = next((b for b in an.bodies if b.start == m.end()), None)
        if body is not None:
            out.append(Anchor(3, i, m.start(), body.end, "Conference", f"Cuộc họp {text[body.start:body.end]}", body.body))
    for m in _WORK_ON.finditer(text):
        end = re.search(r"[,;.]|$", text[m.end():]).start() + m.end()
        label = "Cuộc làm việc " + " ".join(text[m.end() - len("về "):min(end, m.end() + 100)].split())
        out.append(Anchor(2, i, m.start(), end, "WorkingSession", label, None))
    return out


def _work_anchors(i: int, an: Analysed) -> list[Anchor]:
    out = []
    text = an.sent.text
    for m in _WORK.finditer(text):
        host = next((b for b in an.bodies if b.start == m.end()), None)
        # "làm việc với lãnh đạo tỉnh Hòa Bình": the province's leaders, no one body
        leaders = _LEADERS.match(text, m.end()) if host is None else None
        place_end = next((b for a, b, p in an.places if leaders and a == leaders.end() and p.kind == "Province"), None)
        if host is None and place_end is None:
            continue
        end = host.end if host else place_end
        guest = text[:m.start()].strip(" ,")
        guest = guest.split(",")[-1].strip()
        label = f"Buổi làm việc của {guest} với {text[m.end():end]}" if guest else f"Buổi làm việc với {text[m.end():end]}"
        out.append(Anchor(2, i, m.start(), end, "WorkingSession", label, _convener(an, m.start()) or (host.body if host else None)))
    return out


def _convener(an: Analysed, at: int) -> BodyRef | None:
    """"Bộ Chính trị làm việc với Ban Thường vụ Thành ủy X": a body (not a person, nor a body inside
    a person's title) that is the subject of the working session convenes it."""
    text = an.sent.text
    for b in an.bodies:
        if b.end <= at and re.fullmatch(r"\s*(?:đã\s+|vừa\s+|đã có buổi\s+|có buổi\s+)?", text[b.end:at]) \
                and re.search(r"(?:^|[,;:]\s*)$", text[:b.start]) \
                and not any(t.start <= b.start < t.end for t in an.titles) \
                and not any(p.start <= b.start < p.end + 2 for p in an.people) \
                and b.body.kind == "party" and b.body.label in _CENTRAL_PARTY:
            return b.body
    return None


def _visit_anchors(i: int, an: Analysed) -> list[Anchor]:
    """"A thăm và làm việc tại tỉnh X": a working visit; its host is a body named there, if any."""
    out = []
    text = an.sent.text
    for m in _VISIT.finditer(text):
        host = next((b for b in an.bodies if b.start == m.end()), None)
        at = next(((b, p) for a, b, p in an.places if a == m.end()), None)
        place = at[1] if at else None
        where = text[m.end():host.end] if host else text[m.end():at[0]] if at else None
        if where is None:
            continue
        label = f"Chuyến thăm và làm việc tại {where}" if place or not host else f"Buổi làm việc với {where}"
        out.append(Anchor(2, i, m.start(), m.end() + len(where), "WorkingSession", label, host.body if host else None))
    return out


def _handover_anchors(i: int, an: Analysed) -> list[Anchor]:
    """"A trao quyết định của Bộ Chính trị …", "công bố quyết định …": the ceremony of it."""
    out = []
    text = an.sent.text
    for m in _HANDOVER.finditer(text):
        if not an.people or _NOT_EVENT.search(text[max(0, m.start() - 30):m.start()]):
            continue
        end = re.search(r"[,;.]|$", text[m.end():]).start() + m.end()
        label = "Lễ " + " ".join(text[m.start():min(end, m.end() + 120)].split())
        # "Tỉnh ủy Hà Nam đã trao quyết định …": the body that announces holds the ceremony
        host = next((b.body for b in an.bodies if not any(t.start <= b.start < t.end for t in an.titles) and re.fullmatch(r"\s*(?:đã |vừa |đã tổ chức |tổ chức )?", text[b.end:m.start()])), None)
        out.append(Anchor(2, i, m.start(), end, "Ceremony", label, host))
    return out


def default_organizer(anchor: Anchor, analysed: list[Analysed], province) -> BodyRef | None:
    """Whose a meeting is when the text does not say: a party congress (or one of its sessions)
    of the article's province is its committee's; a session of a People's Council the council's,
    of the National Assembly the Assembly's."""
    label = anchor.label
    congress = anchor.kind == "Congress" or anchor.kind in ("Session", "Conference") and re.search(r"(?i)trù bị", label)
    held_at = _AT_CONGRESS.search(analysed[anchor.index].sent.text[:anchor.start])
    if anchor.kind == "Ceremony" and held_at:  # "tại phiên khai mạc Đại hội … Đảng bộ tỉnh, … công bố quyết định"
        congress, label = True, held_at.group("name")
    if congress and not re.search(r"(?i:Mặt trận|MTTQ|huyện|xã|phường|quận|Công an|Quân sự|Đoàn|Liên đoàn|toàn quốc|"
                                  r"của Đảng(?! bộ))|(?<![Đđ]ại )Hội ", label):  # not "Hội Nông dân", "Đại hội Đoàn"
        if province is not None:
            return provincial("Tỉnh ủy", province, _scope(province))
    if plenum(anchor, analysed) and province is not None:
        return provincial("Tỉnh ủy", province, _scope(province))
    if anchor.kind == "Session":
        text = " ".join(an.sent.text for an in analysed[max(0, anchor.index - 1):anchor.index + 2])
        if re.search(r"Quốc hội", label) or (re.search(r"Quốc hội", text) and not re.search(r"HĐND|Hội đồng nhân dân", text)):
            return central(gz.central_by_label("Quốc hội"))
        if re.search(r"HĐND|Hội đồng nhân dân", text) and province is not None:
            return provincial("HĐND tỉnh", province, _scope(province))
    return None


_AT_CONGRESS = gz.needing(re.compile(r"\btại\s+(?:phiên (?:khai mạc|trù bị|bế mạc|thứ nhất)\s+)?(?P<name>Đại hội\s[^,;.]{0,120})"))
_ELECTS_STANDING = gz.needing(re.compile(r"\bbầu\s+(?:ra\s+)?(?:\d+\s+đồng chí\s+vào\s+)?(?:Ban Thường vụ|BTV|Bí thư|Thường trực)"))


def plenum(anchor: Anchor, analysed: list[Analysed], electing: bool = False) -> bool:
    """"Hội nghị lần thứ nhất Ban Chấp hành Đảng bộ tỉnh", "Hội nghị bầu 15 đồng chí vào Ban
    Thường vụ": a conference of a provincial party committee that elects its standing committee
    or secretary is the committee's plenum — held by the committee (Tỉnh ủy), not by the standing
    committee it elects (`electing`: only that one)."""
    text = analysed[anchor.index].sent.text[anchor.start:]
    named = not electing and re.search(r"Ban Chấp hành Đảng bộ (?:tỉnh|thành phố)", anchor.label)
    return anchor.kind == "Conference" and not re.search(r"(?i:huyện|xã|phường|quận|Trung ương)", anchor.label) and \
        bool(named or _ELECTS_STANDING.search(text[:200]))


def _scope(province):
    from .bodies import Scope
    return Scope("", province)

