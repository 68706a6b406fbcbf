"""One registry of settings, used by the CLI, the server and the docs.

Each setting has a name, a default that works offline, and a line of help. The server
reads them from the environment with the prefix ``KG_`` (``KG_BASE_IRI``), the CLI from
its options; both fall back to the defaults here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .vocab import DEFAULT_BASE, GRAPH_BASE

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CQ_DIR = DATA_DIR / "cq"


def _project_dir() -> Path:
    """The checkout the package runs from (editable install), else the working directory."""
    here = PACKAGE_DIR.parent
    return here if (here / "ontology").is_dir() else Path.cwd()


PROJECT_DIR = _project_dir()
ONTOLOGY_DIR = PROJECT_DIR / "ontology"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", DEFAULT_BASE, "Base IRI under which data IRIs are minted and served."),
    Setting("graph_base", GRAPH_BASE, "Base IRI of the named graphs (sources, ontology, inferred, links)."),
    Setting("seeds", "seeds", "Default input folder of `kg build`."),
    Setting("output", "build/kg.trig", "Default dataset file written by `kg build` and served by `kg serve`."),
    Setting("max_source_bytes", 20 * 1024 * 1024, "Largest source file `kg build` reads, in bytes; a larger one is an input error."),
    Setting("engine", "oxigraph", "Query engine of `kg serve`: oxigraph (pyoxigraph, native; the default) or rdflib."),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("query_memory_mb", 4096, "Memory cap of a query process, in MiB, shared by the queries it runs at once "
            "(8 whole answers of 100,000+ rows need more than 1 GiB together)."),
    Setting("max_results", 100_000, "Most rows or triples a query may return; more is an error, not a cut (0: no limit)."),
    Setting("max_result_mb", 128, "Largest answer the server sends, in MiB, as written; larger is an error (400), "
            "refused in the query process before it reaches the server (0: no limit)."),
    Setting("max_query_tokens", 10_000, "Most tokens (terms, keywords, punctuation) a query may have; a longer one is "
            "refused (400) before it is parsed, since parsing alone would take seconds (0: no limit)."),
    Setting("entity_page_values", 100, "Values of one property an entity's page (and its RDF) shows, in each "
            "direction; more go to the next page (`?page=2`), with the count shown."),
    Setting("service_graphs", 1000, "Named graphs the Service Description (a GET of /sparql without a query) lists "
            "one by one with their triples; past that, only those that are not a source's, and how many there are "
            "(/stats lists them all)."),
    Setting("entity_page_sources", 5, "Sources an entity's page quotes for one fact; how many state it is shown."),
    Setting("workers", 2, "Worker processes of the production server."),
    Setting("threads", 8, "Request threads of each worker process of the production server."),
    Setting("query_processes", 2, "Query processes of each server worker (queries run there, under the time and memory "
            "caps); the first with room takes a query, the others are ready when one is replaced."),
    Setting("query_threads", 8, "Queries each query process runs at once with the oxigraph engine (they share its "
            "store's caches; rdflib runs one). Processes × threads is more than 2 × client_limit, so two clients at "
            "their limit leave room for a third."),
    Setting("client_limit", 2, "Requests one client may have in progress at once under `kg serve` (more: 429 with "
            "Retry-After; 0: no limit). `create_app` leaves it off unless set."),
    Setting("client_header", "", "Header naming the client behind a trusted reverse proxy (e.g. X-Forwarded-For; "
            "its last address is used); empty: the connection's remote address."),
    Setting("request_read_timeout", 10.0, "Seconds a client has to send a whole request (headers and body) from its "
            "first byte; past them the connection is closed."),
    Setting("client_connection_limit", 4, "Connections one client address may hold in each server worker; past it an "
            "idle one of its own is closed, else the new one is answered 429 at once (0: no limit)."),
    Setting("worker_memory_mb", 2048, "Address space (MiB) a server worker may add to what it maps at start "
            "(RLIMIT_AS); past it a request is answered 503 (0: no cap)."),
    Setting("control_socket", "", "Path of gunicorn's control socket for `kg serve` (empty: none, so two servers on "
            "one machine never share one)."),
    Setting("public_graphs", "", "More IRI prefixes (space-separated) of named graphs the server may serve, besides "
            "those under graph_base; every other graph of the dataset file is dropped at load."),
    Setting("online", False, "Allow network access (Wikidata) at run time."),
    Setting("cache_dir", "", "Where online Wikidata answers, confirmed links and the extractor's compiled patterns are "
            "kept (empty: $XDG_CACHE_HOME/vnkg, else ~/.cache/vnkg)."),
    Setting("link_table", "", "The user's table of accepted Wikidata reviews (empty: kg/data/wikidata.local.json)."),
    Setting("person_identity", "context", "How person mentions become people: context (name plus bodies, places, posts and "
            "dates, across sources; the default) or name (one person per written name)."),
    Setting("people_table", "", "A CSV table of person mentions that are, or are not, one person (a,b,decision); "
            "it overrides the rules of `person_identity = context`."),
    Setting("reasoner", "rules", "OWL-RL engine of `kg build`: rules (compiled for the ontology, fast) or owlrl (the reference)."),
    Setting("reason_batch", 200_000, "Asserted facts `kg build` gives the rules engine at once, as the source graphs "
            "are made (the result is the same for any size)."),
    Setting("jobs", 0, "Processes `kg build` extracts and writes source graphs with (0: one per CPU)."),
    Setting("store_cache_mb", 8, "`kg query`/`kg export`/`kg add` load a dataset file up to this size (MiB) into "
            "memory; a larger one once into an on-disk pyoxigraph store beside it (kg.trig.oxigraph/). Loading "
            "runs at a few MiB a second, so past this size every command would pay seconds for it."),
    Setting("store_loader", "bulk", "How `kg build` loads the on-disk store: bulk (the file and the union of its graphs "
            "read by pyoxigraph's bulk loader, `store_load_piece_mb` at a time, no quad through Python: fastest) or "
            "batched (`store_load_batch` quads at a time through Python: slower)."),
    Setting("store_load_piece_mb", 16, "MiB of the dataset file (graph blocks; a larger graph split between "
            "subjects) the bulk loader reads at once, each piece stored when read (0: each file whole): its memory "
            "grows with the piece, not with the dataset (10,000 generated articles, 253 MB: whole 1.7 GiB and 45 s; "
            "pieces of 16 MiB 0.43 GiB and 56 s)."),
    Setting("store_load_whole_mb", 1024, "A dataset file over this size (MiB) is bulk-loaded whole, not in pieces "
            "(0: never): the store then compacts once what a piece at a time it merges again and again as it grows "
            "(100,000 generated articles, 2.5 GB: 699 s and 3.6 GiB whole against 806 s and 1.4 GiB in pieces of "
            "16 MiB); the loader's memory is bounded by pyoxigraph's batches of a million quads, about 1.7 GiB a file."),
    Setting("store_load_batch", 1_000_000, "Quads the on-disk store is loaded with at once (pyoxigraph's bulk loader "
            "sorts each batch in memory: about 0.3 KiB a quad; fewer, larger batches load faster); for the batched "
            "loader, and wherever a store is made from a dataset file alone."),
    Setting("answer_cache_mb", 256, "`kg query` keeps each answer up to this size (MiB) beside the dataset, until the "
            "dataset changes (0: off)."),
    Setting("answer_cache_total_mb", 1024, "Most the kept answers of a dataset may take together (MiB); the least "
            "recently used are removed first to make room (0: keep none)."),
    Setting("build_cache", "", "Folder of the build cache: extractions and source graphs by content hash "
            "(empty: .vnkg-cache beside the output; 'off': no cache)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, overrides: dict[str, Any] | None = None) -> Any:
    """A setting's value: the override, else ``KG_<NAME>`` from the environment, else the default."""
    if name not in _BY_NAME:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}")
    if overrides and name in overrides:
        return overrides[name]
    setting = _BY_NAME[name]
    raw = os.environ.get(f"KG_{name.upper()}")
    if raw is None:
        return setting.default
    return _coerce(setting, raw)


def _coerce(setting: Setting, raw: str) -> Any:
    kind = type(setting.default)
    try:
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"KG_{setting.name.upper()}={raw!r} is not a {kind.__name__}") from exc


def cache_dir(overrides: dict[str, Any] | None = None) -> Path:
    """The user's cache folder: setting ``cache_dir`` (``KG_CACHE_DIR``), else
    ``$XDG_CACHE_HOME/vnkg``, else ``~/.cache/vnkg``."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vnkg"
    return Path(get("cache_dir", overrides) or home).expanduser()


def graph_iri(kind: str, name: str = "", overrides: dict[str, Any] | None = None) -> str:
    """IRI of a named graph: ``graph_iri("source", "000_x.txt")``, ``graph_iri("inferred")``."""
    base = get("graph_base", overrides)
    return f"{base}{kind}/{_iri_safe(name)}" if name else f"{base}{kind}"


def _iri_safe(name: str) -> str:
    """A source's name in an IRI: the characters an IRI cannot hold (space, <>"{}|\\^`) escaped;
    other names unchanged."""
    return "".join(c if c not in ' <>"{}|\\^`' and ord(c) > 0x20 else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
                   for c in name)
