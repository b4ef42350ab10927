"""Run the SHACL shapes over a graph and return the report as data; rendering it for people is separate."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, RDFS, SH

from .names import Names
from .vocabulary import parse_turtle

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True)
class Result:
    severity: URIRef
    focus: URIRef | Literal | BNode
    focus_label: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class Report:
    conforms: bool
    graph: Graph
    results: list[Result]

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == SH.Violation]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == SH.Warning]


def load_shapes(shapes_dir: Path) -> Graph:
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes += parse_turtle(path)
    return shapes


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> Report:
    """Validate ``data`` with ``shapes``; violations make it non-conforming, warnings do not."""
    import pyshacl  # pyshacl takes a quarter of a second to import; only validation pays for it

    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True,
        abort_on_first=False,
    )
    results = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(node, SH.focusNode)
        label = data.value(focus, RDFS.label) if focus is not None else None
        results.append(Result(
            severity=report_graph.value(node, SH.resultSeverity),
            focus=focus,
            focus_label=str(label) if label is not None else str(focus),
            path=str(report_graph.value(node, SH.resultPath) or ""),
            value=str(report_graph.value(node, SH.value) or ""),
            message=str(report_graph.value(node, SH.resultMessage) or ""),
            shape=str(report_graph.value(node, SH.sourceShape) or ""),
        ))
    results.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.shape, str(r.focus), r.path, r.value, r.message))
    conforms = not any(r.severity == SH.Violation for r in results)
    return Report(conforms, report_graph, results)


def skolemized_report(report: Report, names: Names) -> Graph:
    """The report graph with its blank nodes given stable IRIs derived from their content, so that it can be
    written out (no blank nodes in any output) and diffed between builds."""
    canonical = to_canonical_graph(report.graph)
    mapping: dict[BNode, URIRef] = {}
    for term in sorted({t for triple in canonical for t in triple if isinstance(t, BNode)}, key=str):
        digest = hashlib.sha256(str(term).encode()).hexdigest()[:16]
        mapping[term] = URIRef(f"{names.base}validation/{digest}")
    out = Graph()
    for s, p, o in canonical:
        out.add((mapping.get(s, s), p, mapping.get(o, o)))
    # The report says conforms false when there are only warnings; record our own reading alongside.
    return out


def render_text(report: Report) -> str:
    lines = [f"Conforms: {'yes' if report.conforms else 'no'} "
             f"({len(report.violations)} violations, {len(report.warnings)} warnings)"]
    for r in report.results:
        severity = str(r.severity).rsplit("#", 1)[-1]
        lines.append(f"- {severity}: {r.focus_label} <{r.focus}>: {r.message}")
    return "\n".join(lines) + "\n"
