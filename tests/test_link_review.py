"""The review queue: what the linker could not decide, most frequent first, in the columns
docs/linking.md documents, printed or written by `kg link --review`, and the accept round trip
from a reviewed file back into `kg link` and later builds. Invented texts, no real person."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.cli import main
from kg.export import load
from kg.link import link
from kg.link.review import COLUMNS
from kg.link.table import SHIPPED_TABLE
from kg.pipeline import build, extract_all

DOCS = Path(__file__).resolve().parents[1] / "docs" / "linking.md"
LINKS = URIRef("https://w3id.org/vnkg/graph/links")
GOVERNMENT, MINISTRY = "Q5589338", "Q6867197"  # one public file each: review only
ARTICLES = {
    "c": ("Chính phủ họp phiên thường kỳ\n\nNgày 3/7/2024, Chính phủ họp phiên thường kỳ tháng 6. Bộ Công Thương báo cáo "
          "tình hình sản xuất.\n", "2024-07-04"),
    "d": ("Chính phủ chỉ đạo\n\nNgày 5/7/2024, Chính phủ ban hành nghị quyết về phát triển kinh tế.\n", "2024-07-06"),
    "e": ("Chính phủ làm việc\n\nNgày 8/7/2024, Chính phủ làm việc với các địa phương.\n", "2024-07-09"),
}


@pytest.fixture
def sources(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (text, day) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text(json.dumps({"published": day}), encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KG_LINK_TABLE", str(tmp_path / "local.json"))
    return folder


def read_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_queue_lists_what_was_not_decided_most_frequent_first(sources, tmp_path):
    review = tmp_path / "review.csv"
    result = link(extract_all([sources]), tables=[SHIPPED_TABLE], cache_dir=tmp_path, review=review)
    rows = read_rows(review.read_text(encoding="utf-8"))
    assert [(r["label"], r["mentions"], r["qid"], r["status"]) for r in rows] == [
        ("Chính phủ", "3", GOVERNMENT, "unverified"), ("Bộ Công Thương", "1", MINISTRY, "unverified")]
    assert {l.qid for l in result.links}.isdisjoint({GOVERNMENT, MINISTRY})  # one file is not enough
    assert "only 1 independent file(s) ties" in rows[0]["reasons"] and rows[0]["iri"].startswith("https://w3id.org/")


def documented(section: str) -> list[str]:
    """The first column of each row of the tables in one section of docs/linking.md."""
    text = DOCS.read_text(encoding="utf-8").split(f"## {section}")[1].split("\n## ")[0]
    return re.findall(r"^\| `([a-z_]+)` \|", text, re.M)


def test_the_columns_and_statuses_are_documented():
    names = documented("The review queue")
    assert tuple(names[:len(COLUMNS)]) == COLUMNS
    assert set(names[len(COLUMNS):]) == {"ambiguous", "weak", "conflict", "unverified", "unconfirmed"}


def test_kg_link_review_dash_prints_the_queue(sources, tmp_path, capsys):
    build([sources], tmp_path / "kg.trig", log=lambda line: None)
    assert main(["link", "-g", str(tmp_path / "kg.trig"), "--review", "-"]) == 0
    out, err = capsys.readouterr()
    rows = read_rows(out)
    assert tuple(rows[0]) == COLUMNS and [r["label"] for r in rows] == ["Chính phủ", "Bộ Công Thương"]
    assert "2 rows to review" in err


def mark(review: Path, qid: str) -> Path:
    rows = read_rows(review.read_text(encoding="utf-8"))
    for row in rows:
        row["accept"] = "x" if row["qid"] == qid else ""
    out = review.with_name("reviewed.csv")
    with out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return out


def sameas(trig: Path, qid: str) -> list[URIRef]:
    return list(load(trig).graph(LINKS).subjects(OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{qid}")))


def test_accepting_links_the_file_and_every_later_build(sources, tmp_path):
    trig = tmp_path / "kg.trig"
    build([sources], trig, log=lambda line: None)
    assert sameas(trig, GOVERNMENT) == []
    assert main(["link", "-g", str(trig), "--review", str(tmp_path / "review.csv")]) == 0
    reviewed = mark(tmp_path / "review.csv", GOVERNMENT)
    assert main(["link", "-g", str(trig), "--accept", str(reviewed)]) == 0
    government, = sameas(trig, GOVERNMENT)
    assert sameas(trig, MINISTRY) == []
    rebuilt = tmp_path / "again.trig"
    build([sources], rebuilt, log=lambda line: None)  # `kg build` knows the body by key; the table by IRI too
    assert sameas(rebuilt, GOVERNMENT) == [government]
    links = load(rebuilt).graph(LINKS)
    node, = links.subjects(RDF.object, URIRef(f"http://www.wikidata.org/entity/{GOVERNMENT}"))
    assert any(str(c).startswith("accepted in reviewed.csv") for c in links.objects(node, RDFS.comment))
