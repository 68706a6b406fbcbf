"""Find bodies, titles (role + body) and places in a sentence.

Takes normalised sentence text and the article's :class:`Scope` (its province); returns
mentions with offsets in the sentence. A provincial body named without its province
("Tỉnh ủy", "UBND tỉnh") takes the article's province; with none known it stays
unqualified and scoped to its source, never guessed. It does not find people.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import gazetteer as gz
from .compiled import remembered

VIETNAM = "Việt Nam"


@dataclass(frozen=True)
class Scope:
    """What an article's unqualified bodies belong to."""

    source_id: str
    province: gz.Province | None = None
    committee: "BodyRef | None" = None  # the party committee whose congress or conference the article reports


@dataclass(frozen=True)
class PlaceRef:
    key: tuple[str, ...]
    label: str
    kind: str  # Country, Province, District
    parent: "PlaceRef | None" = None


@dataclass(frozen=True)
class BodyRef:
    key: tuple[str, ...]
    label: str
    kind: str
    parent: "BodyRef | None" = None
    place: PlaceRef | None = None
    alt_labels: tuple[str, ...] = ()
    term: str = ""
    explicit: bool = True  # False when the province came from the article, not the words
    relation: str = "subordinate"  # to its parent: "part" (made of the parent's members) or "subordinate"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    body: BodyRef


@dataclass(frozen=True)
class Title:
    start: int
    end: int
    role: str
    body: BodyRef
    former: bool = False
    body_text: str = ""
    past: bool = False  # former because the sentence tells of an earlier time, not because it ended here


# --- places ------------------------------------------------------------------------

COUNTRY = PlaceRef(("Place", VIETNAM), VIETNAM, "Country")


def province_place(p: gz.Province) -> PlaceRef:
    return PlaceRef(("Place", p.name), p.name, "Province", COUNTRY)


def district_place(word: str, name: str, province: gz.Province | None) -> PlaceRef:
    label = f"{word} {name}"
    parent = province_place(province) if province else None
    return PlaceRef(("Place", label, province.name if province else ""), label, "District", parent)


# --- patterns ----------------------------------------------------------------------

_UNIT = r"(?:(?:tỉnh|thành phố|Thành phố|TP)\s+|TP\.\s*)"  # "TP.Hải Phòng": no space after the dot
_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ"
_NAME = rf"(?!(?:tỉnh|thành phố)\b)[{_UPPER}][\w']*(?:\s+[{_UPPER}0-9][\w']*){{0,2}}"
# a district's name and whatever capitalised words follow it (a person's name, often), cut by
# district_words()
_NAME_RUN = rf"(?!(?:tỉnh|thành phố)\b)[{_UPPER}][\w']*(?:\s+[{_UPPER}0-9][\w']*){{0,6}}"


# "Tiểu ban Kinh tế - Xã hội Đại hội XIV của Đảng", "Tiểu ban Văn kiện": a congress's subcommittee,
# named by capitalised words up to the congress it serves or the end of the phrase
_SUBCOMMITTEE = (r"[Tt]iểu [Bb]an\s+[A-ZĐ]\w*(?:\s+(?:\w+|[-–])){0,5}?"
                 r"(?:\s+Đại hội(?:\s+đại biểu)?(?:\s+toàn quốc)?(?:\s+lần thứ)?\s+[IVXLC]+(?:\s+của Đảng)?(?!\w)|(?=\s*[,;.()]|\s*$))")


def district_words(words: list[str]) -> int:
    """How many of the capitalised words after "huyện", "Huyện ủy", "UBND xã"… name the place:
    all of them, up to three, unless a person's name follows ("Bí thư Quận ủy Ninh Kiều Lê Văn
    Tư"). A split leaves a name of two to four syllables that starts with a family name; of the
    splits that do, the likeliest: a name of three syllables, a place of two words (most
    Vietnamese full names have three syllables, most district names two words)."""
    surnames = gz.surnames()
    splits = [(2 * (len(words) - d == 3) + 1.5 * (d == 2) + (len(words) - d == 2), d) for d in (2, 1, 3)
              if 2 <= len(words) - d <= 4 and words[d] in surnames and (d > 1 or len(words) - d >= 3)]
    return max(splits)[1] if splits else min(len(words), 3)


