"""People in a sentence, and the titles that belong to each.

A name is a run of 2–5 capitalised syllables that no body, title or place covers. It is taken
as a person where the genre says so: after "đồng chí/ông/bà" or a rank, right after a title
("Bí thư Tỉnh ủy Nguyễn Văn A"), before an apposition ("Nguyễn Văn A, Bí thư Tỉnh ủy, …;"),
or, bare, when it starts with a family name and has three syllables or more. Titles attach
by apposition first, then the titles right before a name; each title to one person only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable

from . import gazetteer as gz
from .bodies import Title
from .endings import APPOINT, chain_end, mark_disciplined, mark_ended, mark_past, mark_terms, mark_transferred

_TOKEN = re.compile(r"[^\W\d_][\w'’]*")
# after a name: a comma, a dash or a bracket; a caption may first say where the person stands
# ("Ông A (thứ 4 từ trái qua), Phó Bí thư Tỉnh ủy")
# or the year of birth ("Ông A (SN 1971), Chủ nhiệm …")
_SEP_AFTER_NAME = re.compile(r"\s*(?:\((?:[^()]{0,12}(?:từ trái|từ phải|giữa|bên trái|bên phải|ngoài cùng|đứng|ngồi|hàng)[^()]{0,24}"
                             r"|(?:SN|sinh năm|sinh)?\s*(?:19|20)\d\d)\)\s*)?"
                             r"(?:,|–|—|-|\()\s*(?:hiện (?:đang )?(?:là|giữ chức(?: vụ)?)\s+)?")
# a term or a congress number may close a group of titles before the next ("Chủ tịch UBND tỉnh nhiệm kỳ
# 2016-2021 và Ủy viên Ban Thường vụ Tỉnh ủy …")
_SEP_TITLES = re.compile(r"(?:\s*,?\s*(?:nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4}|khóa\s+[IVXLC]+)(?!\w))?"
                         r"\s*(?:,|;(?=\s*nguyên)|–|—|-|kiêm|và)\s*(?:hiện (?:đang )?(?:là|giữ chức(?: vụ)?)\s+)?")
_SEP_BEFORE = re.compile(r"^\s*(?:,|–|—|-|kiêm)?\s*$")
_STARTERS = {"Ban", "Bộ", "Sở", "Hội", "Ủy", "Đảng", "Viện", "Tòa", "Báo", "Đài", "Cục", "Tổng", "Phòng",
             "Ông", "Bà", "Anh", "Chị", "Theo", "Trong", "Tại", "Về", "Với", "Sau", "Trước", "Ngày", "Sáng", "Chiều",
             "Tối", "Phát", "Thay", "Nhân", "Các", "Những", "Cùng", "Dự", "Tham", "Đ/c", "Khi", "Từ", "Qua", "Đến",
             "Thưa", "Kính", "Gửi", "Bác", "Cụ", "Thượng", "Trung", "Thiếu", "Đại"}


# a place word that is not also the end of another word ("thành phố", "nông thôn", "quận, huyện")
_PLACE_BEFORE = re.compile(r"(?<!\w)(?:[Xx]ã|[Pp]hường|[Tt]hị trấn|[Ấấ]p|[Đđ]ường)\s+$")


@dataclass
class PersonMention:
    start: int
    end: int
    name: str
    honorific: bool
    titles: list[Title] = field(default_factory=list)


@lru_cache(maxsize=1)
def _honorific_re() -> re.Pattern:
    words = gz.alternation(gz.lexicon()["honorifics"], nocase=True)
    return re.compile(rf"(?:^|[\s:,(])(?:{words})\s*:?\s*$", re.IGNORECASE)


def honorific_before(text: str, at: int) -> bool:
    return bool(_honorific_re().search(text[max(0, at - 30):at]))


def find_people(text: str, titles: list[Title], blocked: list[tuple[int, int]],
                soft: list[tuple[int, int]] = ()) -> list[PersonMention]:
    """People named in `text`, each with the titles the sentence gives them. A name may run
    through a `soft` span (a province's bare name: "Lưu Thái Bình", "Chủ tịch Hồ Chí Minh") when
    the genre clearly introduces it (a title or an honorific before, a title after)."""
    spans = blocked + [(t.start, t.end) for t in titles]
    people = []
    for start, end, tokens in _runs(text, spans):
        person = _person(text, start, end, tokens, titles)
        if person is not None and (not _overlaps(person, soft) or person.honorific or _titled(text, person, titles)):
            people.append(person)
    _attach(text, people, titles)
    return people


def _overlaps(p: PersonMention, spans) -> bool:
    return any(a < p.end and p.start < b for a, b in spans)


def _titled(text: str, p: PersonMention, titles: list[Title]) -> bool:
    sep = _SEP_AFTER_NAME.match(text, p.end)
    return any(t.end in (p.start, p.start - 1) or (sep and t.start == sep.end()) for t in titles)


def _runs(text: str, spans: list[tuple[int, int]]):
    """Maximal runs of capitalised syllables, single-spaced, outside `spans`."""
    tokens: list[str] = []  # the run so far, from `first` to `last`
    first = last = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token[0].isupper():  # most syllables are not: nothing more is asked of them
            at = m.start()
            if not any(a <= at < b for a, b in spans):
                if tokens and at == last + 1 and text[last] == " ":
                    tokens.append(token)
                    last = m.end()
                    continue
                if tokens:
                    yield first, last, tokens
                tokens, first, last = [token], at, m.end()
                continue
        if tokens:
            yield first, last, tokens
            tokens = []
    if tokens:
        yield first, last, tokens


def family_name(token: str) -> bool:
    """A family name, or the prefix that starts an Ê Đê or Jrai woman's name ("H'Hen Niê")."""
    return token in gz.surnames() or token.startswith(("H'", "H’")) and len(token) > 2


def _shouted(tokens: list[str]) -> bool:
    """"NGUYỄN VĂN THÀNH": a name in capitals (author lines, headings)."""
    return any(len(t) > 2 and t.isupper() and "'" not in t for t in tokens)


def _person(text: str, start: int, end: int, tokens: list[str], titles: list[Title]) -> PersonMention | None:
    skip = 0
    named = honorific_before(text, start) and len(tokens) >= 3 and family_name(tokens[0])  # "đồng chí Từ …": a family name, not "from"
    while skip < len(tokens) and tokens[skip] in _STARTERS and not (skip == 0 and named):
        skip += 1
    later = next((i for i in range(skip, len(tokens)) if family_name(tokens[i])), None)
    if skip >= len(tokens) - 1:
        return None
    at = _token_start(text, start, skip)
    introduced = honorific_before(text, at) or any(t.end in (at, at - 1) for t in titles)
    if later is not None and later > skip and not introduced:
        skip = later
    start = _token_start(text, start, skip)
    tokens = tokens[skip:skip + 5]
    end = start + len(" ".join(tokens))
    if len(tokens) < 2:
        return None
    if _PLACE_BEFORE.search(text[max(0, start - 12):start]) or start and text[start - 1].isalnum():
        return None  # "xã Tân An Hòa", "đường Lê Lợi", "số 12B Lê Lợi": a place, not a person
    if _shouted(tokens):
        return _shouted_person(text, start, tokens, titles)
    hon = honorific_before(text, start)
    pre = any(t.end in (start, start - 1) for t in titles)
    sep = _SEP_AFTER_NAME.match(text, end)
    post = bool(sep) and any(t.start == sep.end() for t in titles)
    known = family_name(tokens[0])
    name = " ".join(tokens)
    if _role_fragment(name):
        return None
    if gz.provinces().get(name) is not None and not (hon or pre):
        return None
    if pre and not (hon or known) and len(tokens) == 2:
        return None  # "Phó Bí thư Thành ủy Tam Kỳ": two words after a title, and no family name, are a place
    if hon or pre or (known and (post or len(tokens) >= 3)):
        return PersonMention(start, end, name, hon)
    return None


def _shouted_person(text: str, start: int, tokens: list[str], titles: list[Title]) -> PersonMention | None:
    """A name in capitals is a person's only with a title after it ("NGUYỄN VĂN THÀNH, Giám đốc
    Sở Tư pháp"), two to four syllables, the first a family name; its label in title case."""
    name = " ".join(t.capitalize() for t in tokens[:4])
    end = start + len(" ".join(tokens[:4]))
    sep = _SEP_AFTER_NAME.match(text, end)
    if len(tokens) > 4 or not family_name(name.split()[0]) or not (sep and any(t.start == sep.end() for t in titles)):
        return None
    return PersonMention(start, end, name, False)


def _role_fragment(name: str) -> bool:
    """"Phó Chủ" of "Phó Chủ tịch": the capitalised words of a role, not a name."""
    return any(role.startswith(name + " ") or role == name for role in gz.lexicon()["roles"])


def _starts_sentence(text: str, at: int) -> bool:
    return not text[:at].strip() or text[:at].rstrip()[-1:] in ".:;!?\"“("


def _token_start(text: str, start: int, skip: int) -> int:
    pos = start
    for _ in range(skip):
        pos = text.index(" ", pos) + 1
    return pos


def _attach(text: str, people: list[PersonMention], titles: list[Title]) -> None:
    used: set[int] = set()
    starts_of_names = {p.start for p in people}
    by_start = {t.start: t for t in titles}
    by_end = {t.end: t for t in titles}
    for p in people:  # apposition: "Name, Title, Title;" — up to a title that belongs to the next name
        m = _SEP_AFTER_NAME.match(text, p.end)
        first = by_start.get(m.end()) if m else None
        if first is None and m is not None:  # "Name, Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc": a bare role first
            bare = _bare_role().match(text, m.end())
            first = by_start.get(bare.end()) if bare else None
        if first is None or _list_of_titled_names(text, p, first, by_start, by_end, starts_of_names) \
                or re.search(rf"(?<!\w){_PLURAL}\s+$", text[:first.start]):
            continue  # "Thủ tướng A, các Phó Thủ tướng Chính phủ …": others, not an apposition
        p.titles.extend(_former_chain(text, _chain(text, first, titles, used,
                                                   stop=lambda t: _precedes_name(text, t, starts_of_names))))
    _lists(text, people, titles, used)
    _appointments(text, people, [t for t in titles if not _precedes_name(text, t, starts_of_names)], used)
    mark_ended(text, people, titles, used)
    for p in people:  # pre-titles: "Title, Title Name"
        t = by_end.get(p.start - 1) or by_end.get(p.start) or _before_rank(text, p.start, by_end)
        while t is not None and id(t) not in used:
            p.titles.insert(0, t)
            used.add(id(t))
            t = next((u for u in titles if u.end <= t.start and _SEP_BEFORE.match(text[u.end:t.start])), None)
    mark_past(text, people)
    mark_terms(text, people)
    mark_disciplined(text, people)
    mark_transferred(text, people)


_NGUYEN = re.compile(r"(?:nguyên|cựu)\s", re.IGNORECASE)


def _former_chain(text: str, chain: list[Title]) -> list[Title]:
    """"X, nguyên Ủy viên Ban Thường vụ Huyện ủy, Phó Chủ tịch UBND huyện Y": "nguyên" before a chain
    of titles covers the whole chain — each party or state post after it is former too, up to a
    "hiện là"/"nay là" (an association's post after it — "nguyên Phó Chủ tịch nước, Chủ tịch Hội …"
    — is the person's now, and keeps the chain current from there)."""
    out, former = [], False
    for i, t in enumerate(chain):
        if i and re.search(r"(?<!\w)(?:hiện|nay|đang)(?!\w)", text[chain[i - 1].end:t.start]):
            former = False
        if t.former and _NGUYEN.match(text, t.start):
            # "nguyên Chủ tịch UBND tỉnh A, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh B": a chain that goes on to
            # another province's posts tells the old post, then the new ones
            where = _province_of(t)
            former = not any(_province_of(u) not in (None, where) for u in chain[i + 1:] if u.body.explicit)
        elif former and not t.former:
            if t.body.kind in ("party", "state"):
                t = replace(t, former=True)
            else:
                former = False
        out.append(t)
    return out


@lru_cache(maxsize=1)
def _rank_before() -> re.Pattern:
    words = gz.alternation([h for h in gz.lexicon()["honorifics"] if (h[0].isupper() or " " in h) and h != "Chủ tịch"])
    return re.compile(rf"\s*,?\s*(?:{words})\.?\s*$")


def _before_rank(text: str, at: int, by_end: dict):
    """"Phó Chủ tịch Quốc hội, Thượng tướng X", "Giám đốc Sở Y tế, PGS.TS X": a rank or degree
    between a title and the name does not part them."""
    m = _rank_before().search(text, max(0, at - 40), at)
    t = by_end.get(m.start()) if m else None
    # not a title spoken to or of ("Thưa Bộ trưởng, Đại tá X …"): it opens an item
    return t if t is not None and re.search(r"(?:^|[;:,(]|\b(?:có|gồm|là|và))\s*$", text[:t.start]) else None


@lru_cache(maxsize=1)
def _bare_role() -> re.Pattern:
    """A role without a body the gazetteer knows, which a chain of titles passes over: "Bộ trưởng, …",
    "Bí thư Đảng ủy, Giám đốc Sở …", "Bí thư Chi bộ, Giám đốc …", "Phó Bí thư Thường trực Đảng ủy, Đại biểu …"."""
    return re.compile(rf"(?:(?:Phó )?Bí thư(?: Thường trực)? (?:Chi bộ|Đảng ủy|Đảng bộ)(?: (?:Sở|cơ quan|khối)\b[^,;]{{0,40}})?|"
                      rf"{gz.alternation(gz.lexicon()['roles'])})\s*[,–-]\s*")


def _list_of_titled_names(text: str, p: PersonMention, first: Title, by_start: dict, by_end: dict,
                          name_starts: set[int]) -> bool:
    """"Phó Thủ tướng A, Phó Thủ tướng - Bộ trưởng Bộ Tài chính B": a name that its title precedes,
    followed by titles that run into the next name, is an item of a list of "Title Name"; the
    titles after it are the next name's, not an apposition of this one."""
    if (by_end.get(p.start - 1) or by_end.get(p.start)) is None:
        return False
    t = first
    while t is not None:
        if _precedes_name(text, t, name_starts):
            return True
        m = _SEP_TITLES.match(text, t.end)
        t = by_start.get(m.end()) if m else None
    return False


_PLURAL = r"(?:[Cc]ác|[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|[Nn]hững|\d{1,2})"


def _plural_before(text: str, t: Title, strict: bool = False) -> bool:
    """"các đồng chí Phó Bí thư Tỉnh ủy:", "Các Ủy viên Bộ Chính trị:", "3 Phó Bí thư Tỉnh ủy", "Các
    đồng chí được bầu làm … gồm:" — a title for several. `strict`: only a plural word before it."""
    before = text[:t.start]
    if re.search(rf"(?<!\w){_PLURAL}\s+(?:đồng chí\s+|ông\s+|bà\s+)?$", before) or \
            re.search(rf"(?<!\w){_PLURAL} (?:đồng chí|ông|bà)\b[^.;:]{{0,60}}$", before):
        return True
    return not strict and bool(re.match(r"\s*(?:gồm|là)", text[t.end:]))


# what may stand between two names that share one verb: a comma or "và", and a parenthesis
# saying who one of them is ("các ông A, B (Chủ tịch UBND tỉnh), C giữ chức …")
_BETWEEN_NAMES = re.compile(r"\s*(?:\([^()]{0,120}\)\s*)?(?:,|và|cùng)\s*(?:các |hai |ba )?(?:đồng chí|ông|bà)?\s*")


def _appointments(text: str, people: list[PersonMention], titles: list[Title], used: set[int]) -> None:
    """"A và B được bầu giữ chức Phó Bí thư Tỉnh ủy": the title goes to the people before the verb."""
    for t in titles:
        before = [p for p in people if p.end <= t.start]
        if id(t) in used or not before or not (APPOINT.search(text[max(0, t.start - 40):t.start])
                                                or _said_of(text[before[-1].end:t.start], t)):
            continue
        group = [before[-1]]
        # "bà A, Giám đốc Sở …, và ông B, Bí thư Đảng ủy xã …, được bầu": names with their titles, the
        # last title closed by a comma before the verb
        titled = bool(re.match(r"[^,]*,\s*(?:đã |vừa )?(?:được|đắc cử|trúng cử)|\s*(?:\([^()]{0,30}\)\s*)?(?:giữ chức|làm)\b",
                               text[chain_end(text, group[-1]):t.start]))
        for p in reversed(before[:-1]):
            between = text[p.end:group[0].start]
            if not (_BETWEEN_NAMES.fullmatch(between) or titled and chain_end(text, p) > p.end
                    and _BETWEEN_NAMES.fullmatch(text[chain_end(text, p):group[0].start])):
                break
            group.insert(0, p)
        if _FOR_WHOM.match(text, t.end) or _APPROVER.match(text, group[-1].end, t.start):
            continue  # "Y phê chuẩn kết quả bầu Chủ tịch HĐND tỉnh đối với ông X": X's post, not Y's
        chain = _chain(text, t, titles, used)
        if _UNTIL.search(text[group[-1].end:t.start]):
            continue  # "giao quyền Chủ tịch … cho đến khi … phê chuẩn kết quả bầu Chủ tịch": a vote to come
        if _NOMINATED.search(text[group[-1].end:t.start]) or _IN_PRINCIPLE.search(text[max(0, group[0].start - 120):group[0].start]):
            continue  # "giới thiệu đồng chí X để HĐND bầu làm Chủ tịch UBND": a nomination, no post yet
        for p in group:
            _supersede(p, chain, text)
            p.titles.extend(chain)


_UNTIL = gz.needing(re.compile(r"(?<!\w)(?:cho đến khi|cho tới khi|đến khi|tới khi|trong khi chờ|chờ)(?!\w)[^.;]*$"))
_FOR_WHOM = re.compile(r"\s*,?\s*(?:khóa\s+[IVXLC\d]+\s*,?\s*)?(?:nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4}\s*,?\s*)?đối với(?:\s+(?:các |hai |ba )?(?:ông|bà|đồng chí)\b|\s*$)")


# "Thủ tướng X vừa ký quyết định phê chuẩn kết quả bầu Chủ tịch UBND tỉnh …": the approver's act, not his post
_APPROVER = re.compile(r"(?:(?!được)[^.;])*(?:phê chuẩn|chuẩn y)\s+(?:việc\s+)?kết quả\s+(?:bầu|bỏ phiếu)\s*(?:chức(?: vụ| danh)?\s*)?$")


def _said_of(between: str, t: Title) -> bool:
    """"X là Bí thư Huyện ủy Y", "X thôi giữ chức Thứ trưởng …": a title said of the name right before it."""
    return bool(re.fullmatch(r"\s*(?:hiện |hiện nay |đang |vẫn )?là\s*", between)
                or t.former and re.fullmatch(r"\s*(?:được |đã |xin )?", between))


# "Ban Bí thư có chủ trương luân chuyển ông X về giữ chức Bí thư Tỉnh ủy": a decision in
# principle, announced before the appointment itself; the post is not held yet
_IN_PRINCIPLE = gz.needing(re.compile(r"(?:có|đồng ý|thống nhất|theo)\s+chủ trương\b[^.;]*$"))
_NOMINATED = re.compile(r"(?:giới thiệu|đề cử|đề nghị|dự kiến|ứng cử|quy hoạch)|để\s[^,;.]{0,40}(?:bầu|phê chuẩn|bổ nhiệm)",
                        re.IGNORECASE)


def _supersede(p: PersonMention, new: list[Title], text: str = "") -> None:
    """A new post in a body ends the person's other post in it ("Thứ trưởng …, giữ chức Bộ trưởng …");
    a new post in a province ends the person's posts in another province's bodies ("X, Bí thư
    Tỉnh ủy Thái Nguyên, được chỉ định giữ chức Bí thư Tỉnh ủy Lào Cai")."""
    p.titles[:] = [replace(t, former=True) if t not in new and any(_ends(n, t) or _next_step(n, t, text) for n in new) else t
                   for t in p.titles]


def _next_step(new: Title, old: Title, text: str) -> bool:
    """"được bổ nhiệm Giám đốc Sở …; tháng 5/2018 giữ chức Phó Chủ tịch UBND tỉnh": in a career told
    as appointments, the chair or a vice-chair of the People's Committee leaves the department the
    earlier appointment gave. (A department head named beside the name — "bà A, Giám đốc Sở …, được
    bầu …" — keeps it until the text says otherwise.)"""
    return new.role in _EXECUTIVE and new.body.label.startswith("Ủy ban nhân dân") and old.body.label.startswith("Sở ") \
        and old.start < new.start and bool(APPOINT.search(text[max(0, old.start - 40):old.start]))


_EXECUTIVE = ("Chủ tịch", "Phó Chủ tịch", "Phó Chủ tịch Thường trực")


def _ends(new: Title, old: Title) -> bool:
    """Whether taking post `new` ends post `old`: another role in the same body (a seat, Ủy viên,
    goes with any); a post in another province; a provincial post ends district-level posts (a
    promotion from a district or city)."""
    if new.role.startswith("Quyền "):
        return False  # an acting head keeps the post that made them one ("Phó Chủ tịch …, giao quyền Chủ tịch")
    if new.body.key == old.body.key:  # the standing deputy is still a deputy: "Phó Bí thư Thường trực" stays
        return new.role != old.role and "Ủy viên" not in (new.role, old.role) \
            and old.role.removesuffix(" Thường trực") != new.role
    if _incompatible(new, old) or _incompatible(old, new):
        return True  # the standing body of a People's Council and the People's Committee it oversees
    if old.body.term and new.body.term and _term(old.body.term) < _term(new.body.term):
        return True  # "Chủ nhiệm UBKT Tỉnh ủy khóa XV, đắc cử Phó Bí thư Tỉnh ủy khóa XVI"
    mine, theirs = _province_of(new), _province_of(old)
    if mine and theirs and mine != theirs:
        return True
    # (a department head elected vice-chair of the People's Committee is, until the article says
    # otherwise, still the department's head: the genre states the new post, not the leaving)
    return _level(new) == "Province" and _level(old) == "District" and mine == theirs and old.role != "Ủy viên"


def _incompatible(council: Title, committee: Title) -> bool:
    """"X, Phó Chủ tịch UBND tỉnh, được bầu giữ chức Chủ tịch HĐND tỉnh": the chair and vice-chairs of a
    People's Council may not sit on the People's Committee of the same place — election to one ends
    the other."""
    return council.role in _EXECUTIVE and council.body.label.startswith("Hội đồng nhân dân") \
        and committee.body.label.startswith("Ủy ban nhân dân") and council.body.place is not None \
        and committee.body.place is not None and council.body.place.key == committee.body.place.key


def _term(term: str) -> int:
    from .documents import roman
    return int(term) if term.isdigit() else roman(term)


def _level(t: Title) -> str | None:
    return t.body.place.kind if t.body.place is not None else None


def _province_of(t: Title) -> str | None:
    place = t.body.place
    while place is not None and place.kind != "Province":
        place = place.parent
    return place.label if place is not None else None


def _chain(text: str, first: Title, titles: list[Title], used: set[int],
           stop: Callable[[Title], bool] = lambda t: False) -> list[Title]:
    """`first` and the titles that follow it joined by commas, "kiêm" or dashes, up to a used
    title or one `stop` says ends the chain."""
    by_start = {t.start: t for t in titles}
    out, t = [], first
    while t is not None and id(t) not in used and not stop(t):
        out.append(t)
        used.add(id(t))
        m = _SEP_TITLES.match(text, t.end)
        t = by_start.get(m.end()) if m else None
        if t is None and m is not None and (bare := _bare_role().match(text, m.end())):
            t = by_start.get(bare.end())
    return out


_LIST_AFTER = re.compile(r"(?:\s+mới)?(?:\s*,?\s*(?:khóa\s+(?:[IVXLC]+|\d{1,2})|nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4}))*\s*,?\s*"
                         r"(?:(?P<kw>gồm có|gồm|là)(?:\s+(?:các|hai|ba)?\s*(?:đồng chí|ông|bà))?\s*)?(?P<colon>:)?\s*")


def _lists(text: str, people: list[PersonMention], titles: list[Title], used: set[int]) -> None:
    """"Các đồng chí được bầu làm Phó Bí thư Tỉnh ủy gồm: A, …; B, …", "chuẩn y 3 Phó Bí thư
    Tỉnh ủy, nhiệm kỳ 2025-2030, gồm các ông: A; B; C", "hai Phó Chủ tịch UBND tỉnh là ông A và
    ông B": the title goes to each person listed after it."""
    for t in titles:
        m = _LIST_AFTER.match(text, t.end)
        if m is None or id(t) in used or not (m.group("colon") or m.group("kw")):
            continue
        if not _plural_before(text, t, strict=not m.group("colon")):
            continue
        stop = _list_end(text, m.end(), titles)
        for p in people:
            if m.end() <= p.start < stop:
                p.titles.append(t)
        used.add(id(t))
    _titled_lists(text, people, titles, used)


def _list_end(text: str, start: int, titles: list[Title]) -> int:
    """Where a list opened at `start` ends: at the first semicolon after its last item, the one
    "và" joins ("Các đồng chí Ủy viên Bộ Chính trị: A và B; đồng chí Phó Thủ tướng C …") — a "và"
    inside a title ("Sở Giáo dục và Đào tạo") joins nothing."""
    for semi in re.finditer(";", text[start:]):
        end = start + semi.start()
        if any(not any(t.start <= start + m.start() < t.end for t in titles) for m in re.finditer(r"\svà\s", text[start:end])):
            return end
    return len(text)


def _titled_lists(text: str, people: list[PersonMention], titles: list[Title], used: set[int]) -> None:
    """"các Phó Thủ tướng Chính phủ A, B, C và D": a plural title before a list of names goes to
    every name of the list."""
    for t in titles:
        if id(t) in used or not _plural_before(text, t, strict=True):
            continue
        group = [p for p in people if p.start in (t.end, t.end + 1)]
        for p in people:
            if group and p.start > group[-1].end and re.fullmatch(r"\s*(?:,|và)\s*(?:ông|bà|đồng chí)?\s*", text[group[-1].end:p.start]):
                group.append(p)
        if len(group) > 1:
            for p in group:
                p.titles.append(t)
            used.add(id(t))


def _precedes_name(text: str, t: Title, name_starts: set[int]) -> bool:
    return t.end + 1 in name_starts or t.end in name_starts
