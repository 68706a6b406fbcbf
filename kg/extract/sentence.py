"""One sentence, analysed once: bodies, titles, places, people and dates in it.

Later rules (documents, meetings, goals) read these instead of searching again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..text import Sentence
from .bodies import Mention, PlaceRef, Scope, Title, find_bodies, find_places
from .dates import DateMention, find_dates
from .people import PersonMention, find_people
from . import gazetteer as gz
from .titles import find_titles, in_province


@dataclass
class Analysed:
    sent: Sentence
    bodies: list[Mention]
    titles: list[Title]
    places: list[tuple[int, int, PlaceRef]]
    people: list[PersonMention]
    dates: list[DateMention]


def analyse(sent: Sentence, scope: Scope, year: int | None) -> Analysed:
    text = sent.text
    titles = find_titles(text, scope)
    bodies = find_bodies(text, scope)
    taken = [(t.start, t.end) for t in titles] + [(b.start, b.end) for b in bodies]
    places = [p for p in find_places(text, scope) if not any(a < p[1] and p[0] < b for a, b in taken)]
    dates = find_dates(text, year)
    bare = [(a, b) for a, b, p in places if p.kind == "Province" and not text[a:b].lower().startswith(_UNITS)]
    blocked = [(b.start, b.end) for b in bodies] + [(a, b) for a, b, _ in places if (a, b) not in bare] + \
        [(d.start, d.end) for d in dates]
    people = find_people(text, titles, blocked, bare)
    places = [p for p in places if not any(q.start < p[1] and p[0] < q.end for q in people)]
    for p in people:
        _one_province(p, scope, text)
        _one_district(p, scope)
    return Analysed(sent, bodies, titles, places, people, dates)


_UNITS = ("tỉnh", "thành phố", "tp")


def _one_province(p: PersonMention, scope: Scope, text: str = "") -> None:
    """"Ủy viên Ban Thường vụ, Chánh Văn phòng Tỉnh ủy Đồng Nai": a chain that names its province
    once names it for every title in it."""
    named = {t.body.place.label for t in p.titles
             if not t.former and t.body.explicit and t.body.place is not None and t.body.place.kind == "Province"}
    _next_named(text, p, scope)
    if len(named) != 1:
        return
    province = gz.province_by_fold(named.pop())
    if province is None or (scope.province is not None and province.name == scope.province.name):
        return
    there = Scope(scope.source_id, province)
    p.titles[:] = [t if t.former else in_province(t, there) for t in p.titles]


_FORMER_WORD = re.compile(r"(?i:nguyên|cựu)\s")  # "…, nguyên Chủ tịch UBND tỉnh Y": of another time, not this chain's place


def _next_named(text: str, p: PersonMention, scope: Scope) -> None:
    """"X - Phó Bí thư Thành ủy, Chủ tịch UBND TP. Cần Thơ, … giữ chức Bí thư Tỉnh ủy Y": where a
    chain names two provinces, a committee written without its own takes the one of the title
    right after it in the chain."""
    titles = sorted(p.titles, key=lambda t: t.start)
    for i, t in enumerate(titles[:-1]):
        u = titles[i + 1]
        if t.former or t.body.explicit or not u.body.explicit or u.body.place is None or _FORMER_WORD.match(text, u.start) \
                or u.body.place.kind != "Province" or not re.fullmatch(r"\s*(?:,|và|–|-|kiêm)\s*", text[t.end:u.start]):
            continue
        province = gz.province_by_fold(u.body.place.label)
        if province is None or scope.province is not None and province.name == scope.province.name:
            continue
        moved = u.former and not u.past and any(  # its neighbour left for a post in another province: so does it
            not v.former and v.body.explicit and v.body.place is not None and v.body.place.label != province.name
            for v in p.titles)
        p.titles[p.titles.index(t)] = replace(in_province(t, Scope(scope.source_id, province)), former=moved)


def _one_district(p: PersonMention, scope: Scope) -> None:
    """"Bí thư Huyện ủy, Chủ tịch UBND huyện Cô Tô": a district body written without its name takes
    the name its neighbour in the chain gives; with no neighbour to name it, it is no post."""
    from .bodies import district_body
    named = {t.body.place.label.split(" ", 1)[1] for t in p.titles
             if t.body.place is not None and t.body.place.kind == "District" and " " in t.body.place.label}
    bare = [t for t in p.titles if t.body.place is None and t.body.key[-1:] == ("@" + scope.source_id,)
            and gz.fold(t.body.label) in _DISTRICT_HEADS()]
    if not bare:
        return
    if len(named) == 1:
        name = named.pop()
        p.titles[:] = [replace(t, body=district_body(t.body.label, name, scope)) if t in bare else t for t in p.titles]
    else:
        p.titles[:] = [t for t in p.titles if t not in bare]


def _DISTRICT_HEADS() -> set[str]:
    return {gz.fold(v[1]) for v in gz.bodies_data()["district_heads"].values()}
