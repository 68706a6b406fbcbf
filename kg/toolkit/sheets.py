"""Tables written for spreadsheet programs: CSV (optionally with a UTF-8 byte order mark) and
Excel workbooks (openpyxl in write-only mode, one sheet per table).

Takes :class:`Table` records — a name, the question, columns, rows of Python values — and
returns bytes. In a workbook dates are date cells, numbers number cells, text that starts
with "=" stays text (never a formula), and characters XML cannot hold are dropped; a header
row in bold stays in view. CSV writes every value in its ISO or plain form. openpyxl is
optional: only a workbook needs it, and without it the error says how to install it. It does
not query: :mod:`kg.toolkit.tables` makes the tables.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import KgError

BOM = "\ufeff"
XLSX_ROWS = 1_048_576  # Excel's most rows in a sheet


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's or file's name
    title: str  # the question it answers
    columns: tuple[str, ...]
    rows: list[list]  # Python values: str, int, Decimal, float, bool, date, datetime, None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_bytes(t: Table, bom: bool = False) -> bytes:
    """The table as CSV (RFC 4180, CRLF line ends); `bom`: starting with a UTF-8 byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(t.columns)
    writer.writerows([_text(v) for v in row] for row in t.rows)
    return ((BOM if bom else "") + buffer.getvalue()).encode("utf-8")


def openpyxl_module() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise KgError("-f xlsx needs openpyxl, an optional part of vnkg: pip install 'vnkg[xlsx]'") from None
    return openpyxl


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, a sheet each (bold header, frozen first row)."""
    openpyxl = openpyxl_module()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for t in tables:
        if len(t.rows) + 1 > XLSX_ROWS:
            raise KgError(f"table {t.name} has {len(t.rows):,} rows, more than a sheet holds ({XLSX_ROWS - 1:,}); "
                          "write CSV instead (-f csv)")
        sheet = book.create_sheet(title=t.name[:31])
        sheet.freeze_panes = "A2"
        for letter, width in _widths(t):
            sheet.column_dimensions[letter].width = width
        header = []
        for c in t.columns:
            cell = WriteOnlyCell(sheet, value=c)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in t.rows:
            sheet.append([_xlsx_cell(sheet, v, WriteOnlyCell) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an XML 1.0 document may not hold


def _xlsx_cell(sheet: Any, value: Any, cell_type: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if value.startswith("="):  # text, never a formula
            cell = cell_type(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.isoformat()  # Excel has no time zones
    return value


def _widths(t: Table) -> list[tuple[str, float]]:
    """Column widths from the header and the first rows: readable, at most 60 characters."""
    from openpyxl.utils import get_column_letter
    out = []
    for i, name in enumerate(t.columns):
        longest = max([len(name)] + [len(_text(r[i])) for r in t.rows[:200]])
        out.append((get_column_letter(i + 1), float(min(60, max(8, longest + 2)))))
    return out
