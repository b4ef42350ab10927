"""The dataset's description of itself: DCAT (what it is, who publishes it, under which licence, which files carry
it) and VoID (how big each named graph is).

Part of the description lives in the data, in the metadata graph; the rest only in ``void.ttl``. The split is
forced, not chosen: a file cannot contain its own checksum, and the metadata graph cannot state its own size
without changing it. So the metadata graph says everything that does not depend on the bytes of the files that
carry it (titles, licence, publisher, source, distributions with their media types and URLs, the size of the facts,
editorial and vocabulary graphs), and ``void.ttl``, written after every data file, repeats all of that and adds each
file's byte size and SHA-256 checksum, the size of the metadata graph itself, and the totals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD

from . import __version__
from .builders.editorial import editors
from .facts import SourceFacts
from .names import MEDIA_TYPE, PREFIXES, SCHEMA, SPDX, Names

DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's namespace predates it
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

GRAPH_DESCRIPTIONS = {
    "facts": "What the article states, each node derived from the excerpt it rests on.",
    "editorial": "Additions from outside the article (identifiers, coordinates, labels in other languages, resolved "
                 "years), each with its evidence.",
    "vocabulary": "The concept schemes the facts are classified with: event kinds, participant roles, what is "
                  "counted and of whom.",
    "metadata": "This description of the dataset: licence, publisher, source, distributions and sizes.",
}


@dataclass(frozen=True)
class DataFile:
    """One published file that carries (part of) the dataset: its path under the output folder and what it holds."""

    path: str
    media_type: str
    title: str
    dataset: URIRef  # the dataset (or the part of it) that the file is a distribution of


# The whole dataset in each RDF syntax the build writes. The framed per-event documents are added per event.
SERIALISATIONS = (
    ("january20.ttl", "text/turtle", "Turtle"),
    ("january20.nt", "application/n-triples", "N-Triples, one triple a line, sorted"),
    ("january20.trig", "application/trig", "TriG, with the four named graphs"),
    ("january20.jsonld", "application/ld+json", "JSON-LD, compacted against the january20 context"),
)


def top_level_events(graph: Graph) -> list[URIRef]:
    """The events that are not a phase of another event, in IRI order: one framed document each."""
    events = set(graph.subjects(RDF.type, SCHEMA.Event))
    return sorted(e for e in events if isinstance(e, URIRef) and graph.value(e, SCHEMA.superEvent) is None)


def event_document_path(names: Names, event: URIRef) -> str:
    return f"events/{names.slug(event, 'event')}.jsonld"


def event_dataset(names: Names, event: URIRef) -> URIRef:
    return names.mint("dataset", "event", names.slug(event, "event"))


def data_files(names: Names, graph: Graph) -> list[DataFile]:
    """Every file that carries data of ``graph`` (the dataset), in a fixed order."""
    files = [DataFile(path, media, f"january20 dataset: {title}", names.dataset())
             for path, media, title in SERIALISATIONS]
    for event in top_level_events(graph):
        files.append(DataFile(event_document_path(names, event), "application/ld+json",
                              f"{_english_name(graph, event)}: JSON-LD framed around the event",
                              event_dataset(names, event)))
    return files


def distribution(names: Names, path: str) -> URIRef:
    return names.mint("distribution", *path.replace(".", "-").split("/"))


def _stats(node: URIRef, graph: Graph) -> list[tuple]:
    """VoID statistics of ``graph``. Entities are the typed IRIs it describes (no output has blank nodes)."""
    typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    counts = (
        (VOID.triples, len(graph)),
        (VOID.entities, len(typed)),
        (VOID.classes, len(set(graph.objects(None, RDF.type)))),
        (VOID.properties, len(set(graph.predicates()))),
        (VOID.distinctSubjects, len(set(graph.subjects()))),
        (VOID.distinctObjects, len(set(graph.objects()))),
    )
    return [(node, p, Literal(n, datatype=XSD.integer)) for p, n in counts]


def _vocabularies(graph: Graph) -> list[URIRef]:
    """The namespaces whose classes or properties the graph uses."""
    terms = {str(p) for p in graph.predicates()} | {str(c) for c in graph.objects(None, RDF.type)}
    return sorted(URIRef(str(ns)) for ns in PREFIXES.values() if any(t.startswith(str(ns)) for t in terms))


def _english_name(graph: Graph, node: URIRef) -> str:
    names = sorted(str(o) for p in (SCHEMA.name, RDFS.label) for o in graph.objects(node, p)
                   if isinstance(o, Literal) and o.language == "en")
    return names[0] if names else str(node)


def build_metadata(names: Names, sources: list[SourceFacts], graphs: dict[str, Graph]) -> Graph:
    """The metadata graph: who made the dataset from what, under which licence, which files carry it, and the VoID
    statistics of the other named graphs. ``graphs`` holds every named graph but this one."""
    g = Graph()
    ds = names.dataset()
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, PROV.Entity))
    g.add((ds, DCTERMS.title, Literal("January 20: the events of 19-26 January 1990, as reported", lang="en")))
    g.add((ds, RDFS.label, Literal("january20 dataset", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Every fact stated by a news article on the commemoration of the 20 January martyrs and the events of "
        "19-26 January 1990 in Baku, Neftchala and Lankaran, each traced to the words it came from; editorial "
        "enrichment kept apart.", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.rights, Literal(
        "The curation is licensed CC BY 4.0. Quotations remain the work of their authors and publisher.", lang="en")))
    g.add((ds, DCAT_VERSION, Literal(__version__)))
    g.add((ds, DCTERMS.publisher, editors(names)))
    g.add((ds, VOID.uriSpace, Literal(names.base)))
    for source in sources:
        g.add((ds, DCTERMS.source, names.source(source.id)))
        g.add((ds, PROV.wasDerivedFrom, names.source(source.id)))

    union = Graph()
    for graph in graphs.values():
        union += graph

    for name in ("facts", "editorial", "vocabulary", "metadata"):
        node = names.graph(name)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, RDFS.label, Literal(f"{name} graph", lang="en")))
        g.add((node, DCTERMS.description, Literal(GRAPH_DESCRIPTIONS[name], lang="en")))
        if name in graphs:
            g += _stats(node, graphs[name])

    for event in top_level_events(union):
        part = event_dataset(names, event)
        label = _english_name(union, event)
        g.add((ds, VOID.subset, part))
        g.add((part, RDF.type, DCAT.Dataset))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.title, Literal(f"{label}: the event with its phases, places, actors, counts and quotes",
                                            lang="en")))
        g.add((part, DCTERMS.subject, event))
        g.add((part, DCTERMS.isPartOf, ds))
        g.add((part, DCTERMS.license, LICENSE))

    for file in data_files(names, union):
        dist = distribution(names, file.path)
        g.add((file.dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(file.title, lang="en")))
        g.add((dist, DCAT.downloadURL, names.download(file.path)))
        g.add((dist, DCAT.mediaType, MEDIA_TYPE[file.media_type]))
        g.add((dist, DCTERMS.license, LICENSE))
        if file.dataset == ds:
            g.add((ds, VOID.dataDump, names.download(file.path)))
    # Last, so that the vocabularies of this graph itself (DCAT, VoID) are counted too.
    for vocabulary in _vocabularies(union + g):
        g.add((ds, VOID.vocabulary, vocabulary))
    return g


def describe_files(names: Names, graphs: dict[str, Graph], files: dict[str, bytes]) -> Graph:
    """The full description for ``void.ttl``: the metadata graph, plus what only the written files can tell.

    ``graphs`` are the dataset's named graphs, metadata included, as written; ``files`` maps each output path to
    the bytes written there. Raises ValueError if a distribution the metadata graph announces was not produced.
    """
    g = Graph()
    g += graphs["metadata"]
    g += _stats(names.graph("metadata"), graphs["metadata"])
    union = Graph()
    for graph in graphs.values():
        union += graph
    g += _stats(names.dataset(), union)
    for dist in sorted(g.subjects(RDF.type, DCAT.Distribution)):
        url = str(g.value(dist, DCAT.downloadURL))
        path = url[len(names.base):]
        if not url.startswith(names.base) or path not in files:
            raise ValueError(f"distribution {dist} announces {url}, which the build did not produce")
        data = files[path]
        checksum = names.part(dist, "checksum", "sha256")
        g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return g
