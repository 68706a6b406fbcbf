"""A source that is itself a document: its heading, number, issuer and signature block.

"NGHỊ QUYẾT CỦA BAN THƯỜNG VỤ TỈNH ỦY về …" at the top, "Số 123-KL/TU", and at the foot
"T/M TỈNH ỦY / BÍ THƯ / Name" (or "KT. BÍ THƯ / PHÓ BÍ THƯ / Name"). The document gets a label
qualified with the province, its kind, issuer, signer (who holds the signing post), and it
cites every document its text names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer as gz
from .bodies import BodyRef, Scope, central, match_body, provincial
from .numbers import PARTY, STATE

_SIGNATURE = re.compile(
    r"^(?:T/M|TM\.?|T\.M\.?|THAY MẶT)\s+(?P<body>[^\n]+)\n+(?:(?:KT\.?|K/T)\s*[^\n]+\n+)?(?P<role>[^\n]+)\n+"
    r"(?:\(?(?:[Đđ]ã ký|ĐÃ KÝ|[Kk]ý tên|Ký)[^\n]*\n+)?(?P<name>[^\n]+)\s*$",
    re.MULTILINE)
_NUMBER_LINE = re.compile(r"(?:^|\s)Số\s*:?\s*(?P<n>\d[^\s,]*)", re.MULTILINE)


@dataclass(frozen=True)
class Signature:
    start: int
    end: int
    body: BodyRef
    role: str
    name: str


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    kind: str  # vnkg class
    label: str
    issuer: BodyRef | None
    number: str | None
    issued: object = None  # datetime.date


def signature(text: str, scope: Scope) -> Signature | None:
    """The signature block at the foot of a document text, if there is one."""
    found = None
    for m in _SIGNATURE.finditer(text):
        found = m
    if found is None:
        return None
    body = caps_body(found.group("body"), scope)
    role = _caps_role(found.group("role"))
    name = _name(found.group("name"))
    if body is None or role is None or name is None:
        return None
    if "Bí thư" in role and body.label.startswith("Ban Thường vụ") and body.parent is not None:
        body = body.parent  # the secretaries who sign for the standing committee are the committee's
    return Signature(found.start(), found.end(), body, role, name)


def caps_body(line: str, scope: Scope) -> BodyRef | None:
    """A body from an upper-case line ("TỈNH ỦY", "BAN THƯỜNG VỤ", "BỘ CHÍNH TRỊ"), also with its
    province's name ("HỘI ĐỒNG NHÂN DÂN TỈNH X", "TỈNH ỦY X")."""
    key = gz.body_key(line)
    named = _province_named(key)
    if named is not None:
        key, province = named
        scope = Scope(scope.source_id, province)
    for t in gz.templates():
        for head in t.heads:
            h = gz.fold(head)
            if key == h or key + " tinh uy" == h or key + " tinh" == h:
                return provincial(head, scope.province, scope)
    return central(gz.central_by_label(line))


def _province_named(key: str):
    """A folded body name that ends with a province's name: the name without it, and the province."""
    words = key.split()
    for n in (3, 2, 1):
        if len(words) > n + 1 and (province := gz.province_by_fold(" ".join(words[-n:]))) is not None:
            rest = " ".join(words[:-n])
            return re.sub(r" (?:tinh|thanh pho)$", "", rest), province
    return None


def _caps_role(line: str) -> str | None:
    key = gz.fold(line)
    roles = sorted(gz.lexicon()["roles"], key=len, reverse=True)
    return next((r for r in roles if gz.fold(r) == key), None)


def _name(line: str) -> str | None:
    words = line.split()
    if not 2 <= len(words) <= 5 or not all(w[0].isupper() for w in words):
        return None
    return " ".join(w if not w.isupper() else w[0] + w[1:].lower() for w in words)


def heading(text: str, scope: Scope, title: str | None) -> Heading | None:
    """The document heading near the top: the issuer block ("TỈNH ỦY BẾN TRE"), "Số …", the
    place and date line, and the kind line ("THÔNG BÁO", "KẾT LUẬN CỦA …", "về …"); failing
    that, a sidecar title that names a document kind."""
    lines = _top_lines(text)
    for i, (start, line) in enumerate(lines):
        if not _kind_line(line):
            continue
        after = [l for _, l in lines[i + 1:i + 6]]
        while after and not after[0] and len(line.split()) <= 4:  # "KẾ HOẠCH", a blank line, "thực hiện …"
            after.pop(0)
        block = [line] + after[:5]
        block = block[:next((k for k, l in enumerate(block) if k and (not l or _enacting(l) or k > 3 and not l.isupper())),
                            len(block))]
        found = _parse_heading(" ".join(block), scope, caps_only=True)
        if found is not None:
            kind, label, issuer = found
            if issuer is None:
                issuer = _header_issuer([l for _, l in lines[:i]], scope)
                issuer = _enacting_organ(text, issuer, scope) or issuer
                label = _with_issuer(label, issuer)
            return Heading(start, start + len(line), kind, label, issuer, _number(text), _issued(lines[:i]))
    subject = _subject_heading(text, lines, scope)
    if subject is not None:
        return subject
    if title:
        found = _parse_heading(title, scope, caps_only=False)
        if found is not None:
            return Heading(0, 0, found[0], found[1], found[2], _number(text), _issued(lines))
    return None


