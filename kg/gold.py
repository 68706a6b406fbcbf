"""Gold files: read one, check its shape, merge many into one.

A gold file is the JSON of ``/work/shared/gold/seeds.json``: ``sources`` (file name →
metadata) and lists of hand-checked answers (``persons``, ``posts``, ``documents``…).
A dev set keeps one gold file per article; :func:`merge_gold` joins them into the gold of
the whole set. This module only reads and checks; scoring is :mod:`kg.evaluate`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .errors import InputError

# Old tone placement on the second vowel → new placement on the first ("uỷ" → "ủy").
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_HONORIFICS = ("đồng chí ", "ông ", "bà ", "đ/c ")
_TW = re.compile(r"\btw\b")
_SPACE = re.compile(r"[\s\u00a0]+")
_PARTY_NUMBER = re.compile(r"^0*(\d+)-?([A-ZĐ]+)/([A-ZĐ.]+)$")


def norm(text: object) -> str:
    """A name as gold compares it: NFC, case-folded, new tone placement, "T.Ư"/"TW" spelt
    "trung ương", spaces collapsed, edge punctuation and a leading honorific dropped."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFC", str(text)).casefold()
    for old, new in _OLD_TONES.items():
        t = t.replace(old, new)
    t = _TW.sub("trung ương", t.replace("t.ư", "trung ương"))
    t = _SPACE.sub(" ", t).strip(" .,;:-–\"'“”")
    for honorific in _HONORIFICS:
        if t.startswith(honorific):
            t = t[len(honorific):]
    return t


def canonical_number(text: object) -> str:
    """A document number as gold compares it: "011 - NQ/TW" → "11-NQ/TW"; a number of
    another form ("15/2023/NĐ-CP") upper-cased, without spaces."""
    t = unicodedata.normalize("NFC", str(text)).upper().replace(" ", "").replace("–", "-")
    m = _PARTY_NUMBER.match(t)
    return f"{m.group(1)}-{m.group(2)}/{m.group(3)}" if m else t


class Aliases:
    """Maps a name to the first name of its alias group, both normalised."""

    def __init__(self, groups: Iterable[list[str]]) -> None:
        self.key = {norm(name): norm(group[0]) for group in groups for name in group}

    def __call__(self, name: object) -> str:
        n = norm(name)
        return self.key.get(n, n)


# key → fields every entry of that list must have
LISTS: dict[str, tuple[str, ...]] = {
    "persons": ("name", "sources"),
    "posts": ("person", "accept"),
    "members": ("body", "persons"),
    "must_not": ("person", "body"),
    "documents": ("number", "sources"),
    "named_documents": ("label", "sources"),
    "citations": ("citing", "cited"),
    "meetings": ("source",),
    "goals": ("source", "keywords"),
    "wikidata": ("labels", "qid"),
}
GROUPS = ("aliases", "person_aliases")  # lists of lists of names


def load_gold(path: Path | str) -> dict:
    """Read and check one gold file; an :class:`InputError` says what is wrong with it."""
    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the gold file: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"not a UTF-8 JSON file: {exc}") from exc
    check_gold(gold, path)
    return gold


def load_golds(paths: Iterable[Path | str]) -> dict:
    """Read gold files (a folder stands for its ``*.gold.json``) and merge them into one."""
    files: dict[str, dict] = {}
    for path in map(Path, paths):
        found = sorted(path.glob("*.gold.json")) if path.is_dir() else [path]
        if not found:
            raise InputError(path, "folder holds no *.gold.json file")
        files.update((str(f), load_gold(f)) for f in found)
    if not files:
        raise InputError("gold", "no gold file given")
    return merge_gold(files)


def check_gold(gold: Any, path: Path | str = "gold") -> None:
    """Raise :class:`InputError` unless ``gold`` has the shape a gold file must have."""
    if not isinstance(gold, dict):
        raise InputError(path, f"top level is a {type(gold).__name__}, expected an object")
    if not isinstance(gold.get("sources"), dict):
        raise InputError(path, '"sources" must be an object of file name → metadata')
    for key, fields in LISTS.items():
        for i, entry in enumerate(_list(gold, key, path)):
            missing = [f for f in fields if not isinstance(entry, dict) or f not in entry]
            if missing:
                raise InputError(path, f"{key}[{i}] lacks {', '.join(missing)}; each needs {', '.join(fields)}")
    for key in GROUPS:
        for i, group in enumerate(_list(gold, key, path)):
            if not isinstance(group, list) or not group or not all(isinstance(n, str) for n in group):
                raise InputError(path, f"{key}[{i}] must be a non-empty list of names")


def _list(gold: dict, key: str, path: Path | str) -> list:
    value = gold.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, f'"{key}" must be a list, not {type(value).__name__}')
    return value


