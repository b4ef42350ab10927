"""Write the dataset as Turtle, TriG and sorted N-Triples: pyoxigraph's writers, the same bytes on every run.

pyoxigraph (Oxigraph's Rust parsers and serialisers) writes the text. Its output depends only on the order of the
triples it is handed and on the prefixes it is given (it declares every one, longest namespace first), so
determinism comes from sorting: every file lists its triples in the order of their N-Triples lines, sorted as
bytes, which puts a subject's statements together for the Turtle and TriG writers to group.

The steps: each rdflib term (the build's graph model) is turned into a pyoxigraph term once, which checks it (an
invalid IRI or language tag is refused, naming it) and gives its N-Triples text (:class:`OxTerms`); each triple's
line is made from those texts, and the lines are sorted: that is the N-Triples file, each line as pyoxigraph's
N-Triples writer writes it (see :func:`to_ntriples`). pyoxigraph then reads that text (in Rust: making its terms
one triple at a time from Python took twice as long) and writes it as Turtle or TriG.

What pyoxigraph does not do, and is done here: the sorting, which is what makes its output deterministic; the
conversion from rdflib's terms; and joining the N-Triples lines. Blank nodes are refused (no output has them;
pyoxigraph would write them under labels that change from run to run).
"""

from __future__ import annotations

import functools
import gc
import io
from itertools import chain, islice
from operator import eq, itemgetter
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from january20.names import PREFIXES
from january20.graph.triples import Triple, Triples

# Every Turtle and TriG output declares the project's prefixes (pyoxigraph orders them, longest namespace first),
# but concept:. A concept's IRI goes on after that namespace with its scheme and a slash (concept/event-kinds/violence),
# which a prefixed name holds only escaped (concept:event-kinds\/violence): valid Turtle, which Virtuoso 7's loader
# reads as another IRI (and rdflib.js, Protégé and others refuse). Concepts are written as full IRIs, as before.
UNDECLARED = frozenset({"concept"})
OX_PREFIXES: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()
                               if prefix not in UNDECLARED}


