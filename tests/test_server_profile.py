"""Entity pages that read as profiles (server/profile.py) and a person's immediate network
(server/netpic.py), on the seeds build: each fact once in the profile, the reasoner's copies
folded, linked items by label with their QID, evidence a click away; the network drawn as
SVG with a link per person. Then in headless Chromium (Debian's, via Playwright, as
tests/test_server_browser.py starts it): nothing shown twice on the first screen, the
picture's links, the toggle. Screenshots go to the test's temporary folder; with
``KG_SCREENSHOTS=1`` (or ``docs``) into ``docs/profile-page.png`` and ``docs/network-picture.png``."""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

import server_fixture as fx

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
HONG = "/id/person/le-thi-thu-hong-2afbc5"
HUNG = "/id/person/le-minh-hung-c502d2"
CUONG = "/id/person/luong-cuong-35cf7a"
TINH_UY = "/id/body/tinh-uy-bac-giang-26c6d6"
KET_LUAN = "/id/document/source-001-6b58a9ed2912506d-txt-d237e7"
NQ_11 = "/id/document/national-11-nq-tw-07a0f5"
WORKING = "/id/meeting/000-211ce3051446685c-txt-workingsession-buoi-lam-viec-cua-th-723d9c"
ALIGNED = ("org:", "schema:", "foaf:", "prov:", "dcterms:")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("profile") / "kg.trig"
    build([ROOT / "seeds"], out, log=lambda *_: None, progress=False)
    return out


@pytest.fixture(scope="module")
def client(seeds):
    with fx.app_for(seeds) as app:
        yield app.test_client()


