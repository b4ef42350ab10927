"""The Turtle, TriG and N-Triples that pyoxigraph writes for us: each reads back, with parsers we did not write, to
exactly the graph that was written; the bytes depend on the triples alone (not on their order or the hash seed);
every file declares the project's prefixes; nothing is written that the dataset forbids (blank nodes, bad IRIs).

Checked on the seed, on a synthetic corpus from the benchmark's generator, and on a small graph of awkward terms.
"""

from __future__ import annotations

import gc
import random
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from january20.graph.dataset import build_dataset
from january20.graph.triples import Triples
from january20.names import PREFIXES
from january20.rdf import write
from january20.rdf.write import OxTerms, to_ntriples, to_trig, to_turtle
from january20.resources import Project

try:
    from tests.support.tools import require_tool
except ImportError:
    from support.tools import require_tool

ROOT = Path(__file__).resolve().parents[1]
EVENT = "https://w3id.org/january20/event/"
J20 = "https://w3id.org/january20/ontology#"
RAPPER = {"turtle": "turtle", "nt": "ntriples", "trig": "trig"}
OX = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}


def awkward() -> Triples:
    """Terms that test a writer: typed, multi-line, quoted and non-ASCII literals, language tags, a literal ending in
    a backslash, IRIs whose local names need escapes (parentheses, a slash, a percent sign) or are not ASCII, a
    predicate and a datatype outside our prefixes, and a subject that is a class. (Not an IRI ending in a dot:
    pyoxigraph writes it ``j20:ends\\.``, valid Turtle that rdflib 7's parser refuses; no IRI of ours ends so.)"""
    a, b = URIRef(EVENT + "a"), URIRef(EVENT + "b-2")
    return Triples([
        (URIRef(J20 + "Thing"), RDF.type, RDFS.Class),
        (a, RDF.type, URIRef(J20 + "Thing")),
        (a, RDFS.label, Literal("first", lang="en")),
        (a, RDFS.label, Literal("premier", lang="fr")),
        (a, RDFS.comment, Literal('two\nlines with "quotes", a tab\t and \\ a backslash\\')),
        (a, RDFS.comment, Literal("one\u2028two\u2029three\x85four\x1cfive\r\nsix")),
        (a, RDFS.comment, Literal("first line\n@prefix ex: <https://example.org/> .\nlast line")),
        (a, RDFS.comment, Literal('<a b> {c} | "d" ^ `e` \\')),
        (a, URIRef(J20 + "count"), Literal(131, datatype=XSD.integer)),
        (a, URIRef(J20 + "count"), Literal("-0005", datatype=XSD.integer)),
        (a, URIRef(J20 + "flag"), Literal(True)),
        (a, URIRef(J20 + "when"), Literal("1990-01-20", datatype=XSD.date)),
        (a, URIRef(J20 + "ratio"), Literal("1.50", datatype=XSD.decimal)),
        (a, URIRef(J20 + "odd"), Literal("x", datatype=URIRef("https://example.org/types#custom"))),
        (a, URIRef("https://example.org/vocab#unbound"), Literal("y")),
        (a, RDFS.seeAlso, URIRef("https://w3id.org/january20/concept/event-kinds/a(b)")),
        (a, RDFS.seeAlso, URIRef(J20 + "per%cent%41")),
        (a, RDFS.seeAlso, URIRef("https://schema.org/Bakı_şəhid")),
        (a, RDFS.seeAlso, URIRef("urn:x:y")),
        (a, URIRef(J20 + "next"), b),
        (b, URIRef(J20 + "previous"), a),
        (b, RDFS.label, Literal("“curly” — and é")),
    ])


def _named(built) -> list[tuple[URIRef, Triples]]:
    return [(built.names.graph(name), triples) for name, triples in built.triples.items()]


@pytest.fixture(scope="module")
def synthetic():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        return _named(build_dataset(Project(generate(3, Path(folder) / "project"))))


