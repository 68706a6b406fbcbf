"""The resolution of a build, kept beside its dataset (``NAME.people.db``, SQLite): every person
mention with what it was judged on, the person it was given to, the decisions, and every tenure
as the sources make it (:mod:`kg.resolve.tenures`, before its rows become the tenures graph).

`kg build` writes it whole (to a temporary file, renamed into place). `kg build --explain`
reads it whole to say why two mentions are one person or two. `kg add` opens it and reads only
what the new sources touch — the mentions of the bare names they mention (an index), the person
keys of a name, the tenures of the posts they speak of (an index) — and adds what they bring in
one transaction, so an addition costs what the article touches, not what the dataset holds.

The record notes the dataset file's size when it was written: a record about another state of
the file (a build since, an addition that did not finish) is not used.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import InputError
from ..model import Key, Lit
from . import names
from .mentions import Decision, Mention, Person, PostRef, Resolution
from .tenures import Tenure

VERSION = 3

SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE person(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, label TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX person_name ON person(name);
CREATE TABLE mention(id INTEGER PRIMARY KEY, person INTEGER NOT NULL REFERENCES person(id), bare TEXT NOT NULL,
                     source TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, date TEXT, province TEXT,
                     posts TEXT NOT NULL);
CREATE INDEX mention_bare ON mention(bare);
CREATE INDEX mention_person ON mention(person);
CREATE TABLE body(key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE decision(id INTEGER PRIMARY KEY, same INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
                      reason TEXT NOT NULL);
CREATE TABLE tenure(key TEXT PRIMARY KEY, person TEXT NOT NULL, post TEXT NOT NULL, role TEXT NOT NULL,
                    start TEXT, end_ TEXT, first TEXT, last TEXT, ended_before TEXT, sources TEXT NOT NULL,
                    succeeds TEXT) WITHOUT ROWID;
CREATE INDEX tenure_post ON tenure(post);
"""


def path_for(output: Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + ".people.db")


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _key(text: str) -> Key:
    return tuple(json.loads(text))


def _post(x: PostRef) -> list:
    return [x.key, x.role, x.label, x.seat, x.former, [x.start.value, x.start.datatype] if x.start else None,
            [x.end.value, x.end.datatype] if x.end else None, x.ends]


def _lit(pair) -> Lit | None:
    return Lit(pair[0], pair[1]) if pair else None


def _posts(text: str) -> tuple[PostRef, ...]:
    return tuple(PostRef(tuple(k), role, label, seat, former, _lit(start), _lit(end), ends)
                 for k, role, label, seat, former, start, end, ends in json.loads(text))


def _mention_row(person: int, m: Mention) -> tuple:
    return (person, names.bare(m.name), m.source, _dump(m.key), m.name, m.date, m.province,
            _dump([_post(x) for x in m.posts]))


class _Reader:
    """Mentions from rows, each distinct key and list of posts decoded once: a person's
    mentions mostly repeat them (one name, the same post), and `kg add` reads every mention
    of the names an article touches — tens of thousands at 100,000 articles."""

    def __init__(self) -> None:
        self.keys: dict[str, Key] = {}
        self.posts: dict[str, tuple[PostRef, ...]] = {}

    def mention(self, row) -> Mention:
        source, key, name, date, province, posts = row
        k = self.keys.get(key)
        if k is None:
            k = self.keys[key] = _key(key)
        p = self.posts.get(posts)
        if p is None:
            p = self.posts[posts] = _posts(posts)
        return Mention(source, k, name, date, province, p)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _tenure_row(t: Tenure) -> tuple:
    return (_dump(t.key), _dump(t.person), _dump(t.post), t.role,
            _dump([t.start.value, t.start.datatype]) if t.start else None,
            _dump([t.end.value, t.end.datatype]) if t.end else None,
            _date(t.first), _date(t.last), _date(t.ended_before), _dump(t.sources),
            _dump(t.succeeds) if t.succeeds is not None else None)


def _tenure(row) -> Tenure:
    key, person, post, role, start, end, first, last, ended_before, sources, succeeds = row
    day = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
    return Tenure(_key(key), _key(person), _key(post), role, _lit(json.loads(start)) if start else None,
                  _lit(json.loads(end)) if end else None, day(first), day(last), day(ended_before),
                  tuple(json.loads(sources)), _key(succeeds) if succeeds else None)


_TENURE_COLUMNS = "key, person, post, role, start, end_, first, last, ended_before, sources, succeeds"


