"""Our SHACL engine (january20.shacl) gives pySHACL's report: the same report graph (isomorphic: every result with
its focus node, path, value, messages, severity, source shape, constraint component, SPARQL constraint and
sh:detail), and so the same Results, text and skolemized Turtle.

pySHACL stays the reference: every test here runs both. The differential tests cover the seed's build, the shapes
corpus, a few of its mistakes alone, a synthetic corpus and third parties' data; the small ones pin each constraint
kind down with a minimal graph, and check that the engine really produced that kind of result (so that a broken
constraint is named by its test, and a test cannot pass by both engines finding nothing). Where the shapes use
SHACL the engine does not implement, the validation goes to pySHACL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from january20 import shacl
from january20.names import Names
from january20.rdf.read import read_rdf
from january20.resources import Project
from january20.rdf.write import to_turtle
from january20.shacl.validation import (_pyshacl_report, render_text, report_of, skolemized_report,
                                validate_data, validate_graph)
from january20.graph.vocabulary import parse_turtle

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "shapes_corpus"
CONTEXT = ROOT / "tests" / "fixtures" / "shapes-context.ttl"


def assert_same_report(data: Graph, shapes: Graph, ontology: Graph | None) -> Graph:
    """Both engines on the same input: the fast one must not hand over to pySHACL, and its report graph, Results,
    text and skolemized Turtle must be pySHACL's. Returns the report graph."""
    fast_conforms, fast_graph = shacl.validate(data, shapes, ontology)  # raises if it would fall back
    reference = _pyshacl_report(data, shapes, ontology)
    assert isomorphic(fast_graph, reference), _difference(fast_graph, reference)
    fast = report_of(fast_graph, data, shapes, ontology)
    slow = report_of(reference, data, shapes, ontology)
    assert fast.results == slow.results
    assert fast.conforms == slow.conforms
    assert render_text(fast) == render_text(slow)
    assert to_turtle(skolemized_report(fast, Names())) == to_turtle(skolemized_report(slow, Names()))
    return fast_graph


def _difference(ours: Graph, theirs: Graph) -> str:
    from rdflib.compare import graph_diff, to_isomorphic

    _, only_ours, only_theirs = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
    return (f"only in ours:\n{only_ours.serialize(format='turtle')}\n"
            f"only in pySHACL's:\n{only_theirs.serialize(format='turtle')}")


def components(report: Graph) -> set:
    return {str(c).rsplit("#", 1)[-1] for c in report.objects(None, SH.sourceConstraintComponent)}


# ---------------------------------------------------------------------- differential: real data


def test_seed_build_gets_pyshacls_report(rendered, shapes, ontology):
    report = assert_same_report(rendered.built.union(), shapes, ontology)
    assert components(report) == {"SPARQLConstraintComponent"}  # the two warnings of the seed


def test_shapes_corpus_gets_pyshacls_report(project, shapes):
    """All 152 mistakes together, as tests/test_shapes_corpus.py validates them."""
    data = read_rdf([CONTEXT, *sorted(CORPUS.glob("*.ttl"))])
    data += parse_turtle(project.concepts_file)
    report = assert_same_report(data, shapes, parse_turtle(project.ontology_file))
    assert len(set(report.objects(None, SH.result))) > 150


@pytest.mark.parametrize("name", [
    "blank-node", "count-category-outside-scheme", "count-not-listed-by-its-event", "count-value-in-words",
    "excerpt-without-quote-selector", "part-larger-than-total", "parts-add-up-to-less-than-total",
    "event-ends-before-it-starts", "label-without-language-tag", "person-without-name", "iri-breaks-pattern",
    "checksum-too-short", "person-not-a-prov-agent",
])
def test_mistake_alone_gets_pyshacls_report(name, project, shapes):
    """Alone, a mistake decides the report's sh:conforms too (a Violation under a Warning shape leaves it true)."""
    path = CORPUS / f"{name}.ttl"
    data = read_rdf([CONTEXT, path])
    data += parse_turtle(project.concepts_file)
    assert_same_report(data, shapes, parse_turtle(project.ontology_file))


def test_synthetic_corpus_of_three_sources_gets_pyshacls_report(tmp_path, shapes, ontology):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    from january20.graph.dataset import assemble, load_inputs

    union = assemble(load_inputs(Project(generate(3, tmp_path / "project")))).union()
    assert_same_report(union, shapes, ontology)


