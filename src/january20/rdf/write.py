"""Write the dataset as Turtle, sorted N-Triples and TriG: the same bytes on every run.

Determinism comes from sorting here, not from the libraries' iteration order.
"""

from __future__ import annotations

import functools
import gc
import re
from collections import Counter
from itertools import chain, islice
from operator import itemgetter
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, split_uri
from rdflib.term import _is_valid_uri

from january20.names import PREFIXES
from january20.graph.triples import Triple, Triples

def _collector_paused(write):
    """Run ``write`` with the cycle collector paused (and left as it was found).

    The writers make a dict and a list or two for every subject and a string for every line, none of them in a
    cycle; the collector, run every few hundred new objects, would walk them again and again (a quarter of the
    Turtle and TriG writers' time for 100 sources).
    """
    @functools.wraps(write)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return write(*args, **kwargs)
        gc.disable()
        try:
            return write(*args, **kwargs)
        finally:
            gc.enable()
    return paused


def _bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def _no_blank_nodes(graph: Iterable[Triple]) -> None:
    """Raise ValueError if a triple holds a blank node, known from the types of its terms (:func:`_term_kinds`)."""
    if any(issubclass(kind, BNode) for kind in _term_kinds(graph)):
        for s, p, o in graph:
            if isinstance(s, BNode) or isinstance(o, BNode) or isinstance(p, BNode):
                raise ValueError(f"blank node in output: {(s, p, o)}")


def _term_kinds(graph: Iterable[Triple]) -> set[type]:
    """The types of the graph's terms, found in one pass made in C; remembered on a Triples (the build writes the
    same triples in several formats, each of which asks)."""
    if isinstance(graph, Triples):
        return graph.derived("term kinds", _kinds)
    return _kinds(graph)


def _kinds(graph: Iterable[Triple]) -> set[type]:
    return set(map(type, chain.from_iterable(graph)))


def rdflib_turtle(graph: Graph) -> bytes:
    """Turtle as rdflib's writer makes it, with our prefixes: the reference that :func:`to_turtle` reproduces."""
    _no_blank_nodes(graph)
    g = _bind(Graph())
    g += graph
    return g.serialize(format="turtle", encoding="utf-8")


class _Fallback(Exception):
    """The graph uses something the fast writer does not reproduce; rdflib's writer is used instead."""


@_collector_paused
def to_turtle(graph: Graph, _names: "_PrefixedNames | None" = None) -> bytes:
    """The graph as Turtle, byte for byte what rdflib's Turtle writer makes with our prefixes, in a tenth of the time.

    rdflib's writer spends most of its time re-querying the store for every subject and re-deriving every prefixed
    name; this writer groups the triples once and works out each distinct term's text once (rdflib's own
    ``_literal_n3`` for a literal), and lays out the text exactly as rdflib does: prefixes in order, then
    subjects ordered by how often they are referred to and then by IRI (members of rdfs:Class first), rdf:type
    (written ``a``) and rdfs:label before the other predicates in IRI order, objects in rdflib's term order. Blank
    nodes never reach here (no output has them); a predicate outside our prefixes or rdf:nil, which rdflib would
    treat specially, makes it fall back to rdflib's writer. ``_names`` (a :class:`_PrefixedNames`) may be shared by
    the writers of one build: the terms' texts are then worked out once for all of them.
    ``tests/test_outputs_unchanged_by_fast_writers.py`` checks the bytes against rdflib's on the seed and on
    synthetic corpora.
    """
    _no_blank_nodes(graph)
    try:
        return _fast_turtle(graph, _names)
    except _Fallback:
        return rdflib_turtle(graph)


_XMLNS = "http://www.w3.org/XML/1998/namespace"
# The ASCII characters rdflib's split_uri lets a local name hold (letters, digits and its ALLOWED_NAME_CHARS)...
_ASCII_NAME = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._%()"
# ... and those of them a local name cannot start with (it starts at a letter, a digit or "_").
_NOT_FIRST = "-.%()"


def _split_uri(uri: str) -> tuple[str, str]:
    """rdflib's ``split_uri``, without its walk over the IRI character by character where the answer is plain.

    rdflib walks back from the end over name characters to the first other one, then forward from there to the
    first letter, digit or "_": that is where the local name starts. Where the IRI ends in ASCII name characters
    after an ASCII character that is none (``/``, ``#``, ``:``...), the same split is found by two C-level strips;
    anything else (a non-ASCII character there, the XML namespace, nothing to split) is left to rdflib.
    """
    end = len(uri.rstrip(_ASCII_NAME))
    if end and uri[end - 1] < "\x80" and not uri.startswith(_XMLNS):
        local = uri[end:].lstrip(_NOT_FIRST)
        if local:
            return uri[: len(uri) - len(local)], local
    return split_uri(uri)


