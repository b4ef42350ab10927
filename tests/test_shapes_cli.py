"""`january20 validate`: the built dataset by default or any RDF files, reports people can read, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

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


def test_built_dataset_has_no_violations_and_exit_code_is_0(default_run):
    assert default_run.exit_code == 0, default_run.output
    assert default_run.output.startswith("Validation: no violations, 2 warnings.")


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
    # Besides the parts exceeding the total, the build's recorded gap (131 - 111) no longer matches the counts.
    assert lines[0] == "Validation: does not conform: 2 violations, 0 warnings."
    assert any("[shapes:DiscrepancyAgreesShape]" in line for line in lines)
    at = lines.index("  - 131 civilians killed (20 January tragedy) <https://w3id.org/january20/count/killed-total>")
    assert "add up to 111, 11 more than the total of 100" in lines[at + 1]


def test_report_groups_results_by_severity_then_shape(corrupted, tmp_path):
    # The corrupted dataset with the 20 wounded linked as a part of the 744 injured: a violation (wounded is not a
    # kind of injured) besides the total's two, and a warning (the parts fall 724 short).
    link = tmp_path / "link.nt"
    link.write_text("<https://w3id.org/january20/count/wounded-before-curfew> "
                    "<https://w3id.org/january20/ontology#partOf> "
                    "<https://w3id.org/january20/count/injured-total> .\n", encoding="utf-8")
    lines = run(str(corrupted), str(link)).output.splitlines()
    violations, warnings = lines.index("Violations (3)"), lines.index("Warnings (1)")
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
    assert result.output.startswith("Validation: no violations, 1 warning.")


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


def test_turtle_output_on_given_files_keeps_the_report_s_blank_nodes_and_makes_up_no_iri():
    result = run("--format", "turtle", CONTEXT, str(CORPUS / "count-value-negative.ttl"))
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    assert isinstance(report.value(None, RDF.type, SH.ValidationReport), BNode)
    assert "/validation/" not in result.output
    assert "sh:ValidationReport" in result.output and "shapes#CountValueShape" in result.output.replace(
        "shapes:", "shapes#")


def test_turtle_output_on_the_built_dataset_names_its_blank_nodes_as_the_build_report_does():
    result = run("--format", "turtle")
    assert result.exit_code == 0
    report = Graph().parse(data=result.output, format="turtle")
    assert not any(isinstance(t, BNode) for triple in report for t in triple)
    assert result.output == (Path(__file__).parents[1] / "build" / "validation-report.ttl").read_text("utf-8")


def test_warnings_alone_make_sh_conforms_false_in_turtle_and_json():
    files = (CONTEXT, str(CORPUS / "parts-add-up-to-less-than-total.ttl"))
    turtle, as_json = run("--format", "turtle", *files), run("--format", "json", *files)
    assert (turtle.exit_code, as_json.exit_code) == (0, 0)
    assert list(Graph().parse(data=turtle.output, format="turtle").objects(None, SH.conforms)) == [Literal(False)]
    assert json.loads(as_json.output)["conforms"] is False


def test_no_result_at_all_conforms(tmp_path):
    data, shapes = _third_party(tmp_path, "ex:a ex:name \"A\"@en .")
    result = run(str(data), "--shapes", str(shapes))
    assert (result.exit_code, result.output) == (0, "Validation: conforms: 0 violations, 0 warnings.\n")


def _third_party(tmp_path: Path, data: str, shapes: str = "") -> tuple[Path, Path]:
    """Someone's data file and a folder with their shapes: every ex:Thing, and every node with an ex:name, must
    have an ex:name with a language tag."""
    prefixes = ("@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> . "
                "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . "
                "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
    (tmp_path / "shapes").mkdir()
    (tmp_path / "data.ttl").write_text(prefixes + data, encoding="utf-8")
    (tmp_path / "shapes" / "shapes.ttl").write_text(prefixes + (shapes or """
        ex:Named a sh:NodeShape ; sh:targetClass ex:Thing ; sh:targetSubjectsOf ex:name ;
            sh:property ex:NameShape .
        ex:NameShape sh:path ex:name ; sh:minCount 1 ; sh:datatype rdf:langString ."""),
        encoding="utf-8")
    return tmp_path / "data.ttl", tmp_path / "shapes"


def test_blank_nodes_of_someone_s_data_stay_blank_in_the_turtle_and_json_reports(tmp_path):
    data, shapes = _third_party(tmp_path, "[] a ex:Thing . [] ex:name \"no tag\" .")
    turtle = run("--format", "turtle", str(data), "--shapes", str(shapes))
    as_json = run("--format", "json", str(data), "--shapes", str(shapes))
    assert (turtle.exit_code, as_json.exit_code) == (1, 1)
    report = Graph().parse(data=turtle.output, format="turtle")
    focus = list(report.objects(None, SH.focusNode))
    assert len(focus) == 2 and all(isinstance(f, BNode) for f in focus) and focus[0] != focus[1]
    assert "w3id.org" not in turtle.output
    results = json.loads(as_json.output)["results"]
    focus_json = [r["focus"] for r in results]
    assert len(set(focus_json)) == 2 and all(f.startswith("_:b") for f in focus_json)


def test_text_report_shows_a_blank_node_by_its_label_in_the_report(tmp_path):
    data, shapes = _third_party(tmp_path, "[] ex:name \"no tag\" .")
    result = run(str(data), "--shapes", str(shapes))
    assert result.exit_code == 1
    assert "  - _:b3\n" in result.output


def test_a_report_on_blank_nodes_is_written_the_same_way_every_time(tmp_path):
    data, shapes = _third_party(tmp_path, "[] a ex:Thing . [] ex:name \"no tag\" . [] ex:name 3 .")
    outputs = {run("--format", fmt, str(data), "--shapes", str(shapes)).output for fmt in ("turtle",) * 3}
    assert len(outputs) == 1


def test_someone_else_s_shapes_see_exactly_their_data_without_the_project_s_vocabulary(tmp_path):
    data, shapes = _third_party(tmp_path, "ex:a ex:name \"A\"@en .", """
        ex:NoConcepts a sh:PropertyShape ; sh:targetClass skos:Concept ; sh:maxCount 0 ; sh:path skos:prefLabel .""")
    assert run(str(data), "--shapes", str(shapes)).output.startswith("Validation: conforms:")
    asked = run("--with-project-vocabulary", str(data), "--shapes", str(shapes))
    assert asked.exit_code == 1 and "skos:prefLabel" in asked.output


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


# A count whose label moves the cursor up, erases the line and paints a verdict of its own, then turns the rest of
# the line right to left; and whose value rings the bell and sets the terminal's title.
HOSTILE = r'''@base <https://w3id.org/january20/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix j20: <https://w3id.org/january20/ontology#> .

<count/hostile> a j20:Count ;
    schema:value "five\u001b]0;pwned\u0007" ;
    j20:countedCategory <concept/count-categories/killed> ;
    j20:countedThing <concept/counted-things/civilians> ;
    j20:inEvent <event/context> ;
    rdfs:label "x\u001b[1A\u001b[2K\rValidation: conforms: 0 violations, 0 warnings.\n\u202eevil\u009b2J"@en ;
    prov:wasDerivedFrom <source/context/excerpt/0-10> .
<event/context> j20:hasCount <count/hostile> .
'''
HOSTILE_LABEL = "x\x1b[1A\x1b[2K\rValidation: conforms: 0 violations, 0 warnings.\n\u202eevil\x9b2J"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_no_control_character_from_the_data_reaches_the_text_report(hostile):
    from january20.errors import TERMINAL_CONTROLS

    result = run(CONTEXT, str(hostile))
    assert result.exit_code == 1
    assert not set(result.output) & (TERMINAL_CONTROLS - {"\n"})
    assert ("  - x\\x1b[1A\\x1b[2K\\x0dValidation: conforms: 0 violations, 0 warnings.\\x0a\\u202eevil\\x9b2J "
            "<https://w3id.org/january20/count/hostile>") in result.output.splitlines()
    assert '      value: "five\\x1b]0;pwned\\x07"' in result.output.splitlines()


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_the_json_and_turtle_reports_escape_control_characters_and_read_back_as_they_were(hostile, fmt):
    from january20.errors import TERMINAL_CONTROLS

    result = run("--format", fmt, CONTEXT, str(hostile))
    assert result.exit_code == 1
    assert not set(result.output) & (TERMINAL_CONTROLS - {"\n", "\t"})
    if fmt == "json":  # the label, as the data has it
        assert HOSTILE_LABEL in {r["subject_label"] for r in json.loads(result.output)["results"]}
    else:  # the offending value, as the data has it (a SHACL report holds no labels)
        assert "five\x1b]0;pwned\x07" in {str(o) for o in Graph().parse(data=result.output, format="turtle").objects()}


def test_an_error_naming_a_file_with_an_escape_sequence_in_its_name_is_one_escaped_line(tmp_path):
    path = tmp_path / "edit\x1b[2J\n.ttl"
    result = run(str(path))
    assert result.exit_code == 2
    assert f"error: {tmp_path}/edit\\x1b[2J\\x0a.ttl: cannot read: No such file or directory\n" == result.output
