"""The world behind the identity corpus (:mod:`benchmarks.identity`): provinces and their posts,
who holds each when (successions with stated dates, rotations between provinces, the 2025
mergers), and the names people are written by (homonyms at different levels in different
provinces, old tone placement, capitals, apostrophe forms, one-letter misspellings).
"""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from kg.extract import gazetteer as gz
from kg.text import fold, slug

from .generate import genre

START, END = dt.date(2019, 1, 1), dt.date(2026, 12, 31)
MERGER = dt.date(2025, 7, 1)  # provinces merged, district level abolished
MINISTRIES_MERGED = dt.date(2025, 3, 1)
RENAMED = {"Bộ Nông nghiệp và Phát triển nông thôn": "Bộ Nông nghiệp và Môi trường"}
OLD_TONE = {"Hòa": "Hoà", "Thủy": "Thuỷ"}
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Post:
    id: str
    role: str
    body: str  # as articles write it in full ("Ủy ban nhân dân tỉnh Sơn La")
    short: str  # the short form they also write ("UBND tỉnh Sơn La")
    province: str  # "" for a central post
    single: bool

    def title(self, rng: random.Random) -> str:
        return f"{self.role} {rng.choice((self.body, self.short))}"


@dataclass
class Spell:
    person: str
    post: str
    start: dt.date
    end: dt.date
    start_stated: bool = False
    end_stated: bool = False
    came_from: str = ""  # the post a rotation or a merger moved the person from ("nguyên …")


@dataclass
class Person:
    id: str
    name: str = ""
    variant: str = ""  # "", "tone", "apostrophe" or "typo"
    typo: str = ""


@dataclass
class Event:
    date: dt.date
    province: str
    kind: str  # elected, appointed, replaced, retired, rotation, merged
    new: Spell | None = None
    old: Spell | None = None


@dataclass
class World:
    provinces: list = field(default_factory=list)  # (Province, last day, province it merges into)
    people: dict[str, Person] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    slots: dict[str, list[Spell]] = field(default_factory=dict)  # one seat of a post → its spells, in order
    events: list[Event] = field(default_factory=list)
    homonyms: list[list[str]] = field(default_factory=list)
    rotations: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    def person(self) -> str:
        pid = f"p{len(self.people):04d}"
        self.people[pid] = Person(pid)
        return pid

    def post(self, role: str, body: str, short: str, province: str, single: bool) -> Post:
        post = Post(f"{slug(role)}@{slug(body)}", role, body, short, province, single)
        return self.posts.setdefault(post.id, post)

    def seat(self, post: Post, key: str, start: dt.date, end: dt.date, person: str | None = None) -> str:
        slot = f"{post.id}#{key}"
        self.slots[slot] = [Spell(person or self.person(), post.id, start, end)]
        return slot

    def holder(self, slot: str, day: dt.date) -> Spell | None:
        return next((s for s in self.slots.get(slot, ()) if s.start <= day <= s.end), None)

    def succeed(self, slot: str, day: dt.date, person: str | None = None) -> tuple[Spell, Spell] | None:
        """Split the spell of `slot` holding on `day`: a new holder from `day` on."""
        old = self.holder(slot, day)
        if old is None or (day - old.start).days < 60:
            return None
        new = Spell(person or self.person(), old.post, day, old.end)
        old.end = day - DAY
        self.slots[slot].append(new)
        self.slots[slot].sort(key=lambda s: s.start)
        return old, new


