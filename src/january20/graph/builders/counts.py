"""Every figure as its own node, kept with its scope: what is counted, of whom, where, in which event, and how it
relates to other figures. Amounts given in words stay words."""

from __future__ import annotations

from rdflib.namespace import RDF, XSD

from january20.names import J20, SCHEMA
from january20.graph.builders.context import Context, Triple


def count_label(ctx: Context, record: dict) -> str:
    thing = ctx.concept_label("counted-things", record["population"])
    category = ctx.concept_label("count-categories", record["category"])
    return f"{record['value']} {thing} {category} ({ctx.names_of[record['event']]})"


def build_counts(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("counts"):
        count = ctx.iri(record["id"])
        triples += [
            (count, RDF.type, J20.Count),
            (count, RDF.type, SCHEMA.QuantitativeValue),
            (count, SCHEMA.value, ctx.literal(record["value"], XSD.integer)),
            (count, J20.countedCategory, ctx.concept("count-categories", record["category"])),
            (count, J20.countedThing, ctx.concept("counted-things", record["population"])),
            (count, J20.inEvent, ctx.iri(record["event"])),
            (ctx.iri(record["event"]), J20.hasCount, count),
        ]
        triples += ctx.named(count, count_label(ctx, record))
        if "place" in record:
            # Not schema:location, which a QuantitativeValue does not have.
            triples.append((count, J20.countedAt, ctx.iri(record["place"])))
        if "part_of" in record:
            triples.append((count, J20.partOf, ctx.iri(record["part_of"])))
        if "subset_of" in record:
            triples.append((count, J20.subsetOf, ctx.iri(record["subset_of"])))
        if record.get("total"):
            triples.append((count, RDF.type, J20.TotalCount))
        triples += ctx.derived(count, record["quote"])
    return triples


def build_amounts(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("amounts"):
        amount = ctx.iri(record["id"])
        thing = ctx.concept_label("counted-things", record["population"])
        category = ctx.concept_label("count-categories", record["category"])
        triples += [
            (amount, RDF.type, J20.QualitativeAmount),
            (amount, J20.statedAmount, ctx.text(record["amount"])),
            (amount, J20.countedCategory, ctx.concept("count-categories", record["category"])),
            (amount, J20.countedThing, ctx.concept("counted-things", record["population"])),
            (amount, J20.inEvent, ctx.iri(record["event"])),
            (ctx.iri(record["event"]), J20.hasCount, amount),
        ]
        triples += [(amount, J20.includesThing, ctx.concept("counted-things", t)) for t in record.get("includes", [])]
        triples += ctx.named(amount, f"{record['amount']} {thing} {category} ({ctx.names_of[record['event']]})")
        triples += ctx.derived(amount, record["quote"])
    return triples
