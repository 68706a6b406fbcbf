"""Gazetteers of the genre, loaded once from `kg/data/`, and the patterns built from them.

Provinces (before and after the 2025 mergers), national bodies, provincial body templates,
departments, roles and fixed titles, family names and the genre's words. Nothing here is
about one article: the data lists real institutions and the grammar of titles, no person.
"""
from __future__ import annotations

import json
import re
import re._parser as _parser  # the regex compiler's parser (:func:`starting`)
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..config import DATA_DIR
from ..text import fold, modern_tone

TRUNG_UONG = r"(?:Trung ương|Trung Ương|TRUNG ƯƠNG|T\.Ư|T\.Ư\.|TƯ|TW)"
_TRUNG_UONG_CI = r"(?:[Tt]rung\s+[Ưư]ơng|TRUNG ƯƠNG|T\.Ư|T\.Ư\.|TƯ|TW)"


@dataclass(frozen=True)
class Province:
    name: str
    kind: str  # "tỉnh" or "thành phố"
    aliases: tuple[str, ...]
    valid_from: str | None
    valid_until: str | None
    successor: str | None
    unit_name: str | None = None  # how bodies name it, where not "<kind> <name>"
    committee_name: str | None = None

    @property
    def unit(self) -> str:
        """"tỉnh Bắc Giang", "thành phố Hà Nội", "Thành phố Hồ Chí Minh"."""
        return self.unit_name or f"{self.kind} {self.name}"

    @property
    def committee(self) -> str:
        """"Tỉnh ủy Bắc Giang", "Thành ủy Hà Nội"."""
        return self.committee_name or ("Thành ủy " if self.kind == "thành phố" else "Tỉnh ủy ") + self.name


@dataclass(frozen=True)
class CentralBody:
    label: str
    aliases: tuple[str, ...]
    parent: str | None
    kind: str
    relation: str = "subordinate"  # or "part": made of the parent's members


