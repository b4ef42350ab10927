"""`january20 validate`: the built dataset by default or any RDF files, reports people can read, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph

from january20.cli import main

CORPUS = Path(__file__).parent / "shapes_corpus"
CONTEXT = str(Path(__file__).parent / "fixtures" / "shapes-context.ttl")


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory) -> Path:
    """The built dataset with the final toll of 131 killed changed to 100."""
    built = Path(__file__).parents[1] / "build" / "january20.nt"
    lines = built.read_text(encoding="utf-8").splitlines(keepends=True)
    target = [i for i, line in enumerate(lines)
              if line.startswith("<https://w3id.org/january20/count/killed-total> <https://schema.org/value> ")]
    assert len(target) == 1
    lines[target[0]] = lines[target[0]].replace('"131"', '"100"')
    path = tmp_path_factory.mktemp("corrupted") / "january20.nt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def default_run():
    return run()


def test_built_dataset_conforms_and_exit_code_is_0(default_run):
    assert default_run.exit_code == 0, default_run.output
    assert default_run.output.startswith("Validation: conforms: 0 violations, 3 warnings.")


def test_built_dataset_report_prints_the_111_of_131_warning_by_label(default_run):
    out = default_run.output
    assert "131 civilians killed (20 January tragedy) <https://w3id.org/january20/count/killed-total>" in out
    assert "add up to 111, 20 fewer than the total of 131" in out


@pytest.fixture(scope="module")
def corrupted_run(corrupted):
    return run(str(corrupted))


def test_corrupted_total_exits_1_with_a_violation_naming_the_count_by_its_label(corrupted_run):
    result = corrupted_run
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Validation: does not conform: 1 violation, 1 warning."
    at = lines.index("  - 131 civilians killed (20 January tragedy) <https://w3id.org/january20/count/killed-total>")
    assert "add up to 111, 11 more than the total of 100" in lines[at + 1]


def test_report_groups_results_by_severity_then_shape(corrupted_run):
    lines = corrupted_run.output.splitlines()
    violations, warnings = lines.index("Violations (1)"), lines.index("Warnings (1)")
    over = next(i for i, line in enumerate(lines) if "[shapes:PartsNotAboveTotalShape]" in line)
    under = next(i for i, line in enumerate(lines) if "[shapes:PartsBelowTotalShape]" in line)
    assert violations < over < warnings < under


def test_violation_names_the_thing_its_property_its_value_and_what_is_expected():
    result = run(CONTEXT, str(CORPUS / "count-value-negative.ttl"))
    assert result.exit_code == 1
    assert "  - count-value-negative <https://w3id.org/january20/count/count-value-negative>" in result.output
    assert "property: schema:value" in result.output
    assert 'value: "-5"^^xsd:integer' in result.output
    assert "a whole number of 0 or more" in result.output


def test_warnings_alone_exit_0():
    result = run(CONTEXT, str(CORPUS / "parts-add-up-to-less-than-total.ttl"))
    assert result.exit_code == 0
    assert result.output.startswith("Validation: conforms: 0 violations, 1 warning.")


def test_syntax_error_exits_2_with_one_line_naming_file_and_line(tmp_path):
    bad = tmp_path / "edit.ttl"
    bad.write_text('@prefix schema: <https://schema.org/> .\n\n<a> schema:name "unterminated .\n', encoding="utf-8")
    result = run(str(bad))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: {bad}:")


def test_missing_file_exits_2(tmp_path):
    result = run(str(tmp_path / "nowhere.ttl"))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_missing_shapes_folder_exits_2(tmp_path):
    result = run("--shapes", str(tmp_path), str(CORPUS / "count-value-negative.ttl"))
    assert result.exit_code == 2
    assert "no shapes found" in result.output


@pytest.fixture(scope="module")
def turtle_run():
    return run(CONTEXT, str(CORPUS / "part-larger-than-total.ttl"))


@pytest.mark.parametrize("fmt", ["nt", "trig", "jsonld"])
def test_other_syntaxes_give_the_same_report(fmt, tmp_path, turtle_run):
    graph = Graph().parse(CORPUS / "part-larger-than-total.ttl")
    converted = tmp_path / f"edit.{fmt}"
    graph.serialize(converted, format={"nt": "nt", "trig": "trig", "jsonld": "json-ld"}[fmt], encoding="utf-8")
    result = run(CONTEXT, str(converted))
    assert result.exit_code == 1
    assert result.output == turtle_run.output


def test_json_output_lists_each_result_with_names():
    result = run("--format", "json", CONTEXT, str(CORPUS / "part-larger-than-total.ttl"))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    shapes = {r["shape"].rsplit("#", 1)[-1]: r for r in report["results"]}
    part = shapes["PartNotAboveTotalShape"]
    assert part["severity"] == "Violation"
    assert part["subject"] == "https://w3id.org/january20/count/part-larger-than-total-part"
    assert part["subject_label"] == "part-larger-than-total-part"


def test_turtle_output_is_a_shacl_report_without_blank_nodes():
    result = run("--format", "turtle", CONTEXT, str(CORPUS / "count-value-negative.ttl"))
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    assert not any(isinstance(t, BNode) for triple in report for t in triple)
    assert "sh:ValidationReport" in result.output and "shapes#CountValueShape" in result.output.replace(
        "shapes:", "shapes#")


def test_engine_pyshacl_gives_the_same_report_as_the_default(corrupted_run, corrupted):
    """`--engine pyshacl` runs the reference engine; the default (our own) must say exactly the same."""
    for fmt in ("text", "turtle"):
        ours = run("--format", fmt, str(corrupted)) if fmt != "text" else corrupted_run
        reference = run("--engine", "pyshacl", "--format", fmt, str(corrupted))
        assert reference.exit_code == ours.exit_code == 1
        assert reference.output == ours.output


def test_unknown_engine_exits_2():
    result = run("--engine", "other")
    assert result.exit_code == 2
    assert "other" in result.output