def cut_district(text: str) -> str:
    """`text` (a body's words) without the person's name that may follow a district's name."""
    m = body_regex().fullmatch(text)
    group = "dname" if m is not None and m.group("dname") else "cname"
    if m is None or not m.group(group):
        return text
    words = m.group(group).split()
    # "Bí thư Thành ủy Nguyễn Văn A": a city committee's name does not start with a full name
    keep = 0 if group == "cname" and len(words) >= 3 and words[0] in gz.surnames() else district_words(words)
    if keep == len(words):
        return text
    if keep == 0:
        return text[:m.start(group)].rstrip()
    cut = m.start(group)
    for w in words[:keep]:
        cut = text.index(w, cut) + len(w)
    return text[:cut]


def _unit_variants(head: str) -> list[str]:
    """"UBND thành phố" is also written "UBND Thành phố", "UBND TP", "UBND TP."."""
    if head.endswith(" thành phố"):
        stem = head[: -len("thành phố")]
        return [head, stem + "Thành phố", stem + "TP.", stem + "TP"]
    return [head]
# a provincial head ("Ban Thường vụ", "Ủy ban Kiểm tra") followed by a lower committee is that one's
_NOT_LOWER = r"(?!\s+(?:[Đđ]ảng ủy|[Hh]uyện ủy|[Qq]uận ủy|[Tt]hị ủy|[Cc]hi bộ|[Đđ]ảng bộ (?:xã|phường|huyện|quận)))"
_TERM = r"(?:\s+(?:khóa|Khóa)\s+(?P<term>[IVXLC]+|\d{1,2}(?!\d)))?"


@lru_cache(maxsize=1)
def body_regex() -> re.Pattern:
    return remembered("bodies", _body_pattern)


def _body_pattern() -> str:
    data = gz.bodies_data()
    heads = [v for t in gz.templates() for h in t.heads for v in _unit_variants(h)]
    districts = gz.alternation(gz.bodies_data()["district_heads"], ci_first=True, ci_words=True)
    prov = gz.province_pattern()
    central = [a for a in gz.central_bodies() if a not in ("Trung ương", "Nhà nước", "Mặt trận")]
    pattern = (
        rf"(?P<sub>{_SUBCOMMITTEE})|"
        rf"(?P<chead>[Tt]hành [ủỦ]y)\s+(?!(?:{prov})(?!\w)|{_UNIT})(?P<cname>{_NAME_RUN})(?!\w)|"
        rf"(?P<central>{gz.alternation(central, ci_first=True, ci_words='long')})(?!\w)"
        rf"|(?P<head>{gz.alternation(heads, ci_first=True, ci_words=True)})(?:\s+(?:khóa|khoá)\s+[IVXLC]+(?=\s+{_UNIT}?(?:{prov})))?"
        rf"(?:(?:\s+|(?<=TP\.)){_UNIT}?(?P<pname>{prov}))?(?!\w){_NOT_LOWER}"
        rf"|(?P<dbo>Đảng bộ|ĐB)\s+(?P<dbop>{prov})(?!\w)"
        rf"|[Ss]ở\s+(?P<dept>{gz.alternation(data['departments'] + list(data['department_abbreviations']))})(?:\s+{_UNIT}?(?P<deptp>{prov}))?(?!\w)"
        rf"|(?P<dhead>{districts})(?:\s+(?P<dname>{_NAME_RUN})|(?=\s*[,;.]|\s*$)|(?=\s+(?:và|kiêm|trình bày|phát biểu|cho biết)(?!\w)))(?!\w)"
        rf"|(?P<paper>Báo(?:\s+điện\s+tử)?(?:\s+(?!Đảng\b)[A-ZĐ][\w]*){{1,4}})"
    )
    # a body's name starts a word: tried nowhere else, the scan is three times faster, and
    # "UVTW Đảng" is not read as "TW Đảng"
    return gz.starting(rf"(?<!\w)(?:{pattern}){_TERM}")


@lru_cache(maxsize=1)
def place_regex() -> re.Pattern:
    prov = gz.province_pattern()
    return re.compile(
        r"(?P<word>tỉnh|thành phố|Thành phố|TP\.?|huyện|Huyện|thị xã|Thị xã|quận|Quận)\s+"
        rf"(?:(?P<pname>{prov})(?!\w)|(?P<name>{_NAME})(?!\w))"
        rf"|(?<!\w)(?P<bare>{prov}|{VIETNAM})(?!\w)"
    )


def resolved(pattern: re.Pattern, text: str, resolve_match) -> list:
    """What `resolve_match` makes of each match of `pattern` in `text`, Nones left out."""
    return [r for r in map(resolve_match, pattern.finditer(text)) if r is not None]


def find_bodies(text: str, scope: Scope) -> list[Mention]:
    """Every body named in `text`, leftmost-longest."""
    def mention(m: re.Match) -> Mention | None:
        words = cut_district(m.group())
        ref = resolve(body_regex().fullmatch(words), scope) if words != m.group() else resolve(m, scope)
        return Mention(m.start(), m.start() + len(words), ref) if ref is not None else None
    return resolved(body_regex(), text, mention)


