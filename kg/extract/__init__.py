"""Extraction: one source's text in, its entities and facts out, each with evidence.

Takes a :class:`SourceText`; returns an :class:`Extraction`. Normalises the text, settles the
article's province and year, analyses each sentence once (bodies, titles, places, people,
dates), then adds people and their posts, documents and what cites what, the source as a
document when it is one, the main meeting, and goals. It mints no IRIs and builds no RDF
(:mod:`kg.graph` does); it reads nothing but the source and the gazetteers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
import re
from collections import Counter
from functools import lru_cache

from ..model import Extraction, Key, SourceText, tenure_key
from ..text import normalise, sentences
from . import gazetteer as gz, spans
from .across import ending_lists, new_holder, one_rank_per_body, vote_lists
from .bodies import Scope
from .citing import discipline_grounds
from .collect import Collector
from .dates import dateline, year_of_page
from .documents import find_documents, of_the_congress
from .endings import mark_ended_terms
from .goals import extract_goals
from .meetings import extract_meeting
from .numbers import find_numbers
from .sentence import Analysed, analyse
from .sourcedoc import heading, signature, with_number

__all__ = ["extract"]


def extract(source: SourceText) -> Extraction:
    norm = normalise(source.text)
    published = source.meta.published or dateline(norm.text)
    year = None if published else year_of_page(norm.text, source.meta.url) or _year_in_text(norm.text)
    scope = Scope(source.id, _province(source, norm.text, published))
    scope = replace(scope, committee=_congress_committee(norm.text, scope))
    analysed = _analyse(norm.text, scope, published, year)
    ans = [a for a, _ in analysed]
    col = Collector(source, norm)
    posts = _people(ans, col, published.year if published else year)
    _places_and_bodies(ans, col)
    found = {i: find_documents(an, scope, col) for i, an in enumerate(ans)}
    discipline_grounds(ans, found, col)
    doc_in = {i: [d.key for d in docs] for i, docs in found.items()}
    source_doc = _source_document(norm.text, ans, scope, col, posts, doc_in)
    meeting = extract_meeting(ans, col, posts, scope.province)
    of_the_congress(col, meeting)
    if source_doc is not None and meeting is not None and _opens_with_meeting(ans, col):
        col.fact(source_doc, "adoptedAt", meeting, None)
    extract_goals(ans, col, doc_in, source_doc)
    return col.build()


def _analyse(text: str, scope: Scope, published: dt.date | None,
             year: int | None = None) -> list[tuple[Analysed, Scope]]:
    """Each sentence analysed, with the scope it was read in (the article's, or the one province
    it speaks of)."""
    sents = list(sentences(text))
    year = published.year if published else year
    out = [(analyse(s, scope, year), scope) for s in sents]
    if len({p for an, _ in out for p in _provinces_named(an)}) >= 2:
        out = [_local(an, s, scope, year) for (an, _), s in zip(out, sents)]
    if out and _cut_short(text):
        last = out[-1][0]
        last.people[:] = [p for p in last.people if p.end < len(last.sent.text.rstrip())]
    return out


_CONGRESS = re.compile(r"(?:Đại hội(?:\s+đại biểu)?|Hội nghị(?:\s+lần\s+thứ\s+[\w]+)?(?:\s+lần\s+thứ\s+nhất)?(?:\s+của)?)\s+"
                       r"(?=Ban Chấp hành Đảng bộ|BCH Đảng bộ|Đảng bộ|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng ủy)")


def _congress_committee(text: str, scope: Scope):
    """The party committee whose congress or conference the article's opening reports ("Đại hội
    đại biểu Đảng bộ tỉnh X lần thứ XX", "Hội nghị Ban Chấp hành Đảng bộ xã Y"): the committee
    a role named without one in its election results belongs to. None when the opening names
    none, or two different ones."""
    from .bodies import find_bodies
    found = []
    for m in _CONGRESS.finditer(text[:1200]):
        mention = next((b for b in find_bodies(text[m.end():m.end() + 120], scope) if b.start == 0), None)
        body = mention.body if mention else None
        while body is not None and body.relation == "part" and body.parent is not None:
            body = body.parent
        if body is not None and body.kind == "party" and body.label not in {b.label for b in found}:
            found.append(body)
    return found[0] if len(found) == 1 else None


def _provinces_named(an: Analysed) -> set[str]:
    """The provinces a sentence speaks of itself: named in a body's name ("HĐND tỉnh Điện Biên"),
    or as the place it opens on ("Tại Hà Nam, …"); a province merely mentioned ("các xã của tỉnh
    Hải Dương cũ") is not."""
    # a province named in a former title ("…, nguyên Bí thư Tỉnh ủy Quảng Nam, cho biết") is where
    # the person was, not what the sentence speaks of
    past = [(t.start, t.end) for t in an.titles if t.former]
    named = {b.body.place.label for b in an.bodies if b.body.explicit and b.body.place is not None
             and b.body.place.kind == "Province" and not any(a <= b.start < e for a, e in past)}
    lead = re.match(r"\W*(?:Tại|Ở)\s+", an.sent.text)
    return named | {p.label for a, _, p in an.places if p.kind == "Province" and lead and a == lead.end()}


def _local(an: Analysed, sent, scope: Scope, year: int | None) -> tuple[Analysed, Scope]:
    """In an article about several provinces, a sentence that names one province, not the
    article's, speaks of that one: its "Tỉnh ủy", "UBND tỉnh" are that province's ("Tại Hà Nam,
    … ông X (Tỉnh ủy viên, …)", "Hội nghị … Ban Chấp hành Đảng bộ tỉnh Lai Châu đã bầu đồng chí
    Y, Bí thư Tỉnh ủy")."""
    named = _provinces_named(an)
    if len(named) != 1 or (scope.province is not None and scope.province.name in named):
        return an, scope
    province = gz.province_by_fold(named.pop())
    if province is None:
        return an, scope
    local = Scope(scope.source_id, province)
    return analyse(sent, local, year), local


def _cut_short(text: str) -> bool:
    """Whether the text stops mid-word, as the stored openings of pages do ("… ông Vương Quốc Tu"):
    then a name that runs to its very end is cut, not a name."""
    tail = text.rstrip()
    return bool(tail) and tail[-1].isalnum()


_FULL_DATE_YEAR = re.compile(r"(?<!\d)[0-3]?\d[./-][01]?\d[./-]((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!đến )(?<!tới )(?<!nhìn )(?<!sinh )\bnăm ((?:19|20)\d\d)\b(?!\s*[-–])")
_TERM_START = re.compile(r"nhiệm kỳ ((?:19|20)\d\d)\s*[-–]\s*(?:19|20)\d\d")


def _year_in_text(text: str) -> int | None:
    """Without a date for the article, the year its opening speaks of ("6 tháng đầu năm 2023"):
    the one most often named as "năm YYYY" in its first paragraphs, the latest on a tie."""
    years = Counter(int(y) for y in _YEAR.findall(text[:1500]) + _FULL_DATE_YEAR.findall(text[:2000]))
    if not years:  # a congress or a first session: the year its term starts ("nhiệm kỳ 2020 - 2025")
        years = Counter(int(y) for y in _TERM_START.findall(text[:1500]))
    return max(years, key=lambda y: (years[y], y)) if years else None


def _province(source: SourceText, text: str, published: dt.date | None = None) -> gz.Province | None:
    """The sidecar's province, else the one the text names most (if one stands out; on a tie, the
    one the headline or lead names when the other's first mention comes later). "thành phố X"
    of a province X is its capital city, not the province; a province that had ceased by the
    article's date (the 2025 mergers) is not the article's."""
    if source.meta.province:
        found = gz.province_by_fold(source.meta.province)
        if found is not None:
            return found
    counts, first = Counter(), {}
    for m in _province_mention_re().finditer(text):
        province, unit = gz.province_by_fold(m.group("name")), (m.group("unit") or "").strip()
        if province.kind == "tỉnh" and unit in ("thành phố", "Thành phố", "TP", "TP."):
            continue
        if published and province.valid_until and published.isoformat() >= province.valid_until:
            continue
        counts[province.name] += 3 if unit.endswith("ủy") else 2 if unit else 1  # a committee counts most
        first.setdefault(province.name, m.start())
    ranked = sorted(counts, key=lambda p: (-counts[p], first[p]))
    if len(ranked) == 1 or ranked and (counts[ranked[0]] > counts[ranked[1]] or first[ranked[0]] < _LEAD <= first[ranked[1]]):
        return gz.province_by_fold(ranked[0])
    return None if ranked else _publisher_province(source, published)


def _publisher_province(source: SourceText, published: dt.date | None) -> gz.Province | None:
    """A text that names no province is about its publisher's: a provincial paper's "Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy" are its own province's."""
    from ..read.publishers import lookup
    found = lookup(source.meta.url, published) if source.meta.url else None
    return gz.province_by_fold(found.province) if found is not None and found.province else None


_LEAD = 400  # characters: a page's headline and first sentence say what it is about


@lru_cache(maxsize=1)
def _province_mention_re() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?P<unit>(?:tỉnh|Tỉnh ủy|thành phố|Thành phố|Thành ủy|TP\.?)\s+)?(?P<name>{gz.province_pattern()})(?!\w)")


