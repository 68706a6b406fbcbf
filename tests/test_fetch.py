"""`kg fetch` against a web site on loopback (a thread of this test): feeds, pages, robots.txt,
Retry-After, redirects, limits, the record and reruns. Nothing leaves 127.0.0.1."""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import re
import threading
import time
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.errors import InputError
from kg.fetch import feeds, robots
from kg.fetch.cli import main
from kg.fetch.http import FetchError, inflate, retry_after
from kg.fetch.record import NAME, load
from kg.fetch.urls import file_name, normal

CRAWL_DELAY = 0.1
ROBOTS = f"""# test site
User-agent: *
Disallow: /private/
Crawl-delay: {CRAWL_DELAY}

User-agent: vnkg
Disallow: /private/
Disallow: /vnkg-only
Allow: /private/open.html
Crawl-delay: {CRAWL_DELAY}
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LAST_MODIFIED = "Tue, 16 Jul 2024 01:00:00 GMT"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document xmlns:w='urn:w'><w:body>Bí thư</w:body></w:document>")
    return buf.getvalue()


def article(title: str) -> bytes:
    return (f"<!DOCTYPE html><html lang='vi'><head><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>Đồng chí Nguyễn Văn A giữ chức Bí thư Tỉnh ủy.</p></body></html>").encode()


def rss(base: str) -> bytes:
    def item(path: str, title: str = "", day: str = "Tue, 16 Jul 2024 08:00:00 +0700") -> str:
        return (f"<item><title>{title or path}</title><link>{base}{path}</link><pubDate>{day}</pubDate>"
                f"<dc:creator>Phóng viên</dc:creator></item>")
    paths = ["/private/secret.html", "/vnkg-only.html", "/private/open.html", "/busy-once", "/busy-long",
             "/loop-a", "/huge", "/slow", "/bomb", "/image.png", "/report.pdf", "/missing", "/error", "/moved",
             "/moved-private"]
    items = item("/news/a.html", "Bài &lt;b&gt;A&lt;/b&gt;") + "".join(map(item, paths))
    items += "<item><title>elsewhere</title><link>http://localhost:1/news/x.html</link></item>"
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
            f"<channel><title>Báo Thử</title><language>vi</language>{items}</channel></rss>").encode()


def atom() -> bytes:
    entries = "".join(f"<entry><title>{t}</title><link href='{href}'/><published>2024-07-17T23:30:00+07:00</published>"
                      f"<author><name>Ban Biên tập</name></author></entry>"
                      for t, href in (("Bài C", "news/c.html"), ("Bài A lần nữa", "/news/a.html"),
                                      ("Văn bản", "/doc.docx"), ("Nén", "/gzip-page"), ("Tải về", "/download")))
    return (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='vi'>"
            f"<title>Cổng Thử</title>{entries}</feed>").encode()


@functools.cache
def bomb() -> bytes:
    return gzip.compress(b"\0" * (20 * 2**20), 9)  # 20 MiB of zeros in 20 KB


class Site:
    """A loopback web site: fixed routes, and a log of every request (time, path, headers, status)."""

    def __init__(self, robots_txt: str | None = ROBOTS, robots_status: int = 200) -> None:
        self.robots_txt, self.robots_status = robots_txt, robots_status
        self.log: list[dict] = []
        self.busy_once = 0
        self.bomb = bomb()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def paths(self, since: int = 0) -> list[str]:
        return [r["path"] for r in self.log[since:]]

    def _handler(self):
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def send_response(self, code: int, message: str | None = None) -> None:
                self.entry["status"] = code
                super().send_response(code, message)

            def do_GET(self) -> None:
                self.entry = {"t": time.monotonic(), "path": self.path, "headers": dict(self.headers)}
                site.log.append(self.entry)
                try:
                    site.route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as it should on /slow, /huge
        return Handler

    def route(self, h) -> None:
        path = h.path
        if path == "/robots.txt":
            return self.send(h, self.robots_status, (self.robots_txt or "").encode(), "text/plain")
        if path == "/rss.xml":
            return self.send(h, 200, rss(self.base), "application/rss+xml", etag='"rss-1"')
        if path == "/atom.xml":
            return self.send(h, 200, atom(), "application/atom+xml", etag='"atom-1"')
        if path.startswith(("/news/", "/private/")) or path in ("/vnkg-only.html",):
            return self.send(h, 200, article(unquote(path)), "text/html; charset=utf-8", etag=f'"{abs(hash(path))}"',
                             headers={"Content-Language": "vi"})
        if path in ("/loop-a", "/loop-b", "/moved", "/moved-private"):
            to = {"/loop-a": "/loop-b", "/loop-b": "/loop-a", "/moved": "/news/e.html",
                  "/moved-private": "/private/hidden.html"}[path]
            return self.send(h, 302, b"", "text/plain", headers={"Location": to})
        if path == "/busy-once":
            self.busy_once += 1
            if self.busy_once == 1:
                return self.send(h, 429, b"slow down", "text/plain", headers={"Retry-After": "1"})
            return self.send(h, 200, article("busy"), "text/html")
        if path == "/busy-long":
            return self.send(h, 429, b"slow down", "text/plain", headers={"Retry-After": "3600"})
        if path == "/huge":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "5000000000")
            h.end_headers()
            return h.wfile.write(b"<html>" * 100)
        if path == "/slow":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            for _ in range(40):
                h.wfile.write(b"<p>")
                h.wfile.flush()
                time.sleep(0.1)
            return None
        if path == "/endless":  # no Content-Length: the body ends when the connection does
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            for _ in range(64):
                h.wfile.write(b"<p>" * 16384)
            return None
        if path == "/bomb":
            return self.send(h, 200, self.bomb, "text/html", headers={"Content-Encoding": "gzip"})
        if path == "/gzip-page":
            return self.send(h, 200, gzip.compress(article("nén")), "text/html", headers={"Content-Encoding": "gzip"})
        if path == "/image.png":
            return self.send(h, 200, PNG, "image/png")
        if path == "/report.pdf":
            return self.send(h, 200, PDF, "application/pdf", etag='"pdf-1"')
        if path == "/download":
            return self.send(h, 200, PDF, "application/octet-stream")
        if path == "/doc.docx":
            return self.send(h, 200, docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if path == "/error":
            return self.send(h, 500, b"oops", "text/plain")
        return self.send(h, 404, b"no such page", "text/plain")

    @staticmethod
    def send(h, status: int, body: bytes, ctype: str, etag: str | None = None, headers: dict | None = None) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        if etag:
            h.send_header("ETag", etag)
            h.send_header("Last-Modified", LAST_MODIFIED)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)


def kg_fetch(*argv: str) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([*argv, "--no-progress"])
    return code, err.getvalue().splitlines()


def assert_paced(requests: list[dict], gap: float = CRAWL_DELAY) -> None:
    times = sorted(r["t"] for r in requests)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= gap - 0.005, f"two requests {min(gaps):.3f} s apart, under the Crawl-delay of {gap} s"


# --- one site, three runs: first, rerun, --refresh -----------------------------------------------

FAILS = {  # path: (status in the record, the reason its one line gives)
    "/private/secret.html": ("skipped", "forbidden by robots.txt"),
    "/vnkg-only.html": ("skipped", "forbidden by robots.txt"),
    "/busy-long": ("failed", "HTTP 429, Retry-After 3600 s exceeds the cap of 5 s (--max-wait); skipped "
                             "(a rerun tries again)"),
    "/loop-a": ("skipped", "redirect loop: {base}/loop-a → {base}/loop-b → {base}/loop-a"),
    "/huge": ("skipped", "claims 5,000,000,000 bytes, over the limit of 1,048,576 bytes (--max-bytes); not read"),
    "/slow": ("failed", "timed out after 1 s (a rerun tries again)"),
    "/bomb": ("skipped", "gzip body inflates to more than the limit of 1,048,576 bytes (--max-bytes); not inflated "
                         "further ({bomb:,} bytes sent)"),
    "/image.png": ("skipped", "not a page (image/png)"),
    "/missing": ("skipped", "HTTP 404 Not Found"),
    "/error": ("failed", "HTTP 500 Internal Server Error (a rerun tries again)"),
    "/moved-private": ("skipped", "redirected to {base}/private/hidden.html, which robots.txt forbids"),
}
SAVED = {"/news/a.html": ".html", "/news/c.html": ".html", "/news/d.html": ".html", "/private/open.html": ".html",
         "/busy-once": ".html", "/report.pdf": ".pdf", "/moved": ".html", "/doc.docx": ".docx",
         "/gzip-page": ".html", "/download": ".pdf",
         "/news/..%2F..%2F..%2Fetc%2Fpasswd": ".html", "/news/B%C3%AD%20th%C6%B0%20t%E1%BB%89nh%20%E1%BB%A7y.html": ".html"}
NEVER = {"/private/secret.html", "/vnkg-only.html", "/private/hidden.html"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs of one site into one folder: each one's exit code, stderr lines and requests."""
    out = tmp_path_factory.mktemp("fetch") / "pages"
    lists = tmp_path_factory.mktemp("lists")
    with Site() as site:
        (lists / "urls.txt").write_text(
            "# pages to fetch\n\n"
            f"{site.base}/news/..%2F..%2F..%2Fetc%2Fpasswd   # a path that tries to climb out\n"
            f"{site.base}/news/Bí thư tỉnh ủy.html\n", encoding="utf-8")
        args = [f"{site.base}/rss.xml", f"{site.base}/atom.xml", f"{site.base}/news/d.html", f"@{lists / 'urls.txt'}",
                "-o", str(out), "--delay", "0.02", "--timeout", "1", "--max-bytes", "1M", "--max-wait", "5",
                "--same-host"]
        result = {"site": site, "out": out}
        for name, extra in (("first", []), ("rerun", []), ("refresh", ["--refresh"])):
            start = len(site.log)
            code, lines = kg_fetch(*args, *extra)
            result[name] = {"code": code, "lines": lines, "requests": site.log[start:]}
        yield result