def match_body(text: str, scope: Scope) -> BodyRef | None:
    """The body that `text` names entirely, if it does."""
    m = body_regex().fullmatch(text.strip())
    return resolve(m, scope) if m else None


def resolve(m: re.Match, scope: Scope) -> BodyRef | None:
    term = m.group("term") or ""
    if m.group("central"):
        body = central(gz.central_by_label(m.group("central")))
    elif m.group("head"):
        body = _committee(m, scope)
    elif m.group("dbo"):  # "Đảng bộ TPHCM": the party organisation of a province, led by its committee
        body = provincial("Tỉnh ủy", gz.province_by_fold(m.group("dbop")), scope)
    elif m.group("dept"):
        body = department(m.group("dept"), _province(m.group("deptp"), scope), scope)
    elif m.group("dhead"):
        body = district_body(m.group("dhead"), m.group("dname") or "", scope)
    elif m.group("sub"):
        label = re.sub(r"^[Tt]iểu [Bb]an", "Tiểu ban", " ".join(m.group("sub").split()))
        body = BodyRef(("Body", label), label, "party")
    elif m.group("chead"):  # "Thành ủy Tam Kỳ": the committee of a city within a province
        body = district_body("Thành ủy", m.group("cname"), scope)
    else:
        body = newspaper(m.group("paper"))
    if body is not None and term:
        body = replace(body, term=term)
    implicit = (m.group("head") and not m.group("pname")) or (m.group("dept") and not m.group("deptp")) or m.group("dhead") or m.group("chead")
    if body is not None and implicit:
        body = replace(body, explicit=False)
    return body


def _committee(m: re.Match, scope: Scope) -> BodyRef:
    """A provincial body; but "Thành ủy" of a province (not a city) is its capital city's committee."""
    head, province = m.group("head"), _province(m.group("pname"), scope)
    if province is not None and province.kind == "tỉnh" and gz.fold(head).startswith(("thanh uy", "ban thuong vu thanh uy")):
        if m.group("pname"):
            return district_body("Thành ủy", province.name, Scope(scope.source_id, province), word="thành phố")
        return provincial(head, None, scope)
    return provincial(head, province, scope)


def _province(name: str | None, scope: Scope) -> gz.Province | None:
    if name:
        return gz.province_by_fold(name)
    return scope.province


@lru_cache(maxsize=1 << 10)  # a pure function of a body of the gazetteer
def central(b: gz.CentralBody | None) -> BodyRef | None:
    if b is None:
        return None
    parent = central(gz.central_by_label(b.parent)) if b.parent else None
    return BodyRef(("Body", b.label), b.label, b.kind, parent, COUNTRY, tuple(a for a in b.aliases if len(a) > 3),
                   relation=b.relation)


def _template_for(head: str) -> gz.Template:
    return _templates_by_head()[gz.fold(head)]


@lru_cache(maxsize=1)
def _templates_by_head() -> dict[str, gz.Template]:
    return {gz.fold(v): t for t in gz.templates() for h in t.heads for v in _unit_variants(h)}


def provincial(head: str, province: gz.Province | None, scope: Scope) -> BodyRef:
    """A provincial body from its head ("Ban Thường vụ Tỉnh ủy") and province (or none).
    """
    head = " ".join(head.split())
    return _fill(_template_for(head).label, province, scope, city=bool(re.search(r"Thành|thành phố|TP", head)))


@lru_cache(maxsize=None)  # the templates are few
def _template_labelled(label_t: str) -> gz.Template | None:
    return next((t for t in gz.templates() if t.label == label_t), None)


def _fill(label_t: str, province: gz.Province | None, scope: Scope, city: bool = False) -> BodyRef:
    if province is None:
        t = _template_labelled(label_t)
        committee = "Thành ủy" if city else "Tỉnh ủy"
        label = label_t.format(unit="thành phố" if city else "tỉnh", committee=committee, name="").strip()
        return BodyRef(("Body", label, "@" + scope.source_id), label, t.kind if t else "party")
    return _filled(label_t, province)


