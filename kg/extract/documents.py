"""Documents a sentence names: numbered ("Nghị quyết số 11-NQ/TW ngày 10-2-2022 của Bộ Chính trị
về …"), short ("Chỉ thị số 12 của Ban Thường vụ Tỉnh ủy"), and named without a number
(congress resolutions, provincial plans, "Chương trình hành động số 02"); and which cites or
implements which ("Kế hoạch số 129-KH/TU thực hiện Nghị quyết số 11-NQ/TW").

Identity: a numbered document is its number within its series' scope (national, or the
province's); a short form of a known issuer resolves to the same key as its full number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer as gz
from .bodies import BodyRef, Scope, central
from .collect import Collector
from .citing import cite
from .numbers import find_numbers, kind_of_code
from .sentence import Analysed
from .shortforms import find_bare_numbers


@dataclass(frozen=True)
class DocMention:
    start: int
    end: int
    key: tuple[str, ...]


@lru_cache(maxsize=1)
def _kinds() -> dict[str, tuple[str, str]]:
    return {k: tuple(v) for k, v in gz.lexicon()["document_kinds"].items()}


@lru_cache(maxsize=1)
def _kind_re() -> re.Pattern:
    words = gz.alternation(list(_kinds()) + [k.lower() for k in _kinds()])
    # the kind, then a name that starts with a capital ("Luật Tổ chức Quốc hội số 57/2014/QH13")
    return re.compile(rf"(?P<kind>{words})(?P<name>\s+[A-ZĐ][\wà-ỹ]*(?:\s+(?!số\b)[\wà-ỹ]+){{0,8}}?"
                      rf"(?:\s+\((?:sửa đổi|bổ sung)\))?)?(?:\s+(?:liên tịch\s+)?số)?\s*$")


_SHORT = re.compile(r"(?P<kind>Nghị quyết|Chỉ thị|Kết luận|Kế hoạch|Chương trình hành động|Chương trình|Thông báo|Đề án|Quy định)"
                    r"\s+(?:số\s+)?(?P<seq>\d{1,4})(?![\d/\-–\w])")
_CONGRESS = gz.needing(re.compile(r"[Nn]ghị quyết Đại hội(?: đại biểu)?(?: toàn quốc)?(?P<party> Đảng bộ (?:tỉnh|thành phố|Thành phố|TP\.?)(?: ?(?P<prov>[A-ZĐ][\wà-ỹ]*(?: [A-ZĐ][\wà-ỹ]*){0,3}?))?)?"
                                  r"(?: lần thứ)? (?P<ord>[IVXLC]+)(?P<of> của Đảng bộ (?:tỉnh|thành phố)| của Đảng)?(?!\w)"))
_PLAN = re.compile(r"Quy hoạch (?P<unit>tỉnh|thành phố)(?: (?P<prov>[A-ZĐ][\wà-ỹ]*(?: [A-ZĐ][\wà-ỹ]*){0,2}))? thời kỳ (?P<period>\d{4}\s*[-–]\s*\d{4})"
                   r"(?:,? tầm nhìn (?:đến năm )?(?P<vision>\d{4}))?")
_STOP = r"đã|được|sẽ|đối với|và|với|nhằm|để|là|có|gồm|tại|do|đặt|xác định|nêu|đề ra|cho|không|trong|vào|khi|này|đó|trên|như|ban hành kèm theo|kèm theo"
_GENERIC = re.compile(
    r"(?<![\w/])(?:(?P<draft>[Dd]ự thảo)\s+(?=(?i:báo cáo|nghị quyết|kế hoạch|đề án|luật|quy định|chương trình)))?"
    r"(?P<kind>Báo cáo giải trình, tiếp thu, chỉnh lý|Báo cáo giải trình, tiếp thu|Báo cáo thẩm tra|"
    r"(?<=[Dd]ự thảo )(?:báo cáo|nghị quyết|kế hoạch|đề án|luật|quy định|chương trình)|"
    r"(?:Luật|Nghị định|Nghị quyết|Pháp lệnh|Thông tư) sửa đổi, bổ sung(?= một số điều| điều| (?:Luật|Nghị định|Nghị quyết|Pháp lệnh|Thông tư|Quyết định) số)|"
    r"(?:(?<=ký )|(?<=ban hành )|(?<=thông qua )|(?<=vừa có )|(?<=đã có )|(?<=công bố ))"
    r"(?:thông báo|nghị quyết|quyết định|kế hoạch|chỉ thị|kết luận|quy định|đề án|hướng dẫn|Thông báo|Hướng dẫn)(?= \w)|"
    r"(?<=[Cc]ăn cứ )(?:nội quy|quy chế|điều lệ)|(?<=[Cc]ăn cứ vào )(?:nội quy|quy chế|điều lệ)|Tờ trình(?! về\s*:)(?! về\b(?! việc\b))|Nội quy|"
    r"(?:quyết định|chỉ thị|kết luận)(?= của (?:Bộ Chính trị|Ban Bí thư|Ban Chấp hành|Ban Thường vụ|Thủ tướng|Chính phủ|Ủy ban Kiểm tra)\b)|Báo cáo chính trị|Nghị quyết|Đề án|Luật|Chương trình mục tiêu quốc gia|Chương trình|Kế hoạch|Chiến lược|"
    r"Chỉ thị|Kết luận|Quy định|Quy chế|Quyết định|Báo cáo|Hiến pháp|Điều lệ Đảng|Điều lệ)"
    rf"(?P<rest>(?: (?!(?:{_STOP}|số)\b)(?!\d)\w+\b(?:(?! (?:{_STOP})\b)[^;.:(),])*(?:\s*\((?:sửa đổi|bổ sung|khóa [IVXLC]+)\))?)"
    r"|(?<=Báo cáo chính trị)|(?<=Điều lệ Đảng))"
    r"(?=[;.:,(]|\s|$)")
_KIND_TYPE = {"quyết định": "Decision", "chỉ thị": "Directive", "kết luận": "Conclusion", "Tờ trình": "Report", "nội quy": "Regulation", "quy chế": "Regulation", "điều lệ": "Regulation", "Báo cáo giải trình, tiếp thu, chỉnh lý": "Report", "Báo cáo giải trình, tiếp thu": "Report",
              "Báo cáo thẩm tra": "Report", "Nội quy": "Regulation", "báo cáo": "Report", "nghị quyết": "Resolution",
              "kế hoạch": "Plan", "đề án": "Scheme", "luật": "Law", "quy định": "Regulation", "chương trình": "Programme",
              "Hiến pháp": "Law", "Điều lệ Đảng": "Regulation", "Điều lệ": "Regulation", "Báo cáo chính trị": "Report", "Báo cáo": "Report", "Nghị quyết": "Resolution", "Đề án": "Scheme", "Luật": "Law",
              "Chương trình mục tiêu quốc gia": "Programme", "Chương trình": "Programme", "Kế hoạch": "Plan",
              "Chiến lược": "Plan", "Chỉ thị": "Directive", "Kết luận": "Conclusion", "Quy định": "Regulation", "Quy chế": "Regulation",
              "Quyết định": "Decision"}
_PROGRAMME = re.compile(r"(?P<label>Chương trình hành động|Chương trình) số (?P<seq>\d{1,4})(?![\d\-–/\w])")
_DATE_AFTER = re.compile(r"\s*,?\s*(?:(?:đã |vừa )?ban hành\s+(?:vào\s+)?)?ngày\s+")
# "của X", "do X", also after a date the reader could not place in a year ("ngày 20/5 của X")
_OF = re.compile(r"\s*(?:,\s*)?(?:ngày\s+\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\s*,?\s*)?(?:của|do)\s+")
_DAY_MONTH = re.compile(r"\s*,?\s*(ngày\s+[0-3]?\d[/.-][01]?\d)(?![/.-]?\d)(?=\s*,?\s*(?:của|do)\s)")
_ABOUT = re.compile(r"\s*(?:,\s*)?về\s+(?P<about>[^;.()]{3,160}?)(?=[;.,(]|$)")


def find_documents(an: Analysed, scope: Scope, col: Collector) -> list[DocMention]:
    """Every document the sentence names, added to `col` with kind, number, date and issuer,
    and what cites what among them."""
    out = [_numbered(an, n, scope, col) for n in find_numbers(an.sent.text)]
    out += find_bare_numbers(an, scope, col, out, issuer_after)
    out += _named(an, scope, col, out)
    return out + cite(an, out, col)


def _numbered(an: Analysed, n, scope: Scope, col: Collector) -> DocMention:
    text = an.sent.text
    window = max(0, n.start - 60)
    kind_m = _kind_re().search(text[window:n.start])
    start = window + kind_m.start() if kind_m else n.start
    kind = _kinds()[_cap(kind_m.group("kind"))][1] if kind_m else kind_of_code(n.code)
    kind = kind if kind in _KIND_TYPE.values() or kind is None else kind
    end, issued = _issued(an, n.end)
    date_end = end
    issuer, end = issuer_after(an, end)
    if issuer is not None and issued is None:  # "Kế hoạch số 41/KH-UBND của UBND tỉnh đã ban hành ngày 2/3/2019"
        end, issued = _issued(an, end)
    by, on = _issued_by_before(an, start)
    issued = issued or on
    if issuer is None:
        issuer = _bracketed_issuer(an, start) or by or _implied_issuer(n, scope)
    province = _issuer_province(issuer, scope)
    number_key = n.key
    if issued is not None and re.fullmatch(r"\d+/[^/]+", n.key):
        number_key = f"{n.key}@{issued.year}"  # "01/NQ-CP" is reused every year; its year tells them apart
    key = ("Document", "national" if n.scope == "national" else (province or "@" + scope.source_id), number_key)
    ev = col.evidence(an.sent, start, end, "document-number")
    word = _cap(kind_m.group("kind")) + (kind_m.group("name") or "") if kind_m else _word_for(n.code)
    about = about_after(an.sent.text, end)
    date_words = " ".join(re.sub(r"^[\s,]*(?:(?:đã |vừa )?ban hành\s+(?:vào\s+)?)?", "", text[n.end:date_end]).split()) if issued else ""
    if not date_words and (undated := _DAY_MONTH.match(text, n.end)):  # "ngày 7/5 của …": a day the year of which is not known
        date_words = undated.group(1)
    written = re.sub(r"\s+", "", text[n.start:n.end])  # "số 02-NQ/TU": the label keeps the zero the text writes
    shown = written if written.lstrip("0") == n.canonical else n.canonical
    label = f"{word} số {shown}" + (f" {date_words}" if date_words else "") + \
        (f" của {issuer.label}" if issuer else "") + (f" về {about}" if about else "")
    col.entity(key, "Document", label, ev, types=(kind,) if kind else ())
    col.literal(key, "number", n.canonical, "string", ev)
    if issued:
        col.literal(key, "issued", issued.isoformat(), "date", ev)
    if issuer:
        col.fact(key, "issuedBy", col.body(issuer, ev), ev)
    return DocMention(start, end, key)


def _word_for(code: str) -> str:
    """The kind word for a number's code ("TB" → "Thông báo"), "Văn bản" when unknown."""
    return next((w for w, (c, _) in _kinds().items() if c and c.upper() == code.upper()), "Văn bản")


