"""Run the SHACL shapes over a graph and return the report as data; rendering it for people is separate.

``validate_graph`` is what ``build`` and ``validate`` call; ``render_text``, ``render_json``, ``report_turtle`` and
``skolemized_report`` turn its Report into the output formats. Every result carries the names a historian
needs (the label of the thing at fault, of the offending value, of the shape) so that no renderer has to go back
to the graphs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from january20.errors import January20Error, Problem, escape_controls, escape_controls_in_document
from january20.names import OA, PREFIXES, SCHEMA, Names
from january20.graph.vocabulary import parse_turtle

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# What a thing is called, in order of preference; passages of the source are called by the words they quote.
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SCHEMA.name, DCTERMS.title, SCHEMA.headline)


@dataclass(frozen=True)
class Result:
    """One validation result, with everything needed to show it to people.

    ``subject`` is the thing the result is about: the focus node, except for the SPARQL checks, which report the
    node at fault as their value and whose focus is only an anchor (a class such as j20:Count for the checks across
    the whole graph, the source for the offsets of its passages).
    """

    severity: URIRef
    focus: Node
    focus_label: str
    path: str
    value: str
    message: str
    shape: str
    shape_label: str = ""
    constraint: str = ""
    value_node: Node | None = None
    value_label: str = ""
    subject: Node | None = None
    subject_label: str = ""

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, str(self.severity))

    @property
    def subject_ref(self) -> str:
        """The thing the result is about as in Turtle: <IRI>, or _:b1 for a blank node (its label in the report)."""
        return self.subject.n3() if isinstance(self.subject, BNode) else f"<{self.subject}>"

    def headline(self) -> str:
        """One line: the thing by its name, then the message (and the offending value, if it is another thing)."""
        about = self.subject_label or self.subject_ref
        line = f"{about}: {self.message}"
        if self.value and self.value_node != self.subject:
            line += f" (value: {self.value_label or self.value})"
        return line


@dataclass
class Report:
    """A validation report. ``conforms`` is SHACL's sh:conforms: true only when there is no result at all, whatever
    its severity; whether the data is good enough to publish (no violations) is :attr:`violations`' business.
    ``engine`` says which engine made it ("fast" or "pyshacl": the fast one hands some shapes over)."""

    conforms: bool
    graph: Graph
    results: list[Result]
    engine: str = ""

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == SH.Violation]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == SH.Warning]

    @property
    def others(self) -> list[Result]:
        """Results of any other severity: sh:Info, or one of the shapes' own."""
        return [r for r in self.results if r.severity not in (SH.Violation, SH.Warning)]


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``*.ttl`` file of ``shapes_dir`` in one graph. Raises January20Error for a folder without shapes or a
    file that is not Turtle."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise January20Error(Problem(str(shapes_dir), "no shapes found (expected *.ttl files)"))
    shapes = Graph()
    for path in files:
        shapes += parse_turtle(path)
    return shapes


ENGINES = ("fast", "pyshacl")


