"""A generated corpus with known truth for person identity and tenures, and its scorer.

Takes a count, a folder and a seed; writes ``NNNNN_<province>_<kind>.txt`` articles with their
``.meta.json`` sidecars and ``truth.json``: every name as each article writes it → a true
person id, the people with their posts and true spans, and "who held post P on date D"
questions with their true holders. The world behind it has homonyms (one full name for a
district or commune secretary, a provincial vice-chairman and a deputy minister at once),
rotations between provinces, successions with stated dates, the 2025 mergers (districts
abolished, provinces and two ministries merged) and spelling variants (old tone placement,
ALL-CAPS signatures, apostrophe forms of ethnic-minority names, one-letter misspellings).
The same (count, seed) gives the same bytes. ``--score`` builds the corpus twice (name-only
identity and the default) and scores pairwise identity, "who held P on D" and stage times.

    python -m benchmarks.identity 5000 /tmp/idc --seed 1 --score
"""
from __future__ import annotations

import argparse
import gc
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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


# ---- the world: provinces, posts, successions, rotations, mergers, names ----

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


# ---- articles: what each says, and who each name written in it is ----

class Writer:
    """One article being written: its sentences and, for each name it writes, the person."""

    def __init__(self, w: World, rng: random.Random, counts: dict[str, int]) -> None:
        self.w, self.rng, self.counts = w, rng, counts
        self.lines: list[str] = []
        self.mentions: list[dict] = []
        self.keys: dict[str, str] = {}  # folded written name → person, so one name is one person here

    def name(self, pid: str, form: str = "") -> str:
        person, n = self.w.people[pid], self.counts.get(pid, 0)
        written, kind = person.name, form or "plain"
        if form == "caps":
            written = person.name.upper()
        elif person.variant == "tone" and n % 2:
            written, kind = " ".join(OLD_TONE.get(x, x) for x in person.name.split()), "tone"
        elif person.variant == "apostrophe" and n % 2:
            written, kind = person.name.replace("'", "’"), "apostrophe"
        elif person.variant == "typo" and n % 9 == 2:
            written, kind = person.typo, "typo"
        return written + "\x00" + kind

    def say(self, template: str, people: dict[str, tuple[str, str | None]], form: str = "", **slots: str) -> bool:
        """Write one sentence naming `people` (slot → (person, post)); skipped, and False, when it
        would give one name to two people in this article."""
        filled, found = {}, []
        for slot, (pid, post) in people.items():
            written, kind = self.name(pid, form).split("\x00")
            key = fold(written).replace("’", "'")
            if self.keys.get(key, pid) != pid or any(k == key and p != pid for k, p, _ in found):
                return False
            filled[slot] = written
            found.append((key, pid, {"written": written, "person": pid, "post": post, "form": kind}))
        for key, pid, mention in found:
            self.keys[key] = pid
            self.counts[pid] = self.counts.get(pid, 0) + 1
            if mention not in self.mentions:
                self.mentions.append(mention)
        self.lines.append(template.format(**filled, **slots))
        return True

    def title(self, spell: Spell) -> str:
        title = self.w.posts[spell.post].title(self.rng)
        if spell.came_from and self.rng.random() < 0.5:
            title = f"nguyên {self.w.posts[spell.came_from].title(self.rng)}, {title}"
        return title


def _date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _filler(rng: random.Random) -> dict[str, str]:
    numbers = {"pct": f"{rng.randint(5, 11)},{rng.randint(1, 9)}", "money": f"{rng.randint(2, 60)}.{rng.randint(1, 9)}00",
               "high": str(rng.randint(85, 100)), "count": str(rng.randint(3, 40))}
    return {"period": rng.choice(("6 tháng đầu năm", "9 tháng đầu năm", "quý I", "quý III")),
            "indicator": rng.choice(genre()["past"]).format(**numbers), "count": numbers["count"]}


