"""The Python API, for notebooks and scripts: ``import kg; ds = kg.open("build/kg.trig")``.

A small surface that stays stable while the modules behind it change:

* :func:`open` — a built dataset file (through its pyoxigraph store, :mod:`kg.store`; never
  an rdflib copy) or the ``http(s)://…/sparql`` URL of a SPARQL endpoint; gives a :class:`Dataset`.
* :meth:`Dataset.query` — SPARQL text, ``@file.rq`` or a competency question's name
  (``members``, ``posts``, ``tenures`` …); gives a :class:`kg.toolkit.rows.Result` with ``columns``,
  ``rows`` (dicts of Python values) and ``to_pandas()`` (typed columns, labels beside IRIs).
* :meth:`Dataset.find` — entities by name, as the server's search finds them (:mod:`kg.toolkit.search`).
* :meth:`Dataset.facts` — an entity's facts with their evidence (:mod:`kg.toolkit.facts`), from the
  graphs the server would serve.
* :func:`build`, :func:`add` — ``kg build`` and ``kg add``: the same progress lines on stderr and
  the same errors (:class:`kg.errors.KgError` and its kinds) as the commands.

pandas is optional (``pip install 'vnkg[pandas]'``); only ``to_pandas()`` needs it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from .. import config
from ..errors import KgError
from .facts import NOT_IN_IRI, Evidence, Fact, Facts
from .rows import Result
from .search import Hit

__all__ = ["open", "build", "add", "Dataset", "Result", "Hit", "Fact", "Facts", "Evidence", "KgError"]

_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label (LANG(?label) AS ?lang) WHERE { VALUES_CLAUSE ?s rdfs:label ?label }"""
_LOCAL_PATH = re.compile(r"(?:/id/)?[a-z][a-z-]*/[a-z0-9][a-z0-9._~-]*")  # person/le-minh-hung-c502d2
_CHUNK = 500  # IRIs per query when labels are asked IRI by IRI
_SCAN = 2000  # more IRIs than this, of a file: read every label off the store once instead


def open(source: Union[str, os.PathLike], *, overrides: Optional[dict] = None, timeout: float = 60.0) -> "Dataset":
    """Open a built dataset file (``build/kg.trig``) or a SPARQL endpoint (``http://host/sparql``).

    `overrides` are settings of :mod:`kg.config` (``{"base_iri": …}``; otherwise ``KG_*``
    environment variables, then the defaults); `timeout` is how long an endpoint may take to
    answer one query, in seconds."""
    from .backends import backend
    return Dataset(backend(source, overrides, timeout), overrides)


class Dataset:
    """A dataset to ask: :meth:`query`, :meth:`find`, :meth:`facts`, :meth:`labels`."""

    def __init__(self, backend: Any, overrides: Optional[dict] = None) -> None:
        self._backend, self.overrides = backend, overrides
        self._index: Any = None

    def __repr__(self) -> str:
        return f"<kg.Dataset {self._backend!r}>"

    def __enter__(self) -> "Dataset":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store (a later call opens it again)."""
        self._backend.close()
        self._index = None

    def query(self, query: str, *, max_results: Optional[int] = None) -> Result:
        """Run SPARQL text, ``@file.rq`` or a competency question by name (``"members"``).
        SERVICE and updates are refused. `max_results`: more rows is an error, not a cut."""
        from ..query import query_text
        return self._backend.run(query_text(query), max_results, self.labels)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The rdfs:label of each IRI that has one (the Vietnamese one first)."""
        return self._labels(iris, public=False)

    def _labels(self, iris: Iterable[str], public: bool) -> dict[str, str]:
        wanted = [i for i in dict.fromkeys(iris) if isinstance(i, str) and i and not NOT_IN_IRI.search(i)
                  and not i.startswith("_:")]
        if not wanted:
            return {}
        if len(wanted) > _SCAN and hasattr(self._backend, "labels"):
            return _best(self._backend.labels(public), set(wanted))
        found: dict[str, str] = {}
        for at in range(0, len(wanted), _CHUNK):
            values = "VALUES ?s { " + " ".join(f"<{i}>" for i in wanted[at:at + _CHUNK]) + " }"
            rows = self._backend.run(_LABELS.replace("VALUES_CLAUSE", values), public=public).rows
            found.update(_best((r["s"], r["label"], r["lang"]) for r in rows))
        return found

    def find(self, name: str, kind: Optional[str] = None, limit: int = 20) -> list[Hit]:
        """Entities whose label (or alternative label) matches `name` as the server's search
        matches it: with or without diacritics, either tone placement, titles such as "đồng
        chí" or "Bí thư Tỉnh ủy" stripped; best first. `kind`: only this class ("Person",
        "Body", "Post", "Document", "Meeting" …). The index is made at the first call (and when
        the file changed); over a file's on-disk store it is kept in the store's folder, as the
        server keeps it, and read back (at 100,000 articles: made in about half a minute, read in 3 s)."""
        version = self._backend.version()
        if self._index is None or self._index[0] != version:  # made again when the file changed
            from .search import SearchIndex
            from .views import SparqlView
            keep = self._backend.search_keep() if hasattr(self._backend, "search_keep") else None
            self._index = (version, SearchIndex(SparqlView(self._public_run), keep=keep))
        return self._index[1].search(name, limit, kind)

    def facts(self, entity: Union[str, Hit], *, inferred: bool = True) -> Facts:
        """The facts about an entity — an IRI, a :class:`Hit`, a path under the base IRI
        (``person/le-minh-hung-c502d2``) or a name that finds one entity — with the rule, source,
        sentence and offsets behind each asserted one. `inferred=False` leaves out the facts only
        the reasoner states."""
        from .facts import facts
        found = facts(self._public_run, self.resolve(entity), lambda iris: self._labels(iris, public=True),
                      self.overrides)
        if inferred:
            return found
        return Facts(found.entity, found.label, tuple(f for f in found if not f.inferred))

    def resolve(self, entity: Union[str, Hit]) -> str:
        """The IRI an entity is given by (see :meth:`facts`); a name matching several entities
        equally well, or none, is an error that lists them."""
        if isinstance(entity, Hit):
            return entity.iri
        text = str(entity).strip()
        if text.startswith(("http://", "https://", "urn:")):
            return text
        if _LOCAL_PATH.fullmatch(text):  # as the server's /id/<path> under KG_BASE_IRI
            return str(config.get("base_iri", self.overrides)) + text.removeprefix("/id/")
        return _one(text, self.find(text))

    def _public_run(self, text: str) -> Result:
        """A query on what the server would serve (a file's public graphs; an endpoint's all)."""
        return self._backend.run(text, None, lambda iris: self._labels(iris, public=True), public=True)