_ENACTS = re.compile(r"(?:^|\n|[.;:]\s)(?P<who>[^\n.;:,]{3,60}?)\s+(?:đã\s+)?ban hành\s+[^\n.;]{2,60}?\s+(?:như sau|với (?:những|các) nội dung)")


def _enacting_organ(text: str, header: BodyRef | None, scope: Scope) -> BodyRef | None:
    """"TỈNH ỦY X" heads the page, and the text says "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch thực
    hiện như sau": the document is the organ's that the text says enacts it, when that organ is
    part of the body in the header."""
    if header is None:
        return None
    m = _ENACTS.search(text[:5000])
    if m is None:
        return None
    organ = match_body(m.group("who").strip(), scope)
    return organ if organ is not None and organ.parent is not None and organ.parent.key == header.key else None


def _subject_heading(text: str, lines: list[tuple[int, str]], scope: Scope) -> Heading | None:
    """A heading whose kind line is lost (a page that kept "Số: 44/NQ-HĐND", the place and date,
    and "VỀ KẾ HOẠCH …" but not "NGHỊ QUYẾT"): the kind its number's code says, the subject line,
    the issuer of the block above or the enacting line below ("HỘI ĐỒNG NHÂN DÂN TỈNH X")."""
    number = _number(text)
    code = re.search(r"(?:/|-)(?P<code>[A-ZĐ]+)(?:[-/]|$)", number or "")
    kind = next((w for w, (c, _k) in gz.lexicon()["document_kinds"].items() if code and c and c == code.group("code")), None)
    if kind is None:
        return None
    numbered = next((i for i, (_, l) in enumerate(lines) if _NUMBER_LINE.match(l)), None)
    if numbered is None:
        return None
    for i in range(numbered + 1, min(numbered + 4, len(lines))):
        start, line = lines[i]
        if not (line.startswith(("VỀ ", "V/v ", "V/V ")) and line.isupper()):
            continue
        block = [line] + [l for _, l in lines[i + 1:i + 3]]
        block = block[:next((k for k, l in enumerate(block) if k and (not l or _enacting(l) or not l.isupper())), len(block))]
        found = _parse_heading(kind.upper() + " " + " ".join(block), scope, caps_only=True)
        if found is None:
            return None
        kind_class, label, issuer = found
        issuer = issuer or _header_issuer([l for _, l in lines[:numbered]], scope)
        if issuer is None:
            below = lines[i + len(block)][1] if i + len(block) < len(lines) else ""
            issuer = caps_body(below, scope) if below.isupper() else None
        return Heading(start, start + len(line), kind_class, _with_issuer(label, issuer), issuer, number,
                       _issued(lines[:i]))
    return None


# the line under a title that says who enacts it ("HỘI ĐỒNG NHÂN DÂN TỈNH X", "KHÓA X, KỲ HỌP THỨ N",
# "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"), or where the text begins ("Căn cứ …"): the title ends before it
_ENACTING = re.compile(r"(?:HỘI ĐỒNG NHÂN DÂN|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|"
                       r"BAN THƯỜNG VỤ|BAN CHẤP HÀNH|QUỐC HỘI|CHÍNH PHỦ|KHÓA [IVXLC]+|KHOÁ [IVXLC]+|Căn cứ|Xét)\b")


def _enacting(line: str) -> bool:
    return bool(_ENACTING.match(line)) and (line.isupper() or line.startswith(("Căn cứ", "Xét")))


def _top_lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in text[:1500].split("\n")[:24]:
        # markdown marks of a copied page ("# KẾ HOẠCH", "## thực hiện …", "**…**") are not words
        out.append((pos, " ".join(re.sub(r"^\s*#+\s*", "", raw).replace("*", " ").split())))
        pos += len(raw) + 1
    return out


def _kind_line(line: str) -> bool:
    head = line.split(" về ")[0]
    words = [w for w, _ in gz.lexicon()["document_kinds"].items()]
    return bool(line) and line[:1].isupper() and line.split()[0].isupper() and any(
        gz.fold(head).startswith(gz.fold(w)) for w in words) and not line.startswith(("Số", "SỐ"))


