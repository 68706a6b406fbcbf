"""Rank online Wikidata candidates by the evidence the graph gives. Pure, no I/O.

Takes a :class:`~kg.link.match.Target` and :class:`Candidate` records parsed from
``wbgetentities`` JSON (with the labels of the items their claims point to); returns
:class:`~kg.link.match.Scored` records with the reasons behind each score. A candidate that
contradicts the graph (a human for a body, a province for a city, dead before the source
that shows the person in office, founded after the source) is dropped, not scored low.

Evidence and weights: name 0.4 (Vietnamese label or alias, exact) or 0.3 (alias, other
language, or equal without diacritics where one side has none); class 0.2 (human Q5,
province of Vietnam Q2824648, country Q6256/Q3624078); country 0.1 (P27, P17 or P1001 is
Viet Nam Q881); party 0.1 (P102 is the Communist Party of Vietnam Q427325); position 0.2
(a P39 position named like a post the graph gives) and 0.1 more when the source's date
falls within its P580–P582 (0.1 less when it ended before the source), 0.1 more when the
statement's place qualifier (P1001 applies to jurisdiction, P642 of, P768 electoral district)
is a province the graph puts the person's post in; place 0.2 (P131 named like a place the graph puts it in). The reasons name each
claim matched — the position's QID and label, its start and end, the province — so that a
reviewer, and the link's evidence in the graph, show why. The score is capped at 1; candidates
are compared on the evidence before the cap (:attr:`~kg.link.match.Scored.strength`).
:data:`POLICIES` says what each kind of entity needs before it is linked.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..errors import LinkError
from ..text import fold
from .match import ITEM_KIND_OF, Policy, Scored, Target, local_kind, name_match, name_variants, posts_alike

HUMAN, PROVINCE_VN, VIETNAM, CPV = "Q5", "Q2824648", "Q881", "Q427325"
COUNTRY_CLASSES = frozenset({"Q6256", "Q3624078"})

POLICIES: dict[str, Policy] = {
    "person": Policy(0.7, 0.15, ("name", "class", "position")),
    "province": Policy(0.7, 0.15, ("name", "class")),
    "country": Policy(0.7, 0.15, ("name", "class")),
    "city": Policy(0.7, 0.15, ("name", "place")),
    "organization": Policy(0.5, 0.15, ("name", "country")),
    "position": Policy(0.5, 0.15, ("name", "country")),
}
_TIME = re.compile(r"^[+]?(\d{4,})-(\d\d)-(\d\d)")
PLACE_QUALIFIERS = ("P1001", "P642", "P768")  # applies to jurisdiction, of, electoral district


@dataclass(frozen=True)
class Claim:
    """One statement's value (a QID, or a date in ISO form) and its start and end times."""

    value: str
    start: dt.date | None = None
    end: dt.date | None = None
    where: tuple[tuple[str, str], ...] = ()  # (qualifier, QID): the place a position is held in


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item as ``wbgetentities`` describes it, reduced to what ranking reads."""

    qid: str
    labels: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    claims: tuple[tuple[str, tuple[Claim, ...]], ...] = ()

    def values(self, prop: str) -> tuple[Claim, ...]:
        return dict(self.claims).get(prop, ())

    def ids(self, prop: str) -> set[str]:
        return {c.value for c in self.values(prop)}

    def label(self) -> str:
        by_lang = dict(self.labels)
        return by_lang.get("vi") or by_lang.get("en") or self.qid


def parse_entity(doc: Any) -> Candidate | None:
    """A candidate from one ``entities`` value of ``wbgetentities``; None for a missing item.
    Raises LinkError when the document is not shaped as the API documents it."""
    if not isinstance(doc, dict) or not isinstance(doc.get("id", ""), str):
        raise LinkError(f"malformed Wikidata entity: {str(doc)[:80]!r}")
    if "missing" in doc or not doc.get("id"):
        return None
    try:
        labels = tuple(sorted((k, v["value"]) for k, v in doc.get("labels", {}).items()))
        aliases = tuple((k, a["value"]) for k, vs in sorted(doc.get("aliases", {}).items()) for a in vs)
        claims = tuple(sorted((p, tuple(filter(None, map(_claim, cs)))) for p, cs in doc.get("claims", {}).items()))
    except (AttributeError, KeyError, TypeError) as exc:
        raise LinkError(f"malformed Wikidata entity {doc.get('id')}: {exc!r}") from exc
    return Candidate(doc["id"], labels, aliases, claims)


def _claim(statement: dict[str, Any]) -> Claim | None:
    value = _value(statement.get("mainsnak", {}))
    if value is None:
        return None
    quals = statement.get("qualifiers", {})
    where = tuple((q, v) for q in PLACE_QUALIFIERS for v in map(_value, quals.get(q, ())) if v)
    return Claim(value, _qual_date(quals, "P580"), _qual_date(quals, "P582"), where)


def _value(snak: dict[str, Any]) -> str | None:
    if snak.get("snaktype") != "value":
        return None
    value = snak["datavalue"]["value"]
    if isinstance(value, dict) and "id" in value:
        return value["id"]
    if isinstance(value, dict) and "time" in value:
        when = parse_time(value["time"])
        return when.isoformat() if when else None
    return value if isinstance(value, str) else None


def _qual_date(quals: dict[str, Any], prop: str) -> dt.date | None:
    for snak in quals.get(prop, ()):
        value = _value(snak)
        if value:
            return dt.date.fromisoformat(value)
    return None


def parse_time(text: str) -> dt.date | None:
    """A Wikidata time ("+2021-01-22T00:00:00Z"; month or day 00 at coarser precision)."""
    m = _TIME.match(text)
    if not m or len(m.group(1)) > 4:
        return None
    year, month, day = int(m.group(1)), max(int(m.group(2)), 1), max(int(m.group(3)), 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


Evidence = tuple[str, float, str]  # (tag, weight, reason)
REJECT = -1.0  # the weight of a contradiction: the candidate is dropped


def score_candidate(target: Target, cand: Candidate, names: Mapping[str, str]) -> Scored | None:
    """Score one candidate for one target; None when its name does not match or it
    contradicts the graph. `names` gives labels of the items its claims point to."""
    kind = local_kind(target)
    found = [e for check in CHECKS.get(kind, ()) for e in check(target, cand, names)]
    if not found or found[0][0] != "name" or any(w == REJECT for _, w, _ in found):
        return None
    total = round(sum(w for _, w, _ in found), 3)
    tags = tuple(dict.fromkeys(t for t, w, _ in found if w > 0))
    return Scored(cand.qid, cand.label(), min(1.0, total), "wikidata-online", tuple(r for _, _, r in found), tags,
                  ITEM_KIND_OF.get(kind or "", ""), total)


def _name(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    strip = "province" if local_kind(target) == "province" else ""
    vi_label = [t for lang, t in cand.labels if lang == "vi"]
    vi_alias = [t for lang, t in cand.aliases if lang == "vi"]
    others = [t for lang, t in cand.labels + cand.aliases if lang != "vi"]
    if name_match(target.names(), vi_label, strip) == "exact":
        return [("name", 0.4, f"Vietnamese label {vi_label[0]!r}")]
    for names_, what in ((vi_alias, "Vietnamese alias"), (others, "label in another language")):
        if name_match(target.names(), names_, strip) == "exact":
            return [("name", 0.3, what)]
    if name_match(target.names(), vi_label + vi_alias + others, strip) == "folded":
        return [("name", 0.3, "same name without diacritics")]
    return []


def _class(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    kind, p31 = local_kind(target), cand.ids("P31")
    if kind == "person":
        return [("class", 0.2, "instance of human (Q5)")] if HUMAN in p31 else [("class", REJECT, "not a human")]
    if HUMAN in p31:
        return [("class", REJECT, "a human")]
    if kind == "city" and PROVINCE_VN in p31:
        return [("class", REJECT, "a province's item, not a city's")]
    if kind == "province" and PROVINCE_VN in p31:
        return [("class", 0.2, "instance of province of Vietnam (Q2824648)")]
    if kind == "country" and p31 & COUNTRY_CLASSES:
        return [("class", 0.2, "instance of country")]
    return []


def _country(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    countries = cand.ids("P27") | cand.ids("P17") | cand.ids("P1001")
    if VIETNAM in countries or (local_kind(target) == "country" and cand.qid == VIETNAM):
        return [("country", 0.1, "country Viet Nam (P27/P17/P1001 Q881)")]
    return [("country", -0.2, "another country only")] if countries else []


def _party(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    return [("party", 0.1, "member of the Communist Party of Vietnam (P102)")] if CPV in cand.ids("P102") else []


def _positions(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    best: list[Evidence] = []
    for claim in cand.values("P39"):
        held = names.get(claim.value, "")
        if not held or not any(posts_alike(held, post) for post in target.posts):
            continue
        found = [("position", 0.2, f"held {held!r} (P39 {claim.value}, {_span(claim)})")]
        at = [d for d in target.dates if _within(d, claim)]
        if at:
            found.append(("position-date", 0.1, f"{held!r} held on {at[-1].isoformat()}, the source's date"))
        elif claim.end and target.dates and claim.end < min(target.dates):
            found.append(("position-ended", -0.1, f"{held!r} ended {claim.end.isoformat()}, before the source's date"))
        found += _province_of(target, claim, names)
        best = max(best, found, key=lambda e: sum(w for _, w, _ in e))
    return best


def _province_of(target: Target, claim: Claim, names: Mapping[str, str]) -> list[Evidence]:
    """The place qualifier of a position statement, when it is a province the graph gives."""
    for prop, qid in claim.where:
        if names.get(qid) and any(_same_place(names[qid], p) for p in target.places):
            return [("province", 0.1, f"{names[claim.value]!r} in {names[qid]!r} ({prop} {qid})")]
    return []


def _span(claim: Claim) -> str:
    start = claim.start.isoformat() if claim.start else "start unknown"
    return f"{start} – {claim.end.isoformat() if claim.end else 'no end given'}"


def _place(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    for qid in sorted(cand.ids("P131")):
        if names.get(qid) and any(_same_place(names[qid], p) for p in target.places):
            return [("place", 0.2, f"located in {names[qid]!r} (P131)")]
    return []


def _dates(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    if not target.dates:
        return []
    first = min(target.dates)
    died = [dt.date.fromisoformat(c.value) for c in cand.values("P570") if _iso(c.value)]
    born = [dt.date.fromisoformat(c.value) for c in cand.values("P571") if _iso(c.value)]
    if target.posts and died and max(died) < first:
        return [("dates", REJECT, "died before the source shows the person in office")]
    if born and min(born) > first:
        return [("dates", REJECT, "came into being after the source")]
    return []


def _successor(target: Target, cand: Candidate, names: Mapping[str, str]) -> list[Evidence]:
    if target.successor and name_match([target.successor], [t for _, t in cand.labels], "any"):
        return [("successor", REJECT, f"named like the successor {target.successor!r}")]
    return []


def _same_place(theirs: str, ours: str) -> bool:
    return bool({fold(v) for v in name_variants(theirs, "any")} & {fold(v) for v in name_variants(ours, "any")})


def _within(day: dt.date, claim: Claim) -> bool:
    return (claim.start is None or claim.start <= day) and (claim.end is None or day <= claim.end)


def _iso(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value))


Check = Callable[[Target, Candidate, Mapping[str, str]], list[Evidence]]
_COMMON: tuple[Check, ...] = (_name, _class, _country, _dates)
CHECKS: dict[str | None, tuple[Check, ...]] = {
    "person": _COMMON + (_party, _positions),
    "province": _COMMON + (_successor,),
    "country": _COMMON,
    "city": _COMMON + (_place,),
    "organization": _COMMON + (_place,),
    "position": _COMMON,
}
