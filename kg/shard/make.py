"""`kg extract`: one shard's sources read, extracted and written as records, then its manifest.

:func:`extract_shard` takes the input paths, the output folder and the shard (I, N); it finds the
inputs exactly as `kg build` does, keeps those of shard I (:func:`kg.shard.shard_of`), reads and
extracts them with :func:`kg.parallel.extract_sources` (from a build cache when one is given;
in worker processes when `jobs` allows) and writes each source's record atomically, then the
shard's manifest (:mod:`kg.shard` describes both). It does not resolve, link or write a graph.

A source that cannot be read stops the run (an InputError naming it, nothing written) unless
`keep_going`: then it is one warning line, as in `kg build --keep-going`, and is listed in the
manifest, so that the build reports it again.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .. import __version__
from ..cache import extractor_fingerprint, write_atomic_bytes
from ..errors import InputError
from ..parallel import Extracted, extract_sources
from ..progress import Progress
from ..read import Input, find_inputs
from . import FORMAT, dumps, inputs_digest, manifest_path, record_path, shard_of, to_record

Log = Callable[[str], None]


def stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass(frozen=True)
class ShardSummary:
    shard: int
    count: int
    inputs: int  # sources in the whole input list
    sources: int  # extracted and written
    skipped: tuple[str, ...]
    cached: int
    manifest: Path
    seconds: float


def extract_shard(paths: Sequence[Path], folder: Path, shard: int = 1, count: int = 1, recursive: bool = False,
                  keep_going: bool = False, cache: Path | None = None, jobs: int = 1, log: Log = stderr,
                  progress: bool | None = None) -> ShardSummary:
    """Shard `shard` of `count` of the sources found in `paths`, written into `folder`."""
    start = time.perf_counter()
    folder = Path(folder)
    found = find_inputs(paths, recursive)
    _output_folder(folder, paths)
    mine = [i for i in found if shard_of(i.id, count) == shard]
    manifest = manifest_path(folder, shard, count)
    manifest.unlink(missing_ok=True)  # a rerun's shard is not done until its new manifest is written
    bar = Progress("extract", len(mine), enabled=progress)
    results = extract_sources(mine, cache, jobs, bar.advance, keep_going)
    bar.close()
    problems = _problems(mine, results, keep_going, log)
    done = [(i, r) for i, r in zip(mine, results) if r.extraction is not None]
    for _, r in done:
        _write(record_path(folder, r.extraction.source.id), dumps(to_record(r.extraction, r.key)))
    _write(manifest, _manifest(shard, count, found, done, problems))
    return ShardSummary(shard, count, len(found), len(done), tuple(p["path"] for p in problems),
                        sum(r.cached for _, r in done), manifest, time.perf_counter() - start)


def _output_folder(folder: Path, paths: Sequence[Path]) -> None:
    """Make the shard folder; it is told by its manifests, so it must not be a folder of sources too."""
    if any(Path(p).is_dir() and Path(p).resolve() == folder.resolve() for p in paths):
        raise InputError(folder, "is one of the source folders; write the shards into a folder of their own (-o DIR)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(folder, f"cannot be made a folder ({exc.strerror or exc}); give a folder to write into") from exc


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic_bytes(path, data)
    except OSError as exc:
        raise InputError(path, f"cannot be written ({exc.strerror or exc})") from exc


def _problems(mine: list[Input], results: list[Extracted], keep_going: bool, log: Log) -> list[dict]:
    out = []
    for item, r in zip(mine, results):
        if r.extraction is None:
            if not keep_going:
                raise InputError(r.path, r.problem)
            log(f"warning: skipped {r.path}: {r.problem}")
            out.append({"name": item.id, "path": str(r.path), "problem": r.problem})
    return out


def _manifest(shard: int, count: int, found: list[Input], done: list[tuple[Input, Extracted]],
              problems: list[dict]) -> bytes:
    xs = [r.extraction for _, r in done]
    data = {"format": FORMAT, "shard": shard, "of": count, "vnkg": __version__, "extractor": extractor_fingerprint(),
            "inputs": {"sources": len(found), "digest": inputs_digest([i.id for i in found])},
            "counts": {"sources": len(done), "skipped": len(problems), "cached": sum(r.cached for _, r in done),
                       "entities": sum(len(x.entities) for x in xs), "facts": sum(len(x.facts) for x in xs)},
            "sources": [i.id for i, _ in done], "skipped": problems}
    return dumps(data, indent=1)
