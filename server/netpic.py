"""A person's immediate network, drawn on the server as SVG: no script, no layout library.

Takes the dataset and a person; returns a :class:`Picture`: the people one hop away — those
who hold posts in the same bodies (the bodies the person sits in: ``vnkg:holds ∘
vnkg:postIn``, as ``kg export --network membership`` links them) and those who took part in
the same meetings (spoke, chaired, attended) — and the SVG of them around the person. The
layout is radial and deterministic: the person in the middle, the others on a ring in a fixed
order (past 12, their names along the spokes, so they never overlap) — ties through bodies, then both, then meetings, each by weight and
name — so the same data always gives the same picture. Each person is a link to their page
(``target="_top"``: the picture is its own document, embedded in the page), a line's colour
says what they share and its width how much, and a tooltip names it. Looks triples up by
index — or, on a dataset the engine answers (the server's pyoxigraph store), asks the engine to
count the ties, then names a few of each.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any, Callable

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.vocab import VNKG

from .entities import label_of

MOST = 24  # people drawn; the rest are counted
WIDTH, LEGEND, CROWDED = 720, 30, 12  # past CROWDED people, labels run along the spokes
COLOURS = {"bodies": "#1f5fa8", "both": "#6b3fa0", "meetings": "#b3261e"}
SAYS = {"bodies": "cùng cơ quan", "both": "cùng cơ quan và cuộc họp", "meetings": "cùng dự họp"}
_ROLES = (VNKG.participant, VNKG.speaker, VNKG.chair)
HALO = 'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'  # labels stay legible over lines


NAMED = 6  # bodies (and meetings) a tie names in its tooltip; the rest are counted


@dataclass(frozen=True)
class Tie:
    iri: str
    label: str
    bodies: tuple[str, ...]  # labels of the bodies shared (at most NAMED)
    meetings: tuple[str, ...]  # labels of the meetings shared (at most NAMED)
    shared: tuple[int, int] = (-1, -1)  # how many bodies and meetings are shared (-1: those named)

    @property
    def counts(self) -> tuple[int, int]:
        return (self.shared[0] if self.shared[0] >= 0 else len(self.bodies),
                self.shared[1] if self.shared[1] >= 0 else len(self.meetings))

    @property
    def kind(self) -> str:
        bodies, meetings = self.counts
        return "both" if bodies and meetings else "bodies" if bodies else "meetings"

    @property
    def weight(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Picture:
    iri: str
    label: str
    ties: tuple[Tie, ...]  # those drawn, in drawing order
    more: int  # people one hop away not drawn

    @property
    def radius(self) -> int:
        return 110 if len(self.ties) <= 6 else 150

    @property
    def height(self) -> int:
        """Room for the ring, its labels (longer along the spokes) and the legend."""
        return 2 * self.radius + (300 if len(self.ties) > CROWDED else 120) + LEGEND


def picture(dataset: Any, iri: str, base: str) -> Picture:
    """The person's one-hop network (at most :data:`MOST` people drawn)."""
    person = URIRef(iri)
    select = getattr(dataset, "rows", None)  # a dataset the engine answers: it counts, in one query
    gathered = None if select else _gathered(dataset, person)
    counts = _counted(select, person) if select else \
        {k: (len(v["bodies"]), len(v["meetings"])) for k, v in gathered.items()}
    counts.pop(iri, None)
    found = sorted((k for k in counts if k.startswith(base)), key=lambda k: (-sum(counts[k]), k))
    ties = []
    for k in found[:MOST]:
        shared = {kind: set(_named(select, person, URIRef(k), kind)) for kind in ("bodies", "meetings")} \
            if select else gathered[k]
        ties.append(_tie(dataset, k, shared, counts[k]))
    order = {"bodies": 0, "both": 1, "meetings": 2}
    ties.sort(key=lambda t: (order[t.kind], -t.weight, t.label, t.iri))
    return Picture(iri, label_of(dataset, person), tuple(ties), max(len(found) - MOST, 0))


