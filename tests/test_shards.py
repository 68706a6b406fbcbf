"""Sharded extraction: `kg extract --shard I/N` on many processes, then `kg build DIR`, gives the
bytes of a direct `kg build` — in process, and through GNU parallel — and every way a shard folder
can be incomplete, stale or doubled is refused with a line saying which."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scale_support import ROOT, write_corpus
from kg.cli import main as kg_main, parser as kg_parser
from kg.errors import KgError
from kg.pipeline import build
from kg.shard import manifest_path, record_path, shard_of
from kg.shard.cli import main as extract_main
from kg.shard.load import load_shards, split_inputs

SEEDS = ROOT / "seeds"
QUIET = lambda line: None  # noqa: E731
BESIDE = ("kg.trig", "kg.trig.people.db", "kg.trig.sources.jsonl")  # what a build writes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("src") / "corpus"
    write_corpus(60, folder, seed=13)
    return folder


@pytest.fixture(scope="module")
def direct(corpus, tmp_path_factory) -> Path:
    """A direct build of the generated corpus and the seeds (its cache serves the runs below)."""
    out = tmp_path_factory.mktemp("direct") / "kg.trig"
    build([corpus, SEEDS], out, log=QUIET)
    return out


@pytest.fixture(scope="module")
def shards(corpus, tmp_path_factory) -> Path:
    """Three shards made in process, with no cache: every source really extracted."""
    folder = tmp_path_factory.mktemp("shards") / "S"
    for i in (1, 2, 3):
        assert extract_main([str(corpus), str(SEEDS), "-o", str(folder), "--shard", f"{i}/3", "--jobs", "1"]) == 0
    return folder


def _build(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = kg_main(["build", *args])
    return code, capsys.readouterr().err


def _same_files(a: Path, b: Path) -> None:
    for name in BESIDE:
        assert (a.parent / name).read_bytes() == (b.parent / name).read_bytes(), name


def _copy(shards: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(shards, tmp_path / "S"))


# --- (a) in process ------------------------------------------------------------------------

@pytest.mark.slow
def test_three_shards_build_the_bytes_of_a_direct_build(shards, direct, tmp_path, capsys):
    out = tmp_path / "out" / "kg.trig"
    code, err = _build(capsys, str(shards), "-o", str(out))
    assert code == 0, err
    assert f"shards: 3 in {shards}, 65 sources" in err
    _same_files(out, direct)


@pytest.mark.slow
def test_manifests_share_the_sources_by_the_rule(shards, corpus):
    manifests = [json.loads(manifest_path(shards, i, 3).read_text(encoding="utf-8")) for i in (1, 2, 3)]
    names = [n for m in manifests for n in m["sources"]]
    expected = sorted([p.name for p in corpus.glob("*.txt")] + [p.name for p in SEEDS.glob("*.txt")])
    assert sorted(names) == expected  # each source once
    for i, m in enumerate(manifests, 1):
        assert all(shard_of(n, 3) == i for n in m["sources"]) and m["skipped"] == []
        assert m["counts"]["sources"] == len(m["sources"]) and m["inputs"]["sources"] == 65
    assert len({m["extractor"] for m in manifests}) == 1
    name = sorted(p.name for p in corpus.glob("*.txt"))[0]
    record = json.loads(record_path(shards, name).read_text(encoding="utf-8"))
    assert record["name"] == name and record["source"]["text"] == (corpus / name).read_text(encoding="utf-8")


RULE = [("000_211ce3051446685c.txt", (1, 1, 2, 5)), ("a/001.txt", (1, 2, 1, 6)), ("tin-a.html", (1, 1, 2, 1))]


@pytest.mark.parametrize("name, shards", RULE, ids=[r[0] for r in RULE])
def test_the_shard_rule_is_stable(name, shards):
    """int(sha256(name)[:8], 16) % N + 1, as docs/cluster.md says; shards made by another release must agree."""
    assert tuple(shard_of(name, n) for n in (1, 2, 3, 8)) == shards


@pytest.mark.slow
def test_shards_beside_sources_build_as_one(corpus, direct, tmp_path, capsys):
    """A shard folder of the corpus and the seeds' folder given as sources: no name in common."""
    folder = tmp_path / "C"
    cache = direct.parent / ".vnkg-cache"
    for i in (1, 2):
        assert extract_main([str(corpus), "-o", str(folder), "--shard", f"{i}/2", "--cache", str(cache)]) == 0
    out = tmp_path / "out" / "kg.trig"
    code, err = _build(capsys, str(folder), str(SEEDS), "-o", str(out))
    assert code == 0, err
    _same_files(out, direct)


@pytest.mark.slow
def test_a_run_may_be_spread_over_folders(corpus, direct, tmp_path):
    """One folder per shard, as `parallel --return` brings them back from machines without a shared disk."""
    cache = direct.parent / ".vnkg-cache"
    folders = [tmp_path / "P" / str(i) for i in (1, 2, 3)]
    for i, folder in enumerate(folders, 1):
        assert extract_main([str(corpus), str(SEEDS), "-o", str(folder), "--shard", f"{i}/3", "--cache", str(cache),
                             "--jobs", "1"]) == 0
    loaded = load_shards(folders)
    expected = sorted(p.name for p in [*corpus.glob("*.txt"), *SEEDS.glob("*.txt")])
    assert sorted(name for name, _, _ in loaded) == expected
    with pytest.raises(KgError, match=f"shard 2 of 3 missing in {folders[0]}, {folders[2]};"):
        load_shards([folders[0], folders[2]])


