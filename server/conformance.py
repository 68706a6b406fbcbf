"""The W3C SPARQL 1.1 Protocol tests as a table of requests, runnable against any endpoint.

Transcribed from ``sparql/sparql11/protocol/manifest.ttl`` in w3c/rdf-tests: each
:class:`Case` is one request (method, query string, headers, body) and what the manifest
expects (a 2xx or a 4xx status, a boolean, a kind of result). :func:`main` sends them to an
endpoint URL and prints one PASS / FAIL / SKIP line per test; ``kg conformance URL`` calls it.

Deviations, on purpose:
- the update tests that expect success (``update_*``) are run as checks that a read-only
  endpoint refuses them (4xx), unless ``--updates`` is given (which clears the store!); they
  send a shortened update of the same kind and do not run the manifest's follow-up ASK;
- ``query_multiple_dataset`` sends its two named graphs as two ``named-graph-uri``
  parameters: the manifest percent-encodes the ``&`` between them, which makes one odd IRI,
  and its author confirmed the intended request has two (w3c/rdf-tests#78);
- tests that need the suite's data (graphs ``data1.rdf`` … ``data3.rdf``) are skipped when
  the endpoint does not hold it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Optional, Sequence
from urllib.parse import quote, urlsplit

DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (quote(f"{DATA}data{n}.rdf", safe="") for n in range(4))
SQ, FORM, SU = "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update"
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")
RDF = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json",
       "application/trig", "application/n-quads", "application/rdf+json", "text/n3",
       "application/xhtml+xml", "text/html")
_UPDATE_FULL = ("PREFIX dc: <http://purl.org/dc/terms/>\nCLEAR ALL ;\nINSERT DATA { GRAPH "
                f"<{DATA}data1.rdf> {{ <{DATA}data1.rdf> a <http://xmlns.com/foaf/0.1/Document> }} }}")


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    method: str
    query: str = ""  # the URL's query string, after "?"
    content_type: Optional[str] = None
    body: bytes = b""
    expect: str = "2xx"  # or "4xx"
    boolean: Optional[bool] = None
    result: Optional[str] = None  # "boolean", "tabular" or "RDF"
    needs_data: bool = False
    update: bool = False  # expects a successful update (2xx on a read-write endpoint)
    note: str = ""
    headers: tuple[tuple[str, str], ...] = field(default=())


def _ask_graphs() -> str:
    return (f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
            f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")


CASES: tuple[Case, ...] = (
    Case("query_post_form", "query via URL-encoded POST", "POST", f"default-graph-uri={D0}", FORM,
         b"query=ASK%20%7B%7D", boolean=True, result="boolean"),
    Case("query_dataset_default_graphs_get", "GET query with protocol-specified default graph",
         "GET", "query=" + quote(f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}", safe="")
         + f"&default-graph-uri={D1}&default-graph-uri={D2}", boolean=True, result="boolean",
         needs_data=True),
    Case("query_dataset_default_graphs_post", "POST query with protocol-specified default graphs",
         "POST", f"default-graph-uri={D1}&default-graph-uri={D2}", SQ,
         f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}".encode(),
         boolean=True, result="boolean", needs_data=True),
    Case("query_dataset_named_graphs_post", "POST query with protocol-specified named graphs",
         "POST", f"named-graph-uri={D1}&named-graph-uri={D2}", SQ, _ask_graphs().encode(),
         boolean=True, result="boolean", needs_data=True),
    Case("query_dataset_named_graphs_get", "GET query with protocol-specified named graphs", "GET",
         "query=" + quote(_ask_graphs(), safe="") + f"&named-graph-uri={D1}&named-graph-uri={D2}",
         boolean=True, result="boolean", needs_data=True),
    Case("query_dataset_full", "query with protocol-specified dataset (both named and default graphs)",
         "POST", f"default-graph-uri={D3}&named-graph-uri={D1}&named-graph-uri={D2}", SQ,
         (f"ASK {{\n  <{DATA}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }}\n"
          f"  GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }}\n}}").encode(),
         boolean=True, result="boolean", needs_data=True),
    Case("query_multiple_dataset", "query specifying dataset in both query string and protocol; "
         "test for use of protocol-specified dataset", "POST",
         f"named-graph-uri={D1}&named-graph-uri={D2}", SQ,
         f"ASK FROM <{DATA}data3.rdf> {_ask_graphs()[4:]}".encode(), boolean=True,
         result="boolean", needs_data=True, note="two named-graph-uri parameters (w3c/rdf-tests#78)"),
    Case("query_get", "query via GET", "GET", f"query=ASK%20%7B%7D&default-graph-uri={D0}",
         boolean=True, result="boolean"),
    Case("query_content_type_select", "query appropriate content type (expect one of: XML, JSON, CSV, TSV)",
         "POST", f"default-graph-uri={D0}", SQ, b"SELECT (1 AS ?value) {}", result="tabular"),
    Case("query_content_type_ask", "query appropriate content type (expect one of: XML, JSON)",
         "POST", f"default-graph-uri={D0}", SQ, b"ASK {}", result="boolean"),
    Case("query_content_type_describe", "query appropriate content type (expect one of: RDF/XML, "
         "Turtle, N-Triples, RDFa)", "POST", f"default-graph-uri={D0}", SQ,
         b"DESCRIBE <http://example.org/>", result="RDF"),
    Case("query_content_type_construct", "query appropriate content type (expect one of: RDF/XML, "
         "Turtle, N-Triples, RDFa)", "POST", f"default-graph-uri={D0}", SQ,
         b"CONSTRUCT { <s> <p> 1 } WHERE {}", result="RDF"),
    Case("update_dataset_default_graph", "update with protocol-specified default graph", "POST",
         f"using-graph-uri={D1}", SU, _UPDATE_FULL.encode(), update=True),
    Case("update_dataset_default_graphs", "update with protocol-specified default graphs", "POST",
         f"using-graph-uri={D1}&using-graph-uri={D2}", SU, _UPDATE_FULL.replace("CLEAR", "DROP").encode(),
         update=True),
    Case("update_dataset_named_graphs", "update with protocol-specified named graphs", "POST",
         f"using-named-graph-uri={D1}&using-named-graph-uri={D2}", SU,
         _UPDATE_FULL.replace("CLEAR", "DROP").encode(), update=True),
    Case("update_dataset_full", "update with protocol-specified dataset (both named and default graphs)",
         "POST", f"using-graph-uri={D1}&using-named-graph-uri={D2}", SU,
         _UPDATE_FULL.replace("CLEAR", "DROP").encode(), update=True),
    Case("update_post_form", "update via URL-encoded POST", "POST", "", FORM, b"update=CLEAR+ALL",
         update=True),
    Case("update_post_direct", "update via POST directly", "POST", "", SU, b"CLEAR ALL", update=True),
    Case("update_base_uri", "test for service-defined BASE URI", "POST", "", SU,
         b"CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
         b"<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }",
         update=True),
    Case("query_post_direct", "query via POST directly", "POST", "", SQ, b"ASK {}", boolean=True,
         result="boolean"),
    Case("bad_query_method", "invoke query operation with a method other than GET or POST", "PUT",
         f"query=ASK%20%7B%7D&default-graph-uri={D0}", FORM, b"", expect="4xx"),
    Case("bad_multiple_queries", "invoke query operation with more than one query string", "GET",
         "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", expect="4xx"),
    Case("bad_query_wrong_media_type", "invoke query operation with a POST with media type that's "
         "not url-encoded or application/sparql-query", "POST", "", "text/plain", b"ASK {}", expect="4xx"),
    Case("bad_query_missing_form_type", "invoke query operation with url-encoded body, but without "
         "application/x-www-form-urlencoded media type", "POST", "", None, b"query=ASK%20%7B%7D",
         expect="4xx"),
    Case("bad_query_missing_direct_type", "invoke query operation with SPARQL body, but without "
         "application/sparql-query media type", "POST", "", None, b"ASK {}", expect="4xx"),
    Case("bad_query_non_utf8", "invoke query operation with direct POST, but with a non-UTF8 "
         "encoding (UTF-16)", "POST", "", f"{SQ}; charset=UTF-16", "ASK {}".encode("utf-16"),
         expect="4xx"),
    Case("bad_query_syntax", "invoke query operation with invalid query syntax (4XX result)", "GET",
         "query=ASK%20%7B", expect="4xx"),
    Case("bad_update_get", "invoke update operation with GET", "GET", "update=CLEAR%20ALL", expect="4xx"),
    Case("bad_multiple_updates", "invoke update operation with more than one update string", "POST",
         "", FORM, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", expect="4xx"),
    Case("bad_update_wrong_media_type", "invoke update operation with a POST with media type that's "
         "not url-encoded or application/sparql-update", "POST", "", "text/plain", b"CLEAR NAMED",
         expect="4xx"),
    Case("bad_update_missing_form_type", "invoke update operation with url-encoded body, but without "
         "application/x-www-form-urlencoded media type", "POST", "", None, b"update=CLEAR%20NAMED",
         expect="4xx"),
    Case("bad_update_non_utf8", "invoke update operation with direct POST, but with a non-UTF8 encoding",
         "POST", "", f"{SU}; charset=UTF-16", "CLEAR NAMED".encode("utf-16"), expect="4xx"),
    Case("bad_update_syntax", "invoke update operation with invalid update syntax", "POST", "", FORM,
         b"update=CLEAR%20XYZ", expect="4xx"),
    Case("bad_update_dataset_conflict", "invoke update with both using-graph-uri/using-named-graph-uri "
         "parameter and USING/WITH clause", "POST", "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
         SU, (b"PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
              b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
              b"WHERE {\n    ?person foaf:givenName 'Bill'\n}"), expect="4xx"),
)


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: str  # PASS, FAIL or SKIP
    status: Optional[int]
    detail: str

    def line(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no answer"
        return f"{self.verdict} {self.case.id}: {self.case.name} — {status}; {self.detail}"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def send(endpoint: str, case: Case, timeout: float = 30.0) -> Answer:
    """Send one case's request to `endpoint` exactly as written (no header added)."""
    url = urlsplit(endpoint)
    connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(url.hostname or "localhost", url.port, timeout=timeout)
    path = (url.path or "/") + (f"?{case.query}" if case.query else "")
    headers = dict(case.headers)
    if case.content_type:
        headers["Content-Type"] = case.content_type
    try:
        connection.request(case.method, path, body=case.body if case.method != "GET" else None,
                           headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


def read_boolean(answer: Answer) -> Optional[bool]:
    """The boolean of an ASK result in SPARQL JSON or XML, else None."""
    media = answer.content_type.split(";")[0].strip().lower()
    text = answer.body.decode("utf-8", "replace")
    if "json" in media:
        try:
            value = json.loads(text).get("boolean")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, bool) else None
    match = re.search(r"<boolean>\s*(true|false)\s*</boolean>", text)
    return None if match is None else match.group(1) == "true"