def test_build_triples_get_the_same_report_as_their_graph(tmp_path, shapes, ontology):
    """The build validates its triples without making an rdflib Graph of them: same report, same Results."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    from january20.graph.dataset import assemble, load_inputs

    triples = assemble(load_inputs(Project(generate(2, tmp_path / "project")))).union_triples()
    from_triples = validate_graph(triples, shapes, ontology)
    from_graph = validate_graph(triples.graph(), shapes, ontology)
    assert isomorphic(from_triples.graph, from_graph.graph)
    assert from_triples.results == from_graph.results and from_triples.results


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory) -> Path:
    """The built dataset with the final toll of 131 killed changed to 100 (as in tests/test_shapes_cli.py)."""
    text = (ROOT / "build" / "january20.nt").read_text(encoding="utf-8")
    old = '<https://w3id.org/january20/count/killed-total> <https://schema.org/value> "131"'
    assert text.count(old) == 1
    path = tmp_path_factory.mktemp("corrupted") / "january20.nt"
    path.write_text(text.replace(old, old.replace('"131"', '"100"')), encoding="utf-8")
    return path


@pytest.mark.parametrize("files", [
    ["context"], ["built"], ["corrupted"], ["context", "count-value-negative"], ["context", "part-larger-than-total"],
])
def test_third_party_data_gets_pyshacls_report(files, project, shapes, corrupted):
    """The inputs of `january20 validate` in tests/test_shapes_cli.py: data that carries neither the ontology nor
    (for the context) the concept schemes, which validate_data mixes in."""
    paths = {"context": CONTEXT, "built": ROOT / "build" / "january20.trig", "corrupted": corrupted}
    data = read_rdf([paths.get(f, CORPUS / f"{f}.ttl") for f in files])
    data += parse_turtle(project.concepts_file)
    report = assert_same_report(data, shapes, parse_turtle(project.ontology_file))
    assert isomorphic(validate_data(read_rdf([paths.get(f, CORPUS / f"{f}.ttl") for f in files]), project,
                                    shapes).graph, report)


# ---------------------------------------------------------------------- one constraint kind each

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
@prefix s: <http://example.org/shapes#> .
"""


def check(data: str, shapes_ttl: str, expected: set[str], ontology: str | None = None) -> Graph:
    """Both engines on a small case; the fast engine's report must hold results of the ``expected`` kinds."""
    graphs = [Graph().parse(data=PREFIXES + text, format="turtle") if text is not None else None
              for text in (data, shapes_ttl, ontology)]
    report = assert_same_report(*graphs)
    assert expected <= components(report), components(report)
    return report


PERSON_DATA = """
ex:ann a ex:Person ; ex:name "Ann"@en, "Anna"@en ; ex:age 30, -1 ; ex:knows ex:bob, "Bob" ; ex:email "ann" .
ex:bob a ex:Person ; ex:name "Bob" ; ex:age "old"^^xsd:integer .
_:anon a ex:Person .
ex:carl a ex:Employee .
"""


def test_min_count(tmp_path):
    check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ; sh:property s:Name .
        s:Name a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:message "needs a name"@en .""",
          {"MinCountConstraintComponent"})


def test_min_count_default_message_names_a_blank_node_by_its_id():
    check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ; sh:property [ sh:path ex:name ;
        sh:minCount 1 ] .""", {"MinCountConstraintComponent"})


def test_max_count():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ; sh:maxCount 1 .""",
          {"MaxCountConstraintComponent"})


def test_class_follows_subclasses_of_the_ontology():
    check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ;
        sh:property [ sh:path ex:knows ; sh:class ex:Person ] .
        s:E a sh:NodeShape ; sh:targetClass ex:Agent ; sh:class ex:Person .""",
          {"ClassConstraintComponent"},
          ontology="ex:Employee rdfs:subClassOf ex:Person . ex:Person rdfs:subClassOf ex:Agent .")


def test_datatype_refuses_ill_typed_literals():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:age ; sh:path ex:age ;
        sh:datatype xsd:integer ; sh:severity sh:Warning .
        s:N a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ; sh:datatype rdf:langString .""",
          {"DatatypeConstraintComponent"})


def test_node_kind():
    check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ; sh:nodeKind sh:IRI .
        s:K a sh:PropertyShape ; sh:targetSubjectsOf ex:knows ; sh:path ex:knows ; sh:nodeKind sh:BlankNodeOrIRI .""",
          {"NodeKindConstraintComponent"})


