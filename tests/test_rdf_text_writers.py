"""The Turtle, TriG and N-Triples writers' shortcuts give what the straightforward ways give.

``to_turtle_and_trig`` makes the union's Turtle out of the named graphs' layouts (the TriG's); ``_split_uri`` is
rdflib's ``split_uri`` without its character-by-character walk; ``to_ntriples`` writes IRIs without rdflib's
``n3()`` once all of them are known to be valid; the writers pause the cycle collector. Each is compared with the
reference (rdflib's writers, rdflib's split_uri, the writers called one by one) on the seed, on a synthetic corpus
and on small graphs made to hit each special case.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD, split_uri

from january20.graph.dataset import build_dataset
from january20.resources import Project
from january20.rdf.write import _split_uri, rdflib_ntriples, rdflib_turtle, to_ntriples, to_trig, to_turtle, to_turtle_and_trig
from january20.graph.triples import Triples

ROOT = Path(__file__).resolve().parents[1]
EVENT = "https://w3id.org/january20/event/"
J20 = "https://w3id.org/january20/ontology#"


def _named(built) -> list[tuple[URIRef, Triples]]:
    return [(built.names.graph(name), triples) for name, triples in built.triples.items()]


def _union(graphs) -> Graph:
    union = Graph()
    for _, graph in graphs:
        for triple in graph:
            union.add(triple)
    return union


@pytest.fixture(scope="module")
def synthetic_graphs(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    return _named(build_dataset(Project(generate(3, tmp_path_factory.mktemp("synthetic") / "project"))))


def test_turtle_and_trig_of_the_seed_are_the_writers_one_by_one(rendered):
    graphs = _named(rendered.built)
    turtle, trig = to_turtle_and_trig(graphs)
    assert turtle == rdflib_turtle(rendered.built.union())
    assert trig == to_trig(graphs)
    assert (turtle, trig) == (rendered.files["january20.ttl"], rendered.files["january20.trig"])


def test_turtle_and_trig_of_a_synthetic_corpus_are_the_writers_one_by_one(synthetic_graphs):
    turtle, trig = to_turtle_and_trig(synthetic_graphs)
    assert turtle == rdflib_turtle(_union(synthetic_graphs))
    assert trig == to_trig(synthetic_graphs)


def _graph(*triples) -> Triples:
    return Triples(triples)


def test_union_turtle_merges_a_subject_several_graphs_speak_of_and_counts_a_shared_triple_once():
    a, b, c, d = (URIRef(EVENT + x) for x in "azcd")  # b (here "z") sorts after d
    first = _graph((a, RDF.type, URIRef(J20 + "Event")), (a, URIRef(J20 + "next"), b),
                   (c, URIRef(J20 + "next"), b), (b, RDFS.label, Literal("b")))
    # a again, with one triple the first graph also holds (b is then referred to twice, not three times, and so
    # must come before d, referred to three times) and one of its own; c's label in a third graph.
    second = _graph((a, URIRef(J20 + "next"), b), (a, RDFS.label, Literal("a", lang="en")),
                    (d, RDFS.label, Literal("d")), (a, URIRef(J20 + "after"), d), (c, URIRef(J20 + "after"), d))
    third = _graph((c, RDFS.label, Literal("c")), (b, URIRef(J20 + "after"), d))
    graphs = [(URIRef(f"https://example.org/g{i}"), g) for i, g in enumerate((first, second, third))]
    turtle, trig = to_turtle_and_trig(graphs)
    assert turtle == rdflib_turtle(_union(graphs))
    assert trig == to_trig(graphs)


def test_union_turtle_of_graphs_one_of_which_needs_rdflibs_writer_is_rdflibs():
    a = URIRef(EVENT + "a")
    graphs = [(URIRef("https://example.org/g0"), _graph((a, RDFS.label, Literal("a")))),
              (URIRef("https://example.org/g1"),
               _graph((a, URIRef("https://example.org/vocab#unbound"), Literal("y"))))]
    turtle, trig = to_turtle_and_trig(graphs)
    assert turtle == rdflib_turtle(_union(graphs))
    assert trig == to_trig(graphs)


def test_turtle_of_iris_and_literals_as_objects_of_one_predicate_is_rdflibs():
    a = URIRef(EVENT + "a")
    graph = _graph((a, RDFS.seeAlso, Literal("z")), (a, RDFS.seeAlso, URIRef(EVENT + "b")),
                   (a, RDFS.seeAlso, Literal(2)), (a, RDFS.seeAlso, URIRef(EVENT + "a-1")),
                   (a, RDFS.seeAlso, Literal("1990-01-20", datatype=XSD.date)))
    assert to_turtle(graph) == rdflib_turtle(graph.graph())


def _split_either_way(split, iri: str):
    try:
        return split(iri)
    except ValueError:
        return "cannot split"


@pytest.mark.parametrize("iri", [
    EVENT + "s0001-commemoration", J20 + "Event", "https://w3id.org/january20/", "urn:x:y", "urn:x:-y",
    "https://example.org/a/-.x", "https://example.org/a/_x", "https://example.org/a/(x)", "https://example.org/a/x%41",
    "https://example.org/Bakı/şəhid", "https://example.org/a/·x", "https://example.org/a/x·y",
    "http://www.w3.org/XML/1998/namespacelang", "https://example.org/a/1990", "https://example.org/a#",
    "x", "-", "a/b.", "https://example.org/a/b.c.",
])
def test_split_uri_is_rdflibs(iri):
    assert _split_either_way(_split_uri, iri) == _split_either_way(split_uri, iri)


def test_split_uri_of_every_iri_of_the_seed_is_rdflibs(rendered):
    iris = {str(t) for triple in rendered.built.union_triples() for t in triple if isinstance(t, URIRef)}
    assert len(iris) > 500
    for iri in iris:
        assert _split_either_way(_split_uri, iri) == _split_either_way(split_uri, iri), iri


def test_ntriples_of_a_synthetic_corpus_are_rdflibs(synthetic_graphs):
    union = _union(synthetic_graphs)
    assert to_ntriples(union) == rdflib_ntriples(union)


def test_ntriples_refuse_an_iri_rdflib_cannot_write_as_rdflib_does():
    graph = _graph((URIRef(EVENT + "a"), RDFS.seeAlso, URIRef("https://example.org/a b")))
    with pytest.raises(Exception, match="does not look like a valid URI") as ours:
        to_ntriples(graph)
    with pytest.raises(Exception) as theirs:
        rdflib_ntriples(graph.graph())
    assert str(ours.value) == str(theirs.value)


def test_ntriples_refuse_an_invalid_iri_however_many_valid_ones_come_before_it():
    # the IRIs are checked a few thousand at a time: this one is in a later batch than the first
    graph = _graph(*[(URIRef(f"{EVENT}e{i}"), RDFS.seeAlso, URIRef(f"{EVENT}f{i}")) for i in range(5000)],
                   (URIRef(EVENT + "a"), RDFS.seeAlso, URIRef("https://example.org/a|b")))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        to_ntriples(graph)


def test_a_literal_whose_text_looks_like_an_invalid_iri_is_written_as_rdflib_does():
    graph = _graph((URIRef(EVENT + "a"), RDFS.comment, Literal('<a b> {c} | "d" ^ `e` \\')))
    assert to_ntriples(graph) == rdflib_ntriples(graph.graph())
    assert to_turtle(graph) == rdflib_turtle(graph.graph())


@pytest.mark.parametrize("where", ["subject", "object"])
def test_every_writer_refuses_a_blank_node(where):
    a, blank = URIRef(EVENT + "a"), BNode()
    graph = _graph((blank, RDFS.label, Literal("x")) if where == "subject" else (a, RDFS.seeAlso, blank),
                   (a, RDFS.label, Literal("a")))
    for write in (to_turtle, to_ntriples, lambda g: to_trig([(URIRef(EVENT + "g"), g)]),
                  lambda g: to_turtle_and_trig([(URIRef(EVENT + "g"), g)])):
        with pytest.raises(ValueError, match="blank node"):
            write(graph)


def test_a_blank_node_added_after_writing_is_still_refused():
    a = URIRef(EVENT + "a")
    graph = _graph((a, RDFS.label, Literal("a")))
    to_ntriples(graph)
    graph.update([(a, RDFS.seeAlso, BNode())])
    with pytest.raises(ValueError, match="blank node"):
        to_ntriples(graph)


@pytest.mark.parametrize("enabled", [True, False])
def test_writers_leave_the_cycle_collector_as_they_found_it(enabled):
    graph = _graph((URIRef(EVENT + "a"), RDFS.label, Literal("a")))
    broken = _graph((URIRef(EVENT + "a"), RDFS.label, BNode()))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        to_turtle(graph)
        to_ntriples(graph)
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError):
            to_turtle(broken)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
