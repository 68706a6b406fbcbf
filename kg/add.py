"""`kg add`: add sources to a built dataset without rebuilding it.

Takes source files (or folders) and the dataset `kg build` wrote; extracts only the new
sources (through the build cache, so a later full build reuses the work), writes their graphs,
links their entities offline (online when asked), and reasons incrementally: the dataset's
store (:mod:`kg.store`) already holds the closure of every earlier source, so only what the
new facts imply is computed (:mod:`kg.incremental`). The new graphs, links and inferences are
appended to the TriG file as blocks of their own (TriG lets a graph's triples come in several
blocks) and inserted into the store, under the file's lock.

An addition never rewrites what is there: an entity already in the dataset keeps its label,
an entity or a Wikidata item already linked keeps its link, and a triple the new source now
asserts stays in the inferred graph if it was inferred before. A full `kg build` of all the
sources gives the canonical file (labels chosen across every source, graphs in IRI order).
A source already in the dataset is skipped when its content is unchanged and refused when
it changed (replacing a source retracts facts: that is a full build's job). A different
article whose name is taken (another folder's `001.txt`, another page's `index.html`) is named
by its parent folders as well (:mod:`kg.read`); an article the dataset holds under another
name (the same text, or a copy syndicated by another site) is not added twice: a `duplicate:`
line names it (:mod:`kg.read.duplicates`, against the dataset's `NAME.sources.jsonl`,
indexed on disk by :mod:`kg.read.known`).

Crash safety: the bytes to append are prepared first; a journal (``.NAME.append``) records
the file's size before the append and is removed after it; a later `kg add` finding a journal
cuts the file back to that size. The store is written after the file and re-stamped last, so
a crash in between leaves a store whose stamp no longer matches: it is rebuilt from the file.
"""
from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import re
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox
from rdflib.namespace import OWL, RDFS, SKOS

from . import config, store as stores
from .graph import trig
from .reason.closure import key as term_key
from .cache import cache_folder
from .collector import fewer_collections
from .errors import InputError, KgError, ValidationError
from .graph import is_fact, links_triples, mint, preferred_labels
from .model import Extraction, Key, Link
from .parallel import extract_sources, graph_sources
from .resolve import load_table, place
from .resolve.places import placed_by_people
from .resolve.record import PeopleFile, Record
from .resolve.tenures import changed as changed_tenures, tenures
from .read import Input, find_inputs, longer_names, read_bytes, read_source
from .read.duplicates import fingerprint, similarity
from .read.kept import append_record, one_per_article, write_texts
from .read.known import Known
from .vocab import VNKG

Log = Callable[[str], None]
_DEFAULT = ox.DefaultGraph()


@dataclass
class Added:
    sources: int = 0
    unchanged: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()  # (the file's name, the source it copies)
    asserted: int = 0
    inferred: int = 0
    links: int = 0
    bytes: int = 0
    tenures: int = 0
    notes: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)


