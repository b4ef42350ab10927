"""Reading RDF files from elsewhere: every format, and a clear error for each kind of bad input."""

from pathlib import Path

import pytest

from january20.errors import January20Error
from january20.rdf.read import read_rdf

ROOT = Path(__file__).resolve().parents[1]


def test_every_built_serialisation_reads_to_the_same_number_of_triples():
    sizes = {name: len(read_rdf([ROOT / "build" / name]))
             for name in ("january20.ttl", "january20.nt", "january20.trig", "january20.jsonld")}
    assert len(set(sizes.values())) == 1, sizes


def test_malformed_turtle_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    with pytest.raises(January20Error) as caught:
        read_rdf([bad])
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (str(bad), 3)


def test_a_remote_jsonld_context_is_refused_not_fetched(tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "http://example.org/ctx.jsonld", "@id": "http://x/a", "name": "x"}')
    with pytest.raises(January20Error, match="refused to load the remote JSON-LD context"):
        read_rdf([doc])


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.nt"
    big.write_text("<http://x/a> <http://x/b> <http://x/c> .\n" * 10)
    with pytest.raises(January20Error, match="over the limit"):
        read_rdf([big], max_bytes=100)


def test_our_own_context_iris_are_under_the_default_base():
    from january20.names import DEFAULT_BASE
    from january20.rdf.read import OWN_CONTEXTS

    assert OWN_CONTEXTS == (DEFAULT_BASE + "context.jsonld", DEFAULT_BASE + "context")
