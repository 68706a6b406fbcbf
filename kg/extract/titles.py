"""Titles: a role and the body it is held in, as the genre writes them.

"Phó Trưởng Ban Tuyên giáo Trung ương" → role "Phó Trưởng ban", body "Ban Tuyên giáo Trung ương";
"Bí thư Tỉnh ủy" → role "Bí thư", body the article's "Tỉnh ủy X"; "Ủy viên Trung ương Đảng",
"Thường trực Ban Bí thư", "Tỉnh ủy viên", "Thủ tướng" come whole from the fixed titles of the
lexicon. "nguyên …" and "thôi giữ chức …" mark a title as former. Takes sentence text and a
:class:`Scope`; returns :class:`Title` mentions. It does not attach titles to people.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from . import gazetteer as gz
from .compiled import remembered
from .bodies import BodyRef, Scope, Title, _fill, body_regex, central, cut_district, district_body, match_body, resolved

_FORMER = (r"(?:(?P<former>nguyên|Nguyên|cựu|Cựu|thôi giữ chức|thôi giữ các chức vụ|thôi làm|thôi tham gia|"
           r"miễn nhiệm(?: chức vụ| chức danh| chức)?|cho thôi(?: giữ)? chức(?: vụ| danh)?|bãi nhiệm(?: chức vụ| chức danh)?)\s+)?")


@lru_cache(maxsize=1)
def title_regex() -> re.Pattern:
    return remembered("titles", _title_regex_text)


def _title_regex_text() -> str:
    body = re.sub(r"\(\?P<\w+>", "(?:", body_regex().pattern)
    body = re.sub(r"\(\?P=\w+\)", "", body)
    # a body or a ministry never starts a title (a role comes first): the look-ahead is read
    # from the pattern without them
    return gz.starting(_title_pattern(body, gz.alternation(_ministries())), _title_pattern("x", "x"))


def _title_pattern(body: str, ministries: str) -> str:
    lex = gz.lexicon()
    fixed = gz.alternation([t[0] for t in lex["fixed_titles"]], nocase=True)  # these three are read in no case
    roles = gz.alternation(lex["roles"], nocase=True)
    heads = gz.alternation(lex["head_roles"], nocase=True)
    abbreviations = gz.alternation(lex["role_abbreviations"])
    return (
        rf"{_FORMER}(?:(?P<role>(?i:{roles})|{abbreviations}|{_COUNCIL_SEAT})\s+(?P<body>{body})"
        rf"|(?P<fixed>(?i:{fixed}))(?!\w)"
        rf"|(?P<mrole>(?i:Bộ trưởng|Thứ trưởng Thường trực|Thứ trưởng))\s+(?P<ministry>{ministries})(?!\w)"
        rf"|(?P<hrole>(?i:{heads}))\s+(?P<hbody>{body}))"
    )


# a seat in a people's council, capitalised as a title ("…, Đại biểu HĐND xã X"); lower-case
# "các đại biểu HĐND tỉnh" are the delegates of a session, not a post
_COUNCIL_SEAT = r"Đại biểu(?=\s+(?:Hội đồng nhân dân|HĐND)\b)"


def _ministries() -> list[str]:
    """Ministries without their "Bộ", as "Bộ trưởng Ngoại giao", "Thứ trưởng Công an" name them."""
    return [label[len("Bộ "):] for label in gz.central_bodies() if label.startswith("Bộ ")
            and not label.startswith(("Bộ Chính trị", "Bộ Chỉ huy", "Bộ Tư lệnh", "Bộ Tổng"))]


def find_titles(text: str, scope: Scope) -> list[Title]:
    """Every title in `text`, leftmost-longest, each resolved to a role and a body; and the
    seats "tham gia Ban Chấp hành, Ban Thường vụ" gives (:func:`memberships`)."""
    titles = distribute(text, resolved(title_regex(), text, lambda m: _resolve(m, scope)))
    titles += composition(text, titles, scope)
    titles += elected_roles(text, titles, scope)
    titles = [_acting(text, t) for t in titles]
    return sorted(titles + memberships(text, titles, scope), key=lambda t: t.start)


# "giao quyền Chủ tịch UBND tỉnh", "Quyền Giám đốc Sở …": an acting head, not the head
_ACTING = gz.needing(re.compile(r"(?:(?<=giao )|(?<=Giao )|(?<!\w)(?=Quyền))[Qq]uyền\s+$"))


def _acting(text: str, t: Title) -> Title:
    m = _ACTING.search(text, max(0, t.start - 12), t.start)
    if m is None or t.former or t.role not in ("Chủ tịch", "Giám đốc", "Bộ trưởng", "Thủ tướng", "Trưởng ban", "Chánh án",
                                               "Viện trưởng", "Tổng Giám đốc", "Cục trưởng", "Chủ nhiệm"):
        return t
    return replace(t, role="Quyền " + t.role)


# a party role named without its committee, as results of an election give it
_ELECTED_ROLE = re.compile(r"(?<!\w)(?P<role>(?i:Phó Bí thư Thường trực|Phó Bí thư|Bí thư))(?!\w)")
# "Hai Phó Bí thư là đồng chí A …", "Các Phó Bí thư gồm: A, B"
_NAMES_FOLLOW = re.compile(r"\s*(?:là|gồm(?: có)?)\s*:?\s*(?:các |hai |ba )?(?:đồng chí|ông|bà)?\s*[A-ZĐ]")
_COUNTED = re.compile(r"(?<!\w)(?:[Hh]ai|[Bb]a|[Bb]ốn|[Cc]ác|\d)\s+$")
# "được bầu giữ chức Phó Bí thư.", "tái đắc cử Bí thư, nhiệm kỳ …": the role closes the clause
_CLOSED = re.compile(r"\s*(?:[,.;)]|$|nhiệm kỳ\b|khóa\b|khoá\b|với\b)")
_ELECTED_BEFORE = gz.needing(re.compile(r"(?:(?:được|đã được|vừa được)\s+(?P<by>[^,.;]{3,60}?)\s+)?(?:bầu|tái đắc cử|tái cử|đắc cử|trúng cử)"
                                        r"(?:\s+(?:lại|bổ sung))?(?:\s+(?:giữ chức(?: vụ| danh)?|làm|chức(?: vụ| danh)?))?\s*$"))


def elected_roles(text: str, titles: list[Title], scope: Scope) -> list[Title]:
    """"Hai Phó Bí thư là đồng chí A và đồng chí B", "đồng chí C được bầu giữ chức Phó Bí thư": a
    party role named without its committee in the results of an election is a role in the
    committee that elected: the one named as the elector ("được Ban Chấp hành Đảng bộ tỉnh bầu giữ
    chức Phó Bí thư"), else the committee whose congress or conference the article reports."""
    out = []
    for m in _ELECTED_ROLE.finditer(text):
        if any(t.start <= m.start() < t.end or m.start() <= t.start < m.end() for t in titles):
            continue
        before = text[max(0, m.start() - 90):m.start()]
        elected = _ELECTED_BEFORE.search(before)
        listed = _COUNTED.search(before) and _NAMES_FOLLOW.match(text, m.end())
        bare = re.match(r"\s+Đảng ủy(?=\s*[,.;)]|\s*$)", text[m.end():])  # "được bầu làm Phó Bí thư Đảng ủy, …"
        if not (listed or elected and _CLOSED.match(text, m.end() + (bare.end() if bare else 0))):
            continue
        body = scope.committee
        if elected and elected.group("by"):
            by = match_body(cut_district(elected.group("by")), scope)
            if by is not None and by.kind == "party":
                while by.relation == "part" and by.parent is not None and not _committee_label(by.label):
                    by = by.parent
                body = by if _committee_label(by.label) or by.label.startswith("Đảng ủy") else body
        if body is None:
            continue
        end = m.end() + (bare.end() if bare else 0)
        out.append(Title(m.start(), end, _role_label(m.group("role")), body, False, text[m.start():end]))
    return out


_COMPOSED = re.compile(r"\s+(?:hiện\s+)?gồm(?:\s+có)?\s*:?\s*")
_BARE_ROLE = re.compile(r"(?<!\w)(?P<role>(?i:Phó Bí thư Thường trực|Phó Bí thư|Bí thư))(?!\w)(?!\s+[A-ZĐ][\w]*\s+ủy)")


def _committee_label(label: str) -> bool:
    return gz.fold(label).split()[0] in ("tinh", "thanh", "huyen", "quan", "thi") and gz.fold(label).split()[1] == "uy"


def composition(text: str, titles: list[Title], scope: Scope) -> list[Title]:
    """"Thường trực Tỉnh ủy gồm Bí thư A và ba phó bí thư: B, C …": the roles a committee's
    composition lists without their body are that committee's."""
    out = []
    if "gồm" not in text:  # no composition listed: spare the scan
        return out
    for m in body_regex().finditer(text):
        listed = _COMPOSED.match(text, m.end())
        body = match_body(cut_district(m.group()), scope) if listed else None
        while body is not None and body.relation == "part" and not _committee_label(body.label):
            body = body.parent  # "Thường trực Thành ủy", "Ban Thường vụ Tỉnh ủy": of the committee
        if body is None or body.kind != "party" or not _committee_label(body.label):
            continue
        stop = re.compile(r"\.(?:\s|$)").search(text, listed.end())
        for r in _BARE_ROLE.finditer(text, listed.end(), stop.start() if stop else len(text)):
            if not any(t.start <= r.start() < t.end for t in titles):
                out.append(Title(r.start(), r.end(), _role_label(r.group("role")), body, False, m.group()))
    return out


_MEMBERSHIP = gz.needing(re.compile(r"(?P<former>thôi\s+)?tham gia(?:\s+vào)?\s+"))
_SEAT = re.compile(r"(?P<seat>Ban Chấp hành|BCH|Ban Thường vụ|BTV)(?:\s+(?:Đảng bộ tỉnh|Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|Quận ủy))?"
                   r"(?=\s*(?:,|và\b|;|\.|$|nhiệm kỳ|khóa|để|từ))(?P<sep>\s*(?:,|và)\s*)?")


def memberships(text: str, titles: list[Title], scope: Scope) -> list[Title]:
    """"chỉ định tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Bí thư Tỉnh ủy Nam Định": a seat
    (Ủy viên) in the province's committee and standing committee — the province of the post named
    next, else the article's; "thôi tham gia …": seats left."""
    out = []
    for m in _MEMBERSHIP.finditer(text):
        at = m.end()
        later = next((t for t in titles if t.start >= at and t.body.place is not None and t.body.place.kind == "Province"), None)
        province = gz.province_by_fold(later.body.place.label) if later else scope.province
        if province is None:
            continue
        seats = []
        if (joined := _joined_committee(text, at, scope)) is not None:  # "tham gia Đảng ủy Quân khu 4"
            out.append(replace(joined, former=bool(m.group("former"))))
            continue
        while (seat := _SEAT.match(text, at)) is not None:
            head = "Tỉnh ủy" if seat.group("seat") in ("Ban Chấp hành", "BCH") else "Ban Thường vụ Tỉnh ủy"
            body = _fill(next(t.label for t in gz.templates() if head in t.heads), province, scope)
            seats.append(Title(seat.start(), seat.end("seat"), "Ủy viên", body, bool(m.group("former")), seat.group("seat")))
            at = seat.end()
            if not seat.group("sep"):
                break
        seats = _district_seats(text, at, seats, titles, scope)
        if not re.match(r"\s*(?:Ban Chấp hành|BCH|Ban Thường vụ|BTV)\b", text[at:]):  # else: another body's seats
            # "chỉ định tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Bí thư": the seat in the
            # standing committee says the seat in the committee (membership carries up), and is the
            # one stated; it spans the run so the chain of titles passes through it.
            standing = [s for s in seats if not s.former and s.body.label.startswith("Ban Thường vụ")]
            if standing:
                seats = [s for s in seats if s.former] + [replace(s, start=seats[0].start) for s in standing]
            out += seats
    return out


def _district_seats(text: str, at: int, seats: list[Title], titles: list[Title], scope: Scope) -> list[Title]:
    """"tham gia Ban Chấp hành, Ban Thường vụ, giữ chức Phó Bí thư Huyện ủy X": the seats are in the
    committee of the post named right after them — a district's, when it is a district committee."""
    nxt = next((t for t in titles if t.start >= at), None)
    if not seats or nxt is None or nxt.body.kind != "party" or nxt.body.place is None \
            or nxt.body.place.kind != "District" or not nxt.body_text \
            or not re.fullmatch(r"\s*(?:,|và)?\s*(?:thôi\s+)?(?:(?:giữ|đảm nhận|đảm nhiệm) chức(?: vụ| danh)?|làm)\s*", text[at:nxt.start]):
        # "Ban Thường vụ Huyện ủy" with no district post after it to say which: not the province's seat
        return [] if any(re.match(r"\s+(?:Huyện ủy|Thị ủy|Quận ủy)", text[s.end:]) for s in seats) else seats
    out = []
    for s in seats:
        if s.body.label.startswith("Ban Thường vụ"):
            found = find_titles(f"Ủy viên Ban Thường vụ {nxt.body_text}", scope)
            body = found[0].body if found and found[0].body.label.startswith("Ban Thường vụ") else None
        else:
            body = nxt.body
        out.append(replace(s, body=body) if body is not None else s)
    return out


def _joined_committee(text: str, at: int, scope: Scope) -> Title | None:
    """"chỉ định ông A tham gia Đảng ủy Quân khu 4": a seat (Ủy viên) in the named party
    committee ("Đảng ủy …", "Quân ủy …"), which a provincial secretary is given with the post."""
    m = body_regex().match(text, at)
    if m is None or not re.match(r"(?:Đảng ủy|Quân ủy)\s", m.group()):
        return None
    body = match_body(cut_district(m.group()), scope)
    if body is None or body.kind != "party":
        return None
    return Title(m.start(), m.start() + len(cut_district(m.group())), "Ủy viên", body, False, m.group())


def _resolve(m: re.Match, scope: Scope) -> Title | None:
    former = bool(m.group("former"))
    start = m.start("former") if former else m.start()
    end = m.end()
    if m.group("fixed"):
        role, body = _fixed(m.group("fixed"), scope)
        body_text = m.group("fixed")
    elif m.group("mrole"):
        body_text = "Bộ " + " ".join(m.group("ministry").split())
        role, body = " ".join(m.group("mrole").split()), central(gz.central_by_label(body_text))
    elif m.group("role") and _spells_fixed(m):  # "Bí thư Trung ương Đảng": a fixed title, not "Bí thư" of a body
        body_text = m.group()[m.start("role") - m.start():]
        role, body = _fixed(body_text, scope)
    elif m.group("role"):
        body_text = cut_district(m.group("body"))
        role, body = " ".join(m.group("role").split()), match_body(body_text, scope)
        end = m.start("body") + len(body_text)
    else:
        body_text = cut_district(m.group("hbody"))
        body = match_body(body_text, scope)
        role = _head_role(m.group("hrole"), body_text)
        end = m.start("hbody") + len(body_text)
    if body is None or role is None:
        return None
    return Title(start, end, _role_label(role), body, former, body_text)


def _spells_fixed(m: re.Match) -> bool:
    phrase = m.group()[m.start("role") - m.start():]
    return any(gz.body_key(t[0]) == gz.body_key(phrase) for t in gz.lexicon()["fixed_titles"])


def in_province(t: Title, scope: Scope) -> Title:
    """The title re-read with another province (one its neighbours in the chain name)."""
    if t.body.explicit:
        return t
    body = match_body(t.body_text, scope) or _fixed(t.body_text, scope)[1]
    return replace(t, body=body) if body is not None else t


def _role_label(role: str) -> str:
    """One spelling per role: "Trưởng Ban" → "Trưởng ban", "Trưởng Đoàn" → "Trưởng đoàn", "phó bí thư" → "Phó Bí thư",
    "Phó Bí thư TT" → "Phó Bí thư Thường trực"."""
    role = gz.lexicon()["role_abbreviations"].get(role, role)
    role = next((r for r in gz.lexicon()["roles"] if r.lower() == role.lower()), role)
    return re.sub(r"(Trưởng) (Ban|Đoàn)", lambda m: f"{m.group(1)} {m.group(2).lower()}", role)


@lru_cache(maxsize=1)
def _shared_role() -> re.Pattern:
    """A bare role and the dash after it, at the end of the text before a title."""
    return re.compile(rf"(?:^|[\s,;(])(?P<role>{gz.alternation(gz.lexicon()['roles'])})\s*[-–]\s*$")


def distribute(text: str, titles: list[Title]) -> list[Title]:
    """"Phó Chủ tịch - Tổng Thư ký Ủy ban …": a bare role joined by a dash shares the body that follows."""
    out = list(titles)
    for t in titles:
        before = text[:t.start]
        m = _shared_role().search(before) if before.rstrip().endswith(("-", "–")) else None
        if m and not any(u.start <= m.start("role") < u.end for u in titles):
            out.append(Title(m.start("role"), t.end, _role_label(" ".join(m.group("role").split())), t.body, t.former,
                             t.body_text))
    return sorted(out, key=lambda t: t.start)


def _fixed(phrase: str, scope: Scope) -> tuple[str, BodyRef | None]:
    key = gz.body_key(phrase)
    for t_phrase, role, body in gz.lexicon()["fixed_titles"]:
        if gz.body_key(t_phrase) == key:
            if body.startswith("{district:"):  # "Huyện ủy viên": the district its neighbour in the chain names
                return role, district_body(body[len("{district:"):-1], "", scope)
            if "{" in body:  # filled from the article, as an unqualified "Tỉnh ủy" is
                return role, replace(_fill(body, scope.province, scope), explicit=False)
            return role, central(gz.central_by_label(body))
    return phrase, None


def _head_role(hrole: str, body_text: str) -> str | None:
    """"Trưởng" + "ban Tổ chức …" → "Trưởng ban"; "Chánh" + "Văn phòng …" → "Chánh Văn phòng";
    "phó trưởng" is "Phó Trưởng"; "Phó" + "ban Tổ chức …" → "Phó Trưởng ban" (a bare "Phó" heads
    only a Ban)."""
    heads = gz.lexicon()["head_roles"]
    written = next((h for h in heads if h.lower() == " ".join(hrole.split()).lower()), hrole)
    hrole = heads.get(written, written)
    for noun in gz.lexicon()["head_nouns"]:
        if gz.fold(body_text).startswith(gz.fold(noun) + " ") or gz.fold(body_text) == gz.fold(noun):
            word = noun.lower() if noun in ("Ban", "Đoàn") else noun
            return f"{hrole} {word}" if written != "Phó" or noun == "Ban" else None
    return hrole if written != "Phó" else None
