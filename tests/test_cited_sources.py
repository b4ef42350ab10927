"""Cited sources: pages read at an address on a date, whose figures stand side by side with the article's.

Each figure is a node of its own, exactly as its page states it, resting on a citation; it points at the seed's
event, place and population nodes; quantities, summaries and explanations are editorial.
"""

from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from january20.errors import January20Error
from january20.graph.dataset import load_inputs
from january20.names import J20, SCHEMA

try:
    from tests.support.project import copy_project
except ImportError:
    from support.project import copy_project

BASE = "https://w3id.org/january20/"


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def test_the_build_holds_the_seed_and_at_least_eight_cited_sources(rendered):
    assert len(rendered.built.sources) == 1
    assert len(rendered.built.cited) >= 8


def test_every_cited_source_has_a_publisher_of_its_own(graph):
    sources = set(graph.subjects(RDF.type, J20.CitedSource))
    publishers = {graph.value(s, SCHEMA.publisher) for s in sources}
    assert len(publishers) == len(sources)


def test_civilians_killed_has_six_distinct_values_from_distinct_sources_with_its_low_and_high(graph):
    summary = iri("quantity/civilians-killed-in-the-tragedy/summary")
    values = list(graph.objects(summary, J20.reportedValue))
    assert len(values) >= 6
    sources_by_value = [set(graph.objects(v, J20.reportedBy)) for v in values]
    assert len(set.union(*sources_by_value)) >= 6
    assert graph.value(summary, J20.lowestReported) == integer(100)
    assert graph.value(summary, J20.highestReported) == integer(170)


def test_each_bound_of_a_summary_is_traceable_to_figures_that_give_it(graph):
    for summary in graph.subjects(RDF.type, J20.QuantitySummary):
        low, high = graph.value(summary, J20.lowestReported), graph.value(summary, J20.highestReported)
        lows = list(graph.objects(summary, J20.lowestReportedIn))
        highs = list(graph.objects(summary, J20.highestReportedIn))
        assert lows and highs, summary
        for figure in lows:
            assert low in (graph.value(figure, SCHEMA.value), graph.value(figure, SCHEMA.minValue)), figure
        for figure in highs:
            assert high in (graph.value(figure, SCHEMA.value), graph.value(figure, SCHEMA.maxValue)), figure


def test_the_seeds_value_stands_among_the_others_not_above_them(graph):
    value = iri("quantity/civilians-killed-in-the-tragedy/summary/value/131")
    assert {iri("count/killed-total"), iri("figure/docslib-bloody-memory-20-january/killed-total")} == set(
        graph.objects(value, J20.reportedIn))
    assert graph.value(value, J20.sourceCount) == integer(2)


def test_a_range_is_kept_as_its_low_and_high_never_as_one_number(facts_graph):
    figure = iri("figure/piglix-black-january-mirror/killed-infobox")
    assert facts_graph.value(figure, SCHEMA.minValue) == integer(131)
    assert facts_graph.value(figure, SCHEMA.maxValue) == integer(170)
    assert facts_graph.value(figure, SCHEMA.value) is None


def test_a_qualifier_is_kept_with_its_figure(facts_graph):
    figure = iri("figure/rferl-2020-30th-anniversary-black-january/killed")
    assert facts_graph.value(figure, J20.qualifier) == URIRef(BASE + "concept/figure-qualifiers/over")
    assert facts_graph.value(figure, SCHEMA.value) == integer(200)


def test_a_figure_credited_to_a_ministry_names_it_while_the_page_stays_the_source(facts_graph):
    figure = iri("figure/onenews-az-2026-mfa-statement-20-january/killed")
    source = iri("source/onenews-az-2026-mfa-statement-20-january")
    party = facts_graph.value(figure, J20.attributedTo)
    assert facts_graph.value(party, J20.attributionKind) == URIRef(BASE + "concept/attribution-kinds/ministry")
    assert facts_graph.value(figure, J20.reportedBy) == source
    assert (party, RDF.type, J20.CitedSource) not in facts_graph


def test_cited_figures_point_at_the_seeds_nodes_which_never_point_back(facts_graph):
    figure = iri("figure/docslib-bloody-memory-20-january/killed-after-baku")
    assert facts_graph.value(figure, J20.countedAt) == iri("place/baku")
    assert facts_graph.value(figure, J20.inEvent) == iri("event/killings-in-baku-after-curfew")
    figures = set(facts_graph.subjects(RDF.type, J20.CitedFigure))
    assert not [t for t in facts_graph if t[2] in figures]


def test_a_stated_place_for_a_joint_figure_is_the_seeds_place_group(facts_graph):
    figure = iri("figure/menafn-azernews-2024-un-mission-alley-of-martyrs/killed-neftchala-lankaran")
    assert facts_graph.value(figure, J20.countedAt) == iri("place/regions-without-curfew")


def test_scopes_that_differ_are_separate_quantities_related_to_each_other(editorial_graph):
    assert (iri("quantity/civilians-killed-in-the-tragedy"), J20.narrowerThan,
            iri("quantity/killed-in-the-tragedy")) in editorial_graph
    assert (iri("quantity/killed-in-baku"), J20.partOfQuantity, iri("quantity/killed-in-the-tragedy")) in (
        editorial_graph)
    assert (iri("quantity/killed-by-9-february-1990"), J20.relatedQuantity,
            iri("quantity/killed-in-the-tragedy")) in editorial_graph


