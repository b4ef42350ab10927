"""The package is laid out by pipeline stage, and a module imports only from its own stage or the ones below it.

The stages, lowest first: the base modules every stage uses (errors, resources, names, outputs, parallel); sources;
graph; rdf; shacl; then publish and sparql side by side (neither imports the other); build and cli on top. An
import of a higher stage, or of a sibling, is an error here, and so is any import circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "january20"

BASE = {"january20", "january20.errors", "january20.resources", "january20.names", "january20.outputs",
        "january20.parallel"}
RANK = {"sources": 1, "graph": 2, "rdf": 3, "shacl": 4, "publish": 5, "sparql": 5}
TOP = {"january20.build": 6, "january20.cli": 7}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> tuple[str, int]:
    """The stage a module belongs to, and its rank."""
    if module in BASE:
        return "base", 0
    if module in TOP:
        return module, TOP[module]
    stage = module.split(".")[1]
    if stage not in RANK:
        raise AssertionError(f"{module}: not in any stage; put it in one of {sorted(RANK)} or add it to BASE/TOP")
    return stage, RANK[stage]


def imports_of(path: Path) -> set[str]:
    """Every january20 module a file imports, at the top or inside a function."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "january20"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "january20":
                continue
            for alias in node.names:  # `from january20.x import y` where y is a module imports y
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return found


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}
FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    for module in MODULES:
        stage_of(module)


def upward_imports(here: str, targets: set[str]) -> list[str]:
    """The imports of ``here`` that reach a higher stage or a sibling stage."""
    stage, rank = stage_of(here)
    wrong = []
    for target in sorted(targets):
        if target not in MODULES or target == here:
            continue
        their_stage, their_rank = stage_of(target)
        if not (their_stage == stage or their_rank < rank):
            wrong.append(f"{here} ({stage}) imports {target} ({their_stage})")
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected part of the import graph that has more than one module."""
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node:
                continue
            if state.get(nxt) == 1:
                found.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: module_name(p))
def test_module_imports_only_from_its_stage_or_below(path):
    assert upward_imports(module_name(path), imports_of(path)) == []


def test_no_import_circles():
    assert circles({module_name(p): imports_of(p) & MODULES for p in FILES}) == []


def test_an_upward_or_sideways_import_is_caught():
    assert upward_imports("january20.sources.facts", {"january20.graph.dataset"})
    assert upward_imports("january20.sparql.query", {"january20.publish.site"})
    assert not upward_imports("january20.graph.dataset", {"january20.sources.facts", "january20.names"})


def test_a_circle_is_caught():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []
