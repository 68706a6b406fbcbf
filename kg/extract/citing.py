"""Which document cites which, as the genre says it in one sentence.

* "Kế hoạch số 129-KH/TU … thực hiện Nghị quyết số 11-NQ/TW": the first implements (and so
  cites) the second; also through a quoted title ("Kế hoạch số 77-KH/TU … về việc “Thực hiện
  Kết luận số 14-KL/TW …”") and the reviews of one ("Báo cáo tổng kết 10 năm thực hiện …").
* "Chương trình hành động thực hiện Nghị quyết số 18-NQ/TW …": a document named by what it
  implements, with no number of its own, is a document too; it cites what it implements.
* "Kết luận số 150-KL/TW nêu: … sau khi nghe Báo cáo số 321-BC/VPTW …": a document quoted
  after a colon cites the documents its quoted words say it rests on.

Takes an analysed sentence and the documents found in it (:class:`DocMention`); adds facts to
the collector; returns the documents it adds.
"""
from __future__ import annotations

import re
from itertools import pairwise

from . import gazetteer as gz
from .collect import Collector
from .sentence import Analysed

_DOING = (r"(?:tiếp tục\s+|để\s+|nhằm\s+)?(?:(?:đẩy mạnh|tăng cường|nâng cao hiệu quả)(?:\s+việc)?\s+(?=thực hiện|triển khai))?(?:triển khai thực hiện|tổ chức thực hiện|thực hiện|triển khai|cụ thể hóa|"
          r"quán triệt(?:,?\s*(?:và\s+)?triển khai)?(?:\s+thực hiện)?|sơ kết|tổng kết|đánh giá)")
# between a document and the one it implements: the words that say so, at most a few others
_IMPLEMENTS = re.compile(rf"^\s*,?\s*(?:về việc\s+|về\s+)?[\"“'‘]?\s*(?i:{_DOING})(?:\s+[^\s\"“”.;:]+){{0,6}}?\s+$")
_NAMED_FOR = re.compile(rf"(?P<kind>Chương trình hành động|Chương trình công tác|Chương trình|Kế hoạch hành động|"
                        rf"Kế hoạch|Đề án|Hướng dẫn|Báo cáo|Tờ trình)(?P<by>\s+(?:của|do)\s+[^,.;:()]{{3,60}}?)?"
                        rf"(?P<what>\s+(?i:{_DOING})(?:\s+\d{{1,2}}\s+năm)?(?:\s+(?i:{_DOING}))?\s+)$")
_TYPES = {"Chương trình": "Programme", "Kế hoạch": "Plan", "Đề án": "Scheme", "Hướng dẫn": "Guidance",
          "Báo cáo": "Report", "Tờ trình": "Report"}
_QUOTES = re.compile(r"\s*(?:nêu|nêu rõ|ghi rõ|có đoạn|viết|khẳng định|xác định|kết luận)\s*[:,]")
_RESTS_ON = re.compile(r"(?i:sau khi nghe|sau khi xem xét|căn cứ|trên cơ sở|theo|thực hiện|nghe)\s+(?:[^.;:]{0,40}?\s+)?$")


def cite(an: Analysed, docs: list, col: Collector) -> list:
    """Add what the sentence says cites what; return the documents named by what they implement."""
    added = _named_for(an, docs, col)
    ordered = sorted(docs + added, key=lambda d: d.start)
    for i, (a, b) in enumerate(pairwise(ordered)):
        if a.key != b.key and a.end <= b.start and _IMPLEMENTS.match(an.sent.text[a.end:b.start]):
            _link(an, col, a, b, "document-implements", implements=True)
            _and_the_rest(an, col, a, ordered[i + 1:])
    for a, b in pairwise(ordered):
        if a.key != b.key and a.end <= b.start and _AMENDS.match(an.sent.text[a.end:b.start]):
            _link(an, col, a, b, "document-amends")
    _quoted(an, ordered, col)
    _issued_upon(an, ordered, col)
    return added


# "Nghị định số 58/2023/NĐ-CP … sửa đổi, bổ sung một số điều của Nghị định số 37/2019/NĐ-CP": a
# document that amends, replaces or details another cites it
_AMENDS = re.compile(r"^\s*,?\s*(?:(?:về việc\s+|về\s+|để\s+)?(?:sửa đổi, bổ sung|sửa đổi|bổ sung|thay thế|bãi bỏ|"
                     r"quy định chi tiết(?: thi hành)?|hướng dẫn(?: thi hành)?)(?:\s+(?:một số|các)\s+điều)?(?:\s+của)?)\s+$")


def _and_the_rest(an: Analysed, col: Collector, a, listed: list) -> None:
    """"Kế hoạch số 41/KH-UBND về thực hiện Nghị quyết số 19-NQ/TW … và Kết luận số 12-KL/TU …": a
    list of documents after one verb is implemented as a whole."""
    for prev, c in pairwise(listed):
        if c.key == a.key or prev.end > c.start or not re.fullmatch(r"\s*(?:,|;|và)\s*", an.sent.text[prev.end:c.start]):
            return
        _link(an, col, a, c, "document-implements", implements=True)


_BASIS = re.compile(r"^\W*(?i:trên cơ sở|căn cứ|thực hiện|để triển khai|nhằm cụ thể hóa|quán triệt|triển khai)\b")
_ISSUES = re.compile(r"(?:ban hành|đã ban hành|xây dựng|đã xây dựng)\s+$")


def _issued_upon(an: Analysed, ordered: list, col: Collector) -> None:
    """"Căn cứ Nghị quyết số 57-NQ/TW …, Ban Thường vụ Thành ủy ban hành Kế hoạch về …":
    the document issued cites what the sentence says it rests on."""
    text = an.sent.text
    if not _BASIS.match(text):
        return
    for i, b in enumerate(ordered):
        if _ISSUES.search(text[max(0, b.start - 20):b.start]):
            for a in ordered[:i]:
                if a.key != b.key:
                    col.fact(b.key, "cites", a.key, col.evidence(an.sent, a.start, b.end, "document-issued-upon"))
            return


def _link(an: Analysed, col: Collector, a, b, rule: str, implements: bool = False) -> None:
    ev = col.evidence(an.sent, a.start, b.end, rule)
    if implements:
        col.fact(a.key, "implements", b.key, ev)
    col.fact(a.key, "cites", b.key, ev)


def _named_for(an: Analysed, docs: list, col: Collector) -> list:
    """"Chương trình hành động thực hiện Nghị quyết số 18-NQ/TW …" with no number of its own: a
    document labelled by those words up to the end of what it implements."""
    from .documents import DocMention
    text, out = an.sent.text, []
    for d in sorted(docs, key=lambda d: d.start):
        m = _NAMED_FOR.search(text[max(0, d.start - 140):d.start])
        if m is None:
            continue
        start = max(0, d.start - 140) + m.start()
        if any(o.start <= start < o.end for o in docs):
            continue  # "Kế hoạch số 5-KH/TU thực hiện …": it has its own number
        label = " ".join(text[start:d.end].split())
        kind = next(v for k, v in _TYPES.items() if m.group("kind").startswith(k))
        key = ("Document", "named", "@" + col.source.id, gz.fold(label)[:160])
        ev = col.evidence(an.sent, start, d.end, "document-named-for-what-it-implements")
        col.entity(key, "Document", label, ev, types=(kind,))
        mention = DocMention(start, d.end, key)
        _link(an, col, mention, d, "document-implements", implements=True)
        out.append(mention)
    return out


def _quoted(an: Analysed, ordered: list, col: Collector) -> None:
    """"A nêu: … sau khi nghe B …": A cites B."""
    text = an.sent.text
    for i, a in enumerate(ordered):
        colon = _QUOTES.match(text, a.end)
        if colon is None:
            continue
        for b in ordered[i + 1:]:
            if b.key != a.key and b.start >= colon.end() and _RESTS_ON.search(text[colon.end():b.start]):
                _link(an, col, a, b, "document-quoted")


_DISCIPLINE = re.compile(r"(?i:kỷ luật|khai trừ|cách chức|khiển trách|cảnh cáo)")
# what a disciplinary decision rests on, as the next sentences say: the submission it considered,
# the rule breached, the party's decision its own follows ("tính từ ngày công bố Quyết định số …")
_GROUNDS = re.compile(r"(?i:sau khi xét|xét|căn cứ|vi phạm|tính từ ngày công bố|theo đề nghị (?:tại|của))\b[^.;]{0,80}$")


def discipline_grounds(ans: list[Analysed], found: dict[int, list], col: Collector) -> None:
    """"Tỉnh ủy có Quyết định số 15-QĐ/TU về thi hành kỷ luật ông X. / Sau khi xét Tờ trình số 9-TTr/… /
    … X đã vi phạm … Quy định số 69-QĐ/TW": a disciplinary decision cites the documents the two
    sentences after it give as its grounds, up to the next such decision."""
    current = None
    for i, an in enumerate(ans):
        text = an.sent.text
        for d in found.get(i, []):
            if current is not None and i - current[0] <= 2 and d.key != current[1].key and _GROUNDS.search(text[:d.start]):
                col.fact(current[1].key, "cites", d.key, col.evidence(an.sent, d.start, d.end, "document-discipline-grounds"))
        decision = next((d for d in found.get(i, []) if re.match(r"(?i)quyết định", text[d.start:d.start + 12])
                         and _DISCIPLINE.search(text[d.end:d.end + 200])), None)
        if decision is not None:
            current = (i, decision)

