"""Tables for spreadsheets: `kg query -f xlsx`, `kg query --bom`, `kg export --tables DIR`.

Takes a dataset (:func:`kg.toolkit.api.open`) and a query, or every competency question
(``kg/data/cq/*.rq``); gives :class:`Table` records — columns, rows of Python values — and
writes them as an Excel workbook (openpyxl, write-only mode; one sheet per table, dates as
dates, numbers as numbers) or as CSV (UTF-8, optionally with a byte order mark so spreadsheet
programs read Vietnamese right). A column of IRIs gets a ``<column>_label`` column beside it.
A competency question's table also gets, for each row, the evidence of the fact the row
stands for (:data:`EVIDENCE`): the source file, the sentence, its offsets, the rule and how
many pieces of evidence there are; questions whose facts come from the reasoner or the
resolver only (``sources``, ``successions``) have no evidence columns. Rows of those tables
are sorted, so the same dataset gives the same rows; the questions `kg held` fills in are
left out (:func:`cq_names`). The argparse additions of the two
commands are in :mod:`kg.toolkit.options` (:func:`add_query_args`, :func:`add_export_args`).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from .. import config
from ..errors import KgError
from ..graph import evidence_pattern
from .options import add_export_args, add_query_args  # noqa: F401 — the commands' options, kept here too
from .rows import Result
from .sheets import BOM, Table, csv_bytes, openpyxl_module, xlsx_bytes

# the fact behind a row of each competency question, in the question's own variables: the
# asserted triple (subject, predicate, object) whose evidence the row gets, and what else binds
# it (``?_ev`` is the mention it was read from, or a Wikidata link's evidence node); a question
# not named here has no evidence columns
_FROM_SOURCE = "?_ev vnkg:inSentence/vnkg:source/dcterms:identifier ?source ."
EVIDENCE = {
    "citations": ("?citing", "vnkg:cites", "?cited", ""),
    "documents": ("?doc", "vnkg:number", "?number", _FROM_SOURCE),
    "goals": ("?goal", "rdf:type", "vnkg:Goal", _FROM_SOURCE),
    "meetings": ("?meeting", "rdf:type", "vnkg:Meeting", _FROM_SOURCE),
    # membership is inferred; its evidence is a post held in the body itself, where there is one
    "members": ("?person", "vnkg:holds", "?_post", "?_post vnkg:postIn/rdfs:label ?body ."),
    "named_documents": ("?doc", "rdf:type", "vnkg:Document", _FROM_SOURCE),
    "persons": ("?person", "rdf:type", "vnkg:Person", _FROM_SOURCE),
    "posts": ("?person", "vnkg:holds", "?post", ""),
    "tenures": ("?person", "vnkg:holds", "?post", ""),
    "wikidata": None,  # a link's evidence node, in the links graph: its rule, no mention
}
_WIKIDATA = "?_ev rdf:subject ?entity ; rdf:predicate owl:sameAs ; rdf:object ?item ."
EVIDENCE_COLUMNS = ("evidence_source", "evidence_sentence", "evidence_start", "evidence_end", "evidence_rule")
_EVIDENCE_BLOCK = """  OPTIONAL {{
    {fact}
    OPTIONAL {{ ?_ev vnkg:inSentence/vnkg:source/dcterms:identifier ?evidence_source }}
    OPTIONAL {{ ?_ev vnkg:inSentence/rdf:value ?evidence_sentence }}
    OPTIONAL {{ ?_ev vnkg:start ?evidence_start }}
    OPTIONAL {{ ?_ev vnkg:end ?evidence_end }}
    OPTIONAL {{ ?_ev vnkg:rule ?evidence_rule }}
  }}
}}"""


def fact_pattern(name: str) -> str:
    """The pattern binding ``?_ev`` to the evidence of a row of question `name` (see :data:`EVIDENCE`)."""
    spec = EVIDENCE[name]
    if spec is None:
        return _WIKIDATA
    s, p, o, extra = spec
    return f"GRAPH ?_g {{ {evidence_pattern(s, p, o, '?_ev', hidden='?_n')} }} {extra}"


_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "owl": "http://www.w3.org/2002/07/owl#", "dcterms": "http://purl.org/dc/terms/",
             "vnkg": "https://w3id.org/vnkg/ontology#"}
_PROJECTION = re.compile(r"SELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)\s*WHERE\s*\{", re.S | re.I)


# --- tables from answers --------------------------------------------------------------------

def _cells(result: Result, name: str) -> list:
    """A column's values, or their lexical forms where the column mixes kinds (a date here, a
    year there) so that one column holds one kind of cell."""
    col = result.column(name)
    mixed = len(col.kinds) > 1 and not col.kinds <= {"integer", "decimal", "double"} \
        and not col.kinds <= {"iri", "bnode", "string"}
    return col.lexical if mixed else col.values


def table(result: Result, name: str = "query", title: str = "", columns: Optional[Sequence[str]] = None) -> Table:
    """The answer as a table, a ``<column>_label`` column after each column of IRIs."""
    names = list(columns or result.columns)
    labelled = [n for n in result.label_columns() if n in names]
    found = result.all_labels(labelled)
    out_columns, data = [], []
    for n in names:
        out_columns.append(n)
        data.append(_cells(result, n))
        if n in labelled:
            out_columns.append(f"{n}_label")
            data.append(result.labels(n, found))
    return Table(name, title, tuple(out_columns), [list(r) for r in zip(*data)])


def with_evidence(text: str, fact: str) -> str:
    """The competency question `text` with each row's evidence of `fact` as extra columns."""
    match = _PROJECTION.search(text)
    if match is None or match.group(2).strip() == "*":
        raise KgError("a competency question with evidence must name its variables: SELECT ?a ?b WHERE { … }")
    extra = " ?_ev " + " ".join(f"?{c}" for c in EVIDENCE_COLUMNS)
    text = text[:match.end(2)] + extra + text[match.end(2):]
    close = text.rindex("}")
    text = text[:close] + _EVIDENCE_BLOCK.format(fact=fact) + text[close + 1:]
    declared = {m.lower() for m in re.findall(r"PREFIX\s+(\w*):", text, re.I)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in _PREFIXES.items() if p not in declared) + text


