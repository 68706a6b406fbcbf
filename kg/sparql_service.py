"""Where a SPARQL engine could read the keyword ``SERVICE`` in a query text.

Takes the text of a query; returns the offsets at which some engine we hand queries to may
read ``SERVICE`` as a keyword (:func:`service_keywords`), or nothing. It does not parse: it
lexes the text as the SPARQL grammar does — comments end at a carriage return *or* a line
feed, strings follow the grammar's four string rules with their escapes, an IRI is ``<…>``
without spaces or the excluded characters — and judges every other occurrence of the word.

Engines read one text differently, and the endpoint must refuse SERVICE under each reading
(a check that reads the text one way while the engine reads it another is how queries once
reached other hosts). So the text is lexed three ways: as written (pyoxigraph, SPARQL 1.2,
which have no escapes outside strings and IRIs), with the SPARQL 1.1 codepoint escapes
``\\uXXXX``/``\\UXXXXXXXX`` decoded first (Jena, and the 1.1 specification), and with rdflib's
looser decoding (``\\u`` or ``\\U`` with eight or four digits, either case).

The judgement is conservative: an occurrence is harmless only where the grammar makes it
part of a longer name — a variable (``?service``), a prefixed name's local part
(``ex:service``), a blank node label, a language tag. Anything else — after punctuation
(``.SERVICE``, ``)SERVICE``), after a number or ``true`` (``1SERVICE``: the engines need no
space between tokens), as a prefix (``SERVICE:x``, which an engine may read as ``SERVICE
:x``), after a dot inside a name (``ex:a.b.SERVICE``) — counts. An ``<…>`` holding a ``)`` is
lexed as code, not as an IRI: there the ``<`` may be a less-than whose expression closes
before a ``SERVICE`` (``FILTER(1<2)SERVICE#>`` ends in a comment for the engine).
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterator

# the grammar's name characters (SPARQL 1.1 §19.8, PN_CHARS_BASE … PN_CHARS)
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS_U = _BASE + "_"
_VARCHARS = _CHARS_U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"
_CHARS = _VARCHARS + "\\-"
# a run: what can continue a name (a local name's escapes too), and what joins or starts one
_RUN = re.compile(f"(?:[{_CHARS}.:?$@%]|\\\\[-_~.!$&'()*+,;=/?#@%])+")
# What may stand before the word, inside one run, for every engine to read the word as part of
# one name. A prefixed name needs letters before the word: after a bare `ex:` an engine may
# end the name at the colon (when the prefix and the rest make no valid IRI) and read the
# keyword next; and those letters must not be `true`, `false`, `atrue`, `afalse`, which such
# a split turns into tokens (`?s ex:true SERVICE …`, `ex: a true SERVICE …`).
_HARMLESS_BEFORE = re.compile(
    f"[?$][{_VARCHARS}]*"                                   # a variable: ?service, ?my_service
    f"|_:[{_CHARS}]*"                                       # a blank node label: _:service
    f"|(?:[{_BASE}][{_CHARS}]*)?:(?!(?i:a?(?:true|false))$)[{_CHARS_U}]+"  # ex:web_service
    f"|@[A-Za-z]*(?:-[A-Za-z0-9]*)*")                      # a language tag: "x"@service
_WORD = re.compile("service", re.IGNORECASE)
_BLANKS = re.compile(r"[ \t\r\n]+")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LINE_END = re.compile(r"[\r\n]")
_ECHAR = set("tbnrf\"'\\")
_HEX = re.compile(r"[0-9A-Fa-f]+")


def service_keywords(text: str) -> list[int]:
    """Offsets (into `text`) at which some reading of it may hold the SERVICE keyword.
    Under a reading that decodes escapes first, the offset is into the decoded text."""
    found: set[int] = set()
    for reading in {read(text) for read in _READINGS}:  # one text when it has no escapes
        found.update(_keywords(reading))
    return sorted(found)


def _as_written(text: str) -> str:
    return text


def _spec_decoded(text: str) -> str:
    """SPARQL 1.1 §19.2: ``\\u`` with four hex digits, ``\\U`` with eight, before parsing."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", _codepoint, text)


def _loosely_decoded(text: str) -> str:
    """rdflib's reading: ``\\u`` or ``\\U``, any case, eight hex digits if there are, else four."""
    return re.sub(r"\\[uU]([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})", _codepoint, text)


def _codepoint(match: re.Match) -> str:
    value = int(match.group(match.lastindex or 1), 16)
    return chr(value) if value <= 0x10FFFF else match.group(0)


_READINGS: tuple[Callable[[str], str], ...] = (_as_written, _spec_decoded, _loosely_decoded)


class TooAmbiguous(ValueError):
    """The text has too many ways to be read to check them all within the budget."""


