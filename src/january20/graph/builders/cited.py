"""Cited sources as triples: the bibliographic record of each page, the parties it credits figures to, and each
figure as its own node, derived from a citation (the page, the place in it, the date it was checked) rather than
from an excerpt of a held text."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from january20.graph.builders.context import Literals, Triple
from january20.graph.vocabulary import concept_iri, pref_label
from january20.names import J20, SCHEMA, Names
from january20.sources.cited import CitedSource
from january20.sources.quantities import Quantities

RECORD = "record"  # the citation of the page's bibliographic details, which its publisher node rests on


def figure_iri(names: Names, source_id: str, figure_id: str) -> URIRef:
    return names.mint("figure", source_id, figure_id)


def citation_iri(names: Names, source_id: str, part: str) -> URIRef:
    return names.part(names.source(source_id), "citation", part)


def attribution_iri(names: Names, source_id: str, attribution_id: str) -> URIRef:
    return names.part(names.source(source_id), "attribution", attribution_id)


def figure_text(figure: dict) -> str:
    """The number as the page gives it, qualifier first: "over 700", "131–170", "official 133–137"."""
    number = str(figure["value"]) if "value" in figure else f"{figure['low']}–{figure['high']}"
    qualifier = figure.get("qualifier")
    return f"{qualifier.replace('-', ' ')} {number}" if qualifier else number


def source_label(source: dict) -> str:
    return source.get("title") or f"{source['publisher']['name']} (page without a stated title)"


def build_cited(cited: list[CitedSource], names: Names, concepts: Graph, literals: Literals,
                iri_of: dict[str, URIRef], quantities: Quantities | None) -> list[Triple]:
    """Triples of every cited source. ``iri_of`` maps full-text record ids (events, places) to their IRIs;
    ``quantities`` gives the event a figure is in when the figure does not name one. Pure: reads nothing."""
    by_quantity = quantities.by_id() if quantities else {}
    triples: list[Triple] = []
    for cs in cited:
        src = cs.source
        source = names.source(cs.id)
        lang = src["language"]
        en = lambda text: literals(text, lang="en")  # noqa: E731 - the editors' words are English
        record = citation_iri(names, cs.id, RECORD)
        publisher = names.mint("organization", src["publisher"]["id"])
        triples += [
            (source, RDF.type, J20.CitedSource),
            (source, RDF.type, SCHEMA.CreativeWork),
            (source, RDF.type, PROV.Entity),
            (source, DCTERMS.type, concept_iri("source-genres", src["genre"])),
            (source, RDFS.label, literals(source_label(src), lang=lang if "title" in src else "en")),
            (source, SCHEMA.publisher, publisher),
            (source, SCHEMA.url, literals(src["url"], XSD.anyURI)),
            (source, J20.checkedOn, literals(src["checked"], XSD.date)),
            (source, SCHEMA.inLanguage, literals(lang)),
            (source, DCTERMS.language, literals(lang)),
            (source, SCHEMA.abstract, en(src["about"])),
            (record, RDF.type, J20.Citation),
            (record, RDF.type, PROV.Entity),
            (record, RDFS.label, en(f"Bibliographic details of {source_label(src)}")),
            (record, J20.citedSource, source),
            (record, J20.locator, en("the page's bibliographic details: title, publisher, date")),
            (record, J20.checkedOn, literals(src["checked"], XSD.date)),
            (publisher, RDF.type, SCHEMA.Organization),
            (publisher, RDF.type, PROV.Agent),
            (publisher, SCHEMA.name, en(src["publisher"]["name"])),
            (publisher, RDFS.label, en(src["publisher"]["name"])),
            (publisher, PROV.wasDerivedFrom, record),
        ]
        if "title" in src:
            triples += [(source, SCHEMA.name, literals(src["title"], lang=lang)),
                        (source, DCTERMS.title, literals(src["title"], lang=lang))]
        else:
            triples.append((source, J20.notStated, SCHEMA.name))
        if "title_basis" in src:
            triples.append((source, J20.titleBasis, en(src["title_basis"])))
        if "published" in src:
            triples.append((source, SCHEMA.datePublished, literals(src["published"], XSD.date)))
        else:
            triples.append((source, J20.notStated, SCHEMA.datePublished))
        if "published_basis" in src:
            triples.append((source, J20.publicationDateBasis, en(src["published_basis"])))
        if "author" in src:
            triples.append((source, DCTERMS.creator, literals(src["author"])))
        if "note" in src:
            triples.append((source, J20.readingNote, en(src["note"])))

        for a in cs.attributions:
            node = attribution_iri(names, cs.id, a["id"])
            triples += [
                (node, RDF.type, J20.Attribution),
                (node, RDFS.label, en(a["name"])),
                (node, J20.attributionKind, concept_iri("attribution-kinds", a["kind"])),
                (node, J20.statedBy, source),
            ]
            if "detail" in a:
                triples.append((node, SCHEMA.description, en(a["detail"])))

        for f in cs.figures:
            node = figure_iri(names, cs.id, f["id"])
            citation = citation_iri(names, cs.id, f["id"])
            category = pref_label(concepts, "count-categories", f["category"])
            thing = pref_label(concepts, "counted-things", f["population"])
            event_id = f.get("event") or by_quantity.get(f["quantity"], {}).get("event")
            triples += [
                (node, RDF.type, J20.CitedFigure),
                (node, RDF.type, SCHEMA.QuantitativeValue),
                (node, RDFS.label, en(f"{figure_text(f)} {thing} {category} ({src['publisher']['name']})")),
                (node, J20.countedCategory, concept_iri("count-categories", f["category"])),
                (node, J20.countedThing, concept_iri("counted-things", f["population"])),
                (node, J20.reportedBy, source),
                (node, SCHEMA.description, en(f["says"])),
                (node, PROV.wasDerivedFrom, citation),
                (citation, RDF.type, J20.Citation),
                (citation, RDF.type, PROV.Entity),
                (citation, RDFS.label, en(f"{source_label(src)}: {f['locator']}")),
                (citation, J20.citedSource, source),
                (citation, J20.locator, en(f["locator"])),
                (citation, J20.checkedOn, literals(src["checked"], XSD.date)),
            ]
            if "value" in f:
                triples.append((node, SCHEMA.value, literals(f["value"], XSD.integer)))
            else:
                triples += [(node, SCHEMA.minValue, literals(f["low"], XSD.integer)),
                            (node, SCHEMA.maxValue, literals(f["high"], XSD.integer))]
            if "qualifier" in f:
                triples.append((node, J20.qualifier, concept_iri("figure-qualifiers", f["qualifier"])))
            if event_id is not None:
                event = iri_of.get(event_id)
                if event is not None:
                    triples.append((node, J20.inEvent, event))
            if "place" in f:
                triples.append((node, J20.countedAt, iri_of[f["place"]]))
            for field, prop in (("who", J20.statedPopulation), ("where", J20.statedPlace), ("when", J20.statedTime)):
                if field in f:
                    triples.append((node, prop, en(f[field])))
            if "attributed_to" in f:
                triples.append((node, J20.attributedTo, attribution_iri(names, cs.id, f["attributed_to"])))
    # One object per IRI, as the other builders make them (the build's sets find a triple by identity).
    same: dict = {}
    return [(same.setdefault(s, s), same.setdefault(p, p), same.setdefault(o, o)) for s, p, o in triples]
