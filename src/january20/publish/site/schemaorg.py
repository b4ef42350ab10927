"""Each page's description in plain schema.org, for search engines: the second JSON-LD block of a page.

The first block of a resource page is the resource's own triples in the project's vocabulary; a crawler reads
schema.org, with ``"@context": "https://schema.org"``, and only the terms and shapes its documentation gives. So
this block describes the same resource (the same ``@id``) in those terms: an event as an Event with its places,
its phases and the dates the editors resolved; a place with its coordinates; a count as a QuantitativeValue with
what it counts; the dataset (on the landing page and its own page) as a Dataset with its sources, coverage,
variables and files.

Everything is read from the built graph through the site's model; nothing about this dataset is written here. What
schema.org cannot say as the graph says it is left out rather than bent: an organisation is not an Event's
``actor`` (its range is people), a count has no ``location`` (schema.org gives quantities none), a date the source
gives without a year, or a year alone, is no ``startDate``. The tests check every block against the schema.org
vocabulary (``tests/test_schemaorg_pages.py``).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, VOID, XSD

from january20.graph.metadata import DCAT_VERSION
from january20.names import GEO, J20, MEDIA_TYPE, OA, SCHEMA, SPDX
from january20.publish.site.model import SiteModel, natural_key

CONTEXT = "https://schema.org"

# The schema.org type that stands for a resource with no schema.org type of its own, by its type in the graph.
# First match wins; a resource that matches none is a Thing.
VIEW_TYPES = (
    (DCAT.Dataset, "Dataset"),
    (VOID.Dataset, "Dataset"),
    (DCAT.Distribution, "DataDownload"),
    (SKOS.ConceptScheme, "DefinedTermSet"),
    (SKOS.Concept, "DefinedTerm"),
    (J20.Excerpt, "Quotation"),
    (J20.Sentence, "CreativeWork"),
    (GEO.Geometry, "GeoCoordinates"),
    (SPDX.Checksum, "PropertyValue"),
    (RDF.Statement, "Claim"),
    (J20.QualitativeAmount, "QuantitativeValue"),
    (J20.Participation, "Role"),
)
_DATES = (XSD.date, XSD.dateTime)  # what schema.org's Date and DateTime are; a gYear or a gMonthDay is neither
_WKT_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$")


def _english(values) -> list[str]:
    """The English (else untagged) strings among ``values``, sorted."""
    literals = [v for v in values if isinstance(v, Literal)]
    for keep in (lambda v: v.language == "en", lambda v: v.language is None and v.datatype in (None, XSD.string)):
        chosen = sorted({str(v) for v in literals if keep(v)})
        if chosen:
            return chosen
    return []


def _one_or_many(values: list) -> Any:
    return values[0] if len(values) == 1 else values


def _number(value: Literal) -> int | float | str:
    python = value.toPython()
    if isinstance(python, bool):
        return str(value)
    if isinstance(python, int):
        return python
    try:
        return float(str(value))
    except ValueError:
        return str(value)


class SchemaOrgView:
    """The schema.org blocks of one build's pages."""

    def __init__(self, model: SiteModel):
        self.m = model
        self.g = model.graph

    # ------------------------------------------------------------------ names and types
    def types(self, iri) -> list[str]:
        """The schema.org types of ``iri``: its own schema.org types, else the stand-in for its type here."""
        own = sorted(str(t)[len(str(SCHEMA)):] for t in self.g.objects(iri, RDF.type) if str(t).startswith(str(SCHEMA)))
        if own:
            return own
        stated = set(self.g.objects(iri, RDF.type))
        for rdf_type, schema_type in VIEW_TYPES:
            if rdf_type in stated:
                return [schema_type]
        return ["Thing"]

    def _is(self, iri, schema_type: str) -> bool:
        return schema_type in self.types(iri)

    def _strings(self, iri, *properties) -> list[str]:
        for prop in properties:
            found = _english(self.g.objects(iri, prop))
            if found:
                return found
        return []

    def ref(self, iri) -> dict:
        """A short description of a resource another one points at: its IRI, type and name."""
        node: dict[str, Any] = {"@id": str(iri), "@type": _one_or_many(self.types(iri)), "name": self.m.label(iri)}
        if self._is(iri, "NewsArticle"):
            node.update(self._article_fields(iri))
        return node

    def _refs(self, iris, keep=lambda iri: True) -> list[dict]:
        return [self.ref(i) for i in sorted(set(iris), key=lambda i: natural_key(str(i))) if keep(i)]

    # ------------------------------------------------------------------ one resource
    def describe(self, iri) -> dict:
        """The schema.org block of ``iri``'s page: ``{"@context": "https://schema.org", "@id": iri, ...}``."""
        types = self.types(iri)
        node: dict[str, Any] = {"@context": CONTEXT, "@id": str(iri), "@type": _one_or_many(types)}
        node["name"] = self.m.label(iri)
        alternate = sorted(set(self._strings(iri, SCHEMA.alternateName)) - {node["name"]})
        if alternate:
            node["alternateName"] = _one_or_many(alternate)
        same = sorted({str(o) for p in (J20.editorialSameAs,) for o in self.g.objects(iri, p)
                       if isinstance(o, URIRef)})
        if same:
            node["sameAs"] = _one_or_many(same)
        for schema_type, fields in (
                ("Event", self._event_fields), ("Place", self._place_fields), ("Organization", self._agent_fields),
                ("Person", self._agent_fields), ("NewsArticle", self._article_fields), ("Claim", self._claim_fields),
                ("QuantitativeValue", self._quantity_fields), ("Role", self._role_fields),
                ("Dataset", self._dataset_fields), ("DataDownload", self._download_fields),
                ("DefinedTerm", self._term_fields), ("DefinedTermSet", self._term_set_fields),
                ("Quotation", self._passage_fields), ("CreativeWork", self._passage_fields),
                ("GeoCoordinates", self._geometry_fields), ("PropertyValue", self._checksum_fields)):
            if self._kind_of(types, schema_type):
                node.update(fields(iri))
                break
        return {key: value for key, value in node.items() if value not in ([], None, "")}

    def _kind_of(self, types: list[str], schema_type: str) -> bool:
        """Whether the view of a resource with ``types`` is the one written for ``schema_type``."""
        families = {
            "Place": ("Place", "City", "Country", "LandmarksOrHistoricalBuildings", "AdministrativeArea"),
            "Organization": ("Organization", "GovernmentOrganization", "NewsMediaOrganization"),
        }
        return any(t in families.get(schema_type, (schema_type,)) for t in types)

    # ------------------------------------------------------------------ fields by kind
    def _event_fields(self, iri) -> dict:
        out: dict[str, Any] = {}
        for prop, key in ((J20.editorialStartDate, "startDate"), (J20.editorialEndDate, "endDate")):
            dates = sorted(str(d) for d in self.g.objects(iri, prop) if isinstance(d, Literal) and d.datatype in _DATES)
            if dates:
                out[key] = dates[0]
        out["location"] = [self.place(p) for p in sorted(set(self.g.objects(iri, SCHEMA.location)), key=str)]
        out["superEvent"] = self._refs(self.g.objects(iri, SCHEMA.superEvent))
        out["subEvent"] = self._refs(self.g.objects(iri, SCHEMA.subEvent))
        out["actor"] = self._refs(self.g.objects(iri, J20.carriedOutBy), lambda a: self._is(a, "Person"))
        return out

    def place(self, iri) -> dict:
        """A place as an event's location or a dataset's coverage: its name, and its coordinates where known."""
        node = self.ref(iri)
        geo = self.coordinates(iri)
        if geo:
            node["geo"] = geo
        return node

    def coordinates(self, place) -> dict | None:
        """The place's GeoCoordinates (named by its geometry node where it has one), or None."""
        found = self.m.coordinates(place)
        if found is None:
            return None
        lon, lat = found
        geometries = sorted(self.g.objects(place, J20.editorialGeometry), key=str)
        node: dict[str, Any] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
        if geometries:
            node = {"@id": str(geometries[0]), **node}
        return node

    def _place_fields(self, iri) -> dict:
        return {"geo": self.coordinates(iri),
                "containedInPlace": self._refs(self.g.objects(iri, SCHEMA.containedInPlace)),
                "containsPlace": self._refs(self.g.objects(iri, J20.groupMember))}

    def _agent_fields(self, iri) -> dict:
        return {"parentOrganization": self._refs(self.g.objects(iri, SCHEMA.parentOrganization))}

    def _article_fields(self, iri) -> dict:
        return {"headline": _one_or_many(self._strings(iri, SCHEMA.headline)),
                "author": self._refs(self.g.objects(iri, SCHEMA.author)),
                "publisher": self._refs(self.g.objects(iri, SCHEMA.publisher)),
                "inLanguage": _one_or_many(sorted(str(v) for v in self.g.objects(iri, SCHEMA.inLanguage)))}

    def _claim_fields(self, iri) -> dict:
        if RDF.Statement in set(self.g.objects(iri, RDF.type)):  # an editorial statement: the editors' claim
            subject = self.g.value(iri, RDF.subject)
            return {"about": [self.ref(subject)] if subject is not None else [],
                    "description": _one_or_many(self._strings(iri, J20.evidence)),
                    "author": self._refs(self.g.objects(iri, PROV.wasAttributedTo)),
                    "isBasedOn": sorted(str(s) for s in self.g.objects(iri, PROV.wasDerivedFrom))}
        return {"text": _one_or_many(self._strings(iri, SCHEMA.text)),
                "about": self._refs(self.g.objects(iri, SCHEMA.about)),
                "appearance": self._refs(self.g.objects(iri, SCHEMA.appearance))}

    def _quantity_fields(self, iri) -> dict:
        values = [_number(v) for v in self.g.objects(iri, SCHEMA.value) if isinstance(v, Literal)]
        things = sorted(self.g.objects(iri, J20.countedThing), key=str)
        return {"value": values[0] if values else None,
                "description": _one_or_many(self._strings(iri, J20.statedAmount)),
                "unitText": _one_or_many([self.m.label(t) for t in things]),
                "valueReference": [self.term(c) for p in (J20.countedCategory, J20.countedThing)
                                   for c in sorted(self.g.objects(iri, p), key=str)]}

    def _role_fields(self, iri) -> dict:
        names = self._strings(iri, SCHEMA.roleName) or [self.m.label(r) for r in
                                                        sorted(self.g.objects(iri, J20.participantRole), key=str)]
        return {"roleName": _one_or_many(names)}

    def term(self, concept) -> dict:
        """A concept as a DefinedTerm, with its definition and its scheme."""
        node = self.ref(concept)
        node["@type"] = "DefinedTerm"
        node.update(self._term_fields(concept))
        return node

    def _term_fields(self, iri) -> dict:
        return {"description": _one_or_many(self._strings(iri, SKOS.definition)),
                "inDefinedTermSet": self._refs(self.g.objects(iri, SKOS.inScheme))}

    def _term_set_fields(self, iri) -> dict:
        return {"description": _one_or_many(self._strings(iri, SKOS.definition, DCTERMS.description, RDFS.comment)),
                "hasDefinedTerm": self._refs(self.g.subjects(SKOS.inScheme, iri))}

    def _passage_fields(self, iri) -> dict:
        number = self.g.value(iri, J20.sentenceNumber)
        return {"text": self.m.quote_of(iri),
                "isPartOf": self._refs(self.g.objects(iri, OA.hasSource)),
                "position": int(number) if number is not None else None}

    def _geometry_fields(self, iri) -> dict:
        for wkt in sorted(self.g.objects(iri, GEO.asWKT), key=str):
            match = _WKT_POINT.match(str(wkt))
            if match:
                return {"longitude": float(match.group(1)), "latitude": float(match.group(2))}
        return {}

    def _checksum_fields(self, iri) -> dict:
        return {"propertyID": _one_or_many(sorted(str(a) for a in self.g.objects(iri, SPDX.algorithm))),
                "value": _one_or_many(sorted(str(v) for v in self.g.objects(iri, SPDX.checksumValue)))}

    def _download_fields(self, iri) -> dict:
        return {"name": _one_or_many(self._strings(iri, DCTERMS.title)) or self.m.label(iri),
                "encodingFormat": _one_or_many(sorted(str(t)[len(str(MEDIA_TYPE)):]
                                                      for t in self.g.objects(iri, DCAT.mediaType))),
                "contentUrl": _one_or_many(sorted(str(u) for u in self.g.objects(iri, DCAT.downloadURL))),
                "license": _one_or_many(sorted(str(u) for u in self.g.objects(iri, DCTERMS.license)))}

    def download(self, iri) -> dict:
        return {"@id": str(iri), "@type": "DataDownload", **{k: v for k, v in self._download_fields(iri).items() if v}}

    # ------------------------------------------------------------------ datasets
    def _dataset_fields(self, iri) -> dict:
        g = self.g
        out: dict[str, Any] = {
            "name": _one_or_many(self._strings(iri, DCTERMS.title)) or self.m.label(iri),
            "description": _one_or_many(self._strings(iri, DCTERMS.description)),
            "url": _one_or_many(sorted(str(u) for u in g.objects(iri, VOID.uriSpace))),
            "identifier": str(iri) if g.value(iri, VOID.uriSpace) is not None else None,
            "version": _one_or_many(sorted(str(v) for v in g.objects(iri, DCAT_VERSION))),
            "license": _one_or_many(sorted(str(u) for u in g.objects(iri, DCTERMS.license))),
            "copyrightNotice": _one_or_many(self._strings(iri, DCTERMS.rights)),
            "creator": self._refs(g.objects(iri, DCTERMS.creator)),
            "publisher": self._refs(g.objects(iri, DCTERMS.publisher)),
            "isBasedOn": self._refs(g.objects(iri, DCTERMS.source)),
            "about": self._refs(g.objects(iri, DCTERMS.subject)),
            "isPartOf": self._refs(g.objects(iri, DCTERMS.isPartOf)),
            "distribution": [self.download(d) for d in sorted(g.objects(iri, DCAT.distribution), key=str)],
            "hasPart": [self.part(p) for p in sorted(g.objects(iri, VOID.subset), key=lambda p: natural_key(str(p)))],
            "includedInDataCatalog": self._refs(g.subjects(DCAT.dataset, iri)),
        }
        if g.value(iri, VOID.uriSpace) is not None:  # the dataset as a whole, not one of its parts
            out.update({
                "citation": self._citations(iri),
                "keywords": self._keywords(),
                "temporalCoverage": self._temporal_coverage(),
                "spatialCoverage": self._spatial_coverage(),
                "variableMeasured": self._variables(),
            })
        return out

    def part(self, iri) -> dict:
        node = {"@id": str(iri), "@type": "Dataset", **self._dataset_fields(iri)}
        return {key: value for key, value in node.items() if value not in ([], None, "")}

    def _citations(self, dataset) -> list[dict]:
        """The works the dataset cites: its sources, and what the editors' additions were taken from."""
        cited = self._refs(self.g.objects(dataset, DCTERMS.source))
        evidence = {o for s in self.g.subjects(RDF.type, RDF.Statement) for o in self.g.objects(s, PROV.wasDerivedFrom)}
        for work in sorted(evidence - set(self.g.objects(dataset, DCTERMS.source)), key=str):
            cited.append({"@id": str(work), "@type": "CreativeWork", "url": str(work)})
        return cited

    def _keywords(self) -> list[str]:
        """The kinds of the events (their concepts' labels) and the names of the events the dataset's parts are
        about."""
        kinds = {k for e in self.g.subjects(RDF.type, SCHEMA.Event) for k in self.g.objects(e, J20.eventKind)}
        words = {self.m.label(k) for k in kinds}
        words |= {self.m.label(e) for part in self.g.objects(self.m.built.names.dataset(), VOID.subset)
                  for e in self.g.objects(part, DCTERMS.subject)}
        return sorted(words, key=str.lower)

    def _editorial(self, triple) -> bool:
        return "editorial" in self.m.graphs_of(triple)

    def _temporal_coverage(self) -> str | None:
        """From the first start to the last end that the editors resolved to a day, as an ISO 8601 interval."""
        starts, ends = [], []
        for prop, into in ((J20.editorialStartDate, starts), (J20.editorialEndDate, ends)):
            for event in self.g.subjects(RDF.type, SCHEMA.Event):
                for date in self.g.objects(event, prop):
                    if isinstance(date, Literal) and date.datatype == XSD.date and self._editorial((event, prop, date)):
                        into.append(str(date))
        everything = starts + ends
        if not everything:
            return None
        return f"{min(starts or everything)}/{max(ends or everything)}"

    def _spatial_coverage(self) -> list[dict]:
        """The places the editors located."""
        located = set()
        for place in self.g.subjects(RDF.type, SCHEMA.Place):
            if any(self._editorial((place, p, o)) for p in (J20.editorialLatitude, J20.editorialLongitude, J20.editorialGeometry)
                   for o in self.g.objects(place, p)):
                located.add(place)
        return [self.place(p) for p in sorted(located, key=lambda p: natural_key(str(p))) if self.coordinates(p)]

    def _variables(self) -> list[dict]:
        """What the figures count (the seed's counts, the cited sources' figures, the quantities they are values
        of): each category, with its definition."""
        categories = set(self.g.objects(None, J20.countedCategory))
        out = []
        for category in sorted(categories, key=str):
            node = {"@id": str(category), "@type": "PropertyValue", "name": self.m.label(category),
                    "description": _one_or_many(self._strings(category, SKOS.definition)),
                    "propertyID": str(category)}
            out.append({key: value for key, value in node.items() if value not in ([], None, "")})
        return out
