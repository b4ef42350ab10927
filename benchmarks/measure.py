"""One measured run in this process, printed as JSON lines:
``python benchmarks/measure.py build|build-without-site|baseline PROJECT OUT``.

``build``: ``january20.build.build`` on the project, each of its stages timed (wall clock) with the process's peak
resident memory during the stage; ``baseline``: the straightforward way to do the same with the libraries alone,
on the graph the build wrote (rdflib parses the Turtle, pyshacl validates it, rdflib writes Turtle, N-Triples,
TriG and JSON-LD).

Memory: before each stage the kernel's peak-RSS mark of this process is reset (``/proc/self/clear_refs``, value 5)
and read back from ``VmHWM`` after it, so each figure is the most resident memory the process held at any moment of
that stage -- including what earlier stages still hold, since one build keeps its graph throughout. Where the reset
is not allowed, the figure is the process's peak so far (``ru_maxrss``) and the run says so.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Recorder:
    def __init__(self, stream: bool = False) -> None:
        self.stream = stream
        self.rows: list[dict] = []
        self.resettable = _reset_peak()

    def peak(self) -> float:
        """The process's peak over the whole run: the largest of the stages' peaks."""
        return max(r["peak_mib"] for r in self.rows if r["peak_mib"] is not None)

    @contextmanager
    def stage(self, name: str):
        _reset_peak()
        start = time.perf_counter()
        try:
            yield
        finally:
            self.rows.append({"stage": name, "seconds": round(time.perf_counter() - start, 4),
                              "peak_mib": round(_peak_mib(), 1), "peak_is_per_stage": self.resettable})
            if self.stream:  # as it happens, so that a run stopped by a time limit still reports what it did
                print(json.dumps(self.rows[-1]), flush=True)


def run_build(project_root: Path, out_dir: Path, site: bool = True) -> list[dict]:
    sys.path.insert(0, str(CHECKOUT / "src"))
    rec = Recorder()
    start = time.perf_counter()
    with rec.stage("import"):
        from january20.build import build
        from january20.resources import Project
    result = build(Project(project_root), out_dir, stage=rec.stage, site=site)
    total = time.perf_counter() - start
    staged = sum(r["seconds"] for r in rec.rows)
    rec.rows.append({"stage": "other (not in a stage)", "seconds": round(total - staged, 4), "peak_mib": None,
                     "peak_is_per_stage": rec.resettable})
    rec.rows.append({"stage": "total", "seconds": round(total, 4), "peak_mib": rec.peak(),
                     "triples": len(result.built.union_triples()), "sources": len(result.built.sources),
                     "files": len(result.files), "site_files": sum(1 for f in result.files if f.startswith("site/")),
                     "conforms": result.report.conforms})
    return rec.rows


def run_baseline(project_root: Path, out_dir: Path) -> list[dict]:
    """rdflib and pyshacl used directly on the build's own Turtle output, the way a first version would."""
    rec = Recorder(stream=True)
    with rec.stage("import"):
        import pyshacl
        from rdflib import Dataset, Graph
    with rec.stage("parse ttl (rdflib)"):
        graph = Graph().parse(out_dir / "january20.ttl", format="turtle")
    with rec.stage("validate (pyshacl)"):
        shapes = Graph()
        for path in sorted((project_root / "shapes").glob("*.ttl")):
            shapes.parse(path, format="turtle")
        ontology = Graph().parse(project_root / "ontology" / "january20.ttl", format="turtle")
        pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
                         allow_warnings=True)
    with rec.stage("write ttl (rdflib)"):
        graph.serialize(format="turtle", encoding="utf-8")
    with rec.stage("write nt (rdflib)"):
        graph.serialize(format="nt", encoding="utf-8")
    with rec.stage("parse trig (rdflib; not counted)"):
        dataset = Dataset()
        dataset.parse(out_dir / "january20.trig", format="trig")
    with rec.stage("write trig (rdflib)"):
        dataset.serialize(format="trig", encoding="utf-8")
    with rec.stage("write jsonld (rdflib)"):
        context = json.loads((project_root / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
        graph.serialize(format="json-ld", context=context.get("@context", context), encoding="utf-8")
    # The TriG is parsed again only to have its named graphs to write; a build has them already.
    total = sum(r["seconds"] for r in rec.rows if "not counted" not in r["stage"])
    rec.rows.append({"stage": "total", "seconds": round(total, 4), "peak_mib": rec.peak(), "triples": len(graph)})
    return rec.rows


def main() -> None:
    kind, project_root, out_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if kind in ("build", "build-without-site"):
        for row in run_build(project_root, out_dir, site=kind == "build"):
            print(json.dumps(row))
    else:
        print(json.dumps(run_baseline(project_root, out_dir)[-1]))


if __name__ == "__main__":
    main()
