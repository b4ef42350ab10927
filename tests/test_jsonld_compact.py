"""Our JSON-LD compactor makes exactly pyld's compaction of the expanded graph, and hands other contexts to pyld.

pyld (``jsonld.compact`` on ``serialize.expanded``, nothing of ours in between) is the reference throughout: on
each named graph of the seed (the union and a synthetic corpus are in test_outputs_unchanged_by_fast_writers.py)
and on small graphs, each with one thing term selection or value compaction must get right.
"""

from __future__ import annotations

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from january20.rdf import jsonld_compact
from january20.build import load_context
from january20.resources import default_project
from january20.rdf.json_text import jsonld_bytes
from january20.rdf.jsonld import _refuse_remote, expanded, to_jsonld

CONTEXT = load_context(default_project())
EX = Namespace("https://w3id.org/january20/event/")
J20 = Namespace("https://w3id.org/january20/ontology#")
SCHEMA = Namespace("https://schema.org/")
CONCEPT = Namespace("https://w3id.org/january20/concept/")


def pyld_compaction(graph, context: dict = CONTEXT) -> bytes:
    return jsonld_bytes(jsonld.compact(expanded(graph), context, options={"documentLoader": _refuse_remote}))


def graph_of(*triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def assert_as_pyld(graph, context: dict = CONTEXT) -> None:
    assert to_jsonld(graph, context).decode("utf-8") == pyld_compaction(graph, context).decode("utf-8")


def test_our_context_is_compacted_by_our_compactor():
    assert jsonld_compact.supports(CONTEXT)


@pytest.mark.parametrize("name", ["facts", "editorial", "vocabulary", "metadata"])
def test_each_named_graph_compacts_as_pyld_does(rendered, name):
    assert_as_pyld(rendered.built.triples[name])


A, B, C = EX["a"], EX["b"], EX["c"]


def test_several_values_of_one_property_are_an_array_in_expanded_order():
    assert_as_pyld(graph_of((A, J20.before, B), (A, J20.before, C), (B, J20.after, A), (A, RDF.type, SCHEMA.Event),
                            (A, RDF.type, J20.Region)))


def test_a_set_container_keeps_a_single_value_in_an_array():
    assert_as_pyld(graph_of((A, SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/Q1")), (B, J20.before, A)))


def test_language_map_without_set_holds_one_value_bare_and_two_as_an_array():
    assert_as_pyld(graph_of((A, RDFS.label, Literal("one", lang="en")), (A, RDFS.label, Literal("bir", lang="az")),
                            (B, RDFS.label, Literal("x", lang="en")), (B, RDFS.label, Literal("y", lang="en"))))


def test_language_map_with_set_holds_every_value_in_an_array():
    assert_as_pyld(graph_of((A, SCHEMA.alternateName, Literal("one", lang="en")),
                            (B, SCHEMA.alternateName, Literal("x", lang="en")),
                            (B, SCHEMA.alternateName, Literal("y", lang="en"))))


def test_plain_literal_of_a_language_map_property_goes_under_none():
    assert_as_pyld(graph_of((A, RDFS.label, Literal("plain")), (A, RDFS.label, Literal("tagged", lang="en")),
                            (B, SCHEMA.alternateName, Literal("plain"))))


def test_language_map_keys_are_in_readable_order_even_the_tag_id():
    # "id" (Indonesian) is a language tag and also the alias of @id, which the readable order puts first
    assert_as_pyld(graph_of((A, RDFS.label, Literal("satu", lang="id")), (A, RDFS.label, Literal("one", lang="en")),
                            (A, RDFS.label, Literal("bir", lang="az"))))


def test_literal_of_the_terms_datatype_is_bare_and_of_another_is_a_value_object():
    assert_as_pyld(graph_of((A, SCHEMA.latitude, Literal("40.4", datatype=XSD.decimal)),
                            (B, SCHEMA.latitude, Literal("40", datatype=XSD.integer)),
                            (C, SCHEMA.latitude, Literal("north"))))


def test_numbers_booleans_and_unknown_datatypes_compact_as_pyld_does():
    odd = URIRef("https://example.org/types#custom")
    assert_as_pyld(graph_of((A, URIRef("http://www.w3.org/ns/oa#start"), Literal(12, datatype=XSD.nonNegativeInteger)),
                            (A, URIRef("http://www.w3.org/ns/oa#end"), Literal("012", datatype=XSD.nonNegativeInteger)),
                            (A, J20.characterCount, Literal(131)), (A, J20.carriesPhotographs, Literal(True)),
                            (A, J20.odd, Literal("x", datatype=odd)), (A, J20.when, Literal("1990-01-20",
                                                                                           datatype=XSD.date))))


def test_iri_values_become_a_prefixed_name_a_term_or_stay_whole():
    assert_as_pyld(graph_of((A, J20.eventKind, CONCEPT["event-kinds/massacre"]),
                            (A, J20.notStated, SCHEMA.location),
                            (A, J20.before, URIRef("https://example.org/elsewhere")),
                            (A, RDFS.seeAlso, URIRef("urn:x:y")),
                            (A, RDFS.seeAlso, CONCEPT["x"]),
                            (A, RDF.type, URIRef("https://example.org/Unknown"))))


def test_iri_value_of_a_property_without_a_term_is_an_id_object():
    assert_as_pyld(graph_of((A, RDFS.seeAlso, B), (A, URIRef("https://example.org/vocab#p"), B)))


def test_one_node_is_written_without_a_graph_array():
    assert_as_pyld(graph_of((A, RDFS.label, Literal("alone", lang="en"))))


def test_no_triples_give_the_context_alone():
    assert_as_pyld(Graph())


def test_context_with_a_feature_our_compactor_lacks_falls_back_to_pyld(rendered):
    # under a @type: @vocab term an IRI compacts against the vocabulary: to the term Event, not schema:Event
    context = {"@context": {**CONTEXT["@context"], "eventKind": {"@id": "j20:eventKind", "@type": "@vocab"}}}
    assert not jsonld_compact.supports(context)
    graph = graph_of(*rendered.built.triples["facts"], (A, J20.eventKind, SCHEMA.Event))
    assert_as_pyld(graph, context)


@pytest.mark.parametrize("extra", [
    {"@base": "https://w3id.org/january20/"},
    {"@language": "en"},
    {"reversed": {"@reverse": "schema:subEvent"}},
    {"listed": {"@id": "schema:itemListElement", "@container": "@list"}},
    {"scoped": {"@id": "schema:about", "@context": {}}},
    {"vocabTyped": {"@id": "schema:about", "@type": "@vocab"}},
    {"indexed": {"@id": "schema:about", "@container": "@index"}},
])
def test_contexts_with_other_features_are_not_ours_to_compact(extra):
    assert not jsonld_compact.supports({"@context": {**CONTEXT["@context"], **extra}})


def test_ill_typed_number_is_written_as_json_dumps_writes_it():
    # rdflib keeps an ill-typed literal's value as the literal itself (a str subclass), which only json.dumps writes
    assert_as_pyld(graph_of((A, J20.characterCount, Literal("très", datatype=XSD.integer)),
                            (A, RDFS.label, Literal("é", lang="en")), (B, J20.before, A)))
