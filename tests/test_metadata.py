"""The dataset's description of itself: DCAT distributions with checksums that match the files, VoID statistics that
match the graphs, and an honest split between what the data can say about itself and what only void.ttl can."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from january20 import __version__
from january20.build import render
from january20.graph.metadata import LICENSE, data_files, describe_files, distribution
from january20.names import J20, SCHEMA, SPDX, Names
from january20.resources import default_project

ROOT = Path(__file__).resolve().parents[1]
PROJECT = default_project()
STATISTICS = {VOID.triples, VOID.entities, VOID.classes, VOID.properties, VOID.distinctSubjects,
              VOID.distinctObjects}
FILE_FACTS = {DCAT.byteSize, SPDX.checksum, SPDX.algorithm, SPDX.checksumValue}


@pytest.fixture(scope="module")
def written(rendered, build_dir):
    """The session's one build (tests/conftest.py), written to disk the way ``january20 build`` writes it."""
    return rendered, build_dir


@pytest.fixture(scope="module")
def void(written) -> Graph:
    _, out = written
    return Graph().parse(out / "void.ttl", format="turtle")


def distributions(void: Graph, base: str) -> dict[URIRef, str]:
    """Each distribution with the path of its file under the output folder."""
    return {d: str(void.value(d, DCAT.downloadURL))[len(base):] for d in void.subjects(RDF.type, DCAT.Distribution)}


def sparql_count(graph: Graph, pattern: str) -> int:
    return int(next(iter(graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))[0])


@pytest.mark.parametrize("folder", ["fresh", "committed"])
def test_every_checksum_and_byte_size_matches_the_file_on_disk(written, folder):
    _, fresh = written
    out = fresh if folder == "fresh" else ROOT / "build"
    void = Graph().parse(out / "void.ttl", format="turtle")
    names = Names()
    found = distributions(void, names.base)
    assert found
    for dist, path in found.items():
        data = (out / path).read_bytes()
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest(), path
        assert int(void.value(dist, DCAT.byteSize)) == len(data), path


def test_every_data_file_written_has_a_distribution(written, void):
    result, out = written
    described = set(distributions(void, result.built.names.base).values())
    carried = {"january20.ttl", "january20.nt", "january20.trig", "january20.jsonld"}
    carried |= {str(p.relative_to(out)) for p in (out / "events").glob("*.jsonld")}
    assert described == carried


