"""The library API behind ``january20 build``: build, validate, serialise, and replace the output atomically."""

from __future__ import annotations

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
from .metadata import describe_files, event_document_path, top_level_events
from .names import Names
from .ontodoc import render_ontology_html
from .resources import Project
from .site import SITE_DIR, render_site, site_files
from .site import remove_stale as remove_stale_site
from .serialize import to_framed_jsonld, to_jsonld, to_ntriples, to_trig, to_turtle
from .validate import Report, load_shapes, render_text, skolemized_report, validate_graph
from .vocabulary import parse_turtle

OUTPUTS = ("january20.ttl", "january20.nt", "january20.trig", "january20.jsonld", "context.jsonld",
           "validation-report.ttl", "validation-report.txt", "void.ttl", "ontology/january20.ttl",
           "ontology/index.html")  # plus events/<slug>.jsonld, one per top-level event


@dataclass
class BuildResult:
    built: Built
    report: Report
    files: dict[str, bytes]


def load_context(project: Project) -> dict:
    return _load_json(project.context_file, "the JSON-LD context")


def load_event_frame(project: Project) -> dict:
    return _load_json(project.root / "ontology" / "frames" / "event.jsonld", "the JSON-LD event frame")


def _load_json(path: Path, what: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise January20Error(Problem(str(path), f"cannot read {what}: {exc}")) from None


Stage = Callable[[str], AbstractContextManager]


def _untimed(name: str) -> AbstractContextManager:
    return nullcontext()


def render(project: Project, names: Names | None = None, stage: Stage = _untimed) -> BuildResult:
    """Build and validate the dataset and produce every output file's bytes, writing nothing.

    ``stage(name)`` wraps each step (the benchmark passes a timer); it does not change what is produced.
    """
    with stage("load facts"):
        inputs = load_inputs(project)
    with stage("build graph"):
        built = assemble(inputs, names)
        union = built.union()
    with stage("validate"):
        ontology = parse_turtle(project.ontology_file)
        report = validate_graph(union, load_shapes(project.shapes_dir), ontology)
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
    with stage("write framed event documents"):
        frame = load_event_frame(project)
        for event, document in to_framed_jsonld(union, context, frame, top_level_events(union)).items():
            files[event_document_path(built.names, event)] = document
    with stage("write ontology documentation"):
        files["context.jsonld"] = project.context_file.read_bytes()  # as curated, layout and all
        files["ontology/january20.ttl"] = project.ontology_file.read_bytes()
        files["ontology/index.html"] = render_ontology_html(ontology, parse_turtle(project.concepts_file), union)
    with stage("validation report"):
        files["validation-report.ttl"] = to_turtle(skolemized_report(report, built.names))
        files["validation-report.txt"] = render_text(report).encode("utf-8")
    with stage("write void"):
        # Last: it records the size and checksum of every data file above, so it must see their final bytes.
        files["void.ttl"] = to_turtle(describe_files(built.names, built.graphs, files))
    with stage("write site"):
        # After void.ttl: the site publishes every file above, with its size and checksum, under site/download/.
        site = render_site(built, ontology, context, files)
        files.update({f"{SITE_DIR}/{path}": data for path, data in site.items()})
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
        problems = [Problem("validation", r.headline()) for r in result.report.violations]
        raise January20Error(problems)
    with stage("write files"):
        write_atomically(result.files, out_dir)
        remove_stale(out_dir, "events", result.files)
        remove_stale_site(out_dir / SITE_DIR, site_files(result.files))
    return result


def remove_stale(out_dir: Path, folder: str, files: dict[str, bytes]) -> None:
    """Delete files in ``out_dir/folder`` that this build did not write (an event renamed or removed), so that the
    output folder always equals a fresh build."""
    for path in sorted((out_dir / folder).glob("*")):
        if path.is_file() and f"{folder}/{path.name}" not in files:
            path.unlink()
