"""The build's graphs as plain tuples, with the few look-ups the build makes.

rdflib's in-memory store costs tens of microseconds and about two kilobytes per triple added (four indexes, a
context map, an event per triple); the build adds every triple once per graph it is in, and most of its stages only
iterate, so it keeps each named graph as an insertion-ordered set of triples instead and makes an rdflib Graph only
where one is asked for (:meth:`Triples.graph`).
"""

from __future__ import annotations

from itertools import chain, filterfalse
from typing import Any, Callable, Iterable, Iterator, TypeVar

from rdflib import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
T = TypeVar("T")


class Triples:
    """A set of triples in the order they were first added (a triple added twice is kept once, as a Graph does).

    Iterating, ``len`` and ``in`` are those of the set; ``subjects``, ``objects``, ``value`` and ``predicates`` answer
    like rdflib's Graph methods of the same names, for the patterns the build uses, from an index made on first use
    (so add everything first). ``graph()`` is the same triples as an rdflib Graph, made once.
    """

    __slots__ = ("_triples", "_by_subject", "_graph", "_derived")

    def __init__(self, triples: Iterable[Triple] = (), graph: Graph | None = None):
        self._triples: dict[Triple, None] = dict.fromkeys(triples)
        self._by_subject: dict[Node, list[tuple[Node, Node]]] | None = None
        self._graph = graph
        self._derived: dict[str, Any] = {}

    @classmethod
    def of(cls, graph: Graph) -> Triples:
        """The triples of an rdflib Graph; ``graph()`` then returns that very Graph."""
        return cls(graph, graph)

    def update(self, triples: Iterable[Triple]) -> None:
        self._triples.update(dict.fromkeys(triples))
        self._by_subject = None
        self._graph = None
        self._derived = {}

    def derived(self, name: str, make: Callable[[Triples], T]) -> T:
        """``make(self)``, worked out once and remembered under ``name`` until triples are added."""
        if name not in self._derived:
            self._derived[name] = make(self)
        return self._derived[name]

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def graph(self) -> Graph:
        """These triples as an rdflib Graph (rdflib's default store), made on the first call and then shared."""
        if self._graph is None:
            graph = Graph()
            graph.addN((s, p, o, graph) for s, p, o in self)
            self._graph = graph
        return self._graph

    def by_subject(self) -> dict[Node, list[tuple[Node, Node]]]:
        """Each subject with its (predicate, object) pairs, in the order added."""
        if self._by_subject is None:
            index: dict[Node, list[tuple[Node, Node]]] = {}
            for s, p, o in self:
                pairs = index.get(s)
                if pairs is None:
                    index[s] = [(p, o)]
                else:
                    pairs.append((p, o))
            self._by_subject = index
        return self._by_subject

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        for p, o in self.by_subject().get(subject, ()):
            if p == predicate:
                yield o

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        for s, pairs in self.by_subject().items():
            if (predicate, obj) in pairs:
                yield s

    def predicates(self) -> Iterator[Node]:
        return iter({p for _, p, _ in self})


class Union(Triples):
    """Several Triples read as one, each triple once, in the order of ``chain(*parts)`` without its repeats: what
    ``Triples(chain(*parts))`` holds, without copying every triple into a set of its own.

    The build's union is its facts graph with a few thousand triples more; a copy of it was a second set of all
    the dataset's triples (10 MiB at 100 sources) for the length of the build. Here a triple of a later part is
    skipped where an earlier part has it (a set look-up). The parts are read, never copied, so they must not change
    while the union is in use; the union itself cannot be added to.
    """

    __slots__ = ("_parts", "_len")

    def __init__(self, parts: Iterable[Triples]):
        # No set of its own (``_triples`` stays unset, so code that reaches for it fails loudly).
        self._by_subject, self._graph, self._derived = None, None, {}
        self._parts = list(parts)
        self._len: int | None = None

    def update(self, triples: Iterable[Triple]) -> None:
        raise TypeError("a Union of Triples is read-only: add to one of its parts")

    def __iter__(self) -> Iterator[Triple]:
        return chain.from_iterable(self._new_in(i) for i in range(len(self._parts)))

    def _new_in(self, i: int) -> Iterable[Triple]:
        """The triples of part ``i`` that no earlier part has."""
        part, earlier = self._parts[i], self._parts[:i]
        if not earlier:
            return part
        return filterfalse(lambda triple: any(triple in other for other in earlier), part)

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(len(part) if i == 0 else sum(1 for _ in self._new_in(i))
                            for i, part in enumerate(self._parts))
        return self._len

    def __contains__(self, triple: object) -> bool:
        return any(triple in part for part in self._parts)
