"""Evaluation, step for step as pySHACL evaluates (``pyshacl.shape.Shape.validate`` and the constraint components).

A shape is evaluated over a list of focus nodes at once, each constraint component yielding, per focus node, whether
it failed and its results. From that, conformance is decided as SHACL defines it (and pySHACL without
``allow_warnings``): a failing component counts against its shape whatever the severity of its results (a nested
shape of severity sh:Warning that fails makes sh:node, sh:or ... fail as a sh:Violation one does). A shape with
targets is decided over all its focus nodes together; a shape reached through sh:property, sh:node, sh:or or
sh:qualifiedValueShape is decided for each value node on its own, as pySHACL calls it once per value node. Reports
of nested shapes get fresh blank nodes every time they are made, as pySHACL's do.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time
from decimal import Decimal
from itertools import accumulate, chain

from rdflib import BNode, Literal, URIRef
from rdflib import term as rdflib_term
from rdflib.namespace import RDF, RDFS, SH, XSD

from january20.shacl.common import Unsupported
from january20.shacl.report import Texts, make_result
from january20.shacl.sparql import SparqlRunner

CONFORMS = (True, False)  # a verdict: conforms, without results
COMPONENT = {
    "minCount": SH.MinCountConstraintComponent, "maxCount": SH.MaxCountConstraintComponent,
    "class": SH.ClassConstraintComponent, "datatype": SH.DatatypeConstraintComponent,
    "nodeKind": SH.NodeKindConstraintComponent, "node": SH.NodeConstraintComponent,
    "or": SH.OrConstraintComponent, "minInclusive": SH.MinInclusiveConstraintComponent,
    "maxInclusive": SH.MaxInclusiveConstraintComponent, "hasValue": SH.HasValueConstraintComponent,
    "uniqueLang": SH.UniqueLangConstraintComponent, "pattern": SH.PatternConstraintComponent,
    "equals": SH.EqualsConstraintComponent, "sparql": SH.SPARQLConstraintComponent,
}
NODE_KIND_MATCH = {
    BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
    Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
    URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI),
}


class _Verdict:
    """What a result of a nested shape is reduced to when only the shape's verdict is wanted: its severity."""

    __slots__ = ("severity",)

    def __init__(self, severity):
        self.severity = severity


