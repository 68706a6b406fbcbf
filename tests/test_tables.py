"""Tables for spreadsheets (kg/tables.py): `kg query -f xlsx`, `-f csv --bom`, `kg export --tables`.

Workbooks are read back with openpyxl: the expected sheets, Vietnamese text intact, dates as
dates, labels beside IRIs, each competency question's row with its evidence. The commands run
in-process through kg.cli, wired as kg/tables.py's argparse additions say."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pytest

import kg
from kg import cli
from kg.toolkit import sheets, tables
from kg.errors import KgError

openpyxl = pytest.importorskip("openpyxl")
ROOT = Path(__file__).resolve().parent.parent
CQS = tables.cq_names()
BOM = b"\xef\xbb\xbf"


def _subparsers(ap: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction)).choices


def kg_main(argv: list[str]) -> int:
    """kg.cli.main, with kg/tables.py's options wired in if kg/cli.py does not have them yet
    (as the lines the module's report gives: add_query_args, add_export_args, and the two
    commands calling query_command and export_command first)."""
    ap = cli.parser()
    commands = _subparsers(ap)
    if "--bom" not in commands["query"]._option_string_actions:
        tables.add_query_args(commands["query"])
        tables.add_export_args(commands["export"])
        commands["query"].set_defaults(run=lambda a: tables.query_command(a) if (
            a.format.lower() == "xlsx" or a.bom or a.output) else cli.cmd_query(a))
        commands["export"].set_defaults(run=lambda a: tables.export_command(a) if a.tables else cli.cmd_export(a))
    args = ap.parse_args(argv)
    try:
        return args.run(args)
    except KgError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code


def sheet_rows(path: Path, sheet: str) -> tuple[tuple, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    width = len(rows[0])  # a row's trailing empty cells are not written
    return rows[0], [tuple(r) + (None,) * (width - len(r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def workbook(seeds_build, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables-xlsx")
    assert kg_main(["export", "-g", str(seeds_build), "--tables", str(folder), "-f", "xlsx"]) == 0
    return folder / "tables.xlsx"


@pytest.fixture(scope="module")
def csv_folder(seeds_build, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables-csv")
    assert kg_main(["export", "-g", str(seeds_build), "--tables", str(folder), "--bom"]) == 0
    return folder


def test_workbook_has_a_sheet_per_question(workbook):
    book = openpyxl.load_workbook(workbook, read_only=True)
    assert book.sheetnames == ["questions", *CQS]
    header, rows = sheet_rows(workbook, "questions")
    assert header == ("table", "question", "rows", "evidence") and [r[0] for r in rows] == CQS
    assert dict((r[0], r[3]) for r in rows)["posts"] is True and dict((r[0], r[3]) for r in rows)["sources"] is False


def test_workbook_rows_have_labels_evidence_and_vietnamese_text(workbook):
    header, rows = sheet_rows(workbook, "posts")
    assert header[:5] == ("person", "person_label", "name", "role", "body")
    assert set(tables.EVIDENCE_COLUMNS) | {"evidence_count"} <= set(header)
    row = dict(zip(header, next(r for r in rows if r[header.index("name")] == "Lê Minh Hưng")))
    assert row["person_label"] == "Lê Minh Hưng" and row["person"].startswith("https://w3id.org/vnkg/id/person/")
    assert row["evidence_source"].endswith(".txt") and "Lê Minh Hưng" in row["evidence_sentence"]
    original = (ROOT / "seeds" / row["evidence_source"]).read_text(encoding="utf-8")
    assert original[row["evidence_start"]:row["evidence_end"]] in row["evidence_sentence"]
    assert row["evidence_rule"] == "person-title" and row["evidence_count"] >= 1


def test_workbook_dates_are_dates(workbook):
    header, rows = sheet_rows(workbook, "sources")
    published = [r[header.index("published")] for r in rows if r[header.index("published")] is not None]
    assert len(published) >= 2 and all(isinstance(d, dt.datetime) for d in published)  # a date cell reads back as datetime


def test_tables_are_every_question_but_those_kg_held_fills_in():
    from kg.config import CQ_DIR
    every = sorted(p.stem for p in CQ_DIR.glob("*.rq"))
    assert sorted(set(every) - set(CQS)) == ["tenure_dates", "tenure_sources"]
    assert set(tables.EVIDENCE) <= set(CQS)


def test_every_answer_of_a_question_is_a_row(seeds_build):
    ds = kg.open(seeds_build)
    for name in CQS:
        plain = ds.query(name)
        shown = {tuple("" if v is None else str(v) for v in row.values()) for row in plain.rows}
        t = tables.cq_table(ds, name)
        own = [t.columns.index(c) for c in plain.columns]
        assert {tuple("" if r[i] is None else str(r[i]) for i in own) for r in t.rows} == shown, name
        assert len(t.rows) == len(shown), name


def test_csv_tables_start_with_a_bom_and_read_as_utf8(csv_folder):
    assert sorted(p.stem for p in csv_folder.glob("*.csv")) == sorted(["questions", *CQS])
    for path in csv_folder.glob("*.csv"):
        assert path.read_bytes().startswith(BOM), path.name
    rows = list(csv.DictReader(io.StringIO((csv_folder / "members.csv").read_text(encoding="utf-8-sig"))))
    assert {"name", "body", "evidence_source", "evidence_sentence"} <= set(rows[0])
    assert any(r["name"] == "Lê Minh Hưng" and r["body"] == "Bộ Chính trị" for r in rows)


def test_query_as_a_workbook(seeds_build, tmp_path, capsys):
    out = tmp_path / "tenures.xlsx"
    assert kg_main(["query", "-g", str(seeds_build), "tenures", "-f", "xlsx", "-o", str(out), "--fresh"]) == 0
    assert f"query: {out}" in capsys.readouterr().err
    header, rows = sheet_rows(out, "tenures")
    assert header[:4] == ("tenure", "tenure_label", "person", "person_label") and len(rows) == 13
    first = [r[header.index("first")] for r in rows if r[header.index("first")] is not None]
    assert first and all(isinstance(d, dt.datetime) for d in first)
    assert {r[header.index("name")] for r in rows} >= {"Lê Minh Hưng", "Đương Văn Thái"}


def test_query_as_csv_with_a_bom(seeds_build, tmp_path):
    out = tmp_path / "members.csv"
    assert kg_main(["query", "-g", str(seeds_build), "members", "-f", "csv", "--bom", "-o", str(out)]) == 0
    data = out.read_bytes()
    plain = tmp_path / "plain.csv"
    assert kg_main(["query", "-g", str(seeds_build), "members", "-f", "csv", "-o", str(plain)]) == 0
    assert data.startswith(BOM) and data[len(BOM):] == plain.read_bytes()
    assert data.decode("utf-8-sig").splitlines()[0] == "name,body"


@pytest.mark.parametrize("argv, message", [
    (["query", "members", "-f", "json", "--bom"], "--bom is for -f csv or -f tsv"),
    (["export", "--tables", "T", "-f", "turtle"], "--tables writes csv or xlsx"),
    (["export", "--tables", "T", "-o", "x.trig"], "-o, --named and --network are other exports"),
    (["export", "--tables", "T", "-f", "xlsx", "--bom"], "--bom is for -f csv"),
], ids=["bom-json", "tables-turtle", "tables-output", "tables-xlsx-bom"])
def test_misuse_is_one_line_and_exit_2(seeds_build, tmp_path, capsys, argv, message):
    argv = [str(tmp_path / a) if a == "T" else a for a in argv]
    assert kg_main([argv[0], "-g", str(seeds_build), *argv[1:]]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_without_openpyxl_the_error_says_how_to_get_it(seeds_build, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert kg_main(["query", "-g", str(seeds_build), "members", "-f", "xlsx", "-o", str(tmp_path / "m.xlsx"),
                    "--fresh"]) == 2
    assert "pip install 'vnkg[xlsx]'" in capsys.readouterr().err


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    t = sheets.Table("t", "", ("a", "b"), [["=HYPERLINK(\"http://x\")", "bad\x07char"], [None, dt.date(2024, 7, 16)]])
    path = tmp_path / "t.xlsx"
    path.write_bytes(sheets.xlsx_bytes([t]))
    cell = openpyxl.load_workbook(path)["t"]["A2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    header, rows = sheet_rows(path, "t")
    assert rows == [('=HYPERLINK("http://x")', "badchar"), (None, dt.datetime(2024, 7, 16))]


def test_dataframe_and_workbook_agree(seeds_build, tmp_path):
    pd = pytest.importorskip("pandas")
    frame = kg.open(seeds_build).query("tenures").to_pandas()
    out = tmp_path / "t.xlsx"
    assert kg_main(["query", "-g", str(seeds_build), "tenures", "-f", "xlsx", "-o", str(out), "--fresh"]) == 0
    header, rows = sheet_rows(out, "tenures")
    assert list(frame.columns) == list(header)
    book = pd.DataFrame(rows, columns=header)
    assert sorted(book["person_label"]) == sorted(frame["person_label"])