class _PrefixedNames:
    """rdflib's prefixed name for an IRI (``TurtleSerializer.get_pname``), worked out without its namespace trie,
    and each term's text as rdflib's Turtle writer writes it, remembered for every graph written with this object.

    rdflib splits an IRI where its local name starts (its own ``split_uri``), then looks, in a trie of every
    namespace it has met so far, for a longer one that still starts the IRI; building that trie costs time that
    grows with the number of distinct namespaces met, so a build of many sources slows down more than linearly.
    Only namespaces bound to a prefix can change the answer (a namespace met by splitting another IRI ends where
    that IRI's local name starts, so it cannot end inside this IRI's local name), so the bound ones are searched
    directly. The answers are remembered, and which prefixes were used is recorded: those are the ones declared.
    """

    def __init__(self, bound: Graph):
        prefix_of = bound.namespace_manager.store.prefix
        self._bound = tuple(sorted((str(ns) for _, ns in bound.namespaces()), key=len, reverse=True))
        self._prefixes = {ns: prefix_of(URIRef(ns)) for ns in self._bound}  # what the store answers, as a dict
        self._names: dict[str, tuple[str, str, str] | None] = {}
        self._texts: dict[str, tuple[str, str | None, str]] = {}  # IRI -> (text, its prefix or None, namespace)
        self.used: dict[str, str] = {}
        self.literals: dict[Literal, str] = {}  # each literal as written: shared by the graphs of one TriG

    def _compute(self, uri: str) -> tuple[str, str, str] | None:
        uri = str(uri)  # a URIRef equals no str, and its methods are rdflib's: work on its text
        try:
            namespace, local = _split_uri(uri)
        except ValueError:
            prefix = self._prefixes.get(uri)
            return (prefix, uri, "") if prefix is not None else None
        if uri.startswith(self._bound):
            for ns in self._bound:  # longest first; one that starts the IRI and is longer starts with namespace
                if len(ns) > len(namespace) and uri.startswith(ns):
                    namespace, local = ns, uri[len(ns):]
                    break
        prefix = self._prefixes.get(namespace)
        if prefix is None:
            return None
        local = _PERCENT.sub("\\\\%", local.replace("(", "\\(").replace(")", "\\)"))
        if local.endswith("."):
            return None
        return prefix, namespace, local

    def __call__(self, uri: str) -> str | None:
        if uri not in self._names:
            self._names[uri] = self._compute(uri)
        found = self._names[uri]
        if found is None:
            return None
        prefix, namespace, local = found
        self.used[prefix] = str(namespace)  # a namespace IRI itself comes back as a URIRef, which equals no str
        return f"{prefix}:{local}"

    def text(self, iri: str) -> str:
        """The IRI (its text) as a subject or object: its prefixed name, or ``<...>`` where it has none."""
        found = self._texts.get(iri)
        if found is None:
            name = self(iri)
            if name is None:
                n3 = f"<{iri}>" if _is_valid_uri(iri) else URIRef(iri).n3()  # n3() raises rdflib's error
                found = self._texts[iri] = (n3, None, "")
            else:
                prefix = name.split(":", 1)[0]
                found = self._texts[iri] = (name, prefix, self.used[prefix])
        elif found[1] is not None:
            self.used[found[1]] = found[2]
        return found[0]


_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TYPE, _LABEL, _CLASS, _NIL = RDF.type, RDFS.label, RDFS.Class, RDF.nil  # rdflib makes a new term on every RDF.x
_NEXT_VERB, _NEXT_OBJECT = " ;\n    ", ",\n        "


def _fast_turtle(graph: Graph, pnames: _PrefixedNames | None = None) -> bytes:
    layout = _TurtleLayout.of(graph, pnames or _PrefixedNames(_bind(Graph())))
    return _turtle_text(layout.declared, layout.blocks())


def _turtle_text(declared: dict[str, str], blocks: list[str]) -> bytes:
    head = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(declared.items()))
    pieces = [head, "\n", *_between(blocks, "\n\n"), "\n\n"] if blocks else [head, "\n"]
    return "".join(pieces).encode("utf-8", "replace")