def _gathered(dataset: Any, person: URIRef) -> dict[str, dict[str, set]]:
    """Each person one hop away → the bodies and meetings shared, by index lookups."""
    shared: dict[str, dict[str, set]] = defaultdict(lambda: {"bodies": set(), "meetings": set()})
    for post in dataset.objects(person, VNKG.holds):
        for body in dataset.objects(post, VNKG.postIn):
            for other_post in dataset.subjects(VNKG.postIn, body):
                for other in dataset.subjects(VNKG.holds, other_post):
                    shared[str(other)]["bodies"].add(body)
    for role in _ROLES:
        for meeting in dataset.subjects(role, person):
            for other_role in _ROLES:
                for other in dataset.objects(meeting, other_role):
                    if (other, RDF.type, VNKG.Person) in dataset:
                        shared[str(other)]["meetings"].add(meeting)
    return shared


# the same ties as _gathered, counted by the engine: a person named in 17,000 articles sits in
# 28,000 meetings, a third of a million lookups from Python (10 s) against one query
# (the person's meetings first, in a subquery: joined the other way, the engine reads every role
# triple of the store, 5 s against 0.7 s)
_SHARING = {"bodies": "{p} v:holds/v:postIn ?x . {o} v:holds/v:postIn ?x",
            "meetings": "{{ SELECT DISTINCT ?x WHERE {{ ?x v:participant|v:speaker|v:chair {p} }} }} "
                        "?x v:participant|v:speaker|v:chair {o} . {o} a v:Person",
            # both people known: the engine walks one's meetings and stops at the first few shared
            "named": "?x v:participant|v:speaker|v:chair {p} . ?x v:participant|v:speaker|v:chair {o}"}
_PREFIX = f"PREFIX v: <{VNKG._NS}>\n"


def _counted(select: Callable[[str], list], person: URIRef) -> dict[str, tuple[int, int]]:
    p = person.n3()
    bodies, meetings = (_SHARING[k].format(p=p, o="?other") for k in ("bodies", "meetings"))
    rows = select(_PREFIX + "SELECT ?other (COUNT(DISTINCT ?b) AS ?nb) (COUNT(DISTINCT ?m) AS ?nm) WHERE { "
                  f"{{ {bodies.replace('?x', '?b')} }} UNION {{ {meetings.replace('?x', '?m')} }} }} GROUP BY ?other")
    return {str(other): (int(nb), int(nm)) for other, nb, nm in rows}


def _named(select: Callable[[str], list], person: URIRef, other: URIRef, kind: str) -> list:
    """:data:`NAMED` bodies (or meetings) the two share, the first the engine finds (ordered,
    it would find all of them first: 0.45 s, not 2 ms, for two people at 5,000 meetings)."""
    where = _SHARING["bodies" if kind == "bodies" else "named"].format(p=person.n3(), o=other.n3())
    return [row[0] for row in select(_PREFIX + f"SELECT DISTINCT ?x WHERE {{ {where} }} LIMIT {NAMED}")]


def _tie(dataset: Any, iri: str, shared: dict[str, set], counts: tuple[int, int]) -> Tie:
    def names(nodes: set) -> tuple[str, ...]:  # a few, by IRI: two people may share thousands of meetings
        return tuple(sorted(label_of(dataset, n) for n in sorted(nodes)[:NAMED]))
    return Tie(iri, label_of(dataset, URIRef(iri)), names(shared["bodies"]), names(shared["meetings"]), counts)


# --- drawing ------------------------------------------------------------------------------

