"""The toolkit's command-line options, for `kg query` and `kg export`, apart from the code that
runs them: `kg` builds its whole parser for every command, and `kg add` should not load the
spreadsheet and network writers (about 60 ms) to be told how to add an article."""
from __future__ import annotations

import argparse
from pathlib import Path

KINDS = ("membership", "attendance", "citations")  # the networks `kg export --network` draws


def add_query_args(p: argparse.ArgumentParser) -> None:
    """`kg query`'s options for files and spreadsheets (its -f also takes xlsx)."""
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write the answer to FILE instead of stdout (needed for -f xlsx on a terminal)")
    p.add_argument("--bom", action="store_true",
                   help="with -f csv or tsv: start with a UTF-8 byte order mark, so spreadsheet programs read "
                        "Vietnamese text right")


def add_export_args(p: argparse.ArgumentParser) -> None:
    """`kg export`'s options for tables: --tables DIR (-f xlsx or csv) and --bom."""
    p.add_argument("--tables", type=Path, metavar="DIR",
                   help="write a table per competency question into DIR, with labels beside IRIs and each row's "
                        "evidence (source file, sentence): one workbook tables.xlsx (-f xlsx) or a CSV each "
                        "(-f csv, the default), and an index of them (questions)")
    p.add_argument("--bom", action="store_true", help="with --tables -f csv: start each CSV with a UTF-8 byte order mark")


def add_network_args(p: argparse.ArgumentParser) -> None:
    """`kg export`'s options for networks (its -f and -o name the format and the file)."""
    p.add_argument("--network", choices=KINDS, metavar="KIND",
                   help="write a network instead of RDF, as graphml or gexf (-f, or from -o's suffix): membership "
                        "(people sharing bodies), attendance (people sharing meetings), citations (document → document)")
