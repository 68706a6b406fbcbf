"""The build's stages in a child process (kg.apart): lines, results and errors come back as they
would in-process; the child's memory is the system's again when it ends; a killed caller leaves no
child behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scale_support import ROOT, memory_kib, write_corpus
from kg import apart
from kg.errors import InputError, KgError
from kg.pipeline import build

pytestmark = pytest.mark.skipif(not apart.available(), reason="fork and PR_SET_PDEATHSIG are Linux's")


def test_lines_come_back_in_order_and_the_result_after_them():
    seen = []

    def job(log):
        for i in range(3):
            log(f"line {i} from {os.getpid()}")
        return {"pid": os.getpid(), "value": [1, 2, 3]}

    result = apart.run(job, seen.append)
    assert result["value"] == [1, 2, 3] and result["pid"] != os.getpid()
    assert seen == [f"line {i} from {result['pid']}" for i in range(3)]


def test_an_error_comes_back_as_itself_with_what_it_was_made_of():
    def job(log):
        log("before the error")
        raise InputError("some/file.txt", "not UTF-8 at byte 12")

    seen = []
    with pytest.raises(InputError) as caught:
        apart.run(job, seen.append)
    assert caught.value.path == "some/file.txt" and caught.value.problem == "not UTF-8 at byte 12"
    assert seen == ["before the error"]


def test_an_error_that_cannot_travel_comes_back_as_its_text():
    class Local(Exception):  # a class pickle cannot find by name
        pass

    def job(log):
        raise Local("the reason")

    with pytest.raises(KgError, match=r"Local: the reason(.|\n)*Traceback"):
        apart.run(job, lambda line: None)


def test_a_child_killed_mid_way_is_reported_not_waited_for():
    def job(log):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(KgError, match="ended without a result .killed by SIGKILL"):
        apart.run(job, lambda line: None)


def test_what_the_child_held_is_not_the_callers():
    before = memory_kib("VmRSS") / 1024

    def job(log):
        held = [bytes([i % 251]) * 1024 for i in range(200_000)]  # ~200 MiB, touched
        return len(held)

    assert apart.run(job, lambda line: None) == 200_000
    assert memory_kib("VmRSS") / 1024 - before < 50


def test_a_killed_caller_takes_its_child_with_it(tmp_path):
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import os, time, sys
        sys.path.insert(0, {str(ROOT)!r})
        from kg import apart
        def job(log):
            open({str(pid_file)!r}, "w").write(str(os.getpid()))
            time.sleep(60)
        apart.run(job, print)
    """)
    caller = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(200):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        child = int(pid_file.read_text())
        caller.kill()
        caller.wait(10)
        for _ in range(200):
            if not _alive(child):
                break
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        caller.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_with_a_store_runs_its_stages_apart_and_logs_them_here(tmp_path):
    write_corpus(6, tmp_path / "src", seed=3)
    lines = []
    summary = build([tmp_path / "src"], tmp_path / "a" / "kg.trig", log=lines.append,
                    overrides={"store_cache_mb": 0})
    inline = build([tmp_path / "src"], tmp_path / "b" / "kg.trig", log=lambda line: None, disk_store=False)
    assert [line.split(":", 1)[0] for line in lines] == ["extract", "resolve", "link", "graph", "reason", "write",
                                                         "store", "build"]
    assert (tmp_path / "a" / "kg.trig").read_bytes() == (tmp_path / "b" / "kg.trig").read_bytes()
    assert (tmp_path / "a" / "kg.trig.oxigraph").is_dir()
    assert summary.asserted == inline.asserted > 0 and summary.sources == inline.sources == 6
    assert set(summary.seconds) == {"extract", "resolve", "link", "graph", "reason", "write", "store"}
    assert not list((tmp_path / "a").glob(".kg.trig.union.*"))


def test_a_build_failing_in_its_child_raises_here_and_writes_nothing(tmp_path):
    write_corpus(2, tmp_path / "src", seed=3)
    (tmp_path / "src" / "zz_bad.txt").write_bytes(b"\x00\x01\x02" * 50)
    with pytest.raises(InputError) as caught:
        build([tmp_path / "src"], tmp_path / "out" / "kg.trig", log=lambda line: None)
    assert "zz_bad.txt" in caught.value.path
    assert not (tmp_path / "out" / "kg.trig").exists()
    assert not [p for p in (tmp_path / "out").glob(".*") if p.name != ".vnkg-cache"]
