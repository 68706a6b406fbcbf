"""A fast, deterministic TriG writer for the data graphs of a build, and the file it writes.

rdflib's Turtle writer needs minutes for a million triples; this one formats each term once
(the IRIs used most are memoised), sorts each graph's triples and groups them by subject and predicate, so
the same triples always give the same bytes. It handles IRIs and literals only: the source,
inferred and links graphs have no blank nodes. The ontology graph (blank nodes, lists) is
written by rdflib (:func:`rdflib_block`); :func:`write` streams every block into the output
through a temporary file and a rename, so a large dataset never sits whole in memory.
"""
from __future__ import annotations

import itertools
import mmap
from array import array
from bisect import bisect_left
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..reason.closure import from_key
from ..ids import PREFIXES as _KINDS
from ..vocab import DEFAULT_BASE, NAMESPACES, bind_all

# Turtle 1.1 lets a local name start with a digit ("ev:0a97…"); the dataset's own IRIs under the
# default base get a prefix per kind, which halves the bytes of the evidence.
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
_IDS = {kind: f"{DEFAULT_BASE}{kind}/" for kind in (*_KINDS.values(), "mention", "sentence")}
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_PREFIXES = sorted([*((str(ns), p) for p, ns in NAMESPACES.items()), *((ns, p) for p, ns in _IDS.items())],
                   key=lambda x: -len(x[0]))
TYPE = "a"


def prefix_lines() -> list[str]:
    return [f"@prefix {p}: <{ns}> ." for p, ns in (*NAMESPACES.items(), *_IDS.items())]


@lru_cache(maxsize=1 << 16)  # bounded: evidence IRIs are each written once
def iri(value: str) -> str:
    """An IRI as a prefixed name where one of the project's prefixes fits, else in brackets."""
    for ns, prefix in _PREFIXES:
        if value.startswith(ns) and _LOCAL.match(value[len(ns):]):
            return f"{prefix}:{value[len(ns):]}"
    return f"<{value}>"


_XSD_INTEGER, _RDF_TYPE = XSD.integer, RDF.type


def escape(text: str) -> str:
    """``text.translate(_ESCAPES)``: the same string, made by a replace per character escaped
    (a sentence of Vietnamese 1.1 µs, where translate, which looks each character of a non-ASCII
    string up in the table, takes 13.6 µs). The backslash first: the others bring their own."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


def literal(lit: Literal) -> str:
    datatype = lit.datatype  # None for most (text in a language): compared to nothing (rdflib's == is slow)
    if datatype is not None and str.__eq__(datatype, _XSD_INTEGER) and _INTEGER.match(lit):
        return str(lit)
    text = '"' + escape(str(lit)) + '"'
    if datatype is None:
        language = lit.language
        return f"{text}@{language}" if language else text
    return f"{text}^^{iri(str(datatype))}"


_plain = str.__str__  # an IRI as a plain string: the memo then compares strings, not rdflib terms (slow ==)


def term(t) -> str:
    if t.__class__ is URIRef:
        return iri(_plain(t))
    if isinstance(t, Literal):
        return literal(t)
    if isinstance(t, URIRef):
        return iri(str(t))
    raise TypeError(f"the fast TriG writer takes IRIs and literals only, not {t!r}")


_TYPE_KEY = "<" + str(RDF.type)


@lru_cache(maxsize=1 << 16)  # bounded: evidence IRIs are each written once
def key_term(k: str) -> str:
    """A term key (:func:`kg.reason.closure.key`) as Turtle."""
    return iri(k[1:]) if k[0] == "<" else term(from_key(k))


def key_row(t: tuple[str, str, str]) -> tuple[str, str, str]:
    s, p, o = t
    return key_term(s), TYPE if p == _TYPE_KEY else key_term(p), key_term(o)


def formatted(triples: Iterable[tuple]) -> list[tuple[str, str, str]]:
    rdf_type, same = str(_RDF_TYPE), str.__eq__
    return [(term(s), TYPE if same(p, rdf_type) else term(p), term(o)) for s, p, o in triples]


def body(triples: Iterable[tuple[str, str, str]]) -> str:
    """A graph's triples (already formatted) as Turtle statements, sorted."""
    rows = sorted(set(triples), key=lambda t: (t[0], t[1] != TYPE, t[1], t[2]))
    out: list[str] = []
    last_s = last_p = None
    for s, p, o in rows:
        if s != last_s:
            if last_s is not None:
                out.append(" .\n\n")
            out.append(f"{s} {p} {o}")
            last_s, last_p = s, p
        elif p != last_p:
            out.append(f" ;\n    {p} {o}")
            last_p = p
        else:
            out.append(f",\n        {o}")
    if rows:
        out.append(" .\n")
    return "".join(out)


