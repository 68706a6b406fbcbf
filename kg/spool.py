"""What a build holds of each source while it runs, on disk rather than in memory.

A :class:`Spool` is an anonymous temporary file (gone when closed, or when the process dies)
beside the output, to which records are appended: an extraction, pickled, or a graph's TriG
block as written. Only where each one sits (offset, length) stays in memory; an extraction is
read back each time a stage asks for it. :class:`Lazy` is a read-only sequence whose items are
made on each access (read from a spool, or changed on the way by a later stage), so stages that
take a sequence of extractions run over the spooled ones unchanged.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")


class Lazy(Sequence[T]):
    """`n` items, the i-th made by `item(i)` each time it is asked for."""

    def __init__(self, n: int, item: Callable[[int], T]) -> None:
        self.n, self.item = n, item

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.item(j) for j in range(*i.indices(self.n))]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError(i)
        return self.item(i)

    def __iter__(self) -> Iterator[T]:
        return (self.item(i) for i in range(self.n))


def mapped(items: Sequence, fn: Callable) -> Lazy:
    """`items` with `fn` applied to each as it is read."""
    return Lazy(len(items), lambda i: fn(items[i]))


class Spool:
    """An append-only temporary file of records in the folder `where`."""

    def __init__(self, where: Path) -> None:
        Path(where).mkdir(parents=True, exist_ok=True)
        self.file = tempfile.TemporaryFile(dir=where, prefix=".vnkg-spool.")
        self.end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Append `data`; return where it is (offset, length)."""
        self.file.seek(self.end)
        self.file.write(data)
        span, self.end = (self.end, len(data)), self.end + len(data)
        return span

    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[int, int]:
        """Append the chunks, one after the other, as one record; return where it is."""
        self.file.seek(self.end)
        start = self.end
        for chunk in chunks:
            self.file.write(chunk)
            self.end += len(chunk)
        return start, self.end - start

    def read(self, span: tuple[int, int]) -> bytes:
        self.file.flush()
        return os.pread(self.file.fileno(), span[1], span[0])

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Objects:
    """Objects pickled into a spool, numbered in the order they were added."""

    def __init__(self, spool: Spool) -> None:
        self.spool, self.spans = spool, []

    def add(self, obj) -> int:
        self.spans.append(self.spool.put(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)))
        return len(self.spans) - 1

    def get(self, i: int):
        return pickle.loads(self.spool.read(self.spans[i]))

    def view(self, numbers: Sequence[int]) -> Lazy:
        """The objects numbered `numbers`, in that order."""
        numbers = list(numbers)
        return Lazy(len(numbers), lambda j: self.get(numbers[j]))
