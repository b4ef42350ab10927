"""The library API behind ``january20 build``: build, validate, serialise, and replace the output atomically."""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from january20.graph.dataset import Built, assemble, load_inputs
from january20.errors import January20Error, Problem
from january20.graph.metadata import describe_files, event_document_path, top_level_events
from january20.names import Names
from january20.publish.ontodoc import render_ontology_html
from january20.outputs import OutputFiles
from january20.publish.atomic import _absolute, write_atomically
from january20.parallel import Forked, can_fork
from january20.resources import Project
from january20.publish.conneg import w3id_htaccess
from january20.publish.site import SITE_DIR, render_site
from january20.rdf.jsonld import to_framed_jsonld, to_jsonld
from january20.rdf.write import OxTerms, to_ntriples_and_turtle, to_trig, to_turtle
from january20.shacl.validation import Report, load_shapes, render_text, skolemized_report, validate_graph
from january20.graph.vocabulary import parse_turtle

OUTPUTS = ("january20.ttl", "january20.nt", "january20.trig", "january20.jsonld", "context.jsonld",
           "validation-report.ttl", "validation-report.txt", "void.ttl", "ontology/january20.ttl",
           "ontology/index.html")  # plus events/<slug>.jsonld, one per top-level event
W3ID_HTACCESS = "w3id/.htaccess"  # the redirects for w3id.org, with a --site-url other than the base


@dataclass
class BuildResult:
    built: Built
    report: Report
    files: OutputFiles


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


def render(project: Project, names: Names | None = None, stage: Stage = _untimed, site: bool = True,
           spool: Path | None = None, site_url: str | None = None) -> BuildResult:
    """Build and validate the dataset and produce every output file's bytes, writing nothing but into ``spool``.

    ``stage(name)`` wraps each step (the benchmark passes a timer); it does not change what is produced.
    ``site=False`` leaves out the static site (the benchmark's build "without the site").
    ``spool``, an existing folder, receives each large output file as soon as it is made (:class:`OutputFiles`),
    so that the build does not hold them all in memory; without it every file is kept in memory.
    ``site_url`` is where the site is published, when not at the IRIs themselves: the sitemap names its pages
    there, and ``w3id/.htaccess`` redirects the IRIs there (:mod:`january20.publish.conneg`).
    """
    try:
        return _render(project, names, stage, site, spool, site_url)
    finally:
        gc.unfreeze()  # the graph, frozen by _long_lived, is the collector's again once the build is done