def test_node_reports_nested_results_as_details():
    report = check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:knows ;
        sh:node s:Named .
        s:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
            sh:property [ sh:path rdf:type ; sh:hasValue ex:Person ] .""", {"NodeConstraintComponent"})
    assert set(report.objects(None, SH.detail))


def test_or():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:knows ; sh:path ex:knows ;
        sh:or ( s:IsPerson [ sh:datatype xsd:integer ] ) .
        s:IsPerson a sh:NodeShape ; sh:class ex:Person .""", {"OrConstraintComponent"})


def test_min_and_max_inclusive():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:age ; sh:path ex:age ;
        sh:minInclusive 0 ; sh:maxInclusive 20 .""",
          {"MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent"})


def test_has_value():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:knows ; sh:hasValue ex:bob .
        s:Q a sh:NodeShape ; sh:targetNode ex:bob, ex:nobody ; sh:hasValue ex:bob .""", {"HasValueConstraintComponent"})


def test_unique_lang():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:name ; sh:uniqueLang true .""",
          {"UniqueLangConstraintComponent"})


def test_pattern():
    check(PERSON_DATA, """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:email ; sh:path ex:email ;
        sh:pattern "^[^@]+@[^@]+$" .
        s:Q a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ; sh:pattern "^B" ; sh:flags "i" .""",
          {"PatternConstraintComponent"})


def test_equals_with_an_inverse_path():
    check("""ex:e1 ex:hasPart ex:p1, ex:p2 . ex:p1 ex:partOf ex:e1 . ex:p3 ex:partOf ex:e1 .""",
          """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:hasPart ; sh:path [ sh:inversePath ex:partOf ] ;
             sh:equals ex:hasPart .""", {"EqualsConstraintComponent"})


def test_qualified_min_and_max_count():
    check("""ex:a ex:sel ex:q1, ex:q2 . ex:q1 a ex:Quote . ex:q2 a ex:Quote .
             ex:b ex:sel ex:x . ex:x a ex:Position .""",
          """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:sel ; sh:path ex:sel ;
             sh:qualifiedValueShape s:IsQuote ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 .
             s:IsQuote a sh:NodeShape ; sh:class ex:Quote .""",
          {"QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent"})


SPARQL_DATA = """
ex:total ex:value 10 ; rdfs:label "the total"@en .
ex:part1 ex:partOf ex:total ; ex:value 7 .
ex:part2 ex:partOf ex:total ; ex:value 8 .
ex:source ex:length 5 . ex:passage ex:in ex:source ; ex:end 9 .
"""


def sparql_shape(name: str, target: str, select: str, message: str) -> str:
    return f"""s:{name} a sh:NodeShape ; {target} ; sh:sparql s:{name}Query .
        s:{name}Query a sh:SPARQLConstraint ; sh:message "{message}"@en ; sh:prefixes s:prefixes ;
            sh:select \"\"\"{select}\"\"\" .
        s:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] ."""


def test_sparql_constraint_anchored_on_a_class_runs_once_with_its_message_filled_in():
    check(SPARQL_DATA, sparql_shape("Parts", "sh:targetNode ex:Count", """
        SELECT $this ?value (SUM(?p) AS ?sum) (SAMPLE(?l) AS ?name) WHERE {
            ?part ex:partOf ?value ; ex:value ?p . ?value ex:value ?t . OPTIONAL { ?value rdfs:label ?l }
        } GROUP BY $this ?value HAVING (SUM(?p) > SAMPLE(?t))""", "parts add up to {?sum}, more than {$name}"),
          {"SPARQLConstraintComponent"})


def test_sparql_constraint_using_this_in_its_pattern_is_prebound_for_each_focus_node():
    check(SPARQL_DATA, sparql_shape("Inside", "sh:targetSubjectsOf ex:length", """
        SELECT $this ?value ?end
        WHERE { $this ex:length ?n . ?value ex:in $this ; ex:end ?end . FILTER (?end > ?n) }""",
                                    "ends at {?end}"), {"SPARQLConstraintComponent"})


def test_sparql_constraint_using_this_in_a_nested_group_runs_per_focus_node():
    check(SPARQL_DATA, sparql_shape("Nested", "sh:targetSubjectsOf ex:value", """
        SELECT $this ?path WHERE { ?x ex:value ?v . FILTER NOT EXISTS { $this ex:partOf ?x } BIND ("p" AS ?path) }""",
                                    "not a part of {?x}"), {"SPARQLConstraintComponent"})


def test_sparql_constraint_filtering_on_this_in_a_nested_group_sees_it_prebound():
    """SHACL pre-binds $this everywhere in the pattern: a FILTER in a nested group sees it bound (in a join it
    would not be, and the query would find nothing). The W3C suite's sparql/pre-binding/pre-binding-003."""
    check(SPARQL_DATA, sparql_shape("Prebound", "sh:targetSubjectsOf ex:partOf", """
        SELECT $this WHERE { { FILTER (bound($this)) } $this ex:value ?v . FILTER (?v > 7) }""", "over 7"),
          {"SPARQLConstraintComponent"})


