"""Editorial enrichment as triples: external identifiers, coordinates, labels and resolved dates, each with a
reified statement node carrying its evidence and the date it was checked."""

from __future__ import annotations

import datetime as dt
import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from january20.graph.builders.cited import citation_iri
from january20.sources.editorial import Enrichment
from january20.names import GEO, J20, SCHEMA, WD, Names
from january20.graph.builders.context import Triple

CHECKED = "2026-11-24"  # the date the reference material says every entry was checked
GEOM = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")


def editors(names: Names) -> URIRef:
    return names.mint("organization", "january20-editors")


def build_editorial(enrichment: Enrichment, names: Names, iri_of: dict[str, URIRef],
                    reference_file: URIRef) -> list[Triple]:
    """``iri_of`` maps facts record ids to their IRIs; ``reference_file`` is the IRI of the reference data."""
    team = editors(names)
    triples: list[Triple] = [
        (team, RDF.type, PROV.Organization),
        (team, RDF.type, SCHEMA.Organization),
        (team, SCHEMA.name, Literal("january20 editors", lang="en")),
        (team, RDFS.label, Literal("january20 editors", lang="en")),
    ]

    def statement(slug: str, subject: URIRef, predicate: URIRef, obj, evidence: str, checked: str | None,
                  derived_from: URIRef | None = None) -> None:
        node = names.mint("editorial", slug)
        triples.extend([
            (subject, predicate, obj),
            (node, RDF.type, RDF.Statement),
            (node, RDF.type, J20.EditorialStatement),
            (node, RDF.subject, subject),
            (node, RDF.predicate, predicate),
            (node, RDF.object, obj),
            (node, PROV.wasAttributedTo, team),
            (node, J20.evidence, Literal(evidence, lang="en")),
            (node, RDFS.label, Literal(f"Editorial: {slug.replace('-', ' ')}", lang="en")),
        ])
        if checked:
            triples.append((node, DCTERMS.date, Literal(checked, datatype=XSD.date)))
        # Evidence that is a page is linked; evidence described in words points at the reference file holding it.
        url = re.match(r"https?://[^\s\"<>()\[\]]+", evidence)
        origin = derived_from or (URIRef(url.group(0)) if url else reference_file)
        triples.append((node, PROV.wasDerivedFrom, origin))

    for link in enrichment.links:
        entry = enrichment.reference[link["reference"]]
        record_id = link["record"]
        subject = iri_of[record_id]
        if entry.get("wikidata_status") == "verified" and entry.get("wikidata"):
            statement(f"{record_id}-wikidata", subject, SCHEMA.sameAs, WD[entry["wikidata"]],
                      str(entry.get("wikidata_evidence", "")), CHECKED)
        if entry.get("coordinates"):
            lat, lon = entry["coordinates"]
            geometry = names.part(subject, "geometry")
            # WKT in GeoSPARQL's default CRS (CRS84) is longitude first.
            triples.extend([(subject, GEO.hasGeometry, geometry), (geometry, RDF.type, GEO.Geometry)])
            statement(f"{record_id}-coordinates", geometry, GEO.asWKT,
                      Literal(f"POINT({lon} {lat})", datatype=GEOM), str(entry.get("coordinates_evidence", "")),
                      CHECKED)
            statement(f"{record_id}-latitude", subject, SCHEMA.latitude, Literal(str(lat), datatype=XSD.decimal),
                      str(entry.get("coordinates_evidence", "")), CHECKED)
            statement(f"{record_id}-longitude", subject, SCHEMA.longitude, Literal(str(lon), datatype=XSD.decimal),
                      str(entry.get("coordinates_evidence", "")), CHECKED)
        for lang, label in sorted((entry.get("labels") or {}).items()):
            if lang == "en":
                continue  # the English name is the article's, already in the facts
            statement(f"{record_id}-label-{lang}", subject, RDFS.label, Literal(label, lang=lang),
                      f"Label from the reference material ({link['reference']})", CHECKED)
    for item in enrichment.resolved_dates:
        event = iri_of[item["event"]]
        for name, prop in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            value = dt.date.fromisoformat(str(item[name])).isoformat()
            # Where a cited source gives the year, the statement rests on its citation (the page, the place in it,
            # the date it was checked) rather than on the editors' sentence alone.
            cited = citation_iri(names, *str(item["cited"]).split("/")) if "cited" in item else None
            statement(f"{item['event']}-{name}-date", event, prop, Literal(value, datatype=XSD.date),
                      item["evidence"], None, cited)
    return triples
