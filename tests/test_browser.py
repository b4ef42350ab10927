"""The site in a real headless Chromium (Debian's), driven by Playwright, served from a local static server.

Skips only when Chromium (or Playwright) is absent and J20_REQUIRE_SYSTEM_TOOLS is unset; CI sets it, so there a
missing browser fails. Screenshots of the index and the article go to test-output/ (gitignored).
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from rdflib import Graph

from january20.publish.site import SITE_DIR
from january20.publish.site.model import SiteModel
from january20.graph.vocabulary import parse_turtle

try:
    from tests.support.tools import skip_or_fail
except ImportError:  # plain `pytest` puts tests/ (not the repo root) on sys.path
    from support.tools import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = ROOT / "test-output"


_require_or_skip = skip_or_fail


@pytest.fixture(scope="module")
def sync_playwright():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        _require_or_skip(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require_or_skip("the playwright package is not installed (pip install -e '.[test]')")
    return sync_playwright


@pytest.fixture(scope="module")
def site_dir(build_dir) -> Path:
    """This session's build's site, written fresh into a temporary folder (tests/conftest.py): it is not committed."""
    return build_dir / SITE_DIR


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports failures itself
        pass


@pytest.fixture(scope="module")
def server(site_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(sync_playwright, tmp_path_factory):
    """One Chromium for the module, with a fresh profile folder."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1100, "height": 900})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    """A tab that records console errors, uncaught exceptions and failed requests."""
    tab = browser.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: tab.problems.append(f"request failed: {r.url}"))
    tab.on("response", lambda r: tab.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def model(rendered, project) -> SiteModel:
    return SiteModel(rendered.built, parse_turtle(project.ontology_file))


def test_crawl_finds_no_console_error_and_no_broken_internal_link(page, server, site_dir):
    """Visit every page reachable from the index in one tab. Links to data files (.ttl, .jsonld, downloads) are
    checked against the served folder rather than fetched one by one, which would double the test's time."""
    todo, seen, files, anchors, ids = [server + "index.html"], set(), set(), [], {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        found = page.evaluate(
            "() => [[...document.querySelectorAll('[id]')].map(e => e.id),"
            " [...document.querySelectorAll('a[href], link[href]')].map(e => typeof e.href === 'string' ? e.href"
            "  : new URL(e.href.baseVal, document.baseURI).href)]")  # an SVG link's href is an SVGAnimatedString
        ids[url] = set(found[0])
        for href in found[1]:
            target, fragment = urldefrag(href)
            if not target.startswith(server):
                continue
            if fragment:
                anchors.append((url, target, fragment))
            if target.endswith(".html"):
                todo.append(target)
            else:
                files.add(urlparse(target).path.lstrip("/"))
    missing_files = sorted(f for f in files if not (site_dir / f).is_file())
    assert not missing_files, missing_files[:10]
    some_data = sorted(f for f in files if f.endswith((".ttl", ".jsonld")))[:3]
    assert all(page.request.get(server + f).ok for f in some_data)
    missing = [f"{src} -> {dst}#{frag}" for src, dst, frag in anchors if frag not in ids.get(dst, ())]
    assert not missing, missing[:10]
    assert not page.problems, page.problems[:10]
    pages_on_disk = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")}
    assert {urlparse(u).path.lstrip("/") for u in seen} == pages_on_disk


def test_embedded_jsonld_parses_in_the_browser_to_the_resource_triples(page, server, model):
    """A sample, one resource of each kind (all pages are checked without a browser in test_site.py)."""
    sample = {}
    for iri, path in model.pages.items():
        sample.setdefault(path.split("/")[0], (iri, path))
    assert len(sample) >= 8
    for iri, path in sample.values():
        page.goto(server + path)
        text = page.eval_on_selector('script[type="application/ld+json"]', "e => JSON.stringify(JSON.parse(e.text))")
        parsed = Graph().parse(data=text, format="json-ld", base=server + path)
        assert set(parsed) == set(model.description(iri)), path
        assert page.get_attribute('link[rel="alternate"][type="application/ld+json"]', "href") == \
            path.rsplit("/", 1)[-1].replace(".html", ".jsonld")
    assert not page.problems, page.problems


def test_clicking_a_highlighted_span_reaches_the_facts_it_grounds(page, server, model):
    """Hover shows the facts, keyboard focus shows them too, a click lands on the list entry, and the entry's
    link leads to the fact's page, which quotes the span back."""
    excerpt = next(s for s in model.spans if s.exact == "killing 82 civilians")
    (fact,) = model.derived_from(excerpt.iri)
    fact_page = model.pages[fact]
    page.goto(server + "article/caliber-az-20-january-commemoration.html")
    span = page.locator("a.q", has_text="82 civilians").first
    popup = page.locator(f"#{span.get_attribute('aria-describedby')}")
    assert not popup.is_visible()
    span.hover()
    assert popup.is_visible()
    assert popup.locator(f'a[href$="{fact_page.rsplit("/", 1)[-1]}"]').count() == 1
    page.mouse.move(0, 0)
    span.focus()
    assert popup.is_visible(), "keyboard focus must show the facts too"
    span.click()
    target = page.locator(":target")
    assert target.get_attribute("id") == "f-" + span.get_attribute("id")
    assert target.is_visible() and target.evaluate("e => e.getBoundingClientRect().top < window.innerHeight")
    link = target.locator(f'a[href$="{fact_page}"]').first
    link.click()
    page.wait_for_url(server + fact_page)
    assert excerpt.exact in page.locator("ol.quotes").inner_text()
    assert not page.problems, page.problems


def test_screenshots_of_the_index_and_the_article_show_the_pictures(page, server):
    OUTPUT.mkdir(exist_ok=True)
    page.goto(server + "index.html")
    for chart in ("timeline", "counts", "map"):
        box = page.locator(f"svg.chart.{chart}").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, chart
    assert "20 of 131 not in any part the article states" in page.locator("svg.chart.counts").text_content()
    # Hatching is how the pictures say "unknown": the year of an event, the unexplained rest of a total.
    for hatched in ("svg.chart.timeline .bar.unknown", "svg.chart.counts .gap"):
        fill = page.locator(hatched).first.evaluate("e => getComputedStyle(e).fill")
        assert fill.startswith("url("), f"{hatched} is drawn {fill}, not hatched"
    page.screenshot(path=str(OUTPUT / "site-index.png"), full_page=True)
    page.goto(server + "article/caliber-az-20-january-commemoration.html")
    page.screenshot(path=str(OUTPUT / "site-article.png"), full_page=True)
    for name in ("site-index.png", "site-article.png"):
        assert (OUTPUT / name).stat().st_size > 10_000
    assert not page.problems, page.problems


def test_index_is_readable_on_a_phone(browser, server):
    """No sideways scrolling at a phone's width: every line wraps inside the screen."""
    tab = browser.new_page()
    tab.set_viewport_size({"width": 360, "height": 740})
    try:
        for path in ("index.html", "article/caliber-az-20-january-commemoration.html", "place/baku.html"):
            tab.goto(server + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px wide"
        OUTPUT.mkdir(exist_ok=True)
        tab.goto(server + "index.html")
        tab.screenshot(path=str(OUTPUT / "site-index-phone.png"))
    finally:
        tab.close()


def test_site_works_from_file_urls(browser, site_dir):
    """Opened straight from the disk: relative links, so the stylesheet loads and the article link works."""
    tab = browser.new_page()
    try:
        tab.goto((site_dir / "index.html").as_uri())
        assert tab.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
        tab.click("header nav >> text=Article")
        assert tab.url.endswith("article/caliber-az-20-january-commemoration.html")
        assert tab.locator("a.q").count() > 50
    finally:
        tab.close()


def test_a_quantity_page_shows_each_sources_value_linked_to_its_page_with_the_articles_marked(page, server):
    page.goto(server + "quantity/civilians-killed-in-the-tragedy.html")
    chart = page.locator("svg.chart.values")
    assert chart.is_visible()
    links = chart.locator("a")
    rows = page.locator("table.values tbody tr")
    assert links.count() == rows.count() >= 9
    assert chart.locator(".mark.seed").count() == 1
    assert chart.locator("rect.range").count() >= 2  # the 131-170 ranges are bars, not points
    first = links.first.get_attribute("href")
    page.goto(urldefrag(page.url)[0].rsplit("/", 1)[0] + "/" + first)
    assert page.locator("#figures-h").is_visible() or page.locator("h1").is_visible()
    OUTPUT.mkdir(exist_ok=True)
    page.goto(server + "quantity/civilians-killed-in-the-tragedy.html")
    page.screenshot(path=str(OUTPUT / "site-quantity.png"), full_page=True)
    assert page.problems == []


def test_the_index_shows_the_spread_of_every_quantity_linked_to_its_page(page, server):
    page.goto(server + "index.html")
    spread = page.locator("table.spread")
    assert spread.is_visible()
    assert spread.locator("tbody tr").count() >= 20
    spread.get_by_role("link", name="Civilians killed in the 20 January tragedy", exact=True).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("quantity/civilians-killed-in-the-tragedy.html")
    assert page.locator("svg.chart.values").is_visible()
    assert page.problems == []
