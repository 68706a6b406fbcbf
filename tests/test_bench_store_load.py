"""The store-loading benchmark: the union it writes is the one `kg build` writes, and both of its
modes load the same quads."""
import json

import pyoxigraph as ox

from benchmarks.store_load import main, write_union
from conftest import SEEDS
from kg.pipeline import build


def test_the_union_holds_every_graphs_triples(seeds_build, tmp_path):
    """The union made from the dataset file holds, as default-graph triples, exactly the triples
    of its named graphs (what the build's union gives the store)."""
    union = tmp_path / "union"
    write_union(seeds_build, union)
    def triples(quads) -> tuple[set, int]:  # those without blank nodes, and how many with (labels differ)
        plain = {(q.subject, q.predicate, q.object) for q in quads}
        blank = {t for t in plain if any(isinstance(x, ox.BlankNode) for x in t)}
        return plain - blank, len(blank)
    loaded = list(ox.parse(path=str(union), format=ox.RdfFormat.TRIG))
    assert all(q.graph_name == ox.DefaultGraph() for q in loaded)
    named = triples(ox.parse(path=str(seeds_build), format=ox.RdfFormat.TRIG))
    assert triples(loaded) == named and len(named[0]) > 1000 and named[1] > 0


def test_both_modes_load_the_same_quads(tmp_path, capsys):
    out = tmp_path / "kg.trig"
    build([SEEDS], out, log=lambda line: None, disk_store=False)
    assert main([str(out), "--rounds", "1", "--out", str(tmp_path / "r.json")]) == 0
    modes = {m["mode"]: m for m in json.loads((tmp_path / "r.json").read_text())["modes"]}
    assert set(modes) == {"after", "together"} and modes["after"]["quads"] == modes["together"]["quads"] > 1000
    for mode in modes.values():  # the threads' CPU by name, while loading and in all
        threads = mode["runs"][0]["threads_cpu"]
        assert sum(threads["in_all"].values()) >= sum(threads["loading"].values()) > 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store-load-bench")]