def _holders(w: World, province: str, day: dt.date) -> dict[str, list[Spell]]:
    """The spells held on `day` in `province` (and centrally), by the role's slot prefix."""
    out: dict[str, list[Spell]] = {}
    for slot, spells in w.slots.items():
        post = w.posts[slot[:slot.index("#")]]
        spell = w.holder(slot, day)
        if spell and post.province in (province, ""):
            kind = "central" if not post.province else "local" if post.body.startswith(("Huyện ủy", "Đảng ủy xã")) \
                else slot[:slot.index("@")]
            out.setdefault(kind, []).append(spell)
    return {k: sorted(v, key=lambda s: (s.post, s.person)) for k, v in out.items()}


def _meeting(wr: Writer, p: gz.Province, day: dt.date) -> str:
    g, rng, w = genre()["identity"], wr.rng, wr.w
    fill = _filler(rng)
    h = _holders(w, p.name, day)
    when = rng.choice(("Sáng {d}/{m}", "Chiều {d}/{m}", "Ngày {d}/{m}/{y}")).format(d=day.day, m=day.month, y=day.year)
    wr.lines.append(rng.choice(g["openings"]).format(when=when, committee=p.committee, unit=p.unit, **fill))
    chair = next((s for s in h.get("bi-thu", ()) if w.posts[s.post].body == p.committee), None)
    if chair:
        wr.say(rng.choice(g["chair"]), {"name": (chair.person, chair.post)}, title=wr.title(chair))
    guest, other = rng.choice(h["central"]), next(iter(h.get("chu-tich", ())), None)
    if other:
        wr.say(rng.choice(g["guests"]), {"guest": (guest.person, guest.post), "other": (other.person, other.post)},
               guest_title=wr.title(guest), other_title=wr.title(other))
    else:
        wr.say(g["guest"][0], {"guest": (guest.person, guest.post)}, guest_title=wr.title(guest))
    speakers = h.get("pho-chu-tich", []) + h.get("giam-doc", []) + h.get("pho-bi-thu", []) + h.get("pho-bi-thu-thuong-truc", [])
    for s in rng.sample(speakers, min(2, len(speakers))):
        hon = "Bà" if " Thị " in w.people[s.person].name else "Ông"
        wr.say(rng.choice(g["report"]), {"name": (s.person, s.post)}, title=wr.title(s), Hon=hon, **fill)
    if h.get("local") and rng.random() < 0.7:
        s = rng.choice(h["local"])
        wr.say(rng.choice(g["local"]), {"name": (s.person, s.post)}, title=wr.title(s), **fill)
    wr.lines.append(rng.choice(g["closings"]))
    return f"{p.committee} sơ kết công tác {fill['period']} năm {day.year}"


def _notice(wr: Writer, p: gz.Province, day: dt.date) -> str:
    g, rng, w = genre()["identity"], wr.rng, wr.w
    fill = _filler(rng)
    h = _holders(w, p.name, day)
    header = [f"{p.committee.upper()}                         ĐẢNG CỘNG SẢN VIỆT NAM", "        *",
              f"Số {rng.randint(100, 1500)}-TB/TU                       {p.name}, ngày {day.day} tháng {day.month} năm {day.year}",
              "", "THÔNG BÁO", f"KẾT LUẬN CỦA BAN THƯỜNG VỤ {p.committee.upper()}", f"về tình hình thực hiện nhiệm vụ {fill['period']}"]
    wr.lines.append("\n".join(header))
    chair = next(s for s in h["bi-thu"] if w.posts[s.post].body == p.committee)
    speaker = rng.choice(h.get("pho-chu-tich", []) + h.get("giam-doc", []))
    wr.say(g["notice_intro"], {"chair": (chair.person, chair.post), "name": (speaker.person, speaker.post)},
           chair_title=wr.title(chair), title=wr.title(speaker), date=_date(day), committee=p.committee, **fill)
    wr.lines += [t.format(committee=p.committee, **fill) for t in g["notice_points"]]
    signer = h["pho-bi-thu-thuong-truc"][0]
    signed = "(Đã ký)" if rng.random() < 0.25 else ""  # kg.text joins "(Đã ký)" to the role line: a miss to keep in view
    wr.say("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n" + signed + "\n{name}", {"name": (signer.person, signer.post)},
           form="caps")
    return f"Kết luận của Ban Thường vụ {p.committee} về nhiệm vụ {fill['period']}"


