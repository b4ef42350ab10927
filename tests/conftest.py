"""Shared fixtures: the project as checked out, and one build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from january20.build import BuildResult, render
from january20.resources import Project, default_project

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "sources" / "caliber-az-20-january-commemoration" / "article.txt"


@pytest.fixture(scope="session")
def project() -> Project:
    return default_project()


@pytest.fixture(scope="session")
def rendered(project) -> BuildResult:
    return render(project)


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
