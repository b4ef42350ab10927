"""The data graph as the validator sees it: the data, plus the ontology's axioms mixed in as pySHACL mixes them.

pySHACL validates a copy of the data into which it copies, from ``ont_graph``, every ``rdf:type`` of an RDFS or OWL
class (``x a owl:Class``, ``p a owl:ObjectProperty`` ...) and every triple of an RDFS or OWL axiom property
(``rdfs:subClassOf``, ``rdfs:label``, ``rdfs:domain`` ...), nothing else (``pyshacl.rdfutil.inoculate``). Here the
data is not copied: lookups go to rdflib's own in-memory indexes of the data graph, and the few copied axioms live
in a small overlay beside them.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from january20.shacl.common import Unsupported

# The axioms pySHACL copies from the ontology (pyshacl.rdfutil.consts), in its order.
RDFS_CLASSES = [RDFS.Class, RDFS.Container, RDFS.ContainerMembershipProperty, RDFS.Datatype, RDFS.Literal,
                RDFS.Resource]
OWL_CLASSES = [OWL[n] for n in (
    "AllDifferent", "AllDisjointClasses", "AllDisjointProperties", "Annotation", "AnnotationProperty",
    "AsymmetricProperty", "Axiom", "Class", "DataRange", "DatatypeProperty", "DeprecatedClass", "DeprecatedProperty",
    "FunctionalProperty", "InverseFunctionalProperty", "IrreflexiveProperty", "NamedIndividual",
    "NegativePropertyAssertion", "ObjectProperty", "Ontology", "OntologyProperty", "ReflexiveProperty", "Restriction",
    "SymmetricProperty", "TransitiveProperty")]
RDFS_PROPERTIES = [RDFS.comment, RDFS.domain, RDFS.isDefinedBy, RDFS.label, RDFS.member, RDFS.range, RDFS.seeAlso,
                   RDFS.subClassOf, RDFS.subPropertyOf]
OWL_PROPERTIES = [OWL[n] for n in (
    "allValuesFrom", "annotatedProperty", "annotatedSource", "annotatedTarget", "assertionProperty", "cardinality",
    "complementOf", "datatypeComplementOf", "differentFrom", "disjointUnionOf", "disjointWith", "distinctMembers",
    "equivalentClass", "equivalentProperty", "hasKey", "hasSelf", "hasValue", "intersectionOf", "inverseOf",
    "maxCardinality", "maxQualifiedCardinality", "members", "minCardinality", "minQualifiedCardinality", "onClass",
    "onDataRange", "onDatatype", "onProperties", "onProperty", "oneOf", "propertyChainAxiom", "propertyDisjointWith",
    "qualifiedCardinality", "sameAs", "someValuesFrom", "sourceIndividual", "targetIndividual", "targetValue",
    "unionOf", "withRestrictions", "backwardCompatibleWith", "deprecated", "incompatibleWith", "priorVersion",
    "versionInfo", "bottomDataProperty", "topDataProperty", "bottomObjectProperty", "topObjectProperty", "imports",
    "versionIRI")]

EMPTY: dict = {}


def _index(triples, by_object=None) -> tuple[dict, dict, dict]:
    """(s -> p -> {o: 1}, p -> o -> {s: 1}, p -> p), the layout of rdflib's Memory store; the second only for the
    predicates in ``by_object`` if given. Each predicate is one object throughout (the third maps a predicate to
    it): the build makes a new term for every mention of a name, and a dict finds a key that is the very object
    in C, where comparing two rdflib terms is a Python call; the engine looks up a predicate for every value."""
    spo: dict = {}
    pos: dict = {}
    one: dict = {}  # predicate -> the object standing for it
    seen: dict = {}  # id of a predicate object met -> (that object, kept alive so its id stays its own; the one)
    spo_get, pos_get, seen_get = spo.get, pos.get, seen.get
    for s, p, o in triples:
        known = seen_get(id(p))
        if known is None:
            known = seen[id(p)] = (p, one.setdefault(p, p))
        p = known[1]
        po = spo_get(s)
        if po is None:
            spo[s] = {p: {o: 1}}
        else:
            objects = po.get(p)
            if objects is None:
                po[p] = {o: 1}
            else:
                objects[o] = 1
        os_ = pos_get(p)
        if os_ is None:
            if by_object is None or p in by_object:
                pos[p] = {o: {s: 1}}
        else:
            subjects = os_.get(o)
            if subjects is None:
                os_[o] = {s: 1}
            else:
                subjects[s] = 1
    return spo, pos, one


class DataView:
    """Read access to the data graph with the ontology mixed in: objects, subjects, types and class closures."""

    def __init__(self, data, ontology: Graph | None, by_object=None):
        """``data`` is an rdflib Graph, or any collection of (s, p, o) triples of rdflib terms (such as the build's
        :class:`january20.graph.triples.Triples`), which pySHACL would see as a Graph of rdflib's default prefixes.
        ``by_object``: the predicates worth indexing by object up front (the others are indexed on first use)."""
        from rdflib import Dataset
        from rdflib.graph import ConjunctiveGraph
        from rdflib.plugins.stores.memory import Memory

        if isinstance(data, (Dataset, ConjunctiveGraph)) or isinstance(ontology, (Dataset, ConjunctiveGraph)):
            raise Unsupported("a dataset (named graphs) as data or ontology")
        self.data = data
        store = getattr(data, "store", None) if isinstance(data, Graph) else None
        # rdflib's in-memory store keeps exactly the indexes needed; they are the data's own if the store holds
        # nothing but this graph.
        if type(store) is Memory and store.__len__() == len(data):
            self.spo = store._Memory__spo
            self.pos = store._Memory__pos
            self._predicates: dict = {}
            by_object = None
        else:
            self.spo, self.pos, self._predicates = _index(data, by_object)
            for p in by_object or ():
                self.pos.setdefault(self.predicate(p), {})
        self._pos_complete = by_object is None  # every predicate indexed by object
        extra = self._inoculated(ontology) if ontology is not None else []
        self.extra_spo, self.extra_pos, _ = _index(t for t in extra if t[2] not in self.spo.get(t[0], EMPTY).get(
            t[1], EMPTY))
        self._rows: dict = {}  # id of a list of focus nodes -> (the list, each node's p -> {o: 1})
        self.namespace_manager = self._namespaces(data if isinstance(data, Graph) else Graph(), ontology)
        self._super: dict = {}
        self._sub: dict = {}
        self._extra_p: dict = {}

    @staticmethod
    def _inoculated(ontology: Graph) -> list:
        triples = []
        for cls in RDFS_CLASSES + OWL_CLASSES:
            for s in ontology.subjects(RDF.type, cls):
                if isinstance(s, BNode) or cls == OWL.NamedIndividual:
                    raise Unsupported("an ontology whose axioms pySHACL clones (blank nodes, named individuals)")
                triples.append((s, RDF.type, cls))
        for prop in RDFS_PROPERTIES + OWL_PROPERTIES:
            for s, o in ontology.subject_objects(prop):
                if isinstance(s, BNode) or isinstance(o, BNode):
                    raise Unsupported("an ontology whose axioms pySHACL clones (blank nodes)")
                triples.append((s, prop, o))
        return triples

    @staticmethod
    def _namespaces(data: Graph, ontology: Graph | None):
        """The prefixes of pySHACL's copy of the data (its default messages and its SPARQL queries use them)."""
        copy = Graph(bind_namespaces="core")
        for prefix, ns in data.namespace_manager.namespaces():
            copy.namespace_manager.bind(prefix, ns, override=True, replace=True)
        if ontology is not None:
            bound = {prefix for prefix, _ in copy.namespace_manager.namespaces()}
            for prefix, ns in ontology.namespace_manager.namespaces():
                if prefix not in bound:
                    copy.namespace_manager.bind(prefix, ns)
        return copy.namespace_manager

    # ------------------------------------------------------------------ lookups

    def predicate(self, p):
        """The data's own object for the predicate ``p`` (a term of the shapes, say), which its index has as key."""
        return self._predicates.get(p, p)

    def by_object(self, p) -> dict:
        """o -> {s: 1} for the predicate ``p`` in the data (indexed on first use if it was not up front)."""
        p = self.predicate(p)
        found = self.pos.get(p)
        if found is None and not self._pos_complete:
            found = {}
            for s, po in self.spo.items():
                objects = po.get(p)
                if objects:
                    for o in objects:
                        subjects = found.get(o)
                        if subjects is None:
                            found[o] = {s: 1}
                        else:
                            subjects[s] = 1
            self.pos[p] = found
        return found or EMPTY

    def objects(self, s, p) -> set:
        p = self.predicate(p)
        found = set(self.spo.get(s, EMPTY).get(p, EMPTY))
        extra = self.extra_spo.get(s)
        if extra:
            found.update(extra.get(p, EMPTY))
        return found

    def values(self, focus: list, p, inverse: bool = False) -> list:
        """For each focus node, its objects (or with ``inverse``, its subjects) by ``p``: a property shape's value
        nodes. Each is a set, or the index's own dict of them (read only: it is the data's)."""
        p = self.predicate(p)
        if inverse:
            get = self.by_object(p).get
            out = [get(f, EMPTY) for f in focus]
            extra = self.extra_pos.get(p, EMPTY)
        else:
            out = [po.get(p, EMPTY) for po in self._rows_of(focus)]
            extra = self._extra_by_subject(p)
        if extra:
            out = [set(found).union(extra[f]) if f in extra else found for f, found in zip(focus, out)]
        return out

    def _rows_of(self, focus: list) -> list:
        """Each focus node's p -> {o: 1} in the data: a node shape's property shapes all look up the same focus
        nodes, so the rows of the last few lists are kept (with the lists, so that no id is reused)."""
        known = self._rows.get(id(focus))
        if known is not None and known[0] is focus:
            return known[1]
        spo_get = self.spo.get
        rows = [spo_get(f) or EMPTY for f in focus]
        if len(self._rows) >= 8:
            self._rows.pop(next(iter(self._rows)))
        self._rows[id(focus)] = (focus, rows)
        return rows

    def _extra_by_subject(self, p) -> dict:
        """s -> {o: 1} of the copied axioms with predicate ``p``."""
        found = self._extra_p.get(p)
        if found is None:
            found = self._extra_p[p] = {s: po[p] for s, po in self.extra_spo.items() if po.get(p)}
        return found

    def subjects(self, p, o) -> set:
        p = self.predicate(p)
        found = set(self.by_object(p).get(o, EMPTY))
        extra = self.extra_pos.get(p)
        if extra:
            found.update(extra.get(o, EMPTY))
        return found

    def subjects_of(self, p) -> set:
        """Every subject of a triple with predicate ``p``."""
        p = self.predicate(p)
        found: set = set()
        for index in (self.by_object(p), self.extra_pos.get(p, EMPTY)):
            for subjects in index.values():
                found.update(subjects)
        return found

    def objects_of(self, p) -> set:
        p = self.predicate(p)
        found: set = set()
        for index in (self.by_object(p), self.extra_pos.get(p, EMPTY)):
            found.update(o for o, subjects in index.items() if subjects)
        return found

    def predicates(self, s) -> list:
        found = [p for p, objects in self.spo.get(s, EMPTY).items() if objects]
        for p, objects in self.extra_spo.get(s, EMPTY).items():
            if objects and p not in found:
                found.append(p)
        return found

    def data_only(self) -> "DataOnly":
        """Look-ups in the data alone, without the ontology's axioms."""
        return DataOnly(self)

    def mentions(self, node) -> bool:
        """Whether ``node`` is the subject or the object of some triple."""
        if any(self.spo.get(node, EMPTY).values()) or any(self.extra_spo.get(node, EMPTY).values()):
            return True
        return any(node in objects for index in (self.spo, self.extra_spo) for po in index.values()
                   for objects in po.values())

    def value(self, s, p):
        for o in self.objects(s, p):
            return o
        return None

    def items(self, node):
        """The members of an RDF list, as rdflib's Graph.items."""
        chain = {node}
        while node:
            item = self.value(node, RDF.first)
            if item is not None:
                yield item
            node = self.value(node, RDF.rest)
            if node in chain:
                raise ValueError("List contains a recursive rdf:rest reference")
            chain.add(node)

    def superclasses(self, cls) -> set:
        """``cls`` and every class it is an rdfs:subClassOf*, as rdflib's transitive_objects."""
        found = self._super.get(cls)
        if found is None:
            found = self._super[cls] = self._closure(cls, lambda c: self.objects(c, RDFS.subClassOf))
        return found

    def subclasses(self, cls) -> set:
        found = self._sub.get(cls)
        if found is None:
            found = self._sub[cls] = self._closure(cls, lambda c: self.subjects(RDFS.subClassOf, c))
        return found

    @staticmethod
    def _closure(start, step) -> set:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in step(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def instances(self, cls) -> set:
        """The SHACL instances of ``cls``: typed ``cls`` or one of its subclasses."""
        found = self.subjects(RDF.type, cls)
        for sub in self.subclasses(cls):
            if sub != cls:
                found.update(self.subjects(RDF.type, sub))
        return found

    def is_instance(self, node, cls) -> bool:
        if isinstance(node, Literal):
            return False
        for t in self.objects(node, RDF.type):
            if t == cls or cls in self.superclasses(t):
                return True
        return False

    def triples(self):
        """Every triple of the mixed graph (the data's, then the copied axioms)."""
        for index in (self.spo, self.extra_spo):
            for s, po in index.items():
                for p, objects in po.items():
                    for o in objects:
                        yield s, p, o


class DataOnly:
    """The few Graph methods the report's namer uses, answered from the data's indexes."""

    def __init__(self, view: DataView):
        self.spo, self.by_object = view.spo, view.by_object

    def objects(self, s, p):
        return iter(list(self.spo.get(s, EMPTY).get(p, EMPTY)))

    def subjects(self, p, o):
        return iter(list(self.by_object(p).get(o, EMPTY)))

    def value(self, s, p):
        return next(self.objects(s, p), None)

