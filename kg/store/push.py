"""`kg push`: send a built dataset to another SPARQL store, graph by graph, in bounded memory.

Takes the dataset file and the store's Graph Store Protocol URL (``http://host:port/store`` of
an ``oxigraph serve``); makes each named graph of the store equal to the dataset's. Two ways:

* ``bulk`` (the default): the graphs as N-Quads, many to a request (up to `batch_graphs` graphs
  or `batch_bytes` bytes), POSTed to the URL itself, which adds them (Oxigraph's ``POST /store``,
  Fuseki's dataset URL); an Oxigraph server (its ``Server`` header) is asked to load each with its
  bulk loader (``no_transaction``) rather than in a transaction, `server_bulk`. Adding is not replacing, so a graph the store may hold already — one
  that changed since the last push, one with blank nodes (they would be copied, not matched), or
  every graph under `force` — is deleted first (``DELETE URL?graph=IRI``; 404 is fine). A graph
  larger than a batch goes alone, in pieces of a batch each (in one piece if it has blank nodes).
* ``put``: one ``PUT URL?graph=IRI`` of N-Triples per graph — plain GSP, which every store has.

Each graph is dumped from the store (:func:`kg.store.open_store`: on disk for a large file) into
a spool that stays in memory up to a batch's size and goes to a temporary file beyond it, so
neither the dataset's payloads nor one large graph are ever held whole. A thread sends each batch
while the next is read and digested, so that the store's loading and the reading overlap (one
batch in flight: two batches' spools at most). What is kept is a digest
per graph, in a manifest beside the dataset (``kg.trig.push.json``, per store URL), written
atomically after the batches the store took: a push stopped by Ctrl-C, a network error or a
server restart goes on where it stopped when run again, skipping graphs unchanged since they
were sent; `force` sends them all again (for a store emptied or changed by someone else).
Sending a graph twice is harmless — adding triples the store holds changes nothing, and graphs
with blank nodes are always replaced — so a batch whose answer was lost needs no care.

With `union` the store's default graph is kept equal to the union of the dataset's graphs, for
stores whose own union default graph is slow (Oxigraph's ``--union-default-graph`` matches a
triple once per graph holding it, so joins over the evidence of a large dataset crawl): after a
batch is sent the store copies its graphs into the default graph (``INSERT … WHERE { GRAPH ?g
… }`` at the SPARQL Update URL, `update`; a server-side copy, so blank nodes stay the same and
nothing is sent twice), and before graphs are replaced the default graph loses the triples that
only they hold. The manifest keeps such pushes apart from plain ones to the same URL.

Graphs the store holds and the dataset does not are left alone. A refused request or a network
error is a :class:`kg.errors.KgError` of one line naming the graph or batch and the HTTP status.
"""
from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from ..cache import write_atomic_text
from ..errors import KgError
from . import open_store

Log = Callable[[str], None]
METHODS = ("bulk", "put")
SERVER_BULK = ("auto", "on", "off")
BATCH_BYTES = 16 * 1024 * 1024
BATCH_GRAPHS = 2000
PIECE = 1 << 20  # bytes read from a spool at a time
# a connection idle this long is closed before the next request and a new one opened: reading the
# next part of a large graph from the store can outlast the server's keep-alive (a POST on the
# connection the server dropped failed with a broken pipe, at 100,000 articles with a cold cache)
IDLE_SECONDS = 1.0
_BLANK = re.compile(rb"_:\S+")


@dataclass(frozen=True)
class Pushed:
    sent: int
    skipped: int
    triples: int
    bytes: int
    requests: int = 0


@dataclass
class Graph:
    """One named graph, dumped as N-Triples into `spool`; its digest ignores blank-node labels
    and the order of the lines."""

    name: str
    spool: IO[bytes]
    size: int
    triples: int
    digest: str
    blank: bool

    def pieces(self, as_quads: bool, size: int = PIECE) -> Iterator[bytes]:
        """The graph in pieces of whole lines (about `size` bytes), as N-Quads or N-Triples."""
        tail = f" <{self.name}> .\n".encode()
        for piece in _pieces(self.spool, size):
            yield piece.replace(b" .\n", tail) if as_quads else piece

    def quads_size(self) -> int:
        return self.size + self.triples * (len(self.name.encode("utf-8")) + 3)


