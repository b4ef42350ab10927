"""`january20 query` and the library under it: the catalogue, the embedded engine, results formats, errors."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from january20.sparql import query as q
from january20.cli import main
from january20.errors import January20Error

BUILD = Path(__file__).resolve().parents[1] / "build"
XSD = "http://www.w3.org/2001/XMLSchema#"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# --- the catalogue -------------------------------------------------------------------------------------------


def test_every_catalogue_query_states_its_question_in_a_comment():
    for entry in q.catalogue():
        assert entry.text.startswith("#"), entry.name
        assert entry.question.endswith(("?", ".", ")")) and len(entry.question) > 30, entry.name


def test_every_catalogue_query_has_its_expected_result_beside_it():
    for entry in q.catalogue():
        assert entry.expected_path.is_file(), entry.name


def test_no_expected_result_is_left_without_its_query():
    names = {e.name for e in q.catalogue()}
    for path in q.CATALOGUE_DIR.glob(f"*{q.EXPECTED_SUFFIX}"):
        assert path.name[: -len(q.EXPECTED_SUFFIX)] in names, path.name


def test_list_shows_every_catalogue_query_with_its_question():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    for entry in q.catalogue():
        assert f"{entry.name}\n    {entry.question}\n" in result.output


def test_death_toll_gap_reports_the_twenty_killed_not_placed_in_any_phase():
    result = invoke("query", "death-toll-gap", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["total"].rsplit("/", 1)[-1]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert (rows["killed-total"]["totalValue"], rows["killed-total"]["sumOfParts"],
            rows["killed-total"]["unaccounted"]) == ("131", "111", "20")


# --- running queries -----------------------------------------------------------------------------------------


def test_named_query_prints_a_table_with_prefixed_names_and_a_row_count():
    result = invoke("query", "death-toll-gap")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split(" | ")[0].strip() == "total"
    assert any(line.startswith("count:killed-total ") for line in lines)
    assert lines[-1] == "(1 row)"


def test_query_text_given_on_the_command_line_runs_over_the_union_of_the_graphs():
    result = invoke("query", COUNT_TRIPLES, "--format", "tsv")
    assert result.exit_code == 0, result.output
    triples = len((BUILD / "january20.nt").read_text(encoding="utf-8").splitlines())
    assert result.output == f'?n\n"{triples}"^^<{XSD}integer>\n'


def test_query_read_from_a_file(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("ASK { ?s a <https://schema.org/Event> }", encoding="utf-8")
    result = invoke("query", str(path))
    assert (result.exit_code, result.output) == (0, "yes\n")


def test_data_option_queries_other_files_instead_of_the_build(tmp_path):
    path = tmp_path / "tiny.ttl"
    path.write_text('<https://example.org/a> <https://example.org/b> "c"@en-GB .\n', encoding="utf-8")
    result = invoke("query", "SELECT ?o WHERE { ?s ?p ?o }", "--data", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "c", "xml:lang": "en-gb"}}]}}


def test_json_output_is_sparql_results_json_that_reads_back_to_the_same_results():
    entry = q.find_query("stated-and-resolved-dates")
    result = invoke("query", entry.name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert q.Results.from_sparql_json(json.loads(result.output)).normal_form() == entry.expected_path.read_text(
        encoding="utf-8")


def test_xml_output_names_every_variable():
    result = invoke("query", "who-ordered", "--format", "xml")
    assert result.exit_code == 0
    assert '<variable name="orderedBy"/>' in result.output
    assert "<literal xml:lang=\"en\">Mikhail Gorbachev</literal>" in result.output


def test_construct_query_prints_sorted_ntriples():
    result = invoke("query", "CONSTRUCT { ?c <https://example.org/v> ?v } WHERE { "
                    "?c a <https://w3id.org/january20/ontology#Count> ; <https://schema.org/value> ?v }")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines == sorted(lines) and len(lines) == 11 and all(line.endswith(" .") for line in lines)


# --- errors: a clean message and an exit code, never a traceback ----------------------------------------------


def test_malformed_query_exits_2_with_the_parsers_message():
    result = invoke("query", "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2
    assert "malformed query: error at 1:" in result.output
    assert "Traceback" not in result.output


def test_unknown_catalogue_name_exits_2_and_names_the_catalogue():
    result = invoke("query", "no-such-question")
    assert result.exit_code == 2
    assert "no catalogue query named 'no-such-question'" in result.output and "death-toll-gap" in result.output


@pytest.mark.parametrize("update", [
    "INSERT DATA { <https://e.org/a> <https://e.org/b> <https://e.org/c> }",
    "PREFIX e: <https://e.org/> DELETE WHERE { ?s e:p ?o }",
    "LOAD <http://127.0.0.1:1/x.ttl>",
    "CLEAR ALL",
])
def test_updates_are_refused_with_exit_2(update):
    result = invoke("query", update)
    assert result.exit_code == 2
    assert "SPARQL updates are not accepted" in result.output


def test_federated_service_query_is_refused_before_any_network_access():
    result = invoke("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 2
    assert "SERVICE (federated query) is not supported" in result.output


def test_keywords_inside_strings_iris_and_names_are_not_mistaken_for_updates():
    text = ('PREFIX ex: <https://e.org/insert/> SELECT ?service ?load WHERE { BIND("DELETE SERVICE" AS ?service) '
            'BIND(ex:drop AS ?load) } # CLEAR')
    q.check_read_only(text)  # does not raise


def test_rdf_syntax_error_in_a_data_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n<https://e.org/a> <https://e.org/b> .\n")
    result = invoke("query", COUNT_TRIPLES, "--data", str(path))
    assert result.exit_code == 1
    assert f"error: {path}:2: " in result.output
    assert "Traceback" not in result.output


def test_unknown_data_file_type_is_a_clean_error(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    result = invoke("query", COUNT_TRIPLES, "--data", str(path))
    assert result.exit_code == 1 and "unknown RDF file type '.csv'" in result.output


def test_missing_build_tells_the_user_to_build_first(tmp_path, monkeypatch):
    monkeypatch.setattr(q, "default_data_files", lambda: [tmp_path / "build" / "january20.trig"])
    result = invoke("query", COUNT_TRIPLES)
    assert result.exit_code == 1 and "run `january20 build` first" in result.output


def test_open_store_raises_january20_error_for_a_missing_file(tmp_path):
    with pytest.raises(January20Error):
        q.open_store([tmp_path / "absent.nt"])


# --- the normal form -----------------------------------------------------------------------------------------


def test_normal_form_lowercases_language_tags_and_writes_xsd_string_as_plain():
    results = q.Results(["a", "b"], [[q.Term.literal("x", language="en-GB"), q.Term.literal("y", XSD + "string")]])
    assert results.normal_form() == '?a\t?b\n"x"@en-gb\t"y"\n'


def test_normal_form_escapes_tabs_and_newlines_so_each_row_stays_one_line():
    results = q.Results(["a"], [[q.Term.literal('say "hi"\tthen\nbye\\')]])
    assert results.normal_form() == '?a\n"say \\"hi\\"\\tthen\\nbye\\\\"\n'


def test_normal_form_sorts_rows_and_leaves_unbound_values_empty():
    one, two = q.Term("uri", "https://e.org/1"), q.Term("uri", "https://e.org/2")
    results = q.Results(["a", "b"], [[two, None], [one, two]])
    assert results.normal_form() == "?a\t?b\n<https://e.org/1>\t<https://e.org/2>\n<https://e.org/2>\t\n"


def test_virtuoso_typed_literal_json_reads_as_the_same_term_as_standard_json():
    old = {"type": "typed-literal", "datatype": XSD + "integer", "value": "131"}
    new = {"type": "literal", "datatype": XSD + "integer", "value": "131"}
    assert q.term_from_json(old) == q.term_from_json(new)


# --- startup -------------------------------------------------------------------------------------------------


def test_query_command_does_not_import_rdflib_or_pyshacl():
    code = ("import sys; from click.testing import CliRunner; from january20.cli import main; "
            "r = CliRunner().invoke(main, ['query', 'victims']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_jsonld_with_a_remote_context_is_refused_without_network_access(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        path = tmp_path / "remote.jsonld"
        path.write_text(json.dumps({"@context": f"http://127.0.0.1:{listener.getsockname()[1]}/context.jsonld",
                                    "@id": "https://e.org/a", "name": "x"}), encoding="utf-8")
        result = invoke("query", COUNT_TRIPLES, "--data", str(path))
        with pytest.raises(socket.timeout):
            listener.accept()
    assert result.exit_code == 1 and str(path) in result.output and "Traceback" not in result.output


def test_published_jsonld_gives_the_same_answers_as_the_trig():
    entry = q.find_query("casualties")
    assert q.query_files(entry.text, [BUILD / "january20.jsonld"]).normal_form() == entry.expected_path.read_text(
        encoding="utf-8")


def test_check_reports_every_catalogue_query_as_expected_on_the_embedded_engine():
    result = invoke("query", "--check")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"{len(q.catalogue())} of {len(q.catalogue())} answers as expected.\n")


def test_check_shows_the_diff_of_an_answer_that_differs(tmp_path):
    (tmp_path / "events.rq").write_text("# How many events?\nSELECT (COUNT(*) AS ?n) WHERE "
                                        "{ ?e a <https://schema.org/Event> }\n", encoding="utf-8")
    (tmp_path / f"events{q.EXPECTED_SUFFIX}").write_text(f'?n\n"1"^^<{XSD}integer>\n', encoding="utf-8")
    store = q.open_store()
    (outcome,) = q.check_catalogue(lambda text: q.run(store, text), q.catalogue(tmp_path))
    assert not outcome.same
    assert f'-"1"^^<{XSD}integer>' in outcome.diff and "+\"" in outcome.diff


def test_endpoint_without_check_is_a_usage_error():
    result = invoke("query", "victims", "--endpoint", "http://127.0.0.1:1/sparql")
    assert result.exit_code == 2 and "go with --check" in result.output


@given(st.text())
def test_a_literal_in_normal_form_parses_back_as_ntriples_to_the_same_text(text):
    import pyoxigraph as ox

    line = f"<https://e.org/s> <https://e.org/p> {q.Term.literal(text).n3()} .\n"
    assert "\n" not in line[:-1] and "\t" not in line
    (quad,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == text
