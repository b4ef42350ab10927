"""JSON-LD compaction of our flat graphs, byte for byte what pyld's compaction makes, without pyld's trees.

pyld compacts a document by walking its expanded form and, for every property and every value, running the term
selection of the JSON-LD 1.1 compaction algorithm (IRI compaction, its container and type/language preferences)
and value compaction afresh. For a context like ours (terms, prefixes, ``@type`` coercions, ``@set`` and
``@language`` containers) the answer depends only on the property IRI and the value's *signature* -- its
``@language``, its ``@type``, the kind of its ``@value``, or that it is an IRI -- so
:class:`Compactor` asks pyld once per (property, signature) on a one-value sample (:meth:`Compactor.plan`) and
applies the answer with plain dict code (:class:`Terms`, straight from the rdflib terms). IRIs (node ids, IRI
values, types) are compacted by pyld's own ``_compact_iri`` once each, or returned as they are when no term or
prefix of the context can start them. Each node is written as JSON text as soon as it is compacted
(:meth:`Node.text`), so no tree of the whole document is ever held.

Only contexts whose every feature this reproduces are accepted (:func:`supports`, checked before any work); the
writers fall back to pyld for any other. The output is the compacted JSON in the key order of
``serialize._readable_order``; ``tests/test_jsonld_compact.py`` compares it with pyld's on the seed, a synthetic
corpus and small awkward graphs.
"""

from __future__ import annotations

import json
from typing import Any

from pyld import jsonld
from rdflib import Literal, URIRef

from january20.rdf.json_text import _json_string, _json_value, _write_json, jsonld_bytes
from january20.graph.triples import Triples

# Keys a term definition of ours may have, and the containers and type coercions this reproduces.
_DEFINITION_KEYS = {"@id", "@type", "@container"}
_CONTAINERS = {None, "@set", "@language", ("@language", "@set"), ("@set", "@language")}
_CONTEXT_KEYWORDS = {"@version", "@protected"}
_READABLE_FIRST = ("@context", "id", "@id", "@value", "type", "@type", "@language")


def supports(context: Any) -> bool:
    """True if every feature of ``context`` (a document with an inline ``@context`` object) is one
    :class:`Compactor` reproduces: prefixes and terms mapped to absolute or compact IRIs, keyword aliases of
    ``@id`` and ``@type``, ``@type`` coercions to ``@id`` or a datatype, ``@set`` and ``@language`` containers.
    No ``@vocab``, ``@base``, default ``@language``, ``@direction``, ``@reverse``, scoped contexts, ``@nest``,
    ``@index``, ``@prefix``, ``@vocab`` or ``@json`` coercion, list, graph, id or type containers."""
    if not isinstance(context, dict) or not isinstance(context.get("@context"), dict):
        return False
    for key, definition in context["@context"].items():
        if key.startswith("@"):
            if key not in _CONTEXT_KEYWORDS:
                return False
            continue
        if isinstance(definition, str):
            if definition.startswith("@") and definition not in ("@id", "@type"):
                return False
            continue
        if not isinstance(definition, dict) or not definition.keys() <= _DEFINITION_KEYS:
            return False
        if not isinstance(definition.get("@id"), str) or definition["@id"].startswith("@"):
            return False
        coercion = definition.get("@type")
        if coercion is not None and (not isinstance(coercion, str) or coercion.startswith("@") and coercion != "@id"):
            return False
        container = definition.get("@container")
        if isinstance(container, list):
            container = tuple(container) if len(container) > 1 else container[0] if container else None
        if container not in _CONTAINERS:
            return False
    return True


def readable_keys(keys) -> list[str]:
    """``serialize._readable_order``'s key order: ``@context``, ``id``, ``@id``, ``@value``, ``type``, ``@type``,
    ``@language``, then the rest in code-point order."""
    first = [k for k in _READABLE_FIRST if k in keys]
    if not first:
        return sorted(keys)
    return first + sorted(k for k in keys if k not in _READABLE_FIRST)