@dataclass(frozen=True)
class Template:
    heads: tuple[str, ...]
    label: str
    parent: str | None
    kind: str
    relation: str = "subordinate"


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Provinces by every spelling (name and aliases, NFC, modern tone)."""
    out: dict[str, Province] = {}
    for row in _load("provinces.json")["provinces"]:
        p = Province(row["name"], row["kind"], tuple(row.get("aliases", ())), row.get("valid_from"),
                     row.get("valid_until"), row.get("successor"), row.get("unit"), row.get("committee"))
        for spelling in (p.name, *p.aliases):
            out[modern_tone(spelling)] = p
    return out


def province_by_fold(name: str) -> Province | None:
    return _province_folds().get(fold(name))


@lru_cache(maxsize=1)
def _province_folds() -> dict[str, Province]:
    return {fold(k): v for k, v in provinces().items()}


@lru_cache(maxsize=1)
def bodies_data() -> dict:
    return _load("bodies.json")


@lru_cache(maxsize=1)
def central_bodies() -> dict[str, CentralBody]:
    """National bodies by every spelling."""
    out: dict[str, CentralBody] = {}
    for row in bodies_data()["central"]:
        b = CentralBody(row["label"], tuple(row["aliases"]), row["parent"], row["kind"], row.get("relation", "subordinate"))
        for spelling in (b.label, *b.aliases):
            out[spelling] = b
    return out


def central_by_label(label: str) -> CentralBody | None:
    return _central_folds().get(body_key(label))


@lru_cache(maxsize=1 << 14)
def body_key(label: str) -> str:
    """A comparison key for body names: T.Ư/TƯ/TW read as "Trung ương", then folded."""
    return fold(re.sub(r"(?<!\w)(?:T\.Ư\.?|TƯ|TW)(?!\w)", "Trung ương", label))


@lru_cache(maxsize=1)
def _central_folds() -> dict[str, CentralBody]:
    return {body_key(k): v for k, v in central_bodies().items()}


@lru_cache(maxsize=1)
def templates() -> tuple[Template, ...]:
    return tuple(Template(tuple(r["head"]), r["label"], r["parent"], r["kind"], r.get("relation", "subordinate"))
                 for r in bodies_data()["provincial"])


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return _load("lexicon.json")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    lines = (DATA_DIR / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(modern_tone(s.strip()) for s in lines if s.strip() and not s.startswith("#"))


_CI_WORDS = ("Ban", "Văn phòng", "Đoàn", "Thanh tra", "Ủy ban", "Hội đồng")
# words that make a body's name unmistakable in any case ("quận ủy", "ban thường vụ tỉnh ủy",
# "ủy ban nhân dân tỉnh"); without one, a lower-case "ban tổ chức" is an event's committee
_ANCHORS = re.compile(r"(?i)ủy\b|nhân dân|Đảng bộ|Đảng ủy|cán sự đảng|Quốc hội|ĐBQH|HĐND|UBND|Thường vụ|Chấp hành")


def alternation(phrases, *, ci_first: bool = False, ci_words: bool | str = False, nocase: bool = False) -> str:
    """A regex alternation of phrases, longest first (then in order); "Trung ương" also matches T.Ư/TƯ/TW;
    with `ci_first` the first letter matches either case ("ban Tổ chức" after "Trưởng"); with
    `ci_words` the first letter of every word does, in phrases that name a committee or a council
    unmistakably ("Phó bí thư", "quận ủy", "Ban thường vụ Tỉnh ủy": outlets differ); with
    `ci_words="long"` also in any name of four words or more ("Học viện Chính trị Quốc gia …").
    `nocase`: it is matched where case is ignored (``(?i:…)``, ``re.IGNORECASE``), and its names are
    factored (:func:`factored`) as the engine will read them there, in no case."""
    parts = []
    for phrase in sorted(set(phrases), key=lambda x: (-len(x), x)):  # the same text in every process
        if ci_words is True and _ANCHORS.search(phrase) or ci_words == "long" and (_ANCHORS.search(phrase) or len(phrase.split()) >= 4):
            esc = r"\s+".join(_either_case(w) for w in phrase.split())
        else:
            esc = re.escape(phrase).replace(r"\ ", r"\s+")
            if ci_first and phrase.startswith(_CI_WORDS) and esc[:1] == phrase[:1]:
                esc = f"[{phrase[0].upper()}{phrase[0].lower()}]" + esc[1:]
        esc = esc.replace(r"Trung\s+ương", TRUNG_UONG).replace(r"[Tt]rung\s+[Ưư]ơng", _TRUNG_UONG_CI)
        parts.append(esc)
    return factored(parts, nocase)


# what `alternation` writes an alternative with: a group (the "Trung ương" forms), a letter in either
# case, a run of spaces, an escaped character, a character
_ATOM = re.compile(r"\(\?:[^()]*\)|\[[^\]]*\]|\\s\+|\\.|.", re.DOTALL)
_EITHER = re.compile(r"\[(\w)(\w)\]")
_SPACES = r"\s+"


def factored(parts: list[str], nocase: bool = False) -> str:
    """``"|".join(parts)`` (alternatives as :func:`alternation` writes them, in the order they are
    to be tried) with their common beginnings written once: "Ban Tổ chức|Ban Tuyên giáo" as
    "Ban T(?:ổ chức|uyên giáo)". The engine tries an alternation's branches one by one at each
    place it is tried; here it follows one branch per character, and the scan of a long list of
    names is several times faster.

    It matches what the plain alternation matches, with the same preference, because at every
    branching the branches start with different characters (at most one of them can go on) and
    a longer alternative is tried before one that it continues. Where that cannot be had — a
    letter in either case beside the same letter in one case ("[Uu]BKT Tỉnh ủy", "UBKT") — the
    either-case branch is made two, one per case; a group (which may match more than one way) ends
    the common part: what follows it stays whole; branches that can still start alike are written
    out whole, in their order. With `nocase` (the alternation is matched in no case: "B", "b" and
    "[Bb]" are one there) every letter is written in small letters first."""
    root: dict = {}
    for rank, part in enumerate(parts):  # a trie of atoms; "" marks where an alternative ends, with its rank
        node, atoms = root, _ATOM.findall(part)
        if nocase:
            atoms = [m.group(1).lower() if (m := _EITHER.fullmatch(a)) else a.lower() for a in atoms]
        for i, atom in enumerate(atoms):
            if atom.startswith("(?:"):
                node = node.setdefault("".join(atoms[i:]), {})
                break
            node = node.setdefault(atom, {})
        node.setdefault("", rank)
    return _written(root)


def _written(node: dict) -> str:
    _either_split(node)
    branches = sorted((atom for atom in node if atom), key=lambda atom: _lowest(node[atom]))
    starts = [_atom_starts(atom) for atom in branches]
    alike = list(range(len(branches)))  # union-find: branches that can start with the same character

    def top(i: int) -> int:
        while alike[i] != i:
            i = alike[i]
        return i
    for i in range(len(branches)):
        for j in range(i):
            if starts[i] is None or starts[j] is None or starts[i] & starts[j]:
                alike[top(i)] = top(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(branches)):
        groups.setdefault(top(i), []).append(i)
    out = []
    for members in sorted(groups.values()):
        if len(members) == 1:
            atom = branches[members[0]]
            out.append(atom + _written(node[atom]))
        else:  # written out whole, in the order of the alternatives
            out.extend(text for _, text in sorted(w for i in members for w in _whole(node[branches[i]], branches[i])))
    if "" in node:  # an alternative ends here: tried after every longer one it begins
        if not out:
            return ""
        out.append("")
    return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"


def _either_split(node: dict) -> None:
    """A branch "[Xx]" beside a branch "X" or "x" made two, "X" and "x", each with what followed it."""
    import copy
    while True:
        ones = {atom for atom in node if len(atom) == 1}
        split = [atom for atom in node if (m := _EITHER.fullmatch(atom)) and set(m.groups()) & ones]
        if not split:
            return
        for atom in split:
            below = node.pop(atom)
            for letter in _EITHER.fullmatch(atom).groups():
                _merge(node.setdefault(letter, {}), copy.deepcopy(below))


def _merge(into: dict, node: dict) -> None:
    for atom, below in node.items():
        if atom:
            _merge(into.setdefault(atom, {}), below)
        else:
            into[""] = min(into.get("", below), below)


def _lowest(node: dict) -> int:
    """The rank of the first alternative below `node`."""
    return min(([node[""]] if "" in node else []) + [_lowest(below) for atom, below in node.items() if atom])


def _whole(node: dict, text: str) -> list[tuple[int, str]]:
    """(rank, text) of every alternative below `node`, whose branch so far is `text`."""
    out = [(node[""], text)] if "" in node else []
    for atom, below in node.items():
        if atom:
            out += _whole(below, text + atom)
    return out


def _atom_starts(atom: str) -> set[str] | None:
    """The characters an atom (or a group and what follows it) can start with; None: any."""
    if atom == _SPACES:
        return {_SPACES}  # no other atom starts with a space
    chars = _first(_parser.parse(atom), False)[0]
    if chars is None:
        return None
    return {v for c, nocase in chars for v in ((c, c.lower(), c.upper()) if nocase else (c,))}


def starting(pattern: str, probe: str | None = None) -> str:
    """`pattern` behind a look-ahead for the characters a match of it can start with, when they
    can be told (the regex compiler's own parser reads the pattern): the engine then tries the
    pattern only where one of them stands, instead of every branch of a long alternation at
    every position. The pattern as it is when a match can start with anything, or with nothing.
    The characters are read from `probe` when one is given: a shorter pattern that starts as
    `pattern` does (its parts that never come first left out), so that a long pattern is parsed
    once, by the compiler, rather than twice (`kg add` compiles the title pattern each run)."""
    chars = _first(_parser.parse(pattern if probe is None else probe), False)[0]
    if not chars:
        return pattern
    exact = {c for c, nocase in chars if not nocase}
    folded = "".join(re.escape(c) for c, nocase in chars if nocase)
    if folded:  # every character the engine takes for one of them in any case (K and the Kelvin sign)
        takes = re.compile(f"(?i:[{folded}])").match
        exact |= {c for c in map(chr, range(_PLANE)) if takes(c)}
    return "(?=[" + "".join(re.escape(c) for c in sorted(exact)) + "])" + pattern


_PLANE = 0x10000  # no character beyond the first plane folds to one in it (a test checks)


_NOCASE = re.IGNORECASE.value
Starts = set[tuple[str, bool]]  # (character, in any case)


def _first(items, nocase: bool) -> tuple[Starts | None, bool]:
    """The characters a sequence of parsed items can start with (None: any) and whether it can
    match the empty string."""
    out: Starts = set()
    for op, av in items:
        chars, empty = _first_of(op, av, nocase)
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def _first_of(op, av, nocase: bool) -> tuple[Starts | None, bool]:
    c = _parser  # the opcodes are the parser module's names
    if op is c.LITERAL:
        return {(chr(av), nocase)}, False
    if op is c.IN:
        chars: Starts = set()
        for o, a in av:
            if o is c.LITERAL:
                chars.add((chr(a), nocase))
            elif o is c.RANGE and a[1] - a[0] < 512:
                chars |= {(chr(n), nocase) for n in range(a[0], a[1] + 1)}
            else:  # a negated set, a category (\w, \s), a wide range: anything
                return None, False
        return chars, False
    if op is c.SUBPATTERN:
        _, add, remove, items = av
        return _first(items, (nocase or bool(add & _NOCASE)) and not remove & _NOCASE)
    if op is c.BRANCH:
        chars, empty = set(), False
        for branch in av[1]:
            got, e = _first(branch, nocase)
            if got is None:
                return None, False
            chars |= got
            empty = empty or e
        return chars, empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, items = av
        got, e = _first(items, nocase)
        return (None, False) if got is None else (got, e or low == 0)
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):  # takes no character: what follows starts the match
        return set(), True
    return None, False


Words = frozenset  # of str: one of them in every match


def needs(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Words one of which every match of `pattern` holds, read by the regex compiler's own
    parser (as :func:`starting` reads the first characters): a run of plain characters, or one
    word of each branch of an alternation that must be taken. The most telling such set is
    given (its shortest word longest), or None where none can be told: a match made only of
    classes, optional parts, or characters in any case."""
    got = _needs(_parser.parse(pattern, flags), bool(flags & _NOCASE))
    # a word holding another of them adds nothing: the shorter is in every text the longer is
    return tuple(sorted(w for w in got if not any(v != w and v in w for v in got))) if got else None


def _better(a: Words | None, b: Words | None) -> Words | None:
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda words: (min(map(len, words)), -len(words)))


