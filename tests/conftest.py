"""Shared fixtures: the project as checked out, one build of it per test session (in memory, and written to a
temporary folder, site included: the committed build/ holds the data files only), and its shapes and ontology."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from january20.build import BuildResult, render
from january20.publish.atomic import write_atomically
from january20.resources import Project, default_project
from january20.shacl.validation import load_shapes
from january20.graph.vocabulary import parse_turtle

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "sources" / "caliber-az-20-january-commemoration" / "article.txt"


@pytest.fixture(scope="session")
def project() -> Project:
    return default_project()


@pytest.fixture(scope="session")
def rendered(project) -> BuildResult:
    return render(project)


@pytest.fixture(scope="session")
def build_dir(rendered, tmp_path_factory) -> Path:
    """The session's one build written to a fresh folder the way ``january20 build`` writes it: every output,
    the site (``site/``, not committed) included."""
    out = tmp_path_factory.mktemp("session-build") / "build"
    write_atomically(rendered.files, out)
    return out


@pytest.fixture(scope="session")
def graph(rendered) -> Graph:
    return rendered.built.union()


@pytest.fixture(scope="session")
def facts_graph(rendered) -> Graph:
    return rendered.built.graphs["facts"]


@pytest.fixture(scope="session")
def editorial_graph(rendered) -> Graph:
    return rendered.built.graphs["editorial"]


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


# Per module, not per session: pySHACL adds triples to a shapes graph it is given, and no module may see another's.
# (test_shapes.py and test_shapes_corpus.py keep session-scoped ones of their own, which their session fixtures need.)
@pytest.fixture(scope="module")
def shapes(project) -> Graph:
    return load_shapes(project.shapes_dir)


@pytest.fixture(scope="module")
def ontology(project) -> Graph:
    return parse_turtle(project.ontology_file)