class _Plan:
    """How one (property, value signature) is written: under which key, in what container, and how the value."""

    __slots__ = ("term", "as_set", "language_map", "mode", "template", "slot")

    def __init__(self, term: str, as_set: bool, language_map: bool, mode: str, template: tuple = (), slot: str = ""):
        self.term = term
        self.as_set = as_set  # always an array (an @set container)
        self.language_map = language_map  # a @language container: the value goes under its language tag
        self.mode = mode  # "bare": the @value itself; "object": a value object; "iri": the compacted IRI;
        # "reference": {"id": compacted IRI}
        self.template = template  # for "object": the value object's other (key, value) pairs, in readable order
        self.slot = slot  # for "object": the key of the @value; for "reference": the key of the IRI

    def make(self, value: Any) -> dict[str, Any]:
        """The value object for the @value ``value`` ("object" mode)."""
        slot = self.slot
        return {k: value if k == slot else t for k, t in self.template}


class Compactor:
    """Compacts node descriptions against one context, as pyld's compaction of the whole document does.

    Use :func:`supports` first: a context with other features gives wrong output here, not an error.
    """

    def __init__(self, context: dict[str, Any], options: dict[str, Any]):
        import pyld.jsonld as pyld_module

        self._processor = jsonld.JsonLdProcessor()
        opts = {**options, "processingMode": "json-ld-1.1", "base": ""}
        opts.setdefault("contextResolver",
                        pyld_module.ContextResolver(pyld_module._resolved_context_cache, opts["documentLoader"]))
        self._options = opts
        self._active = self._processor.process_context(self._processor._get_initial_context(opts), context, opts)
        mappings = self._active["mappings"]
        self._term_iris = {d["@id"] for d in mappings.values() if d and d.get("@id")}
        # An IRI that none of these starts is one pyld leaves as it is (no term, no prefix, no @vocab or @base).
        self._starts = tuple(self._term_iris | {t + ":" for t, d in mappings.items() if d and d.get("_prefix")}
                             | {"@"})
        self.id_key = self._processor._compact_iri(self._active, "@id")
        self.type_key = self._processor._compact_iri(self._active, "@type")
        self.none_key = self._processor._compact_iri(self._active, "@none")
        self.graph_key = self._processor._compact_iri(self._active, "@graph")
        self.types_as_set = "@set" in self._container(self.type_key)
        self._iris: dict[str, str] = {}
        self._vocab_iris: dict[str, str] = {}
        self._plans: dict[tuple, _Plan] = {}

    def _container(self, term: str | None) -> list:
        return jsonld.JsonLdProcessor.arrayify(jsonld.JsonLdProcessor.get_context_value(self._active, term,
                                                                                        "@container"))

    def iri(self, iri: str) -> str:
        """A node's @id or an IRI value, compacted as pyld does (not against the vocabulary)."""
        found = self._iris.get(iri)
        if found is None:
            if iri.startswith(self._starts):
                found = self._processor._compact_iri(self._active, iri, vocab=False, base="")
            else:
                found = iri
            self._iris[iri] = found
        return found

    def vocab_iri(self, iri: str) -> str:
        """A type (or an IRI under a @type: @vocab term), compacted against the vocabulary: a term if one is it."""
        found = self._vocab_iris.get(iri)
        if found is None:
            found = self._vocab_iris[iri] = self._processor._compact_iri(self._active, iri, vocab=True)
        return found

    def types(self, types: list[str]) -> str | list[str]:
        compacted = [self.vocab_iri(t) for t in types]
        return compacted if len(compacted) > 1 or self.types_as_set else compacted[0]

    def plan(self, prop: str, value: dict[str, Any]) -> _Plan:
        """The plan for ``value`` (an expanded value object or node reference) of property ``prop``."""
        if "@id" in value:
            # Term selection looks at the IRI only to choose between preferring terms coerced to @vocab and those
            # coerced to @id (JSON-LD 1.1, IRI compaction); without @vocab coercions (supports()) every IRI
            # selects alike.
            key = (prop, "@id")
        else:
            key = (prop, value.get("@language"), value.get("@type"), type(value["@value"]))
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = self._make_plan(prop, value)
        return found

    def _make_plan(self, prop: str, value: dict[str, Any]) -> _Plan:
        processor, active = self._processor, self._active
        if "@id" in value:
            sample = {"@id": _SAMPLE_IRI}
        else:
            sample = dict(value)
            sample["@value"] = _sentinel(type(value["@value"]))
        term = processor._compact_iri(active, prop, sample, vocab=True)
        container = self._container(term)
        as_set = "@set" in container
        language_map = "@language" in container
        compacted = processor._compact_value(active, term, sample, self._options)
        if "@id" in sample:
            if isinstance(compacted, str):
                return _Plan(term, as_set, language_map, "iri")
            (slot,) = compacted
            return _Plan(term, as_set, language_map, "reference", (), slot)
        if language_map and isinstance(compacted, dict) and "@value" in compacted:
            compacted = compacted["@value"]  # pyld's language maps hold the bare value
        if not isinstance(compacted, dict):
            return _Plan(term, as_set, language_map, "bare")
        slot = next(k for k, v in compacted.items() if v is sample["@value"])
        template = tuple((k, compacted[k]) for k in readable_keys(compacted))
        return _Plan(term, as_set, language_map, "object", template, slot)


