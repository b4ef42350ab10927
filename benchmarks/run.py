"""The benchmark: build synthetic projects of N sources, stage by stage, beside the rdflib/pyshacl baseline.

    python benchmarks/run.py                      # N = 1, 10, 100, 1000, the baseline, and the seed's CLI
    python benchmarks/run.py --sizes 1 10 100     # fewer sizes
    python benchmarks/run.py --no-baseline        # only our build
    python benchmarks/run.py --tables A.json B.json   # the tables again from saved runs (later runs win per N)

For each N it generates the project (benchmarks/generate.py), then runs, each in a fresh Python process, the build
(benchmarks/measure.py build: every stage's wall time and peak memory) and the baseline on the graph the build wrote
(benchmarks/measure.py baseline). It also times the seed's command line as a user runs it (`january20 --help`,
`january20 build`, and `january20 query NAME` where that command exists), best of three. It prints the tables as
Markdown, the form BENCHMARKS.md keeps them in, and writes every row as JSON to <work>/results.json.
Nothing here is a test: the targets of issue 7 are checked against the figures and printed as a last table
(met or not, with the figure), never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import version
    libs = ", ".join(f"{n} {version(n)}" for n in ("rdflib", "pyshacl", "PyLD", "pyoxigraph", "PyYAML"))
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {libs}")


def measure(kind: str, project: Path, out: Path, timeout: float | None = None) -> list[dict]:
    """Rows of one measured run in a fresh process; a run stopped at ``timeout`` keeps the stages it finished and
    ends with a row ``{"stage": "stopped", "seconds": timeout}``."""
    command = [sys.executable, str(HERE / "measure.py"), kind, str(project), str(out)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        rows = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
        return rows + [{"stage": "stopped", "seconds": timeout, "peak_mib": None}]
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed for {project}:\n{proc.stderr[-4000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def cli_timings(work: Path, repeat: int = 3) -> list[dict]:
    """The seed's commands as a user types them, best of ``repeat``."""
    exe = Path(sys.executable).parent / "january20"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "january20.cli"]
    runs = [("january20 --help", ["--help"]), ("january20 build", ["build", "--out", str(work / "cli-build")])]
    catalogue = CHECKOUT / "src" / "january20" / "queries"
    if (catalogue / "victims.rq").is_file():  # the catalogue's first competency question
        runs.append(("january20 query victims", ["query", "victims"]))
    rows = []
    for label, args in runs:
        best = None
        for _ in range(repeat):
            start = time.perf_counter()
            proc = subprocess.run(command + args, capture_output=True, text=True, cwd=CHECKOUT)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"{label} failed:\n{proc.stderr[-2000:]}")
            best = elapsed if best is None else min(best, elapsed)
        rows.append({"command": label, "seconds": round(best, 3)})
    return rows