def cq_table(ds: Any, name: str) -> Table:
    """One competency question's table: its columns, labels, and each row's evidence."""
    path = config.CQ_DIR / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    title = _title(text, name)
    if name not in EVIDENCE:
        plain = table(ds.query(text), name, title)
        return Table(name, title, plain.columns, _sorted(plain.rows))
    result = ds.query(with_evidence(text, fact_pattern(name)))
    own = [c for c in result.columns if c != "_ev" and c not in EVIDENCE_COLUMNS]
    plain = table(result, name, title, own)
    return Table(name, title, plain.columns + EVIDENCE_COLUMNS + ("evidence_count",),
                 _sorted(_one_per_answer(result, plain.rows, own)))


def _one_per_answer(result: Result, rows: list[list], own: Sequence[str]) -> list[list]:
    """One row per answer of the question (`rows` are the answer's rows with their labels,
    once per piece of evidence): its first evidence, by source file and offset, and how many
    pieces of evidence it has."""
    columns = [result.column(c) for c in own]
    # an answer is told apart as SPARQL's DISTINCT tells it: by its terms, not their values (7 == 7.0)
    keys = [col.lexical for col in columns] + [col.mixed for col in columns if col.mixed is not None]
    ev = result.column("_ev").values
    evidence = list(zip(*(result.column(c).values for c in EVIDENCE_COLUMNS)))
    groups: dict[tuple, list] = {}
    for i, key in enumerate(zip(*keys)):
        group = groups.setdefault(key, [rows[i], set(), None])
        if ev[i] is not None and ev[i] not in group[1]:
            group[1].add(ev[i])
            order = (evidence[i][0] or "", evidence[i][2] or 0, ev[i])
            if group[2] is None or order < group[2][0]:
                group[2] = (order, evidence[i])
    return [row + list(best[1] if best else (None,) * len(EVIDENCE_COLUMNS)) + [len(seen)]
            for row, seen, best in groups.values()]


def _sorted(rows: list[list]) -> list[list]:
    return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))


def _title(text: str, name: str) -> str:
    """The question a .rq file asks, from its first comment line ("# CQ3  Who is …?")."""
    first = text.splitlines()[0] if text else ""
    if not first.startswith("#"):
        return name
    return re.sub(r"^#\s*(CQ\d+\s+)?", "", first).strip()


_PLACEHOLDER = re.compile(r"VALUES\s+\?\w+\s*\{\s*UNDEF\s*\}", re.I)