def _needs(items, nocase: bool) -> Words | None:
    c, best, run = _parser, None, []
    for op, av in items:
        if op is c.LITERAL and not nocase:
            run.append(chr(av))
            continue
        if run:
            best, run = _better(best, frozenset(("".join(run),))), []
        if op is c.SUBPATTERN:
            _, add, remove, inner = av
            best = _better(best, _needs(inner, (nocase or bool(add & _NOCASE)) and not remove & _NOCASE))
        elif op is c.BRANCH:
            branches = [_needs(branch, nocase) for branch in av[1]]
            if all(branches):
                best = _better(best, frozenset().union(*branches))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            best = _better(best, _needs(av[2], nocase))
        elif op is c.ATOMIC_GROUP:
            best = _better(best, _needs(av, nocase))
        # else a class, any character, a look-around, a back-reference: no word of the match
    return _better(best, frozenset(("".join(run),))) if run else best


class Needing:
    """A compiled pattern tried only on a text holding one of the words every match of it holds
    (:func:`needs`): `in` finds a word at C speed, where the engine would try the pattern at every
    character of a sentence that holds none. Otherwise the pattern itself (`match`, `sub`, …)."""

    __slots__ = ("rx", "words")

    def __init__(self, rx: re.Pattern, words: tuple[str, ...]) -> None:
        self.rx, self.words = rx, words

    def _none_in(self, text: str) -> bool:
        return not any(w in text for w in self.words)

    def finditer(self, text: str, *args):
        return iter(()) if self._none_in(text) else self.rx.finditer(text, *args)

    def findall(self, text: str, *args) -> list:
        return [] if self._none_in(text) else self.rx.findall(text, *args)

    def search(self, text: str, *args):
        return None if self._none_in(text) else self.rx.search(text, *args)

    def __getattr__(self, name: str):
        return getattr(self.rx, name)