def _between(items: list[str], separator: str) -> list[str]:
    """The items with the separator between each two, for one join of the whole text: each partial join would be
    another copy of it (for a thousand sources, hundreds of megabytes each)."""
    if not items:
        return []
    mixed = [separator] * (2 * len(items) - 1)
    mixed[::2] = items
    return mixed


class _TurtleLayout:
    """One graph as rdflib's Turtle writer lays it out: which prefixes it declares, and each subject's statements
    (``subject verb objects ; verb objects .``) in its order. Raises _Fallback where rdflib's writer would do
    something this one does not reproduce (blank nodes never reach here).

    ``subjects`` maps each subject to its predicates, each to its objects; ``references`` counts the triples each
    IRI is the object of; ``text`` holds each IRI's Turtle text, ``literals`` each literal's (by ``id``: a literal
    hashes and compares in Python, and every object of the graph is a distinct one), ``verbs`` each predicate's.
    ``premade`` holds statements already written (a union's, by its graphs), ``made`` those :meth:`blocks` wrote.
    """

    def __init__(self, subjects: dict, references: Counter, text: dict, literals: dict[int, str],
                 verbs: dict, declared: dict[str, str]):
        self.subjects, self.references, self.text, self.literals = subjects, references, text, literals
        self.verbs, self.declared = verbs, declared
        self.premade: dict = {}
        self.made: dict = {}

    @classmethod
    def of(cls, graph: Iterable[Triple], pname: _PrefixedNames) -> _TurtleLayout:
        subjects: dict = {}
        last = props = None
        for s, p, o in graph:
            if s is not last:  # a graph's triples come subject by subject, mostly: one look-up per subject
                last = s
                props = subjects.get(s)
                if props is None:
                    props = subjects[s] = {}
            objects = props.get(p)
            if objects is None:
                props[p] = [o]
            else:
                objects.append(o)
        references = Counter(o for _, _, o in graph if type(o) is not Literal)
        found = {id(o): o for _, _, o in graph if type(o) is Literal}
        if _NIL in subjects or _NIL in references:
            raise _Fallback

        # Each distinct term's text, once. Which prefixes rdflib declares: those of every IRI it writes as a prefixed
        # name (a predicate outside them would make it mint a new prefix, which we refuse), and of every literal's
        # datatype, even one written plain.
        pname.used = {}
        iri_text, written = pname.text, pname.literals
        literals: dict[int, str] = {}
        datatypes: set = set()
        for key, o in found.items():
            quoted = written.get(o)
            if quoted is None:
                quoted = written[o] = o._literal_n3(use_plain=True, qname_callback=pname)
            if o.datatype is not None:
                datatypes.add(o.datatype)
            literals[key] = quoted
        text: dict = {}
        for node in chain(references, subjects, datatypes):
            if node not in text:
                if type(node) is not URIRef:
                    raise _Fallback  # a literal subject, a subclass of a term: rdflib's writer knows what to do
                text[node] = iri_text(node)
        verbs: dict = {}
        for p in set().union(*subjects.values()):
            name = "a" if p == _TYPE else pname(p)
            if name is None or type(p) is not URIRef:
                raise _Fallback
            verbs[p] = name + " "
        known = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        if any(known.get(prefix) != ns for prefix, ns in pname.used.items()):
            raise _Fallback
        return cls(subjects, references, text, literals, verbs, dict(pname.used))

    @classmethod
    def union(cls, parts: list[_TurtleLayout]) -> _TurtleLayout:
        """The layout of the union of the graphs laid out in ``parts`` (by :meth:`blocks`), made from theirs: a
        subject in one graph only has the same statements in the union, already written; one in several has theirs
        merged, a triple in two graphs once."""
        subjects: dict = {}
        references: Counter = Counter()
        text: dict = {}
        literals: dict[int, str] = {}
        verbs: dict = {}
        declared: dict[str, str] = {}
        premade: dict = {}
        shared: set = set()
        for part in parts:
            references.update(part.references)
            text.update(part.text)
            literals.update(part.literals)
            verbs.update(part.verbs)
            declared.update(part.declared)
            premade.update(part.made)
            for s, props in part.subjects.items():
                if s in subjects:
                    shared.add(s)
                else:
                    subjects[s] = props
        for s in shared:
            merged: dict = {}
            for part in parts:
                for p, objects in part.subjects.get(s, {}).items():
                    into = merged.setdefault(p, [])
                    for o in objects:
                        if o in into:  # the same triple in two graphs: the union holds it once
                            if type(o) is not Literal:
                                references[o] -= 1
                        else:
                            into.append(o)
            subjects[s] = merged
            del premade[s]
        union = cls(subjects, references, text, literals, verbs, declared)
        union.premade = premade
        return union

    def order(self) -> list:
        # IRIs order as their text (rdflib's rule for two terms of one type), so they are sorted by it: str's
        # comparison is C, rdflib's is Python. Members of rdfs:Class first, then by how often each is referred to.
        subjects, references = self.subjects, self.references
        top = sorted((s for s, props in subjects.items() if _CLASS in props.get(_TYPE, ())), key=str)
        top_set = set(top)
        rest = sorted((s for s in subjects if s not in top_set), key=lambda s: (references[s], str(s)))
        return top + rest

    def blocks(self) -> list[str]:
        """Every subject's statements, in order. Each is remembered in ``made`` for a union to reuse."""
        subjects, text, literals, verbs, premade = self.subjects, self.text, self.literals, self.verbs, self.premade
        verbs_in_order = [p for p in (_TYPE, _LABEL) if p in verbs] + sorted(
            (p for p in verbs if p != _TYPE and p != _LABEL), key=str)
        rank = {p: i for i, p in enumerate(verbs_in_order)}.__getitem__
        order = self.order()
        blocks = []
        for s in order:
            block = premade.get(s)
            if block is None:
                props = subjects[s]
                statements = []
                for p in (sorted(props, key=rank) if len(props) > 1 else props):
                    objects = props[p]
                    if len(objects) == 1:
                        o = objects[0]
                        statements.append(verbs[p] + (literals[id(o)] if type(o) is Literal else text[o]))
                    else:
                        statements.append(verbs[p] + _NEXT_OBJECT.join(
                            [literals[id(o)] if type(o) is Literal else text[o] for o in _sorted_terms(objects)]))
                block = f"{text[s]} {_NEXT_VERB.join(statements)} ."
            blocks.append(block)
        self.made = dict(zip(order, blocks))
        return blocks


