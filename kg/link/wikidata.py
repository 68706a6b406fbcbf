"""The Wikidata connector: ``wbsearchentities``, ``wbgetentities`` and the query service.

Takes search text, item ids or a SPARQL query; returns the parsed JSON parts the API
documents (search hits, entity documents, result bindings). Requests go one at a time, with
a descriptive User-Agent and a timeout; a 429 or 503 is retried after its ``Retry-After``
(capped), a timeout after a short back-off; every good answer is cached on disk, so the same
question is asked once. Failures become :class:`~kg.errors.LinkError`. It does not rank or
decide anything (:mod:`kg.link.rank` and :mod:`kg.link.match` do).

Tests run it against a loopback server; nothing here runs unless a caller asks to go online.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from ..errors import LinkError

API_URL = "https://www.wikidata.org/w/api.php"
SPARQL_URL = "https://query.wikidata.org/sparql"
USER_AGENT = ("vnkg/0.1 (https://w3id.org/vnkg; knowledge graph of Vietnamese party and state news; "
              "links checked entities only) Python-urllib")
BATCH = 50  # wbgetentities takes at most 50 ids a call


class WikidataClient(Protocol):
    """What the linker asks of Wikidata; the tests and the network both answer it."""

    def search(self, text: str, *, language: str = "vi", limit: int = 7) -> list[dict[str, Any]]: ...

    def entities(self, ids: Sequence[str], *, props: str = "labels|aliases|claims") -> dict[str, Any]: ...

    def sparql(self, query: str) -> list[dict[str, Any]]: ...


class HttpWikidata:
    """The connector over HTTP, with an on-disk cache. `sleep` is injectable for tests."""

    def __init__(self, *, api_url: str = API_URL, sparql_url: str = SPARQL_URL,
                 user_agent: str = USER_AGENT, timeout: float = 20.0, cache_dir: Path | None = None,
                 retries: int = 3, max_wait: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_url, self.sparql_url, self.user_agent = api_url, sparql_url, user_agent
        self.timeout, self.retries, self.max_wait, self.sleep = timeout, retries, max_wait, sleep
        self.cache_dir = Path(cache_dir) / "http" if cache_dir else None
        self.requests = 0  # requests that went out, cache hits excluded
        self._lock = threading.Lock()  # one request at a time, whoever calls
        self._last: dict[str, Any] = {}  # the last answer, to explain a refusal

    def search(self, text: str, *, language: str = "vi", limit: int = 7) -> list[dict[str, Any]]:
        """Items whose label or alias starts with `text` (``wbsearchentities``)."""
        params = {"action": "wbsearchentities", "search": text, "language": language,
                  "uselang": language, "type": "item", "limit": str(limit), "format": "json"}
        return self._api(params, "search", _is_hit_list)

    def entities(self, ids: Sequence[str], *, props: str = "labels|aliases|claims") -> dict[str, Any]:
        """Entity documents by id (``wbgetentities``), asked 50 at a time."""
        out: dict[str, Any] = {}
        wanted = sorted(set(ids), key=lambda q: int(q[1:]))
        for at in range(0, len(wanted), BATCH):
            params = {"action": "wbgetentities", "ids": "|".join(wanted[at:at + BATCH]), "props": props,
                      "languages": "vi|en", "format": "json"}
            out.update(self._api(params, "entities", lambda v: isinstance(v, dict)))
        return out

    def sparql(self, query: str) -> list[dict[str, Any]]:
        """The bindings of a SELECT query on the query service."""
        url = f"{self.sparql_url}?{urlencode({'query': query, 'format': 'json'})}"
        body = self._get(url, "application/sparql-results+json", _has_bindings)
        if body is None:
            raise LinkError(f"SPARQL answer without results.bindings (query {query[:60]!r})")
        return body["results"]["bindings"]

    def _api(self, params: dict[str, str], part: str, valid: Callable[[Any], bool]) -> Any:
        url = f"{self.api_url}?{urlencode(sorted(params.items()))}"
        body = self._get(url, "application/json", lambda b: "error" not in b and valid(b.get(part)))
        if body is None:
            raise LinkError(f"Wikidata API {params['action']}: {_api_error(self._last)} ({url})")
        return body[part]

    def _get(self, url: str, accept: str, valid: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        """The JSON object at `url` if `valid` accepts it (cached only then), else None."""
        cached = self._cached(url)
        if cached is not None and valid(cached):
            return cached
        with self._lock:
            raw = self._fetch(Request(url, headers={"User-Agent": self.user_agent, "Accept": accept}))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise LinkError(f"{url}: the answer is not JSON ({exc})") from exc
        if not isinstance(body, dict):
            raise LinkError(f"{url}: the answer is JSON but not an object")
        self._last = body
        if not valid(body):
            return None
        self._store(url, body)
        return body

    def _fetch(self, request: Request) -> bytes:
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                with urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except HTTPError as exc:
                with exc:
                    wait = self._retry_after(exc, attempt)
            except (TimeoutError, socket.timeout) as exc:
                wait = self._backoff(exc, attempt, request)
            except URLError as exc:
                if not isinstance(exc.reason, (TimeoutError, socket.timeout)):
                    raise LinkError(f"{request.full_url}: {exc.reason}") from exc
                wait = self._backoff(exc, attempt, request)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _retry_after(self, exc: HTTPError, attempt: int) -> float:
        if exc.code not in (429, 503) or attempt >= self.retries:
            raise LinkError(f"{exc.url}: HTTP {exc.code} {exc.reason}")
        return min(parse_retry_after(exc.headers.get("Retry-After"), default=2.0 ** attempt), self.max_wait)

    def _backoff(self, exc: BaseException, attempt: int, request: Request) -> float:
        if attempt >= self.retries:
            raise LinkError(f"{request.full_url}: no answer within {self.timeout} s") from exc
        return min(2.0 ** attempt, self.max_wait)

    def _path(self, url: str) -> Path | None:
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json" if self.cache_dir else None

    def _cached(self, url: str) -> dict[str, Any] | None:
        path = self._path(url)
        if path is None or not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))["body"]
        except (ValueError, KeyError):
            return None  # a torn or foreign file: ask again and overwrite it

    def _store(self, url: str, body: dict[str, Any]) -> None:
        path = self._path(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"url": url, "body": body}, out, ensure_ascii=False)
        os.replace(tmp, path)


def parse_retry_after(value: str | None, *, default: float, now: float | None = None) -> float:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return default
    return max(0.0, when - (time.time() if now is None else now))


def _is_hit_list(hits: Any) -> bool:
    return isinstance(hits, list) and all(isinstance(h, dict) and isinstance(h.get("id"), str) for h in hits)


def _has_bindings(body: dict[str, Any]) -> bool:
    results = body.get("results")
    return isinstance(results, dict) and isinstance(results.get("bindings"), list)


def _api_error(body: dict[str, Any]) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        return f"{error.get('code', '')} {error.get('info', '')}".strip()
    return f"unexpected answer {str(body)[:80]!r}"