def _provinces(n: int) -> list[tuple[gz.Province, dt.date, str]]:
    everyone = {p.name: p for p in gz.provinces().values()}
    merging = sorted((p for p in everyone.values() if p.valid_until == MERGER.isoformat()), key=lambda p: p.name)
    survivors = sorted({p.successor for p in merging})[:max(2, min(8, n // 600))]
    plain = sorted(p.name for p in everyone.values() if not p.valid_from and not p.valid_until
                   and p.name not in {q.successor for q in merging})[:max(1, min(5, n // 1000))]
    out = [(everyone[s], END, s) for s in survivors]
    out += [(p, MERGER - DAY, p.successor) for p in merging if p.successor in survivors]
    out += [(everyone[s], END, s) for s in plain]
    return sorted(out, key=lambda t: t[0].name)


def _province_posts(w: World, p: gz.Province, until: dt.date, district: str, rng: random.Random) -> None:
    unit, committee = p.unit, p.committee
    w.seat(w.post("Bí thư", committee, committee, p.name, True), "0", START, until)
    w.seat(w.post("Phó Bí thư Thường trực", committee, committee, p.name, True), "0", START, until)
    w.seat(w.post("Phó Bí thư", committee, committee, p.name, False), "0", START, until)
    w.seat(w.post("Chủ tịch", f"Ủy ban nhân dân {unit}", f"UBND {unit}", p.name, True), "0", START, until)
    vice = w.post("Phó Chủ tịch", f"Ủy ban nhân dân {unit}", f"UBND {unit}", p.name, False)
    w.seat(vice, "0", START, until)
    w.seat(vice, "1", START, until)
    dept = rng.choice(("Y tế", "Tư pháp", "Xây dựng", "Nội vụ", "Công Thương"))
    w.seat(w.post("Giám đốc", f"Sở {dept} {unit}", f"Sở {dept} {unit}", p.name, True), "0", START, until)
    w.seat(w.post("Bí thư", f"Huyện ủy {district}", f"Huyện ủy {district}", p.name, True), "0", START, MERGER - DAY)


def _central(w: World) -> None:
    for name in genre()["identity"]["ministries"]:
        posts = [w.post(role, name, name, "", role == "Bộ trưởng") for role in ("Bộ trưởng", "Thứ trưởng")]
        last = MINISTRIES_MERGED - DAY if name in RENAMED else END
        slots = [w.seat(posts[0], "0", START, last), w.seat(posts[1], "0", START, last), w.seat(posts[1], "1", START, last)]
        if name in RENAMED:  # the same people go on in the merged ministry; no article states it
            new = RENAMED[name]
            for role, key, slot in zip(("Bộ trưởng", "Thứ trưởng", "Thứ trưởng"), "001", slots):
                w.seat(w.post(role, new, new, "", role == "Bộ trưởng"), key, MINISTRIES_MERGED, END, w.slots[slot][0].person)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _successions(w: World, rng: random.Random) -> None:
    for p, until, _ in w.provinces:
        committee, unit = p.committee, p.unit
        if rng.random() < 0.6:
            _change(w, f"{slug('Bí thư')}@{slug(committee)}#0", dt.date(2020, rng.randint(9, 10), rng.randint(1, 28)),
                    p.name, "elected")
        if rng.random() < 0.75:
            kind = rng.choice(("elected", "replaced", "retired", "silent"))
            last = min(until, dt.date(2025, 5, 31))
            _change(w, f"{slug('Chủ tịch')}@{slug('Ủy ban nhân dân ' + unit)}#0", _day(rng, dt.date(2021, 3, 1), last),
                    p.name, kind)
        gd = next(s for s in w.slots if s.startswith("giam-doc@") and s.endswith(slug(unit) + "#0"))
        if rng.random() < 0.6:
            _change(w, gd, _day(rng, dt.date(2020, 6, 1), min(until, dt.date(2025, 5, 31))), p.name,
                    rng.choice(("appointed", "silent")))


def _change(w: World, slot: str, day: dt.date, province: str, kind: str, person: str | None = None) -> Spell | None:
    pair = w.succeed(slot, day, person)
    if pair is None:
        return None
    old, new = pair
    if kind != "silent":
        new.start_stated = True
        old.end_stated = kind == "retired"
        w.events.append(Event(day, province, kind, new, old))
    return new


def _rotations(w: World, n: int, rng: random.Random) -> None:
    names = [p.name for p, until, _ in w.provinces]
    live = [p.name for p, until, _ in w.provinces if until == END]
    for i in range(min(10, max(2, n // 500))):
        a = names[i % len(names)]
        b = rng.choice([x for x in (live if i % 2 else names) if x != a])
        day = _day(rng, dt.date(2021, 6, 1), dt.date(2024, 6, 30))
        moved = _rotate(w, a, b, day, "Phó Bí thư")
        if moved and i == 0 and len(live) > 1:  # one person moves twice
            c = next(x for x in live if x not in (a, b))
            _rotate(w, b, c, day + dt.timedelta(days=rng.randint(300, 330)), "Bí thư")


def _rotate(w: World, a: str, b: str, day: dt.date, role: str) -> bool:
    committee = {p.name: p.committee for p, _, _ in w.provinces}
    source = f"{slug(role)}@{slug(committee[a])}#0"
    spell = w.holder(source, day)
    if spell is None or w.succeed(source, day) is None:
        return False
    new = _change(w, f"{slug('Bí thư')}@{slug(committee[b])}#0", day, b, "rotation", spell.person)
    if new is None:
        return False
    new.came_from = spell.post
    w.events[-1].old = spell
    w.rotations.append(spell.person) if spell.person not in w.rotations else None
    return True


def _mergers(w: World) -> None:
    """Districts become communes of the new province; a merged province's chairman and
    secretary go on as vice-chairman and deputy secretary of the province it merged into."""
    by_name = {p.name: p for p, _, _ in w.provinces}
    for p, until, into in w.provinces:
        new = by_name[into]
        district = next(s for s in w.slots if s.startswith("bi-thu@huyen-uy-") and w.posts[s[:-2]].province == p.name)
        place = w.posts[district[:-2]].body.removeprefix("Huyện ủy ")
        _move(w, district, w.post("Bí thư", f"Đảng ủy xã {place}", f"Đảng ủy xã {place}", into, True), "0")
        if until == END:
            continue
        _move(w, f"chu-tich@{slug('Ủy ban nhân dân ' + p.unit)}#0",
              w.post("Phó Chủ tịch", f"Ủy ban nhân dân {new.unit}", f"UBND {new.unit}", into, False), slug(p.name))
        _move(w, f"bi-thu@{slug(p.committee)}#0", w.post("Phó Bí thư", new.committee, new.committee, into, False),
              slug(p.name))


def _move(w: World, slot: str, post: Post, key: str) -> None:
    old = w.slots[slot][-1]
    new_slot = w.seat(post, key, MERGER, END, old.person)
    spell = w.slots[new_slot][0]
    spell.start_stated, spell.came_from = True, old.post
    w.merged.append(old.person)
    w.events.append(Event(MERGER, post.province, "merged", spell, old))


def _names(w: World, rng: random.Random) -> None:
    g = genre()
    surnames = sorted(s for s in gz.surnames() if "'" not in s and len(s) > 1)
    taken: set[str] = set()

    def fresh(given: str | None = None, family: str | None = None) -> str:
        while True:
            name = f"{family or rng.choice(surnames)} {rng.choice(g['middle'])} {given or rng.choice(g['given'])}"
            if fold(name) not in taken:
                taken.add(fold(name))
                return name

    for person in w.people.values():
        person.name = fresh()
    _homonyms(w, fresh)
    _variants(w, rng, fresh, taken)


def _first(w: World, prefix: str, key: str = "#0") -> list[str]:
    return [w.slots[s][0].person for s in sorted(w.slots) if s.startswith(prefix) and s.endswith(key)]


def _homonyms(w: World, fresh) -> None:
    districts = _first(w, "bi-thu@huyen-uy-")
    vices = _first(w, "pho-chu-tich@uy-ban-nhan-dan-", "#1")
    deputies = [w.slots[s][0].person for s in sorted(w.slots) if s.startswith("thu-truong@") and "moi-truong" not in s]
    for i in range(min(8, len(districts) // 2, len(deputies))):
        group = [districts[2 * i], vices[2 * i + 1], deputies[i]]
        name = fresh()
        for pid in group:
            w.people[pid].name = name
        w.homonyms.append(group)


def _variants(w: World, rng: random.Random, fresh, taken: set[str]) -> None:
    busy = [pid for pid in _first(w, "chu-tich@") + _first(w, "bi-thu@tinh-uy-") + _first(w, "bi-thu@thanh-uy-")
            if not w.people[pid].variant and pid not in w.rotations and pid not in {x for g in w.homonyms for x in g}]
    count = max(3, len(w.provinces) // 3)
    for pid in busy[:count]:
        w.people[pid].name, w.people[pid].variant = fresh(given=rng.choice(sorted(OLD_TONE))), "tone"
    names = {p.name.casefold() for p in w.people.values()}
    for i, pid in enumerate(busy[count:2 * count]):
        person = w.people[pid]
        person.name = fresh(family=rng.choice(("Đỗ", "Đặng", "Đinh", "Đoàn", "Đào")))
        typo = person.name.replace("Đ", "D", 1) if i % 2 == 0 else _untoned(person.name)
        if typo != person.name and typo.casefold() not in names:
            person.variant, person.typo = "typo", typo
    ethnic = genre()["identity"]["ethnic"]
    for i, pid in enumerate(_first(w, "pho-chu-tich@uy-ban-nhan-dan-")[:max(2, len(w.provinces) // 4)]):
        w.people[pid].name, w.people[pid].variant = fresh(family=ethnic[i % len(ethnic)]), "apostrophe"


def _untoned(name: str) -> str:
    *head, given = name.split()
    bare = "".join(c for c in unicodedata.normalize("NFD", given) if c not in TONE_MARKS)
    return " ".join((*head, unicodedata.normalize("NFC", bare)))


def world(n: int, seed: int) -> World:
    rng = random.Random(f"{seed}:identity")
    w = World(provinces=_provinces(n))
    districts = rng.sample(genre()["districts"], len(w.provinces))
    for (p, until, _), district in zip(w.provinces, districts):
        _province_posts(w, p, until, district, rng)
    _central(w)
    _successions(w, rng)
    _rotations(w, n, rng)
    _mergers(w)
    _names(w, rng)
    return w
