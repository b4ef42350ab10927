"""Property-based tests: whatever names a historian types, the build works and every format says the same; whatever
mess a facts file is, the loader answers with errors, never a crash; minted IRIs are valid and never collide.

Hypothesis generates the inputs; example counts are kept small (each valid-facts example is a whole build).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from january20.build import build
from january20.errors import January20Error
from january20.sources.facts import load_facts
from january20.names import KINDS, SLUG, Names
from january20.rdf.read import read_rdf, read_rdf_dataset
from january20.resources import Project
from january20.graph.vocabulary import concept_slugs, parse_turtle

try:
    from tests.support.project import ROOT
except ImportError:
    from support.project import ROOT

SOURCE_ID = "generated-source"
# Characters that break naive serialisers: quotes and backslashes, Hebrew and Arabic (right to left), emoji outside
# the Basic Multilingual Plane, Azerbaijani letters, and YAML's own punctuation. (A name may hold no control or
# bidirectional formatting character: the places' quotes below carry a newline, as an article's lines do.)
AWKWARD = "\"'\\ əşğƏŞĞıöüçאבגעربعة😀🕯️ :#&*!|>%@`{},"
NAME = st.text(alphabet=st.sampled_from(list("abcdefgxyz ABC") + list(AWKWARD)), min_size=1, max_size=24).map(
    lambda s: s.strip()).filter(lambda s: s != "" and "[" not in s)

COUNTS = st.integers(min_value=0, max_value=10**9)


@st.composite
def facts_and_article(draw):
    """A small article and a facts file resting on it: every quote is a unique marker plus a generated name."""
    place_names = draw(st.lists(NAME, min_size=1, max_size=3))
    agent_names = draw(st.lists(NAME, min_size=0, max_size=2))
    event_name = draw(NAME)
    counts = draw(st.lists(st.tuples(COUNTS, NAME), min_size=0, max_size=2))
    lines = [f"[H] {event_name} headline", f"[E] {event_name}"]
    places, agents, count_records = [], [], []
    for i, name in enumerate(place_names):
        lines.append(f"[P{i}]\n{name}")
        places.append({"id": f"place-{i}", "name": name, "kind": "place", "quote": f"[P{i}]\n{name}"})
    for i, name in enumerate(agent_names):
        lines.append(f"[A{i}] {name}")
        agents.append({"id": f"agent-{i}", "name": name, "kind": "person", "quote": f"[A{i}] {name}"})
    for i, (value, name) in enumerate(counts):
        lines.append(f"[C{i}] {value} {name}")
        count_records.append({"id": f"count-{i}", "value": value, "category": "killed", "population": "civilians",
                              "event": "event-0", "place": "place-0", "quote": f"[C{i}] {value} {name}"})
    article = ("\n".join(lines) + "\n").encode("utf-8")
    facts = {
        "source": {"id": SOURCE_ID, "text": "article.txt", "sha256": hashlib.sha256(article).hexdigest(),
                   "language": "en", "headline": {"text": f"{event_name} headline",
                                                   "quote": f"[H] {event_name} headline"}},
        "places": places,
        "events": [{"id": "event-0", "name": event_name, "kind": "commemoration",
                    "places": ["place-0"], "quote": f"[E] {event_name}"}],
    }
    if agents:
        facts["agents"] = agents
    if count_records:
        facts["counts"] = count_records
    return facts, article


def write_project(root: Path, facts: dict, article: bytes) -> Project:
    if root.exists():
        shutil.rmtree(root)
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    (root / "data" / "editorial").mkdir(parents=True)
    (root / "data" / "editorial" / "enrichment.yaml").write_text("links: []\nresolved_dates: []\n")
    source = root / "data" / "sources" / SOURCE_ID
    source.mkdir(parents=True)
    (source / "article.txt").write_bytes(article)
    (source / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def concepts():
    return concept_slugs(parse_turtle(ROOT / "ontology" / "concepts.ttl"))


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(generated=facts_and_article())
def test_any_valid_facts_build_and_every_format_round_trips_to_the_same_graph(tmp_path, generated):
    facts, article = generated
    project = write_project(tmp_path / "project", facts, article)
    out = tmp_path / "out"
    result = build(project, out)
    union = result.built.union()
    for name in ("january20.ttl", "january20.nt", "january20.jsonld"):
        assert isomorphic(read_rdf([out / name], context_file=project.context_file), union), name
    trig = read_rdf_dataset([out / "january20.trig"])
    for graph_name, graph in result.built.graphs.items():
        assert isomorphic(trig.graph(result.built.names.graph(graph_name)), graph), graph_name
    for path in out.rglob("*"):
        if path.suffix in (".ttl", ".nt", ".trig", ".jsonld") and path.name != "context.jsonld":
            read_rdf([path], context_file=project.context_file)  # every output parses


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)


@st.composite
def broken_facts(draw):
    """A valid facts file with random damage: fields removed, replaced by junk of any type, or added."""
    facts, article = draw(facts_and_article())
    records = [facts["source"], facts["source"]["headline"]] + [r for key in ("places", "agents", "events", "counts")
                                                                  for r in facts.get(key, [])]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        record = draw(st.sampled_from(records))
        action = draw(st.sampled_from(["remove", "replace", "add"]))
        key = draw(st.sampled_from(sorted(record))) if record else "id"
        if action == "remove":
            record.pop(key, None)
        elif action == "replace":
            record[key] = draw(JUNK)
        else:
            record[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
    if draw(st.booleans()):
        facts[draw(st.sampled_from(["places", "events", "counts", "source"]))] = draw(JUNK)
    return facts, article


def load_quietly(path: Path, concepts: dict) -> None:
    try:
        load_facts(path, concepts)
    except January20Error as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(broken=broken_facts())
def test_damaged_facts_get_errors_never_an_exception(tmp_path, concepts, broken):
    facts, article = broken
    (tmp_path / "article.txt").write_bytes(article)
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    load_quietly(path, concepts)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_bytes_as_a_facts_file_get_errors_never_an_exception(tmp_path, concepts, raw):
    path = tmp_path / "facts.yaml"
    path.write_bytes(raw)
    load_quietly(path, concepts)


SLUGS = st.from_regex(SLUG, fullmatch=True)
PARTS = st.lists(SLUGS | st.integers(min_value=0, max_value=10**6), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None, database=None)
@given(kind=st.sampled_from(KINDS), parts=PARTS)
def test_minted_iris_are_valid_iris(kind, parts):
    iri = Names().mint(kind, *parts)
    assert ox.NamedNode(str(iri)).value == str(iri)  # pyoxigraph validates IRIs strictly (RFC 3987)


@settings(max_examples=300, deadline=None, database=None)
@given(a=st.tuples(st.sampled_from(KINDS), PARTS), b=st.tuples(st.sampled_from(KINDS), PARTS))
def test_different_names_never_mint_the_same_iri(a, b):
    names = Names()
    assume((a[0], [str(p) for p in a[1]]) != (b[0], [str(p) for p in b[1]]))
    assert names.mint(a[0], *a[1]) != names.mint(b[0], *b[1])


@settings(max_examples=300, deadline=None, database=None)
@given(part=st.text(min_size=0, max_size=20).filter(lambda t: not SLUG.match(t) and not t.isdigit()))
def test_a_part_that_is_not_a_slug_is_refused_not_minted(part):
    with pytest.raises(ValueError):
        Names().mint("place", part)


@settings(max_examples=300, deadline=None, database=None)
@given(base=st.builds("{}://{}/".format, st.sampled_from(["http", "https"]), st.text(min_size=1, max_size=30)))
def test_a_base_is_either_refused_or_mints_valid_iris(base):
    try:
        names = Names(base)
    except ValueError:
        return
    ox.NamedNode(str(names.mint("place", "baku")))