def test_nothing_forbidden_by_robots_is_requested(runs):
    asked = {r["path"] for run in ("first", "rerun", "refresh") for r in runs[run]["requests"]}
    assert not asked & NEVER
    assert asked >= set(SAVED) | (set(FAILS) - NEVER)
    assert runs["site"].paths().count("/robots.txt") == 3  # once a run, before anything else
    assert all(run["requests"][0]["path"] == "/robots.txt" for run in (runs["first"], runs["rerun"], runs["refresh"]))


def test_every_request_names_the_crawler_and_asks_for_compression(runs):
    for r in runs["site"].log:
        assert r["headers"]["User-Agent"].startswith("vnkg/0.1.0 (+https://w3id.org/vnkg;")
        assert r["path"] == "/robots.txt" or r["headers"]["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize("path", sorted(FAILS), ids=sorted(FAILS))
def test_each_failure_is_one_clear_line(runs, path):
    base = runs["site"].base
    status, reason = FAILS[path]
    lines = [line for line in runs["first"]["lines"] if line.startswith(f"fetch: {base}{path}: ")]
    assert lines == [f"fetch: {base}{path}: {reason.format(base=base, bomb=len(runs['site'].bomb))}"]
    entries, _ = load(runs["out"] / NAME)
    assert entries[base + path].status == status
    assert entries[base + path].error and entries[base + path].error in lines[0]


def test_the_first_run_saves_every_page_and_says_what_it_did(runs):
    first, base = runs["first"], runs["site"].base
    assert first["code"] == 0  # every URL has an outcome, each failure a stated reason
    assert f"fetch: feed {base}/rss.xml: RSS 'Báo Thử', 17 items, 16 to fetch; 1 on other hosts left out (--same-host)" in first["lines"]
    assert f"fetch: feed {base}/atom.xml: ATOM 'Cổng Thử', 5 items, 4 to fetch" in first["lines"]
    assert re.fullmatch(rf"fetch: 12 saved \(1 DOCX, 9 HTML, 2 PDF\) in {re.escape(str(runs['out']))}; 8 skipped; "
                        r"3 failed \(a rerun tries them again\); 2 feed\(s\) read listing 22 item\(s\); "
                        rf"{len(first['requests'])} request\(s\) to 1 host in \d+\.\d s", first["lines"][-1])
    assert len(first["lines"]) == len(FAILS) + 3  # one line per failure, one per feed, the summary
    entries, damaged = load(runs["out"] / NAME)
    assert damaged == 0
    for path, suffix in SAVED.items():
        entry = entries[base + path]
        assert (entry.status, entry.kind) == ("saved", "page")
        assert entry.file.endswith(suffix) and (runs["out"] / entry.file).is_file()
        assert entry.fetched_at and entry.media_type and entry.bytes == (runs["out"] / entry.file).stat().st_size


def test_the_delay_per_host_is_kept_and_retry_after_honoured(runs):
    for run in ("first", "rerun", "refresh"):
        assert_paced(runs[run]["requests"])
    busy = [r for r in runs["first"]["requests"] if r["path"] == "/busy-once"]
    assert [r["status"] for r in busy] == [429, 200]
    assert busy[1]["t"] - busy[0]["t"] >= 1.0
    times = [r["t"] for r in runs["first"]["requests"]]
    slow = next(i for i, r in enumerate(runs["first"]["requests"]) if r["path"] == "/slow")
    assert times[slow + 1] - times[slow] < 1.0 + CRAWL_DELAY + 0.4  # cut at --timeout 1, though bytes kept coming


def test_the_record_keeps_validators_final_urls_and_feed_items(runs):
    entries, _ = load(runs["out"] / NAME)
    base = runs["site"].base
    a = entries[f"{base}/news/a.html"]
    assert a.etag and a.last_modified == LAST_MODIFIED and a.via == f"{base}/rss.xml"
    assert dict(a.hints) == {"title": "Bài A", "published": "2024-07-16", "author": "Phóng viên",
                             "publisher": "Báo Thử", "language": "vi"}
    assert entries[f"{base}/moved"].final_url == f"{base}/news/e.html"
    feed = entries[f"{base}/atom.xml"]
    assert (feed.kind, feed.status, feed.etag) == ("feed", "read", '"atom-1"')
    assert [i.url for i in feed.items] == [f"{base}{p}" for p in ("/news/c.html", "/news/a.html", "/doc.docx",
                                                                  "/gzip-page", "/download")]
    lines = (runs["out"] / NAME).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["url"] for line in lines] == sorted(entries)  # compacted: one line per URL


