"""The closed vocabulary of vnkg, and the namespaces the project binds.

Every `vnkg:` term used in code is listed here, one commented line each; a typo is an
AttributeError, not a silent new IRI. `tests/test_vocab.py` checks that this list, the
ontology (`ontology/vnkg.ttl`) and the contract agree.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/vnkg/ontology"
DEFAULT_BASE = "https://w3id.org/vnkg/id/"
GRAPH_BASE = "https://w3id.org/vnkg/graph/"

ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")


class VNKG(DefinedNamespace):
    """https://w3id.org/vnkg/ontology# — the vnkg ontology."""

    _NS = Namespace("https://w3id.org/vnkg/ontology#")
    _fail = True

    # --- classes of the contract
    Person: URIRef  # a named human being
    Body: URIRef  # a party, state, mass or media organisation, or an organ of one
    Role: URIRef  # a kind of position, independent of any body (Bí thư, Giám đốc)
    Post: URIRef  # one role in one body (Bí thư Tỉnh ủy Nam Định)
    Meeting: URIRef  # a conference, seminar, congress or working session
    Document: URIRef  # a party or state document
    Resolution: URIRef  # Nghị quyết
    Conclusion: URIRef  # Kết luận
    Directive: URIRef  # Chỉ thị
    Report: URIRef  # Báo cáo
    Plan: URIRef  # Quy hoạch, Kế hoạch
    Programme: URIRef  # Chương trình
    Goal: URIRef  # a target, task or indicator, with its figure where one is given
    Place: URIRef  # a country, province, city or district
    Source: URIRef  # one ingested source text
    # --- classes of vnkg's own
    Decision: URIRef  # Quyết định
    Notice: URIRef  # Thông báo
    Scheme: URIRef  # Đề án
    Regulation: URIRef  # Quy định, Quy chế
    Guidance: URIRef  # Hướng dẫn
    Decree: URIRef  # Nghị định
    Circular: URIRef  # Thông tư
    Law: URIRef  # Luật
    Dispatch: URIRef  # Công văn
    Conference: URIRef  # Hội nghị
    Congress: URIRef  # Đại hội
    Seminar: URIRef  # Tọa đàm, hội thảo
    WorkingSession: URIRef  # buổi làm việc ("làm việc với")
    Session: URIRef  # kỳ họp (of a council or the National Assembly)
    Ceremony: URIRef  # lễ công bố, trao quyết định (a ceremony announcing decisions)
    PressConference: URIRef  # họp báo
    Target: URIRef  # a goal set for the future
    ReportedFigure: URIRef  # a figure reported as reached
    Country: URIRef  # a country
    Province: URIRef  # a province or centrally-run city
    District: URIRef  # a district, town or provincial city
    Evidence: URIRef  # where one asserted triple came from: source, offsets, sentence, rule
    Mention: URIRef  # a span of a source's text that a rule read (evidence)
    Sentence: URIRef  # a sentence of a source, stored once (evidence)
    Tenure: URIRef  # one person holding one post over a span of time (an org:Membership)
    # --- properties of the contract
    holds: URIRef  # Person → Post
    heldBy: URIRef  # Post → Person, inverse of holds
    postIn: URIRef  # Post → Body
    role: URIRef  # Post → Role
    memberOf: URIRef  # Person → Body, inferred as holds ∘ postIn
    partOf: URIRef  # Body → Body it is made of members of, transitive (standing committee → committee)
    subordinateTo: URIRef  # Body → Body it works under, transitive (department → people's committee)
    jurisdiction: URIRef  # Body → Place
    organizedBy: URIRef  # Meeting → Body
    participant: URIRef  # Meeting → Person or Body
    speaker: URIRef  # Meeting → Person, sub-property of participant
    date: URIRef  # Meeting → xsd:date
    number: URIRef  # Document → its official number, canonical ("11-NQ/TW")
    issuedBy: URIRef  # Document → Body
    issued: URIRef  # Document → xsd:date
    signedBy: URIRef  # Document → Person
    cites: URIRef  # Document → Document
    adoptedAt: URIRef  # Document → Meeting
    setBy: URIRef  # Goal → Document or Body
    targetValue: URIRef  # Goal → the figure
    deadline: URIRef  # Goal → xsd:gYear or xsd:date
    mentionedIn: URIRef  # anything → Source
    published: URIRef  # Source → xsd:date
    holder: URIRef  # Tenure → Person, exactly one
    post: URIRef  # Tenure → Post, exactly one
    startDate: URIRef  # Tenure → the start a text states (xsd:date, gYearMonth or gYear)
    endDate: URIRef  # Tenure → the end a text states; Meeting → its last day (one term, no domain)
    firstAttested: URIRef  # Tenure → earliest publication date of a source that shows it held then
    lastAttested: URIRef  # Tenure → latest such date
    succeeds: URIRef  # Tenure → the previous holder's tenure of the same single-holder post
    # --- properties of vnkg's own
    endedBefore: URIRef  # Tenure → earliest publication date of a source that calls it former
    attestedIn: URIRef  # Tenure → every Source that speaks of it (held or former)
    formerlyHeld: URIRef  # Person → Post held before the source's date ("nguyên Bí thư")
    chair: URIRef  # Meeting → Person who chaired it, sub-property of participant
    implements: URIRef  # Document → Document it carries out, sub-property of cites
    ordinal: URIRef  # Meeting → "lần thứ N" as an integer
    term: URIRef  # Meeting or Body → "khóa XVII", the term it belongs to
    period: URIRef  # Goal or Document → the period it covers ("2020-2025")
    unit: URIRef  # Goal → the unit of targetValue ("%", "tỉnh", "chỉ tiêu")
    indicator: URIRef  # Goal → what is measured ("GRDP", "tăng trưởng")
    text: URIRef  # Goal → the phrase that states it
    locatedIn: URIRef  # Place → Place, transitive
    textOf: URIRef  # Source → the Document whose text it is
    publisher: URIRef  # Source → the publisher's name as given
    province: URIRef  # Source → the province its sidecar or text names
    contentHash: URIRef  # Source → SHA-256 of its bytes
    validFrom: URIRef  # Place → the day it came into being
    validUntil: URIRef  # Place → the day it ceased (2025 mergers)
    successor: URIRef  # Place → the unit it was merged into
    evidenceFor: URIRef  # Evidence → the rdf:Statement it supports
    mention: URIRef  # Evidence → the Mention (span of text, rule) it was read from
    inSentence: URIRef  # Mention → the Sentence holding it
    supports: URIRef  # Mention → the subject whose other triples in this graph (those without an Evidence of their own) it was read from
    denotes: URIRef  # Mention → the entity it names (what the graph says of the entity itself was read from it)
    relates: URIRef  # Mention → a subject whose triples to what the mention names (or is the default of) were read from it
    source: URIRef  # Sentence → Source
    start: URIRef  # Mention → offset of the first character, in the original text
    end: URIRef  # Mention → offset after the last character, in the original text
    rule: URIRef  # Mention (or a Wikidata link's Evidence) → the rule that read it
    sentence: URIRef  # deprecated: the sentence as a literal on the evidence (now rdf:value of a Sentence)
    attested: URIRef  # deprecated: the date of the evidence's source (now the source's vnkg:published)
    confidence: URIRef  # Evidence → how sure a Wikidata link is, 0–1 (xsd:decimal)


NAMESPACES: dict[str, Namespace] = {
    "vnkg": Namespace(str(VNKG._NS)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "schema": Namespace(str(SDO)),
    "org": ORG,
    "wd": WD,
}


def bind_all(graph) -> None:
    """Bind the project's prefixes on a graph or dataset, replacing rdflib's defaults."""
    for prefix, ns in NAMESPACES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def term_names() -> list[str]:
    """The local names of every vnkg term, in declaration order."""
    return [n for n in VNKG.__annotations__]
