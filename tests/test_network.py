"""`kg export --network`: GraphML and GEXF valid against their official schemas
(tests/data/schemas/, vendored: nothing is fetched), opened by NetworkX with the expected
nodes, edges and attributes on the seeds, deterministic, and drawn only from the public
graphs and the entities under the base IRI."""
from __future__ import annotations

import argparse
from pathlib import Path

import networkx as nx  # a test extra: the reader Gephi's users script with
import pytest
from lxml import etree as lxml

from kg.errors import KgError
from kg.toolkit.network import KINDS, add_export_args, network, run
from kg.toolkit.netxml import node_id, write

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).parent / "data" / "schemas"
GRAPHML_HOME = "http://graphml.graphdrawing.org/xmlns/1.0/"
ID = "https://w3id.org/vnkg/id/"

# kind, nodes, edges on the seeds (kg build seeds/)
COUNTS = [("membership", 9, 4), ("attendance", 9, 7), ("citations", 9, 8)]
CASES = [(kind, fmt, n, e) for kind, n, e in COUNTS for fmt in ("graphml", "gexf")]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("network") / "kg.trig"
    build([ROOT / "seeds"], out, log=lambda *_: None, progress=False)
    return out


class _Local(lxml.Resolver):
    """The schemas' own references (GraphML's absolute URLs) answered from the vendored copies."""

    def resolve(self, url, pubid, context):
        if url.startswith(GRAPHML_HOME):
            return self.resolve_filename(str(SCHEMAS / "graphml" / "1.0" / url[len(GRAPHML_HOME):]), context)
        return None


@pytest.fixture(scope="module")
def schemas() -> dict:
    parser = lxml.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return {fmt: lxml.XMLSchema(lxml.parse(str(SCHEMAS / path), parser))
            for fmt, path in (("graphml", "graphml/1.0/graphml.xsd"), ("gexf", "gexf/1.3/gexf.xsd"))}


def read(path: Path, fmt: str):
    return nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)


@pytest.mark.parametrize("kind, fmt, nodes, edges", CASES, ids=[f"{k}-{f}" for k, f, _, _ in CASES])
def test_valid_against_the_schema_and_opened_by_networkx(seeds, schemas, tmp_path, kind, fmt, nodes, edges):
    data = write(network(seeds, kind), fmt)
    schema = schemas[fmt]
    assert schema.validate(lxml.fromstring(data)), schema.error_log
    path = tmp_path / f"{kind}.{fmt}"
    path.write_bytes(data)
    graph = read(path, fmt)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)
    assert graph.is_directed() == (kind == "citations") and not graph.is_multigraph()


def test_the_schemas_refuse_a_broken_file(seeds, schemas):
    """The validation bites: an edge to a node that is not there, a GEXF without its version."""
    graphml = write(network(seeds, "membership"), "graphml").replace(b'target="person:', b'target="nobody:', 1)
    gexf = write(network(seeds, "membership"), "gexf").replace(b' version="1.3"', b"", 1)
    assert not schemas["graphml"].validate(lxml.fromstring(graphml))
    assert not schemas["gexf"].validate(lxml.fromstring(gexf))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_membership_edges_say_which_bodies_and_when(seeds, tmp_path, fmt):
    path = tmp_path / f"m.{fmt}"
    path.write_bytes(write(network(seeds, "membership"), fmt))
    graph = read(path, fmt)
    hong, gau = "person:le-thi-thu-hong-2afbc5", "person:nguyen-van-gau-a2d66a"
    edge = graph.edges[hong, gau]
    assert edge["weight"] == 1.0 and edge["bodies"] == "Tỉnh ủy Bắc Giang"
    assert edge["dates"] == edge["first"] == edge["last"] == "2024-07-16"  # Gấu's post, attested by 003 (16/7/2024)
    assert graph.nodes[gau]["label"] == "Nguyễn Văn Gấu" and graph.nodes[gau]["province"] == "Bắc Giang"
    assert graph.nodes[gau]["iri"] == ID + "person/nguyen-van-gau-a2d66a"
    assert graph.nodes[gau].get("kind") == "Person"
    # both sit in the Politburo and the Secretariat (a "Bí thư Trung ương Đảng" is a seat of the Ban Bí thư);
    # these are parts of the Party, and sharing the Party is no tie (one hop of posts only)
    edge = graph.edges["person:le-minh-hung-c502d2", "person:luong-cuong-35cf7a"]
    assert edge["bodies"] == "Ban Bí thư; Bộ Chính trị" and edge["weight"] == 2.0


def test_attendance_links_people_at_the_same_meeting(seeds, tmp_path):
    path = tmp_path / "a.graphml"
    path.write_bytes(write(network(seeds, "attendance"), "graphml"))
    graph = read(path, "graphml")
    edge = graph.edges["person:bui-quang-huy-6a47a5", "person:nguyen-van-gau-a2d66a"]
    assert edge["meetings"] == "Hội nghị sơ kết công tác lãnh đạo của Tỉnh ủy 6 tháng đầu năm"
    assert edge["dates"] == "2024-07-16" and edge["weight"] == 1.0
    assert not any(n.startswith("body:") for n in graph)  # a body taking part is not a person


