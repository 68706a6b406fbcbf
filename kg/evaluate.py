"""Score a dataset against gold, through the competency questions.

Takes an rdflib Dataset (built and reasoned: ``vnkg:memberOf`` is inferred) and a gold
dict (:mod:`kg.gold`); runs the questions in ``kg/data/cq/*.rq`` over the union of its
graphs and returns :class:`Scores`: precision, recall and F1 per category, or a ratio,
the ``must_not`` pairs found, the wrong Wikidata links, and the overall figure, the mean
of the per-category F1s and ratios. The semantics are those of the shared scorer
(``eval/score.py``), so the figures agree. It does not build, reason or load files.
"""
from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from . import config
from .gold import Aliases, canonical_number, load_gold, load_golds, merge_gold, norm
from .vocab import VNKG

__all__ = ["Score", "Scores", "evaluate", "load_gold", "load_golds", "merge_gold", "render_text", "render_json"]

_DOC_ATTRIBUTES = ("type", "issued", "issuer")


@dataclass(frozen=True)
class Score:
    """One category: ``value`` is its F1, or its ratio when it has no precision and recall."""

    name: str
    value: float
    precision: float | None = None
    recall: float | None = None


@dataclass(frozen=True)
class Scores:
    """All categories in the shared scorer's order, and what the overall figure leaves out."""

    categories: tuple[Score, ...]
    must_not: int
    must_not_list: tuple[str, ...] = ()
    wikidata_wrong: int | None = None

    @property
    def overall(self) -> float:
        values = [c.value for c in self.categories]
        return sum(values) / len(values) if values else 0.0

    def __getitem__(self, name: str) -> Score:
        for category in self.categories:
            if category.name == name:
                return category
        raise KeyError(f"no category {name!r}; there are {', '.join(c.name for c in self.categories)}")


def prf(name: str, tp: int, npred: int, ngold: int) -> Score:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return Score(name, 2 * p * r / (p + r) if p + r else 0.0, p, r)


def _ratio(name: str, hits: int, total: int, empty: float = 1.0) -> Score:
    return Score(name, hits / total if total else empty)


@dataclass
class _Judge:
    """The dataset's answers and the gold's, with the name comparisons gold asks for."""

    graph: Graph
    gold: dict
    cq_dir: Path
    _rows: dict[str, list[dict]] = field(default_factory=dict)

    def rows(self, name: str) -> list[dict]:
        if name not in self._rows:
            query = (self.cq_dir / f"{name}.rq").read_text(encoding="utf-8")
            self._rows[name] = _select(self.graph, query)
        return self._rows[name]

    def entries(self, key: str) -> list:
        return self.gold.get(key) or []

    @cached_property
    def alias(self) -> Aliases:
        return Aliases(self.entries("aliases"))

    @cached_property
    def pname(self) -> Aliases:
        return Aliases(self.entries("person_aliases"))

    @cached_property
    def sources(self) -> set[str]:
        return set(self.gold.get("sources", {}))

    @cached_property
    def people(self) -> set[str]:
        return {self.pname(p["name"]) for p in self.entries("persons")}

    @cached_property
    def posts(self) -> set[tuple[str, str, str]]:
        return {(self.pname(r["name"]), norm(r["role"]), self.alias(r["body"])) for r in self.rows("posts")}

    @cached_property
    def members(self) -> list[tuple[str, str]]:
        return [(self.pname(r["name"]), self.alias(r["body"])) for r in self.rows("members")]


def _select(graph: Graph, query: str) -> list[dict]:
    """Rows of a SELECT as dicts of the bound variables."""
    with warnings.catch_warnings():
        # rdflib 7.6 warns about its own use of Dataset.default_context inside query().
        warnings.filterwarnings("ignore", r"(Dataset|ConjunctiveGraph)\b.*deprecated", DeprecationWarning)
        return [r.asdict() for r in graph.query(query)]


def evaluate(dataset: Dataset | Graph, gold: dict, cq_dir: Path | None = None) -> Scores:
    """Run the competency questions over ``dataset`` (all graphs united) and score them."""
    if isinstance(dataset, Dataset) and not dataset.default_union:
        dataset = Dataset(store=dataset.store, default_union=True)
    judge = _Judge(dataset, gold, cq_dir or config.CQ_DIR)
    categories = [_sources(judge), _persons(judge), _posts(judge), _members(judge)]
    categories += [*_documents(judge), _named_documents(judge), _citations(judge)]
    categories += [*_meetings(judge), _goals(judge)]
    wikidata, wrong = _wikidata(judge)
    bad = _must_not(judge)
    return Scores(tuple(categories + wikidata), len(bad), tuple(bad), wrong)