PAGES = ROOT / "tests" / "pages"
DOCUMENTS = [PAGES / "html" / "001_quangnam_hoi_nghi_lan_thu_muoi.html",
             PAGES / "pdf" / "004_kontum_thuong_truc_ban_bi_thu_lam_viec.pdf",
             PAGES / "docx" / "002_binhdinh_dai_hoi_xx.docx", PAGES / "html" / "002_binhdinh_dai_hoi_xx.html",
             PAGES / "mhtml" / "005_thaibinh_hdnd_ky_hop_thu_4.mhtml"]  # the article of 002 twice: read once


@pytest.mark.slow
def test_pages_and_documents_travel_with_their_text(tmp_path, capsys):
    """Their records keep the text read and the metadata the files gave (no reader runs at build time);
    one article as a page and as a Word file is read once, as in a direct build."""
    direct, out, folder = tmp_path / "d" / "kg.trig", tmp_path / "s" / "kg.trig", tmp_path / "S"
    paths = [str(p) for p in DOCUMENTS]
    assert _build(capsys, *paths, "-o", str(direct))[0] == 0
    for i in (1, 2):
        assert extract_main([*paths, "-o", str(folder), "--shard", f"{i}/2", "--jobs", "1"]) == 0
    code, err = _build(capsys, str(folder), "-o", str(out))
    assert code == 0 and "duplicate: " in err, err
    _same_files(out, direct)
    texts = sorted(p.name for p in (direct.parent / "kg.trig.texts").iterdir())
    assert len(texts) == 4 and texts == sorted(p.name for p in (out.parent / "kg.trig.texts").iterdir())
    for name in texts:
        kept = [p.parent / "kg.trig.texts" / name for p in (out, direct)]
        assert kept[0].read_bytes() == kept[1].read_bytes(), name


def test_kg_extract_is_a_command_of_kg(tmp_path):
    commands = next(a for a in kg_parser()._actions if a.dest == "command").choices
    if "extract" not in commands:
        pytest.skip("kg/cli.py does not declare `kg extract` yet (kg/shard/cli.py add_parser)")
    assert kg_main(["extract", str(SEEDS), "-o", str(tmp_path / "S"), "--jobs", "1"]) == 0
    assert (tmp_path / "S" / "shard-1-of-1.json").is_file()


# --- (b) GNU parallel ----------------------------------------------------------------------

def _gnu_parallel() -> bool:
    """Whether `parallel` is GNU parallel (moreutils' `parallel` is another program)."""
    if shutil.which("parallel") is None:
        return False
    version = subprocess.run(["parallel", "--version"], capture_output=True, text=True, timeout=30)
    return version.stdout.startswith("GNU parallel")


@pytest.mark.slow
def test_gnu_parallel_runs_the_shards(corpus, direct, tmp_path):
    if not _gnu_parallel():
        pytest.skip("GNU parallel is not installed (`make test` installs Debian's package `parallel`)")
    folder, out = tmp_path / "P", tmp_path / "out" / "kg.trig"
    cache = direct.parent / ".vnkg-cache"  # filled by the direct build: this test is about the plumbing
    env = {**os.environ, "CI": "true"}
    extract = [sys.executable, "-m", "kg.shard.cli", str(corpus), str(SEEDS), "-o", str(folder), "--jobs", "1",
               "--cache", str(cache), "--shard", "{}/3"]
    ran = subprocess.run(["parallel", "--will-cite", "--halt", "now,fail=1", *extract, ":::", "1", "2", "3"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert ran.returncode == 0, ran.stderr
    assert sorted(line.split(":")[1] for line in ran.stderr.splitlines() if line.startswith("extract:")) == \
        [" shard 1 of 3", " shard 2 of 3", " shard 3 of 3"]
    kg = Path(sys.executable).with_name("kg")
    built = subprocess.run([str(kg), "build", str(folder), "-o", str(out)], capture_output=True, text=True, env=env,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    _same_files(out, direct)


# --- (c) refused ---------------------------------------------------------------------------

def _drop_shard(folder: Path, corpus: Path) -> str:
    manifest_path(folder, 2, 3).unlink()
    return f"shard 2 of 3 missing in {folder}"


def _other_extractor(folder: Path, corpus: Path) -> str:
    path = manifest_path(folder, 2, 3)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "extractor": "0" * 64}), encoding="utf-8")
    return f"{path} was made by another version of the extractor; run kg extract again"


def _record_of_other_extractor(folder: Path, corpus: Path) -> str:
    name = json.loads(manifest_path(folder, 1, 3).read_text(encoding="utf-8"))["sources"][0]
    path = record_path(folder, name)
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "extractor": "0" * 64}), "utf-8")
    return f"{path} (the record of {name}) was made by another version of the extractor"


