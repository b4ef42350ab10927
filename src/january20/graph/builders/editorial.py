"""Editorial enrichment as triples: external identifiers, coordinates, labels, resolved dates, the editors'
readings of co-reference and their notes to readers.

Whose statement is whose must show in every serialisation, the flat union included (docs/model-decisions.md):
the editors' values sit on fact nodes only through editorial properties (each a j20:EditorialProperty),
each reified by a statement node carrying its evidence, origin and check date; every node the editors make is named
under ``editorial/`` and attributed to them.
"""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from january20.graph.builders.cited import citation_iri
from january20.sources.editorial import URL, Enrichment
from january20.names import GEO, J20, SCHEMA, WD, Names
from january20.graph.builders.context import Triple

GEOM = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")


def editors(names: Names) -> URIRef:
    return names.mint("organization", "january20-editors")


def editorial_statement(names: Names, slug: str, subject: URIRef, predicate: URIRef, obj, evidence: Literal,
                        label: Literal, derived_from: list[URIRef], checked: str | None) -> list[Triple]:
    """The editors' triple ``(subject, predicate, obj)`` and the statement node ``editorial/<slug>`` that reifies it:
    attributed to the editors, with its evidence, what it was derived from and the date it was checked."""
    node = names.mint("editorial", slug)
    triples: list[Triple] = [
        (subject, predicate, obj),
        (node, RDF.type, RDF.Statement),
        (node, RDF.type, J20.EditorialStatement),
        (node, RDF.subject, subject),
        (node, RDF.predicate, predicate),
        (node, RDF.object, obj),
        (node, PROV.wasAttributedTo, editors(names)),
        (node, J20.evidence, evidence),
        (node, RDFS.label, label),
    ]
    triples += [(node, PROV.wasDerivedFrom, o) for o in derived_from]
    if checked:
        triples.append((node, DCTERMS.date, Literal(checked, datatype=XSD.date)))
    return triples


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

    def origins(item: dict) -> list[URIRef]:
        """A statement's ``derived_from``: sources by id, pages by URL."""
        return [URIRef(o) if URL.fullmatch(o) else names.source(o) for o in item["derived_from"]]

    def statement(slug: str, subject: URIRef, predicate: URIRef, obj, evidence: str, checked: str | None,
                  derived_from: list[URIRef] | None = None) -> None:
        if derived_from is None:
            # Reference evidence that is a page is linked; evidence described in words points at the reference file.
            url = URL.match(evidence)
            derived_from = [URIRef(url.group(0)) if url else reference_file]
        triples.extend(editorial_statement(
            names, slug, subject, predicate, obj, Literal(evidence, lang="en"),
            Literal(f"Editorial: {slug.replace('-', ' ')}", lang="en"), derived_from, checked))

    checked = enrichment.reference_checked
    for link in enrichment.links:
        entry = enrichment.reference[link["reference"]]
        record_id = link["record"]
        subject = iri_of[record_id]
        if entry.get("wikidata_status") == "verified" and entry.get("wikidata"):
            statement(f"{record_id}-wikidata", subject, J20.editorialSameAs, WD[entry["wikidata"]],
                      str(entry.get("wikidata_evidence", "")), checked)
        if entry.get("coordinates"):
            lat, lon = entry["coordinates"]
            evidence = str(entry.get("coordinates_evidence", ""))
            if link.get("note"):
                evidence += f" {link['note']}"
            geometry = names.mint("editorial", f"{record_id}-geometry")
            triples.extend([(geometry, RDF.type, GEO.Geometry), (geometry, PROV.wasAttributedTo, team),
                            (geometry, RDFS.label, Literal(f"Editorial: point of {record_id}", lang="en"))])
            statement(f"{record_id}-geometry-link", subject, J20.editorialGeometry, geometry, evidence, checked)
            # WKT in GeoSPARQL's default CRS (CRS84) is longitude first.
            statement(f"{record_id}-coordinates", geometry, GEO.asWKT,
                      Literal(f"POINT({lon} {lat})", datatype=GEOM), evidence, checked)
            statement(f"{record_id}-latitude", subject, J20.editorialLatitude,
                      Literal(str(lat), datatype=XSD.decimal), evidence, checked)
            statement(f"{record_id}-longitude", subject, J20.editorialLongitude,
                      Literal(str(lon), datatype=XSD.decimal), evidence, checked)
        for lang, label in sorted((entry.get("labels") or {}).items()):
            if lang == "en":
                continue  # the English name is the article's, already in the facts
            statement(f"{record_id}-label-{lang}", subject, J20.editorialLabel, Literal(label, lang=lang),
                      f"Label from the reference material ({link['reference']})", checked)
    for item in enrichment.resolved_dates:
        event = iri_of[item["event"]]
        for name, prop in (("start", J20.editorialStartDate), ("end", J20.editorialEndDate)):
            value = dt.date.fromisoformat(str(item[name])).isoformat()
            # Where a cited source gives the year, the statement rests on its citation (the page, the place in it,
            # the date it was checked) rather than on the editors' sentence alone.
            cited = citation_iri(names, *str(item["cited"]).split("/")) if "cited" in item else None
            statement(f"{item['event']}-{name}-date", event, prop, Literal(value, datatype=XSD.date),
                      item["evidence"], str(item["checked"]),
                      (origins(item) if "derived_from" in item else []) + ([cited] if cited else []))
    for item in enrichment.coreferences:
        statement(item["id"], iri_of[item["record"]], J20.editorialCoreference, iri_of[item["same_as"]],
                  item["evidence"], str(item["checked"]), origins(item))
    for item in enrichment.notes:
        note = names.mint("editorial", item["id"])
        triples.extend([
            (note, RDF.type, J20.EditorialNote),
            (note, RDF.type, PROV.Entity),
            (note, RDFS.label, Literal(f"Editorial note: {item['id'].replace('-', ' ')}", lang="en")),
            (note, RDFS.comment, Literal(item["text"], lang="en")),
            (note, J20.evidence, Literal(item["evidence"], lang="en")),
            (note, PROV.wasAttributedTo, team),
            (note, DCTERMS.date, Literal(str(item["checked"]), datatype=XSD.date)),
        ])
        triples.extend((note, J20.noteOn, iri_of[a]) for a in item["about"])
        triples.extend((note, PROV.wasDerivedFrom, o) for o in origins(item))
    return triples
