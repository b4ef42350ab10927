"""The JSON-LD outputs: the compacted dataset and the framed per-event documents.

Both must mean exactly what the Turtle means (checked through two independent JSON-LD readers, pyld and rdflib),
read as ordinary JSON (every key a term of our context, every class a term, numbers as numbers), and need no network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, SKOS, XSD

from january20.build import load_context, load_event_frame
from january20.graph.metadata import event_document_path, top_level_events
from january20.names import J20, OA, SCHEMA
from january20.resources import default_project
from january20.rdf.jsonld import OPTIONS, to_framed_jsonld, to_jsonld

PROJECT = default_project()
CONTEXT = load_context(PROJECT)
TERMS = CONTEXT["@context"]
KEYWORDS = {"@context", "@id", "@type", "@value", "@language", "@graph", "@list", "@set", "@reverse", "@index",
            "@none", "@direction", "@included", "@nest", "@json"}
# Namespaces the context declares a prefix for: an IRI in one of them should never appear written out in full.
NAMESPACES = {name: iri for name, iri in TERMS.items() if isinstance(iri, str) and iri.endswith(("/", "#"))}


@pytest.fixture(scope="module")
def result(rendered):
    return rendered  # the session's one build (tests/conftest.py)


@pytest.fixture(scope="module")
def dataset(result) -> Graph:
    return Graph().parse(data=result.files["january20.ttl"], format="turtle")


@pytest.fixture(scope="module")
def compacted(result) -> dict:
    return json.loads(result.files["january20.jsonld"])


@pytest.fixture(scope="module")
def framed(result) -> dict[URIRef, dict]:
    union = result.built.union()
    return {event: json.loads(result.files[event_document_path(result.built.names, event)])
            for event in top_level_events(union)}


def pyld_graph(document: dict) -> Graph:
    """The document read by pyld, with remote loading refused: the context must be inline."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", **OPTIONS})
    return Graph().parse(data=nquads, format="nt")


