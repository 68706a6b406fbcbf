"""A :class:`kg.toolkit.network.Network` as GraphML 1.0 or GEXF 1.3, with the standard library.

Takes the plain records :mod:`kg.toolkit.network` makes; returns the file's bytes (UTF-8), the same
bytes for the same network. Both are valid against their official schemas
(``tests/data/schemas/``) and open as they are in Gephi and NetworkX: node ids are the
entities' IRIs under the base made into XML name tokens (``person:le-minh-hung-c502d2``;
GraphML ids may hold no ``/``), the IRI itself an attribute; an empty value is left out;
the edge weight is GraphML's ``weight`` key and GEXF's ``weight`` attribute (a double).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records only; kg.toolkit.network imports this module to write them
    from .network import Network

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_XSD = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
GEXF_NS = "http://gexf.net/1.3"
GEXF_XSD = "http://gexf.net/1.3/gexf.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DESCRIPTIONS = {
    "membership": "People linked by the bodies they hold posts in (weight: bodies shared), from vnkg.",
    "attendance": "People linked by the meetings they took part in together (weight: meetings shared), from vnkg.",
    "citations": "Documents, each edge from the citing document to the cited one, from vnkg.",
}
_GRAPHML_TYPES = {"string": "string", "int": "int"}
_GEXF_TYPES = {"string": "string", "int": "integer"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def write(net: "Network", fmt: str) -> bytes:
    """The network as `fmt` ("graphml" or "gexf")."""
    root = graphml(net) if fmt == "graphml" else gexf(net)
    ET.indent(root, space=" ")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{ET.tostring(root, encoding="unicode")}\n'.encode("utf-8")


def node_id(iri: str, base: str) -> str:
    """An XML name token for a node: its IRI after the base ('/' as ':'), other characters escaped."""
    tail = iri[len(base):] if iri.startswith(base) else iri
    return "".join(c if c.isascii() and (c.isalnum() or c in "-._") else ":" if c == "/" else f"_{ord(c):x}_"
                   for c in tail)


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def graphml(net: "Network") -> ET.Element:
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": XSI,
                                  "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_XSD}"})
    ET.SubElement(root, "desc").text = DESCRIPTIONS[net.kind]
    ET.SubElement(root, "key", {"id": "label", "for": "node", "attr.name": "label", "attr.type": "string"})
    for f in net.node_fields:
        ET.SubElement(root, "key", {"id": f.name, "for": "node", "attr.name": f.name, "attr.type": _GRAPHML_TYPES[f.type]})
    ET.SubElement(root, "key", {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    for f in net.edge_fields:
        ET.SubElement(root, "key", {"id": f"edge.{f.name}", "for": "edge", "attr.name": f.name,
                                    "attr.type": _GRAPHML_TYPES[f.type]})
    graph = ET.SubElement(root, "graph", {"id": net.kind, "edgedefault": "directed" if net.directed else "undirected"})
    for node in net.nodes:
        element = ET.SubElement(graph, "node", {"id": node_id(node.iri, net.base)})
        _data(element, (("label", node.label), *zip((f.name for f in net.node_fields), node.values)))
    for n, edge in enumerate(net.edges):
        element = ET.SubElement(graph, "edge", {"id": f"e{n}", "source": node_id(edge.source, net.base),
                                                "target": node_id(edge.target, net.base)})
        _data(element, (("weight", str(edge.weight)),
                        *zip((f"edge.{f.name}" for f in net.edge_fields), edge.values)))
    return root


def _data(element: ET.Element, pairs) -> None:
    for key, value in pairs:
        if value:
            ET.SubElement(element, "data", {"key": key}).text = _text(value)


def gexf(net: "Network") -> ET.Element:
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{GEXF_NS} {GEXF_XSD}",
                               "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "vnkg"
    ET.SubElement(meta, "description").text = DESCRIPTIONS[net.kind]
    graph = ET.SubElement(root, "graph", {"mode": "static",
                                          "defaultedgetype": "directed" if net.directed else "undirected"})
    for cls, fields in (("node", net.node_fields), ("edge", net.edge_fields)):
        declared = ET.SubElement(graph, "attributes", {"class": cls})
        for f in fields:
            ET.SubElement(declared, "attribute", {"id": f.name, "title": f.name, "type": _GEXF_TYPES[f.type]})
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(net.nodes))})
    for node in net.nodes:
        element = ET.SubElement(nodes, "node", {"id": node_id(node.iri, net.base), "label": _text(node.label)})
        _attvalues(element, zip((f.name for f in net.node_fields), node.values))
    edges = ET.SubElement(graph, "edges", {"count": str(len(net.edges))})
    for n, edge in enumerate(net.edges):
        element = ET.SubElement(edges, "edge", {"id": str(n), "source": node_id(edge.source, net.base),
                                                "target": node_id(edge.target, net.base), "weight": str(edge.weight)})
        _attvalues(element, zip((f.name for f in net.edge_fields), edge.values))
    return root


def _attvalues(element: ET.Element, pairs) -> None:
    pairs = [(name, value) for name, value in pairs if value]
    if pairs:
        values = ET.SubElement(element, "attvalues")
        for name, value in pairs:
            ET.SubElement(values, "attvalue", {"for": name, "value": _text(value)})
