"""Link the graph's people, bodies, places and positions to Wikidata — verified links only.

Takes the extractions (or, through :func:`kg.link.rdf.link_dataset`, a built dataset);
returns a :class:`LinkResult`: the links (:class:`kg.model.Link`) and the rows a person
should review. Offline by default: candidates come from the curated table shipped in
``kg/data/wikidata.json``, the user's table of accepted reviews, and the cache of links an
online run confirmed. With ``online=True`` the table's links are confirmed on Wikidata and
entities the table does not know are searched there and ranked by the graph's evidence.
Only a confident, unambiguous match becomes a link; one QID never links two entities.
It does not write the graph (:func:`kg.link.rdf.links_graph` makes the triples).

    result = link(extractions, review=Path("review.csv"))
    for found in result.links:
        print(found.key, found.qid, found.rule, found.score)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .. import config
from ..errors import ConfigError
from ..model import Extraction, Key, Link
from .match import Decision, NameIndex, Target, one_entity_per_qid, table_decision
from .online import confirm, online_decision
from .review import ReviewRow, accept_review, review_rows, write_review
from .table import CONFIRMED_NAME, LOCAL_TABLE, SHIPPED_TABLE, Item, add_items, load_tables
from .targets import targets_from_extractions
from .wikidata import HttpWikidata, WikidataClient

__all__ = ["LinkResult", "link", "link_targets", "default_tables", "default_cache_dir", "default_local_table",
           "accept_review", "write_review", "HttpWikidata", "WikidataClient", "Target"]

CONFIRMED_ABOUT = ("Links an online run of `kg link --online` made with confidence, kept so that later "
                   "offline runs make them again. Safe to delete.")


@dataclass(frozen=True)
class LinkResult:
    """The links made (Link.label is the item's label) and the review rows left over."""

    links: tuple[Link, ...]
    review_rows: tuple[ReviewRow, ...]
    decisions: tuple[Decision, ...] = ()
    items: tuple[Item, ...] = ()  # the table items the run read


def _setting(name: str, default: Any) -> Any:
    """A setting of kg.config if it is registered there, else `default`."""
    try:
        return config.get(name)
    except ConfigError:
        return default


def default_cache_dir() -> Path:
    """Where online answers and confirmed links are kept: setting ``cache_dir``
    (``KG_CACHE_DIR``), else ``$XDG_CACHE_HOME/vnkg``, else ``~/.cache/vnkg``."""
    return config.cache_dir()


def default_local_table() -> Path:
    """The user's table of accepted reviews: setting ``link_table`` (``KG_LINK_TABLE``),
    else ``kg/data/wikidata.local.json``."""
    return Path(_setting("link_table", "") or LOCAL_TABLE).expanduser()


def default_tables(cache_dir: Path | None = None) -> tuple[Path, ...]:
    """The tables read offline, in order: shipped, the user's, and the confirmed-online cache."""
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    return (SHIPPED_TABLE, default_local_table(), cache / CONFIRMED_NAME)


def link(extractions: Sequence[Extraction], *, online: bool = False, cache_dir: Path | None = None,
         review: Path | None = None, client: WikidataClient | None = None,
         tables: Sequence[Path] | None = None) -> LinkResult:
    """Link the entities of `extractions`; see the module docstring."""
    return link_targets(targets_from_extractions(extractions), online=online, cache_dir=cache_dir,
                        review=review, client=client, tables=tables)


def link_targets(targets: Sequence[Target], *, online: bool = False, cache_dir: Path | None = None,
                 review: Path | None = None, client: WikidataClient | None = None,
                 tables: Sequence[Path] | None = None) -> LinkResult:
    """Link targets: the table first, then (online) Wikidata; write `review` if given.
    `cache_dir` defaults to :func:`default_cache_dir`; `tables` to :func:`default_tables`."""
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    items = load_tables(tables if tables is not None else default_tables(cache_dir))
    index = NameIndex(items)
    decisions = tuple(table_decision(t, index) for t in targets)
    if online:
        decisions = _online(decisions, client or HttpWikidata(cache_dir=cache_dir))
    decisions = one_entity_per_qid(decisions)
    if online:
        _remember(decisions, Path(cache_dir) / CONFIRMED_NAME)
    rows = review_rows(decisions)
    if review is not None:
        write_review(rows, review)
    links = tuple(Link(d.target.key, d.chosen.qid, d.chosen.label, d.chosen.score, d.chosen.rule)
                  for d in decisions if d.chosen is not None)
    return LinkResult(links, rows, decisions, items)


def _online(decisions: Sequence[Decision], client: WikidataClient) -> tuple[Decision, ...]:
    """Confirm the table's links; search what the table could not link, or only offered
    unverified items for (their QIDs come back through the search when Wikidata agrees)."""
    out = []
    for d in confirm(decisions, client):
        if d.status in ("none", "unverified"):
            found = online_decision(d.target, client)
            d = found if found.candidates else d
        out.append(d)
    return tuple(out)


def _remember(decisions: Sequence[Decision], path: Path) -> None:
    """Keep each link an online run made, for this entity (its key and IRI), with the claims
    it matched."""
    found = [
        Item(qid=d.chosen.qid, kind=d.chosen.kind, labels=(("vi", d.target.label),), origin="online",
             keys=entity_keys(d.target), evidence="confirmed online: " + "; ".join(d.chosen.reasons))
        for d in decisions if d.chosen is not None and d.chosen.rule == "wikidata-online" and d.chosen.kind
    ]
    if found:
        add_items(path, found, about=CONFIRMED_ABOUT)


def entity_keys(target: Target) -> tuple[Key, ...]:
    """The keys a table item kept for this entity goes by: its key and, if known, its IRI, so
    that `kg build` (keys) and `kg link` on a built file (IRIs) both find it."""
    iri = ("iri", target.iri) if target.iri else None
    return tuple(dict.fromkeys(k for k in (target.key, iri) if k))
