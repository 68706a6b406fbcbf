"""The fast reasoner (compiled rules) against owlrl, the reference: same kept inferences.

Rule by rule on tiny graphs (named after the OWL 2 RL rule each exercises), then on the
seeds and on a generated corpus, then incrementally (facts added to a closed set).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from scale_support import ROOT, write_corpus
from kg import config
from kg.graph import build as build_graph, facts_only
from kg.pipeline import extract_all, link_all
from kg.reason import FastReasoner, infer, load_ontology
from kg.reason.rules import UnsupportedOntology, compile_schema
from kg.vocab import VNKG

BASE = config.get("base_iri")
D = lambda name: URIRef(BASE + name)  # noqa: E731


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def _parity(facts: Graph, ontology: Graph) -> tuple[set, set]:
    fast, ref = infer(facts, ontology, engine="rules"), infer(facts, ontology, engine="owlrl")
    assert fast.inconsistencies == () and ref.inconsistencies == ()
    return set(fast.triples), set(ref.triples)


RULES = [
    ("cax-sco", [(D("person/a"), RDF.type, VNKG.Person)], (D("person/a"), RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent"))),
    ("prp-dom", [(D("person/a"), VNKG.holds, D("post/p"))], (D("person/a"), RDF.type, VNKG.Person)),
    ("prp-rng", [(D("person/a"), VNKG.holds, D("post/p"))], (D("post/p"), RDF.type, VNKG.Post)),
    ("prp-spo1", [(D("doc/a"), VNKG.implements, D("doc/b"))], (D("doc/a"), VNKG.cites, D("doc/b"))),
    ("prp-inv1", [(D("person/a"), VNKG.holds, D("post/p"))], (D("post/p"), VNKG.heldBy, D("person/a"))),
    ("prp-trp", [(D("place/a"), VNKG.locatedIn, D("place/b")), (D("place/b"), VNKG.locatedIn, D("place/c"))],
     (D("place/a"), VNKG.locatedIn, D("place/c"))),
    ("prp-spo2-holds-postIn", [(D("person/a"), VNKG.holds, D("post/p")), (D("post/p"), VNKG.postIn, D("body/b"))],
     (D("person/a"), VNKG.memberOf, D("body/b"))),
    ("prp-spo2-memberOf-partOf", [(D("person/a"), VNKG.holds, D("post/p")), (D("post/p"), VNKG.postIn, D("body/s")),
                                  (D("body/s"), VNKG.partOf, D("body/c")), (D("body/c"), VNKG.partOf, D("body/w"))],
     (D("person/a"), VNKG.memberOf, D("body/w"))),
    ("prp-spo1-trp", [(D("body/s"), VNKG.partOf, D("body/c")), (D("body/c"), VNKG.subordinateTo, D("body/w"))],
     (D("body/s"), VNKG.subordinateTo, D("body/w"))),
    ("eq-rep-o", [(D("person/a"), VNKG.holds, D("post/p")), (D("post/p"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1"))],
     (D("person/a"), VNKG.holds, URIRef("http://www.wikidata.org/entity/Q1"))),
    ("scm-cls", [(D("goal/g"), VNKG.deadline, Literal("2025", datatype=XSD.gYear))], (D("goal/g"), RDF.type, OWL.Thing)),
]


@pytest.mark.parametrize("name, facts, expected", RULES, ids=[r[0] for r in RULES])
def test_rule_matches_owlrl(ontology, name, facts, expected):
    g = Graph()
    for t in facts:
        g.add(t)
    fast, ref = _parity(g, ontology)
    assert expected in fast
    assert fast == ref


CLASHES = [
    ("cax-dw", [(D("x"), RDF.type, VNKG.Person), (D("x"), RDF.type, VNKG.Place)]),
    ("cax-adc", [(D("x"), RDF.type, VNKG.Person), (D("x"), RDF.type, VNKG.Body)]),
    ("cax-adc-through-range", [(D("x"), RDF.type, VNKG.Body), (D("y"), VNKG.holds, D("x"))]),
    ("dt-not-type", [(D("m"), VNKG.ordinal, Literal("mười", datatype=XSD.integer))]),
]


@pytest.mark.parametrize("name, facts", CLASHES, ids=[c[0] for c in CLASHES])
def test_inconsistency_found_by_both(ontology, name, facts):
    g = Graph()
    for t in facts:
        g.add(t)
    assert infer(g, ontology, engine="rules").inconsistencies
    assert infer(g, ontology, engine="owlrl").inconsistencies


@pytest.mark.parametrize("name, facts", CLASHES[:3], ids=[c[0] for c in CLASHES[:3]])
def test_inconsistency_found_when_one_side_is_already_stored(ontology, name, facts):
    """`kg add`'s engine finds a clash between a new fact and a class the store already gives the node."""
    import pyoxigraph as ox
    from kg.reason.closure import key
    from kg.reason.incremental import add_facts, to_ox
    base = config.get("base_iri")
    first, second = [tuple(map(key, t)) for t in facts]
    engine = FastReasoner(ontology, base)
    engine.add_keys([first])
    assert not engine.result().inconsistencies
    store = ox.Store()
    store.extend(ox.Quad(*map(to_ox, t), ox.DefaultGraph()) for t in {first, *engine.result().triples})
    assert add_facts(store, ontology, base, [second]).inconsistencies
    assert not add_facts(ox.Store(), ontology, base, [second]).inconsistencies


