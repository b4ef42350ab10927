"""The command line: parses options and calls the library; every user-facing error is one clean message."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import January20Error


def _fail(exc: January20Error, code: int = 1) -> None:
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="january20")
def main() -> None:
    """Build, validate, query and publish the january20 linked-data dataset."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder to write the outputs into.")
@click.option("--base", default=None, help="Base IRI for the dataset's resources (ends in '/').")
def build(out_dir: Path, base: str | None) -> None:
    """Build the dataset from the facts files, validate it, and write Turtle, N-Triples, TriG, JSON-LD and the
    validation report. Writes nothing unless every step succeeds."""
    from .build import build as run_build
    from .names import Names
    from .resources import default_project

    try:
        names = Names(base) if base else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    try:
        result = run_build(default_project(), out_dir, names)
    except January20Error as exc:
        _fail(exc)
    report = result.report
    click.echo(f"Built {len(result.built.union())} triples from {len(result.built.sources)} source(s) into "
               f"{out_dir}/ ({len(report.warnings)} warnings).")
    for warning in report.warnings:
        click.echo(f"warning: {warning.focus_label}: {warning.message}")


if __name__ == "__main__":
    main()
