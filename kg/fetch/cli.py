"""`kg fetch`: save web pages, and the items of RSS/Atom feeds, as sources for `kg build`.

:func:`add_parser` declares the command on `kg`'s subparsers; :func:`run` turns the parsed
arguments into :class:`~kg.fetch.crawl.Task` records and :class:`~kg.fetch.crawl.Options`, calls
:func:`kg.fetch.crawl.fetch` and prints its summary on stderr. :func:`main` runs the command
alone (``main(["URL", "-o", "DIR"])``). A usage error — a URL that cannot be fetched as given, a
list file that cannot be read, an option out of range — is a :class:`~kg.errors.KgError` (exit
2) before any request is made. Exit 0 when the run went through: every URL was fetched, or
skipped for a reason its line states (those that may pass — a 5xx, a timeout, a long
Retry-After, an unreadable robots.txt — are tried again by a rerun), so that `kg fetch … && kg
build …` is not stopped by one article's 500; 130 when interrupted.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import InputError, KgError

if TYPE_CHECKING:
    from .crawl import Summary, Task

MIB = 2**20
DESCRIPTION = """Save web pages, PDF and Word files, and the items of RSS, Atom and RSS 1.0 feeds, each with a
sidecar NAME.meta.json (its final URL and what its feed said: title, date, publisher, language),
as DIR/<host>/<name>-<hash>.<html|pdf|docx|txt>, ready for `kg build --recursive DIR`. Polite:
robots.txt is obeyed, one request at a time, at least --delay seconds (or the site's Crawl-delay)
between two requests to a host, Retry-After honoured. DIR/.fetch-record.jsonl records every URL,
so a rerun asks only for what it lacks (and for the feeds again, conditionally): an interrupted
run resumes. The network is used only by this command."""
EPILOG = """Exit status: 0 every URL fetched or skipped for a stated reason (a rerun tries again those whose
reason may pass: a 5xx, a timeout, a long Retry-After); 2 a usage error; 130 interrupted. See docs/fetch.md."""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Declare `kg fetch` on `kg`'s subparsers."""
    p = subparsers.add_parser("fetch", help="save web pages and the items of RSS/Atom feeds as sources, politely",
                              description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("inputs", nargs="+", metavar="URL|FEED|@FILE",
                   help="a page, a feed (told by its content), or @FILE: a list of URLs, one a line, # comments")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help="folder to save into")
    p.add_argument("--delay", type=_seconds, default=2.0, metavar="SECONDS",
                   help="least time between two requests to one host; a longer Crawl-delay wins (default: %(default)s)")
    p.add_argument("--timeout", type=_positive, default=30.0, metavar="SECONDS",
                   help="most time one request may take, connecting and reading included (default: %(default)s)")
    p.add_argument("--max-bytes", type=_size, default=10 * MIB, metavar="BYTES",
                   help="largest response, as sent and as decompressed; 10M, 512K (default: 10M)")
    p.add_argument("--max-pages", type=_count, metavar="N", help="ask for at most N pages this run; a rerun goes on")
    p.add_argument("--max-wait", type=_seconds, default=120.0, metavar="SECONDS",
                   help="longest Retry-After or Crawl-delay obeyed; a URL asked to wait longer is skipped "
                        "(default: %(default)s)")
    p.add_argument("--user-agent", metavar="TEXT", help="User-Agent sent; its first word is the name robots.txt "
                   "rules are matched against (default: vnkg/VERSION with the project's URL)")
    p.add_argument("--same-host", action="store_true", help="leave out a feed's items on other hosts than the feed's")
    p.add_argument("--refresh", action="store_true", help="ask again for pages already saved (with If-None-Match / "
                   "If-Modified-Since, so an unchanged page costs a 304) and for those skipped")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (default: when stderr is a terminal and not CI)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """`kg fetch` with parsed arguments; its exit status (see the module docstring)."""
    from .crawl import Options, fetch
    from .http import Limits
    from .polite import USER_AGENT
    from .record import NAME
    if args.output.exists() and not args.output.is_dir():
        raise InputError(args.output, "exists and is not a folder; give a folder to save into (-o DIR)")
    tasks = list(tasks_of(args.inputs))
    if not tasks:
        raise KgError(f"no URLs to fetch: {' '.join(args.inputs)} lists none")
    agent = _user_agent(args.user_agent or USER_AGENT)
    options = Options(out=args.output, delay=args.delay, limits=Limits(args.timeout, args.max_bytes),
                      max_pages=args.max_pages, user_agent=agent, same_host=args.same_host, refresh=args.refresh,
                      max_wait=args.max_wait)
    try:
        summary = fetch(tasks, options, progress=args.progress)
    except KeyboardInterrupt:
        print(f"fetch: interrupted; {args.output / NAME} keeps what was done, run again to go on",
              file=sys.stderr)
        return 130
    print(report(summary, args.output), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`kg fetch ARGS…` on its own (as `kg.cli.main` runs it: a KgError is one line and exit 2)."""
    from ..cli import main as kg_main
    return kg_main(["fetch", *(sys.argv[1:] if argv is None else argv)])


def tasks_of(inputs: list[str]) -> Iterator[Task]:
    """One task per URL named, or listed in an @FILE, in order; a bad one is an InputError
    (named by file and line when it comes from a list)."""
    from .crawl import Task
    from .urls import normal
    for text in inputs:
        if not text.startswith("@"):
            yield Task(normal(text))
            continue
        for where, url in _listed(Path(text[1:])):
            try:
                yield Task(normal(url))
            except InputError as exc:
                raise InputError(where, f"{exc.path}: {exc.problem}") from exc


def _listed(path: Path) -> Iterator[tuple[str, str]]:
    """(file:line, URL) of a list file: one URL a line; blank lines and `#` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(path, "no such list of URLs") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as a UTF-8 list of URLs ({exc})") from exc
    for number, line in enumerate(text.splitlines(), 1):
        url = line.split(" #")[0].split("\t#")[0].strip()
        if url and not url.startswith("#"):
            yield f"{path}:{number}", url


def report(summary: Summary, out: Path) -> str:
    """The closing line of a run: what was saved, kept, skipped and failed, and the requests made."""
    saved = sum(summary.saved.values())
    kinds = ", ".join(f"{n} {s[1:].upper()}" for s, n in sorted(summary.saved.items()))
    parts = [f"{saved} saved" + (f" ({kinds})" if kinds else "") + f" in {out}"]
    parts += [f"{n} {what}" for n, what in ((summary.unchanged, "unchanged (304)"),
              (summary.had, "already done by an earlier run"), (summary.skipped, "skipped"),
              (summary.failed, "failed (a rerun tries them again)"), (summary.left, "left for a later run (--max-pages)"))
              if n]
    if summary.feeds:
        parts.append(f"{summary.feeds} feed(s) read listing {summary.items} item(s)")
    hosts = len(summary.hosts)
    parts.append(f"{summary.requests} request(s) to {hosts} host{'s' if hosts != 1 else ''} in {summary.seconds:.1f} s")
    return "fetch: " + "; ".join(parts)


def _user_agent(text: str) -> str:
    if not text.strip() or any(ord(c) < 32 or ord(c) == 127 for c in text) or not text.isascii():
        raise KgError(f"--user-agent {text!r}: give printable ASCII text, e.g. 'mybot/1.0 (+https://example.org/bot)'")
    return text.strip()


def _seconds(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative; give seconds, 0 or more")
    return value


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds, more than 0")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number, 1 or more")
    return int(text)


def _size(text: str) -> int:
    m = re.fullmatch(r"(\d+)\s*([KMG]?)(?:i?B)?", text.strip(), re.I)
    size = int(m.group(1)) * {"": 1, "K": 1024, "M": MIB, "G": 1024 * MIB}[m.group(2).upper()] if m else 0
    if size < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give bytes, e.g. 10485760, 10M or 512K")
    return size
