"""Facts files are read with libyaml where PyYAML has it, and with the pure-Python loader otherwise or when libyaml
refuses a file: both must give the same records with the same line numbers, so the choice never shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from january20 import facts
from january20.facts import load_facts
from january20.vocabulary import concept_slugs, parse_turtle

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
    [path] = sorted((ROOT / "data" / "sources").glob("*/facts.yaml"))
    with_c = load_facts(path, concepts)
    monkeypatch.setattr(facts, "_CLineLoader", None)
    without_c = load_facts(path, concepts)
    assert (with_lines(without_c.source), with_lines(without_c.sections)) == \
        (with_lines(with_c.source), with_lines(with_c.sections))