def _cap(word: str) -> str:
    return word[0].upper() + word[1:]


def _implied_issuer(n, scope: Scope) -> BodyRef | None:
    """Whose a number is when the text does not say: "…/QĐ-TTg" the Prime Minister's, "…/NQ-CP" the
    Government's, "…/QH15" the National Assembly's, "…/NQ-HĐND" the province's council, and a
    provincial party committee's decision, directive, notice, plan or guidance (…/TU) its
    standing committee's, as party rules have it."""
    from .bodies import provincial
    lex = gz.lexicon()
    if n.code.startswith("QH"):
        return central(gz.central_by_label("Quốc hội"))
    by_code = _issuer_by_code(n)
    if by_code is not None:
        return by_code
    if re.fullmatch(r"\d+/(?:\d{4}/)?[^/]+", n.key):
        tail = re.sub(r"\d+$", "", n.key.rsplit("-", 1)[-1])
        if tail in lex["state_issuers"]:
            return central(gz.central_by_label(lex["state_issuers"][tail]))
        if tail in ("HĐND", "UBND") and scope.province is not None:
            return provincial(f"{tail} tỉnh", scope.province, scope)
        return None
    if n.key.endswith("/TU") and n.code in lex["standing_committee_codes"] and scope.province is not None:
        return provincial("Ban Thường vụ Tỉnh ủy", scope.province, scope)
    return None


