"""The one owner of namespaces and of IRI minting. Nothing else concatenates IRIs.

Vocabulary IRIs (the ontology and the concept schemes) are fixed, so that shapes and queries written against them
keep working; resource IRIs hang off a configurable base so that a mirror can publish under its own domain.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

DEFAULT_BASE = "https://w3id.org/january20/"


class _Namespace(Namespace):
    """A Namespace that makes each of its terms once: ``SCHEMA.name`` is the same object at every use.

    rdflib's Namespace makes (and checks) a new URIRef on every attribute, and the builders ask for one in almost
    every triple: a build held 57,000 copies of 100 predicates and classes. One object per term takes that memory
    back, and every dict or set the build keeps its triples in compares a term with itself by identity, without
    calling rdflib's ``__eq__``. rdflib's own closed namespaces (RDF, PROV, XSD ...) already cache their terms.
    """

    def __new__(cls, value: str) -> _Namespace:
        namespace = super().__new__(cls, value)
        namespace.__dict__["_made"] = {}
        return namespace

    def term(self, name: str) -> URIRef:
        made = self._made
        iri = made.get(name) if isinstance(name, str) else None
        if iri is None:
            iri = super().term(name)
            if isinstance(name, str):
                made[name] = iri
        return iri

    def __getattr__(self, name: str) -> URIRef:
        iri = super().__getattr__(name)  # AttributeError for Python's own __names__
        self.__dict__[name] = iri  # found directly from now on: __getattr__ is asked only for what is missing
        return iri


J20 = _Namespace("https://w3id.org/january20/ontology#")
CONCEPT = _Namespace("https://w3id.org/january20/concept/")
SCHEMA = _Namespace("https://schema.org/")
OA = _Namespace("http://www.w3.org/ns/oa#")
GEO = _Namespace("http://www.opengis.net/ont/geosparql#")
SPDX = _Namespace("http://spdx.org/rdf/terms#")
WD = _Namespace("http://www.wikidata.org/entity/")
MEDIA_TYPE = _Namespace("https://www.iana.org/assignments/media-types/")  # IANA's registry: text/turtle ...

PREFIXES: dict[str, Namespace] = {
    "j20": J20,
    "concept": CONCEPT,
    "schema": SCHEMA,
    "prov": PROV,
    "oa": OA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "geo": GEO,
    "spdx": SPDX,
    "wd": WD,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "xsd": XSD,
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Resource kinds, each a path segment under the base. Kept in one table so IRIs stay predictable.
KINDS = (
    "source", "place", "person", "organization", "group", "role", "event", "count", "amount", "claim",
    "editorial", "graph", "dataset", "distribution", "figure", "quantity",
)


SELECTORS = ("quote", "position")


def _checked_iri(value: str) -> URIRef:
    """``URIRef(value)`` for an IRI made here of parts already checked (the base, slugs, numbers, an IRI made here):
    without rdflib's scan of every character for ones an IRI cannot hold, which only logs a warning and would find
    none. A build makes hundreds of thousands of these (two selectors for every sentence and excerpt)."""
    return str.__new__(URIRef, value)


def is_slug(value: str) -> bool:
    return bool(SLUG.match(value))


def _is_iri(value: str) -> bool:
    # pyoxigraph checks IRIs strictly (RFC 3987); a control character or a bad host in --base is caught here, not
    # written into every IRI of the outputs.
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True


class Names:
    """Mints every resource IRI of one build from slugs under ``base``.

    Raises ValueError for a slug that would make an unreadable or colliding IRI, so a bad id can never reach the
    graph silently.
    """

    def __init__(self, base: str = DEFAULT_BASE):
        if not re.match(r"^https?://[^\s<>\"{}|\\^`?#]+/$", base) or not _is_iri(base):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/', with no query or fragment, "
                             f"got {base!r}")
        self.base = base
        self.ns = Namespace(base)
        # Each IRI minted once: a record's IRI is asked for by every builder that refers to it, in every source that
        # shares it, and checking its slugs again each time cost more than all the rest of minting.
        self._minted: dict[tuple, URIRef] = {}

    def mint(self, kind: str, *parts: str | int) -> URIRef:
        iri = self._minted.get((kind, parts))
        if iri is None:
            iri = self._minted[kind, parts] = self._mint(kind, parts)
        return iri

    def _mint(self, kind: str, parts: tuple[str | int, ...]) -> URIRef:
        if kind not in KINDS:
            raise ValueError(f"unknown resource kind {kind!r}")
        segments = [kind]
        for part in parts:
            text = str(part)
            if not (is_slug(text) or re.fullmatch(r"\d+(-\d+)?", text)):
                raise ValueError(f"not a slug: {text!r} (expected lowercase letters, digits and single hyphens)")
            segments.append(text)
        return _checked_iri(self.base + "/".join(segments))

    # Named graphs of the dataset: what the source says, what the editors added, what describes the dataset.
    def graph(self, name: str) -> URIRef:
        return self.mint("graph", name)

    def validation_node(self, digest: str) -> URIRef:
        """A node of a validation report: not part of the dataset, so not one of its kinds of resource."""
        return URIRef(self.base + "validation/" + digest)

    def dataset(self) -> URIRef:
        return URIRef(self.base + "dataset")

    def source(self, source_id: str) -> URIRef:
        return self.mint("source", source_id)

    def excerpt(self, source_id: str, start: int, end: int) -> URIRef:
        return _checked_iri(f"{self.mint('source', source_id)}/excerpt/{int(start)}-{int(end)}")

    def sentence(self, source_id: str, number: int) -> URIRef:
        return _checked_iri(f"{self.mint('source', source_id)}/sentence/{int(number)}")

    def selector(self, resource: URIRef, kind: str) -> URIRef:
        """The ``kind`` selector (one of SELECTORS) of an excerpt or sentence minted here."""
        if kind not in SELECTORS:
            raise ValueError(f"unknown selector {kind!r}: expected one of {', '.join(SELECTORS)}")
        return _checked_iri(f"{resource}/{kind}-selector")

    def download(self, path: str) -> URIRef:
        """Where a built file is published: ``path`` is relative to the output folder, which mirrors the base."""
        if not all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", segment) for segment in path.split("/")):
            raise ValueError(f"not a published file path: {path!r}")
        return URIRef(self.base + path)

    def slug(self, iri: URIRef, kind: str) -> str:
        """The slug that ``mint(kind, slug)`` turned into ``iri``; ValueError if ``iri`` is not such an IRI."""
        prefix = f"{self.base}{kind}/"
        rest = str(iri)[len(prefix):]
        if not str(iri).startswith(prefix) or not is_slug(rest):
            raise ValueError(f"not a {kind} IRI under {self.base}: {iri}")
        return rest

    def part(self, resource: URIRef, *parts: str) -> URIRef:
        """An IRI for a node that exists only as part of ``resource`` (a checksum, a geometry, a participation)."""
        key = ("part", resource, parts)
        iri = self._minted.get(key)
        if iri is None:  # kept, like mint's, so that each node is one object for the whole build
            for part in parts:
                if not is_slug(part):
                    raise ValueError(f"not a slug: {part!r}")
            iri = self._minted[key] = URIRef(str(resource) + "/" + "/".join(parts))
        return iri


def concept(scheme_member: str) -> URIRef:
    return CONCEPT[scheme_member]
