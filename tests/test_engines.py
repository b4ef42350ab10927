"""The whole query catalogue gives the same answers on three engines: pyoxigraph, rdflib and a real Virtuoso.

Each engine reads a different published file (TriG, Turtle, N-Triples), and Virtuoso is loaded twice -- by its
own bulk loader and by `january20 load` over the Graph Store Protocol -- so a difference in any file, loader or
engine shows up as a diff against the committed expected result.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from january20.sparql import query as q
from january20.sparql.load import load

try:
    from tests.support import virtuoso
    from tests.support.tools import skip_or_fail
except ImportError:  # plain `pytest` puts tests/ (not the repo root) on sys.path
    from support import virtuoso
    from support.tools import skip_or_fail

BUILD = Path(__file__).resolve().parents[1] / "build"
CATALOGUE = q.catalogue()
BULK_GRAPH = "https://example.org/january20-test/bulk"
GSP_GRAPH = "https://example.org/january20-test/gsp"




def rdflib_results(graph, text: str) -> q.Results:
    answer = graph.query(text)
    if answer.type == "ASK":
        return q.Results(boolean=bool(answer.askAnswer))
    variables = [str(v) for v in answer.vars]
    return q.Results(variables, [[q.term_from_rdflib(row[i]) for i in range(len(variables))] for row in answer])


def virtuoso_results(server, text: str, graph: str) -> q.Results:
    data = urllib.parse.urlencode({"query": text, "default-graph-uri": graph}).encode()
    request = urllib.request.Request(server.sparql_url, data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return q.Results.from_sparql_json(json.load(response))


@pytest.fixture(scope="module")
def oxigraph_store():
    return q.open_store([BUILD / "january20.trig"])


@pytest.fixture(scope="module")
def rdflib_graph():
    from rdflib import Graph

    return Graph().parse(BUILD / "january20.ttl", format="turtle")


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory):
    ok, reason = virtuoso.available()
    if not ok:
        skip_or_fail(reason)
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.bulk_load(BUILD / "january20.nt", BULK_GRAPH)
        load(server.gsp_url, GSP_GRAPH, BUILD / "january20.ttl", user="dba", password=server.password)
        yield server
    finally:
        server.stop()


def test_catalogue_has_at_least_fifteen_questions():
    assert len(CATALOGUE) >= 15


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.name)
def test_catalogue_query_on_oxigraph_matches_expected(entry, oxigraph_store):
    assert q.run(oxigraph_store, entry.text).normal_form() == entry.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.name)
def test_catalogue_query_on_rdflib_matches_expected(entry, rdflib_graph):
    assert rdflib_results(rdflib_graph, entry.text).normal_form() == entry.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.name)
def test_catalogue_query_on_virtuoso_bulk_loaded_matches_expected(entry, virtuoso_server):
    got = virtuoso_results(virtuoso_server, entry.text, BULK_GRAPH).normal_form()
    assert got == entry.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.name)
def test_catalogue_query_on_virtuoso_loaded_by_graph_store_put_matches_expected(entry, virtuoso_server):
    got = virtuoso_results(virtuoso_server, entry.text, GSP_GRAPH).normal_form()
    assert got == entry.expected_path.read_text(encoding="utf-8")


def test_both_virtuoso_loads_hold_every_triple_of_the_dataset(virtuoso_server):
    triples = sum(1 for line in (BUILD / "january20.nt").read_text(encoding="utf-8").splitlines() if line.strip())
    assert virtuoso_server.triple_count(BULK_GRAPH) == triples
    assert virtuoso_server.triple_count(GSP_GRAPH) == triples


def test_every_expected_result_has_rows_or_is_an_ask():
    # An empty expected result would let a query that matches nothing on every engine pass unnoticed.
    for entry in CATALOGUE:
        lines = entry.expected_path.read_text(encoding="utf-8").splitlines()
        assert len(lines) >= 2, f"{entry.name} expects no rows"


def test_query_check_command_against_virtuoso_finds_every_answer_as_expected(virtuoso_server):
    from click.testing import CliRunner

    from january20.cli import main

    result = CliRunner().invoke(main, ["query", "--check", "--endpoint", virtuoso_server.sparql_url,
                                       "--default-graph", GSP_GRAPH])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"{len(CATALOGUE)} of {len(CATALOGUE)} answers as expected.\n")
