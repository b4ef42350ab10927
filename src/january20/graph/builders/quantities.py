"""Reported quantities, their values side by side, and the editors' explanations: all editorial.

A quantity is the editors' name for what several figures are figures of. Each cited figure is linked to its
quantity; each full-text count the editors align with one gets a reified editorial statement with its evidence.
For every quantity the build derives a summary: the values reported (one node per distinct value, with the
figures and sources behind it), the lowest and the highest, and whether the sources disagree. No value is chosen
as the best.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from january20.graph.builders.cited import RECORD, attribution_iri, citation_iri, figure_iri
from january20.graph.builders.context import Literals, Triple
from january20.graph.builders.editorial import editorial_statement, editors
from january20.graph.vocabulary import concept_iri
from january20.names import J20, SCHEMA, WD, Names
from january20.sources.cited import CitedSource
from january20.sources.quantities import Quantities

RELATION = {"narrower_than": J20.narrowerThan, "part_of": J20.partOfQuantity, "related_to": J20.relatedQuantity}


@dataclass(frozen=True)
class Reported:
    """One figure of a quantity, from a cited or a full-text source."""

    node: URIRef          # the figure or count
    source: URIRef        # the source that gives it
    low: int
    high: int
    qualifier: str | None

    @property
    def key(self) -> tuple:
        return (self.low, self.high, self.qualifier or "")

    def text(self) -> str:
        number = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f"{self.qualifier.replace('-', ' ')} {number}" if self.qualifier else number

    def slug(self) -> str:
        number = str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        return f"{self.qualifier}-{number}" if self.qualifier else number


def reported_values(quantities: Quantities, cited: list[CitedSource], names: Names, iri_of: dict[str, URIRef],
                    counts: dict[str, dict], count_sources: dict[str, str]) -> dict[str, list[Reported]]:
    """Each quantity's figures, in a stable order. ``counts`` maps full-text count ids to their records and
    ``count_sources`` to the id of the source that states them."""
    found: dict[str, list[Reported]] = {q["id"]: [] for q in quantities.quantities}
    for q in quantities.quantities:
        for count_id in q.get("full_text_counts", []):
            value = counts[count_id]["value"]
            found[q["id"]].append(Reported(iri_of[count_id], names.source(count_sources[count_id]), value, value,
                                           None))
    for cs in cited:
        for f in cs.figures:
            low, high = (f["value"], f["value"]) if "value" in f else (f["low"], f["high"])
            found[f["quantity"]].append(Reported(figure_iri(names, cs.id, f["id"]), names.source(cs.id), low, high,
                                                 f.get("qualifier")))
    return {q: sorted(values, key=lambda r: (r.key, str(r.node))) for q, values in found.items()}


def build_quantities(quantities: Quantities, cited: list[CitedSource], names: Names, concepts: Graph,
                     literals: Literals, iri_of: dict[str, URIRef], records: dict[str, dict],
                     counts: dict[str, dict], count_sources: dict[str, str]) -> list[Triple]:
    """The editorial graph's quantities, alignments, summaries and explanations (the places cited sources name are
    :func:`build_named_places`'). Pure: reads nothing."""
    en = lambda text: literals(text, lang="en")  # noqa: E731
    team = editors(names)
    triples: list[Triple] = []
    values = reported_values(quantities, cited, names, iri_of, counts, count_sources)
    for q in quantities.quantities:
        node = names.mint("quantity", q["id"])
        triples += [
            (node, RDF.type, J20.ReportedQuantity),
            (node, RDF.type, PROV.Entity),
            (node, RDFS.label, en(q["name"])),
            (node, SCHEMA.name, en(q["name"])),
            (node, SKOS.definition, en(q["scope"])),
            (node, PROV.wasAttributedTo, team),
            (node, J20.inEvent, iri_of[q["event"]]),
        ]
        triples += [(node, J20.countedCategory, concept_iri("count-categories", c)) for c in q["categories"]]
        triples += [(node, J20.countedThing, concept_iri("counted-things", p)) for p in q["populations"]]
        if "place" in q:
            triples.append((node, J20.countedAt, iri_of[q["place"]]))
        for field, prop in RELATION.items():
            if field in q:
                triples.append((node, prop, names.mint("quantity", q[field])))
        for count_id in q.get("full_text_counts", []):
            triples += _alignment(names, count_id, iri_of[count_id], node, q["alignment_evidence"],
                                  q["alignment_checked"], en)
        triples += _summary(names, node, q, values[q["id"]], literals)
    for cs in cited:
        for f in cs.figures:
            triples.append((figure_iri(names, cs.id, f["id"]), J20.valueOf, names.mint("quantity", f["quantity"])))
    for e in quantities.explanations:
        node = names.mint("editorial", e["id"])
        triples += [
            (node, RDF.type, J20.EditorialExplanation),
            (node, RDF.type, SCHEMA.CreativeWork),
            (node, RDF.type, PROV.Entity),
            (node, RDFS.label, en(e["name"])),
            (node, SCHEMA.text, en(e["text"])),
            (node, PROV.wasAttributedTo, team),
        ]
        triples += [(node, SCHEMA.about, names.mint("quantity", about)) for about in e["about"]]
        for ref in e["evidence"]:
            source_id, figure_id = ref.split("/")
            triples += [(node, J20.evidenceFigure, figure_iri(names, source_id, figure_id)),
                        (node, PROV.wasDerivedFrom, citation_iri(names, source_id, figure_id))]
    return triples