def test_sidecars_hold_what_the_feed_and_headers_said(runs):
    entries, _ = load(runs["out"] / NAME)
    base, out = runs["site"].base, runs["out"]

    def sidecar(path: str) -> dict:
        page = out / entries[base + path].file
        return json.loads(page.with_name(page.name.rsplit(".", 1)[0] + ".meta.json").read_text(encoding="utf-8"))

    assert sidecar("/news/a.html") == {"title": "Bài A", "url": f"{base}/news/a.html", "publisher": "Báo Thử",
                                       "published": "2024-07-16", "language": "vi", "author": "Phóng viên"}
    assert sidecar("/news/c.html") == {"title": "Bài C", "url": f"{base}/news/c.html", "publisher": "Cổng Thử",
                                       "published": "2024-07-17", "language": "vi", "author": "Ban Biên tập"}
    assert sidecar("/news/d.html") == {"url": f"{base}/news/d.html", "language": "vi"}  # Content-Language
    assert sidecar("/moved") == {"title": "/moved", "url": f"{base}/news/e.html", "publisher": "Báo Thử",
                                 "published": "2024-07-16", "language": "vi", "author": "Phóng viên"}
    assert (out / entries[f"{base}/gzip-page"].file).read_bytes() == article("nén")  # decoded from gzip
    assert (out / entries[f"{base}/download"].file).read_bytes() == PDF


