"""A loopback HTTP server that answers like Wikidata, for the link tests (helper, not a test).

It serves ``/w/api.php`` (``wbsearchentities``, ``wbgetentities``) and ``/sparql`` in the
shapes the APIs document, from entity documents built with :func:`entity`. A test can
script the next answers (status, headers, body, delay) to play 429s, timeouts and
malformed bodies. Every request is recorded with its headers. Nothing leaves the machine.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ENTITY = "http://www.wikidata.org/entity/"


def _snak(prop: str, value: str) -> dict[str, Any]:
    if re.fullmatch(r"Q\d+", value):
        data = {"value": {"entity-type": "item", "numeric-id": int(value[1:]), "id": value},
                "type": "wikibase-entityid"}
        return {"snaktype": "value", "property": prop, "datavalue": data, "datatype": "wikibase-item"}
    data = {"value": {"time": f"+{value}T00:00:00Z", "timezone": 0, "before": 0, "after": 0, "precision": 11,
                      "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}, "type": "time"}
    return {"snaktype": "value", "property": prop, "datavalue": data, "datatype": "time"}


def entity(qid: str, vi: str = "", en: str = "", *, aliases: tuple[str, ...] = (),
           claims: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """An entity document as ``wbgetentities`` returns it. A claim value is a QID or an ISO
    date, or a tuple (value, start, end[, {qualifier: QID}]) whose start/end become P580/P582
    qualifiers, and the dict further qualifiers (P1001 "applies to jurisdiction" …)."""
    labels = {lang: {"language": lang, "value": text} for lang, text in (("vi", vi), ("en", en)) if text}
    doc: dict[str, Any] = {"type": "item", "id": qid, "labels": labels, "descriptions": {},
                           "aliases": {"vi": [{"language": "vi", "value": a} for a in aliases]} if aliases else {},
                           "claims": {}}
    for prop, values in (claims or {}).items():
        doc["claims"][prop] = [_statement(prop, v) for v in values]
    return doc


def _statement(prop: str, value: Any) -> dict[str, Any]:
    value, start, end, *more = value if isinstance(value, tuple) else (value, None, None)
    quals = {q: [_snak(q, d)] for q, d in (("P580", start), ("P582", end)) if d}
    quals.update({q: [_snak(q, v)] for q, v in (more[0] if more else {}).items()})
    return {"mainsnak": _snak(prop, value), "type": "statement", "rank": "normal", "qualifiers": quals,
            "id": f"{prop}$x"}


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeWikidata:
    """Start with ``with FakeWikidata(docs) as wd:``; ``wd.api_url``, ``wd.sparql_url``."""

    def __init__(self, docs: dict[str, dict[str, Any]] | None = None,
                 redirects: dict[str, str] | None = None) -> None:
        self.docs = docs or {}
        self.redirects = redirects or {}
        self.script: list[Scripted] = []
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/w/api.php"

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    def __enter__(self) -> "FakeWikidata":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if path == "/sparql":
            return 200, self._sparql(query["query"][0])
        action = query.get("action", [""])[0]
        if action == "wbsearchentities":
            return 200, self._search(query["search"][0])
        if action == "wbgetentities":
            return 200, {"entities": self._entities(query["ids"][0].split("|")), "success": 1}
        return 200, {"error": {"code": "badvalue", "info": f"Unrecognized value for parameter action: {action}"}}

    def _names(self, doc: dict[str, Any]) -> list[str]:
        return [v["value"] for v in doc["labels"].values()] + [a["value"] for vs in doc["aliases"].values() for a in vs]

    def _search(self, text: str) -> dict[str, Any]:
        hits = [{"id": q, "title": q, "label": self._names(d)[0], "match": {"type": "label", "text": text}}
                for q, d in self.docs.items() if any(n.casefold().startswith(text.casefold()) for n in self._names(d))]
        return {"searchinfo": {"search": text}, "search": hits, "success": 1}

    def _entities(self, ids: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid in ids:
            target = self.redirects.get(qid, qid)
            doc = self.docs.get(target)
            if doc is None:
                out[qid] = {"id": qid, "missing": ""}
            elif target != qid:
                out[target] = {**doc, "redirects": {"from": qid, "to": target}}
            else:
                out[qid] = doc
        return out

    def _sparql(self, query: str) -> dict[str, Any]:
        m = re.search(r'"((?:[^"\\]|\\.)*)"@vi', query)
        label = m.group(1) if m else ""
        rows = [{"item": {"type": "uri", "value": ENTITY + q}} for q, d in self.docs.items() if label in self._names(d)]
        return {"head": {"vars": ["item"]}, "results": {"bindings": rows}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                fake.requests.append((parts.path, query, dict(self.headers)))
                if fake.script:
                    s = fake.script.pop(0)
                    time.sleep(s.delay)
                    return self._send(s.status, s.body, s.headers)
                status, body = fake.answer(parts.path, query)
                self._send(status, json.dumps(body, ensure_ascii=False).encode(), {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