def issued_after(an: Analysed, at: int):
    """Where the date written after position `at` ends, and the date (or `at`, None)."""
    return _issued(an, at)


def _issuer_by_code(n) -> BodyRef | None:
    """The issuer a number names in itself: "…-QĐ/UBKTTW" the Central Inspection Committee,
    "…-QĐNS/TW" the Politburo, "…/KH-BNN-TCLN" the Ministry of Agriculture."""
    codes = gz.lexicon()["issuer_codes"]
    if "-" in n.key and "/" in n.key and re.fullmatch(r"\d+-[^/]+/[^/]+", n.key):  # a party number
        suffix = n.key.split("/", 1)[1]
        label = codes["party"].get(suffix) or codes["party"].get(f"{n.code}/{suffix}")
    else:
        parts = n.key.rsplit("/", 1)[-1].split("-")
        label = codes["state"].get(parts[1]) if len(parts) > 1 else None
    return central(gz.central_by_label(label)) if label else None


def _issued(an: Analysed, at: int):
    """The date written after a number: "ngày 10-2-2022", "ngày 7 tháng 12 năm 2018" (a date
    mention that starts at its "ngày" or after it)."""
    m = _DATE_AFTER.match(an.sent.text, at)
    if m:
        for d in an.dates:
            if at <= d.start <= m.end() < d.end:
                return d.end, d.date
    return at, None