def rdflib_graph(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def term_definition(key: str) -> dict:
    definition = TERMS.get(key, {})
    return definition if isinstance(definition, dict) else {"@id": definition}


def stray_keys(value, container: str | None = None) -> list[str]:
    """Every key that is neither a term of our context nor a JSON-LD keyword (language-map keys are tags)."""
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found += stray_keys(item, container)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            if container == "language":
                found += stray_keys(item)  # the key is a language tag, the values strings
                continue
            if key not in TERMS and key not in KEYWORDS:
                found.append(key)
            containers = term_definition(key).get("@container", [])
            found += stray_keys(item, "language" if "@language" in containers else None)
    return found


def iri_values(value, key: str | None = None) -> list[str]:
    """Every string that the context makes an IRI: ids, and values of terms coerced to ``@id``."""
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found += iri_values(item, key)
    elif isinstance(value, dict):
        for k, item in value.items():
            if k != "@context":
                found += iri_values(item, k)
    elif isinstance(value, str) and (key in ("id", "@id") or term_definition(key or "").get("@type") == "@id"):
        found.append(value)
    return found


def node_types(value) -> list[str]:
    """The ``type`` of every node object (value objects have ``@value`` and keep their datatype there)."""
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found += node_types(item)
    elif isinstance(value, dict):
        if "@value" not in value and "type" in value:
            types = value["type"]
            found += types if isinstance(types, list) else [types]
        for k, item in value.items():
            if k != "@context":
                found += node_types(item)
    return found


def nodes_by_id(value, into: dict | None = None) -> dict[str, dict]:
    """Every node object that says more than its id, by id."""
    into = {} if into is None else into
    if isinstance(value, list):
        for item in value:
            nodes_by_id(item, into)
    elif isinstance(value, dict):
        if "id" in value and len(value) > 1:
            into.setdefault(value["id"], value)
        for k, item in value.items():
            if k != "@context":
                nodes_by_id(item, into)
    return into


def phases(dataset: Graph, event: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    todo = [event]
    while todo:
        for sub in dataset.objects(todo.pop(), SCHEMA.subEvent):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


# ---------------------------------------------------------------- the compacted dataset

def test_compacted_jsonld_read_by_pyld_is_the_turtle_graph(compacted, dataset):
    assert isomorphic(pyld_graph(compacted), dataset)


def test_compacted_jsonld_read_by_rdflib_is_the_turtle_graph(compacted, dataset):
    assert isomorphic(rdflib_graph(compacted), dataset)


def test_compacted_jsonld_inlines_the_curated_context(compacted):
    assert compacted["@context"] == TERMS


def test_compacted_jsonld_keys_are_all_context_terms(compacted):
    assert stray_keys(compacted) == []


def test_compacted_jsonld_writes_no_iri_in_full_that_a_prefix_shortens(compacted):
    long = [iri for iri in iri_values(compacted)
            if any(iri.startswith(ns) and iri != ns for ns in NAMESPACES.values())]
    assert long == []


def test_compacted_jsonld_names_every_class_by_a_term(compacted):
    assert sorted({t for t in node_types(compacted) if t not in TERMS}) == []


def expand_term(definition) -> str:
    iri = definition["@id"] if isinstance(definition, dict) else definition
    prefix, _, local = iri.partition(":")
    return NAMESPACES[prefix] + local if prefix in NAMESPACES else iri


def test_context_defines_no_term_the_published_rdf_does_not_use(result, dataset):
    void = Graph().parse(data=result.files["void.ttl"], format="turtle")
    used = {str(p) for g in (dataset, void) for p in g.predicates()}
    used |= {str(c) for g in (dataset, void) for c in g.objects(None, RDF.type)}
    terms = {k: v for k, v in TERMS.items()
             if not k.startswith("@") and k not in NAMESPACES and k not in ("id", "type")}
    assert sorted(k for k, v in terms.items() if expand_term(v) not in used) == []


def test_counts_and_offsets_are_json_numbers(compacted):
    values = [node["value"] for node in compacted["@graph"] if "value" in node]
    offsets = [node[k] for node in compacted["@graph"] for k in ("start", "end") if k in node]
    assert values and offsets
    assert all(type(v) is int for v in values + offsets)


def test_check_dates_are_plain_strings_typed_by_the_context(compacted):
    dates = [node["date"] for node in compacted["@graph"] if "date" in node]
    assert dates and all(isinstance(d, str) for d in dates)


def test_multilingual_labels_are_language_maps(compacted):
    labels = [node["label"] for node in compacted["@graph"] if "label" in node]
    assert all(isinstance(label, dict) for label in labels)
    # The Azerbaijani names are the editors', on their own property (docs/model-decisions.md).
    editorial = [node["editorialLabel"] for node in compacted["@graph"] if "editorialLabel" in node]
    assert editorial and all(isinstance(label, dict) for label in editorial)
    assert any(set(label) == {"az"} for label in editorial)


def test_links_are_plain_iri_strings(compacted):
    located = [node["location"] for node in compacted["@graph"] if "location" in node]
    assert located and all(isinstance(iri, str) for places in located for iri in places)


def test_compaction_refuses_to_fetch_a_remote_context():
    graph = Graph()
    graph.add((URIRef("https://example.org/a"), RDF.type, SCHEMA.Event))
    with pytest.raises(jsonld.JsonLdError):
        to_jsonld(graph, {"@context": "https://example.org/context.jsonld"})


def test_a_literal_without_a_term_would_show_up_as_a_stray_key():
    # The key check above is only worth something if an unknown property really surfaces as a key it rejects.
    graph = Graph()
    graph.add((URIRef("https://example.org/a"), J20.notInTheContext, Literal("x")))
    assert stray_keys(json.loads(to_jsonld(graph, CONTEXT))) == ["j20:notInTheContext"]


def test_non_canonical_integers_keep_their_lexical_form():
    graph = Graph()
    graph.add((URIRef("https://example.org/a"), OA.start, Literal("007", datatype=XSD.nonNegativeInteger)))
    assert isomorphic(pyld_graph(json.loads(to_jsonld(graph, CONTEXT))), graph)


# ---------------------------------------------------------------- the framed per-event documents

def test_one_framed_document_per_top_level_event(result, dataset):
    events = {e for e in dataset.subjects(RDF.type, SCHEMA.Event) if (e, SCHEMA.superEvent, None) not in dataset}
    written = {path for path in result.files if path.startswith("events/")}
    assert written == {event_document_path(result.built.names, e) for e in events}
    assert len(events) >= 1


def test_top_level_events_leave_out_phases():
    g = Graph()
    whole, phase, alone = (URIRef(f"https://example.org/event/{n}") for n in ("whole", "phase", "alone"))
    for e in (whole, phase, alone):
        g.add((e, RDF.type, SCHEMA.Event))
    g.add((phase, SCHEMA.superEvent, whole))
    assert top_level_events(g) == [alone, whole]


def test_framed_documents_state_only_triples_of_the_dataset(framed, dataset):
    for event, document in framed.items():
        extra = set(pyld_graph(document)) - set(dataset)
        assert not extra, f"{event}: {sorted(extra)[:3]}"


def test_framed_documents_read_the_same_with_rdflib_and_pyld(framed):
    for event, document in framed.items():
        assert isomorphic(rdflib_graph(document), pyld_graph(document)), event


def test_framed_documents_have_no_blank_nodes(result, framed):
    for event, document in framed.items():
        assert not any(isinstance(t, BNode) for triple in pyld_graph(document) for t in triple), event
        assert b'"_:' not in result.files[event_document_path(result.built.names, event)]


def test_framed_documents_keys_are_all_context_terms(framed):
    for event, document in framed.items():
        assert stray_keys(document) == [], event


def test_framed_documents_inline_the_curated_context(framed):
    assert all(document["@context"] == TERMS for document in framed.values())


def test_framed_document_is_about_its_event(framed):
    for event, document in framed.items():
        assert document["id"] == str(event)


def test_framed_document_nests_every_phase(framed, dataset):
    for event, document in framed.items():
        embedded = nodes_by_id(document)
        missing = [p for p in phases(dataset, event) if str(p) not in embedded]
        assert not missing, f"{event}: phases only referenced, not nested: {missing}"


def test_framed_document_says_everything_the_dataset_says_of_the_event_its_phases_counts_and_participations(
        framed, dataset):
    for event, document in framed.items():
        nodes = {event} | phases(dataset, event)
        for e in list(nodes):
            nodes |= set(dataset.objects(e, J20.hasCount)) | set(dataset.objects(e, J20.hasParticipation))
        expected = {t for n in nodes for t in dataset.triples((n, None, None))}
        missing = expected - set(pyld_graph(document))
        assert not missing, f"{event}: {sorted(missing)[:3]}"


def test_framed_document_nests_places_and_actors_with_their_names(framed, dataset):
    for event, document in framed.items():
        embedded = nodes_by_id(document)
        for e in {event} | phases(dataset, event):
            for prop in (SCHEMA.location, J20.carriedOutBy):
                for node in dataset.objects(e, prop):
                    assert "name" in embedded.get(str(node), {}), f"{e} {prop} {node}"


def test_framed_document_quotes_the_article_words_each_fact_rests_on(framed, dataset):
    for event, document in framed.items():
        embedded = nodes_by_id(document)
        for e in {event} | phases(dataset, event):
            for excerpt in dataset.objects(e, PROV.wasDerivedFrom):
                exact = {str(dataset.value(s, OA.exact)) for s in dataset.objects(excerpt, OA.hasSelector)} - {"None"}
                quoted = {s.get("exact") for s in embedded[str(excerpt)]["hasSelector"] if isinstance(s, dict)}
                assert exact <= quoted, f"{e}: {excerpt}"


def test_framed_document_refers_to_concepts_without_copying_the_schemes(framed, dataset):
    for document in framed.values():
        embedded = nodes_by_id(document)
        assert not [i for i in embedded if (URIRef(i), SKOS.inScheme, None) in dataset]


def test_frame_repeats_the_event_frame_at_every_phase_level():
    # JSON has no references, so the frame spells the event frame out once per level of phases: they must agree.
    frame = load_event_frame(PROJECT)
    top = {k: v for k, v in frame.items() if not k.startswith("@") and k != "subEvent"}
    level, depth = frame["subEvent"], 0
    while "subEvent" in level and level.get("@type") == "Event":
        assert {k: v for k, v in level.items() if not k.startswith("@") and k != "subEvent"} == top
        level, depth = level["subEvent"], depth + 1
    assert depth >= 3


def test_framing_several_nodes_at_once_gives_each_the_document_it_would_get_alone(result):
    union = result.built.union()
    events = top_level_events(union)
    together = to_framed_jsonld(union, CONTEXT, load_event_frame(PROJECT), events)
    assert together == {e: to_framed_jsonld(union, CONTEXT, load_event_frame(PROJECT), [e])[e] for e in events}


def test_framing_a_node_the_graph_lacks_is_an_error():
    graph = Graph()
    graph.add((URIRef("https://example.org/event/a"), RDF.type, SCHEMA.Event))
    with pytest.raises(ValueError, match="matches no node"):
        to_framed_jsonld(graph, CONTEXT, load_event_frame(PROJECT), [URIRef("https://example.org/event/b")])


def test_committed_frame_and_context_files_are_valid_json():
    for path in (Path(PROJECT.context_file), PROJECT.root / "ontology" / "frames" / "event.jsonld"):
        json.loads(path.read_text(encoding="utf-8"))
