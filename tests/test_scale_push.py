"""`kg push` against a real `oxigraph serve` on loopback (pip package `oxigraph`)."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.export import load
from kg.push import push

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server binary is missing: pip install oxigraph")
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _counts(base: str) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(base + "/query?" + urllib.parse.urlencode({"query": q}),
                                 headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(req, timeout=10).read())["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def test_push_puts_one_graph_per_source_and_is_idempotent(server, seeds_build, tmp_path):
    dataset = tmp_path / "kg.trig"
    dataset.write_bytes(seeds_build.read_bytes())
    expected = {str(g.identifier): len(g) for g in load(dataset).graphs() if len(g)}
    first = push(dataset, server + "/store")
    assert first.sent == len(expected) and _counts(server) == expected
    again = push(dataset, server + "/store")
    assert (again.sent, again.skipped) == (0, len(expected))
    forced = push(dataset, server + "/store", force=True)
    assert forced.sent == len(expected) and _counts(server) == expected


def test_push_replaces_a_graph_that_changed(server, seeds_build, tmp_path):
    dataset = tmp_path / "kg.trig"
    dataset.write_bytes(seeds_build.read_bytes())
    push(dataset, server + "/store")
    ds = load(dataset)
    links = next(g for g in ds.graphs() if str(g.identifier).endswith("/links"))
    for t in list(links)[:2]:
        links.remove(t)
    from kg.export import serialize
    dataset.write_bytes(serialize(ds, "trig"))
    done = push(dataset, server + "/store")
    assert done.sent == 1 and _counts(server)[str(links.identifier)] == len(links)


def test_an_unreachable_store_is_an_error(seeds_build, tmp_path):
    dataset = tmp_path / "kg.trig"
    dataset.write_bytes(seeds_build.read_bytes())
    with pytest.raises(KgError, match="push to"):
        push(dataset, f"http://127.0.0.1:{_free_port()}/store", timeout=2)
    with pytest.raises(KgError, match="not an http"):
        push(dataset, "ftp://example.org/store")