def test_facts_after_a_sameas_are_held_once(ontology):
    """Once owl:sameAs make classes of equal terms (a build gives the links first), a fact no class
    touches is held by the closure as the very integer of the set of asserted facts (no copy);
    one a class touches is held over its representative. The inferences do not depend on the order."""
    from kg.reason.closure import key, pack
    v = "https://w3id.org/vnkg/ontology#"
    a, b, c, d = (URIRef(f"{BASE}person/{n}") for n in "abcd")
    wd = URIRef("http://www.wikidata.org/entity/Q1")
    engine = FastReasoner(ontology, BASE)
    engine.add_keys([tuple(map(key, (a, OWL.sameAs, wd)))])
    facts = [(c, RDF.type, URIRef(v + "Person")), (a, RDF.type, URIRef(v + "Person")), (c, OWL.sameAs, d)]
    engine.add_keys([tuple(map(key, t)) for t in facts[:2]])
    held = {k: k for k in engine.closure.known}
    untouched = pack(*engine.terms.encode(tuple(map(key, facts[0]))))
    assert held[untouched] is next(k for k in engine.asserted if k == untouched)
    engine.add_keys([tuple(map(key, facts[2]))])  # a class made later: the closure is made again, sharing too
    held = {k: k for k in engine.closure.known}
    assert held[untouched] is next(k for k in engine.asserted if k == untouched)
    at_once = FastReasoner(ontology, BASE)
    at_once.add_keys([tuple(map(key, t)) for t in [*facts, (a, OWL.sameAs, wd)]])
    assert set(engine.result().triples) == set(at_once.result().triples) and len(at_once.result().triples) > 10


def _facts(folder: Path) -> Graph:
    extractions = extract_all([folder])
    return facts_only(build_graph(extractions, link_all(extractions)))


def test_parity_on_the_seeds(ontology):
    fast, ref = _parity(_facts(ROOT / "seeds"), ontology)
    assert len(ref) > 500
    assert fast == ref


@pytest.mark.slow
def test_parity_on_a_generated_corpus(ontology, tmp_path):
    write_corpus(12, tmp_path, seed=7)
    fast, ref = _parity(_facts(tmp_path), ontology)
    assert any(p == VNKG.memberOf for _, p, _ in ref)
    assert fast == ref


def test_incremental_add_equals_one_run(ontology, tmp_path):
    write_corpus(6, tmp_path, seed=3)
    triples = sorted(_facts(tmp_path))
    one = FastReasoner(ontology, BASE).run(triples)
    step = FastReasoner(ontology, BASE)
    step.run(triples[: len(triples) // 2])
    from kg.reason.closure import key
    step.add_keys((key(s), key(p), key(o)) for s, p, o in triples[len(triples) // 2:])
    assert set(step.result().triples) == {tuple(map(key, t)) for t in one.triples}


def test_the_closure_holds_each_asserted_triple_as_the_asserted_sets_own_integer(ontology, tmp_path):
    """Without owl:sameAs each fact is over representatives: the closure keeps the very integer
    the set of asserted triples holds, not a second one (a copy per fact was some 300 MB at
    100,000 articles)."""
    write_corpus(6, tmp_path, seed=3)
    from kg.reason.closure import key, pack
    engine = FastReasoner(ontology, BASE)
    inferred_first = 0  # facts the closure already held (inferred) when they were asserted: two integers
    for s, p, o in sorted(_facts(tmp_path)):
        if p != OWL.sameAs:
            t = (key(s), key(p), key(o))
            inferred_first += pack(*engine.terms.encode(t)) in engine.closure.known
            engine.add_keys([t])
    known, asserted = engine.closure.known, engine.asserted
    assert len(asserted) > 1000 and asserted <= known and inferred_first < len(asserted) // 10
    assert len({id(k) for k in known} | {id(k) for k in asserted}) == len(known) + inferred_first


REFUSED = [
    ("functional-property", (VNKG.holds, RDF.type, OWL.FunctionalProperty)),
    ("has-key", (VNKG.Person, OWL.hasKey, RDF.nil)),
    ("restriction", (URIRef("urn:x:r"), RDF.type, OWL.Restriction)),
]


@pytest.mark.parametrize("name, axiom", REFUSED, ids=[r[0] for r in REFUSED])
def test_unsupported_constructs_are_refused(ontology, name, axiom):
    g = Graph()
    for t in ontology:
        g.add(t)
    g.add(axiom)
    with pytest.raises(UnsupportedOntology):
        compile_schema(g)


def test_sameas_on_a_vocabulary_term_is_refused(ontology):
    g = Graph()
    g.add((D("person/a"), RDF.type, VNKG.Person))
    g.add((VNKG.Person, OWL.sameAs, D("person/b")))
    with pytest.raises(UnsupportedOntology):
        infer(g, ontology, engine="rules")
