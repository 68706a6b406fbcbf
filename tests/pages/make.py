"""Write the page corpus: saved web pages, PDFs and Word files made from the dev-set articles.

    python tests/pages/make.py [--out DIR] [--only html,mhtml,pdf,docx,bad]

Writes into tests/pages/ (or DIR): html/*.html, mhtml/*.mhtml, pdf/*.pdf, docx/*.docx, bad/*,
text/<kind>/NAME.txt (the text a good reader returns for each file) and manifest.json (last,
atomically). Same bytes on every run: no clock, seeded choices, fixed dates in PDF and DOCX
metadata. PDF and DOCX need reportlab and python-docx (generation only; the files are committed).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import unicodedata
import zlib
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `pages` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pages import article as A  # noqa: E402
from pages.html_pages import render  # noqa: E402
from pages.html_parts import slug, when  # noqa: E402
from pages.mhtml import mhtml  # noqa: E402
from pages.record import Made  # noqa: E402

HERE = Path(__file__).resolve().parent
KINDS = ("html", "mhtml", "pdf", "docx", "bad")
MHTML = {"005_thaibinh_hdnd_ky_hop_thu_4": "quoted-printable", "013_toan_quoc_quan_triet_nghi_quyet_tw6": "base64",
         "021_cantho_hdnd_sau_hop_nhat": "quoted-printable"}
NO_CHARSET = {"017_khanhhoa_chu_tich_nuoc_tham_bo_chqs"}  # saved without any charset declaration
EXTRA_TITLES = ["Bí thư Tỉnh ủy tiếp công dân định kỳ tháng 9", "Hội nghị trực tuyến toàn quốc về chuyển đổi số",
                "Tổng kết 20 năm thực hiện Nghị quyết Trung ương 7 khóa IX", "Khởi công cầu vượt sông tại trung tâm tỉnh",
                "Kỳ thi tốt nghiệp THPT diễn ra an toàn, nghiêm túc", "Giá lúa tăng, nông dân phấn khởi"]


def load_all() -> tuple[list[A.Article], dict]:
    facts = A.load_facts()
    sites = json.loads((HERE / "sites.json").read_text(encoding="utf-8"))["sites"]
    return [A.load(name, facts) for name in A.names()], sites


def site_for(article: A.Article, sites: dict) -> dict:
    name = article.facts["publisher"]
    return {**sites[name], "name": name}


def page_url(article: A.Article, site: dict) -> str:
    if article.facts.get("url"):
        return article.facts["url"]
    ident = zlib.crc32(article.name.encode()) % 900000 + 100000
    s, section = slug(article.title)[:90], slug(article.facts["section"])
    return {"provincial": f"https://{site['host']}/{section}/{s}-{ident}.html",
            "daily": f"https://{site['host']}/{s}-post{ident}.html",
            "agency": f"https://{site['host']}/{section}/{s}-{ident}.htm",
            "portal": f"https://{site['host']}/Pages/chi-tiet-tin.aspx?ItemID={ident}&l=TinTuc",
            "journal": f"https://www.{site['host']}/web/guest/{section}/-/{when(article):%Y}/{ident}/{s}.aspx",
            }[article.facts["template"]]


def page_notes(article: A.Article, index: int) -> list[str]:
    """How this page's bytes differ from plain UTF-8 HTML with <meta charset>: what page_bytes did."""
    notes = ["BOM"] if index % 5 == 2 else []
    notes += ["no charset declared"] if article.name in NO_CHARSET else []
    notes += ["CRLF", "charset in http-equiv"] if article.facts["template"] == "portal" else []
    source = (A.DEVSET / f"{article.name}.txt").read_text(encoding="utf-8")
    return notes + (["NFD letters"] if unicodedata.normalize("NFC", source) != source else [])


def page_bytes(article: A.Article, index: int, html: str) -> bytes:
    """UTF-8, varied the way saved pages vary: a BOM on some, CRLF on portals, one with no charset."""
    if article.name in NO_CHARSET:
        html = html.replace('<meta charset="utf-8">', "")
    if article.facts["template"] == "portal":
        html = html.replace("\n", "\r\n")
    data = html.encode("utf-8")
    return b"\xef\xbb\xbf" + data if index % 5 == 2 else data


