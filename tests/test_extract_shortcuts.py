"""The shortcuts taken for speed in normalising and extracting give what the plain form gives.

Each shortcut skips work the plain form would do for nothing: a normalising step tried only on a
text holding what its every edit needs, a pattern rewritten to start with a literal (the engine
then jumps from one to the next), the figure rules tried only where a number starts or in a
sentence holding their words, the runs of capitalised syllables walked without a call per
syllable. Each is compared here with the plain form — the step as the bare pattern does it, the
rules scanned at every character — on random texts made of what the patterns look at, and on the
texts of the seeds and the development sets.
"""
from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from kg import text as T
from kg.extract import goals, people

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [p.read_text(encoding="utf-8") for d in ("seeds", "tests/devset", "tests/heldout", "tests/realdev")
         for p in sorted((ROOT / d).glob("*.txt"))]
WHITE = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
PIECES = [" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "*", "**", "a*b", ":", "Ảnh:", "ảnh :", "Nguồn:", "(ảnh: X)",
          ".", "!", "|", "(", "q", "Q", "qu", "oà", "uỷ", "Uỷ", "OÀ", "hoà", "quỳ", "o\u0300", "u\u0323", "\u0301",
          "\u0323", "e\u0302\u0301", "Tỉnh uỷ", "Tổng", "Bí thư", "a", "B", "1", "12", "2024", "đ", "Đ", *WHITE[:30]]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def _plain(pattern: str, repl, flags: int = 0):
    return T._resub(re.compile(pattern, flags), repl)


def test_the_engines_white_space_is_str_strips():
    """`_strip` stands for `\\A\\s+|\\s+\\Z` because both read white space the same way."""
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)] == WHITE


STEPS = [  # (the shortcut, the plain step)
    (T._COMPOSE, _plain(T._COMBINING.pattern, lambda m: unicodedata.normalize("NFC", m.group()))),
    (T._STEPS[4], _plain(r"(?<=[^\W_])\*+(?=[^\W_])", lambda m: " ")),
    (T._STEPS[5], _plain(r"\*+", lambda m: "")),
    (T._STEPS[9], _plain(r"(?<![qQ])(" + "|".join(map(re.escape, T._TONE_OLD_NEW)) + r")(?![\w\u0300-\u036f])",
                         lambda m: T._TONE_OLD_NEW[m.group(1)])),
    (T._STEPS[11], _plain(T._PHOTO_CREDIT.pattern, lambda m: "", re.IGNORECASE | re.MULTILINE)),
    (T._STEPS[12], _plain(r" +(?=\n)|(?<=\n) +|^ +| +$", lambda m: "")),
    (T._STEPS[13], _plain(r"(?<=[^\s.;:!?|])\n(?=[^\W_]|\()", T._rewrap)),
    (T._strip, _plain(r"\A\s+|\s+\Z", lambda m: "")),
]


@pytest.mark.parametrize("i", range(len(STEPS)))
def test_each_shortcut_step_edits_as_its_plain_pattern(i):
    shortcut, plain = STEPS[i]
    texts = _random_texts(6000, seed=i) + [c * k for c in WHITE for k in (1, 2)] + TEXTS + [""]
    for text in texts:
        assert shortcut(text) == plain(text), repr(text)


def test_the_steps_are_the_ones_compared():
    """The positions above name the steps they mean (a step added before them moves them)."""
    text = "a**b ** hoà \n x. Ảnh: Y\n"
    assert T._STEPS[4](text)[0] == "a b ** hoà \n x. Ảnh: Y\n"
    assert T._STEPS[5](text)[0] == "ab  hoà \n x. Ảnh: Y\n"
    assert T._STEPS[9]("hoà")[0] == "hòa"
    assert T._STEPS[11]("x. Ảnh: Y")[0] == "x."
    assert T._STEPS[12](" a \n b ")[0] == "a\nb"
    assert T._STEPS[13]("a\nb")[1] == [(1, 2, 1)]


