"""Ask Wikidata about the targets the curated table could not link, and check its links.

Takes targets, decisions and a :class:`~kg.link.wikidata.WikidataClient`; returns decisions.
For each target it gathers candidates from ``wbsearchentities`` (the name with and without
diacritics) and an exact-label SPARQL query, reads them with ``wbgetentities`` (and the
labels of the positions, places and parties their claims name, and of the places their
positions are held in), and ranks them with
:mod:`kg.link.rank`. Links from the curated table are confirmed with one ``wbgetentities``
call: an item now missing or redirected is not linked. No scoring happens here.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from ..errors import LinkError
from ..text import fold
from .match import Decision, Target, decide, local_kind
from .rank import POLICIES, Candidate, parse_entity, score_candidate
from .wikidata import BATCH, WikidataClient

ENTITY = "http://www.wikidata.org/entity/"
REFERENCED = ("P39", "P131", "P102")


def online_decision(target: Target, client: WikidataClient) -> Decision:
    """Rank what Wikidata offers for one target and decide under its kind's policy."""
    kind = local_kind(target)
    if kind not in POLICIES:
        return Decision(target, (), None, "none", "not searched online")
    candidates = fetch_candidates(target, client)
    names = referenced_labels(candidates, client)
    scored = (score_candidate(target, c, names) for c in candidates)
    return decide(target, [s for s in scored if s is not None], POLICIES[kind])


def fetch_candidates(target: Target, client: WikidataClient, limit: int = 7) -> tuple[Candidate, ...]:
    """Items that may be the target: search hits and exact-label matches, read in full."""
    ids: dict[str, None] = {}
    for text in dict.fromkeys((target.label, fold(target.label))):
        ids.update(dict.fromkeys(hit["id"] for hit in client.search(text, language="vi", limit=limit)))
    ids.update(dict.fromkeys(exact_label_ids(target.label, client)))
    wanted = [q for q in ids if _is_qid(q)][:BATCH]
    docs = client.entities(wanted) if wanted else {}
    return tuple(c for c in (parse_entity(docs[q]) for q in wanted if q in docs) if c is not None)


def exact_label_ids(label: str, client: WikidataClient) -> list[str]:
    """Items whose Vietnamese label or alias is exactly `label` (query service)."""
    query = ("SELECT DISTINCT ?item WHERE { ?item rdfs:label|skos:altLabel "
             f"{sparql_string(label)}@vi . }} LIMIT 20")
    out = []
    for row in client.sparql(query):
        value = row.get("item", {}).get("value", "") if isinstance(row, dict) else ""
        if not value.startswith(ENTITY):
            raise LinkError(f"SPARQL row without an item IRI: {str(row)[:80]!r}")
        out.append(value[len(ENTITY):])
    return out


def sparql_string(text: str) -> str:
    """A SPARQL string literal holding `text`, escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def referenced_labels(candidates: Sequence[Candidate], client: WikidataClient) -> dict[str, str]:
    """Vietnamese (else English) labels of the items the candidates' claims point to."""
    claims = [c for cand in candidates for p in REFERENCED for c in cand.values(p)]
    found = {c.value for c in claims} | {qid for c in claims for _, qid in c.where}
    refs = sorted((q for q in found if _is_qid(q)), key=lambda q: int(q[1:]))
    if not refs:
        return {}
    docs = client.entities(refs, props="labels")
    return {q: _label(docs[q]) for q in refs if isinstance(docs.get(q), dict) and _label(docs[q])}


def confirm(decisions: Sequence[Decision], client: WikidataClient) -> tuple[Decision, ...]:
    """Check each table link with Wikidata: drop it if the item is missing or redirected."""
    linked = [d.chosen.qid for d in decisions if d.chosen is not None]
    docs = client.entities(linked, props="info") if linked else {}
    for doc in list(docs.values()):
        moved = doc.get("redirects") if isinstance(doc, dict) else None
        if isinstance(moved, dict) and moved.get("from"):
            docs[moved["from"]] = doc  # the API files a redirected id under its target
    return tuple(_confirmed(d, docs) for d in decisions)


def _confirmed(decision: Decision, docs: dict[str, Any]) -> Decision:
    if decision.chosen is None:
        return decision
    qid = decision.chosen.qid
    doc = docs.get(qid)
    if not isinstance(doc, dict) or "missing" in doc:
        return replace(decision, chosen=None, status="unconfirmed", note=f"{qid} is missing on Wikidata")
    if doc.get("id") != qid:
        return replace(decision, chosen=None, status="unconfirmed", note=f"{qid} now redirects to {doc.get('id')}")
    return decision


def _label(doc: dict[str, Any]) -> str:
    labels = doc.get("labels", {})
    for lang in ("vi", "en"):
        if isinstance(labels.get(lang), dict):
            return str(labels[lang].get("value", ""))
    return ""


def _is_qid(value: str) -> bool:
    return isinstance(value, str) and value[:1] == "Q" and value[1:].isdigit()
