"""The Python API (kg/toolkit/api.py): the session of the README's "Python API" run as written, on the seeds and on a
generated corpus; typed rows and DataFrames; find and facts as the server has them; a remote
endpoint on loopback; build and add with the commands' errors; ``import kg`` kept cheap."""
from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import kg
import server_fixture as fx
from kg.errors import InputError, KgError, QueryError
from kg.text import fold

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def doc_blocks() -> list[str]:
    """The python blocks of the README's section "Python API"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def run_session(folder: Path, sources: Path, monkeypatch) -> dict:
    """The python blocks of the README's "Python API", one after the other in one namespace (a notebook),
    in `folder` whose seeds/ are `sources`."""
    (folder / "seeds").symlink_to(sources, target_is_directory=True)
    monkeypatch.chdir(folder)
    namespace: dict = {}
    for n, block in enumerate(doc_blocks()):
        exec(compile(ast.parse(block), f"README.md, Python API, block {n + 1}", "exec"), namespace)
    return namespace


def test_docs_have_a_session():
    blocks = doc_blocks()
    assert len(blocks) >= 3 and any("kg.open(" in b for b in blocks) and any(".facts(" in b for b in blocks)


def test_docs_session_runs_on_the_seeds(tmp_path, monkeypatch):
    ns = run_session(tmp_path, ROOT / "seeds", monkeypatch)
    assert ns["members"].columns == ("name", "body") and len(ns["members"]) == 18
    assert str(ns["tenures"]["first"].dtype).startswith("datetime64")
    assert ns["person"].label == ns["name"] == "Nguyễn Văn Gấu"
    holds = [f for f in ns["facts"] if f.property == "vnkg:holds" and f.evidence]
    assert holds and all(e.sentence and e.source.endswith(".txt") and e.rule for f in holds for e in f.evidence)


@pytest.mark.slow
def test_docs_session_runs_on_a_generated_corpus(tmp_path, monkeypatch):
    from benchmarks.generate import write_corpus
    corpus = tmp_path / "corpus"
    write_corpus(1000, corpus, seed=1)
    work = tmp_path / "work"
    work.mkdir()
    ns = run_session(work, corpus, monkeypatch)
    assert len(ns["members"]) > 1000 and ns["hits"] and ns["hits"][0].type == "Person"
    assert fold(ns["hits"][0].label) == fold(ns["name"])
    assert any(e.sentence for f in ns["facts"] for e in f.evidence)


# --- a dataset with every kind of term -------------------------------------------------------

BASE = "https://example.org/id/"
TYPED = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
<https://w3id.org/vnkg/graph/source/a.txt> {{
  <{BASE}person/an> a vnkg:Person ; rdfs:label "Nguyễn Văn An"@vi ; vnkg:mentionedIn <{BASE}source/a> ;
      <urn:p:n> 7 ; <urn:p:d> 2.50 ; <urn:p:f> "1.5E0"^^xsd:double ; <urn:p:b> true ;
      <urn:p:date> "2024-07-16"^^xsd:date ; <urn:p:when> "2024-07-16T08:30:00"^^xsd:dateTime ;
      <urn:p:year> "2019"^^xsd:gYear ; <urn:p:text> "tab\\there, \\"quoted\\", new\\nline" ;
      <urn:p:bad> "31/02/2024"^^xsd:date ; <urn:p:knows> <{BASE}person/hoa> , <{BASE}person/secret> , [ <urn:p:n> 1 ] .
  <{BASE}person/hoa> a vnkg:Person ; rdfs:label "Trần Thị Hoà"@vi , "Tran Thi Hoa"@en ; <urn:p:n> 8 .
}}
<urn:private:notes> {{
  <{BASE}person/an> <urn:p:secret> "không công bố"@vi .
  <{BASE}person/secret> rdfs:label "Người Bí Mật"@vi .
}}
"""


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> kg.Dataset:
    path = tmp_path_factory.mktemp("typed") / "kg.trig"
    path.write_text(TYPED, encoding="utf-8")
    return kg.open(path, overrides={"base_iri": BASE})


def _one(ds, predicate: str):
    rows = ds.query(f"SELECT ?o WHERE {{ <{BASE}person/an> <{predicate}> ?o }}").rows
    assert len(rows) == 1, rows
    return rows[0]["o"]


@pytest.mark.parametrize("predicate, expected", [
    ("urn:p:n", 7), ("urn:p:d", Decimal("2.5")), ("urn:p:f", 1.5), ("urn:p:b", True),
    ("urn:p:date", dt.date(2024, 7, 16)), ("urn:p:when", dt.datetime(2024, 7, 16, 8, 30)),
    ("urn:p:year", "2019"), ("urn:p:text", 'tab\there, "quoted", new\nline'),
    ("urn:p:bad", "31/02/2024"), ("http://www.w3.org/2000/01/rdf-schema#label", "Nguyễn Văn An"),
], ids=["integer", "decimal", "double", "boolean", "date", "datetime", "gyear", "escapes", "ill-typed", "lang"])
def test_rows_hold_python_values(typed, predicate, expected):
    value = _one(typed, predicate)
    assert value == expected and type(value) is type(expected)