def _people(ans: list[Analysed], col: Collector, year: int | None = None) -> dict[tuple, Key]:
    """People and their posts; returns who holds each (role, body) in this article."""
    posts: dict[tuple, Key] = {}
    ending_lists(ans)
    vote_lists(ans)
    ended = {(p.name, t.role, t.body.key) for an in ans for p in an.people for t in p.titles if t.former and not t.past}
    for an in ans:
        for p in an.people:  # a post the article ends ("miễn nhiệm … đối với X") is not held in it, nor its
            # standing form: "miễn nhiệm chức vụ Phó Chủ tịch UBND tỉnh" of a "Phó Chủ tịch Thường trực UBND tỉnh"
            p.titles[:] = [replace(t, former=True) if (p.name, t.role.removesuffix(" Thường trực"), t.body.key) in ended
                           else t for t in p.titles]
    one_rank_per_body(ans)
    new_holder(ans)
    mark_ended_terms(ans, year)
    for an in ans:
        for p in an.people:
            if _is_byline(an, p):
                continue
            ev = col.evidence(an.sent, p.start, p.end, "person-name")
            person = col.entity(("Person", p.name), "Person", p.name, ev)
            held = {(t.role, t.body.key) for t in p.titles if not t.former}
            for t in p.titles:
                if t.past and (t.role, t.body.key) in held:
                    continue  # "Phó Chủ tịch UBND tỉnh Tây Ninh cũ" and the new province's post of one name
                ends = t.former and not t.past and not _FORMERLY.match(an.sent.text, t.start)  # ends in this text
                tev = col.evidence(an.sent, min(p.start, t.start), max(p.end, t.end),
                                   "person-title-ends" if ends else "person-title")
                post = col.post(person, t.role, t.body, tev, former=t.former)
                _stated_span(an, p, t, person, post, col)
                if not t.former:
                    posts.setdefault((t.role, t.body.key), person)
    return posts


