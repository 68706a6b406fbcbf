"""Faults of the dataset file under a running server: every route keeps serving the last good
dataset, and ``/health`` says so, until a good file replaces it.

One live server (one worker) watching its file. Each fault — a truncated file put in its
place, the file truncated where it lies, an invalid file, an emptied one, valid TriG with
only a private graph, the file deleted — is made, and once ``/health`` reports it every route
is asked: queries (new and kept ones), an entity page, /stats and /export, which must send
the data served, never the broken bytes. Then the good file is put back and ``/health`` must
say ok again.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

import pytest
from rdflib import Dataset, Literal, URIRef

import server_fixture as fx
from kg.export import write_atomic
from kg.results import serialize_dataset
from kg.vocab import VNKG

PEOPLE = f"SELECT (COUNT(*) AS ?n) {{ ?p a <{VNKG.Person}> }}"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _health(base: str) -> dict:
    return json.loads(_get(base + "/health")[1])


def _people(base: str, salt: str = "") -> int:
    status, body = _get(f"{base}/sparql?query={urllib.parse.quote(PEOPLE + salt)}")
    assert status == 200, body[:300]
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _private_only() -> bytes:
    ds = Dataset()
    ds.graph(URIRef("urn:private")).add((fx.AN, URIRef("urn:secret"), Literal("x")))
    return serialize_dataset(ds, "application/trig")


def _truncate_in_place(path: Path, good: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(len(good) // 2)


FAULTS: list[tuple[str, Callable[[Path, bytes], None]]] = [
    ("replaced-by-a-truncated-file", lambda path, good: write_atomic(path, good[: len(good) // 2])),
    ("truncated-in-place", _truncate_in_place),
    ("replaced-by-an-invalid-file", lambda path, good: write_atomic(path, b"this is not TriG {")),
    ("emptied", lambda path, good: path.write_bytes(b"")),
    ("replaced-by-a-private-graph-only", lambda path, good: write_atomic(path, _private_only())),
    ("deleted", lambda path, good: path.unlink()),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("faults") / "kg.trig")
    with fx.live_server(path, timeout=5, workers=1) as base:
        yield base, path, path.read_bytes()


def _quads(trig: bytes) -> set:
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    return set(ds.quads((None, None, None, None)))  # the fixture has no blank nodes


@pytest.mark.slow
@pytest.mark.parametrize("fault", [f[1] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_the_last_good_dataset_is_served_on_every_route(served, fault):
    base, path, good = served
    people, kept = _people(base), _people(base, " # asked before the fault")
    stats = json.loads(_get(base + "/stats")[1])
    fault(path, good)
    try:
        assert fx.wait_for(lambda: _health(base)["status"] == "degraded"), _health(base)
        health = _health(base)
        assert health["problem"] and "kg.trig" in health["serving"] and "/" not in health["problem"]
        assert _people(base, f" # new after {time.monotonic()}") == people
        assert _people(base, " # asked before the fault") == kept
        assert _get(base + "/id/person/nguyen-van-an-a1b2c3")[0] == 200
        assert json.loads(_get(base + "/stats")[1])["triples"] == stats["triples"]
        status, exported = _get(base + "/export")
        assert status == 200 and _quads(exported) == _quads(good)
    finally:
        write_atomic(path, good)
    assert fx.wait_for(lambda: _health(base)["status"] == "ok")
    assert _get(base + "/export") == (200, good)  # the file itself again, as it was built


@pytest.mark.slow
def test_a_private_file_in_place_of_a_large_one_is_never_served(tmp_path):
    """Over `store_cache_mb` (here 0) the dataset lives in an on-disk store beside the file,
    which reading a new file rebuilds: the last good load cannot be served from it any more,
    and the new file's graphs are not public. Nothing of it may be served."""
    path = fx.write(tmp_path / "kg.trig")
    good = path.read_bytes()
    with fx.live_server(path, timeout=5, workers=1, env={"KG_STORE_CACHE_MB": "0"}) as base:
        assert _people(base) > 0
        write_atomic(path, _private_only())
        assert fx.wait_for(lambda: _health(base)["status"] == "degraded"), _health(base)
        secret = urllib.parse.quote("ASK { ?s <urn:secret> ?o }")
        status, body = _get(f"{base}/sparql?query={secret}")
        assert status == 200 and json.loads(body)["boolean"] is False
        assert b"urn:secret" not in _get(base + "/export?format=nquads")[1]
        write_atomic(path, good)
        assert fx.wait_for(lambda: _health(base)["status"] == "ok") and _people(base) > 0
