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

A build on a large graph runs some stages in a second, forked process (january20/parallel.py). Those stages are
timed and measured in that process and marked ``"second_process": true``; they overlap the first process's, so
they are not added to its time. Its memory is added to the first process's: the total's ``peak_mib`` is the sum of
the two processes' peaks, an upper bound (pages the two still share are counted twice, and the peaks may not
coincide), and ``peak_pss_mib`` the largest sum of the two processes' proportional set sizes (each shared page
split between them) sampled ten times a second, the memory the build really held, give or take a tenth of a second.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
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
    """Stage rows, kept in a file opened for appending, so that a forked second process adds its own rows."""

    def __init__(self, stream: bool = False) -> None:
        self.stream = stream
        self.resettable = _reset_peak()
        self.pid = os.getpid()
        self._log = tempfile.TemporaryFile(mode="w+")  # appends from two processes: one short line per write

    @property
    def rows(self) -> list[dict]:
        self._log.flush()
        self._log.seek(0)
        return [json.loads(line) for line in self._log.read().splitlines()]

    def add(self, row: dict) -> None:
        os.write(self._log.fileno(), (json.dumps(row) + "\n").encode())
        if self.stream:  # as it happens, so that a run stopped by a time limit still reports what it did
            print(json.dumps(row), flush=True)

    def peak(self) -> float:
        """The run's peak: the largest of the stages' peaks, plus that of the second process if there was one."""
        peaks: dict[bool, float] = {}
        for r in self.rows:
            if r["peak_mib"] is not None:
                second = r.get("second_process", False)
                peaks[second] = max(peaks.get(second, 0.0), r["peak_mib"])
        return round(sum(peaks.values()), 1)

    @contextmanager
    def stage(self, name: str):
        _reset_peak()
        start = time.perf_counter()
        try:
            yield
        finally:
            row = {"stage": name, "seconds": round(time.perf_counter() - start, 4),
                   "peak_mib": round(_peak_mib(), 1), "peak_is_per_stage": self.resettable}
            if os.getpid() != self.pid:
                row["second_process"] = True
            self.add(row)


class PssSampler:
    """The largest sum of this process's and its children's proportional set size, sampled every ``interval`` s."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval, self.peak_kib = interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._done.wait(self.interval):
            pids = [me] + _children(me)
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in pids))


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:  # the child has just ended
        pass
    return 0


def run_build(project_root: Path, out_dir: Path, site: bool = True) -> list[dict]:
    sys.path.insert(0, str(CHECKOUT / "src"))
    rec = Recorder()
    start = time.perf_counter()
    with rec.stage("import"):
        from january20.build import build
        from january20.resources import Project
    with PssSampler() as pss:
        result = build(Project(project_root), out_dir, stage=rec.stage, site=site)
    total = time.perf_counter() - start
    staged = sum(r["seconds"] for r in rec.rows if not r.get("second_process"))
    rec.add({"stage": "other (not in a stage)", "seconds": round(total - staged, 4), "peak_mib": None,
             "peak_is_per_stage": rec.resettable})
    rec.add({"stage": "total", "seconds": round(total, 4), "peak_mib": rec.peak(),
             "peak_pss_mib": round(pss.peak_kib / 1024, 1),
             "second_process": any(r.get("second_process") for r in rec.rows),
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
    return rec.rows + [{"stage": "total", "seconds": round(total, 4), "peak_mib": rec.peak(), "triples": len(graph)}]


def main() -> None:
    kind, project_root, out_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if kind in ("build", "build-without-site"):
        for row in run_build(project_root, out_dir, site=kind == "build"):
            print(json.dumps(row))
    else:
        print(json.dumps(run_baseline(project_root, out_dir)[-1]))


if __name__ == "__main__":
    main()