def judge(case: Case, answer: Answer, updates: bool = False) -> tuple[str, str]:
    """PASS or FAIL for an answer to a case, and why."""
    expect = "4xx" if case.update and not updates else case.expect
    family = f"{answer.status // 100}xx"
    wanted = ("2xx", "3xx") if expect == "2xx" else ("4xx",)
    if family not in wanted:
        return "FAIL", f"expected {expect}"
    if expect == "4xx":
        return "PASS", "refused (read-only endpoint)" if case.update else "refused as expected"
    media = answer.content_type.split(";")[0].strip().lower()
    kinds = {"boolean": TABULAR[:2], "tabular": TABULAR, "RDF": RDF}
    if case.result and media not in kinds[case.result]:
        return "FAIL", f"Content-Type {media or 'missing'} cannot carry a {case.result} result"
    if case.boolean is not None and read_boolean(answer) is not case.boolean:
        return "FAIL", f"expected the answer {str(case.boolean).lower()}"
    return "PASS", media or "ok"


def has_test_data(endpoint: str) -> bool:
    """Does the endpoint hold the suite's graphs data1.rdf … data3.rdf?"""
    query = " ".join(f"GRAPH <{DATA}data{n}.rdf> {{ <{DATA}data{n}.rdf> ?p{n} ?o{n} }}" for n in (1, 2, 3))
    probe = Case("probe", "probe", "POST", "", SQ, f"ASK {{ {query} }}".encode(),
                 headers=(("Accept", "application/sparql-results+json, application/sparql-results+xml"),))
    try:
        answer = send(endpoint, probe)
    except OSError:
        return False
    return answer.status == 200 and read_boolean(answer) is True