def validate_graph(data, shapes: Graph, ontology: Graph | None = None, engine: str = "fast") -> Report:
    """Validate ``data`` with ``shapes``; any result, whatever its severity, makes it non-conforming (as SHACL says).

    ``ontology`` (the class hierarchy, and for third-party data the concept schemes) is mixed into a copy of the
    data, so that a node typed only j20:TotalCount is still checked as a j20:Count; no other inference is run.
    ``engine="fast"`` (the default) is our own validator (:mod:`january20.shacl`), which gives pySHACL's report
    for the SHACL features our shapes use and hands shapes with any other feature to pySHACL; ``"pyshacl"`` is
    the W3C-conformant reference. ``data`` is an rdflib Graph, or the build's :class:`~january20.graph.triples.Triples`
    (which saves making a Graph of them: only pySHACL needs one). Raises January20Error if the shapes cannot be
    applied at all.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; expected one of {', '.join(ENGINES)}")
    report_graph, looked_up = _fast_report(data, shapes, ontology) if engine == "fast" else (None, None)
    ran = "fast" if report_graph is not None else "pyshacl"
    graph = data if isinstance(data, Graph) else None
    if report_graph is None:
        graph = data.graph() if graph is None else graph
        report_graph = _pyshacl_report(graph, shapes, ontology)
    report = report_of(report_graph, graph if graph is not None else looked_up, shapes, ontology)
    report.engine = ran
    for prefix, namespace in (graph.namespaces() if graph is not None else ()):  # the data's own, for Turtle
        report.graph.bind(prefix, namespace, override=False)
    return report


def report_of(report_graph: Graph, data, shapes: Graph, ontology: Graph | None = None) -> Report:
    """The Report of a SHACL report graph about ``data`` (anything with a Graph's ``objects``, ``subjects`` and
    ``value``): its results named for people, sorted, and its blank nodes labelled in that order (b1, b2 …), so
    that a report about data with blank nodes is written the same way every time."""
    namer = _Namer(data, ontology, shapes)
    named = [(namer.result(report_graph, node), node) for node in _top_level_results(report_graph)]
    # A blank node's own label is different at every parse: it takes no part in the order.
    named.sort(key=lambda pair: (SEVERITY_ORDER.get(pair[0].severity, 9), pair[0].shape_label, pair[0].shape,
                                 pair[0].subject_label, _order_text(pair[0].subject), pair[0].path, pair[0].value,
                                 pair[0].message))
    labels = _blank_labels(report_graph, [node for _, node in named])
    results = [_relabelled(r, labels) for r, _ in named]
    graph = Graph()
    for prefix, namespace in report_graph.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in report_graph:
        graph.add(tuple(labels.get(t, t) for t in triple))
    # SHACL: sh:conforms is true if and only if the validation produced no result.
    conforms = not results
    for root in graph.subjects(RDF.type, SH.ValidationReport):
        graph.set((root, SH.conforms, Literal(conforms)))
    return Report(conforms, graph, results)


def _order_text(node: Node | None) -> str:
    return "" if node is None or isinstance(node, BNode) else str(node)


def _blank_labels(graph: Graph, results: list[Node]) -> dict[BNode, BNode]:
    """A new blank node, b1, b2 …, for each blank node of the report (its own nodes and the data's), in the order
    of its results and, within a result, of its triples."""
    labels: dict[BNode, BNode] = {}

    def visit(node: Node) -> None:
        if not isinstance(node, BNode) or node in labels:
            return
        labels[node] = BNode(f"b{len(labels) + 1}")
        for _, o in sorted(graph.predicate_objects(node), key=lambda po: (po[0], _order_text(po[1]))):
            visit(o)

    for root in sorted(graph.subjects(RDF.type, SH.ValidationReport), key=_order_text):
        labels[root] = BNode(f"b{len(labels) + 1}") if isinstance(root, BNode) else root
    for node in results:
        visit(node)
    for node in sorted((n for t in graph for n in t if isinstance(n, BNode)), key=str):  # not reached from a result
        visit(node)
    return {old: new for old, new in labels.items() if isinstance(old, BNode)}


def _relabelled(result: Result, labels: dict[BNode, BNode]) -> Result:
    """The result with the report's labels for its blank nodes, shown as _:b1 where a label or value is text."""
    if not labels:
        return result
    focus, subject, value = (labels.get(n, n) for n in (result.focus, result.subject, result.value_node))
    return replace(result, focus=focus, subject=subject, value_node=value,
                   focus_label=result.focus_label if result.focus_label != str(result.focus) else _text(focus),
                   value=_text(value) if isinstance(value, BNode) else result.value)


def _text(node: Node | None) -> str:
    return node.n3() if isinstance(node, BNode) else "" if node is None else str(node)


def _fast_report(data, shapes: Graph, ontology: Graph | None) -> tuple[Graph | None, object]:
    """Our engine's report (None where the shapes or the data need what it does not implement), and the data's
    look-ups for naming the results."""
    from january20 import shacl

    try:
        with shacl.collector_paused():  # one pause for both: one pass of the cycle collector when it resumes
            # The namer finds a passage from its selector (oa:hasSelector by object): indexed with the rest at once.
            view = shacl.data_view(data, ontology, shapes, also_by_object=(OA.hasSelector,))
            _, report_graph = shacl.validate(data, shapes, ontology, view=view)
    except shacl.Unsupported:
        return None, None
    return report_graph, view.data_only()


def _pyshacl_report(data: Graph, shapes: Graph, ontology: Graph | None) -> Graph:
    import pyshacl  # pyshacl takes a quarter of a second to import; only validation with it pays for it

    try:
        _, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, abort_on_first=False,
        )
    except Exception as exc:  # pyshacl raises many types for shapes it cannot apply; all end the validation
        raise January20Error(Problem("shapes", f"validation could not run: {type(exc).__name__}: {exc}")) from None
    if not isinstance(report_graph, Graph):  # a ValidationFailure, returned: a SPARQL query SHACL does not allow
        raise January20Error(Problem("shapes", f"validation could not run: {report_graph}"))
    return report_graph


