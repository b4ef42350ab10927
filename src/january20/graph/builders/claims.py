"""The article's characterisations, comparisons and interpretations, recorded as the article's claims."""

from __future__ import annotations

from rdflib.namespace import RDF

from january20.sources.facts import quotes_of
from january20.names import J20, SCHEMA
from january20.graph.builders.context import Context, Triple


def build_claims(ctx: Context) -> list[Triple]:
    article = ctx.names.source(ctx.facts.id)
    triples: list[Triple] = []
    for record in ctx.facts.records("claims"):
        claim = ctx.iri(record["id"])
        quotes = quotes_of(record["quote"])
        triples += [
            (claim, RDF.type, SCHEMA.Claim),
            (claim, RDF.type, J20.ArticleClaim),
            (claim, J20.claimKind, ctx.concept("claim-kinds", record["kind"])),
            (claim, SCHEMA.appearance, article),
            (claim, J20.claimedBy, article),
        ]
        triples += [(claim, SCHEMA.text, ctx.text(q)) for q in quotes]
        triples += ctx.named(claim, f"The article's {record['kind']}: “{quotes[0]}”")
        triples += [(claim, SCHEMA.about, ctx.iri(x)) for x in record["about"]]
        if "compared_with" in record:
            triples.append((claim, J20.comparedWith, ctx.iri(record["compared_with"])))
        triples += ctx.derived(claim, quotes)
    return triples
