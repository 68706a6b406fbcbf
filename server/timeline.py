"""Careers and leaderships drawn as timelines: inline SVG made on the server, no script.

Takes the tenures :mod:`kg.when` reads for an entity page — a person's career, the holders
of a body's posts, of one post, or one tenure — and returns a :class:`Dated` record for the
template: the SVG (a lane per tenure, grouped by post on a body's page; a solid bar where
the dates are stated, a lighter one where sources attest the post held, a hatched one where
it is only bounded; each bar a link to the tenure's page with a ``<title>`` tooltip; years on
an axis; labels in Vietnamese) and the records behind it. Queries go through the server's
engine, so they see only the public graphs and run under its time limit. Never writes.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import Any, Callable, Optional

from markupsafe import Markup

from kg import when
from kg.errors import QueryError
from kg.when import Evidence, Step

log = logging.getLogger(__name__)

VNKG = "https://w3id.org/vnkg/ontology#"
WIDTH, LABEL, PAD, ROW, BAR, AXIS, LEGEND = 960, 300, 16, 24, 14, 26, 30
FILL = {"stated": "#b3261e", "attested": "#e8a19c", "bounded": "url(#{hatch})"}
HOW_VI = {"stated": "ngày nêu rõ trong văn bản", "attested": "được các nguồn ghi nhận",
          "bounded": "ước đoán, trong giới hạn các nguồn"}
_PAGES = {"Person": ("career", "person"), "Body": ("leaders", "body"), "Post": ("holders", "post")}
SAYS_EN = {"start": "states the start", "end": "states the end", "holds": "shows the post held",
           "former": "calls it former", "": "names it"}


@dataclass(frozen=True)
class Lane:
    label: str
    href: str  # the lane label's link: the post's page in a career, the person's on a body's page
    step: Step


@dataclass(frozen=True)
class Group:
    label: str  # "" for no heading row
    href: str
    lanes: tuple[Lane, ...]


@dataclass(frozen=True)
class Dated:
    kind: str  # career, leaders, holders, tenure
    svg: Markup
    steps: tuple[Step, ...]
    evidence: tuple[tuple[Evidence, str], ...] = ()  # a tenure's page: each source's sentence, what it says
    links: dict[str, str] = field(default_factory=dict)  # a tenure's previous / following tenures: IRI → label


def for_entity(engine: Any, view: Any, href: Callable[[str], str],
               label: Callable[[str], str]) -> Optional[Dated]:
    """The timeline of a person, body, post or tenure page, or None (no tenures, or the
    queries failed: the page shows its facts without it)."""
    types = {t for t, _ in view.types}
    try:
        if VNKG + "Tenure" in types:
            return _tenure(engine, view.iri, href, label)
        for cls, (kind, key) in _PAGES.items():
            if VNKG + cls in types:
                found = when.steps(engine, **{key: [view.iri]})
                return _drawn(kind, found, href) if found else None
    except QueryError as exc:
        log.warning("no timeline for %s: %s", view.iri, exc)
    return None


def _drawn(kind: str, found: list[Step], href: Callable[[str], str]) -> Dated:
    if kind == "career":
        groups = [Group("", "", tuple(Lane(s.post_label, href(s.post), s) for s in found))]
    else:
        posts: dict[str, list[Step]] = {}
        for s in sorted(found, key=lambda s: (s.post_label, s.begins or date.max, s.name)):
            posts.setdefault(s.post, []).append(s)
        groups = [Group(steps[0].post_label, href(post), tuple(Lane(s.name, href(s.person), s) for s in steps))
                  for post, steps in posts.items()]
        if kind == "holders":  # the page is the post's own: no heading needed
            groups = [Group("", "", g.lanes) for g in groups]
    return Dated(kind, svg(groups, href), tuple(found))


def _tenure(engine: Any, iri: str, href: Callable[[str], str], label: Callable[[str], str]) -> Optional[Dated]:
    step = when.tenure(engine, iri)
    if step is None:
        return None
    evidence = when.sources(engine, [iri]).get(iri, ())
    links = {t: label(t) for t in (*step.previous, *step.following)}
    return Dated("tenure", svg([Group("", "", (Lane(step.post_label, href(step.post), step),))], href),
                 (step,), _merged(evidence), links)


def _merged(evidence: tuple[Evidence, ...]) -> tuple[tuple[Evidence, str], ...]:
    """One line per source and sentence, saying all it says ("states the start; shows the post held")."""
    said: dict[tuple[str, str], list[Evidence]] = {}
    for e in evidence:
        said.setdefault((e.source, e.sentence), []).append(e)
    return tuple((items[0], "; ".join(SAYS_EN.get(e.says, e.says) for e in items)) for items in said.values())


# --- drawing ------------------------------------------------------------------------------

def svg(groups: list[Group], href: Callable[[str], str]) -> Markup:
    """The timeline of `groups` as one inline SVG element."""
    lo, hi = _extent([lane.step for g in groups for lane in g.lanes])
    scale = _Scale(lo, hi)
    rows = sum(len(g.lanes) + (1 if g.label else 0) for g in groups)
    height = AXIS + rows * ROW + LEGEND
    tenures = "\n".join(lane.step.tenure for g in groups for lane in g.lanes)
    hatch = "hatch-" + hashlib.sha256(tenures.encode()).hexdigest()[:8]  # unique on the page, the same every time
    parts = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" role="img" aria-label="Dòng thời gian các chức vụ" font-family="system-ui, sans-serif" '
             f'font-size="12">',
             f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6e3e1"/>'
             f'<line x1="0" y1="0" x2="0" y2="6" stroke="#c9726b" stroke-width="2"/></pattern></defs>']
    parts += _axis(scale, AXIS + rows * ROW)
    y = AXIS
    for group in groups:
        if group.label:
            parts.append(f'<a class="group" href="{escape(group.href)}"><text x="4" y="{y + 16}" '
                         f'font-weight="bold">{escape(_cut(group.label, 60))}</text></a>')
            y += ROW
        for lane in group.lanes:
            parts += _lane(lane, y, scale, href, hatch)
            y += ROW
    parts += _legend(y + 8, hatch)
    parts.append("</svg>")
    return Markup("".join(parts))


def _extent(steps: list[Step]) -> tuple[date, date]:
    days = [d for s in steps for lo, hi in when.spans(s).values() for d in (lo, hi) if d is not None]
    days += [when.span(v)[1] for s in steps for v in (s.ended_before, s.next_begins) if v]
    if not days:
        today = date.today()
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return date(min(days).year, 1, 1), date(max(days).year, 12, 31)


class _Scale:
    def __init__(self, lo: date, hi: date) -> None:
        self.lo, self.hi = lo, hi
        self.days = (hi - lo).days + 1

    def x(self, d: date) -> float:
        return round(LABEL + (WIDTH - LABEL - PAD) * (d - self.lo).days / self.days, 1)


def _axis(scale: _Scale, bottom: int) -> list[str]:
    years = range(scale.lo.year, scale.hi.year + 1)
    every = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    out = [f'<g class="axis"><line x1="{LABEL}" y1="{AXIS - 4}" x2="{WIDTH - PAD}" y2="{AXIS - 4}" stroke="#5b6576"/>']
    for year in years:
        x = scale.x(date(year, 1, 1))
        out.append(f'<line x1="{x}" y1="{AXIS - 8}" x2="{x}" y2="{bottom}" stroke="#d8dde6"/>')
        if (year - years[0]) % every == 0:
            out.append(f'<text class="year" x="{x + 2}" y="{AXIS - 10}" fill="#5b6576">{year}</text>')
    out.append("</g>")
    return out


def _lane(lane: Lane, y: int, scale: _Scale, href: Callable[[str], str], hatch: str) -> list[str]:
    step = lane.step
    out = [f'<a class="lane-label" href="{escape(lane.href)}"><title>{escape(lane.label)}</title>'
           f'<text x="{12}" y="{y + 16}" fill="#1d2430">{escape(_cut(lane.label, 44))}</text></a>']
    if not when.spans(step):  # the sources name it without a date (no publication date either)
        out.append(f'<text class="undated" x="{LABEL + 4}" y="{y + 16}" fill="#5b6576">chưa rõ thời gian</text>')
    for how in reversed(when.HOW):  # the strongest drawn last, on top
        found = when.spans(step).get(how)
        if found is None:
            continue
        lo, hi = found
        x0, x1 = scale.x(lo), scale.x((hi or scale.hi) + timedelta(days=1))
        tip = f"{step.name} — {step.post_label}\n{HOW_VI[how]}: {_period(step, how, lo, hi)}"
        out.append(f'<a class="bar {how}{" open" if hi is None else ""}" href="{escape(href(step.tenure))}">'
                   f'<title>{escape(tip)}</title><rect x="{x0}" y="{y + (ROW - BAR) / 2}" '
                   f'width="{max(round(x1 - x0, 1), 3)}" height="{BAR}" rx="2" '
                   f'fill="{FILL[how].format(hatch=hatch)}"/></a>')
    return out


def _legend(y: int, hatch: str) -> list[str]:
    out, x = ['<g class="legend">'], 12
    for how in when.HOW:
        out.append(f'<rect x="{x}" y="{y}" width="18" height="10" rx="2" fill="{FILL[how].format(hatch=hatch)}"/>'
                   f'<text x="{x + 24}" y="{y + 9}" fill="#5b6576">{HOW_VI[how]}</text>')
        x += 250
    out.append("</g>")
    return out


def _period(step: Step, how: str, lo: date, hi: Optional[date]) -> str:
    """The span as the sources write it: "15/10/2010 – 10/2015", "từ 2019", "02/11/2020 – nay?"."""
    starts = {"stated": step.start, "attested": step.first}
    ends = {"stated": step.end, "attested": step.last}
    if how == "bounded" and step.start and when.span(step.start)[0] == lo:
        starts[how] = step.start
    begin = vi_date(starts.get(how) or lo.isoformat())
    if hi is None:
        return f"từ {begin} (chưa rõ ngày thôi giữ chức)"
    end = vi_date(ends[how]) if ends.get(how) else vi_date(hi.isoformat())
    return f"{begin} – {end}"


def vi_date(value: str) -> str:
    """An ISO date, year-month or year as Vietnamese texts write it: 15/10/2010, 10/2015, 2019."""
    parts = value.split("-")
    return "/".join(reversed(parts)) if value else ""


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"