@lru_cache(maxsize=1 << 12)  # a pure function of the two; a province's bodies recur in every article on it
def _filled(label_t: str, province: gz.Province) -> BodyRef:
    """The body of `province` that the template `label_t` names, with its parents."""
    t = _template_labelled(label_t)
    kind, parent_t, relation = (t.kind, t.parent, t.relation) if t else ("party", None, "part")
    committee, unit = province.committee, province.unit
    label = label_t.format(unit=unit, committee=committee, name=province.name)
    parent = None
    if parent_t:
        filled = parent_t.format(unit=unit, committee=committee, name=province.name)
        parent = _filled(parent_t, province) if "{" in parent_t else central(gz.central_by_label(filled))
    elif label_t == "{committee}":
        parent = central(gz.central_by_label("Đảng Cộng sản Việt Nam"))
    return BodyRef(("Body", label), label, kind, parent, province_place(province), _aliases(label, province),
                   relation=relation)


def _aliases(label: str, province: gz.Province) -> tuple[str, ...]:
    unit = province.unit
    alts = []
    if label.startswith(("Tỉnh ủy ", "Thành ủy ")):
        alts += [f"Ban Chấp hành Đảng bộ {unit}", f"BCH Đảng bộ {unit}"]
    for full, short in (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"), ("Ban Thường vụ", "BTV"),
                        ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ Việt Nam")):
        if full in label:
            alts.append(label.replace(full, short))
    return tuple(alts)


def district_body(head: str, name: str, scope: Scope, word: str | None = None) -> BodyRef:
    """"Huyện ủy Quản Bạ", "UBND huyện Việt Yên": a district's body, within the article's province."""
    heads = dict(gz.bodies_data()["district_heads"], **{"Thành ủy": ["thành phố", "Thành ủy"]})
    word2, full = next(v for k, v in heads.items() if gz.fold(k) == gz.fold(" ".join(head.split())))
    word = word or word2
    name = " ".join(name.split())
    if not name and scope.committee is not None and scope.committee.place is not None \
            and scope.committee.place.label.startswith(word2 + " "):
        # "Bí thư Đảng ủy xã", "Chủ tịch UBND xã" in the report of a commune's congress: that commune's
        name = scope.committee.place.label[len(word2) + 1:]
    if not name:  # "Bí thư Huyện ủy, Chủ tịch UBND huyện Cô Tô": named by its neighbour in the chain
        return BodyRef(("Body", full, "@" + scope.source_id), full, _district_kind(full), explicit=False)
    label = f"{full} {name}"
    place = district_place(word, name, scope.province)
    where = scope.province.name if scope.province else "@" + scope.source_id
    parent = None
    if full in ("Huyện ủy", "Quận ủy", "Thị ủy", "Thành ủy") and scope.province is not None:
        parent = _fill("{committee}", scope.province, scope)
    return BodyRef(("Body", label, where), label, _district_kind(full), parent, place)


def _district_kind(full: str) -> str:
    """"Huyện ủy", "Đảng ủy xã", "Ban Thường vụ Huyện ủy" are party committees; "Ủy ban nhân dân
    huyện", "Công an huyện" are not."""
    return "party" if "ủy" in full.split() else "state"


def department(name: str, province: gz.Province | None, scope: Scope) -> BodyRef:
    name = " ".join(name.split())
    name = gz.bodies_data()["department_abbreviations"].get(name, name)
    if province is None:
        label = f"Sở {name}"
        return BodyRef(("Body", label, "@" + scope.source_id), label, "state")
    unit = province.unit
    parent = _fill("Ủy ban nhân dân {unit}", province, scope)
    return BodyRef(("Body", f"Sở {name} {unit}"), f"Sở {name} {unit}", "state", parent, province_place(province),
                   (f"Sở {name} {province.name}",))


def newspaper(name: str) -> BodyRef:
    label = " ".join(name.split())
    known = gz.central_by_label(label)
    if known:
        return central(known)
    return BodyRef(("Body", label), label, "media")


def find_places(text: str, scope: Scope) -> list[tuple[int, int, PlaceRef]]:
    """Provinces, cities and districts named in `text`."""
    def mention(m: re.Match) -> tuple[int, int, PlaceRef] | None:
        ref = _place(m, scope)
        return (m.start(), m.end(), ref) if ref is not None else None
    return resolved(place_regex(), text, mention)


def _place(m: re.Match, scope: Scope) -> PlaceRef | None:
    if m.group("bare"):
        if m.group("bare") == VIETNAM:
            return COUNTRY
        return province_place(gz.province_by_fold(m.group("bare")))
    word, name = m.group("word").lower().rstrip("."), m.group("pname") or m.group("name")
    p = gz.province_by_fold(name)
    if word == "tỉnh":
        return province_place(p) if p else None
    if word in ("thành phố", "tp") and p is not None and p.kind == "thành phố":
        return province_place(p)
    word = "thành phố" if word == "tp" else word
    parent = p if (p and word == "thành phố") else scope.province
    return district_place(word, name, parent)