def add(paths: Sequence[Path], output: Path, online: bool = False, log: Log = lambda line: print(line, file=sys.stderr),
        overrides: dict | None = None, recursive: bool = False) -> Added:
    """Add the sources under `paths` to the dataset file `output`; return what was added."""
    output, done, t0 = Path(output), Added(), time.perf_counter()
    if not output.is_file():
        raise KgError(f"{output}: no dataset to add to; build one first with `kg build`")
    found = find_inputs(paths, recursive)
    if not found:
        raise KgError("no sources found in " + ", ".join(map(str, paths)))
    # fewer collections: an article's names bring back tens of thousands of earlier mentions,
    # made into as many small groups (at 100,000 articles the collector took 0.1–0.3 s of an addition)
    with stores.locked(output), contextlib.ExitStack() as stack, fewer_collections():
        roll_back(output)
        # the on-disk store opens (letting go of the interpreter) while the reasoner and the
        # ontology load: one after the other they were 0.06 s of an addition
        opening = _Background(stores.open_store, output, overrides, writable=True)
        try:
            ontology = _ontology()
        finally:
            store = opening.result()
        known = stack.enter_context(Known(output))
        todo, done.unchanged = _named(store, known, found, overrides)
        results = extract_sources(todo, cache_folder(output, overrides), 1, keep_going=False)
        for r in results:
            if r.extraction is None:
                raise InputError(r.path, r.problem)
        fresh, done.duplicates = _not_copies(known, [(r.extraction, r.key) for r in results], log)
        done.seconds["extract"] = round(time.perf_counter() - t0, 3)
        if fresh:
            record = PeopleFile(output)
            previous = record.open()
            if previous is None:
                log(f"warning: {record.path} is missing or older than {output}: the new sources' people are not "
                    "matched with those already there, and tenures are not updated; `kg build` makes both")
            with previous if previous is not None else contextlib.nullcontext():
                fresh = _place(output, store, ontology, fresh, previous, record, overrides, done, online, log)
            write_texts(output, [ex for ex, _ in fresh])
            append_record(output, [ex for ex, _ in fresh])
            known.catch_up()
            stores.restamp(output)
    done.seconds["total"] = round(time.perf_counter() - t0, 3)
    plural = lambda n, word: f"{n:,} {word}" + ("" if n == 1 else "s")
    log(f"add: {plural(done.sources, 'source')} added ({len(done.unchanged)} already there, unchanged"
        + (f"; {len(done.duplicates):,} cop{'y' if len(done.duplicates) == 1 else 'ies'} of articles there"
           if done.duplicates else "") + "), "
        f"{done.asserted:,} asserted and {done.inferred:,} inferred triples, {plural(done.links, 'link')}, "
        f"{plural(done.tenures, 'tenure fact')} new or changed; "
        f"{output} (+{done.bytes:,} bytes) in {done.seconds['total']:.2f} s")
    return done


def _place(output: Path, store: ox.Store, ontology, fresh: list, previous: Record | None, record: PeopleFile,
           overrides: dict | None, done: Added, online: bool, log: Log) -> list:
    """Resolve the new sources' people against the record, append their graphs (and the
    tenures they change) to the file and the store, and add them to the record."""
    lap = _laps(done)
    # the tenures block is read, and kept in the rewrite's journal, while the people are resolved
    old = _OldTail(output, *record.tenures_block) if previous is not None and record.tenures_block else None
    try:
        table, identity = load_table(config.get("people_table", overrides)), str(config.get("person_identity", overrides))
        run = lambda xs, outlines=None: place(xs, previous, table, identity)  # noqa: E731
        news = [ex for ex, _ in fresh]  # a new source may be placed by its people (not by name alone)
        extractions, resolution, notes = run(news) if identity == "name" else placed_by_people(news, run, log)
        for note in notes:
            log(f"note: {note}")
        done.notes = tuple(notes)
        fresh = [(ex, k) for ex, (_, k) in zip(extractions, fresh)]
        ids = {ex.source.id for ex, _ in fresh}
        new_mentions = [(p.key, m) for p in resolution.people for m in p.mentions if m.source in ids]
        lap("resolve")
        if previous is not None:  # the tenures that change: of the new mentions' posts, and successions there
            before, after = changed_tenures(new_mentions, previous.tenures, previous.tenures_of_posts)
            gone, came = _tenure_changes(before, after, overrides)
        else:
            after, gone, came = tenures(resolution), None, []
        lap("tenures")
        data = _additions(store, ontology, fresh, online, overrides, done, came)
        lap("graphs")
        if gone is None or not (gone or came):
            if old is not None:
                old.discard()
            done.bytes = append(output, data)
            _insert(store, data)
            block = record.tenures_block if gone is not None else (os.path.getsize(output),) * 2
        else:
            at, end = record.tenures_block
            patched = _patched(old.block(), gone, came, config.graph_iri("tenures", overrides=overrides))
            old, kept = None, old  # from here the journal's copy is the rewrite's
            done.bytes = rewrite_tail(output, at, end, data, patched, kept=kept)
            _replace_tenures(store, gone, came, overrides)
            _insert(store, data)
            done.tenures = len(came)
            block = (os.path.getsize(output) - len(patched), os.path.getsize(output))
    except BaseException:
        if old is not None:
            old.discard()
        raise
    lap("write")
    if previous is not None:
        previous.add(resolution, ids, after, block)
    else:
        record.write(resolution, block, after)
    lap("record")
    return fresh


