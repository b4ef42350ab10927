"""The builders are pure functions from checked facts to triples: pinned here on a two-line article."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from january20.graph.builders.context import Context
from january20.graph.builders.counts import build_counts
from january20.graph.builders.events import build_events
from january20.sources.facts import load_facts
from january20.names import J20, SCHEMA, Names
from january20.graph.vocabulary import concept_slugs, parse_turtle

MINI = Path(__file__).parent / "fixtures" / "mini" / "facts.yaml"
B = "https://example.org/t/"


@pytest.fixture
def ctx(project) -> Context:
    concepts = parse_turtle(project.concepts_file)
    return Context(Names(B), load_facts(MINI, concept_slugs(concepts)), concepts)


def test_a_count_becomes_one_node_with_its_value_scope_and_quote(ctx):
    count = URIRef(B + "count/testville-killed")
    label = Literal("12 civilians killed (Killings in Testville)", lang="en")
    assert set(build_counts(ctx)) == {
        (count, RDF.type, J20.Count),
        (count, RDF.type, SCHEMA.QuantitativeValue),
        (count, SCHEMA.value, Literal(12, datatype=XSD.integer)),
        (count, J20.countedCategory, URIRef("https://w3id.org/january20/concept/count-categories/killed")),
        (count, J20.countedThing, URIRef("https://w3id.org/january20/concept/counted-things/civilians")),
        (count, J20.inEvent, URIRef(B + "event/testville-killings")),
        (URIRef(B + "event/testville-killings"), J20.hasCount, count),
        (count, SCHEMA.name, label),
        (count, RDFS.label, label),
        (count, J20.countedAt, URIRef(B + "place/testville")),
        (count, PROV.wasDerivedFrom, URIRef(B + "source/mini/excerpt/25-49")),
    }


def test_a_month_day_without_a_year_is_kept_as_a_gmonthday_and_grounded_in_its_words(ctx):
    event = URIRef(B + "event/testville-killings")
    triples = set(build_events(ctx))
    assert (event, J20.statedDate, Literal("--03-03", datatype=XSD.gMonthDay)) in triples
    assert (event, PROV.wasDerivedFrom, URIRef(B + "source/mini/excerpt/13-23")) in triples
    assert not [t for t in triples if t[1] == SCHEMA.startDate]


def test_builders_are_pure_the_same_facts_give_the_same_triples(ctx):
    assert build_counts(ctx) == build_counts(ctx)


def test_each_term_of_the_facts_graph_is_one_object_per_value(rendered):
    # A builder that makes its own Literal() or namespace term again brings back one copy per use (57,000 copies of
    # 100 predicates at 100 sources) and rdflib's slow __eq__ in every set look-up.
    terms: dict = {}
    for triple in rendered.built.triples["facts"]:
        for term in triple:
            assert terms.setdefault(term, term) is term, term


def test_the_literals_of_a_build_are_made_once_and_kept_apart_by_type():
    from january20.graph.builders.context import Literals

    literals = Literals()
    assert literals("12", datatype=XSD.integer) is literals("12", datatype=XSD.integer)
    assert literals(1) is literals(1) and literals(True) is not literals(1)
    assert literals(True) == Literal(True) and literals(1) == Literal(1)
    assert literals("Baku", lang="en") != literals("Baku")


def test_an_excerpt_is_in_every_sentence_it_overlaps_and_no_other(rendered):
    from january20.sources.quotes import sentences

    facts = rendered.built.triples["facts"]
    for source in rendered.built.sources:
        spans = sentences(source.text)
        names = rendered.built.names
        for excerpt in set(source.excerpts.values()):
            node = names.excerpt(source.id, excerpt.start, excerpt.end)
            expected = {names.sentence(source.id, n) for n, span in enumerate(spans, start=1)
                        if span.start < excerpt.end and excerpt.start < span.end}
            assert set(facts.objects(node, J20.inSentence)) == expected, node
