"""What `kg push` costs: a generated corpus of N articles built, then pushed to a fresh
`oxigraph serve --union-default-graph` on loopback in bulk (N-Quads batches to /store) and
graph by graph (`--method put`), each into its own empty store — or, for a method named
``bulk+union``/``put+union``, to a plain `oxigraph serve` with `kg push --default-graph union`
keeping its default graph the union of the graphs; the seconds and the peak memory
of the pushing process tree (the server is measured apart: its own peak, VmHWM), then a second
push with nothing changed (only reading and digesting); last, every competency question
(kg/data/cq and the contract's) asked of the embedded store and of the servers named by
--answers, the answers compared by their rows and an order-free digest (:func:`digest`; a
question the server does not answer within --cq-timeout is counted as not answered, not as
different).

The corpus and the build are made when missing (`python -m benchmarks.generate N DIR --seed 1`,
`kg build`) and kept in --work; so is the on-disk store beside the build, made once before the
pushes (as `kg query` or `kg serve` would) and timed apart.

    python -m benchmarks.push --articles 1000 --work /tmp/vnkg-push --out benchmarks/results/push-1000.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from benchmarks.measure import ROOT, kg_command, run, table

CQ_DIRS = (ROOT / "kg" / "data" / "cq", Path("/work/shared/contract/cq"))
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def _checked(r: dict) -> dict:
    if r["exit"] != 0:
        raise SystemExit(f"{r['command']} failed:\n{r['stderr']}")
    return r


def prepare(n: int, work: Path) -> tuple[Path, dict]:
    """The built dataset of `n` generated articles, and how it was made."""
    corpus, dataset = work / f"corpus-{n}", work / f"build-{n}" / "kg.trig"
    made: dict = {"generate": f"python -m benchmarks.generate {n} {corpus} --seed 1"}
    if not corpus.exists():
        _checked(run([sys.executable, "-m", "benchmarks.generate", str(n), str(corpus), "--seed", "1"]))
    if dataset.exists():
        made["build"] = {"command": " ".join(kg_command("build", str(corpus), "-o", str(dataset))), "reused": True}
    else:
        r = _checked(run(kg_command("build", str(corpus), "-o", str(dataset)), {"CI": "true"}))
        made["build"] = {k: r[k] for k in ("command", "seconds", "peak_mib")}
    code = f"from kg.store import open_store; open_store({str(dataset)!r})"
    r = _checked(run([sys.executable, "-c", code]))
    made["store"] = {"command": r["command"], "seconds": r["seconds"], "peak_mib": r["peak_mib"]}
    made["dataset_bytes"] = dataset.stat().st_size
    return dataset, made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, timeout: float, union: bool = True) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` on an empty folder (with its own union default graph if `union`); it
    stops a query after `timeout` seconds (the client giving up does not stop it)."""
    shutil.rmtree(folder, ignore_errors=True)
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                             *(["--union-default-graph"] if union else []), "--timeout-s", str(int(timeout))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            return proc, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"oxigraph serve did not start on {base}")


def _server_peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def push_once(dataset: Path, method: str, folder: Path, timeout: float) -> tuple[dict, subprocess.Popen, str]:
    """A fresh server in `folder`, the dataset pushed by `method` (``bulk``, ``put``, or either
    ``+union``; ``bulk:tx``: a transaction a request, not Oxigraph's bulk loader), then pushed
    again (nothing to send)."""
    way, _, union = method.partition("+")
    way, _, tx = way.partition(":")
    proc, base = start_server(folder, timeout, union=not union)
    dataset.with_name(dataset.name + ".push.json").unlink(missing_ok=True)
    args = ("push", "-g", str(dataset), "--store", base + "/store", "--method", way,
            *(["--default-graph", "union"] if union else []), *(["--server-bulk", "off"] if tx else []))
    first = _checked(run(kg_command(*args)))
    again = _checked(run(kg_command(*args)))
    result = {"method": method, "seconds": first["seconds"], "peak_mib": first["peak_mib"],
              "summary": first["stderr"].strip().splitlines()[-1], "command": first["command"],
              "again_seconds": again["seconds"], "again_peak_mib": again["peak_mib"],
              "again_summary": again["stderr"].strip().splitlines()[-1],
              "server_peak_mib": _server_peak_mib(proc.pid),
              "server_store_mib": round(sum(f.stat().st_size for f in folder.rglob("*")
                                            if f.is_file()) / 2**20, 1)}
    return result, proc, base


