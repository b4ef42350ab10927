"""Assemble the whole dataset from the project's files: facts per source, editorial enrichment, vocabulary and
metadata, each in its own named graph."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD

from . import __version__
from .builders.actors import build_agents, build_groups, build_roles
from .builders.claims import build_claims
from .builders.context import Context, record_iri
from .builders.counts import build_amounts, build_counts
from .builders.editorial import build_editorial
from .builders.events import build_events
from .builders.places import build_places
from .builders.provenance import build_source
from .editorial import load_enrichment
from .errors import January20Error, Problem
from .facts import SECTIONS, SourceFacts, load_facts
from .names import SCHEMA, Names
from .resources import Project
from .vocabulary import concept_slugs, parse_turtle

GRAPHS = ("facts", "editorial", "vocabulary", "metadata")
SOURCE_BUILDERS = (build_source, build_places, build_agents, build_groups, build_roles, build_events, build_counts,
                   build_amounts, build_claims)
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's namespace predates it
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@dataclass
class Built:
    """The built dataset: its named graphs, and what went into it."""

    names: Names
    graphs: dict[str, Graph]
    sources: list[SourceFacts]

    def union(self) -> Graph:
        graph = Graph()
        for g in self.graphs.values():
            graph += g
        return graph

    def dataset(self) -> Dataset:
        ds = Dataset()
        for name, g in self.graphs.items():
            target = ds.graph(self.names.graph(name))
            for triple in g:
                target.add(triple)
        return ds


def load_sources(project: Project, concepts: Graph) -> list[SourceFacts]:
    files = project.facts_files()
    if not files:
        raise January20Error(Problem(str(project.sources_dir), "no facts files found (expected */facts.yaml)"))
    problems: list[Problem] = []
    sources: list[SourceFacts] = []
    slugs = concept_slugs(concepts)
    for path in files:
        try:
            sources.append(load_facts(path, slugs))
        except January20Error as exc:
            problems += exc.problems
    if problems:
        raise January20Error(problems)
    return sources


@dataclass
class Inputs:
    """Everything read from a project's files, checked, before any triple is made."""

    project: Project
    concepts: Graph
    sources: list[SourceFacts]


def load_inputs(project: Project) -> Inputs:
    """Read and check the concept schemes and every source's facts. Raises January20Error."""
    concepts = parse_turtle(project.concepts_file)
    return Inputs(project, concepts, load_sources(project, concepts))


def build_dataset(project: Project, names: Names | None = None) -> Built:
    """Read every input of ``project`` and return the dataset's named graphs. Raises January20Error."""
    return assemble(load_inputs(project), names)


def assemble(inputs: Inputs, names: Names | None = None) -> Built:
    """The dataset's named graphs from checked inputs (the editorial file is read here: it refers to records)."""
    names = names or Names()
    project, concepts, sources = inputs.project, inputs.concepts, inputs.sources

    facts_graph = Graph()
    records: dict[str, dict] = {}
    iri_of: dict[str, URIRef] = {}
    for source in sources:
        ctx = Context(names, source, concepts)
        for builder in SOURCE_BUILDERS:
            for triple in builder(ctx):
                facts_graph.add(triple)
        for section in (*SECTIONS,):
            for record in source.records(section):
                records[record["id"]] = record
                iri_of[record["id"]] = record_iri(names, section, record)

    enrichment = load_enrichment(project.editorial_file, project.reference_file, records)
    reference_iri = URIRef(names.base + "reference/entities.yaml")
    editorial_graph = Graph()
    for triple in build_editorial(enrichment, names, iri_of, reference_iri):
        editorial_graph.add(triple)

    graphs = {"facts": facts_graph, "editorial": editorial_graph, "vocabulary": concepts}
    graphs["metadata"] = build_metadata(names, sources, graphs)
    return Built(names, graphs, sources)


def build_metadata(names: Names, sources: list[SourceFacts], graphs: dict[str, Graph]) -> Graph:
    """Who made the dataset from what, under which licence, and how big each named graph is (VoID)."""
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
    g.add((ds, SCHEMA.version, Literal(__version__)))
    g.add((ds, DCAT_VERSION, Literal(__version__)))
    g.add((ds, DCTERMS.publisher, names.mint("organization", "january20-editors")))
    for source in sources:
        g.add((ds, DCTERMS.source, names.source(source.id)))
        g.add((ds, PROV.wasDerivedFrom, names.source(source.id)))
    for name, graph in graphs.items():
        node = names.graph(name)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, RDFS.label, Literal(f"{name} graph", lang="en")))
        g.add((node, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    g.add((names.graph("editorial"), DCTERMS.description, Literal(
        "Additions from outside the article (identifiers, coordinates, labels in other languages, resolved years), "
        "each with its evidence.", lang="en")))
    g.add((names.graph("facts"), DCTERMS.description, Literal(
        "What the article states, each node derived from the excerpt it rests on.", lang="en")))
    return g
