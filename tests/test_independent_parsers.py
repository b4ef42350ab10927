"""Every RDF file the build writes parses with tools we did not write, and each counts the same statements.

rapper (Debian's raptor2-utils, in C) reads Turtle, N-Triples and TriG; pyoxigraph (Rust) reads every format; pyld
(the JSON-LD reference algorithms) reads JSON-LD. A file that one of them rejects, or where two of them count a
different number of triples (quads, for TriG), fails. Runs over the session's build written to a temporary folder
(tests/conftest.py), site included; test_outputs.py keeps the committed data files equal to a fresh build.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld

try:
    from tests.support.project import require_tool
except ImportError:
    from support.project import require_tool

RAPPER_SYNTAX = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig"}
OX_FORMAT = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
             ".jsonld": ox.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def outputs(build_dir) -> list[Path]:
    # context.jsonld is the JSON-LD context itself, not data.
    return sorted(p for p in build_dir.rglob("*") if p.suffix in OX_FORMAT and p.name != "context.jsonld")


def rel(path: Path) -> str:
    """The path inside the output folder (the nearest folder up called build), for messages."""
    return str(path.relative_to(next(folder for folder in path.parents if folder.name == "build")))


def rapper_count(path: Path) -> int:
    """Distinct statements, as rapper writes them back out (a framed JSON-LD or a pretty Turtle file may state one
    twice; every tool here counts each statement once)."""
    out = "nquads" if path.suffix == ".trig" else "ntriples"
    result = subprocess.run(["rapper", "-q", "-i", RAPPER_SYNTAX[path.suffix], "-o", out, str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"rapper rejects {rel(path)}: {result.stderr.strip()}"
    return len({line for line in result.stdout.splitlines() if line.strip()})


def oxigraph_count(path: Path) -> int:
    return len(set(ox.parse(path=str(path), format=OX_FORMAT[path.suffix], base_iri=path.as_uri())))


def pyld_count(path: Path) -> int:
    def offline(url: str, options: dict | None = None) -> dict:
        raise AssertionError(f"{rel(path)} asks pyld to fetch {url}: every output must stand alone")

    nquads = jsonld.to_rdf(json.loads(path.read_text(encoding="utf-8")),
                           {"format": "application/n-quads", "documentLoader": offline})
    return len({line for line in nquads.splitlines() if line.strip()})


def test_the_build_has_every_kind_of_rdf_output_to_check(outputs, build_dir):
    assert {p.suffix for p in outputs} == set(OX_FORMAT)
    assert {"january20.ttl", "january20.nt", "january20.trig", "january20.jsonld"} <= {
        str(p.relative_to(build_dir)) for p in outputs}
    assert any("site" in p.parts for p in outputs), "the site's per-resource files are checked too"


def test_rapper_reads_every_turtle_ntriples_and_trig_output_with_the_count_pyoxigraph_gives(outputs):
    require_tool("rapper", "raptor2-utils")
    mismatches = {}
    for path in (p for p in outputs if p.suffix in RAPPER_SYNTAX):
        counts = (rapper_count(path), oxigraph_count(path))
        if counts[0] != counts[1]:
            mismatches[rel(path)] = counts
    assert mismatches == {}, "rapper, pyoxigraph counts differ"


def test_pyld_reads_every_jsonld_output_with_the_count_pyoxigraph_gives(outputs):
    mismatches = {}
    for path in (p for p in outputs if p.suffix == ".jsonld"):
        counts = (pyld_count(path), oxigraph_count(path))
        if counts[0] != counts[1]:
            mismatches[rel(path)] = counts
    assert mismatches == {}, "pyld, pyoxigraph counts differ"


def test_every_serialisation_of_the_dataset_holds_the_same_statements(build_dir):
    def statements(name: str) -> set[tuple]:
        path = build_dir / name
        return {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=OX_FORMAT[path.suffix])}

    turtle = statements("january20.ttl")
    assert statements("january20.nt") == turtle
    assert statements("january20.jsonld") == turtle
    assert statements("january20.trig") == turtle  # the named graphs' union


def test_rapper_counts_as_many_quads_in_the_trig_as_pyoxigraph_and_as_many_triples_in_the_others(build_dir):
    require_tool("rapper", "raptor2-utils")
    counts = {name: rapper_count(build_dir / name) for name in ("january20.ttl", "january20.nt", "january20.trig")}
    counts["january20.jsonld"] = pyld_count(build_dir / "january20.jsonld")
    assert len(set(counts.values())) == 1, counts
