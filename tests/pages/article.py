"""One dev-set article taken apart into the pieces a page, a PDF or a Word file is made of.

Takes `tests/devset/NAME.txt`, its sidecar and the curated facts in `facts.json`; returns an
:class:`Article`: title, lead, body blocks (paragraphs, captions, tables), byline, related
titles, and for an official document its letterhead, heading, recipients and signature.
Some dev-set texts were themselves cut from web pages ("Chia sẻ", "Tin liên quan", Markdown
emphasis, a date glued to the lead): that furniture is taken out here, so that a rendered
page puts it back where a real site has it, outside the article. Characters are kept as the
text has them (NFD letters, no-break spaces): a reader meets them on real pages too.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEVSET = ROOT / "tests" / "devset"

FURNITURE = {"Chia sẻ", "Phản hồi", "Xem nhiều nhất", "Bình luận"}
LIST_HEADS = {"Tin liên quan", "Xem thêm", "Tin cùng chuyên mục"}
DATE_LINE = re.compile(r"^(Thứ \w+|Chủ nhật|THỨ \w+|CHỦ NHẬT), \d{1,2}/\d{1,2}/\d{4}\W+\d{1,2}:\d{2}$")
SECTION_LINE = re.compile(r"^[^.]{2,40}( > | \| )[^.]{2,40}$")
PLACE_DATE = re.compile(r"^\S.*, ngày \d{1,2} tháng \d{1,2} năm \d{4}$")


@dataclass(frozen=True)
class Block:
    """One piece of an article body: a paragraph, a figure caption or a table."""

    kind: str  # "p", "caption", "table"
    text: str = ""  # Markdown **bold** kept; see plain() and inline_html
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Letter:
    """The parts of an official document around its body."""

    issuer: tuple[str, ...]  # "TỈNH ỦY BẾN TRE", maybe "BAN THƯỜNG VỤ", "*"
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    number: str  # "Số 908-TB/TU"
    place_date: str  # "Bến Tre, ngày 24 tháng 8 năm 2022"
    heading: tuple[str, ...]  # "THÔNG BÁO", "KẾT LUẬN …", "về …"
    recipients: tuple[str, ...]  # "Nơi nhận:", "- …"
    signature: tuple[str, ...]  # "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(Đã ký)", name


@dataclass(frozen=True)
class Article:
    name: str
    source: str  # "tests/devset/NAME.txt"
    title: str  # the headline as the article prints it
    meta_title: str  # as the site's metadata states it: the sidecar's title when it has one
    lead: str
    blocks: tuple[Block, ...]
    byline: str | None  # as the article prints it: "Bài, ảnh: Thu Trang"
    author: str | None  # the name alone: "Thu Trang"
    related: tuple[str, ...]  # titles the source listed under "Tin liên quan"
    letter: Letter | None
    facts: dict  # facts.json entry merged over the sidecar: template, publisher, published, …


def plain(text: str) -> str:
    """The text without Markdown emphasis marks."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def load_facts() -> dict:
    return json.loads((HERE / "facts.json").read_text(encoding="utf-8"))


def names() -> list[str]:
    return sorted(p.stem for p in DEVSET.glob("*.txt"))


def load(name: str, facts: dict | None = None) -> Article:
    facts = load_facts() if facts is None else facts
    meta_path = DEVSET / f"{name}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    merged = {**meta, **facts[name]}
    text = _apply_fixes((DEVSET / f"{name}.txt").read_text(encoding="utf-8"), merged.get("fixes", []))
    paras = [p for p in (_para(chunk) for chunk in re.split(r"\n\s*\n", text)) if p]
    if merged.get("document"):
        return _document(name, paras, merged)
    return _news(name, paras, merged)


def _apply_fixes(text: str, fixes: list[list[str]]) -> str:
    for old, new in fixes:
        for form in ("NFC", "NFD"):
            o, n = unicodedata.normalize(form, old), unicodedata.normalize(form, new)
            if o in text:
                text = text.replace(o, n)
                break
        else:
            raise ValueError(f"fix {old!r} not found")
    return text


def _para(chunk: str) -> list[str]:
    return [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]


