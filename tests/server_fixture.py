"""A small hand-made dataset in the layout `kg build` writes, for the server's tests.

Persons, a role, a post, bodies, documents, a meeting, a goal, evidence nodes, an ontology
graph, an inferred graph and a links graph with owl:sameAs to Wikidata. The sentences are
written for these tests. ``protocol_data=True`` adds the three tiny graphs the W3C protocol
tests query (``http://kasei.us/2009/09/sparql/data/data{1,2,3}.rdf``).
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from kg.results import serialize_dataset
from kg.vocab import VNKG, WD, bind_all

ID = Namespace("https://w3id.org/vnkg/id/")
G = Namespace("https://w3id.org/vnkg/graph/")
KASEI = "http://kasei.us/2009/09/sparql/data/"

AN = ID["person/nguyen-van-an-a1b2c3"]
HOA = ID["person/tran-thi-hoa-d4e5f6"]
THUY = ID["person/pham-van-thuy-0a0b0c"]
TINH_UY = ID["body/tinh-uy-bac-giang-111111"]
BTV = ID["body/ban-thuong-vu-tinh-uy-bac-giang-222222"]
BI_THU = ID["role/bi-thu-333333"]
POST = ID["post/bi-thu-tinh-uy-bac-giang-444444"]
NQ = ID["document/nghi-quyet-11-nq-tw-555555"]
CT = ID["document/chi-thi-26-ct-tu-666666"]
MEETING = ID["meeting/hoi-nghi-tinh-uy-bac-giang-777777"]
GOAL = ID["goal/grdp-888888"]
SRC_A, SRC_B = ID["source/000-test-aaaaaa"], ID["source/001-test-bbbbbb"]
SENTENCE_A = "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy Bắc Giang phát biểu tại Hội nghị."
SENTENCE_B = "Bà Trần Thị Hòa dự Hội nghị Tỉnh ủy Bắc Giang."


def _label(g, node, text):
    g.add((node, RDFS.label, Literal(text, lang="vi")))


def _entities(g) -> None:
    for node, cls, label in (
        (AN, VNKG.Person, "Nguyễn Văn An"), (HOA, VNKG.Person, "Trần Thị Hòa"),
        (THUY, VNKG.Person, "Phạm Văn Thụy"), (TINH_UY, VNKG.Body, "Tỉnh ủy Bắc Giang"),
        (BTV, VNKG.Body, "Ban Thường vụ Tỉnh ủy Bắc Giang"), (BI_THU, VNKG.Role, "Bí thư"),
        (POST, VNKG.Post, "Bí thư Tỉnh ủy Bắc Giang"), (NQ, VNKG.Document, "Nghị quyết số 11-NQ/TW"),
        (CT, VNKG.Document, "Chỉ thị số 26-CT/TU"), (MEETING, VNKG.Meeting, "Hội nghị Tỉnh ủy Bắc Giang"),
        (GOAL, VNKG.Goal, "Nhóm 12 tỉnh đứng đầu về GRDP"),
    ):
        g.add((node, RDF.type, cls))
        _label(g, node, label)
        g.add((node, VNKG.mentionedIn, SRC_A))
    g.add((NQ, RDF.type, VNKG.Resolution))
    g.add((CT, RDF.type, VNKG.Directive))


def _facts(g) -> list[tuple]:
    facts = [
        (AN, VNKG.holds, POST), (POST, VNKG.role, BI_THU), (POST, VNKG.postIn, TINH_UY),
        (BTV, VNKG.partOf, TINH_UY), (NQ, VNKG.number, Literal("11-NQ/TW")),
        (CT, VNKG.number, Literal("26-CT/TU")), (CT, VNKG.issuedBy, BTV), (CT, VNKG.cites, NQ),
        (CT, VNKG.issued, Literal("2024-07-16", datatype=XSD.date)),
        (MEETING, VNKG.date, Literal("2024-07-16", datatype=XSD.date)),
        (MEETING, VNKG.organizedBy, TINH_UY), (MEETING, VNKG.speaker, AN),
        (MEETING, VNKG.participant, HOA), (GOAL, VNKG.setBy, CT),
        (GOAL, VNKG.targetValue, Literal(12)), (GOAL, VNKG.text, Literal("nhóm 12 tỉnh", lang="vi")),
    ]
    for fact in facts:
        g.add(fact)
    return facts


def _evidence(g, n, fact, source, sentence, start) -> None:
    node, mention, said = ID[f"evidence/{n:06x}"], ID[f"mention/{n:06x}"], ID[f"sentence/{n:06x}"]
    s, p, o = fact
    for triple in ((node, RDF.subject, s), (node, RDF.predicate, p), (node, RDF.object, o),
                   (node, VNKG.mention, mention), (mention, VNKG.inSentence, said),
                   (mention, VNKG.start, Literal(start)), (mention, VNKG.end, Literal(start + len(sentence))),
                   (mention, VNKG.rule, Literal("test-rule")), (said, VNKG.source, source),
                   (said, RDF.value, Literal(sentence, lang="vi"))):
        g.add(triple)


def dataset(protocol_data: bool = False) -> Dataset:
    ds = Dataset()
    bind_all(ds)
    src = ds.graph(G["source/000_test.txt"])
    _entities(src)
    facts = _facts(src)
    for n, fact in enumerate(facts[:3]):
        _evidence(src, n, fact, SRC_A, SENTENCE_A, 0)
    _evidence(src, 99, (MEETING, VNKG.participant, HOA), SRC_A, SENTENCE_B, 80)
    for source, ident in ((SRC_A, "000_test.txt"), (SRC_B, "001_test.txt")):
        src.add((source, RDF.type, VNKG.Source))
        src.add((source, DCTERMS.identifier, Literal(ident)))
        src.add((source, VNKG.published, Literal("2024-07-16", datatype=XSD.date)))
        _label(src, source, ident)
    src_b = ds.graph(G["source/001_test.txt"])
    src_b.add((HOA, VNKG.mentionedIn, SRC_B))
    onto = ds.graph(G["ontology"])
    onto.add((VNKG.holds, OWL.inverseOf, VNKG.heldBy))
    onto.add((VNKG.Resolution, RDFS.subClassOf, VNKG.Document))
    inferred = ds.graph(G["inferred"])
    inferred.add((AN, VNKG.memberOf, TINH_UY))
    inferred.add((POST, VNKG.heldBy, AN))
    inferred.add((MEETING, VNKG.participant, AN))
    inferred.add((AN, RDF.type, FOAF.Person))
    ds.graph(G["links"]).add((AN, OWL.sameAs, WD["Q4000001"]))
    if protocol_data:
        for n in (1, 2, 3):
            iri = URIRef(f"{KASEI}data{n}.rdf")
            ds.graph(iri).add((iri, RDF.type, FOAF.Document))
    return ds


def write(path: Path, protocol_data: bool = False) -> Path:
    """Write the fixture dataset as TriG at `path`; return the path."""
    path.write_bytes(serialize_dataset(dataset(protocol_data), "application/trig"))
    return path


# --- a live server on loopback, for the tests that use real HTTP clients -----------------

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

PROJECT = Path(__file__).resolve().parent.parent


def wait_for(condition, seconds: float = 30, step: float = 0.05) -> bool:
    """Ask `condition` until it holds or `seconds` pass; whether it held (asked once more at the end)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(graph: Path, timeout: float = 2.0, memory_mb: int = 300, workers: int = 2,
                max_results: int = 1000, env: dict[str, str] | None = None, with_process: bool = False):
    """Run `python -m server.run` (gunicorn) on a free loopback port; yield its base URL (and
    the gunicorn master's Popen, `with_process`). `env` adds KG_* settings (KG_CLIENT_LIMIT,
    KG_PUBLIC_GRAPHS…)."""
    port = free_port()
    public = {"KG_PUBLIC_GRAPHS": KASEI}  # the W3C protocol tests' graphs, when present
    env = {**os.environ, "KG_QUERY_TIMEOUT": str(timeout), "KG_QUERY_MEMORY_MB": str(memory_mb),
           "KG_MAX_RESULTS": str(max_results), **public, **(env or {}),
           "PYTHONPATH": str(PROJECT)}
    log = open(graph.with_suffix(".log"), "wb")
    process = subprocess.Popen([sys.executable, "-m", "server.run", str(graph), "--port", str(port),
                                "--workers", str(workers)], env=env, stdout=log, stderr=log, cwd=PROJECT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield (url, process) if with_process else url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up within 60 s")


@contextlib.contextmanager
def app_for(path: Path):
    """The app serving the dataset at `path`, its query workers closed afterwards."""
    from server.app import create_app
    app = create_app({"GRAPH": str(path)})
    try:
        yield app
    finally:
        app.extensions["kg"]["engine"].close()


# --- processes, as /proc shows them ------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # state, ppid, …


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped does not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None and fields[1] == str(pid):
            found.append(int(entry))
    return found