class _Sentinel(str):
    """A @value pyld passes through untouched, so the compacted sample shows where the value goes."""


def _sentinel(kind: type) -> Any:
    if issubclass(kind, bool):
        return True
    if issubclass(kind, int):
        return 2 ** 70 + 1
    if issubclass(kind, float):
        return 1.5e300
    return _Sentinel("january20-sample")


def add(properties: dict[str, Any], plan: _Plan, language: str | None, item: Any) -> None:
    """Add a compacted ``item`` under ``plan``'s term as pyld's ``add_value`` does: a single value until a second
    comes, an array from the start in a @set container; in a language map, under ``language``."""
    target, key = properties, plan.term
    if plan.language_map:
        target = properties.get(key)
        if target is None:
            target = properties[key] = {}
        key = language
    existing = target.get(key, _MISSING)
    if existing is _MISSING:
        target[key] = [item] if plan.as_set else item
    elif type(existing) is list:
        existing.append(item)
    else:
        target[key] = [existing, item]


_MISSING = object()


def sort_key(value: dict[str, Any]) -> tuple:
    """The order ``serialize.expanded`` gives the values of one property."""
    return (value.get("@id", ""), str(value.get("@value", "")), value.get("@language", ""), value.get("@type", ""))


class _Predicate:
    """What is remembered of one predicate: its IRI as text, the plan for its IRI values, and the plan for each
    kind of literal met (by language, datatype and the JSON type of its value)."""

    __slots__ = ("prop", "iri_plan", "literal_plans")

    def __init__(self, prop: str, iri_plan: _Plan):
        self.prop = prop
        self.iri_plan = iri_plan
        self.literal_plans: dict[Any, _Plan] = {}


# Datatypes whose literals serialize._json_value turns into JSON numbers or booleans: it is asked for those.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_CONVERTED = {_XSD + t for t in ("integer", "boolean", "nonNegativeInteger", "positiveInteger", "int", "long")}


