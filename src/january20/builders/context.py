"""What every builder needs to turn one source's records into triples: names, the id index, concept labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from ..facts import SourceFacts, quotes_of
from ..names import SCHEMA, Names
from ..vocabulary import concept_iri, pref_label

Triple = tuple[URIRef, URIRef, URIRef | Literal]

# Where each section's records live under the base IRI; agents depend on their kind.
SECTION_KIND = {
    "places": "place", "groups": "group", "roles": "role", "events": "event", "counts": "count",
    "amounts": "amount", "claims": "claim",
}


def record_iri(names: Names, section: str, record: dict) -> URIRef:
    if section == "agents":
        kind = "person" if record["kind"] == "person" else "organization"
        return names.mint(kind, record["id"])
    return names.mint(SECTION_KIND[section], record["id"])


@dataclass
class Context:
    names: Names
    facts: SourceFacts
    concepts: Graph

    def __post_init__(self) -> None:
        self.index: dict[str, URIRef] = {}
        self.names_of: dict[str, str] = {}
        self.language = self.facts.source["language"]
        # Remembered: the same quote, concept and label come back many times, and rdflib makes (and checks) a new
        # term each time one is asked for.
        self._excerpts: dict[str, URIRef] = {}
        self._labels: dict[tuple[str, str], str] = {}
        for section in (*SECTION_KIND, "agents"):
            for record in self.facts.records(section):
                self.index[record["id"]] = record_iri(self.names, section, record)
                if "name" in record:
                    self.names_of[record["id"]] = record["name"]

    def iri(self, record_id: str) -> URIRef:
        return self.index[record_id]

    def text(self, value: str) -> Literal:
        """A literal in the source's language: every label is language-tagged."""
        return Literal(value, lang=self.language)

    def concept(self, scheme: str, slug: str) -> URIRef:
        return concept_iri(scheme, slug)

    def concept_label(self, scheme: str, slug: str) -> str:
        label = self._labels.get((scheme, slug))
        if label is None:
            label = self._labels[scheme, slug] = pref_label(self.concepts, scheme, slug)
        return label

    def excerpt(self, quote: str) -> URIRef:
        iri = self._excerpts.get(quote)
        if iri is None:
            where = self.facts.excerpt(quote)
            iri = self._excerpts[quote] = self.names.excerpt(self.facts.id, where.start, where.end)
        return iri

    def derived(self, node: URIRef, quotes: str | Iterable[str]) -> list[Triple]:
        """``node`` rests on these quotes: one prov:wasDerivedFrom per excerpt."""
        return [(node, _DERIVED_FROM, self.excerpt(q)) for q in quotes_of(quotes)]

    def named(self, node: URIRef, name: str) -> list[Triple]:
        text = self.text(name)
        return [(node, _NAME, text), (node, _LABEL, text)]


# Made once: rdflib makes and checks a new term on every attribute of a namespace.
_DERIVED_FROM, _NAME, _LABEL = PROV.wasDerivedFrom, SCHEMA.name, RDFS.label
