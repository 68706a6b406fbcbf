"""Run one SPARQL query safely on an rdflib dataset (used by `kg query`; the endpoint adds
time and memory limits around the same checks).

Refuses before evaluation: updates, ``SERVICE`` anywhere in the algebra, malformed text.
``FROM`` never loads anything (``SPARQL_LOAD_GRAPHS = False``).
"""
from __future__ import annotations

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import Dataset
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryError
from .results import QueryResult, from_rdflib


def prepare(text: str):
    """The translated query, or a QueryError saying why it will not run."""
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        raise QueryError(f"malformed query: {exc.msg} at line {exc.lineno}, column {exc.col}") from exc
    except RecursionError as exc:
        raise QueryError("query nested too deeply") from exc
    try:
        query = translateQuery(parsed)
    except RecursionError as exc:
        raise QueryError("query nested too deeply") from exc
    except Exception as exc:  # rdflib raises bare exceptions for semantic errors
        raise QueryError(f"malformed query: {exc}") from exc
    if _has_service(query.algebra):
        raise QueryError("SERVICE is not allowed: this engine never calls other endpoints")
    return query


def _has_service(node, depth: int = 0) -> bool:
    if depth > 500:
        return False
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_has_service(v, depth + 1) for v in node)
    return False


def run(ds: Dataset, text: str, max_results: int | None = None) -> QueryResult:
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    query = prepare(text)
    try:
        return from_rdflib(ds.query(query), max_results)
    except RecursionError as exc:
        raise QueryError("query too deep to evaluate") from exc
