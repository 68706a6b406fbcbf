"""The search index kept in the on-disk store's folder (kg/toolkit/search.py `KEPT`): read back
while the store holds the same version of the file and the code that folds and ranks is the same,
made again from the dataset otherwise — and searching as the index made from the dataset does."""
from __future__ import annotations

import json

import pytest

from kg import config
from kg.store import STAMP, open_store
from kg.toolkit import search as search_module
from kg.toolkit.search import KEPT
from server.app import create_app
from server.oxdataset import OxDataset
from server.search import SearchIndex


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("kept") / "kg.trig"
    build([config.PACKAGE_DIR.parent / "seeds"], out, log=lambda line: None, overrides={"store_cache_mb": 0})
    return out


@pytest.fixture
def folder(built, monkeypatch):
    monkeypatch.setenv("KG_STORE_CACHE_MB", "0")
    folder = built.with_name(built.name + ".oxigraph")
    (folder / KEPT).unlink(missing_ok=True)
    return folder


def dataset(built) -> OxDataset:
    return OxDataset(open_store(built, {"store_cache_mb": 0}))


def queries(index) -> list[str]:
    return ["Bí thư", "tinh uy", "nguyen", "hoi nghi", "zzz"] + [e.text for e in index.entries[::7]] + \
        [e.key.split()[-1] for e in index.entries[::11]]


def state(index) -> tuple:
    return (index.entries, index.titles, index.mentions, index._text, index._starts, list(index._order),
            index._sorted_keys, index._by_key, index._words, index._word_counts)


class Reads:
    """Counts the times the labels are read from a dataset."""

    def __init__(self, monkeypatch) -> None:
        self.times, read = 0, search_module._read_labels

        def counted(ds):
            self.times += 1
            return read(ds)
        monkeypatch.setattr(search_module, "_read_labels", counted)


def test_the_server_keeps_its_index_and_reads_it_back_the_same(folder, built, monkeypatch):
    reads = Reads(monkeypatch)
    first = create_app({"GRAPH": str(built)}).extensions["kg"]["search"]
    assert reads.times == 1 and (folder / KEPT).exists()
    again = create_app({"GRAPH": str(built)}).extensions["kg"]["search"]
    assert reads.times == 1  # read back, not from the dataset
    fresh = SearchIndex(dataset(built))  # nothing kept
    assert reads.times == 2
    assert state(again) == state(first) == state(fresh)
    asked = queries(fresh)
    assert [again.search(q, 30) for q in asked] == [fresh.search(q, 30) for q in asked]
    assert sum(len(fresh.search(q, 30)) for q in asked) > 100


def test_a_new_version_of_the_file_is_read_again(folder, built, monkeypatch):
    ds = dataset(built)  # opened first: a store stamped otherwise would be made again on opening
    SearchIndex(ds, folder)
    reads = Reads(monkeypatch)
    stamp = (folder / STAMP).read_text()
    try:  # as `kg add` leaves it: the store holds another version of the file
        (folder / STAMP).write_text(json.dumps({**json.loads(stamp), "size": 1}))
        SearchIndex(ds, folder)
        assert reads.times == 1
        SearchIndex(ds, folder)
        assert reads.times == 1  # kept under the new stamp
    finally:
        (folder / STAMP).write_text(stamp)
    SearchIndex(ds, folder)
    assert reads.times == 2


def test_other_code_is_read_again(folder, built, monkeypatch):
    SearchIndex(dataset(built), folder)
    reads = Reads(monkeypatch)
    monkeypatch.setattr(search_module, "_code_version", lambda: "another folding")
    SearchIndex(dataset(built), folder)
    assert reads.times == 1


