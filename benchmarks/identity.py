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
import datetime as dt
import json
import random
from pathlib import Path

from kg.extract import gazetteer as gz
from kg.text import fold, slug

from .generate import genre

from .identity_world import DAY, END, OLD_TONE, START, Event, Spell, World, _day, world  # noqa: F401


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
    g, rng = genre()["identity"], wr.rng
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


from .identity_score import _key, corpus_counts, map_mentions, pairwise, score, score_build  # noqa: E402,F401


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
