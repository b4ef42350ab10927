"""Hostile input is refused quickly and in bounded memory: special files, too many triples, YAML alias bombs.

The bounds are asserted with resource limits on a subprocess (RLIMIT_AS for memory, RLIMIT_CPU for time), set far
above what the refusal needs and far below what the attack took before: a test fails by the child being killed or
running out of memory, not by a clock.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from january20.errors import January20Error
from january20.rdf.read import read_rdf
from january20.sources.untrusted import MAX_TRIPLES, count_triples, max_triples_default
from january20.sparql.query import open_store

try:
    from tests.support.project import FACTS, cli, copy_project
except ImportError:
    from support.project import FACTS, cli, copy_project

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
ARTICLE = ROOT / "data" / "sources" / "caliber-az-20-january-commemoration" / "article.txt"
MiB = 1024 * 1024


def limited(memory: int, cpu_seconds: int):
    """A preexec_fn that caps the child's address space and CPU time."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    return apply


def dense_turtle(path: Path, triples: int) -> Path:
    """Turtle with one triple in about 7 bytes (620,001 triples in 4.2 MB), as in the issue."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("@prefix : <http://e/> .\n")
        for start in range(0, triples, 1000):
            out.write(f":s{start} :p " + ",".join(f":o{j}" for j in range(start, min(triples, start + 1000))) + " .\n")
    return path


def ntriples(path: Path, count: int, first: int = 0) -> Path:
    path.write_text("".join(f"<http://e/s{i}> <http://e/p> <http://e/o> .\n" for i in range(first, first + count)))
    return path


# ---------------------------------------------------------------------------------------------------------------
# Special files

@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.ttl"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("args", [["validate", "{}"], ["query", "--data", "{}", "ASK {}"]], ids=["validate", "query"])
def test_a_fifo_given_as_a_data_file_is_refused_at_once(fifo, args):
    result = cli(*[a.format(fifo) for a in args])  # before: validate waited for a writer for ever
    assert result.returncode in (1, 2)
    assert result.stderr == f"error: {fifo}: refused: a FIFO (named pipe), expected a regular RDF file\n"


def test_a_fifo_is_refused_by_the_endpoint_before_it_starts(fifo):
    from january20.sparql.serve import make_endpoint

    with pytest.raises(January20Error, match="refused: a FIFO"):
        make_endpoint([fifo], port=0)


def test_a_fifo_as_a_facts_file_is_refused_by_build(tmp_path):
    project = copy_project(tmp_path / "project")
    facts = project.root / FACTS
    facts.unlink()
    os.mkfifo(facts)
    result = cli("build", "--project", str(project.root), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr == f"error: {facts}: refused: a FIFO (named pipe), expected a YAML file\n"


def test_a_device_is_refused_without_being_read(tmp_path):
    device = tmp_path / "zero.ttl"
    device.symlink_to("/dev/zero")
    with pytest.raises(January20Error, match="refused: a character device, expected a regular RDF file"):
        read_rdf([device])


# ---------------------------------------------------------------------------------------------------------------
# Triples

def test_the_triple_limit_lets_the_dataset_and_fifty_times_it_through():
    assert MAX_TRIPLES >= 50 * len((ROOT / "build" / "january20.nt").read_text().splitlines())


def test_exactly_the_limit_of_triples_is_read_and_one_more_is_refused(tmp_path):
    path = ntriples(tmp_path / "ten.nt", 10)
    assert len(read_rdf([path], max_triples=10)) == 10
    with pytest.raises(January20Error, match=r"refused: the input has more than 9 triples"):
        read_rdf([path], max_triples=9)


def test_the_triple_limit_applies_to_all_files_together(tmp_path):
    one = ntriples(tmp_path / "one.nt", 6)
    two = ntriples(tmp_path / "two.nt", 6, first=6)
    assert len(read_rdf([one, two], max_triples=12)) == 12
    with pytest.raises(January20Error) as caught:
        read_rdf([one, two], max_triples=11)
    assert [p.file for p in caught.value.problems] == [str(two)]


def test_the_triple_limit_counts_jsonld_too(tmp_path):
    doc = tmp_path / "three.jsonld"
    doc.write_text('{"@id": "http://e/s", "http://e/p": ["a", "b", "c"]}')
    assert len(read_rdf([doc], max_triples=3)) == 3
    with pytest.raises(January20Error, match="more than 2 triples"):
        read_rdf([doc], max_triples=2)


def test_query_and_serve_read_data_files_within_the_same_triple_limit(tmp_path, monkeypatch):
    path = ntriples(tmp_path / "ten.nt", 10)
    monkeypatch.setenv("J20_MAX_TRIPLES", "10")
    assert len(open_store([path])) == 10
    monkeypatch.setenv("J20_MAX_TRIPLES", "9")
    with pytest.raises(January20Error, match=r"more than 9 triples, the limit for all files together \(set "
                                             r"J20_MAX_TRIPLES to change it\)"):
        open_store([path])


def test_the_count_stops_at_the_limit_rather_than_reading_on(tmp_path):
    path = tmp_path / "bad-after-the-limit.nt"
    path.write_text(ntriples(tmp_path / "x.nt", 3).read_text() + "this is not N-Triples\n")
    with pytest.raises(January20Error, match="more than 2 triples"):  # not the syntax error further down
        count_triples(path, path.read_bytes(), "N_TRIPLES", limit=2)


def test_a_malformed_triple_limit_in_the_environment_is_one_line(monkeypatch):
    monkeypatch.setenv("J20_MAX_TRIPLES", "lots")
    with pytest.raises(January20Error) as caught:
        max_triples_default()
    assert str(caught.value) == "J20_MAX_TRIPLES: expected a whole number of triples, got 'lots'"


@pytest.mark.parametrize("args", [["validate", "{}"], ["query", "--data", "{}", "ASK {}"]], ids=["validate", "query"])
def test_a_dense_4_mb_turtle_file_is_refused_within_300_mb(tmp_path, args):
    # Before: validate took 63 s and 2.25 GB for these 620,001 triples (rdflib, about 2.8 KB a triple).
    path = dense_turtle(tmp_path / "dense.ttl", 620_001)
    assert 4 * MiB < path.stat().st_size < 6 * MiB
    result = cli(*[a.format(path) for a in args], preexec_fn=limited(300 * MiB, 20))
    assert result.stderr == (f"error: {path}: refused: the input has more than {MAX_TRIPLES:,} triples, the limit "
                             "for all files together (set J20_MAX_TRIPLES to change it)\n")
    assert result.returncode in (1, 2)


# ---------------------------------------------------------------------------------------------------------------
# YAML

LOAD_FACTS = """
import sys
from pathlib import Path
from january20.errors import January20Error
from january20.sources.facts import load_facts
try:
    load_facts(Path(sys.argv[1]), {})
except January20Error as exc:
    print(exc)
"""


@pytest.mark.parametrize("name", ["alias-bomb", "alias-bomb-in-source-quote"])
def test_an_alias_bomb_anywhere_in_a_facts_file_is_refused_within_a_second_and_100_mb(tmp_path, name):
    # Before: the bomb in source.author.quote took build 156 s and 13.4 GB, and printed a 2 GB message.
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    facts = tmp_path / "facts.yaml"
    shutil.copy(TESTS / "bad_facts" / f"{name}.yaml", facts)
    result = subprocess.run([sys.executable, "-c", LOAD_FACTS, str(facts)], capture_output=True, text=True,
                            timeout=60, preexec_fn=limited(100 * MiB, 1))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert "refused: an anchor (&a0): YAML anchors and aliases are not accepted in a facts file" in line