class Engine:
    def __init__(self, model, view):
        self.model, self.view = model, view
        self.texts = Texts(model.graph, view)
        self.sparql = SparqlRunner(view)
        self._conforms: dict = {}
        self._instances: dict = {}
        self._verdicts_only = False  # inside conforms(): results are only counted, so none is written out

    def run(self) -> tuple[bool, list]:
        non_conformant = False
        results: list = []
        for shape in self.model.shapes.values():
            if not shape.has_targets:
                continue
            focus = list(self.focus_nodes(shape))
            if not focus:
                continue
            for outcome in self.evaluate(shape, focus):
                failed = any(f for f, _ in outcome.values())
                found = [r for _, rs in outcome.values() for r in rs]
                non_conformant = non_conformant or failed
                results += found
        return not non_conformant, results

    # ------------------------------------------------------------------ focus and value nodes

    def focus_nodes(self, shape) -> set:
        view = self.view
        found = set(shape.target_nodes)
        for cls in shape.target_classes:
            found.update(view.instances(cls))
        for p in shape.subjects_of:
            found.update(view.subjects_of(p))
        for p in shape.objects_of:
            found.update(view.objects_of(p))
        for query in shape.sparql_targets:
            found.update(self.sparql.targets(query))
        return found

    def values(self, shape, focus: list) -> list:
        if not shape.is_property:
            return [(f,) for f in focus]  # read only, as the view's
        return self.view.values(focus, shape.predicate, shape.inverse)

    # ------------------------------------------------------------------ one shape over many focus nodes

    def evaluate(self, shape, focus: list) -> list:
        """Per component, {index of a focus node: (failed, results)} for the focus nodes it has anything for."""
        values = self.values(shape, focus)
        return [getattr(self, "_" + c.kind)(shape, c, focus, values) for c in shape.components]

    def each(self, shape, focus: list) -> dict:
        """{index of a focus node: (conforms, results)} of ``shape`` for each focus node on its own, as pySHACL
        validates nested shapes; a focus node left out conforms, without results."""
        out: dict = {}
        for outcome in self.evaluate(shape, focus):
            for i, (failed, results) in outcome.items():
                before = out.get(i)
                if before is None:
                    out[i] = (not failed, list(results))
                else:
                    out[i] = (before[0] and not failed, before[1] + results)
        return out

    def conforms(self, node, focus: list) -> list:
        """Whether each focus node conforms to the shape ``node`` (remembered: only the verdict is kept)."""
        cache = self._conforms.setdefault(node, {})
        todo = list({f for f in focus if f not in cache})
        if todo:
            before, self._verdicts_only = self._verdicts_only, True
            try:
                outcomes = self.each(self.model.shapes[node], todo)
            finally:
                self._verdicts_only = before
            for f in todo:
                cache[f] = CONFORMS
            for j, (ok, results) in outcomes.items():
                cache[todo[j]] = (ok, bool(results))
        return [cache[f] for f in focus]

    def result(self, shape, kind: str, focus, value=None, **kw):
        if self._verdicts_only:
            return _Verdict(shape.severity)
        generic = kw.pop("generic", None)

        def messages():
            try:
                return generic(shape, focus, value)
            except LookupError:
                raise Unsupported("a default message pySHACL fails to write (about a blank node)") from None

        return make_result(shape, kw.pop("component", None) or COMPONENT[kind], focus, value,
                           generic=messages if generic else None, **kw)

    # ------------------------------------------------------------------ the constraint components

    def _minCount(self, shape, c, focus, values) -> dict:
        n, literal = c.args
        out = {}
        if n == 0 or not values or min(map(len, values)) >= n:
            return out
        for i in [i for i, vals in enumerate(values) if len(vals) < n]:
            out[i] = (True, [self.result(shape, "minCount", focus[i], generic=self._msg_min_count(literal))])
        return out

    def _maxCount(self, shape, c, focus, values) -> dict:
        n, literal = c.args
        out = {}
        if not values or max(map(len, values)) <= n:
            return out
        for i in [i for i, vals in enumerate(values) if len(vals) > n]:
            out[i] = (True, [self.result(shape, "maxCount", focus[i], generic=self._msg_max_count(literal))])
        return out

    def _class(self, shape, c, focus, values) -> dict:
        out: dict = {}
        for cls in c.args:
            # v is a SHACL instance of cls iff one of its types is cls or a subclass of it (and it is no literal)
            instances = self._instances.get(cls)
            if instances is None:
                instances = self._instances[cls] = {v for v in self.view.instances(cls) if not _is_literal(v)}
            for i, bad in _failing(values, instances.__contains__):
                self._add(out, i, [self.result(shape, "class", focus[i], v, generic=self._msg_class(c)) for v in bad])
        return out

    def _datatype(self, shape, c, focus, values) -> dict:
        (dt,) = c.args
        out = {}
        for i, bad in _failing(values, _datatype_test(dt)):
            out[i] = (True, [self.result(shape, "datatype", focus[i], v, generic=self._msg_datatype(dt)) for v in bad])
        return out

    def _nodeKind(self, shape, c, focus, values) -> dict:
        (kind,) = c.args
        out = {}
        kinds = {k for k, names in NODE_KIND_MATCH.items() if kind in names}

        def matches(v) -> bool:
            t = type(v)
            return t in kinds if t in NODE_KIND_MATCH else _kind_of(v) in kinds

        for i, bad in _failing(values, matches):
            out[i] = (True, [self.result(shape, "nodeKind", focus[i], v, generic=self._msg_node_kind(kind))
                             for v in bad])
        return out

    def _node(self, shape, c, focus, values) -> dict:
        out: dict = {}
        if not any(values):
            return out
        pairs = [(i, v) for i, vals in enumerate(values) for v in vals]
        for ref in c.args:
            verdicts = self.conforms(ref, [v for _, v in pairs])
            for (i, v), (ok, has_results) in zip(pairs, verdicts):
                if ok and not has_results:
                    continue
                res = self.result(shape, "node", focus[i], v, generic=self._msg_node(c))
                if self._verdicts_only:
                    self._add(out, i, [res])
                    continue
                _, nested = self.each(self.model.shapes[ref], [v]).get(0, (True, []))  # fresh nodes for details
                for sub in nested:
                    res.triples.append((res.node, SH.detail, sub.node))
                    res.triples.extend(sub.triples)
                self._add(out, i, [res])
        return out

    def _or(self, shape, c, focus, values) -> dict:
        out: dict = {}
        *member_lists, lists = c.args
        pairs = [(i, v) for i, vals in enumerate(values) for v in vals]
        for members in member_lists:
            if not pairs:
                break
            passed = [False] * len(pairs)
            for member in members:
                verdicts = self.conforms(member, [v for _, v in pairs])
                passed = [p or ok for p, (ok, _) in zip(passed, verdicts)]
            for (i, v), ok in zip(pairs, passed):
                if not ok:
                    self._add(out, i, [self.result(shape, "or", focus[i], v, generic=self._msg_or(lists))])
        return out

    def _minInclusive(self, shape, c, focus, values) -> dict:
        return self._range(shape, c, focus, values, "minInclusive", lambda cmp: cmp >= 0, ">=")

    def _maxInclusive(self, shape, c, focus, values) -> dict:
        return self._range(shape, c, focus, values, "maxInclusive", lambda cmp: cmp <= 0, "<=")

    def _range(self, shape, c, focus, values, kind, ok, sign) -> dict:
        out: dict = {}
        for bound in c.args:
            for i, bad in _failing(values, _range_test(bound, ok)):
                self._add(out, i, [self.result(shape, kind, focus[i], v, generic=self._msg_range(c, sign))
                                   for v in bad])
        return out

    def _hasValue(self, shape, c, focus, values) -> dict:
        out: dict = {}
        for wanted in c.args:
            for i, vals in enumerate(values):
                if wanted not in vals:
                    self._add(out, i, [self.result(shape, "hasValue", focus[i], generic=self._msg_has_value(c))])
        return out

    def _uniqueLang(self, shape, c, focus, values) -> dict:
        out: dict = {}
        if not c.args[0]:
            return out
        for i, vals in enumerate(values):
            seen, duplicates = set(), set()
            for v in vals:
                if isinstance(v, Literal) and v.language:
                    lang = str(v.language).lower()
                    (duplicates if lang in seen else seen).add(lang)
            if duplicates:
                out[i] = (True, [self.result(shape, "uniqueLang", focus[i], generic=self._msg_unique_lang)
                                 for _ in duplicates])
        return out

    def _pattern(self, shape, c, focus, values) -> dict:
        out: dict = {}
        for literal, regex in c.args:
            matches = _memo(lambda v: not isinstance(v, BNode) and bool(regex.search(_string_of(v))))
            for i, bad in _failing(values, matches):
                self._add(out, i, [self.result(shape, "pattern", focus[i], v, generic=self._msg_pattern(c))
                                   for v in bad])
        return out

    def _equals(self, shape, c, focus, values) -> dict:
        out: dict = {}
        for p in c.args:
            for i, vals in enumerate(values):
                other = self.view.objects(focus[i], p)
                missing = set(vals) - other
                extra = other - set(vals)
                if missing or extra:
                    self._add(out, i, [self.result(shape, "equals", focus[i], v, generic=self._msg_equals(c))
                                       for v in list(missing) + list(extra)])
        return out

    def _qualified(self, shape, c, focus, values) -> dict:
        value_shapes, low, high = c.args
        out: dict = {}
        for ref in value_shapes:
            conforming = [ok for ok, _ in self.conforms(ref, list(chain.from_iterable(values)))]
            end = 0
            for i, k in enumerate(map(len, values)):
                start, end = end, end + k
                n = sum(conforming[start:end])
                found = []
                if high is not None and n > high:
                    found.append(self.result(shape, "qualified", focus[i], generic=self._msg_qualified(c),
                                             component=SH.QualifiedMaxCountConstraintComponent))
                if low is not None and n < low:
                    found.append(self.result(shape, "qualified", focus[i], generic=self._msg_qualified(c),
                                             component=SH.QualifiedMinCountConstraintComponent))
                if found:
                    self._add(out, i, found)
        return out

    def _property(self, shape, c, focus, values) -> dict:
        out: dict = {}
        flat = list(chain.from_iterable(values))
        if not flat:
            return out
        ends = list(accumulate(map(len, values)))  # value node j belongs to the first focus node ending after it
        for ref in c.args:
            outcomes = self.each(self.model.shapes[ref], flat)
            for j in sorted(outcomes):
                ok, results = outcomes[j]
                if not ok or results:
                    i = bisect_right(ends, j)
                    failed, before = out.get(i, (False, []))
                    out[i] = (failed or not ok, before + results)
        return out

    def _sparql(self, shape, c, focus, values) -> dict:
        out: dict = {}
        for query in c.args:
            for i, rows in enumerate(self.sparql.violations(query, focus)):
                found = []
                for t, p, v, bound in rows:
                    if v is None:
                        v = focus[i]  # a node shape's result is about the focus node
                    found.append(self.result(shape, "sparql", t or focus[i], v, path=p, constraint=query.node,
                                             extra_messages=query.messages, bound_vars=(t, p, v, bound)))
                if found:
                    self._add(out, i, found)
        return out

    @staticmethod
    def _add(out: dict, i: int, results: list) -> None:
        _, before = out.get(i, (True, []))
        out[i] = (True, before + results)

    # ------------------------------------------------------------------ pySHACL's default messages

    def _path_text(self, shape) -> str:
        return self.texts.shape_node(shape.path)

    def _msg_min_count(self, literal):
        def make(shape, focus, value):
            try:
                focus_text = self.texts.data_node(focus)
            except (LookupError, ValueError):
                focus_text = str(focus)
            return [Literal(f"Less than {literal.value} values on {focus_text}->{self._path_text(shape)}")]
        return make

    def _msg_max_count(self, literal):
        return lambda shape, focus, value: [Literal(
            f"More than {literal.value} values on {self.texts.data_node(focus)}->{self._path_text(shape)}")]

    def _msg_class(self, c):
        def make(shape, focus, value):
            if len(c.args) < 2:
                return [Literal(f"Value does not have class {self.texts.shape_node(c.args[0])}")]
            return [Literal("Value class is not in classes ({})".format(
                ", ".join(self.texts.shape_node(x) for x in c.args)))]
        return make

    def _msg_datatype(self, dt):
        return lambda shape, focus, value: [Literal(
            f"Value is not Literal with datatype {self.texts.shape_node(dt)}")]

    def _msg_node_kind(self, kind):
        return lambda shape, focus, value: [Literal(f"Value is not of Node Kind {self.texts.shape_node(kind)}")]

    def _msg_node(self, c):
        def make(shape, focus, value):
            if len(c.args) < 2:
                m = f"Value does not conform to Shape {self.texts.shape_node(c.args[0])}."
            else:
                m = "Value must conform to every Shape in ('{}').".format(
                    "', '".join(self.texts.shape_node(x) for x in c.args))
            return [Literal(m + " See details for more information.")]
        return make

    def _msg_or(self, lists):
        def make(shape, focus, value):
            sg = self.model.graph
            if len(lists) < 2:
                text = " , ".join(self.texts.shape_node(x) for x in sg.items(lists[0]))
            else:
                text = " and ".join("({})".format(" , ".join(self.texts.shape_node(x) for x in sg.items(lst)))
                                    for lst in lists)
            try:
                value_text = self.texts.data_node(value)
            except (LookupError, ValueError):
                value_text = str(value)
            return [Literal(f"Node {value_text} must conform to one or more shapes in {text}")]
        return make

    def _msg_range(self, c, sign):
        def make(shape, focus, value):
            if len(c.args) < 2:
                return [Literal(f"Value is not {sign} {self.texts.shape_node(c.args[0])}")]
            return [Literal("Value is not {} in ({})".format(sign, ", ".join(self.texts.shape_node(x)
                                                                            for x in c.args)))]
        return make

    def _msg_has_value(self, c):
        def make(shape, focus, value):
            the_set = [self.texts.shape_node(x) for x in c.args]
            if shape.is_property:
                return [Literal("Node {}->{} does not contain a value in the set: {}".format(
                    self.texts.data_node(focus), self._path_text(shape), the_set))]
            return [Literal("Node {} value is not a in the set of values: {}".format(
                self.texts.data_node(focus), the_set))]
        return make

    @staticmethod
    def _msg_unique_lang(shape, focus, value):
        return [Literal("More than one String shares the same Language")]

    def _msg_pattern(self, c):
        def make(shape, focus, value):
            if len(c.args) < 2:
                return [Literal("Value does not match pattern '{}'".format(str(c.args[0][0].value)))]
            return [Literal("Value does not match every pattern in ('{}')".format(
                "', '".join(str(lit.value) for lit, _ in c.args)))]
        return make

    def _msg_equals(self, c):
        def make(shape, focus, value):
            if len(c.args) < 2:
                rule = self.texts.shape_node(c.args[0])
            else:
                rule = ", ".join(self.texts.shape_node(p) for p in c.args)
            return [Literal("Value of {}->{} != {}".format(self.texts.data_node(focus), rule,
                                                            self.texts.data_node(value)))]
        return make

    def _msg_qualified(self, c):
        value_shapes, low, high = c.args

        def make(shape, focus, value):
            shapes_text = ",".join(self.texts.shape_node(s) for s in value_shapes)
            counts = (f" MinCount {low}" if low is not None else "") + (f" MaxCount {high}" if high is not None else "")
            if len(value_shapes) > 1:
                return [Literal(f"Focus node does not conform to shapes{counts}: ({shapes_text})")]
            return [Literal(f"Focus node does not conform to shape{counts}: {shapes_text}")]
        return make