def cq_names() -> list[str]:
    """The competency questions that get a table: all but those with a VALUES placeholder for
    `kg held` and its kin to fill in (tenure_dates, tenure_sources: asked whole, the second
    did not finish in nine minutes on 2,500 articles; the ``tenures`` table has their facts)."""
    return sorted(p.stem for p in config.CQ_DIR.glob("*.rq")
                  if not _PLACEHOLDER.search(p.read_text(encoding="utf-8")))


def index(tables: Sequence[Table]) -> Table:
    """The table of tables: each question's name, question and rows."""
    rows = [[t.name, t.title, len(t.rows), "evidence_source" in t.columns] for t in tables]
    return Table("questions", "The competency questions, one table each", ("table", "question", "rows", "evidence"), rows)


# --- the commands -----------------------------------------------------------------------------

def query_command(a: argparse.Namespace) -> int:
    """`kg query` with -f xlsx, --bom or -o FILE."""
    fmt = a.format.lower()
    if a.bom and fmt not in ("csv", "tsv"):
        raise KgError(f"--bom is for -f csv or -f tsv, not -f {a.format}")
    data = _xlsx_answer(a) if fmt == "xlsx" else _answer(a, fmt)
    if a.bom:
        data = BOM.encode("utf-8") + data
    if a.output is None:
        if fmt == "xlsx" and sys.stdout.isatty():
            raise KgError("-f xlsx writes a workbook, which a terminal cannot show: give -o FILE")
        sys.stdout.buffer.write(data)
        return 0
    _write(a.output, data)
    print(f"query: {a.output} ({len(data):,} bytes, {fmt})", file=sys.stderr)
    return 0


def _answer(a: argparse.Namespace, fmt: str) -> bytes:
    if getattr(a, "engine", "oxigraph") == "rdflib":
        from ..query import run_query
        return run_query(a.graph, a.query, fmt)
    from ..store import run_query
    return run_query(a.graph, a.query, fmt, keep=not getattr(a, "fresh", False))


def _xlsx_answer(a: argparse.Namespace) -> bytes:
    """The answer as a one-sheet workbook (named after the competency question, if it is one)."""
    from ..answers import answer
    from .api import open as open_dataset
    from ..query import query_text
    name = a.query if (config.CQ_DIR / f"{a.query}.rq").exists() else "query"

    def compute() -> bytes:
        result = open_dataset(a.graph).query(a.query, max_results=config.get("max_results"))
        return xlsx_bytes([table(result, name)])
    return compute() if getattr(a, "fresh", False) else answer(a.graph, query_text(a.query), "xlsx", compute)


def export_tables(source: Any, folder: Path, fmt: str = "csv", bom: bool = False,
                  log: Any = lambda line: print(line, file=sys.stderr)) -> list[Path]:
    """Write every competency question's table into `folder`; return the files written."""
    from .api import open as open_dataset
    fmt = fmt.lower()
    if fmt not in ("csv", "xlsx"):
        raise KgError(f"--tables writes csv or xlsx, not {fmt!r}")
    if fmt == "xlsx":
        openpyxl_module()  # before the work, not after it
    ds = open_dataset(source)
    tables = []
    for name in cq_names():
        tables.append(cq_table(ds, name))
        log(f"tables: {name} ({len(tables[-1].rows):,} rows)")
    tables.insert(0, index(tables))
    folder = Path(folder)
    if fmt == "xlsx":
        _write(folder / "tables.xlsx", xlsx_bytes(tables))
        return [folder / "tables.xlsx"]
    for t in tables:
        _write(folder / f"{t.name}.csv", csv_bytes(t, bom))
    return [folder / f"{t.name}.csv" for t in tables]


def export_command(a: argparse.Namespace) -> int:
    """`kg export --tables DIR [-f xlsx|csv] [--bom]`."""
    if a.output or a.named or getattr(a, "network", None):
        raise KgError("--tables writes tables into its folder; -o, --named and --network are other exports")
    fmt = (a.format or "csv").lower()
    if a.bom and fmt != "csv":
        raise KgError("--bom is for -f csv")
    written = export_tables(a.graph, a.tables, fmt, a.bom)
    print(f"export: {len(written)} file(s) in {a.tables} ({fmt})", file=sys.stderr)
    return 0


def _write(path: Path, data: bytes) -> None:
    from ..atomic import claimed
    from ..export import write_atomic
    with claimed(path):
        write_atomic(path, data)
