"""Timelines on the entity pages (server/timeline.py) over tests/data/tenures.trig: a person's
career, a body's leaders by post, a post's holders and a tenure's own page, as SVG in the HTML
(no script needed); public graphs and BASE_IRI respected; and, in headless Chromium (Debian's,
via Playwright, as tests/test_server_browser.py starts it), the bars and labels drawn — with
JavaScript turned off. Screenshots go to the test's temporary folder (``KG_SCREENSHOTS=docs``:
into ``docs/``)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import server_fixture as fx

DATA = Path(__file__).parent / "data" / "tenures.trig"
CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MINH = "/id/person/tran-van-minh-b2b2b2"
SON_D = "/id/person/nguyen-van-son-d4d4d4"
TINH_UY = "/id/body/tinh-uy-hai-duong-100001"
BI_THU = "/id/post/bi-thu-tinh-uy-hai-duong-300001"
MINH_BI_THU = "/id/tenure/tran-van-minh-bi-thu-tinh-uy-hai-duong-400003"

# page, the section's id, bars (a tenure: one per class its dates give), lane labels
PAGES = [
    (MINH, "career", 6, ["Phó Bí thư Tỉnh ủy Hải Dương", "Bí thư Tỉnh ủy Hải Dương"]),
    (SON_D, "career", 4, ["Phó Bí thư Tỉnh ủy Hải Dương", "Chủ tịch Ủy ban nhân dân tỉnh Hải Dương"]),
    (TINH_UY, "leaders", 16, ["Nguyễn Văn Sơn", "Trần Văn Minh", "Phạm Thị Lan",
                              "Trần Văn Minh", "Nguyễn Văn Sơn", "Lê Thị Hòa"]),
    (BI_THU, "holders", 8, ["Nguyễn Văn Sơn", "Trần Văn Minh", "Phạm Thị Lan"]),
    (MINH_BI_THU, "tenure", 3, ["Bí thư Tỉnh ủy Hải Dương"]),
]
IDS = ["career", "career-namesake", "leaders", "holders", "tenure"]


@pytest.fixture(scope="module")
def client():
    with fx.app_for(DATA) as app:
        yield app.test_client()


def html(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def lane_labels(page: str) -> list[str]:
    return re.findall(r'<a class="lane-label" href="[^"]*"><title>[^<]*</title><text [^>]*>([^<]*)</text>', page)


@pytest.mark.parametrize("path, section, bars, labels", PAGES, ids=IDS)
def test_the_timeline_is_svg_in_the_html(client, path, section, bars, labels):
    page = html(client, path)
    part = page[page.index(f'<section class="dated" id="{section}">'):page.index("</section>")]
    assert part.count("<svg") == 1 and "<script" not in part
    assert part.count('<a class="bar ') == bars and part.count("<title>") >= bars
    assert lane_labels(part) == labels


def test_each_bar_links_to_its_tenure_with_a_vietnamese_tooltip(client):
    page = html(client, MINH)
    assert f'<a class="bar stated" href="{MINH_BI_THU}">' in page
    assert "Trần Văn Minh — Bí thư Tỉnh ủy Hải Dương\nngày nêu rõ trong văn bản: 10/2015 – 01/11/2020" in page
    assert "Trần Văn Minh — Phó Bí thư Tỉnh ủy Hải Dương\nngày nêu rõ trong văn bản: 20/05/2012 – 10/2015" in page
    assert 'fill="url(#hatch-' in page and '<text class="year"' in page and ">2012</text>" in page


def test_a_body_groups_its_leaders_by_post(client):
    page = html(client, TINH_UY)
    groups = re.findall(r'<a class="group" href="([^"]*)"><text [^>]*>([^<]*)</text>', page)
    assert groups == [(BI_THU, "Bí thư Tỉnh ủy Hải Dương"),
                      ("/id/post/pho-bi-thu-tinh-uy-hai-duong-300002", "Phó Bí thư Tỉnh ủy Hải Dương")]
    assert 'href="/id/person/le-thi-hoa-e5e5e5"' in page  # lane labels link to the person
    assert '<a class="bar bounded open"' in page  # Lan's span is open on the right


def test_a_tenure_page_reads_as_a_tenure(client):
    page = html(client, MINH_BI_THU)
    assert '<h1 id="entity-label">Trần Văn Minh · Bí thư Tỉnh ủy Hải Dương</h1>' in page
    assert "<dt>start</dt><dd>10/2015 <span class=\"how stated\">stated</span>" in page
    assert "20/10/2015 – 20/12/2019" in page
    assert '<a href="/id/tenure/nguyen-van-son-bi-thu-tinh-uy-hai-duong-400001">Nguyễn Văn Sơn · Bí thư' in page
    assert '<a href="/id/tenure/pham-thi-lan-bi-thu-tinh-uy-hai-duong-400004">Phạm Thị Lan · Bí thư' in page
    sources = page[page.index('id="tenure-sources"'):]
    assert sources.count("<li>") == 3  # s03 (one sentence: the start, and the post held), s04, s07
    assert "states the start; shows the post held" in sources or "shows the post held; states the start" in sources


def test_pages_without_tenures_have_no_timeline(client):
    page = html(client, "/id/source/s01-aa0001")
    assert "<svg" not in page and 'class="dated"' not in page


def test_tenures_in_a_graph_not_public_are_not_shown(tmp_path):
    private = tmp_path / "kg.trig"
    private.write_text(DATA.read_text(encoding="utf-8").replace(
        "<https://w3id.org/vnkg/graph/tenures>", "<https://example.org/private/tenures>"), encoding="utf-8")
    with fx.app_for(private) as app:
        page = html(app.test_client(), MINH)
    assert "<svg" not in page and "Trần Văn Minh" in page


def test_pages_under_another_base_iri_link_to_themselves(tmp_path):
    other = tmp_path / "kg.trig"
    other.write_text(DATA.read_text(encoding="utf-8").replace("https://w3id.org/vnkg/id/",
                                                              "https://example.org/kg/id/"), encoding="utf-8")
    from server.app import create_app
    app = create_app({"GRAPH": str(other), "BASE_IRI": "https://example.org/kg/id/"})
    try:
        page = html(app.test_client(), MINH)
    finally:
        app.extensions["kg"]["engine"].close()
    assert page.count('<a class="bar ') == 6 and f'href="{MINH_BI_THU}"' in page
    assert "w3id.org/vnkg/id/" not in page


# --- in headless Chromium -------------------------------------------------------------------

browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                             "(the project's set-up installs it: apt-get install chromium)")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    served = tmp_path_factory.mktemp("timeline") / "kg.trig"  # the server's log goes beside it
    served.write_bytes(DATA.read_bytes())
    with fx.live_server(served, timeout=5, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def pages(base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        made = {js: chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                         java_script_enabled=js).new_page() for js in (True, False)}
        errors: list[str] = []
        for page in made.values():
            page.set_default_timeout(15_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield made, errors
        chromium.close()


@browser
@pytest.mark.browser
@pytest.mark.parametrize("path, section, bars, labels", PAGES, ids=IDS)
def test_chromium_draws_the_bars_and_labels_without_javascript(base, pages, path, section, bars, labels, tmp_path):
    made, errors = pages
    page = made[False]
    page.goto(base + path)
    svg = page.locator(f"#{section} svg.timeline")
    assert svg.count() == 1 and svg.bounding_box()["width"] > 600
    drawn = page.locator(f"#{section} svg.timeline a.bar rect")
    assert drawn.count() == bars
    assert all(drawn.nth(i).bounding_box()["width"] >= 2 for i in range(bars))
    assert page.locator(f"#{section} svg.timeline a.lane-label text").all_text_contents() == labels
    shots = DOCS if os.environ.get("KG_SCREENSHOTS") == "docs" else tmp_path
    page.screenshot(path=str(shots / f"timeline-{section}.png"), full_page=True)
    assert errors == []  # no CSP violations: the SVG needs no inline style or script


@browser
@pytest.mark.browser
def test_chromium_follows_a_bar_to_its_tenure(base, pages):
    made, errors = pages
    page = made[True]
    page.goto(base + TINH_UY)
    page.locator(f'#leaders svg.timeline a.bar.stated[href="{MINH_BI_THU}"]').click()
    page.wait_for_selector("#tenure")
    assert page.url.endswith(MINH_BI_THU)
    assert page.inner_text("#entity-label") == "Trần Văn Minh · Bí thư Tỉnh ủy Hải Dương"
    assert page.locator("#tenure svg.timeline a.bar").count() == 3
    assert errors == []
