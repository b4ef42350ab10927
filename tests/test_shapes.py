"""The shapes themselves: valid SHACL, named, each constraint with a message and a severity; and what they say
about the seed dataset (it conforms, with the source's own discrepancies as warnings)."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from january20.build import render
from january20.names import KINDS, SCHEMA, Names
from january20.shacl.validation import load_shapes, skolemized_report, validate_graph, validate_shapes
from january20.graph.vocabulary import parse_turtle

SHAPES = "https://w3id.org/january20/shapes#"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NODE_CONSTRAINTS = (SH["or"], SH["class"], SH.nodeKind, SH.pattern, SH.sparql, SH.datatype)


@pytest.fixture(scope="session")
def shapes(project) -> Graph:
    return load_shapes(project.shapes_dir)


def targeted_shapes(shapes: Graph) -> set:
    return {s for t in TARGETS for s in shapes.subjects(t, None)}


def test_shapes_are_valid_shacl(shapes):
    report = validate_shapes(shapes)
    assert [r.headline() for r in report.results] == []


def test_meta_validation_catches_a_malformed_shape(shapes):
    broken = Graph()
    broken += shapes
    broken.set((URIRef(SHAPES + "CountValueShape"), SH.minCount, Literal("one")))
    assert not validate_shapes(broken).conforms


def test_every_shape_has_an_iri(shapes):
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.subjects(SH.path, None)) | set(shapes.objects(None, SH.property))
    nodes |= set(shapes.objects(None, SH.sparql)) | targeted_shapes(shapes)
    assert [str(n) for n in nodes if isinstance(n, BNode)] == []
    assert all(str(n).startswith(SHAPES) for n in nodes)


def test_every_constraint_has_a_severity_and_a_message(shapes):
    unfinished = []
    for shape in targeted_shapes(shapes):
        checked = list(shapes.objects(shape, SH.property))
        if any((shape, p, None) in shapes for p in NODE_CONSTRAINTS):
            checked.append(shape)
        for node in checked:
            messages = list(shapes.objects(node, SH.message))
            messages += [m for q in shapes.objects(node, SH.sparql) for m in shapes.objects(q, SH.message)]
            if shapes.value(node, SH.severity) is None or not messages:
                unfinished.append(str(node))
    assert sorted(unfinished) == []


def test_messages_are_in_english(shapes):
    assert {m.language for m in shapes.objects(None, SH.message)} == {"en"}


def test_iri_pattern_shape_knows_every_kind_names_mints(shapes):
    query = str(shapes.value(URIRef(SHAPES + "IriPatternQuery"), SH.select))
    kinds = re.search(r"\(dataset\|\(([a-z|]+)\)/", query).group(1).split("|")
    assert sorted(kinds) == sorted(KINDS)


def test_shapes_do_not_hard_code_the_dataset_base(project):
    """Only the fixed vocabularies may be named in full; resources hang off a base that `build --base` changes."""
    allowed = ("https://w3id.org/january20/ontology", "https://w3id.org/january20/concept/",
               "https://w3id.org/january20/shapes", "https://w3id.org/january20/(ontology|concept/|shapes)")
    for path in sorted(project.shapes_dir.glob("*.ttl")):
        text = path.read_text(encoding="utf-8").replace("w3id[.]org", "w3id.org")
        for match in re.finditer(r"https://w3id\.org/january20/[^\s\">]*", text):
            assert match.group(0).startswith(allowed), f"{path.name}: {match.group(0)}"


def test_seed_dataset_has_no_violations_and_so_does_not_conform_in_shacl_s_sense(rendered):
    assert [r.headline() for r in rendered.report.violations] == []
    assert not rendered.report.conforms  # its warning is a result: sh:conforms is false
    assert list(rendered.report.graph.objects(None, SH.conforms)) == [Literal(False)]


def test_seed_warns_that_the_killed_add_up_to_111_of_131(rendered):
    killed = [r for r in rendered.report.warnings if str(r.subject).endswith("/count/killed-total")
              and r.shape == SHAPES + "PartsBelowTotalShape"]
    assert len(killed) == 1
    assert re.search(r"\b111\b.*\b20 fewer\b.*\b131\b", killed[0].message)


def test_seed_gives_no_warning_about_the_injured_since_the_wounded_are_no_part_of_them(rendered):
    # The article never relates its 20 wounded before the curfew to its 744 injured (injured but not killed).
    assert not [r for r in rendered.report.warnings if str(r.subject).endswith("/count/injured-total")]


def test_seed_has_no_other_warnings_than_the_gap_and_how_other_sources_close_it(rendered):
    assert sorted((str(r.subject).rsplit("/", 1)[-1], r.shape.rsplit("#", 1)[-1])
                  for r in rendered.report.warnings) == [
        ("killed-total", "PartsBelowTotalShape"), ("killed-total", "PartsGapAccountedForElsewhereShape")]


def test_seed_warns_that_other_sources_count_the_missing_20_as_fatally_wounded(rendered):
    [closing] = [r for r in rendered.report.warnings if r.shape == SHAPES + "PartsGapAccountedForElsewhereShape"]
    assert str(closing.subject).endswith("/count/killed-total")
    assert re.search(r"account for the 20\b.*\b2 of them\b.*fatally wounded.*\btotal of 131\b", closing.message)


def test_a_total_changed_to_100_fails_naming_the_count_by_its_label(graph, project, shapes):
    corrupted = Graph()
    corrupted += graph
    total = next(s for s in graph.subjects(SCHEMA.value, Literal(131)) if str(s).endswith("/count/killed-total"))
    corrupted.set((total, SCHEMA.value, Literal(100)))
    report = validate_graph(corrupted, shapes, parse_turtle(project.ontology_file))
    assert not report.conforms
    [violation] = [r for r in report.violations if r.shape == SHAPES + "PartsNotAboveTotalShape"]
    assert violation.subject == total
    assert violation.subject_label == "131 civilians killed (20 January tragedy)"
    assert "111" in violation.message and "11 more" in violation.message and "100" in violation.message
    assert violation.headline().startswith("131 civilians killed (20 January tragedy): ")


def test_a_build_under_another_base_has_no_violations_and_the_same_warnings(project):
    result = render(project, Names("https://example.org/data/j20/"))
    assert result.report.violations == []
    assert sorted(str(r.subject) for r in result.report.warnings) == [
        "https://example.org/data/j20/count/killed-total", "https://example.org/data/j20/count/killed-total"]


def test_validation_report_output_has_no_blank_nodes_and_names_its_shapes(rendered):
    report = skolemized_report(rendered.report, rendered.built.names)
    assert not any(isinstance(t, BNode) for triple in report for t in triple)
    sources = set(report.objects(None, SH.sourceShape))
    assert sources and all(str(s).startswith(SHAPES) for s in sources)
