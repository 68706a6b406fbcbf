"""Prepare and run one SPARQL query on an rdflib dataset: what `kg query` and each of the
endpoint's query workers do.

Takes the query text and the protocol's graph choice; returns a :class:`kg.results.QueryResult`
or raises a :class:`kg.errors.QueryError` subclass saying why not. Refuses before any
evaluation what must never run here: updates (LOAD, INSERT, DROP…), ``SERVICE`` anywhere in
the query, malformed, over-deep or over-long queries (more tokens than the ``max_query_tokens``
setting: rdflib parses about four thousand a second, so a 60,000-row VALUES block or
10,000 UNION branches would take the time limit in parsing alone; they are counted first, by
one linear pass). ``FROM`` and the protocol's graph parameters choose
among the graphs served; nothing is ever loaded (``SPARQL_LOAD_GRAPHS = False``). It does not
bound time or memory: :mod:`server.pool` runs it in a process it can kill.
"""
from __future__ import annotations

import re
import threading
import warnings
from typing import Any, Iterator, Sequence

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from . import config
from .errors import QueryError
from .results import QueryResult, from_rdflib
from .sparql_service import TooAmbiguous, service_keywords


class QuerySyntaxError(QueryError):
    """The text is not a SPARQL 1.1 query (400)."""

    status = 400


class QueryRefused(QueryError):
    """A well-formed request this endpoint will not run: SERVICE (400), an update (403)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple:  # travels back from a worker process by pickle
        return (type(self), (str(self), self.status))


# one token of SPARQL: a comment, a string (each of the four forms), an IRI, a punctuation
# mark, else a run of other characters (names, numbers, keywords, variables). A string or IRI
# that does not close falls to the last case, so the pass stays linear on any text.
_TOKEN = re.compile("|".join((
    r"#[^\r\n]*",
    r"'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''",
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""',
    r"'(?:[^'\\\r\n]|\\.)*'",
    r'"(?:[^"\\\r\n]|\\.)*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>',
    r"[{}()\[\],;.]",
    r"[^\s{}()\[\],;.#]+",
)))


def count_tokens(text: str, stop_after: int = 0) -> int:
    """The tokens of a query (comments aside), counting stopped past `stop_after` if given."""
    count = 0
    for match in _TOKEN.finditer(text):
        if not match.group().startswith("#"):
            count += 1
            if stop_after and count > stop_after:
                break
    return count


def refuse_too_long(text: str) -> None:
    """Raise QueryRefused (400) when `text` has more tokens than ``max_query_tokens`` allows."""
    limit = int(config.get("max_query_tokens"))
    if limit and count_tokens(text, limit) > limit:
        raise QueryRefused(f"the query has more than {limit:,} tokens, the most this endpoint reads "
                           "(setting max_query_tokens); split it, or send long lists in several queries", 400)


# rdflib's parser (pyparsing) is not thread-safe: two threads parsing at once fail with errors
# such as "<lambda>() missing 1 required positional argument" (seen with queries parsed by the
# threads of one query process, and of a gunicorn worker in front of another store)
_PARSING = threading.RLock()


def prepare(text: str) -> Query:
    """Parse and check a query; raise QuerySyntaxError or QueryRefused."""
    refuse_too_long(text)
    try:
        with _PARSING:
            query = translateQuery(parseQuery(text))
    except ParseException as exc:
        raise _not_a_query(text, exc) from None
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to be parsed") from None
    except Exception as exc:  # rdflib raises bare Exceptions for semantic errors
        raise QuerySyntaxError(f"the query is not valid SPARQL 1.1: {_one_line(exc)}") from None
    try:
        has_service = any(node.name == "ServiceGraphPattern" for node in _walk(query.algebra))
    except RecursionError:  # refuse what cannot be checked
        raise QuerySyntaxError("the query is nested too deeply to be checked") from None
    if has_service:
        raise QueryRefused(_NO_SERVICE, 400)
    refuse_service(text)
    return query


_NO_SERVICE = "SERVICE is not allowed: this endpoint does not send queries to other endpoints"


def refuse_service(text: str) -> None:
    """Raise QueryRefused when any engine could read the SERVICE keyword in `text`
    (:mod:`kg.sparql_service`: the text as the engines lex it, not as rdflib parsed it)."""
    try:
        found = service_keywords(text)
    except TooAmbiguous as exc:
        raise QueryRefused(str(exc), 400) from None
    if found:
        at = found[0]
        raise QueryRefused(f"{_NO_SERVICE} (the word SERVICE at character {at} can be read as the "
                           "keyword; a prefix or name that starts with it, e.g. sd:Service, is "
                           "written as a full IRI instead)", 400)


def _not_a_query(text: str, exc: ParseException) -> QueryError:
    try:
        with _PARSING:
            parseUpdate(text)
    except (ParseException, RecursionError):
        return QuerySyntaxError(f"the query is not valid SPARQL 1.1: {_one_line(exc)}")
    return QueryRefused("updates (INSERT, DELETE, LOAD, CLEAR, DROP…) are not accepted: "
                        "this endpoint is read-only", 403)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _walk(node: Any, depth: int = 0) -> Iterator[CompValue]:
    """Every CompValue under `node`: graph patterns, expressions, EXISTS blocks."""
    if depth > 10_000:
        raise QuerySyntaxError("the query is nested too deeply")
    if isinstance(node, CompValue):
        yield node
        children: Any = node.values()
    elif isinstance(node, (list, tuple, set)):
        children = node
    else:
        return
    for child in children:
        yield from _walk(child, depth + 1)


def with_dataset(query: Query, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> Query:
    """The query with the protocol's default-graph-uri / named-graph-uri, which replace its
    FROM and FROM NAMED when either is given (SPARQL 1.1 Protocol §2.1.4)."""
    if not default_graphs and not named_graphs:
        return query
    clauses = [CompValue("DatasetClause", default=URIRef(g)) for g in default_graphs]
    clauses += [CompValue("DatasetClause", named=URIRef(g)) for g in named_graphs]
    query.algebra["datasetClause"] = clauses
    return query


def run(dataset: Dataset, text: str, default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (), max_results: int | None = None) -> QueryResult:
    """Prepare, check and evaluate a query over `dataset`, the whole result in memory."""
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    query = with_dataset(prepare(text), default_graphs, named_graphs)
    try:
        with warnings.catch_warnings():  # rdflib 7.6 evaluates GRAPH ?g through its own deprecated Dataset.contexts
            warnings.filterwarnings("ignore", "Dataset.contexts is deprecated", DeprecationWarning)
            return from_rdflib(dataset.query(query), max_results)
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to be evaluated") from None
