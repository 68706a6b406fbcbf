"""`kg push` through the bulk path (N-Quads POSTed to `oxigraph serve`'s /store, on loopback):
the same answers as the embedded store, resuming after an interruption without duplicates, a
changed graph replaced, a refused request a one-line error. Faults come from a small proxy in
front of the real server that refuses, or forwards and then hangs up on, the Nth POST."""
from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest

from kg import config
from kg.errors import KgError
from kg.export import load, serialize
from kg.store.push import push
from kg.store import open_store

from oxigraph_support import free_port, oxigraph

CONTRACT = Path("/work/shared/contract/cq")
CQS = sorted(config.CQ_DIR.glob("*.rq")) + sorted(CONTRACT.glob("*.rq"))
JSON = "application/sparql-results+json"


class Faulty(http.server.ThreadingHTTPServer):
    """Forwards every request to `upstream`, except the first POST whose body holds `marker`:
    refused with 503 ("refuse"), forwarded and the connection closed unanswered ("drop"), or held
    ("hold": `holding` set) until `release` is set or 5 s have passed, then forwarded."""

    daemon_threads = True

    def __init__(self, upstream: str, mode: str, marker: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream, self.mode, self.marker, self.failed = urlsplit(upstream).netloc, mode, marker, False
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.holding, self.release = threading.Event(), threading.Event()


class _Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        failing = self.command == "POST" and not self.server.failed and self.server.marker in body
        self.server.failed |= failing
        if failing and self.server.mode == "refuse":
            return self._answer(503, b"Service Unavailable\nback soon")
        if failing and self.server.mode == "hold":
            self.server.holding.set()
            self.server.release.wait(5)
            self.server.holding.clear()
            failing = False
        conn = http.client.HTTPConnection(self.server.upstream, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        if failing:  # the store took it; the client never hears so
            self.close_connection = True
            return
        self._answer(answer.status, data)

    def _answer(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def faulty(upstream: str, mode: str, marker: bytes) -> Iterator[Faulty]:
    proxy = Faulty(upstream, mode, marker)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def _dataset(seeds_build: Path, folder: Path) -> Path:
    out = folder / "kg.trig"
    shutil.copy(seeds_build, out)
    return out


def _dump(base: str) -> list[ox.Quad]:
    req = urllib.request.Request(base + "/store", headers={"Accept": "application/n-quads"})
    return list(ox.parse(urllib.request.urlopen(req, timeout=30).read(), format=ox.RdfFormat.N_QUADS))


def _shape(quads) -> tuple[dict[str, int], set[str], int]:
    """Per graph its number of quads; the quads without blank nodes; how many have one."""
    counts: dict[str, int] = {}
    plain, blank = set(), 0
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank += 1
        else:
            plain.add(str(q))
    return counts, plain, blank


def _expected(dataset: Path):
    """The shape of the embedded store (which, like the server, keeps "1.000"^^xsd:decimal as "1")."""
    return _shape(open_store(dataset))


SMALL = {"batch_graphs": 2, "batch_bytes": 150_000}  # several batches, the largest graphs in pieces


@pytest.fixture(scope="module")
def pushed(seeds_build, tmp_path_factory):
    """The seeds build pushed in bulk to `oxigraph serve --union-default-graph`, in small batches."""
    folder = tmp_path_factory.mktemp("bulk")
    with oxigraph(folder / "db", "--union-default-graph") as base:
        done = push(_dataset(seeds_build, folder), base + "/store", **SMALL)
        yield base, done


@pytest.fixture(scope="module")
def apps(pushed, seeds_build):
    from server.app import create_app
    remote = create_app({"STORE": pushed[0] + "/query", "QUERY_TIMEOUT": 10})
    local = create_app({"GRAPH": str(seeds_build)})
    yield remote.test_client(), local.test_client()
    local.extensions["kg"]["engine"].close()


def _rows(client, text: str) -> list[str]:
    response = client.get("/sparql?query=" + quote(text, safe=""), headers={"Accept": JSON})
    assert response.status_code == 200, response.data[:300]
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in json.loads(response.data)["results"]["bindings"])


def test_a_bulk_push_sends_batches_and_the_store_holds_the_dataset(pushed, seeds_build):
    base, done = pushed
    graphs = len(_expected(seeds_build)[0])
    assert (done.sent, done.skipped) == (graphs, 0)
    assert done.requests > graphs // SMALL["batch_graphs"]
    assert _shape(_dump(base)) == _expected(seeds_build)


@pytest.mark.parametrize("cq", CQS, ids=[f"{p.parent.name}/{p.stem}" for p in CQS])
def test_kg_serve_store_answers_every_competency_question_as_the_embedded_store(apps, cq):
    remote, local = apps
    text = cq.read_text(encoding="utf-8")
    assert _rows(remote, text) == _rows(local, text)


@pytest.mark.parametrize("mode", ["refuse", "drop"])
def test_an_interrupted_push_goes_on_where_it_stopped_without_duplicates(seeds_build, tmp_path, mode):
    """The batch with the ontology graph (blank nodes) fails: "drop" lets the store take it and
    loses the answer, so the rerun must replace that graph, not add its blank nodes again."""
    dataset = _dataset(seeds_build, tmp_path)
    with oxigraph(tmp_path / "db") as base, faulty(base + "/store", mode, b"/graph/ontology> .") as proxy:
        url = proxy.url + "/store"
        with pytest.raises(KgError, match=r"batch \d+ \(2 graphs, <\S+> … <\S+/ontology>\)") as caught:
            push(dataset, url, **SMALL)
        assert "\n" not in str(caught.value) and ("HTTP 503" in str(caught.value)) == (mode == "refuse")
        kept = json.loads(dataset.with_name("kg.trig.push.json").read_text())[url]
        assert kept and not any(g.endswith("/ontology") for g in kept)
        again = push(dataset, url, **SMALL)
        assert (again.skipped, again.sent) == (len(kept), len(_expected(dataset)[0]) - len(kept))
        assert _shape(_dump(base)) == _expected(dataset)
        assert push(dataset, url, **SMALL).sent == 0


def test_the_next_batch_is_read_while_the_store_loads_one(seeds_build, tmp_path, monkeypatch):
    """One batch in flight: while the store is still loading the first batch (its POST held open
    by the proxy), `kg push` reads the graphs of the next one — reading and loading overlap."""
    import kg.store.push as pushing
    real = pushing.read_graph
    dataset = _dataset(seeds_build, tmp_path)
    reads = []
    with oxigraph(tmp_path / "db") as base, faulty(base + "/store", "hold", b"") as proxy:
        def read_graph(store, name, keep):
            reads.append(name)
            if len(reads) == 3:  # the first batch (two graphs, SMALL) is on its way: is it being loaded now?
                if proxy.holding.wait(5):
                    proxy.release.set()
            return real(store, name, keep)
        monkeypatch.setattr(pushing, "read_graph", read_graph)
        done = push(dataset, proxy.url + "/store", **SMALL)
        assert proxy.release.is_set(), "no graph was read while the store held a batch"
        assert done.sent == len(_expected(dataset)[0]) and _shape(_dump(base)) == _expected(dataset)


def test_a_push_stopped_by_ctrl_c_keeps_the_batches_sent(seeds_build, tmp_path):
    dataset = _dataset(seeds_build, tmp_path)

    def interrupt(line: str) -> None:
        if line.startswith("push: batch 2:"):
            raise KeyboardInterrupt

    with oxigraph(tmp_path / "db") as base:
        with pytest.raises(KeyboardInterrupt):
            push(dataset, base + "/store", log=interrupt, **SMALL)
        kept = json.loads(dataset.with_name("kg.trig.push.json").read_text())[base + "/store"]
        again = push(dataset, base + "/store", **SMALL)
        assert len(kept) > 1 and again.skipped == len(kept) and again.sent == len(_expected(dataset)[0]) - len(kept)
        assert _shape(_dump(base)) == _expected(dataset)


def test_force_resends_everything_and_leaves_no_duplicates(seeds_build, tmp_path):
    dataset = _dataset(seeds_build, tmp_path)
    with oxigraph(tmp_path / "db") as base:
        push(dataset, base + "/store")
        forced = push(dataset, base + "/store", force=True)
        assert (forced.sent, forced.skipped) == (len(_expected(dataset)[0]), 0)
        assert _shape(_dump(base)) == _expected(dataset)


def test_a_changed_graph_is_replaced_not_merged(seeds_build, tmp_path):
    dataset = _dataset(seeds_build, tmp_path)
    with oxigraph(tmp_path / "db") as base:
        push(dataset, base + "/store")
        ds = load(dataset)
        links = next(g for g in ds.graphs() if str(g.identifier).endswith("/links"))
        for t in list(links)[:2]:
            links.remove(t)
        dataset.write_bytes(serialize(ds, "trig"))
        done = push(dataset, base + "/store")
        assert done.sent == 1  # the ontology's blank nodes have new labels, yet it is unchanged
        assert _shape(_dump(base)) == _expected(dataset)


def test_put_gives_the_store_the_same_dataset_as_bulk(seeds_build, tmp_path):
    dataset = _dataset(seeds_build, tmp_path)
    with oxigraph(tmp_path / "db") as base:
        done = push(dataset, base + "/store", method="put", batch_bytes=150_000)
        assert done.requests == done.sent
        assert _shape(_dump(base)) == _expected(dataset)
        assert push(dataset, base + "/store", method="bulk").sent == 0  # one manifest for both ways


@pytest.mark.parametrize("method,names", [("bulk", r"batch 1 \(2 graphs, <\S+> … <\S+>\)"),
                                          ("put", r"graph <https://w3id.org/vnkg/graph/inferred>")])
def test_a_refused_request_is_one_line_naming_the_batch_and_the_status(seeds_build, tmp_path, method, names):
    dataset = _dataset(seeds_build, tmp_path)
    ox.Store(str(tmp_path / "db")).flush()  # an empty store for the read-only server
    with oxigraph(tmp_path / "db", command="serve-read-only") as base:
        with pytest.raises(KgError, match=names + r" refused \((POST|PUT)\) with HTTP 403") as caught:
            push(dataset, base + "/store", method=method, batch_graphs=2)
        assert "\n" not in str(caught.value)
    assert not json.loads(dataset.with_name("kg.trig.push.json").read_text())[base + "/store"]


def test_kg_push_on_the_command_line(seeds_build, tmp_path, capsys):
    from kg.cli import main
    dataset = _dataset(seeds_build, tmp_path)
    with oxigraph(tmp_path / "db") as base:
        assert main(["push", "-g", str(dataset), "--store", base + "/store", "--batch-graphs", "3"]) == 0
        assert "graphs sent" in capsys.readouterr().err
    assert main(["push", "-g", str(dataset), "--store", f"http://127.0.0.1:{free_port()}/store"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _default_and_union(base: str) -> tuple[set[str], set[str], int, int]:
    """The store's default graph and the union of its named graphs, as sets of triples without
    blank nodes, and how many triples with one each holds."""
    default, union, blank = set(), set(), [set(), set()]
    for q in _dump(base):
        triple = ox.Triple(q.subject, q.predicate, q.object)
        named = not isinstance(q.graph_name, ox.DefaultGraph)
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank[named].add(str(triple))
        else:
            (union if named else default).add(str(triple))
    return default, union, len(blank[0]), len(blank[1])


@pytest.fixture(scope="module")
def pushed_union(seeds_build, tmp_path_factory):
    """The seeds build pushed with the default graph kept as the union, to a plain `oxigraph serve`."""
    folder = tmp_path_factory.mktemp("union")
    with oxigraph(folder / "db") as base:
        done = push(_dataset(seeds_build, folder), base + "/store", union=True, **SMALL)
        yield base, done


def test_a_union_push_makes_the_default_graph_the_union_of_the_graphs(pushed_union, seeds_build):
    base, done = pushed_union
    assert _shape(_dump(base)) == _expected(seeds_build)
    default, union, default_blank, named_blank = _default_and_union(base)
    assert union and default == union
    assert default_blank == named_blank > 0  # the ontology's lists, copied by the store with the same nodes


@pytest.mark.parametrize("cq", CQS, ids=[f"{p.parent.name}/{p.stem}" for p in CQS])
def test_kg_serve_store_over_a_plain_server_answers_as_the_embedded_store(pushed_union, seeds_build, cq):
    from server.app import create_app
    remote = create_app({"STORE": pushed_union[0] + "/query", "QUERY_TIMEOUT": 10}).test_client()
    local = create_app({"GRAPH": str(seeds_build)})
    try:
        text = cq.read_text(encoding="utf-8")
        assert _rows(remote, text) == _rows(local.test_client(), text)
    finally:
        local.extensions["kg"]["engine"].close()


def test_a_replaced_graph_leaves_the_default_graph_only_what_other_graphs_hold(tmp_path):
    ex = "http://example.org/"
    dataset = tmp_path / "kg.trig"
    dataset.write_text(f"<{ex}g1> {{ <{ex}a> <{ex}p> <{ex}b> . <{ex}c> <{ex}p> <{ex}d> . }}\n"
                       f"<{ex}g2> {{ <{ex}a> <{ex}p> <{ex}b> . }}\n", encoding="utf-8")
    with oxigraph(tmp_path / "db") as base:
        push(dataset, base + "/store", union=True)
        assert len(_default_and_union(base)[0]) == 2
        dataset.write_text(f"<{ex}g1> {{ <{ex}x> <{ex}p> <{ex}y> . }}\n"
                           f"<{ex}g2> {{ <{ex}a> <{ex}p> <{ex}b> . }}\n", encoding="utf-8")
        assert push(dataset, base + "/store", union=True).sent == 1
        default, union, _, _ = _default_and_union(base)
        assert default == union == {f"<{ex}a> <{ex}p> <{ex}b>", f"<{ex}x> <{ex}p> <{ex}y>"}
        assert push(dataset, base + "/store").sent == 2  # a plain push is recorded apart


def test_the_update_url_beside_a_graph_store_url():
    from kg.store.push import update_url
    assert update_url("http://127.0.0.1:7878/store") == "http://127.0.0.1:7878/update"
    assert update_url("http://host:3030/ds/data") == "http://host:3030/ds/update"
    assert update_url("http://host:3030/ds") == "http://host:3030/ds/update"


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Takes every request (HEAD 200, the rest 204), notes its method and path, and says it is `server.name`."""

    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append((self.command, self.path))
        self.send_response(200 if self.command == "HEAD" else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def version_string(self) -> str:
        return self.server.name

    do_HEAD = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("name, setting, bulk", [("Oxigraph/0.5.13", "auto", True), ("Apache Jena Fuseki (5.1.0)", "auto", False),
                                                 ("Oxigraph/0.5.13", "off", False), ("Fuseki", "on", True)])
def test_oxigraph_loads_the_batches_with_its_bulk_loader(seeds_build, tmp_path, name, setting, bulk):
    """Oxigraph's POST /store?no_transaction goes to its bulk loader (several times faster than a
    transaction a request); another store is sent plain Graph Store Protocol requests."""
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    recorder.seen, recorder.name, recorder.daemon_threads = [], name, True
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{recorder.server_address[1]}/store"
        push(_dataset(seeds_build, tmp_path), url, server_bulk=setting, **SMALL)
    finally:
        recorder.shutdown()
        recorder.server_close()
    posts = [path for method, path in recorder.seen if method == "POST"]
    assert posts and all(("no_transaction" in path) == bulk for path in posts)
    assert all("no_transaction" not in path for method, path in recorder.seen if method != "POST")