def _header_issuer(lines: list[str], scope: Scope) -> BodyRef | None:
    """The issuer block above the number: "TỈNH ỦY BẾN TRE", "TỈNH UỶ SÓC TRĂNG / BAN THƯỜNG VỤ"."""
    caps = []
    for line in lines:
        left = re.split(r"\s{2,}|ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI", line)[0].strip(" *")
        if left.startswith(("Số", "SỐ")):
            break
        if left and left.isupper():
            caps.append(left)
    if not caps:
        return None
    body = caps_body(caps[0], scope) or _broken_block(lines, scope)
    if len(caps) > 1 and body is not None:
        sub = caps_body(caps[1] + " " + caps[0].split()[0] + " " + caps[0].split()[1], scope) if len(caps[0].split()) > 1 else None
        return sub or body
    return body


def _broken_block(lines: list[str], scope: Scope) -> BodyRef | None:
    """An issuer block broken over lines by a table's cells ("HỘI" / "ĐỒNG NHÂN DÂN" / "TỈNH X"):
    the upper-case lines up to the first blank or rule, read as one."""
    words = []
    for line in lines:
        if not line or not line.isupper() or line.startswith(("CỘNG", "ĐẢNG CỘNG SẢN")):
            break
        words.append(line)
    return caps_body(" ".join(words), scope) if len(words) > 1 else None


_ISSUED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def _issued(lines: list[tuple[int, str]]):
    import datetime as dt
    for _, line in lines:
        m = _ISSUED.search(line)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
    return None


def _parse_heading(line: str, scope: Scope, caps_only: bool):
    line = " ".join(line.split())
    for word, (_code, kind) in sorted(gz.lexicon()["document_kinds"].items(), key=lambda kv: -len(kv[0])):
        n = len(word)
        head = line[:n]
        if gz.fold(head) != gz.fold(word) or (caps_only and not head.isupper()):
            continue
        rest = line[n:].strip()
        issuer, rest = _issuer_phrase(rest, scope)
        label = word + (f" của {_issuer_words(issuer, rest)}" if issuer else "") + (f" {rest}" if rest else "")
        return kind, " ".join(label.split()), issuer
    return None


def _issuer_phrase(rest: str, scope: Scope) -> tuple[BodyRef | None, str]:
    m = re.match(r"(?:của|CỦA)\s+", rest)
    if not m:
        return None, rest
    about = re.search(r"\s(?:về|VỀ|thực hiện|THỰC HIỆN)\s", rest[m.end():])
    stop = m.end() + about.start() if about else len(rest)
    if rest[m.end():stop].isupper():
        stop = next((i for i in range(m.end(), len(rest)) if rest[i].islower()), len(rest))
    who = rest[m.end():stop].strip()
    body = caps_body(who, scope) if who.isupper() else match_body(who, scope)
    return body, rest[stop:].strip()


def _number(text: str) -> str | None:
    m = _NUMBER_LINE.search(text[:600])
    if not m:
        return None
    n = PARTY.match(m.group("n")) or STATE.match(m.group("n"))
    return m.group("n") if n else None


def _issuer_words(issuer: BodyRef, rest: str) -> str:
    """How a heading names its issuer: "Ban Chấp hành Đảng bộ tỉnh X" where that is the body's
    formal name, else its label."""
    for alt in issuer.alt_labels:
        if alt.startswith("Ban Chấp hành"):
            return alt
    return issuer.label


def _with_issuer(label: str, issuer: BodyRef | None) -> str:
    """"KẾ HOẠCH THỰC HIỆN …" under the block "ỦY BAN NHÂN DÂN / TỈNH LAI CHÂU": "Kế hoạch của Ủy ban
    nhân dân tỉnh Lai Châu THỰC HIỆN …" — the label says whose the document is, as references to
    it do."""
    if issuer is None:
        return label
    for word in sorted(gz.lexicon()["document_kinds"], key=len, reverse=True):
        if gz.fold(label).startswith(gz.fold(word)):
            return f"{label[:len(word)]} của {_issuer_words(issuer, '')}{label[len(word):]}"
    return label


def with_number(label: str, number: str) -> str:
    """"Chỉ thị của Ban Thường vụ …" → "Chỉ thị số 48-CT/TU của Ban Thường vụ …"."""
    for word in sorted(gz.lexicon()["document_kinds"], key=len, reverse=True):
        if gz.fold(label).startswith(gz.fold(word)):
            return f"{label[:len(word)]} số {number}{label[len(word):]}"
    return f"{label} (số {number})"
