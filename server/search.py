"""Find entities by label, the way a Vietnamese reader types a name (``/search``).

The index and its ranking live in :mod:`kg.toolkit.search`, shared with the notebook API
(:mod:`kg.toolkit.api`); the server's hits are labelled as its pages label entities
(:func:`server.entities.label_of`: a tenure, which has no label, by its holder and post).
"""
from __future__ import annotations

from typing import Any

from kg.toolkit.search import Hit, SearchIndex as _Index

from .entities import label_of

__all__ = ["Hit", "SearchIndex"]


class SearchIndex(_Index):
    """:class:`kg.toolkit.search.SearchIndex` with the server's labels."""

    def __init__(self, dataset: Any) -> None:
        super().__init__(dataset, label=label_of)