@pytest.fixture(params=["seed", "synthetic", "awkward"])
def graphs(request, rendered) -> list[tuple[URIRef, Triples]]:
    """Named graphs to write: the seed's four, the synthetic corpus's four, the awkward terms split in two."""
    if request.param == "seed":
        return _named(rendered.built)
    if request.param == "synthetic":
        return request.getfixturevalue("synthetic")
    triples = list(awkward())
    return [(URIRef("https://example.org/g0"), Triples(triples[::2])),
            (URIRef("https://example.org/g1"), Triples(triples[1::2]))]


def _union(graphs) -> set:
    return {t for _, g in graphs for t in g}


def _quads(graphs) -> set:
    return {(*t, name) for name, g in graphs for t in g}


def _rdflib(data: bytes, fmt: str) -> set:
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(data=data, format="trig")
        return {(s, p, o, g) for s, p, o, g in dataset.quads() if g != dataset.default_graph.identifier}
    return set(Graph().parse(data=data, format=fmt))


def _written(graphs, fmt: str) -> bytes:
    if fmt == "trig":
        return to_trig(graphs)
    union = Triples(t for _, g in graphs for t in g)
    return to_turtle(union) if fmt == "turtle" else to_ntriples(union)


def _expected(graphs, fmt: str) -> set:
    return _quads(graphs) if fmt == "trig" else _union(graphs)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt"])
def test_rdflib_reads_back_exactly_the_graph_written(graphs, fmt):
    assert _rdflib(_written(graphs, fmt), fmt) == _expected(graphs, fmt)