def test_sparql_target():
    check(SPARQL_DATA, """s:T a sh:SPARQLTarget ; sh:prefixes s:prefixes ;
            sh:select "SELECT ?this WHERE { ?this ex:partOf ?total }" .
        s:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        s:P a sh:NodeShape ; sh:target s:T ; sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .""",
          {"MinCountConstraintComponent"})


def test_targets_of_subjects_objects_and_nodes():
    check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:targetNode ex:nobody ;
        sh:targetSubjectsOf ex:email ; sh:property [ sh:path ex:age ; sh:minCount 1 ] .""",
          {"MinCountConstraintComponent"})


def test_a_failing_warning_shape_fails_the_shape_that_refers_to_it():
    """SHACL: a node conforms to a shape only if validating it gives no result, whatever the shape's severity; so
    sh:node on a shape of severity Warning that fails gives a Violation (pySHACL with warnings allowed gave none)."""
    report = check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ; sh:node s:W .
        s:W a sh:NodeShape ; sh:severity sh:Warning ; sh:property [ sh:path ex:missing ; sh:minCount 1 ] .""",
                   {"NodeConstraintComponent"})
    assert [c.value for c in report.objects(None, SH.conforms)] == [False]


def test_warnings_alone_make_the_report_not_conform():
    report = check(PERSON_DATA, """s:P a sh:NodeShape ; sh:targetClass ex:Person ; sh:severity sh:Warning ;
        sh:property [ sh:path ex:missing ; sh:minCount 1 ; sh:severity sh:Warning ] .""",
                   {"MinCountConstraintComponent"})
    assert set(report.objects(None, SH.resultSeverity)) == {SH.Warning}
    assert [c.value for c in report.objects(None, SH.conforms)] == [False]


# ---------------------------------------------------------------------- handing over to pySHACL


def test_shapes_with_an_unimplemented_feature_go_to_pyshacl():
    data = Graph().parse(data=PREFIXES + PERSON_DATA, format="turtle")
    shapes = Graph().parse(data=PREFIXES + """s:P a sh:PropertyShape ; sh:targetSubjectsOf ex:email ;
        sh:path ex:email ; sh:minLength 5 .""", format="turtle")
    with pytest.raises(shacl.Unsupported):
        shacl.validate(data, shapes, None)
    report = validate_graph(data, shapes, None)  # the default engine, which hands over
    assert components(report.graph) == {"MinLengthConstraintComponent"}
    assert isomorphic(report.graph, _pyshacl_report(data, shapes, None))


def test_data_pyoxigraph_would_rewrite_goes_to_pyshacl():
    """pyoxigraph stores "1.50"^^xsd:decimal as 1.5, rdflib as given: a SPARQL check could see other literals than
    pySHACL's, so such data is validated by pySHACL."""
    data = Graph().parse(data=PREFIXES + SPARQL_DATA + 'ex:total ex:share "1.50"^^xsd:decimal .', format="turtle")
    shapes = Graph().parse(data=PREFIXES + sparql_shape("Once", "sh:targetNode ex:Count", """
        SELECT $this ?value WHERE { ?value ex:share ?s . FILTER (STR(?s) != "1.5") }""", "{?value}"), format="turtle")
    with pytest.raises(shacl.Unsupported):
        shacl.validate(data, shapes, None)
    report = validate_graph(data, shapes, None)
    assert isomorphic(report.graph, _pyshacl_report(data, shapes, None)) and report.results


def test_unknown_engine_is_refused(shapes):
    with pytest.raises(ValueError):
        validate_graph(Graph(), shapes, None, engine="other")


def test_build_does_not_import_pyshacl():
    code = ("import sys\nfrom january20.build import render\nfrom january20.resources import default_project\n"
            "render(default_project(), site=False)\nprint('pyshacl' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
