"""benchmarks.http on the seeds, briefly: both servers answer every competency question with
the same number of rows, no request fails, and the report has the shape the README quotes."""
import json
import sys
from functools import reduce
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import http as bench  # noqa: E402
from benchmarks.load import Call  # noqa: E402

SHAPE = [
    ("command",), ("machine", "cpus"), ("machine", "oxigraph_server"), ("servers", "vnkg"),
    ("servers", "oxigraph"), ("dataset", "triples"), ("dataset", "union_triples"), ("rows", "equal"),
    ("levels", "1", "ratio"), ("levels", "1", "vnkg", "requests_per_s"), ("levels", "1", "vnkg", "latency", "p99_ms"),
    ("levels", "1", "oxigraph", "latency", "p50_ms"), ("levels", "1", "vnkg", "by_cq", "members", "p90_ms"),
    ("levels", "1", "oxigraph", "by_cq", "goals", "bytes"), ("levels", "1", "vnkg", "first_errors"),
    ("levels", "1", "same_answer_sizes"), ("vnkg_settings",),
    ("target", "measured"),
]


@pytest.fixture(scope="module")
def report(seeds_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-http") / "http.json"
    code = bench.main(["--graph", str(seeds_build), "--concurrency", "1", "--seconds", "2", "--out", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("keys", SHAPE, ids=["/".join(k) for k in SHAPE])
def test_report_has(report, keys):
    assert reduce(lambda node, key: node[key], keys, report[1]) is not None


@pytest.mark.slow
def test_same_rows_on_both_servers(report):
    rows = report[1]["rows"]
    questions = {p.stem for p in bench.CQ_DIR.glob("*.rq")}
    assert rows["equal"] and set(rows["vnkg"]) == questions
    assert all(isinstance(n, int) for n in rows["oxigraph"].values()) and rows["vnkg"]["members"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("server", ["vnkg", "oxigraph"])
def test_no_errors_and_every_question_asked(report, server):
    code, result = report
    measured = result["levels"]["1"][server]
    assert code == 0 and measured["errors"] == 0 and measured["first_errors"] == []
    assert set(measured["by_cq"]) == set(result["rows"]["vnkg"]) - {"equal"}
    assert measured["warm_up"]["errors"] == 0 and measured["warm_up"]["requests"] == len(measured["by_cq"])


VERDICTS = [
    ("met", {"8": {"ratio": 0.85, "vnkg": {"errors": 0}}}, True),
    ("slow", {"8": {"ratio": 0.6, "vnkg": {"errors": 0}}}, False),
    ("errors", {"8": {"ratio": 2.0, "vnkg": {"errors": 1}}}, False),
    ("not-measured", {"4": {"ratio": 2.0, "vnkg": {"errors": 0}}}, None),
]


@pytest.mark.parametrize("name, levels, met", VERDICTS, ids=[v[0] for v in VERDICTS])
def test_verdict(name, levels, met):
    assert bench.verdict({"levels": levels}).get("met") is met


SETTINGS = [
    ("defaults", [], ()),
    ("engine", ["--engine", "rdflib"], (("KG_ENGINE", "rdflib"),)),
    ("answers-off", ["--answers", "off"], (("KG_ANSWER_CACHE_MB", "0"),)),
    ("set", ["--set", "max_results=200000", "--set", "query_timeout=60"],
     (("KG_MAX_RESULTS", "200000"), ("KG_QUERY_TIMEOUT", "60"))),
]


@pytest.mark.parametrize("name, argv, env", SETTINGS, ids=[s[0] for s in SETTINGS])
def test_settings_reach_the_vnkg_server_only(name, argv, env, tmp_path):
    chosen = bench.settings(bench.parser().parse_args(argv))
    kg, ox = bench.sides(tmp_path / "kg.trig", tmp_path / "store", chosen)
    assert kg.env == env and ox.env == ()
    assert kg.shown().startswith(" ".join(f"{k}={v}" for k, v in env)) and "--port PORT" in kg.shown()


def test_a_refused_connection_is_an_error_with_its_message():
    record, body = bench.ask(bench._free_port(), "127.0.0.1", Call("x", "GET", "/"), timeout=2)
    assert record.status == -1 and "Connection refused" in record.error and body == b""


def test_a_first_page_is_each_question_with_a_limit(tmp_path):
    """--limit asks each competency question for its first rows: the question's text with LIMIT
    appended, still valid SPARQL, on both servers alike; without it the question as written."""
    from kg.sparql import prepare
    kg, ox = bench.sides(tmp_path / "kg.trig", tmp_path / "store", {}, limit=100)
    paged, whole = bench.mix(kg), bench.mix(bench.sides(tmp_path / "kg.trig", tmp_path / "store", {})[0])
    assert [c.body for c in paged] == [c.body for c in bench.mix(ox)]
    for page, full in zip(paged, whole):
        assert page.body == full.body + b"\nLIMIT 100\n"
        assert prepare(page.body.decode("utf-8")).algebra.name == "SelectQuery"