def test_dataframe_columns_are_typed(typed):
    df = typed.query("""SELECT ?who ?n ?d ?date ?b ?name WHERE {
        ?who <urn:p:n> ?n ; <http://www.w3.org/2000/01/rdf-schema#label> ?name .
        OPTIONAL { ?who <urn:p:d> ?d } OPTIONAL { ?who <urn:p:date> ?date } OPTIONAL { ?who <urn:p:b> ?b }
        FILTER(LANG(?name) = "vi") } ORDER BY ?n""").to_pandas()
    assert list(df.columns) == ["who", "who_label", "n", "d", "date", "b", "name"]
    assert str(df["n"].dtype) == "int64" and str(df["d"].dtype) == "float64" and str(df["b"].dtype) == "boolean"
    assert str(df["date"].dtype).startswith("datetime64") and df["date"].isna().tolist() == [False, True]
    assert df["who_label"].tolist() == ["Nguyễn Văn An", "Trần Thị Hoà"]  # the Vietnamese label first
    assert df["name"].tolist() == ["Nguyễn Văn An", "Trần Thị Hoà"] and isinstance(df["who"][0], str)


def test_integers_with_gaps_and_mixed_kinds(typed):
    df = typed.query("SELECT ?n WHERE { VALUES ?n { 1 UNDEF 3 } }").to_pandas()
    assert str(df["n"].dtype) == "Int64" and df["n"].isna().tolist() == [False, True, False]
    mixed = typed.query("SELECT ?o WHERE { ?s <urn:p:date>|<urn:p:year> ?o }").to_pandas()
    assert sorted(mixed["o"]) == ["2019", "2024-07-16"]  # a date and a year: their lexical forms


def test_ask_and_construct(typed):
    assert typed.query("ASK { ?s <urn:p:n> 7 }").boolean is True
    rows = typed.query(f"CONSTRUCT {{ ?s <urn:p:n> ?n }} WHERE {{ <{BASE}person/hoa> <urn:p:n> ?n . BIND(<{BASE}person/hoa> AS ?s) }}").rows
    assert rows == [{"subject": f"{BASE}person/hoa", "predicate": "urn:p:n", "object": 8}]


def test_to_pandas_without_pandas_says_how_to_get_it(typed, monkeypatch):
    result = typed.query("SELECT ?n WHERE { ?s <urn:p:n> ?n }")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(KgError, match=r"pip install 'vnkg\[pandas\]'"):
        result.to_pandas()
    assert sorted(r["n"] for r in result.rows) == [1, 7, 8]


def test_queries_are_checked_as_everywhere(typed):
    with pytest.raises(QueryError, match="SERVICE"):
        typed.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError):
        typed.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryError, match="known questions: .*members"):
        typed.query("no_such_question")
    with pytest.raises(KgError, match="more than 2 rows"):
        typed.query("SELECT ?s WHERE { ?s <urn:p:n> ?n }", max_results=2)


def test_find_and_facts_keep_to_the_public_graphs(typed):
    assert [h.label for h in typed.find("tran thi hoa")] == ["Trần Thị Hoà"]  # old tone placement, no diacritics
    assert typed.find("Người Bí Mật") == []  # only in a graph the server does not serve
    facts = typed.facts("person/an")  # a path under KG_BASE_IRI (here the overrides' base_iri)
    assert facts.entity == f"{BASE}person/an" and facts.label == "Nguyễn Văn An"
    assert "urn:p:secret" not in {f.predicate for f in facts}
    knows = {f.object: f for f in facts if f.predicate == "urn:p:knows"}
    assert knows[f"{BASE}person/hoa"].label == "Trần Thị Hoà" and not knows[f"{BASE}person/hoa"].inferred
    assert knows[f"{BASE}person/secret"].label == f"{BASE}person/secret"  # its label is not public
    assert typed.query(f"ASK {{ <{BASE}person/an> <urn:p:secret> ?x }}").boolean  # query: the whole file


def test_facts_of_a_name_that_is_unknown_or_ambiguous(typed):
    with pytest.raises(KgError, match="no entity is named"):
        typed.facts("Lê Văn Không")
    assert typed.facts("Nguyen Van An").entity == f"{BASE}person/an"
    with pytest.raises(KgError, match="no entity is named 'Chỉ thị 26-CT/TU'"):  # a name with a slash, not a path
        typed.facts("Chỉ thị 26-CT/TU")
    with pytest.raises(KgError, match="nothing is known"):
        typed.facts(f"{BASE}person/nobody")


# --- the seeds -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(seeds_build) -> kg.Dataset:
    return kg.open(seeds_build)


def test_competency_questions_match_kg_query(seeds, seeds_build):
    from kg.config import CQ_DIR
    from kg.store import run_query
    for name in sorted(p.stem for p in CQ_DIR.glob("*.rq")):
        rows = seeds.query(name).rows
        csv_lines = run_query(seeds_build, name, "csv", keep=False).decode("utf-8").strip().splitlines()
        assert len(rows) == len(csv_lines) - 1, name


