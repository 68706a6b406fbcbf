"""RDF terms as Python values, for the notebook API (:mod:`kg.toolkit.api`) and the tables (:mod:`kg.toolkit.tables`).

Takes one term as the SPARQL results formats write it — a TSV cell in Turtle syntax
(``<iri>``, ``"text"@vi``, ``"2020-01-02"^^<…#date>``, ``42``), a JSON binding, or a
pyoxigraph term — and returns a :data:`Cell`: the Python value, the kind of term it was and
its lexical form. IRIs become ``str``, language-tagged and plain strings ``str``, the XSD
integers ``int``, ``xsd:decimal`` ``Decimal``, doubles and floats ``float``, booleans
``bool``, ``xsd:date`` a ``datetime.date`` and ``xsd:dateTime`` a ``datetime.datetime``.
Any other datatype (``xsd:gYear`` …) and a literal whose lexical form is not valid for its
datatype keep their lexical form, as kind ``other``. It neither queries nor builds tables.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Optional

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# (value, kind, lexical form); kind is one of KINDS
Cell = tuple[Any, str, str]
KINDS = ("iri", "bnode", "string", "integer", "decimal", "double", "boolean", "date", "datetime", "other")

_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
                               "unsignedShort", "unsignedByte")}
_STRINGS = {XSD + "string", RDF_LANG_STRING, XSD + "normalizedString", XSD + "token"}


def _date(text: str) -> dt.date:
    # a timezone on a date ("2020-01-02Z", "2020-01-02+07:00") does not change the day it names
    return dt.date.fromisoformat(text[:10]) if len(text) > 10 and text[10] in "Z+-" else dt.date.fromisoformat(text)


def _boolean(text: str) -> bool:
    if text not in ("true", "false", "1", "0"):
        raise ValueError(text)
    return text in ("true", "1")


_READERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    **{t: ("integer", int) for t in _INTEGERS},
    XSD + "decimal": ("decimal", Decimal),
    XSD + "double": ("double", float),
    XSD + "float": ("double", float),
    XSD + "boolean": ("boolean", _boolean),
    XSD + "date": ("date", _date),
    XSD + "dateTime": ("datetime", dt.datetime.fromisoformat),
}


def typed(lexical: str, datatype: Optional[str]) -> Cell:
    """The cell of a literal with this lexical form and datatype (None: a plain string)."""
    if datatype is None or datatype in _STRINGS:
        return lexical, "string", lexical
    reader = _READERS.get(datatype)
    if reader is None:
        return lexical, "other", lexical
    kind, read = reader
    try:
        value = read(lexical.strip())
    except (ValueError, InvalidOperation):  # ill-typed: keep what the data says
        return lexical, "other", lexical
    return value, kind, lexical


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_one(m: re.Match) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _ECHAR.get(m.group(3), m.group(3))


def unescape(text: str) -> str:
    """A Turtle string's content without its escapes (``\\n``, ``\\"``, ``\\u00E0`` …)."""
    return _ESCAPE.sub(_unescape_one, text) if "\\" in text else text


def from_text(text: str) -> Optional[Cell]:
    """The cell of one term written in Turtle syntax, as SPARQL's TSV results and N-Triples
    write it; None for an empty cell (unbound)."""
    if not text:
        return None
    first = text[0]
    if first == "<":
        iri = text[1:-1]
        return iri, "iri", iri
    if first == "_":
        return text, "bnode", text
    if first == '"':
        end = text.rindex('"')
        lexical, rest = unescape(text[1:end]), text[end + 1:]
        return typed(lexical, rest[3:-1] if rest.startswith("^^<") else None)
    return _bare(text)


def _bare(text: str) -> Cell:
    """Turtle's bare forms: true, false, 12, -1.5, 1.0E3."""
    if text in ("true", "false"):
        return typed(text, XSD + "boolean")
    if "e" in text or "E" in text:
        return typed(text, XSD + "double")
    return typed(text, XSD + ("decimal" if "." in text else "integer"))


def json_key(binding: Optional[dict]) -> Optional[tuple]:
    """A hashable key for a binding of the SPARQL JSON results format (None: unbound)."""
    if binding is None:
        return None
    return binding["type"], binding["value"], binding.get("datatype"), binding.get("xml:lang")


def from_json_key(key: Optional[tuple]) -> Optional[Cell]:
    """The cell of a binding given by :func:`json_key`."""
    if key is None:
        return None
    kind, value, datatype, lang = key
    if kind == "uri":
        return value, "iri", value
    if kind == "bnode":
        return f"_:{value}", "bnode", f"_:{value}"
    return typed(value, None if lang else datatype)


def from_oxigraph(term: Any) -> Optional[Cell]:
    """The cell of a pyoxigraph term (None stays None)."""
    return None if term is None else from_text(str(term))
