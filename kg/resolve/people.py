"""Which person mentions, across all sources, are one person.

Takes the person mentions of every source (:func:`mentions`: the name as written, the source's
date and province, the posts the source gives the person with where each sits) and clusters
them (:func:`cluster`). Within one source a name is one person. Across sources, mentions of one
name (:mod:`kg.resolve.names`) are joined, in this order, by:

1. **a post in common** — the same post, held or former ("nguyên Phó Bí thư Tỉnh ủy A" joins
   the Phó Bí thư of province A); a membership in common joins only where nothing conflicts;
2. **the same seat** — posts in the same province (or both national);
3. **a move** — posts in different seats at different times: officials are moved between
   provinces and to the centre far more often than two officials of one name lead at once;
4. **the name alone** — a mention with no post joins the person of its source's province, else
   the one person of that name with a national post, else the person of that name seen most.

Two groups never join when they **conflict**: while one holds a post (not a membership) in one
seat, the other holds one in another seat — a post seen held on a day is taken to be held for
:data:`HOLD_DAYS` after it, and spans closer than :data:`SAME_TIME` days overlap — and no one
mention tells of a move between the two. A province merged into another in 2025 is one seat
with it from the merger on, two before it. A misspelt form of a name (one edit apart) joins
only a person with whom it shares a post held at most :data:`VARIANT_DAYS` apart. A user's
table of same and different pairs (:mod:`kg.resolve.table`) comes first and binds.

Every join and every refusal is a :class:`Decision` with its reason, for ``kg build --explain``.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from ..model import Key
from ..text import slug
from . import names
from .mentions import Decision, Mention, Person, Resolution, mentions
from .posts import CENTRAL, family, merged_on

__all__ = ["Decision", "Mention", "Person", "Resolution", "block_of", "cluster", "conflict", "joined_names", "mentions",
           "stem"]

SAME_TIME = 7  # days: posts in two places held this close are held at once
HOLD_DAYS = 45  # days a post seen held is taken to be held on: no one chairs two provinces' committees weeks apart
VARIANT_DAYS = 366  # days apart a misspelt name and the right one may hold one post and still be one person


# --- clusters ------------------------------------------------------------------------------


class _Group:
    """Mentions taken to be one person, with what the rules look at kept up to date."""

    def __init__(self, m: Mention) -> None:
        self.mentions = [m]
        self.forms = Counter()
        self.forms[m.name] = 1
        member = [p.member for p in m.posts]
        self.post_keys = {p.key for p, is_member in zip(m.posts, member) if not is_member}
        self.member_keys = {p.key for p, is_member in zip(m.posts, member) if is_member}
        self.seats = {family(s) for s in m.seats()}
        self.span: dict[str, tuple[int, int]] = {}  # seat → first and last day a post there is held
        self.held: dict[Key, list[int]] = defaultdict(list)  # post → the days it is held
        day = _day(m.date) if m.date else None
        for p, is_member in zip(m.posts, member):
            if p.seat and (not p.former or p.ends) and not is_member and day is not None:
                last = day if p.ends else day + HOLD_DAYS  # a post that ends here was held until this day
                lo, hi = self.span.get(p.seat, (day, last))
                self.span[p.seat] = (min(lo, day), max(hi, last))
                self.held[p.key].append(day)
        seats = {p.seat for p in m.posts if p.seat}
        # a move, told in one text
        self.together = {frozenset((x, y)) for x in seats for y in seats if x != y} if len(seats) > 1 else set()
        self.start = (m.date or "9999", m.source)

    def absorb(self, other: "_Group") -> None:
        self.mentions += other.mentions
        for form, n in other.forms.items():  # counts only grow: an update, without Counter's `+=` pruning
            self.forms[form] += n
        self.post_keys |= other.post_keys
        self.member_keys |= other.member_keys
        self.seats |= other.seats
        for seat, (lo, hi) in other.span.items():
            mine = self.span.get(seat)
            self.span[seat] = (min(lo, mine[0]), max(hi, mine[1])) if mine else (lo, hi)
        for post, days in other.held.items():
            self.held[post] += days
        self.together |= other.together
        self.start = min(self.start, other.start)

    def first(self) -> tuple:
        return self.start


def _day(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def conflict(a: _Group, b: _Group) -> str | None:
    """Why `a` and `b` cannot be one person, or None: while one holds a post (not a membership)
    in one seat, the other holds one in another seat — their spans there overlap, within
    SAME_TIME days — and no one text tells of a move between the two."""
    for s, (lo, hi) in a.span.items():
        for t, (lo2, hi2) in b.span.items():
            if s == t or max(lo, lo2) > min(hi, hi2) + SAME_TIME or frozenset((s, t)) in a.together | b.together:
                continue
            merged = family(s) == family(t) and min(filter(None, (merged_on(s), merged_on(t))), default=None)
            if not merged or max(lo, lo2) < merged:  # one province after a merger is not two places
                return (f"posts in {_seat_name(s)} ({_when(lo, hi)}) and in {_seat_name(t)} ({_when(lo2, hi2)}) "
                        "at the same time")
    return None


def _seat_name(seat: str) -> str:
    return "national bodies" if seat == CENTRAL else seat


def _when(lo: int, hi: int) -> str:
    a, b = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    return str(a) if a == b else f"{a} to {b}"


def _seats(g: _Group) -> str:
    return ", ".join(sorted(map(_seat_name, g.seats)))


def _label(g: _Group, post: Key) -> str:
    return next((p.label for m in g.mentions for p in m.posts if p.key == post), " ".join(post[1:]))


class _Clusters:
    """The groups of one form of a name, joined as the rules allow, with the decisions."""

    def __init__(self, mentions: Sequence[Mention], table, decisions: list[Decision]) -> None:
        self.all = [_Group(m) for m in sorted(mentions, key=lambda m: (m.date or "9999", m.source))]
        self.table, self.decisions = table, decisions

    @property
    def groups(self) -> list[_Group]:
        """The groups still standing (a group joined to another is emptied)."""
        return [g for g in self.all if g.mentions]

    def join(self, a: _Group, b: _Group, reason: str, forced: bool = False) -> _Group | None:
        """The group `a` and `b` make, or None if they may not be one."""
        if a is b:
            return a
        apart = self.table.apart(a.mentions, b.mentions) if self.table else None
        if apart and not forced:
            self.decisions.append(Decision(False, a.mentions[0].ref, b.mentions[0].ref, f"the table says {apart}"))
            return None
        why = None if forced else conflict(a, b)
        if why:
            self.decisions.append(Decision(False, a.mentions[0].ref, b.mentions[0].ref, why))
            return None
        keep, gone = (a, b) if len(a.mentions) >= len(b.mentions) else (b, a)
        self.decisions.append(Decision(True, a.mentions[0].ref, b.mentions[0].ref, reason))
        keep.absorb(gone)
        gone.mentions = []  # marks it gone
        return keep

    def by_table(self) -> None:
        if not self.table:
            return
        where = {m.ref: g for g in self.groups for m in g.mentions}
        for x, y in self.table.same_pairs([m for g in self.groups for m in g.mentions]):
            a, b = where[x.ref], where[y.ref]
            joined = self.join(a, b, "the table says they are one person", forced=True)
            for m in joined.mentions:
                where[m.ref] = joined

    def by_keys(self, what: str) -> None:
        """Join groups that share a post ("post") or, where nothing conflicts, a membership ("member")."""
        owner: dict[Key, _Group] = {}
        for g in list(self.groups):
            if not g.mentions:
                continue
            keys = g.post_keys if what == "post" else g.member_keys
            for k in sorted(keys):
                h = owner.get(k)
                if h is not None and h.mentions and h is not g:
                    if what == "member" and h.post_keys & g.post_keys:
                        continue
                    joined = self.join(h, g, f"{'post' if what == 'post' else 'membership'} in common: {_label(h, k)}")
                    if joined is not None:
                        g = joined
            for k in (g.post_keys if what == "post" else g.member_keys):
                if owner.get(k) is None or not owner[k].mentions:
                    owner[k] = g

    def by_seat(self) -> None:
        owner: dict[str, list[_Group]] = defaultdict(list)
        for g in list(self.groups):
            if not g.mentions or not g.seats:
                continue
            for seat in sorted(g.seats):
                for h in owner[seat]:
                    if h.mentions and h is not g:
                        where = "national posts" if seat == CENTRAL else f"posts in {seat}"
                        joined = self.join(h, g, f"same name, {where}, nothing in conflict")
                        if joined is not None:
                            g = joined
                            break
            for seat in g.seats:
                owner[seat] = [h for h in owner[seat] if h.mentions and h is not g] + [g]

    def by_career(self) -> None:
        """People of one name in different seats are one person who moved, unless they held posts
        in two places at once."""
        for g in list(self.groups):
            if not g.mentions or not g.seats:
                continue
            for h in self.groups:
                if h is g or not h.seats or not h.mentions:
                    continue
                joined = self.join(h, g, f"same name; posts in {_seats(h)} and in {_seats(g)}, never at the same time "
                                   "(a move)")
                if joined is not None:
                    g = joined

    def by_name(self) -> None:
        """Mentions with no seat join the likeliest person of their name."""
        for g in [g for g in self.all if not g.seats]:
            if not g.mentions:
                continue
            seated = [s for s in self.groups if s.seats]
            m = g.mentions[0]
            home = [s for s in seated if m.province and family(m.province) in s.seats]
            central = [s for s in seated if CENTRAL in s.seats]
            if home:
                target, why = home[0], f"no post here; the source is from {m.province}, where this name holds a post"
            elif len(central) == 1:
                target, why = central[0], "no post here; the one person of this name with a national post"
            elif seated:
                target = max(seated, key=lambda s: len(s.mentions))
                why = "no post here; the person of this name seen most"
            else:
                others = [s for s in self.groups if s is not g]
                if not others:
                    continue
                target, why = others[0], "no post in any of them: the name alone"
            self.join(target, g, why)


def cluster(all_mentions: Iterable[Mention], table=None) -> Resolution:
    """People from mentions: one block per bare name, exact forms clustered first, then variants."""
    joined = joined_names(table)
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for m in all_mentions:
        blocks[block_of(m.name, joined)].append(m)
    out = Resolution()
    groups: list[_Group] = []
    for bare in sorted(blocks):
        groups += _block(blocks[bare], table, out.decisions)
    seen: set = set()
    out.decisions[:] = [d for d in out.decisions
                        if not ((d.same, frozenset((d.a, d.b))) in seen or seen.add((d.same, frozenset((d.a, d.b)))))]
    taken: dict[str, int] = Counter()
    for g in sorted(groups, key=lambda g: g.first()):
        label = names.display(g.forms)
        key = ("Person", label) if not taken[names.exact(label)] else ("Person", label, "@" + _tag(g, taken[names.exact(label)]))
        taken[names.exact(label)] += 1
        out.people.append(Person(key, label, sorted(g.mentions, key=lambda m: (m.date or "", m.source))))
    return out


def _tag(g: _Group, n: int) -> str:
    return "-".join(x for x in (stem(g.mentions), str(n + 1)) if x)


def stem(ms: Sequence[Mention]) -> str:
    """What tells a second person of a name from the first: where and when they first appear
    (a province rather than national bodies; the source's province when they hold no post)."""
    seats = sorted({family(x.seat) for m in ms for x in m.posts if x.seat and not x.former and not x.member})
    seat = [s for s in seats if s != CENTRAL] or seats or [ms[0].province or ""]
    year = min((m.date for m in ms if m.date), default="")[:4]
    return "-".join(x for x in (slug(seat[0]) if seat[0] else "", year) if x)


def _block(ms: list[Mention], table, decisions: list[Decision]) -> list[_Group]:
    """The people of one bare name: each exact form on its own, then forms joined where allowed."""
    by_form: dict[str, list[Mention]] = defaultdict(list)
    for m in ms:
        by_form[names.exact(m.name)].append(m)
    plain = [f for f in by_form if names.has_diacritics(f)]
    if len(plain) == 1:  # a form typed without diacritics is the one form that has them
        for f in [f for f in by_form if not names.has_diacritics(f)]:
            by_form[plain[0]] += by_form.pop(f)
    groups: list[_Group] = []
    for form in sorted(by_form):
        c = _Clusters(by_form[form], table, decisions)
        c.by_table()
        c.by_keys("post")
        c.by_keys("member")
        c.by_seat()
        c.by_career()
        c.by_name()
        groups += c.groups
    if len(by_form) > 1:
        c = _Clusters([], table, decisions)
        c.all = groups
        c.by_table()  # a pair of forms the table joins
        groups = _variants(c.groups, table, decisions)
    return groups


def block_of(name: str, joined: dict[str, str]) -> str:
    """The block a name is clustered in: its bare form, or the one the table joins it to."""
    bare = names.bare(name)
    return joined.get(bare, bare)


def joined_names(table) -> dict[str, str]:
    """Bare names the table joins (a misspelling too far for the rules), each to one of them."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x
    for a, b in (table.names() if table else ()):
        ra, rb = find(names.bare(a)), find(names.bare(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _variants(groups: list[_Group], table, decisions: list[Decision]) -> list[_Group]:
    """Join groups whose forms are one edit apart and who held one post at about the same time."""
    c = _Clusters([], table, decisions)
    c.all = groups
    for a in list(groups):
        for b in list(groups):
            if a is b or not a.mentions or not b.mentions:
                continue
            fa, fb = names.exact(a.mentions[0].name), names.exact(b.mentions[0].name)
            if fa == fb or not names.one_edit(fa, fb):
                continue
            near = _held_near(a, b)
            if near:
                c.join(a, b, f"names one letter apart ({a.mentions[0].name} / {b.mentions[0].name}) holding "
                       f"{_label(a, near)} at the same time")
    return c.groups


def _held_near(a: _Group, b: _Group) -> Key | None:
    """A post both held, not a membership, within VARIANT_DAYS."""
    for post, days in a.held.items():
        if any(abs(d - e) <= VARIANT_DAYS for d in days for e in b.held.get(post, ())):
            return post
    return None
