"""Small fixtures shared by the tests of the ontology, validation and evaluation."""
from __future__ import annotations

import warnings

from rdflib import Dataset, Graph

PREFIXES = """\
@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
@prefix id: <https://w3id.org/vnkg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
"""

SOURCE_GRAPH = "https://w3id.org/vnkg/graph/source/a.txt"

# One of each entity class, as `kg build` asserts them from one source; conforms.
VALID = """\
id:src-a a vnkg:Source ; dcterms:identifier "a.txt" ; vnkg:published "2024-07-16"^^xsd:date ;
    vnkg:contentHash "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" .
id:lmh a vnkg:Person ; rdfs:label "Lê Minh Hưng"@vi ; vnkg:mentionedIn id:src-a ; vnkg:holds id:post-uv-bct .
id:post-uv-bct a vnkg:Post ; rdfs:label "Ủy viên Bộ Chính trị"@vi ; vnkg:mentionedIn id:src-a ;
    vnkg:role id:uy-vien ; vnkg:postIn id:bct .
id:uy-vien a vnkg:Role ; rdfs:label "Ủy viên"@vi , "member"@en ; vnkg:mentionedIn id:src-a .
id:bct a vnkg:Body ; rdfs:label "Bộ Chính trị"@vi ; vnkg:mentionedIn id:src-a ; vnkg:jurisdiction id:vn .
id:vn a vnkg:Country ; rdfs:label "Việt Nam"@vi ; vnkg:mentionedIn id:src-a .
id:nq11 a vnkg:Resolution ; rdfs:label "Nghị quyết số 11-NQ/TW"@vi ; vnkg:number "11-NQ/TW" ;
    vnkg:issued "2022-02-10"^^xsd:date ; vnkg:issuedBy id:bct ; vnkg:mentionedIn id:src-a .
id:hn a vnkg:WorkingSession ; rdfs:label "Buổi làm việc với Ban Thường vụ Tỉnh ủy"@vi ;
    vnkg:date "2024-07-16"^^xsd:date ; vnkg:organizedBy id:bct ; vnkg:speaker id:lmh ;
    vnkg:participant id:bct ; vnkg:mentionedIn id:src-a .
id:goal a vnkg:Target ; rdfs:label "Tăng trưởng GRDP 12%"@vi ; vnkg:targetValue 12 ; vnkg:unit "%" ;
    vnkg:deadline "2025"^^xsd:gYear ; vnkg:setBy id:nq11 ; vnkg:mentionedIn id:src-a .
id:ev1 rdf:subject id:lmh ; rdf:predicate vnkg:holds ; rdf:object id:post-uv-bct ; vnkg:mention id:m1 .
id:m1 vnkg:inSentence id:s1 ; vnkg:start 12 ; vnkg:end 40 ; vnkg:rule "title-apposition" .
id:s1 vnkg:source id:src-a ; rdf:value "Đồng chí Lê Minh Hưng, Ủy viên Bộ Chính trị, phát biểu."@vi .
"""


def trig(graphs: dict[str, str]) -> str:
    """TriG text of named graphs, each given as Turtle statements without prefixes."""
    body = "".join(f"<{name}> {{\n{text}}}\n" for name, text in graphs.items())
    return PREFIXES + body


def dataset(text: str) -> Dataset:
    """A Dataset (union as default graph) parsed from TriG text."""
    ds = Dataset(default_union=True)
    with warnings.catch_warnings():
        # rdflib 7.6 warns about its own use of ConjunctiveGraph while parsing TriG.
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(data=text, format="trig")
    return ds


def graph(turtle: str) -> Graph:
    """A Graph parsed from Turtle statements without prefixes."""
    return Graph().parse(data=PREFIXES + turtle, format="turtle")
