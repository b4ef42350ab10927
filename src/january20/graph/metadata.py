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

from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD

from january20 import __version__
from january20.graph.builders.editorial import editors
from january20.sources.facts import SourceFacts
from january20.names import MEDIA_TYPE, PREFIXES, SCHEMA, SPDX, Names
from january20.outputs import sha256_of, size_of
from january20.graph.triples import Triple, Triples

DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's namespace predates it
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

GRAPH_DESCRIPTIONS = {
    "facts": "What the sources state: each node derived from the excerpt of held text (the seed article) or the "
             "citation of a cited page it rests on.",
    "editorial": "What the editors add (identifiers, coordinates, labels in other languages, resolved years, "
                 "reported quantities and their summaries, explanations of disagreements), each with its evidence.",
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


def top_level_events(graph: Iterable[Triple]) -> list[URIRef]:
    """The events that are not a phase of another event, in IRI order: one framed document each.

    ``graph`` is an rdflib Graph or any iterable of triples (it is read once, whole)."""
    return list(_event_names(graph))


def _event_names(triples: Iterable[Triple]) -> dict[URIRef, str]:
    """The top-level events in IRI order, each with its English name (the first in text order of its schema:name
    and rdfs:label in English; its IRI if it has none), in one pass over ``triples``."""
    events: set = set()
    phases: set = set()
    names: dict = {}
    for s, p, o in triples:
        what = _WATCHED.get(p)  # a dict look-up: rdflib's term equality is slow Python, its IRI hash is str's
        if what is None:
            continue
        if what == "type":
            if o in _EVENT and isinstance(s, URIRef):  # a set look-up, as above
                events.add(s)
        elif what == "phase":
            phases.add(s)
        elif isinstance(o, Literal) and o.language == "en":
            names.setdefault(s, []).append(str(o))
    return {e: min(names[e]) if e in names else str(e) for e in sorted(events - phases)}


_EVENT = {SCHEMA.Event}
_WATCHED = {RDF.type: "type", SCHEMA.superEvent: "phase", SCHEMA.name: "name", RDFS.label: "name"}


def event_document_path(names: Names, event: URIRef) -> str:
    return f"events/{names.slug(event, 'event')}.jsonld"


def event_dataset(names: Names, event: URIRef) -> URIRef:
    return names.mint("dataset", "event", names.slug(event, "event"))


def data_files(names: Names, graph: Iterable[Triple]) -> list[DataFile]:
    """Every file that carries data of ``graph`` (the dataset: an rdflib Graph or its triples), in a fixed order."""
    return _data_files(names, _event_names(graph))


def _data_files(names: Names, events: dict[URIRef, str]) -> list[DataFile]:
    files = [DataFile(path, media, f"january20 dataset: {title}", names.dataset())
             for path, media, title in SERIALISATIONS]
    for event, name in events.items():
        files.append(DataFile(event_document_path(names, event), "application/ld+json",
                              f"{name}: JSON-LD framed around the event", event_dataset(names, event)))
    return files


def distribution(names: Names, path: str) -> URIRef:
    return names.mint("distribution", *path.replace(".", "-").split("/"))


@dataclass
class _Terms:
    """What the VoID statistics of a graph count: its size and its distinct terms in each position."""

    size: int
    subjects: set
    predicates: set
    objects: set
    classes: set  # objects of rdf:type
    typed: set  # IRIs that are subjects of rdf:type

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> _Terms:
        if not isinstance(triples, Triples):
            triples = list(triples)  # read more than once below
        # One pass per position, each in C: zip(*triples) made three more tuples as long as the graph.
        subjects, predicates, objects = (set(map(itemgetter(i), triples)) for i in range(3))
        types = [(s, o) for s, p, o in triples if p in _TYPE]  # a set look-up: see _WATCHED
        return cls(len(triples), subjects, predicates, objects, {o for _, o in types},
                   {s for s, _ in types if isinstance(s, URIRef)})

    def __or__(self, other: _Terms) -> _Terms:
        """Both graphs' terms; ``size`` is left to the caller, who knows how many triples they have in common."""
        return _Terms(0, self.subjects | other.subjects, self.predicates | other.predicates,
                      self.objects | other.objects, self.classes | other.classes, self.typed | other.typed)

    def statistics(self, node: URIRef) -> list[Triple]:
        """VoID statistics. Entities are the typed IRIs described (no output has blank nodes)."""
        counts = (
            (VOID.triples, self.size),
            (VOID.entities, len(self.typed)),
            (VOID.classes, len(self.classes)),
            (VOID.properties, len(self.predicates)),
            (VOID.distinctSubjects, len(self.subjects)),
            (VOID.distinctObjects, len(self.objects)),
        )
        return [(node, p, Literal(n, datatype=XSD.integer)) for p, n in counts]


_TYPE = {RDF.type}


def _terms_of(graph: Iterable[Triple]) -> _Terms:
    """A graph's terms, remembered by the graph where it can (built.triples are counted for the metadata graph and
    again for void.ttl)."""
    return graph.derived("void terms", _Terms.of) if isinstance(graph, Triples) else _Terms.of(graph)


def _vocabularies(*graphs: _Terms) -> list[URIRef]:
    """The namespaces whose classes or properties the graphs use."""
    used = {str(t) for terms in graphs for t in chain(terms.predicates, terms.classes)}
    return sorted(URIRef(str(ns)) for ns in PREFIXES.values() if any(t.startswith(str(ns)) for t in used))


class _Triples(list):
    """A list of triples with Graph's ``add`` (the metadata is written as statements, one at a time)."""

    def add(self, triple: Triple) -> None:
        self.append(triple)


def build_metadata(names: Names, sources: list[SourceFacts], graphs: Mapping[str, Iterable[Triple]]) -> list[Triple]:
    """The metadata graph's triples: who made the dataset from what, under which licence, which files carry it, and
    the VoID statistics of the other named graphs. ``graphs`` holds every named graph but this one (rdflib Graphs
    or iterables of triples)."""
    g = _Triples()
    ds = names.dataset()
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, PROV.Entity))
    g.add((ds, DCTERMS.title, Literal(
        "The 20 January tragedy, as one news article reports it (January 1990, the editors' dating)", lang="en")))
    g.add((ds, RDFS.label, Literal("january20 dataset", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Every fact stated by a news article on the commemoration of the 20 January martyrs and the events of "
        "19-26 January it calls the 20 January tragedy, in Baku, Neftchala and Lankaran, each traced to the words it "
        "came from. The article gives no year; the editors date the events to 1990, as they do every addition: "
        "apart, with evidence.", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.rights, Literal(
        "The curation is licensed CC BY 4.0. Quotations remain the work of their authors and publisher.", lang="en")))
    g.add((ds, DCAT_VERSION, Literal(__version__)))
    g.add((ds, DCTERMS.creator, editors(names)))  # the editors made it from the source, and publish it
    g.add((ds, DCTERMS.publisher, editors(names)))
    g.add((ds, VOID.uriSpace, Literal(names.base)))
    for source in sources:
        g.add((ds, DCTERMS.source, names.source(source.id)))
        g.add((ds, PROV.wasDerivedFrom, names.source(source.id)))

    terms = {name: _terms_of(graph) for name, graph in graphs.items()}
    for name in ("facts", "editorial", "vocabulary", "metadata"):
        node = names.graph(name)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, RDFS.label, Literal(f"{name} graph", lang="en")))
        g.add((node, DCTERMS.description, Literal(GRAPH_DESCRIPTIONS[name], lang="en")))
        if name in terms:
            g += terms[name].statistics(node)

    events = _event_names(chain.from_iterable(graphs.values()))
    for event, label in events.items():
        part = event_dataset(names, event)
        g.add((ds, VOID.subset, part))
        g.add((part, RDF.type, DCAT.Dataset))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.title, Literal(f"{label}: the event with its phases, places, actors, counts and quotes",
                                            lang="en")))
        g.add((part, DCTERMS.subject, event))
        g.add((part, DCTERMS.isPartOf, ds))
        g.add((part, DCTERMS.license, LICENSE))

    for file in _data_files(names, events):
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
    for vocabulary in _vocabularies(_Terms.of(g), *terms.values()):  # not their union: a copy of every term
        g.add((ds, VOID.vocabulary, vocabulary))
    return g