def run(endpoint: str, updates: bool = False, cases: Sequence[Case] = CASES) -> list[Outcome]:
    """Every case against `endpoint`, in the manifest's order."""
    data = has_test_data(endpoint)
    outcomes = []
    for case in cases:
        if case.needs_data and not data:
            outcomes.append(Outcome(case, "SKIP", None, "the endpoint does not hold the suite's data"))
            continue
        try:
            answer = send(endpoint, case)
        except OSError as exc:
            outcomes.append(Outcome(case, "FAIL", None, f"request failed: {exc}"))
            continue
        verdict, detail = judge(case, answer, updates)
        outcomes.append(Outcome(case, verdict, answer.status, detail + (f" ({case.note})" if case.note else "")))
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    """``kg conformance URL [--updates]``: print a line per test; 0 if none failed, else 1."""
    parser = argparse.ArgumentParser(prog="kg conformance", description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the SPARQL endpoint, e.g. http://127.0.0.1:5000/sparql")
    parser.add_argument("--updates", action="store_true",
                        help="expect updates to succeed (destructive: the tests CLEAR ALL)")
    args = parser.parse_args(argv)
    outcomes = run(args.url, args.updates)
    for outcome in outcomes:
        print(outcome.line())
    counts = {v: sum(o.verdict == v for o in outcomes) for v in ("PASS", "FAIL", "SKIP")}
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", file=sys.stderr)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
