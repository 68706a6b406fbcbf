"""The on-disk index of a dataset's sources record (`kg.read.known`) answers as the in-memory
index over the same lines, and follows the record as `kg add` appends to it and `kg build` replaces it."""
from __future__ import annotations

import json
import os

from kg.read.duplicates import Fingerprint, Index
from kg.read.kept import record_path
from kg.read.known import Known, index_path

STOCK = 7  # a sentence hash every source shares (a paper's closing line)


def fp(n: int, *hashes: int) -> Fingerprint:
    return Fingerprint(f"text-{n}", tuple(sorted(hashes)))


def line(name: str, f: Fingerprint) -> str:
    return json.dumps({"id": name, "sha256": "0" * 64, "fp": f.to_json(), "copies": []}) + "\n"


def prints() -> list[tuple[str, Fingerprint]]:
    out = [(f"s{i}.txt", fp(i, STOCK, 1000 + i, 2000 + i, 3000 + i, 2 ** 64 - 1 - i)) for i in range(Index.COMMON + 5)]
    out.append(("again.txt", fp(3, 99)))  # another name for source 3's text
    return out


def test_the_index_answers_as_the_index_in_memory(tmp_path):
    dataset = tmp_path / "kg.trig"
    record_path(dataset).write_text("".join(line(n, f) for n, f in prints()) + '{"id": "cut', encoding="utf-8")
    memory = Index()
    for name, f in prints():
        memory.add(name, f)
    asks = [fp(3, 0), fp(-1, STOCK, 1010, 2010, 3010, 2 ** 64 - 11), fp(-2, STOCK, 1010, 5, 6, 8),
            fp(-3, STOCK, 1, 2, 3, 4), fp(-4, STOCK, 1068, 2068, 3068, 2 ** 64 - 69), fp(-5)]
    with Known(dataset) as known:
        assert [known.match(a) for a in asks] == [memory.match(a) for a in asks]
        assert [known.match(a) is not None for a in asks] == [True, True, False, False, True, False]
        assert known.fingerprint_of("s5.txt") == prints()[5][1] and known.fingerprint_of("none.txt") is None


def test_the_index_catches_up_with_appends_and_is_made_anew_for_another_record(tmp_path):
    dataset = tmp_path / "kg.trig"
    record = record_path(dataset)
    with Known(dataset) as known:
        assert known.match(fp(1, 1)) is None  # no record: nothing is known
    record.write_text(line("a.txt", fp(1, 11, 12)), encoding="utf-8")
    with Known(dataset) as known:
        assert known.match(fp(1, 1)) == ("a.txt", "the same text")
    with open(record, "a", encoding="utf-8") as f:
        f.write(line("b.txt", fp(2, 21, 22))[:-9])  # an append not finished yet
    with Known(dataset) as known:
        assert known.match(fp(2, 21, 22)) is None
    with open(record, "a", encoding="utf-8") as f:
        f.write(line("b.txt", fp(2, 21, 22))[-9:])
    with Known(dataset) as known:
        assert known.match(fp(2, 0)) == ("b.txt", "the same text")
    replaced = tmp_path / "new.jsonl"
    replaced.write_text(line("c.txt", fp(3, 31)), encoding="utf-8")
    os.replace(replaced, record)  # a build's new record: the index is not its
    with Known(dataset) as known:
        assert known.match(fp(1, 0)) is None and known.match(fp(3, 0)) == ("c.txt", "the same text")
    index_path(dataset).write_bytes(b"not a database at all" * 100)
    with Known(dataset) as known:
        assert known.match(fp(3, 0)) == ("c.txt", "the same text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.trig.sources.idx", "kg.trig.sources.jsonl"]
