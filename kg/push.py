"""`kg push`: send a built dataset to a SPARQL 1.1 Graph Store Protocol endpoint, graph by graph.

Takes the dataset file and the store's GSP URL (for an ``oxigraph serve`` it is
``http://host:port/store``); for each named graph sends one ``PUT URL?graph=IRI`` with the
graph's triples as N-Triples, sorted. PUT replaces the graph, so pushing twice leaves the
store as pushing once. A manifest beside the dataset (``kg.trig.push.json``) keeps, per store,
the SHA-256 of each graph last sent; unchanged graphs are skipped unless `force` is set (use
it when the store was emptied by someone else). Graphs the store holds but the dataset does
not are left alone. Network errors and non-2xx answers are a :class:`kg.errors.KgError`
naming the graph and the status.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from .cache import write_atomic_text
from .errors import KgError
from .store import open_store

Log = Callable[[str], None]


@dataclass(frozen=True)
class Pushed:
    sent: int
    skipped: int
    triples: int
    bytes: int


def graph_payloads(store: ox.Store) -> dict[str, bytes]:
    """Each named graph's triples as sorted N-Triples."""
    out = {}
    for g in sorted(store.named_graphs(), key=lambda n: n.value):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, g)]
        lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines(keepends=True)
        out[g.value] = "".join(sorted(lines)).encode("utf-8")
    return out


class _Client:
    """One keep-alive connection to the store; `put` sends one graph."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KgError(f"--store {url!r} is not an http(s) URL of a Graph Store Protocol endpoint")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.conn = kind(parts.netloc, timeout=timeout)
        self.path = parts.path or "/"
        self.sep = "&" if parts.query else "?"
        self.path += ("?" + parts.query) if parts.query else ""
        self.url = url

    def put(self, graph: str, body: bytes) -> None:
        target = f"{self.path}{self.sep}graph={quote(graph, safe='')}"
        try:
            self.conn.request("PUT", target, body=body, headers={"Content-Type": "application/n-triples"})
            answer = self.conn.getresponse()
            detail = answer.read()[:300].decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            raise KgError(f"push to {self.url} failed at graph <{graph}>: {exc}") from exc
        if not 200 <= answer.status < 300:
            raise KgError(f"push to {self.url}: graph <{graph}> refused with HTTP {answer.status} {detail.strip()}")

    def close(self) -> None:
        self.conn.close()


def push(dataset: Path, url: str, force: bool = False, timeout: float = 60.0,
         log: Log = lambda line: None) -> Pushed:
    payloads = graph_payloads(open_store(dataset))
    manifest_path = Path(dataset).with_name(Path(dataset).name + ".push.json")
    manifest = _read_manifest(manifest_path)
    sent_before = manifest.get(url, {})
    client, sent, size = _Client(url, timeout), {}, 0
    try:
        for graph, body in payloads.items():
            digest = _digest(body)
            if not force and sent_before.get(graph) == digest:
                sent[graph] = digest
                continue
            client.put(graph, body)
            sent[graph], size = digest, size + len(body)
    finally:
        client.close()
        manifest[url] = {**sent_before, **sent}
        write_atomic_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
    fresh = sum(1 for g in payloads if force or sent_before.get(g) != sent[g])
    triples = sum(body.count(b"\n") for body in payloads.values())
    return Pushed(fresh, len(payloads) - fresh, triples, size)


def _digest(body: bytes) -> str:
    """A graph's identity for the manifest: its sorted N-Triples with blank-node labels left out
    (they change with every load; only the ontology graph has blank nodes)."""
    lines = sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:", line) for line in body.splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def _read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