def test_file_names_are_safe_and_told_apart(runs):
    out = runs["out"]
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files[0] == NAME and not any(".tmp" in f for f in files)
    host = runs["site"].base.split("//")[1].replace(":", "_")
    for f in files[1:]:
        assert re.fullmatch(rf"{re.escape(host)}/[a-z0-9-]+-[0-9a-f]{{10}}\.(html|pdf|docx|meta\.json)", f), f
        assert len(f) < 140
    names = {Path(f).name.rsplit("-", 1)[0] for f in files[1:]}
    assert {"news-etc-passwd", "news-bi-thu-tinh-uy", "news-a", "report", "doc", "download"} <= names
    assert all((out / f).resolve().is_relative_to(out.resolve()) for f in files)


def test_a_rerun_asks_only_for_the_feeds_conditionally_and_what_failed(runs):
    rerun = runs["rerun"]
    asked = [(r["path"], r["status"]) for r in rerun["requests"]]
    assert sorted(asked) == sorted([("/robots.txt", 200), ("/rss.xml", 304), ("/atom.xml", 304),
                                    ("/busy-long", 429), ("/slow", 200), ("/error", 500)])
    assert all(r["headers"].get("If-None-Match") for r in rerun["requests"] if r["path"].endswith(".xml"))
    assert rerun["code"] == 0
    assert "already done by an earlier run" in rerun["lines"][-1] and rerun["lines"][-1].startswith("fetch: 0 saved")