class Terms:
    """Compaction straight from rdflib terms: :class:`Compactor`'s plans, looked up per predicate, per IRI and per
    kind of literal, without making the expanded value objects first."""

    def __init__(self, compactor: Compactor):
        from rdflib.namespace import RDF

        self.compactor = compactor
        self._json_value = _json_value  # a literal as serialize.expanded() writes it
        self._predicates: dict[URIRef, _Predicate | None] = {RDF.type: None}
        self._iris: dict[URIRef, str] = {}
        self._none_key = compactor.none_key

    def predicate(self, p: URIRef) -> _Predicate | None:
        """The predicate's record, None for rdf:type (the node's types)."""
        try:
            return self._predicates[p]
        except KeyError:
            if not isinstance(p, URIRef):
                raise ValueError(f"blank node in output: predicate {p!r}") from None
            prop = str(p)
            found = self._predicates[p] = _Predicate(prop, self.compactor.plan(prop, {"@id": _SAMPLE_IRI}))
            return found

    def iri(self, node: URIRef) -> str:
        found = self._iris.get(node)
        if found is None:
            if not isinstance(node, URIRef):
                raise ValueError(f"blank node in output: {node!r}")
            found = self._iris[node] = self.compactor.iri(str(node))
        return found

    def item(self, predicate: _Predicate, o) -> tuple[_Plan, Any, str | None]:
        """How ``o`` is written as a value of ``predicate``: its plan, the compacted value and its language-map key
        (None outside a language map)."""
        kind = type(o)
        if kind is URIRef:
            plan = predicate.iri_plan
            if plan.mode == "iri":
                return plan, self.iri(o), None
            return plan, {plan.slot: self.iri(o)}, None
        if kind is not Literal:
            if isinstance(o, URIRef):
                return self.item(predicate, URIRef(str(o)))
            if not isinstance(o, Literal):
                raise ValueError(f"blank node in output: {o!r}")
        language = o._language
        datatype = o._datatype
        if language:
            value, key = str(o), language
        elif datatype is None:
            value, key = str(o), None
        else:
            datatype = str(datatype)
            if datatype in _CONVERTED:
                converted = self._json_value(o)
                value = converted["@value"]
                key = (converted.get("@type"), type(value))
            elif datatype == _XSD + "string":
                value, key = str(o), None
            else:
                value, key = str(o), (datatype, str)
        plan = predicate.literal_plans.get(key)
        if plan is None:
            plan = predicate.literal_plans[key] = self.compactor.plan(predicate.prop,
                                                                      self._json_value(o))
        if plan.language_map:
            return plan, (value if plan.mode == "bare" else plan.make(value)), language or self._none_key
        return plan, (value if plan.mode == "bare" else plan.make(value)), None

    def sort_key(self, o) -> tuple:
        """The order ``serialize.expanded`` gives ``o`` among the values of one property."""
        if type(o) is URIRef:
            return (str(o), "", "", "")
        return sort_key(self._json_value(o))


def node_json(node: dict[str, Any], newline: str) -> str:
    """``node`` as ``serialize.indented_json`` writes it at the depth where lines start with ``newline``."""
    out: list[str] = []
    try:
        _write_json(node, "  ", newline, out)
    except TypeError:  # a value json.dumps writes its own way (a str subclass, NaN)
        return json.dumps(node, indent=2, ensure_ascii=False).replace("\n", newline)
    return "".join(out)


