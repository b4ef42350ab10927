"""What the site needs to know about the graph: which resources get a page and where, what each is called, which
named graph each statement came from, and which words of the article each fact rests on.

Everything here is read from the built graphs; nothing about this particular article is written in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from january20.graph.dataset import Built
from january20.errors import January20Error, Problem
from january20.names import GEO, J20, OA, PREFIXES, SCHEMA
from january20.publish.site.index import GraphIndex

# A resource IRI becomes a page path only if every character is safe in a file name and a URL path as it is.
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")
# Pages the site writes besides resource pages; a resource whose IRI would land on one of these is refused.
RESERVED = ("index.html", "resources.html", "articles.html", "style.css", "favicon.ico", "article", "download")
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SCHEMA.name, DCTERMS.title, SCHEMA.headline)


def natural_key(text: str) -> tuple:
    """Sort 'excerpt/9-12' before 'excerpt/10-11': digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text))


def camel_words(name: str) -> str:
    """'wasDerivedFrom' -> 'was derived from': a readable name for a term no label is known for."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return words[:1] + words[1:].lower() if words.isupper() else words.lower()


def _pick(values: list[Literal]) -> Literal | None:
    """English first, then no language, then anything; ties broken by text so the choice is stable."""
    for rank in (lambda v: v.language == "en", lambda v: v.language is None, lambda v: True):
        chosen = sorted((v for v in values if isinstance(v, Literal) and rank(v)),
                        key=lambda v: (str(v), v.language or "", str(v.datatype or "")))
        if chosen:
            return chosen[0]
    return None


def relative(target_path: str, from_path: str) -> str:
    """``posixpath.relpath(target_path, posixpath.dirname(from_path) or ".")`` for the site's own paths (relative,
    no ``.`` or ``..`` parts, no empty parts), without its two ``abspath`` calls: a page has hundreds of links."""
    here = from_path.split("/")[:-1]
    there = target_path.split("/")
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return "/".join(parts) if parts else "."


@dataclass(frozen=True)
class Span:
    """A quoted span of a source text: an excerpt node and where its position selector puts it."""

    iri: URIRef
    source: URIRef
    start: int
    end: int
    exact: str


class SiteModel:
    """Read-only views of one build, for the page writers."""

    def __init__(self, built: Built, ontology: Graph):
        self.built = built
        self.base = built.names.base
        self.graph = GraphIndex(built.triples)  # the union of the named graphs, and which holds each triple
        self.graphs = list(built.triples)  # the named graphs' names
        self.ontology = ontology
        self._ns = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
        # Asked for again and again (every link on every page names its target): worked out once per IRI.
        self._curies: dict[str, str] = {}
        self._term_labels: dict[URIRef, str] = {}
        self._fallback_labels: dict = {}

    # ------------------------------------------------------------------ pages and paths
    @cached_property
    def pages(self) -> dict[URIRef, str]:
        """Every subject under the base IRI -> its page path, e.g. place/baku -> 'place/baku.html'."""
        out: dict[URIRef, str] = {}
        for subject in set(self.graph.subjects()):
            path = self.page_stem(subject)
            if path is not None:
                out[subject] = path + ".html"
        return dict(sorted(out.items(), key=lambda item: natural_key(item[1])))

    def page_stem(self, iri) -> str | None:
        """The page path of ``iri`` without its extension, or None when it gets no page (outside the base)."""
        text = str(iri)
        if not isinstance(iri, URIRef) or not text.startswith(self.base):
            return None
        rest = text[len(self.base):]
        if not _SAFE_PATH.match(rest) or any(part in (".", "..") for part in rest.split("/")):
            return None
        if rest.split("/")[0] in RESERVED or rest + ".html" in RESERVED:
            raise January20Error(Problem("site", f"resource IRI <{text}> would overwrite the site's own page {rest!r}"))
        return rest

    def href(self, target_path: str, from_path: str) -> str:
        """A relative link from one site file to another, so the site works from any folder and from file://."""
        return relative(target_path, from_path)

    # ------------------------------------------------------------------ names of things
    def curie(self, iri) -> str:
        text = str(iri)
        found = self._curies.get(text)
        if found is None:
            found = self._curies[text] = self._curie(text)
        return found

    def _curie(self, text: str) -> str:
        for ns, prefix in self._ns:
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return text

    def term_label(self, iri: URIRef) -> str:
        """A property's or class's name for people: the ontology's label, or its local name in words."""
        found = self._term_labels.get(iri)
        if found is None:
            found = self._term_labels[iri] = self._term_label(iri)
        return found

    def _term_label(self, iri: URIRef) -> str:
        label = _pick(list(self.ontology.objects(iri, RDFS.label)))
        if label is not None:
            return str(label)
        local = re.split(r"[#/]", str(iri))[-1]
        return camel_words(local) if local else str(iri)

    @cached_property
    def _labels(self) -> dict[URIRef, str]:
        labels: dict[URIRef, str] = {}
        for subject in set(self.graph.subjects()):
            for prop in LABEL_PROPERTIES:
                chosen = _pick(list(self.graph.objects(subject, prop)))
                if chosen is not None:
                    labels[subject] = str(chosen)
                    break
        return labels

    def label(self, iri, depth: int = 0) -> str:
        """What to call a resource: its label, its quote for an excerpt or selector, else how it hangs off
        another resource ('geometry of Baku'), else its IRI's path."""
        found = self._labels.get(iri)
        if found is not None:
            return found
        found = self._fallback_labels.get((iri, depth))
        if found is None:
            found = self._fallback_labels[(iri, depth)] = self._fallback_label(iri, depth)
        return found

    def _fallback_label(self, iri, depth: int) -> str:
        g = self.graph
        exact = g.value(iri, OA.exact)
        if exact is not None:
            return f"quote selector “{exact}”"
        start, end = g.value(iri, OA.start), g.value(iri, OA.end)
        if start is not None and end is not None:
            return f"position selector, characters {start}–{end}"
        quote = self.quote_of(iri)
        if quote is not None:
            number = g.value(iri, J20.sentenceNumber)
            return f"sentence {number}: “{quote}”" if number is not None else f"“{quote}”"
        if depth < 2:
            for subject, prop in sorted(g.subject_predicates(iri), key=lambda sp: (str(sp[1]), str(sp[0]))):
                if prop not in (RDF.type,) and isinstance(subject, URIRef) and str(subject) != str(iri):
                    return f"{self.term_label(prop)} of {self.label(subject, depth + 1)}"
        text = str(iri)
        return text[len(self.base):] if text.startswith(self.base) else self.curie(iri)

    def types(self, iri) -> list[URIRef]:
        return sorted(self.graph.objects(iri, RDF.type), key=str)

    # ------------------------------------------------------------------ quotes and grounding
    def quote_of(self, iri) -> str | None:
        """The exact words of an excerpt (or sentence), from its quote selector."""
        for selector in sorted(self.graph.objects(iri, OA.hasSelector), key=str):
            exact = self.graph.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
        return None

    @cached_property
    def spans(self) -> list[Span]:
        """Every excerpt with a position selector, in text order."""
        out = []
        for excerpt in set(self.graph.subjects(RDF.type, J20.Excerpt)):
            source = self.graph.value(excerpt, OA.hasSource)
            for selector in self.graph.objects(excerpt, OA.hasSelector):
                start, end = self.graph.value(selector, OA.start), self.graph.value(selector, OA.end)
                if start is not None and end is not None and source is not None:
                    out.append(Span(excerpt, source, int(start), int(end), self.quote_of(excerpt) or ""))
        return sorted(out, key=lambda s: (str(s.source), s.start, s.end, str(s.iri)))

    @cached_property
    def span_of(self) -> dict[URIRef, Span]:
        return {span.iri: span for span in self.spans}

    def grounds(self, iri) -> list[Span]:
        """The excerpts a resource was derived from, in text order."""
        found = [self.span_of[e] for e in self.graph.objects(iri, PROV.wasDerivedFrom) if e in self.span_of]
        return sorted(found, key=lambda s: (str(s.source), s.start, s.end, str(s.iri)))

    def derived_from(self, excerpt) -> list[URIRef]:
        """The facts resting on an excerpt: every node with prov:wasDerivedFrom it."""
        return sorted(self.graph.subjects(PROV.wasDerivedFrom, excerpt), key=lambda s: (self.label(s), str(s)))

    def graphs_of(self, triple) -> list[str]:
        """The named graphs a statement is in: facts, editorial, vocabulary, metadata."""
        return self.graph.graphs_of(triple)

    @cached_property
    def editorial_statements(self) -> dict[tuple, list[URIRef]]:
        """(subject, predicate, object) -> the editorial statements recording where the editors got it."""
        out: dict[tuple, list[URIRef]] = {}
        g = self.graph
        for node in g.subjects(RDF.type, RDF.Statement):
            key = (g.value(node, RDF.subject), g.value(node, RDF.predicate), g.value(node, RDF.object))
            out.setdefault(key, []).append(node)
        return {k: sorted(v, key=str) for k, v in out.items()}

    def description(self, iri) -> list[tuple]:
        """The triples with ``iri`` as subject: what its page, its JSON-LD and its Turtle describe."""
        return self.graph.triples_of(iri)

    # ------------------------------------------------------------------ places
    def coordinates(self, place) -> tuple[float, float] | None:
        """(longitude, latitude) from the WKT point the editors give the place, else from their latitude and
        longitude (editorial properties: the sources give no coordinates)."""
        for geometry in sorted(self.graph.objects(place, J20.editorialGeometry), key=str):
            wkt = self.graph.value(geometry, GEO.asWKT)
            match = re.match(r"^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", str(wkt or ""))
            if match:
                return float(match.group(1)), float(match.group(2))
        lat, lon = self.graph.value(place, J20.editorialLatitude), self.graph.value(place, J20.editorialLongitude)
        if lat is not None and lon is not None:
            return float(lon), float(lat)
        return None
