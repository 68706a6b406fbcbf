"""A running server picks up a new build without dropping a request, and keeps the last good
dataset when the new file cannot be read.

`kg serve` watches its dataset file: a new build renamed over it (what `kg build` does) makes
the master load it and fork new workers while the old ones finish. A client keeps asking
throughout; none of its requests may fail.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

import server_fixture as fx
from kg.export import write_atomic
from kg.results import serialize_dataset
from kg.vocab import VNKG

NEW = URIRef("https://w3id.org/vnkg/id/person/nguoi-moi-abcdef")


def _version(n: int) -> bytes:
    ds = fx.dataset()
    for i in range(n):
        g = ds.graph(fx.G["source/002_moi.txt"])
        g.add((URIRef(f"{NEW}-{i}"), RDF.type, VNKG.Person))
        g.add((URIRef(f"{NEW}-{i}"), RDFS.label, Literal(f"Người Mới {i}", lang="vi")))
    return serialize_dataset(ds, "application/trig")


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _people(base: str) -> int:
    query = urllib.parse.quote(f"SELECT (COUNT(*) AS ?n) {{ ?p a <{VNKG.Person}> }}")
    status, body = _get(f"{base}/sparql?query={query}")
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


class Asker(threading.Thread):
    """Asks the server over and over until stopped; keeps every failure."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.failures, self.answered = base, threading.Event(), [], 0

    def run(self) -> None:
        paths = ["/sparql?query=ASK%7B%7D", "/id/person/nguyen-van-an-a1b2c3", "/health"]
        while not self.stop.is_set():
            for path in paths:
                try:
                    status, body = _get(self.base + path)
                except OSError as exc:  # refused, reset: a dropped request
                    status, body = -1, repr(exc).encode()
                if status == 200:
                    self.answered += 1
                else:
                    self.failures.append((path, status, body[:200]))


@pytest.mark.slow
def test_new_build_is_served_without_dropping_requests(tmp_path):
    path = tmp_path / "kg.trig"
    path.write_bytes(_version(0))
    with fx.live_server(path, timeout=5, workers=2) as base:
        people = _people(base)
        asker = Asker(base)
        asker.start()
        try:
            write_atomic(path, _version(3))
            assert fx.wait_for(lambda: _people(base) == people + 3), "the new build was not served"
            path.with_name("bad.trig").write_text("this is not TriG {", encoding="utf-8")
            path.with_name("bad.trig").replace(path)
            time.sleep(4)  # the watcher's two looks and a reload attempt
            assert _people(base) == people + 3  # the last good dataset is still served
            write_atomic(path, _version(5))
            assert fx.wait_for(lambda: _people(base) == people + 5)
            time.sleep(1)
        finally:
            asker.stop.set()
            asker.join(15)
    assert asker.failures == [] and asker.answered > 50, (asker.failures[:5], asker.answered)
    log = path.with_suffix(".log").read_bytes().decode("utf-8", "replace")
    assert "the last good one still is" in log and log.count("reload: serving") == 2


def _labelled(letter: str) -> bytes:
    ds = fx.dataset()
    ds.graph(fx.G["source/002_moi.txt"]).add((NEW, RDFS.label, Literal(f"Người Mới {letter}", lang="vi")))
    return serialize_dataset(ds, "application/trig")


def _label(base: str) -> str:
    query = urllib.parse.quote(f"SELECT ?l {{ <{NEW}> <{RDFS.label}> ?l }}")
    status, body = _get(f"{base}/sparql?query={query}")
    return json.loads(body)["results"]["bindings"][0]["l"]["value"]


@pytest.mark.slow
def test_sighup_reloads(tmp_path):
    path = tmp_path / "kg.trig"
    path.write_bytes(_labelled("A"))
    with fx.live_server(path, timeout=5, workers=1, with_process=True) as (base, master):
        assert _label(base) == "Người Mới A"
        before = path.stat()
        with open(path, "r+b") as fh:  # same inode, size and mtime: the watcher sees nothing
            fh.write(_labelled("B"))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        time.sleep(3)
        assert _label(base) == "Người Mới A"
        master.send_signal(signal.SIGHUP)
        assert fx.wait_for(lambda: _label(base) == "Người Mới B", 15)