def test_the_alignment_of_a_seed_count_with_a_quantity_is_an_editorial_statement(facts_graph, editorial_graph):
    triple = (iri("count/killed-total"), J20.valueOf, iri("quantity/civilians-killed-in-the-tragedy"))
    assert triple in editorial_graph and triple not in facts_graph
    [statement] = editorial_graph.subjects(RDF.subject, iri("count/killed-total"))
    assert (statement, RDF.type, J20.EditorialStatement) in editorial_graph
    assert editorial_graph.value(statement, J20.evidence) is not None


def test_quantities_summaries_and_explanations_are_not_in_the_facts_graph(facts_graph, editorial_graph):
    for kind in (J20.ReportedQuantity, J20.QuantitySummary, J20.ReportedValue, J20.EditorialExplanation):
        assert not list(facts_graph.subjects(RDF.type, kind)), kind
        assert list(editorial_graph.subjects(RDF.type, kind)), kind


def test_summaries_are_marked_as_derived_by_the_build(editorial_graph):
    for summary in editorial_graph.subjects(RDF.type, J20.QuantitySummary):
        assert editorial_graph.value(summary, J20.derivedByBuild) == Literal(True)
        assert list(editorial_graph.objects(summary, PROV.wasDerivedFrom))


def test_an_explanation_cites_its_evidence_and_leaves_every_figure_as_stated(graph, editorial_graph):
    explanation = iri("editorial/twenty-counted-among-the-dead")
    evidence = set(editorial_graph.objects(explanation, J20.evidenceFigure))
    assert iri("figure/menafn-azernews-2024-un-mission-alley-of-martyrs/mortally-wounded") in evidence
    assert all((c, RDF.type, J20.Citation) in graph for c in editorial_graph.objects(explanation, PROV.wasDerivedFrom))
    assert graph.value(iri("count/killed-total"), SCHEMA.value) == integer(131)
    assert graph.value(iri("figure/menafn-azernews-2024-un-mission-alley-of-martyrs/killed-total"),
                       SCHEMA.value) == integer(147)


def test_a_publication_date_the_page_does_not_give_stays_open(facts_graph):
    source = iri("source/rferl-2020-30th-anniversary-black-january")
    assert facts_graph.value(source, SCHEMA.datePublished) is None
    assert (source, J20.notStated, SCHEMA.datePublished) in facts_graph
    dated = iri("source/menafn-azernews-2024-un-mission-alley-of-martyrs")
    assert facts_graph.value(dated, SCHEMA.datePublished) == Literal("2024-01-20", datatype=XSD.date)


def test_figures_about_the_whole_tragedy_are_in_the_seeds_top_level_event(facts_graph):
    figure = iri("figure/iha-news-black-january-martyrs-commemorated/killed")
    event = facts_graph.value(figure, J20.inEvent)
    assert (iri("count/killed-total"), J20.inEvent, event) in facts_graph


def test_a_figure_whose_population_its_quantity_does_not_count_is_refused_with_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project.sources_dir / "news-az-2017-minute-of-silence" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    quantity: killed-in-baku\n", "    quantity: civilians-killed-in-the-tragedy\n"),
                    encoding="utf-8")
    with pytest.raises(January20Error) as caught:
        load_inputs(project)
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.line is not None
    assert problem.field.endswith("(killed).population")
    assert "does not fit quantity 'civilians-killed-in-the-tragedy'" in problem.message


def test_a_project_without_a_quantities_file_builds_without_cited_sources(tmp_path):
    project = copy_project(tmp_path / "project")
    project.quantities_file.unlink()
    for path in project.facts_files():
        if path.read_text(encoding="utf-8").startswith("#") and "cited_source:" in path.read_text(encoding="utf-8"):
            shutil.rmtree(path.parent)
    inputs = load_inputs(project)
    assert inputs.cited == [] and inputs.quantities.quantities == []


def test_the_azerbaijan_ssr_a_cited_ministry_belongs_to_is_one_place_the_source_names_with_the_editors_identifier(
        facts_graph, editorial_graph):
    place = iri("place/azerbaijan-ssr")
    assert (place, J20.editorialSameAs, URIRef("http://www.wikidata.org/entity/Q131337")) in editorial_graph
    party = iri("source/zerbaijan-com-black-january-page/attribution/moh-via-book")
    assert (party, J20.namesPlace, place) in facts_graph  # the page names it: the source's statement
    [statement] = editorial_graph.subjects(RDF.subject, place)
    assert editorial_graph.value(statement, J20.evidence) is not None


def test_a_resolved_1990_date_rests_on_the_citation_of_a_source_that_gives_the_year(editorial_graph, facts_graph):
    statement = iri("editorial/killings-in-neftchala-start-date")
    citation = editorial_graph.value(statement, PROV.wasDerivedFrom)
    assert citation == iri("source/xalq-qazeti-2024-us-ambassador-condolences/citation/killed-neftchala-lankaran")
    assert (citation, RDF.type, J20.Citation) in facts_graph
