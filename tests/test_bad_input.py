"""Bad input gets a clear error: every broken facts file and RDF file of the corpus, through the library.

The corpora are tests/bad_facts/ (one file per mistake, its expected messages in its header) and tests/bad_rdf/
(expected line and message in expected.tsv). The same files go through the command line in test_no_traceback.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from january20.errors import January20Error
from january20.graph.dataset import load_inputs
from january20.sources.cited import is_cited_file
from january20.sources.facts import MAX_YAML_BYTES, load_facts
from january20.rdf.read import read_rdf, read_rdf_dataset
from january20.graph.vocabulary import concept_slugs, parse_turtle

try:
    from tests.support.project import copy_project
except ImportError:
    from support.project import copy_project

TESTS = Path(__file__).resolve().parent
# A broken cited source's facts file goes into a folder of its own beside the project's sources (its mistakes are
# about references to the other files), where a broken full-text facts file replaces the seed's.
CITED_FOLDER = Path("data/sources/zz-bad-cited")
ROOT = TESTS.parent
ARTICLE = ROOT / "data" / "sources" / "caliber-az-20-january-commemoration" / "article.txt"
BAD_FACTS = sorted((TESTS / "bad_facts").glob("*.yaml"))
BAD_RDF = [line.split("\t") for line in (TESTS / "bad_rdf" / "expected.tsv").read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("#")]


def expected_messages(path: Path) -> list[str]:
    head = path.read_bytes().split(b"\n\n", 1)[0].decode("utf-8")
    return [line[len("# expect: "):] for line in head.splitlines() if line.startswith("# expect: ")]


@pytest.fixture(scope="module")
def concepts():
    return concept_slugs(parse_turtle(ROOT / "ontology" / "concepts.ttl"))


def beside_the_article(tmp_path: Path, facts: Path) -> Path:
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    target = tmp_path / "facts.yaml"
    shutil.copy(facts, target)
    return target


def test_the_corpus_covers_every_mistake_the_issue_names():
    names = {p.stem for p in BAD_FACTS}
    assert {"yaml-syntax-error", "missing-required-field", "misspelt-field", "count-written-in-words",
            "unknown-reference", "duplicate-id", "quote-not-in-source", "quote-occurs-twice", "impossible-date",
            "count-negative", "part-larger-than-total", "several-mistakes", "yaml-python-object-tag"} <= names
    assert {"cited-source-without-address", "cited-source-without-check-date", "cited-figure-without-locator",
            "cited-range-low-above-high", "cited-unknown-qualifier", "cited-unknown-quantity", "cited-unknown-event",
            "cited-unknown-place", "cited-source-id-used-twice"} <= names


def test_the_minimal_facts_file_the_corpus_is_made_from_is_valid(tmp_path, concepts):
    facts = load_facts(beside_the_article(tmp_path, TESTS / "fixtures" / "minimal-facts.yaml"), concepts)
    assert len(facts.records("counts")) == 2


def beside_the_project(tmp_path: Path, facts: Path) -> tuple[Path, object]:
    project = copy_project(tmp_path / "project")
    target = project.root / CITED_FOLDER / "facts.yaml"
    target.parent.mkdir(parents=True)
    shutil.copy(facts, target)
    return target, project


def test_the_minimal_cited_source_the_corpus_is_made_from_is_valid(tmp_path):
    _, project = beside_the_project(tmp_path, TESTS / "fixtures" / "minimal-cited.yaml")
    cited = {c.id: c for c in load_inputs(project).cited}
    assert len(cited["minimal-cited-page"].figures) == 2


@pytest.mark.parametrize("bad", BAD_FACTS, ids=lambda p: p.stem)
def test_each_broken_facts_file_reports_exactly_its_mistakes_with_line_and_field(tmp_path, concepts, bad):
    if is_cited_file(bad):
        path, project = beside_the_project(tmp_path, bad)
        with pytest.raises(January20Error) as caught:
            load_inputs(project)
    else:
        path = beside_the_article(tmp_path, bad)
        with pytest.raises(January20Error) as caught:
            load_facts(path, concepts)
    reported = [str(problem)[len(str(path)):] for problem in caught.value.problems]
    assert reported == expected_messages(bad)
    assert all(problem.file == str(path) for problem in caught.value.problems)


def test_every_mistake_in_a_file_is_reported_in_one_run(tmp_path, concepts):
    path = beside_the_article(tmp_path, TESTS / "bad_facts" / "several-mistakes.yaml")
    with pytest.raises(January20Error) as caught:
        load_facts(path, concepts)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["places[0] (baku).name", "events[0] (commemoration).stated_date",
                      "events (20-january-tragedy).quote", "counts[0] (killed-total).value"]


def test_a_yaml_tag_for_a_python_object_is_never_constructed(tmp_path, concepts):
    marker = tmp_path / "created-by-yaml"
    text = (TESTS / "fixtures" / "minimal-facts.yaml").read_text(encoding="utf-8")
    text = text.replace("    name: Baku\n", f"    name: !!python/object/apply:os.mkdir [{str(marker)!r}]\n")
    path = beside_the_article(tmp_path, TESTS / "fixtures" / "minimal-facts.yaml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(January20Error, match="could not determine a constructor"):
        load_facts(path, concepts)
    assert not marker.exists()


def test_a_facts_file_over_the_size_limit_is_refused_before_parsing(tmp_path, concepts):
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"# padding\n" * (MAX_YAML_BYTES // 10 + 1))
    with pytest.raises(January20Error, match="over the limit"):
        load_facts(path, concepts)


@pytest.mark.parametrize("name,line,fragment", BAD_RDF, ids=[row[0] for row in BAD_RDF])
def test_each_broken_rdf_file_is_reported_with_the_parsers_words_and_its_line(name, line, fragment):
    path = TESTS / "bad_rdf" / name
    with pytest.raises(January20Error) as caught:
        read_rdf([path])
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (str(path), None if line == "-" else int(line))
    assert fragment in problem.message


def test_every_broken_rdf_file_is_reported_in_one_run():
    paths = [TESTS / "bad_rdf" / row[0] for row in BAD_RDF]
    with pytest.raises(January20Error) as caught:
        read_rdf_dataset(paths)
    assert [p.file for p in caught.value.problems] == [str(p) for p in paths]


def test_the_size_limit_applies_to_all_files_together(tmp_path):
    one = tmp_path / "one.nt"
    one.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    size = one.stat().st_size
    assert len(read_rdf([one], max_bytes=size)) == 1
    with pytest.raises(January20Error, match="over the limit"):
        read_rdf([one, one], max_bytes=2 * size - 1)


def test_an_endless_input_is_refused_not_read_forever(tmp_path):
    endless = tmp_path / "endless.nt"
    endless.symlink_to("/dev/zero")
    with pytest.raises(January20Error, match="refused: a character device, expected a regular RDF file"):
        read_rdf([endless], max_bytes=1024)


def test_the_datasets_own_context_is_read_from_disk_by_its_iri(tmp_path):
    doc = tmp_path / "own.jsonld"
    doc.write_text('{"@context": "https://w3id.org/january20/context.jsonld", '
                   '"@id": "https://w3id.org/january20/place/baku", "@type": "schema:Place"}')
    graph = read_rdf([doc], context_file=ROOT / "ontology" / "context.jsonld")
    assert len(graph) == 1


def test_rdfxml_without_a_dtd_is_accepted(tmp_path):
    doc = tmp_path / "ok.rdf"
    doc.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
                   '<ex:p>fish &amp; chips</ex:p></rdf:Description>\n</rdf:RDF>\n')
    [(_, _, value)] = list(read_rdf([doc]))
    assert str(value) == "fish & chips"


def test_a_quote_of_a_million_characters_is_shown_cut_short_in_its_error(tmp_path, concepts):
    path = beside_the_article(tmp_path, TESTS / "fixtures" / "minimal-facts.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    quote: Alley of Martyrs in Baku\n", f"    quote: Alley {'x' * 1_000_000}\n", 1),
                    encoding="utf-8")
    with pytest.raises(January20Error) as caught:
        load_facts(path, concepts)
    [problem] = caught.value.problems
    assert problem.field == "places (baku).quote" and len(str(problem)) < len(str(path)) + 400
    assert problem.message.startswith("quote not found in the source text: 'Alley xxx")


def test_an_editorial_link_to_a_list_is_an_error_not_a_crash(tmp_path):
    from january20.sources.editorial import load_enrichment

    path = tmp_path / "enrichment.yaml"
    path.write_text("links:\n  - {reference: [Baku, Baku], record: baku}\nresolved_dates: []\n", encoding="utf-8")
    with pytest.raises(January20Error) as caught:
        load_enrichment(path, ROOT / "data" / "reference" / "entities.yaml", {"baku": {}})
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: links[0].reference: no entity named ['Baku', 'Baku'] in entities.yaml"]
