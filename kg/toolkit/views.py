"""rdflib's read methods over SPARQL, for code written against an rdflib Dataset (the search index).

:class:`SparqlView` answers ``subject_objects``, ``subjects`` and ``objects`` — with rdflib
terms, as rdflib does — by one SELECT each through a function that runs a query (a backend of
:mod:`kg.toolkit.backends`, on the graphs the server serves), so the same code reads a file's store
or a remote endpoint. It never loads the dataset into rdflib and never writes.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterator, Optional

from rdflib import BNode, Literal, URIRef

from .rows import Result

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _n3(term: Any, var: str) -> str:
    return f"?{var}" if term is None else term.n3()


def _terms(result: Result, name: str) -> list:
    """Column `name` of an answer that also has `name`_lang and `name`_dt, as rdflib terms."""
    col, langs, types = result.column(name), result.column(f"{name}_lang").values, result.column(f"{name}_dt").values
    out = []
    for i, text in enumerate(col.lexical):
        kind = col.kind(i)
        if kind == "iri":
            out.append(URIRef(text))
        elif kind == "bnode":
            out.append(BNode(text[2:]))
        elif langs[i]:
            out.append(Literal(text, lang=langs[i]))
        else:
            dt = types[i]
            out.append(Literal(text, datatype=URIRef(dt) if dt and dt != _XSD_STRING else None))
    return out


def _select(name: str) -> str:
    return f"?{name} (LANG(?{name}) AS ?{name}_lang) (DATATYPE(?{name}) AS ?{name}_dt)"


class SparqlView:
    """The read methods of an rdflib Dataset (default graph: the union), answered in SPARQL."""

    def __init__(self, run: Callable[[str], Result]) -> None:
        self.run = run

    def _pairs(self, s: Optional[Any], p: Optional[Any], o: Optional[Any], wanted: tuple[str, ...]) -> list[list]:
        """The terms of the `wanted` variables, one per distinct triple matching the pattern."""
        free = [v for v, term in (("s", s), ("p", p), ("o", o)) if term is None and v not in wanted]
        query = (f"SELECT DISTINCT {' '.join([_select(w) for w in wanted] + [f'?{v}' for v in free])} "
                 f"WHERE {{ {_n3(s, 's')} {_n3(p, 'p')} {_n3(o, 'o')} }}")
        result = self.run(query)
        return [_terms(result, w) for w in wanted]

    def subject_objects(self, predicate: Any = None) -> Iterator[tuple]:
        return zip(*self._pairs(None, predicate, None, ("s", "o")))

    def iri_texts(self, predicate: Any) -> Iterator[tuple[str, str]]:
        """(subject, object) as text — ``str`` of the rdflib terms — of the triples with
        `predicate` whose subject is an IRI, read off the answer's columns: no rdflib term made."""
        result = self.run(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate.n3()} ?o FILTER(isIRI(?s)) }}")
        objects = result.column("o")
        for i, (subject, text) in enumerate(zip(result.column("s").lexical, objects.lexical)):
            yield subject, text[2:] if objects.kind(i) == "bnode" else text

    def subject_counts(self, predicate: Any) -> Counter:
        """{subject (as text): triples with `predicate`}, counted by the engine: the search
        ranks by the sources naming each entity, 3.5 million `vnkg:mentionedIn` at 100,000
        articles, which read one by one took most of the index's 95 s and 4.6 GiB."""
        result = self.run(f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s {predicate.n3()} ?o }} GROUP BY ?s")
        return Counter(dict(zip(result.column("s").lexical, map(int, result.column("n").lexical))))

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator:  # noqa: A002 - rdflib's name
        return iter(self._pairs(None, predicate, object, ("s",))[0])

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator:
        return iter(self._pairs(subject, predicate, None, ("o",))[0])