def validate_shapes(shapes: Graph) -> Report:
    """Validate a shapes graph against the SHACL-for-SHACL shapes (the W3C's, as shipped with pyshacl)."""
    from pyshacl.entrypoints import meta_validate

    _, report_graph, _ = meta_validate(shapes, inference="none")
    namer = _Namer(shapes, None, Graph())
    results = [namer.result(report_graph, node) for node in _top_level_results(report_graph)]
    results.sort(key=lambda r: (str(r.focus), r.path, r.message))
    return Report(not results, report_graph, results, "pyshacl")


def _top_level_results(report_graph: Graph) -> list[Node]:
    """The results of the report itself; a result of a nested shape (sh:node) hangs off its parent as sh:detail."""
    return [r for report in report_graph.subjects(RDF.type, SH.ValidationReport)
            for r in report_graph.objects(report, SH.result)]


class _Namer:
    """Names for the nodes of a report: labels from the data, else the ontology, else the shapes."""

    def __init__(self, data: Graph, ontology: Graph | None, shapes: Graph):
        self.graphs = [g for g in (data, ontology, shapes) if g is not None]
        self.shapes = shapes
        self.nsm = Graph().namespace_manager
        for prefix, ns in PREFIXES.items():
            self.nsm.bind(prefix, ns, override=True, replace=True)
        self.nsm.bind("shapes", "https://w3id.org/january20/shapes#", override=True, replace=True)

    def label(self, node: Node | None) -> str:
        if node is None or isinstance(node, Literal):
            return ""
        for graph in self.graphs:
            for prop in LABEL_PROPERTIES:
                labels = sorted(graph.objects(node, prop), key=lambda lit: (_lang_rank(lit), str(lit)))
                if labels:
                    return str(labels[0])
            quote = self._quote(graph, node)
            if quote:
                return quote
        return ""

    def _quote(self, graph: Graph, node: Node) -> str:
        """A passage (or one of its selectors) is named by the words it quotes."""
        exact = graph.value(node, OA.exact)
        if exact is None:
            for selector in sorted(graph.objects(node, OA.hasSelector), key=str):
                exact = graph.value(selector, OA.exact) or exact
        if exact is None:
            for passage in sorted(graph.subjects(OA.hasSelector, node), key=str):
                return self._quote(graph, passage)
        return f"“{exact}”" if exact is not None else ""

    def term(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, Literal):
            return node.n3(self.nsm)
        if isinstance(node, URIRef):
            return str(node)
        return ""  # a blank node: its label comes with the report's order (report_of)

    def compact(self, node: Node | None) -> str:
        if node is None:
            return ""
        text = node.n3(self.nsm)
        return str(node) if text.startswith("<") or not isinstance(node, URIRef) else text

    def path(self, report: Graph, node: Node | None) -> str:
        """A result path for people: a property as prefix:name, an inverse path as ^prefix:name."""
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return self.compact(node)
        inverse = report.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self.compact(inverse)
        return "(a complex path)"

    def result(self, report: Graph, node: Node) -> Result:
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        # A SPARQL check reports the node at fault as its value: the focus is an anchor (a class for the whole-graph
        # checks, the source for the offsets of its passages), so the result is about the value.
        from_query = report.value(node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
        subject = value if from_query and value is not None and not isinstance(value, Literal) else focus
        shape_label = self.label(shape) if isinstance(shape, URIRef) else ""
        return Result(
            severity=report.value(node, SH.resultSeverity),
            focus=focus,
            focus_label=self.label(focus) or str(focus),
            path=self.path(report, report.value(node, SH.resultPath)),
            value=self.term(value),
            message=str(report.value(node, SH.resultMessage) or ""),
            shape=str(shape) if isinstance(shape, URIRef) else "",
            shape_label=shape_label,
            constraint=str(report.value(node, SH.sourceConstraint) or "") if isinstance(
                report.value(node, SH.sourceConstraint), URIRef) else "",
            value_node=value,
            value_label=self.label(value),
            subject=subject,
            subject_label=self.label(subject),
        )


def _lang_rank(literal: Node) -> int:
    lang = getattr(literal, "language", None)
    return 0 if lang == "en" else 1 if lang is None else 2


def skolemized_report(report: Report, names: Names) -> Graph:
    """The report graph with every blank node named by an IRI made from its own content, so that it can be written
    out (no blank nodes in any output) and diffed between builds.

    A node's name is the hash of its own triples, a nested node (an inverse path) standing in by its own name, so a
    result keeps its IRI whatever other results the report has, and naming all of them is linear in the report's
    size. (rdflib's ``to_canonical_graph`` named them before: its labels depend on the whole graph, so one new
    result renamed every other one, and its refinement took 17 minutes for the 2,000 results of 1,000 sources.)
    """
    graph = report.graph
    mapping: dict[BNode, URIRef] = {}

    def name(node: BNode, path: frozenset) -> URIRef:
        if node in mapping:
            return mapping[node]
        if node in path:  # a report is a tree; a cycle would make content naming recurse for ever
            raise January20Error(Problem("validation", "the validation report has a cycle of blank nodes"))
        lines = sorted(f"{p.n3()} {name(o, path | {node}) if isinstance(o, BNode) else o.n3()}"
                       for p, o in graph.predicate_objects(node))
        digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
        mapping[node] = names.validation_node(digest)
        return mapping[node]

    out = Graph()
    for s, p, o in graph:
        out.add((name(s, frozenset()) if isinstance(s, BNode) else s, p,
                 name(o, frozenset()) if isinstance(o, BNode) else o))
    return out


def summary(report: Report) -> str:
    """"conforms: 0 violations, 0 warnings" only when there is no result; "no violations, 2 warnings" when there are
    only warnings (the data is good to publish, but SHACL says it does not conform: any result does);
    "does not conform: 1 violation, 2 warnings" otherwise. Results of other severities are counted after these."""
    counts = f"{_plural(len(report.violations), 'violation')}, {_plural(len(report.warnings), 'warning')}"
    others: dict[str, int] = {}
    for r in report.others:
        word = "info" if r.severity == SH.Info else f"result of severity <{r.severity}>"
        others[word] = others.get(word, 0) + 1
    counts += "".join(f", {_plural(n, word)}" for word, n in sorted(others.items()))
    if report.conforms:
        return f"conforms: {counts}"
    if not report.violations:
        return "no violations, " + counts.split(", ", 1)[1]
    return f"does not conform: {counts}"


def render_text(report: Report) -> str:
    """The report for people: grouped by severity, then by shape; each result names the thing at fault by its
    label and IRI, shows the offending value, and says what is expected. Every character a terminal would act on
    (an escape sequence, a line break, a bidirectional control in a label, a literal, an IRI or a message from the
    data) is written as an escape such as ``\\x1b``, so a file cannot paint lines of its own into the report."""
    lines = [f"Validation: {summary(report)}."]
    by_severity: dict[URIRef, list[Result]] = {}
    for r in report.results:
        by_severity.setdefault(r.severity, []).append(r)
    for severity in sorted(by_severity, key=lambda s: SEVERITY_ORDER.get(s, 9)):
        results = by_severity[severity]
        lines += ["", f"{SEVERITY_NAMES.get(severity, str(severity))}s ({len(results)})"]
        by_shape: dict[tuple[str, str], list[Result]] = {}
        for r in results:
            by_shape.setdefault((r.shape_label, r.shape), []).append(r)
        for (shape_label, shape), group in by_shape.items():
            lines += ["", f"  {shape_label or shape} [{_curie(shape)}] ({len(group)})"]
            for r in group:
                lines.append(f"  - {r.subject_label} {r.subject_ref}" if r.subject_label else f"  - {r.subject_ref}")
                if r.path:
                    lines.append(f"      property: {r.path}")
                if r.value and r.value_node != r.subject:
                    lines.append(f"      value: {r.value_label + ' ' if r.value_label else ''}"
                                 f"{'<' + r.value + '>' if isinstance(r.value_node, URIRef) else r.value}")
                lines.append(f"      {r.message}")
    return "\n".join(escape_controls(line) for line in lines) + "\n"


def render_json(report: Report) -> str:
    """The report as JSON, for tools: the same fields as the text, one object per result. Characters a terminal
    would act on are ``\\u`` escapes (JSON escapes only C0 itself), which any JSON reader reads back as they were."""
    results = []
    for r in report.results:
        item = asdict(r)
        item["severity"] = r.severity_name
        for key in ("focus", "subject", "value_node"):
            item[key] = None if item[key] is None else _text(item[key])
        del item["value_node"]
        results.append(item)
    document = {
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "others": len(report.others),
        "results": results,
    }
    return escape_controls_in_document(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)) + "\n"


