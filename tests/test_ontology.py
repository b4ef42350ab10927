"""The ontology: every j20: term the dataset uses is defined with a label and a definition, and the generated HTML
documents every class, property and concept scheme with its definition and alignment, loading nothing from
elsewhere."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from january20.names import CONCEPT, J20
from january20.publish.ontodoc import render_ontology_html
from january20.resources import default_project
from january20.graph.vocabulary import parse_turtle

PROJECT = default_project()
ONTOLOGY = parse_turtle(PROJECT.ontology_file)
CONCEPTS = parse_turtle(PROJECT.concepts_file)
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
DEFINED = sorted({t for kind in TERM_KINDS for t in ONTOLOGY.subjects(RDF.type, kind) if str(t).startswith(str(J20))})


class Sections(HTMLParser):
    """The text and links inside each element that has an id, by id (nested ids collect into each enclosing one)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.hrefs: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("br", "meta"):
            return
        self.stack.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self.text[attrs["id"]], self.hrefs[attrs["id"]] = [], []
        for _, ident in self.stack:
            if ident and "href" in attrs:
                self.hrefs[ident].append(attrs["href"])

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, ident in self.stack:
            if ident:
                self.text[ident].append(data)


@pytest.fixture(scope="module")
def result(rendered):
    return rendered  # the session's one build (tests/conftest.py)


@pytest.fixture(scope="module")
def page(result) -> Sections:
    parser = Sections()
    parser.feed(result.files["ontology/index.html"].decode("utf-8"))
    return parser


def english(graph: Graph, node, prop) -> str:
    return next(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en")


def local(term: URIRef) -> str:
    return str(term)[len(str(J20)):]


def test_every_j20_term_the_dataset_uses_is_defined_with_label_and_definition(result):
    union = result.built.union()
    # The namespace itself appears too (the dataset lists it with void:vocabulary); it is not a term.
    used = {t for triple in union for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(J20)) and t != URIRef(str(J20))}
    assert used
    for term in sorted(used):
        assert (term, RDFS.label, None) in ONTOLOGY, f"{term} has no rdfs:label in ontology/january20.ttl"
        assert (term, SKOS.definition, None) in ONTOLOGY, f"{term} has no skos:definition in ontology/january20.ttl"


def test_every_defined_term_has_an_english_label_and_definition():
    assert len(DEFINED) > 20
    for term in DEFINED:
        assert english(ONTOLOGY, term, RDFS.label) and english(ONTOLOGY, term, SKOS.definition), term


def test_every_concept_has_a_label_and_a_definition():
    for concept in set(CONCEPTS.subjects(RDF.type, SKOS.Concept)) | set(CONCEPTS.subjects(RDF.type,
                                                                                         SKOS.ConceptScheme)):
        assert english(CONCEPTS, concept, SKOS.prefLabel) and english(CONCEPTS, concept, SKOS.definition), concept


@pytest.mark.parametrize("term", DEFINED, ids=local)
def test_page_documents_the_term_with_label_definition_and_alignment(page, term):
    text = " ".join(" ".join(page.text[local(term)]).split())
    assert english(ONTOLOGY, term, RDFS.label) in text
    assert " ".join(english(ONTOLOGY, term, SKOS.definition).split()) in text
    hrefs = set(page.hrefs[local(term)])
    for prop in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, RDFS.domain, RDFS.range, SKOS.closeMatch):
        for target in ONTOLOGY.objects(term, prop):
            expected = f"#{local(target)}" if str(target).startswith(str(J20)) else str(target)
            assert expected in hrefs, f"{term} {prop} {target}"


def test_page_lists_every_concept_scheme_with_its_concepts(page):
    for scheme in CONCEPTS.subjects(RDF.type, SKOS.ConceptScheme):
        ident = "concept-" + str(scheme)[len(str(CONCEPT)):]
        text = " ".join(page.text[ident])
        assert english(CONCEPTS, scheme, SKOS.prefLabel) in text
        for concept in CONCEPTS.subjects(SKOS.inScheme, scheme):
            assert english(CONCEPTS, concept, SKOS.definition) in text, concept


def test_page_loads_nothing_from_elsewhere(page, result):
    html = result.files["ontology/index.html"].decode("utf-8")
    assert not [tag for tag, _ in page.tags if tag in ("script", "img", "iframe", "object", "embed")]
    # A link may only carry its resource inline (the empty favicon that stops a browser asking for one).
    assert not [a for tag, a in page.tags if tag == "link" and not (a.get("href") or "").startswith("data:")]
    assert not [attrs for _, attrs in page.tags if "src" in attrs]
    assert "@import" not in html and "url(" not in html


def test_page_links_within_itself_resolve(page):
    missing = {h for hrefs in page.hrefs.values() for h in hrefs if h.startswith("#") and h[1:] not in page.text}
    assert not missing


def test_page_does_not_depend_on_the_order_rdflib_returns_triples():
    data = Graph()
    for triple in sorted(ONTOLOGY, reverse=True):
        data.add(triple)
    shuffled = Graph()
    for triple in sorted(ONTOLOGY):
        shuffled.add(triple)
    assert render_ontology_html(data, CONCEPTS, Graph()) == render_ontology_html(shuffled, CONCEPTS, Graph())


def test_page_counts_how_often_the_dataset_uses_a_term():
    data = Graph()
    data.add((URIRef("https://example.org/a"), J20.partOf, URIRef("https://example.org/b")))
    page = Sections()
    page.feed(render_ontology_html(ONTOLOGY, CONCEPTS, data).decode("utf-8"))
    assert "1 triple" in " ".join(page.text["partOf"])
    assert "0 triples" in " ".join(page.text["subsetOf"])


def test_build_publishes_the_ontology_turtle_unchanged(result):
    assert result.files["ontology/january20.ttl"] == PROJECT.ontology_file.read_bytes()


def test_build_publishes_the_curated_context_unchanged(result):
    assert result.files["context.jsonld"] == PROJECT.context_file.read_bytes()
