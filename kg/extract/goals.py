"""Goals and figures: targets set and results reported, with their numbers, units, periods.

"nhóm 10 tỉnh dẫn đầu về chỉ số PCI", "GRDP tăng 11% trở lên",
"tăng trưởng 14,14%", "17/17 chỉ tiêu", "11 nhóm chỉ tiêu", "5 nhiệm vụ trọng tâm",
"thu ngân sách 25.000 tỷ đồng", "các mục tiêu nhiệm kỳ 2020-2025", "đến năm 2030".
The text of a goal is its clause; a goal is a target where the clause sets it ("phấn đấu",
"mục tiêu", "đề ra", "trở lên", "đến năm"), else a reported figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import fold
from .collect import Collector
from .gazetteer import alternation, few_needed, lexicon, needing, tried_at
from .sentence import Analysed

_NUM = r"(?P<n>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_FIGURES = (
    ("rank-group", re.compile(rf"nhóm {_NUM} (?P<unit>tỉnh(?:, thành phố)?|địa phương)[^;.]*?(?:đứng đầu|dẫn đầu|cao nhất)[^;.]*")),
    ("ratio", re.compile(r"(?P<n>\d{1,3})/(?P<of>\d{1,3}) (?P<unit>chỉ tiêu|nhiệm vụ|tiêu chí)")),
    ("count", re.compile(rf"(?<![\d/,.\w])(?:{_NUM}|(?P<w>(?i:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười))) (?P<unit>nhóm chỉ tiêu|chỉ tiêu(?: chủ yếu)?|nhiệm vụ trọng tâm|nhóm nhiệm vụ|nhiệm vụ|đột phá|định hướng|khâu đột phá|trụ cột)(?!\w)")),
    ("achieved", None),
    ("percent", re.compile(rf"(?<![\d/]){_NUM}\s?(?P<unit>%)")),
    ("digits", re.compile(r"(?<!\w)(?P<n>\d|hai|ba) (?P<unit>con số)(?!\w)")),
    ("money", re.compile(rf"(?<![\d/]){_NUM} (?P<unit>nghìn tỷ đồng|nghìn tỉ đồng|tỷ đồng|tỉ đồng|triệu đồng|triệu USD|tỷ USD|tỉ USD|USD)")),
    ("period", re.compile(r"mục tiêu[^;.]{0,80}?(?P<n>(?:19|20)\d\d\s?-\s?(?:19|20)\d\d)")),
    ("deadline", re.compile(r"(?:trước|đến|chậm nhất|hoàn thành trong|hoàn thành trước|xong trong|xong trước|trong)\s+"
                            r"(?:ngày\s+)?(?P<n>[0-3]?\d/[01]?\d/(?:19|20)\d\d|quý [IV]+/(?:19|20)\d\d|tháng [01]?\d[/-](?:19|20)\d\d)")),
    ("effective", re.compile(r"(?:hoạt động|có hiệu lực|vận hành|áp dụng|thực hiện)\s+(?:chính thức\s+)?(?:từ|kể từ)\s+(?:ngày\s+)?"
                             r"(?P<n>[0-3]?\d/[01]?\d/(?:19|20)\d\d)")),
    ("quantity", None),
    # "đến năm 2025 là …, năm 2030 là …": the later year shares the first one's "đến"
    ("vision", re.compile(r"(?:(?:[Đđ]ến|[Tt]ới|vào) năm |(?<=, )năm (?=20\d\d (?:là|trở thành|đạt)\b))(?P<n>20\d\d)")),
    # "phấn đấu tốc độ tăng trưởng đạt mức khá", "thuộc nhóm dẫn đầu cả nước về Chỉ số PII": a target
    # named by a level or a rank, not a figure
    ("level", re.compile(r"(?:đạt|ở|duy trì ở|giữ vững ở) mức (?P<n>khá cao|khá|cao|trung bình khá|tốt|xuất sắc)(?!\w)")),
    ("lead", re.compile(r"(?<!\w)nhóm (?P<n>dẫn đầu|đứng đầu)(?: của)?(?: cả nước| toàn quốc| khu vực| vùng)?(?=\s+(?:về|trong|của)\s)")),
    ("become", re.compile(r"(?:trở thành|trở nên|thành) (?P<n>(?:một |các )?(?:trung tâm|cực|động lực|đô thị|tỉnh|thành phố|vùng|điểm đến|hình mẫu)[^,.;]{3,80})")),
)
_CUE = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|đạt|hoàn thành|xây dựng|giải quyết|hỗ trợ|tạo việc làm|thu hút|trồng|kế hoạch|"
                  r"đến năm|bảo đảm|đảm bảo|tăng|giảm|kéo giảm|khám phá|định hướng|tầm nhìn|nâng|bàn giao|khởi công", re.IGNORECASE)
_NAMED_TARGETS = {"level", "lead"}
_SETS = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|đến năm 20\d\d|quyết tâm|đưa\s", re.IGNORECASE)
_NEEDS_CUE = {"become"}  # a percentage, a counted quantity or a deadline date stands on its own
_AIM = re.compile(r"phấn đấu|mục tiêu|giai đoạn|lộ trình|trở thành|xây dựng|hoàn thành|đưa .{0,40} thành|đạt|chỉ tiêu|bảo đảm|định hướng", re.IGNORECASE)


@lru_cache(maxsize=1)
def _quantity() -> re.Pattern:
    nouns = alternation(lexicon()["counted_nouns"])
    return re.compile(rf"(?<![\d/,.\-–])(?!(?:19|20)\d\d\b){_NUM}\s(?P<unit>(?:triệu |nghìn |vạn )?(?:{nouns}))(?!\w)")
@lru_cache(maxsize=1)
def _achieved() -> re.Pattern:
    """"kết nạp 1.204/1.000 đảng viên", "thu ngân sách 12.500/11.000 tỷ đồng", "71%/65%": a result
    against its plan, the first figure the one reached."""
    nouns = alternation(lexicon()["counted_nouns"])
    plan = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
    return re.compile(rf"(?<![\d/,.]){_NUM}\s?%?/(?:{plan})\s?(?P<unit>%|tỷ đồng|tỉ đồng|triệu đồng|triệu USD|tỷ USD|{nouns})(?!\w)")


_TARGET = re.compile(r"phấn đấu|mục tiêu|đề ra|trở lên|đến năm|kế hoạch|yêu cầu|cần|phải|quyết tâm|nhiệm vụ", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:đạt|ước đạt|đã|tăng|giảm|vươn lên|đứng thứ|dẫn đầu|hoàn thành)\b", re.IGNORECASE)
_DEADLINE = re.compile(r"(?:đến|trước|tới) năm (?P<y>(?:19|20)\d\d)")
_PERIOD = needing(re.compile(r"(?:nhiệm kỳ|giai đoạn|thời kỳ) (?P<p>(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d)"))
_INDICATORS = ("GRDP", "GDP", "tăng trưởng", "thu ngân sách", "ngân sách", "xuất khẩu", "vốn đầu tư", "thu nhập bình quân",
               "tỷ lệ hộ nghèo", "đô thị hóa", "nông thôn mới", "PCI", "PAR Index", "SIPAS", "PAPI")


_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    rule: str
    value: str
    unit: str


_WORDED = {"count", "digits", "level", "lead", "become"}  # the rules that can match where no digit is
_DIGIT = re.compile(r"\d")
# the rules whose match starts with a number's first digit (a look-behind refuses a digit before it)
_AT_NUMBERS = {"percent", "money", "achieved", "quantity"}
_DIGITS = re.compile(r"\d+")
# the words every match of a rule holds one of (a sentence without any is not scanned for it),
# read from its pattern when first asked
_holds = lru_cache(maxsize=None)(few_needed)


def find_figures(text: str) -> list[Figure]:
    out: list[Figure] = []
    digits = _DIGIT.search(text) is not None  # most sentences have none: only the worded rules are tried there
    for rule, rx in _FIGURES:
        if not digits and rule not in _WORDED:
            continue
        rx = rx or (_achieved() if rule == "achieved" else _quantity())
        if (words := _holds(rx)) and not any(w in text for w in words):
            continue
        for m in tried_at(_DIGITS, rx, text) if rule in _AT_NUMBERS else rx.finditer(text):
            if rule not in ("vision", "become") and any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in out):
                continue
            value = m.group("n") or str(_WORDS[m.group("w").lower()])
            out.append(Figure(m.start(), m.end(), rule, value, m.groupdict().get("unit") or ""))
    return sorted(out, key=lambda f: f.start)


def _clause(text: str, start: int, end: int, marks: str = ";:") -> tuple[int, int]:
    """The span between the marks around [start, end); a comma inside a number ("1,2 triệu") is no mark."""
    cuts = [m.start() for m in re.finditer(f"[{re.escape(marks)}]", text) if not _in_number(text, m.start())]
    left = max([i for i in cuts if i < start] or [-1])
    right = min([i for i in cuts if i >= end] or [len(text)])
    return left + 1, right


def _in_number(text: str, i: int) -> bool:
    return text[i] in ",." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _goal_span(text: str, fig: Figure, figures: list[Figure]) -> tuple[int, int]:
    """The clause of a figure; the comma-segment when the clause holds other figures too."""
    a, b = _clause(text, fig.start, fig.end)
    if sum(a <= f.start < b for f in figures) > 1:
        a2, b2 = _clause(text, fig.start, fig.end, ";:,")
        return max(a, a2), min(b, max(b2, fig.end))
    return a, b


def _value(fig: Figure) -> tuple[str, str]:
    if fig.rule in ("period", "deadline", "become", "effective", "level", "lead"):
        return fig.value.replace(" ", "") if fig.rule == "period" else fig.value, "string"
    if fig.rule == "vision":
        return fig.value, "gYear"
    raw = str(_WORDS.get(fig.value, fig.value)).replace(".", "").replace(",", ".")
    return (raw, "decimal") if "." in raw else (str(int(raw)), "integer")


def extract_goals(analysed: list[Analysed], col: Collector, doc_in: dict[int, list], source_doc) -> None:
    """Add each figure's goal to `col`, set by a document in its sentence or the source document."""
    for i, an in enumerate(analysed):
        text = an.sent.text
        figures = find_figures(text)
        for fig in figures:
            if fig.rule in _NEEDS_CUE and not _CUE.search(text):
                continue
            if fig.rule in _NAMED_TARGETS and not _SETS.search(text[:fig.start]) and not _under_aim(analysed, i):
                continue  # "tăng trưởng ở mức khá" reported, not aimed at
            if fig.rule == "vision" and not _aimed(text, fig):
                continue
            a, b = _goal_span(text, fig, figures)
            if fig.rule == "vision" and _OPENS_AIM.match(text) and not text[:a].strip():
                b = len(text.rstrip(" ."))  # "Phấn đấu đến năm 2030, tỉnh có …; là trung tâm …": one aim, listed
            clause = text[a:b].strip(" ,")
            key = ("Goal", col.source.id, fold(clause)[:120], fig.value)
            ev = col.evidence(an.sent, a, b, f"goal-{fig.rule}")
            kind = "ReportedFigure" if _REPORTED.search(clause) and not _TARGET.search(clause) else "Target"
            col.entity(key, "Goal", clause[:300], ev, types=(kind,))
            col.literal(key, "text", clause, "string", ev)
            value, dtype = _value(fig)
            if fig.rule == "period":
                col.literal(key, "period", value, "string", ev)
            elif fig.rule in _NAMED_TARGETS:
                pass  # its words are its value
            elif fig.rule in ("vision", "deadline", "become", "effective"):
                if fig.rule == "vision":
                    col.literal(key, "deadline", value, "gYear", ev)
                elif fig.rule in ("deadline", "effective"):
                    _deadline(key, value, col, ev)
            else:
                col.literal(key, "targetValue", value, dtype, ev)
                col.literal(key, "unit", fig.unit, "string", ev)
            _context(key, clause, col, ev, text[slice(*_clause(text, fig.start, fig.end))])
            setter = (doc_in.get(i) or [None])[0] or source_doc
            if setter is not None:
                col.fact(key, "setBy", setter, ev)