def _curie(iri: str) -> str:
    prefix = "https://w3id.org/january20/shapes#"
    return "shapes:" + iri[len(prefix):] if iri.startswith(prefix) else iri


def _plural(n: int, word: str) -> str:
    head, _, tail = word.partition(" ")  # "result of severity <…>": the first word takes the plural
    return f"{n} {head}{'' if n == 1 else 's'}{' ' + tail if tail else ''}"


def report_turtle(report: Report) -> bytes:
    """The report graph as Turtle, its blank nodes kept as blank nodes: for a report about anyone's data, whose
    blank nodes have no names to give them (the dataset's own report is written by ``skolemized_report``). Written
    the same way every time for the same report: the blank nodes carry the labels :func:`report_of` gave them."""
    graph = Graph()
    for prefix, namespace in [*report.graph.namespaces(), *PREFIXES.items(), ("sh", SH)]:
        graph.bind(prefix, namespace, override=True, replace=True)
    graph += report.graph
    return graph.serialize(format="turtle", encoding="utf-8")


def default_data_files(project) -> list[Path]:
    """The built dataset, all four named graphs: ``build/january20.trig`` of the project."""
    return [project.root / "build" / "january20.trig"]


def uses_project_vocabulary(project, shapes_dir: Path | None, asked: bool | None = None) -> bool:
    """Whether the project's ontology and concept schemes go into the data graph: when asked (``asked`` True or
    False), else when the data is checked against the project's own shapes (no ``shapes_dir``, or the project's
    shapes/ folder), which are written for data that uses them. Someone else's shapes get exactly the data."""
    if asked is not None:
        return asked
    return shapes_dir is None or shapes_dir.resolve() == project.shapes_dir.resolve()