_FORMERLY = re.compile(r"(?:nguyên|cựu)\s", re.IGNORECASE)  # "nguyên Bí thư": ended some time before


def _stated_span(an: Analysed, p, t, person: Key, post: Key, col: Collector) -> None:
    """The start or end of the post the sentence states ("được bầu … ngày 15/10/2020", "nghỉ hưu từ 1/3/2024")."""
    began, ended = spans.career(an.sent.text, p, t)
    for name, found in (("startDate", spans.start(an.sent.text, p, t, an.dates) or began),
                        ("endDate", spans.end(an.sent.text, p, t, an.dates) or ended)):
        if found is not None:
            lit, a, b = found
            ev = col.evidence(an.sent, min(p.start, t.start, a), max(p.end, t.end, b), f"tenure-{name[:-4]}")
            col.fact(tenure_key(person, post), name, lit, ev)


def _is_byline(an: Analysed, p) -> bool:
    """A line that is nothing but a name (and maybe an agency in brackets) is a byline."""
    rest = (an.sent.text[:p.start] + an.sent.text[p.end:]).strip(" .()-–")
    return not p.titles and not p.honorific and (not rest or rest.isupper())


def _places_and_bodies(ans: list[Analysed], col: Collector) -> None:
    for an in ans:
        for b in an.bodies:
            col.body(b.body, col.evidence(an.sent, b.start, b.end, "body-name"))
        for a, b, place in an.places:
            col.place(place, col.evidence(an.sent, a, b, "place-name"))


