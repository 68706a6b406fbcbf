"""The scorer of the identity corpus (:mod:`benchmarks.identity`): pairwise precision and recall
of person identity, "who held P on D", and the build's stage times.

Builds the corpus twice — name-only identity (``person_identity = "name"``) and the default —
reads each dataset in pyoxigraph as `kg query` opens it, maps each source graph's person nodes to
the true people by the names the article writes, and asks `kg.when.held_on` the truth's questions.
"""
from __future__ import annotations

import gc
import json
import unicodedata
from pathlib import Path


def _key(name: str) -> str:
    from kg.text import normalise
    return " ".join(normalise(unicodedata.normalize("NFC", name)).text.split()).casefold()


def load(trig: Path):
    """The dataset file in a pyoxigraph store as `kg query` opens it (the union as default graph)."""
    from kg.store import open_store
    return open_store(trig, {"store_cache_mb": 1 << 20})


def graph_people(store) -> dict[tuple[str, str], set[str]]:
    """(source file, person node) → the node's labels in that source's graph."""
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?g ?p ?l WHERE { GRAPH ?g { ?p a <https://w3id.org/vnkg/ontology#Person> .
      { ?p rdfs:label ?l } UNION { ?p skos:altLabel ?l } } }"""
    out: dict[tuple[str, str], set[str]] = {}
    for g, p, label in store.query(query):
        if "/source/" in g.value:
            out.setdefault((g.value.rsplit("/", 1)[1], p.value), set()).add(label.value)
    return out


def map_mentions(t: dict, nodes: dict[tuple[str, str], set[str]]) -> tuple[dict, dict]:
    """Each graph mention (source, node) → its true person, by a label matching a written name
    of that article; and the counts of what could not be matched either way."""
    mapped, unmatched, ambiguous = {}, 0, 0
    written = {src: {} for src in t["articles"]}
    for src, ms in t["articles"].items():
        for m in ms:
            written[src].setdefault(_key(m["written"]), set()).add(m["person"])
    for (src, node), labels in nodes.items():
        ids = set().union(*(written.get(src, {}).get(_key(l), set()) for l in labels))
        if len(ids) == 1:
            mapped[(src, node)] = ids.pop()
        else:
            unmatched, ambiguous = unmatched + (not ids), ambiguous + (len(ids) > 1)
    found = {(src, pid) for (src, _), pid in mapped.items()}
    expected = {(src, m["person"]) for src, ms in t["articles"].items() for m in ms}
    return mapped, {"truth_mentions": len(expected), "graph_mentions": len(nodes), "mapped": len(mapped),
                    "missed": len(expected - found), "unmatched_nodes": unmatched, "ambiguous_nodes": ambiguous}


def pairwise(mapped: dict[tuple[str, str], str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the clustering (by node IRI) against the truth."""
    pairs = lambda counts: sum(c * (c - 1) // 2 for c in counts)
    cells, pred, true = {}, {}, {}
    for (_, node), pid in mapped.items():
        cells[(node, pid)] = cells.get((node, pid), 0) + 1
        pred[node], true[pid] = pred.get(node, 0) + 1, true.get(pid, 0) + 1
    tp, pp, tt = pairs(cells.values()), pairs(pred.values()), pairs(true.values())
    p, r = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "pairs_predicted": pp, "pairs_true": tt, "pairs_correct": tp}


def who_held(t: dict, store, mapped: dict) -> dict:
    """Accuracy of `kg.when.held_on` on the truth's questions (all, and those the corpus states):
    right when the people it answers are exactly the true holders."""
    try:
        from kg.when import held_on
    except ImportError as exc:
        return {"status": f"unavailable ({exc})"}
    from kg.errors import KgError
    votes: dict[str, dict[str, int]] = {}
    for (_, node), pid in mapped.items():
        votes.setdefault(node, {}).setdefault(pid, 0)
        votes[node][pid] += 1
    best = {node: max(c, key=c.get) for node, c in votes.items()}
    right, errors, wrong = {True: [0, 0], False: [0, 0]}, {}, []
    for q in t["questions"]:
        try:
            answers = held_on(store, q["date"], role=q["role"], body=q["body"])
            got = sorted({best.get(a.step.person, a.step.person) for a in answers})
        except KgError as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            got = [type(exc).__name__]
        right[q["stated"]][0] += got == q["holders"]
        right[q["stated"]][1] += 1
        if got != q["holders"] and len(wrong) < 12:
            wrong.append({**{k: q[k] for k in ("role", "body", "date", "holders", "stated")}, "answered": got})
    acc = lambda ok, n: round(ok / n, 4) if n else None
    return {"status": "ok", "stated": acc(*right[True]), "stated_questions": right[True][1],
            "all": acc(right[True][0] + right[False][0], right[True][1] + right[False][1]),
            "questions": right[True][1] + right[False][1], "errors": errors, "wrong_examples": wrong}


def score_build(folder: Path, trig: Path, mode: str | None, t: dict) -> dict:
    from kg.pipeline import build
    overrides = {"build_cache": "off", **({"person_identity": mode} if mode else {})}
    summary = build([folder], trig, overrides=overrides, log=lambda line: None, progress=False)
    store = load(trig)
    mapped, counts = map_mentions(t, graph_people(store))
    total = sum(summary.seconds.values())
    held = who_held(t, store, mapped)
    del store
    gc.collect()  # pyoxigraph results caught in cycles must be dropped on this thread, not a later build's
    return {"identity": mode or "default", "pairwise": pairwise(mapped), "mentions": counts,
            "who_held": held, "seconds": summary.seconds, "build_seconds": round(total, 3),
            "resolve_share": round(summary.seconds["resolve"] / total, 4) if "resolve" in summary.seconds else None}


def corpus_counts(t: dict) -> dict:
    return {"articles": len(t["articles"]), "people": len(t["people"]), "homonym_groups": len(t["homonyms"]),
            "homonym_people": sum(map(len, t["homonyms"])), "rotations": len(t["rotations"]),
            "merged": len(t["merged"]), "variants": {k: len(v) for k, v in t["variants"].items()},
            "questions": len(t["questions"]), "stated_questions": sum(q["stated"] for q in t["questions"])}


def score(folder: Path, t: dict | None = None) -> dict:
    folder = Path(folder)
    t = t or json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    out = folder / "build"
    out.mkdir(exist_ok=True)
    return {"corpus": corpus_counts(t), "seed": t["seed"],
            "builds": [score_build(folder, out / f"{mode or 'default'}.trig", mode, t) for mode in ("name", None)]}
