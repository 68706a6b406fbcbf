"""The spool a build keeps its extractions and blocks in, and the lazy sequences over it."""
from __future__ import annotations

import pytest

from kg.model import Extraction, SourceMeta, SourceText
from kg.spool import Lazy, Objects, Spool, mapped


def test_objects_come_back_as_they_went_in(tmp_path):
    xs = [Extraction(SourceText(f"s{i}", f"s{i}.txt", "Văn bản " * i, SourceMeta(), "0" * 64), (), (), ())
          for i in range(5)]
    with Spool(tmp_path) as spool:
        held = Objects(spool)
        numbers = [held.add(x) for x in xs]
        span = spool.put(b"a block")
        assert list(held.view(numbers[::-1])) == xs[::-1]
        assert spool.read(span) == b"a block"
    assert list(tmp_path.iterdir()) == []


CASES = [(0, "a"), (-1, "e"), (slice(1, 3), ["b", "c"])]


@pytest.mark.parametrize("index, item", CASES, ids=["first", "last", "slice"])
def test_lazy_is_a_sequence(index, item):
    seq = Lazy(5, lambda i: "abcde"[i])
    assert seq[index] == item
    assert len(mapped(seq, str.upper)) == 5 and list(mapped(seq, str.upper)) == list("ABCDE")
    with pytest.raises(IndexError):
        seq[5]
