"""Our JSON-LD framer makes exactly the documents pyld's framing of the whole graph makes, and hands other frames
to pyld.

pyld (``jsonld.frame`` of ``serialize.expanded`` of the whole graph, every node in one pass, nothing of ours in
between) is the reference; the seed and a synthetic corpus are compared in
test_outputs_unchanged_by_fast_writers.py, small graphs here, each with one framing rule to get right.
"""

from __future__ import annotations

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from january20.rdf import jsonld_frame
from january20.build import load_context, load_event_frame
from january20.resources import default_project
from january20.rdf.json_text import jsonld_bytes
from january20.rdf.jsonld import OPTIONS, _RememberingProcessor, _refuse_remote, expanded, to_framed_jsonld

PROJECT = default_project()
CONTEXT = load_context(PROJECT)
FRAME = load_event_frame(PROJECT)
EX = Namespace("https://w3id.org/january20/event/")
PLACE = Namespace("https://w3id.org/january20/place/")
J20 = Namespace("https://w3id.org/january20/ontology#")
SCHEMA = Namespace("https://schema.org/")
A, B, C = EX["a"], EX["b"], EX["c"]
BAKU, AZ = PLACE["baku"], PLACE["azerbaijan"]


def pyld_framing(graph, frame: dict, nodes: list, context: dict = CONTEXT) -> dict:
    frame = {**frame, "@context": context["@context"], "@id": [str(n) for n in nodes]}
    framed = jsonld.frame(expanded(graph), frame, options={"documentLoader": _refuse_remote})
    by_id = {match["id"]: match for match in framed.get("@graph", [framed] if "id" in framed else [])}
    return {n: jsonld_bytes({"@context": framed["@context"], **by_id[str(n)]}) for n in nodes}


def graph_of(*triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def event(node: URIRef, name: str) -> list:
    return [(node, RDF.type, SCHEMA.Event), (node, SCHEMA.name, Literal(name, lang="en"))]


def assert_as_pyld(graph: Graph, nodes: list, frame: dict = FRAME) -> None:
    ours = {n: d.decode("utf-8") for n, d in to_framed_jsonld(graph, CONTEXT, frame, nodes).items()}
    assert ours == {n: d.decode("utf-8") for n, d in pyld_framing(graph, frame, nodes).items()}


def expanded_frame(frame: dict) -> list:
    frame = {**frame, "@context": CONTEXT["@context"], "@id": [str(A)]}
    return _RememberingProcessor().expand(frame, {**OPTIONS, "isFrame": True, "keepFreeFloatingNodes": True})


def test_our_event_frame_is_framed_by_our_framer():
    assert jsonld_frame.supports(expanded_frame(FRAME))


def test_a_node_reached_twice_under_always_is_embedded_both_times():
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.location, BAKU), (A, J20.hasCount, EX["a/count"]),
                            (EX["a/count"], J20.statedAmount, Literal("many", lang="en")),
                            (EX["a/count"], J20.countedAt, BAKU),
                            (BAKU, RDFS.label, Literal("Baku", lang="en")), (BAKU, SCHEMA.containedInPlace, AZ)),
                   [A])


def test_a_cycle_of_sub_events_is_embedded_once_round_then_referenced():
    assert_as_pyld(graph_of(*event(A, "a"), *event(B, "b"), (A, SCHEMA.subEvent, B), (B, SCHEMA.subEvent, A)), [A])


def test_an_event_that_is_its_own_sub_event_is_embedded_in_itself_once():
    # pyld's circular check skips the top of its stack (the parent), so a self-loop embeds once before it stops
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.subEvent, A)), [A])


def test_a_sub_event_that_is_not_an_event_is_left_out():
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.subEvent, B), (A, SCHEMA.subEvent, C), *event(C, "c"),
                            (B, RDFS.label, Literal("not an event", lang="en"))), [A])


def test_a_place_with_none_of_the_frames_properties_is_left_out():
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.location, BAKU), (A, SCHEMA.location, AZ),
                            (AZ, RDFS.label, Literal("Azerbaijan", lang="en")),
                            (BAKU, RDFS.comment, Literal("not framed"))), [A])


