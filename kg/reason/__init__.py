"""OWL-RL materialisation, keeping asserted and inferred apart, with two interchangeable engines.

Takes the asserted facts (evidence nodes left out: they are provenance, not knowledge) and
the ontology; returns a :class:`Reasoned` with the inferred triples alone and any
inconsistencies found. Engines:

* ``rules`` (the default): OWL 2 RL rules compiled for this ontology (:mod:`kg.rules`,
  :mod:`kg.closure`), integer triples, joins only where the ontology needs them (transitive
  properties, the two chains that define ``vnkg:memberOf``); ``owl:sameAs`` by reasoning over
  one representative per class and copying the results to every member. It refuses an
  ontology that uses a construct it does not implement (:class:`kg.reason.rules.UnsupportedOntology`).
* ``owlrl``: the reference, owlrl's ``OWLRL_Semantics`` — complete and slow.

What is kept, by one documented rule applied to both engines' output (:func:`keep`): only
triples about data (subject under the data base IRI) — the class and property axioms owlrl
re-derives for the vocabularies are the ontology's business; no reflexive ``owl:sameAs``
(owlrl's eq-ref adds one for every IRI and literal); no literal subjects (owlrl types every
literal with its datatype); nothing already asserted. owlrl's ``err:ErrorMessage`` reports,
disjointness violations and members of ``owl:Nothing`` become inconsistencies, never data.
The parity test (tests/test_scale_reasoning.py) checks that both engines keep the same triples.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from .. import config
from .closure import Closure, Terms, from_key, key, pack, unpack
from ..errors import ConfigError
from .rules import UnsupportedOntology, compile_schema
from ..sameas import SameAs

ENGINES = ("rules", "owlrl")


@dataclass(frozen=True)
class Reasoned:
    inferred: Graph
    inconsistencies: tuple[str, ...]


@dataclass(frozen=True)
class Inference:
    """What an engine concluded, as rdflib term triples, and what it found wrong."""

    triples: tuple[tuple, ...]
    inconsistencies: tuple[str, ...]


def load_ontology() -> Graph:
    g = Graph()
    g.parse(config.ONTOLOGY_DIR / "vnkg.ttl", format="turtle")
    return g


def reason(facts: Graph, ontology: Graph, overrides: dict | None = None, engine: str = "owlrl") -> Reasoned:
    """Materialise the OWL-RL closure of `facts` under `ontology`; return only what is new."""
    found = infer(facts, ontology, overrides, engine)
    inferred = Graph()
    for t in found.triples:
        inferred.add(t)
    return Reasoned(inferred, found.inconsistencies)


def infer(facts: Iterable[tuple], ontology: Graph, overrides: dict | None = None, engine: str = "rules") -> Inference:
    """The kept inferences of `facts` (an rdflib Graph or any iterable of term triples)."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown reasoner {engine!r}; choose one of {', '.join(ENGINES)}")
    base = config.get("base_iri", overrides)
    if engine == "owlrl":
        return _owlrl(facts if isinstance(facts, Graph) else _graph(facts), ontology, base)
    return FastReasoner(ontology, base).run(facts)


def keep(s, p, o, base: str) -> bool:
    """The rule that removes owlrl's noise, applied to both engines (see the module docstring)."""
    if isinstance(s, Literal) or not str(s).startswith(base):
        return False
    return not (p == OWL.sameAs and s == o)