class _Background:
    """``fn(*args, **kwargs)`` run by a thread of its own; :meth:`result` waits for it and gives
    its value, or raises what it raised. For work that leaves the interpreter free (reading,
    writing and syncing files, opening the on-disk store) beside work that does not."""

    def __init__(self, fn: Callable, *args, **kwargs) -> None:
        self._value = self._error = None

        def run() -> None:
            try:
                self._value = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 — raised in the caller's thread, by `result`
                self._error = exc
        self._thread = threading.Thread(target=run, name=f"kg add: {fn.__name__}", daemon=True)
        self._thread.start()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class _OldTail:
    """The dataset's tail from the tenures block on — the block, and what was appended after
    it — read, and written to the rewrite's journal file and synced, by a thread while the
    main one resolves the new sources' people. The copy is what lets :func:`roll_back` undo
    an interrupted rewrite; at 100,000 articles it is 35 MB to read, write and sync (about
    0.05 s)."""

    def __init__(self, path: Path, at: int, end: int) -> None:
        self.keep = path.with_name(f".{path.name}.tail")  # the journal's tail file (see roll_back)
        self._copy = _Background(_copy_tail, path, at, end, self.keep)

    def block(self) -> bytes:
        """The tenures block, once the journal's copy of the tail is written and synced."""
        return self._copy.result()[0]

    @property
    def after(self) -> bytes:
        return self._copy.result()[1]

    def discard(self) -> None:
        """No rewrite after all: the journal's copy goes."""
        try:
            self._copy.result()
        finally:
            self.keep.unlink(missing_ok=True)


def _copy_tail(path: Path, at: int, end: int, keep: Path) -> tuple[bytes, bytes]:
    with open(path, "rb") as f:
        f.seek(at)
        block, after = f.read(end - at), f.read()
    with open(keep, "wb") as f:
        f.write(block)
        f.write(after)
        f.flush()
        os.fsync(f.fileno())
    return block, after


def _laps(done: Added) -> Callable[[str], None]:
    """A clock: each call notes in `done.seconds` the time since the one before."""
    last = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        done.seconds[name] = round(now - last[0], 3)
        last[0] = now
    return lap


def _named(store: ox.Store, known: Known, found: Sequence[Input], overrides: dict | None
           ) -> tuple[list[Input], tuple[str, ...]]:
    """The inputs to add, each with a name no source of the dataset has, and the names of those
    already there unchanged. A file whose name is taken by other content is either that source
    changed — the same article (its fingerprint against the dataset's record) — and refused, or
    another article, named by its parent folders too (as an earlier `kg add` may have named it)."""
    todo, unchanged, taken = [], [], {i.id for i in found}
    for item in found:
        sha256 = None
        if _has(store, item.id, overrides):
            sha256 = hashlib.sha256(read_bytes(item.path, int(config.get("max_source_bytes", overrides)))).hexdigest()
            if sha256 in _hashes(store, item.id, overrides):
                unchanged.append(item.id)
                continue
            before = known.fingerprint_of(item.id)
            if before is None or similarity(fingerprint(read_source(item, overrides).text), before) >= CHANGED:
                raise InputError(item.path, f"{item.id} is in the dataset with other content; `kg add` only adds — "
                                            "rebuild with `kg build` to replace a source")
            name, there = _longer_name(store, item, sha256, taken, overrides)
            if there:
                unchanged.append(name)
                continue
            taken.add(name)
            item = Input(item.path, name)
        todo.append(item)
    return todo, tuple(unchanged)