def _news(name: str, paras: list[list[str]], facts: dict) -> Article:
    related: list[str] = []
    kept: list[list[str]] = []
    for lines in paras:
        head = _nfc(plain(lines[0]).strip())
        if head in LIST_HEADS:
            related += [line[2:].strip() for line in lines[1:] if line.startswith("- ")]
        elif head in FURNITURE or DATE_LINE.match(head) or (not kept and SECTION_LINE.match(head)):
            continue
        elif lines[0].startswith("|"):
            kept.append(lines)
        else:
            kept.extend([line] for line in lines)
    title = _unmark(" ".join(kept[0]))
    lead = _unmark(" ".join(kept[1]))
    byline, author = _byline(kept[-1])
    body = kept[2:-1] if byline else kept[2:]
    return Article(name, f"tests/devset/{name}.txt", title, facts.get("title", title), lead, _blocks(body),
                   byline, facts.get("author", author), tuple(related), None, facts)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _unmark(line: str) -> str:
    line = re.sub(r"^#+\s*", "", line.strip())
    if line.startswith("**") and line.endswith("**") and line.count("**") == 2:
        return line[2:-2]
    if re.fullmatch(r"\*[^*].*[^*]\*", line):
        return line[1:-1]
    return line


def _byline(lines: list[str]) -> tuple[str | None, str | None]:
    line = lines[0] if len(lines) == 1 else ""
    if not line or len(line) > 40 or line.endswith(".") or re.search(r"\d", line):
        return None, None
    name = re.sub(r"^(Bài(, ảnh)?|Bài và ảnh|Nhóm PV)\s*:\s*", "", _nfc(line))
    name = re.sub(r"\s*\((TTXVN|PV)\)$", "", name)
    return line, unicodedata.normalize("NFC", name).replace("\xa0", " ")


def _blocks(paras: list[list[str]]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for lines in paras:
        line = " ".join(lines)
        if lines[0].startswith("|"):
            rows = [tuple(c.strip() for c in row.strip("|").split("|")) for row in lines]
            blocks.append(Block("table", rows=tuple(r for r in rows if not set("".join(r)) <= {"-", ":"})))
        elif re.fullmatch(r"\*[^*].*[^*]\*", line) or (len(line) < 120 and "Ảnh:" in _nfc(line)):
            blocks.append(Block("caption", _unmark(line)))
        elif blocks and blocks[-1].kind == "caption" and _nfc(blocks[-1].text).startswith(_nfc(line).rstrip(".")):
            continue  # the image's alt text, printed again under it by the copy
        else:
            blocks.append(Block("p", line))
    return tuple(blocks)


def _document(name: str, paras: list[list[str]], facts: dict) -> Article:
    head, heading, rest = paras[0], paras[1], paras[2:]
    left, right = _columns(head)
    issuer = tuple(x for x in left if not x.startswith("Số "))
    number = next(x for x in left if x.startswith("Số "))
    party = next(x for x in right if "CỘNG SẢN" in x)
    place_date = next(x for x in right if PLACE_DATE.match(x))
    recip_at = next(i for i, p in enumerate(rest) if p[0].startswith("Nơi nhận"))
    body = [line for p in rest[:recip_at] for line in p]
    signature = tuple(line for p in rest[recip_at + 1:] for line in p)
    letter = Letter(issuer, party, number, place_date, tuple(heading), tuple(rest[recip_at]), signature)
    author = facts.get("author", signature[-1] if signature else None)
    return Article(name, f"tests/devset/{name}.txt", facts["title"], facts["title"], "", tuple(Block("p", b) for b in body),
                   None, author, (), letter, facts)


def _columns(lines: list[str]) -> tuple[list[str], list[str]]:
    """Left and right column of a letterhead, whether the text put them side by side or one after the other."""
    left: list[str] = []
    right: list[str] = []
    for line in lines:
        parts = re.split(r"\s{3,}", line.strip())
        if len(parts) == 2:
            left.append(parts[0])
            right.append(parts[1])
        elif "CỘNG SẢN" in line or PLACE_DATE.match(line.strip()):
            right.append(line.strip())
        else:
            left.append(line.strip())
    return left, right


def document_lines(article: Article) -> list[str]:
    """An official document's text in reading order: letterhead row by row, heading, body, recipients, signature."""
    letter = article.letter
    assert letter is not None
    return [*letter.issuer, letter.party, letter.number, letter.place_date, *letter.heading,
            *(plain(b.text) for b in article.blocks), *letter.recipients, *letter.signature]
