"""The site's fast paths give exactly what the straightforward library calls they replaced give.

Each resource page once compacted its own JSON-LD with pyld, wrote its Turtle from an rdflib graph of its own, and
asked an rdflib union graph every question; now all pages are compacted in one pyld pass, their Turtle is written
with shared prefixed names, and the questions go to an index built once. Each is compared here with the reference
(pyld compacting the page's triples alone; rdflib's Turtle writer; rdflib's union graph and named graphs; posixpath)
on the seed and on a synthetic corpus of three sources from the benchmark's generator.
"""

from __future__ import annotations

import posixpath
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from january20.build import load_context, render
from january20.resources import Project
from january20.serialize import rdflib_turtle
from january20.site import SITE_DIR
from january20.site.jsonld import in_script, pyld_describe, to_bytes
from january20.site.model import SiteModel, relative
from january20.vocabulary import parse_turtle

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
    assert len(synthetic.model.pages) > 2 * len(seed.model.pages)


def test_each_pages_jsonld_is_pyld_compacting_its_triples_alone(corpus):
    for iri, path in corpus.model.pages.items():
        reference = pyld_describe(corpus.model.description(iri), corpus.context)
        stem = path[: -len(".html")]
        assert corpus.site[stem + ".jsonld"] == to_bytes(reference), iri
        assert in_script(reference).encode("utf-8") in corpus.site[path], iri


def test_each_pages_turtle_is_rdflibs_writer_on_its_triples(corpus):
    for iri, path in corpus.model.pages.items():
        graph = Graph()
        for triple in corpus.model.description(iri):
            graph.add(triple)
        assert corpus.site[path[: -len(".html")] + ".ttl"] == rdflib_turtle(graph), iri


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


def test_relative_links_are_posixpaths(seed):
    paths = sorted(seed.site)
    sample = paths[:: max(1, len(paths) // 60)] + ["index.html", "article/x.html", "download/ontology/index.html"]
    for target in paths:
        for here in sample:
            assert relative(target, here) == posixpath.relpath(target, posixpath.dirname(here) or "."), (target, here)
    assert relative("place", "place/baku.html") == posixpath.relpath("place", "place") == "."
