"""Who held which post when: dated answers over a built dataset's tenures (docs/tenures.md).

Takes a dataset that answers SPARQL — a pyoxigraph store as `kg query` opens a file
(:func:`kg.store.open_store`), an rdflib Dataset whose default graph is the union, or anything
with ``query(text) -> QueryResult`` (the server's engines; :class:`server.remote.RemoteEngine`
for a store's URL) — and gives plain records: :class:`Step`, one tenure with every date that
bounds it; :class:`Answer`, a tenure held on a day, how sure that is (stated, attested,
bounded) and the sentences behind it; :class:`Succession`. It asks the competency questions
``tenure_dates`` and ``tenure_sources`` (``kg/data/cq``) with their ``VALUES`` filled in, and
judges the dates here: a date compares by its span (``"2020"^^xsd:gYear`` runs from
2020-01-01 to 2020-12-31). People, bodies and posts may be named as the search box names them
(:func:`kg.text.fold`: no diacritics, either tone placement, any case). It never writes, and it
does not decide what a tenure is: that is the resolver's (``kg/resolve/``).
"""
from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Callable, Iterable, Optional

from . import config
from .errors import KgError
from .results import QueryResult
from .text import fold

HOW = ("stated", "attested", "bounded")  # strongest first
Span = tuple[date, Optional[date]]  # first and last day; None: open on the right
_PREFIXES = ("PREFIX vnkg: <https://w3id.org/vnkg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:Z|[+-]\d\d:\d\d)?")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


class NoMatch(KgError):
    """A person, body, post or role that no tenure of the dataset has."""


class Ambiguous(KgError):
    """A name that several people (or bodies, or posts) share; the message lists them."""


@dataclass(frozen=True)
class Step:
    """One tenure: who held which post, with the dates the sources give (lexical forms)."""

    tenure: str
    person: str
    name: str
    post: str
    post_label: str
    role: str
    body: str
    body_label: str
    start: str = ""  # stated: an xsd:date, gYearMonth or gYear
    end: str = ""
    first: str = ""  # first attested: the earliest publication date showing it held
    last: str = ""
    ended_before: str = ""  # the first publication date calling it former
    previous: tuple[str, ...] = ()  # the tenures it succeeds
    following: tuple[str, ...] = ()  # the tenures that succeed it
    next_begins: str = ""  # the day the first successor's evidence begins

    @property
    def begins(self) -> Optional[date]:
        """The day its evidence begins: the stated start's first day or the first attestation."""
        return _earliest(self.start, self.first)


@dataclass(frozen=True)
class Evidence:
    source: str  # the source's IRI
    name: str  # its file name
    published: str
    says: str  # start, end, holds, former; "" when the source names the tenure without a sentence kept
    sentence: str


@dataclass(frozen=True)
class Answer:
    step: Step
    how: str  # stated, attested or bounded
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Succession:
    before: Step
    after: Step

    @property
    def how(self) -> str:
        """How the handover is known: the successor's stated start, else its first attestation."""
        return "stated" if self.after.start else "attested"


# --- dates ----------------------------------------------------------------------------

