"""gunicorn's access log, written for less: the same line, made without gunicorn's table of atoms.

For every request gunicorn's logger builds a table of some 60 atoms (each request and response
header and each WSGI environ variable, lowercased and escaped), then formats
``access_log_format`` from it: about a tenth of the CPU a worker spends on a query that
Oxigraph answers in a millisecond. :class:`AccessLog` writes the line of the default
format (the combined log format: ``%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s"
"%(a)s"``) straight from the few values it names, character for character what gunicorn
writes (double quotes escaped as gunicorn escapes them); any other format goes to gunicorn's
own code.
"""
from __future__ import annotations

import logging
from typing import Any

from gunicorn.config import AccessLogFormat
from gunicorn.glogging import Logger

DEFAULT_FORMAT = AccessLogFormat.default


def _safe(value: Any) -> str:
    """A value as gunicorn's SafeAtoms shows it: a string with its double quotes escaped."""
    return value.replace('"', '\\"') if isinstance(value, str) else str(value)


class AccessLog(Logger):
    """gunicorn's logger (``logger_class``) with the default access line written directly."""

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        if self.cfg.access_log_format != DEFAULT_FORMAT:
            super().access(resp, req, environ, request_time)
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        user = self._get_user(environ) if "HTTP_AUTHORIZATION" in environ else None
        request_line = f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}"
        line = (f"{_safe(environ.get('REMOTE_ADDR', '-'))} - {_safe(user or '-')} {_safe(self.now())} "
                f"\"{_safe(request_line)}\" {_safe(status)} {sent is not None and str(sent) or '-'} "
                f"\"{_safe(environ.get('HTTP_REFERER', '-'))}\" \"{_safe(environ.get('HTTP_USER_AGENT', '-'))}\"")
        try:
            if self.access_log.isEnabledFor(logging.INFO):  # the record made here: no search for the caller
                self.access_log.handle(self.access_log.makeRecord(self.access_log.name, logging.INFO, __file__, 0,
                                                                  line, None, None))
        except Exception:
            import traceback
            self.error(traceback.format_exc())
