"""The library API behind ``january20 build``: build, validate, serialise, and replace the output atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .dataset import Built, build_dataset
from .errors import January20Error, Problem
from .names import Names
from .resources import Project
from .site import SITE_DIR, remove_stale, render_site, site_files
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


def render(project: Project, names: Names | None = None) -> BuildResult:
    """Build and validate the dataset and produce every output file's bytes, writing nothing."""
    built = build_dataset(project, names)
    union = built.union()
    ontology = parse_turtle(project.ontology_file)
    report = validate_graph(union, load_shapes(project.shapes_dir), ontology)
    context = load_context(project)
    files = {
        "january20.ttl": to_turtle(union),
        "january20.nt": to_ntriples(union),
        "january20.trig": to_trig([(built.names.graph(n), g) for n, g in built.graphs.items()]),
        "january20.jsonld": to_jsonld(union, context),
        "context.jsonld": (json.dumps(context, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "validation-report.ttl": to_turtle(skolemized_report(report, built.names)),
        "validation-report.txt": render_text(report).encode("utf-8"),
    }
    # The site comes last: it publishes every other output, with its checksum, under site/download/.
    files.update({f"{SITE_DIR}/{path}": data for path, data in render_site(built, ontology, context, files).items()})
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


def build(project: Project, out_dir: Path, names: Names | None = None) -> BuildResult:
    """Build, validate and write. Raises January20Error, before writing anything, if the graph does not conform."""
    result = render(project, names)
    if not result.report.conforms:
        problems = [Problem("validation", f"{r.focus_label} <{r.focus}>: {r.message}") for r in
                    result.report.violations]
        raise January20Error(problems)
    write_atomically(result.files, out_dir)
    remove_stale(out_dir / SITE_DIR, site_files(result.files))
    return result
