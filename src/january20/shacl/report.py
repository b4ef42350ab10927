"""Results as pySHACL makes them, its default messages, and its report graph.

A result is built as ``ConstraintComponent.make_v_result`` builds it: a fresh blank node with its triples, where a
node taken from the data or the shapes graph is marked with its source so that the report can copy it (a blank
node is copied with its whole description, as ``clone_blank_node`` does). The default messages, for shapes without
``sh:message``, are pySHACL's texts, with nodes written by its ``stringify_node``.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from january20.shacl.common import Unsupported

DATA, SHAPES = "data", "shapes"


class Result:
    """One validation result: its blank node, its severity and its triples (objects to copy are (source, node))."""

    __slots__ = ("node", "severity", "triples")

    def __init__(self, node: BNode, severity, triples: list):
        self.node, self.severity, self.triples = node, severity, triples


def make_result(shape, component, focus, value=None, path=None, constraint=None, extra_messages=None,
                bound_vars=None, generic=None) -> Result:
    """pySHACL's ``make_v_result``: ``generic()`` gives the default messages of a shape without sh:message."""
    node = BNode()
    triples = [(node, RDF.type, SH.ValidationResult), (node, SH.sourceConstraintComponent, (SHAPES, component)),
               (node, SH.sourceShape, (SHAPES, shape.node)), (node, SH.resultSeverity, shape.severity),
               (node, SH.focusNode, (DATA, focus))]
    if value is not None:
        triples.append((node, SH.value, (DATA, value)))
    if path is None and shape.is_property:
        path = shape.path
    if path is not None:
        triples.append((node, SH.resultPath, (SHAPES, path)))
    if constraint is not None:
        triples.append((node, SH.sourceConstraint, (SHAPES, constraint)))
    messages = list(shape.messages)
    if extra_messages:
        for m in extra_messages:
            if m in messages:
                continue
            if isinstance(m, Literal) and bound_vars is not None:
                m = Literal(substitute(str(m.value), bound_vars))
            triples.append((node, SH.resultMessage, m))
    elif not messages and generic is not None:
        messages = generic() or messages
    for m in messages:
        if isinstance(m, Literal) and bound_vars is not None:
            m = Literal(substitute(str(m.value), bound_vars))
        triples.append((node, SH.resultMessage, m))
    return Result(node, shape.severity, triples)


def substitute(msg: str, bound_vars) -> str:
    """``{?var}`` and ``{$var}`` in a SPARQL constraint's message, as pySHACL fills them in (re.sub included)."""
    values: dict = {}
    if isinstance(bound_vars, (tuple, list)):
        if len(bound_vars) == 4:
            values.update(bound_vars[3])
            bound_vars = bound_vars[:3]
        if len(bound_vars) == 3:
            for name, val in zip(("this", "path", "value"), bound_vars):
                if val is not None:
                    values[name] = val
    elif isinstance(bound_vars, dict):
        values.update(bound_vars)
    for var, val in values.items():
        msg = re.sub("{{[?$]{}}}".format(var), str(val), msg)
    return msg


# ---------------------------------------------------------------------- pySHACL's stringify_node


class Texts:
    """Nodes written as pySHACL's default messages write them: from the shapes graph or from the data."""

    def __init__(self, shapes: Graph, view):
        self.shapes, self.view = shapes, view

    def shape_node(self, node) -> str:
        nsm = self.shapes.namespace_manager
        nsm.bind("sh", SH, override=False, replace=False)
        return _stringify(self.shapes, node, nsm)

    def data_node(self, node) -> str:
        nsm = self.view.namespace_manager
        nsm.bind("sh", SH, override=False, replace=False)
        if isinstance(node, BNode) and not self.view.mentions(node):
            # pySHACL looks the node up in the data: LookupError, which some of its messages catch (and write the
            # node's id) and others do not (the validation fails; here: Unsupported, so that pySHACL fails).
            raise LookupError(f"Cannot find node {node} in any named graph.")
        return _stringify(self.view, node, nsm)


def _stringify(graph, node, nsm, recursion: int = 0) -> str:
    if isinstance(node, Literal):
        return _stringify_literal(node, nsm)
    if isinstance(node, BNode):
        return _stringify_blank(graph, node, nsm, recursion + 1)
    if isinstance(node, URIRef):
        try:
            return node.n3(namespace_manager=nsm)
        except Exception:
            return str(node)
    return str(node)