def read_graph(store: ox.Store, name: str, keep: int) -> Graph:
    """Dump one graph into a spool held in memory up to `keep` bytes, on disk beyond."""
    spool = tempfile.SpooledTemporaryFile(max_size=keep)  # noqa: SIM115 -- kept until its batch is sent
    store.dump(spool, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    size, triples, total, blank = spool.tell(), 0, 0, False
    for piece in _pieces(spool):
        if b"_:" in piece:  # a literal may hold "_:" too: then it is replaced needlessly
            blank, piece = True, _BLANK.sub(b"_:", piece)
        lines = piece.splitlines()
        triples += len(lines)
        total += sum(int.from_bytes(hashlib.blake2b(line, digest_size=16).digest(), "big") for line in lines)
    digest = hashlib.blake2b(f"{triples}:{total % (1 << 128):x}".encode(), digest_size=16).hexdigest()
    return Graph(name, spool, size, triples, digest, blank)


def _pieces(spool: IO[bytes], size: int = PIECE) -> Iterator[bytes]:
    spool.seek(0)
    carry = b""
    while block := spool.read(size):
        cut = block.rfind(b"\n") + 1
        if cut:
            yield carry + block[:cut]
            carry = block[cut:]
        else:
            carry += block
    if carry:
        yield carry


class _Client:
    """The connection to the store (one for each batch: the requests of a batch follow each other)."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KgError(f"--store {url!r} is not an http(s) URL of a Graph Store Protocol endpoint")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.conn = kind(parts.netloc, timeout=timeout)
        self.path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        self.sep = "&" if parts.query else "?"
        self.url, self.requests = url, 0
        self.bulk = False  # POST N-Quads with Oxigraph's no_transaction: its bulk loader, not a transaction
        self.used = time.monotonic()  # when the last answer was read

    def server(self) -> str:
        """What the store says it is (its ``Server`` header, from a ``HEAD`` of the URL)."""
        self.requests += 1
        try:
            self._fresh()
            self.conn.request("HEAD", self.path)
            answer = self.conn.getresponse()
            answer.read()
            self.used = time.monotonic()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            raise KgError(f"push to {self.url} failed: the store does not answer ({exc or type(exc).__name__})") from exc
        return answer.getheader("Server", "")

    def _fresh(self) -> None:
        """A new connection for the next request if this one has been idle (see IDLE_SECONDS)."""
        if time.monotonic() - self.used > IDLE_SECONDS:
            self.conn.close()

    def send(self, method: str, what: str, graph: str | None = None, body: Iterable[bytes] = (),
             size: int = 0, media: str = "", missing_ok: bool = False) -> None:
        """One request; `what` names the graph or batch in the error (a single line)."""
        target = self.path if graph is None else f"{self.path}{self.sep}graph={quote(graph, safe='')}"
        if self.bulk and method == "POST" and media == "application/n-quads":
            target += ("&" if "?" in target else "?") + "no_transaction"
        headers = {"Content-Length": str(size), **({"Content-Type": media} if media else {})}
        self.requests += 1
        try:
            self._fresh()
            self.conn.request(method, target, body=iter(body) if size else None, headers=headers)
            answer = self.conn.getresponse()
            detail = " ".join(answer.read().decode("utf-8", "replace").split())[:300]
            self.used = time.monotonic()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            raise KgError(f"push to {self.url} failed at {what} ({method}): {exc or type(exc).__name__}") from exc
        if not (200 <= answer.status < 300 or (missing_ok and answer.status == 404)):
            raise KgError(f"push to {self.url}: {what} refused ({method}) with HTTP {answer.status} {detail}".rstrip())

    def close(self) -> None:
        self.conn.close()


def update_url(store: str) -> str:
    """The SPARQL Update URL beside a Graph Store Protocol URL: Oxigraph's ``/store`` and
    Fuseki's ``/data`` become ``/update``; any other URL gets ``/update`` after it."""
    parts = urlsplit(store)
    path = re.sub(r"/(?:store|data)/?$", "", parts.path.rstrip("/") or "")
    return parts._replace(path=path + "/update", query="", fragment="").geturl()


def _values(graphs: Iterable[Graph]) -> str:
    return " ".join(f"<{g.name}>" for g in graphs)


def forget_update(graphs: list[Graph]) -> str:
    """The update removing from the default graph the triples that only `graphs` hold."""
    names = ", ".join(f"<{g.name}>" for g in graphs)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {_values(graphs)} }} GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({names})) }} }}")