def _keywords(text: str) -> Iterator[int]:
    """Offsets of the word SERVICE that the grammar could read as the keyword in `text`.

    A ``<`` that starts something shaped like an IRI may also be a less-than (the grammar
    decides by context, which a lexer does not see), and the two readings lex what follows
    differently (a ``#`` or ``'`` inside is a comment or a string start in the second). So
    both are followed: lexing resumes after the ``>`` and after the ``<``. Read as a
    less-than, the ``<`` is inside a bracketed expression, so a keyword within the would-be
    IRI needs a ``)`` before it to stand outside that expression. From a given position the
    lexing is the same whichever way it got there, so each position is lexed once; the work
    is bounded all the same (about ten passes over the text), past it TooAmbiguous."""
    lexer = _Lexer(text)
    todo: list[tuple[int, int, int]] = [(0, 0, 0)]
    while todo:
        yield from lexer.follow(*todo.pop(), todo)


class _Lexer:
    """One text, the positions already lexed in it, and the work left."""

    def __init__(self, text: str) -> None:
        self.text, self.n = text, len(text)
        self.line_ends = [m.start() for m in _LINE_END.finditer(text)]
        self.visited = bytearray(self.n + 1)
        self.budget = 10 * self.n + 10_000

    def follow(self, i: int, less_than: int, iri_end: int, todo: list) -> Iterator[int]:
        """Lex from `i` until the text ends, a position already lexed, or a ``<`` to branch at
        (both continuations go on `todo`). Positions before `iri_end` are the inside of a
        would-be IRI read as code after the less-than at `less_than`."""
        text = self.text
        while i < self.n:
            if i >= iri_end:
                if self.visited[i]:
                    return
                self.visited[i] = 1
            if text[i] == "<" and (iri := _IRI.match(text, i)):
                todo += [(iri.end(), 0, 0), (i + 1, i, iri.end())]
                return
            if run := _RUN.match(text, i):
                yield from (at for at in _in_run(run) if at >= iri_end or ")" in text[less_than:at])
                nxt = run.end()
            else:
                nxt = self._skip(i)
            self.budget -= min(nxt - i, 64)
            if self.budget < 0:
                raise TooAmbiguous("the query can be read in too many ways (its '<' signs) to be "
                                   "checked; write fewer IRIs, or put them in PREFIX declarations")
            i = nxt

    def _skip(self, i: int) -> int:
        """Where lexing goes on after position `i`: past the comment or string starting there,
        or to the next character (a string that never closes is no string: its quote is
        passed)."""
        text, c = self.text, self.text[i]
        if c in " \t\r\n":  # a run of blanks is passed at once, as one at a time would
            return _BLANKS.match(text, i).end()
        if c == "#":
            k = bisect.bisect_left(self.line_ends, i)
            return self.line_ends[k] if k < len(self.line_ends) else self.n
        if c in "\"'":
            end = _long_string(text, i, c) if text.startswith(c * 3, i) else _short_string(text, i, c)
            self.budget -= max(end - i, 0)
            return max(end, i + 1)
        return i + 1


def _in_run(run: re.Match) -> Iterator[int]:
    for word in _WORD.finditer(run.group()):
        if not _HARMLESS_BEFORE.fullmatch(run.group()[:word.start()]):
            yield run.start() + word.start()


def _escape(text: str, i: int) -> int:
    """The end of the string escape at `i` (a backslash), or -1 if it is not one."""
    nxt = text[i + 1:i + 2]
    if nxt and nxt in _ECHAR:
        return i + 2
    width = {"u": 4, "U": 8}.get(nxt)
    digits = text[i + 2:i + 2 + width] if width else ""
    if width and len(digits) == width and _HEX.fullmatch(digits):
        return i + 2 + width
    return -1


def _short_string(text: str, i: int, quote: str) -> int:
    """STRING_LITERAL1/2: no raw line end, escapes only; `i` if it does not close."""
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if c == quote:
            return j + 1
        if c in "\r\n":
            return i
        if c == "\\":
            j = _escape(text, j)
            if j < 0:
                return i
            continue
        j += 1
    return i


def _long_string(text: str, i: int, quote: str) -> int:
    """STRING_LITERAL_LONG1/2: ends at the first three quotes not starting an inner part
    (an inner part is one or two quotes and then another character); `i` if it does not
    close."""
    j, n, close = i + 3, len(text), quote * 3
    while j < n:
        if text.startswith(close, j):
            return j + 3
        k = j
        while k < n and k - j < 2 and text[k] == quote:
            k += 1
        if k >= n:
            return i
        if text[k] == "\\":
            k = _escape(text, k)
            if k < 0:
                return i
            j = k
            continue
        j = k + 1
    return i
