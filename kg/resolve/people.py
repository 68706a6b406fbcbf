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
from functools import lru_cache
from typing import Callable, Iterable, Sequence

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
    """Mentions taken to be one person, with what the rules look at kept up to date.

    What a mention's posts say (:func:`_shape`) is worked out once per list of posts and shared,
    as frozen sets, by every group made of a mention with that list: a name's mentions mostly
    repeat one list (`kg add` groups tens of thousands of them for one article). A set is
    replaced, never changed in place, when a group absorbs another."""

    __slots__ = ("mentions", "forms", "post_keys", "member_keys", "seats", "span", "held", "together", "start")

    def __init__(self, m: Mention, shapes: dict[int, "_Shape"]) -> None:
        shape = _shape(m.posts, shapes)
        self.mentions = [m]
        self.forms = {m.name: 1}
        self.post_keys, self.member_keys, self.seats, self.together = shape.post_keys, shape.member_keys, shape.seats, \
            shape.together
        self.span = _span(m, shape)  # seat → first and last day a post there is held
        self.held: list[tuple[Key, int]] = [(post, _day(m.date)) for _, post, _ in shape.dated] if m.date else []
        self.start = (m.date or "9999", m.source)

    def absorb(self, other: "_Group") -> None:
        self.mentions += other.mentions
        forms = self.forms
        for form, n in other.forms.items():
            forms[form] = forms.get(form, 0) + n
        self._widen(other)
        for seat, (lo, hi) in other.span.items():
            mine = self.span.get(seat)
            self.span[seat] = (min(lo, mine[0]), max(hi, mine[1])) if mine else (lo, hi)
        self.held += other.held
        self.start = min(self.start, other.start)

    def take(self, m: Mention, shape: "_Shape") -> None:
        """``absorb(_Group(m))``, without making the group of one."""
        self.mentions.append(m)
        self.forms[m.name] = self.forms.get(m.name, 0) + 1
        self._widen(shape)
        if shape.dated and m.date:
            day, span = _day(m.date), self.span
            for seat, post, ends in shape.dated:
                last = day if ends else day + HOLD_DAYS
                mine = span.get(seat)
                span[seat] = (min(day, mine[0]), max(last, mine[1])) if mine else (day, last)
                self.held.append((post, day))
        self.start = min(self.start, (m.date or "9999", m.source))

    def _widen(self, other: "_Group | _Shape") -> None:
        """Take in the posts, memberships, seats and moves of another group or of a mention's
        shape: a set is replaced, never changed in place (a shape's are shared)."""
        if not other.post_keys <= self.post_keys:
            self.post_keys = self.post_keys | other.post_keys
        if not other.member_keys <= self.member_keys:
            self.member_keys = self.member_keys | other.member_keys
        if not other.seats <= self.seats:
            self.seats = self.seats | other.seats
        if not other.together <= self.together:
            self.together = self.together | other.together

    def first(self) -> tuple:
        return self.start


class _Shape:
    """What one list of posts tells the rules: the posts held and the memberships (by key), the
    seats of the posts held (as after the 2025 mergers), the (seat, post, ends-here) of each post
    held on the source's day in a known seat, and the pairs of seats one text names (a move)."""

    __slots__ = ("post_keys", "member_keys", "seats", "dated", "together", "posts")

    def __init__(self, posts: tuple) -> None:
        member = [p.member for p in posts]
        self.posts = posts  # kept: the cache is by identity
        self.post_keys = frozenset(p.key for p, is_member in zip(posts, member) if not is_member)
        self.member_keys = frozenset(p.key for p, is_member in zip(posts, member) if is_member)
        self.seats = frozenset(family(p.seat) for p, is_member in zip(posts, member)
                               if p.seat and not p.former and not is_member)
        self.dated = tuple((p.seat, p.key, p.ends) for p, is_member in zip(posts, member)
                           if p.seat and (not p.former or p.ends) and not is_member)
        seats = {p.seat for p in posts if p.seat}
        self.together = frozenset(frozenset((x, y)) for x in seats for y in seats if x != y) if len(seats) > 1 \
            else frozenset()