def _personnel(wr: Writer, p: gz.Province, day: dt.date, events: list[Event]) -> str:
    g, rng, w = genre()["identity"], wr.rng, wr.w
    when = f"Ngày {day.day}/{day.month}/{day.year}"
    wr.lines.append(g["announce"].format(when=when, committee=p.committee))
    for e in events:
        _event(wr, e)
    wr.lines.append(rng.choice(g["closings"]))
    return f"{p.committee} công bố quyết định về công tác cán bộ"


def _event(wr: Writer, e: Event) -> None:
    g, rng, w = genre()["identity"], wr.rng, wr.w
    post, new, old = w.posts[e.new.post], e.new, e.old
    full = f"{post.role} {post.body}"
    term = "2020 - 2025" if "ủy" in post.body else "2021 - 2026"
    hon = lambda pid: "bà" if " Thị " in w.people[pid].name else "ông"
    date = _date(e.date)
    if e.kind == "retired":
        wr.say(g["retired"][0], {"old": (old.person, old.post)}, post=full, date=_date(old.end + DAY))
    if e.kind in ("elected", "retired"):
        wr.say(rng.choice(g["elected"]), {"name": (new.person, new.post)}, post=full, date=date, term=term,
               hon=hon(new.person))
    elif e.kind == "appointed":
        wr.say(g["appointed"][0], {"name": (new.person, new.post)}, post=full, date=date)
    elif e.kind == "replaced":
        council = f"Hội đồng nhân dân {post.body.removeprefix('Ủy ban nhân dân ')}"
        wr.say(g["replaced"][0], {"name": (new.person, new.post), "old": (old.person, None)}, post=full, date=date,
               council=council, hon=hon(new.person), hon_old=hon(old.person))
    elif e.kind in ("rotation", "merged"):
        source = w.posts[new.came_from]
        wr.say(rng.choice(g[e.kind]), {"name": (new.person, new.post)}, post=full, date=date,
               from_post=f"{source.role} {source.body}")


def _plan(w: World, n: int, seed: int) -> list[tuple[dt.date, str, str, list[Event]]]:
    """(date, province, kind, events) of every article, in date order."""
    rng = random.Random(f"{seed}:identity:plan")
    by_day: dict[tuple[dt.date, str], list[Event]] = {}
    for e in sorted(w.events, key=lambda e: (e.date, e.province, e.new.post)):
        by_day.setdefault((e.date + dt.timedelta(days=(hash_day(e) % 4)), e.province), []).append(e)
    plan = [(day, prov, "personnel", events) for (day, prov), events in by_day.items()][:n]
    for _ in range(n - len(plan)):
        day = _day(rng, START, END)
        live = [p.name for p, until, _ in w.provinces if day <= until]
        plan.append((day, rng.choice(live), rng.choice(("meeting", "meeting", "meeting", "notice")), []))
    return sorted(plan, key=lambda t: (t[0], t[1], t[2]))


def hash_day(e: Event) -> int:
    return sum(map(ord, e.new.post + e.province)) if e.kind != "merged" else sum(map(ord, e.new.post))