def about_after(text: str, at: int) -> str | None:
    """The subject a document's name gives after `at` ("về phát triển du lịch"), one-spaced."""
    about = _ABOUT.match(text, at)
    if about is None and (long := _LONG_ABOUT.match(text, at)):
        # a subject longer than a line ("về việc bãi bỏ Nghị quyết số … quy định về …"): its first words
        return " ".join(long.group("about").split()[:12])
    return " ".join(about.group("about").split()) if about else None


_LONG_ABOUT = re.compile(r"\s*(?:,\s*)?về\s+(?P<about>[^;.()]{161,600}?)(?=[;.,(]|$)")


# the plenum that adopted a resolution, named in its stead: "(của) Hội nghị Trung ương 5 khóa
# XIII", "Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII"
_PLENUM = re.compile(r"\s*,?\s*(?:của\s+)?Hội nghị\s+(?:(?:lần\s+)?thứ\s+\w+\s*|(?P<tw>Trung ương)\s+(?:lần\s+thứ\s+)?\w+\s*)?"
                     r"(?:\(?\s*khóa\s+[IVXLC]+\s*\)?\s*)?")


def issuer_after(an: Analysed, at: int) -> tuple[BodyRef | None, int]:
    """The issuer named after position `at`: "của X", "do X", or the plenum that adopted it
    (then its committee); with where its words end."""
    text = an.sent.text
    m = _OF.match(text, at)
    if m:
        body = next((b for b in an.bodies if b.start == m.end()), None)
        if body is not None:
            return body.body, body.end
    plenum = _PLENUM.match(text, at)
    if plenum and plenum.end() > at:
        body = next((b for b in an.bodies if b.start == plenum.end()), None)
        if body is not None:
            return body.body, body.end
        if plenum.group("tw"):
            return central(gz.central_by_label("Ban Chấp hành Trung ương Đảng")), plenum.end()
    return None, at


_ISSUES = gz.needing(re.compile(r"\s*(?:khóa\s+[IVXLC]+\s*)?,?\s*(?:đã\s+|vừa\s+|chính thức\s+)?(?:ký\s+)?(?:ban hành|thông qua)\s+$"))


def _issued_by_before(an: Analysed, start: int):
    """"Ngày 14-11-2016, Ban Chấp hành Đảng bộ tỉnh khóa XIII đã ban hành Nghị quyết số …": the
    body that issues the document named after it, and the date written before that body."""
    text = an.sent.text
    body = next((b for b in reversed(an.bodies) if b.end <= start and _ISSUES.fullmatch(text[b.end:start])), None)
    if body is None:
        return None, None
    date = next((d for d in an.dates if d.end <= body.start and re.fullmatch(r"\s*,?\s*", text[d.end:body.start])), None)
    return body.body, date.date if date else None


