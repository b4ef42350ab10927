"""Assemble the whole dataset from the project's files: facts per source, editorial enrichment, vocabulary and
metadata, each in its own named graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from functools import cached_property

from rdflib import Graph, URIRef

from january20.graph.builders.actors import build_agents, build_groups, build_roles
from january20.graph.builders.claims import build_claims
from january20.graph.builders.context import Context, Literals
from january20.graph.builders.counts import build_amounts, build_counts
from january20.graph.builders.derived import build_discrepancies
from january20.graph.builders.editorial import build_editorial
from january20.graph.builders.events import build_events
from january20.graph.builders.places import build_places
from january20.graph.builders.provenance import build_source
from january20.graph.builders.cited import build_cited
from january20.graph.builders.quantities import build_named_places, build_quantities
from january20.sources.cited import (
    CitedSource, check_cited_references, check_unique_source_ids, is_cited_file, load_cited)
from january20.sources.editorial import load_enrichment
from january20.sources.quantities import Quantities, check_quantities, read_quantities
from january20.errors import January20Error, Problem
from january20.sources.facts import SECTIONS, SourceFacts, load_facts, _line
from january20.graph.metadata import build_metadata
from january20.names import Names
from january20.resources import Project
from january20.graph.triples import Triples, Union
from january20.graph.vocabulary import concept_slugs, parse_turtle

GRAPHS = ("facts", "editorial", "vocabulary", "metadata")
SOURCE_BUILDERS = (build_source, build_places, build_agents, build_groups, build_roles, build_events, build_counts,
                   build_amounts, build_claims)


@dataclass
class Built:
    """The built dataset: its named graphs, and what went into it.

    ``triples`` holds each named graph as plain triples, which is what the build's writers read; ``graphs`` and
    ``union()`` are the same as rdflib Graphs, made on first use and then shared (read them, do not change them).
    """

    names: Names
    triples: dict[str, Triples]
    sources: list[SourceFacts]
    cited: list[CitedSource] = field(default_factory=list)
    _union: Triples | None = field(default=None, init=False, repr=False, compare=False)

    @cached_property
    def graphs(self) -> dict[str, Graph]:
        return {name: triples.graph() for name, triples in self.triples.items()}

    def union_triples(self) -> Triples:
        """Every triple of every named graph, once (read it, do not change the named graphs while it is in use)."""
        if self._union is None:
            self._union = Union(self.triples.values())
        return self._union

    def union(self) -> Graph:
        """Every named graph in one rdflib Graph (shared: do not change it)."""
        return self.union_triples().graph()


def load_sources(project: Project, concepts: Graph) -> list[SourceFacts]:
    """The full-text sources' facts (see :func:`load_all_sources` for the cited ones too). Raises January20Error."""
    return load_all_sources(project, concepts)[0]


def load_all_sources(project: Project, concepts: Graph) -> tuple[list[SourceFacts], list[CitedSource], Quantities]:
    """Every source's facts file, full-text and cited, and the reported quantities, checked together: ids unique
    across sources, every cited figure pointing at a known quantity, event and place. Raises January20Error."""
    files = project.facts_files()
    if not files:
        raise January20Error(Problem(str(project.sources_dir), "no facts files found (expected */facts.yaml)"))
    problems: list[Problem] = []
    sources: list[SourceFacts] = []
    cited: list[CitedSource] = []
    source_ids: list[tuple[str, Path, int | None, str]] = []
    slugs = concept_slugs(concepts)
    for path in files:
        try:
            if is_cited_file(path):
                cited.append(load_cited(path, slugs))
                source_ids.append((cited[-1].id, path, _line(cited[-1].source, "id"), "cited_source.id"))
            else:
                sources.append(load_facts(path, slugs))
                source_ids.append((sources[-1].id, path, _line(sources[-1].source, "id"), "source.id"))
        except January20Error as exc:
            problems += exc.problems
    problems += check_unique_source_ids(source_ids)
    problems += _clashing_ids(sources)
    if problems:
        raise January20Error(problems)
    quantities = (read_quantities(project.quantities_file, slugs) if project.quantities_file.is_file()
                  else Quantities(project.quantities_file, [], []))
    records = {r["id"]: r for s in sources for section in SECTIONS for r in s.records(section)}
    sections = {r["id"]: section for s in sources for section in SECTIONS for r in s.records(section)}
    problems += check_cited_references(cited, set(quantities.by_id()), sections)
    problems += check_quantities(quantities, records, sections, cited)
    if problems:
        raise January20Error(problems)
    return sources, cited, quantities


