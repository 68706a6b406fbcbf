"""Queries that try to smuggle a SERVICE call past the check, and a listener that tells
whether the engine made one.

:func:`queries` writes `count` distinct queries from a seeded generator. Each puts a SERVICE
keyword — in some case, escaped or not — after some *cover* (a comment ended by ``\\r``,
``\\r\\n``, U+2028 or nothing; a string holding escapes, eight-digit escapes, quotes; a
would-be IRI after a less-than; a number, a boolean, a prefixed name with dots or colons; a
language tag) and some *glue* (nothing, a dot, a brace, a line end), aiming at the listener
by IRI, by an empty-prefix name, by a prefix named like the keyword, or by a variable bound
to it; a share hides the whole call in a comment or a string instead (text, not a call);
some are then mutated by a character that changes how the text is lexed. The data
(:data:`TRIPLES`) matches the triple patterns the covers use, so an engine that reads the
keyword evaluates the call instead of skipping it after an empty join.

:class:`Listener` counts the connections made to it; each is answered by closing it, so the
engine's call fails at once.
"""
from __future__ import annotations

import random
import socket
import threading

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://e/"
TRIPLES = [(f"{EX}s", f"{EX}p", ox.NamedNode(f"{EX}o")),
           (f"{EX}s", f"{EX}p", ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))),
           (f"{EX}s", f"{EX}p", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
           (f"{EX}s", f"{EX}p", ox.Literal("a")),
           (f"{EX}s", f"{EX}p", ox.Literal("a", language="en")),
           (f"{EX}s", f"{EX}p", ox.NamedNode(f"{EX}a.b")),
           (f"{EX}s", f"{EX}p", ox.NamedNode(f"{EX}a#b")),
           (f"{EX}s", "http://e:1", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
           (f"{EX}s", "http://e:1", ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")))]

KEYWORDS = ["SERVICE", "service", "Service", "sErViCe", "\\u0053ERVICE", "SERVIC\\u0045",
            "\\U00000053ERVICE", "\\u0053\\u0045RVICE", "SERVICE SILENT", "service silent"]
COVERS = [
    "", "?s ?p ?o", "?s ?p ?o .", "?s ?p 1", "?s ?p true", "?s ?p \"a\"", "?s ?p \"a\"@en",
    "?s ?p ex:o", "?s ex:p ex:a.b", "?s ex:p ex:a.b.", "?s e1: true", "?s e1:1", "?s e1:true",
    "?s ex:p ?o ; e1: 1", "ex:s ?p ?o", "_:b ?p ?o", "?s ?p ?o FILTER(1<2)", "?s ?p ?o FILTER(1<=2)",
    "?s ?p ?o FILTER(?o<'''a>'''')", "?s ?p ?o BIND(\"a\\u00000022,\" AS ?y)",
    "?s ?p ?o BIND('a\\U00000027,' AS ?y)", "?s ?p ?o BIND(\"\"\"a\"\"\" AS ?y)",
    "# a comment\r", "# a comment\r\n", "# a comment\u2028", "# a comment\n", "#\r",
    "?s ?p ?o # note\r", "?s ?p ?o FILTER(?o < ex:o)", "?s ex:p ex:a\\#b .",
    "?s ?p \"a\\\"b\" .", "?s ?p 'a\\'b' .", "VALUES ?z { 1 }", "OPTIONAL { ?s ?p ?o }",
]
GLUES = ["", " ", ".", " . ", "\r", "\n", "\r\n", "\u2028", "\t", "}", "{", ")", "#>\n", "# x\r",
         "\\u0020", "/*", "'", "\"", "<", ">"]
SEPARATORS = [" ", "", "\t", "\r", "#c\r", "#c\n", "\\u0020"]
ENDPOINTS = ["<http://{listener}/>", "<http://{listener}/sparql>", ":x", "sv:x", "?e", ":", "service:x"]
# where the call is only text: the check should let these through (unless a mutation undoes it)
HIDINGS = ["# {call}\n", '"{call}" ', "'{call}' ", "'''{call}''' ", '"""{call}""" ',
           "?s ?p ?o # {call}\r\n", 'BIND("{call}" AS ?note)', '?s ?p "{call}"@en .']
MUTATIONS = ["\r", "\n", "#", "\"", "'", "<", ">", ")", "(", ".", "\\", "\u2028", "\\u0022", "{", "}"]


def queries(listener: str, count: int, seed: int = 11) -> list[str]:
    """`count` distinct generated queries aimed at `listener` (host:port)."""
    rnd, found = random.Random(seed), {}
    while len(found) < count:
        text = _one(rnd, listener)
        found.setdefault(text, None)
    return list(found)


def _one(rnd: random.Random, listener: str) -> str:
    prologue = (f"PREFIX ex: <{EX}> PREFIX e1: <http://e:1> PREFIX : <http://{listener}/> "
                f"PREFIX sv: <http://{listener}/>\n")
    if rnd.random() < 0.1:  # a prefix named like the keyword (`SERVICE:x` may be the call)
        prologue += f"PREFIX service: <http://{listener}/>\n"
    keyword = rnd.choice(KEYWORDS)
    endpoint = rnd.choice(ENDPOINTS).format(listener=listener)
    call = f"{keyword}{rnd.choice(SEPARATORS)}{endpoint}{rnd.choice(['', ' '])}{{ ?x ?y ?z }}"
    body = f"{rnd.choice(COVERS)}{rnd.choice(GLUES)}{call}"
    if rnd.random() < 0.3:
        body = rnd.choice(HIDINGS).replace("{call}", " ".join(call.split()))
    if endpoint == "?e":
        body = f"VALUES ?e {{ <http://{listener}/> }} {body}"
    text = prologue + "SELECT * WHERE { " + body + " }"
    if rnd.random() < 0.35:
        at = rnd.randrange(len(prologue), len(text))
        text = text[:at] + rnd.choice(MUTATIONS) + text[at:]
    return text


def store() -> ox.Store:
    """A store in memory holding :data:`TRIPLES` in its default graph."""
    s = ox.Store()
    for subject, predicate, obj in TRIPLES:
        s.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), obj))
    return s


class Listener:
    """A TCP listener on loopback that counts and closes every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.connections = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()
