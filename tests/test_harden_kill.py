"""`kg build` and `kg export` killed with SIGKILL leave the previous output whole.

A small generated corpus is built once; then the commands are run again as processes (and
their process groups) killed at moments through their run, and killed at the worst two
moments on purpose: half-way through writing the temporary file, and with the temporary
file complete but not yet renamed (a hook in the child kills it there). After each kill the
output has its old checksum; the next run removes what the killed one left beside it.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.atomic import claimed, stale
from scale_support import ROOT, write_corpus

ENV = {**os.environ, "KG_BUILD_CACHE": "off", "PYTHONPATH": str(ROOT)}

# run inside the child before the CLI: kill the process at a chosen moment of writing OUT
HOOK = """
import os, signal, sys
OUT, MOMENT = os.path.abspath(sys.argv[1]), sys.argv[2]
PREFIX = "." + os.path.basename(OUT) + "."
def die():  # the command killed: its whole process group (`kg build` runs its stages in a child, kg.apart)
    os.killpg(os.getpgid(0), signal.SIGKILL)
if MOMENT == "before-rename":
    _replace = os.replace
    def replace(src, dst, *args, **kwargs):
        if os.path.abspath(dst) == OUT:
            die()
        return _replace(src, dst, *args, **kwargs)
    os.replace = replace
elif MOMENT == "mid-write":
    _fdopen = os.fdopen
    class Dying:
        def __init__(self, fh): self.fh = fh
        def __enter__(self): return self
        def __exit__(self, *exc): self.fh.close()
        def __getattr__(self, name): return getattr(self.fh, name)
        def write(self, data):
            self.fh.write(data[: max(1, len(data) // 2)]); self.fh.flush(); die()
    def fdopen(fd, *args, **kwargs):
        fh = _fdopen(fd, *args, **kwargs)
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        return Dying(fh) if name.startswith(PREFIX) else fh
    os.fdopen = fdopen
from kg.cli import main
sys.exit(main(sys.argv[3:]))
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kg(args: list[str], out: Path, moment: str = "none", kill_after: float | None = None) -> int:
    """Run `kg ARGS` in its own process group; SIGKILL the group after `kill_after` s."""
    process = subprocess.Popen([sys.executable, "-c", HOOK, str(out), moment, *args], env=ENV, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    if kill_after is not None:
        time.sleep(kill_after)
        with_group = process.poll() is None
        if with_group:
            os.killpg(process.pid, signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    if process.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(err.decode("utf-8", "replace")[-2000:])
    return process.returncode


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(corpus, build output, its checksum, seconds a build takes, export output, its checksum)."""
    folder = tmp_path_factory.mktemp("kill")
    write_corpus(30, folder / "corpus", seed=3)
    out, export = folder / "out" / "kg.trig", folder / "out" / "kg.nt"
    started = time.monotonic()
    assert kg(["build", str(folder / "corpus"), "-o", str(out)], out) == 0
    seconds = time.monotonic() - started
    assert kg(["export", "-g", str(out), "-o", str(export)], export) == 0
    return folder / "corpus", out, sha(out), seconds, export, sha(export)


def _commands(built) -> dict[str, tuple[list[str], Path, str]]:
    corpus, out, out_sha, _, export, export_sha = built
    return {"build": (["build", str(corpus), "-o", str(out)], out, out_sha),
            "export": (["export", "-g", str(out), "-o", str(export)], export, export_sha)}


def _only_outputs_left(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["kg.nt", "kg.trig", "kg.trig.people.db", "kg.trig.sources.idx", "kg.trig.sources.jsonl"]


TIMED = [(command, fraction) for command in ("build", "export") for fraction in (0.15, 0.45, 0.75)]


@pytest.mark.slow
@pytest.mark.parametrize("command, fraction", TIMED, ids=[f"{c}-at-{int(f * 100)}pct" for c, f in TIMED])
def test_killed_at_a_moment_leaves_the_old_output(built, command, fraction):
    args, out, before = _commands(built)[command]
    seconds = built[3] if command == "build" else max(0.3, built[3] / 3)
    kg(args, out, kill_after=seconds * fraction)
    assert sha(out) == before
    assert all(p.name.endswith(".tmp") for p in out.parent.iterdir() if p.name not in ("kg.nt", "kg.trig", "kg.trig.people.db", "kg.trig.sources.idx", "kg.trig.sources.jsonl"))


MOMENTS = [(command, moment) for command in ("build", "export") for moment in ("mid-write", "before-rename")]


@pytest.mark.slow
@pytest.mark.parametrize("command, moment", MOMENTS, ids=[f"{c}-{m}" for c, m in MOMENTS])
def test_killed_while_writing_leaves_the_old_output_and_the_next_run_cleans_up(built, command, moment):
    args, out, before = _commands(built)[command]
    assert kg(args, out, moment) == -signal.SIGKILL
    assert sha(out) == before  # the old file, whole
    assert stale(out), "the hook should have left the temporary file behind"
    assert kg(args, out) == 0
    assert sha(out) == before and stale(out) == []  # the same bytes again; nothing left beside
    _only_outputs_left(out.parent)


def test_claimed_removes_leftovers_but_not_other_files(tmp_path):
    out = tmp_path / "kg.trig"
    out.write_text("old")
    leftovers = [tmp_path / ".kg.trig.abc123.tmp", tmp_path / ".kg.trig.zz_9.tmp"]
    others = [tmp_path / ".kg.nt.abc123.tmp", tmp_path / "kg.trig.tmp", tmp_path / ".kg.trig.keep"]
    for p in leftovers + others:
        p.write_text("x")
    with claimed(out) as removed:
        assert removed == sorted(leftovers)
    assert not any(p.exists() for p in leftovers) and all(p.exists() for p in others)
    assert out.read_text() == "old"