def span(value: str) -> tuple[date, date]:
    """The first and last day of an xsd:date, gYearMonth or gYear: "2020-10" → 1 and 31 October."""
    m = _DATE.fullmatch(value.strip())
    try:
        if m is None:
            raise ValueError("write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month = int(m[1]), int(m[2] or 0)
        if m[3]:
            return date(year, month, int(m[3])), date(year, month, int(m[3]))
        if month:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError as exc:
        raise KgError(f"{value!r} is not a date ({exc})") from None


def day(text: str | date) -> date:
    """A day as a user writes it: 2021-06-30 or 30/6/2021 (a month or a year is refused)."""
    if isinstance(text, date):
        return text
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    iso = f"{m[3]}-{int(m[2]):02}-{int(m[1]):02}" if m else text.strip()
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", iso):
        raise KgError(f"{text!r} is not a day; write 2021-06-30 or 30/6/2021")
    return span(iso)[0]


def _earliest(*values: str) -> Optional[date]:
    days = [span(v)[0] for v in values if v]
    return min(days) if days else None


def _day_before(d: Optional[date]) -> Optional[date]:
    return None if d is None else d - timedelta(days=1)


def stated(step: Step) -> Optional[Span]:
    """From the stated start to the stated end; without one, until the day before a successor
    begins or a source calls it former."""
    if not step.start:
        return None
    if step.end:
        return span(step.start)[0], span(step.end)[1]
    return span(step.start)[0], _day_before(_earliest(step.next_begins, step.ended_before))


def attested(step: Step) -> Optional[Span]:
    """From the first to the last publication date showing it held."""
    return (span(step.first)[0], span(step.last)[1]) if step.first and step.last else None


def bounded(step: Step) -> Optional[Span]:
    """From the day its evidence begins to the first event that excludes it: its stated end,
    the day before a source calls it former or before its successor begins; else open."""
    if step.begins is None:
        return None
    stops = [span(step.end)[1] if step.end else None,
             _day_before(_earliest(step.ended_before, step.next_begins))]
    known = [d for d in stops if d is not None]
    return step.begins, min(known) if known else None


def spans(step: Step) -> dict[str, Span]:
    """The step's non-empty spans by class, strongest first."""
    found = {"stated": stated(step), "attested": attested(step), "bounded": bounded(step)}
    return {how: s for how, s in found.items() if s is not None and (s[1] is None or s[0] <= s[1])}


def how_held(step: Step, on: date) -> Optional[str]:
    """The strongest class in which the step's holder held its post on the day `on`, if any."""
    for how, (lo, hi) in spans(step).items():
        if lo <= on and (hi is None or on <= hi):
            return how
    return None


# --- asking the dataset -----------------------------------------------------------------

def select(ds: Any, text: str) -> QueryResult:
    """One SELECT over a pyoxigraph store, an rdflib Dataset, or an engine with ``query``."""
    import pyoxigraph as ox
    from rdflib import Dataset
    if isinstance(ds, ox.Store):
        from .store import query
        return query(ds, text)
    if isinstance(ds, Dataset):
        from .sparql import run
        return run(ds, text)
    return ds.query(text)


def _cq(name: str, **values: Optional[Iterable[str]]) -> str:
    """A competency question's text with the IRIs given for its ``VALUES ?var { UNDEF }``."""
    text = (config.CQ_DIR / f"{name}.rq").read_text(encoding="utf-8")
    for var, iris in values.items():
        if iris is None:
            continue
        iris = list(iris)
        if any(_NOT_IN_IRI.search(i) for i in iris):
            raise NoMatch(f"not an IRI: {next(i for i in iris if _NOT_IN_IRI.search(i))!r}")
        text = text.replace(f"VALUES ?{var} {{ UNDEF }}", f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in iris)} }}")
    return text


def _records(result: QueryResult) -> list[dict[str, str]]:
    return [{v: "" if t is None else str(t) for v, t in zip(result.vars, row)} for row in result.rows]


def steps(ds: Any, *, tenure: Optional[Iterable[str]] = None, person: Optional[Iterable[str]] = None,
          post: Optional[Iterable[str]] = None, body: Optional[Iterable[str]] = None) -> list[Step]:
    """The tenures of the people, posts, bodies (IRIs) given — all when none is — in time order."""
    rows = _records(select(ds, _cq("tenure_dates", tenure=tenure, person=person, post=post, body=body)))
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["tenure"]].append(row)
    return sorted((_step(group) for group in grouped.values()), key=_in_time)


def _step(rows: list[dict[str, str]]) -> Step:
    def values(var: str) -> list[str]:
        return sorted({r[var] for r in rows if r[var]})

    def pick(var: str, choose: Callable = min, key: Callable = lambda v: v) -> str:
        found = values(var)
        return choose(found, key=key) if found else ""

    first_day, last_day = (lambda v: span(v)[0]), (lambda v: span(v)[1])
    begins = [b for r in rows if r["next"] and (b := _earliest(r["nextStart"], r["nextFirst"]))]
    return Step(rows[0]["tenure"], rows[0]["person"], pick("name"), rows[0]["post"], pick("postLabel"),
                pick("role"), rows[0]["body"], pick("bodyLabel"), pick("start", key=first_day),
                pick("end", max, last_day), pick("first", key=first_day), pick("last", max, last_day),
                pick("endedBefore", key=first_day), tuple(values("previous")), tuple(values("next")),
                min(begins).isoformat() if begins else "")


def _in_time(step: Step) -> tuple:
    return (step.begins or date.max, step.post_label, step.name, step.tenure)


# --- names ------------------------------------------------------------------------------

_CANDIDATES = {
    "person": "?t vnkg:holder ?x . OPTIONAL { ?t vnkg:post/rdfs:label ?hint }",
    "body": "?t vnkg:post/vnkg:postIn ?x .",
    "post": "?t vnkg:post ?x .",
}
_NONE_NAMED = {"person": "no person named {!r} holds a post in the dataset's tenures",
               "body": "no body named {!r} has a post with a tenure in the dataset",
               "post": "no post named {!r} has a tenure in the dataset"}


