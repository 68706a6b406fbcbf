"""The attacks of issue 11 against `kg serve`, measured: slow clients, oversize answers, many
large kept answers, a gunicorn worker killed with `kill -9`.

Starts the production server (the settings of `kg serve`; `--env NAME=VALUE` changes one)
over a dataset (default: the seeds, built into a temporary folder) and, while another client
(its own loopback address) asks an uncached ASK every 0.2 s, runs in turn:

* slowloris: 16 connections from one address, each sending a request line and then a header
  line every 5 s, for `--seconds`; how long each connection lasted, the other client's waits;
* oversize: four clients at once, three times, each asking for 40 rows of 8 MiB; what they
  got, the other client's waits, the memory of the server's processes before, at the end and
  60 s after (RSS summed over the master, workers and query processes, and PSS);
* answers: distinct answers of about 70 MiB one after another; the kept answers' folder after
  each (its cap is the server's `answer_cache_total_mb`);
* kill: `kill -9` of a worker while its query process computes a cartesian product; the
  seconds until none of that worker's query processes is left.

    python -m benchmarks.attacks --out benchmarks/results/attacks.json
"""
from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from .load import Call, _children, _pss_mb, _rss_mb, send, start_server

OTHER, SLOW = "127.0.3.2", "127.0.3.1"
JSON = "application/sparql-results+json"


def _ask(port: int, n: int) -> tuple[int, float]:
    call = Call("ask", "GET", "/sparql?query=" + quote(f'ASK {{ FILTER("{n}-{time.time_ns()}" != "") }}'),
                headers=(("Accept", JSON),))
    record = send(port, OTHER, call)
    return record.status, record.seconds


class Other(threading.Thread):
    """The other client: an uncached ASK every 0.2 s until stopped."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.stop, self.answers = port, threading.Event(), []

    def run(self) -> None:
        while not self.stop.is_set():
            self.answers.append(_ask(self.port, len(self.answers)))
            time.sleep(0.2)

    def report(self) -> dict[str, Any]:
        waits = sorted(s for _, s in self.answers)
        return {"asked": len(waits), "not_200": sum(1 for st, _ in self.answers if st != 200),
                "p50_s": round(waits[len(waits) // 2], 3) if waits else None,
                "max_s": round(waits[-1], 3) if waits else None}


def while_asking(port: int, attack: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    other = Other(port)
    other.start()
    try:
        found = attack()
    finally:
        other.stop.set()
        other.join(30)
    return {**found, "other_client": other.report()}


def _slow_connection(port: int, until: float, lasted: list[float]) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(SLOW, 0)) as sock:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
                while time.monotonic() < until and not select.select([sock], [], [], 5.0)[0]:
                    sock.sendall(b"X-Slow: 1\r\n")
        except OSError:
            pass
        lasted.append(time.monotonic() - started)


def slowloris(port: int, seconds: float) -> dict[str, Any]:
    lasted: list[float] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_slow_connection, args=(port, until, lasted)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    return {"connections": len(lasted), "longest_s": round(max(lasted), 1)}


def memory(master: int) -> dict[str, float]:
    workers = _children(master)
    every = [master, *workers, *(q for w in workers for q in _children(w))]
    return {"rss_mb": round(sum(_rss_mb(p) for p in every), 1), "pss_mb": round(sum(_pss_mb(p) for p in every), 1),
            "worker_rss_mb": round(sum(_rss_mb(w) for w in workers), 1)}


def big_rows(rows: int, doublings: int, salt: str) -> str:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(doublings))
    values = " ".join(str(i) for i in range(rows))
    return (f'SELECT ?i ?s{doublings} WHERE {{ VALUES ?i {{ {values} }} BIND(CONCAT("{salt}", STR(?i)) AS ?s0) '
            f"{binds} }}")


def oversize(port: int, master: int) -> dict[str, Any]:
    statuses: list[int] = []
    for round_ in range(3):
        calls = [Call("big", "GET", "/sparql?query=" + quote(big_rows(40, 22, f"a{round_}{n}")),
                      headers=(("Accept", JSON),)) for n in range(4)]
        threads = [threading.Thread(target=lambda c=c, n=n: statuses.append(send(port, f"127.0.4.{n + 1}", c).status))
                   for n, c in enumerate(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    return {"statuses": statuses, "memory_at_end": memory(master)}


def answers(port: int, graph: Path, count: int) -> dict[str, Any]:
    sizes = []
    for n in range(count):  # 50 rows of about 1.4 MiB: about 70 MiB in JSON
        call = Call("kept", "GET", "/sparql?query=" + quote(big_rows(50, 18, f"k{n:02d}-")), headers=(("Accept", JSON),))
        status = send(port, "127.0.5.1", call, timeout=120).status
        kept = sum(p.stat().st_size for p in graph.with_name(f".{graph.name}.answers").rglob("*") if p.is_file())
        sizes.append({"status": status, "folder_mb": round(kept / 1024 / 1024, 1)})
    return {"answers": sizes}


def kill_worker(port: int, master: int) -> dict[str, Any]:
    worker = _children(master)[0]
    queries = _children(worker)
    cartesian = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    threading.Thread(target=send, args=(port, "127.0.6.1", Call("cartesian", "GET", "/sparql?query=" + quote(cartesian))),
                     daemon=True).start()
    time.sleep(1.0)
    os.kill(worker, signal.SIGKILL)
    killed = time.monotonic()
    while any(Path(f"/proc/{q}").exists() and "State:\tZ" not in Path(f"/proc/{q}/status").read_text()
              for q in queries if Path(f"/proc/{q}/status").exists()) and time.monotonic() - killed < 60:
        time.sleep(0.05)
    return {"query_processes": len(queries), "gone_after_s": round(time.monotonic() - killed, 2)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attacks", description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="dataset (default: the seeds, built in a temporary folder)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the slow clients keep at it")
    parser.add_argument("--answers", type=int, default=6, help="distinct 70 MiB answers asked for")
    parser.add_argument("--env", action="append", default=[], help="a setting of the server, NAME=VALUE")
    parser.add_argument("--port", type=int, default=5123)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/attacks.json"))
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kg-attacks-"))
    graph = args.graph or _seeds(folder)
    env = dict(e.split("=", 1) for e in args.env)
    server = start_server(graph, args.port, folder / "server.log", env)
    try:
        report = run(args, graph, server.pid, env)
    finally:
        server.terminate()
        server.wait(60)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def run(args: argparse.Namespace, graph: Path, master: int, env: dict[str, str]) -> dict[str, Any]:
    port = args.port
    for n in range(20):  # warm-up: every worker's first answers
        _ask(port, n)
    report: dict[str, Any] = {"settings": env, "idle": memory(master)}
    report["slowloris"] = while_asking(port, lambda: slowloris(port, args.seconds))
    report["oversize"] = while_asking(port, lambda: oversize(port, master))
    time.sleep(60)
    report["oversize"]["memory_60_s_after"] = memory(master)
    report["answers"] = answers(port, graph, args.answers)
    report["kill"] = kill_worker(port, master)
    return report


def _seeds(folder: Path) -> Path:
    from kg import pipeline
    out = folder / "kg.trig"
    pipeline.build(sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")), out)
    return out


if __name__ == "__main__":
    main()