def describe_files(names: Names, graphs: Mapping[str, Iterable[Triple]], files: Mapping[str, bytes],
                   union_triples: Triples | None = None) -> Triples:
    """The full description for ``void.ttl``: the metadata graph, plus what only the written files can tell.

    ``graphs`` are the dataset's named graphs (rdflib Graphs or iterables of triples), metadata included, as
    written; ``files`` maps each output path to the bytes written there (an :class:`~.outputs.OutputFiles` gives
    the size and checksum of a spooled file without reading it back). Raises ValueError if a distribution the
    metadata graph announces was not produced. ``union_triples``, the graphs' triples together if already at hand,
    saves making them again to count them.
    """
    g = Triples(graphs["metadata"])
    terms = {name: _terms_of(graph) for name, graph in graphs.items()}
    g.update(terms["metadata"].statistics(names.graph("metadata")))
    union = _Terms(0, set(), set(), set(), set(), set())
    for graph_terms in terms.values():
        union = union | graph_terms
    if union_triples is None:
        union_triples = Triples(chain.from_iterable(graphs.values()))
    union.size = len(union_triples)
    g.update(union.statistics(names.dataset()))
    announced = {d: str(g.value(d, DCAT.downloadURL)) for d in sorted(g.subjects(RDF.type, DCAT.Distribution))}
    for dist, url in announced.items():
        path = url[len(names.base):]
        if not url.startswith(names.base) or path not in files:
            raise ValueError(f"distribution {dist} announces {url}, which the build did not produce")
        checksum = names.part(dist, "checksum", "sha256")
        g.update([
            (dist, DCAT.byteSize, Literal(size_of(files, path), datatype=XSD.nonNegativeInteger)),
            (dist, SPDX.checksum, checksum),
            (checksum, RDF.type, SPDX.Checksum),
            (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (checksum, SPDX.checksumValue, Literal(sha256_of(files, path), datatype=XSD.hexBinary)),
        ])
    return g