def test_distributions_give_media_type_licence_and_title(void):
    media = {".ttl": "text/turtle", ".nt": "application/n-triples", ".trig": "application/trig",
             ".jsonld": "application/ld+json"}
    for dist, path in distributions(void, Names().base).items():
        assert void.value(dist, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/" + media[Path(path).suffix])
        assert void.value(dist, DCTERMS.license) == LICENSE
        assert void.value(dist, DCTERMS.title) is not None


def test_each_file_belongs_to_the_dataset_or_to_its_event_part(written, void):
    result, _ = written
    ds = result.built.names.dataset()
    for dist, path in distributions(void, result.built.names.base).items():
        owner = next(void.subjects(DCAT.distribution, dist))
        if path.startswith("events/"):
            assert (ds, VOID.subset, owner) in void and void.value(owner, DCTERMS.isPartOf) == ds
            assert path == f"events/{str(void.value(owner, DCTERMS.subject)).rsplit('/', 1)[1]}.jsonld"
        else:
            assert owner == ds


def test_void_holds_the_whole_metadata_graph(written, void):
    result, _ = written
    assert set(result.built.graphs["metadata"]) <= set(void)


def test_void_adds_only_what_depends_on_the_written_files(written, void):
    result, _ = written
    names = result.built.names
    added = set(void) - set(result.built.graphs["metadata"])
    for s, p, o in added:
        if p in STATISTICS:
            assert s in (names.dataset(), names.graph("metadata")), (s, p)
        else:
            assert p in FILE_FACTS or (p, o) == (RDF.type, SPDX.Checksum), (s, p, o)


def test_the_data_states_no_checksum_or_size_of_the_files_that_carry_it(written):
    result, _ = written
    for graph in result.built.graphs.values():
        assert not list(graph.subject_objects(DCAT.byteSize))
        assert not [d for d in graph.subjects(SPDX.checksum, None) if (d, RDF.type, DCAT.Distribution) in graph]


def test_the_metadata_graph_states_no_statistics_of_itself(written):
    result, _ = written
    metadata = result.built.graphs["metadata"]
    assert not [p for p in metadata.predicates(result.built.names.graph("metadata"), None) if p in STATISTICS]
    assert not [p for p in metadata.predicates(result.built.names.dataset(), None) if p in STATISTICS]


@pytest.mark.parametrize("name", ["facts", "editorial", "vocabulary", "metadata"])
def test_void_statistics_of_each_named_graph_are_its_counts(written, void, name):
    result, _ = written
    graph = result.built.graphs[name]
    node = result.built.names.graph(name)
    expected = {
        VOID.triples: sparql_count(graph, "?s ?p ?o"),
        VOID.entities: sparql_count(graph, "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }"),
        VOID.classes: sparql_count(graph, "SELECT DISTINCT ?c WHERE { ?s a ?c }"),
        VOID.properties: sparql_count(graph, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        VOID.distinctSubjects: sparql_count(graph, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        VOID.distinctObjects: sparql_count(graph, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
    }
    assert {p: int(void.value(node, p)) for p in STATISTICS} == expected
    assert all(void.value(node, p).datatype == XSD.integer for p in STATISTICS)


def test_void_total_counts_the_union_of_the_named_graphs(written, void):
    result, _ = written
    assert int(void.value(result.built.names.dataset(), VOID.triples)) == len(result.built.union())


def test_every_named_graph_is_a_described_subset(written):
    result, _ = written
    metadata, names = result.built.graphs["metadata"], result.built.names
    for name in result.built.graphs:
        assert (names.dataset(), VOID.subset, names.graph(name)) in metadata
        assert metadata.value(names.graph(name), DCTERMS.description) is not None


def test_dataset_states_licence_rights_version_publisher_and_source(written):
    result, _ = written
    metadata, names, union = result.built.graphs["metadata"], result.built.names, result.built.union()
    ds = names.dataset()
    assert metadata.value(ds, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "Quotations remain" in str(metadata.value(ds, DCTERMS.rights))
    assert metadata.value(ds, DCAT.version) == Literal(__version__)
    publisher = metadata.value(ds, DCTERMS.publisher)
    assert union.value(publisher, SCHEMA.name) is not None, "the publisher is described in the data"
    sources = set(metadata.objects(ds, DCTERMS.source))
    assert sources == {names.source(s.id) for s in [*result.built.sources, *result.built.cited]}
    assert all((s, RDF.type, SCHEMA.NewsArticle) in union or (s, RDF.type, J20.CitedSource) in union
               for s in sources)


def test_dataset_lists_the_vocabularies_it_uses(written):
    result, _ = written
    vocabularies = set(result.built.graphs["metadata"].objects(result.built.names.dataset(), VOID.vocabulary))
    assert {URIRef("https://schema.org/"), URIRef("https://w3id.org/january20/ontology#"),
            URIRef(str(DCAT)), URIRef(str(VOID))} <= vocabularies


def test_download_urls_and_iris_follow_the_base():
    names = Names("https://example.org/mirror/")
    result = render(PROJECT, names)
    void = Graph().parse(data=result.files["void.ttl"], format="turtle")
    urls = [str(u) for u in void.objects(None, DCAT.downloadURL)]
    assert urls and all(u.startswith("https://example.org/mirror/") for u in urls)
    assert set(distributions(void, names.base).values()) <= set(result.files)
    events = [json.loads(data) for path, data in result.files.items() if path.startswith("events/")]
    assert events and all(e["id"].startswith("https://example.org/mirror/event/") for e in events)


def test_describing_files_that_were_not_produced_is_an_error(written):
    result, _ = written
    files = {k: v for k, v in result.files.items() if k != "january20.nt"}
    with pytest.raises(ValueError, match="january20.nt"):
        describe_files(result.built.names, result.built.graphs, files)


def test_data_files_names_one_distribution_per_file(written):
    result, _ = written
    files = data_files(result.built.names, result.built.union())
    iris = [distribution(result.built.names, f.path) for f in files]
    assert len(set(iris)) == len(iris) == len({f.path for f in files})


def test_dataset_has_a_title_and_label_for_people(written):
    result, _ = written
    metadata, ds = result.built.graphs["metadata"], result.built.names.dataset()
    assert metadata.value(ds, DCTERMS.title).language == "en"
    assert metadata.value(ds, RDFS.label) is not None


def test_a_download_url_is_a_plain_path_under_the_base():
    names = Names("https://example.org/j20/")
    assert names.download("events/a-b.jsonld") == URIRef("https://example.org/j20/events/a-b.jsonld")
    for bad in ("../secret", "/etc/passwd", "events//x", "Events/x", "a b"):
        with pytest.raises(ValueError):
            names.download(bad)


def test_slug_recovers_what_mint_made_and_rejects_other_iris():
    names = Names()
    assert names.slug(names.mint("event", "commemoration"), "event") == "commemoration"
    for other in (names.mint("place", "baku"), URIRef("https://example.org/event/x"),
                  URIRef(names.base + "event/a/b")):
        with pytest.raises(ValueError):
            names.slug(other, "event")
