"""A bounded load test of `kg serve` on loopback: many clients, a hostile one among them.

Starts the production server (gunicorn, the settings of `kg serve`) on a free loopback port
over a dataset (default: the seeds, built into a temporary folder), then runs `clients`
threads for `seconds`, each from its own loopback address (127.0.1.N) and each sending one
request after another: the competency questions (POST /sparql), entity pages (HTML and
Turtle), searches and exports (the TriG file, streamed N-Quads, one graph as Turtle). From
another address a hostile query (cartesian product, catastrophic REGEX, CONCAT doubling,
path closure, in turn, each kind from its own address) arrives every `hostile_every` seconds. The resident memory of the server's
worker processes is sampled every 5 s.

Writes a JSON report: requests, requests/s, latency p50/p90/p99/max (all and per kind), the
normal requests that failed (any status but 200, or no answer), what the hostile queries got
and how long they took, and the workers' memory before, during and after.

    python -m benchmarks.load --seconds 60 --clients 32 --out benchmarks/results/load.json
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
CQ_DIR = ROOT / "kg" / "data" / "cq"
JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Call:
    kind: str
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Record:
    kind: str
    status: int
    seconds: float
    error: str = ""


@dataclass
class Tally:
    records: list[Record] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


def send(port: int, source: str, call: Call, timeout: float = 60) -> Record:
    """One request on a fresh connection from `source`; the status and the seconds it took."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    started = time.monotonic()
    try:
        connection.request(call.method, call.path, body=call.body or None, headers=dict(call.headers))
        response = connection.getresponse()
        response.read()
        return Record(call.kind, response.status, time.monotonic() - started)
    except OSError as exc:
        return Record(call.kind, -1, time.monotonic() - started, repr(exc))
    finally:
        connection.close()


