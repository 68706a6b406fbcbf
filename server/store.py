"""The dataset the server holds: loaded once from the TriG that ``kg build`` writes.

Takes a path and the IRI prefixes of the graphs meant to be public; returns a :class:`Store`
with the rdflib dataset (its default graph is the union of every named graph served:
sources, ontology, inferences, links), the triple count of each graph, the build time and the
service description. A graph of the file whose IRI is under none of the prefixes, and any
triple outside a named graph, is dropped at load: no route can show it. It does not query
(that is :mod:`server.engine`) and never writes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, VOID, XSD

import kg
from kg import config
from kg.errors import ConfigError
from kg.results import MEDIA_TYPES
from kg.vocab import bind_all

ENGINES = ("oxigraph", "rdflib")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
OWL_RL_PROFILE = URIRef("http://www.w3.org/ns/owl-profile/RL")
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV, "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle, "application/n-triples": FORMATS["N-Triples"],
    "application/rdf+xml": FORMATS.RDF_XML, "application/ld+json": FORMATS["JSON-LD"],
    "application/trig": FORMATS.TriG, "application/n-quads": FORMATS["N-Quads"],
}


@contextlib.contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence the DeprecationWarnings rdflib 7.6 raises from inside its own Dataset code
    (parse, query, serialize call its deprecated ``default_context``/``contexts``). Warnings
    raised by our calls are not silenced: those point at code of ours to fix."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        yield


@dataclass
class Store:
    dataset: Any  # an rdflib Dataset, or an OxDataset over `native`
    path: Path
    built: dt.datetime
    graph_counts: dict[str, int] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()  # graphs of the file that are not served
    native: Any = None  # the pyoxigraph store (engine "oxigraph")
    folder: Optional[Path] = None  # its on-disk folder, when it is one
    remote: Optional[str] = None  # the query URL of the store behind `kg serve --store`
    stamp: Optional[tuple[int, int, int]] = None  # the file's (inode, size, mtime) when it was loaded
    _union: Optional[int] = field(default=None, repr=False, compare=False)  # union_triples, once counted

    @property
    def whole_file(self) -> bool:
        """True when the file holds nothing but what is served (it can be sent as it is)."""
        return not self.dropped and self.remote is None

    @property
    def triples(self) -> int:
        return sum(self.graph_counts.values())

    def union_triples(self) -> int:
        """Triples of the union of the graphs (each once): for the disk store, counted by the
        engine once per version of the file and kept in its folder (:func:`server.oxdataset.union_size`)."""
        if self._union is None:
            if self.folder is None:
                self._union = len(self.dataset)
            else:
                from kg import store as kg_store

                from .oxdataset import union_size
                self._union = union_size(self.dataset.store, self.folder, kg_store.file_stamp(self.path))
        return self._union

    @staticmethod
    def graph_kinds() -> dict[str, str]:
        """The graphs that are not a source's, by IRI: their kinds ("inferred", "links", "ontology",
        "tenures"; any other graph served is a source's). The settings are read once for all the
        graphs, where reading them for each of 100,000 graphs took 0.6 s."""
        return {config.graph_iri(kind): kind for kind in ("inferred", "links", "ontology", "tenures")}


def load(path: Path | str, public: Sequence[str] = (), engine: str = "oxigraph") -> Store:
    """Read the dataset file once, keeping the graphs whose IRIs start with one of the
    `public` prefixes (default: the ``graph_base`` setting); raise ConfigError if the file
    is missing or unreadable. Engine "oxigraph" (the default) puts it in pyoxigraph — the
    on-disk store beside a large file, made once and shared with `kg query` — and reads it
    through :class:`server.oxdataset.OxDataset`; "rdflib" parses it into an rdflib Dataset."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"no dataset at {path}; run `kg build` first or pass --graph FILE")
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    st = path.stat()  # before reading: a file changed meanwhile no longer matches the stamp
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    built = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).replace(microsecond=0)
    if engine == "oxigraph":
        loaded = _load_native(path, tuple(public) or (config.get("graph_base"),), built)
        loaded.stamp = stamp
        return loaded
    dataset = Dataset(default_union=True)
    bind_all(dataset)
    try:
        with quiet_rdflib():
            dataset.parse(path, format="trig" if path.suffix != ".nq" else "nquads")
    except Exception as exc:  # rdflib's parsers raise many kinds; all mean a bad file
        raise ConfigError(f"{path.name} cannot be read as RDF: {exc}") from exc
    dropped = _keep_public(dataset, tuple(public) or (config.get("graph_base"),))
    counts = {str(g.identifier): len(g) for g in dataset.graphs()
              if len(g) and isinstance(g.identifier, URIRef)}
    return Store(dataset, path, built, dict(sorted(counts.items())), dropped, stamp=stamp)


