"""A query's answer as rows of Python values, and as a pandas DataFrame with typed columns.

Takes the answer column by column — each column a sequence of raw cells (TSV text, JSON
binding keys, pyoxigraph terms) and the function turning one into a :data:`kg.toolkit.terms.Cell` —
and gives a :class:`Result`: ``columns``, ``rows`` (a dict of Python values per row),
``to_pandas()``. Each distinct raw cell is converted once, however often it repeats. A
column holding IRIs gets a ``<column>_label`` column beside it in the DataFrame, with each
entity's ``rdfs:label`` (asked of the dataset through the `labels` function the answer came
with). pandas is imported only by ``to_pandas()``; without it that call says how to install it.
"""
from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from ..errors import KgError
from .terms import Cell

Labels = Callable[[Iterable[str]], dict[str, str]]
_NUMBERS = {"integer", "decimal", "double"}
_IRIS = {"iri", "bnode"}


class Column:
    """One column of an answer: its name, each row's Python value, and which kinds of term
    it holds (``kg.toolkit.terms.KINDS``; unbound cells count as none). Each distinct raw cell is
    converted once; lexical forms and per-row kinds are worked out only when asked for."""

    def __init__(self, name: str, raw: Sequence, cells: dict[Any, Optional[Cell]]) -> None:
        self.name, self._raw, self._cells = name, raw, cells
        self.values = [None if c is None else c[0] for c in map(cells.__getitem__, raw)]
        self.kinds = frozenset(c[1] for c in cells.values() if c is not None)

    @classmethod
    def of(cls, name: str, raw: Sequence, convert: Callable[[Any], Optional[Cell]]) -> "Column":
        return cls(name, raw, {key: convert(key) for key in dict.fromkeys(raw)})

    @classmethod
    def single(cls, name: str, cell: Cell) -> "Column":
        return cls(name, [0], {0: cell})

    @cached_property
    def lexical(self) -> list:
        """Each row's lexical form (None: unbound)."""
        text = {key: None if c is None else c[2] for key, c in self._cells.items()}
        return list(map(text.__getitem__, self._raw))

    @cached_property
    def mixed(self) -> Optional[list]:
        """Each row's kind, when the column holds more than one (else None)."""
        if len(self.kinds) < 2:
            return None
        kind = {key: None if c is None else c[1] for key, c in self._cells.items()}
        return list(map(kind.__getitem__, self._raw))

    def kind(self, i: int) -> Optional[str]:
        """The kind of term in row `i` (None: unbound)."""
        if self.mixed is not None:
            return self.mixed[i]
        return None if self.values[i] is None else next(iter(self.kinds))

    @property
    def holds_iris(self) -> bool:
        return bool(self.kinds) and self.kinds <= _IRIS


class Result:
    """The answer to one query: ``columns``, ``rows`` (dicts of Python values), ``to_pandas()``.

    A SELECT gives its variables as columns; ASK one column ``boolean`` (also ``.boolean``);
    CONSTRUCT and DESCRIBE the columns ``subject``, ``predicate``, ``object``."""

    def __init__(self, columns: Sequence[Column], labels: Optional[Labels] = None,
                 boolean: Optional[bool] = None) -> None:
        self._columns = tuple(columns)
        self._labels = labels
        self.boolean = boolean
        self._rows: Optional[list[dict]] = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self._columns)

    @property
    def rows(self) -> list[dict]:
        if self._rows is None:
            names = self.columns
            self._rows = [dict(zip(names, values)) for values in zip(*(c.values for c in self._columns))]
        return self._rows

    def column(self, name: str) -> Column:
        for c in self._columns:
            if c.name == name:
                return c
        raise KgError(f"no column {name!r}; the answer has: {', '.join(self.columns)}")

    def __len__(self) -> int:
        return len(self._columns[0].values) if self._columns else 0

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<Result {len(self)} rows: {', '.join(self.columns)}>"

    def labels(self, name: str, found: Optional[dict[str, str]] = None) -> list[Optional[str]]:
        """Each row's label of the IRI in column `name` (None where it has none); `found`: the
        labels already asked for."""
        col = self.column(name)
        if found is None:
            found = self._labels(v for v in set(col.values) if v is not None) if self._labels else {}
        return [found.get(v) if v is not None else None for v in col.values]

    def all_labels(self, names: Sequence[str]) -> dict[str, str]:
        """The labels of the IRIs in the columns `names`, asked for at once."""
        iris = {v for n in names for v in self.column(n).values if v is not None}
        return self._labels(iris) if self._labels and iris else {}

    def label_columns(self) -> list[str]:
        """The columns holding IRIs, whose labels ``to_pandas()`` adds (unless a column of
        that name is in the answer already)."""
        return [c.name for c in self._columns if c.holds_iris and f"{c.name}_label" not in self.columns]

    def to_pandas(self, labels: bool = True) -> Any:
        """A ``pandas.DataFrame``: dates as datetime64, integers as int64 (Int64 with gaps),
        decimals and doubles as float64, booleans as boolean, text and IRIs as str; with
        `labels`, a ``<column>_label`` column after each column of IRIs."""
        pd = pandas()
        with_labels = self.label_columns() if labels else []
        found = self.all_labels(with_labels)
        data: dict[str, Any] = {}
        for col in self._columns:
            data[col.name] = series(pd, col)
            if col.name in with_labels:
                data[f"{col.name}_label"] = pd.Series(self.labels(col.name, found))
        return pd.DataFrame(data, index=pd.RangeIndex(len(self)))


def pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise KgError("to_pandas() needs pandas, an optional part of vnkg: pip install 'vnkg[pandas]'") from None
    return pd


def series(pd: Any, col: Column) -> Any:
    """A column as a typed pandas Series (see :meth:`Result.to_pandas`)."""
    kinds, values = col.kinds, col.values
    if not kinds:
        return pd.Series(values, dtype=object)
    if kinds == {"integer"}:
        try:
            return pd.Series(values, dtype="Int64" if None in values else "int64")
        except (OverflowError, TypeError):
            return pd.Series(values, dtype=object)  # beyond 64 bits: Python ints
    if kinds <= _NUMBERS:
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kinds == {"boolean"}:
        return pd.Series(values, dtype="boolean")
    if kinds in ({"date"}, {"datetime"}):
        try:
            return pd.Series(pd.to_datetime(values))
        except (ValueError, TypeError, OverflowError):  # time zones mixed, years past pandas' range
            return pd.Series(values, dtype=object)
    if kinds <= _IRIS | {"string"}:
        return pd.Series(values)
    return pd.Series(col.lexical)  # kinds mixed (a date here, a year there): their lexical forms
