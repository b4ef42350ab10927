"""The library API behind ``january20 build``: build, validate, serialise, and replace the output atomically."""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .dataset import Built, assemble, load_inputs
from .errors import January20Error, Problem
from .names import Names
from .resources import Project
from .serialize import to_jsonld, to_ntriples, to_trig, to_turtle
from .validate import Report, load_shapes, render_text, skolemized_report, validate_graph
from .vocabulary import parse_turtle

OUTPUTS = ("january20.ttl", "january20.nt", "january20.trig", "january20.jsonld", "context.jsonld",
           "validation-report.ttl", "validation-report.txt")


@dataclass
class BuildResult:
    built: Built
    report: Report
    files: dict[str, bytes]


def load_context(project: Project) -> dict:
    try:
        return json.loads(project.context_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise January20Error(Problem(str(project.context_file), f"cannot read the JSON-LD context: {exc}")) from None


Stage = Callable[[str], AbstractContextManager]


def _untimed(name: str) -> AbstractContextManager:
    return nullcontext()


def render(project: Project, names: Names | None = None, stage: Stage = _untimed) -> BuildResult:
    """Build and validate the dataset and produce every output file's bytes, writing nothing.

    ``stage(name)`` wraps each step (the benchmark passes a timer); it does not change what is produced.
    """
    # rdflib keeps millions of small long-lived objects; while the graph grows, Python's cycle collector scans them
    # again and again (a quarter of the CPU time of a 100-source build), and a build makes little cyclic garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _render(project, names, stage)
    finally:
        if collecting:
            gc.enable()


def _render(project: Project, names: Names | None, stage: Stage) -> BuildResult:
    with stage("load facts"):
        inputs = load_inputs(project)
    with stage("build graph"):
        built = assemble(inputs, names)
        union = built.union()
    with stage("validate"):
        report = validate_graph(union, load_shapes(project.shapes_dir), parse_turtle(project.ontology_file))
    context = load_context(project)
    files: dict[str, bytes] = {}
    with stage("write ttl"):
        files["january20.ttl"] = to_turtle(union)
    with stage("write nt"):
        files["january20.nt"] = to_ntriples(union)
    with stage("write trig"):
        files["january20.trig"] = to_trig([(built.names.graph(n), g) for n, g in built.graphs.items()])
    with stage("write jsonld"):
        files["january20.jsonld"] = to_jsonld(union, context)
    with stage("validation report"):
        files["context.jsonld"] = (json.dumps(context, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        files["validation-report.ttl"] = to_turtle(skolemized_report(report, built.names))
        files["validation-report.txt"] = render_text(report).encode("utf-8")
    return BuildResult(built, report, files)


def write_atomically(files: dict[str, bytes], out_dir: Path) -> None:
    """Write every file into a temporary folder beside ``out_dir``, then move each into place.

    Nothing in ``out_dir`` changes until every file is complete on disk, and each file is replaced by a rename, so
    a reader (or a build killed mid-way) never sees a half-written file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".january20-", dir=out_dir.parent))
    try:
        for name, data in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for name in sorted(files):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(project: Project, out_dir: Path, names: Names | None = None, stage: Stage = _untimed) -> BuildResult:
    """Build, validate and write. Raises January20Error, before writing anything, if the graph does not conform."""
    result = render(project, names, stage)
    if not result.report.conforms:
        problems = [Problem("validation", f"{r.focus_label} <{r.focus}>: {r.message}") for r in
                    result.report.violations]
        raise January20Error(problems)
    with stage("write files"):
        write_atomically(result.files, out_dir)
    return result