def key_rows_block(graph_iri: str, rows: Iterable[tuple[int, int, int]], key_of: Callable[[int], str],
                   size: int = 1 << 20) -> Iterator[bytes]:
    """``block(graph_iri, body(key_row(…) for each row))``, in chunks of about `size` bytes, for a
    large graph of integer rows whose terms' keys `key_of` gives (the reasoner's inferences): it
    holds each row as three 4-byte ids and each distinct term's text once, not every row's three
    texts and the text of the whole graph (at 100,000 articles 6.4 million rows, gigabytes as
    strings). `rows` is read once, first of all, so whatever it reads from (the reasoner's closure)
    may be let go of before the rows are ranked and sorted."""
    columns = (array("I"), array("I"), array("I"))  # subject, predicate, object ids (below 2**32: kg.reason.closure.pack)
    subjects, predicates, objects = columns
    for s, p, o in rows:
        subjects.append(s)
        predicates.append(p)
        objects.append(o)
    del rows
    n_terms = 1 + max((max(c) for c in columns if c), default=0)
    texts, rank_of = [], []
    for position, column in enumerate(columns):  # each position's terms, ranked by their text as body() sorts
        used = bytearray(n_terms)
        for i in column:
            used[i] = 1
        text_of: dict[int, str] = {}
        for i, flag in enumerate(used):
            if flag:
                k = key_of(i)
                text_of[i] = TYPE if position == 1 and k == _TYPE_KEY else key_term(k)
        ranked = sorted(set(text_of.values()))
        rank = {t: r for r, t in enumerate(ranked)}
        ranks = array("I", bytes(4 * n_terms))
        for i, t in text_of.items():
            ranks[i] = rank[t]
        texts.append(ranked)
        rank_of.append(ranks)
        del used, text_of, rank
    typed = bisect_left(texts[1], TYPE) if TYPE in texts[1] else -1
    n_p, n_o = len(texts[1]) or 1, len(texts[2]) or 1
    rs_, rp_, ro_ = rank_of
    packed = [((rs_[s] * 2 + (rp_[p] != typed)) * n_p + rp_[p]) * n_o + ro_[o]  # (subject, not rdf:type, predicate, object)
              for s, p, o in zip(subjects, predicates, objects)]
    del columns, subjects, predicates, objects, rank_of, rs_, rp_, ro_
    rows = packed
    rows.sort()
    yield f"\n<{graph_iri}> {{\n".encode("utf-8")
    out: list[str] = []
    held = 0
    last = last_s = last_p = None
    for v in rows:
        if v == last:
            continue
        last = v
        rest, ro = divmod(v, n_o)
        rest, rp = divmod(rest, n_p)
        rs = rest // 2
        s, p, o = texts[0][rs], texts[1][rp], texts[2][ro]
        if s != last_s:
            piece = (" .\n\n" if last_s is not None else "") + f"{s} {p} {o}"
            last_s, last_p = s, p
        elif p != last_p:
            piece, last_p = f" ;\n    {p} {o}", p
        else:
            piece = f",\n        {o}"
        out.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(out).encode("utf-8")
            out, held = [], 0
    yield ("".join(out) + (" ." if last_s is not None else "") + "\n}\n").encode("utf-8")


def block(graph_iri: str, text: str) -> bytes:
    return f"\n<{graph_iri}> {{\n{text.strip()}\n}}\n".encode("utf-8")


def rdflib_block(graph_iri: str, g: Graph) -> tuple[bytes, set[str]]:
    """A graph with blank nodes, written by rdflib; returns the block and the prefixes it used."""
    out = Graph()
    bind_all(out)
    for t in g:
        out.add(t)
    lines = out.serialize(format="turtle").splitlines()
    prefixes = {line.strip() for line in lines if line.startswith("@prefix")}
    text = "\n".join(line for line in lines if not line.startswith("@prefix"))
    return block(graph_iri, text), prefixes


def header(prefixes: Iterable[str]) -> bytes:
    return ("\n".join(sorted(set(prefixes))) + "\n").encode("utf-8")