def _bracketed_issuer(an: Analysed, start: int) -> BodyRef | None:
    """"Kết luận của Bộ Chính trị (Kết luận số 150-KL/TW)": the number in brackets names the
    document the words before it describe, and so its issuer."""
    text = an.sent.text
    m = re.search(r"(?:của|do)\s+(?P<rest>[^()]{3,120}?)\s*\(\s*$", text[:start])
    if m is None:
        return None
    return next((b.body for b in an.bodies if b.start == m.start("rest")), None)


def _issuer_province(issuer: BodyRef | None, scope: Scope) -> str | None:
    if issuer is not None and issuer.place is not None and issuer.place.kind == "Province":
        return issuer.place.label
    return scope.province.name if scope.province else None


def _named(an: Analysed, scope: Scope, col: Collector, seen: list[DocMention]) -> list[DocMention]:
    out = []
    text = an.sent.text
    for m in _CONGRESS.finditer(text):
        out.append(_congress(an, m, scope, col))
    for m in _PLAN.finditer(text):
        out.append(_plan(an, m, scope, col))
    for m in _PROGRAMME.finditer(text):
        if not any(d.start <= m.start() < d.end for d in seen):
            out.append(_programme(an, m, scope, col))
    for m in _AMENDING.finditer(text):
        amended = next((d for d in seen if d.start == m.end()), None)
        if amended is not None and not any(d.start <= m.start() < d.end for d in seen):
            out.append(_amending(an, m, amended, scope, col))
    taken = seen + out
    for m in _QUOTED_TITLE.finditer(text):
        if not any(d.start <= m.start() < d.end or m.start() <= d.start < m.end() for d in taken):
            out.append(_quoted_title(an, m, scope, col))
    taken = seen + out
    for m in _GENERIC.finditer(text):
        if not any(d.start <= m.start() < d.end or m.start() <= d.start < m.end() for d in taken) \
                and not any(b.start <= m.start() < b.end for b in an.bodies) \
                and not re.match(r"\s*(?:số|\d)", text[m.end("kind"):]) \
                and not re.search(r"\s(?:như sau|này|đó|trên|nói trên)$", m.group()) \
                and not _numbered_in_brackets(text, m.end(), seen) \
                and (m.start() > 0 or m.group("kind") in ("Báo cáo chính trị", "Điều lệ Đảng") or m.group("rest").startswith(" về")
                     or any(w[:1].isupper() for w in m.group("rest").split())) \
                and (not _ISSUED_VERB.search(text[:m.start()]) or len(m.group("rest").split()) >= 3
                     or m.group("kind")[0].isupper() and m.group("kind") not in ("Thông báo", "Hướng dẫn")):
            # "ký thông báo về việc …", "thông qua nghị quyết miễn nhiệm …": a document named by what it
            # does, right after the verb that issues it
            out.append(_generic(an, m, scope, col))
    return out


# "thực hiện đề án “Thí điểm xây dựng …, giai đoạn 2021-2025”": a kind word in lower case and a
# quoted title is a document named by that title, commas and all
_QUOTED_TITLE = gz.needing(re.compile(r"(?<!\w)(?P<kind>[Đđ]ề án|[Cc]hương trình|[Kk]ế hoạch|[Nn]ghị quyết|[Cc]hiến lược|[Qq]uy hoạch)"
                                      r"\s+[“\"](?P<title>[^”\"]{8,200})[”\"]"))


def _quoted_title(an: Analysed, m: re.Match, scope: Scope, col: Collector) -> DocMention:
    label = " ".join(f"{m.group('kind')} {m.group('title')}".split()).rstrip(" ,.")
    national = bool(re.search(r"Trung ương|Quốc hội|Chính phủ|toàn quốc|quốc gia", label))
    where = "national" if national else scope.province.name if scope.province else "@" + scope.source_id
    key = ("Document", "named", where, gz.fold(label)[:120])
    ev = col.evidence(an.sent, m.start(), m.end(), "document-quoted-title")
    col.entity(key, "Document", label, ev, types=(_kind_type(_cap(m.group("kind"))),))
    return DocMention(m.start(), m.end(), key)


