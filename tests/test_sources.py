"""More sources are added as folders, without code changes: shared places merge, anything else must not clash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from january20.graph.dataset import build_dataset
from january20.errors import January20Error
from january20.resources import Project

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


def project_with(tmp_path: Path, facts_text: str) -> Project:
    """The real project plus a second source: the mini article with the given facts file."""
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    second = tmp_path / "data" / "sources" / "mini"
    second.mkdir()
    shutil.copy(MINI / "article.txt", second / "article.txt")
    (second / "facts.yaml").write_text(facts_text, encoding="utf-8")
    return Project(tmp_path)


def mini_facts(**replace: str) -> str:
    text = (MINI / "facts.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_a_second_source_builds_beside_the_first(tmp_path):
    built = build_dataset(project_with(tmp_path, mini_facts()))
    assert [s.id for s in built.sources] == ["caliber-az-20-january-commemoration", "mini"]


def test_an_event_id_reused_by_another_source_is_refused_naming_both_files(tmp_path):
    facts = mini_facts(**{"testville-killings": "commemoration"})
    with pytest.raises(January20Error, match=r"id 'commemoration' is already used by .*caliber-az.*facts.yaml"):
        build_dataset(project_with(tmp_path, facts))


def test_a_place_shared_by_two_sources_must_be_described_alike(tmp_path):
    facts = mini_facts(**{"{id: testville, name: Testville, kind: city": "{id: baku, name: Bakoo, kind: city",
                          "[testville]": "[baku]", "place: testville": "place: baku"})
    with pytest.raises(January20Error, match="'baku' is shared with .* another name or kind"):
        build_dataset(project_with(tmp_path, facts))


@pytest.mark.parametrize("text", ["22 people", "killed 22", "(22)", "122 people", "221", "2 and 22", "22", "",
                                  "٢22", "22٣", "x22x", "2022 and 22.", "1,022"])
@pytest.mark.parametrize("number", [22, 2, 0])
def test_a_number_is_found_in_a_quote_as_the_regular_expression_finds_it(text, number):
    import re

    from january20.sources.facts import _states_number

    assert _states_number(text, number) == bool(re.search(rf"(?<!\d){number}(?!\d)", text))