def _has(store: ox.Store, name: str, overrides: dict | None) -> bool:
    return store.contains_named_graph(ox.NamedNode(config.graph_iri("source", name, overrides)))


def _hashes(store: ox.Store, name: str, overrides: dict | None) -> set[str]:
    graph = ox.NamedNode(config.graph_iri("source", name, overrides))
    return {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(VNKG.contentHash)), None, graph)}


CHANGED = 0.3  # a file sharing this much of its sentences with the dataset's source of its name is that source, edited


def _longer_name(store: ox.Store, item: Input, sha256: str, taken: set[str], overrides: dict | None
                 ) -> tuple[str, bool]:
    """The file's name lengthened by its parent folders until neither the dataset nor the other
    inputs have it — or until the dataset's source of that name is this very file (True)."""
    for longer in longer_names(item.id, item.path.resolve().parent.parts):
        if longer in taken:
            continue
        if not _has(store, longer, overrides):
            return longer, False
        if sha256 in _hashes(store, longer, overrides):
            return longer, True
    return str(item.path.resolve()).lstrip("/"), False


def _not_copies(known: Known, fresh: list, log: Log) -> tuple[list, tuple[tuple[str, str], ...]]:
    """The new sources less the copies of an article the dataset holds, or of another new one."""
    extractions, keys, pairs = one_per_article([ex for ex, _ in fresh], [k for _, k in fresh], log)
    kept = []
    for ex, key in zip(extractions, keys):
        found = known.match(ex.source.fingerprint or fingerprint(ex.source.text))
        if found is None:
            kept.append((ex, key))
            continue
        pairs += ((ex.source.id, str(found[0])),)
        log(f"duplicate: {ex.source.id} is the article of {found[0]}, already in the dataset ({found[1]}); not added")
    return kept, pairs


def _additions(store: ox.Store, ontology, fresh: list, online: bool, overrides: dict | None, done: Added,
               tenure_rows: Sequence[tuple] = ()) -> bytes:
    """The TriG blocks to append: the new source graphs, new links, new inferences (of these and
    of the tenure rows that are new or changed)."""
    from .link import link
    extractions = [ex for ex, _ in fresh]
    base = config.get("base_iri", overrides)
    labels = _labels(store, extractions, base)
    graphs, _ = graph_sources(extractions, [k for _, k in fresh], labels, None, 1, overrides)
    blocks = [g.block if isinstance(g.block, bytes) else Path(g.block).read_bytes() for g in graphs]
    facts = [t for g in graphs for t in g.facts] + [(term_key(s), term_key(p), term_key(o)) for s, p, o in tenure_rows]
    done.sources, done.asserted = len(graphs), sum(g.triples for g in graphs)
    links = _new_links(store, link(extractions, online=online).links, base)
    if links:
        triples = list(links_triples(links, overrides))
        iri = config.graph_iri("links", overrides=overrides)
        blocks.append(trig.block(iri, trig.body(trig.formatted(triples))))
        facts += [(term_key(s), term_key(p), term_key(o)) for s, p, o in triples if is_fact((s, p, o))]
        done.links, done.asserted = len(links), done.asserted + len(set(triples))
    inferred = config.graph_iri("inferred", overrides=overrides)
    if store.contains_named_graph(ox.NamedNode(inferred)):  # a dataset built with --no-reason stays so
        rows = _infer(store, ontology, facts, base)
        done.inferred = len(rows)
        if rows:
            blocks.append(trig.block(inferred, trig.body(rows)))
    return b"".join(blocks)


def _labels(store: ox.Store, extractions: list[Extraction], base: str) -> dict[Key, str]:
    """An entity already in the dataset keeps its label; a new one gets the label the new
    sources prefer (:func:`kg.graph.preferred_labels`)."""
    label = ox.NamedNode(str(RDFS.label))
    chosen = preferred_labels(extractions)
    for k in chosen:
        known = sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(mint(k, base)), label, None, _DEFAULT)
                       if q.object.language == "vi")
        if known:
            chosen[k] = known[0]
    return chosen


