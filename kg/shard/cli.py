"""`kg extract`: one shard of the extraction, for a batch engine to run on many processes or machines.

:func:`add_parser` declares the command on `kg`'s subparsers; :func:`run` calls
:func:`kg.shard.make.extract_shard` and prints its summary on stderr; :func:`main` runs the
command alone (``python -m kg.shard.cli PATHS… -o DIR --shard 2/8``). A `--shard` that is not
``I/N`` with 1 ≤ I ≤ N is a usage error (exit 2) before anything is read. See docs/cluster.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


DESCRIPTION = """Read and extract the sources of one shard and write each source's extraction, with the
source as read, into DIR as a self-contained record; then the shard's manifest DIR/shard-I-of-N.json.
The sources are found as `kg build` finds them and named over the whole input list; shard I of N
takes those whose name hashes to it (int(sha256(name)[:8], 16) % N == I-1), so N runs given the same
PATHS share the work with no scheduler. `kg build DIR` then builds from the records, checking that
shards 1..N are all there and were made by the same extractor; the output is byte-identical to
`kg build PATHS`."""
EPILOG = """Exit status: 0 the shard was written; 2 an error (a usage error, a source that cannot be read
without --keep-going, a folder that cannot be written). Example, 8 processes with GNU parallel:
parallel kg extract src/ -o shards/ --jobs 1 --shard {}/8 ::: $(seq 8) && kg build shards/"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Declare `kg extract` on `kg`'s subparsers."""
    p = subparsers.add_parser("extract", help="extract one shard of the sources into a folder that `kg build` reads "
                              "(for a batch engine: GNU parallel, Slurm)", description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="source files or folders, the same for every shard")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help="the shard folder to write into")
    p.add_argument("--shard", type=shard_arg, default=(1, 1), metavar="I/N",
                   help="this run's shard, 1 to N, of N (default: 1/1, every source)")
    p.add_argument("-r", "--recursive", action="store_true",
                   help="read the folders' subfolders too; a source is named by its path in the folder")
    p.add_argument("--keep-going", action="store_true", help="skip a source that cannot be read (one warning line "
                   "each; listed in the manifest, and reported again by kg build) instead of stopping")
    p.add_argument("--cache", type=Path, metavar="DIR",
                   help="a build cache (.vnkg-cache) to take unchanged extractions from and add new ones to "
                        "(default: none)")
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="processes to extract with (default: the `jobs` "
                   "setting, one per CPU; give 1 when a batch engine runs one kg extract per CPU)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (default: when stderr is a terminal and not CI)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """`kg extract` with parsed arguments."""
    from ..parallel import jobs_setting
    from .make import extract_shard
    shard, count = args.shard
    jobs = args.jobs if args.jobs is not None else jobs_setting()
    s = extract_shard(args.paths, args.output, shard, count, recursive=args.recursive, keep_going=args.keep_going,
                      cache=args.cache, jobs=jobs, progress=args.progress)
    print(f"extract: shard {s.shard} of {s.count}: {s.sources} of {s.inputs} sources ({s.cached} from cache"
          + (f", {len(s.skipped)} skipped" if s.skipped else "") + f"), {s.manifest} in {s.seconds:.1f} s",
          file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`kg extract ARGS…` on its own (as `kg.cli.main` runs it: a KgError is one line and exit 2)."""
    from ..cli import main as kg_main
    return kg_main(["extract", *(sys.argv[1:] if argv is None else argv)])


def shard_arg(text: str) -> tuple[int, int]:
    """`I/N` → (I, N), with 1 ≤ I ≤ N."""
    i, slash, n = text.partition("/")
    if not slash or not i.strip().isdigit() or not n.strip().isdigit() or int(n) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give this run's shard and the number of shards as I/N, e.g. 2/8")
    shard, count = int(i), int(n)
    if not 1 <= shard <= count:
        raise argparse.ArgumentTypeError(f"{text!r}: shards are numbered 1 to {count}; "
                                         f"give 1/{count} … {count}/{count}")
    return shard, count


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes, 1 or more")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
