"""The site at scale: its fast paths give exactly what the straightforward library calls they replaced give, and
no page grows with the number of sources.

Each resource page once compacted its own JSON-LD with pyld and laid it out with json.dumps, and asked an rdflib
union graph every question; now pages are compacted in batches of one pyld pass each and laid out by a direct
encoder, and the questions go to an index built once. Each is compared here with the reference (pyld compacting
the page's triples alone and json.dumps; rdflib's union graph and named graphs; posixpath) on the seed and on a
synthetic corpus of three sources from the benchmark's generator. Each page's Turtle (pyoxigraph's, every term
converted once for the whole site) must read back as exactly the page's triples.
"""

from __future__ import annotations

import json
import posixpath
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from january20.build import load_context, render
from january20.resources import Project
from january20.publish.site import SITE_DIR
from january20.publish.site.jsonld import dumps, pyld_describe
from january20.publish.site import pages as site_pages
from january20.publish.site.model import SiteModel, relative
from january20.publish.site.pages import Site
from january20.graph.vocabulary import parse_turtle

ROOT = Path(__file__).resolve().parents[1]


class Corpus:
    def __init__(self, project: Project, result):
        self.project = project
        self.built = result.built
        self.site = {name[len(SITE_DIR) + 1:]: data for name, data in result.files.items()
                     if name.startswith(SITE_DIR + "/")}
        self.model = SiteModel(result.built, parse_turtle(project.ontology_file))
        self.context = load_context(project)


@pytest.fixture(scope="module")
def seed(project, rendered) -> Corpus:
    return Corpus(project, rendered)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Corpus:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    project = Project(generate(3, tmp_path_factory.mktemp("synthetic") / "project"))
    return Corpus(project, render(project))


@pytest.fixture(params=["seed", "synthetic"])
def corpus(request) -> Corpus:
    return request.getfixturevalue(request.param)


def test_the_synthetic_corpus_has_pages_of_several_sources(synthetic, seed):
    # Events come from full-text sources only (the cited sources, copied beside the synthetic ones, have none).
    def events(corpus):
        return [path for path in corpus.model.pages.values() if path.startswith("event/")]
    assert len(events(synthetic)) > 2 * len(events(seed))


def test_each_pages_jsonld_is_pyld_compacting_its_triples_alone(corpus):
    for iri, path in corpus.model.pages.items():
        reference = pyld_describe(corpus.model.description(iri), corpus.context)
        stem = path[: -len(".html")]
        # As json.dumps lays it out: in the .jsonld file, and in the page's <script> element with '<' escaped.
        assert corpus.site[stem + ".jsonld"] == (json.dumps(reference, indent=2, ensure_ascii=False) + "\n").encode()
        script = json.dumps(reference, indent=1, ensure_ascii=False).replace("<", "\\u003c")
        assert f'<script type="application/ld+json">\n{script}\n</script>'.encode() in corpus.site[path], iri


def test_each_pages_turtle_reads_back_as_exactly_its_triples(corpus):
    for iri, path in corpus.model.pages.items():
        read = Graph().parse(data=corpus.site[path[: -len(".html")] + ".ttl"], format="turtle")
        assert set(read) == set(corpus.model.description(iri)), iri


def test_a_pages_triples_are_the_union_graphs_triples_of_its_subject(corpus):
    union = corpus.built.union()
    for iri in corpus.model.pages:
        assert sorted(corpus.model.description(iri)) == sorted(union.triples((iri, None, None))), iri


def test_the_index_answers_as_rdflibs_union_graph_in_the_same_order(corpus):
    union, index = corpus.built.union(), corpus.model.graph
    assert len(index) == len(union)
    assert set(index.subjects()) == set(union.subjects())
    for s, p, o in union:
        assert list(index.objects(s, p)) == list(union.objects(s, p))
        assert index.value(s, p) == union.value(s, p)
        assert list(index.subjects(p, o)) == list(union.subjects(p, o))
        assert (s, p, o) in index
    for node in set(union.subjects()) | set(union.objects()):
        assert list(index.predicate_objects(node)) == list(union.predicate_objects(node))
        assert list(index.subject_predicates(node)) == list(union.subject_predicates(node))
    for p in set(union.predicates()):
        assert set(index.objects(None, p)) == set(union.objects(None, p))
    assert (URIRef("https://example.org/none"), p, o) not in index


def test_the_index_knows_which_named_graphs_hold_each_statement(corpus):
    for s, p, o in corpus.built.union():
        expected = [name for name, g in corpus.built.graphs.items() if (s, p, o) in g]
        assert corpus.model.graphs_of((s, p, o)) == expected


def test_pages_compacted_in_small_batches_are_the_same(seed, monkeypatch):
    monkeypatch.setattr(site_pages, "BATCH", 7)
    downloads = {n[len("download/"):]: d for n, d in seed.site.items() if n.startswith("download/")}
    # The site is the pages plus what render_site adds for crawlers and servers (publish/conneg.py).
    pages = {name: data for name, data in seed.site.items() if name not in (".htaccess", "sitemap.xml", "robots.txt")}
    assert Site(seed.model, seed.context, downloads).files() == pages


def test_with_several_sources_every_page_has_one_menu_link_to_the_list_of_articles(synthetic):
    articles = sorted(n for n in synthetic.site if n.startswith("article/"))
    assert len(articles) == 3
    for name, data in synthetic.site.items():
        if name.endswith(".html") and not name.startswith("download/"):
            menu = data.decode().split('<nav aria-label="Site">', 1)[1].split("</nav>", 1)[0]
            root = "../" * name.count("/")
            assert f'<a href="{root}articles.html">Articles</a>' in menu, name
            assert "article/" not in menu, name
    listing = synthetic.site["articles.html"].decode()
    assert [f'href="{a}"' in listing for a in articles] == [True] * 3


def test_with_one_source_the_menu_links_to_the_article_itself(seed):
    assert "articles.html" not in seed.site
    menu = seed.site["place/baku.html"].decode().split('<nav aria-label="Site">', 1)[1].split("</nav>", 1)[0]
    assert '<a href="../article/caliber-az-20-january-commemoration.html">Article</a>' in menu


def test_relative_links_are_posixpaths(seed):
    paths = sorted(seed.site)
    sample = paths[:: max(1, len(paths) // 60)] + ["index.html", "article/x.html", "download/ontology/index.html"]
    for target in paths:
        for here in sample:
            assert relative(target, here) == posixpath.relpath(target, posixpath.dirname(here) or "."), (target, here)
    assert relative("place", "place/baku.html") == posixpath.relpath("place", "place") == "."


AWKWARD_JSON = [
    {}, [], "", 0, -7, 2.5, 1e-7, 1e22, True, False, None, float("nan"), float("inf"), (1, 2),
    {"a": {}, "b": [], "c": [{}], "d": [[], [1, [2, {"e": None}]]], "f": "quote \" backslash \\ <script> </p>",
    "g": "tab\tnewline\ncontrol\x01 unicode é ‘’ 𝄞 \u2028", "h": [True, False, 0.1, -0], "": "empty key"},
    {1: "an int key", None: "a None key"},
]


@pytest.mark.parametrize("value", AWKWARD_JSON, ids=range(len(AWKWARD_JSON)))
@pytest.mark.parametrize("indent", [1, 2])
def test_dumps_is_json_dumps_with_that_indent(value, indent):
    assert dumps(value, " " * indent) == json.dumps(value, indent=indent, ensure_ascii=False)