def articles(n: int, seed: int, w: World | None = None):
    """(file name, text, sidecar, mentions) of each article, in order."""
    w = w or world(n, seed)
    provinces = {p.name: p for p, _, _ in w.provinces}
    counts: dict[str, int] = {}
    for i, (day, prov, kind, events) in enumerate(_plan(w, n, seed)):
        wr = Writer(w, random.Random(f"{seed}:identity:{i}"), counts)
        p = provinces[prov]
        if kind == "personnel":
            title = _personnel(wr, p, day, events)
        elif kind == "notice":
            title = _notice(wr, p, day)
        else:
            title = _meeting(wr, p, day)
        text = ("\n\n".join(wr.lines) if kind == "notice" else title + "\n\n" + "\n\n".join(wr.lines)) + "\n"
        meta = {"title": title, "url": f"https://bench.vnkg.example/identity/{i:05d}", "publisher": f"Báo {prov}",
                "published": day.isoformat(), "province": prov, "language": "vi"}
        yield f"{i:05d}_{slug(prov)}_{kind}.txt", text, meta, wr.mentions


# ---- truth: people, spans, questions ----

def _questions(w: World, attested: dict[tuple[str, str], tuple[str, str]], rng: random.Random) -> list[dict]:
    """"Who held P on D": a day soon after and before each change, and days inside each spell,
    asked where an article states the dates that decide it, or else between the first and the
    last article naming every true holder with P."""
    days: dict[str, set[dt.date]] = {}
    for slot, spells in sorted(w.slots.items()):
        post = slot[:slot.index("#")]
        for s in spells:
            days.setdefault(post, set()).update({min(s.end, s.start + dt.timedelta(days=rng.randint(1, 60))),
                                                 _day(rng, s.start, s.end)})
            if s.start > START:
                days[post].add(s.start - dt.timedelta(days=rng.randint(1, 60)))
    out = []
    for post_id, ds in sorted(days.items()):
        post = w.posts[post_id]
        for day in sorted(ds):
            held = [(slot, w.holder(slot, day)) for slot in w.slots if slot.startswith(post_id + "#")]
            held = [(slot, s) for slot, s in held if s]
            stated = bool(held) and all(_stated(w, slot, s, day) for slot, s in held)
            seen = [attested.get((s.person, post_id), ("9", "0")) for _, s in held]
            if not held or not (stated or all(a <= day.isoformat() <= b for a, b in seen)):
                continue
            out.append({"post": post_id, "role": post.role, "body": post.body, "province": post.province,
                        "date": day.isoformat(), "holders": sorted(s.person for _, s in held), "stated": stated})
    return out


def _stated(w: World, slot: str, s: Spell, day: dt.date) -> bool:
    """An article states the start, and the end or the successor's start, that decide `day`."""
    after = [x for x in w.slots[slot] if x.start > s.start]
    closed = s.end == END or s.end_stated or bool(after and after[0].start_stated)
    return s.start_stated and closed


def truth(w: World, mentions: dict[str, list[dict]], dates: dict[str, str], seed: int) -> dict:
    attested: dict[tuple[str, str], tuple[str, str]] = {}
    for src, ms in mentions.items():
        for m in ms:
            a, b = attested.get((m["person"], m["post"]), (dates[src], dates[src]))
            attested[(m["person"], m["post"])] = (min(a, dates[src]), max(b, dates[src]))
    spells: dict[str, list[Spell]] = {}
    for slot in w.slots.values():
        for s in slot:
            spells.setdefault(s.person, []).append(s)
    people = {pid: {"name": p.name, "variant": p.variant, "typo": p.typo,
                    "posts": [{"post": s.post, "start": s.start.isoformat(), "end": s.end.isoformat(),
                               "start_stated": s.start_stated, "end_stated": s.end_stated, "came_from": s.came_from}
                              for s in sorted(spells.get(pid, ()), key=lambda s: s.start)]}
              for pid, p in sorted(w.people.items())}
    forms = {}
    for ms in mentions.values():
        for m in ms:
            forms.setdefault(m["form"], set()).add(m["person"])
    return {"seed": seed, "articles": mentions, "people": people,
            "posts": {k: {"role": p.role, "body": p.body, "short": p.short, "province": p.province, "single": p.single}
                      for k, p in sorted(w.posts.items())},
            "questions": _questions(w, attested, random.Random(f"{seed}:identity:questions")),
            "homonyms": w.homonyms, "rotations": w.rotations, "merged": sorted(set(w.merged)),
            "variants": {k: sorted(v) for k, v in sorted(forms.items()) if k != "plain"}}