def svg(pic: Picture, href: Callable[[str], str]) -> str:
    """The picture as a standalone SVG document (links open in the page that embeds it)."""
    height = pic.height
    cx, cy = WIDTH / 2, (height - LEGEND) / 2
    spots = _spots(len(pic.ties), cx, cy, pic.radius)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" role="img" font-family="system-ui, sans-serif" font-size="12" '
             f'aria-label="{escape(f"Mạng quan hệ trực tiếp của {pic.label}")}">',
             f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>']
    for tie, (x, y) in zip(pic.ties, spots):
        parts.append(f'<line class="tie {tie.kind}" x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" '
                     f'stroke="{COLOURS[tie.kind]}" stroke-opacity="0.55" stroke-width="{min(1 + tie.weight, 6)}"/>')
    crowded = len(pic.ties) > CROWDED
    for tie, (x, y) in zip(pic.ties, spots):
        parts.append(_node(tie, x, y, cx, cy, crowded, href))
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="12" fill="#1d2430"/>'
                 f'<text class="centre" x="{cx}" y="{cy + 28}" text-anchor="middle" font-weight="bold" '
                 f'fill="#1d2430" {HALO}>{escape(_cut(pic.label, 40))}</text>')
    parts += _legend(pic, height)
    parts.append("</svg>")
    return "".join(parts)


def _spots(n: int, cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """Where each of `n` people goes: evenly round one ring, the first at the top, clockwise."""
    return [(round(cx + radius * math.cos(a), 1), round(cy + radius * math.sin(a), 1))
            for a in (-math.pi / 2 + 2 * math.pi * i / n for i in range(n))]


def _node(tie: Tie, x: float, y: float, cx: float, cy: float, crowded: bool, href: Callable[[str], str]) -> str:
    unnamed = tie.weight - len(tie.bodies) - len(tie.meetings)
    shares = "; ".join(tie.bodies + tie.meetings) + (f" (+{unnamed})" if unnamed else "")
    tip = f"{tie.label} — {SAYS[tie.kind]}: {shares}"
    return (f'<a class="person {tie.kind}" href="{escape(href(tie.iri))}" target="_top"><title>{escape(tip)}</title>'
            f'<circle cx="{x}" cy="{y}" r="{6 + min(tie.weight, 4)}" fill="{COLOURS[tie.kind]}"/>'
            f'{_spoke_label(tie.label, x, y, cx, cy) if crowded else _label(tie.label, x, y, cx, cy)}</a>')


def _label(text: str, x: float, y: float, cx: float, cy: float) -> str:
    """A level label beside its node: right of it on the right half, left on the left, over or under at the poles."""
    anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
    dx = 11 if anchor == "start" else -11 if anchor == "end" else 0
    dy = 4 if anchor != "middle" else (-12 if y < cy else 20)
    return (f'<text x="{x + dx}" y="{y + dy}" text-anchor="{anchor}" fill="#1d2430" {HALO}>'
            f'{escape(_cut(text, 24))}</text>')


def _spoke_label(text: str, x: float, y: float, cx: float, cy: float) -> str:
    """A label running outward along its spoke (turned to read left to right on the left half):
    crowded rings never overlap their labels this way."""
    degrees = round(math.degrees(math.atan2(y - cy, x - cx)), 1)
    left = x < cx - 1
    angle, anchor, dx = (degrees + 180, "end", -11) if left else (degrees, "start", 11)
    return (f'<text x="{x + dx}" y="{y + 4}" text-anchor="{anchor}" transform="rotate({angle} {x} {y})" '
            f'fill="#1d2430" {HALO}>{escape(_cut(text, 20))}</text>')


def _legend(pic: Picture, height: int) -> list[str]:
    y, x, out = height - 14, 12, ['<g class="legend">']
    for kind in ("bodies", "both", "meetings"):
        out.append(f'<rect x="{x}" y="{y - 9}" width="18" height="10" rx="2" fill="{COLOURS[kind]}"/>'
                   f'<text x="{x + 24}" y="{y}" fill="#5b6576">{SAYS[kind]}</text>')
        x += 200
    if pic.more:
        out.append(f'<text x="{WIDTH - 12}" y="{y}" text-anchor="end" fill="#5b6576">+{pic.more} người khác</text>')
    out.append("</g>")
    return out


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"