_BULLET = re.compile(r"\s*(?:[-+•–]|\d{1,2}[.)]|[a-zđ]\))\s")
_AIM_HEADING = needing(re.compile(r"(?:(?:[Mm]ục tiêu|[Cc]hỉ tiêu|[Pp]hấn đấu)[^:]{0,60}|(?:[Đđ]ến|[Tt]ới) năm 20\d\d)\s*:\s*$"))


def _under_aim(analysed: list[Analysed], i: int) -> bool:
    """An item of a list under a heading that sets aims ("Đến năm 2030:", "Mục tiêu cụ thể:")."""
    j = i
    while j > 0 and _BULLET.match(analysed[j].sent.text) and i - j < 12:
        j -= 1
    return j < i and bool(_AIM_HEADING.search(analysed[j].sent.text))


_OPENS_AIM = re.compile(r"\W*(?:Phấn đấu|Mục tiêu)\b[^;.]{0,20}?(?:đến|tới|vào) năm 20\d\d\s*,", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"(?:Nghị quyết|Kết luận|Chỉ thị|Quy hoạch|Đề án|Chiến lược|Chương trình|Kế hoạch)\b[^;]*\svề\s[^;]*$")


def _aimed(text: str, fig: Figure) -> bool:
    """"đến năm 2030" sets a goal when the clause aims at something, not inside a document's
    title ("Nghị quyết … về … đến năm 2030") nor in "tầm nhìn đến năm 2045"."""
    before = text[text.rfind(";", 0, fig.start) + 1:fig.start]
    if re.search(r"(?:tầm nhìn|định hướng)\s*$", before) or _TITLE_WORDS.search(before):
        return False
    if not before.strip(" -–•*"):  # "Đến năm 2035 là tỉnh có thu nhập cao": a sentence that opens on its year
        return bool(re.match(r"\s*,?\s*[^;.]{0,60}?\b(?:là|trở thành|đạt|hoàn thành|có)\b", text[fig.end:]))
    return bool(_AIM.search(before))


def _deadline(key, value: str, col: Collector, ev) -> None:
    m = re.fullmatch(r"([0-3]?\d)/([01]?\d)/(\d{4})", value)
    if m:
        col.literal(key, "deadline", f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", "date", ev)
    else:
        col.literal(key, "deadline", value[-4:], "gYear", ev)


def _context(key, clause: str, col: Collector, ev, whole: str = "") -> None:
    """Deadline, period and indicator of a goal from its clause; a deadline also from the
    whole clause its comma-segment belongs to ("tầm nhìn đến năm 2045 …, trở thành …")."""
    d = _DEADLINE.search(clause) or _DEADLINE.search(whole)
    if d:
        col.literal(key, "deadline", d.group("y"), "gYear", ev)
    p = _PERIOD.search(clause)
    if p:
        col.literal(key, "period", re.sub(r"\s?[-–]\s?", "-", p.group("p")), "string", ev)
    for w in _INDICATORS:
        if w.lower() in clause.lower():
            col.literal(key, "indicator", w, "string", ev)
            break