FIGURE_PIECES = ["tăng", " ", " ", ", ", "; ", ".", "%", " %", "/", "1", "12", "1.234", "2,5", "2025", "2030",
                 "tỷ đồng", "triệu USD", "USD", "đồng chí", "chỉ tiêu", "nhiệm vụ", "đột phá", "con số", "hai", "ba",
                 "năm ", "đến năm ", "mức ", "khá", "nhóm ", "dẫn đầu", " về ", "xã", "hộ", "người", "doanh nghiệp",
                 "đạt", "-", "–", "trở thành", "trung tâm", "trước ngày ", "15/8/2025", "mục tiêu"]


def _plain_figures(text: str) -> list[goals.Figure]:
    """`find_figures` with every rule scanned at every character of every sentence."""
    out: list[goals.Figure] = []
    digits = re.search(r"\d", text) is not None
    for rule, rx in goals._FIGURES:
        if not digits and rule not in goals._WORDED:
            continue
        rx = rx or (goals._achieved() if rule == "achieved" else goals._quantity())
        for m in rx.finditer(text):
            if rule not in ("vision", "become") and any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in out):
                continue
            value = m.group("n") or str(goals._WORDS[m.group("w").lower()])
            out.append(goals.Figure(m.start(), m.end(), rule, value, m.groupdict().get("unit") or ""))
    return sorted(out, key=lambda f: f.start)


def test_the_figures_are_those_of_every_rule_scanned_everywhere():
    rng = random.Random(7)
    texts = ["".join(rng.choice(FIGURE_PIECES) for _ in range(rng.randint(1, 25))) for _ in range(20000)]
    sentences = [s.text for t in TEXTS for s in T.sentences(T.normalise(t).text)]
    found = 0
    for text in texts + sentences:
        figures = goals.find_figures(text)
        assert figures == _plain_figures(text), text
        found += bool(figures)
    assert found > 1000  # the inputs reach the rules


def _plain_runs(text: str, spans):
    run: list[re.Match] = []
    for m in people._TOKEN.finditer(text):
        ok = m.group()[0].isupper() and not any(a <= m.start() < b for a, b in spans)
        if ok and run and text[run[-1].end():m.start()] == " ":
            run.append(m)
            continue
        if run:
            yield run[0].start(), run[-1].end(), [r.group() for r in run]
        run = [m] if ok else []
    if run:
        yield run[0].start(), run[-1].end(), [r.group() for r in run]


def test_the_runs_of_capitalised_syllables_are_the_plain_walks():
    rng = random.Random(3)
    words = ["Nguyễn", "Văn", "An", "bí", "thư", "Tỉnh", "ủy", "Đ'", "H'Hen", "1", "a1", "ÁN", "_x", " ", "  ", ", ", "\n"]
    for _ in range(20000):
        text = "".join(rng.choice(words) + rng.choice(["", " ", " ", "  ", ","]) for _ in range(rng.randint(0, 14)))
        spans = [tuple(sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))) for _ in range(rng.randint(0, 3))]
        assert list(people._runs(text, spans)) == list(_plain_runs(text, spans)), (text, spans)


# --- the words every match holds (kg.extract.gazetteer.needs), and the patterns tried behind them