def build_named_places(quantities: Quantities, names: Names, literals: Literals, reference: dict[str, dict] | None,
                       reference_file: URIRef | None) -> tuple[list[Triple], list[Triple]]:
    """The places cited sources name: ``(facts, editorial)``, the place as the sources' statement (resting on their
    citations) and its verified identifier as the editors'. Pure: reads nothing."""
    en = lambda text: literals(text, lang="en")  # noqa: E731
    facts: list[Triple] = []
    editorial: list[Triple] = []
    for named in quantities.named_places:
        entry = (reference or {}).get(named["reference"], {})
        place_facts, place_editorial = _named_place(names, named, entry, reference_file, named.get("checked"), en)
        facts += place_facts
        editorial += place_editorial
    return facts, editorial


def _named_place(names: Names, named: dict, entry: dict, reference_file: URIRef | None,
                 checked: str | None, en) -> tuple[list[Triple], list[Triple]]:
    """A place a cited source names (the Azerbaijan SSR, in a ministry's name), resting on the citation of that
    source's record, with its identifier where the reference material verifies it."""
    place = names.mint("place", named["id"])
    name = (entry.get("labels") or {}).get("en") or named["reference"]
    triples: list[Triple] = [(place, RDF.type, SCHEMA.Place), (place, RDF.type, SCHEMA.AdministrativeArea),
                             (place, SCHEMA.name, en(name)), (place, RDFS.label, en(name))]
    for ref in named["named_in"]:
        source_id, attribution_id = ref.split("/")
        attribution = attribution_iri(names, source_id, attribution_id)
        triples += [(place, PROV.wasDerivedFrom, citation_iri(names, source_id, RECORD)),
                    (attribution, J20.namesPlace, place)]
    editorial: list[Triple] = []
    if entry.get("wikidata_status") == "verified" and entry.get("wikidata") and reference_file is not None:
        editorial += editorial_statement(
            names, f"{named['id']}-wikidata", place, J20.editorialSameAs, WD[entry["wikidata"]],
            en(str(entry.get("wikidata_evidence", ""))), en(f"Editorial: {named['id'].replace('-', ' ')} wikidata"),
            [reference_file], checked)
    return triples, editorial


def _alignment(names: Names, count_id: str, count: URIRef, quantity: URIRef, evidence: str,
               checked: str, en) -> list[Triple]:
    quantity_slug = names.slug(quantity, "quantity")
    return editorial_statement(
        names, f"{count_id}-value-of-{quantity_slug}", count, J20.valueOf, quantity, en(evidence),
        en(f"Editorial: {count_id.replace('-', ' ')} is a value of {quantity_slug.replace('-', ' ')}"), [count],
        checked)


def _summary(names: Names, quantity: URIRef, q: dict, reported: list[Reported], literals: Literals) -> list[Triple]:
    """The values side by side, derived by the build: nothing here is stated by a source or chosen by an editor."""
    if not reported:
        return []
    node = names.part(quantity, "summary")
    integer = lambda n: literals(n, XSD.integer)  # noqa: E731
    low = min(r.low for r in reported)
    high = max(r.high for r in reported)
    by_value: dict[tuple, list[Reported]] = {}
    for r in reported:
        by_value.setdefault(r.key, []).append(r)
    sources = sorted({r.source for r in reported}, key=str)
    triples: list[Triple] = [
        (node, RDF.type, J20.QuantitySummary),
        (node, RDF.type, PROV.Entity),
        (node, RDFS.label, literals(f"Reported values of: {q['name']}", lang="en")),
        (node, J20.summarises, quantity),
        (node, J20.derivedByBuild, literals(True)),
        (node, J20.lowestReported, integer(low)),
        (node, J20.highestReported, integer(high)),
        (node, J20.spread, integer(high - low)),
        (node, J20.distinctValueCount, integer(len(by_value))),
        (node, J20.sourceCount, integer(len(sources))),
        (node, J20.sourcesDisagree, literals(len(by_value) > 1)),
    ]
    triples += [(node, PROV.wasDerivedFrom, r.node) for r in reported]
    triples += [(node, J20.lowestReportedIn, r.node) for r in reported if r.low == low]
    triples += [(node, J20.highestReportedIn, r.node) for r in reported if r.high == high]
    for key, group in by_value.items():
        value = names.part(node, "value", group[0].slug())
        first = group[0]
        group_sources = sorted({r.source for r in group}, key=str)
        triples += [
            (node, J20.reportedValue, value),
            (value, RDF.type, J20.ReportedValue),
            (value, RDF.type, SCHEMA.QuantitativeValue),
            (value, RDFS.label, literals(f"{first.text()} ({len(group_sources)} source"
                                         f"{'' if len(group_sources) == 1 else 's'})", lang="en")),
            (value, J20.sourceCount, integer(len(group_sources))),
            (value, J20.derivedByBuild, literals(True)),
        ]
        if first.low == first.high:
            triples.append((value, SCHEMA.value, integer(first.low)))
        else:
            triples += [(value, SCHEMA.minValue, integer(first.low)), (value, SCHEMA.maxValue, integer(first.high))]
        if first.qualifier:
            triples.append((value, J20.qualifier, concept_iri("figure-qualifiers", first.qualifier)))
        triples += [(value, J20.reportedIn, r.node) for r in group]
        triples += [(value, J20.reportedBy, s) for s in group_sources]
        triples += [(value, PROV.wasDerivedFrom, r.node) for r in group]
        if len(by_value) > 1:
            triples += [(node, J20.disagreeingSource, s) for s in group_sources]
    return triples