def digest(solutions) -> tuple[int, str]:
    """The rows of a SELECT answer (pyoxigraph's solutions, from a store or parsed from a
    server's answer) and a digest of them that ignores their order: the sum, modulo 2**64, of
    a hash of each row's terms in N-Triples form. Streams: an answer of millions of rows is
    never held (a sorted list of them was, and took the whole run at 100,000 articles)."""
    rows, total = 0, 0
    for solution in solutions:
        text = "\t".join("" if term is None else str(term) for term in solution)
        total += int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        rows += 1
    return rows, f"{total % 2**64:016x}"


def _remote(base: str, text: str, timeout: float) -> tuple[int, str]:
    """The digest of the server's answer, read as it arrives (JSON results, parsed by pyoxigraph)."""
    request = urllib.request.Request(base + "/query", data=text.encode(), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return digest(ox.parse_query_results(response, ox.QueryResultsFormat.JSON))


def compare_answers(dataset: Path, bases: dict[str, str], timeout: float) -> dict:
    """Every competency question on the embedded store and on each server: their rows and
    digests (:func:`digest`), equal or not."""
    from kg.store import checked, open_store
    store = open_store(dataset)
    out: dict = {}
    asked: dict[str, str] = {}  # a question's text → the name it was first asked under
    for folder in CQ_DIRS:
        for path in sorted(folder.glob("*.rq")):
            text, name = path.read_text(encoding="utf-8"), f"{folder.parent.name}/{path.stem}"
            if text in asked:  # the contract's copy of one of ours: answered once
                out[name] = {**out[asked[text]], "same_text_as": asked[text]}
                continue
            asked[text] = name
            checked(text)
            started = time.perf_counter()
            rows, local = digest(store.query(text))
            entry: dict = {"rows": rows, "digest": local, "embedded_s": round(time.perf_counter() - started, 3)}
            for method, base in bases.items():
                started = time.perf_counter()
                try:
                    remote = _remote(base, text, timeout)
                    entry[f"{method}_equal"] = remote == (rows, local)
                    if remote != (rows, local):
                        entry[f"{method}_rows"], entry[f"{method}_digest"] = remote
                except (OSError, SyntaxError) as exc:  # a timeout or a failure, reported rather than compared
                    entry[f"{method}_equal"], entry[f"{method}_error"] = None, str(exc)
                entry[f"{method}_s"] = round(time.perf_counter() - started, 3)
            out[name] = entry
            print(f"{name}: {entry}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vnkg-push"))
    ap.add_argument("--methods", default="bulk,put", help="comma-separated: bulk, put, bulk+union, put+union; "
                    "bulk:tx (a transaction a request instead of Oxigraph's bulk loader)")
    ap.add_argument("--answers", default="bulk", help="the methods whose stores are asked the competency questions "
                    "(comma-separated; empty: none)")
    ap.add_argument("--cq-timeout", type=float, default=60.0, help="seconds a server may take on one question")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    out = a.out or ROOT / "benchmarks" / "results" / f"push-{a.articles}.json"
    started, load = time.strftime("%Y-%m-%d %H:%M:%S"), os.getloadavg()
    dataset, made = prepare(a.articles, a.work)
    pushes, servers = [], []
    try:
        for method in a.methods.split(","):
            result, proc, base = push_once(dataset, method, a.work / f"db-{a.articles}-{method}", a.cq_timeout)
            pushes.append(result)
            servers.append((method, proc, base))
            print(f"{method}: {result['seconds']} s, peak {result['peak_mib']} MiB; {result['summary']}", flush=True)
        asked = {m: b for m, _, b in servers if m in a.answers.split(",")}
        answers = compare_answers(dataset, asked, a.cq_timeout) if asked else {}
    finally:
        for method, proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=60)
            shutil.rmtree(a.work / f"db-{a.articles}-{method}", ignore_errors=True)
    print(table(pushes, ["method", "seconds", "peak_mib", "again_seconds", "server_peak_mib"]), flush=True)
    verdicts = [v for entry in answers.values() for k, v in entry.items() if k.endswith("_equal")]
    equal = {"equal": verdicts.count(True), "different": verdicts.count(False), "not_answered": verdicts.count(None),
             "distinct_questions": sum("same_text_as" not in entry for entry in answers.values())}
    print(f"answers of {len(answers)} competency questions: {equal}")
    result = {"command": f"python -m benchmarks.push --articles {a.articles} --work {a.work} --methods {a.methods} "
                         f"--answers '{a.answers}' --cq-timeout {a.cq_timeout:g}",
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average_at_start": load,
                          "load_average_at_end": os.getloadavg()},
              "started": started, "articles": a.articles, **made, "push": pushes, "answers": answers,
              "answers_summary": equal}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
