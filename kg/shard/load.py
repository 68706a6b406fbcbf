"""The build's extraction results from its inputs: shard folders loaded, other sources read and extracted.

:func:`extracted` takes `kg build`'s input paths and returns one :class:`~kg.parallel.Extracted`
per source, in name order, as :func:`kg.parallel.extract_sources` over :func:`kg.read.find_inputs`
gives them: a folder holding shard manifests (:mod:`kg.shard`) gives the extractions and the
problems its shards recorded; every other path is found and extracted as before. It does not
resolve, link or write anything.

Before anything is loaded it checks, and refuses with a KgError naming the file:

- that each manifest was made by the running extractor (its fingerprint, :func:`kg.cache.extractor_fingerprint`);
- that shards 1 to N of every `kg extract` run are there (the shards of one run may be spread
  over several folders; one folder holds the shards of one run only);
- that each record is the one its manifest names, by the same extractor;
- that no source name is given twice — by two runs, or by a run and a file or folder of sources.
  A source's name is its identity in the dataset (its graph's IRI); names in a shard folder were
  fixed when `kg extract` ran, over its own input list, so the build cannot re-derive them over
  the combined list as a direct build would, and cannot tell from a name which copy is meant (the
  same file, or another file of that name in another folder). Giving each source once is the fix,
  and the message says which two inputs meet.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..cache import extractor_fingerprint
from ..errors import KgError
from ..parallel import Extracted, Workers, extract_sources
from ..progress import Progress
from ..read import find_inputs
from . import FORMAT, MANIFEST, from_record, record_path, shard_of

Log = Callable[[str], None]


@dataclass(frozen=True)
class Manifest:
    path: Path
    shard: int
    count: int
    digest: str  # of the run's whole input list
    names: tuple[str, ...]
    skipped: tuple[tuple[str, str, str], ...]  # (name, path, problem)


def is_shard_folder(path: Path) -> bool:
    """Whether `path` is a folder written by `kg extract` (it holds a shard manifest)."""
    path = Path(path)
    return path.is_dir() and any(MANIFEST.fullmatch(p.name) for p in path.glob("shard-*-of-*.json"))


def extracted(inputs: Sequence[Path], recursive: bool = False, cache: Path | None = None, jobs: int = 1,
              keep_going: bool = False, progress: bool | None = None,
              log: Log = lambda line: None, keep: Callable[[Extracted], Extracted] = lambda r: r,
              workers: Workers | None = None, pack: bool = False) -> list[Extracted]:
    """Each source's extraction result, in name order: from shard folders, or read and extracted
    (the build cache `cache`, `jobs` processes, `workers` if given), each passed through `keep` as it comes
    (:func:`kg.parallel.extract_sources`, `pack` too). Without `keep_going` the extraction of sources
    stops at the first that cannot be read (the caller reports it)."""
    folders, others = split_inputs(inputs)
    loaded = load_shards(folders, log, keep)
    found = find_inputs(others, recursive)
    _refuse_twice(loaded, [(i.id, f"source {i.path}") for i in found])
    bar = Progress("extract", len(loaded) + len(found), enabled=progress)
    bar.advance(len(loaded))
    results = extract_sources(found, cache, jobs, bar.advance, keep_going, keep, workers, pack)
    bar.close()
    named = [(name, r) for name, _, r in loaded] + [(i.id, r) for i, r in zip(found, results)]
    return [r for _, r in sorted(named, key=lambda nr: (nr[0], str(nr[1].path)))]


def split_inputs(inputs: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The shard folders among `inputs` (each once, as a folder of sources is read once) and the rest."""
    folders: dict[str, Path] = {}
    others = []
    for p in map(Path, inputs):
        if is_shard_folder(p):
            folders.setdefault(str(p.resolve()), p)
        else:
            others.append(p)
    return list(folders.values()), others


def load_shards(folders: Sequence[Path], log: Log = lambda line: None,
                keep: Callable[[Extracted], Extracted] = lambda r: r) -> list[tuple[str, str, Extracted]]:
    """(name, where it comes from, result) of every source the shards in `folders` hold, checked,
    each result passed through `keep` as it is read."""
    manifests = [m for f in folders for m in _manifests(Path(f))]
    _complete(manifests)
    out = [(name, where, keep(r)) for m in manifests for name, where, r in _records(m)]
    for (count, _), group in sorted(_runs(manifests).items(), key=lambda kv: str(kv[1][0].path)):
        where = ", ".join(sorted({str(m.path.parent) for m in group}))
        log(f"shards: {count} in {where}, {sum(len(m.names) for m in group)} sources extracted by kg extract"
            + (f", {sum(len(m.skipped) for m in group)} not readable" if any(m.skipped for m in group) else ""))
    return out


