"""`kg query`: SPARQL over a built dataset file, results in the standard formats or as a table.

Takes the dataset path, the query (text, ``@file``, or a competency question's name such as
``posts``) and a format; returns bytes. The default graph is the union of all graphs. The
query runs locally through :func:`kg.sparql.prepare`, which refuses SERVICE, updates and
loading, as the endpoint does.
"""
from __future__ import annotations

from pathlib import Path

from . import config
from .errors import QueryError
from .export import load
from .results import QueryResult, media_type_for, serialize_result


def query_text(query: str) -> str:
    """The text of `query`: itself, the file after "@", or the competency question so named."""
    if query.startswith("@"):
        path = Path(query[1:])
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    named = config.CQ_DIR / f"{query}.rq"
    if named.exists():
        return named.read_text(encoding="utf-8")
    if query.strip().isidentifier():
        known = ", ".join(sorted(p.stem for p in config.CQ_DIR.glob("*.rq")))
        raise QueryError(f"{query!r} is neither SPARQL nor a competency question; known questions: {known}")
    return query


def run_query(graph: Path, query: str, fmt: str = "table") -> bytes:
    """`kg query --engine rdflib`: the query over the dataset file, loaded into rdflib."""
    from .sparql import run
    ds = load(graph)
    ds.default_union = True
    return render(run(ds, query_text(query), max_results=config.get("max_results")), fmt)


def render(result: QueryResult, fmt: str) -> bytes:
    """A result as `kg query` prints it: a table, or a standard format by name."""
    if fmt == "table":
        return table(result).encode("utf-8")
    return serialize_result(result, media_type_for(fmt, graph=result.kind in ("CONSTRUCT", "DESCRIBE")))


def table(result: QueryResult) -> str:
    """A plain-text table of a SELECT result (ASK: yes/no; graphs: N-Triples)."""
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    if result.kind != "SELECT":
        return serialize_result(result, media_type_for("nt")).decode("utf-8")
    rows = [[_cell(v) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(result.vars)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(result.vars), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out) + f"\n({len(rows)} rows)\n"


def _cell(term) -> str:
    return "" if term is None else str(term)
