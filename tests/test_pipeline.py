"""`kg build` end to end on the seeds: scores, determinism, asserted vs inferred, exports that an
independent parser reads, and bad input refused without a half-written file."""
import json
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.compare import isomorphic

from kg import config
from kg.cli import main
from kg.evaluate import evaluate, load_gold
from kg.export import load, serialize
from kg.pipeline import build
from kg.vocab import VNKG

from conftest import SEEDS, SEEDS_GOLD


def test_seeds_score(seeds_build):
    scores = evaluate(load(seeds_build), load_gold(SEEDS_GOLD))
    assert scores.must_not == 0
    assert scores.overall >= 0.95, scores


def test_member_of_only_after_reasoning(seeds_build):
    ds = load(seeds_build)
    inferred = URIRef(config.graph_iri("inferred"))
    asserted = [g for g in ds.graphs() if g.identifier != inferred]
    assert not any((None, VNKG.memberOf, None) in g for g in asserted)
    assert (None, VNKG.memberOf, None) in ds.graph(inferred)


def test_one_named_graph_per_source(seeds_build):
    ds = load(seeds_build)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    sources = {config.graph_iri("source", p.name) for p in SEEDS.glob("*.txt")}
    assert sources <= names
    assert {config.graph_iri("ontology"), config.graph_iri("inferred"), config.graph_iri("links")} <= names


def test_byte_identical(tmp_path, seeds_build):
    """The same sources give the same bytes; the build leaves the garbage collector's
    thresholds as it found them (it raises them while it runs)."""
    import gc
    before = gc.get_threshold()
    again = tmp_path / "again.trig"
    build([SEEDS], again, log=lambda line: None)
    assert again.read_bytes() == seeds_build.read_bytes()
    assert gc.get_threshold() == before


def test_no_reason(tmp_path):
    out = tmp_path / "plain.trig"
    summary = build([SEEDS], out, do_reason=False, log=lambda line: None)
    assert summary.inferred == 0
    assert len(load(out).graph(URIRef(config.graph_iri("inferred")))) == 0


def test_independent_parser_reads_an_isomorphic_graph(seeds_build):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(seeds_build.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    ours = load(seeds_build)
    for g in ours.graphs():
        if not len(g):
            continue
        quads = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(g.identifier)))
        theirs = Graph().parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads), format="nt")
        assert isomorphic(_values(theirs), _values(g)), g.identifier


def _values(g: Graph) -> Graph:
    """The graph with decimals in one lexical form (pyoxigraph writes 1.000 as 1)."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", ["trig", "turtle", "nt", "nquads", "json-ld"])
def test_exports_parse_back(seeds_build, fmt):
    data = serialize(load(seeds_build), fmt)
    target = Dataset() if fmt in ("trig", "nquads") else Graph()
    target.parse(data=data.decode("utf-8"), format={"nt": "nt", "json-ld": "json-ld"}.get(fmt, fmt))
    assert len(target) > 0 or sum(len(g) for g in target.graphs()) > 0


BAD = [
    ("empty", {"x.txt": b""}, "empty file"),
    ("binary", {"x.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "binary"),
    ("latin1", {"x.txt": "Tỉnh ủy họp".encode("utf-8")[:3] + b"\xe9t\xe9"}, "not UTF-8"),
    ("html", {"x.txt": b"<!DOCTYPE html><html><body><p>T</p></body></html>"}, "no article text"),  # a page saved as .txt
    ("sidecar-json", {"x.txt": "Tỉnh ủy Nam Định họp.".encode(), "x.meta.json": b"{nope"}, "not valid JSON"),
    ("sidecar-date", {"x.txt": "Tỉnh ủy Nam Định họp.".encode(), "x.meta.json": b'{"published": "2024-02-31"}'}, "not a real date"),
    ("sidecar-type", {"x.txt": "Tỉnh ủy Nam Định họp.".encode(), "x.meta.json": b'{"province": 7}'}, "must be a string"),
]


@pytest.mark.parametrize("files,problem", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, capsys, files, problem):
    src = tmp_path / "in"
    src.mkdir()
    for name, data in files.items():
        (src / name).write_bytes(data)
    out = tmp_path / "out" / "kg.trig"
    out.parent.mkdir()
    out.write_bytes(b"previous build")
    assert main(["build", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and problem in err[0] and "x." in err[0]
    assert out.read_bytes() == b"previous build"
    assert [p.name for p in out.parent.iterdir()] == ["kg.trig"]


def test_missing_path_and_empty_folder(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o.trig")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "o.trig")]) == 2
    assert "folder holds no sources" in capsys.readouterr().err


def test_query_export_validate_explain(seeds_build, capsys, tmp_path):
    assert main(["query", "-g", str(seeds_build), "posts", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {"Lê Thị Thu Hồng", "Phó Bí thư Thường trực"} <= {v["value"] for r in rows for v in r.values()}
    assert main(["query", "-g", str(seeds_build), "SELEC nonsense"]) == 2
    assert "not valid SPARQL" in capsys.readouterr().err
    assert main(["export", "-g", str(seeds_build), "-o", str(tmp_path / "k.nt")]) == 0
    assert Graph().parse(tmp_path / "k.nt", format="nt")
    assert main(["validate", "-g", str(seeds_build)]) == 0
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "e.trig"), "--explain", "Nguyễn Văn Gấu"]) == 0
    assert "rule person-title" in capsys.readouterr().out


def test_validate_fails_on_a_person_that_is_a_body(tmp_path, seeds_build):
    ds = load(seeds_build)
    g = ds.graph(URIRef(config.graph_iri("source", "000_211ce3051446685c.txt")))
    person = next(g.subjects(URIRef(str(VNKG.holds)), None))
    g.add((person, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), VNKG.Body))
    bad = tmp_path / "bad.trig"
    bad.write_bytes(serialize(ds, "trig"))
    assert main(["validate", "-g", str(bad)]) == 1


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], capture_output=True, text=True, check=True)
    for command in ("build", "query", "export", "validate", "evaluate", "link", "serve", "conformance"):
        assert command in out.stdout


def test_re_export_is_the_built_file(seeds_build):
    """One TriG writer: exporting a build as TriG gives back the file `kg build` wrote."""
    assert serialize(load(seeds_build), "trig") == seeds_build.read_bytes()