def _collector_paused(write):
    """Run ``write`` with the cycle collector paused (and left as it was found).

    Sorting makes a key tuple per triple, none of them in a cycle; the collector, run every few hundred new
    objects, would walk them again and again.
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


class OxTerms:
    """Each rdflib term's N-Triples text as pyoxigraph writes it (UTF-8), worked out once per term object.

    The build makes each term once (our namespaces, a literal cache, minted IRIs kept), so the terms are remembered
    by object (``id``): an rdflib literal hashes and compares in Python, an object's id in C. The terms are kept
    here too, so an id stays theirs while this object lives. One OxTerms may serve every writer of a build.
    """

    __slots__ = ("_text", "_kept")

    def __init__(self) -> None:
        self._text: dict[int, bytes] = {}  # id -> the term's N-Triples text
        self._kept: dict[int, object] = {}  # id -> the rdflib term, kept alive so that its id is not reused

    def lines(self, graph: Iterable[Triple], end: bytes = b" .") -> list[bytes]:
        """The graph's N-Triples lines (N-Quads lines with ``end=b" <graph> ."``), without their newlines, sorted
        as bytes, each once: two rdflib terms that are one RDF term, such as ``"x"`` and ``"x"^^xsd:string``, make
        one line. Raises ValueError on a term that cannot be written.

        Every per-triple step is a ``map`` over look-ups, run in C: at two million triples, a Python loop's few
        hundred nanoseconds per triple and step would be seconds. The lines are bytes, not str: most are ASCII,
        and a str holding one character beyond Latin-1 takes two or four bytes for every character.
        """
        triples = list(graph)
        found = dict(zip(map(id, chain.from_iterable(triples)), chain.from_iterable(triples)))
        text = self._text
        for key in found.keys() - text.keys():
            term = found[key]
            text[key] = str(_to_ox(term)).encode("utf-8")
            self._kept[key] = term
        del found
        written = text.__getitem__
        columns = [map(written, map(id, map(itemgetter(i), triples))) for i in range(3)]
        lines = list(map((b"%b %b %b" + end.replace(b"%", b"%%")).__mod__, zip(*columns)))
        lines.sort()  # in the order made first: a graph's triples come subject by subject, which sorts faster
        if any(map(eq, lines, islice(lines, 1, None))):
            lines = [line for line, before in zip(lines, chain([None], lines)) if line != before]
        return lines


def _to_ox(term) -> object:
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(term)
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise ValueError(f"cannot write {term.n3() if isinstance(term, Literal) else f'<{term}>'}: {exc}") from None
    if isinstance(term, BNode):
        raise ValueError(f"blank node in output: {term!r}")
    raise ValueError(f"cannot write {term!r}: neither an IRI nor a literal")


def _joined(lines: list[bytes]) -> bytes:
    """The lines, each ended by a newline; the list is emptied (a thousand sources' lines are hundreds of megabytes:
    each copy counts)."""
    lines.append(b"")
    text = b"\n".join(lines)
    lines.clear()
    return text


def _parsed(ntriples: bytes, fmt=ox.RdfFormat.N_TRIPLES):
    # Lenient: the text is pyoxigraph's own, from terms it checked when it made them.
    return ox.parse(ntriples, format=fmt, lenient=True)


@_collector_paused
def to_turtle(graph: Iterable[Triple], terms: OxTerms | None = None) -> bytes:
    """The graph (an rdflib Graph or any iterable of triples) as Turtle with the project's prefixes, sorted.

    ``terms`` (an :class:`OxTerms`) may be shared by the writers of one build. Raises ValueError on a blank node
    or a term pyoxigraph cannot write (an invalid IRI or language tag), naming it.
    """
    return turtle_of_ntriples(to_ntriples(graph, terms))


def turtle_of_ntriples(ntriples: bytes) -> bytes:
    """pyoxigraph's Turtle, with the project's prefixes, of the triples of ``ntriples`` in their order there."""
    return ox.serialize(_parsed(ntriples), format=ox.RdfFormat.TURTLE, prefixes=OX_PREFIXES)


@_collector_paused
def to_ntriples(graph: Iterable[Triple], terms: OxTerms | None = None) -> bytes:
    """Sorted N-Triples: one triple a line, the lines sorted as bytes, each exactly as pyoxigraph's N-Triples
    writer writes it (canonical N-Triples).

    The one text not handed to ``pyoxigraph.serialize``: each line is already its terms' texts as pyoxigraph writes
    them, so reading the lines back and writing them again gave the same bytes, at the cost of a second copy of the
    largest file (350 MB at 1,000 sources, with the build's two processes near its 4 GiB budget) and a tenth of a
    second per 100,000 triples. ``tests/test_rdf_writers.py`` checks the bytes against pyoxigraph's writer.
    """
    return _joined((terms or OxTerms()).lines(graph))


@_collector_paused
def to_ntriples_and_turtle(graph: Iterable[Triple], terms: OxTerms | None = None) -> tuple[bytes, bytes]:
    """``to_ntriples`` and ``to_turtle`` of one graph, sorted once for both."""
    ntriples = to_ntriples(graph, terms)
    return ntriples, turtle_of_ntriples(ntriples)


@_collector_paused
def to_trig(graphs: list[tuple[URIRef, Iterable[Triple]]], terms: OxTerms | None = None) -> bytes:
    """Named graphs as TriG with the project's prefixes, the graphs in the order given, each one's triples sorted."""
    terms = terms or OxTerms()
    lines: list[bytes] = []
    for name, graph in graphs:
        lines += terms.lines(graph, f" {ox.NamedNode(name)} .".encode("utf-8"))
    quads = io.BufferedReader(_LinesReader(lines), 1 << 16)
    return ox.serialize(_parsed(quads, ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=OX_PREFIXES)


class _LinesReader(io.RawIOBase):
    """The lines, each ended by a newline, as a stream for pyoxigraph to read, joined a few thousand at a time and
    let go once read: the TriG's lines joined whole would be a second copy of them (380 MB at 1,000 sources, on
    top of the validation's memory)."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines = lines
        self._done = 0
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._chunk:
            lines, start = self._lines, self._done
            if start >= len(lines):
                lines.clear()
                return 0
            end = min(start + 4096, len(lines))
            self._chunk = memoryview(b"\n".join(lines[start:end]) + b"\n")
            lines[start:end] = [None] * (end - start)
            self._done = end
        size = min(len(buffer), len(self._chunk))
        buffer[:size] = self._chunk[:size]
        self._chunk = self._chunk[size:]
        return size
