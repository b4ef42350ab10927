"""Write the dataset as Turtle, sorted N-Triples, TriG, compacted and framed JSON-LD: the same bytes on every run.

Determinism comes from sorting here, not from the libraries' iteration order.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .names import PREFIXES

_NATIVE = {XSD.integer, XSD.boolean}
_INTEGERS = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}


def _bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def _no_blank_nodes(graph: Graph) -> None:
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            raise ValueError(f"blank node in output: {triple}")


def to_turtle(graph: Graph) -> bytes:
    _no_blank_nodes(graph)
    g = _bind(Graph())
    g += graph
    return g.serialize(format="turtle", encoding="utf-8")


def to_ntriples(graph: Graph) -> bytes:
    _no_blank_nodes(graph)
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def to_trig(graphs: list[tuple[URIRef, Graph]]) -> bytes:
    """Named graphs in the order given, each written by the (deterministic) Turtle writer inside its braces.

    rdflib's own TriG writer orders subjects differently from run to run, so it is not used.
    """
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    blocks = [prefixes]
    for name, graph in graphs:
        body = to_turtle(graph).decode("utf-8")
        triples = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix")).strip()
        blocks.append(f"<{name}> {{\n{triples}\n}}\n")
    return "\n".join(blocks).encode("utf-8")


def _json_value(term: URIRef | Literal) -> dict[str, Any]:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype in _NATIVE:
        return {"@value": term.toPython()}
    if term.datatype in _INTEGERS and re.fullmatch(r"0|[1-9][0-9]*", str(term)):
        # A JSON number with its datatype: compacts to a bare number where the context coerces the type, and turns
        # back into the same literal, because the lexical form is canonical.
        return {"@value": int(str(term)), "@type": str(term.datatype)}
    if term.datatype is not None and term.datatype != XSD.string:
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def _sort_key(value: dict[str, Any]) -> tuple:
    return (value.get("@id", ""), str(value.get("@value", "")), value.get("@language", ""), value.get("@type", ""))


def expanded(graph: Graph) -> list[dict[str, Any]]:
    """The graph as expanded JSON-LD, nodes and values in sorted order."""
    _no_blank_nodes(graph)
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in graph:
        node = nodes.setdefault(str(s), {"@id": str(s)})
        if p == RDF.type:
            node.setdefault("@type", []).append(str(o))
        else:
            node.setdefault(str(p), []).append(_json_value(o))
    out = []
    for key in sorted(nodes):
        node = nodes[key]
        ordered: dict[str, Any] = {"@id": node["@id"]}
        if "@type" in node:
            ordered["@type"] = sorted(node["@type"])
        for prop in sorted(k for k in node if not k.startswith("@")):
            ordered[prop] = sorted(node[prop], key=_sort_key)
        out.append(ordered)
    return out


def _refuse_remote(url: str, options: dict | None = None) -> dict:
    raise jsonld.JsonLdError(f"remote document loading is disabled: {url}", "jsonld.LoadDocumentError",
                             code="loading document failed")


OPTIONS = {"documentLoader": _refuse_remote}


def _readable_order(value: Any) -> Any:
    """Keys in an order a reader can scan: ``@context``, ``id``, ``type``, then the rest alphabetically.

    pyld emits properties in the order of their full IRIs, which scatters related keys; key order carries no
    meaning in JSON-LD, so reordering changes nothing but legibility. The context keeps its curated order.
    """
    if isinstance(value, list):
        return [_readable_order(v) for v in value]
    if not isinstance(value, dict):
        return value
    first = [k for k in ("@context", "id", "@id", "@value", "type", "@type", "@language") if k in value]
    rest = sorted(k for k in value if k not in first)
    return {k: value[k] if k == "@context" else _readable_order(value[k]) for k in first + rest}


def _dump(document: dict[str, Any]) -> bytes:
    """JSON with two-space indentation, except the inlined context: one term per line, as in the context file."""
    body = dict(document)
    context = body.pop("@context")
    terms = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in context.items())
    rest = json.dumps(body, indent=2, ensure_ascii=False)
    head = f'{{\n  "@context": {{\n{terms}\n  }}'
    text = head + ("\n}" if rest == "{}" else ",\n" + rest[2:])
    return (text + "\n").encode("utf-8")


def to_jsonld(graph: Graph, context: dict[str, Any]) -> bytes:
    """Compact the graph against our own context (inlined, so no reader ever needs the network)."""
    compacted = jsonld.compact(expanded(graph), context, options=dict(OPTIONS))
    return _dump(_readable_order(compacted))


def to_framed_jsonld(graph: Graph, context: dict[str, Any], frame: dict[str, Any], node: URIRef) -> bytes:
    """One node of ``graph`` shaped by ``frame``, with the context inlined in place of the frame's own.

    ``frame`` is a JSON-LD 1.1 frame; ``node`` becomes its ``@id``, so the document describes exactly that node.
    Raises ValueError if the frame matches nothing, which would otherwise be an empty document.
    """
    frame = {**frame, "@context": context["@context"], "@id": str(node)}
    framed = jsonld.frame(expanded(graph), frame, options=dict(OPTIONS))
    if framed.get("@id", framed.get("id")) is None:
        raise ValueError(f"the frame matches no node {node} in the graph")
    return _dump(_readable_order(framed))