def _new_links(store: ox.Store, links: Sequence[Link], base: str) -> list[Link]:
    """Links of entities not linked yet, to items no entity is linked to yet (one item, one entity)."""
    same = ox.NamedNode(str(OWL.sameAs))
    taken = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(SKOS.exactMatch)), None, _DEFAULT)}
    taken |= {q.object.value for q in store.quads_for_pattern(None, same, None, _DEFAULT)}
    out = []
    for link in links:
        node = ox.NamedNode(mint(link.key, base))
        wikidata = [q for q in store.quads_for_pattern(node, same, None, _DEFAULT) if "wikidata.org" in q.object.value]
        if not wikidata and not any(link.qid == item.rsplit("/", 1)[-1] for item in taken):
            out.append(link)
    return out


def _ontology():
    """The ontology, as the reasoner reads it (and the modules linking and reasoning load)."""
    from .link import link  # noqa: F401 — loaded now: the store opens meanwhile
    from .reason import load_ontology
    from .reason.incremental import add_facts  # noqa: F401 — the same
    return load_ontology()


def _infer(store: ox.Store, ontology, facts: list, base: str) -> list[tuple[str, str, str]]:
    from .reason.incremental import add_facts
    found = add_facts(store, ontology, base, facts)
    if found.inconsistencies:
        raise ValidationError("the sources would make the graph inconsistent under OWL-RL; nothing added:\n  "
                              + "\n  ".join(found.inconsistencies))
    return [trig.key_row(t) for t in found.triples]


def _tenure_changes(before, after, overrides: dict | None) -> tuple[list[tuple], list[tuple]]:
    """The rows of the tenures graph that go and that come (rdflib terms, sorted) when the
    tenures `before` become `after`. Compared tenure by tenure (a row's subject is its
    tenure), the sources as sets of names, so only the rows that differ are made at all: at
    100,000 articles a tenure is attested in up to 20,000 sources and an article adds one."""
    from .graph import tenure_terms
    from .resolve.tenures import attested_in, triples
    was = {t.key: t for t in before}
    gone, came = set(), set()
    for t in after:
        b = was.pop(t.key, None)
        old = set(triples([replace(b, sources=())])) if b is not None else set()
        new = set(triples([replace(t, sources=())]))
        old_sources = set(b.sources) if b is not None else set()
        new_sources = set(t.sources)
        gone |= (old - new) | {attested_in(t.key, s) for s in old_sources - new_sources}
        came |= (new - old) | {attested_in(t.key, s) for s in new_sources - old_sources}
    for b in was.values():  # a tenure only before (none: a tenure only gains), whole
        gone |= set(triples([b]))
    minted: dict = {}
    return sorted(tenure_terms(gone, overrides, minted)), sorted(tenure_terms(came, overrides, minted))


