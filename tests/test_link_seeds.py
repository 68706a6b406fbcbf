"""On the seeds, offline: every verified item that names an entity is linked, no link is wrong,
and the links graph is what the graph stage writes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib.namespace import OWL

from kg.ids import mint
from kg.link import link
from kg.link.match import name_key
from kg.link.rdf import links_graph
from kg.link.table import SHIPPED_TABLE
from kg.pipeline import extract_all

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"
BASE = "https://w3id.org/vnkg/id/"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    extractions = extract_all([ROOT / "seeds"])
    result = link(extractions, tables=[SHIPPED_TABLE], cache_dir=tmp_path_factory.mktemp("cache"))
    return extractions, result


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    if not GOLD.is_file():
        pytest.skip("../shared/gold/seeds.json is not here")
    return json.loads(GOLD.read_text(encoding="utf-8"))["wikidata"]


def entity_names(extractions) -> dict[tuple, set[str]]:
    names: dict[tuple, set[str]] = {}
    for x in extractions:
        for e in x.entities:
            names.setdefault(e.key, set()).update(name_key(n) for n in (e.label, *e.alt_labels))
    return names


def test_every_verified_item_naming_an_entity_is_linked(seeds, gold):
    extractions, result = seeds
    linked = {l.key: l.qid for l in result.links}
    named = [(key, item["qid"]) for key, names in entity_names(extractions).items() for item in gold
             if names & {name_key(label) for label in item["labels"]}]
    assert named, "the seeds name none of the verified items: the extractor changed"
    # an item goes to one entity: where two bear its names (the place "Việt Nam" and the State,
    # "Nước Cộng hòa xã hội chủ nghĩa Việt Nam", body of the Chủ tịch nước's post) one of them has it
    assert [(key, qid) for key, qid in named if qid not in {linked.get(k) for k, q in named if q == qid}] == []


def test_no_link_contradicts_the_verified_list(seeds, gold):
    extractions, result = seeds
    names = entity_names(extractions)
    qid_of = {name_key(label): item["qid"] for item in gold for label in item["labels"]}
    wrong = [(l.key, l.qid) for l in result.links for n in names[l.key] if qid_of.get(n, l.qid) != l.qid]
    assert wrong == []
    assert len({l.qid for l in result.links}) == len(result.links)


def test_the_links_graph_of_the_seeds(seeds):
    _, result = seeds
    graph = links_graph(result, lambda key: mint(key, BASE), base=BASE)
    assert len(list(graph.triples((None, OWL.sameAs, None)))) == len(result.links) > 0


DEVSET = sorted(p for p in (ROOT / "tests" / "devset").glob("*.gold.json")
                if json.loads(p.read_text(encoding="utf-8")).get("wikidata"))


@pytest.mark.parametrize("gold_path", DEVSET, ids=[p.name.split("_")[0] for p in DEVSET])
def test_devset_links_agree_with_its_gold(gold_path, tmp_path):
    source = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
    extractions = extract_all([source])
    result = link(extractions, tables=[SHIPPED_TABLE], cache_dir=tmp_path)
    items = json.loads(gold_path.read_text(encoding="utf-8"))["wikidata"]
    names = entity_names(extractions)
    linked = {l.key: l.qid for l in result.links}
    qid_of = {name_key(label): item["qid"] for item in items for label in item["labels"]}
    assert [(k, q) for k, q in linked.items() for n in names[k] if qid_of.get(n, q) != q] == []
    # an item goes to one entity: the country's item to the place "Việt Nam" rather than to the State
    # ("Nước Cộng hòa xã hội chủ nghĩa Việt Nam", the body of the Chủ tịch nước's post), which the gold names too
    named = {(k, qid_of[n]) for k, ns in names.items() for n in ns if n in qid_of}
    missed = [(k, q) for k, q in named if q not in {linked.get(key) for key, qid in named if qid == q}]
    assert missed == []