def html(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def profile_of(page: str) -> str:
    """The profile: from its start to the timeline or the statements, whichever comes first."""
    start = page.index('<div id="profile"')
    ends = [i for i in (page.find('<section class="dated"', start), page.find('<div class="statements"', start)) if i > 0]
    return page[start:min(ends)]


def part(page: str, name: str) -> str:
    start = page.index(f'<div class="part" id="part-{name}">')
    end = page.find('<div class="part', start + 1)
    return page[start:end if end > 0 else len(page)]


def links(text: str) -> list[tuple[str, str]]:
    """(href, label) of each item (not of the sources in its evidence)."""
    return re.findall(r'<li class="item[^"]*"[^>]*><a href="([^"]+)">([^<]*)</a>', text)


def test_a_person_leads_with_posts_meetings_and_sources(client):
    page = profile_of(html(client, HUNG))
    assert [label for _, label in links(part(page, "posts"))] == [
        "Bí thư Trung ương Đảng", "Trưởng Ban Tổ chức Trung ương", "Ủy viên Bộ Chính trị"]
    assert part(page, "posts").count('class="tenure"') == 3  # each post links to its tenure
    meetings = part(page, "meetings")
    assert WORKING in meetings and "spoke, attended" in meetings
    assert "000_211ce3051446685c.txt" in part(page, "sources")


def test_each_fact_once_and_no_alignment_copy_in_the_profile(client):
    for path in (HUNG, CUONG, HONG, TINH_UY, KET_LUAN, WORKING):
        page = profile_of(html(client, path))
        facts = re.findall(r'data-fact="([^"]+)"', page)
        assert facts and [f for f, n in Counter(facts).items() if n > 1] == [], path
        shown = re.findall(r'data-other="([^"]+)"', page)
        assert len(shown) == len(set(shown)), path
        assert not any(f"#{p}" in f or "/ns/org#" in f or "schema.org/" in f or "/foaf/" in f or "/prov#" in f
                       for f in facts for p in ("memberOf", "heldBy")), path


def test_evidence_is_a_click_away(client):
    page = profile_of(html(client, HONG))
    sentence = "Đồng chí Lê Thị Thu Hồng, Phó Bí thư Thường trực Tỉnh ủy Bắc Giang phát biểu tại Tọa đàm."
    first = page.index(sentence)
    assert page.rfind('<details class="evidence">', 0, first) > page.rfind("</details>", 0, first)
    assert "002_55ef401724ea2135.txt" in page  # the source, beside the sentence


def test_the_inferred_copies_are_folded_not_lost(client):
    page = html(client, CUONG)
    folded = page[page.index('<details class="inferred-facts" id="outgoing-inferred">'):]
    folded = folded[:folded.index("</details>")]
    for copy in ("org:memberOf", "schema:memberOf", "vnkg:memberOf", "foaf:Person"):
        assert copy in folded
    assert 'class="badge inferred"' in folded
    assert "Đảng Cộng sản Việt Nam</span>" in folded and ">Q427325</a>" in folded  # the item by its label, not bare


def test_linked_items_show_label_and_qid(client):
    structure = part(profile_of(html(client, TINH_UY)), "structure")
    assert re.search(r'>Đảng Cộng sản Việt Nam</a> <a class="qid" href="https://www.wikidata.org/wiki/Q427325"',
                     structure)
    assert re.search(r'>Bắc Giang</a> <a class="qid" href="https://www.wikidata.org/wiki/Q36367"', structure)


def test_a_body_lists_posts_and_holders_meetings_and_documents(client):
    page = profile_of(html(client, TINH_UY))
    posts = part(page, "posts")
    assert [label for _, label in links(posts)] == ["Bí thư Tỉnh ủy Bắc Giang", "Nguyễn Văn Gấu", "Đương Văn Thái",
                                                    "Phó Bí thư Thường trực Tỉnh ủy Bắc Giang", "Lê Thị Thu Hồng"]
    meetings = part(page, "meetings")
    assert "organised · 16/07/2024" in meetings and "organised, took part" in meetings  # one line a meeting
    assert len(links(part(page, "issued"))) == 3


def test_a_document_gives_issuer_and_citations_both_ways(client):
    page = profile_of(html(client, KET_LUAN))
    assert [label for _, label in links(part(page, "issuer"))] == ["Tỉnh ủy Bắc Giang"]
    assert len(links(part(page, "cites"))) == 8 and "10/02/2022" in part(page, "cites")
    cited = profile_of(html(client, NQ_11))
    assert KET_LUAN in part(cited, "cited-by")
    assert "<dt>number</dt><dd>11-NQ/TW" in cited and "<dt>issued</dt><dd>10/02/2022" in cited


def test_a_meeting_lists_its_people_with_their_roles(client):
    people = part(profile_of(html(client, WORKING)), "people")
    assert "Lương Cường" in people and "spoke" in people and "Nguyễn Duy Ngọc" in people


def test_the_network_is_an_svg_with_a_link_per_person(client):
    page = html(client, HONG)
    assert '<object class="network" data="/network/person/le-thi-thu-hong-2afbc5" type="image/svg+xml"' in page
    response = client.get("/network/person/le-thi-thu-hong-2afbc5")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    svg = response.get_data(as_text=True)
    people = re.findall(r'<a class="person (\w+)" href="([^"]+)" target="_top">', svg)
    assert sorted(people) == [("bodies", "/id/person/duong-van-thai-92eca1"), ("bodies", "/id/person/nguyen-van-gau-a2d66a"),
                              ("meetings", "/id/person/nguyen-cong-dung-6e442e"),
                              ("meetings", "/id/person/phan-xuan-thuy-023061")]
    assert "<script" not in svg and "style=" not in svg
    assert client.get("/network/person/le-thi-thu-hong-2afbc5").get_data(as_text=True) == svg  # deterministic
    assert client.get("/network" + TINH_UY[3:]).status_code == 404  # people only
    assert "<object" not in html(client, TINH_UY)


def test_the_layout_is_radial_and_inside_the_picture():
    from server.netpic import LEGEND, WIDTH, Picture, Tie, _spots
    for n in range(1, 25):
        pic = Picture("x", "X", tuple(Tie(f"p{i}", f"P{i}", ("B",), ()) for i in range(n)), 0)
        cx, cy = WIDTH / 2, (pic.height - LEGEND) / 2
        spots = _spots(n, cx, cy, pic.radius)
        assert len(set(spots)) == n and spots == _spots(n, cx, cy, pic.radius)
        assert spots[0] == (cx, cy - pic.radius)  # the first at the top, then clockwise
        room = 130 if n > 12 else 40  # a name along its spoke, or beside or over its node
        assert all(room <= y <= pic.height - LEGEND - room + 10 and 100 < x < WIDTH - 100 for x, y in spots), n


# --- in headless Chromium -------------------------------------------------------------------

def _shots(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("KG_SCREENSHOTS") in ("1", "docs") else tmp_path


@pytest.fixture(scope="module")
def base(seeds):
    with fx.live_server(seeds, timeout=5, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(base):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN").new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield page, errors
        chromium.close()


def _first_screen(page) -> list[tuple[str, str]]:
    """(data-fact, text) of every fact visible in the first screen, as a reader sees it."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-fact]')].filter(e => {
        const r = e.getBoundingClientRect();
        return e.checkVisibility() && r.height > 0 && r.top < window.innerHeight;
    }).map(e => [e.dataset.fact, e.innerText.split('\\n')[0]])""")


@pytest.mark.browser
@pytest.mark.parametrize("path", [HONG, HUNG, CUONG])
def test_chromium_shows_no_fact_twice_on_the_first_screen(base, browser_page, path, tmp_path):
    page, errors = browser_page
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    seen = _first_screen(page)
    assert len(seen) >= 3
    facts = [f for f, _ in seen]
    assert len(facts) == len(set(facts)), Counter(facts).most_common(3)
    texts = [t for _, t in seen]
    assert len(texts) == len(set(texts)), Counter(texts).most_common(3)
    visible = page.evaluate("() => document.body.innerText.slice(0, 4000)")
    first_screen = visible[:visible.find("All statements")] if "All statements" in visible else visible
    assert not any(prefix in first_screen for prefix in ALIGNED)  # no ORG/schema.org/FOAF/PROV copy in view
    assert not page.locator("#outgoing-inferred tr.inferred").first.is_visible()
    if path == HONG:
        page.screenshot(path=str(_shots(tmp_path) / "profile-page.png"), full_page=False)
    assert errors == []


@pytest.mark.browser
def test_chromium_draws_the_network_with_links(base, browser_page, tmp_path):
    page, errors = browser_page
    page.goto(base + HONG)
    page.wait_for_load_state("networkidle")
    picture = page.locator("object.network")
    assert picture.bounding_box()["width"] > 600
    frame = next(f for f in page.frames if "/network/" in f.url)
    people = frame.locator("a.person")
    assert people.count() == 4
    assert all(people.nth(i).locator("circle").bounding_box()["width"] >= 10 for i in range(4))
    assert sorted(frame.locator("a.person text").all_text_contents()) == [
        "Nguyễn Công Dũng", "Nguyễn Văn Gấu", "Phan Xuân Thủy", "Đương Văn Thái"]
    picture.screenshot(path=str(_shots(tmp_path) / "network-picture.png"))
    frame.locator('a.person[href="/id/person/nguyen-van-gau-a2d66a"] circle').click()
    page.wait_for_url("**/id/person/nguyen-van-gau-a2d66a")  # the whole page follows the link
    assert page.inner_text("#entity-label") == "Nguyễn Văn Gấu"
    assert errors == []  # no CSP or framing refusal


@pytest.mark.browser
def test_chromium_toggle_reveals_the_inferred_copies(base, browser_page):
    page, errors = browser_page
    page.goto(base + CUONG)
    rows = page.locator("#outgoing-inferred tr.inferred")
    assert rows.count() >= 6 and not rows.first.is_visible()
    page.locator("#outgoing-inferred > summary").click()
    assert rows.first.is_visible()
    shown = page.inner_text("#outgoing-inferred")
    assert "org:memberOf" in shown and "schema:memberOf" in shown and "Đảng Cộng sản Việt Nam" in shown
    evidence = page.locator("#part-posts details.evidence").first
    assert not evidence.locator("blockquote").is_visible()
    evidence.locator("summary").click()
    assert "000_211ce3051446685c.txt" in evidence.inner_text()
    assert errors == []
