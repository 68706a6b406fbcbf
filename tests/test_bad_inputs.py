"""Bad sources (issue 7): one row per file of tests/data/bad/, each with its expected outcome —
an InputError naming the file and the problem, or the text it decodes to."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from badinputs import (BAD, CP1258_TEXT, FRENCH, NFD_TEXT, TCVN3_TEXT, UNICODE_TEXT, VNI_TEXT, files)
from kg.cli import main
from kg.errors import InputError
from kg.read import MAX_BYTES, decode_as, find_sources, read_source
from kg.text import normalise

# file, outcome ("error" or the decoding's name), error substring or exact decoded text,
# the file the error must name (the source itself unless a sidecar is at fault)
ROWS = [
    ("empty.txt", "error", "empty file", None),
    ("blank.txt", "error", "empty file", None),
    ("photo.txt", "error", "binary file (a PNG image)", None),
    ("controls.txt", "error", "binary or corrupt (16 control characters", None),
    ("utf8_bad_byte.txt", "error", "not UTF-8 (invalid byte 0xff at offset 98) and not convincingly Vietnamese "
                                   "in a legacy encoding: no legacy encoding defines all its bytes "
                                   "(Windows-1258: bytes it does not define;", None),
    ("utf16le_truncated.txt", "error", "looks like UTF-16-LE without a byte-order mark but is not valid", None),
    ("vni_too_short.txt", "error", "too few non-ASCII words (2, fewer than 3) to tell the encodings apart", None),
    ("latin1_german.txt", "error", "not convincingly Vietnamese in a legacy encoding: no decoding has 90% of its "
                                   "non-ASCII words spelled as Vietnamese syllables (Windows-1258: 0 of 7", None),
    ("page_html.txt", "error", "no article text found", None),  # a page saved as .txt is read as a page
    ("furniture.txt", "error", "no text after removing page furniture", None),
    ("sidecar_not_json.txt", "error", "sidecar is not valid JSON", "sidecar_not_json.meta.json"),
    ("sidecar_array.txt", "error", "sidecar must be a JSON object, not list", "sidecar_array.meta.json"),
    ("sidecar_number.txt", "error", "sidecar key 'title' must be a string, not int", "sidecar_number.meta.json"),
    ("sidecar_feb31_dmy.txt", "error", "'31/02/2024' is not a real date (day is out of range for month)",
     "sidecar_feb31_dmy.meta.json"),
    ("sidecar_feb31_iso.txt", "error", "'2024-02-31' is not a real date", "sidecar_feb31_iso.meta.json"),
    ("sidecar_words.txt", "error", "is not a date; write YYYY-MM-DD or DD/MM/YYYY", "sidecar_words.meta.json"),
    ("utf8_bom.txt", "UTF-8", UNICODE_TEXT, None),
    ("utf16le_bom.txt", "UTF-16", UNICODE_TEXT, None),
    ("utf16be_bom.txt", "UTF-16", UNICODE_TEXT, None),
    ("utf16le_nobom.txt", "UTF-16-LE", UNICODE_TEXT, None),
    ("utf16be_nobom.txt", "UTF-16-BE", UNICODE_TEXT, None),
    ("cp1258.txt", "Windows-1258", CP1258_TEXT, None),
    ("tcvn3.txt", "TCVN3 (ABC)", TCVN3_TEXT, None),
    ("vni.txt", "VNI-Windows", VNI_TEXT, None),
    ("nfd.txt", "UTF-8", NFD_TEXT, None),
    ("vni_as_utf8.txt", "VNI-Windows stored as UTF-8", VNI_TEXT, None),
    ("tcvn3_as_utf8.txt", "TCVN3 (ABC) stored as UTF-8", TCVN3_TEXT, None),
    ("french_utf8.txt", "UTF-8", FRENCH, None),
]


@pytest.mark.parametrize("name,outcome,expected,names", ROWS, ids=[r[0] for r in ROWS])
def test_bad_input(name, outcome, expected, names):
    path = BAD / name
    if outcome == "error":
        with pytest.raises(InputError) as err:
            read_source(path)
        assert expected in err.value.problem
        assert str(path.with_name(names or name)) in str(err.value)
    else:
        assert read_source(path).text == expected
        assert decode_as(path.read_bytes(), path)[1] == outcome


def test_every_file_has_a_row_and_is_what_the_generator_makes():
    made = files()
    on_disk = {p.name: p.read_bytes() for p in BAD.iterdir()}
    assert on_disk == made
    sources = {n for n in made if n.endswith(".txt")}
    assert sources == {r[0] for r in ROWS} | {"sidecar_dmy_ok.txt"}
    assert all(len(b) <= 400 for b in made.values())


def test_nfd_source_keeps_its_original_and_normalises_to_nfc():
    src = read_source(BAD / "nfd.txt")
    assert src.text == NFD_TEXT  # offsets index the text as decoded
    assert normalise(src.text).text == unicodedata.normalize("NFC", NFD_TEXT).strip()


def test_day_first_sidecar_date_is_read():
    src = read_source(BAD / "sidecar_dmy_ok.txt")
    assert src.meta.published == dt.date(2024, 7, 16)
    assert src.meta.province == "Bắc Giang"


# --- files made in tmp_path: too big to commit, or not files at all -----------------------

def test_fifty_megabytes_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: no 50 MB written to disk
    tracemalloc.start()
    with pytest.raises(InputError) as err:
        read_source(huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert f"52,428,800 bytes (50.0 MiB) is over the limit of {MAX_BYTES:,} bytes" in err.value.problem
    assert str(huge) in str(err.value)
    assert peak < 2**20


def test_size_limit_is_a_setting(tmp_path, monkeypatch):
    src = tmp_path / "a.txt"
    src.write_text(UNICODE_TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit of 100 bytes"):
        read_source(src, {"max_source_bytes": 100})
    monkeypatch.setenv("KG_MAX_SOURCE_BYTES", "120")
    with pytest.raises(InputError, match="over the limit of 120 bytes"):
        read_source(src)
    monkeypatch.setenv("KG_MAX_SOURCE_BYTES", "1000")
    assert read_source(src).text == UNICODE_TEXT


def test_huge_sidecar_refused(tmp_path):
    (tmp_path / "a.txt").write_text(UNICODE_TEXT, encoding="utf-8")
    with (tmp_path / "a.meta.json").open("wb") as f:
        f.truncate(2 * 2**20)
    with pytest.raises(InputError, match=r"a\.meta\.json: 2,097,152 bytes \(2\.0 MiB\) is over the limit of "
                                         r"1,048,576 bytes for one sidecar$"):
        read_source(tmp_path / "a.txt")


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no_such.txt"


def _empty_dir(tmp_path: Path) -> Path:
    (tmp_path / "notes.md").write_text("not a source", encoding="utf-8")
    return tmp_path


def _dir_named_txt(tmp_path: Path) -> Path:
    (tmp_path / "folder.txt").mkdir()
    return tmp_path / "folder.txt"


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe.txt")
    return tmp_path / "pipe.txt"


def _bad_name(tmp_path: Path) -> Path:
    raw = os.fsencode(tmp_path) + b"/t\xe0i-li\xeau.txt"  # a Latin-1 file name
    with open(raw, "wb") as f:
        f.write(UNICODE_TEXT.encode("utf-8"))
    return Path(os.fsdecode(raw))


PATH_ROWS = [
    ("missing-path", _missing, "no such file or directory", True),
    ("folder-without-sources", _empty_dir, "folder holds no sources", True),
    ("missing-file-read", _missing, "no such file", False),
    ("folder-named-txt", _dir_named_txt, "a folder, not a source file", False),
    ("fifo", _fifo, "not a regular file, not a source file", False),
    ("latin1-file-name", _bad_name, "file name is not valid UTF-8", False),
]


@pytest.mark.parametrize("make,expected,via_find", [r[1:] for r in PATH_ROWS], ids=[r[0] for r in PATH_ROWS])
def test_bad_path(tmp_path, make, expected, via_find):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        find_sources([path]) if via_find else read_source(path)
    assert expected in err.value.problem
    assert str(path) in str(err.value)


# --- the CLI: exit code 2, one line on stderr naming the file, no output ------------------

CLI_ROWS = ["empty.txt", "photo.txt", "latin1_german.txt", "furniture.txt", "sidecar_feb31_dmy.txt"]


@pytest.mark.parametrize("name", CLI_ROWS, ids=CLI_ROWS)
def test_cli_refuses_bad_source(name, tmp_path, capsys):
    out = tmp_path / "kg.trig"
    assert main(["build", str(BAD / name), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kg build: ")
    assert name.removesuffix(".txt") in err
    assert not out.exists()


def test_cli_refuses_missing_path(tmp_path, capsys):
    out = tmp_path / "kg.trig"
    assert main(["build", str(tmp_path / "nowhere"), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"kg build: {tmp_path / 'nowhere'}: no such file or directory\n"
    assert not out.exists()


@pytest.mark.slow
def test_cli_builds_a_legacy_source(tmp_path, capsys):
    out = tmp_path / "kg.trig"
    assert main(["build", str(BAD / "tcvn3.txt"), "-o", str(out), "--no-reason"]) == 0
    assert "Tỉnh ủy" in out.read_text(encoding="utf-8")


KEEP_GOING = [("empty.txt", "empty file"), ("photo.txt", "binary file (a PNG image)"),
              ("sidecar_feb31_dmy.txt", "is not a real date")]


@pytest.mark.parametrize("name,problem", KEEP_GOING, ids=[k[0] for k in KEEP_GOING])
def test_cli_keep_going_warns_and_builds_the_rest(name, problem, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in BAD.glob(name.removesuffix(".txt") + ".*"):
        shutil.copy(f, folder)
    (folder / "good.txt").write_text(UNICODE_TEXT, encoding="utf-8")
    out = tmp_path / "kg.trig"
    assert main(["build", "--keep-going", "--no-reason", str(folder), "-o", str(out)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and name in warnings[0] and problem in warnings[0]
    trig = out.read_text(encoding="utf-8")
    assert "good.txt" in trig and name not in trig