def _best(labels: Iterable[tuple[str, str, str]], wanted: Optional[set] = None) -> dict[str, str]:
    """IRI → its label, from (IRI, label, language): the Vietnamese label first, then one
    without a language, then any; the least of those (so always the same)."""
    ranked: dict[str, tuple] = {}
    for s, label, lang in labels:
        if wanted is not None and s not in wanted:
            continue
        rank = (lang != "vi", lang != "", label)
        if s not in ranked or rank < ranked[s]:
            ranked[s] = rank
    return {s: rank[2] for s, rank in ranked.items()}


def _one(name: str, hits: Sequence[Hit]) -> str:
    if not hits:
        raise KgError(f"no entity is named {name!r}; try fewer words, or ds.find({name!r}) with part of it")
    top = [h for h in hits if h.score == hits[0].score]
    if len(top) > 1:
        listed = "; ".join(f"<{h.iri}> {h.label} ({h.type})" for h in top[:10])
        raise KgError(f"{name!r} names {len(top)} entities; give one of their IRIs (or a Hit of ds.find): {listed}")
    return top[0].iri


def build(paths: Optional[Sequence[Union[str, os.PathLike]]] = None, output: Optional[Union[str, os.PathLike]] = None,
          *, reason: bool = True, online: bool = False, reasoner: Optional[str] = None, keep_going: bool = False,
          recursive: bool = False, identity: Optional[str] = None, people_table: Optional[Union[str, os.PathLike]] = None,
          progress: Optional[bool] = None, log: Optional[Callable[[str], None]] = None) -> Any:
    """``kg build``: sources (files or folders; default the ``seeds`` setting) into a dataset file
    (default the ``output`` setting, ``build/kg.trig``). Prints the same stage lines on stderr
    (`log` takes them instead) and raises the same errors; returns the build's summary
    (:class:`kg.pipeline.Summary`: sources, entities, asserted and inferred triples, seconds …)."""
    from ..atomic import claimed
    from ..pipeline import build as run_build, stderr
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    inputs = [Path(p) for p in (paths or [config.get("seeds")])]
    target = Path(output or config.get("output"))
    with claimed(target):  # one build per folder, as `kg build`
        return run_build(inputs, target, do_reason=reason, online=online, log=log or stderr, reasoner=reasoner,
                         keep_going=keep_going, overrides=_people(identity, people_table), progress=progress,
                         recursive=recursive)


def add(paths: Sequence[Union[str, os.PathLike]], output: Optional[Union[str, os.PathLike]] = None, *,
        online: bool = False, recursive: bool = False, identity: Optional[str] = None,
        people_table: Optional[Union[str, os.PathLike]] = None, log: Optional[Callable[[str], None]] = None) -> Any:
    """``kg add``: add sources to a built dataset file (default the ``output`` setting) without
    rebuilding it; the same lines and errors as the command. Returns :class:`kg.add.Added`."""
    from ..add import add as run_add
    from ..pipeline import stderr
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return run_add([Path(p) for p in paths], Path(output or config.get("output")), online=online, log=log or stderr,
                   overrides=_people(identity, people_table), recursive=recursive)


def _people(identity: Optional[str], people_table: Optional[Union[str, os.PathLike]]) -> dict:
    """The person-identity options as setting overrides (as `kg build --identity/--people-table`)."""
    out: dict[str, Any] = {}
    if identity:
        out["person_identity"] = identity
    if people_table:
        out["people_table"] = str(people_table)
    return out