def test_refresh_asks_again_with_validators_and_keeps_unchanged_pages(runs):
    refresh, base = runs["refresh"], runs["site"].base
    by_path = {r["path"]: r for r in refresh["requests"]}
    with_etag = [p for p in SAVED if p not in ("/busy-once", "/moved", "/doc.docx", "/gzip-page", "/download")]
    with_etag.append("/news/e.html")  # where /moved leads
    for path in with_etag:
        assert by_path[path]["headers"]["If-None-Match"] and by_path[path]["status"] == 304, path
        assert by_path[path]["headers"]["If-Modified-Since"] == LAST_MODIFIED
    assert "If-None-Match" not in by_path["/missing"]["headers"]  # skipped before: asked again, plainly
    assert f"{len(with_etag)} unchanged (304)" in refresh["lines"][-1]
    entries, _ = load(runs["out"] / NAME)
    assert entries[f"{base}/news/a.html"].status == "saved" and entries[f"{base}/news/a.html"].error is None


# --- robots.txt that cannot be read, or asks too much; usage; resuming ------------------------------

@pytest.mark.parametrize("status, text, asked, reason", [
    (500, "", ["/robots.txt"], "robots.txt of {base} answered HTTP 500 Internal Server Error; nothing fetched from "
                               "there this run (a rerun tries again)"),
    (200, "User-agent: *\nCrawl-delay: 3600\n", ["/robots.txt"],
     "robots.txt of {base} asks for a Crawl-delay of 3600 s, over the cap of 5 s (--max-wait); nothing fetched from "
     "there (a rerun tries again)"),
    (404, "", ["/robots.txt", "/news/x.html", "/news/y.html"], None),
], ids=["robots-5xx-blocks-the-host", "crawl-delay-over-the-cap", "robots-404-allows-all"])
def test_robots_txt_that_cannot_be_read(tmp_path, status, text, asked, reason):
    with Site(robots_txt=text, robots_status=status) as site:
        urls = [f"{site.base}/news/x.html", f"{site.base}/news/y.html"]
        code, lines = kg_fetch(*urls, "-o", str(tmp_path), "--delay", "0", "--max-wait", "5")
    assert code == 0 and site.paths() == asked  # robots.txt asked once, whatever it said
    if reason:
        assert lines[:2] == [f"fetch: {url}: " + reason.format(base=site.base) for url in urls]
    else:
        assert lines[-1].startswith("fetch: 2 saved (2 HTML)")


def test_a_body_over_the_limit_is_cut_off_while_it_streams(tmp_path):
    with Site() as site:
        code, lines = kg_fetch(f"{site.base}/endless", "-o", str(tmp_path), "--delay", "0", "--max-bytes", "512K")
    assert code == 0 and lines[0] == (f"fetch: {site.base}/endless: sent more than the limit of 524,288 bytes "
                                      "(--max-bytes); cut off")
    assert not list(tmp_path.glob("*/*"))


def test_an_unreachable_host_is_one_line_and_a_failure_to_retry(tmp_path):
    with Site() as site:
        pass  # the port is closed again: nothing listens there
    code, lines = kg_fetch(f"{site.base}/news/x.html", "-o", str(tmp_path), "--delay", "0")
    assert code == 0 and "1 failed (a rerun tries them again)" in lines[-1]
    assert lines[0] == (f"fetch: {site.base}/news/x.html: robots.txt of {site.base} could not be read (connection "
                        f"refused); nothing fetched from there this run (a rerun tries again)")


@pytest.mark.parametrize("argv, message", [
    (["ftp://127.0.0.1/x"], "ftp://127.0.0.1/x: only http and https URLs are fetched, not ftp:"),
    (["127.0.0.1/x"], "127.0.0.1/x: only http and https URLs are fetched, not a URL without a scheme"),
    (["http://user:pw@127.0.0.1/x"], "URL carries a user name or password"),
    (["@/nonexistent/urls.txt"], "/nonexistent/urls.txt: no such list of URLs"),
    (["http://127.0.0.1/x", "--user-agent", "bot\r\nX: 1"], "--user-agent"),
], ids=["ftp", "no-scheme", "credentials", "missing-list", "header-injection"])
def test_usage_errors_exit_2_before_any_request(tmp_path, argv, message):
    code, lines = kg_fetch(*argv, "-o", str(tmp_path / "out"))
    assert code == 2 and len(lines) == 1 and lines[0].startswith("kg fetch: ") and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_an_empty_list_is_a_usage_error(tmp_path):
    (tmp_path / "urls.txt").write_text("# nothing yet\n\n", encoding="utf-8")
    code, lines = kg_fetch(f"@{tmp_path / 'urls.txt'}", "-o", str(tmp_path / "out"))
    assert code == 2 and lines == [f"kg fetch: no URLs to fetch: @{tmp_path / 'urls.txt'} lists none"]


