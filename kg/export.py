"""Write datasets and graphs to files, deterministically and atomically.

TriG is written graph by graph, in IRI order, each graph's body by rdflib's Turtle writer
(subjects and predicates sorted; no blank nodes in vnkg data), so the same dataset gives the
same bytes. Every file is written to a temporary file beside the target and renamed over it:
a crash leaves the previous file whole. Other formats: Turtle (one graph, or the union),
N-Triples, N-Quads, JSON-LD.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from rdflib import Dataset, Graph, URIRef

from .errors import KgError
from .vocab import bind_all

FORMATS = {"trig": ".trig", "turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "json-ld": ".jsonld"}
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nq": "nquads", "n-quads": "nquads",
            "jsonld": "json-ld"}


def format_name(name: str) -> str:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise KgError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return key


def format_for(path: Path) -> str:
    for name, suffix in FORMATS.items():
        if str(path).endswith(suffix):
            return name
    return "trig"


def serialize(ds: Dataset, fmt: str = "trig", graph: str | None = None) -> bytes:
    """The dataset (or one named graph of it) in `fmt`, as bytes."""
    fmt = format_name(fmt)
    if graph is not None:
        return _graph_bytes(_named(ds, graph), fmt)
    if fmt == "trig":
        from .graph.trig import dataset_bytes  # the writer `kg build` uses, so a re-export is the same file
        return dataset_bytes(ds)
    if fmt == "nquads":
        return "".join(sorted(_nquad_lines(ds))).encode("utf-8")
    union = Graph()
    bind_all(union)
    for g in ds.graphs():
        for t in g:
            union.add(t)
    return _graph_bytes(union, fmt)


def _named(ds: Dataset, iri: str) -> Graph:
    g = ds.graph(URIRef(iri))
    if len(g) == 0:
        names = ", ".join(sorted(str(x.identifier) for x in ds.graphs() if len(x)))
        raise KgError(f"no graph named {iri!r}; the dataset has: {names}")
    return g


def _graph_bytes(g: Graph, fmt: str) -> bytes:
    if fmt == "nt":
        return "".join(sorted(line + "\n" for line in g.serialize(format="nt").splitlines() if line)).encode("utf-8")
    if fmt == "nquads":
        return _graph_bytes(g, "nt")
    if fmt == "trig":
        fmt = "turtle"
    out = Graph()
    bind_all(out)
    for t in g:
        out.add(t)
    return out.serialize(format=fmt, indent=1 if fmt == "json-ld" else None, sort_keys=True).encode("utf-8") \
        if fmt == "json-ld" else out.serialize(format=fmt).encode("utf-8")


def _nquad_lines(ds: Dataset):
    for g in ds.graphs():
        if str(g.identifier) == "urn:x-rdflib:default":
            continue
        for line in g.serialize(format="nt").splitlines():
            if line.strip():
                yield f"{line[:-1].rstrip()} <{g.identifier}> .\n"


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Write `data` (bytes, or chunks of it) to `path` through a temporary file and a rename;
    return the number of bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    size = 0
    try:
        os.fchmod(fd, public_mode())  # mkstemp makes it 0600; a server of another user must read it
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, bytes) else data:
                size += fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def public_mode() -> int:
    """The mode a new file gets from the process's umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def load(path: Path) -> Dataset:
    """A dataset file as written by :func:`serialize` (TriG, N-Quads, or any RDF file)."""
    path = Path(path)
    if not path.exists():
        raise KgError(f"{path}: no such file; build it first with `kg build`")
    ds = Dataset()
    bind_all(ds)
    fmt = {"trig": "trig", "nquads": "nquads"}.get(format_for(path))
    if fmt is None:
        g = ds.graph(URIRef(f"file:{path.name}"))
        g.parse(path)
    else:
        ds.parse(path, format=fmt)
    return ds