@pytest.mark.parametrize("damage", ["cut", "flip", "empty", "garbage", "foreign"])
def test_a_damaged_kept_index_is_read_again_and_kept_anew(folder, built, monkeypatch, damage):
    made = SearchIndex(dataset(built), folder)
    kept = folder / KEPT
    data = kept.read_bytes()
    if damage == "cut":
        kept.write_bytes(data[:len(data) // 2])
    elif damage == "flip":  # a byte of the body changed: its digest no longer matches
        kept.write_bytes(data[:-100] + bytes([data[-100] ^ 1]) + data[-99:])
    elif damage == "empty":
        kept.write_bytes(b"")
    elif damage == "garbage":
        kept.write_bytes(b"\x00\xff" * 1000)
    else:  # a file of the right key and digest, whose body is not an index
        import hashlib
        import marshal
        with open(kept, "rb") as f:
            key = marshal.load(f)
        body = marshal.dumps({"iris": ["x"], "keys": []})
        kept.write_bytes(marshal.dumps(key) + marshal.dumps(hashlib.sha256(body).digest()) + body)
    reads = Reads(monkeypatch)
    again = SearchIndex(dataset(built), folder)
    assert reads.times == 1 and state(again) == state(made)
    assert kept.read_bytes() == data
    SearchIndex(dataset(built), folder)
    assert reads.times == 1


def test_nothing_is_kept_where_it_cannot_be_written_or_the_data_changed_meanwhile(folder, built, monkeypatch):
    def refuse(path, data):
        raise OSError("read-only file system")
    monkeypatch.setattr(search_module, "write_atomic", refuse)
    made = SearchIndex(dataset(built), folder)  # searches all the same
    assert not (folder / KEPT).exists() and made.search("tinh uy")
    monkeypatch.undo()
    monkeypatch.setenv("KG_STORE_CACHE_MB", "0")
    versions = iter([{"size": 1}, {"size": 2}])  # the file changed while its labels were read
    search_module.SearchIndex(dataset(built), keep=(folder / KEPT, lambda: next(versions)))
    assert not (folder / KEPT).exists()
    search_module.SearchIndex(dataset(built), keep=(folder / KEPT, lambda: None))  # no version known
    assert not (folder / KEPT).exists()


@pytest.mark.parametrize("what", ["server", "api"])
def test_the_start_benchmark_times_starts_with_the_index_made_and_kept(folder, built, what):
    from benchmarks.start import ROOT, measure
    result = measure(built, 1, ROOT, what)
    assert result["kept_bytes"] == (folder / KEPT).stat().st_size > 1000
    assert all(len(result[k]["runs_s"]) == 1 and result[k]["p50_s"] > 0 and result[k]["peak_mib"][0] > 20
               for k in ("before", "made", "kept"))
    assert all(len(result[k].get("kind_s", [0])) == 1 for k in ("before", "made", "kept"))
    assert ("kind_s" in result["made"]) == (what == "api")


def test_the_index_is_the_same_whichever_engine_or_client_read_the_data(built):
    """The labels in the order of IRI and text, the titles by length and text: the same parts
    from pyoxigraph's store, rdflib's Dataset and SPARQL through the notebook API's view."""
    from kg.export import load
    from kg.toolkit.api import open as open_dataset
    from kg.toolkit.views import SparqlView
    from kg.vocab import VNKG
    rdflib_ds = load(built)
    rdflib_ds.default_union = True
    with open_dataset(built) as api:
        view = SparqlView(api._public_run)
        made = [search_module._read_labels(ds) for ds in (dataset(built), rdflib_ds, view)]
        assert made[0] == made[1] == made[2] and len(made[0]["iris"]) > 100
        assert view.subject_counts(VNKG.mentionedIn) == dataset(built).subject_counts(VNKG.mentionedIn)


def test_the_notebook_api_keeps_its_index_where_the_server_reads_it(folder, built, monkeypatch):
    from kg.toolkit.api import open as open_dataset
    reads = Reads(monkeypatch)
    with open_dataset(built) as api:
        found = api.find("tinh uy")
    assert reads.times == 1 and (folder / KEPT).exists() and found
    server = create_app({"GRAPH": str(built)}).extensions["kg"]["search"]
    assert reads.times == 1 and state(server) == state(SearchIndex(dataset(built)))
    with open_dataset(built) as api:
        assert api.find("tinh uy") == found
    assert reads.times == 2  # the fresh index above, made from the dataset


def test_the_notebook_api_keeps_nothing_for_a_file_held_in_memory(seeds_build, monkeypatch):
    from kg.toolkit.api import open as open_dataset
    with open_dataset(seeds_build) as api:
        assert api.find("tinh uy") and api._backend.search_keep() is None
    assert not seeds_build.with_name(seeds_build.name + ".oxigraph").exists()


def test_texts_read_without_rdflib_terms_are_the_terms_as_text(tmp_path):
    """`iri_texts` (the store's and the API view's) gives what ``str`` of rdflib's terms gives,
    for IRI subjects only, whatever the object: a tagged or typed literal, an IRI, a blank node."""
    from rdflib import RDFS

    from kg.toolkit.api import open as open_dataset
    from kg.toolkit.views import SparqlView
    path = tmp_path / "kg.trig"
    path.write_text('''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/vnkg/graph/source/a> {
  <https://w3id.org/vnkg/id/a> rdfs:label "Tỉnh ủy"@vi , "plain" , "7"^^xsd:integer , <https://example.org/x> , _:b1 .
  _:b2 rdfs:label "a blank subject" .
}
''', encoding="utf-8")
    from rdflib import URIRef
    ds = dataset(path)
    expected = sorted((str(s), str(o)) for s, o in ds.subject_objects(RDFS.label) if isinstance(s, URIRef))
    assert len(expected) == 5
    assert sorted(ds.iri_texts(RDFS.label)) == expected
    named = {"Tỉnh ủy", "plain", "7", "https://example.org/x"}

    def blank(pairs):  # a blank node's id is the store's own: one text outside the others, no "_:"
        return sorted((s, o if o in named else "blank") for s, o in pairs)
    with open_dataset(path) as api:
        found = list(SparqlView(api._public_run).iri_texts(RDFS.label))
    assert blank(found) == blank(expected) and not any(o.startswith("_:") for _, o in found)


def test_the_store_counts_subjects_as_reading_them_one_by_one_does(tmp_path):
    """`subject_counts` reads the engine's TSV answer: IRIs, blank nodes, counts as text."""
    from collections import Counter

    from kg.vocab import VNKG
    path = tmp_path / "kg.trig"
    path.write_text('''@prefix v: <https://w3id.org/vnkg/ontology#> .
<https://w3id.org/vnkg/graph/source/a> {
  <https://w3id.org/vnkg/id/a> v:mentionedIn <https://example.org/1> , <https://example.org/2> , "3" .
  <https://w3id.org/vnkg/id/b%20c?d=1#e> v:mentionedIn <https://example.org/1> .
  _:b v:mentionedIn <https://example.org/1> , <https://example.org/2> .
}
<https://w3id.org/vnkg/graph/source/b> { <https://w3id.org/vnkg/id/a> v:mentionedIn <https://example.org/9> . }
''', encoding="utf-8")
    ds = dataset(path)
    counted = ds.subject_counts(VNKG.mentionedIn)
    assert counted == Counter(str(s) for s in ds.subjects(VNKG.mentionedIn, None))
    assert sorted(counted.values()) == [1, 2, 4]