def test_citations_go_from_citing_to_cited(seeds, tmp_path):
    path = tmp_path / "c.gexf"
    path.write_bytes(write(network(seeds, "citations"), "gexf"))
    graph = read(path, "gexf")
    citing = "document:source-001-6b58a9ed2912506d-txt-d237e7"
    cited = "document:national-11-nq-tw-07a0f5"
    assert graph.has_edge(citing, cited) and not graph.has_edge(cited, citing)
    assert graph.edges[citing, cited]["relation"] == "cites"
    assert graph.edges[citing, cited]["cited_issued"] == "2022-02-10"
    node = graph.nodes[cited]
    assert (node["kind"], node["number"], node["issued"], node["issuer"]) == ("Resolution", "11-NQ/TW", "2022-02-10",
                                                                              "Bộ Chính trị")
    assert graph.out_degree(citing) == 8 and graph.nodes[citing]["province"] == "Bắc Giang"


def test_wikidata_items_are_attributes_never_nodes(tmp_path):
    """On the server's fixture: a person linked to Q4000001 carries it; the item is no node."""
    import server_fixture as fx
    path = fx.write(tmp_path / "kg.trig")
    net = network(path, "attendance")
    assert [(n.label, n.values[2]) for n in net.nodes] == [("Nguyễn Văn An", "Q4000001"), ("Trần Thị Hòa", "")]
    assert [(e.source, e.target) for e in net.edges] == [(str(fx.AN), str(fx.HOA))]


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_dataset_gives_the_same_bytes(seeds, kind):
    for fmt in ("graphml", "gexf"):
        assert write(network(seeds, kind), fmt) == write(network(seeds, kind), fmt)


def test_graphs_not_public_are_left_out(seeds, tmp_path):
    """As the server: a graph under neither graph_base nor public_graphs is not read."""
    private = tmp_path / "kg.trig"
    private.write_text(seeds.read_text(encoding="utf-8").replace(
        "<https://w3id.org/vnkg/graph/source/002_55ef401724ea2135.txt>", "<https://example.org/private/002>"),
        encoding="utf-8")
    people = {n.label for n in network(private, "attendance").nodes}
    assert "Phan Xuân Thủy" not in people and "Nguyễn Văn Gấu" in people  # 002's seminar is gone
    opened = network(private, "attendance", {"public_graphs": "https://example.org/private/"})
    assert "Phan Xuân Thủy" in {n.label for n in opened.nodes}


def test_nodes_are_the_entities_under_the_base_iri(seeds, tmp_path):
    moved = tmp_path / "kg.trig"
    moved.write_text(seeds.read_text(encoding="utf-8").replace(ID, "https://kg.example.org/id/"), encoding="utf-8")
    net = network(moved, "membership", {"base_iri": "https://kg.example.org/id/"})
    assert len(net.nodes) == 9 and all(n.iri.startswith("https://kg.example.org/id/") for n in net.nodes)
    assert node_id(net.nodes[0].iri, net.base).startswith("person:")
    assert network(moved, "membership").nodes == ()  # under the default base there is nothing of ours


def test_node_ids_are_xml_name_tokens():
    assert node_id(ID + "person/nguyen-van-an-a1b2c3", ID) == "person:nguyen-van-an-a1b2c3"
    assert node_id(ID + "source/a b%20ệ", ID) == "source:a_20_b_25_20_1ec7_"


def _args(graph: Path, **given) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("-g", "--graph", type=Path)
    p.add_argument("-f", "--format")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--named")
    add_export_args(p)
    argv = ["-g", str(graph)] + [x for k, v in given.items() for x in (f"--{k}", str(v))]
    return p.parse_args(argv)


def test_the_command_line_hook_writes_the_file_and_says_so(seeds, tmp_path, capsys):
    out = tmp_path / "net" / "attendance.gexf"
    assert run(_args(seeds, network="attendance", output=out)) == 0  # the format from the suffix
    assert out.read_bytes() == write(network(seeds, "attendance"), "gexf")
    assert "attendance network, 9 nodes and 7 edges" in capsys.readouterr().err
    assert run(_args(seeds, network="citations", format="graphml")) == 0
    assert capsys.readouterr().out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<graphml')


@pytest.mark.parametrize("given, says", [
    ({"network": "membership", "format": "nt"}, "graphml or gexf"),
    ({"network": "membership"}, "graphml or gexf"),
    ({"network": "membership", "format": "gexf", "named": "https://w3id.org/vnkg/graph/inferred"}, "--named"),
], ids=["rdf-format", "no-format", "named-graph"])
def test_the_command_line_hook_refuses_what_it_cannot_write(seeds, given, says):
    with pytest.raises(KgError, match=says):
        run(_args(seeds, **given))