def _fmt(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def _gib(mib: float | None) -> str:
    return "–" if mib is None else f"{mib:,.0f}"


SHORT = {"load facts": "load", "build graph": "graph", "validate": "validate", "write ttl": "ttl",
         "write nt": "nt", "write trig": "trig", "write ttl and trig": "ttl+trig", "write nt and ttl": "nt+ttl", "write jsonld": "jsonld", "write framed event documents": "framed",
         "write ontology documentation": "onto doc", "validation report": "report", "write void": "void",
         "write site": "site", "write files": "write", "import": "import", "other (not in a stage)": "other",
         "wait for the second process": "wait ∥"}


def _peak(total: dict) -> str:
    """The peak; with a second process, the sampled sum of both processes' PSS and the sum of their peaks (an upper
    bound: shared pages counted twice)."""
    if total.get("second_process") and total.get("peak_pss_mib"):
        return f"{_gib(total['peak_pss_mib'])} (≤ {_gib(total['peak_mib'])})"
    return _gib(total["peak_mib"])


def _held_mib(total: dict) -> float:
    """The memory a build held at its peak: with a second process, the sampled sum of both processes' PSS."""
    if total.get("second_process") and total.get("peak_pss_mib"):
        return total["peak_pss_mib"]
    return total["peak_mib"]


def tables(results: dict) -> str:
    out = []
    sizes = results["sizes"]
    stages = list(dict.fromkeys(r["stage"] for size in sizes for r in results["build"][str(size)]
                                if r["stage"] != "total"))
    out.append("| N | sources | triples | files (site) | " + " | ".join(SHORT.get(s, s) for s in stages)
               + " | **total s** | total − site | peak MiB |")
    out.append("|" + "---:|" * (len(stages) + 7))
    for size in sizes:
        rows = {r["stage"]: r for r in results["build"][str(size)]}
        total = rows["total"]
        # ∥: run by the second process, beside the first's stages, so not part of the total's sum.
        cells = [("∥ " if rows[s].get("second_process") else "") + _fmt(rows[s]["seconds"]) if s in rows else "–"
                 for s in stages]
        site = rows.get("write site", {}).get("seconds", 0.0)
        files = f"{total['files']:,} ({total['site_files']:,})" if "files" in total else "–"
        out.append(f"| {size} | {total['sources']} | {total['triples']:,} | {files} | " + " | ".join(cells)
                   + f" | **{_fmt(total['seconds'])}** | {_fmt(total['seconds'] - site)} | {_peak(total)} |")
    if results.get("baseline"):
        out.append("")
        base_stages = list(dict.fromkeys(r["stage"] for rows in results["baseline"].values() for r in rows
                                         if r["stage"] not in ("total", "stopped")))
        out.append("| N | triples | " + " | ".join(base_stages) + " | **baseline total s** | peak MiB "
                   "| **ours s** | **baseline / ours** |")
        out.append("|" + "---:|" * (len(base_stages) + 6))
        for size in sizes:
            if str(size) not in results["baseline"]:
                continue
            rows = {r["stage"]: r for r in results["baseline"][str(size)]}
            ours_total = {r["stage"]: r for r in results["build"][str(size)]}["total"]
            ours = ours_total["seconds"]
            # A stage cut short by the time limit ("unfinished") took more than its figure.
            cells = " | ".join(("> " if rows[s].get("unfinished") else "") + _fmt(rows[s]["seconds"]) if s in rows
                               else "–" for s in base_stages)
            if "total" in rows:
                total = rows["total"]
                out.append(f"| {size} | {total['triples']:,} | {cells} | **{_fmt(total['seconds'])}** | "
                           f"{_gib(total['peak_mib'])} | **{_fmt(ours)}** | **{total['seconds'] / ours:.1f}×** |")
            else:  # stopped at the time limit: the baseline took longer than the stages it finished plus the rest
                done = sum(r["seconds"] for r in rows.values() if r["stage"] != "stopped"
                           and "not counted" not in r["stage"])
                peak = max((r["peak_mib"] for r in rows.values() if r.get("peak_mib")), default=None)
                out.append(f"| {size} | {ours_total['triples']:,} | {cells} | **> {_fmt(done)}** (stopped) | "
                           f"{_gib(peak)} | **{_fmt(ours)}** | **> {done / ours:.1f}×** |")
    if results.get("cli"):
        out.append("")
        out.append("| seed command | best of 3, s |")
        out.append("|---|---:|")
        for row in results["cli"]:
            out.append(f"| `{row['command']}` | {row['seconds']:.3f} |")
    totals = {int(k): {r["stage"]: r for r in v}["total"]["seconds"] for k, v in results["build"].items()}
    ratios = [f"t({b})/t({a}) = {totals[b] / totals[a]:.1f} (×{b // a} sources)"
              for a, b in zip(sorted(totals), sorted(totals)[1:]) if totals[a] > 0]
    if ratios:
        out.append("")
        out.append("Scaling of the total: " + "; ".join(ratios) + ".")
    checks = targets(results)
    if checks:
        out += ["", "| target (issue 7) | measured | met? |", "|---|---|---|"]
        out += [f"| {name} | {figure} | {'yes' if met else '**no**'} |" for name, figure, met in checks]
    return "\n".join(out)


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """Issue 7's targets, each with the figure it is judged on and whether it is met; a target whose figures were
    not measured in these results is left out rather than guessed."""
    checks: list[tuple[str, str, bool]] = []
    cli = {row["command"]: row["seconds"] for row in results.get("cli", [])}
    for command, limit in (("january20 --help", 0.15), ("january20 query victims", 0.4), ("january20 build", 1.5)):
        if command in cli:
            checks.append((f"`{command}` on the seed < {limit} s", f"{cli[command]:.3f} s", cli[command] < limit))
    build = {int(n): {r["stage"]: r for r in rows} for n, rows in results.get("build", {}).items()}
    if 100 in build and 1000 in build:
        ratio = build[1000]["total"]["seconds"] / build[100]["total"]["seconds"]
        checks.append(("linear growth: t(1000)/t(100) ≤ 12", f"{ratio:.1f}", ratio <= 12))
    if 1000 in build:
        total = build[1000]["total"]
        site = build[1000].get("write site", {}).get("seconds", 0.0)
        seconds, mib = total["seconds"] - site, _held_mib(total)
        checks.append(("N = 1000, build without the site ≤ 60 s", f"{seconds:.1f} s", seconds <= 60))
        figure = f"{mib / 1024:.2f} GiB"
        if mib != total["peak_mib"]:
            figure += f" (both processes' PSS; their peaks' sum {total['peak_mib'] / 1024:.2f} GiB)"
        checks.append(("N = 1000, peak memory ≤ 4 GiB", figure, mib <= 4096))
        base = {r["stage"]: r for r in results.get("baseline", {}).get("1000", [])}
        if "total" in base:
            ratio = base["total"]["seconds"] / total["seconds"]
            checks.append(("N = 1000, ≥ 3× faster than the baseline", f"{ratio:.1f}×", ratio >= 3))
        elif "stopped" in base:
            done = sum(r["seconds"] for r in base.values() if r["stage"] != "stopped"
                       and "not counted" not in r["stage"])
            checks.append(("N = 1000, ≥ 3× faster than the baseline", f"> {done / total['seconds']:.1f}× "
                           "(baseline stopped)", done / total["seconds"] >= 3))
    with_site = sorted(n for n, rows in build.items() if "write site" in rows)
    for a, b in zip(with_site, with_site[1:]):
        pages = build[b]["total"]["site_files"] / max(build[a]["total"]["site_files"], 1)
        seconds = build[b]["write site"]["seconds"] / max(build[a]["write site"]["seconds"], 1e-9)
        growth = b / a
        checks.append((f"site grows linearly, N = {a} → {b} (×{growth:g} sources)",
                       f"pages ×{pages:.1f}, time ×{seconds:.1f}", pages <= 1.2 * growth and seconds <= 1.2 * growth))
    return checks


def merged(paths: list[Path]) -> dict:
    """Results of several runs in one: for each N, the build and the baseline of the last run that measured it."""
    results: dict = {"machine": "", "sizes": [], "build": {}, "baseline": {}, "cli": []}
    for path in paths:
        run = json.loads(path.read_text())
        results["machine"] = run["machine"]
        results["build"].update(run.get("build", {}))
        results["baseline"].update(run.get("baseline", {}))
        results["cli"] = run.get("cli") or results["cli"]
    results["sizes"] = sorted(int(n) for n in results["build"])
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--work", type=Path, default=HERE / "results", help="where projects and outputs go")
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib/pyshacl baseline")
    parser.add_argument("--baseline-timeout", type=float, default=None, metavar="SECONDS",
                        help="stop the baseline after this long (the table then shows it as more than that)")
    parser.add_argument("--no-cli", action="store_true", help="skip timing the seed's command line")
    parser.add_argument("--no-site", action="store_true", help="build without the static site")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and their outputs")
    parser.add_argument("--tables", type=Path, nargs="+", metavar="RESULTS_JSON",
                        help="measure nothing: print the tables of saved runs (results.json), later runs winning")
    args = parser.parse_args(argv)
    if args.tables:
        results = merged(args.tables)
        print(f"Machine: {results['machine']}\n")
        print(tables(results))
        return

    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "sizes": args.sizes, "build": {}, "baseline": {}, "cli": []}
    print(f"Machine: {results['machine']}", file=sys.stderr)
    for size in args.sizes:
        project, out = args.work / f"project-{size}", args.work / f"build-{size}"
        start = time.perf_counter()
        generate(size, project)
        print(f"N={size}: generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        results["build"][str(size)] = measure("build-without-site" if args.no_site else "build", project, out)
        total = results["build"][str(size)][-1]
        print(f"N={size}: build {total['seconds']:.2f} s, {total['triples']:,} triples, "
              f"peak {total['peak_mib']:,.0f} MiB", file=sys.stderr)
        if not args.no_baseline:
            results["baseline"][str(size)] = measure("baseline", project, out, args.baseline_timeout)
            base = results["baseline"][str(size)][-1]
            print(f"N={size}: baseline {base['stage']} {base['seconds']:.2f} s", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(project, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        (args.work / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    if not args.no_cli:
        results["cli"] = cli_timings(args.work)
        (args.work / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"Machine: {results['machine']}\n")
    print(tables(results))


if __name__ == "__main__":
    main()