@contextmanager
def _long_lived() -> Iterator[None]:
    """What is made inside lives to the end of the build: pause the cycle collector while it is made, then freeze it.

    rdflib makes millions of small objects for a graph; while they pile up, the collector scans them again and
    again, and in every later collection too (a tenth of the CPU time at 20 sources, more at 100). Freezing takes
    them out of its sight; it stays on for the rest of the build, whose garbage (SPARQL, templates) must go.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _render(project: Project, names: Names | None, stage: Stage, site: bool, spool: Path | None,
            site_url: str | None) -> BuildResult:
    with _long_lived():
        with stage("load facts"):
            inputs = load_inputs(project)
        with stage("build graph"):
            built = assemble(inputs, names)
            union = built.union_triples()
    context = load_context(project)
    files = OutputFiles(spool)
    terms = OxTerms()  # each term converted to pyoxigraph's once, for every RDF text file of this process
    # The N-Triples, Turtle and JSON-LD do not need the validation: on a large graph they are made by a second
    # process while this one validates and does the rest.
    second = _jsonld_and_ntriples(project, built, union, context, stage, spool, terms)
    forked = Forked(second) if len(union) >= PARALLEL_MIN_TRIPLES and can_fork() else None
    try:
        with stage("validate"):
            ontology = parse_turtle(project.ontology_file)
            report = validate_graph(union, load_shapes(project.shapes_dir), ontology)  # the triples: no Graph needed
        with stage("write trig"):
            files["january20.trig"] = to_trig([(built.names.graph(n), g) for n, g in built.triples.items()], terms)
        with stage("write ontology documentation"):
            files["context.jsonld"] = project.context_file.read_bytes()  # as curated, layout and all
            files["ontology/january20.ttl"] = project.ontology_file.read_bytes()
            files["ontology/index.html"] = render_ontology_html(ontology, built.triples["vocabulary"].graph(), union)
        with stage("validation report"):
            files["validation-report.ttl"] = to_turtle(skolemized_report(report, built.names), terms)
            files["validation-report.txt"] = render_text(report).encode("utf-8")
        if forked:
            with stage("wait for the second process"):
                files.adopt(forked.result())
            forked = None
        else:
            files.adopt(second())
    finally:
        if forked:  # this process failed first: the second one's work is of no use
            forked.cancel()
    with stage("write void"):
        # Last: it records the size and checksum of every data file above, so it must see their final bytes.
        files["void.ttl"] = to_turtle(describe_files(built.names, built.triples, files, union), terms)
    if site:
        with stage("write site"):
            # After void.ttl: the site publishes every file above, with its size and checksum, under site/download/.
            pages = render_site(built, ontology, context, files, site_url)
            files.update({f"{SITE_DIR}/{path}": data for path, data in pages.items()})
    if site_url and site_url != built.names.base:
        # Only for a site published elsewhere than at the IRIs: there is nothing to redirect to otherwise.
        files[W3ID_HTACCESS] = w3id_htaccess(site_url, [name for name in files if not name.startswith(SITE_DIR + "/")])
    return BuildResult(built, report, files)


# A second process is for large graphs: below this many triples (the seed has about 2,600; 100 sources, 200,000)
# the build takes seconds, and one process is simpler to profile and debug.
PARALLEL_MIN_TRIPLES = 100_000


def _jsonld_and_ntriples(project: Project, built: Built, union, context: dict, stage: Stage,
                         spool: Path | None, terms: OxTerms) -> Callable[[], dict]:
    """The work of making ``january20.nt``, ``january20.ttl``, ``january20.jsonld`` and the framed event documents,
    to be run here or in a second process; it returns the files made (large ones spooled), for
    :meth:`OutputFiles.adopt`."""
    def work() -> dict:
        files = OutputFiles(spool)
        with stage("write nt and ttl"):
            # One sort for both: the Turtle is pyoxigraph's reading of the sorted N-Triples, written again.
            files["january20.nt"], files["january20.ttl"] = to_ntriples_and_turtle(union, terms)
        with stage("write jsonld"):
            files["january20.jsonld"] = to_jsonld(union, context)
        with stage("write framed event documents"):
            frame = load_event_frame(project)
            for event, document in to_framed_jsonld(union, context, frame, top_level_events(union)).items():
                files[event_document_path(built.names, event)] = document
        return files.entries()
    return work


def build(project: Project, out_dir: Path, names: Names | None = None, stage: Stage = _untimed,
          site: bool = True, site_url: str | None = None) -> BuildResult:
    """Build, validate and write. Raises January20Error, before writing anything, if the graph has a violation
    (warnings are reported, in the result and the validation report, and do not stop it).

    Large files are spooled as they are made (:class:`OutputFiles`) into a hidden folder beside ``out_dir``, on its
    filesystem, so that they are hard-linked into the new output rather than copied; the folder goes when the build
    ends, or, if the build is killed, with the next build's leftovers. The ``files`` of the result read spooled
    files from the output folder afterwards.
    """
    with _spool_beside(out_dir) as spool:
        result = render(project, names, stage, site, spool, site_url)
        if result.report.violations:
            problems = [Problem("validation", r.headline()) for r in result.report.violations]
            raise January20Error(problems)
        with stage("write files"):
            # The whole folder is replaced, so an event or resource gone since the last build leaves nothing behind.
            write_atomically(result.files, out_dir)
        result.files.moved_to(_absolute(out_dir))
    return result


@contextmanager
def _spool_beside(out_dir: Path) -> Iterator[Path | None]:
    """A new folder beside ``out_dir``, removed afterwards; None (spool nothing) if its parent does not exist yet,
    since a build that fails must not leave folders behind, or cannot be written (write_atomically says why)."""
    out_dir = _absolute(out_dir)
    try:
        spool = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.january20-{os.getpid()}-spool-", dir=out_dir.parent))
    except OSError:
        yield None
        return
    try:
        yield spool
    finally:
        shutil.rmtree(spool, ignore_errors=True)
