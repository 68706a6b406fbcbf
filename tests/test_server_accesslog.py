"""The access log of `kg serve` (server/accesslog.py) writes, for the default format, the very
line gunicorn's own logger writes: compared side by side on the same requests."""
from __future__ import annotations

import base64
import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from server.accesslog import AccessLog


def _logger(cls: type, path: Path, fmt: str | None = None) -> Logger:
    cfg = Config()
    cfg.set("accesslog", str(path))
    if fmt is not None:
        cfg.set("access_log_format", fmt)
    logger = cls(cfg)
    logger.now = lambda: "[04/Dec/2026:16:09:29 +0000]"  # both at the same instant
    return logger


def _close(logger: Logger) -> None:
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            handler.close()
            log.removeHandler(handler)


def _environ(**extra: str) -> dict:
    return {"REQUEST_METHOD": "POST", "RAW_URI": "/sparql?x=1", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.2.3", "PATH_INFO": "/sparql", "QUERY_STRING": "x=1", **extra}


CASES = {
    "plain": (_environ(), "200 OK", 354),
    "no length sent": (_environ(), "204 NO CONTENT", None),
    "nothing sent": (_environ(), "200 OK", 0),
    "agent and referer with quotes": (_environ(HTTP_USER_AGENT='curl/7 "x"', HTTP_REFERER='http://a/"b"'), "404 NOT FOUND", 9),
    "a basic user": (_environ(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b'ann"e:pw').decode()), "401 UNAUTHORIZED", 12),
    "another authorization": (_environ(HTTP_AUTHORIZATION="Bearer abc"), "200 OK", 1),
    "a quote in the URL": (_environ(RAW_URI='/sparql?q="x"', REQUEST_METHOD="GET"), "400 BAD REQUEST", 30),
    "status as a number": (_environ(), 503, 40),
    "no remote address": ({k: v for k, v in _environ().items() if k != "REMOTE_ADDR"}, "200 OK", 5),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_line_is_gunicorns(tmp_path: Path, case: str) -> None:
    environ, status, sent = CASES[case]
    resp = SimpleNamespace(status=status, sent=sent, headers=[("Content-Type", "text/plain"), ("X-A", '"q"')])
    req = SimpleNamespace(headers=[("HOST", "localhost"), ("ACCEPT", "*/*")])
    took = datetime.timedelta(microseconds=1234)
    lines = []
    for cls in (Logger, AccessLog):
        path = tmp_path / f"{cls.__name__}.log"
        logger = _logger(cls, path)
        logger.access(resp, req, environ, took)
        _close(logger)
        lines.append(path.read_text())
    assert lines[0].count("\n") == 1
    assert lines[1] == lines[0]


def test_another_format_is_gunicorns(tmp_path: Path) -> None:
    """A format of the operator's own is written by gunicorn's code, atoms and all."""
    path = tmp_path / "custom.log"
    logger = _logger(AccessLog, path, '%(h)s "%({accept}i)s" %(D)s %(p)s')
    logger.access(SimpleNamespace(status="200 OK", sent=1, headers=[]),
                  SimpleNamespace(headers=[("ACCEPT", "text/csv")]), _environ(),
                  datetime.timedelta(microseconds=1234))
    _close(logger)
    assert path.read_text().startswith('127.0.2.3 "text/csv" 1234 <')


def test_no_access_log_writes_nothing(tmp_path: Path) -> None:
    cfg = Config()
    logger = AccessLog(cfg)  # accesslog unset: off
    written = []
    logger.access_log.info = logger.access_log.handle = written.append  # type: ignore[method-assign]
    logger.access(SimpleNamespace(status="200 OK", sent=1, headers=[]), SimpleNamespace(headers=[]),
                  _environ(), datetime.timedelta(0))
    _close(logger)
    assert written == []
