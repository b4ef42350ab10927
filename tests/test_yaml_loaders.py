"""Facts files are read with libyaml where PyYAML has it, and with the pure-Python loader otherwise or when libyaml
refuses a file: both must give the same records with the same line numbers, so the choice never shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from january20.sources import facts
from january20.sources.cited import is_cited_file
from january20.sources.facts import load_facts
from january20.graph.vocabulary import concept_slugs, parse_turtle

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# Every facts file at hand, broken ones too, but for the two too big to walk when expanded (nesting, alias bomb).
READABLE = sorted([*(ROOT / "data" / "sources").glob("*/facts.yaml"), *(TESTS / "fixtures").rglob("*.yaml"),
                   *(p for p in (TESTS / "bad_facts").glob("*.yaml") if p.stem not in ("deeply-nested", "alias-bomb"))])
needs_libyaml = pytest.mark.skipif(facts._CLineLoader is None, reason="PyYAML was built without libyaml")


def with_lines(value):
    """The value with every line number it carries, so that two loads compare lines as well as contents."""
    if isinstance(value, dict):
        return ("map", getattr(value, "line", None), sorted(getattr(value, "key_lines", {}).items()),
                [(k, with_lines(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", getattr(value, "line", None), getattr(value, "item_lines", None),
                [with_lines(v) for v in value])
    return value


def load(path: Path, loader):
    try:
        return ("value", with_lines(yaml.load(path.read_text(encoding="utf-8"), Loader=loader)))  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        return ("error", type(exc).__name__)


@needs_libyaml
@pytest.mark.parametrize("path", READABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_reads_each_file_as_the_pure_loader_does(path):
    pure = load(path, facts._LineLoader)
    fast = load(path, facts._CLineLoader)
    if fast[0] == "error":
        assert pure[0] == "error"  # refused by libyaml: read_yaml asks the pure loader for its words
    else:
        assert fast == pure


@needs_libyaml
def test_a_synthetic_corpus_is_read_by_libyaml_as_by_the_pure_loader(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    root = generate(3, tmp_path / "project")
    for path in sorted(Path(root).glob("data/sources/*/facts.yaml")):
        assert load(path, facts._CLineLoader) == load(path, facts._LineLoader)


def test_without_libyaml_the_pure_loader_reads_the_facts(monkeypatch):
    concepts = concept_slugs(parse_turtle(ROOT / "ontology" / "concepts.ttl"))
    [path] = [p for p in sorted((ROOT / "data" / "sources").glob("*/facts.yaml")) if not is_cited_file(p)]
    with_c = load_facts(path, concepts)
    monkeypatch.setattr(facts, "_CLineLoader", None)
    without_c = load_facts(path, concepts)
    assert (with_lines(without_c.source), with_lines(without_c.sections)) == \
        (with_lines(with_c.source), with_lines(with_c.sections))


# Documents that the plain constructor (facts._PlainConstructor) leaves to PyYAML's: explicit tags, a merge key, a
# duplicate or non-scalar key; plain ones with every kind of scalar; and anchors and aliases, which both refuse.
DOCUMENTS = [
    "a: &x [1, {b: 2}]\nc: *x\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!str 12\nb: !!int '7'\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x}\n",
    "a: &x [*x]\n",
    "a: 1\na: 2\n",
    "? [1]\n: 2\n",
    "",
    "- 2020-01-01\n- --01-18\n- 0x1F\n- 1_000\n- .inf\n- ~\n- yes\n- 12:30\n- ''\n- 3.5\n- null\n",
    "!!python/object:os.system {}\n",
]


def load_text(text: str, loader):
    try:
        return ("value", with_lines(yaml.load(text, Loader=loader)))  # noqa: S506
    except yaml.MarkedYAMLError as exc:  # libyaml's marks do not quote the line: compare what and where
        return ("error", type(exc).__name__, exc.problem, exc.problem_mark.line, exc.problem_mark.column)


@needs_libyaml
@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_beyond_plain_mappings_and_lists_are_read_as_the_pure_loader_reads_them(text):
    assert load_text(text, facts._CLineLoader) == load_text(text, facts._LineLoader)


@pytest.mark.parametrize("loader", [facts._LineLoader, facts._CLineLoader], ids=["pure", "libyaml"])
@pytest.mark.parametrize("text,line", [("a: &x [1, {b: 2}]\n", 1), ("a: 1\nb: *x\n", 2), ("a: [1, &x two]\n", 1)])
def test_an_anchor_or_an_alias_is_refused_by_either_loader_with_its_line(loader, text, line):
    if loader is None:
        pytest.skip("PyYAML was built without libyaml")
    with pytest.raises(facts._Refused) as caught:
        yaml.load(text, Loader=loader)  # noqa: S506
    assert caught.value.problem_mark.line + 1 == line
    assert "anchors and aliases are not accepted" in caught.value.problem


@needs_libyaml
def test_a_facts_file_is_made_without_pyyamls_constructor_or_the_pure_loader(monkeypatch):
    [path] = [p for p in sorted((ROOT / "data" / "sources").glob("*/facts.yaml")) if not is_cited_file(p)]

    def refuse(*args, **kwargs):
        raise AssertionError("the slow path was taken for a plain facts file")

    monkeypatch.setattr(facts._CLineLoader, "construct_object", refuse)
    monkeypatch.setattr(facts, "_LineLoader", None)  # yaml.load(Loader=None) would fail loudly too
    assert facts.read_yaml(path)["source"]["id"]


@needs_libyaml
def test_each_field_name_is_one_string_for_every_record():
    # a corpus repeats "id", "quote" ... hundreds of thousands of times: one string each, not one per record
    data = yaml.load("- {id: a, quote: x}\n- {id: b, quote: y}\n", Loader=facts._CLineLoader)  # noqa: S506
    first, second = (next(k for k in record if k == "quote") for record in data)
    assert first is second
