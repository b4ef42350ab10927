"""The validator's fast paths give pySHACL's report: the build's own triples (not an rdflib Graph), the target that
selects every subject answered without a query, the datatype test decided once per datatype and numbers compared by
value for sh:minInclusive and sh:maxInclusive. pySHACL stays the reference: each test compares with it, or with the
routine the fast path stands in for, on the seed, a synthetic corpus and mistakes injected into it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH, XSD

from january20 import shacl
from january20.rdf.read import read_rdf
from january20.resources import Project
from january20.shacl import sparql
from january20.shacl.engine import _datatype_matches, _datatype_test, _in_range, _range_test
from january20.shacl.shapes import SparqlQuery
from january20.graph.triples import Triples
from january20.shacl.validation import _pyshacl_report
from january20.graph.vocabulary import parse_turtle

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "shapes_corpus"
CONTEXT = ROOT / "tests" / "fixtures" / "shapes-context.ttl"
# Mistakes for the SPARQL checks, the datatypes, the ranges, the classes and the counts (tests/shapes_corpus/).
MISTAKES = [
    "blank-node",
    "count-category-outside-scheme", "count-not-listed-by-its-event", "count-value-in-words", "count-value-negative",
    "count-value-not-a-whole-number", "part-larger-than-total", "parts-add-up-to-less-than-total",
    "event-ends-before-it-starts", "label-without-language-tag", "person-without-name", "iri-breaks-pattern",
    "checksum-too-short", "person-not-a-prov-agent", "excerpt-without-quote-selector",
]


@pytest.fixture(scope="module")
def synthetic_with_mistakes(tmp_path_factory, project) -> Triples:
    """Two synthetic sources as the build assembles them, with the mistakes above and their context added."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    from january20.graph.dataset import assemble, load_inputs

    root = generate(2, tmp_path_factory.mktemp("synthetic") / "project")
    triples = Triples(assemble(load_inputs(Project(root))).union_triples())  # a copy: the union is read-only
    mistakes = read_rdf([CONTEXT, *(CORPUS / f"{name}.ttl" for name in MISTAKES)])
    mistakes += parse_turtle(project.concepts_file)
    triples.update(mistakes)
    return triples


def test_synthetic_corpus_with_mistakes_gets_pyshacls_report(synthetic_with_mistakes, shapes, ontology):
    """The build's triples (not a Graph) with mistakes of every kind of check: the fast engine against pySHACL."""
    _, ours = shacl.validate(synthetic_with_mistakes, shapes, ontology)  # raises if it would hand over
    assert isomorphic(ours, _pyshacl_report(synthetic_with_mistakes.graph(), shapes, ontology))
    components = {str(c).rsplit("#", 1)[-1] for c in ours.objects(None, SH.sourceConstraintComponent)}
    assert {"SPARQLConstraintComponent", "DatatypeConstraintComponent", "ClassConstraintComponent",
            "MinCountConstraintComponent", "MinInclusiveConstraintComponent"} <= components


def test_seed_triples_get_pyshacls_report(rendered, shapes, ontology):
    union = rendered.built.union_triples()
    _, ours = shacl.validate(union, shapes, ontology)
    assert isomorphic(ours, _pyshacl_report(union.graph(), shapes, ontology))


# ---------------------------------------------------------------------- the target of every subject


@pytest.mark.parametrize("query", [
    "SELECT DISTINCT ?this WHERE { ?this ?p ?o . }",
    "\n  SELECT ?this\n  WHERE { ?this ?p ?o }  # every node\n",
    "select $this where {$this ?a ?b}",
    "SELECT REDUCED ?this { ?this ?this2 ?o . }",
])
def test_every_subject_query_is_recognised(query):
    assert sparql._selects_every_subject(query)


@pytest.mark.parametrize("query", [
    "SELECT ?this { ?this ?p ?p }",              # predicate and object the same
    "SELECT ?this { ?this ?this ?o }",           # subject and predicate the same
    "SELECT ?THIS { ?THIS ?p ?o }",              # another variable than ?this
    "SELECT ?this { ?this ?p ?o } LIMIT 3",
    "SELECT ?this { ?this ?p ?o . ?this a ?t }",
    "SELECT ?this { ?this ?p 'x' }",
    "SELECT ?this { ?this <http://example.org/p> ?o }",
    "SELECT ?this { ?this ?p ?o } <http://example.org/junk>",
    "PREFIX ex: <http://example.org/> SELECT ?this { ?this ?p ?o }",
    "SELECT ?this ?p { ?this ?p ?o }",
])
def test_other_queries_are_not_taken_for_every_subject(query):
    assert not sparql._selects_every_subject(query)


