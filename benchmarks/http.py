"""HTTP throughput of `kg serve` against the `oxigraph` server on the same data, side by side.

Starts the production server (gunicorn, `kg serve`'s settings: query time limit, memory cap,
per-client limit, SERVICE refused) on the dataset and, one after the other, the `oxigraph`
server from PyPI (``oxigraph serve-read-only``) on the very on-disk store `kg query` and
`kg serve` use (kg/store.py: same engine, same data, the union materialised as the default
graph). Each of `concurrency` client threads (its own loopback address) posts the competency
questions (kg/data/cq/*.rq, JSON results) in its own shuffled order for `seconds`. Before
measuring, both servers must give every question the same number of rows. Reported per
server and concurrency: requests/s, latency p50/p90/p99, errors (any status but 200); and
the ratio vnkg ÷ oxigraph of requests/s. `--answers off` runs vnkg with its kept answers off
(the engine asked every time).

    python -m benchmarks.http --graph /tmp/vnkg-bench/build-10000/kg.trig --concurrency 1,4,8 --seconds 30
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.load import ROOT, Call, Record, Tally, _free_port, _percentiles, _seeds_build, send, start_server
from benchmarks.measure import table

CQ_DIR = ROOT / "kg" / "data" / "cq"
JSON = "application/sparql-results+json"
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def calls(path: str) -> list[Call]:
    return [Call(p.stem, "POST", path, p.read_bytes(), (("Content-Type", "application/sparql-query"), ("Accept", JSON)))
            for p in sorted(CQ_DIR.glob("*.rq"))]


def rows(port: int, call: Call) -> int:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request(call.method, call.path, body=call.body, headers=dict(call.headers))
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{call.kind}: HTTP {response.status}: {body[:200]!r}")
    return len(json.loads(body)["results"]["bindings"])


def start_oxigraph(folder: Path, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen([str(OXIGRAPH), "serve-read-only", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}"], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}; see {log}")
        if send(port, "127.0.0.1", Call("ask", "GET", "/query?query=ASK%7B%7D"), timeout=2).status == 200:
            return process
        time.sleep(0.3)
    raise RuntimeError("oxigraph did not come up within 120 s")


def drive(port: int, mix: list[Call], concurrency: int, seconds: float) -> dict[str, Any]:
    tally, until = Tally(), time.monotonic() + seconds

    def client(n: int) -> None:
        order = mix[:]
        random.Random(n).shuffle(order)
        i = 0
        while time.monotonic() < until:
            tally.add(send(port, f"127.0.2.{n + 1}", order[i % len(order)], timeout=600))
            i += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    failed: list[Record] = [r for r in tally.records if r.status != 200]
    return {"requests": len(tally.records), "requests_per_s": round(len(tally.records) / elapsed, 2),
            "errors": len(failed), "first_errors": [vars(r) for r in failed[:5]],
            "latency": _percentiles([r.seconds for r in tally.records]),
            "by_cq": {k: _percentiles([r.seconds for r in tally.records if r.kind == k]) for k in sorted({r.kind for r in tally.records})}}


def store_folder(graph: Path) -> Path:
    """The on-disk store of the dataset (made if missing), as `kg query` and `kg serve` use it."""
    from kg import store
    return store._disk_store(graph)


def run(graph: Path, levels: list[int], seconds: float, answers: bool, work: Path) -> dict[str, Any]:
    folder = store_folder(graph)
    env = {"KG_MAX_RESULTS": "1000000", "KG_QUERY_TIMEOUT": "120", "KG_STORE_CACHE_MB": "0",
           "KG_ANSWER_CACHE_MB": "256" if answers else "0"}
    kg_port, ox_port = _free_port(), _free_port()
    result: dict[str, Any] = {"graph": str(graph), "store": str(folder), "vnkg_settings": env, "cpus": os.cpu_count(),
                              "levels": {}}
    kg = start_server(graph, kg_port, work / "kg.log", env)
    try:
        kg_rows = {c.kind: rows(kg_port, c) for c in calls("/sparql")}
        result["levels"] = {str(n): {"vnkg": drive(kg_port, calls("/sparql"), n, seconds)} for n in levels}
    finally:
        kg.terminate()
        kg.wait(60)
    ox = start_oxigraph(folder, ox_port, work / "oxigraph.log")
    try:
        ox_rows = {c.kind: rows(ox_port, c) for c in calls("/query")}
        for n in levels:
            result["levels"][str(n)]["oxigraph"] = drive(ox_port, calls("/query"), n, seconds)
    finally:
        ox.terminate()
        ox.wait(60)
    if kg_rows != ox_rows:
        raise SystemExit(f"the servers disagree on row counts: vnkg {kg_rows}, oxigraph {ox_rows}")
    result["rows"] = kg_rows
    for level in result["levels"].values():
        level["ratio"] = round(level["vnkg"]["requests_per_s"] / max(level["oxigraph"]["requests_per_s"], 1e-9), 2)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.http", description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, help="dataset (default: the seeds, built first)")
    ap.add_argument("--concurrency", default="1,4,8")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--answers", choices=("on", "off"), default="on", help="vnkg's kept answers (default: on)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "http.json")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vnkg-http-") as tmp:
        graph = a.graph or _seeds_build(Path(tmp))
        result = run(graph, [int(n) for n in a.concurrency.split(",")], a.seconds, a.answers == "on", Path(tmp))
    result["command"] = "python -m benchmarks.http " + " ".join(argv if argv is not None else sys.argv[1:])
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(table([{"concurrency": n, "vnkg req/s": lv["vnkg"]["requests_per_s"], "oxigraph req/s": lv["oxigraph"]["requests_per_s"],
                  "ratio": lv["ratio"], "vnkg p50 ms": lv["vnkg"]["latency"].get("p50_ms"),
                  "oxigraph p50 ms": lv["oxigraph"]["latency"].get("p50_ms"),
                  "errors": f"{lv['vnkg']['errors']} / {lv['oxigraph']['errors']}"} for n, lv in result["levels"].items()],
                ["concurrency", "vnkg req/s", "oxigraph req/s", "ratio", "vnkg p50 ms", "oxigraph p50 ms", "errors"]))
    print(f"rows per CQ (equal on both): {result['rows']}\nresults: {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