def _record_lost(folder: Path, corpus: Path) -> str:
    name = json.loads(manifest_path(folder, 3, 3).read_text(encoding="utf-8"))["sources"][-1]
    record_path(folder, name).unlink()
    return f"the record of {name} in shard-3-of-3.json, cannot be read"


def _two_runs(folder: Path, corpus: Path) -> str:
    assert extract_main([str(SEEDS), "-o", str(folder), "--shard", "1/2", "--jobs", "1"]) == 0
    return f"{folder} holds the shards of 2 `kg extract` runs"


BROKEN = [("missing shard", _drop_shard), ("another extractor", _other_extractor),
          ("a record by another extractor", _record_of_other_extractor), ("a record lost", _record_lost),
          ("two runs in one folder", _two_runs)]


@pytest.mark.slow
@pytest.mark.parametrize("break_it", [b[1] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_shard_folder_is_refused(break_it, shards, corpus, tmp_path, capsys):
    folder = _copy(shards, tmp_path)
    message = break_it(folder, corpus)
    out = tmp_path / "out" / "kg.trig"
    code, err = _build(capsys, str(folder), "-o", str(out))
    assert code == 2 and message in err, err
    assert not out.exists()


@pytest.mark.slow
def test_a_source_in_a_shard_folder_and_given_again_is_refused(shards, corpus, tmp_path, capsys):
    """Refused, not deduplicated: a shard's names were fixed by kg extract over its own inputs,
    so the build can neither re-derive them over the combined list nor tell which file a name means."""
    again = sorted(corpus.glob("*.txt"))[0]
    code, err = _build(capsys, str(shards), str(again), "-o", str(tmp_path / "kg.trig"))
    assert code == 2, err
    assert f"source {again.name} is given twice: in shard folder {shards} and in source {again}" in err


@pytest.mark.slow
def test_a_shard_folder_given_twice_is_read_once(shards, corpus):
    """As a folder of sources given twice is read once (kg.read.find_inputs)."""
    folders, others = split_inputs([shards, corpus, shards.parent / ".." / shards.parent.name / shards.name])
    assert (folders, others) == ([shards], [corpus])
    assert len(load_shards(folders)) == 65


BAD_SHARDS = [("0/3", "shards are numbered 1 to 3"), ("4/3", "shards are numbered 1 to 3"),
              ("3", "as I/N"), ("1/0", "as I/N"), ("a/b", "as I/N")]


@pytest.mark.parametrize("shard, message", BAD_SHARDS, ids=[b[0] for b in BAD_SHARDS])
def test_a_shard_out_of_range_is_a_usage_error(shard, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        extract_main([str(SEEDS), "-o", str(tmp_path / "S"), "--shard", shard])
    assert stop.value.code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "S").exists()


def test_the_source_folder_is_not_a_shard_folder(tmp_path, capsys):
    write_corpus(2, tmp_path / "src", seed=3)
    assert extract_main([str(tmp_path / "src"), "-o", str(tmp_path / "src")]) == 2
    assert "is one of the source folders" in capsys.readouterr().err


# --- unreadable sources ---------------------------------------------------------------------

@pytest.fixture
def with_bad(tmp_path) -> Path:
    folder = tmp_path / "src"
    write_corpus(4, folder, seed=7)
    (folder / "002_empty.txt").write_bytes(b"")
    return folder


def test_an_unreadable_source_stops_a_shard_without_keep_going(with_bad, tmp_path, capsys):
    folder = tmp_path / "S"
    codes = [extract_main([str(with_bad), "-o", str(folder), "--shard", f"{i}/2", "--jobs", "1"]) for i in (1, 2)]
    bad = shard_of("002_empty.txt", 2)
    assert codes[bad - 1] == 2 and codes[2 - bad] == 0
    assert f"{with_bad / '002_empty.txt'}: " in capsys.readouterr().err
    assert not manifest_path(folder, bad, 2).exists()


@pytest.mark.slow
def test_unreadable_sources_are_listed_and_reported_as_a_build_would(with_bad, tmp_path, capsys):
    folder, direct, out = tmp_path / "S", tmp_path / "d" / "kg.trig", tmp_path / "s" / "kg.trig"
    for i in (1, 2):
        assert extract_main([str(with_bad), "-o", str(folder), "--shard", f"{i}/2", "--keep-going", "--jobs", "1"]) == 0
    listed = [s for i in (1, 2) for s in json.loads(manifest_path(folder, i, 2).read_text("utf-8"))["skipped"]]
    assert [s["name"] for s in listed] == ["002_empty.txt"]
    code, err_direct = _build(capsys, str(with_bad), "-o", str(direct))
    code_shards, err_shards = _build(capsys, str(folder), "-o", str(out))
    assert (code, code_shards) == (2, 2) and err_shards.splitlines()[-1] == err_direct.splitlines()[-1]
    assert _build(capsys, str(with_bad), "--keep-going", "-o", str(direct))[0] == 0
    code, err = _build(capsys, str(folder), "--keep-going", "-o", str(out))
    assert code == 0 and f"warning: skipped {with_bad / '002_empty.txt'}: " in err
    _same_files(out, direct)