def _sparql(kind: str, text: str) -> Call:
    return Call(kind, "POST", "/sparql", urlencode({"query": text}).encode(),
                (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", JSON)))


def normal_calls(port: int) -> list[tuple[Call, int]]:
    """The mix of normal requests with their weights, entity IRIs taken from the dataset."""
    calls: list[tuple[Call, int]] = [(_sparql("cq", p.read_text(encoding="utf-8")), 4)
                                     for p in sorted(CQ_DIR.glob("*.rq"))]
    for iri in _entities(port):
        local = "/id/" + iri.split("/id/", 1)[1]
        calls.append((Call("page", "GET", local, headers=(("Accept", "text/html"),)), 2))
        calls.append((Call("page-turtle", "GET", local, headers=(("Accept", "text/turtle"),)), 1))
    for q in ("Bí thư", "tinh uy", "Nguyễn", "nghi quyet"):
        calls.append((Call("search", "GET", "/search?format=json&q=" + quote(q)), 3))
    calls.append((Call("export", "GET", "/export"), 2))
    calls.append((Call("export-nquads", "GET", "/export?format=nquads"), 2))
    graph = quote("https://w3id.org/vnkg/graph/inferred", safe="")
    calls.append((Call("export-graph", "GET", f"/export?graph={graph}&format=turtle"), 2))
    return calls


def _entities(port: int, count: int = 40) -> list[str]:
    text = ("PREFIX vnkg: <https://w3id.org/vnkg/ontology#> SELECT DISTINCT ?s WHERE { "
            "?s vnkg:mentionedIn ?src } ORDER BY ?s LIMIT 400")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/sparql?query=" + quote(text), headers={"Accept": JSON})
    rows = json.loads(connection.getresponse().read())["results"]["bindings"]
    connection.close()
    iris = [r["s"]["value"] for r in rows if "/id/" in r["s"]["value"]]
    return random.Random(7).sample(iris, min(count, len(iris)))


def _concat(steps: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(steps))
    return f'SELECT (STRLEN(?s{steps}) AS ?n) WHERE {{ BIND("ab" AS ?s0) {binds} }}'


HOSTILE = [
    ("cartesian", "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    ("regex", 'ASK { FILTER(REGEX("' + "a" * 40 + '!", "^(a+)+$")) }'),
    ("concat", _concat(30)),
    ("path-closure", "SELECT (COUNT(*) AS ?n) { ?a (!<http://x/q>)* ?b . ?c (!<http://x/q>)* ?d }"),
]


def client(port: int, source: str, calls: list[tuple[Call, int]], until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    population, weights = [c for c, _ in calls], [w for _, w in calls]
    while time.monotonic() < until:
        tally.add(send(port, source, rng.choices(population, weights)[0]))


def hostile(port: int, every: float, until: float, tally: Tally) -> None:
    n = 0
    while time.monotonic() < until:
        name, text = HOSTILE[n % len(HOSTILE)]
        source = f"127.0.2.{n % len(HOSTILE) + 1}"  # one address per kind: each is run, not refused
        threading.Thread(target=lambda c=_sparql(f"hostile-{name}", text), a=source: tally.add(
            send(port, a, c)), daemon=True).start()
        n += 1
        time.sleep(every)


# --- the server and its memory ------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared (copy-on-write) pages divided among their sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(master: int) -> dict[str, Any]:
    """RSS and PSS in MiB of the gunicorn workers and of their query processes."""
    workers = _children(master)
    queries = [q for w in workers for q in _children(w)]
    return {"at": round(time.monotonic(), 1), "workers": len(workers), "query_processes": len(queries),
            "worker_rss_mb": round(sum(_rss_mb(w) for w in workers), 1),
            "query_rss_mb": round(sum(_rss_mb(q) for q in queries), 1),
            "max_query_rss_mb": round(max((_rss_mb(q) for q in queries), default=0.0), 1),
            "all_pss_mb": round(sum(_pss_mb(p) for p in [master, *workers, *queries]), 1)}


def start_server(graph: Path, port: int, log: Path, env: dict[str, str]) -> subprocess.Popen:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    process = subprocess.Popen([sys.executable, "-m", "server.run", str(graph), "--port", str(port)],
                               env=full, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log}")
        if send(port, "127.0.0.1", Call("health", "GET", "/health"), timeout=2).status == 200:
            return process
        time.sleep(0.3)
    raise RuntimeError("the server did not come up within 120 s")


# --- the report -----------------------------------------------------------------------------

def _percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ordered = sorted(seconds)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {"n": len(ordered), "p50_ms": at(0.50), "p90_ms": at(0.90), "p99_ms": at(0.99),
            "max_ms": round(ordered[-1] * 1000, 1)}


def report(tally: Tally, seconds: float, memory_samples: list[dict], config: dict) -> dict[str, Any]:
    normal = [r for r in tally.records if not r.kind.startswith("hostile")]
    bad = [r for r in tally.records if r.kind.startswith("hostile")]
    failed = [r for r in normal if r.status != 200]
    kinds = sorted({r.kind for r in normal})
    return {
        "config": config,
        "normal": {"requests": len(normal), "requests_per_s": round(len(normal) / seconds, 1),
                   "failed": len(failed), "failures": [vars(r) for r in failed[:20]],
                   "latency": _percentiles([r.seconds for r in normal]),
                   "by_kind": {k: _percentiles([r.seconds for r in normal if r.kind == k]) for k in kinds}},
        "hostile": {"sent": len(bad), "statuses": dict(collections.Counter(r.status for r in bad)),
                    "by_kind": {k: dict(collections.Counter(r.status for r in bad if r.kind == k))
                                for k in sorted({r.kind for r in bad})},
                    "max_seconds": round(max((r.seconds for r in bad), default=0.0), 2)},
        "memory": {"before": memory_samples[0], "after": memory_samples[-1], "samples": memory_samples},
    }


def _seeds_build(folder: Path) -> Path:
    from kg.pipeline import build

    out = folder / "kg.trig"
    build([ROOT / "seeds"], out, log=lambda line: None)
    return out


def run(graph: Optional[Path], clients: int, seconds: float, hostile_every: float, env: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="vnkg-load-") as tmp:
        graph = graph or _seeds_build(Path(tmp))
        port = _free_port()
        server = start_server(graph, port, Path(tmp) / "server.log", env)
        try:
            calls = normal_calls(port)
            for call, _ in calls:  # warm every route once
                send(port, "127.0.0.1", call)
            tally, samples = Tally(), [memory(server.pid)]
            until = time.monotonic() + seconds
            threads = [threading.Thread(target=client, args=(port, f"127.0.1.{i + 1}", calls, until, tally, i))
                       for i in range(clients)]
            threads.append(threading.Thread(target=hostile, args=(port, hostile_every, until, tally)))
            started = time.monotonic()
            for t in threads:
                t.start()
            while time.monotonic() < until:
                time.sleep(5)
                samples.append(memory(server.pid))
            for t in threads:
                t.join(120)
            elapsed = time.monotonic() - started
            time.sleep(2)  # let the last hostile query end
            samples.append(memory(server.pid))
        finally:
            server.terminate()
            server.wait(30)
    config = {"clients": clients, "seconds": seconds, "hostile_every_s": hostile_every, "graph": str(graph),
              "settings": env, "cpus": os.cpu_count()}
    return report(tally, elapsed, samples, config)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, help="dataset to serve (default: the seeds, built first)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--hostile-every", type=float, default=3.0)
    ap.add_argument("--query-timeout", type=float, default=10.0, help="KG_QUERY_TIMEOUT of the server")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    a = ap.parse_args(argv)
    env = {"KG_QUERY_TIMEOUT": str(a.query_timeout)}
    result = run(a.graph, a.clients, a.seconds, a.hostile_every, env)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n, m = result["normal"], result["memory"]
    print(f"load: {n['requests']} requests ({n['requests_per_s']}/s), {n['failed']} failed; "
          f"p50 {n['latency'].get('p50_ms')} ms, p99 {n['latency'].get('p99_ms')} ms; hostile "
          f"{result['hostile']['statuses']}; worker RSS {m['before']['worker_rss_mb']} → "
          f"{m['after']['worker_rss_mb']} MiB, query processes {m['before']['query_rss_mb']} → "
          f"{m['after']['query_rss_mb']} MiB; {a.out}", file=sys.stderr)
    return 0 if n["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