def write_corpus(n: int, folder: Path, seed: int = 0) -> dict:
    """Write `n` articles, their sidecars and truth.json into `folder`; return the truth."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    w = world(n, seed)
    mentions, dates = {}, {}
    for name, text, meta, ms in articles(n, seed, w):
        (folder / name).write_text(text, encoding="utf-8")
        (folder / (name[:-4] + ".meta.json")).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                         encoding="utf-8")
        mentions[name], dates[name] = ms, meta["published"]
    t = truth(w, mentions, dates, seed)
    (folder / "truth.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return t


# ---- the scorer ----

def _key(name: str) -> str:
    from kg.text import normalise
    return " ".join(normalise(unicodedata.normalize("NFC", name)).text.split()).casefold()


def load(trig: Path):
    """The dataset file in a pyoxigraph store as `kg query` opens it (the union as default graph)."""
    from kg.store import open_store
    return open_store(trig, {"store_cache_mb": 1 << 20})


def graph_people(store) -> dict[tuple[str, str], set[str]]:
    """(source file, person node) → the node's labels in that source's graph."""
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?g ?p ?l WHERE { GRAPH ?g { ?p a <https://w3id.org/vnkg/ontology#Person> .
      { ?p rdfs:label ?l } UNION { ?p skos:altLabel ?l } } }"""
    out: dict[tuple[str, str], set[str]] = {}
    for g, p, label in store.query(query):
        if "/source/" in g.value:
            out.setdefault((g.value.rsplit("/", 1)[1], p.value), set()).add(label.value)
    return out


def map_mentions(t: dict, nodes: dict[tuple[str, str], set[str]]) -> tuple[dict, dict]:
    """Each graph mention (source, node) → its true person, by a label matching a written name
    of that article; and the counts of what could not be matched either way."""
    mapped, unmatched, ambiguous = {}, 0, 0
    written = {src: {} for src in t["articles"]}
    for src, ms in t["articles"].items():
        for m in ms:
            written[src].setdefault(_key(m["written"]), set()).add(m["person"])
    for (src, node), labels in nodes.items():
        ids = set().union(*(written.get(src, {}).get(_key(l), set()) for l in labels))
        if len(ids) == 1:
            mapped[(src, node)] = ids.pop()
        else:
            unmatched, ambiguous = unmatched + (not ids), ambiguous + (len(ids) > 1)
    found = {(src, pid) for (src, _), pid in mapped.items()}
    expected = {(src, m["person"]) for src, ms in t["articles"].items() for m in ms}
    return mapped, {"truth_mentions": len(expected), "graph_mentions": len(nodes), "mapped": len(mapped),
                    "missed": len(expected - found), "unmatched_nodes": unmatched, "ambiguous_nodes": ambiguous}


