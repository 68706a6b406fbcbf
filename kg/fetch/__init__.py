"""Fetch web pages and feeds as sources: the stage before reading, and the only one that
goes online by itself, when the user runs `kg fetch`.

Takes URLs of pages and of feeds (RSS 2.0, Atom, RSS 1.0); saves each page, PDF or Word file
under an output folder with a ``.meta.json`` sidecar, and keeps a record of every URL there, so
that `kg build` and `kg add` can read the folder and a rerun asks only for what it lacks. It
does not read the pages (:mod:`kg.read` does).

Modules, in the order a URL meets them: :mod:`~kg.fetch.urls` (check a URL, name its file),
:mod:`~kg.fetch.crawl` (the polite queue: robots.txt, delays, redirects, retries),
:mod:`~kg.fetch.robots` (RFC 9309 rules), :mod:`~kg.fetch.http` (one request within limits),
:mod:`~kg.fetch.feeds` (items of a feed, parsed safely), :mod:`~kg.fetch.save` (the file and its
sidecar), :mod:`~kg.fetch.record` (the resumable record), :mod:`~kg.fetch.cli` (`kg fetch`).
The entry point is :func:`kg.fetch.crawl.fetch`. Nothing is imported here, so that declaring
the command costs `kg` nothing.
"""
