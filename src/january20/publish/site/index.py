"""The union of a build's named graphs, indexed once for the site: every page asks it dozens of questions.

rdflib answers each pattern through its generic store interface (a generator, context bookkeeping, term checks),
which made those lookups a large part of the site's time, and the site also needed a union graph built again and a
membership test in each named graph for every statement on every page. Here the triples are read once, from the
named graphs in their order, into plain dictionaries that answer the few patterns the site asks, and remember which
named graphs hold each triple. Results come in the order rdflib's in-memory store gives for the union graph built
from the same triples in the same order (``Built.union``), so even an unsorted answer (``value`` of a property with
two values) is the same.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from rdflib.term import Node


class GraphIndex:
    """Read-only: subject -> predicate -> object, object -> subject -> predicate, and predicate -> object ->
    subject, each with the named graphs (a bit per graph, in the order given) holding the triple."""

    def __init__(self, graphs: dict[str, Iterable[tuple[Node, Node, Node]]]):
        self.names = list(graphs)
        self._spo: dict[Node, dict[Node, dict[Node, int]]] = {}
        self._osp: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        spo, osp, pos = self._spo, self._osp, self._pos
        for bit, triples in enumerate(graphs.values()):
            mask = 1 << bit
            for s, p, o in triples:
                by_p = spo.get(s)
                if by_p is None:
                    by_p = spo[s] = {}
                by_o = by_p.get(p)
                if by_o is None:
                    by_o = by_p[p] = {}
                seen = by_o.get(o)
                if seen is None:
                    by_o[o] = mask
                    by_s = osp.get(o)
                    if by_s is None:
                        by_s = osp[o] = {}
                    by_s.setdefault(s, {})[p] = None
                    by_o2 = pos.get(p)
                    if by_o2 is None:
                        by_o2 = pos[p] = {}
                    by_o2.setdefault(o, {})[s] = None
                else:
                    by_o[o] = seen | mask

    def __len__(self) -> int:
        return sum(len(objects) for by_p in self._spo.values() for objects in by_p.values())

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())

    def graphs_of(self, triple: tuple[Node, Node, Node]) -> list[str]:
        """The names of the named graphs holding the triple, in the order the graphs were given."""
        s, p, o = triple
        mask = self._spo.get(s, {}).get(p, {}).get(o, 0)
        return [name for bit, name in enumerate(self.names) if mask >> bit & 1]

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        """Subjects of triples matching the pattern; with neither given, every subject once."""
        if predicate is None and object is None:
            return iter(self._spo)
        if predicate is None or object is None:
            raise NotImplementedError("the site asks for subjects by predicate and object together, or for all")
        return iter(self._pos.get(predicate, {}).get(object, ()))

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """Objects of ``subject``'s ``predicate``; with no subject, every object of ``predicate`` once."""
        if predicate is None:
            raise NotImplementedError("the site always names the predicate")
        if subject is None:
            return iter(self._pos.get(predicate, {}))
        return iter(self._spo.get(subject, {}).get(predicate, ()))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The first object of ``subject``'s ``predicate``, or None (as rdflib's ``Graph.value``)."""
        for o in self._spo.get(subject, {}).get(predicate, ()):
            return o
        return None

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for p, objects in self._spo.get(subject, {}).items():
            for o in objects:
                yield p, o

    def subject_predicates(self, object: Node) -> Iterator[tuple[Node, Node]]:
        for s, predicates in self._osp.get(object, {}).items():
            for p in predicates:
                yield s, p

    def triples_of(self, subject: Node) -> list[tuple[Node, Node, Node]]:
        """Every triple with ``subject`` as its subject."""
        return [(subject, p, o) for p, objects in self._spo.get(subject, {}).items() for o in objects]
