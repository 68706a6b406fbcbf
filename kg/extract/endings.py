"""Posts that end, and titles that tell of the past, in a sentence whose people are found.

"nghỉ hưu … đối với đồng chí X, Title", the predecessor in "thay ông X, Title", "X, Title, chuyển
công tác khác", "X, Title, thôi giữ chức Title", "miễn nhiệm chức vụ Title đối với ông X"; and
career lines ("Trước đó, ông X là …", "Tháng 10/2019, …", "… tỉnh Long An cũ"). Takes the
sentence text and its :class:`PersonMention` records; marks their titles former (and past) in
place. It finds no people and attaches no new titles, except the former one a dismissal gives
the person after it.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .bodies import Title

if TYPE_CHECKING:
    from .people import PersonMention

APPOINT = re.compile(
    r"(?:được |đã được |vừa được |đã )?(?:bầu (?:lại |bổ sung )?(?:giữ chức(?: danh| vụ)?|làm|là)?|tái đắc cử(?: chức(?: danh| vụ)?)?|"
    r"đắc cử(?: chức(?: danh| vụ)?)?|trúng cử(?: chức(?: danh| vụ)?)?|giữ chức(?: vụ| danh)?|chỉ định (?:làm|là|giữ chức)|"
    r"bổ nhiệm (?:làm|giữ chức)?|bổ nhiệm lại|giao quyền|điều động(?:, bổ nhiệm)? (?:giữ chức|làm)|phân công (?:làm|giữ chức)|"
    r"nhận công tác (?:tại|ở)?|nhận nhiệm vụ|đảm nhận (?:chức|cương vị)?|đảm nhiệm (?:chức|cương vị)?|chuẩn y|phê chuẩn|kiêm(?: nhiệm)?(?: chức)?|làm|"
    r"(?:chỉ định |được chỉ định |bầu |được bầu )?tham gia(?: vào)?)\s*$")


_ENDING_BEFORE = re.compile(r"(?:nghỉ hưu|nghỉ công tác|thôi giữ chức|thôi tham gia|thôi làm|miễn nhiệm|cho thôi|"
                           r"bãi nhiệm|cách chức)[^.;]{0,80}?(?:đối với|cho|của)\s+(?:các |hai )?(?:đồng chí|ông|bà)?\s*$")
_REPLACED_BEFORE = re.compile(r"(?<!\w)(?:thay|thay thế)(?: cho)?\s+(?:đồng chí|ông|bà)?\s*$")
# "X, Chủ tịch UBND tỉnh đương nhiệm, nghỉ hưu theo chế độ": the incumbent's post ends
_MOVED_AFTER = re.compile(r"\s*(?:đương nhiệm\s*)?,?\s*(?:đã\s+|được\s+|sẽ\s+)?(?:chuyển công tác|nhận công tác khác|nghỉ chế độ|nghỉ hưu)")
_QUIT_AFTER = re.compile(r"\s*,?\s*(?:để\s+|được\s+|đã\s+|xin\s+)?(?:thôi giữ chức(?: vụ)?|thôi tham gia|thôi làm|nghỉ hưu)(?P<what>[^.;]*?)(?=\s(?:để|đến nhận|và được|được)\b|[.;]|$)")


_PAST_SENTENCE = re.compile(r"^\W*(?:Trước đó|Trước khi|Tháng\s+\d{1,2}\s*[/-]\s*\d{4}|Từ tháng|Từ năm|Giai đoạn\s+\d{4})")
_OLD = re.compile(r"\s*\(?(?:cũ|trước đây|trước sáp nhập)\b")
_PAST_FROM = re.compile(r"(?<!\w)(?:trước đó|từng)\s+(?:(?:đã\s+)?(?:giữ chức(?: vụ)?|là|đảm nhiệm|đảm nhận|làm|công tác)\s+)?")


def mark_past(text: str, people: list[PersonMention]) -> None:
    """What a career line tells of the past is not a post held now: a sentence that opens on
    "Trước đó", "Tháng 10/2019", "Từ năm …", the titles after "trước đó giữ chức", "từng là", and a
    title followed by "cũ" ("… tỉnh Long An cũ")."""
    if (past := _PAST_SENTENCE.match(text)):
        # "Trước đó, Phó Thủ tướng X ký quyết định …": the title that names the actor is his at the
        # time told, and still; what "Trước đó, ông X là/giữ chức …" says of him is his past
        actor = re.search(r"Trước đó|Trước khi", past.group()) is not None
        for p in people:
            p.titles[:] = [t if t.former or actor and (t.end <= p.start or _appointed_to(text, t))
                           else replace(t, former=True, past=True) for t in p.titles]
        return
    for p in people:  # "Phó Chủ tịch UBND tỉnh Long An cũ": the post of a body that is no more — of an
        # earlier time, so a post of the new body with the same name, given here too, still holds
        p.titles[:] = [replace(t, former=True, past=True) if _OLD.match(text, t.end) else t for t in p.titles]
    for m in _PAST_FROM.finditer(text):
        for p in people:
            p.titles[:] = [replace(t, former=True, past=True) if t.start >= m.end() - 1 and t.start - m.end() < 60
                           and not t.former else t for t in p.titles]


def _appointed_to(text: str, t: Title) -> bool:
    """"Trước đó, ông X … được điều động giữ chức T": an appointment told as earlier still stands."""
    return bool(APPOINT.search(text[max(0, t.start - 40):t.start]))


def mark_ended(text: str, people: list[PersonMention], titles: list[Title], used: set[int]) -> None:
    """Posts that end: "nghỉ hưu … đối với đồng chí X, Title" (all X's titles here are past), the
    predecessor's in "thay ông X, Title" and "X, Title, chuyển công tác khác" (all past too),
    "X, Title, thôi giữ chức Title" (the titles whose body the clause names are past), and
    "miễn nhiệm chức vụ Title đối với ông X" (a former title given to the person after it)."""
    for p in people:
        if party_sanctioned(text, p):
            continue  # its own rule, mark_disciplined
        ending = _ENDING_BEFORE.search(text, max(0, p.start - 140), p.start)
        if ending or _REPLACED_BEFORE.search(text[:p.start]) or _MOVED_AFTER.match(text, chain_end(text, p)):
            # "miễn nhiệm chức vụ A đối với ông X và bầu giữ chức B": B is X's new post; "miễn nhiệm
            # Phó Chủ tịch UBND tỉnh đối với ông X, Phó Bí thư Tỉnh ủy, …": only the post it names ends
            named = {t.body.key for t in titles if ending and ending.start() <= t.start < p.start} \
                if not _MOVED_AFTER.match(text, chain_end(text, p)) else set()
            p.titles[:] = [t if t.start > p.end and _appointed_to(text, t) or named and t.body.key not in named
                           else replace(t, former=True) for t in p.titles]
            continue
        quit_ = _QUIT_AFTER.match(text, chain_end(text, p))
        if quit_:
            named = {t.body.key for t in titles if quit_.start("what") <= t.start < quit_.end("what")}
            named |= {b for b in _bodies_named(quit_.group("what"), p, quit_.end())}
            retires = not named and re.match(r"\s*,?\s*(?:để |được |đã |xin )?nghỉ hưu", quit_.group()) is not None
            p.titles[:] = [replace(t, former=True) if t.body.key in named or retires else t for t in p.titles]
        leaving = {(t.role, t.body.key) for t in p.titles if t.former and not t.past}
        p.titles[:] = [replace(t, former=True) if (t.role, t.body.key) in leaving else t for t in p.titles]
    by_start = {t.start: t for t in titles}
    for t in titles:
        m = re.match(r"\s*,?\s*(?:khóa\s+[IVXLC\d]+\s*,?\s*)?(?:nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4}\s*,?\s*)?"
                     r"(?:đối với|của)\s+(?:(?:các |hai )?(?:đồng chí|ông|bà)\s*)?", text[t.end:])
        if m is None or id(t) in used:
            continue
        if m.group().rstrip().endswith(("đối với", "của")) and by_start.get(t.end + m.end()) is None:
            continue  # "của" + neither a person nor a title: "Trưởng ban … của Tỉnh ủy"
        confirmed = not t.former and _CONFIRMS.search(text[:t.start])
        if t.former or confirmed:
            for after in _named_after(text, t.end + m.end(), people, by_start):
                after.titles.append(t)
                used.add(id(t))


def _named_after(text: str, pos: int, people: list[PersonMention], by_start: dict) -> list[PersonMention]:
    """The people a clause names from `pos` on: "ông X", "Title, Title X", and more of them after
    "và" or a comma ("đối với Phó Bí thư Tỉnh ủy A và Chủ nhiệm UBKT Tỉnh ủy B")."""
    out: list[PersonMention] = []
    while True:
        while (t := by_start.get(pos)) is not None:  # the titles written before the name
            pos = t.end + re.match(r"\s*(?:[,–-]\s*)?", text[t.end:]).end()
        person = next((p for p in people if p.start in (pos, pos + 1)), None)
        if person is None:
            return out
        out.append(person)
        more = re.match(r"\s*(?:,|và)\s*(?:(?:ông|bà|đồng chí)\s+)?", text[chain_end(text, person):])
        if more is None or not more.group().strip():
            return out
        pos = chain_end(text, person) + more.end()


# "phê chuẩn kết quả bầu: Chủ tịch HĐND tỉnh X đối với ông Y": a post given to the person after it
_CONFIRMS = re.compile(r"(?:phê chuẩn|chuẩn y|bổ nhiệm|bầu|chỉ định|điều động|giao quyền)[^.]*$")


def chain_end(text: str, p: PersonMention) -> int:
    """Where the titles written right after the name ("X, Title, Title") end."""
    end = p.end
    for t in sorted(p.titles, key=lambda t: t.start):
        if t.start >= end and re.fullmatch(r"\s*(?:\((?:SN|sinh năm)?\s*(?:19|20)\d\d\)\s*)?(?:,|–|—|-|\(|kiêm|và)?\s*",
                                           text[end:t.start]):
            end = t.end
    return end


def _bodies_named(clause: str, p: PersonMention, end: int) -> set:
    """Bodies of `p`'s titles whose words the clause repeats ("thôi giữ chức Bí thư Huyện ủy X"); not
    of the titles given after it ("…, thôi tham gia Ban Chấp hành …, để … tham gia Ban Chấp hành,
    giữ chức Bí thư Thành ủy Y": the seats taken in Y)."""
    return {t.body.key for t in p.titles if t.start < end and (t.body.label in clause or t.body_text and t.body_text in clause)}


_TERM = re.compile(r"nhiệm kỳ\s+(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)(?!\d)")


def mark_terms(text: str, people: list[PersonMention]) -> None:
    """"A - Chủ tịch UBND tỉnh nhiệm kỳ 2016-2021 và Phó Chủ tịch UBND tỉnh nhiệm kỳ 2011-2016": in a
    sentence that dates titles by term, the titles of a term that ended when the latest one named
    began are of the past."""
    terms = list(_TERM.finditer(text))
    if len(terms) < 2:
        return
    latest = max(int(m.group("a")) for m in terms)
    for p in people:
        p.titles[:] = [replace(t, former=True, past=True) if not t.former and _term_end(text, t, terms) <= latest
                       else t for t in p.titles]


def mark_ended_terms(ans, year: int | None) -> None:
    """"Sau đại hội, ông X, Bí thư Tỉnh ủy nhiệm kỳ 2020-2025 …" in an article of 2025 that gives the
    post of the term 2025-2030 to another; "Bí thư Tỉnh ủy khóa XIX" in one that names its holder of
    khóa XX: a title dated by a term that has ended — its last year come, or a later khóa named — is
    of the past once the article gives the same post to someone for the later term (until then, at
    a congress still sitting, the outgoing holder holds it)."""
    starts = [int(m.group("a")) for an in ans for m in _TERM.finditer(an.sent.text)]
    terms_of: dict = {}
    for an in ans:
        for b in list(an.bodies) + list(an.titles):
            if b.body.term:
                terms_of.setdefault(b.body.key, set()).add(_term_number(b.body.term))
    dated = set()
    for an in ans:
        terms = list(_TERM.finditer(an.sent.text))
        for p in an.people:
            for t in p.titles:
                if t.former:
                    continue
                end = _term_end(an.sent.text, t, terms)
                if t.body.term and any(n > _term_number(t.body.term) for n in terms_of.get(t.body.key, ())) \
                        or year is not None and end <= year and any(a >= end for a in starts):
                    dated.add(id(t))
    held = {(t.role, t.body.key) for an in ans for p in an.people for t in p.titles if not t.former and id(t) not in dated}
    for an in ans:
        for p in an.people:
            p.titles[:] = [replace(t, former=True, past=True) if id(t) in dated and (t.role, t.body.key) in held else t
                           for t in p.titles]


def _term_number(term: str) -> int:
    from .documents import roman
    return int(term) if term.isdigit() else roman(term)


def _term_end(text: str, t: Title, terms: list[re.Match]) -> int:
    """The last year of the term written right after title `t` ("… Chủ tịch UBND tỉnh nhiệm kỳ
    2011-2016": that title's, not the chain's before it), or a year after every term."""
    m = next((m for m in terms if m.start() >= t.end), None)
    if m is None or not re.fullmatch(r"\s*,?\s*(?:khóa\s+[IVXLC]+\s*,?\s*)?", text[t.end:m.start()]):
        return 10**4
    return int(m.group("b"))


# "cách chức tất cả các chức vụ trong Đảng đối với các ông: A - …; B - …", "khai trừ ra khỏi Đảng đối
# với ông X": a party sanction ends the posts in party bodies of each person it names, not the others
_PARTY_SANCTION = re.compile(r"(?:cách (?:chức )?(?:tất cả |toàn bộ )?(?:các )?chức vụ trong Đảng|khai trừ (?:ra )?khỏi Đảng)"
                             r"[^.;:]{0,60}?(?:đối với|cho)\s+(?:các |hai |ba |bốn )?(?:đồng chí|ông|bà)?\s*:?", re.IGNORECASE)
_SANCTION = re.compile(r"(?<!\w)(?:cảnh cáo|khiển trách|cách chức|khai trừ|giáng chức|xóa tư cách)(?!\w)", re.IGNORECASE)


def mark_disciplined(text: str, people: list[PersonMention]) -> None:
    for m in _PARTY_SANCTION.finditer(text):
        nxt = _SANCTION.search(text, m.end())
        stop = nxt.start() if nxt else len(text)
        for p in people:
            if m.end() <= p.start < stop:
                p.titles[:] = [replace(t, former=True) if t.body.kind == "party" and not t.former else t
                               for t in p.titles]


def party_sanctioned(text: str, p: PersonMention) -> bool:
    """Whether `p` is named by a party sanction (whose state posts the generic dismissal must not end)."""
    return any(m.end() <= p.start for m in _PARTY_SANCTION.finditer(text, 0, p.start))


# "điều động, chỉ định ông X, Ủy viên Ban cán sự đảng, Thứ trưởng Bộ Y giữ chức Phó Bí thư Tỉnh ủy Z"
_TRANSFER = re.compile(r"(?<!\w)(?:điều động|luân chuyển)(?:\s*,?\s*(?:và\s+)?(?:chỉ định|bổ nhiệm|phân công|giới thiệu))?"
                       r"\s+(?:đồng chí|ông|bà)\s*$", re.IGNORECASE)
_TO_POST = re.compile(r"\s*,?\s*(?:đến\s+)?(?:giữ chức(?: vụ| danh)?|làm|tham gia|nhận công tác)\s", re.IGNORECASE)


# "X, Thứ trưởng Bộ Y được Bộ Chính trị điều động, phân công, chỉ định … giữ chức Bí thư Tỉnh ủy Z": the passive
_TRANSFERRED_AFTER = re.compile(r"\s*,?\s*(?:đã |vừa )?được\s+(?:[^,.;]{0,40}?\s)?(?:điều động|luân chuyển)(?!\w)", re.IGNORECASE)
_TO_POST_LATER = re.compile(r"[^.;]{0,160}?(?:giữ chức(?: vụ| danh)?|làm)\s", re.IGNORECASE)


def mark_transferred(text: str, people: list[PersonMention]) -> None:
    """A person transferred from elsewhere ("điều động … ông X, Title at the origin, giữ chức Title")
    leaves the posts written between the name and the new post, when the origin is another place
    (a ministry, another province) than the new post's; a move inside one province ends nothing said."""
    for p in people:
        end = chain_end(text, p)
        passive = _TRANSFERRED_AFTER.match(text, end)
        if not (passive or _TRANSFER.search(text, max(0, p.start - 60), p.start)):
            continue
        verb = _TO_POST_LATER.match(text, passive.end()) if passive else _TO_POST.match(text, end)
        if verb is None:
            continue
        old = [t for t in p.titles if p.end <= t.start < end and not t.former]
        new = [t for t in p.titles if t.start >= verb.end()]
        left = [t for t in old if new and _place(t) != _place(new[0]) and t.body.label not in _KEPT_ON_MOVING]
        p.titles[:] = [replace(t, former=True) if t in left else t for t in p.titles]


# seats that do not depend on where one works: a member of the Central Committee moved to a province stays one
_KEPT_ON_MOVING = ("Ban Chấp hành Trung ương Đảng", "Bộ Chính trị", "Ban Bí thư", "Quốc hội")


def _place(t: Title) -> tuple:
    return t.body.place.key if t.body.place is not None else ("central",)
