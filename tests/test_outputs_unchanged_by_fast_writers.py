"""The JSON-LD writers make exactly the bytes of the straightforward ones they replaced.

``to_jsonld`` and ``to_framed_jsonld`` compact and frame with our own code (``jsonld_compact``, ``jsonld_frame``;
small cases in test_jsonld_compact.py and test_jsonld_frame.py); each is compared here with the reference (pyld's
full compaction and framing of the whole graph) on the seed, on a synthetic corpus from the benchmark's generator,
and on a small graph with the awkward terms (typed, multi-line and quoted literals, several objects, an rdfs:Class,
a predicate outside our prefixes). The Turtle, TriG and N-Triples are pyoxigraph's (test_rdf_writers.py). That the
committed build/ equals a fresh build is checked in test_outputs.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace

from january20.build import load_context, load_event_frame
from january20.graph.dataset import build_dataset
from january20.graph.metadata import top_level_events
from january20.resources import Project
from january20.rdf.json_text import indented_json, jsonld_bytes
from january20.rdf.jsonld import _refuse_remote, expanded, to_framed_jsonld, to_jsonld

ROOT = Path(__file__).resolve().parents[1]


def reference_jsonld(graph: Graph, context: dict) -> bytes:
    compacted = jsonld.compact(expanded(graph), context, options={"documentLoader": _refuse_remote})
    return jsonld_bytes(compacted)  # the same layout: what is compared is the compaction


def reference_framed(graph: Graph, context: dict, frame: dict, nodes: list) -> dict:
    """pyld's framing of the whole graph, every node in one pass, as the build did before it framed only what the
    frame reaches."""
    frame = {**frame, "@context": context["@context"], "@id": [str(n) for n in nodes]}
    framed = jsonld.frame(expanded(graph), frame, options={"documentLoader": _refuse_remote})
    by_id = {match["id"]: match for match in framed.get("@graph", [framed] if "id" in framed else [])}
    return {n: jsonld_bytes({"@context": framed["@context"], **by_id[str(n)]}) for n in nodes}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    project = Project(generate(3, tmp_path_factory.mktemp("synthetic") / "project"))
    return build_dataset(project), load_context(project)


def test_jsonld_of_the_seed_is_pylds_full_compaction(rendered, project):
    union = rendered.built.union()
    context = load_context(project)
    assert to_jsonld(union, context) == reference_jsonld(union, context)


def test_jsonld_of_a_synthetic_corpus_is_pylds_full_compaction(synthetic):
    built, context = synthetic
    union = built.union()
    assert len(built.sources) == 3
    assert to_jsonld(union, context) == reference_jsonld(union, context)


def test_framed_event_documents_of_the_seed_are_pylds_framing_of_the_whole_graph(rendered, project):
    union, context, frame = rendered.built.union(), load_context(project), load_event_frame(project)
    events = top_level_events(union)
    assert len(events) > 1
    assert to_framed_jsonld(union, context, frame, events) == reference_framed(union, context, frame, events)


def test_framed_event_documents_of_a_synthetic_corpus_are_pylds_framing_of_the_whole_graph(synthetic):
    built, context = synthetic
    frame = load_event_frame(Project(ROOT))
    union = built.union()
    events = top_level_events(union)
    assert to_framed_jsonld(built.union_triples(), context, frame, events) == \
        reference_framed(union, context, frame, events)


def test_a_frame_that_is_not_explicit_is_applied_to_the_whole_graph(rendered, project):
    union, context = rendered.built.union(), load_context(project)
    frame = {"@context": context["@context"], "@type": "Event"}  # implicit: embeds everything it meets
    events = top_level_events(union)
    assert to_framed_jsonld(union, context, frame, events) == reference_framed(union, context, frame, events)


EX = Namespace("https://w3id.org/january20/event/")
J20 = Namespace("https://w3id.org/january20/ontology#")


def awkward_graph() -> Graph:
    g = Graph()
    a, b = EX["a"], EX["b-2"]
    g.add((J20.Thing, namespace.RDF.type, namespace.RDFS.Class))
    g.add((a, namespace.RDF.type, J20.Thing))
    g.add((a, namespace.RDF.type, J20.Event))
    g.add((a, namespace.RDFS.label, Literal("first", lang="en")))
    g.add((a, namespace.RDFS.label, Literal("premier", lang="fr")))
    g.add((a, namespace.RDFS.comment, Literal('two\nlines with "quotes" and \\ a backslash')))
    g.add((a, J20["count"], Literal(131, datatype=namespace.XSD.integer)))
    g.add((a, J20["count"], Literal(8)))
    g.add((a, J20.flag, Literal(True)))
    g.add((a, J20.when, Literal("1990-01-20", datatype=namespace.XSD.date)))
    g.add((a, J20.ratio, Literal("1.50", datatype=namespace.XSD.decimal)))
    g.add((a, J20.odd, Literal("x", datatype=URIRef("https://example.org/types#custom"))))
    g.add((a, J20.next, b))
    g.add((b, J20.previous, a))
    g.add((b, namespace.RDFS.label, Literal("“curly” — and é")))
    return g


def test_jsonld_of_awkward_terms_is_pylds_full_compaction(project):
    graph = awkward_graph()
    # IRIs as values: a term's own IRI (compacts to the term), one a prefix shortens, and ones nothing shortens
    graph.add((EX["a"], J20.notStated, URIRef("https://schema.org/location")))
    graph.add((EX["a"], namespace.RDFS.seeAlso, URIRef("https://w3id.org/january20/concept/event-kinds/x")))
    graph.add((EX["a"], namespace.RDFS.seeAlso, URIRef("https://example.org/elsewhere")))
    graph.add((URIRef("https://example.org/elsewhere"), J20.next, URIRef("urn:x:y")))
    context = load_context(project)
    assert to_jsonld(graph, context) == reference_jsonld(graph, context)


@pytest.mark.parametrize("value", [
    {"a": [1, -0.0, 2.5, 1e300, 10**30, {"b": []}, {}], "é\n\"\\": [True, False, None, "x\u2028y\u0001\ud800"]},
    [[["deep"]], [], {"": ""}],
    {"nan": float("nan"), "inf": [float("inf"), -float("inf")]},
    {1: "a key that is not text", "set": sorted({3, 1})},
    "just text",
])
def test_indented_json_is_json_dumps_with_indent(value):
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_indented_json_of_the_seeds_jsonld_is_json_dumps_with_indent(rendered):
    document = json.loads(rendered.files["january20.jsonld"])
    assert indented_json(document) == json.dumps(document, indent=2, ensure_ascii=False)


