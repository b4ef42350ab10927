"""The W3C SHACL test suite (core and SPARQL), as pySHACL's source distribution ships it, and a comparison of a
report with a case's expected one.

The suite is not in the repository: ``scripts/fetch-shacl-suite.sh`` (run by ``scripts/test.sh``) unpacks it into
``.cache/shacl-w3c/pyshacl-<installed version>/`` (or the folder ``J20_SHACL_SUITE`` names).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, Namespace

ROOT = Path(__file__).resolve().parents[2]
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
FETCH = "bash scripts/fetch-shacl-suite.sh"


def suite_dir() -> Path:
    """The suite's folder (holding core/ and sparql/); raises FileNotFoundError, saying how to get it, if absent."""
    where = os.environ.get("J20_SHACL_SUITE")
    folder = Path(where) if where else ROOT / ".cache" / "shacl-w3c" / f"pyshacl-{version('pyshacl')}"
    if not all((folder / part / "manifest.ttl").is_file() for part in ("core", "sparql")):
        raise FileNotFoundError(
            f"the W3C SHACL test suite is not in {folder}: run `{FETCH}` (scripts/test.sh does, before pytest), "
            "which unpacks it from pySHACL's source distribution on PyPI")
    return folder


@dataclass(frozen=True)
class Case:
    name: str  # "core/node/class-003": the case's file, relative to the suite, without .ttl
    data: Path
    shapes: Path  # the same file as the data for most cases
    expected: Graph  # the case's file, in which the expected report is
    report: URIRef | BNode  # the expected sh:ValidationReport node

    def __str__(self) -> str:
        return self.name


def validation_cases(suite: Path) -> list[Case]:
    """Every sht:Validate case of core/ and sparql/, by name: most have their data and shapes in their own file
    (``<>``), a few in two other files."""
    found = []
    for part in ("core", "sparql"):
        for manifest in _manifests(suite / part / "manifest.ttl"):
            graph = Graph().parse(manifest, format="turtle")
            for entries in graph.objects(None, MF.entries):
                for entry in Collection(graph, entries):
                    path = Path(str(entry).removeprefix("file://").split("#")[0])
                    if not path.suffix:
                        path = path.with_suffix(".ttl")
                    found += _case(suite, path)
    return sorted(found, key=lambda c: c.name)


def _manifests(manifest: Path) -> list[Path]:
    graph = Graph().parse(manifest, format="turtle")
    included = sorted(Path(str(i).removeprefix("file://")) for i in graph.objects(None, MF.include))
    return [manifest] + [m for i in included for m in _manifests(i)]


def _case(suite: Path, path: Path) -> list[Case]:
    graph = Graph().parse(path, format="turtle")
    cases = []
    for entry in graph.subjects(RDF.type, SHT.Validate):
        action = graph.value(entry, MF.action)
        data, shapes = (Path(str(graph.value(action, p)).removeprefix("file://"))
                        for p in (SHT.dataGraph, SHT.shapesGraph))
        name = str(path.relative_to(suite).with_suffix(""))
        cases.append(Case(name, data, shapes, graph, graph.value(entry, MF.result)))
    return cases


def outcome(graph: Graph, report: Node = None) -> tuple[bool | None, Counter]:
    """What the suite compares of a report: sh:conforms, and each result's focus node, path, severity, constraint
    component and value, as a multiset (a report may hold the same result twice). A blank node stands for "some
    blank node" (the data's are different nodes in each graph), except a path, which is compared by its structure.
    ``report`` is the report node, found by its type if not given."""
    if report is None:
        reports = list(graph.subjects(RDF.type, SH.ValidationReport))
        if len(reports) != 1:
            return None, Counter({f"{len(reports)} sh:ValidationReport nodes": 1})
        [report] = reports
    conforms = graph.value(report, SH.conforms)
    results = Counter(
        (_term(graph.value(r, SH.focusNode)), _path(graph, graph.value(r, SH.resultPath)),
         _term(graph.value(r, SH.resultSeverity)), _term(graph.value(r, SH.sourceConstraintComponent)),
         _term(graph.value(r, SH.value)))
        for r in graph.objects(report, SH.result))
    return (conforms.toPython() if isinstance(conforms, Literal) else None), results


Node = URIRef | BNode | Literal | None


def _term(node: Node):
    if node is None:
        return None
    if isinstance(node, BNode):
        return "_:"
    if isinstance(node, Literal):
        return ("literal", str(node), node.datatype, node.language)
    return str(node)


def _path(graph: Graph, node: Node):
    """A SHACL path as a nested tuple: a property, a list (sequence), or a one-key node (sh:inversePath …)."""
    if not isinstance(node, BNode):
        return _term(node)
    if graph.value(node, RDF.first) is not None:
        return ("sequence", tuple(_path(graph, item) for item in Collection(graph, node)))
    return tuple(sorted((str(p), _path(graph, o)) for p, o in graph.predicate_objects(node)))


def differences(case: Case, actual: Graph) -> list[str]:
    """What is wrong with ``actual`` (a report graph) as the case's report; empty if nothing is."""
    expected_conforms, expected = outcome(case.expected, case.report)
    conforms, results = outcome(actual)
    problems = []
    if conforms is not expected_conforms:
        problems.append(f"sh:conforms {conforms}, expected {expected_conforms}")
    for result in sorted((expected - results).elements(), key=repr):
        problems.append(f"missing {result}")
    for result in sorted((results - expected).elements(), key=repr):
        problems.append(f"unexpected {result}")
    return problems
