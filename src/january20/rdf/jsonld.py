"""Compacted and framed JSON-LD of the dataset, through pyld or, where they reproduce it, our own compactor and
framer (:mod:`january20.rdf.jsonld_compact`, :mod:`january20.rdf.jsonld_frame`): the same bytes on every run."""

from __future__ import annotations

from typing import Any, Iterable

from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from january20.graph.triples import Triple, Triples
from january20.rdf.json_text import _json_value, jsonld_bytes
from january20.rdf.write import _no_blank_nodes


def _sort_key(value: dict[str, Any]) -> tuple:
    return (value.get("@id", ""), str(value.get("@value", "")), value.get("@language", ""), value.get("@type", ""))


def expanded(graph: Iterable[Triple]) -> list[dict[str, Any]]:
    """The graph as expanded JSON-LD, nodes and values in sorted order."""
    _no_blank_nodes(graph)
    a_type = RDF.type  # rdflib makes a new term on every RDF.x
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in graph:
        key = str(s)
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = {"@id": key}
        if p == a_type:
            node.setdefault("@type", []).append(str(o))
            continue
        prop = str(p)
        values = node.get(prop)
        if values is None:
            node[prop] = [_json_value(o)]
        else:
            values.append(_json_value(o))
    out = []
    for key in sorted(nodes):
        node = nodes[key]
        ordered: dict[str, Any] = {"@id": node["@id"]}
        if "@type" in node:
            ordered["@type"] = sorted(node["@type"])
        for prop in sorted(k for k in node if not k.startswith("@")):
            values = node[prop]
            ordered[prop] = values if len(values) == 1 else sorted(values, key=_sort_key)
        out.append(ordered)
    return out


def _refuse_remote(url: str, options: dict | None = None) -> dict:
    raise jsonld.JsonLdError(f"remote document loading is disabled: {url}", "jsonld.LoadDocumentError",
                             code="loading document failed")


_EXPANDED_INPUT = "january20InputIsExpanded"  # an option of ours: see _RememberingProcessor.expand


