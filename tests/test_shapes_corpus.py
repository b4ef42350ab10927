"""Every constraint bites: each file of tests/shapes_corpus is a small graph with one mistake, named after it, and
says in its header which shape must catch it (``# expect: <Severity> shapes:<Shape> <subject>``). Each file is read
with tests/fixtures/shapes-context.ttl, a small graph that conforms, so that the mistake is the only thing wrong.

The corpus is validated once, all files together, because pySHACL re-parses every SPARQL query per run (about a
second a file); each file's nodes have IRIs of their own (a test keeps it so), so a result about a file's subject is
a result about that file's mistake, and every result must be one that some file expects. A few of the mistakes are
also validated alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from january20.rdf.read import read_rdf
from january20.shacl.validation import load_shapes, validate_data

CORPUS = Path(__file__).parent / "shapes_corpus"
CONTEXT = Path(__file__).parent / "fixtures" / "shapes-context.ttl"
FILES = sorted(CORPUS.glob("*.ttl"))
BASE = "https://w3id.org/january20/"
SHAPES = "https://w3id.org/january20/shapes#"
EXPECT = re.compile(r"^# expect: (Violation|Warning|Info) shapes:(\w+)(?: <([^>]*)>)?$", re.M)


def expectations(path: Path) -> list[tuple[str, str, str | None]]:
    """(severity, shape IRI, subject IRI or None) for every ``# expect:`` line of a corpus file."""
    return [(sev, SHAPES + shape, BASE + subject if subject else None)
            for sev, shape, subject in EXPECT.findall(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="session")
def shapes(project) -> Graph:
    return load_shapes(project.shapes_dir)


@pytest.fixture(scope="session")
def corpus_report(project, shapes):
    return validate_data(read_rdf([CONTEXT, *FILES]), project, shapes)


def matches(result, severity: str, shape: str, subject: str | None) -> bool:
    if result.severity_name != severity or result.shape != shape:
        return False
    if subject is None:
        return isinstance(result.subject, BNode) or isinstance(result.value_node, BNode)
    return subject in (str(result.subject), str(result.value_node))


def caught(report, severity: str, shape: str, subject: str | None) -> bool:
    return any(matches(r, severity, shape, subject) for r in report.results)


def test_context_alone_conforms_without_any_result(project, shapes):
    """Also what a third party's extension looks like: it refers to the controlled lists without carrying them."""
    assert [r.headline() for r in validate_data(read_rdf([CONTEXT]), project, shapes).results] == []


def test_corpus_is_not_empty_and_every_file_says_what_it_expects():
    assert len(FILES) > 100
    missing = [f.name for f in FILES if not expectations(f)]
    assert missing == []


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_broken_graph_fails_on_the_expected_shape(path, corpus_report):
    for severity, shape, subject in expectations(path):
        assert caught(corpus_report, severity, shape, subject), (
            f"{path.name}: expected a {severity} from {shape} about {subject}")


def test_no_shape_fires_where_no_file_expects_it(corpus_report):
    expected = [e for f in FILES for e in expectations(f)]
    stray = [r.headline() for r in corpus_report.results if not any(matches(r, *e) for e in expected)]
    assert stray == []


def test_every_shape_with_a_severity_is_bitten_by_some_file(shapes):
    expected = {shape for f in FILES for _, shape, _ in expectations(f)}
    with_severity = {str(s) for s in shapes.subjects(SH.severity, None)}
    assert sorted(with_severity - expected) == []


def test_expected_severity_is_the_shapes_own(shapes):
    for path in FILES:
        for severity, shape, _ in expectations(path):
            assert shapes.value(URIRef(shape), SH.severity) == SH[severity], f"{path.name}: {shape}"


def test_each_file_keeps_its_subjects_to_itself():
    """A subject named in a file's expectations appears in no other corpus file, so that the results about it come
    from that file's mistake alone."""
    texts = {f: read_rdf([f]) for f in FILES}
    for path in FILES:
        for _, _, subject in expectations(path):
            if subject is None:
                continue
            node = URIRef(subject)
            assert (node, None, None) in texts[path] or (None, None, node) in texts[path], path.name
            others = [f.name for f, g in texts.items()
                      if f != path and ((node, None, None) in g or (None, None, node) in g)]
            assert others == [], f"{subject} of {path.name} also appears in {others}"


@pytest.mark.parametrize("name", [
    "count-value-negative", "part-larger-than-total", "excerpt-without-quote-selector", "event-ends-before-it-starts",
    "label-without-language-tag",
])
def test_mistake_alone_fails_on_exactly_the_expected_shapes(name, project, shapes):
    path = CORPUS / f"{name}.ttl"
    report = validate_data(read_rdf([CONTEXT, path]), project, shapes)
    assert not report.conforms
    found = sorted((r.severity_name, r.shape, str(r.subject)) for r in report.results)
    assert len(found) == len(expectations(path))
    for severity, shape, subject in expectations(path):
        assert caught(report, severity, shape, subject)


def test_parts_below_their_total_only_warn_stating_both_numbers_and_the_gap(project, shapes):
    report = validate_data(read_rdf([CONTEXT, CORPUS / "parts-add-up-to-less-than-total.ttl"]), project, shapes)
    assert report.violations == []
    [gap] = report.warnings
    assert gap.shape == SHAPES + "PartsBelowTotalShape"
    assert ("103" in gap.message, "28 fewer" in gap.message, "131" in gap.message) == (True, True, True)
