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
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence, TypeVar

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


class Place(NamedTuple):
    """Where an object sits in a spool, for another process to read it there itself
    (:func:`load`) rather than be sent it: the spool file as this process's ``/proc`` names it
    (an anonymous file has no other name; the number in it is the descriptor a process forked
    since inherited), its device and inode, the record's offset and length."""
    path: str
    device: int
    inode: int
    offset: int
    length: int


class Objects:
    """Objects pickled into a spool, numbered in the order they were added."""

    def __init__(self, spool: Spool) -> None:
        self.spool, self.spans = spool, []
        self._named: dict[int, tuple[str, int, int]] = {}  # a process id → the spool's /proc name, device, inode

    def add(self, obj) -> int:
        return self.add_packed(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))

    def add_packed(self, data: bytes) -> int:
        """Add an object already pickled (``pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)``)."""
        self.spans.append(self.spool.put(data))
        return len(self.spans) - 1

    def get(self, i: int):
        return pickle.loads(self.spool.read(self.spans[i]))

    def place(self, i: int) -> Place | None:
        """Where object `i` sits, for :func:`load` in another process (None where the system
        gives an open file no name: no ``/proc``). Written out first."""
        pid = os.getpid()
        if pid not in self._named:  # looked up once a process
            fd = self.spool.file.fileno()
            path = f"/proc/{pid}/fd/{fd}"
            if not os.path.exists(path):
                return None
            st = os.fstat(fd)
            self._named[pid] = (path, st.st_dev, st.st_ino)
        self.spool.file.flush()
        return Place(*self._named[pid], *self.spans[i])

    def view(self, numbers: Sequence[int]) -> "Spooled":
        """The objects numbered `numbers`, in that order."""
        return Spooled(self, list(numbers))


class Spooled(Lazy):
    """A view of objects in a spool (:meth:`Objects.view`), whose j-th item another process can
    read itself (:meth:`place`), and beside which more objects can be put for it (:meth:`put`)."""

    def __init__(self, objects: Objects, numbers: list[int]) -> None:
        super().__init__(len(numbers), self._read)
        self.objects, self.numbers = objects, numbers
        self._last: tuple[object, int] = (None, -1)  # the object read last, and its number

    def _read(self, j: int):
        obj = self.objects.get(self.numbers[j])
        self._last = (obj, self.numbers[j])
        return obj

    def number(self, obj) -> int | None:
        """The number of `obj` in the spool if it is the very object this view read last (a stage
        that changes nothing passes on the object it was given), else None: a stage reading the view
        through later ones (:class:`Lazy`) spools again only what they changed."""
        last, number = self._last
        return number if obj is last else None

    def place(self, j: int) -> Place | None:
        return self.objects.place(self.numbers[j])

    def put(self, obj) -> Place | None:
        return self.objects.place(self.objects.add(obj))


_OPENED: dict[str, tuple[int, bool]] = {}  # a spool's path → this process's descriptor of it, and whether it opened it


def load(place: Place):
    """The object at `place` (:meth:`Objects.place`), read by this process itself: through the
    descriptor it inherited when forked after the spool was made (its number is in the path,
    checked by device and inode), else by opening the path, once a process, and again if the name has
    come to mean another file since."""
    fd, owned = _OPENED.get(place.path, (None, False))
    if fd is None or not _is(fd, place):
        if owned:
            os.close(fd)
        fd, owned = _descriptor(place)
        _OPENED[place.path] = fd, owned
    data = os.pread(fd, place.length, place.offset)
    if len(data) != place.length:
        raise OSError(f"{place.path}: {len(data)} of {place.length} bytes at {place.offset}")
    return pickle.loads(data)


def _descriptor(place: Place) -> tuple[int, bool]:
    inherited = int(place.path.rsplit("/", 1)[1])
    if _is(inherited, place):
        return inherited, False
    fd = os.open(place.path, os.O_RDONLY | os.O_CLOEXEC)
    if not _is(fd, place):
        os.close(fd)
        raise OSError(f"{place.path} is no longer the spool it was")
    return fd, True


def _is(fd: int, place: Place) -> bool:
    """Whether `fd` is open here on the spool file of `place`."""
    try:
        st = os.fstat(fd)
    except OSError:  # not open here
        return False
    return (st.st_dev, st.st_ino) == (place.device, place.inode)