def few_needed(rx: re.Pattern, most: int = 8) -> tuple[str, ...]:
    """The words every match of `rx` holds one of (:func:`needs`) when they are few (`most`: each
    costs a scan of the text), else none."""
    words = needs(rx.pattern, rx.flags)
    return words if words and len(words) <= most else ()


def needing(rx: re.Pattern, most: int = 8) -> re.Pattern | Needing:
    """`rx` behind the check of :class:`Needing` when the words every match holds can be told,
    and are few (:func:`few_needed`); else `rx` itself."""
    words = few_needed(rx, most)
    return Needing(rx, words) if words else rx


def tried_at(starts: re.Pattern, rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """What `rx.finditer(text)` gives for a pattern whose every match starts where a match of
    `starts` does (a run of digits, a word): `rx` tried at those places only, not at every character."""
    end = 0
    for start in starts.finditer(text):
        if start.start() >= end and (m := rx.match(text, start.start())) is not None:
            end = m.end()
            yield m


def _either_case(word: str) -> str:
    first = word[0]
    head = f"[{first.upper()}{first.lower()}]" if first.upper() != first.lower() else re.escape(first)
    return head + re.escape(word[1:])


@lru_cache(maxsize=1)
def province_pattern() -> str:
    return alternation(provinces().keys())
