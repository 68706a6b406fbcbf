"""The real development articles (tests/realdev): each batch keeps at least the score it reached.

The texts are third-party and not in git; a batch whose texts are not all here (restored by
tests/realdev/restore.py, hashes checked) is skipped, so the suite stays green without them.
Floors are the scores measured at the end of the development the batches prompted, less a
small margin; batches 3, 7 and 9 were held back in turn as the estimate and are scored here like the
others (batch 9 at its first contact: no fix it would prompt has been made).
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.evaluate import evaluate, load_golds
from kg.export import load
from kg.extract import gazetteer as gz
from kg.pipeline import build
from kg.text import fold, normalise

from vn_units import verified_qids

REALDEV = Path(__file__).resolve().parent / "realdev"
FLOORS = {"batch1": 0.95, "batch2": 0.95, "batch3": 0.75, "batch4": 0.94, "batch5": 0.94, "batch6": 0.96,
          "batch7": 0.95, "batch8": 0.96, "batch9": 0.89}
# must_not pairs the gold of one article sets against a post another article of the batch states
# at another time (a secretary of a province merged in 2025; see tests/realdev/README.md)
MUST_NOT = {"batch1": 1, "batch2": 1}


def texts_here(batch: Path) -> bool:
    with (batch / "sources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return bool(rows) and all((batch / r["file"]).is_file() and
                              hashlib.sha256((batch / r["file"]).read_bytes()).hexdigest() == r["sha256"] for r in rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each batch built once for the tests of this module: name → the loaded dataset."""
    cache: dict[str, object] = {}

    def get(name: str):
        batch = REALDEV / name
        if not batch.is_dir() or not texts_here(batch):
            pytest.skip(f"the texts of tests/realdev/{name} are not here (tests/realdev/restore.py restores them)")
        if name not in cache:
            out = tmp_path_factory.mktemp(name) / "kg.trig"
            build([batch], out, log=lambda line: None)
            cache[name] = load(out)
        return cache[name]
    return get


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_batch_keeps_its_score(name, built):
    scores = evaluate(built(name), load_golds([REALDEV / name]))
    assert scores.must_not <= MUST_NOT.get(name, 0), scores.must_not_list
    assert scores.overall >= FLOORS[name], scores


VNKG, WD = "https://w3id.org/vnkg/ontology#", "http://www.wikidata.org/entity/"


def _names(text: str, province) -> bool:
    folded = f" {fold(normalise(text).text)} "
    return any(re.search(rf"(?<![a-z0-9]){re.escape(fold(s))}(?![a-z0-9])", folded) for s in (province.name, *province.aliases))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_province_an_article_names_is_linked(name, built):
    """Issue 14: the province a sidecar table gives and the text names is linked to its verified
    QID — as a place of the article's graph, or as the jurisdiction of a body in it — and no
    link of the batch contradicts the table."""
    ds, qids = built(name), verified_qids()
    same = {s: str(o)[len(WD):] for s, o in ds.graph(URIRef("https://w3id.org/vnkg/graph/links")).subject_objects(OWL.sameAs)}
    missed, named = [], 0
    with (REALDEV / name / "sources.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            province = gz.province_by_fold(row["province"]) if row["province"].strip() else None
            if province is None or not _names((REALDEV / name / row["file"]).read_text(encoding="utf-8"), province):
                continue
            named += 1
            g, want = ds.graph(URIRef(f"https://w3id.org/vnkg/graph/source/{row['file']}")), qids[province.name]
            places = [s for s in g.subjects(RDF.type, URIRef(VNKG + "Place")) if same.get(s) == want]
            bodies = [b for b, place in g.subject_objects(URIRef(VNKG + "jurisdiction")) if same.get(place) == want]
            if not places and not bodies:
                missed.append((row["file"], province.name))
    assert named and not missed, f"{len(missed)} of {named} not linked: {missed}"
    wrong = []
    for subject, qid in same.items():
        if qid not in set(qids.values()):
            continue
        label = str(next((o for _, _, o, _ in ds.quads((subject, RDFS.label, None, None))), ""))
        province = gz.province_by_fold(re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", label, flags=re.I))
        city_of_a_province = re.match(r"(?i)(?:thành phố|tp\.?)\s", label) and province is not None and province.kind == "tỉnh"
        if province is None or city_of_a_province or qids.get(province.name) != qid:
            wrong.append((label, qid))
    assert not wrong, wrong