class _RememberingProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering what each IRI compacts to.

    pyld works out the term or compact IRI for every property and every IRI afresh, each time trying every term of
    the context as a prefix: most of the compaction time. The answer depends only on the IRI, the flags and the
    keys of the value (its @language, @type or @id, never the @value's text), so it is remembered under those; a
    value with nested structure (lists, graphs) is passed through unremembered. The contexts met are kept alive
    for the processor's lifetime, so an ``id`` in the key can never be reused by another context.

    Most IRIs are met once or twice (every node's own), so remembering them alone does not help: an IRI that no
    term's IRI starts and that no prefix of the context could be mistaken in (:meth:`_plain`) is one pyld leaves as
    it is, in a context without ``@vocab`` or ``@base`` and with no base given, whatever the flags. Such an IRI is
    returned at once, and as the ``@id`` of a value it is remembered as any such IRI: pyld's only use of that
    ``@id`` (:meth:`_select_term`) is to ask whether it compacts to a term, and it does not.
    """

    def __init__(self) -> None:
        super().__init__()
        self._remembered: dict[tuple, Any] = {}
        self._contexts: dict[int, Any] = {}
        self._plain_iris: dict[int, tuple[tuple[str, ...] | None, dict[str, bool]]] = {}

    def _plain(self, active_ctx, iri: str) -> bool:
        """True if no term of ``active_ctx`` can stand for ``iri`` or a start of it, so pyld leaves it as it is."""
        known = self._plain_iris.get(id(active_ctx))
        if known is None:
            mappings = active_ctx.get("mappings", {})
            if "@vocab" in active_ctx or "@base" in active_ctx:
                starts = None  # anything may compact against these: nothing is plain
            else:
                starts = tuple({d["@id"] for d in mappings.values() if d and d.get("@id")}
                               | {term + ":" for term, d in mappings.items() if d and d.get("_prefix")} | {"@"})
            known = self._plain_iris[id(active_ctx)] = (starts, {})
        starts, answers = known
        if starts is None:
            return False
        found = answers.get(iri)
        if found is None:
            found = answers[iri] = not iri.startswith(starts)
        return found

    def _compact_iri(self, active_ctx, iri, value=None, vocab=False, base=None, reverse=False):
        self._contexts.setdefault(id(active_ctx), active_ctx)
        if value is None:
            if not base and isinstance(iri, str) and self._plain(active_ctx, iri):
                return iri
            signature = None
        elif isinstance(value, dict) and all(isinstance(v, str) for k, v in value.items() if k != "@value"):
            signature = tuple(sorted(
                (k, type(v).__name__ if k == "@value" else "" if k == "@id" and self._plain(active_ctx, v) else v)
                for k, v in value.items()))
        else:
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        key = (id(active_ctx), iri, signature, vocab, base, reverse)
        try:
            return self._remembered[key]
        except KeyError:
            found = self._remembered[key] = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
            return found

    def _match_frame(self, state, subjects, frame, parent, property):
        # At the top level pyld tests every node of the input against the frame; a frame that lists the @ids it
        # wants matches no other node (in _filter_subject, "@id" decides before any property is looked at, unless
        # @requireAll), but pyld finds that by looking each one up in the list: a time that grows with the square
        # of the graph. The nodes that cannot match are left out first, in the same order.
        ids = frame[0].get("@id") if property is None and frame and isinstance(frame[0], dict) else None
        if ids and all(isinstance(i, str) for i in ids) and not self._get_frame_flag(
                frame[0], state["options"], "requireAll"):
            wanted = set(ids)
            subjects = [s for s in subjects if s in wanted]
        return super()._match_frame(state, subjects, frame, parent, property)

    def expand(self, input_, options):
        # frame() expands its input unconditionally; given _EXPANDED_INPUT, the input is taken as already expanded
        # (the output of expanded()). The frame itself is still expanded (isFrame).
        if options.get(_EXPANDED_INPUT) and not options.get("isFrame"):
            return input_
        return super().expand(input_, options)


OPTIONS = {"documentLoader": _refuse_remote}


def to_jsonld(graph: Graph, context: dict[str, Any]) -> bytes:
    """Compact the graph against our own context (inlined, so no reader ever needs the network).

    The bytes are those of pyld compacting :func:`expanded`'s output (:func:`pyld_jsonld`); where the context uses
    only what :mod:`january20.rdf.jsonld_compact` reproduces (ours does), that module makes them, in a fraction of the
    time and memory, straight from the triples.
    """
    from january20.rdf import jsonld_compact

    if not jsonld_compact.supports(context):
        return pyld_jsonld(graph, context)
    return jsonld_compact.compact_graph(graph, context, OPTIONS)


def pyld_jsonld(graph: Graph, context: dict[str, Any]) -> bytes:
    """pyld's compaction of the graph: the reference :func:`to_jsonld` reproduces, and its way for other contexts."""
    # expanded() already is expanded JSON-LD (flat node objects, every value a value or node object), so pyld's
    # own expansion pass, half of the time, would return it unchanged: it is skipped.
    compacted = _RememberingProcessor().compact(expanded(graph), context, options={**OPTIONS, "skipExpansion": True})
    return jsonld_bytes(compacted)


def to_framed_jsonld(graph: Iterable[Triple], context: dict[str, Any], frame: dict[str, Any],
                     nodes: list[URIRef]) -> dict[URIRef, bytes]:
    """One document per node of ``nodes``, each that node of ``graph`` shaped by ``frame``, with the context inlined
    in place of the frame's own.

    ``frame`` is a JSON-LD 1.1 frame; the nodes become its ``@id``. The documents are those of pyld framing every
    node in one pass over the whole graph (each match framed on its own: embeds are not shared between matches),
    which :func:`pyld_framed_jsonld` makes. Where the context and the frame use only what
    :mod:`january20.rdf.jsonld_frame` reproduces (ours do), that module makes them, walking the frame over the triples;
    ``tests/test_jsonld_frame.py`` compares the two. Raises ValueError if the frame does not match every node,
    which would otherwise be a missing or empty document.
    """
    from january20.rdf import jsonld_compact
    from january20.rdf import jsonld_frame

    frame = {**frame, "@context": context["@context"], "@id": [str(n) for n in nodes]}
    triples = graph if isinstance(graph, Triples) else Triples(graph)
    expanded_frame = _RememberingProcessor().expand(frame, {**OPTIONS, "isFrame": True, "keepFreeFloatingNodes": True})
    if jsonld_compact.supports(context) and jsonld_frame.supports(expanded_frame) and not _null_literal(triples):
        return jsonld_frame.frame_documents(triples, context, expanded_frame, nodes, OPTIONS)
    return pyld_framed_jsonld(triples, context, frame, nodes)


def _null_literal(triples: Iterable[Triple]) -> bool:
    """True if a literal reads "@null": pyld's framing drops such values (``_cleanup_null``), ours does not."""
    iri = URIRef
    return any(type(o) is not iri and isinstance(o, Literal) and str.__eq__(o, "@null") for _, _, o in triples)


def pyld_framed_jsonld(graph: Iterable[Triple], context: dict[str, Any], frame: dict[str, Any],
                       nodes: list[URIRef]) -> dict[URIRef, bytes]:
    """pyld's framing (of ``frame`` with the nodes as its ``@id`` and ``context`` as its context): the reference
    :func:`to_framed_jsonld` reproduces, and its way for other frames.

    pyld is given only the part of the graph the frame can reach from the nodes (:func:`_frame_reach`), already
    expanded (its expansion pass would return :func:`expanded`'s output unchanged), and remembers its compact IRIs
    (:class:`_RememberingProcessor`): the same bytes as pyld framing the whole graph, in a time that grows with the
    documents' size.
    """
    frame = {**frame, "@context": context["@context"], "@id": [str(n) for n in nodes]}
    processor = _RememberingProcessor()
    expanded_frame = processor.expand(frame, {**OPTIONS, "isFrame": True, "keepFreeFloatingNodes": True})
    triples = graph if isinstance(graph, Triples) else Triples(graph)
    by_subject = triples.by_subject()
    reach = _frame_reach(by_subject, expanded_frame, nodes)
    if reach is not None:
        triples = Triples((s, p, o) for s in sorted(reach) for p, o in by_subject.get(s, ()))
    framed = processor.frame(expanded(triples), frame, options={**OPTIONS, _EXPANDED_INPUT: True})
    matches = framed.get("@graph", [framed] if "id" in framed else [])
    by_id = {match["id"]: match for match in matches}
    missing = [n for n in nodes if str(n) not in by_id]
    if missing:
        raise ValueError(f"the frame matches no node {missing[0]} in the graph")
    return {n: jsonld_bytes({"@context": framed["@context"], **by_id[str(n)]})
            for n in nodes}


# Frame keywords whose effect on which nodes pyld reads _frame_reach knows; any other makes it frame the whole graph.
_FOLLOWED_KEYWORDS = {"@id", "@type", "@explicit", "@embed", "@omitDefault", "@requireAll", "@default"}


def _frame_reach(by_subject: dict, expanded_frame: list, nodes: list[URIRef]) -> set | None:
    """The subjects whose triples framing ``nodes`` with ``expanded_frame`` can read, or None if the frame uses
    something this does not follow (then the whole graph is framed).

    pyld reads a node's description only to match it against a (sub)frame: the top-level nodes, and every node
    that a property listed in an explicit frame points to (an ``@embed: @never`` reference is still matched, so
    its own triples are included, but it is not followed further). Each such node is included whole, so what pyld
    sees of it is what it would see in the whole graph. A frame that is not explicit (which embeds every property,
    with implicit frames), or uses another keyword, is not followed.
    """
    reach: set = set()
    seen: set = set()

    def visit(node, frame: dict) -> bool:
        if (node, id(frame)) in seen:
            return True
        seen.add((node, id(frame)))
        reach.add(node)
        if frame.get("@explicit") != [True] or any(k.startswith("@") and k not in _FOLLOWED_KEYWORDS for k in frame):
            return False
        properties = {URIRef(k): v[0] for k, v in frame.items() if not k.startswith("@")}
        for p, o in by_subject.get(node, ()):
            subframe = properties.get(p)
            if subframe is None or type(o) is Literal:
                continue
            if subframe.get("@embed") == ["@never"]:
                reach.add(o)
            elif not visit(o, subframe):
                return False
        return True

    if len(expanded_frame) != 1 or not all(visit(node, expanded_frame[0]) for node in nodes):
        return None
    return reach