def _as_ox(terms: set) -> set:
    """rdflib's triples (or quads) as pyoxigraph's, each term converted by hand (not by the writer's converter)."""
    def one(t):
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            return ox.Literal(str(t), datatype=ox.NamedNode(t.datatype or XSD.string))
        return ox.NamedNode(t)
    return {tuple(map(one, t)) for t in terms}


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt"])
def test_pyoxigraph_reads_back_exactly_the_graph_written(graphs, fmt):
    read = ox.parse(_written(graphs, fmt), format=OX[fmt])
    if fmt == "trig":
        found = {(q.subject, q.predicate, q.object, q.graph_name) for q in read}
    else:
        found = {(t.subject, t.predicate, t.object) for t in read}
    assert found == _as_ox(_expected(graphs, fmt))


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt"])
def test_rapper_reads_back_exactly_the_graph_written(graphs, fmt, tmp_path):
    require_tool("rapper", "raptor2-utils")
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(_written(graphs, fmt))
    result = subprocess.run(["rapper", "-q", "-i", RAPPER[fmt], "-o", "nquads" if fmt == "trig" else "ntriples",
                             str(path)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    if fmt == "trig":
        read = Dataset()
        read.parse(data=result.stdout, format="nquads")
        found = {(s, p, o, g) for s, p, o, g in read.quads() if g != read.default_graph.identifier}
    else:
        found = set(Graph().parse(data=result.stdout, format="nt"))
    assert found == _expected(graphs, fmt)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt"])
def test_the_bytes_do_not_depend_on_the_order_the_triples_come_in(graphs, fmt):
    shuffled = []
    for name, graph in graphs:
        triples = list(graph)
        random.Random(20).shuffle(triples)
        shuffled.append((name, Triples(triples)))
    assert _written(shuffled, fmt) == _written(graphs, fmt)


def test_ntriples_are_byte_for_byte_pyoxigraphs_ntriples_writer(graphs):
    written = _written(graphs, "nt")
    assert ox.serialize(ox.parse(written, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) == written


def test_ntriples_lines_are_sorted_as_bytes_one_triple_each(graphs):
    lines = _written(graphs, "nt").split(b"\n")
    assert lines.pop() == b""
    assert lines == sorted(lines)
    assert len(lines) == len(_union(graphs))


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_declare_the_projects_prefixes_but_concept(fmt):
    written = _written([(URIRef("https://example.org/g"), awkward())], fmt).decode()
    declared = {line for line in written.splitlines() if line.startswith("@prefix")}
    assert declared == {f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()
                        if prefix != "concept"}


_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_ESCAPED_NAME = re.compile(r"(?<![\w<])[A-Za-z][\w.-]*:\S*\\")


@pytest.mark.parametrize("corpus", ["seed", "synthetic"])
@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_no_prefixed_name_of_the_dataset_is_escaped(corpus, fmt, rendered, synthetic):
    # concept:event-kinds\/violence is valid Turtle that Virtuoso 7 loads as another IRI: written in full instead.
    # (An IRI of someone else's with "%" or "(" in a local name under one of our prefixes would still be escaped.)
    graphs = _named(rendered.built) if corpus == "seed" else synthetic
    outside_literals = _LITERAL.sub('""', _written(graphs, fmt).decode())
    assert _ESCAPED_NAME.findall(outside_literals) == []


def test_turtle_writes_names_with_our_prefixes():
    turtle = to_turtle(awkward()).decode()
    assert "rdfs:label" in turtle and "j20:Thing" in turtle and "xsd:date" in turtle


def test_the_committed_outputs_are_written_by_this_writer(rendered):
    graphs = _named(rendered.built)
    assert rendered.files["january20.ttl"] == to_turtle(rendered.built.union_triples())
    assert rendered.files["january20.nt"] == to_ntriples(rendered.built.union_triples())
    assert rendered.files["january20.trig"] == to_trig(graphs)


def test_a_plain_literal_and_the_same_xsd_string_are_written_once():
    a = URIRef(EVENT + "a")
    graph = Triples([(a, RDFS.label, Literal("x")), (a, RDFS.label, Literal("x", datatype=XSD.string))])
    assert to_ntriples(graph).count(b"\n") == 1


@pytest.mark.parametrize("where", ["subject", "object"])
@pytest.mark.parametrize("writer", ["turtle", "nt", "trig"])
def test_every_writer_refuses_a_blank_node(where, writer):
    a, blank = URIRef(EVENT + "a"), BNode()
    graph = Triples([(blank, RDFS.label, Literal("x")) if where == "subject" else (a, RDFS.seeAlso, blank),
                     (a, RDFS.label, Literal("a"))])
    with pytest.raises(ValueError, match="blank node"):
        _written([(URIRef(EVENT + "g"), graph)], writer)


def test_a_blank_node_added_after_writing_is_still_refused():
    a = URIRef(EVENT + "a")
    graph = Triples([(a, RDFS.label, Literal("a"))])
    to_ntriples(graph)
    graph.update([(a, RDFS.seeAlso, BNode())])
    with pytest.raises(ValueError, match="blank node"):
        to_ntriples(graph)


@pytest.mark.parametrize("iri", ["https://example.org/a b", "https://example.org/a|b", "no-scheme"])
def test_an_invalid_iri_is_refused_and_named(iri):
    graph = Triples([(URIRef(EVENT + "a"), RDFS.seeAlso, URIRef(iri))])
    with pytest.raises(ValueError, match=f"cannot write <{iri}>"):
        to_turtle(graph)


def test_an_invalid_iri_among_thousands_of_valid_ones_is_refused():
    graph = Triples([*[(URIRef(f"{EVENT}e{i}"), RDFS.seeAlso, URIRef(f"{EVENT}f{i}")) for i in range(5000)],
                     (URIRef(EVENT + "a"), RDFS.seeAlso, URIRef("https://example.org/a|b"))])
    with pytest.raises(ValueError, match="a|b"):
        to_ntriples(graph)


def test_writers_sharing_their_terms_convert_each_term_object_once(rendered, monkeypatch):
    converted = []
    convert = write._to_ox
    monkeypatch.setattr(write, "_to_ox", lambda term: converted.append(term) or convert(term))
    terms = OxTerms()
    union = rendered.built.union_triples()
    to_turtle(union, terms)
    to_trig(_named(rendered.built), terms)
    to_ntriples(union, terms)
    assert len(converted) == len({id(t) for triple in union for t in triple})


@pytest.mark.parametrize("enabled", [True, False])
def test_writers_leave_the_cycle_collector_as_they_found_it(enabled):
    graph = Triples([(URIRef(EVENT + "a"), RDFS.label, Literal("a"))])
    broken = Triples([(URIRef(EVENT + "a"), RDFS.label, BNode())])
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        to_turtle(graph)
        to_ntriples(graph)
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError):
            to_turtle(broken)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