def test_a_bad_line_of_a_list_is_named_by_file_and_line(tmp_path):
    (tmp_path / "urls.txt").write_text("# ok\nhttp://127.0.0.1/a\nmailto:x@y\n", encoding="utf-8")
    code, lines = kg_fetch(f"@{tmp_path / 'urls.txt'}", "-o", str(tmp_path / "out"))
    assert code == 2 and lines == [f"kg fetch: {tmp_path / 'urls.txt'}:3: mailto:x@y: only http and https URLs are "
                                   "fetched, not mailto:"]


def test_max_pages_stops_and_a_rerun_resumes_past_a_torn_record(tmp_path):
    with Site() as site:
        urls = [f"{site.base}/news/{n}.html" for n in range(4)]
        code, lines = kg_fetch(*urls, "-o", str(tmp_path), "--delay", "0.02", "--max-pages", "2")
        assert code == 0 and "2 saved (2 HTML)" in lines[-1] and "2 left for a later run (--max-pages)" in lines[-1]
        with (tmp_path / NAME).open("a", encoding="utf-8") as f:
            f.write('{"url": "http://127.0.0.1/ha')  # a run killed mid-line
        start = len(site.log)
        code, lines = kg_fetch(*urls, "-o", str(tmp_path), "--delay", "0.02")
    assert code == 0 and lines[0].startswith("fetch: 1 damaged line(s)")
    assert "2 saved (2 HTML)" in lines[-1] and "2 already done by an earlier run" in lines[-1]
    assert sorted(site.paths(start)) == ["/news/2.html", "/news/3.html", "/robots.txt"]
    entries, damaged = load(tmp_path / NAME)
    assert damaged == 0 and sorted(entries) == sorted(urls)


# --- the parts alone ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.VN:80/a/b?x=1#top", "http://example.vn/a/b?x=1"),
    ("https://báo.vn/tin tức/Bí-thư", "https://xn--bo-mia.vn/tin%20t%E1%BB%A9c/B%C3%AD-th%C6%B0"),
    ("https://example.vn:8443", "https://example.vn:8443/"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("http://example.vn/%7Ea%20b", "http://example.vn/%7Ea%20b"),
], ids=["case-port-fragment", "idn-and-vietnamese-path", "other-port", "ipv6", "already-encoded"])
def test_urls_are_put_in_one_normal_form(url, expected):
    assert normal(url) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "http://", "http://exa mple.vn/",
                                 "http://example.vn:99999/", "http://u@example.vn/"],
                         ids=["javascript", "file", "no-host", "space-in-host", "bad-port", "user"])
def test_urls_that_are_not_fetched(url):
    with pytest.raises(InputError):
        normal(url)


@pytest.mark.parametrize("url, name", [
    ("http://example.vn/", "example.vn/index-"),
    ("http://example.vn/../../etc/passwd", "example.vn/etc-passwd-"),
    ("http://example.vn:8080/a/%2E%2E%2F%2E%2E/x.php?id=3", "example.vn_8080/a-x-id-3-"),
    ("http://example.vn/tin-t%E1%BB%A9c/B%C3%AD-th%C6%B0.html", "example.vn/tin-tuc-bi-thu-"),
    ("http://[::1]/x", "1/x-"),
], ids=["root", "dot-dot", "encoded-dots-and-port", "vietnamese", "ipv6"])
def test_file_names_are_slugs_with_a_hash(url, name):
    got = file_name(normal(url), ".html")
    assert got.startswith(name) and re.fullmatch(r"[a-z0-9._-]+/[a-z0-9-]+-[0-9a-f]{10}\.html", got)
    assert file_name(normal(url), ".html") == got != file_name(normal(url) + "?other", ".html")


def test_file_names_are_bounded():
    assert len(file_name(normal("http://example.vn/" + "tin-tuc/" * 200), ".html")) < 120