def _numbered_in_brackets(text: str, at: int, seen: list[DocMention]) -> bool:
    """Whether a numbered document follows in brackets: then the words before name it."""
    m = re.match(r"\s*\(\s*", text[at:])
    return bool(m) and any(d.start == at + m.end() for d in seen)


# "Nghị quyết sửa đổi, bổ sung Nghị quyết số 85/2014/QH13": an amending act with no number of its own,
# named by the act it amends
_AMENDING = re.compile(r"(?P<kind>Luật|Nghị định|Nghị quyết|Pháp lệnh|Thông tư|Quyết định|Quy định) "
                       r"(?:sửa đổi, bổ sung|sửa đổi|bổ sung|thay thế|bãi bỏ) (?=(?:Luật|Nghị định|Nghị quyết|Pháp lệnh|"
                       r"Thông tư|Quyết định|Quy định|Chỉ thị|Kết luận) số)")


def _amending(an: Analysed, m: re.Match, amended: DocMention, scope: Scope, col: Collector) -> DocMention:
    text = an.sent.text
    num = re.match(r"(?:\S+\s+){1,3}?số\s+[^\s,;.]+(?:\.[^\s,;.]+)*", text[amended.start:])
    end = amended.start + (num.end() if num else amended.end - amended.start)
    label = " ".join(text[m.start():end].split())
    national = m.group("kind") in ("Luật", "Nghị định", "Pháp lệnh", "Thông tư") or bool(re.search(r"/(?:QH|NĐ-CP|TT)", label))
    where = "national" if national else scope.province.name if scope.province else "@" + scope.source_id
    key = ("Document", "named", where, gz.fold(label)[:120])
    ev = col.evidence(an.sent, m.start(), end, "document-named-for-what-it-amends")
    col.entity(key, "Document", label, ev, types=(_kind_type(m.group("kind")),))
    col.fact(key, "cites", amended.key, ev)
    return DocMention(m.start(), m.end(), key)


def _generic(an: Analysed, m: re.Match, scope: Scope, col: Collector) -> DocMention:
    """A document named, not numbered: "Báo cáo chính trị trình Đại hội …", "Luật Thủ đô (sửa đổi)",
    "Đề án về phát triển khu thương mại tự do …"."""
    end = _quoted_end(an.sent.text, m)
    label = " ".join(an.sent.text[m.start():end].split()).rstrip(" ,")
    national = bool(re.search(r"Trung ương|Quốc hội|Chính phủ|toàn quốc|quốc gia|Bộ Chính trị|Ban Bí thư", label)) \
        or m.group("kind") in ("Luật", "Hiến pháp", "Điều lệ Đảng") or m.group("kind").startswith(("Luật ", "Nghị định ", "Thông tư "))
    where = "national" if national else scope.province.name if scope.province and m.group("rest") \
        and gz.fold(label) not in _OF_A_CONGRESS else "@" + scope.source_id
    key = ("Document", "named", where, gz.fold(label)[:120])
    ev = col.evidence(an.sent, m.start(), end, "document-named")
    col.entity(key, "Document", label, ev, types=(_kind_type(m.group("kind")),))
    return DocMention(m.start(), end, key)


_ISSUED_VERB = re.compile(r"(?:ký|ban hành|thông qua|vừa có|đã có|công bố)\s$")


def _kind_type(kind: str) -> str:
    """The class of a named document's kind; "Luật sửa đổi, bổ sung" (an amending law, named with
    the comma its title has) is of its head kind."""
    head = kind.split(" sửa đổi")[0]
    return _KIND_TYPE.get(kind) or _KIND_TYPE.get(head) or _kinds().get(_cap(head), ("", "Law"))[1]


def _quoted_end(text: str, m: re.Match) -> int:
    """A title in quotes runs to its closing quote, commas and all ("ban hành kèm theo Quyết định này
    “Quy chế phối hợp, tiếp nhận và giải quyết ý kiến, đề xuất …”")."""
    if not m.start() or text[m.start() - 1] not in "“\"":
        return m.end()
    close = re.compile(r"[”\"]").search(text, m.start(), m.start() + 300)
    return close.start() if close and "“" not in text[m.start():close.start()] else m.end()


