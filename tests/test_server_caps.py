"""Memory and disk around the caps: answers capped in bytes, not only in rows; the gunicorn
workers' address space capped; the kept answers' folder capped, the least recently used
removed first.

In process: an app per engine whose answers may be 256 KiB, asked for 40 rows of 24 KiB in
every format (refused, 400) and for 4 of them (answered). Live: a server whose answers may
be 4 MiB, asked four at once for 40 rows of 1.5 MiB: each refused in the query process, the
gunicorn worker's memory unchanged, its address space capped.
"""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import server_fixture as fx
from kg.answers import answer, folder
from server.app import create_app

JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values")
TTL, NT = "text/turtle", "application/n-triples"


def big_rows(rows: int, doublings: int, form: str = "SELECT") -> str:
    """`rows` rows, each with a string of 3 × 2^`doublings` characters, built in the query."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(doublings))
    values = " ".join(str(i) for i in range(rows))
    where = f'WHERE {{ VALUES ?i {{ {values} }} BIND(CONCAT("ab", STR(?i)) AS ?s0) {binds} '
    if form == "CONSTRUCT":
        return (f"CONSTRUCT {{ ?x <http://example.org/p> ?s{doublings} }} {where}"
                'BIND(IRI(CONCAT("http://example.org/", STR(?i))) AS ?x) }')
    return f"SELECT ?i ?s{doublings} {where}}}"


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def client(request, tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp(f"caps-{request.param}") / "kg.trig")
    app = create_app({"GRAPH": str(path), "ENGINE": request.param, "MAX_RESULT_MB": 0.25,
                      "ANSWER_CACHE_MB": 0, "QUERY_TIMEOUT": 10})
    yield app.test_client()
    app.extensions["kg"]["engine"].close()


CASES = [(form, media) for media in (JSON, XML, CSV, TSV) for form in ("SELECT",)] + \
        [("CONSTRUCT", TTL), ("CONSTRUCT", NT)]


@pytest.mark.parametrize("form, media", CASES, ids=[f"{f}-{m.split('/')[1]}" for f, m in CASES])
def test_an_answer_over_the_byte_cap_is_refused(client, form, media):
    refused = client.get("/sparql?query=" + urllib.parse.quote(big_rows(40, 13, form)), headers={"Accept": media})
    assert refused.status_code == 400, refused.status_code
    text = refused.get_data(as_text=True)
    assert "0.25 MiB" in text and "max_result_mb" in text
    answered = client.get("/sparql?query=" + urllib.parse.quote(big_rows(4, 13, form)), headers={"Accept": media})
    assert answered.status_code == 200 and answered.mimetype == media
    assert 4 * 3 * 2 ** 13 < len(answered.get_data()) < 256 * 1024


# --- the kept answers' folder ------------------------------------------------------------

def folder_size(dataset: Path) -> int:
    return sum(p.stat().st_size for p in folder(dataset).rglob("*") if p.is_file())


def test_the_answers_folder_stays_under_its_cap_least_recently_used_out_first(tmp_path):
    dataset = fx.write(tmp_path / "kg.trig")
    settings = {"answer_cache_mb": 1, "answer_cache_total_mb": 1}
    size = 300 * 1024

    def ask(name: str, calls: list) -> bytes:
        return answer(dataset, name, "csv", lambda: calls.append(name) or name.encode() * (size // len(name)),
                      settings)
    calls: list[str] = []
    for name in ("q1", "q2", "q3"):
        ask(name, calls)
    ask("q1", calls)  # used again: now the most recent
    for name in ("q4", "q5"):
        ask(name, calls)
        assert folder_size(dataset) <= 1024 * 1024
    calls.clear()
    for name in ("q1", "q5", "q4"):  # still kept
        ask(name, calls)
    assert calls == []
    ask("q2", calls)  # the least recently used, removed first
    assert calls == ["q2"] and folder_size(dataset) <= 1024 * 1024


def test_an_answer_larger_than_the_folder_is_not_kept(tmp_path):
    dataset = fx.write(tmp_path / "kg.trig")
    answer(dataset, "q", "csv", lambda: b"x" * (2 * 1024 * 1024), {"answer_cache_mb": 4, "answer_cache_total_mb": 1})
    assert not folder(dataset).exists() or folder_size(dataset) == 0


# --- live: the gunicorn workers -----------------------------------------------------------

def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _proc(pid: int, name: str) -> str:
    return Path(f"/proc/{pid}/{name}").read_text()


def _rss_mib(pid: int) -> float:
    line = next(l for l in _proc(pid, "status").splitlines() if l.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _address_space_cap(pid: int) -> str:
    return next(l for l in _proc(pid, "limits").splitlines() if l.startswith("Max address space")).split()[3]


@pytest.mark.slow
def test_large_answers_never_reach_the_worker_and_its_memory_is_capped(tmp_path):
    path = fx.write(tmp_path / "kg.trig")
    env = {"KG_MAX_RESULT_MB": "4", "KG_WORKER_MEMORY_MB": "1024", "KG_CLIENT_LIMIT": "0",
           "KG_QUERY_PROCESSES": "4"}
    with fx.live_server(path, timeout=10, memory_mb=600, workers=1, env=env, with_process=True) as (base, master):
        (worker,) = fx.children(master.pid)
        assert _address_space_cap(worker) != "unlimited"
        _status(base + "/sparql?query=ASK%7B%7D")
        before = _rss_mib(worker)
        url = base + "/sparql?query=" + urllib.parse.quote(big_rows(40, 19))  # 40 rows of 1.5 MiB: 60 MiB
        statuses: list[int] = []
        askers = [threading.Thread(target=lambda: statuses.append(_status(url))) for _ in range(4)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(60)
        assert statuses == [400] * 4
        assert _rss_mib(worker) - before < 30, (before, _rss_mib(worker))