def _shape(posts: tuple, shapes: dict[int, _Shape]) -> _Shape:
    """The shape of a list of posts, remembered in `shapes` (one clustering's) by the list's
    identity: mentions read from the record share their lists (:class:`kg.resolve.record._Reader`)."""
    s = shapes.get(id(posts))
    if s is None:
        s = shapes[id(posts)] = _Shape(posts)  # it keeps the list, so the identity is not reused
    return s


@lru_cache(maxsize=8192)
def _day(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def conflict(a: _Group, b: _Group) -> str | None:
    """Why `a` and `b` cannot be one person, or None: while one holds a post (not a membership)
    in one seat, the other holds one in another seat — their spans there overlap, within
    SAME_TIME days — and no one text tells of a move between the two."""
    return _conflict(a.span, a.together, b.span, b.together)


def _span(m: Mention, shape: "_Shape") -> dict[str, tuple[int, int]]:
    """The span of a group of `m` alone (:class:`_Group`)."""
    span: dict[str, tuple[int, int]] = {}
    if shape.dated and m.date:
        day = _day(m.date)
        for seat, _, ends in shape.dated:
            last = day if ends else day + HOLD_DAYS  # a post that ends here was held until this day
            lo, hi = span.get(seat, (day, last))
            span[seat] = (min(lo, day), max(hi, last))
    return span


def _conflict(a_span: dict, a_together: frozenset, b_span: dict, b_together: frozenset) -> str | None:
    for s, (lo, hi) in a_span.items():
        for t, (lo2, hi2) in b_span.items():
            if s == t or max(lo, lo2) > min(hi, hi2) + SAME_TIME or frozenset((s, t)) in a_together | b_together:
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


class _Log:
    """One clustering's decisions — those `keep` (given the two mentions' refs) wants, all by
    default; a reason may be given as a function, called only for a decision kept — and the
    shapes of the lists of posts its groups were made from."""

    def __init__(self, keep: Callable[[str, str], bool] | None = None) -> None:
        self.decisions: list[Decision] = []
        self.keep, self.shapes = keep, {}

    def add(self, same: bool, a: _Group, b: _Group, reason: str | Callable[[], str]) -> None:
        self.add_refs(same, a.mentions[0].ref, b.mentions[0].ref, reason)

    def add_refs(self, same: bool, ra: str, rb: str, reason: str | Callable[[], str]) -> None:
        if self.keep is None or self.keep(ra, rb):
            self.decisions.append(Decision(same, ra, rb, reason() if callable(reason) else reason))


class _Clusters:
    """The groups of one form of a name, joined as the rules allow, with the decisions."""

    def __init__(self, mentions: Sequence[Mention], table, log: _Log) -> None:
        ordered = sorted(mentions, key=lambda m: (m.date or "9999", m.source))
        self.table, self.log = table, log
        # without a table, joining by posts comes first: it makes a mention's group only where
        # no earlier group takes it (:meth:`_by_posts_first`)
        self.pending: list[Mention] | None = ordered if ordered and not table else None
        self.all = [] if self.pending is not None else [_Group(m, log.shapes) for m in ordered]

    @property
    def groups(self) -> list[_Group]:
        """The groups still standing (a group joined to another is emptied)."""
        if self.pending is not None:
            self.all, self.pending = [_Group(m, self.log.shapes) for m in self.pending], None
        return [g for g in self.all if g.mentions]

    def join(self, a: _Group, b: _Group, reason: str | Callable[[], str], forced: bool = False) -> _Group | None:
        """The group `a` and `b` make, or None if they may not be one."""
        if a is b:
            return a
        apart = self.table.apart(a.mentions, b.mentions) if self.table else None
        if apart and not forced:
            self.log.add(False, a, b, f"the table says {apart}")
            return None
        why = None if forced else conflict(a, b)
        if why:
            self.log.add(False, a, b, why)
            return None
        keep, gone = (a, b) if len(a.mentions) >= len(b.mentions) else (b, a)
        self.log.add(True, a, b, reason)
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
        if what == "post" and self.pending is not None:
            return self._by_posts_first()
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
                    joined = self.join(h, g, lambda: f"{'post' if what == 'post' else 'membership'} in common: "
                                       f"{_label(h, k)}")
                    if joined is not None:
                        g = joined
            for k in (g.post_keys if what == "post" else g.member_keys):
                if owner.get(k) is None or not owner[k].mentions:
                    owner[k] = g

    def _by_posts_first(self) -> None:
        """``by_keys("post")`` over the mentions, in order, before any group is made: a mention
        the owner of one of its posts takes (``join`` would keep the owner and absorb the
        mention's group of one) is taken as it comes; a group is made of it only otherwise. At
        100,000 articles `kg add` clusters 20,000 mentions of a name again, most of them taken."""
        owner: dict[Key, _Group] = {}
        made: list[_Group] = []
        shapes = self.log.shapes
        for m in self.pending:
            shape = _shape(m.posts, shapes)
            keys = shape.post_keys
            g = None
            for k in (sorted(keys) if len(keys) > 1 else keys):
                h = owner.get(k)
                if h is None or not h.mentions or h is g:
                    continue
                if g is None:  # the mention alone
                    why = _conflict(h.span, h.together, _span(m, shape), shape.together)
                    if why is None:
                        self.log.add_refs(True, h.mentions[0].ref, m.ref, lambda: f"post in common: {_label(h, k)}")
                        h.take(m, shape)
                        g = h
                    else:
                        self.log.add_refs(False, h.mentions[0].ref, m.ref, why)
                        g = _Group(m, shapes)
                        made.append(g)
                    continue
                joined = self.join(h, g, lambda: f"post in common: {_label(h, k)}")
                if joined is not None:
                    g = joined
            if g is None:
                g = _Group(m, shapes)
                made.append(g)
            for k in g.post_keys:
                if owner.get(k) is None or not owner[k].mentions:
                    owner[k] = g
        self.all, self.pending = made, None

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
                joined = self.join(h, g, lambda: f"same name; posts in {_seats(h)} and in {_seats(g)}, never at the "
                                   "same time (a move)")
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


def cluster(all_mentions: Iterable[Mention], table=None, keep: Callable[[str, str], bool] | None = None) -> Resolution:
    """People from mentions: one block per bare name, exact forms clustered first, then variants.
    With `keep`, only the decisions about two mentions (by ref) it keeps are told (`kg add`
    wants those of the new mentions, not the thousands it makes again of the old)."""
    joined = joined_names(table)
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for m in all_mentions:
        blocks[block_of(m.name, joined)].append(m)
    out, log = Resolution(), _Log(keep)
    groups: list[_Group] = []
    for bare in sorted(blocks):
        groups += _block(blocks[bare], table, log)
    seen: set = set()
    out.decisions[:] = [d for d in log.decisions
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


def _block(ms: list[Mention], table, log: _Log) -> list[_Group]:
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
        c = _Clusters(by_form[form], table, log)
        c.by_table()
        c.by_keys("post")
        c.by_keys("member")
        c.by_seat()
        c.by_career()
        c.by_name()
        groups += c.groups
    if len(by_form) > 1:
        c = _Clusters([], table, log)
        c.all = groups
        c.by_table()  # a pair of forms the table joins
        groups = _variants(c.groups, table, log)
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


def _variants(groups: list[_Group], table, log: _Log) -> list[_Group]:
    """Join groups whose forms are one edit apart and who held one post at about the same time."""
    c = _Clusters([], table, log)
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
    theirs: dict[Key, list[int]] = defaultdict(list)
    for post, day in b.held:
        theirs[post].append(day)
    mine: dict[Key, list[int]] = defaultdict(list)
    for post, day in a.held:
        mine[post].append(day)
    for post, days in mine.items():
        if any(abs(d - e) <= VARIANT_DAYS for d in days for e in theirs.get(post, ())):
            return post
    return None