def dataset_bytes(ds: Dataset) -> bytes:
    """A whole dataset as TriG, written as `kg build` writes it: graphs in IRI order, a graph with
    blank nodes (the ontology) by rdflib, every other one by this module."""
    prefixes, blocks = set(prefix_lines()), []
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        iri = str(g.identifier)
        if len(g) == 0 or iri == "urn:x-rdflib:default":
            continue
        if any(isinstance(t, BNode) for triple in g for t in triple):
            b, used = rdflib_block(iri, g)
            prefixes |= used
        else:
            b = block(iri, body(formatted(g)))
        blocks.append(b)
    return header(prefixes) + b"".join(blocks)


def write(path: Path, prefixes: Iterable[str], blocks: Iterable[bytes | Path], union: Path | None = None) -> int:
    """Write the header and the blocks (bytes, or files holding a block) atomically; return the size.
    With `union`, also write there the statements of every block under the same header, each
    block's in a default-graph block of its own (``{ … }``): one TriG document of the union of the
    graphs (a triple as often as graphs hold it), which the store's bulk loader reads as its default
    graph (:func:`kg.store.disk_store`), piece by piece like the dataset (:func:`pieces`)."""
    from ..export import write_atomic
    head = header(prefixes)
    chunks = (b if isinstance(b, bytes) else Path(b).read_bytes() for b in blocks)  # streamed, block by block
    if union is None:
        return write_atomic(path, itertools.chain([head], chunks))
    with open(union, "wb") as out:
        out.write(head)
        return write_atomic(path, itertools.chain([head], (_tee(b, out) for b in chunks)))


def statements(block: bytes) -> bytes:
    """A block's statements: what its graph's braces hold (an IRI never holds a brace)."""
    return block[block.index(b"{\n") + 2:block.rindex(b"\n}")] + b"\n"


def _tee(block: bytes, out) -> bytes:
    out.write(b"\n{\n" + statements(block) + b"}\n")
    return block


def pieces(path: Path, size: int) -> Iterator[bytes]:
    """The TriG file `path`, written by :func:`write`, as documents of about `size` bytes: each its
    header, then graph blocks — a graph larger than `size` (the inferred one grows with the dataset)
    in several blocks of the same name, split between two subjects' statements. Together they hold
    what the file holds, but for blank nodes labelled ``_:x`` in different pieces, which one document
    shares and two do not: a file with any such label (or the text ``_:`` anywhere) comes as one
    piece. The fast writer's blocks hold no line ``}`` but their last and no blank line but between
    subjects (a literal's newline is escaped); a block rdflib wrote could hold either inside a long
    literal, where a piece could end in mid-statement: the reader then reports a syntax error.

    The file is mapped, not read, and the pages of each piece are let go of once it is made (a
    mapped page read counts in the process's memory until then: a whole 2.5 GB file would)."""
    if not path.stat().st_size or _labelled(path):
        yield path.read_bytes()
        return
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as whole:
        start = whole.find(b"\n\n") + 1  # the header: the prefix lines, then a blank line
        head = bytes(whole[:start])
        out: list[bytes] = []
        held = 0
        for part, end in _parts(whole, start, size):
            out.append(part)
            held += len(part)
            if held >= size:
                yield b"".join([head, *out])
                out, held = [], 0
                whole.madvise(mmap.MADV_DONTNEED, 0, end - end % mmap.PAGESIZE)
        if out:
            yield b"".join([head, *out])


def _labelled(path: Path, chunk: int = 1 << 24) -> bool:
    """Whether the text ``_:`` (a blank node's label, or a literal's) is anywhere in the file."""
    last = b""
    with open(path, "rb") as f:
        while data := f.read(chunk):
            if b"_:" in last + data[:1] or b"_:" in data:
                return True
            last = data[-1:]
    return False


def _parts(whole, start: int, size: int) -> Iterator[tuple[bytes, int]]:
    """The graph blocks of `whole` from `start` (each ``\n<iri> {\n … \n}\n``, or ``{ … }`` for
    the default graph), a block over `size` as several blocks of its graph; each with where it ends."""
    while start < len(whole):
        end = whole.find(b"\n}\n", start)
        while end >= 0 and whole[end + 3:end + 5] not in (b"", b"\n<", b"\n{"):  # a line "}" inside
            end = whole.find(b"\n}\n", end + 1)
        end = len(whole) if end < 0 else end + 3
        if end - start <= size:
            yield bytes(whole[start:end]), end
        else:
            body = whole.find(b"{\n", start) + 2
            opening, close = bytes(whole[start:body]), end - 2  # the closing "}\n"
            while body < close:
                cut = whole.find(b" .\n\n", body + size, close)
                cut = close if cut < 0 else cut + 3
                yield opening + bytes(whole[body:cut]) + b"}\n", cut
                body = cut
        start = end