def _graph(triples: Iterable[tuple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _owlrl(facts: Graph, ontology: Graph, base: str) -> Inference:
    work = Graph()
    for t in facts:
        work.add(t)
    for t in ontology:
        work.add(t)
    # owlrl's expand(…, destination=…) reads only the source graph, so rules never see what other
    # rules inferred (a property chain over an inferred property is lost): expand in place, then
    # keep what is new.
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    raw = Graph()
    for t in work:
        if t not in facts and t not in ontology:
            raw.add(t)
    problems = _owlrl_errors(raw)
    kept = sorted(t for t in raw if keep(*t, base) and t not in facts)
    problems += tuple(f"{s} is a member of owl:Nothing" for s, p, o in kept if p == RDF.type and o == OWL.Nothing)
    return Inference(tuple(kept), problems)


def _owlrl_errors(raw: Graph) -> tuple[str, ...]:
    from ..validate import error_messages
    return tuple(sorted({" ".join(m.split()) for m in error_messages(raw)}))


class FastReasoner:
    """The ``rules`` engine. Keeps its closure, so that `add()` after `run()` is incremental."""

    def __init__(self, ontology: Graph, base: str) -> None:
        self.schema, self.base = compile_schema(ontology), base
        self.terms = Terms()
        self.closure = Closure(self.schema, self.terms)
        self.asserted: set[int] = set()  # packed (:func:`kg.reason.closure.pack`)
        self.same = SameAs()
        self.same_as = self.terms.id(key(OWL.sameAs))
        self._vocabulary = {self.terms.id(key(t)) for t in set(ontology.subjects()) | set(ontology.objects())
                            if isinstance(t, URIRef)}

    def run(self, facts: Iterable[tuple]) -> Inference:
        self.add_keys((key(s), key(p), key(o)) for s, p, o in facts)
        found = self.result()
        return Inference(tuple(tuple(map(from_key, t)) for t in found.triples), found.inconsistencies)

    def add_keys(self, facts: Iterable[tuple[str, str, str]]) -> None:
        """Add asserted triples (as term keys); the closure grows by what they imply, and only that."""
        encode, same_as = self.terms.encode, self.same_as
        batch, packed, pairs = [], [], []
        asserted = self.asserted
        for t in facts:
            e = encode(t)
            k = pack(*e)
            asserted.add(k)
            if e[1] == same_as and t[2][0] != '"':
                pairs.append(e)
            else:
                batch.append(e)
                packed.append(k)
        if pairs and self.same.merge(pairs):
            self._restart()  # classes changed: recompute over the new representatives
        elif self.same.members:
            self.closure.add_pairs(self._over_representatives(zip(batch, packed)))
        else:  # each fact is itself over representatives: the closure holds the asserted set's integer, not a copy
            self.closure.add(batch, packed)

    def _over_representatives(self, pairs: Iterable[tuple[tuple[int, int, int], int]]
                              ) -> Iterator[tuple[tuple[int, int, int], int]]:
        """Each (triple, its packed integer) over the representatives of its classes of equal terms:
        a fact no class touches (all but a few) keeps the very integer the set of asserted triples
        holds, which the closure then holds too, not a copy of it."""
        rep = self.same.rep
        for t, k in pairs:
            s, p, o = t
            rs, ro = rep(s), rep(o)
            yield (t, k) if rs == s and ro == o else ((rs, p, ro), pack(rs, p, ro))

    def _restart(self) -> None:
        self._refuse_vocabulary_sameas()
        same_as = self.same_as
        self.closure = Closure(self.schema, self.terms)
        facts = ((t, k) for k in self.asserted if (t := unpack(k))[1] != same_as)
        self.closure.add_pairs(self._over_representatives(facts))

    def asserted_triples(self) -> Iterator[tuple[int, int, int]]:
        return map(unpack, self.asserted)

    def _refuse_vocabulary_sameas(self) -> None:
        for node in self.same.members_of_classes():
            if node in self._vocabulary:
                raise UnsupportedOntology(f"owl:sameAs on {self.terms.keys[node][1:]}, a term of the ontology: "
                                          "the fast reasoner reasons about data only; use --reasoner owlrl")

    def result(self) -> Inference:
        """The kept inferences as term-key triples."""
        decode = self.terms.decode
        return Inference(tuple(decode(t) for t in self.kept()), self._problems())

    def kept(self) -> Iterator[tuple[int, int, int]]:
        """The kept inferences as integer triples (terms: `self.terms`), made as they are read."""
        data = self._data_ids()
        same_as, asserted = self.same_as, self.asserted
        return (t for t in self.same.expand(self.closure.triples(), same_as)
                if data[t[0]] and pack(*t) not in asserted and not (t[1] == same_as and t[0] == t[2]))

    def problems(self) -> tuple[str, ...]:
        """The inconsistencies found (:meth:`result` gives them with the triples)."""
        return self._problems()

    def _data_ids(self) -> bytearray:
        """A flag per term id: 1 where the term is data (an IRI under the base). A byte a term,
        not a set of ids (three million ids in a set take 220 MB; a build of 100,000 articles
        has millions of data terms, and the set was held while the inferred rows were written)."""
        prefix, flags = "<" + self.base, bytearray(len(self.terms.keys))
        for i, k in enumerate(self.terms.keys):
            if k.startswith(prefix):
                flags[i] = 1
        return flags

    def _problems(self) -> tuple[str, ...]:
        name = lambda i: self.terms.keys[i][1:]
        out = []
        for node, a, b in self.closure.clashes:
            if a == b:
                out.append(f"{name(node)} is a member of owl:Nothing")
            else:
                out.append(f"{name(node)} is a member of disjoint classes {min(name(a), name(b))} and "
                           f"{max(name(a), name(b))}")
        checked = _checked_datatypes()
        out += _ill_typed(from_key(k) for k in self.terms.keys if k[0] == '"' and k[k.rindex("\x1f") + 1:] in checked)
        return tuple(sorted(set(out)))


def _checked_datatypes() -> frozenset[str]:
    from owlrl.OWLRL import OWL_RL_Datatypes
    return frozenset(map(str, OWL_RL_Datatypes))


def _ill_typed(literals: Iterable[Literal]) -> list[str]:
    """owlrl's dt-not-type: a literal whose lexical form is not in its datatype's lexical space."""
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from owlrl.OWLRL import OWL_RL_Datatypes
    out = []
    for lt in literals:
        if lt.datatype in OWL_RL_Datatypes:
            try:
                AltXSDToPYTHON.get(lt.datatype, str)(str(lt))
            except ValueError:
                out.append(f"Lexical value of the literal '{lt}' does not match its datatype ({lt.datatype})")
    return out
