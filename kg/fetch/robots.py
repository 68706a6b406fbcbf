"""robots.txt as RFC 9309 reads it: which paths a crawler may fetch, and its Crawl-delay.

:func:`parse` takes the text of a robots.txt and the crawler's product token (``vnkg``) and
returns :class:`Rules`: the rules of the groups that name the token (case-insensitive, any
``/version`` ignored), else those of the ``*`` groups, merged; patterns with ``*`` and a final
``$``; the longest matching pattern decides, and an Allow wins a tie; ``/robots.txt`` itself is
always allowed. Crawl-delay, which RFC 9309 leaves out, is read from the same group (seconds,
a fraction allowed). Only the first 500 KiB are read, as the RFC allows.

The standard library's :mod:`urllib.robotparser` takes the first rule that matches rather than
the longest and knows no wildcards, so it would let through paths a site forbids.

Fetching the file, and what its status means (a 4xx: everything allowed; a 5xx or no answer:
nothing fetched from the host this run), is :mod:`kg.fetch.crawl`'s job. No network here.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

MAX_BYTES = 500 * 1024


@dataclass(frozen=True)
class Rules:
    allow: tuple[str, ...] = ()
    disallow: tuple[str, ...] = ()
    crawl_delay: float | None = None

    def allowed(self, path: str) -> bool:
        """Whether `path` (path and query, percent-encoded) may be fetched."""
        if path == "/robots.txt":
            return True
        best_allow = max((len(p) for p in self.allow if _pattern(p).match(path)), default=-1)
        best_disallow = max((len(p) for p in self.disallow if _pattern(p).match(path)), default=-1)
        return best_allow >= best_disallow


@dataclass
class _Group:
    agents: list[str]
    allow: list[str]
    disallow: list[str]
    delay: float | None = None


def parse(text: str | bytes, token: str) -> Rules:
    """The rules `text` sets for the crawler called `token` (see the module docstring)."""
    if isinstance(text, bytes):
        text = text[:MAX_BYTES].decode("utf-8", errors="replace")
    groups = _groups(text[:MAX_BYTES])
    token = token.lower()
    mine = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    delays = [g.delay for g in mine if g.delay is not None]
    return Rules(allow=tuple(p for g in mine for p in g.allow), disallow=tuple(p for g in mine for p in g.disallow),
                 crawl_delay=max(delays) if delays else None)


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    in_agents = False  # whether the last record was a user-agent line (the next one joins its group)
    for line in text.splitlines():
        key, _, value = line.split("#", 1)[0].partition(":")
        key, value = key.strip().lower().replace("_", "-"), value.strip()
        if key == "user-agent":
            if not in_agents:
                groups.append(_Group([], [], []))
            groups[-1].agents.append(value.split("/")[0].strip().lower())
            in_agents = True
        elif key in ("allow", "disallow", "crawl-delay") and groups:
            in_agents = False
            _rule(groups[-1], key, value)
    return groups


def _rule(group: _Group, key: str, value: str) -> None:
    if key == "crawl-delay":
        try:
            group.delay = max(0.0, float(value))
        except ValueError:
            pass  # an unreadable delay is no delay, as other crawlers read it
    elif value:  # an empty Disallow forbids nothing
        (group.allow if key == "allow" else group.disallow).append(quote(value, safe="/%:@!$&'()*+,;=-._~?"))


@functools.lru_cache(maxsize=4096)
def _pattern(rule: str) -> re.Pattern[str]:
    anchored = rule.endswith("$")
    body = re.escape(rule[:-1] if anchored else rule).replace(r"\*", ".*")
    return re.compile(body + ("$" if anchored else ""), re.S)