def _patched(block: bytes, gone: list[tuple], came: list[tuple], graph: str) -> bytes:
    """The tenures block with the rows `gone` taken out and `came` put in. The block is sorted
    by subject, one statement group a subject (:func:`trig.body`), as `kg build` writes it:
    the groups of the subjects that change are found by bisection over the bytes, and in each
    only the objects of its properties are split apart, edited in their order and joined again;
    the rest stays as it lies (at 100,000 articles the block is 35 MB, and a tenure attested in
    20,000 sources gains one)."""
    head, foot = b"\n<" + graph.encode() + b"> {\n", b"\n}\n"
    out, into = defaultdict(set), defaultdict(set)
    for s, p, o in trig.formatted(gone):
        out[s].add((p.encode(), o.encode()))
    for s, p, o in trig.formatted(came):
        into[s].add((p.encode(), o.encode()))
    start = block.find(b"{\n")
    first = last = 0  # the groups lie in block[first:last]
    if start >= 0:
        first = start + 2
        last = max(block.rfind(b"\n}"), first)
    view = memoryview(block)  # runs of groups are joined as they lie: one copy of the block, not three
    pieces, cursor = [], first  # pieces: runs of groups as they lie, and the groups written again
    for subject in sorted(out.keys() | into.keys()):
        key = subject.encode()
        at = _seek(block, key, cursor, last)
        there = at < last and block[at:block.find(b" ", at, last)] == key
        end = at
        if there:
            end = block.find(b"\n\n", at, last)
            end = last if end < 0 else end
        if at > cursor:  # the groups before it, less the blank line after them
            pieces.append(view[cursor:at - 2] if at < last else view[cursor:last])
        text = _regroup(key, block[at:end] if there else None, out[subject], into[subject])
        if text:
            pieces.append(text)
        cursor = (end + 2 if end < last else last) if there else at
    if cursor < last:
        pieces.append(view[cursor:last])
    parts = [head]
    for piece in pieces:
        parts += [piece, b"\n\n"]
    if pieces:
        parts.pop()  # no blank line after the last group
    return b"".join(parts + [foot])


def _seek(block: bytes, key: bytes, lo: int, hi: int) -> int:
    """Where in ``block[lo:hi]`` (statement groups separated by a blank line, sorted by their
    subject; `lo` a group's start) the first group whose subject is `key` or sorts after it
    starts, or `hi`: a bisection over the bytes."""
    def start_at(x: int) -> int:  # the first group starting at x or after
        if x <= lo:
            return lo
        i = block.find(b"\n\n", x - 2, hi)
        return hi if i < 0 else i + 2
    a, b = lo, hi
    while a < b:
        mid = (a + b) // 2
        g = start_at(mid)
        if g < hi and block[g:block.find(b" ", g, hi)] < key:
            a = mid + 1
        else:
            b = mid
    return start_at(a)


_PROPERTY = re.compile(rb"\n    (?=[^ ])")  # a line that starts a property of a statement group
_NEXT = b",\n        "  # between two objects of one property


def _runs(group: bytes) -> dict[bytes, list[bytes]]:
    """A statement group written by :func:`trig.body` read back as its properties, each with its
    objects as written, in order. No term written there holds a line break (a literal's is
    escaped), and only a literal's text holds a space; a subject and a property never do."""
    starts = [0] + [m.start() + 1 for m in _PROPERTY.finditer(group)]
    runs = {}
    for i, (a, b) in enumerate(zip(starts, starts[1:] + [len(group)])):
        text = group[a:b]
        text = text[:-3] if text.endswith(b" ;\n") else text[:-2]  # " ;" and its line break, or the last " ."
        p, objects = text.split(b" ", 2)[1:] if i == 0 else text[4:].split(b" ", 1)
        runs[p] = objects.split(_NEXT)
    return runs


def _regroup(subject: bytes, group: bytes | None, gone: set[tuple[bytes, bytes]],
             came: set[tuple[bytes, bytes]]) -> bytes:
    """The statement group of `subject` (`group` as it lies, or None for a new one) with the
    (property, object) pairs `gone` taken out and `came` put in, as :func:`trig.body` writes it
    (properties with rdf:type first, then in order; objects in order); empty if none is left."""
    runs = _runs(group) if group else {}
    for p, o in gone:
        objects = runs.get(p, [])
        i = bisect.bisect_left(objects, o)
        if i < len(objects) and objects[i] == o:
            del objects[i]
    for p, o in came:
        objects = runs.setdefault(p, [])
        i = bisect.bisect_left(objects, o)
        if i == len(objects) or objects[i] != o:
            objects.insert(i, o)
    order = sorted((p for p in runs if runs[p]), key=lambda p: (p != _TYPE, p))
    return b" ;\n".join((subject + b" " if i == 0 else b"    ") + p + b" " + _NEXT.join(runs[p])
                         for i, p in enumerate(order)) + (b" ." if order else b"")


