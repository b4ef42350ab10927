"""The serialisations: parseable, equivalent, free of blank nodes, byte-for-byte reproducible, and committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic

from january20.publish.site import SITE_DIR

ROOT = Path(__file__).resolve().parents[1]
RDF_FILES = {"january20.ttl": "turtle", "january20.nt": "nt", "january20.jsonld": "json-ld",
             "january20.trig": "trig"}


def parse(data: bytes, fmt: str) -> Graph:
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(data=data, format="trig")
        union = Graph()
        for graph in dataset.graphs():
            union += graph
        return union
    return Graph().parse(data=data, format=fmt)


@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_output_has_no_blank_node(rendered, name):
    graph = parse(rendered.files[name], RDF_FILES[name])
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


@pytest.mark.parametrize("name", sorted(set(RDF_FILES) - {"january20.ttl"}))
def test_serialisation_parses_back_to_the_same_graph_as_the_turtle(rendered, name):
    turtle = parse(rendered.files["january20.ttl"], "turtle")
    assert isomorphic(parse(rendered.files[name], RDF_FILES[name]), turtle)


def test_trig_keeps_facts_editorial_vocabulary_and_metadata_apart(rendered):
    dataset = Dataset()
    dataset.parse(data=rendered.files["january20.trig"], format="trig")
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in dataset.graphs() if len(g)}
    assert names == {"facts", "editorial", "vocabulary", "metadata"}


def _build(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "january20.cli", "build", "--out", str(out)], check=True, env=env,
                   cwd=ROOT, capture_output=True)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "build"
    _build(out, "1")
    return out


def test_build_is_byte_identical_whatever_the_hash_seed(fresh_build, tmp_path):
    other = tmp_path / "build"
    _build(other, "4242")
    assert _tree(other) == _tree(fresh_build)


def _data_files(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The committed part of a build: everything but the site, which anyone rebuilds in a second."""
    return {name: data for name, data in tree.items() if not name.startswith(SITE_DIR + "/")}


def test_committed_build_is_current(fresh_build):
    committed, fresh = _data_files(_tree(ROOT / "build")), _data_files(_tree(fresh_build))
    assert sorted(committed) == sorted(fresh), "files differ: run `january20 build` and commit build/"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"stale in build/: {stale}; run `january20 build` and commit build/"


def test_the_site_is_built_but_not_committed(fresh_build):
    assert (fresh_build / SITE_DIR / "index.html").is_file()
    tracked = subprocess.run(["git", "ls-files", "build/" + SITE_DIR], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert tracked.stdout == "", "build/site/ is generated: it is in .gitignore and must not be committed"
