"""The validation report's nodes are named from their own content: no blank nodes, and a result keeps its IRI
whatever else the report holds (so that reports diff cleanly between builds)."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from january20.errors import January20Error
from january20.names import Names
from january20.shacl.validation import Report, skolemized_report

EX = "https://example.org/"


def _result(graph: Graph, report: BNode, focus: str, message: str, inverse_of: str | None = None) -> BNode:
    result = BNode()
    graph.add((report, SH.result, result))
    graph.add((result, RDF.type, SH.ValidationResult))
    graph.add((result, SH.focusNode, URIRef(EX + focus)))
    graph.add((result, SH.resultMessage, Literal(message)))
    if inverse_of:
        path = BNode()
        graph.add((result, SH.resultPath, path))
        graph.add((path, SH.inversePath, URIRef(EX + inverse_of)))
    return result


def _report(*results: tuple) -> Report:
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(False)))
    for args in results:
        _result(graph, report, *args)
    return Report(False, graph, [])


def _iri_of_result_about(graph: Graph, focus: str) -> URIRef:
    (node,) = graph.subjects(SH.focusNode, URIRef(EX + focus))
    return node


def test_a_result_keeps_its_iri_when_another_result_is_added():
    alone = skolemized_report(_report(("a", "first")), Names())
    with_another = skolemized_report(_report(("a", "first"), ("b", "second")), Names())
    assert _iri_of_result_about(alone, "a") == _iri_of_result_about(with_another, "a")


def test_results_that_differ_get_different_iris():
    graph = skolemized_report(_report(("a", "first"), ("a", "second")), Names())
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 2


def test_nested_inverse_paths_are_named_too_and_no_blank_node_is_left():
    graph = skolemized_report(_report(("a", "first", "p"), ("b", "second", "q")), Names())
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    paths = {graph.value(path, SH.inversePath) for path in graph.objects(None, SH.resultPath)}
    assert paths == {URIRef(EX + "p"), URIRef(EX + "q")}


def test_report_nodes_are_named_under_the_base():
    graph = skolemized_report(_report(("a", "first")), Names("https://example.org/data/"))
    assert all(str(s).startswith("https://example.org/data/validation/")
               for s in graph.subjects() if not str(s).startswith(EX + "a"))


def test_a_cycle_of_blank_nodes_is_refused_with_a_message():
    report = _report(("a", "first"))
    looped = next(report.graph.subjects(RDF.type, SH.ValidationResult))
    report.graph.add((looped, SH.detail, next(report.graph.subjects(RDF.type, SH.ValidationReport))))
    with pytest.raises(January20Error, match="cycle"):
        skolemized_report(report, Names())
