"""Requests a site would agree to: one at a time, spaced per host, allowed by its robots.txt.

:class:`Polite` makes every request of a `kg fetch` run (:meth:`Polite.request`). Before a
request it waits until the host is ready: the delay (the option, or the Crawl-delay of the
host's robots.txt when that is longer) after the end of the last request to that host, and any
Retry-After the host asked for (:meth:`Polite.hold`). :meth:`Polite.check` tells whether
robots.txt allows a URL; the file is read once per origin, the first time it is needed,
following at most :data:`MAX_ROBOTS_REDIRECTS` redirects (RFC 9309 §2.3.1.2). A 4xx robots.txt
(other than 429) allows everything (RFC 9309 §2.3.1.3); a 5xx, a 429 or no answer at all means
nothing is fetched from that origin this run, and so does a Crawl-delay over ``max_wait``.

It neither follows redirects nor retries: :mod:`kg.fetch.crawl` does, through it.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urljoin

from .. import __version__
from ..errors import InputError
from . import robots
from .http import FetchError, Limits, Response, get
from .urls import host_of, normal, origin, target

USER_AGENT = (f"vnkg/{__version__} (+https://w3id.org/vnkg; fetches the pages its user lists, for a knowledge graph "
              "of Vietnamese party and state news)")
REDIRECTS = (301, 302, 303, 307, 308)
MAX_ROBOTS_REDIRECTS = 5


class Polite:
    """The hosts of one run: when each may next be asked, and what each origin's robots.txt says."""

    def __init__(self, user_agent: str = USER_AGENT, delay: float = 2.0, limits: Limits = Limits(),
                 max_wait: float = 120.0) -> None:
        self.user_agent, self.delay, self.limits, self.max_wait = user_agent, delay, limits, max_wait
        self.token = product_token(user_agent)
        self.last: dict[str, float] = {}  # host -> when its last request ended
        self.held: dict[str, float] = {}  # host -> not before (a Retry-After)
        self.rules: dict[str, robots.Rules | str] = {}  # origin -> its rules, or why nothing is fetched there
        self.requests = 0
        self.hosts: set[str] = set()

    def request(self, url: str, headers: dict[str, str]) -> Response:
        """GET `url` once its host is ready (robots.txt is not checked here: see :meth:`check`)."""
        host = host_of(url)
        pause = self.ready_at(host) - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        try:
            return get(url, headers, self.limits)
        finally:
            self.last[host] = time.monotonic()
            self.requests += 1
            self.hosts.add(host)

    def ready_at(self, host: str) -> float:
        """The monotonic time `host` may next be asked."""
        delays = [r.crawl_delay for o, r in self.rules.items()
                  if isinstance(r, robots.Rules) and r.crawl_delay and host_of(o + "/") == host]
        gap = max([self.delay, *delays])
        return max(self.last.get(host, float("-inf")) + gap, self.held.get(host, float("-inf")))

    def hold(self, host: str, seconds: float) -> None:
        """Ask nothing of `host` for `seconds` (it said Retry-After)."""
        self.held[host] = max(self.held.get(host, 0.0), time.monotonic() + seconds)

    def check(self, url: str, first: str) -> None:
        """FetchError unless robots.txt allows `url`, reached from `first` (the URL asked for)."""
        site = origin(url)
        if site not in self.rules:
            self.rules[site] = self._read_robots(site)
        rules = self.rules[site]
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.allowed(target(url)):
            raise FetchError("forbidden by robots.txt" if url == first else
                             f"redirected to {url}, which robots.txt forbids", lasting=True)

    def _read_robots(self, site: str) -> robots.Rules | str:
        url = f"{site}/robots.txt"
        for _ in range(MAX_ROBOTS_REDIRECTS + 1):
            try:
                response = self.request(url, {"User-Agent": self.user_agent, "Accept": "text/plain"})
                if response.status in REDIRECTS and response.header("location"):
                    url = normal(urljoin(url, response.header("location") or ""))
                    continue
            except (FetchError, InputError) as exc:
                return f"robots.txt of {site} could not be read ({exc}); nothing fetched from there this run"
            return self._rules(site, response)
        return robots.Rules()  # too many redirects: "unavailable", as a 4xx

    def _rules(self, site: str, response: Response) -> robots.Rules | str:
        if response.status == 200:
            rules = robots.parse(response.body, self.token)
            if rules.crawl_delay and rules.crawl_delay > self.max_wait:
                return (f"robots.txt of {site} asks for a Crawl-delay of {seconds(rules.crawl_delay)} s, over the "
                        f"cap of {seconds(self.max_wait)} s (--max-wait); nothing fetched from there")
            return rules
        if 400 <= response.status < 500 and response.status != 429:
            return robots.Rules()
        return (f"robots.txt of {site} answered HTTP {response.status} {response.reason}".rstrip()
                + "; nothing fetched from there this run")


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: the User-Agent's first word, 'vnkg/0.1.0 (…)' → 'vnkg'."""
    m = re.match(r"[A-Za-z0-9_-]+", user_agent)
    return m.group() if m else "vnkg"


def seconds(value: float) -> str:
    """Seconds for a report line: 0.5, 2, 3600."""
    return f"{value:.0f}" if value >= 10 else f"{value:g}"