def test_properties_the_frame_does_not_name_are_left_out_and_absent_ones_get_no_key():
    assert_as_pyld(graph_of(*event(A, "a"), (A, RDFS.comment, Literal("not framed")), (A, J20.before, B)), [A])


def test_never_embedded_values_are_references_even_to_described_nodes():
    assert_as_pyld(graph_of(*event(A, "a"), *event(B, "b"), (A, J20.before, B), (A, SCHEMA.sameAs, AZ)), [A, B])


def test_an_embedded_node_left_with_only_its_id_is_written_as_a_reference():
    # the excerpt matches (it has hasSelector), but its only selector has none of the selector frame's properties
    excerpt, selector = EX["a/excerpt"], EX["a/selector"]
    assert_as_pyld(graph_of(*event(A, "a"), (A, PROV.wasDerivedFrom, excerpt),
                            (excerpt, URIRef("http://www.w3.org/ns/oa#hasSelector"), selector),
                            (selector, RDFS.comment, Literal("nothing framed"))), [A])


def test_equal_values_are_kept_once_as_in_pylds_node_map():
    # two rdflib literals, one JSON-LD value: pyld's node map holds it once
    assert_as_pyld(graph_of(*event(A, "a"), (A, J20.statedDate, Literal("x")),
                            (A, J20.statedDate, Literal("x", datatype=XSD.string))), [A])


def test_a_number_and_a_boolean_equal_in_python_are_both_kept():
    assert_as_pyld(graph_of(*event(A, "a"), (A, J20.statedDate, Literal(1)), (A, J20.statedDate, Literal(True))), [A])


def test_a_top_level_node_without_a_description_is_its_id():
    assert_as_pyld(graph_of(*event(A, "a"), (A, J20.before, B)), [A, B])


def test_a_top_level_node_not_in_the_graph_is_refused():
    with pytest.raises(ValueError, match="matches no node"):
        to_framed_jsonld(graph_of(*event(A, "a")), CONTEXT, FRAME, [A, C])


def test_a_frame_that_is_not_explicit_embeds_a_node_once_then_references_it():
    frame = {"@context": CONTEXT["@context"], "@type": "Event"}
    assert jsonld_frame.supports(expanded_frame(frame))
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.location, BAKU), (A, J20.hasCount, EX["a/count"]),
                            (EX["a/count"], J20.countedAt, BAKU), (BAKU, SCHEMA.containedInPlace, AZ),
                            (AZ, RDFS.label, Literal("Azerbaijan", lang="en"))), [A], frame)


@pytest.mark.parametrize("change", [
    {"schema:name": {"@omitDefault": False}},
    {"schema:name": {"@default": "unnamed"}},
    {"location": {"@requireAll": True, "@explicit": True, "@omitDefault": True, "rdfs:label": {"@omitDefault": True}}},
    {"schema:name": {}},
    {"location": {"@embed": "@link", "@omitDefault": True}},
])
def test_frames_with_other_features_are_left_to_pyld(change):
    frame = {**FRAME, **change}
    assert not jsonld_frame.supports(expanded_frame(frame))
    assert_as_pyld(graph_of(*event(A, "a"), (A, SCHEMA.location, BAKU), (BAKU, RDFS.label, Literal("B", lang="en"))),
                   [A], frame)


def test_a_literal_reading_null_is_left_to_pyld_which_drops_it():
    assert_as_pyld(graph_of(*event(A, "a"), (A, RDFS.label, Literal("@null", lang="en"))), [A])


def test_an_ill_typed_number_in_an_embedded_node_is_written_as_json_dumps_writes_it():
    assert_as_pyld(graph_of(*event(A, "a"), (A, J20.hasCount, EX["a/count"]),
                            (EX["a/count"], SCHEMA.value, Literal("très", datatype=XSD.integer))), [A])


def test_a_context_our_compactor_lacks_leaves_framing_to_pyld():
    # under a @type: @vocab term an IRI compacts against the vocabulary: to the term Event, not schema:Event
    terms = {**CONTEXT["@context"], "eventKind": {"@id": "j20:eventKind", "@type": "@vocab"}}
    context = {"@context": terms}
    graph = graph_of(*event(A, "a"), (A, J20.eventKind, SCHEMA.Event))
    ours = to_framed_jsonld(graph, context, FRAME, [A])
    assert ours == pyld_framing(graph, FRAME, [A], context)
