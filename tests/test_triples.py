"""The build keeps its graphs as plain triples (january20.graph.triples) and makes rdflib Graphs only on demand: both
must hold the same statements, and the look-ups must answer as rdflib's do."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from january20.graph.metadata import top_level_events
from january20.names import SCHEMA
from january20.graph.triples import Triples

A, B, C = (URIRef(f"https://example.org/{x}") for x in "abc")


def test_a_triple_added_twice_is_kept_once_as_in_a_graph():
    triples = Triples([(A, RDF.type, B), (A, RDF.type, B)])
    one = Literal("1", datatype=XSD.integer)
    triples.update([(A, RDFS.label, one), (A, RDFS.label, Literal("1", datatype=XSD.integer))])
    assert len(triples) == 2 == len(triples.graph())


def test_the_rdflib_graph_holds_exactly_the_triples(rendered):
    for name, triples in rendered.built.triples.items():
        assert set(rendered.built.graphs[name]) == set(triples), name
    assert set(rendered.built.union()) == set(rendered.built.union_triples())
    assert len(rendered.built.union()) == len(rendered.built.union_triples())


def test_look_ups_answer_as_rdflibs(graph):
    triples = Triples(graph)
    for s in sorted(set(graph.subjects()))[:200]:
        for p in set(graph.predicates(s)):
            assert sorted(triples.objects(s, p)) == sorted(graph.objects(s, p))
            assert triples.value(s, p) in set(graph.objects(s, p))
    assert set(triples.subjects(RDF.type, SCHEMA.Event)) == set(graph.subjects(RDF.type, SCHEMA.Event))
    assert set(triples.predicates()) == set(graph.predicates())


def test_top_level_events_are_the_same_from_triples_and_from_a_graph(graph):
    assert top_level_events(Triples(graph)) == top_level_events(graph)
    assert top_level_events(graph)


def test_adding_after_a_look_up_is_seen_by_the_next_look_up():
    triples = Triples([(A, RDFS.seeAlso, B)])
    assert list(triples.objects(A, RDFS.seeAlso)) == [B]
    triples.update([(A, RDFS.seeAlso, C)])
    assert list(triples.objects(A, RDFS.seeAlso)) == [B, C]
    assert len(triples.graph()) == 2


def test_a_union_holds_what_a_set_of_the_chained_graphs_holds_in_the_same_order(rendered):
    from itertools import chain

    from january20.graph.triples import Union

    parts = list(rendered.built.triples.values())
    union, copy = Union(parts), Triples(chain.from_iterable(parts))
    assert list(union) == list(copy)
    assert len(union) == len(copy)
    assert all(triple in union for triple in copy)
    assert (A, RDF.type, B) not in union


def test_a_triple_in_two_parts_of_a_union_is_read_once():
    from january20.graph.triples import Union

    first = Triples([(A, RDF.type, B), (A, RDFS.label, Literal("a"))])
    second = Triples([(B, RDF.type, C), (A, RDF.type, B), (C, RDF.type, B)])
    union = Union([first, second, Triples([(C, RDF.type, B)])])
    assert list(union) == [(A, RDF.type, B), (A, RDFS.label, Literal("a")), (B, RDF.type, C), (C, RDF.type, B)]
    assert len(union) == 4 == len(union.graph())
    assert list(union.objects(A, RDF.type)) == [B]


def test_a_union_cannot_be_added_to():
    import pytest

    from january20.graph.triples import Union

    with pytest.raises(TypeError):
        Union([Triples()]).update([(A, RDF.type, B)])