# ---------------------------------------------------------------------- value tests, as pySHACL's


def _failing(values: list, test) -> list:
    """(index, the value nodes failing ``test``) for each focus node with any, in order."""
    if all(map(test, chain.from_iterable(values))):  # the usual case, in one loop in C
        return []
    out = []
    for i, vals in enumerate(values):
        for v in vals:
            if not test(v):
                out.append((i, [v for v in vals if not test(v)]))
                break
    return out


def _memo(test):
    """``test`` of a node, remembered per literal by its lexical form, datatype and language (all a literal is to
    rdflib's comparisons; rdflib's own hashing and comparing of terms is slow Python), and not remembered for other
    nodes."""
    seen: dict = {}
    datatypes: dict = {}  # id of a datatype object -> (the object, its IRI as a str): the build makes many of each

    def remembered(v) -> bool:
        if type(v) is not Literal:
            return test(v)
        dt = v._datatype
        if dt is not None:
            known = datatypes.get(id(dt))
            if known is None or known[0] is not dt:
                known = datatypes[id(dt)] = (dt, str.__str__(dt))
            dt = known[1]
        key = (str.__str__(v), dt, v._language)
        found = seen.get(key)
        if found is None:
            found = seen[key] = test(v)
        return found

    return remembered


def _is_literal(node) -> bool:
    kind = type(node)  # isinstance goes through rdflib's abstract base class: slow, and these are the usual types
    return kind is Literal or (kind is not URIRef and kind is not BNode and isinstance(node, Literal))


