"""HTTP throughput and latency of `kg serve` against the `oxigraph` server on the same data.

Starts the production server of `kg serve` (``python -m server.run GRAPH``: gunicorn with its
default settings, so the safety is on: query time limit, result cap, memory cap, per-client
limit, SERVICE refused; the engine is the server's default unless ``--engine`` names one)
and the anchor, the `oxigraph` server from PyPI (``oxigraph serve-read-only``), over the
same data: the very on-disk store `kg serve` and `kg query` open for a large file
(``GRAPH.oxigraph/``, same engine version, the union of the named graphs materialised as the
default graph), or for a small file such a store made in a temporary folder by the same
loading function (:func:`kg.store._load`). Never both at once: first each alone answers
every competency question once, and both must give each the same number of rows; then, at
each concurrency, each in turn (started afresh, warmed by one pass over the questions) gets
`concurrency` client threads (each from its own loopback address) posting the questions
(kg/data/cq/*.rq, ``application/sparql-query``, JSON results) in their own shuffled order
for `seconds`. Reported per server and concurrency: requests/s, latency p50/p90/p99 (all and
per question), errors (any status but 200, or no answer; the first few with their message),
and the ratio vnkg ÷ oxigraph of requests/s. `--answers off` turns vnkg's kept answers off
(the engine asked every time; they are on by default).

    python -m benchmarks.http --graph /tmp/vnkg-bench/build-1000/kg.trig --concurrency 1,4,8 \\
        --seconds 30 --out benchmarks/results/http-1000.json
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import quote

from benchmarks.load import (ROOT, Call, Record, Tally, _free_port, _percentiles, _seeds_build, send,
                             start_server)
from benchmarks.measure import table

CQ_DIR = ROOT / "kg" / "data" / "cq"
JSON = "application/sparql-results+json"
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
TARGET = {"concurrency": 8, "ratio": 0.8}  # the scale issue's target (at 10,000 and 100,000 articles)


@dataclass(frozen=True)
class Side:
    """One server of the comparison: how to start it and where it answers SPARQL."""

    name: str
    path: str  # the query endpoint
    graph: Path  # the dataset file (vnkg) or the store folder (oxigraph)
    env: tuple[tuple[str, str], ...] = ()
    limit: int = 0  # each question asked for its first `limit` rows (LIMIT); 0: its whole answer

    def command(self, port: object) -> list[str]:
        if self.name == "vnkg":
            return [sys.executable, "-m", "server.run", str(self.graph), "--port", str(port)]
        return [str(OXIGRAPH), "serve-read-only", "--location", str(self.graph), "--bind", f"127.0.0.1:{port}"]

    def shown(self) -> str:
        env = " ".join(f"{k}={v}" for k, v in self.env)
        return (env + " " if env else "") + " ".join(self.command("PORT"))


def mix(side: Side) -> list[Call]:
    """The competency questions as requests to `side`, one per question, named by its file
    (each with ``LIMIT`` appended when the side asks for a first page)."""
    page = f"\nLIMIT {side.limit}\n".encode() if side.limit else b""
    return [Call(p.stem, "POST", side.path, p.read_bytes() + page,
                 (("Content-Type", "application/sparql-query"), ("Accept", JSON)))
            for p in sorted(CQ_DIR.glob("*.rq"))]


def ask(port: int, source: str, call: Call, timeout: float = 600) -> tuple[Record, bytes]:
    """One request on a fresh connection: its record (the message of an error in it) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    started = time.monotonic()
    try:
        connection.request(call.method, call.path, body=call.body or None, headers=dict(call.headers))
        response = connection.getresponse()
        body = response.read()
    except OSError as exc:
        return Record(call.kind, -1, time.monotonic() - started, repr(exc)), b""
    finally:
        connection.close()
    error = "" if response.status == 200 else f"HTTP {response.status}: {body[:300].decode('utf-8', 'replace')}"
    return Record(call.kind, response.status, time.monotonic() - started, error), body


def rows(port: int, side: Side) -> dict[str, Any]:
    """Rows of each question's answer (or the error it got): also the warm-up of a server."""
    found: dict[str, Any] = {}
    for call in mix(side):
        record, body = ask(port, "127.0.0.1", call)
        found[call.kind] = record.error or len(json.loads(body)["results"]["bindings"])
    return found


# --- the servers ---------------------------------------------------------------------------

def start_oxigraph(folder: Path, port: int, log: Path) -> subprocess.Popen:
    side = Side("oxigraph", "/query", folder)
    with log.open("wb") as out:
        process = subprocess.Popen(side.command(port), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}; see {log}")
        if send(port, "127.0.0.1", Call("ask", "GET", "/query?query=" + quote("ASK {}")), timeout=2).status == 200:
            return process
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("oxigraph did not come up within 120 s")


