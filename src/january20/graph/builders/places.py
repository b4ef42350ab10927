"""Places the article names, and groups of places a figure is stated for jointly."""

from __future__ import annotations

from rdflib.namespace import RDF

from january20.names import J20, SCHEMA
from january20.graph.builders.context import Context, Triple

PLACE_TYPES = {
    "city": SCHEMA.City,
    "country": SCHEMA.Country,
    "region": J20.Region,
    "landmark": SCHEMA.LandmarksOrHistoricalBuildings,
    "place": SCHEMA.Place,
    "group": J20.PlaceGroup,
}


def build_places(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("places"):
        place = ctx.iri(record["id"])
        triples += [(place, RDF.type, SCHEMA.Place), (place, RDF.type, PLACE_TYPES[record["kind"]])]
        triples += ctx.named(place, record["name"])
        triples += [(place, SCHEMA.alternateName, ctx.text(n)) for n in record.get("alternate_names", [])]
        if "within" in record:
            triples.append((place, SCHEMA.containedInPlace, ctx.iri(record["within"])))
        triples += [(place, J20.groupMember, ctx.iri(m)) for m in record.get("members", [])]
        triples += ctx.derived(place, record["quote"])
    return triples