def merge_gold(golds: Mapping[str, dict] | Sequence[dict]) -> dict:
    """One gold of many (a list, or file name → gold): sources united, list entries about the
    same thing joined (their sources united), overlapping alias groups joined, repeats
    dropped. Contradictions (two dates for one document, one label for two items) are errors."""
    if not isinstance(golds, Mapping):
        golds = {f"gold[{i}]": g for i, g in enumerate(golds)}
    out: dict[str, Any] = {"about": "", "sources": {}}
    for name, gold in golds.items():
        check_gold(gold, name)
        _merge_sources(out["sources"], gold["sources"], name)
    out["about"] = "\n".join(g["about"] for g in golds.values() if g.get("about"))
    for key in GROUPS:
        out[key] = join_groups(group for g in golds.values() for group in g.get(key, []))
    for key, merge in _mergers(Aliases(out["aliases"]), Aliases(out["person_aliases"])).items():
        out[key] = merge([(n, e) for n, g in golds.items() for e in g.get(key, [])])
    return out


def _merge_sources(into: dict, sources: dict, name: str) -> None:
    for source, meta in sources.items():
        if source in into and into[source] != meta:
            raise InputError(name, f"source {source} has metadata {meta}, elsewhere {into[source]}")
        into[source] = meta


def join_groups(groups: Iterable[list[str]]) -> list[list[str]]:
    """Alias groups with a name in common become one; the first group's first name leads."""
    joined: list[list[str]] = []
    for group in groups:
        keys = {norm(n) for n in group}
        hits = [g for g in joined if keys & {norm(n) for n in g}]
        target = hits[0] if hits else []
        for other in hits[1:]:
            target.extend(other)
            joined.remove(other)
        target.extend(group)
        if not hits:
            joined.append(target)
    return [_unique(g, norm) for g in joined]


def _unique(items: list, key: Callable[[Any], Any]) -> list:
    """The items in order, each key once."""
    out, seen = [], set()
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


Entries = list[tuple[str, dict]]  # (gold file name, entry)


def _by_key(key: Callable[[dict], Any], unite: tuple[str, ...], agree: tuple[str, ...] = ()) -> Callable[[Entries], list]:
    """A merger: entries with the same key become one; ``unite`` lists are joined,
    ``agree`` fields must not contradict (None means not known)."""

    def merge(entries: Entries) -> list[dict]:
        merged: dict[Any, dict] = {}
        for name, entry in entries:
            k = key(entry)
            if k not in merged:
                merged[k] = {**entry, **{f: list(entry.get(f) or []) for f in unite}}
                continue
            _join(merged[k], entry, unite, agree, name)
        return list(merged.values())

    return merge


def _documents(key: Callable[[dict], Any]) -> Callable[[Entries], list]:
    """Documents merge by number and issuer, but two with different known dates stay two: a number
    without its year ("01/NQ-CP", "35-CT/TW" of another term) is reused. A date not known joins
    the first entry it does not contradict."""

    def merge(entries: Entries) -> list[dict]:
        out: list[dict] = []
        for name, entry in entries:
            into = next((d for d in out if key(d) == key(entry) and _same_date(d, entry)), None)
            if into is None:
                out.append({**entry, "sources": list(entry.get("sources") or [])})
            else:
                _join(into, entry, ("sources",), ("type", "issued"), name)
        return out

    return merge


def _same_date(a: dict, b: dict) -> bool:
    return a.get("issued") is None or b.get("issued") is None or a["issued"] == b["issued"]


def _join(into: dict, entry: dict, unite: tuple[str, ...], agree: tuple[str, ...], name: str) -> None:
    for f in unite:
        into[f] = _unique(into[f] + list(entry.get(f) or []), json.dumps)
    for f in agree:
        mine, theirs = into.get(f), entry.get(f)
        if mine is not None and theirs is not None and mine != theirs:
            raise InputError(name, f"{f} {theirs!r} contradicts {mine!r} for {into}")
        into[f] = mine if mine is not None else theirs


def _whole(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def _merge_wikidata(entries: Entries) -> list[dict]:
    owner: dict[str, str] = {}
    for name, item in entries:
        for label in item["labels"]:
            if owner.setdefault(norm(label), item["qid"]) != item["qid"]:
                raise InputError(name, f"label {label!r} is {item['qid']} here, {owner[norm(label)]} elsewhere")
    return _by_key(lambda e: e["qid"], ("labels",))(entries)


def _mergers(alias: Aliases, pname: Aliases) -> dict[str, Callable[[Entries], list]]:
    """How each list merges; bodies and persons compare through the merged alias groups."""
    return {
        "persons": _by_key(lambda e: pname(e["name"]), ("sources",)),
        "posts": _by_key(lambda e: (pname(e["person"]), frozenset((norm(r), alias(b)) for r, b in e["accept"])), ()),
        "members": _by_key(lambda e: alias(e["body"]), ("persons",)),
        "must_not": _by_key(lambda e: (pname(e["person"]), alias(e["body"])), ()),
        "documents": _documents(lambda e: (canonical_number(e["number"]), alias(e.get("issuer")))),
        "named_documents": _by_key(lambda e: (norm(e["label"]), e.get("type")), ("sources",)),
        "citations": _by_key(lambda e: norm(e["citing"]), ("cited",)),
        "meetings": _by_key(_whole, ()),
        "goals": _by_key(_whole, ()),
        "wikidata": _merge_wikidata,
    }