ROBOTS_CASES = [
    ("/private/x", False), ("/private/open.html", True), ("/vnkg-only", False), ("/vnkg-only/deeper", False),
    ("/news/a.html", True), ("/robots.txt", True),
]


@pytest.mark.parametrize("path, allowed", ROBOTS_CASES, ids=[p for p, _ in ROBOTS_CASES])
def test_robots_group_of_the_crawler_longest_match_wins(path, allowed):
    rules = robots.parse(ROBOTS, "vnkg")
    assert rules.allowed(path) is allowed and rules.crawl_delay == CRAWL_DELAY


@pytest.mark.parametrize("text, path, allowed", [
    ("User-agent: *\nDisallow: /*.pdf$\n", "/a/b.pdf", False),
    ("User-agent: *\nDisallow: /*.pdf$\n", "/a/b.pdf?x", True),
    ("User-agent: other\nDisallow: /\n", "/x", True),
    ("User-agent: VNKG/2.0\nDisallow: /\n", "/x", False),
    ("User-agent: a\nUser-agent: vnkg\nDisallow: /x\n", "/x", False),
    ("User-agent: *\nDisallow:\n", "/x", True),
    ("User-agent: *\nDisallow: /a\nAllow: /a\n", "/a", True),
    ("Disallow: /x\n", "/x", True),
], ids=["wildcard-end", "end-anchor", "other-agent", "token-case-version", "grouped-agents", "empty-disallow",
        "allow-wins-a-tie", "rule-outside-a-group"])
def test_robots_rules(text, path, allowed):
    assert robots.parse(text, "vnkg").allowed(path) is allowed


def test_feeds_of_three_kinds_give_links_titles_dates_and_authors():
    rdf = (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
           b"xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
           b"<channel rdf:about='x'><title>RDF</title><dc:language>vi</dc:language></channel>"
           b"<item rdf:about='http://e.vn/1'><title>One</title><link>/one</link><dc:date>2024-01-02</dc:date></item>"
           b"</rdf:RDF>")
    got = feeds.parse(rdf, "http://e.vn/feed")
    assert (got.kind, got.title, got.language) == ("rdf", "RDF", "vi")
    assert got.items == (feeds.Item("http://e.vn/one", "One", "2024-01-02", None),)
    got = feeds.parse(rss("http://e.vn"), "http://e.vn/rss.xml")
    assert got.items[0] == feeds.Item("http://e.vn/news/a.html", "Bài A", "2024-07-16", "Phóng viên")
    got = feeds.parse(atom(), "http://e.vn/feeds/atom.xml")
    assert got.items[0] == feeds.Item("http://e.vn/feeds/news/c.html", "Bài C", "2024-07-17", "Ban Biên tập")
    assert feeds.parse(article("x"), "http://e.vn/") is None
    assert feeds.parse(b"<?xml version='1.0'?><html><body/></html>", "http://e.vn/") is None


@pytest.mark.parametrize("body", [
    b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
    b"<rss><channel><title>&b;</title></channel></rss>",
    b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss><channel>&x;</channel></rss>",
    b"<?xml version='1.0'?><rss><channel><title>unclosed</channel></rss>",
], ids=["entity-expansion", "external-entity", "not-well-formed"])
def test_feeds_refuse_entities_and_broken_xml(body):
    with pytest.raises(feeds.FeedError):
        feeds.parse(body, "http://e.vn/")


def test_inflate_stops_at_the_limit():
    bomb = gzip.compress(b"\0" * 2**20)
    with pytest.raises(FetchError, match="inflates to more than the limit of 1,000 bytes"):
        inflate(bomb, "gzip", 1000)
    assert inflate(zlib.compress(b"abc"), "deflate", 10) == b"abc"
    raw = zlib.compressobj(wbits=-15)
    assert inflate(raw.compress(b"abc") + raw.flush(), "deflate", 10) == b"abc"  # deflate without its header
    with pytest.raises(FetchError, match="not asked for"):
        inflate(b"x", "br", 10)


@pytest.mark.parametrize("value, seconds", [("120", 120.0), (" 0 ", 0.0), (None, None), ("soon", None),
                                            ("Wed, 21 Oct 2015 07:28:00 GMT", 100.0)],
                         ids=["seconds", "zero", "absent", "garbage", "http-date"])
def test_retry_after(value, seconds):
    now = 1445412380.0  # 100 s before the date above
    assert retry_after(value, now=now) == seconds