def _congress(an: Analysed, m: re.Match, scope: Scope, col: Collector) -> DocMention:
    ev = col.evidence(an.sent, m.start(), m.end(), "document-congress-resolution")
    provincial = _provincial_congress(m, scope)
    if not provincial:
        key = ("Document", "congress", "national", m.group("ord"))
        label = f"Nghị quyết Đại hội đại biểu toàn quốc lần thứ {m.group('ord')} của Đảng"
        issuer = None
    else:
        province = gz.province_by_fold(m.group("prov")) if m.group("prov") else scope.province
        where = province.name if province else "@" + scope.source_id
        unit = province.unit if province else "tỉnh"
        key = ("Document", "congress", where, m.group("ord"))
        label = f"Nghị quyết Đại hội đại biểu Đảng bộ {unit} lần thứ {m.group('ord')}"
        issuer = province
    col.entity(key, "Document", label, ev, types=("Resolution",))
    if issuer is not None:
        from .bodies import provincial as provincial_body
        col.fact(key, "issuedBy", col.body(provincial_body("Tỉnh ủy", issuer, scope), ev), ev)
    return DocMention(m.start(), m.end(), key)


def _provincial_congress(m: re.Match, scope: Scope) -> bool:
    """"… của Đảng bộ tỉnh" is a province's congress, "… của Đảng" the national one; unqualified,
    an ordinal past the national congresses held so far (XIV) can only be a province's."""
    of = m.group("of") or ""
    if m.group("party") or of.startswith(" của Đảng bộ"):
        return True
    if of:
        return False
    return scope.province is not None and roman(m.group("ord")) > _NATIONAL_CONGRESSES


_NATIONAL_CONGRESSES = 14
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _plan(an: Analysed, m: re.Match, scope: Scope, col: Collector) -> DocMention:
    province = gz.province_by_fold(m.group("prov")) if m.group("prov") else scope.province
    where = province.name if province else "@" + scope.source_id
    unit = f"{m.group('unit')} {province.name}" if province else m.group("unit")
    period = re.sub(r"\s*[-–]\s*", "-", m.group("period"))
    label = f"Quy hoạch {unit} thời kỳ {period}" + (f", tầm nhìn đến năm {m.group('vision')}" if m.group("vision") else "")
    key = ("Document", "plan", where, gz.fold(label))
    ev = col.evidence(an.sent, m.start(), m.end(), "document-provincial-plan")
    col.entity(key, "Document", label, ev, types=("Plan",))
    col.literal(key, "period", period, "string", ev)
    return DocMention(m.start(), m.end(), key)


def _programme(an: Analysed, m: re.Match, scope: Scope, col: Collector) -> DocMention:
    issuer, end = issuer_after(an, m.end())
    where = _issuer_province(issuer, scope) or "@" + scope.source_id
    label = f"{m.group('label')} số {m.group('seq')}" + (f" của {issuer.label}" if issuer else "")
    key = ("Document", "named", where, gz.fold(f"{m.group('label')} số {int(m.group('seq'))}"))
    ev = col.evidence(an.sent, m.start(), end, "document-programme")
    col.entity(key, "Document", label, ev, types=("Programme",))
    if issuer:
        col.fact(key, "issuedBy", col.body(issuer, ev), ev)
    return DocMention(m.start(), end, key)


# documents a congress article names without saying which congress: that congress's own
_OF_A_CONGRESS = {"bao cao chinh tri": "Báo cáo chính trị trình {}", "nghi quyet dai hoi": "Nghị quyết {}",
                  "du thao bao cao chinh tri": "Báo cáo chính trị trình {}", "van kien dai hoi": "Văn kiện {}"}


def of_the_congress(col: Collector, meeting) -> None:
    """In an article about a congress, "Báo cáo chính trị" and "Nghị quyết Đại hội" are that
    congress's: labelled with its name ("Báo cáo chính trị trình Đại hội đại biểu Đảng bộ tỉnh
    Vĩnh Long lần thứ I")."""
    if meeting is None or meeting[1] != "Congress" and "Congress" not in col.types(meeting):
        return
    congress = col.label(meeting)
    if not congress.startswith("Đại hội"):
        return
    for key in col.keys("Document"):
        template = _OF_A_CONGRESS.get(gz.fold(col.label(key)))
        if template is not None and key[-2:-1] == ("@" + col.source.id,):
            col.relabel(key, template.format(congress))
