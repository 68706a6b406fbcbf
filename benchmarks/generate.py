"""Generate synthetic articles in the genre, any number, for benchmarks and scale tests.

Takes a count, a folder and a seed; writes ``NNNNN_<province>_<kind>.txt`` files with their
``.meta.json`` sidecars and returns their paths. Provinces, bodies, departments, roles and
family names come from the gazetteers in ``kg/data/``; given names, topics and sentence
templates from ``benchmarks/genre.json``. Each province has a seeded roster of officials that
changes with the term, so people, posts and documents recur across articles as they do in a
province's newspaper. The same (count, seed) always gives the same bytes. No text is copied
from a published article.

    python -m benchmarks.generate 10000 /tmp/corpus --seed 1
"""
from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract import gazetteer as gz
from kg.text import slug

GENRE = Path(__file__).with_name("genre.json")
KINDS = ("conference", "session", "personnel", "notice", "conference", "session")
ROMAN = ("XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII")


@lru_cache(maxsize=1)
def genre() -> dict:
    return json.loads(GENRE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Official:
    name: str
    title: str  # as the article writes it, the province implicit ("Bí thư Tỉnh ủy")


@dataclass(frozen=True)
class Roster:
    secretary: Official
    deputy: Official
    chair_ub: Official
    chair_hd: Official
    vice_ub: Official
    organiser: Official
    directors: tuple[Official, ...]
    district_secretaries: tuple[tuple[str, str], ...]  # (person, district)


def person_name(rng: random.Random) -> str:
    g = genre()
    names = sorted(gz.surnames())
    return f"{rng.choice(names)} {rng.choice(g['middle'])} {rng.choice(g['given'])}"


def roster(province: gz.Province, term: int, seed: int) -> Roster:
    """The officials of `province` in `term` (0: 2020–2022, 1: 2023–2025)."""
    rng = random.Random(f"{seed}:{province.name}:{term}")
    cw, unit = _committee_word(province), _unit_word(province)
    depts = rng.sample(gz.bodies_data()["departments"], 4)
    one = lambda title: Official(person_name(rng), title)
    return Roster(
        secretary=one(f"Ủy viên Trung ương Đảng, Bí thư {cw}"),
        deputy=one(f"Phó Bí thư Thường trực {cw}"),
        chair_ub=one(f"Phó Bí thư {cw}, Chủ tịch UBND {unit}"),
        chair_hd=one(f"Ủy viên Ban Thường vụ {cw}, Chủ tịch HĐND {unit}"),
        vice_ub=one(f"Ủy viên Ban Thường vụ {cw}, Phó Chủ tịch Thường trực UBND {unit}"),
        organiser=one(f"Ủy viên Ban Thường vụ {cw}, Trưởng Ban Tổ chức {cw}"),
        directors=tuple(one(f"Giám đốc Sở {d}") for d in depts),
        district_secretaries=tuple((person_name(rng), d) for d in rng.sample(genre()["districts"], 3)),
    )


NATIONAL = ("Ủy viên Bộ Chính trị, Thường trực Ban Bí thư", "Ủy viên Bộ Chính trị, Chủ tịch Quốc hội",
            "Bí thư Trung ương Đảng, Trưởng Ban Tổ chức Trung ương", "Phó Thủ tướng Chính phủ",
            "Ủy viên Trung ương Đảng, Bộ trưởng Bộ Kế hoạch và Đầu tư")


def national(seed: int) -> tuple[Official, ...]:
    rng = random.Random(f"{seed}:national")
    return tuple(Official(person_name(rng), title) for title in NATIONAL)


def _committee_word(p: gz.Province) -> str:
    return "Thành ủy" if p.kind == "thành phố" else "Tỉnh ủy"


def _unit_word(p: gz.Province) -> str:
    return "thành phố" if p.kind == "thành phố" else "tỉnh"


class Article:
    """One article being written: the slots its templates draw on."""

    def __init__(self, index: int, province: gz.Province, seed: int) -> None:
        self.rng = random.Random(f"{seed}:{index}")
        self.index, self.province = index, province
        self.year = self.rng.randint(2020, 2025)
        self.month, self.day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        self.roster = roster(province, 0 if self.year < 2023 else 1, seed)
        self.leaders = national(seed)
        self.slots = self._slots()

    def _slots(self) -> dict[str, object]:
        r, p, rng = self.roster, self.province, self.rng
        guest = rng.choice(self.leaders)
        speaker = rng.choice((r.chair_ub, r.vice_ub, *r.directors))
        district_sec, district = rng.choice(r.district_secretaries)
        return {
            "unit": p.unit, "committee": p.committee, "cw": _committee_word(p), "U": _unit_word(p),
            "when": rng.choice(("Sáng {d}/{m}", "Chiều {d}/{m}", "Sáng ngày {d}/{m}/{y}", "Ngày {d}/{m}/{y}"))
            .format(d=self.day, m=self.month, y=self.year),
            "day": self.day, "month": self.month, "year": self.year, "deadline": rng.choice((2025, 2030)),
            "period": rng.choice(("6 tháng đầu năm", "9 tháng đầu năm", "năm " + str(self.year), "quý I")),
            "chair": r.secretary.name, "chair_title": r.secretary.title, "chair_short": f"Bí thư {_committee_word(p)}",
            "guest": guest.name, "guest_title": guest.title, "other": r.chair_ub.name, "other_title": r.chair_ub.title,
            "speaker": speaker.name, "speaker_title": speaker.title,
            "district_sec": district_sec, "district": district,
            "appointee": r.deputy.name, "moved": rng.choice(r.directors).name, "dept": rng.choice(gz.bodies_data()["departments"]),
            "topic": rng.choice(genre()["topics"]),
        }

    def fill(self, template: str, **extra: object) -> str:
        values = {**self.slots, **self.numbers(), **extra}
        values.setdefault("goal", self.goal())
        values.setdefault("goal2", self.goal())
        values.setdefault("indicator_past", self.fill_plain(self.rng.choice(genre()["past"])))
        values.setdefault("doc", self.document())
        values.setdefault("doc2", self.document())
        return template.format(**values)

    def fill_plain(self, template: str) -> str:
        return template.format(**self.numbers())

    def numbers(self) -> dict[str, str]:
        rng = self.rng
        return {"pct": f"{rng.randint(5, 11)},{rng.randint(1, 9)}", "small": str(rng.randint(1, 9)),
                "money": f"{rng.randint(2, 60)}.{rng.randint(1, 9)}00", "count": str(rng.randint(3, 40)),
                "high": str(rng.randint(85, 100)), "income": str(rng.randint(50, 140)),
                "forest": f"{rng.randint(30, 65)},{rng.randint(1, 9)}"}

    def goal(self) -> str:
        return self.fill_plain(self.rng.choice(genre()["goals"]))

    def document(self) -> str:
        """A document cited by number; drawn from a small per-province pool so that it recurs."""
        pool = random.Random(f"{self.province.name}:docs:{self.rng.randint(0, 11)}")
        kind, code, issuer = pool.choice((("Nghị quyết", "NQ/TU", f"Ban Thường vụ {self.slots['cw']}"),
                                          ("Chỉ thị", "CT/TU", f"Ban Thường vụ {self.slots['cw']}"),
                                          ("Kế hoạch", "KH/TU", self.slots["cw"]),
                                          ("Nghị quyết", "NQ/TW", "Bộ Chính trị"),
                                          ("Kết luận", "KL/TW", "Bộ Chính trị")))
        y = pool.randint(2016, 2019)
        return (f"{kind} số {pool.randint(1, 120):02d}-{code} ngày {pool.randint(1, 28)}/{pool.randint(1, 12)}/{y} "
                f"của {issuer} về {pool.choice(genre()['topics'])}")


def _meeting(a: Article, kind: str) -> tuple[str, str, str]:
    """(title, meeting body, meeting phrase) of a conference or a council session."""
    term = a.rng.choice(ROMAN)
    if kind == "session":
        n = a.rng.randint(2, 20)
        body = f"Hội đồng nhân dân {a.province.unit} khóa {term}, nhiệm kỳ 2021 - 2026"
        return f"Khai mạc kỳ họp thứ {n} HĐND {a.slots['U']} khóa {term}", body, f"kỳ họp thứ {n}"
    n = a.rng.randint(2, 30)
    body = f"Ban Chấp hành Đảng bộ {a.province.unit} khóa {term}"
    return f"Hội nghị lần thứ {n} Ban Chấp hành Đảng bộ {a.province.unit} khóa {term}", body, f"Hội nghị lần thứ {n}"


def _meeting_article(a: Article, kind: str) -> tuple[str, list[str]]:
    g, rng = genre(), a.rng
    title, body, meeting = _meeting(a, kind)
    paras = [a.fill(rng.choice(g["openings"]), meeting_body=body, meeting=meeting), a.fill(rng.choice(g["chairs"])),
             a.fill(rng.choice(g["attendance"]))]
    paras += [a.fill(t) for t in rng.sample(g["reports"], 2)]
    paras += [a.fill(t) for t in rng.sample(g["directions"], rng.randint(2, 4))]
    paras.append(a.fill(rng.choice(g["closings"])))
    return title + ": " + rng.choice(g["topics"]), paras


def _personnel_article(a: Article) -> tuple[str, list[str]]:
    s = a.slots
    decision = f"Quyết định số {a.rng.randint(900, 2400)}-QĐNS/TW ngày {s['day']}/{s['month']}/{s['year']}"
    decision2 = f"Quyết định số {a.rng.randint(100, 2400)}-QĐ/TU"
    paras = [a.fill(t, decision=decision, decision2=decision2) for t in genre()["personnel"]]
    return f"Ban Bí thư chuẩn y Phó Bí thư {s['cw']} {a.province.name}", paras


def _notice_article(a: Article) -> tuple[str, list[str]]:
    s, g = a.slots, genre()
    number = f"Số {a.rng.randint(100, 1500)}-TB/TU"
    header = [f"{a.province.committee.upper()}                         ĐẢNG CỘNG SẢN VIỆT NAM", "        *",
              f"{number}                       {a.province.name}, ngày {s['day']} tháng {s['month']} năm {s['year']}", "",
              "THÔNG BÁO", f"KẾT LUẬN CỦA BAN THƯỜNG VỤ {s['cw'].upper()}",
              f"về tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội {s['period']}"]
    paras = ["\n".join(header), a.fill(g["notice_intro"])]
    paras += [a.fill(t, n=i) for i, t in enumerate(g["notice_points"], 1)]
    paras.append(f"T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n(Đã ký)\n{a.roster.deputy.name}")
    return f"Kết luận của Ban Thường vụ {s['cw']} {a.province.name} về nhiệm vụ {s['period']}", paras


def article(index: int, seed: int = 0) -> tuple[str, str, dict]:
    """(file name, text, sidecar) of article number `index`."""
    provinces = sorted((p for p in gz.provinces().values() if not p.valid_from), key=lambda p: p.name)
    rng = random.Random(f"{seed}:pick:{index}")
    province = rng.choice(provinces)
    kind = rng.choice(KINDS)
    a = Article(index, province, seed)
    if kind == "personnel":
        title, paras = _personnel_article(a)
    elif kind == "notice":
        title, paras = _notice_article(a)
    else:
        title, paras = _meeting_article(a, kind)
    text = (paras[0] + "\n\n" + "\n\n".join(paras[1:]) + "\n") if kind == "notice" else \
        title + "\n\n" + "\n\n".join(paras) + "\n"
    meta = {"title": title, "url": f"https://bench.vnkg.example/{index:05d}", "publisher": f"Báo {province.name}",
            "published": f"{a.year:04d}-{a.month:02d}-{a.day:02d}", "province": province.name, "language": "vi"}
    return f"{index:05d}_{slug(province.name)}_{kind}.txt", text, meta


def write_corpus(count: int, folder: Path, seed: int = 0, start: int = 0) -> list[Path]:
    """Write articles `start` … `start + count - 1` into `folder`; return the .txt paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        name, text, meta = article(i, seed)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        path.with_name(name[:-4] + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                            encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="index of the first article (to add to a corpus)")
    a = ap.parse_args(argv)
    paths = write_corpus(a.count, a.folder, a.seed, a.start)
    print(f"generate: {len(paths)} articles in {a.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