@contextlib.contextmanager
def running(side: Side, work: Path) -> Iterator[int]:
    """`side` serving on a free loopback port until the block ends; the port."""
    port, log = _free_port(), work / f"{side.name}.log"
    if side.name == "vnkg":
        with warnings.catch_warnings():  # start_server leaves closing its log file to the collector
            warnings.simplefilter("ignore", ResourceWarning)
            process = start_server(side.graph, port, log, dict(side.env))
    else:
        process = start_oxigraph(side.graph, port, log)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(60)


def anchor_store(graph: Path, work: Path) -> tuple[Path, str]:
    """The on-disk store the anchor serves, and where vnkg's copy of the data lives: the store
    beside a file larger than `store_cache_mb` (both serve it), else one made in `work` by the
    loading function of kg.store (vnkg loads the file into memory)."""
    from kg import config, store
    if graph.stat().st_size > float(config.get("store_cache_mb")) * 1024 * 1024:
        with store.locked(graph, exclusive=False):
            return store.disk_store(graph), "disk (the same folder)"
    import pyoxigraph as ox
    folder = work / "anchor.oxigraph"
    made = ox.Store(str(folder))
    store._load(made, graph)
    made.flush()
    made.optimize()
    del made
    return folder, "memory"


# --- the load --------------------------------------------------------------------------------

def drive(port: int, side: Side, concurrency: int, seconds: float, cycles: Optional[int] = None) -> dict[str, Any]:
    """`concurrency` clients, each cycling through the questions in its own shuffled order for
    `seconds`, or until it went `cycles` times through them."""
    tally, bodies, until = Tally(), {}, time.monotonic() + seconds

    def client(n: int) -> None:
        order = mix(side)
        random.Random(n).shuffle(order)
        for call in itertools.islice(itertools.cycle(order), cycles * len(order) if cycles else None):
            if time.monotonic() >= until:
                return
            record, body = ask(port, f"127.0.2.{n + 1}", call)
            tally.add(record)
            with tally.lock:
                bodies.setdefault(record.kind, set()).add(len(body))

    load, started = os.getloadavg()[0], time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(tally.records, time.monotonic() - started, bodies) | {
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)]}


def summary(records: list[Record], elapsed: float, bodies: dict[str, set[int]]) -> dict[str, Any]:
    failed = [r for r in records if r.status != 200]
    kinds = sorted({r.kind for r in records})
    by_cq = {k: _percentiles([r.seconds for r in records if r.kind == k]) | {"bytes": sorted(bodies.get(k, ()))}
             for k in kinds}
    return {"requests": len(records), "seconds": round(elapsed, 2),
            "requests_per_s": round(len(records) / elapsed, 2), "errors": len(failed),
            "first_errors": [vars(r) for r in failed[:5]],
            "latency": _percentiles([r.seconds for r in records]), "by_cq": by_cq}


def sides(graph: Path, folder: Path, settings: dict[str, str], limit: int = 0) -> tuple[Side, Side]:
    """vnkg with `settings` (KG_NAME=value) over its defaults, and the anchor over `folder`."""
    env = tuple((f"KG_{k.upper()}", v) for k, v in sorted(settings.items()))
    return Side("vnkg", "/sparql", graph, env, limit), Side("oxigraph", "/query", folder, (), limit)


def dataset(port: int, graph: Path) -> dict[str, Any]:
    """The size of the data as the vnkg server counts it (triples in its named graphs)."""
    _, body = ask(port, "127.0.0.1", Call("stats", "GET", "/stats"))
    stats = json.loads(body)
    return {"graph": str(graph), "bytes": graph.stat().st_size, "triples": stats["triples"],
            "named_graphs": len(stats["graphs"])}


def union_triples(port: int, side: Side) -> int:
    """Triples of the default graph (the union, each once), as the anchor counts them."""
    text = b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    call = Call("count", "POST", side.path, text, (("Content-Type", "application/sparql-query"), ("Accept", JSON)))
    _, body = ask(port, "127.0.0.1", call)
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def run(graph: Path, levels: list[int], seconds: float, settings: dict[str, str], work: Path,
        limit: int = 0) -> dict[str, Any]:
    folder, vnkg_data = anchor_store(graph, work)
    kg, ox = sides(graph, folder, settings, limit)
    result: dict[str, Any] = {"servers": {s.name: s.shown() for s in (kg, ox)}, "anchor_store": str(folder),
                              "vnkg_data": vnkg_data, "vnkg_settings": settings or "the server's defaults",
                              "questions": f"each one's first {limit} rows (LIMIT {limit})" if limit else "whole answers"}
    with running(kg, work) as port:
        result["dataset"], found = dataset(port, graph), {"vnkg": rows(port, kg)}
    with running(ox, work) as port:
        found["oxigraph"] = rows(port, ox)
        result["dataset"]["union_triples"] = union_triples(port, ox)
    result["rows"] = found | {"equal": found["vnkg"] == found["oxigraph"]}
    if not result["rows"]["equal"]:
        return result  # no measurement of servers that do not give the same answers
    result["levels"] = {str(n): level(kg, ox, n, seconds, work) for n in levels}
    return result