def _kind_of(node):
    if isinstance(node, BNode):
        return BNode
    if isinstance(node, Literal):
        return Literal
    return URIRef


XSD_STRING, XSD_INTEGER, XSD_FLOAT, XSD_DECIMAL = XSD.string, XSD.integer, XSD.float, XSD.decimal
XSD_BOOLEAN, XSD_DATE, XSD_TIME, XSD_DATETIME = XSD.boolean, XSD.date, XSD.time, XSD.dateTime
RDF_LANGSTRING, RDFS_LITERAL, RDFS_DATATYPE = RDF.langString, RDFS.Literal, RDFS.Datatype
ACTUAL_TYPES = {XSD_STRING: (str, bytes), RDF_LANGSTRING: (str, bytes), XSD_INTEGER: int, XSD_FLOAT: float,
                XSD_DECIMAL: Decimal, XSD_BOOLEAN: bool, XSD_DATE: date, XSD_TIME: time, XSD_DATETIME: datetime}


SAME, ANY, PLAIN, NONE = range(4)


def _datatype_test(dt):
    """``_datatype_matches(v, dt)`` as a fast test: what it decides on is a literal's datatype and language, worked
    out once for each (the datatype object known by its id: the literals holding it outlive the test)."""
    expected = ACTUAL_TYPES.get(dt)
    modes: dict = {}

    def mode_of(datatype, lang) -> int:
        if datatype == dt:
            return SAME
        if dt == RDFS_LITERAL or (dt == RDFS_DATATYPE and datatype):
            return ANY
        if (datatype is None and lang is None and dt == XSD_STRING) or (dt == RDF_LANGSTRING and lang):
            return PLAIN
        return NONE

    def test(v) -> bool:
        if type(v) is not Literal:
            return _datatype_matches(v, dt)
        datatype, lang = v._datatype, v._language
        key = id(datatype) if lang is None else (id(datatype), lang)
        known = modes.get(key)
        if known is None or known[0] is not datatype:
            known = modes[key] = (datatype, mode_of(datatype, lang))
        mode = known[1]
        if mode == SAME:
            return v._ill_typed is not True and (expected is None or isinstance(v._value, expected))
        if mode == PLAIN:
            return isinstance(v._value, expected)
        return mode == ANY

    return test