def resolve(ds: Any, text: str, kind: str) -> str:
    """The IRI of the person, body or post (`kind`) named by `text`: an IRI, or a name matched
    folded — the whole label first, else every word of it; NoMatch or Ambiguous otherwise."""
    query = (f"{_PREFIXES}SELECT DISTINCT ?x ?label ?hint WHERE {{ ?t a vnkg:Tenure . {_CANDIDATES[kind]} "
             "OPTIONAL { ?x rdfs:label|skos:altLabel ?label } }")
    labels: dict[str, set[str]] = defaultdict(set)
    hints: dict[str, set[str]] = defaultdict(set)
    for row in _records(select(ds, query)):
        labels[row["x"]].add(row["label"])
        hints[row["x"]].add(row["hint"])
    wanted = text.strip()
    if re.match(r"<?(https?|urn):", wanted):
        if wanted.strip("<>") in labels:
            return wanted.strip("<>")
        raise NoMatch(f"no tenure has the {kind} <{wanted.strip('<>')}>")
    key = fold(wanted)
    found = [iri for iri, names in labels.items() if key in {fold(n) for n in names}] or \
        [iri for iri, names in labels.items() if any(set(key.split()) <= set(fold(n).split()) for n in names)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NoMatch(_NONE_NAMED[kind].format(text))
    listed = "; ".join(f"<{iri}> {min(labels[iri])}" + (f" ({', '.join(sorted(hints[iri] - {''}))})"
                                                        if hints[iri] - {""} else "") for iri in sorted(found))
    plural = {"person": "people", "body": "bodies", "post": "posts"}[kind]
    raise Ambiguous(f"{text!r} names {len(found)} {plural}; give one of their IRIs: {listed}")


def _with_role(found: list[Step], role: Optional[str], where: str) -> list[Step]:
    if not role:
        return found
    kept = [s for s in found if fold(s.role) == fold(role)]
    if not kept:
        roles = ", ".join(sorted({s.role for s in found})) or "none"
        raise NoMatch(f"no post {role!r} has a tenure {where}; the roles there: {roles}")
    return kept


# --- the questions ----------------------------------------------------------------------

def held_on(ds: Any, on: date | str, post: Optional[str] = None, role: Optional[str] = None,
            body: Optional[str] = None) -> list[Answer]:
    """Who held the post (an IRI or name; or a role in a body; or every post) on the day `on`,
    how sure that is and the sentences behind it. On a post with one holder at a time only
    the strongest class found is kept; on others every holder is (docs/tenures.md)."""
    when = day(on)
    post_iri = resolve(ds, post, "post") if post else None
    body_iri = resolve(ds, body, "body") if body else None
    found = steps(ds, post=[post_iri] if post_iri else None, body=[body_iri] if body_iri else None)
    found = _with_role(found, role, f"in {body}" if body else "in the dataset")
    judged = [(s, how) for s in found if (how := how_held(s, when))]
    kept = _strongest(judged, found)
    evidence = sources(ds, [s.tenure for s, _ in kept])
    answers = [Answer(s, how, _relevant(evidence.get(s.tenure, ()), how)) for s, how in kept]
    return sorted(answers, key=lambda a: (a.step.post_label, HOW.index(a.how), a.step.name, a.step.tenure))


def _strongest(judged: list[tuple[Step, str]], found: list[Step]) -> list[tuple[Step, str]]:
    """On a post whose tenures are chained by vnkg:succeeds (the resolver chains only posts with
    one holder at a time), the tenures of the strongest class present; elsewhere all."""
    single = {s.post for s in found if s.previous or s.following}
    best: dict[str, int] = {}
    for s, how in judged:
        best[s.post] = min(best.get(s.post, len(HOW)), HOW.index(how))
    return [(s, how) for s, how in judged if s.post not in single or HOW.index(how) == best[s.post]]


def career(ds: Any, person: str) -> list[Step]:
    """The posts a person (IRI or name) held, in the order their evidence begins."""
    return steps(ds, person=[resolve(ds, person, "person")])


def leaders(ds: Any, body: str, role: Optional[str] = None) -> list[Step]:
    """The holders of a body's posts (of one role, if given) over time, post by post."""
    found = _with_role(steps(ds, body=[resolve(ds, body, "body")]), role, f"in {body}")
    return sorted(found, key=lambda s: (s.post_label, _in_time(s)))


def holders(ds: Any, post: str) -> list[Step]:
    """The holders of one post (IRI or name) over time."""
    return steps(ds, post=[resolve(ds, post, "post")])


def successions(ds: Any, body: Optional[str] = None) -> list[Succession]:
    """Who succeeded whom (vnkg:succeeds) in the posts of a body, or everywhere."""
    found = steps(ds, body=[resolve(ds, body, "body")] if body else None)
    by_iri = {s.tenure: s for s in found}
    pairs = [Succession(by_iri[p], s) for s in found for p in s.previous if p in by_iri]
    return sorted(pairs, key=lambda x: (x.after.post_label, _in_time(x.after)))


def tenure(ds: Any, iri: str) -> Optional[Step]:
    """One tenure by its IRI, or None."""
    found = steps(ds, tenure=[iri])
    return found[0] if found else None


def sources(ds: Any, tenures: Iterable[str]) -> dict[str, tuple[Evidence, ...]]:
    """The sources speaking of each tenure, with the sentences kept for it."""
    tenures = sorted(set(tenures))
    if not tenures:
        return {}
    found: dict[str, set[Evidence]] = defaultdict(set)
    for row in _records(select(ds, _cq("tenure_sources", tenure=tenures))):
        found[row["tenure"]].add(Evidence(row["source"], row["sourceName"], row["published"], row["says"],
                                          row["sentence"]))
    out = {}
    for iri, items in found.items():
        told = {e.source for e in items if e.sentence}  # a bare mention adds nothing to a sentence
        out[iri] = tuple(sorted((e for e in items if e.sentence or e.source not in told),
                                key=lambda e: (e.published, e.name, e.says)))
    return out


def _relevant(evidence: Iterable[Evidence], how: str) -> tuple[Evidence, ...]:
    """The evidence with what makes the class first: a stated date's sentence for "stated",
    the sentences showing the post held for the others."""
    order = ("start", "end", "holds", "former", "") if how == "stated" else ("holds", "former", "start", "end", "")
    return tuple(sorted(evidence, key=lambda e: (order.index(e.says) if e.says in order else len(order), e.published)))


# --- writing answers for `kg held`, `kg career`, `kg leaders`, `kg successions` --------------

TABLE = {
    "held": ("how", "name", "post_label", "start", "end", "first", "last", "source", "sentence"),
    "career": ("how", "post_label", "start", "end", "first", "last", "ended_before"),
    "leaders": ("post_label", "how", "name", "start", "end", "first", "last", "ended_before"),
    "successions": ("post_label", "before", "after", "handover", "how"),
}
_IRIS = {"held": ("person", "post", "tenure"), "career": ("person", "post", "tenure"),
         "leaders": ("person", "post", "tenure"), "successions": ("post", "before_tenure", "after_tenure")}


def record(item: Answer | Step | Succession) -> dict[str, Any]:
    """An answer as one flat dictionary (JSON, CSV and the table read it)."""
    if isinstance(item, Succession):
        return {"post": item.after.post, "post_label": item.after.post_label, "body_label": item.after.body_label,
                "before": item.before.name, "before_tenure": item.before.tenure, "after": item.after.name,
                "after_tenure": item.after.tenure,
                "handover": item.after.start or item.after.first, "how": item.how}
    if isinstance(item, Step):
        return {**asdict(item), "how": next(iter(spans(item)), "")}
    top = item.evidence[0] if item.evidence else None
    return {**asdict(item.step), "how": item.how, "source": top.name if top else "",
            "sentence": top.sentence if top else "", "evidence": [asdict(e) for e in item.evidence]}


def render(kind: str, items: list, fmt: str = "table") -> bytes:
    """`items` (answers of the question `kind`) as a table, CSV or JSON."""
    records = [record(i) for i in items]
    if fmt == "json":
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt not in ("table", "csv"):
        raise KgError(f"unknown format {fmt!r}; choose table, csv or json")
    from rdflib import Literal

    from .query import render as render_result
    columns = TABLE[kind] + (_IRIS[kind] if fmt == "csv" else ())
    rows = tuple(tuple(Literal(r[c]) if r.get(c) else None for c in columns) for r in records)
    return render_result(QueryResult("SELECT", vars=columns, rows=rows), fmt)


def summary(kind: str, items: list) -> str:
    """One line for stderr: how many answers, and of which class."""
    if kind == "held":
        counts = {how: sum(a.how == how for a in items) for how in HOW}
        told = ", ".join(f"{how} {n}" for how, n in counts.items() if n)
        return f"{len(items)} holder{'s' if len(items) != 1 else ''}" + \
            (f" ({told})" if told else " — nobody is known to hold it then")
    noun = {"career": "posts", "leaders": "tenures", "successions": "successions"}[kind]
    return f"{len(items)} {noun}"