def _sorted_terms(terms: list) -> list:
    if all(type(t) is URIRef for t in terms):
        return sorted(terms, key=str)
    return sorted(terms)


@_collector_paused
def to_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples, each line as rdflib's N-Triples writer makes it (its own literal quoting), sorted.

    An IRI is written ``<iri>`` as rdflib does, once it is known to hold none of the characters rdflib refuses
    (checked for all of them at once); each distinct literal is quoted once by rdflib's own ``_quoteLiteral``.
    """
    from rdflib.plugins.serializers.nt import _quoteLiteral

    _no_blank_nodes(graph)
    if _term_kinds(graph) - {URIRef, Literal} or not _valid_iris(graph):
        return _ntriples_term_by_term(graph)  # rdflib's n3() says what is wrong with an IRI
    quoted: dict[tuple, str] = {}
    literals: dict[int, str] = {}  # by id: a literal hashes and compares in Python, each copy of it in turn
    breaking: set[int] = set()  # literals whose text holds a character str.splitlines breaks at (U+2028, U+0085...)
    for o in {id(o): o for _, _, o in graph if type(o) is Literal}.values():
        key = (str(o), o.language, o.datatype)
        text = quoted.get(key)
        if text is None:
            text = quoted[key] = _quoteLiteral(o)
        literals[id(o)] = text
        if len(text.splitlines()) != 1:
            breaking.add(id(o))
    if not breaking:
        lines = [(f"<{s}> <{p}> {literals[id(o)]} ." if type(o) is Literal else f"<{s}> <{p}> <{o}> .").encode()
                 for s, p, o in graph]
    else:
        lines = [line.encode() for line in _split_as_rdflib(
            graph, [f"<{s}> <{p}> {literals[id(o)]} ." if type(o) is Literal else f"<{s}> <{p}> <{o}> ."
                    for s, p, o in graph], lambda o: type(o) is Literal and id(o) in breaking)]
    return _sorted_lines(lines)


def _sorted_lines(lines: list[bytes]) -> bytes:
    """The lines, each UTF-8, sorted and joined, each ended by a newline. UTF-8 orders as the characters do, so
    this is the text's lines sorted; held as bytes, the lines and their join take a third less memory than as str
    (less than half where a line holds a character beyond Latin-1), and no encoded copy of the whole is made."""
    lines.sort()
    lines.append(b"")
    return b"\n".join(lines)


def _valid_iris(graph: Iterable[Triple]) -> bool:
    """Whether no IRI holds a character rdflib's ``n3()`` refuses, checked on a few thousand of them joined at a
    time (each check is a search per character; a chunk stays in the processor's cache)."""
    iris = chain(map(itemgetter(0), graph), map(itemgetter(1), graph),
                 (o for _, _, o in graph if type(o) is not Literal))
    while chunk := "".join(islice(iris, 4096)):
        if not _is_valid_uri(chunk):
            return False
    return True


def _split_as_rdflib(graph: Iterable[Triple], lines: list[str], breaks) -> list[str]:
    """The lines as rdflib's text would be split by str.splitlines, without making that text: the N-Triples of a
    thousand sources are hundreds of megabytes, and each copy counts."""
    split: list[str] = []
    for (_, _, o), row in zip(graph, lines):
        if breaks(o):
            split.extend(part for part in row.splitlines() if part.strip())
        else:
            split.append(row)
    return split


def _ntriples_term_by_term(graph: Iterable[Triple]) -> bytes:
    from rdflib.plugins.serializers.nt import _quoteLiteral

    text: dict = {}
    for term in set(chain.from_iterable(graph)):
        text[term] = _quoteLiteral(term) if type(term) is Literal else term.n3()
    written = text.__getitem__
    lines = [f"{written(s)} {written(p)} {written(o)} ." for s, p, o in graph]
    return _sorted_lines([line.encode() for line in _split_as_rdflib(
        graph, lines, lambda o: len(written(o).splitlines()) != 1)])


def rdflib_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples through rdflib's whole writer: the reference that :func:`to_ntriples` reproduces."""
    _no_blank_nodes(graph)
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


@_collector_paused
def to_trig(graphs: list[tuple[URIRef, Graph]], _names: _PrefixedNames | None = None) -> bytes:
    """Named graphs in the order given, each written by the (deterministic) Turtle writer inside its braces.

    rdflib's own TriG writer orders subjects differently from run to run, so it is not used.
    """
    return _trig(graphs, _names or _PrefixedNames(_bind(Graph())))[0]


@_collector_paused
def to_turtle_and_trig(graphs: list[tuple[URIRef, Graph]], _names: _PrefixedNames | None = None
                       ) -> tuple[bytes, bytes]:
    """``to_turtle`` of the union of the named graphs, and ``to_trig`` of them, made together.

    Each graph is laid out once, for the TriG; the union's layout is made from theirs, and the statements of a
    subject that only one graph speaks of (nearly every subject) are the ones already written for that graph.
    """
    names = _names or _PrefixedNames(_bind(Graph()))
    trig, layouts = _trig(graphs, names)
    if layouts is not None:
        union = _TurtleLayout.union(layouts)
        return _turtle_text(union.declared, union.blocks()), trig
    return to_turtle(Triples(chain.from_iterable(graph for _, graph in graphs)), names), trig


def _trig(graphs: list[tuple[URIRef, Graph]], names: _PrefixedNames
          ) -> tuple[bytes, list[_TurtleLayout] | None]:
    """The TriG, and each graph's Turtle layout (None where one graph needed rdflib's writer)."""
    declared = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    pieces = ["".join(line + "\n" for line in declared)]
    layouts: list[_TurtleLayout] | None = []
    for name, graph in graphs:
        _no_blank_nodes(graph)
        try:
            layout = _TurtleLayout.of(graph, names)
        except _Fallback:
            layouts = None
            body = rdflib_turtle(graph).decode("utf-8")
        else:
            # The fast writer declares only our own prefixes (declared once above): its statements go as they are.
            if layouts is not None:
                layouts.append(layout)
            pieces += ["\n", f"<{name}> {{\n", *_between(layout.blocks(), "\n\n"), "\n}\n"]
            continue
        # Only the prefix block at the top goes (it is written once above). Split on newlines alone: splitlines()
        # also breaks at U+2028, U+0085 and others, which may stand inside a literal.
        lines = body.split("\n")
        start = next((i for i, line in enumerate(lines) if not line.startswith("@prefix")), len(lines))
        triples = "\n".join(lines[start:]).strip()
        # A prefix the writer made up for a namespace outside ours (ns1:) is declared just before its graph: TriG
        # allows directives between graphs, and a later graph may bind the same name to another namespace.
        extra = "".join(line + "\n" for line in lines[:start] if line not in declared)
        pieces += ["\n", f"{extra}<{name}> {{\n{triples}\n}}\n"]
    return "".join(pieces).encode("utf-8"), layouts
