"""Each resource's description as compacted JSON-LD, for its page's <script> element and its .jsonld copy.

The project's context is 10 kB; inlining all of it into hundreds of pages would make the site mostly context. So
each document is compacted with the whole context and then carries only the term definitions it uses (and the
prefixes those depend on): the same terms with the same meaning, so it expands to the same triples, offline.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from pyld import jsonld

from january20.rdf.json_text import indented_json

from january20.rdf.jsonld import OPTIONS, _RememberingProcessor, _refuse_remote, expanded


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def prune_context(context: Any, document: Any) -> Any:
    """The part of ``context`` (a context object: the value of "@context") that ``document`` needs.

    Keeps every keyword entry (@version, @vocab, ...), every term that appears as a key or a string value in the
    document, every prefix of a compact IRI that appears, and, transitively, whatever those definitions name.
    A context that is not a single object is returned whole.
    """
    if not isinstance(context, dict):
        return context
    keep = {key for key in context if key.startswith("@")}
    todo = list(_strings(document))
    while todo:
        text = todo.pop()
        for candidate in (text, text.split(":", 1)[0] if ":" in text else None):
            if candidate in context and candidate not in keep:
                keep.add(candidate)
                todo.extend(_strings(context[candidate]))
    return {key: value for key, value in context.items() if key in keep}


class _Pruner:
    """:func:`prune_context` for many documents with one context: what each term needs is worked out once.

    Which terms a document keeps is the union, over the strings in it, of the terms reachable from that string (the
    string itself and its prefix, when they are terms, and what their definitions name in turn); the keyword
    entries are always kept and never followed, as there. So the set reachable from each term is computed once,
    and a document costs one walk over its strings.
    """

    def __init__(self, context: dict):
        self.context = context
        self.order = {key: i for i, key in enumerate(context)}
        self.keywords = {key for key in context if key.startswith("@")}
        self._closures: dict[str, frozenset[str]] = {}

    def _closure(self, term: str) -> frozenset[str]:
        found = self._closures.get(term)
        if found is None:
            reached: set[str] = set()
            todo = [term]
            while todo:
                text = todo.pop()
                for candidate in (text, text.split(":", 1)[0] if ":" in text else None):
                    if candidate in self.context and candidate not in self.keywords and candidate not in reached:
                        reached.add(candidate)
                        todo.extend(_strings(self.context[candidate]))
            found = self._closures[term] = frozenset(reached)
        return found

    def __call__(self, document: Any) -> dict:
        context, keep = self.context, set(self.keywords)
        for text in _string_set(document):
            if text in context:
                keep |= self._closure(text)
            if ":" in text:
                prefix = text.split(":", 1)[0]
                if prefix in context:
                    keep |= self._closure(prefix)
        return {key: context[key] for key in sorted(keep, key=self.order.__getitem__)}


def _string_set(value: Any) -> set[str]:
    """Every key and string value in a JSON value (what :func:`_strings` yields), as a set."""
    out: set[str] = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, dict):
            out.update(item)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return out


def describe_all(triples: Iterable[tuple], context: dict) -> dict[str, dict]:
    """Each subject's description (``triples`` are every page's triples) compacted with the project's context and
    carrying the pruned context, keyed by the subject's IRI: what :func:`pyld_describe` gives for each on its own.

    pyld works out the active context from the context document on every call (resolving it, canonicalising all
    10 kB of it to key its cache); called per page, that was half the site's time. Here every subject is compacted
    in one call: the context is processed once, and the nodes of a flat expanded document are compacted one by one
    with that same active context, so each comes out as it would alone. The input is already expanded JSON-LD, so
    pyld's expansion is skipped, and IRI compaction is remembered (both as the whole-graph JSON-LD writer does).
    """
    nodes = expanded(triples)  # one flat node object per subject, in IRI order
    if not nodes:
        return {}
    compacted = _RememberingProcessor().compact(nodes, context, options={**OPTIONS, "skipExpansion": True})
    body = {key: value for key, value in compacted.items() if key != "@context"}
    if len(nodes) == 1:
        bodies = [body]
    else:
        (graph_key,) = body  # the document is {"@graph": [every node]}, however @graph is aliased
        bodies = body[graph_key]
    if len(bodies) != len(nodes):
        raise ValueError(f"compacting {len(nodes)} nodes gave {len(bodies)}")
    inner = context.get("@context", {})
    prune = _Pruner(inner) if isinstance(inner, dict) else lambda document: inner
    return {node["@id"]: {"@context": prune(one), **one} for node, one in zip(nodes, bodies)}


def pyld_describe(triples: Iterable[tuple], context: dict) -> dict:
    """One subject's description compacted by pyld on its own, carrying the pruned context: the reference that
    :func:`describe_all` reproduces (``tests/test_site_fast_paths.py``), and what the site once did per page."""
    compacted = jsonld.compact(expanded(triples), context, options={"documentLoader": _refuse_remote})
    body = {key: value for key, value in compacted.items() if key != "@context"}
    return {"@context": prune_context(context.get("@context", {}), body), **body}


def to_bytes(document: dict) -> bytes:
    """The .jsonld file: ``json.dumps(document, indent=2, ensure_ascii=False)`` and a newline."""
    return (dumps(document, "  ") + "\n").encode("utf-8")


def in_script(document: dict) -> str:
    """JSON for a <script> element: every '<' written as the escape \\u003c (the same JSON), so no string in it can
    close the element or open a comment."""
    return dumps(document, " ").replace("<", "\\u003c")


def dumps(value: Any, indent: str) -> str:
    """Exactly ``json.dumps(value, indent=len(indent), ensure_ascii=False)``, in about half the time (twice per
    page, json.dumps was a fifth of the site's time): the serialisations' own writer."""
    return indented_json(value, len(indent))