def _datatype_matches(v, dt) -> bool:
    """pySHACL's DatatypeConstraintComponent, rdflib's idea of a well-formed literal included."""
    if not isinstance(v, Literal):
        return False
    datatype, lang = v._datatype, v._language
    if datatype == dt:
        return False if getattr(v, "ill_typed", None) is True else _actual_datatype(v, dt)
    if dt == RDFS_LITERAL:
        return True
    if dt == RDFS_DATATYPE and datatype:
        return True
    if datatype is None and lang is None and dt == XSD_STRING:
        return _actual_datatype(v, dt)
    if dt == RDF_LANGSTRING and lang:
        return _actual_datatype(v, dt)
    return False


def _actual_datatype(v: Literal, dt) -> bool:
    expected = ACTUAL_TYPES.get(dt)
    return True if expected is None else isinstance(v.value, expected)


# rdflib compares two literals of these datatypes (well-typed, with values) by their values, in eq() and in >.
NUMERIC = frozenset(str(t) for t in getattr(rdflib_term, "_NUMERIC_LITERAL_TYPES", ()))


def _range_test(bound: Literal, ok):
    """``_in_range(v, bound, ...)`` as a fast test: a number against a number is compared by value, as rdflib's
    eq() and > compare them (each literal's datatype worked out once per datatype object); anything else goes the
    long way, remembered per literal."""
    bound_is_string = isinstance(bound.value, str)
    slow = _memo(lambda v: _in_range(v, bound, bound_is_string, ok))
    if not (type(bound) is Literal and bound._value is not None and not bound._ill_typed
            and bound._datatype is not None and str(bound._datatype) in NUMERIC):
        return slow
    limit = bound._value
    numeric: dict = {}  # id of a datatype object -> (the object, whether it is a numeric datatype)

    def test(v) -> bool:
        if type(v) is Literal and v._value is not None and not v._ill_typed:
            datatype = v._datatype
            known = numeric.get(id(datatype))
            if known is None or known[0] is not datatype:
                known = numeric[id(datatype)] = (datatype, datatype is not None and str(datatype) in NUMERIC)
            if known[1]:
                value = v._value
                try:
                    return ok(0 if value == limit else 1 if value > limit else -1)
                except TypeError:
                    return False
        return slow(v)

    return test


def _in_range(v, bound: Literal, bound_is_string: bool, ok) -> bool:
    """pySHACL's sh:minInclusive / sh:maxInclusive test (its compare_literal)."""
    if not isinstance(v, Literal):
        return False
    v_is_string = isinstance(v.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        return ok(_compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False


def _compare_literal(l1: Literal, l2: Literal) -> int:
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime, time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


def _string_of(v) -> str:
    """pySHACL's StringBasedConstraintBase.value_node_to_string."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)