_TYPE = trig.TYPE.encode()


def _replace_tenures(store: ox.Store, gone: list[tuple], came: list[tuple], overrides: dict | None) -> None:
    """The rows `gone` taken out of the store's tenures graph (and of the default graph, unless
    a source graph asserts them too: a stated start), the rows `came` put in."""
    graph = ox.NamedNode(config.graph_iri("tenures", overrides=overrides))
    for t in gone:
        s, p, o = (stores.to_oxigraph(x) for x in t)
        store.remove(ox.Quad(s, p, o, graph))
        if not any(q.graph_name != _DEFAULT for q in store.quads_for_pattern(s, p, o)):
            store.remove(ox.Quad(s, p, o, _DEFAULT))
    for t in came:
        s, p, o = (stores.to_oxigraph(x) for x in t)
        store.add(ox.Quad(s, p, o, graph))
        store.add(ox.Quad(s, p, o, _DEFAULT))


def _insert(store: ox.Store, data: bytes) -> None:
    quads = ox.parse(trig.header(trig.prefix_lines()) + data, format=ox.RdfFormat.TRIG)
    store.extend(stores.with_union(quads))
    store.flush()


def journal(path: Path) -> Path:
    return path.with_name(f".{path.name}.append")


def append(path: Path, data: bytes) -> int:
    """Append `data` to `path`, with a journal that lets :func:`roll_back` undo a torn append."""
    note = journal(path)
    st = path.stat()
    note.write_text(json.dumps({"size": st.st_size, "inode": st.st_ino}))
    with open(path, "ab") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    note.unlink()
    return len(data)


def rewrite_tail(path: Path, at: int, end: int, data: bytes, block: bytes, kept: _OldTail) -> int:
    """Replace the tenures block (bytes `at`…`end` of `path`) with `block`, keeping what was
    appended after it and appending `data` before the new block. The old tail is kept in the
    journal's tail file (`kept` copied it there) until the new one is written, so
    :func:`roll_back` can restore it. The new tail is written over the old, then the file cut
    where it ends (cutting first would free the old tail's 35 MB only to take them again).
    Returns the bytes added."""
    note, keep = journal(path), kept.keep
    st = path.stat()
    kept.block()  # the copy written and synced
    after = kept.after
    note.write_text(json.dumps({"size": st.st_size, "inode": st.st_ino, "tail_at": at, "tail": keep.name}))
    with open(path, "r+b") as f:
        f.seek(at)
        for part in (after, data, block):  # not joined first: the block is tens of MB
            f.write(part)
        f.truncate()
        f.flush()
        os.fsync(f.fileno())
    note.unlink()
    keep.unlink()
    return path.stat().st_size - st.st_size


def roll_back(path: Path) -> bool:
    """Cut `path` back to its size before an append that did not finish; True if it did.
    A journal about another file (`kg build` has replaced it since) is only removed."""
    note = journal(path)
    if not note.exists():
        return False
    try:
        entry = json.loads(note.read_text())
        size, inode = int(entry["size"]), int(entry["inode"])
    except (OSError, ValueError, KeyError, TypeError):
        raise KgError(f"{note}: an unreadable journal of an interrupted `kg add`; rebuild with `kg build`") from None
    st = path.stat()
    if "tail_at" in entry and st.st_ino == inode:  # a tenures rewrite: put the old tail back
        keep = path.with_name(entry["tail"])
        with open(path, "r+b") as f:
            f.truncate(int(entry["tail_at"]))
            f.seek(int(entry["tail_at"]))
            f.write(keep.read_bytes())
            f.flush()
            os.fsync(f.fileno())
        note.unlink()
        keep.unlink(missing_ok=True)
        return True
    torn = st.st_ino == inode and st.st_size >= size
    if torn:
        os.truncate(path, size)
    note.unlink()
    return torn