def _sources(j: _Judge) -> Score:
    found = {str(r["id"]) for r in j.rows("sources") if "id" in r}
    return prf("sources", len(found & j.sources), len(j.sources), len(j.sources))


def _persons(j: _Judge) -> Score:
    pred = {(j.pname(r["name"]), str(r.get("source"))) for r in j.rows("persons")}
    pred = {(n, s) for n, s in pred if s in j.sources}
    gold = {(j.pname(p["name"]), s) for p in j.entries("persons") for s in p["sources"]}
    return prf("persons", len(pred & gold), len(pred), len(gold))


def _posts(j: _Judge) -> Score:
    """A gold post is recalled if any accepted [role, body] is found; precision over the
    found posts of gold persons."""
    judged = {p for p in j.posts if p[0] in j.people}
    accepted: set = set()
    recalled = 0
    for post in j.entries("posts"):
        options = {(j.pname(post["person"]), norm(role), j.alias(body)) for role, body in post["accept"]}
        recalled += bool(options & judged)
        accepted |= options & judged
    p = len(accepted) / len(judged) if judged else 0.0
    r = recalled / len(j.entries("posts")) if j.entries("posts") else 0.0
    return Score("posts", 2 * p * r / (p + r) if p + r else 0.0, p, r)


def _members(j: _Judge) -> Score:
    tp = npred = ngold = 0
    for entry in j.entries("members"):
        body = j.alias(entry["body"])
        found = {name for name, b in j.members if b == body} & j.people
        wanted = {j.pname(n) for n in entry["persons"]}
        tp, npred, ngold = tp + len(found & wanted), npred + len(found), ngold + len(wanted)
    return prf("members", tp, npred, ngold)


def _must_not(j: _Judge) -> list[str]:
    """Gold's forbidden (person, body) pairs found as a post or a membership."""
    pairs = {(name, body) for name, _, body in j.posts} | set(j.members)
    return [f'{m["person"]} / {m["body"]}' for m in j.entries("must_not")
            if (j.pname(m["person"]), j.alias(m["body"])) in pairs]


def _documents_found(j: _Judge) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for r in j.rows("documents"):
        d = docs.setdefault(str(r["doc"]), {"number": canonical_number(r["number"]), "type": set(),
                                            "issued": set(), "issuer": set(), "sources": set()})
        if r.get("type"):
            d["type"].add(str(r["type"]).replace(str(VNKG), ""))
        if r.get("issued"):
            d["issued"].add(str(r["issued"])[:10])
        if r.get("issuer"):
            d["issuer"].add(j.alias(r["issuer"]))
        if r.get("source"):
            d["sources"].add(str(r["source"]))
    return docs


def _documents(j: _Judge) -> list[Score]:
    """Numbered documents found; their type, date and issuer; one node across sources."""
    docs = list(_documents_found(j).values())
    gold = j.entries("documents")
    found = {d["number"] for d in docs if d["sources"] & j.sources}
    wanted = {canonical_number(d["number"]) for d in gold}
    right = judged = merged = 0
    for entry in gold:
        keys = [k for k in _DOC_ATTRIBUTES if entry.get(k) and entry.get(k) != "Other"]
        judged += len(keys)
        candidates = [d for d in docs if d["number"] == canonical_number(entry["number"])]
        if not candidates:
            continue
        best = max(candidates, key=lambda d: len(d["sources"] & set(entry["sources"])))
        right += sum(_attribute(j, k, entry[k]) in best[k] for k in keys)
        merged += set(entry["sources"]) <= best["sources"]
    return [prf("documents", len(found & wanted), len(found), len(wanted)),
            _ratio("doc_attributes", right, judged, empty=0.0),
            _ratio("doc_identity", merged, len(gold), empty=0.0)]


def _attribute(j: _Judge, key: str, value: str) -> str:
    return j.alias(value) if key == "issuer" else value


def _key_words(label: str) -> list[str]:
    """The first six key words of a gold label (words of two letters or more), which a found
    label must contain."""
    return [w for w in re.split(r"[ ,]+", norm(label)) if len(w) > 1][:6]


def _named_documents(j: _Judge) -> Score:
    """Recall of named documents: the first six key words of gold's label in a found label,
    from one of its sources."""
    rows = j.rows("named_documents")
    hits = 0
    for entry in j.entries("named_documents"):
        words = _key_words(entry["label"])
        hits += any(all(w in norm(r["label"]) for w in words)
                    and (not r.get("source") or str(r["source"]) in entry["sources"]) for r in rows)
    return _ratio("named_documents", hits, len(j.entries("named_documents")))