def validate_files(paths: list[Path], project, shapes_dir: Path | None = None, engine: str = "fast",
                   project_vocabulary: bool | None = None) -> Report:
    """Validate RDF files (a built dataset, a user's edit of it, a third party's extension, anyone's data) with the
    project's shapes, or those in ``shapes_dir``, as SHACL says: the data graph is the files' triples (named graphs
    merged), the shapes graph the shapes files', with their sh:declare and sh:prefixes. The project's vocabulary is
    added to the data as :func:`uses_project_vocabulary` decides. Raises January20Error naming the file (and line)
    of an input that cannot be read, or the shapes file that cannot be parsed."""
    from january20.rdf.read import read_rdf

    data = read_rdf(paths)
    shapes = load_shapes(shapes_dir or project.shapes_dir)
    if uses_project_vocabulary(project, shapes_dir, project_vocabulary):
        return validate_data(data, project, shapes, engine)
    return validate_graph(data, shapes, None, engine)


def validate_data(data: Graph, project, shapes: Graph, engine: str = "fast") -> Report:
    """Validate ``data`` together with the dataset's vocabulary.

    The concept schemes are added to (a copy of) the data, as they are to every build in its vocabulary graph, so
    that data which only refers to the controlled lists (a third party's extension) is checked against them; the
    ontology gives the class hierarchy (pySHACL copies only class and property axioms from it).
    """
    combined = Graph()
    combined += data
    combined += parse_turtle(project.concepts_file)
    return validate_graph(combined, shapes, parse_turtle(project.ontology_file), engine)
