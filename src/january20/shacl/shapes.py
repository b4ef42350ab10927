"""The shapes graph, read once into a model; anything this engine does not implement raises Unsupported.

Which nodes are shapes, and which are node or property shapes, follows pySHACL's harvest
(``pyshacl.shapes_graph.ShapesGraph._build_node_shape_cache``). Every triple of the shapes graph whose predicate or
type is in the SHACL namespace must be one this engine implements; otherwise (a rule, a function, a complex path,
a custom constraint component, sh:deactivated ...) the whole validation goes to pySHACL. So do the shapes pySHACL
would refuse to load: the engine never has to reproduce an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from january20.shacl.common import Unsupported

# The SHACL predicates implemented here (sh:name, sh:description, sh:group and sh:order change nothing in a report).
SUPPORTED_PREDICATES = {SH[n] for n in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "property", "path", "inversePath",
    "minCount", "maxCount", "class", "datatype", "nodeKind", "node", "or", "minInclusive", "maxInclusive",
    "hasValue", "uniqueLang", "pattern", "flags", "equals", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "sparql", "select", "prefixes", "declare", "prefix", "namespace", "severity", "message",
    "name", "description", "group", "order")}
# A validation report's own terms, which a shapes graph may hold (the W3C test suite's files hold their expected
# report beside the shapes): they describe no shape, so they change nothing, here or in pySHACL.
REPORT_PREDICATES = {SH[n] for n in (
    "conforms", "result", "focusNode", "resultPath", "resultSeverity", "resultMessage", "sourceConstraintComponent",
    "sourceShape", "sourceConstraint", "value", "detail")}
SUPPORTED_PREDICATES |= REPORT_PREDICATES
SUPPORTED_TYPES = {SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint, SH.SPARQLTarget, SH.PrefixDeclaration,
                   SH.ValidationReport, SH.ValidationResult}
NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}
# pySHACL refuses a query with these (pyshacl.helper.sparql_query_helper.SPARQLQueryHelper.check_invalid_sparql).
_MINUS = re.compile(r"^(?:[^#]*|M)(?!#)#?[^\?\$\#]M?INUS[\s\{]", flags=re.M | re.I)
_VALUES = re.compile(r"^(?!\s*#).*?(?<![\w\-\:])VALUES\b(?:\s*(?:\(|[\?\$]\w+|\{|\w|\s))", flags=re.M | re.I)
_SERVICE = re.compile(r"^(?:[^#]*|S)(?!#)#?[^\?\$\#]S?ERVICE[\s\<]", flags=re.M | re.I)
_NESTED_SELECT = re.compile(r"SELECT[\s\(\)\$\?\a-z]*\{[^\}]*SELECT\s+((?:(?:[\?\$]\w+\s+)|(?:\*\s+))+)",
                            flags=re.M | re.I)
_AS_VAR = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", flags=re.M | re.I)
_OTHER_PREBOUND = re.compile(r"([\s{}()])[\$\?](currentShape|shapesGraph|PATH)", flags=re.M)
MAX_DEPTH = 6  # pySHACL stops at 15 levels of nested shapes; ours nest 3 deep


@dataclass
class SparqlQuery:
    """A SHACL-SPARQL SELECT (a constraint's or a target's), with the prefixes pySHACL puts before it."""
    node: object
    select: str
    prefixes: dict
    messages: set | None = None

    def text(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items()) + "\n" + self.select


@dataclass
class Component:
    """One constraint component of a shape: ``kind`` names it, ``args`` holds its parameters."""
    kind: str
    args: tuple


@dataclass
class Shape:
    node: object
    is_property: bool
    path: object = None          # the sh:path node, as in the report's sh:resultPath
    predicate: URIRef | None = None  # the property the path follows
    inverse: bool = False
    severity: URIRef = SH.Violation
    messages: list = field(default_factory=list)
    target_nodes: list = field(default_factory=list)
    target_classes: list = field(default_factory=list)
    subjects_of: list = field(default_factory=list)
    objects_of: list = field(default_factory=list)
    sparql_targets: list = field(default_factory=list)
    components: list = field(default_factory=list)

    @property
    def has_targets(self) -> bool:
        return bool(self.target_nodes or self.target_classes or self.subjects_of or self.objects_of
                    or self.sparql_targets)


class ShapesModel:
    """Every shape of the shapes graph, by node, with its targets and constraint components."""

    def __init__(self, sg: Graph):
        self.graph = sg
        self._check_vocabulary(sg)
        self.shapes: dict = {}
        for node, is_property, path in self._harvest(sg):
            self.shapes[node] = self._shape(node, is_property, path)
        self._check_references()

    # ------------------------------------------------------------------ what may appear at all

    @staticmethod
    def _check_vocabulary(sg: Graph) -> None:
        sh = str(SH)
        for s, p, o in sg:
            if str(p).startswith(sh) and p not in SUPPORTED_PREDICATES:
                raise Unsupported(f"SHACL feature {p.n3()} is not implemented")
            if p == RDF.type and str(o).startswith(sh) and o not in SUPPORTED_TYPES:
                raise Unsupported(f"SHACL class {o.n3()} is not implemented")
            if p == RDFS.subClassOf and str(o).startswith(sh):
                raise Unsupported(f"a subclass of {o.n3()} is not implemented")

    # ------------------------------------------------------------------ which nodes are shapes (as pySHACL)

    @staticmethod
    def _harvest(sg: Graph):
        node_shapes = set(sg.subjects(RDF.type, SH.NodeShape))
        prop_shapes = set(sg.subjects(RDF.type, SH.PropertyShape))
        paths: dict = {}
        for s in node_shapes:
            if (s, SH.path, None) in sg:
                raise Unsupported("a node shape with sh:path (pySHACL refuses it)")
        for s in prop_shapes:
            if s in node_shapes:
                raise Unsupported("a shape that is both a node and a property shape (pySHACL refuses it)")
            values = list(sg.objects(s, SH.path))
            if len(values) != 1:
                raise Unsupported("a property shape without exactly one sh:path (pySHACL refuses it)")
            paths[s] = values[0]
        subject_shapes = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.property, SH.node):
            subject_shapes.update(s for s, _ in sg.subject_objects(p))
        value_shapes = set()
        for p in (SH.property, SH.node, SH.qualifiedValueShape):
            value_shapes.update(o for _, o in sg.subject_objects(p))
        for _, lst in sg.subject_objects(SH["or"]):
            members = list(sg.items(lst))
            if not members:
                raise Unsupported("an empty sh:or list (pySHACL refuses it)")
            value_shapes.update(members)
        found_nodes, found_props = set(), set()
        for group in (subject_shapes, value_shapes):
            for s in group:
                if s in node_shapes or s in prop_shapes or s in found_nodes or s in found_props:
                    continue
                values = list(sg.objects(s, SH.path))
                if not values:
                    found_nodes.add(s)
                elif len(values) > 1:
                    raise Unsupported("an implicit property shape with several sh:path (pySHACL refuses it)")
                else:
                    found_props.add(s)
                    paths[s] = values[0]
        for s in node_shapes | found_nodes:
            yield s, False, None
        for s in prop_shapes | found_props:
            yield s, True, paths[s]

    # ------------------------------------------------------------------ one shape

    def _shape(self, node, is_property: bool, path) -> Shape:
        sg = self.graph
        shape = Shape(node, is_property)
        if is_property:
            shape.path = path
            shape.predicate, shape.inverse = self._path(path)
        severities = list(sg.objects(node, SH.severity))
        if len(severities) > 1:
            raise Unsupported("a shape with several severities (pySHACL picks one at random)")
        if severities:
            shape.severity = severities[0]
        shape.messages = list(set(sg.objects(node, SH.message)))
        shape.target_nodes = list(sg.objects(node, SH.targetNode))
        shape.target_classes = list(set(sg.objects(node, SH.targetClass)) | set(self._implicit_class(node)))
        shape.subjects_of = list(sg.objects(node, SH.targetSubjectsOf))
        shape.objects_of = list(sg.objects(node, SH.targetObjectsOf))
        for target in set(sg.objects(node, SH.target)):
            selects = list(sg.objects(target, SH.select))
            if len(selects) != 1 or not isinstance(selects[0], Literal):
                raise Unsupported("a custom target that is not one SPARQL SELECT")
            shape.sparql_targets.append(SparqlQuery(target, str(selects[0]), self._prefixes(target)))
        shape.components = self._components(shape)
        return shape

    def _implicit_class(self, node) -> list:
        sg = self.graph
        classes = set(sg.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class, OWL.Class}
        return [node] if any(t in classes for t in sg.objects(node, RDF.type)) else []

    def _path(self, path) -> tuple[URIRef, bool]:
        sg = self.graph
        if isinstance(path, URIRef):
            return path, False
        if isinstance(path, BNode):
            pairs = list(sg.predicate_objects(path))
            if len(pairs) == 1 and pairs[0][0] == SH.inversePath and isinstance(pairs[0][1], URIRef):
                return pairs[0][1], True
        raise Unsupported("a property path other than a property or sh:inversePath of a property")

    def _one(self, node, p, what: str):
        values = list(self.graph.objects(node, p))
        if len(values) != 1:
            raise Unsupported(f"{what} without exactly one {p.n3()} (pySHACL refuses it)")
        return values[0]

    def _components(self, shape: Shape) -> list:
        sg, node = self.graph, shape.node
        present = {p for p, _ in sg.predicate_objects(node)}
        out = []

        def count(p) -> int:
            value = self._one(node, p, "a cardinality")
            if not (isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int)
                    and value.value >= 0) or not shape.is_property:
                raise Unsupported(f"an ill-formed {p.n3()} (pySHACL refuses it)")
            return int(value.value)

        if SH.minCount in present:
            out.append(Component("minCount", (count(SH.minCount), self._one(node, SH.minCount, "minCount"))))
        if SH.maxCount in present:
            out.append(Component("maxCount", (count(SH.maxCount), self._one(node, SH.maxCount, "maxCount"))))
        if SH["class"] in present:
            out.append(Component("class", tuple(sg.objects(node, SH["class"]))))
        if SH.datatype in present:
            out.append(Component("datatype", (self._one(node, SH.datatype, "sh:datatype"),)))
        if SH.nodeKind in present:
            kind = self._one(node, SH.nodeKind, "sh:nodeKind")
            out.append(Component("nodeKind", (kind,)))
        if SH.node in present:
            out.append(Component("node", tuple(sg.objects(node, SH.node))))
        if SH["or"] in present:
            lists = tuple(sg.objects(node, SH["or"]))
            out.append(Component("or", tuple(tuple(set(sg.items(lst))) for lst in lists) + (lists,)))
        for p, kind in ((SH.minInclusive, "minInclusive"), (SH.maxInclusive, "maxInclusive")):
            if p in present:
                values = tuple(sg.objects(node, p))
                if not all(isinstance(v, Literal) for v in values):
                    raise Unsupported(f"a {p.n3()} that is not a literal")
                out.append(Component(kind, values))
        if SH.hasValue in present:
            out.append(Component("hasValue", tuple(set(sg.objects(node, SH.hasValue)))))
        if SH.uniqueLang in present:
            value = self._one(node, SH.uniqueLang, "sh:uniqueLang")
            if not shape.is_property or not isinstance(value, Literal) or not isinstance(value.value, bool):
                raise Unsupported("an ill-formed sh:uniqueLang (pySHACL refuses it)")
            out.append(Component("uniqueLang", (value.value,)))
        if SH.pattern in present:
            out.append(Component("pattern", self._patterns(node)))
        elif SH.flags in present:
            raise Unsupported("sh:flags without sh:pattern")
        if SH.equals in present:
            values = tuple(set(sg.objects(node, SH.equals)))
            if not all(isinstance(v, URIRef) for v in values):
                raise Unsupported("sh:equals with a path that is not a property")
            out.append(Component("equals", values))
        if present & {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}:
            out.append(Component("qualified", self._qualified(shape)))
        if SH.property in present:
            out.append(Component("property", tuple(sg.objects(node, SH.property))))
        if SH.sparql in present:
            if shape.is_property:
                raise Unsupported("a SPARQL constraint on a property shape")
            out.append(Component("sparql", tuple(self._sparql(c) for c in set(sg.objects(node, SH.sparql)))))
        return out

    def _patterns(self, node) -> tuple:
        sg = self.graph
        flags = list(sg.objects(node, SH.flags))
        if len(flags) > 1:
            raise Unsupported("several sh:flags (pySHACL picks one at random)")
        re_flags = 0
        if flags:
            text = str(flags[0].value).lower() if isinstance(flags[0], Literal) else ""
            re_flags |= re.I if "i" in text else 0
            re_flags |= re.M if "m" in text else 0
        patterns = []
        for p in sg.objects(node, SH.pattern):
            if not isinstance(p, Literal):
                raise Unsupported("a sh:pattern that is not a literal (pySHACL refuses it)")
            source = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
            try:
                patterns.append((p, re.compile(source, re_flags)))
            except re.error:
                raise Unsupported("a sh:pattern Python cannot compile") from None
        return tuple(patterns)

    def _qualified(self, shape: Shape) -> tuple:
        sg, node = self.graph, shape.node
        if not shape.is_property:
            raise Unsupported("sh:qualifiedValueShape on a node shape")
        value_shapes = tuple(set(sg.objects(node, SH.qualifiedValueShape)))
        if not value_shapes:
            raise Unsupported("sh:qualifiedMinCount without sh:qualifiedValueShape (pySHACL refuses it)")
        counts = []
        for p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            values = list(sg.objects(node, p))
            if len(values) > 1 or (values and not (isinstance(values[0], Literal)
                                                   and isinstance(values[0].value, int))):
                raise Unsupported(f"an ill-formed {p.n3()} (pySHACL refuses it)")
            counts.append(values[0].value if values else None)
        if counts == [None, None]:
            raise Unsupported("sh:qualifiedValueShape without a count (pySHACL refuses it)")
        return value_shapes, counts[0], counts[1]

    def _sparql(self, c) -> SparqlQuery:
        sg = self.graph
        select = self._one(c, SH.select, "a SPARQL constraint")
        if not (isinstance(select, Literal) and isinstance(select.value, str)):
            raise Unsupported("a sh:select that is not a string (pySHACL refuses it)")
        messages = set(sg.objects(c, SH.message))
        for m in messages:
            if not (isinstance(m, Literal) and isinstance(m.value, str)):
                raise Unsupported("a SPARQL constraint's sh:message that is not a string (pySHACL refuses it)")
        text = select.value
        if _MINUS.search(text) or _VALUES.search(text) or _SERVICE.search(text) or _OTHER_PREBOUND.search(text):
            raise Unsupported("a SPARQL constraint pySHACL refuses or pre-binds more than $this in")
        nested = _NESTED_SELECT.search(text)
        if nested:
            names = [v.lstrip("$?").rstrip() for v in nested.group(1).split()]
            if names == ["*"] or "this" not in names:
                raise Unsupported("a nested SELECT that does not select $this (pySHACL refuses it)")
        as_var = _AS_VAR.search(text)
        if as_var and as_var.group(1) in ("this", "shapesGraph", "currentShape"):
            raise Unsupported("a query that rebinds $this (pySHACL refuses it)")
        return SparqlQuery(c, text, self._prefixes(c), messages or None)

    def _prefixes(self, node) -> dict:
        """rdf, rdfs, owl, then the prefixes sh:prefixes declares (pySHACL's SPARQLQueryHelper.collect_prefixes)."""
        sg = self.graph
        prefixes = {"rdf": URIRef(str(RDF)), "rdfs": URIRef(str(RDFS)), "owl": URIRef(str(OWL))}
        values = set(sg.objects(node, SH.prefixes))
        if not values:
            return prefixes
        graph_declares = set(sg.objects(sg.identifier, SH.declare)) if sg.identifier else set()
        ontologies = set(sg.subjects(RDF.type, OWL.Ontology))
        everywhere = set(graph_declares)
        for o in ontologies:
            everywhere.update(sg.objects(o, SH.declare))
        declared: dict = {}
        for value in values:
            own = set(sg.objects(value, SH.declare))
            declares = own | graph_declares if own and value in ontologies else everywhere | own
            for dec in declares:
                prefix = self._one(dec, SH.prefix, "a prefix declaration")
                namespace = self._one(dec, SH.namespace, "a prefix declaration")
                if not (isinstance(prefix, Literal) and isinstance(prefix.value, str)):
                    raise Unsupported("an ill-formed sh:prefix (pySHACL refuses it)")
                if not isinstance(namespace, Literal) or not (
                        namespace.datatype == XSD.anyURI or isinstance(namespace.value, str)):
                    raise Unsupported("an ill-formed sh:namespace (pySHACL refuses it)")
                name, iri = str(prefix.value), URIRef(str(namespace.value))
                if declared.get(name, iri) != iri:
                    raise Unsupported(f"prefix {name} declared twice (pySHACL picks one at random)")
                declared[name] = iri
        prefixes.update(declared)
        return prefixes

    # ------------------------------------------------------------------ references between shapes

    def referenced(self, shape: Shape) -> list:
        """The shapes ``shape`` refers to (sh:node, sh:property, sh:or, sh:qualifiedValueShape)."""
        refs = []
        for c in shape.components:
            if c.kind in ("node", "property"):
                refs += list(c.args)
            elif c.kind == "or":
                for members in c.args[:-1]:
                    refs += list(members)
            elif c.kind == "qualified":
                refs += list(c.args[0])
        return refs

    def _check_references(self) -> None:
        """Every shape referred to exists and is of the right kind (pySHACL fails otherwise), and no shape refers
        to itself, directly or not (pySHACL has its own rules for recursion)."""
        for shape in self.shapes.values():
            if any(ref not in self.shapes for ref in self.referenced(shape)):
                raise Unsupported("a reference to a shape that does not exist")
            for c in shape.components:
                if c.kind == "property" and not all(self.shapes[ref].is_property for ref in c.args):
                    raise Unsupported("sh:property that names no property shape (pySHACL fails on it)")
                if c.kind == "node" and any(self.shapes[ref].is_property for ref in c.args):
                    raise Unsupported("sh:node that names a property shape (pySHACL fails on it)")
                if c.kind == "nodeKind" and c.args[0] not in NODE_KINDS:
                    raise Unsupported("an unknown sh:nodeKind")

        depth: dict = {}

        def walk(node, path: tuple) -> int:
            if node in path:
                raise Unsupported("recursive shapes")
            if node not in depth:
                depth[node] = 1 + max((walk(r, path + (node,)) for r in self.referenced(self.shapes[node])),
                                      default=0)
            return depth[node]

        for node in self.shapes:
            if walk(node, ()) > MAX_DEPTH:
                raise Unsupported("shapes nested deeper than this engine follows")