def copy_update(graphs: list[Graph]) -> str:
    """The update copying `graphs` into the default graph."""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {_values(graphs)} }} GRAPH ?g {{ ?s ?p ?o }} }}"


class _Manifest:
    """The digests of the graphs this store holds from the dataset, as last sent."""

    def __init__(self, dataset: Path, url: str) -> None:
        self.path = Path(dataset).with_name(Path(dataset).name + ".push.json")
        self.url, self.cost, self.written = url, 0.0, 0.0
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.data = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}
        self.before: dict[str, str] = dict(self.data.get(url, {}))
        self.now = dict(self.before)

    def record(self, digests: dict[str, str]) -> None:
        """Note graphs the store took; write now unless writing would cost more than a tenth
        of the pushing (a manifest of 100,000 graphs takes a second to write)."""
        self.now.update(digests)
        if time.monotonic() - self.written >= 10 * self.cost:
            self.save()

    def save(self) -> None:
        started = time.monotonic()
        self.data[self.url] = self.now
        write_atomic_text(self.path, json.dumps(self.data, indent=1, sort_keys=True))
        self.written = time.monotonic()
        self.cost = self.written - started


@dataclass
class _Sender:
    """Groups the graphs to send into batches and sends each batch by `method`."""

    client: _Client
    manifest: _Manifest
    method: str
    force: bool
    batch_bytes: int
    batch_graphs: int
    log: Log
    update: _Client | None = None  # the SPARQL Update URL, when the default graph is kept as the union
    batch: list[Graph] = field(default_factory=list)
    batch_size: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"sent": 0, "skipped": 0, "triples": 0, "bytes": 0,
                                                            "batches": 0})
    # the thread that sends (and records in the manifest) one batch while the next is read
    sending: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="kg-push"))
    in_flight: Future | None = None

    def offer(self, graph: Graph) -> None:
        self.counts["triples"] += graph.triples
        if not self.force and self.manifest.before.get(graph.name) == graph.digest:
            self.counts["skipped"] += 1
            graph.spool.close()
            return
        if graph.size > self.batch_bytes:
            self.flush()
            self._send([graph], large=True)
            return
        self.batch.append(graph)
        self.batch_size += graph.size
        if len(self.batch) >= self.batch_graphs or self.batch_size >= self.batch_bytes:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self._send(self.batch)
            self.batch, self.batch_size = [], 0

    def _send(self, graphs: list[Graph], large: bool = False) -> None:
        """Send `graphs` from the sending thread, once the batch before has gone: the next batch
        is read from the store while the server loads this one (one batch in flight, its spools
        held until it is sent)."""
        self.wait()
        self.in_flight = self.sending.submit(self._sent, graphs, large)

    def wait(self) -> None:
        """Until the batch in flight is sent; its error, if it failed, raised here."""
        if self.in_flight is not None:
            done, self.in_flight = self.in_flight, None
            done.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.sending.shutdown(wait=True)

    def _sent(self, graphs: list[Graph], large: bool) -> None:
        try:
            self._send_batch(graphs, large)
        finally:
            self.client.close()  # the next batch on a new connection: reading it may outlast the store's keep-alive
            for g in graphs:
                g.spool.close()
        self.counts["sent"] += len(graphs)
        self.manifest.record({g.name: g.digest for g in graphs})
        self.log(f"push: batch {self.counts['batches']}: {self.counts['sent']:,} graphs sent, "
                 f"{self.counts['bytes']:,} bytes")

    def _send_batch(self, graphs: list[Graph], large: bool) -> None:
        self.counts["batches"] += 1
        n = self.counts["batches"]
        what = f"batch {n} ({len(graphs)} graphs, <{graphs[0].name}> … <{graphs[-1].name}>)"
        replaced = [g for g in graphs if self._replace(g)]
        if self.update is not None and replaced:
            self._update(forget_update(replaced), f"the default graph's triples of {what}")
        self._send_graphs(graphs, large, n, what)
        if self.update is not None:
            self._update(copy_update(graphs), f"the default graph's copy of {what}")

    def _update(self, text: str, what: str) -> None:
        data = text.encode("utf-8")
        try:
            self.update.send("POST", what, None, [data], len(data), "application/sparql-update")
        finally:
            self.update.close()

    def _send_graphs(self, graphs: list[Graph], large: bool, n: int, what: str) -> None:
        if self.method == "put":
            for g in graphs:
                self._put(g)
        elif large:
            self._post_large(graphs[0], f"batch {n} (graph <{graphs[0].name}>)")
        else:
            for g in graphs:
                if self._replace(g):
                    self.client.send("DELETE", f"graph <{g.name}> of {what}", g.name, missing_ok=True)
            body = (piece for g in graphs for piece in g.pieces(as_quads=True))
            self._post(body, sum(g.quads_size() for g in graphs), what)

    def _replace(self, g: Graph) -> bool:
        return self.force or g.blank or g.name in self.manifest.before

    def _put(self, g: Graph) -> None:
        self.client.send("PUT", f"graph <{g.name}>", g.name, g.pieces(as_quads=False), g.size, "application/n-triples")
        self.counts["bytes"] += g.size

    def _post(self, body: Iterable[bytes], size: int, what: str) -> None:
        self.client.send("POST", what, None, body, size, "application/n-quads")
        self.counts["bytes"] += size

    def _post_large(self, g: Graph, what: str) -> None:
        """A graph larger than a batch: deleted if need be, then sent a batch's size at a time
        (whole if it has blank nodes: a store reads each request's labels as new nodes)."""
        if self._replace(g):
            self.client.send("DELETE", what, g.name, missing_ok=True)
        group: list[bytes] = []
        for piece in g.pieces(as_quads=True, size=max(1 << 12, min(PIECE, self.batch_bytes // 4))):
            group.append(piece)
            if not g.blank and sum(map(len, group)) >= self.batch_bytes:
                self._post(group, sum(map(len, group)), what)
                group = []
        if group:
            self._post(group, sum(map(len, group)), what)


def push(dataset: Path, url: str, force: bool = False, timeout: float = 300.0, log: Log = lambda line: None,
         method: str = "bulk", batch_bytes: int = BATCH_BYTES, batch_graphs: int = BATCH_GRAPHS,
         union: bool = False, update: str | None = None, server_bulk: str = "auto") -> Pushed:
    """Make the store's named graphs equal to the dataset's, sending only what changed since
    the last push to this URL (everything with `force`); with `union`, its default graph equal
    to their union too, through the SPARQL Update URL `update` (:func:`update_url` by default).
    `server_bulk`: each bulk POST loaded by Oxigraph's bulk loader (``no_transaction``) — "auto"
    when the store's ``Server`` header says Oxigraph, "on", or "off" (a transaction a request)."""
    if method not in METHODS:
        raise KgError(f"push method {method!r} is not one of: {', '.join(METHODS)}")
    if server_bulk not in SERVER_BULK:
        raise KgError(f"server bulk {server_bulk!r} is not one of: {', '.join(SERVER_BULK)}")
    if batch_bytes < 1 or batch_graphs < 1:
        raise KgError(f"a batch must hold at least one graph and one byte (got {batch_graphs} graphs, {batch_bytes} bytes)")
    client = _Client(url, timeout)
    if method == "bulk" and server_bulk != "off":
        client.bulk = server_bulk == "on" or client.server().startswith("Oxigraph/")
        if client.bulk:
            log(f"push: {url} loads each batch with its bulk loader (no_transaction)")
    updater = _Client(update or update_url(url), timeout) if union else None
    store = open_store(dataset)
    manifest = _Manifest(dataset, url + (" (default graph: the union)" if union else ""))
    sender = _Sender(client, manifest, method, force, batch_bytes, batch_graphs, log, updater)
    try:
        for name in sorted(g.value for g in store.named_graphs()):
            sender.offer(read_graph(store, name, batch_bytes))
        sender.flush()
        sender.close()
    finally:
        with contextlib.suppress(Exception):  # after an error or Ctrl-C: the batch in flight finishes and is
            sender.close()                      # recorded; its own failure, if any, is not the one to report
        client.close()
        if updater is not None:
            updater.close()
        for g in sender.batch:  # read, not sent
            g.spool.close()
        manifest.save()
    c = sender.counts
    return Pushed(c["sent"], c["skipped"], c["triples"], c["bytes"], client.requests + (updater.requests if updater else 0))
