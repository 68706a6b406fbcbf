"""`kg`: build the graph, query it, export, validate, evaluate, link and serve it.

Each command is a few lines calling one library function. Summaries go to stderr, data to
stdout (or a file) only when asked. Exit codes: 0 ok, 1 not conforming / inconsistent /
below a threshold, 2 an error (bad input, bad query, missing file).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, config
from .errors import KgError
from .fetch.cli import add_parser as add_fetch_parser
from .shard.cli import add_parser as add_extract_parser


def _graph_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--graph", "-g", type=Path, default=Path(config.get("output")),
                   help="dataset file built by `kg build` (default: %(default)s)")


def _engine_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="pyoxigraph (native, the default) or rdflib's engine (default: %(default)s)")


def cmd_build(a: argparse.Namespace) -> int:
    from .pipeline import build
    from .atomic import claimed
    inputs = a.paths or [Path(config.get("seeds"))]
    with claimed(a.output):  # one build per folder; leftovers of a killed build removed
        build(inputs, a.output, do_reason=not a.no_reason, online=a.online, reasoner=a.reasoner,
              keep_going=a.keep_going, overrides=_people_overrides(a), recursive=a.recursive,
              disk_store=not a.no_store)
    if a.explain:
        from .explain import explain
        sys.stdout.write(explain(a.output, a.explain))
    return 0


def _people_overrides(a: argparse.Namespace) -> dict:
    """The person-identity options given on the command line, as setting overrides."""
    out = {}
    if a.identity:
        out["person_identity"] = a.identity
    if a.people_table:
        out["people_table"] = str(a.people_table)
    return out


def _people_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--identity", choices=("context", "name"), default=None,
                   help="how person mentions become people: context (name plus bodies, places, posts, dates; the "
                        "default) or name (one person per written name)")
    p.add_argument("--people-table", type=Path, metavar="CSV",
                   help="a table of mentions that are, or are not, one person (header a,b,decision; "
                        "a and b as SOURCE#Name); it overrides the rules")


def _recursive_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("-r", "--recursive", action="store_true",
                   help="read the folders' subfolders too (a saved site); a source is named by its path in the folder")


def cmd_add(a: argparse.Namespace) -> int:
    from .collector import fewer_collections
    with fewer_collections():  # from the first import on: loading the extractor is a third of an addition
        from .add import add
        add(a.paths, a.graph, online=a.online, overrides=_people_overrides(a), recursive=a.recursive)
    return 0


def cmd_query(a: argparse.Namespace) -> int:
    if a.format.lower() == "xlsx" or a.bom or a.output:  # a workbook, a byte order mark, a file: kg/tables.py
        from .toolkit.tables import query_command
        return query_command(a)
    if a.engine == "rdflib":
        from .query import run_query
        sys.stdout.buffer.write(run_query(a.graph, a.query, a.format))
    else:
        from .store import run_query
        sys.stdout.buffer.write(run_query(a.graph, a.query, a.format, keep=not a.fresh))
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    if a.tables:  # a table per competency question: kg/tables.py
        from .toolkit.tables import export_command
        return export_command(a)
    if a.network:
        from .toolkit.network import run
        return run(a)
    from .export import format_for, format_name, load, serialize, write_atomic
    fmt = format_name(a.format) if a.format else (format_for(a.output) if a.output else "trig")
    if a.engine == "rdflib":
        data = serialize(load(a.graph), fmt, a.named)
    else:
        from .store import export
        data = export(a.graph, fmt, a.named)
    if a.output:
        from .atomic import claimed
        with claimed(a.output):
            write_atomic(a.output, data)
        print(f"export: {a.output} ({len(data):,} bytes, {fmt})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_push(a: argparse.Namespace) -> int:
    from .store.push import push
    log = (lambda line: print(line, file=sys.stderr)) if a.verbose else (lambda line: None)
    done = push(a.graph, a.store, force=a.force, method=a.method, batch_bytes=a.batch_mb * 1024 * 1024,
                batch_graphs=a.batch_graphs, log=log, union=a.default_graph == "union", update=a.update,
                server_bulk=a.server_bulk)
    print(f"push: {done.sent} graphs sent ({done.bytes:,} bytes in {done.requests} requests), {done.skipped} "
          f"unchanged since the last push; {done.triples:,} triples in the dataset", file=sys.stderr)
    return 0


def cmd_validate(a: argparse.Namespace) -> int:
    from .export import load
    from .validate import validate
    report = validate(load(a.graph))
    print(report.text(), file=sys.stderr)
    return report.exit_code


def cmd_evaluate(a: argparse.Namespace) -> int:
    from . import evaluate as ev
    from .export import load
    gold = ev.load_golds(a.gold)
    scores = ev.evaluate(load(a.graph), gold)
    sys.stdout.write(ev.render_json(scores) if a.json else ev.render_text(scores))
    return 0 if a.min_f1 is None or scores.overall >= a.min_f1 else 1


def cmd_link(a: argparse.Namespace) -> int:
    from .link.rdf import link_dataset_file
    result = link_dataset_file(a.graph, online=a.online, review=a.review, accept=a.accept)
    print(f"link: {len(result.links)} links, {len(result.review_rows)} rows to review"
          + (f" (written to {a.review})" if a.review else ""), file=sys.stderr)
    return 0


def cmd_serve(a: argparse.Namespace) -> int:
    from server.run import serve  # the CLI is the edge that joins the two packages
    from server.run import overrides_for
    serve(a.graph, a.host, a.port, a.workers, overrides_for(a.engine, a.store))
    return 0


def cmd_conformance(a: argparse.Namespace) -> int:
    from server.conformance import main as conformance
    return conformance([a.url])


# --- dated questions: kg held, kg career, kg leaders, kg successions (kg/when.py) ---------

def _tenure_data(a: argparse.Namespace):
    if a.store:
        from server.remote import RemoteEngine  # the CLI is the edge that joins the two packages
        return RemoteEngine(a.store, timeout=float(config.get("query_timeout")), max_results=None)
    from .store import open_store
    return open_store(a.graph)


def _tell(a: argparse.Namespace, kind: str, items: list) -> int:
    from .when import render, summary
    sys.stdout.buffer.write(render(kind, items, a.format))
    print(f"{kind}: {summary(kind, items)}", file=sys.stderr)
    return 0 if items else 1


def cmd_held(a: argparse.Namespace) -> int:
    from .when import held_on
    if not a.post and not (a.role and a.body):
        raise KgError("say which post: --post POST (an IRI or its name), or ROLE and BODY ('Bí thư' 'Tỉnh ủy Hải Dương')")
    return _tell(a, "held", held_on(_tenure_data(a), a.on, post=a.post, role=a.role, body=a.body))


def cmd_career(a: argparse.Namespace) -> int:
    from .when import career
    return _tell(a, "career", career(_tenure_data(a), a.person))


def cmd_leaders(a: argparse.Namespace) -> int:
    from .when import leaders
    return _tell(a, "leaders", leaders(_tenure_data(a), a.body, a.role))


def cmd_successions(a: argparse.Namespace) -> int:
    from .when import successions
    return _tell(a, "successions", successions(_tenure_data(a), a.body))


def _dated_parsers(sub) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("-i", "--input", "-g", "--graph", dest="graph", type=Path, default=Path(config.get("output")),
                       help="dataset file built by `kg build` (default: %(default)s)")
        p.add_argument("--store", metavar="URL", help="ask a SPARQL query endpoint instead of a file (e.g. "
                       "http://127.0.0.1:7878/query of `oxigraph serve --union-default-graph`)")
        p.add_argument("--format", "-f", choices=("table", "csv", "json"), default="table",
                       help="default: %(default)s")

    names = "A person, body or post is an IRI or a name, matched without diacritics ('Tinh uy Hai Duong'); " \
            "exit 1 when there is no answer, 2 when a name matches nothing or several (listed)"
    p = sub.add_parser("held", help="who held a post on a day, how sure (stated, attested, bounded), with the "
                       "evidence", description=f"Who held a post on a day. {names}.")
    p.add_argument("--on", required=True, metavar="DATE", help="the day: 2021-06-30 or 30/6/2021")
    p.add_argument("--post", metavar="POST", help="the post's IRI or name ('Bí thư Tỉnh ủy Hải Dương')")
    p.add_argument("role", nargs="?", metavar="ROLE", help="the role ('Bí thư', 'Phó Bí thư'), with BODY")
    p.add_argument("body", nargs="?", metavar="BODY", help="the body ('Tỉnh ủy Hải Dương')")
    common(p)
    p.set_defaults(run=cmd_held)
    p = sub.add_parser("career", help="the posts a person held, in time order", description=f"{names}.")
    p.add_argument("person", metavar="PERSON", help="the person's IRI or name")
    common(p)
    p.set_defaults(run=cmd_career)
    p = sub.add_parser("leaders", help="who held a body's posts over time", description=f"{names}.")
    p.add_argument("body", metavar="BODY", help="the body's IRI or name")
    p.add_argument("--role", help="only this role ('Bí thư')")
    common(p)
    p.set_defaults(run=cmd_leaders)
    p = sub.add_parser("successions", help="who succeeded whom, in a body's posts or everywhere",
                       description=f"{names}.")
    p.add_argument("body", nargs="?", metavar="BODY", help="the body's IRI or name (default: every body)")
    common(p)
    p.set_defaults(run=cmd_successions)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    ap.add_argument("--version", action="version", version=f"vnkg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build the graph from sources: .txt, saved pages (.html, .mhtml), .pdf, .docx "
                                     "(default: seeds/)")
    p.add_argument("paths", nargs="*", type=Path, help="source files or folders")
    _recursive_arg(p)
    p.add_argument("-o", "--output", type=Path, default=Path(config.get("output")), help="default: %(default)s")
    p.add_argument("--no-reason", action="store_true", help="skip OWL-RL reasoning")
    p.add_argument("--no-store", action="store_true", help="do not make the on-disk store beside a dataset over "
                   "store_cache_mb (the first query, `kg add` or `kg serve` then makes it)")
    p.add_argument("--online", action="store_true", help="allow Wikidata look-ups (network)")
    p.add_argument("--reasoner", choices=("rules", "owlrl"), default=None,
                   help="OWL-RL engine: rules (compiled for the ontology, fast; the default) or owlrl (the reference)")
    p.add_argument("--keep-going", action="store_true",
                   help="skip a source that cannot be read (one warning line each) instead of stopping")
    p.add_argument("--explain", metavar="TEXT", help="after building, show the rule and sentence behind each "
                   "fact about entities whose label contains TEXT, and why each person is the mentions it is")
    _people_args(p)
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("add", help="add sources to a built dataset, reasoning only about what they add")
    p.add_argument("paths", nargs="+", type=Path, help="source files or folders")
    _recursive_arg(p)
    _graph_arg(p)
    p.add_argument("--online", action="store_true", help="allow Wikidata look-ups (network)")
    _people_args(p)
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("query", help="run SPARQL over a built dataset")
    _graph_arg(p)
    p.add_argument("query", help="SPARQL text, @FILE, or a competency question's name (posts, members, …)")
    p.add_argument("--format", "-f", default="table", help="table, json, xml, csv, tsv, xlsx; turtle, nt, json-ld … "
                   "for CONSTRUCT (default: %(default)s)")
    _engine_arg(p)
    p.add_argument("--fresh", action="store_true", help="ask the engine even if this answer was kept since the "
                   "dataset last changed")
    from .toolkit.options import add_query_args
    add_query_args(p)
    p.set_defaults(run=cmd_query)

    p = sub.add_parser("export", help="write the dataset (or one graph) as TriG, Turtle, N-Triples, N-Quads, JSON-LD; "
                                      "or a network of people or documents as GraphML or GEXF")
    _graph_arg(p)
    p.add_argument("--format", "-f", help="trig, turtle, nt, nquads, json-ld (default: from -o, else trig); "
                                          "graphml, gexf with --network; csv (the default) or xlsx with --tables")
    p.add_argument("--named", metavar="IRI", help="only this named graph")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    _engine_arg(p)
    from .toolkit.options import add_export_args as add_table_args, add_network_args
    add_network_args(p)
    add_table_args(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("push", help="send the dataset to another SPARQL store (Oxigraph server, Fuseki, …): only "
                       "what changed since the last push, resuming where an interrupted push stopped",
                       description="Make the store's named graphs equal to the dataset's. bulk (the default): N-Quads "
                       "POSTed to URL in batches, a changed graph DELETEd first (Oxigraph's /store, Fuseki's dataset "
                       "URL); put: one Graph Store Protocol PUT per graph, for stores without a bulk endpoint. "
                       "Progress is kept beside the dataset (FILE.push.json): run it again to go on after an error.")
    _graph_arg(p)
    p.add_argument("--store", required=True, metavar="URL",
                   help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (oxigraph serve)")
    p.add_argument("--method", choices=("bulk", "put"), default="bulk",
                   help="bulk: N-Quads, many graphs to a POST; put: one PUT per graph (default: %(default)s)")
    p.add_argument("--batch-mb", type=int, default=16, metavar="MB", help="megabytes to a request (default: %(default)s)")
    p.add_argument("--batch-graphs", type=int, default=2000, metavar="N",
                   help="graphs to a request at most (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="send every graph, even those unchanged since the last push")
    p.add_argument("--default-graph", choices=("none", "union"), default="none",
                   help="union: keep the store's default graph equal to the union of the graphs, through SPARQL "
                   "Update (for a server run without a union default graph of its own, which is faster to query; "
                   "default: %(default)s)")
    p.add_argument("--update", metavar="URL", help="the store's SPARQL Update URL for --default-graph union (default: "
                   "the --store URL with /store or /data replaced by /update)")
    p.add_argument("--server-bulk", choices=("auto", "on", "off"), default="auto",
                   help="bulk: each POST loaded by Oxigraph's bulk loader (its no_transaction: several times faster, "
                   "a failed request leaves part of its batch, which the next push sends again); auto: when the "
                   "store's Server header says Oxigraph (default: %(default)s)")
    p.add_argument("-v", "--verbose", action="store_true", help="a line on stderr after each batch")
    p.set_defaults(run=cmd_push)

    p = sub.add_parser("validate", help="SHACL conformance and OWL-RL consistency")
    _graph_arg(p)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("evaluate", help="precision/recall per competency question against gold files")
    p.add_argument("gold", nargs="+", type=Path, help="gold JSON files or folders of *.gold.json (merged)")
    _graph_arg(p)
    p.add_argument("--json", action="store_true", help="scores as JSON")
    p.add_argument("--min-f1", type=float, help="exit 1 when the overall F1 is below this")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("link", help="link a built dataset's entities to Wikidata (offline unless --online)")
    _graph_arg(p)
    p.add_argument("--online", action="store_true", help="ask Wikidata (network)")
    p.add_argument("--review", type=Path, help="write undecided matches to this CSV")
    p.add_argument("--accept", type=Path, help="add a reviewed CSV's accepted rows to the local table")
    p.set_defaults(run=cmd_link)

    p = sub.add_parser("serve", help="serve the dataset over SPARQL and HTML (builds it first if missing)")
    _graph_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--workers", type=int, default=config.get("workers"))
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default=None,
                   help="query engine: pyoxigraph (native; the default, setting `engine`) or rdflib")
    p.add_argument("--store", metavar="URL", help="serve another SPARQL server's query endpoint (e.g. "
                   "http://127.0.0.1:7878/query of `oxigraph serve --union-default-graph`) instead of a file, "
                   "with this endpoint's checks and limits")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("conformance", help="run the W3C SPARQL protocol tests against an endpoint URL")
    p.add_argument("url")
    p.set_defaults(run=cmd_conformance)
    _dated_parsers(sub)
    add_fetch_parser(sub)
    add_extract_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KgError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
