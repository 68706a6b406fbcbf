"""A real Oxigraph server (the pip package `oxigraph`'s binary) on a free loopback port, for the
tests of `kg push` and `kg serve --store`."""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph(folder: Path, *extra: str, command: str = "serve") -> Iterator[str]:
    """`oxigraph COMMAND --location FOLDER` on a free port until the block ends; its base URL.
    Skips the test when the binary is missing."""
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server binary is missing: pip install oxigraph")
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, command, "--location", str(folder), "--bind", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, f"oxigraph {command} did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
