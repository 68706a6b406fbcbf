"""Plain records passed between the stages. Frozen, made of tuples, no rdflib types.

A stage takes and returns these, so each stage tests with literals:

    SourceText (read) ─normalise─► Normalised ─extract─► Extraction ─graph─► rdflib

An :class:`Extraction` speaks of entities by *key*: a tuple such as
``("Person", "Trần Văn Nam")`` or ``("Body", "Tỉnh ủy Nam Định")``. Keys are the identity of
an entity across sources; :func:`kg.ids.mint` turns a key into an IRI, always the same one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Union

Key = tuple[str, ...]

TENURE_ARROW = "→"


def tenure_key(person: Key, post: Key) -> Key:
    """The key of `person`'s tenure of `post`: ``("Tenure", *person[1:], "→", *post[1:])``."""
    return ("Tenure", *person[1:], TENURE_ARROW, *post[1:])


def tenure_parts(tenure: Key) -> tuple[Key, Key]:
    """The person's and the post's keys of a tenure's key."""
    i = tenure.index(TENURE_ARROW)
    return ("Person", *tenure[1:i]), ("Post", *tenure[i + 1:])


@dataclass(frozen=True)
class SourceMeta:
    """What a source's `.meta.json` sidecar says; every field optional."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    province: str | None = None
    language: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class SourceText:
    """One source file as read: its name, its decoded original text and its sidecar."""

    id: str  # its path relative to the folder it was found in, e.g. "000_211ce3051446685c.txt" (kg.read)
    path: str
    text: str  # decoded, not normalised: offsets point into this (for a page or document: the text read from it)
    meta: SourceMeta = SourceMeta()
    sha256: str = ""  # of the file's bytes
    kind: str = "text"  # "text", "html", "mhtml", "pdf", "docx" (kg.read.KINDS)
    copies: tuple[tuple[str, str | None, str], ...] = ()  # other files of this article: (name, url, sha256)
    fingerprint: Any = field(default=None, compare=False, repr=False)  # kg.read.duplicates.Fingerprint


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: offsets into the *original* text, the sentence, the rule."""

    source: str  # SourceText.id
    start: int
    end: int
    sentence: str
    rule: str


@dataclass(frozen=True)
class Lit:
    """A literal object. `datatype` is an XSD local name ("date", "integer", "decimal",
    "gYear", "string") or "" for a language-tagged string in `lang`."""

    value: str
    datatype: str = "string"
    lang: str = ""


@dataclass(frozen=True)
class Entity:
    """An entity one source speaks of. `cls` is a vnkg class local name ("Person"),
    `types` any further vnkg classes ("Directive")."""

    key: Key
    cls: str
    label: str
    types: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    evidence: Evidence | None = None


Obj = Union[Key, Lit]


@dataclass(frozen=True)
class Fact:
    """One statement: subject key, vnkg property local name (or a prefixed name such as
    "skos:altLabel"), object key or literal, and the evidence behind it."""

    subject: Key
    predicate: str
    object: Obj
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Extraction:
    """All one source yields: the source itself, its entities and the facts among them."""

    source: SourceText
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Link:
    """An entity found to be a Wikidata item, and why."""

    key: Key
    qid: str
    label: str
    score: float
    rule: str