def _stringify_literal(node: Literal, nsm) -> str:
    value = None if node.value is None else str(node.value)
    lex = str(node)
    if value is not None:
        at = value.find(" object at 0x")
        if at > 0:
            value = value[:at]
    text = f'"{lex}" = {value}' if value is not None and value != lex else f'"{lex}"'
    lang = f", lang={node.language}" if node.language else ""
    if node.datatype:
        dt = _stringify(None, node.datatype, nsm) if isinstance(node.datatype, (URIRef, Literal)) else str(
            node.datatype)
        datatype = f", datatype={dt}"
    else:
        datatype = ""
    return f"Literal({text}{lang}{datatype})"


def _stringify_blank(graph, bnode, nsm, recursion: int) -> str:
    if recursion >= 12:
        return "<http://recursion.too.deep>"
    predicates = list(graph.predicates(bnode))
    if not predicates:
        return "[ ]"
    if RDF.first in predicates:
        return "( {} )".format(" ".join(_stringify(graph, item, nsm, recursion + 1) for item in graph.items(bnode)))
    texts = {}
    for p in predicates:
        p_text = p.n3(namespace_manager=nsm) if isinstance(p, (Literal, BNode, URIRef)) else str(p)
        objects = list(graph.objects(bnode, p))
        if not objects:
            continue
        o_texts = sorted(_stringify(graph, o, nsm, recursion + 1) for o in objects)
        texts[p_text] = ", ".join(o_texts) if len(o_texts) > 1 else o_texts[0]
    if len(texts) > 1:
        body = " ; ".join(f"{p} {o}" for p, o in sorted(texts.items()))
    else:
        p, o = next(iter(texts.items()))
        body = f"{p} {o}"
    return f"[ {body} ]"


# ---------------------------------------------------------------------- the report graph


def build_report(shapes: Graph, view, conforms: bool, results: list) -> Graph:
    """pySHACL's ``Validator.create_validation_report``: the report node, its results, copied nodes."""
    report = Graph(bind_namespaces="core")
    for prefix, ns in shapes.namespace_manager.namespaces():
        report.namespace_manager.bind(prefix, ns)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    sources = {DATA: view, SHAPES: shapes}
    copied: dict = {}
    for result in results:
        report.add((root, SH.result, result.node))
        for s, p, o in result.triples:
            if isinstance(o, tuple):
                source, node = o
                if isinstance(node, Literal):
                    o = node
                else:
                    key = (source, str(node))
                    if key in copied:
                        o = copied[key]
                    elif isinstance(node, BNode):
                        copied[key] = o = _clone_blank(sources[source], node, report, keepid=True)
                    else:
                        copied[key] = o = URIRef(str(node))
            report.add((s, p, o))
    return report


def _clone_blank(graph, bnode, target: Graph, keepid: bool = False, recursion: int = 0):
    clone = BNode(str(bnode)) if keepid else BNode()
    if recursion >= 10:
        return clone
    predicates = set(graph.predicates(bnode))
    if not predicates:
        return clone
    if RDF.first in predicates:
        return _clone_list(graph, bnode, target, keepid, recursion)
    for p in predicates:
        cloned_p = _clone_node(graph, p, target, recursion + 1)
        for o in list(graph.objects(bnode, p)):
            target.add((clone, cloned_p, _clone_node(graph, o, target, recursion + 1)))
    return clone


def _clone_list(graph, lnode, target: Graph, keepid: bool, recursion: int):
    if isinstance(lnode, BNode):
        clone = BNode(str(lnode)) if keepid else BNode()
    else:
        clone = URIRef(str(lnode))
    new_list = Collection(target, clone)
    for item in graph.items(lnode):
        new_list.append(_clone_node(graph, item, target, recursion + 1))
    return clone


def _clone_node(graph, node, target: Graph, recursion: int):
    if isinstance(node, Literal):
        return Literal(str(node), node.language, node.datatype)
    if isinstance(node, BNode):
        return _clone_blank(graph, node, target, recursion=recursion + 1)
    if isinstance(node, URIRef):
        return URIRef(str(node))
    raise Unsupported(f"cannot copy a node of type {type(node).__name__}")