def _source_document(text: str, ans: list[Analysed], scope: Scope, col: Collector, posts: dict,
                     doc_in: dict[int, list]) -> Key | None:
    head = heading(text, scope, col.source.meta.title)
    sign = signature(text, scope)
    if head is None:
        if sign is not None:  # a signed text whose heading we cannot read: the signer still holds the post
            _signer(None, sign, ans, col, posts)
        return None
    issuer = head.issuer or (sign.body if sign else None)
    number = find_numbers(head.number)[0] if head.number and find_numbers(head.number) else None
    key = _numbered_key(number, issuer, scope) if number else ("Document", "source", col.source.id)
    first = next((an for an in ans if an.sent.end > head.start), ans[0] if ans else None)
    ev = col.evidence(first.sent, 0, len(first.sent.text), "source-document-heading") if first else None
    label = with_number(head.label, number.canonical) if number else head.label
    col.entity(key, "Document", label, ev, types=(head.kind,))
    col.relabel(key, label)
    col.fact(("Source", col.source.id), "textOf", key, ev)
    if number:
        col.literal(key, "number", number.canonical, "string", ev)
    if head.issued:
        col.literal(key, "issued", head.issued.isoformat(), "date", ev)
    if issuer is not None:
        col.fact(key, "issuedBy", col.body(issuer, ev), ev)
    if sign is not None:
        _signer(key, sign, ans, col, posts)
    for i, docs in doc_in.items():
        for d in docs:
            if d != key:
                col.fact(key, "cites", d, ev)
                if ans[i].sent.start < head.end + 400 and "thực hiện" in ans[i].sent.text[:20]:
                    col.fact(key, "implements", d, ev)
    return key


def _numbered_key(number, issuer, scope: Scope) -> Key:
    if number.scope == "national":
        return ("Document", "national", number.key)
    where = issuer.place.label if issuer is not None and issuer.place is not None else None
    return ("Document", where or (scope.province.name if scope.province else "@" + scope.source_id), number.key)


def _signer(doc: Key | None, sign, ans: list[Analysed], col: Collector, posts: dict) -> None:
    last = next((an for an in reversed(ans) if sign.name in an.sent.text), ans[-1])
    ev = col.evidence(last.sent, 0, len(last.sent.text), "signature-block")
    person = col.entity(("Person", sign.name), "Person", sign.name, ev)
    col.post(person, sign.role, sign.body, ev)
    posts.setdefault((sign.role, sign.body.key), person)
    if doc is not None:
        col.fact(doc, "signedBy", person, ev)


def _opens_with_meeting(ans: list[Analysed], col: Collector) -> bool:
    return any("kết luận như sau" in an.sent.text or "quyết nghị" in an.sent.text for an in ans[:4])