def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    """A small pattern over the letters a, b, c (and an upper-case A) of the kinds `needs` reads."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice("lllcbogqia" if depth < 2 else "lllc")
        if kind == "l":
            parts.append(rng.choice("abcA"))
        elif kind == "c":
            parts.append(rng.choice(["[ab]", ".", r"\w", "[^a]", "b?", "c*", "a+", "(?=b)", "(?<!a)", r"\b"]))
        elif kind == "b":
            parts.append("(?:" + "|".join(_random_pattern(rng, depth + 1) for _ in range(rng.randint(2, 3))) + ")")
        elif kind == "o":
            parts.append("(?:" + _random_pattern(rng, depth + 1) + ")" + rng.choice(["?", "*", "+", "{2}", "{0,2}", "{1,2}?"]))
        elif kind == "g":
            parts.append("(" + _random_pattern(rng, depth + 1) + ")")
        elif kind == "q":
            parts.append("(?>" + _random_pattern(rng, depth + 1) + ")")
        else:
            parts.append("(?i:" + _random_pattern(rng, depth + 1) + ")")
    return "".join(parts)


def test_every_match_holds_one_of_the_words_needs_reads():
    from kg.extract.gazetteer import needs
    rng = random.Random(11)
    told = 0
    for _ in range(4000):
        pattern = _random_pattern(rng)
        flags = re.IGNORECASE if rng.random() < 0.1 else 0
        words = needs(pattern, flags)
        if words is None:
            continue
        told += 1
        rx = re.compile(pattern, flags)
        for _ in range(40):
            text = "".join(rng.choice("abcA ") for _ in range(rng.randint(0, 12)))
            if rx.search(text):
                assert any(w in text for w in words), (pattern, words, text)
    assert told > 1500  # most patterns have words to tell


def test_needs_reads_runs_branches_and_repeats():
    from kg.extract.gazetteer import needs
    assert needs(r"ab(?:cd|e)f+") == ("ab",)
    assert needs(r"(?:đến|tới) năm (?P<y>\d{4})") == (" năm ",)
    assert needs(r"(?:làm việc|thăm) với") == (" với",)
    assert needs(r"x(?:abc|dbe)") == ("abc", "dbe")  # a word of each branch, longer than the run before
    assert needs(r"(?:bổ sung|sửa đổi, bổ sung|bãi bỏ)") == ("bãi bỏ", "bổ sung")  # a word holding another adds nothing
    assert needs(r"(?i:abc)d") == ("d",)
    assert needs(r"abc", re.IGNORECASE) is None
    assert needs(r"x?y*[ab]") is None
    assert needs(r"(?=abc)\w") is None  # a look-ahead's words are not the match's


def _needing_patterns():
    from kg.extract import anchors, documents, goals, meetings, people as ppl, titles
    from kg.extract.gazetteer import Needing
    return [(f"{m.__name__}.{name}", rx) for m in (anchors, documents, goals, meetings, ppl, titles)
            for name, rx in vars(m).items() if isinstance(rx, Needing)]


def test_the_patterns_behind_their_words_find_what_they_find_alone():
    patterns = _needing_patterns()
    assert len(patterns) >= 20
    rng = random.Random(5)
    sentences = [s.text for t in TEXTS for s in T.sentences(T.normalise(t).text)]
    for name, wrapped in patterns:
        words = list(wrapped.words)
        pieces = words + [" ", ", ", "đã ", "sẽ ", "các ", "tỉnh ", "Hội nghị ", "ngày 5/3 ", "A", "1"]
        texts = sentences + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
        for text in texts:
            assert [m.span() for m in wrapped.finditer(text)] == [m.span() for m in wrapped.rx.finditer(text)], (name, text)
            assert bool(wrapped.search(text)) == bool(wrapped.rx.search(text)), (name, text)


def test_dates_are_tried_where_a_date_can_start_only():
    from kg.extract import dates
    from kg.extract.gazetteer import tried_at
    rng = random.Random(9)
    pieces = ["1", "12", "3", "31", "/", "-", ".", " ", "ngày ", "tháng ", "năm ", "2024", "và", "đến", "–", "x", "Ngày "]
    sentences = [s.text for t in TEXTS for s in T.sentences(T.normalise(t).text)]
    texts = sentences + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 20))) for _ in range(30000)]
    for text in texts:
        assert [m.span() for m in tried_at(dates._STARTS, dates._DATE, text)] == [m.span() for m in dates._DATE.finditer(text)], text


def test_a_fingerprint_reads_the_words_once_as_twice():
    import hashlib
    from kg.read import duplicates as D

    def plain(original: str):
        text = unicodedata.normalize("NFC", original).casefold()
        hashes = {D._h(" ".join(w)) for s in D._SENTENCE_END.split(text) if len(w := D._WORDS.findall(s)) >= D.MIN_WORDS}
        every = " ".join(D._WORDS.findall(text))
        return D.Fingerprint(hashlib.sha256(every.encode("utf-8")).hexdigest()[:32], tuple(sorted(hashes)[:D.K]))
    rng = random.Random(4)
    pieces = ["a", "b c", ".", " ", "\n", "…", ";", ":", "x.y", "Ả", "\u0301", "_", "1", "!", "?", "\t", "\u00a0", "đồng chí"]
    for text in TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(5000)]:
        assert D.fingerprint(text) == plain(text)