def pairwise(mapped: dict[tuple[str, str], str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the clustering (by node IRI) against the truth."""
    pairs = lambda counts: sum(c * (c - 1) // 2 for c in counts)
    cells, pred, true = {}, {}, {}
    for (_, node), pid in mapped.items():
        cells[(node, pid)] = cells.get((node, pid), 0) + 1
        pred[node], true[pid] = pred.get(node, 0) + 1, true.get(pid, 0) + 1
    tp, pp, tt = pairs(cells.values()), pairs(pred.values()), pairs(true.values())
    p, r = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "pairs_predicted": pp, "pairs_true": tt, "pairs_correct": tp}


def who_held(t: dict, store, mapped: dict) -> dict:
    """Accuracy of `kg.when.held_on` on the truth's questions (all, and those the corpus states):
    right when the people it answers are exactly the true holders."""
    try:
        from kg.when import held_on
    except ImportError as exc:
        return {"status": f"unavailable ({exc})"}
    from kg.errors import KgError
    votes: dict[str, dict[str, int]] = {}
    for (_, node), pid in mapped.items():
        votes.setdefault(node, {}).setdefault(pid, 0)
        votes[node][pid] += 1
    best = {node: max(c, key=c.get) for node, c in votes.items()}
    right, errors, wrong = {True: [0, 0], False: [0, 0]}, {}, []
    for q in t["questions"]:
        try:
            answers = held_on(store, q["date"], role=q["role"], body=q["body"])
            got = sorted({best.get(a.step.person, a.step.person) for a in answers})
        except KgError as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            got = [type(exc).__name__]
        right[q["stated"]][0] += got == q["holders"]
        right[q["stated"]][1] += 1
        if got != q["holders"] and len(wrong) < 12:
            wrong.append({**{k: q[k] for k in ("role", "body", "date", "holders", "stated")}, "answered": got})
    acc = lambda ok, n: round(ok / n, 4) if n else None
    return {"status": "ok", "stated": acc(*right[True]), "stated_questions": right[True][1],
            "all": acc(right[True][0] + right[False][0], right[True][1] + right[False][1]),
            "questions": right[True][1] + right[False][1], "errors": errors, "wrong_examples": wrong}


def score_build(folder: Path, trig: Path, mode: str | None, t: dict) -> dict:
    from kg.pipeline import build
    overrides = {"build_cache": "off", **({"person_identity": mode} if mode else {})}
    summary = build([folder], trig, overrides=overrides, log=lambda line: None, progress=False)
    store = load(trig)
    mapped, counts = map_mentions(t, graph_people(store))
    total = sum(summary.seconds.values())
    held = who_held(t, store, mapped)
    del store
    gc.collect()  # pyoxigraph results caught in cycles must be dropped on this thread, not a later build's
    return {"identity": mode or "default", "pairwise": pairwise(mapped), "mentions": counts,
            "who_held": held, "seconds": summary.seconds, "build_seconds": round(total, 3),
            "resolve_share": round(summary.seconds["resolve"] / total, 4) if "resolve" in summary.seconds else None}


def corpus_counts(t: dict) -> dict:
    return {"articles": len(t["articles"]), "people": len(t["people"]), "homonym_groups": len(t["homonyms"]),
            "homonym_people": sum(map(len, t["homonyms"])), "rotations": len(t["rotations"]),
            "merged": len(t["merged"]), "variants": {k: len(v) for k, v in t["variants"].items()},
            "questions": len(t["questions"]), "stated_questions": sum(q["stated"] for q in t["questions"])}


def score(folder: Path, t: dict | None = None) -> dict:
    folder = Path(folder)
    t = t or json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    out = folder / "build"
    out.mkdir(exist_ok=True)
    return {"corpus": corpus_counts(t), "seed": t["seed"],
            "builds": [score_build(folder, out / f"{mode or 'default'}.trig", mode, t) for mode in ("name", None)]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.identity", description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--score", action="store_true", help="build name-only and default, score both")
    ap.add_argument("--results", type=Path, help="where to save the scores (default benchmarks/results/identity-N.json)")
    a = ap.parse_args(argv)
    t = write_corpus(a.count, a.folder, a.seed)
    print(f"identity: {a.count} articles and truth.json in {a.folder}; {json.dumps(corpus_counts(t), ensure_ascii=False)}")
    if a.score:
        result = score(a.folder, t)
        path = a.results or Path(__file__).with_name("results") / f"identity-{a.count}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for b in result["builds"]:
            print(f"{b['identity']}: pairwise {b['pairwise']}, who held: {b['who_held']}, "
                  f"build {b['build_seconds']} s, resolve share {b['resolve_share']}")
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
