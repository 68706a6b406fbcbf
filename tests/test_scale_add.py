"""`kg add`: sources added to a built dataset give what a full build of all of them gives."""
from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from scale_support import ROOT, write_corpus
from kg import config
from kg.add import add, append, journal, roll_back
from kg.cli import main
from kg.errors import InputError
from kg.pipeline import build
from kg.query import query_text
from kg.store import open_store, query, store_folder

QUIET = lambda line: None  # noqa: E731
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ONTOLOGY = config.graph_iri("ontology")


def graphs(path: Path) -> dict[str, set]:
    """The file's named graphs as sets of triples (the ontology's blank nodes left out)."""
    out: dict[str, set] = defaultdict(set)
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object)):
            out[q.graph_name.value].add((q.subject, q.predicate, q.object))
    return dict(out)


LABELS = {ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
          ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")}


def label_changes(a: dict[str, set], b: dict[str, set]) -> set:
    """The subjects of the label triples in which two datasets differ."""
    return {t[0] for g in set(a) | set(b) for t in a.get(g, set()) ^ b.get(g, set()) if t[1] in LABELS}


def without_labels(graphs_: dict[str, set]) -> dict[str, set]:
    return {g: {t for t in ts if t[1] not in LABELS} for g, ts in graphs_.items()}


def copy_sources(paths, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in paths:
        for f in p.parent.glob(p.name[: -len(p.suffix)] + ".*"):
            shutil.copy(f, folder / f.name)
    return folder


@pytest.mark.parametrize("left_out", SEEDS, ids=[p.stem[:12] for p in SEEDS])
def test_adding_a_seed_gives_the_full_build(tmp_path, left_out):
    rest = copy_sources([p for p in SEEDS if p != left_out], tmp_path / "rest")
    one = copy_sources([left_out], tmp_path / "one")
    out, full = tmp_path / "a" / "kg.trig", tmp_path / "b" / "kg.trig"
    build([rest], out, log=QUIET)
    added = add([one], out, log=QUIET)
    build([rest, one], full, log=QUIET)
    assert added.sources == 1 and added.asserted > 0
    a, b = graphs(out), graphs(full)
    assert without_labels(a) == without_labels(b)
    # labels differ only where documented: an entity already in the dataset keeps its label
    before = {t[0] for ts in graphs(build_only(rest, tmp_path)).values() for t in ts}
    assert label_changes(a, b) <= before


def build_only(folder: Path, tmp_path: Path) -> Path:
    out = tmp_path / "before" / "kg.trig"
    build([folder], out, log=QUIET)
    return out


def test_several_generated_articles_at_once_on_a_disk_store(tmp_path):
    write_corpus(12, tmp_path / "all", seed=7)
    first = copy_sources(sorted((tmp_path / "all").glob("0000*.txt")), tmp_path / "first")
    later = copy_sources(sorted((tmp_path / "all").glob("0001*.txt")), tmp_path / "later")
    out, full = tmp_path / "a" / "kg.trig", tmp_path / "b" / "kg.trig"
    on_disk = {"store_cache_mb": 0}
    build([first], out, log=QUIET)
    open_store(out, on_disk)  # the disk store exists before the addition and is kept up to date
    added = add([later], out, log=QUIET, overrides=on_disk)
    build([first, later], full, log=QUIET)
    assert added.sources == 2 and added.inferred > 0
    assert graphs(out) == graphs(full)
    members = lambda path, overrides=None: sorted(query(open_store(path, overrides), query_text("members")).rows)
    kept = members(out, on_disk)
    shutil.rmtree(store_folder(out))  # a store made afresh from the file answers the same
    assert members(out, on_disk) == kept == members(full) and kept


def test_an_unchanged_source_is_skipped_and_a_changed_one_refused(tmp_path):
    out = tmp_path / "a" / "kg.trig"
    src = copy_sources(SEEDS[:2], tmp_path / "src")
    build([src], out, log=QUIET)
    before = out.read_bytes()
    again = add([src], out, log=QUIET)
    assert again.sources == 0 and len(again.unchanged) == 2 and out.read_bytes() == before
    changed = src / SEEDS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"{SEEDS[0].name} is in the dataset with other content"):
        add([changed], out, log=QUIET)
    assert out.read_bytes() == before


def test_a_dataset_built_without_reasoning_gets_no_inferences(tmp_path):
    out = tmp_path / "a" / "kg.trig"
    build([copy_sources(SEEDS[:1], tmp_path / "one")], out, do_reason=False, log=QUIET)
    added = add([copy_sources(SEEDS[1:2], tmp_path / "two")], out, log=QUIET)
    assert added.inferred == 0 and config.graph_iri("inferred") not in graphs(out)


def test_a_torn_append_is_cut_back_before_the_next_addition(tmp_path):
    out = tmp_path / "a" / "kg.trig"
    build([copy_sources(SEEDS[:1], tmp_path / "one")], out, log=QUIET)
    size = out.stat().st_size
    append(out, b"\n<urn:x> { <urn:a> <urn:b> ")  # then killed: the journal stays
    journal(out).write_text(f'{{"size": {size}, "inode": {out.stat().st_ino}}}')
    assert roll_back(out) and out.stat().st_size == size and not journal(out).exists()
    assert not roll_back(out)


def test_a_journal_left_before_a_rebuild_does_not_cut_the_new_file(tmp_path):
    out = tmp_path / "a" / "kg.trig"
    build([copy_sources(SEEDS[:1], tmp_path / "one")], out, log=QUIET)
    journal(out).write_text(f'{{"size": 10, "inode": {out.stat().st_ino}}}')
    build([copy_sources(SEEDS[:2], tmp_path / "two")], out, log=QUIET)  # a new file (renamed into place)
    size = out.stat().st_size
    assert not roll_back(out) and out.stat().st_size == size and not journal(out).exists()


def test_cli_add_reports_and_a_missing_dataset_is_an_error(tmp_path, capsys):
    out = tmp_path / "a" / "kg.trig"
    assert main(["add", str(SEEDS[0]), "-g", str(out)]) == 2
    assert "no dataset to add to" in capsys.readouterr().err
    build([copy_sources(SEEDS[:1], tmp_path / "one")], out, log=QUIET)
    assert main(["add", str(SEEDS[1]), "-g", str(out)]) == 0
    assert "add: 1 source added" in capsys.readouterr().err


def _facts(path: Path) -> tuple[list, list]:
    """The asserted facts of a built file as term keys: those of the source graphs, and the links'."""
    from kg.graph import is_fact
    from kg.reason.incremental import from_ox
    from rdflib import URIRef
    sources, links = [], []
    for g, triples in sorted(graphs(path).items()):
        if g in (ONTOLOGY, config.graph_iri("inferred")):
            continue
        keys = sorted((from_ox(s), from_ox(p), from_ox(o)) for s, p, o in triples)
        rows = [k for k in keys if is_fact((None, URIRef(k[1][1:]), URIRef(k[2][1:]) if k[2][0] == "<" else None))]
        (links if g == config.graph_iri("links") else sources).extend(rows)
    return sources, links


@pytest.mark.parametrize("split,links_new", [(0.2, True), (0.5, True), (0.9, False), (0.99, True)],
                         ids=["a-fifth-then-links", "half-then-links", "links-first", "last-facts-and-links"])
def test_incremental_reasoning_equals_the_full_closure(seeds_build, split, links_new):
    """Facts added to a store holding the closure of the others give the full closure (sameAs included)."""
    from kg.reason.incremental import add_facts, to_ox
    from kg.reason import FastReasoner, load_ontology
    ontology, base = load_ontology(), config.get("base_iri")
    sources, links = _facts(seeds_build)
    cut = int(len(sources) * split)
    old, new = (sources[:cut], sources[cut:] + links) if links_new else (sources[:cut] + links, sources[cut:])
    engine = FastReasoner(ontology, base)
    engine.add_keys(old)
    before = set(engine.result().triples)
    store = ox.Store()
    store.extend(ox.Quad(*map(to_ox, t), ox.DefaultGraph()) for t in {*old, *before})
    added = add_facts(store, ontology, base, new)
    everything = FastReasoner(ontology, base)
    everything.add_keys(sources + links)
    assert not added.inconsistencies and links
    assert (before | set(added.triples)) - set(sources + links) == set(everything.result().triples)


# --- the tenures block, patched row by row --------------------------------------------------

def _block_of(rows) -> bytes:
    from kg.graph import trig
    return trig.block("urn:g:tenures", trig.body(trig.formatted(rows)))


def _tenure_rows():
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD
    v, t, s = Namespace("https://w3id.org/vnkg/ontology#"), Namespace("https://w3id.org/vnkg/id/tenure/"), \
        Namespace("https://w3id.org/vnkg/id/source/")
    rows = set()
    for i in range(5):
        rows |= {(t[f"k{i}"], RDF.type, v.Tenure), (t[f"k{i}"], v.holder, URIRef(f"https://w3id.org/vnkg/id/person/p{i}")),
                 (t[f"k{i}"], v.lastAttested, Literal("2025-01-0" + str(i + 1), datatype=XSD.date)),
                 (t[f"k{i}"], v.note, Literal("a, b ; c .", lang="vi"))}
        rows |= {(t[f"k{i}"], v.attestedIn, s[f"a{j}"]) for j in range(i * 3)}
    return rows, t, v, s


def test_the_tenures_block_patched_row_by_row_is_the_block_written_whole():
    """`kg add` reads back only the groups of the tenures that change: taking rows out and
    putting rows in gives the block `kg build` would write of the rows that are left."""
    from rdflib import Literal
    from rdflib.namespace import RDF, XSD
    from kg.add import _patched
    rows, t, v, s = _tenure_rows()
    gone = {(t.k2, v.lastAttested, Literal("2025-01-03", datatype=XSD.date)), (t.k2, v.attestedIn, s.a1)} | \
        {r for r in rows if r[0] == t.k4}  # one tenure changes, one goes whole
    came = {(t.k2, v.lastAttested, Literal("2025-06-01", datatype=XSD.date)), (t.k2, v.attestedIn, s.a99),
            (t.k0a, RDF.type, v.Tenure), (t.k0a, v.attestedIn, s.a5), (t.k9, RDF.type, v.Tenure)}  # two are new
    after = (rows - gone) | came
    patched = _patched(_block_of(rows), sorted(gone), sorted(came), "urn:g:tenures")
    assert patched == _block_of(after)
    assert _patched(_block_of(rows), [], [], "urn:g:tenures") == _block_of(rows)
    assert _patched(_block_of(set()), [], sorted(came), "urn:g:tenures") == _block_of(came)
    assert _patched(_block_of(came), sorted(came), [], "urn:g:tenures") == _block_of(set())


def test_a_statement_group_is_read_back_into_its_properties_and_objects():
    from kg.add import _runs
    from kg.graph import trig
    rows, *_ = _tenure_rows()
    written = set(trig.formatted(rows))
    groups = trig.body(written).strip().split("\n\n")
    back = {(g.split(" ", 1)[0], p.decode(), o.decode()) for g in groups for p, os in _runs(g.encode()).items()
            for o in os}
    assert back == written
    assert all(list(_runs(g.encode())) == sorted(_runs(g.encode()), key=lambda p: (p != b"a", p)) for g in groups)


def test_the_tenures_block_patched_at_random_is_the_block_written_whole():
    """Groups gone, come, first, last, alone; properties before rdf:type and after; objects
    that sort first, last and between: the patch is always the block written whole."""
    import random
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF
    from kg.add import _patched
    t, v = "https://w3id.org/vnkg/id/tenure/", "https://w3id.org/vnkg/ontology#"
    subjects = [URIRef(t + f"k{i}") for i in range(6)]
    props = [RDF.type, URIRef(v + "attestedIn"), URIRef(v + "holder"), URIRef(v + "aNote")]
    objects = [URIRef(v + "Tenure"), *(URIRef(f"https://w3id.org/vnkg/id/source/s{j}") for j in range(6)),
               Literal("a, b ;\n c .", lang="vi"), Literal("x")]
    everything = [(s, p, o) for s in subjects for p in props for o in objects]
    rng = random.Random(7)
    for _ in range(300):
        rows = set(rng.sample(everything, rng.randint(0, 40)))
        gone = set(rng.sample(sorted(rows), rng.randint(0, len(rows)))) if rows else set()
        came = set(rng.sample(everything, rng.randint(0, 12))) - rows
        assert _patched(_block_of(rows), sorted(gone), sorted(came), "urn:g:tenures") == _block_of((rows - gone) | came)
