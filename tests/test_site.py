"""The static site, checked without a browser: paths, embedded data, links, the three pictures, downloads."""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from january20.cli import main
from january20.errors import January20Error
from january20.publish.site import SITE_DIR, write_site
from january20.publish.site.article import segments
from january20.publish.site.charts import counts_data, map_data, timeline_data
from january20.publish.site.jsonld import in_script, prune_context
from january20.publish.site.model import SiteModel, Span

BASE = "https://w3id.org/january20/"


@pytest.fixture(scope="module")
def site(rendered) -> dict[str, bytes]:
    return {name[len(SITE_DIR) + 1:]: data for name, data in rendered.files.items()
            if name.startswith(SITE_DIR + "/")}


@pytest.fixture(scope="module")
def model(rendered, project) -> SiteModel:
    from january20.graph.vocabulary import parse_turtle
    return SiteModel(rendered.built, parse_turtle(project.ontology_file))


class _Page(HTMLParser):
    """The parts of a page the tests look at: links, ids, the JSON-LD block, and what loads from where."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.loads: list[str] = []
        self.jsonld: list[str] = []
        self.tags: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "link" and "href" in a:
            self.links.append(a["href"])
            self.loads.append(a["href"])
        if tag in ("img", "iframe", "audio", "video", "source") or (tag == "script" and "src" in a):
            self.loads.append(a.get("src", ""))
        self._in_jsonld = tag == "script" and a.get("type") == "application/ld+json"
        if self._in_jsonld:
            self.jsonld.append("")  # one entry per block

    def handle_endtag(self, tag):
        self._in_jsonld = False if tag == "script" else self._in_jsonld

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def parse(html: bytes) -> _Page:
    page = _Page()
    page.feed(html.decode("utf-8"))
    return page


def html_pages(site) -> dict[str, bytes]:
    return {name: data for name, data in site.items() if name.endswith(".html")}


# ---------------------------------------------------------------------- paths
def test_resource_page_path_mirrors_its_iri(site, model):
    assert model.pages[URIRef(BASE + "place/baku")] == "place/baku.html"
    assert model.pages[URIRef(BASE + "source/caliber-az-20-january-commemoration/excerpt/878-898")] == \
        "source/caliber-az-20-january-commemoration/excerpt/878-898.html"
    for stem in ("place/baku", "concept/event-kinds/violence", "count/killed-total"):
        assert {f"{stem}.html", f"{stem}.ttl", f"{stem}.jsonld"} <= set(site)


def test_every_subject_under_the_base_has_a_page(site, model):
    subjects = {s for s in model.graph.subjects() if str(s).startswith(BASE)}
    missing = [str(s) for s in subjects if f"{str(s)[len(BASE):]}.html" not in site]
    assert not missing


def test_resource_whose_iri_would_overwrite_a_site_page_is_refused(model):
    with pytest.raises(January20Error, match="would overwrite"):
        model.page_stem(URIRef(BASE + "index.html"))


def test_iri_outside_the_base_gets_no_page(model):
    assert model.page_stem(URIRef("http://www.wikidata.org/entity/Q9248")) is None


# ---------------------------------------------------------------------- embedded data
def _triples(graph: Graph) -> set:
    return set(graph)


def test_every_resource_page_embeds_exactly_its_own_triples(site, model):
    wrong = []
    for iri, path in model.pages.items():
        page = parse(site[path])
        # Beside it, the same resource in plain schema.org for search engines (tests/test_schemaorg_pages.py).
        own = [block for block in page.jsonld if json.loads(block).get("@context") != "https://schema.org"]
        assert len(own) == 1, path
        embedded = Graph().parse(data=own[0], format="json-ld")
        if _triples(embedded) != _triples(model.description(iri)):
            wrong.append(path)
    assert not wrong, f"embedded JSON-LD differs from the graph: {wrong[:5]}"


def test_jsonld_and_turtle_copies_hold_the_same_triples_as_the_page(site, model):
    for iri, path in model.pages.items():
        stem = path[:-len(".html")]
        expected = _triples(model.description(iri))
        assert _triples(Graph().parse(data=site[stem + ".jsonld"].decode(), format="json-ld")) == expected, stem
        assert _triples(Graph().parse(data=site[stem + ".ttl"].decode(), format="turtle")) == expected, stem


def test_page_links_its_data_copies_as_alternates(site):
    head = site["place/baku.html"].decode()
    assert '<link rel="alternate" type="text/turtle" href="baku.ttl">' in head
    assert '<link rel="alternate" type="application/ld+json" href="baku.jsonld">' in head


def test_pruned_context_keeps_the_prefixes_its_terms_need():
    context = {"@version": 1.1, "schema": "https://schema.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
               "unused": "http://example.org/", "name": {"@id": "schema:name"},
               "date": {"@id": "schema:startDate", "@type": "xsd:date"}}
    pruned = prune_context(context, {"id": "x", "date": "1990-01-19"})
    assert pruned == {"@version": 1.1, "schema": "https://schema.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
                      "date": {"@id": "schema:startDate", "@type": "xsd:date"}}


def test_json_in_a_script_element_cannot_close_it():
    text = in_script({"q": "</script><!-- x"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"q": "</script><!-- x"}


# ---------------------------------------------------------------------- links and loads
def _resolve(here: str, href: str) -> tuple[str, str]:
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path)) if path else here
    return target, fragment


def test_no_internal_link_is_broken(site):
    pages = {name: parse(data) for name, data in html_pages(site).items()}
    broken = []
    for name, page in pages.items():
        for href in page.links:
            if re.match(r"^[a-z]+:", href):
                continue
            target, fragment = _resolve(name, href)
            if target not in site:
                broken.append(f"{name} -> {href}")
            elif fragment and target.endswith(".html") and fragment not in pages[target].ids:
                broken.append(f"{name} -> {href} (no such id)")
    assert not broken, broken[:10]


def test_every_page_is_reachable_from_the_index(site):
    pages = {name: parse(data) for name, data in html_pages(site).items()}
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        here = todo.pop()
        for href in pages[here].links:
            target, _ = _resolve(here, href)
            if target in pages and target not in seen and not re.match(r"^[a-z]+:", href):
                seen.add(target)
                todo.append(target)
    assert seen == set(pages)


def test_nothing_is_loaded_from_outside_the_site(site):
    for name, data in html_pages(site).items():
        page = parse(data)
        outside = [u for u in page.loads if re.match(r"^(https?:)?//", u)]
        assert not outside, f"{name} loads {outside}"
    assert not re.search(rb"@import|url\(\s*['\"]?(https?:)?//", site["style.css"])


def test_only_script_elements_are_jsonld_data_blocks(site):
    for name, data in html_pages(site).items():
        scripts = re.findall(rb"<script[^>]*>", data)
        assert all(s == b'<script type="application/ld+json">' for s in scripts), name


def test_every_page_has_language_title_landmarks_and_a_skip_link(site):
    for name, data in html_pages(site).items():
        if name.startswith("download/"):  # the build's other files, published as they are
            continue
        text = data.decode()
        page = parse(data)
        assert '<html lang="en">' in text and "<title>" in text, name
        assert {"header", "nav", "main", "footer"} <= set(page.tags), name
        assert 'href="#main"' in text and 'id="main"' in text, name


def test_every_svg_picture_has_a_title_and_a_description(site):
    index = site["index.html"].decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", index, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


# ---------------------------------------------------------------------- downloads
def test_downloads_list_every_build_file_with_its_size_and_sha256(site, rendered):
    index = re.search(r'<table class="downloads">.*?</table>', site["index.html"].decode(), re.S).group(0)
    outputs = {name: data for name, data in rendered.files.items() if not name.startswith(SITE_DIR + "/")}
    assert outputs
    for name, data in outputs.items():
        assert site[f"download/{name}"] == data
        row = re.search(rf'<tr><th scope="row"><a href="download/{re.escape(name)}">.*?</tr>', index, re.S)
        assert row, name
        assert f'<td class="num">{len(data)}</td>' in row.group(0)
        assert hashlib.sha256(data).hexdigest() in row.group(0)


# ---------------------------------------------------------------------- the article
def _span(start: int, end: int, name: str) -> Span:
    return Span(URIRef(f"http://example.org/{name}"), URIRef("http://example.org/src"), start, end, "")


def test_overlapping_spans_are_cut_into_segments_each_listing_every_covering_span():
    long, short = _span(0, 10, "long"), _span(4, 7, "short")
    (line,) = segments("abcdefghijkl", [long, short])
    assert [(s.start, s.end, [x.iri.split("/")[-1] for x in s.spans]) for s in line] == [
        (0, 4, ["long"]), (4, 7, ["long", "short"]), (7, 10, ["long"]), (10, 12, [])]


def test_a_span_is_cut_at_a_line_break_and_blank_lines_are_dropped():
    lines = segments("ab\n\ncd", [_span(1, 6, "x")])
    assert [[(s.start, s.end, bool(s.spans)) for s in line] for line in lines] == [
        [(0, 1, False), (1, 2, True)], [(4, 6, True)]]


def test_article_page_keeps_the_text_and_highlights_every_excerpt(site, model, article_text):
    page = site["article/caliber-az-20-january-commemoration.html"].decode()
    body = page.split('<article class="source-text"', 1)[1].split("</article>", 1)[0]
    without_popups = re.sub(r'<span class="pop".*?</span></span>', "", body, flags=re.S)
    visible = html.unescape(re.sub(r"<[^>]+>", "", without_popups.split(">", 1)[1]))
    assert [line for line in visible.split("\n") if line.strip()] == \
        [line for line in article_text.split("\n") if line.strip()]
    anchors = set(re.findall(r'<a class="q d\d" id="(q\d+-\d+)"', page))
    for span in model.spans:
        assert any(int(a[1:].split("-")[0]) >= span.start and int(a.split("-")[1]) <= span.end for a in anchors)


def test_a_quoted_segment_lists_the_facts_of_every_excerpt_covering_it(site, model, article_text):
    page = site["article/caliber-az-20-january-commemoration.html"].decode()
    lines = segments(article_text, model.spans)
    # A segment under two excerpts that ground different facts: the case a naive highlighter gets wrong.
    seg = next(seg for line in lines for seg in line
               if len({frozenset(model.derived_from(s.iri)) for s in seg.spans} - {frozenset()}) > 1)
    entry = re.search(rf'<li id="f-{seg.anchor}".*?</li>\s*(?=<li id="f-|</ol>)', page, re.S).group(0)
    popup = re.search(rf'<span class="pop" id="p-{seg.anchor}">.*?</span></span>', page, re.S).group(0)
    for span in seg.spans:
        for fact in model.derived_from(span.iri):
            name = model.pages[fact].rsplit("/", 1)[-1]
            assert name in entry and name in popup, (span.exact, str(fact))


# ---------------------------------------------------------------------- the pictures
def test_counts_chart_shows_the_gap_between_the_stated_parts_and_the_total(model, site):
    killed = next(b for b in counts_data(model) if str(b.total.iri).endswith("count/killed-total"))
    assert sorted(p.value for p in killed.parts) == [8, 21, 82]
    assert (killed.total.value, killed.stated, killed.gap) == (131, 111, 20)
    index = site["index.html"].decode()
    assert "111 of 131 in stated parts" in index and "20 of 131 not in any part the article states" in index


def test_counts_chart_shows_subsets_and_parts_of_other_totals(model):
    shapes = {str(b.total.iri).rsplit("/", 1)[-1]: (b.relation, [p.value for p in b.parts], b.total.value)
              for b in counts_data(model)}
    assert shapes["killed-total"] == ("part", [82, 21, 8], 131)
    assert "injured-total" not in shapes  # the article gives no part of the 744 injured
    assert shapes["detained"] == ("subset", [112], 841)


def test_timeline_gives_the_stated_dates_and_says_the_commemoration_year_is_unknown(model):
    events = {str(e.iri).rsplit("/", 1)[-1]: e for e in timeline_data(model).events}
    assert events["entry-of-troops"].stated == "night of January 19–20"
    assert events["entry-of-troops"].year == "1990"
    assert events["entry-of-troops"].year_note == "1990, the editors' dating"
    assert events["commemoration"].stated == "January 18"
    assert events["commemoration"].year is None
    assert events["commemoration"].year_note == "year not stated in the article"


def test_map_draws_the_places_that_have_coordinates(model, site):
    located = {p.label: (round(p.lat, 2), round(p.lon, 2)) for p in map_data(model).places}
    assert located == {"Baku": (40.4, 49.88), "Lankaran": (38.75, 48.85), "Neftchala": (39.36, 49.25)}
    svg = re.search(r'<svg class="chart map".*?</svg>', site["index.html"].decode(), re.S).group(0)
    assert svg.count('<circle class="place"') == 3


# ---------------------------------------------------------------------- writing
def test_write_site_removes_the_pages_of_vanished_resources(tmp_path):
    site_dir = tmp_path / "site"
    (site_dir / "place").mkdir(parents=True)
    (site_dir / "place" / "gone.html").write_text("old")
    (site_dir / "index.html").write_text("old")
    assert write_site({f"{SITE_DIR}/index.html": b"new", "january20.ttl": b""}, site_dir) == 1
    assert sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")) == ["index.html"]
    assert (site_dir / "index.html").read_bytes() == b"new"


def test_site_command_writes_the_site_into_the_given_folder(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "place" / "baku.html").is_file()
    assert "index.html" in result.output or "files" in result.output
