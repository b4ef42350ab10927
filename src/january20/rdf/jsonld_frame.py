"""JSON-LD framing of our graphs, one compacted document per top-level node, byte for byte as pyld frames them.

pyld frames by building a node map of the whole input, matching every node against the frame, building the framed
tree, and compacting that tree (term selection afresh for every value). For frames of the kind ours is -- nested
property frames, ``@type`` filters, ``@embed`` ``@always``/``@once``/``@never``, ``@explicit``, every property
frame ``@omitDefault`` -- :func:`frame_documents` walks the frame over the triples directly, following pyld's
rules (:meth:`pyld.jsonld.JsonLdProcessor._match_frame` and ``_filter_subject``):

* a top-level node matches by its ``@id`` alone; a node met as a value matches a property frame that names
  ``@type`` if it has one of those types, else one that names properties if it has a value for any of them,
  else always. A value whose node does not match is left out.
* a matching node is embedded, except where the flag is ``@never``, where it would be its own ancestor (any
  ancestor but its parent: pyld's ``_creates_circular_reference`` skips the top of its stack), or where the flag
  is ``@once`` and the node was embedded before in the same document: then it is a reference.
* an embedded node keeps its ``@id`` and all its types, and the properties the frame names (all, with implicit
  frames carrying the embed flag, if the frame is not explicit); literals always match.

Each embedded node is compacted as it is made, by :mod:`january20.rdf.jsonld_compact`: the term chosen for a node
value is the one chosen for a reference to it (the JSON-LD 1.1 term selection treats both alike), and an embedded
node with nothing but its ``@id`` is compacted as a reference, as pyld does. pyld's compaction links repeated
references only once its link table is non-empty, which it never is in framing, so each value is compacted alone.

:func:`supports` says, from the frame alone, whether this reproduces pyld for it; ``serialize.to_framed_jsonld``
uses pyld otherwise. ``tests/test_jsonld_frame.py`` compares the two.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from january20.rdf.jsonld_compact import Compactor, Node, Terms, add
from january20.rdf.json_text import _json_value, jsonld_bytes

_EMBEDS = {"@always", "@once", "@never"}
_FLAGS = {"@embed", "@explicit", "@omitDefault", "@requireAll"}


def supports(expanded_frame: Any) -> bool:
    """True if ``expanded_frame`` (pyld's expansion of the frame, with the top-level ``@id`` list) uses only what
    :func:`frame_documents` reproduces."""
    if not (isinstance(expanded_frame, list) and len(expanded_frame) == 1 and isinstance(expanded_frame[0], dict)):
        return False
    top = expanded_frame[0]
    ids = top.get("@id")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        return False
    return _supported({k: v for k, v in top.items() if k != "@id"}, top=True)


def _supported(frame: dict, top: bool = False) -> bool:
    for key, value in frame.items():
        if not isinstance(value, list) or len(value) != 1 and key != "@type":
            return False
        if key == "@embed":
            if value[0] not in _EMBEDS:
                return False
        elif key in ("@explicit", "@omitDefault"):  # @omitDefault matters on property frames: checked below
            if not isinstance(value[0], bool):
                return False
        elif key == "@requireAll":
            if value[0] is not False:
                return False
        elif key == "@type":
            if not value or not all(isinstance(t, str) and not t.startswith(("@", "_:")) for t in value):
                return False
        elif key.startswith("@") or key == str(RDF.type):
            return False
        else:  # a property frame: flags, types and property frames of its own, never a value or list pattern
            sub = value[0]
            if not isinstance(sub, dict) or sub.get("@omitDefault") != [True] or not _supported(sub):
                return False
    return True


_REFERENCE = object()  # a node written as a reference to it (its compacted IRI)


class _Frame:
    """One (expanded) frame, read once: its flags, its types, and the frames of its properties."""

    __slots__ = ("embed", "explicit", "types", "properties", "implicit")

    def __init__(self, frame: dict, defaults: tuple[str, bool] = ("@once", False)):
        self.embed = frame.get("@embed", [defaults[0]])[0]
        self.explicit = frame.get("@explicit", [defaults[1]])[0]
        self.types = frozenset(frame["@type"]) if "@type" in frame else None
        self.properties = {k: _Frame(v[0]) for k, v in frame.items() if not k.startswith("@")}  # by IRI text
        self.implicit: _Frame | None = None

    def implicit_frame(self) -> _Frame:
        """The frame pyld gives a property this frame does not name (``_create_implicit_frame``)."""
        if self.implicit is None:
            self.implicit = _Frame({"@embed": [self.embed], "@explicit": [self.explicit]})
        return self.implicit


class _Framer:
    """Frames and compacts the nodes of one graph, remembering each node's description as pyld's node map has it."""

    def __init__(self, by_subject: dict, terms: Terms):
        self._by_subject = by_subject
        self._terms = terms
        self._nodes: dict[str, tuple[list[str], list]] = {}  # by IRI text: rdflib's term equality is slow

    def _node(self, node: URIRef) -> tuple[list[str], list]:
        """The node as pyld's node map holds it: its types, and its properties in IRI order, each with its
        values in expanded order, equal literals once."""
        key = str(node)
        found = self._nodes.get(key)
        if found is not None:
            return found
        groups: dict = {}
        for p, o in self._by_subject.get(node, ()):
            objects = groups.get(p)
            if objects is None:
                groups[p] = [o]
            else:
                objects.append(o)
        types: list[str] = []
        properties = []
        predicate_of = self._terms.predicate
        for p, objects in groups.items():
            predicate = predicate_of(p)
            if predicate is None:
                types = sorted(dict.fromkeys(str(o) for o in objects))
                continue
            if len(objects) > 1:
                objects.sort(key=self._terms.sort_key)
                objects = self._distinct(objects)
            properties.append((predicate.prop, predicate, objects))
        properties.sort(key=lambda entry: entry[0])
        found = self._nodes[key] = (types, properties)
        return found

    def _distinct(self, objects: list) -> list:
        # pyld's node map adds each value once (JsonLdProcessor.compare_values: equal @value, @type, @language,
        # a boolean equal only to a boolean)
        seen: set = set()
        kept = []
        for o in objects:
            if type(o) is URIRef:
                kept.append(o)
                continue
            value = _json_value(o)
            key = (value["@value"], type(value["@value"]) is bool, value.get("@type"), value.get("@language"))
            if key not in seen:
                seen.add(key)
                kept.append(o)
        return kept

    def _matches(self, frame: _Frame, node: URIRef) -> bool:
        if frame.types is not None:
            return any(t in frame.types for t in self._node(node)[0])
        if frame.properties:
            framed = frame.properties
            return any(prop in framed for prop, _, _ in self._node(node)[1])
        return True

    def document(self, node: URIRef, frame: _Frame) -> Any:
        """The top-level node framed and compacted (it matches by its @id, checked by the caller): a
        :class:`~january20.rdf.jsonld_compact.Node`, or ``_REFERENCE`` if nothing but its @id is left."""
        return self._embed(node, frame, [], set())

    def _embed(self, node: URIRef, frame: _Frame, stack: list, embedded: set) -> Any:
        """The node embedded under ``frame``: its types and the values of the properties the frame takes, each IRI
        value matched against its property frame (``stack``: the IRIs of the nodes being embedded, outermost
        first; ``embedded``: every node embedded so far in this document)."""
        types, properties = self._node(node)
        key = str(node)
        embedded.add(key)
        stack.append(key)
        terms = self._terms
        out: dict[str, Any] = {}
        language_maps: set[str] = set()
        framed = frame.properties
        explicit = frame.explicit
        for prop, predicate, objects in properties:
            subframe = framed.get(prop)
            if subframe is None:
                if explicit:
                    continue
                subframe = frame.implicit_frame()
            for o in objects:
                if type(o) is URIRef:
                    item = self._value(o, subframe, stack, embedded)
                    if item is None:
                        continue
                    plan = predicate.iri_plan
                    if item is _REFERENCE:
                        item = terms.iri(o) if plan.mode == "iri" else {plan.slot: terms.iri(o)}
                    add(out, plan, None, item)
                else:
                    plan, item, language = terms.item(predicate, o)
                    if language is not None:
                        language_maps.add(plan.term)
                    add(out, plan, language, item)
        stack.pop()
        if not out and not types:
            return _REFERENCE  # {"@id": ...} alone: pyld compacts it as a reference
        return Node(terms.compactor, terms.iri(node), types, out, language_maps)

    def _value(self, node: URIRef, frame: _Frame, stack: list, embedded: set) -> Any:
        """A node met as a value: None if it does not match ``frame``, else a reference or the embedded node."""
        if not self._matches(frame, node):
            return None
        embed = frame.embed
        key = str(node)
        if embed == "@never" or key in stack[:-1]:
            return _REFERENCE
        if embed == "@once" and key in embedded:
            return _REFERENCE
        return self._embed(node, frame, stack, embedded)


def frame_documents(triples, context: dict[str, Any], expanded_frame: list, nodes: list[URIRef],
                    options: dict[str, Any]) -> dict[URIRef, bytes]:
    """Each of ``nodes`` framed by ``expanded_frame`` (which :func:`supports`), compacted against ``context`` and
    laid out as ``serialize.jsonld_bytes`` does. Raises ValueError for a node pyld's node map would not hold."""
    compactor = Compactor(context, options)
    terms = Terms(compactor)
    by_subject = triples.by_subject()
    framer = _Framer(by_subject, terms)
    frame = _Frame({k: v for k, v in expanded_frame[0].items() if k != "@id"})
    head = jsonld_bytes({"@context": context["@context"]}).decode("utf-8")[:-3]  # all but the closing "\n}\n"
    documents: dict[URIRef, bytes] = {}
    referenced: set | None = None
    for node in nodes:
        if node not in by_subject:
            if referenced is None:
                referenced = {o for s, p, o in triples if type(o) is URIRef and p != RDF.type}
            if node not in referenced:
                raise ValueError(f"the frame matches no node {node} in the graph")
        framed = framer.document(node, frame)
        if framed is _REFERENCE:
            framed = Node(compactor, terms.iri(node), [], {}, set())
        documents[node] = (head + ",\n" + framed.text("\n")[2:] + "\n").encode("utf-8")
    return documents
