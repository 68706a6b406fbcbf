"""Entity pages and search at scale: the hubs a large corpus makes (the party, the country, named
by every article) and the people named most, as HTML and as Turtle, and searches for them,
through the server's own routes.

Opens the dataset as `kg serve` does (``server.app.create_app``, in process, Flask's test
client: no HTTP, no gunicorn) and times ``GET /id/…`` for the `--hubs` entities with the most
sources (``vnkg:mentionedIn``) and the `--people` people with the most, `--repeat` times each, the
first run apart (cold caches); records each answer's size. Then ``GET /search`` for each
entity's label as written, without diacritics, and after a title, and what many labels begin
with or hold; then the Service Description (``GET /sparql``) and ``/stats``, which name every
graph; and the time the app took to start (its search index is made then, or read back from the
on-disk store's folder where an earlier start kept it: ``--forget-index`` removes it first), and to
start again (reading what the first start kept). A page is bounded by the settings
``entity_page_values`` and ``entity_page_sources`` (docs/server.md).

    python -m benchmarks.pages /tmp/vnkg-bench/build-100000/kg.trig --out benchmarks/results/pages-100000.json
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from benchmarks.measure import header, median, save, table, timed

V = "https://w3id.org/vnkg/ontology#"
HUBS = f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ ?e <{V}mentionedIn> ?src }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT %d"
PEOPLE = (f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ ?e a <{V}Person> ; <{V}mentionedIn> ?src }} "
          "GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT %d")
ACCEPT = {"html": "text/html", "turtle": "text/turtle"}


def measure(graph: Path, hubs: int, people: int, repeat: int, exports: Sequence[str] = (),
            forget_index: bool = False) -> dict:
    from kg import config, store
    from kg.toolkit.search import KEPT
    from server.app import create_app
    kept = store.store_folder(graph) / KEPT
    if forget_index:
        kept.unlink(missing_ok=True)
    had = kept.exists()
    started = time.perf_counter()
    app = create_app({"GRAPH": str(graph)})
    opened = time.perf_counter() - started
    started = time.perf_counter()
    create_app({"GRAPH": str(graph)}).extensions["kg"]["engine"].close()
    again = time.perf_counter() - started
    try:
        ox_store = store.open_store(graph)
        chosen = [(row[0].value, int(row[1].value)) for row in ox_store.query(HUBS % hubs)]
        chosen += [(row[0].value, int(row[1].value)) for row in ox_store.query(PEOPLE % people)]
        asked = _queries(ox_store, [iri for iri, _ in chosen])
        del ox_store
        base, client, rows = config.get("base_iri"), app.test_client(), []
        for iri, sources in chosen:
            for kind, accept in ACCEPT.items():
                times, answer = timed(lambda: client.get("/id/" + iri[len(base):], headers={"Accept": accept}),
                                      repeat + 1)
                rows.append({"entity": iri, "sources": sources, "as": kind, "status": answer.status_code,
                             "bytes": len(answer.data), **_spread(times), "runs": repeat})
        searches = []
        for query in asked:
            times, answer = timed(lambda: client.get("/search", query_string={"q": query, "format": "json"}), repeat + 1)
            hits = answer.get_json()["results"]
            searches.append({"query": query, "hits": len(hits), "first": hits[0]["label"] if hits else "",
                             **_spread(times), "runs": repeat})
        service = []  # what a SPARQL client or a monitor asks first: the Service Description, the graphs
        for path, accept in (("/sparql", "text/turtle"), ("/stats", "application/json")):
            times, answer = timed(lambda: client.get(path, headers={"Accept": accept}), repeat + 1)
            service.append({"path": path, "status": answer.status_code, "bytes": len(answer.data), **_spread(times),
                            "runs": repeat})
        exported = [_export(client, query) for query in _exports(app, exports)]
    finally:
        app.extensions["kg"]["engine"].close()
    return {"graph": str(graph), "app_s": round(opened, 1), "app_again_s": round(again, 1), "index_kept_before": had,
            "index_kept_after": kept.exists(), "pages": rows, "searches": searches, "service": service,
            "exports": exported,
            "settings": {k: config.get(k) for k in ("entity_page_values", "entity_page_sources")}}


def _exports(app, kinds: Sequence[str]) -> list[dict]:
    """The `/export` queries of `kinds`: a graph's kind ("inferred", "links", "ontology",
    "tenures"; "source": the first source's) as Turtle and as N-Triples, "whole": every graph
    as N-Quads."""
    store = app.extensions["kg"]["store"]
    by_kind = {kind: iri for iri, kind in store.graph_kinds().items() if iri in store.graph_counts}
    by_kind["source"] = next((g for g in store.graph_counts if g not in store.graph_kinds()), None)
    asked: list[dict] = []
    for kind in kinds:
        if kind == "whole":
            asked.append({"format": "nquads"})
        elif by_kind.get(kind):
            asked += [{"graph": by_kind[kind], "format": f} for f in ("turtle", "ntriples")]
    return asked


def _export(client, query: dict) -> dict:
    """One export, read as a client reads it (streamed: its bytes counted, not kept), timed once."""
    started, size = time.perf_counter(), 0
    answer = client.get("/export", query_string=query, buffered=False)
    for chunk in answer.response:
        size += len(chunk)
    answer.close()
    return {**query, "status": answer.status_code, "bytes": size, "s": round(time.perf_counter() - started, 3)}


def _spread(times: list[float]) -> dict:
    """The first run (cold caches) apart, the median of the others."""
    return {"first_s": round(times[0], 3), "p50_s": round(median(times[1:]), 3)}


def _queries(ox_store, iris: list[str]) -> list[str]:
    """What a reader types to find the entities timed: each label as written, without its
    diacritics, and a person's after a title; and what tens of thousands of labels begin with or
    hold: a title, a body's kind, a meeting, the party."""
    from kg.text import fold
    found = ["Bí thư Tỉnh ủy", "Tỉnh ủy", "Phó Chủ tịch", "Hội nghị", "đảng"]
    for iri in iris:
        label = next((row[0].value for row in ox_store.query(
            f"SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?l LIMIT 1")), "")
        if label:
            found += [label, fold(label)] + (["đồng chí " + label] if "/person/" in iri else [])
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="a built dataset file (kg.trig)")
    ap.add_argument("--hubs", type=int, default=5, help="entities with the most sources (default: %(default)s)")
    ap.add_argument("--people", type=int, default=3, help="people with the most sources (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=5, help="runs after the first (default: %(default)s)")
    ap.add_argument("--exports", default="", help="also time /export, once each, comma-separated: a graph's kind "
                    "(inferred, links, ontology, tenures, source: the first source's) as Turtle and N-Triples, "
                    "whole: every graph as N-Quads")
    ap.add_argument("--forget-index", action="store_true", help="remove the search index an earlier start kept, "
                    "so the first start makes it")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/pages.json"))
    a = ap.parse_args(argv)
    if not a.graph.exists():
        raise SystemExit(f"{a.graph}: no such dataset; build one first (python -m benchmarks.run --phases generate,build)")
    result = {**header("benchmarks.pages", argv), **measure(a.graph, a.hubs, a.people, a.repeat, [k for k in a.exports.split(",") if k], a.forget_index)}
    print(table(result["pages"], ["entity", "sources", "as", "status", "bytes", "first_s", "p50_s"]))
    print(table(result["searches"], ["query", "hits", "first", "first_s", "p50_s"]))
    if result["exports"]:
        print(table(result["exports"], ["graph", "format", "status", "bytes", "s"]))
    print(f"app made (its search index with it{', kept before' if result['index_kept_before'] else ''}) in "
          f"{result['app_s']} s, again in {result['app_again_s']} s")
    save(a.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
