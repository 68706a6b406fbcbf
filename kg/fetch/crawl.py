"""Fetch pages and feeds politely: the crawler behind `kg fetch`.

:func:`fetch` takes :class:`Task` records (URLs named by the user: each a page or a feed, told
apart by what comes back) and :class:`Options`. It saves pages under the output folder
(:mod:`kg.fetch.save`), notes every outcome in the record (:mod:`kg.fetch.record`), queues the
items of the feeds it reads, and returns a :class:`Summary`. It reports through `log`: one line
for each URL skipped or failed, naming it and the reason, and one for each feed read.

Politeness. One request at a time (one thread), each spaced from the last to its host and
allowed by robots.txt (:mod:`kg.fetch.polite`), every redirect hop included; the next URL is
taken from the host that is ready first, so a slow host does not hold up the others. A 429 or
503 is asked again after its Retry-After (else a doubling wait), at most ``retries`` times,
unless it asks for more than ``max_wait`` seconds. Redirects are followed by hand, at most
:data:`MAX_REDIRECTS`, and a loop is named. A page already saved, or skipped for a lasting
reason, is not asked for again unless ``refresh``, and then with its validators (If-None-Match,
If-Modified-Since); a feed is asked again on every run, with its validators, since it lists new
items.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urljoin

from ..atomic import claimed
from ..errors import InputError
from ..progress import Progress
from . import feeds, save
from .http import FetchError, Limits, Response, retry_after
from .polite import REDIRECTS, USER_AGENT, Polite, seconds
from .record import NAME, Entry, Record, leftovers
from .urls import host_of, normal

ACCEPT = ("text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,"
          f"{save.DOCX};q=0.8,application/rss+xml;q=0.8,application/atom+xml;q=0.8,"
          "application/rdf+xml;q=0.5,application/xml;q=0.5,text/plain;q=0.5,*/*;q=0.1")
MAX_REDIRECTS = 10
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}

Log = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    out: Path
    delay: float = 2.0  # seconds between requests to one host, at least
    limits: Limits = Limits()
    max_pages: int | None = None  # pages asked for in one run; the rest wait for the next
    user_agent: str = USER_AGENT
    same_host: bool = False  # a feed's items on other hosts are left out
    refresh: bool = False  # ask again for pages already saved (conditionally) or skipped
    max_wait: float = 120.0  # the longest Retry-After or Crawl-delay obeyed; longer ones skip
    retries: int = 3  # of a 429 or 503


@dataclass(frozen=True)
class Task:
    url: str  # normal form (kg.fetch.urls.normal)
    kind: str = "any"  # "any": named by the user, a page or a feed; "page": a feed's item
    hints: tuple[tuple[str, str], ...] = ()  # what the feed said of it
    via: str | None = None  # the feed
    attempt: int = 0  # retries so far after a 429 or 503


@dataclass
class Summary:
    saved: Counter = field(default_factory=Counter)  # by suffix
    unchanged: int = 0  # answered 304 to a conditional request
    had: int = 0  # saved or skipped by an earlier run, not asked again
    skipped: int = 0
    failed: int = 0
    feeds: int = 0
    items: int = 0
    left: int = 0  # not asked for, past max_pages
    requests: int = 0
    hosts: set = field(default_factory=set)
    seconds: float = 0.0


class _Wait(Exception):
    """Ask again after `seconds` (a 429 or 503 with a Retry-After under the cap)."""

    def __init__(self, host: str, seconds: float) -> None:
        self.host, self.seconds = host, seconds


def fetch(tasks: Iterable[Task], options: Options, log: Log | None = None, progress: bool | None = None) -> Summary:
    """Fetch `tasks` and the items of the feeds among them (see the module docstring)."""
    options.out.mkdir(parents=True, exist_ok=True)
    with claimed(options.out / NAME):  # one run per folder
        for leftover in leftovers(options.out):
            leftover.unlink(missing_ok=True)
        crawler = Crawler(options, Record(options.out), log or _stderr, progress)
        try:
            for task in tasks:
                crawler.add(task)
            crawler.run()
        finally:
            crawler.close()
    return crawler.summary


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


class Crawler:
    """The queue of one run, per host, and what became of each URL."""

    def __init__(self, options: Options, record: Record, log: Log, progress: bool | None = None) -> None:
        self.o, self.record = options, record
        self.bar = Progress("fetch", 0, enabled=progress)
        self.log = self._above_bar(log)
        self.net = Polite(options.user_agent, options.delay, options.limits, options.max_wait)
        self.queues: dict[str, deque[Task]] = {}
        self.seen: set[str] = set()
        self.pages = 0
        self.summary = Summary()
        self.started = time.monotonic()
        if record.damaged:
            self.log(f"fetch: {record.damaged} damaged line(s) of {record.path} ignored (a run killed while writing)")

    def _above_bar(self, log: Log) -> Log:
        def write(line: str) -> None:
            self.bar.close()  # clears the bar's line; the next advance draws it again
            log(line)
        return write

    # --- the queue -----------------------------------------------------------------------

    def add(self, task: Task) -> bool:
        """Queue `task` unless this run has it already or an earlier run saved or skipped it;
        True when queued."""
        if task.url in self.seen:
            return False
        self.seen.add(task.url)
        if self._had(self.record.get(task.url)):
            self.summary.had += 1
            return False
        self.queues.setdefault(host_of(task.url), deque()).append(task)
        self.bar.total += 1
        return True

    def _had(self, prior: Entry | None) -> bool:
        if prior is None or prior.kind == "feed" or self.o.refresh:
            return False
        return prior.status == "skipped" or (prior.status == "saved" and self._has_copy(prior))

    def _has_copy(self, prior: Entry) -> bool:
        return bool(prior.file) and (self.o.out / prior.file).is_file()

    def run(self) -> None:
        while (host := self._next_host()) is not None:
            task = self.queues[host].popleft()
            if self._over_max_pages(task):
                self.summary.left += 1
            else:
                self._visit(task)
            self.bar.advance()

    def _next_host(self) -> str | None:
        ready = [(self.net.ready_at(h), h) for h, q in self.queues.items() if q]
        return min(ready)[1] if ready else None

    def _over_max_pages(self, task: Task) -> bool:
        prior = self.record.get(task.url)
        is_feed = prior is not None and prior.kind == "feed"
        return self.o.max_pages is not None and not is_feed and self.pages >= self.o.max_pages

    def close(self) -> None:
        self.bar.close()
        self.record.compact()
        self.summary.requests, self.summary.hosts = self.net.requests, self.net.hosts
        self.summary.seconds = time.monotonic() - self.started

    # --- one URL -------------------------------------------------------------------------

    def _visit(self, task: Task) -> None:
        prior = self.record.get(task.url)
        try:
            response = self._follow(task, self._validators(prior))
            if response.status == 304:
                self._unchanged(task, prior, response)  # only a conditional request gets a 304 (see _unchanged)
            elif (feed := self._feed(task, response)) is not None:
                self._read_feed(task, response, feed)
            else:
                self._save(task, response)
        except _Wait as wait:
            self.net.hold(wait.host, wait.seconds)
            self.queues[host_of(task.url)].appendleft(replace(task, attempt=task.attempt + 1))
            self.bar.total += 1
        except FetchError as exc:
            self._fail(task, prior, exc)

    def _validators(self, prior: Entry | None) -> dict[str, str]:
        if prior is None or not (prior.kind == "feed" and prior.final_url or self._has_copy(prior)):
            return {}
        headers = {"If-None-Match": prior.etag, "If-Modified-Since": prior.last_modified}
        return {k: v for k, v in headers.items() if v}

    def _follow(self, task: Task, validators: dict[str, str]) -> Response:
        url, hops = task.url, [task.url]
        while True:
            self.net.check(url, task.url)
            response = self.net.request(url, {**self._headers(), **validators})
            if response.status in REDIRECTS:
                url = self._location(response, hops)
                hops.append(url)
            elif response.status in (429, 503):
                raise self._wait_or_give_up(task, response)
            elif response.status in (200, 304):
                return response
            else:
                raise FetchError(f"HTTP {response.status} {response.reason}".strip(),
                                 lasting=400 <= response.status < 500 and response.status not in (408, 425))

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.o.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "vi, en;q=0.5"}

    def _location(self, response: Response, hops: list[str]) -> str:
        where = response.header("location")
        if not where:
            raise FetchError(f"HTTP {response.status} redirect without a Location", lasting=True)
        try:
            url = normal(urljoin(response.url, where))
        except InputError as exc:
            raise FetchError(f"redirected to {where!r}: {exc.problem}", lasting=True) from exc
        if url in hops:
            raise FetchError("redirect loop: " + " → ".join([*hops, url]), lasting=True)
        if len(hops) > MAX_REDIRECTS:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects ({hops[0]} → … → {url})", lasting=True)
        return url

    def _wait_or_give_up(self, task: Task, response: Response) -> Exception:
        asked, what = retry_after(response.header("retry-after")), f"HTTP {response.status}"
        if asked is not None and asked > self.o.max_wait:
            return FetchError(f"{what}, Retry-After {seconds(asked)} s exceeds the cap of {seconds(self.o.max_wait)} s "
                              "(--max-wait); skipped")
        if task.attempt >= self.o.retries:
            return FetchError(f"{what} again after {self.o.retries} retries; skipped")
        wait = asked if asked is not None else min(self.o.max_wait, max(self.o.delay, 1.0) * 2 ** task.attempt)
        return _Wait(host_of(response.url), wait)

    # --- outcomes ------------------------------------------------------------------------

    def _feed(self, task: Task, response: Response) -> feeds.Feed | None:
        if task.kind != "any":
            return None
        try:
            return feeds.parse(response.body, response.url)
        except feeds.FeedError as exc:
            if response.media_type in FEED_TYPES:
                raise FetchError(f"a feed that cannot be read: {exc}", lasting=True) from exc
            return None  # markup that is not well-formed XML, sent as a page: a page

    def _read_feed(self, task: Task, response: Response, feed: feeds.Feed) -> None:
        hints = _pairs(publisher=feed.title, language=feed.language)
        self.record.put(Entry(task.url, "feed", "read", **_answer(response), hints=hints, items=feed.items))
        self.summary.feeds += 1
        queued, elsewhere = self._queue_items(task.url, response.url, feed.items, hints)
        self.log(f"fetch: feed {task.url}: {feed.kind.upper()} {feed.title or '(untitled)'!r}, {len(feed.items)} items, "
                 f"{queued} to fetch" + (f"; {elsewhere} on other hosts left out (--same-host)" if elsewhere else ""))

    def _queue_items(self, feed_url: str, final_url: str, items: tuple[feeds.Item, ...],
                     feed_hints: tuple[tuple[str, str], ...]) -> tuple[int, int]:
        queued = elsewhere = 0
        for item in items:
            try:
                url = normal(item.url)
            except InputError as exc:
                self.log(f"fetch: {exc.path} (listed by {feed_url}): {exc.problem}")
                continue
            if self.o.same_host and host_of(url) != host_of(final_url):
                elsewhere += 1
                continue
            hints = _pairs(title=item.title, published=item.published, author=item.author) + feed_hints
            queued += self.add(Task(url, "page", hints, via=feed_url))
        self.summary.items += len(items)
        return queued, elsewhere

    def _save(self, task: Task, response: Response) -> None:
        suffix = save.suffix_for(response)
        meta = save.sidecar(response.url, dict(task.hints), response)
        name = save.save(self.o.out, response.url, suffix, response.body, meta)
        self.record.put(Entry(task.url, "page", "saved", file=name, **_answer(response), via=task.via, hints=task.hints))
        self.pages += 1
        self.summary.saved[suffix] += 1

    def _unchanged(self, task: Task, prior: Entry | None, response: Response) -> None:
        if not self._validators(prior) or prior is None:
            raise FetchError("HTTP 304 Not Modified to a request that was not conditional", lasting=True)
        self.record.put(replace(prior, etag=response.header("etag") or prior.etag, error=None, fetched_at=_now(),
                                last_modified=response.header("last-modified") or prior.last_modified))
        if prior.kind == "feed":
            self.summary.feeds += 1
            queued, _ = self._queue_items(task.url, prior.final_url or task.url, prior.items, prior.hints)
            self.log(f"fetch: feed {task.url}: not modified since the last run; {queued} of its "
                     f"{len(prior.items)} items still to fetch")
        else:
            self.pages += 1
            self.summary.unchanged += 1

    def _fail(self, task: Task, prior: Entry | None, exc: FetchError) -> None:
        self.log(f"fetch: {task.url}: {exc.reason}" + ("" if exc.lasting else " (a rerun tries again)"))
        if prior is not None and (prior.kind == "feed" or self._has_copy(prior)):
            self.record.put(replace(prior, error=exc.reason, fetched_at=_now()))  # what we had is still good
            if prior.kind == "feed":
                self._queue_items(task.url, prior.final_url or task.url, prior.items, prior.hints)
        else:
            self.pages += 1
            self.record.put(Entry(task.url, "page", "skipped" if exc.lasting else "failed", error=exc.reason,
                                  fetched_at=_now(), via=task.via, hints=task.hints))
        if exc.lasting:
            self.summary.skipped += 1
        else:
            self.summary.failed += 1


def _answer(response: Response) -> dict:
    """What the record keeps of an answer."""
    return {"final_url": response.url, "media_type": response.media_type, "bytes": len(response.body),
            "etag": response.header("etag"), "last_modified": response.header("last-modified"), "fetched_at": _now()}


def _pairs(**values: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in values.items() if v)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