def _citations(j: _Judge) -> Score:
    """Recall of cited numbers, from a citing document whose label has the first six key words
    of gold's citing label."""
    rows = j.rows("citations")
    got = want = 0
    for entry in j.entries("citations"):
        words = _key_words(entry["citing"])
        cited = {canonical_number(r["number"]) for r in rows if all(w in norm(r["citingLabel"]) for w in words)}
        wanted = {canonical_number(n) for n in entry["cited"]}
        got, want = got + len(cited & wanted), want + len(wanted)
    return _ratio("citations", got, want)


def _meetings(j: _Judge) -> list[Score]:
    """Per gold meeting: one found in its source, with its date, organiser and speakers."""
    rows = j.rows("meetings")
    n = {"found": 0, "date": 0, "date_all": 0, "org": 0, "org_all": 0, "speaker": 0, "speaker_all": 0}
    for entry in j.entries("meetings"):
        found = [r for r in rows if str(r.get("source")) == entry["source"]]
        n["found"] += bool(found)
        if entry.get("date"):
            n["date_all"] += 1
            n["date"] += any(str(r.get("date", ""))[:10] == entry["date"] for r in found)
        if entry.get("organizer"):
            n["org_all"] += 1
            n["org"] += any(j.alias(r.get("organizer")) == j.alias(entry["organizer"]) for r in found)
        wanted = {j.pname(s) for s in entry.get("speakers") or []}
        n["speaker_all"] += len(wanted)
        n["speaker"] += len(wanted & {j.pname(r.get("speaker")) for r in found})
    return [_ratio("meetings", n["found"], len(j.entries("meetings"))),
            _ratio("meeting_dates", n["date"], n["date_all"]),
            _ratio("meeting_organizers", n["org"], n["org_all"]),
            _ratio("meeting_speakers", n["speaker"], n["speaker_all"])]


def _goals(j: _Judge) -> Score:
    """Recall of goals: all of gold's keywords in the literals of one goal from its source."""
    goals: dict[str, dict] = {}
    for r in j.rows("goals"):
        g = goals.setdefault(str(r["goal"]), {"text": "", "sources": set()})
        g["text"] += " " + norm(r.get("text")) + " " + norm(r.get("value"))
        if r.get("source"):
            g["sources"].add(str(r["source"]))
    hits = sum(any(entry["source"] in g["sources"] and all(norm(k) in g["text"] for k in entry["keywords"])
                   for g in goals.values()) for entry in j.entries("goals"))
    return _ratio("goals", hits, len(j.entries("goals")))


def _wikidata(j: _Judge) -> tuple[list[Score], int | None]:
    """Links judged against gold's verified items: a label gold lists linked elsewhere is wrong."""
    items = j.entries("wikidata")
    if not items:
        return [], None
    qid_of = {norm(label): w["qid"] for w in items for label in w["labels"]}
    linked = {(norm(r["label"]), str(r["item"]).rsplit("/", 1)[-1]) for r in j.rows("wikidata")}
    judged = [(label, q) for label, q in linked if label in qid_of]
    right = {q for label, q in judged if qid_of[label] == q}
    wrong = sum(qid_of[label] != q for label, q in judged)
    return [prf("wikidata", len(right), len(right) + wrong, len(items))], wrong


def render_text(scores: Scores) -> str:
    """One line per category, must_not and wrong links, then the overall line."""
    lines = []
    for c in scores.categories:
        if c.precision is None:
            lines.append(f"{c.name:20s} {c.value:.3f}")
        else:
            lines.append(f"{c.name:20s} P={c.precision:.3f} R={c.recall:.3f} F1={c.value:.3f}")
        if c.name == "members":
            lines.append(f"{'must_not':20s} {scores.must_not}")
            lines.extend(f"  must_not violated: {v}" for v in scores.must_not_list)
    if scores.wikidata_wrong is not None:
        lines.append(f"{'wikidata_wrong':20s} {scores.wikidata_wrong}")
    lines.append(f"overall F1={scores.overall:.3f} must_not={scores.must_not}")
    return "\n".join(lines)


def as_dict(scores: Scores) -> dict[str, Any]:
    """The scores as plain data: categories by name, the counts, the overall figure."""
    return {
        "categories": {c.name: {"value": c.value, "precision": c.precision, "recall": c.recall}
                       for c in scores.categories},
        "must_not": scores.must_not,
        "must_not_list": list(scores.must_not_list),
        "wikidata_wrong": scores.wikidata_wrong,
        "overall": scores.overall,
    }


def render_json(scores: Scores) -> str:
    return json.dumps(as_dict(scores), ensure_ascii=False, indent=1)
