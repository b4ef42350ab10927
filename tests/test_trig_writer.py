"""The TriG writer keeps every literal as it is, whatever characters or lines it holds."""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from january20.rdf.write import to_trig

EX = "https://example.org/"
J20 = "https://w3id.org/january20/"


def _round_trip(*graphs: Graph) -> list[tuple[Graph, Graph]]:
    names = [URIRef(f"{EX}g{i}") for i in range(len(graphs))]
    dataset = Dataset()
    dataset.parse(data=to_trig(list(zip(names, graphs))), format="trig")
    return [(graph, dataset.graph(name)) for name, graph in zip(names, graphs)]


def _graph(predicate: str, literal: Literal) -> Graph:
    graph = Graph()
    graph.add((URIRef(J20 + "s"), URIRef(predicate), literal))
    return graph


def test_a_literal_with_a_line_or_paragraph_separator_is_written_unchanged():
    [(written, read)] = _round_trip(_graph(J20 + "ontology#note", Literal("one\u2028two\u2029three\x85four\x1cfive")))
    assert isomorphic(written, read)


def test_a_line_of_a_long_literal_that_starts_with_prefix_is_kept():
    [(written, read)] = _round_trip(_graph(J20 + "ontology#note",
                                           Literal("first line\n@prefix ex: <https://example.org/> .\nlast line")))
    assert isomorphic(written, read)


def test_graphs_using_namespaces_outside_ours_each_keep_their_own_prefixes():
    pairs = _round_trip(_graph("https://example.org/a#p", Literal("a")), _graph("https://example.net/b#q", Literal("b")))
    assert all(isomorphic(written, read) for written, read in pairs)
