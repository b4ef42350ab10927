"""What every builder needs to turn one source's records into triples: names, the id index, concept labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from january20.sources.facts import SourceFacts, quotes_of
from january20.names import SCHEMA, Names
from january20.sources.quotes import Excerpt
from january20.graph.vocabulary import concept_iri, pref_label

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


class Literals:
    """Makes each distinct literal of one build once: ``literals(value, datatype, lang=...)`` is
    ``Literal(value, datatype=datatype, lang=...)``, the same object each time it is asked for again.

    rdflib checks and normalises a value in every ``Literal()`` (several microseconds); the same label, number or
    date comes back in many triples and many sources (a build of 100 sources asked for 46,000 literals, 17,000 of
    them distinct). One object per literal also lets the build's sets find a triple by identity.
    """

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[tuple, Literal] = {}

    def __call__(self, value: Any, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
        # The value's type is part of the key: True == 1 and hash alike, but Literal(True) is an xsd:boolean.
        key = (value, lang, datatype) if type(value) is str else (type(value), value, lang, datatype)
        literal = self._made.get(key)
        if literal is None:
            literal = self._made[key] = Literal(value, lang=lang, datatype=datatype)
        return literal


@dataclass
class Context:
    """What the builders of one source share. ``literals`` is the build's (one per build, shared by its sources)."""

    names: Names
    facts: SourceFacts
    concepts: Graph
    literals: Literals = field(default_factory=Literals)

    def __post_init__(self) -> None:
        self.index: dict[str, URIRef] = {}
        self.names_of: dict[str, str] = {}
        self.language = self.facts.source["language"]
        # Remembered: the same quote, concept and label come back many times, and rdflib makes (and checks) a new
        # term each time one is asked for.
        self._excerpts: dict[str, URIRef] = {}
        self._spans: dict[tuple[int, int], URIRef] = {}
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
        return self.literals(value, lang=self.language)

    @property
    def literal(self) -> Literals:
        """``ctx.literal(value, datatype)`` is ``Literal(value, datatype=datatype)``, made once per build (a property,
        not a method that calls the build's Literals: one call less for each of the build's literals)."""
        return self.literals

    def concept(self, scheme: str, slug: str) -> URIRef:
        return concept_iri(scheme, slug)

    def concept_label(self, scheme: str, slug: str) -> str:
        label = self._labels.get((scheme, slug))
        if label is None:
            label = self._labels[scheme, slug] = pref_label(self.concepts, scheme, slug)
        return label

    def excerpt(self, quote: str) -> URIRef:
        """The excerpt node of a quote of this source."""
        iri = self._excerpts.get(quote)
        if iri is None:
            iri = self._excerpts[quote] = self.excerpt_node(self.facts.excerpt(quote))
        return iri

    def excerpt_node(self, span: Excerpt) -> URIRef:
        """The excerpt node of a span of this source's text (two quotes of one span share it)."""
        key = (span.start, span.end)
        iri = self._spans.get(key)
        if iri is None:
            iri = self._spans[key] = self.names.excerpt(self.facts.id, span.start, span.end)
        return iri

    def derived(self, node: URIRef, quotes: str | Iterable[str]) -> list[Triple]:
        """``node`` rests on these quotes: one prov:wasDerivedFrom per excerpt."""
        return [(node, _DERIVED_FROM, self.excerpt(q)) for q in quotes_of(quotes)]

    def named(self, node: URIRef, name: str) -> list[Triple]:
        text = self.text(name)
        return [(node, _NAME, text), (node, _LABEL, text)]


# Made once: rdflib makes and checks a new term on every attribute of a namespace.
_DERIVED_FROM, _NAME, _LABEL = PROV.wasDerivedFrom, SCHEMA.name, RDFS.label
