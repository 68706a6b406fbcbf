"""The query page and an entity page in real headless Chromium (Debian's), via Playwright.

Loads ``/``, runs a competency question, sees the rows, follows a result to an entity page,
and saves screenshots of both pages (into the test's temporary folder; into ``docs/`` when
``KG_SCREENSHOTS=docs`` is set, which is how the screenshots there were made).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import server_fixture as fx

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _shots(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("KG_SCREENSHOTS") == "docs" else tmp_path
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                       "(the project's set-up installs it: apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = fx.write(tmp_path_factory.mktemp("browser") / "kg.trig")
    with fx.live_server(path, timeout=5, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def page(base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_query_page_runs_a_question_and_opens_an_entity(base, page, tmp_path):
    page.goto(base + "/")
    page.select_option("#examples", "posts")
    assert "vnkg:holds" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("table.result-table tbody tr")
    rows = page.locator("table.result-table tbody tr")
    assert rows.count() == 1
    assert "Nguyễn Văn An" in rows.first.inner_text() and "Bí thư" in rows.first.inner_text()
    assert "1 row" in page.inner_text("#status")
    assert page.locator("#downloads a[data-format=csv]").is_visible()
    assert not page.locator("#downloads a[data-format=turtle]").is_visible()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(_shots(tmp_path) / "query-page.png"), full_page=True)
    page.click("table.result-table tbody tr >> a >> nth=0")
    page.wait_for_selector("#entity-label")
    assert page.inner_text("#entity-label") == "Nguyễn Văn An"
    assert page.url.endswith("/id/person/nguyen-van-an-a1b2c3")
    assert fx.SENTENCE_A in page.inner_text("#outgoing")
    assert page.locator("#outgoing tr.inferred").count() >= 1
    page.screenshot(path=str(_shots(tmp_path) / "entity-page.png"), full_page=True)
    assert page.errors == []  # no script errors, no CSP violations


def test_query_page_shows_errors_plainly(base, page):
    page.goto(base + "/")
    page.fill("#query", "SELECT * WHERE { ?s ?p ")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error").startswith("Error 400")
    page.fill("#query", "DROP ALL")
    page.click("#run")
    page.wait_for_selector("#error:has-text('Error 403')")


def test_search_box_finds_without_diacritics(base, page):
    page.goto(base + "/")
    page.fill("#search-box", "dong chi tran thi hoa")
    page.press("#search-box", "Enter")
    page.wait_for_selector("#hits li a")
    page.click("#hits li a >> nth=0")
    page.wait_for_selector("#entity-label")
    assert page.inner_text("#entity-label") == "Trần Thị Hòa"