class PeopleFile:
    """The record of a dataset file; it also notes where in the file the tenures graph is (the
    last block `kg build` writes) and the file's size then, so `kg add` can rewrite that block."""

    def __init__(self, output: Path) -> None:
        self.dataset = Path(output)
        self.path = path_for(output)
        self.tenures_block: tuple[int, int] | None = None

    def _size(self) -> int | None:
        return self.dataset.stat().st_size if self.dataset.exists() else None

    def write(self, res: Resolution, tenures_block: tuple[int, int] | None = None,
              held: Sequence[Tenure] = ()) -> None:
        """The whole record, in place of the one there (if any) only once it is complete."""
        self.commit(self.stage(res, held), tenures_block)

    def stage(self, res: Resolution, held: Sequence[Tenure] = ()) -> Path:
        """The whole record written to a temporary file beside its place (`kg build` writes it
        as soon as resolution ends, and lets the resolution go); :meth:`commit` puts it there."""
        from ..export import public_mode
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.fchmod(fd, public_mode())  # as the dataset file: a server of another user reads it
        os.close(fd)
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
                db.executescript(SCHEMA)
                db.execute("BEGIN")
                for p in res.people:
                    person = db.execute("INSERT INTO person(key, label, name) VALUES (?, ?, ?)",
                                        (_dump(p.key), p.label, p.key[1])).lastrowid
                    db.executemany("INSERT INTO mention(person, bare, source, key, name, date, province, posts) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (_mention_row(person, m) for m in p.mentions))
                _bodies(db, (m for p in res.people for m in p.mentions))
                db.executemany("INSERT INTO decision(same, a, b, reason) VALUES (?, ?, ?, ?)",
                               ((d.same, d.a, d.b, d.reason) for d in res.decisions))
                db.executemany(f"INSERT INTO tenure({_TENURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               map(_tenure_row, held))
                db.execute("COMMIT")
            finally:
                db.close()
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Path(tmp)

    @contextlib.contextmanager
    def staging(self, res: Resolution, held: Sequence[Tenure] = ()) -> Iterator[Path]:
        """:meth:`stage`, the temporary file removed at the end unless :meth:`commit` put it in place."""
        staged = self.stage(res, held)
        del res, held  # the caller may let them go
        try:
            yield staged
        finally:
            staged.unlink(missing_ok=True)

    def commit(self, staged: Path, tenures_block: tuple[int, int] | None) -> None:
        """The staged record, noted as about the dataset file as it is now, put in place."""
        try:
            db = sqlite3.connect(staged, isolation_level=None)
            try:
                _meta(db, self._size(), tenures_block)
            finally:
                db.close()
            with open(staged, "rb") as f:
                os.fsync(f.fileno())
            os.replace(staged, self.path)
        except BaseException:
            Path(staged).unlink(missing_ok=True)
            raise

    def open(self) -> "Record | None":
        """The record, open for `kg add`, or None if there is none or it is not about the file as it is now."""
        if not self.path.is_file():
            return None
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            meta = dict(db.execute("SELECT name, value FROM meta"))
        except sqlite3.Error as e:
            raise InputError(self.path, f"not a people record ({e}); rebuild with `kg build`") from e
        if meta.get("version") != str(VERSION):
            db.close()
            raise InputError(self.path, f"a people record of version {meta.get('version')!r}, this vnkg reads "
                                        f"{VERSION}; rebuild with `kg build`")
        if json.loads(meta.get("dataset_bytes", "null")) != self._size():
            db.close()
            return None
        block = json.loads(meta.get("tenures_block", "null"))
        self.tenures_block = (int(block[0]), int(block[1])) if block else None
        return Record(db, self)

    def read(self) -> Resolution | None:
        """The whole record, or None if there is none or it is not about the file as it is now."""
        record = self.open()
        if record is None:
            return None
        with record:
            return record.everything()


def _meta(db: sqlite3.Connection, size: int | None, tenures_block: tuple[int, int] | None) -> None:
    db.executemany("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)",
                   [("version", str(VERSION)), ("dataset_bytes", _dump(size)),
                    ("tenures_block", _dump(list(tenures_block) if tenures_block else None))])


def _bodies(db: sqlite3.Connection, ms: Iterable[Mention]) -> None:
    db.executemany("INSERT OR IGNORE INTO body(key) VALUES (?)",
                   ((_dump(["Body", *x.key[2:]]),) for m in ms for x in m.posts))


class Record:
    """An open people record: what `kg add` reads of it, and the one transaction that adds to it."""

    def __init__(self, db: sqlite3.Connection, file: PeopleFile) -> None:
        self.db, self.file = db, file

    @property
    def tenures_block(self) -> tuple[int, int] | None:
        return self.file.tenures_block

    def __enter__(self) -> "Record":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def bodies(self) -> set[Key]:
        """The bodies of every post a mention holds (the district keys a merger split are among them)."""
        return {_key(k) for (k,) in self.db.execute("SELECT key FROM body")}

    def people_of(self, bares: Iterable[str]) -> list[Person]:
        """The people with a mention of one of these bare names (:func:`kg.resolve.names.bare`),
        each with all their mentions, in the record's order."""
        bares = sorted(set(bares))
        if not bares:
            return []
        ids = sorted({i for chunk in _chunks(bares) for (i,) in self.db.execute(
            f"SELECT DISTINCT person FROM mention WHERE bare IN ({','.join('?' * len(chunk))})", chunk)})
        out, read = [], _Reader()
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            people = {i: Person(_key(k), label, []) for i, k, label in
                      self.db.execute(f"SELECT id, key, label FROM person WHERE id IN ({marks})", chunk)}
            # by person, then in the record's order: as the person index lies, so no sort of them all
            for i, *row in self.db.execute("SELECT person, source, key, name, date, province, posts FROM mention "
                                           f"WHERE person IN ({marks}) ORDER BY person, id", chunk):
                people[i].mentions.append(read.mention(row))
            out += [people[i] for i in chunk]
        return out

    def keys_named(self, name: str) -> set[Key]:
        """The keys of the people whose key has this name (its second part)."""
        return {_key(k) for (k,) in self.db.execute("SELECT key FROM person WHERE name = ?", (name,))}

    def tenures(self, keys: Iterable[Key]) -> dict[Key, Tenure]:
        wanted = sorted({_dump(k) for k in keys})
        return {t.key: t for chunk in _chunks(wanted) for t in map(_tenure, self.db.execute(
            f"SELECT {_TENURE_COLUMNS} FROM tenure WHERE key IN ({','.join('?' * len(chunk))})", chunk))}

    def tenures_of_posts(self, posts: Iterable[Key]) -> list[Tenure]:
        wanted = sorted({_dump(k) for k in posts})
        return [t for chunk in _chunks(wanted) for t in map(_tenure, self.db.execute(
            f"SELECT {_TENURE_COLUMNS} FROM tenure WHERE post IN ({','.join('?' * len(chunk))})", chunk))]

    def everything(self) -> Resolution:
        people = {i: Person(_key(k), label, []) for i, k, label in self.db.execute(
            "SELECT id, key, label FROM person ORDER BY id")}
        read = _Reader()
        for i, *row in self.db.execute("SELECT person, source, key, name, date, province, posts FROM mention ORDER BY id"):
            people[i].mentions.append(read.mention(row))
        decisions = [Decision(bool(same), a, b, reason) for same, a, b, reason in
                     self.db.execute("SELECT same, a, b, reason FROM decision ORDER BY id")]
        return Resolution(list(people.values()), decisions)

    def add(self, res: Resolution, sources: set[str], held: Sequence[Tenure],
            tenures_block: tuple[int, int] | None) -> None:
        """In one transaction: the mentions of `res` from these new `sources` (each with its
        person, made if new), `res`'s decisions, the tenures `held` (new or changed), where the
        tenures block is now, and the dataset's size now."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for p in res.people:
                fresh = [m for m in p.mentions if m.source in sources]
                if not fresh:
                    continue
                row = db.execute("SELECT id FROM person WHERE key = ?", (_dump(p.key),)).fetchone()
                person = row[0] if row else db.execute("INSERT INTO person(key, label, name) VALUES (?, ?, ?)",
                                                       (_dump(p.key), p.label, p.key[1])).lastrowid
                db.executemany("INSERT INTO mention(person, bare, source, key, name, date, province, posts) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (_mention_row(person, m) for m in fresh))
                _bodies(db, fresh)
            db.executemany("INSERT INTO decision(same, a, b, reason) VALUES (?, ?, ?, ?)",
                           ((d.same, d.a, d.b, d.reason) for d in res.decisions))
            db.executemany(f"INSERT OR REPLACE INTO tenure({_TENURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           map(_tenure_row, held))
            _meta(db, self.file._size(), tenures_block)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.file.tenures_block = tenures_block


def _chunks(items: Sequence, n: int = 500) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield list(items[i:i + n])
