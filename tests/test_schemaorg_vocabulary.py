"""The schema.org vocabulary check itself (tests/support/schemaorg.py): each rule catches the misuse it names and
lets schema.org's own conventions through."""

from __future__ import annotations

import pytest
from rdflib import Graph

from support.schemaorg import SCHEMA, Vocabulary, check_graph, graph_of_block

PREFIXES = "@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix : <https://example.org/> .\n"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_package()


def misuses(vocabulary, turtle: str) -> list[str]:
    return [str(m) for m in check_graph(Graph().parse(data=PREFIXES + turtle, format="turtle"), vocabulary)]


def block_misuses(vocabulary, block: dict) -> list[str]:
    return [str(m) for m in check_graph(graph_of_block({"@context": "https://schema.org", **block}), vocabulary)]


def test_vocabulary_is_a_recent_schemaorg_release(vocabulary):
    assert float(vocabulary.release) >= 29
    assert SCHEMA.Event in vocabulary.classes and SCHEMA.variableMeasured in vocabulary.properties


def test_location_on_a_quantitative_value_is_outside_its_domain(vocabulary):
    found = misuses(vocabulary, ":c a schema:QuantitativeValue ; schema:value 8 ; schema:location :p . :p a schema:Place .")
    assert len(found) == 1 and found[0].startswith("schema:location on <https://example.org/c>: used on a schema:QuantitativeValue")


def test_organisation_as_an_events_actor_is_outside_its_range(vocabulary):
    found = misuses(vocabulary, ":e a schema:Event ; schema:actor :o . :o a schema:Organization .")
    assert len(found) == 1 and "schema:actor" in found[0] and "schema:Organization, none of its range" in found[0]


def test_a_year_alone_is_not_a_start_date(vocabulary):
    found = misuses(vocabulary, ':e a schema:Event ; schema:startDate "1945"^^xsd:gYear .')
    assert len(found) == 1 and '"1945"^^xsd:gYear is none of its range' in found[0]


def test_a_day_and_month_without_a_year_is_not_a_start_date_in_json(vocabulary):
    assert block_misuses(vocabulary, {"@type": "Event", "startDate": "--01-19"})
    assert not block_misuses(vocabulary, {"@type": "Event", "startDate": "1990-01-19"})


def test_an_organisation_is_not_what_a_creative_work_is_based_on(vocabulary):
    found = misuses(vocabulary, ":a a schema:NewsArticle ; schema:isBasedOn :o . :o a schema:Organization .")
    assert len(found) == 1 and "schema:isBasedOn" in found[0]


def test_a_property_schemaorg_does_not_have_is_named(vocabulary):
    found = block_misuses(vocabulary, {"@id": "https://example.org/e", "@type": "Event", "happenedIn": "Baku"})
    assert found == ["schema:happenedIn on <https://example.org/e>: no property schema:happenedIn in schema.org "
                     f"{vocabulary.release}"]


def test_a_type_schemaorg_does_not_have_is_named(vocabulary):
    found = block_misuses(vocabulary, {"@id": "https://example.org/e", "@type": "Massacre", "name": "x"})
    assert any("no type schema:Massacre" in f for f in found)


def test_a_superseded_term_is_named_with_its_successor(vocabulary):
    old, new = sorted((o, n) for o, n in vocabulary.superseded.items() if o in vocabulary.properties)[0]
    found = misuses(vocabulary, f':t a schema:Thing ; <{old}> "x" .')
    assert any(f"is superseded by schema:{str(new).rsplit('/', 1)[-1]}" in f for f in found)


def test_a_role_may_stand_between_a_property_and_its_value(vocabulary):
    block = {"@type": "Event", "name": "x",
             "actor": {"@type": "PerformanceRole", "roleName": "perpetrator", "actor": {"@type": "Person", "name": "y"}}}
    assert not block_misuses(vocabulary, block)
    block["actor"]["actor"] = {"@type": "Organization", "name": "z"}
    assert block_misuses(vocabulary, block)


def test_an_enumeration_member_fits_its_enumeration(vocabulary):
    block = {"@type": "Event", "name": "x", "eventStatus": {"@id": "https://schema.org/EventScheduled"}}
    assert not block_misuses(vocabulary, block)
    block["eventStatus"] = {"@id": "https://schema.org/InStock"}
    assert block_misuses(vocabulary, block)


def test_data_types_follow_their_hierarchy(vocabulary):
    # Integer is a Number, URL is a Text, a bare IRI a URL: all fit; a number is no Place.
    assert not block_misuses(vocabulary, {"@type": "QuantitativeValue", "value": 131, "unitText": "civilians"})
    assert not block_misuses(vocabulary, {"@type": "Place", "name": "Baku", "sameAs": "http://www.wikidata.org/entity/Q9248",
                                          "geo": {"@type": "GeoCoordinates", "latitude": 40.39528}})
    assert block_misuses(vocabulary, {"@type": "Event", "location": 5})


def test_a_property_on_the_wrong_type_in_json_is_named(vocabulary):
    found = block_misuses(vocabulary, {"@id": "https://example.org/p", "@type": "Person", "headline": "x"})
    assert found and found[0].startswith("schema:headline on <https://example.org/p>: used on a schema:Person")
