"""The resolution of a build, kept beside its dataset (``NAME.people.json``): every person
mention with what it was judged on, the person it was given to, and the decisions.

`kg build --explain` reads it to say why two mentions are one person or two; `kg add` reads it
to place a new source's people among those already there, and writes it back with them.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..model import Lit
from .mentions import Decision, Mention, Person, PostRef, Resolution

VERSION = 2


def path_for(output: Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + ".people.json")


def to_json(res: Resolution, tenures: tuple[int, int] | None = None, size: int | None = None) -> str:
    """The record as compact JSON: a person is [key, label, mentions], a mention [source, key,
    name, date, province, posts], a post [key, role, label, seat, former, start, end, ends], a decision
    [same, a, b, reason]; a stated date is [value, datatype]."""
    people = [[p.key, p.label, [[m.source, m.key, m.name, m.date, m.province, [_post(x) for x in m.posts]]
                                for m in p.mentions]] for p in res.people]
    return json.dumps({"version": VERSION, "dataset_bytes": size, "tenures_block": tenures, "people": people,
                       "decisions": [[d.same, d.a, d.b, d.reason] for d in res.decisions]},
                      ensure_ascii=False, separators=(",", ":"))


def _post(x: PostRef) -> list:
    return [x.key, x.role, x.label, x.seat, x.former, [x.start.value, x.start.datatype] if x.start else None,
            [x.end.value, x.end.datatype] if x.end else None, x.ends]


def _lit(pair) -> Lit | None:
    return Lit(pair[0], pair[1]) if pair else None


def from_json(text: str, where: Path) -> Resolution:
    return _parse(text, where)[0]


def _parse(text: str, where: Path) -> tuple[Resolution, dict]:
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
        people = [Person(tuple(key), label,
                         [Mention(source, tuple(mkey), name, date, province,
                                  tuple(PostRef(tuple(k), role, plabel, seat, former, _lit(start), _lit(end), ends)
                                        for k, role, plabel, seat, former, start, end, ends in posts))
                          for source, mkey, name, date, province, posts in mentions])
                  for key, label, mentions in data["people"]]
        return Resolution(people, [Decision(*d) for d in data["decisions"]]), data
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(where, f"not a people record of this version of vnkg ({e}); rebuild with `kg build`") from e


class PeopleFile:
    """The record of a dataset file; it also notes where in the file the tenures graph is (the
    last block `kg build` writes) and the file's size then, so `kg add` can rewrite that block."""

    def __init__(self, output: Path) -> None:
        self.dataset = Path(output)
        self.path = path_for(output)
        self.tenures_block: tuple[int, int] | None = None

    def write(self, res: Resolution, tenures_block: tuple[int, int] | None = None) -> None:
        size = self.dataset.stat().st_size if self.dataset.exists() else None
        from ..export import write_atomic
        write_atomic(self.path, to_json(res, tenures_block, size).encode("utf-8"))

    def read(self) -> Resolution | None:
        """The record, or None if there is none or it is not about the file as it is now."""
        if not self.path.is_file():
            return None
        res, data = _parse(self.path.read_text(encoding="utf-8"), self.path)
        if data.get("dataset_bytes") != (self.dataset.stat().st_size if self.dataset.exists() else None):
            return None
        block = data.get("tenures_block")
        self.tenures_block = (int(block[0]), int(block[1])) if block else None
        return res
