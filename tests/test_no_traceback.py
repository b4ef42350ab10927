"""No path in the command line prints a Python traceback for any input in the corpus of bad inputs.

Each broken facts file (tests/bad_facts/) is built by `january20 build --project` in a copy of the project, each
broken RDF file (tests/bad_rdf/) is given to every command that reads users' RDF files, and click's own usage
errors are tried too; each must exit non-zero with the expected message and no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

try:
    from tests.support.project import FACTS, cli, copy_project
    from tests.test_bad_input import BAD_FACTS, BAD_RDF, CITED_FOLDER, expected_messages
except ImportError:
    from support.project import FACTS, cli, copy_project
    from test_bad_input import BAD_FACTS, BAD_RDF, CITED_FOLDER, expected_messages
from january20.sources.cited import is_cited_file

TESTS = Path(__file__).resolve().parent
EMPTY_ENRICHMENT = "links: []\nresolved_dates: []\n"
# Commands that read RDF files a user gives them, and how to give one.
RDF_READERS = {
    "query": lambda path: ["query", "--data", str(path), "ASK { ?s ?p ?o }"],
    "validate": lambda path: ["validate", str(path)],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The project with its editorial enrichment emptied and without its cited sources and quantities (which refer
    to the seed's records), so that a small facts file is all a build needs."""
    project = copy_project(tmp_path_factory.mktemp("template"))
    project.editorial_file.write_text(EMPTY_ENRICHMENT, encoding="utf-8")
    project.quantities_file.unlink()
    for path in project.facts_files():
        if is_cited_file(path):
            shutil.rmtree(path.parent)
    return project.root


@pytest.fixture(scope="module")
def full_template(tmp_path_factory):
    """The whole project: a broken cited source is built beside the seed and the other sources it refers to."""
    return copy_project(tmp_path_factory.mktemp("full")).root


def assert_clean_failure(result, code: int = 1) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == code, result.stderr


@pytest.mark.parametrize("bad", BAD_FACTS, ids=lambda p: p.stem)
def test_building_a_broken_facts_file_prints_its_errors_and_no_traceback(tmp_path, template, full_template, bad):
    project = tmp_path / "project"
    shutil.copytree(full_template if is_cited_file(bad) else template, project)
    target = project / (CITED_FOLDER / "facts.yaml" if is_cited_file(bad) else FACTS)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(bad, target)
    result = cli("build", "--project", str(project), "--out", str(tmp_path / "out"))
    assert_clean_failure(result)
    for message in expected_messages(bad):
        assert f"error: {target}{message}" in result.stderr.splitlines()
    assert not (tmp_path / "out").exists()


def test_the_minimal_facts_file_builds_from_the_command_line(tmp_path, template):
    project = tmp_path / "project"
    shutil.copytree(template, project)
    shutil.copy(TESTS / "fixtures" / "minimal-facts.yaml", project / FACTS)
    result = cli("build", "--project", str(project), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "january20.ttl").is_file()


@pytest.mark.parametrize("command", sorted(RDF_READERS))
@pytest.mark.parametrize("name,line,fragment", BAD_RDF, ids=[row[0] for row in BAD_RDF])
def test_a_broken_rdf_file_gets_a_clean_error_from_every_command_that_reads_one(command, name, line, fragment):
    path = TESTS / "bad_rdf" / name
    result = cli(*RDF_READERS[command](path))
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode != 0
    [first, *_] = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert first.startswith(f"error: {path}" + ("" if line == "-" else f":{line}")), first


@pytest.mark.parametrize("args", [
    ["build", "--no-such-option"],
    ["build", "--base", "not an iri"],
    ["build", "--project", "/no/such/folder"],
    ["build", "--out", str(TESTS / "bad_rdf" / "not-rdf.csv")],
    ["no-such-command"],
    ["query", "--format", "yaml", "ASK {}"],
], ids=lambda a: " ".join(a)[:40])
def test_a_bad_option_gets_clicks_usage_error_and_no_traceback(args):
    assert_clean_failure(cli(*args), code=2)


def test_building_into_a_folder_that_is_not_an_earlier_output_is_refused_cleanly(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("build", "--out", str(tmp_path))
    assert_clean_failure(result)
    assert "refusing to replace this folder" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