def level(kg: Side, ox: Side, concurrency: int, seconds: float, work: Path) -> dict[str, Any]:
    """Both servers at one concurrency, one after the other, each started afresh and warmed
    by its clients going once through the questions (the caches of all the processes that
    answer get warm: a server that runs for hours is measured, not its first minute)."""
    found: dict[str, Any] = {}
    for side in (kg, ox):
        with running(side, work) as port:
            warm = drive(port, side, concurrency, math.inf, cycles=1)
            found[side.name] = drive(port, side, concurrency, seconds) | {
                "warm_up": {k: warm[k] for k in ("requests", "seconds", "errors", "first_errors")}}
    ratio = found["vnkg"]["requests_per_s"] / max(found["oxigraph"]["requests_per_s"], 1e-9)
    same = all(found["vnkg"]["by_cq"][q]["bytes"] == found["oxigraph"]["by_cq"].get(q, {}).get("bytes")
               for q in found["vnkg"]["by_cq"])
    return found | {"ratio": round(ratio, 3), "same_answer_sizes": same}


# --- the report ------------------------------------------------------------------------------

def verdict(result: dict[str, Any]) -> dict[str, Any]:
    """The scale issue's target at its concurrency, if measured: vnkg ≥ 0.5 × oxigraph, no error."""
    lv = result.get("levels", {}).get(str(TARGET["concurrency"]))
    if lv is None:
        return {**TARGET, "measured": False}
    met = lv["ratio"] >= TARGET["ratio"] and lv["vnkg"]["errors"] == 0
    return {**TARGET, "measured": True, "ratio_measured": lv["ratio"], "vnkg_errors": lv["vnkg"]["errors"], "met": met}


def tables(result: dict[str, Any]) -> str:
    if "levels" not in result:
        return f"the servers disagree on row counts: {json.dumps(result['rows'], ensure_ascii=False)}"
    overall = [{"concurrency": n, "server": name, "req/s": lv[name]["requests_per_s"],
                **{k: lv[name]["latency"].get(f"{k}_ms") for k in ("p50", "p90", "p99")},
                "errors": lv[name]["errors"], "vnkg/oxigraph": lv["ratio"] if name == "vnkg" else ""}
               for n, lv in result["levels"].items() for name in ("vnkg", "oxigraph")]
    last = list(result["levels"].values())[-1]
    per_cq = [{"question": q, "rows": result["rows"]["vnkg"][q],
               **{f"{name} p50 ms": last[name]["by_cq"].get(q, {}).get("p50_ms") for name in ("vnkg", "oxigraph")}}
              for q in sorted(result["rows"]["vnkg"]) if q != "equal"]
    top = list(result["levels"])[-1]
    return "\n\n".join([table(overall, list(overall[0])) + "\n(p50/p90/p99 in ms)",
                        f"per question at concurrency {top}:\n" + table(per_cq, list(per_cq[0]))])


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.http", description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, help="dataset (default: the seeds, built first)")
    ap.add_argument("--concurrency", default="1,4,8", help="client threads, comma-separated levels")
    ap.add_argument("--seconds", type=float, default=30, help="measured seconds per server and level")
    ap.add_argument("--engine", choices=("oxigraph", "rdflib"), help="vnkg's engine (default: the server's)")
    ap.add_argument("--answers", choices=("on", "off"), default="on", help="vnkg's kept answers (default: on)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="another setting of vnkg's server (as KG_NAME), e.g. max_results=200000; repeatable")
    ap.add_argument("--limit", type=int, default=0, help="ask each question for its first LIMIT rows (a first page: "
                    "at 100,000 articles whole answers run to millions of rows and minutes each); 0: whole answers")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "http.json")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vnkg-http-") as tmp:
        graph = (a.graph or _seeds_build(Path(tmp))).resolve()
        result = run(graph, [int(n) for n in a.concurrency.split(",")], a.seconds, settings(a), Path(tmp), a.limit)
    result = {"command": " ".join(["python -m benchmarks.http", *(sys.argv[1:] if argv is None else argv)]),
              "machine": machine(), **result, "target": verdict(result)}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(tables(result) + f"\n\ntarget {result['target']}\nresults: {a.out}")
    return 0 if "levels" in result and all(lv[s]["errors"] == 0 for lv in result["levels"].values()
                                           for s in ("vnkg", "oxigraph")) else 1


def settings(a: argparse.Namespace) -> dict[str, str]:
    """vnkg's settings that differ from its defaults, by name: --engine, --answers off, --set."""
    if any("=" not in item for item in a.set):
        raise SystemExit(f"--set takes NAME=VALUE, not {[i for i in a.set if '=' not in i]}")
    chosen = dict(item.split("=", 1) for item in a.set)
    if a.engine:
        chosen["engine"] = a.engine
    if a.answers == "off":
        chosen["answer_cache_mb"] = "0"
    return chosen


def machine() -> dict[str, Any]:
    import pyoxigraph
    anchor = subprocess.run([str(OXIGRAPH), "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "oxigraph_server": anchor}


if __name__ == "__main__":
    raise SystemExit(main())
