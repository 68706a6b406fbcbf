"""The articles a dataset holds, indexed on disk for `kg add` (``NAME.sources.idx``, SQLite).

The sources record (``NAME.sources.jsonl``, :mod:`kg.read.kept`) says, for every source, its name,
the SHA-256 of its bytes and its fingerprint (:mod:`kg.read.duplicates`). `kg add` asks two things
of it: is a new article one the dataset holds (the text hash, or the sketch hashes it shares), and
what is the fingerprint of the source of a name. Reading and indexing the whole record for that
costs seconds at 100,000 sources; this index answers both from disk, in what one article costs.

The index is derived: it notes which record it indexed (inode) and how far (bytes). Opened, it
catches up — the lines appended since (`kg add` appends) are indexed; a record that is not the
one it indexed (a build has replaced it) is indexed anew. It answers as
:class:`kg.read.duplicates.Index` does over the same lines in the same order.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from ..export import public_mode
from .duplicates import Fingerprint, Index, first_copied, why
from .kept import record_path

VERSION = 1
SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE print(id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL,
                   sketch TEXT NOT NULL);
CREATE INDEX print_name ON print(name);
CREATE INDEX print_text ON print(text);
CREATE TABLE posting(hash INTEGER NOT NULL, print INTEGER NOT NULL, PRIMARY KEY (hash, print)) WITHOUT ROWID;
"""


def index_path(dataset: Path) -> Path:
    dataset = Path(dataset)
    return dataset.with_name(dataset.name + ".sources.idx")


def _signed(h: int) -> int:
    return h - (1 << 64) if h >= 1 << 63 else h


class Known:
    """The index of a dataset's sources record, caught up with it; None-like answers without a record."""

    def __init__(self, dataset: Path) -> None:
        self.record, self.path = record_path(dataset), index_path(dataset)
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> "Known":
        self.catch_up()
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def catch_up(self) -> bool:
        """Index what the record holds and the index does not yet; False if there is no record."""
        try:
            st = self.record.stat()
        except FileNotFoundError:
            return False
        if self.db is None and self.path.exists():
            self.db = sqlite3.connect(self.path, isolation_level=None)
        try:
            meta = dict(self.db.execute("SELECT name, value FROM meta")) if self.db is not None else {}
        except sqlite3.DatabaseError:  # not an index (a crash while it was first made, a stray file): made anew
            meta = {}
        inode, done = int(meta.get("inode", -1)), int(meta.get("bytes", 0))
        if meta.get("version") != str(VERSION) or inode != st.st_ino or done > st.st_size:
            self._anew(st)  # not the record it indexed: a new index, in place of the old once whole
        elif done < st.st_size:
            self._index(self.db, self._tail(done, st.st_size), st.st_ino, done, empty=False)
        return True

    def _tail(self, done: int, size: int) -> bytes:
        with open(self.record, "rb") as f:
            f.seek(done)
            return f.read(size - done)

    def _anew(self, st: os.stat_result) -> None:
        if self.db is not None:
            self.db.close()
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.fchmod(fd, public_mode())
        os.close(fd)
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.executescript(SCHEMA)
                self._index(db, self._tail(0, st.st_size), st.st_ino, 0, empty=True)
            finally:
                db.close()
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.db = sqlite3.connect(self.path, isolation_level=None)

    @staticmethod
    def _index(db: sqlite3.Connection, data: bytes, inode: int, done: int, empty: bool) -> None:
        """Index the lines of `data` (the record from byte `done` on); a line still being written
        (no newline yet) waits for the next catch-up."""
        upto = done + data.rfind(b"\n") + 1
        data = data[:upto - done]
        db.execute("BEGIN IMMEDIATE")
        try:
            counts: dict[int, int] = {}
            for line in data.splitlines():
                try:
                    row = json.loads(line)
                    name, sha256, fp = row["id"], row["sha256"], Fingerprint.from_json(row["fp"])
                except (ValueError, KeyError, TypeError, IndexError):
                    continue  # as read_record: a line cut short by a crash says nothing
                i = db.execute("INSERT INTO print(name, sha256, text, sketch) VALUES (?, ?, ?, ?)",
                               (name, sha256, fp.text, json.dumps(fp.to_json()[1]))).lastrowid
                for h in map(_signed, fp.sketch):
                    if h not in counts:
                        counts[h] = 0 if empty else len(db.execute("SELECT 1 FROM posting WHERE hash = ? LIMIT ?",
                                                   (h, Index.COMMON + 1)).fetchall())
                    if counts[h] <= Index.COMMON:  # as Index.add: a stock sentence's list stops growing
                        db.execute("INSERT OR IGNORE INTO posting(hash, print) VALUES (?, ?)", (h, i))
                        counts[h] += 1
            db.executemany("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)",
                           [("version", str(VERSION)), ("inode", str(inode)), ("bytes", str(upto))])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _print(self, row) -> tuple[str, Fingerprint]:
        name, text, sketch = row
        return name, Fingerprint.from_json([text, json.loads(sketch)])

    def match(self, fp: Fingerprint) -> tuple[str, str] | None:
        """The first source of the record that `fp` copies, and why (:meth:`kg.read.duplicates.Index.match`)."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT name, text, sketch FROM print WHERE text = ? ORDER BY id LIMIT 1",
                              (fp.text,)).fetchone()
        if row is not None:
            name, other = self._print(row)
            return name, why(fp, other)
        db = self.db
        return first_copied(
            fp, lambda h: [i for (i,) in db.execute("SELECT print FROM posting WHERE hash = ? ORDER BY print LIMIT ?",
                                                    (_signed(h), Index.COMMON + 1))],
            lambda i: self._print(db.execute("SELECT name, text, sketch FROM print WHERE id = ?", (i,)).fetchone()))

    def fingerprint_of(self, name: str) -> Fingerprint | None:
        """The fingerprint the record holds for the source of this name (its first line)."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT name, text, sketch FROM print WHERE name = ? ORDER BY id LIMIT 1",
                              (name,)).fetchone()
        return self._print(row)[1] if row is not None else None


def make(dataset: Path) -> None:
    """Index the record of `dataset` now (`kg build`, once the record is in place), so that the
    first `kg add` does not pay for it."""
    with Known(dataset):
        pass