def _manifests(folder: Path) -> list[Manifest]:
    found = [_manifest(p) for p in sorted(folder.glob("shard-*-of-*.json")) if MANIFEST.fullmatch(p.name)]
    runs = sorted({(m.count, m.digest) for m in found})
    if len(runs) > 1:
        raise KgError(f"{folder} holds the shards of {len(runs)} `kg extract` runs ("
                      + ", ".join(f"of {n} from {d[:8]}…" for n, d in runs)
                      + "); a run's shards share their record files: remove the old run's manifests, "
                        "or run kg extract again into an empty folder")
    return found


def _manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        m = Manifest(path, int(data["shard"]), int(data["of"]), str(data["inputs"]["digest"]),
                     tuple(map(str, data["sources"])),
                     tuple((str(s["name"]), str(s["path"]), str(s["problem"])) for s in data["skipped"]))
        made_by, fmt = data["extractor"], data["format"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KgError(f"{path} cannot be read as a shard manifest ({exc}); run kg extract again") from exc
    if fmt != FORMAT or made_by != extractor_fingerprint():
        raise KgError(f"{path} was made by another version of the extractor; run kg extract again")
    if MANIFEST.fullmatch(path.name).groups() != (str(m.shard), str(m.count)) or not 1 <= m.shard <= m.count:
        raise KgError(f"{path} says it is shard {m.shard} of {m.count}; a manifest keeps the name kg extract gave it")
    return m


def _runs(manifests: Iterable[Manifest]) -> dict[tuple[int, str], list[Manifest]]:
    runs: dict[tuple[int, str], list[Manifest]] = defaultdict(list)
    for m in manifests:
        runs[(m.count, m.digest)].append(m)
    return runs


def _complete(manifests: Sequence[Manifest]) -> None:
    """Every shard 1..N of each run there, once."""
    for (count, _), group in _runs(manifests).items():
        where = ", ".join(sorted({str(m.path.parent) for m in group}))
        have = defaultdict(list)
        for m in group:
            have[m.shard].append(m)
        for shard in range(1, count + 1):
            if shard not in have:
                raise KgError(f"shard {shard} of {count} missing in {where}; run kg extract … "
                              f"--shard {shard}/{count} with the same PATHS as the other shards")
            if len(have[shard]) > 1:
                raise KgError(f"shard {shard} of {count} is given twice: "
                              + " and ".join(str(m.path) for m in have[shard]))


def _records(m: Manifest) -> Iterator[tuple[str, str, Extracted]]:
    where = f"shard folder {m.path.parent}"
    for name in m.names:
        if shard_of(name, m.count) != m.shard:
            raise KgError(f"{m.path} lists {name}, which belongs to shard {shard_of(name, m.count)} of {m.count}; "
                          "run kg extract again")
        yield name, where, _record(m, name)
    for name, path, problem in m.skipped:
        yield name, where, Extracted(Path(path), problem=problem)


def _record(m: Manifest, name: str) -> Extracted:
    path = record_path(m.path.parent, name)
    again = f"run kg extract … --shard {m.shard}/{m.count} again"
    try:
        data = json.loads(path.read_bytes())
        ex, key = from_record(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise KgError(f"{path}, the record of {name} in {m.path.name}, cannot be read ({exc}); {again}") from exc
    if data["name"] != name:
        raise KgError(f"{path} holds {data['name']}, not {name} as {m.path.name} says; {again}")
    if data["extractor"] != extractor_fingerprint():
        raise KgError(f"{path} (the record of {name}) was made by another version of the extractor; {again}")
    return Extracted(Path(ex.source.path), ex, key)


def _refuse_twice(loaded: Sequence[tuple[str, str, Extracted]], found: Sequence[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for name, where in [(n, w) for n, w, _ in loaded] + list(found):
        if name in seen:
            raise KgError(f"source {name} is given twice: in {seen[name]} and in {where}; give each source once "
                          "(names in a shard folder are fixed when kg extract runs: leave the source out of the "
                          "other inputs, or extract it with the rest)")
        seen[name] = where