def test_every_subject_target_is_what_the_query_selects(project):
    """The view's subjects (data and copied ontology axioms, blank nodes included) against pyoxigraph's answer."""
    data = Triples(parse_turtle(project.concepts_file))
    data.update([(BNode("b1"), RDF.type, URIRef("http://example.org/C")),
                 (URIRef("http://example.org/s"), RDFS.label, Literal("s"))])
    runner = sparql.SparqlRunner(shacl.data_view(data, parse_turtle(project.ontology_file)))
    query = SparqlQuery(URIRef("http://example.org/AllSubjects"), "SELECT DISTINCT ?this WHERE { ?this ?p ?o . }",
                        {})
    native = runner.targets(query)
    _, rows = runner.select(query.text())
    assert native == {row["this"] for row in rows}
    assert BNode("b1") in native and URIRef("https://w3id.org/january20/ontology#Count") in native  # an axiom


# ---------------------------------------------------------------------- the datatype test


LITERALS = [
    Literal("x"), Literal("x", lang="en"), Literal("x", lang=""), Literal("x", datatype=XSD.string),
    Literal("5", datatype=XSD.integer), Literal("five", datatype=XSD.integer), Literal("5", datatype=XSD.decimal),
    Literal("2020-01-20", datatype=XSD.date), Literal("2020-13-45", datatype=XSD.date),
    Literal("--01-20", datatype=XSD.gMonthDay), Literal("true", datatype=XSD.boolean),
    Literal("x", datatype=RDF.langString), Literal("POINT(1 2)", datatype=URIRef("http://example.org/wkt")),
    Literal(b"\x01", datatype=XSD.hexBinary), Literal("1990", datatype=XSD.gYear),
]
DATATYPES = [XSD.string, RDF.langString, XSD.integer, XSD.decimal, XSD.date, XSD.gMonthDay, XSD.boolean,
             XSD.gYear, RDFS.Literal, RDFS.Datatype, XSD.hexBinary, URIRef("http://example.org/wkt")]


@pytest.mark.parametrize("dt", DATATYPES)
def test_datatype_test_decides_as_the_reference(dt):
    test = _datatype_test(URIRef(str(dt)))  # a datatype object of its own, as the shapes graph has
    values = LITERALS + [Literal(str(v), lang=v.language, datatype=v.datatype) for v in LITERALS]
    values += [URIRef("http://example.org/x"), BNode("b")]
    for _ in range(2):  # the second time from what it remembers
        assert [test(v) for v in values] == [_datatype_matches(v, dt) for v in values]


# ---------------------------------------------------------------------- the range test

NUMBERS = [
    Literal("5", datatype=XSD.integer), Literal("-1", datatype=XSD.integer), Literal("0", datatype=XSD.integer),
    Literal("05", datatype=XSD.integer), Literal("5.0", datatype=XSD.decimal), Literal("4.5", datatype=XSD.decimal),
    Literal("5", datatype=XSD.nonNegativeInteger), Literal("1e1", datatype=XSD.double),
    Literal("NaN", datatype=XSD.double), Literal("INF", datatype=XSD.float), Literal("five", datatype=XSD.integer),
    Literal("-3", datatype=XSD.nonNegativeInteger), Literal("5"), Literal("5", lang="en"),
    Literal("2020-01-20", datatype=XSD.date), Literal("true", datatype=XSD.boolean),
    Literal("5", datatype=URIRef("http://example.org/number")), URIRef("http://example.org/5"), BNode("five"),
]
BOUNDS = [Literal("0", datatype=XSD.integer), Literal("5", datatype=XSD.decimal), Literal("4.5", datatype=XSD.double),
          Literal("5", datatype=XSD.nonNegativeInteger), Literal("b"), Literal("2020-01-01", datatype=XSD.date)]


@pytest.mark.parametrize("bound", BOUNDS)
@pytest.mark.parametrize("ok", [lambda cmp: cmp >= 0, lambda cmp: cmp <= 0], ids=["min", "max"])
def test_range_test_decides_as_the_reference(bound, ok):
    test = _range_test(bound, ok)
    values = NUMBERS + [Literal(str(v), lang=v.language, datatype=v.datatype) for v in NUMBERS
                        if isinstance(v, Literal)]
    bound_is_string = isinstance(bound.value, str)
    for _ in range(2):
        assert [outcome(test, v) for v in values] == [
            outcome(lambda v: _in_range(v, bound, bound_is_string, ok), v) for v in values]


def outcome(test, value):
    """What ``test`` says of ``value``, or the type of what it raises (NaN against a decimal raises, as in rdflib)."""
    try:
        return test(value)
    except Exception as exc:
        return type(exc)