def test_find_as_the_server_does(seeds):
    hit = seeds.find("đồng chí le minh hung")[0]
    assert (hit.label, hit.type) == ("Lê Minh Hưng", "Person")
    assert seeds.find("Tinh uy Bac Giang", kind="body")[0].label == "Tỉnh ủy Bắc Giang"
    assert all(h.type == "Person" for h in seeds.find("Nguyễn", kind="Person"))


def test_facts_carry_their_evidence_into_the_original_file(seeds):
    facts = seeds.facts(seeds.find("Lê Minh Hưng")[0])
    holds = [f for f in facts if f.property == "vnkg:holds" and not f.incoming]
    assert len(holds) == 3 and all(f.evidence for f in holds)
    for e in (e for f in holds for e in f.evidence):
        original = (ROOT / "seeds" / e.source).read_text(encoding="utf-8")
        assert "person-title" in e.rule.split(", ") and fold(original[e.start:e.end]) in fold(e.sentence)
    inferred = [f for f in facts if f.inferred]
    assert inferred and all(not f.evidence for f in inferred)
    assert len(seeds.facts(facts.entity, inferred=False)) == len(facts) - len(inferred)
    frame = facts.to_pandas()
    assert {"property", "label", "source", "sentence", "start", "end", "rule"} <= set(frame.columns)
    assert str(frame["start"].dtype) == "Int64"


def test_a_changed_file_is_opened_again(seeds_build, tmp_path):
    path = tmp_path / "kg.trig"
    shutil.copy(seeds_build, path)
    ds = kg.open(path)
    before = len(ds.query("sources"))
    assert ds.find("Nguyen Van Moi", kind="Person") == []
    source = tmp_path / "in" / "moi.txt"
    source.parent.mkdir()
    source.write_text("Hội nghị Tỉnh ủy Bắc Giang\n\nĐồng chí Nguyễn Văn Mới, Phó Bí thư Tỉnh ủy Bắc Giang, "
                      "phát biểu tại hội nghị.\n", encoding="utf-8")
    added = kg.add([source], path, log=lambda line: None)
    assert added.sources == 1 and len(ds.query("sources")) == before + 1
    assert [h.label for h in ds.find("Nguyen Van Moi", kind="Person")] == ["Nguyễn Văn Mới"]  # the index made again


# --- a remote endpoint on loopback -----------------------------------------------------------

@pytest.fixture(scope="module")
def remote(seeds_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("remote") / "kg.trig"
    shutil.copy(seeds_build, path)
    with fx.live_server(path, timeout=10, max_results=100_000) as url:
        yield kg.open(url + "/sparql", timeout=30)


def test_an_endpoint_answers_as_the_file_does(remote, seeds):
    for name in ("members", "posts", "tenures", "goals"):
        assert sorted(map(repr, remote.query(name).rows)) == sorted(map(repr, seeds.query(name).rows)), name
    frame = remote.query("tenures").to_pandas()
    assert str(frame["first"].dtype).startswith("datetime64") and frame["person_label"].notna().all()
    assert [h.iri for h in remote.find("le minh hung")] == [h.iri for h in seeds.find("le minh hung")]
    here, there = seeds.facts("Lê Minh Hưng"), remote.facts("Lê Minh Hưng")
    assert [(f.predicate, f.label, f.evidence) for f in there] == [(f.predicate, f.label, f.evidence) for f in here]


def test_an_endpoint_that_is_not_there():
    with pytest.raises(KgError, match="cannot be reached"):
        kg.open(f"http://127.0.0.1:{fx.free_port()}/sparql", timeout=2).query("members")


# --- build, add, and the package --------------------------------------------------------------

def test_build_raises_what_the_command_reports(tmp_path, capsys):
    from kg.cli import main
    missing = tmp_path / "nothing-here"
    with pytest.raises(InputError) as caught:
        kg.build([missing], tmp_path / "kg.trig")
    assert main(["build", str(missing), "-o", str(tmp_path / "kg.trig")]) == 2
    assert capsys.readouterr().err.strip() == f"kg build: {caught.value}"


def test_build_and_add_report_on_stderr(tmp_path, capsys):
    summary = kg.build(ROOT / "seeds", tmp_path / "kg.trig")
    err = capsys.readouterr().err
    assert summary.sources == 5 and "extract:" in err and err.rstrip().splitlines()[-1].startswith("build: 5 sources")
    with pytest.raises(KgError, match="no dataset to add to"):
        kg.add([ROOT / "seeds"], tmp_path / "none.trig")


def test_import_kg_stays_cheap():
    code = "import sys, kg; print(sorted(m for m in ('rdflib', 'pandas', 'pyoxigraph', 'kg.toolkit.api') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_kg_add_is_the_function_and_the_module():
    from kg import add as module
    assert callable(kg.add) and kg.add is module and module.journal and module.add
    assert kg.open is kg.toolkit.api.open and kg.build is kg.toolkit.api.build