class Node:
    """A compacted node, written as text when its depth is known (:meth:`text`): its properties (with its ``id``
    and ``type``) and which of them are language maps. Values may hold other nodes (embedded by framing)."""

    __slots__ = ("properties", "language_maps")

    def __init__(self, compactor: Compactor, node_id: str, types: list[str], properties: dict[str, Any],
                 language_maps: set[str]):
        properties[compactor.id_key] = node_id
        if types:
            properties[compactor.type_key] = compactor.types(types)
        self.properties = properties
        self.language_maps = language_maps

    def as_dict(self) -> dict[str, Any]:
        """The node as ``serialize._readable_order`` orders pyld's: nested nodes as dicts too."""
        properties, language_maps = self.properties, self.language_maps
        out = {}
        for key in readable_keys(properties):
            value = properties[key]
            if key in language_maps:
                value = {k: value[k] for k in readable_keys(value)}
            elif type(value) is Node:
                value = value.as_dict()
            elif type(value) is list:
                value = [v.as_dict() if type(v) is Node else v for v in value]
            out[key] = value
        return out

    def text(self, newline: str) -> str:
        """``node_json(self.as_dict(), newline)``, faster: strings, arrays of strings, one-entry language maps
        and nested nodes are written here directly, other values by ``serialize._write_json``."""
        properties, language_maps = self.properties, self.language_maps
        inner = newline + "  "
        deeper = inner + "  "
        between = "," + deeper
        separator = "{" + inner
        out: list[str] = []
        try:
            for key in readable_keys(properties):
                value = properties[key]
                kind = type(value)
                if kind is str:
                    out.append(f"{separator}{_json_string(key)}: {_json_string(value)}")
                elif kind is list:
                    try:
                        text = between.join(map(_json_string, value))
                    except TypeError:  # not all strings
                        out.append(f"{separator}{_json_string(key)}: [")
                        before = deeper
                        for item in value:
                            if type(item) is Node:
                                out.append(before + item.text(deeper))
                            else:
                                out.append(before)
                                _write_json(item, "  ", deeper, out)
                            before = between
                        out.append(inner + "]")
                    else:
                        out.append(f"{separator}{_json_string(key)}: [{deeper}{text}{inner}]")
                elif kind is Node:
                    out.append(f"{separator}{_json_string(key)}: {value.text(inner)}")
                elif kind is dict and len(value) == 1 and type(value.get(next(iter(value)))) is str:
                    # a language map with one value, a reference: one line each
                    ((entry, text),) = value.items()
                    out.append(f"{separator}{_json_string(key)}: {{{deeper}{_json_string(entry)}: "
                               f"{_json_string(text)}{inner}}}")
                else:
                    if key in language_maps and len(value) > 1:
                        value = {k: value[k] for k in readable_keys(value)}
                    out.append(f"{separator}{_json_string(key)}: ")
                    _write_json(value, "  ", inner, out)
                separator = "," + inner
        except TypeError:  # a value json.dumps writes its own way (a str subclass, NaN)
            return node_json(self.as_dict(), newline)
        out.append(newline + "}")
        return "".join(out)


_SAMPLE_IRI = "urn:x-january20:sample"


def compact_graph(graph, context: dict[str, Any], options: dict[str, Any]) -> bytes:
    """``graph`` (an iterable of triples without blank nodes, or :class:`~january20.graph.triples.Triples`) compacted
    against ``context`` and laid out as ``serialize.jsonld_bytes`` lays out pyld's compaction of
    ``serialize.expanded(graph)``. The context must pass :func:`supports`."""
    compactor = Compactor(context, options)
    terms = Terms(compactor)
    by_subject = (graph if isinstance(graph, Triples) else Triples(graph)).by_subject()
    subjects = sorted(by_subject, key=str)
    nodes_text: list[bytes] = []  # as UTF-8 at once: a str holding one curly quote takes two bytes a character
    nodes: list[dict] = []
    predicate_of, item_of, iri_of = terms.predicate, terms.item, terms.iri
    for s in subjects:
        groups: dict = {}
        for p, o in by_subject[s]:
            objects = groups.get(p)
            if objects is None:
                groups[p] = [o]
            else:
                objects.append(o)
        properties: dict[str, Any] = {}
        language_maps: set[str] = set()
        types: list[str] = []
        for p, objects in groups.items():
            predicate = predicate_of(p)
            if predicate is None:
                types = sorted(str(o) for o in objects)
                continue
            if len(objects) > 1:
                objects.sort(key=terms.sort_key)
            for o in objects:
                plan, item, language = item_of(predicate, o)
                if language is not None:
                    language_maps.add(plan.term)
                add(properties, plan, language, item)
        node = Node(compactor, iri_of(s), types, properties, language_maps)
        if len(subjects) < 2:
            nodes.append(node.as_dict())
            continue
        nodes_text.append(node.text("\n    ").encode("utf-8"))
    inline = context["@context"]
    if len(subjects) < 2:
        return jsonld_bytes({"@context": inline, **(nodes[0] if nodes else {})})
    head = jsonld_bytes({"@context": inline}).decode("utf-8")[:-3]  # all but the closing "\n}\n"
    nodes_text[0] = f"{head},\n  {json.dumps(compactor.graph_key)}: [\n    ".encode("utf-8") + nodes_text[0]
    nodes_text[-1] += b"\n  ]\n}\n"
    return b",\n    ".join(nodes_text)  # one copy of the document: it is hundreds of megabytes at 1000 sources
