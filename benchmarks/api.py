"""The notebook API at 100,000 rows: from a query to a typed pandas DataFrame, without rdflib.

Measures ``kg.open(GRAPH).query(Q).to_pandas()`` — the dataset's on-disk pyoxigraph store
(kg/store/), the answer read through the engine's TSV writer into Python values
(kg/backends.py, kg/terms.py), the DataFrame with typed columns and a label column beside each
column of IRIs (kg/rows.py) — for queries returning 100,000 rows over a generated corpus
(2,500 articles: 1.9 million asserted triples, 259,000 evidence nodes). Each figure is the
median of `--repeat` runs in one process after one warm-up run; the engine alone (pyoxigraph
writing the same answer as TSV) and the older route through rdflib terms (``kg.store.query``,
then a DataFrame of ``toPython()`` values, no labels) are measured side by side. Target: under
3 s for the first query. The corpus and the dataset are made first when missing (their
commands are recorded).

    python -m benchmarks.api --graph /tmp/vnkg-bench/api-2500/kg.trig --out benchmarks/results/api-100k.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from benchmarks.measure import kg_command, median, run, table

TARGET_SECONDS = 3.0
ROWS = 100_000
_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
QUERIES = {
    # every kind of term: IRIs with labels, Vietnamese text, dates, integers, decimals, years
    "triples": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100000",
    # the evidence behind facts: a union and a join of nine patterns over three nodes, the engine's heaviest part
    "evidence": _PREFIXES + """SELECT ?evidence ?subject ?predicate ?source ?sentence ?start ?end ?rule WHERE {
  GRAPH ?g { { ?evidence rdf:subject ?subject ; rdf:predicate ?predicate ; vnkg:mention ?m }
              UNION { ?m vnkg:supports|vnkg:denotes|vnkg:relates ?subject BIND(?m AS ?evidence) BIND(rdf:type AS ?predicate) } }
  ?m vnkg:inSentence ?in ; vnkg:start ?start ; vnkg:end ?end ; vnkg:rule ?rule .
  ?in vnkg:source ?src ; rdf:value ?sentence .
  ?src dcterms:identifier ?source .
} LIMIT 100000""",
}


def prepare(graph: Path, articles: int, seed: int) -> list[str]:
    """Generate and build the corpus behind `graph` unless it is there; the commands used."""
    corpus = graph.parent.parent / f"corpus-{articles}"
    commands = [f"{sys.executable} -m benchmarks.generate {articles} {corpus} --seed {seed}",
                " ".join(kg_command("build", str(corpus), "-o", str(graph)))]
    if not graph.exists():
        from benchmarks.generate import write_corpus
        if not corpus.exists():
            write_corpus(articles, corpus, seed)
        done = run(kg_command("build", str(corpus), "-o", str(graph)), {"CI": "true"})
        if done["exit"] != 0:
            raise SystemExit(f"{done['command']} failed:\n{done['stderr']}")
    return commands


def api_run(graph: Path, query: str) -> dict:
    """One run of the API: seconds to the rows, to the DataFrame, and the frame's shape."""
    import kg
    t0 = time.perf_counter()
    result = kg.open(graph).query(query)
    t1 = time.perf_counter()
    frame = result.to_pandas()
    t2 = time.perf_counter()
    return {"rows_s": t1 - t0, "frame_s": t2 - t1, "total_s": t2 - t0, "rows": len(frame),
            "dtypes": {c: str(t) for c, t in frame.dtypes.items()}}


def engine_run(graph: Path, query: str) -> float:
    """Seconds pyoxigraph takes to evaluate the query and write its answer as TSV."""
    import pyoxigraph as ox
    from kg.store import open_store
    store = open_store(graph)
    t0 = time.perf_counter()
    store.query(query).serialize(format=ox.QueryResultsFormat.TSV)
    return time.perf_counter() - t0


def rdflib_terms_run(graph: Path, query: str) -> float:
    """Seconds of the older route: kg.store.query (rdflib terms), then a DataFrame of their values."""
    import pandas as pd
    from kg.store import open_store, query as store_query
    t0 = time.perf_counter()
    result = store_query(open_store(graph), query)
    pd.DataFrame([[None if t is None else t.toPython() for t in row] for row in result.rows], columns=result.vars)
    return time.perf_counter() - t0


def measure(graph: Path, name: str, query: str, repeat: int) -> dict:
    api_run(graph, query)  # warm-up: the store's files in the page cache, the modules imported
    runs = [api_run(graph, query) for _ in range(repeat)]
    engine = [engine_run(graph, query) for _ in range(repeat)]
    older = [rdflib_terms_run(graph, query) for _ in range(repeat)]
    out = {"query": query, "rows": runs[0]["rows"], "columns": runs[0]["dtypes"],
           "api_total_s": round(median([r["total_s"] for r in runs]), 3),
           "api_rows_s": round(median([r["rows_s"] for r in runs]), 3),
           "api_frame_s": round(median([r["frame_s"] for r in runs]), 3),
           "api_total_runs_s": [round(r["total_s"], 3) for r in runs],
           "engine_tsv_s": round(median(engine), 3),
           "via_rdflib_terms_s": round(median(older), 3)}
    out["api_over_engine_s"] = round(out["api_total_s"] - out["engine_tsv_s"], 3)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.api", description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=Path("/tmp/vnkg-bench/api-2500/kg.trig"))
    ap.add_argument("--articles", type=int, default=2500, help="articles of the corpus made when --graph is missing")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/api-100k.json"))
    a = ap.parse_args(argv)
    commands = prepare(a.graph, a.articles, a.seed)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    load = os.getloadavg()
    results = {name: measure(a.graph, name, q, a.repeat) for name, q in QUERIES.items()}
    import pandas
    import pyoxigraph
    report = {
        "command": "python -m benchmarks.api " + " ".join(argv if argv is not None else sys.argv[1:]),
        "dataset_commands": commands, "started": started,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "pyoxigraph": pyoxigraph.__version__, "pandas": pandas.__version__,
                    "load_average_at_start": [round(x, 2) for x in load]},
        "dataset": {"graph": str(a.graph), "bytes": a.graph.stat().st_size},
        "repeat": a.repeat, "target_s": TARGET_SECONDS, "queries": results,
        "target_met": results["triples"]["api_total_s"] < TARGET_SECONDS and results["triples"]["rows"] == ROWS,
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rows = [{"query": n, "rows": r["rows"], "api total s": r["api_total_s"], "to rows s": r["api_rows_s"],
             "to frame s": r["api_frame_s"], "engine s": r["engine_tsv_s"], "via rdflib s": r["via_rdflib_terms_s"]}
            for n, r in results.items()]
    print(table(rows, list(rows[0])))
    print(f"target {TARGET_SECONDS:g} s for {ROWS:,} rows (triples): {'met' if report['target_met'] else 'NOT met'}; "
          f"written to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