def load_remote(url: str, engine: Any) -> Store:
    """The store behind `kg serve --store URL`: its graphs counted once, read through `engine`."""
    from .remote import RemoteDataset
    dataset = RemoteDataset(engine)
    counts = dataset.counts()
    return Store(dataset, Path(url), dt.datetime.now(dt.timezone.utc).replace(microsecond=0), counts, (), remote=url)


def _load_native(path: Path, public: tuple[str, ...], built: dt.datetime) -> Store:
    from kg.errors import KgError

    from .oxdataset import OxDataset, open_public
    try:
        native, counts, dropped, folder = open_public(path, public)
    except (KgError, OSError) as exc:
        raise ConfigError(f"{path.name} cannot be read as RDF: {exc}") from exc
    if folder is not None:  # each process opens its own handle (server.oxdataset.OxDataset.store)
        return Store(OxDataset(None, folder), path, built, counts, dropped, None, folder)
    return Store(OxDataset(native), path, built, counts, dropped, native, None)


def _keep_public(dataset: Dataset, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Remove every graph not under `prefixes` (and the file's default graph); their names."""
    dropped = []
    with quiet_rdflib():
        for graph in list(dataset.graphs()):
            name = graph.identifier
            if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID \
                    and str(name).startswith(prefixes):
                continue
            if len(graph):
                dropped.append(str(name))
            graph.remove((None, None, None))
            if name != DATASET_DEFAULT_GRAPH_ID:
                dataset.remove_graph(graph)
    return tuple(sorted(dropped))


def service_description(store: Store, endpoint: str, stats: str = "/stats") -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at `endpoint` (an absolute URL),
    naming each graph with its triples while they are at most ``service_graphs``; past that
    the graphs that are not a source's, and where `stats` lists them all."""
    g = Graph()
    bind_all(g)
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service, dataset, default = URIRef(endpoint + "#service"), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT["OWL-RDF-Based"]))
    g.add((service, SD.defaultSupportedEntailmentProfile, OWL_RL_PROFILE))
    for media_type in dict.fromkeys(t for types in MEDIA_TYPES.values() for t in types):
        g.add((service, SD.resultFormat, _FORMAT_IRIS[media_type]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(store.union_triples(), datatype=XSD.integer)))
    graphs, kinds = store.graph_counts, store.graph_kinds()
    listed = graphs if len(graphs) <= int(config.get("service_graphs")) else \
        {iri: n for iri, n in graphs.items() if iri in kinds}
    for iri, count in listed.items():
        _named_graph(g, dataset, iri, count)
    if len(listed) < len(graphs):  # a hundred thousand sources' graphs: megabytes no client reads
        g.add((dataset, RDFS.comment, Literal(
            f"{len(graphs):,} named graphs; the {len(graphs) - len(listed):,} graphs of the sources are not "
            f"listed here (the service_graphs setting): {stats} lists them all, with their triples", lang="en")))
    g.add((service, URIRef("http://purl.org/dc/terms/hasVersion"), Literal(kg.__version__)))
    return g


def _named_graph(g: Graph, dataset: BNode, iri: str, count: int) -> None:
    named, graph = BNode(), BNode()
    g.add((dataset, SD.namedGraph, named))
    g.add((named, RDF.type, SD.NamedGraph))
    g.add((named, SD.name, URIRef(iri)))
    g.add((named, SD.graph, graph))
    g.add((graph, RDF.type, SD.Graph))
    g.add((graph, VOID.triples, Literal(count, datatype=XSD.integer)))