# Places, agents and groups are the world the sources share: two sources naming Baku mean the same place, and its
# node rests on both. Everything else (an event, a figure, a claim, a role) is what one source says, and an id
# reused by a second source would silently merge two sources' statements into one node.
SHARED_SECTIONS = ("places", "agents", "groups")


def _clashing_ids(sources: list[SourceFacts]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, tuple[SourceFacts, str, dict]] = {}
    for source in sources:
        for section in SECTIONS:
            for record in source.records(section):
                first = seen.get(record["id"])
                if first is None:
                    seen[record["id"]] = (source, section, record)
                    continue
                other, other_section, other_record = first
                where = f"{section} ({record['id']}).id"
                if section != other_section or section not in SHARED_SECTIONS:
                    problems.append(Problem(str(source.path), f"id '{record['id']}' is already used by "
                                            f"{other.path} under '{other_section}'; ids of {section} must be "
                                            "unique across sources", _line(record, "id"), where))
                elif (record.get("kind"), record["name"]) != (other_record.get("kind"), other_record["name"]):
                    problems.append(Problem(str(source.path), f"'{record['id']}' is shared with {other.path}, "
                                            "where it has another name or kind: a shared place, agent or group "
                                            "must be described alike in every source", _line(record, "id"),
                                            where))
    return problems


@dataclass
class Inputs:
    """Everything read from a project's files, checked, before any triple is made."""

    project: Project
    concepts: Graph
    sources: list[SourceFacts]
    cited: list[CitedSource] = field(default_factory=list)
    quantities: Quantities | None = None


def load_inputs(project: Project) -> Inputs:
    """Read and check the concept schemes, every source's facts and the quantities. Raises January20Error."""
    concepts = parse_turtle(project.concepts_file)
    return Inputs(project, concepts, *load_all_sources(project, concepts))


def build_dataset(project: Project, names: Names | None = None) -> Built:
    """Read every input of ``project`` and return the dataset's named graphs. Raises January20Error."""
    return assemble(load_inputs(project), names)


def assemble(inputs: Inputs, names: Names | None = None) -> Built:
    """The dataset's named graphs from checked inputs (the editorial file is read here: it refers to records)."""
    names = names or Names()
    project, concepts, sources = inputs.project, inputs.concepts, inputs.sources

    facts = Triples()
    derived: list = []  # what the build derives from each source's figures: the editors', not the source's
    records: dict[str, dict] = {}
    iri_of: dict[str, URIRef] = {}
    literals = Literals()  # one per build: the sources share their labels, numbers and dates
    for source in sources:
        ctx = Context(names, source, concepts, literals)
        for builder in SOURCE_BUILDERS:
            facts.update(builder(ctx))
        derived += build_discrepancies(ctx)
        for section in SECTIONS:
            for record in source.records(section):
                records[record["id"]] = record
        iri_of.update(ctx.index)

    cited_figures = build_cited(inputs.cited, names, concepts, literals, iri_of, inputs.quantities)
    facts.update(cited_figures)

    cited_ids = {f"{s.id}/{f['id']}" for s in inputs.cited for f in s.figures}
    enrichment = load_enrichment(project.editorial_file, project.reference_file, records,
                                 {s.id for s in sources} | {s.id for s in inputs.cited}, cited_ids)
    reference_iri = URIRef(names.base + "reference/entities.yaml")
    editorial = Triples(build_editorial(enrichment, names, iri_of, reference_iri) + derived)
    if inputs.quantities is not None and inputs.quantities.quantities:
        counts = {r["id"]: r for s in sources for r in s.records("counts")}
        count_sources = {r["id"]: s.id for s in sources for r in s.records("counts")}
        editorial.update(build_quantities(inputs.quantities, inputs.cited, names, concepts, literals, iri_of,
                                          records, counts, count_sources))
        named_facts, named_editorial = build_named_places(inputs.quantities, names, literals, enrichment.reference,
                                                          reference_iri)
        facts.update(named_facts)
        editorial.update(named_editorial)

    graphs = {"facts": facts, "editorial": editorial, "vocabulary": Triples.of(concepts)}
    graphs["metadata"] = Triples(build_metadata(names, [*sources, *inputs.cited], graphs))
    return Built(names, graphs, sources, inputs.cited)

