"""`kg push` against a real `oxigraph serve` on loopback (pip package `oxigraph`)."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from kg.errors import KgError
from kg.export import load
from kg.store.push import push

from oxigraph_support import free_port, oxigraph



@pytest.fixture
def server(tmp_path):
    with oxigraph(tmp_path / "db") as base:
        yield base


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


def test_an_unreachable_store_is_an_error(seeds_build, tmp_path):
    dataset = tmp_path / "kg.trig"
    dataset.write_bytes(seeds_build.read_bytes())
    with pytest.raises(KgError, match="push to"):
        push(dataset, f"http://127.0.0.1:{free_port()}/store", timeout=2)
    with pytest.raises(KgError, match="not an http"):
        push(dataset, "ftp://example.org/store")