def title_pool(articles: list[A.Article]) -> list[str]:
    """Headlines for the 'Tin liên quan' and 'Xem nhiều nhất' boxes."""
    return [a.title for a in articles] + EXTRA_TITLES


def html_files(articles: list[A.Article], sites: dict) -> list[Made]:
    pool = title_pool(articles)
    out = []
    for index, article in enumerate(articles):
        site = site_for(article, sites)
        url = page_url(article, site)
        page = render(article, site, url, pool)
        data = page_bytes(article, index, page.html)
        entry = {"template": article.facts["template"], "article": article.source,
                 "notes": page_notes(article, index), "expect": page.expect}
        out.append(Made(f"html/{article.name}.html", data, {"kind": "html", **entry}, page.text))
        if article.name in MHTML:
            saved = mhtml(data, url, f"{article.meta_title} - {site['name']}", when(article), MHTML[article.name])
            out.append(Made(f"mhtml/{article.name}.mhtml", saved, {"kind": "mhtml", **entry}, page.text))
    return out


def doc_files(articles: list[A.Article], sites: dict, kinds: set[str]) -> list[Made]:
    from pages import documents  # needs reportlab and python-docx

    pool = title_pool(articles)
    out = []
    for article in articles:
        site = site_for(article, sites)
        if "pdf" in kinds and article.facts.get("pdf"):
            out.append(documents.pdf_made(article, site, page_url(article, site), pool))
        if "docx" in kinds and article.facts.get("docx"):
            out.append(documents.docx_made(article, site))
    return out


def bad_files(articles: list[A.Article], sites: dict) -> list[Made]:
    from pages import bad  # needs reportlab

    return bad.files(articles, sites)


def make(kinds: set[str] = set(KINDS)) -> list[Made]:
    articles, sites = load_all()
    made: list[Made] = []
    if kinds & {"html", "mhtml"}:
        made += [m for m in html_files(articles, sites) if m.entry["kind"] in kinds]
    if kinds & {"pdf", "docx"}:
        made += doc_files(articles, sites, kinds)
    if "bad" in kinds:
        made += bad_files(articles, sites)
    return made


def text_path(file: str) -> str:
    return "text/" + file.rsplit(".", 1)[0] + ".txt"


def manifest(made: list[Made], previous: dict | None = None) -> dict:
    """The manifest: entries for the files made now, and those of other kinds kept from before."""
    good = [m for m in made if not m.file.startswith("bad/")]
    hostile = [m for m in made if m.file.startswith("bad/")]
    old = previous or {"files": [], "bad": []}
    remade = {m.entry["kind"] for m in good}
    files = [e for e in old["files"] if e["kind"] not in remade]
    files += [{"file": m.file, **m.entry, "expect": _nfc(m.entry["expect"]), "text": text_path(m.file)} for m in good]
    bad = [{"file": m.file, **m.entry} for m in hostile] if hostile else old["bad"]
    return {"about": "tests/pages: see make.py and measure.py", "files": sorted(files, key=lambda e: e["file"]),
            "bad": sorted(bad, key=lambda e: e["file"])}


def _nfc(expect: dict) -> dict:
    """Expected metadata in NFC, whatever form the file writes it in (measure.py compares after NFC too)."""
    return {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in expect.items()}


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write(made: list[Made], out: Path) -> dict:
    for m in made:
        write_atomic(out / m.file, m.data)
        if m.text is not None:
            write_atomic(out / text_path(m.file), m.text.encode("utf-8"))
    path = out / "manifest.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    data = manifest(made, previous)
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: tests/pages)")
    parser.add_argument("--only", default=",".join(KINDS), help="comma-separated kinds to make")
    args = parser.parse_args(argv)
    kinds = {k.strip() for k in args.only.split(",") if k.strip()}
    unknown = kinds - set(KINDS)
    if unknown:
        parser.error(f"unknown kind(s) {sorted(unknown)}; choose from {', '.join(KINDS)}")
    data = write(make(kinds), args.out)
    counts = {k: sum(e["kind"] == k for e in data["files"]) for k in KINDS[:4]}
    print(f"wrote {counts} and {len(data['bad'])} bad file(s) into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
