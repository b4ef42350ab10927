"""Write the dataset as Turtle, sorted N-Triples, TriG and compacted JSON-LD: the same bytes on every run.

Determinism comes from sorting here, not from the libraries' iteration order.
"""

from __future__ import annotations

import json
from typing import Any

from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .names import PREFIXES

_NATIVE = {XSD.integer, XSD.boolean}


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


def to_jsonld(graph: Graph, context: dict[str, Any]) -> bytes:
    """Compact the graph against our own context (inlined, so no reader ever needs the network)."""
    compacted = jsonld.compact(expanded(graph), context, options={"documentLoader": _refuse_remote})
    return (json.dumps(compacted, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
