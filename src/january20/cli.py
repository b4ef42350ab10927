"""The command line: parses options and calls the library; every user-facing error is one clean message."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import January20Error, Problem


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


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build/site"),
              show_default=True, help="Folder to write the site into.")
@click.option("--base", default=None, help="Base IRI for the dataset's resources (ends in '/').")
def site(out_dir: Path, base: str | None) -> None:
    """Write the browsable static site: an overview (timeline, counts chart, map, downloads with checksums), the
    article with its quoted spans, and one page per resource with its data as JSON-LD and Turtle. `build` writes
    it too, into build/site/. Open index.html from any static server or straight from the disk."""
    from .build import render
    from .names import Names
    from .resources import default_project
    from .site import write_site

    try:
        names = Names(base) if base else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    try:
        result = render(default_project(), names)
        if not result.report.conforms:
            raise January20Error([Problem("validation", f"{r.focus_label} <{r.focus}>: {r.message}")
                                  for r in result.report.violations])
        count = write_site(result.files, out_dir)
    except January20Error as exc:
        _fail(exc)
    click.echo(f"Wrote {count} files into {out_dir}/; open {out_dir / 'index.html'}.")


@main.command()
@click.argument("query_or_name", required=False)
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Query these RDF files (.ttl .nt .trig .nq .jsonld .rdf) instead of the built dataset; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="Output: a table for people, or a SPARQL 1.1 results format.")
@click.option("--list", "list_catalogue", is_flag=True, help="List the catalogue's queries with their questions.")
def query(query_or_name: str | None, data_files: tuple[Path, ...], fmt: str, list_catalogue: bool) -> None:
    """Run a SPARQL query over the dataset: a catalogue query by NAME, a .rq file, or the query text itself.

    Queries see the union of the dataset's graphs (build/january20.trig). A malformed query exits with code 2 and
    the parser's message; updates and SERVICE are refused.
    """
    from . import query as q

    if list_catalogue:
        for entry in q.catalogue():
            click.echo(f"{entry.name}\n    {entry.question}")
        return
    if not query_or_name:
        raise click.UsageError("give a QUERY_OR_NAME (see `january20 query --list`), or --list")
    try:
        text, _label = q.resolve_query(query_or_name)
        results = q.query_files(text, list(data_files) or None)
    except q.QueryError as exc:
        _fail(exc, 2)
    except January20Error as exc:
        _fail(exc)
    click.echo(q.render(results, fmt, text), nl=False)


@main.command()
@click.option("--endpoint", required=True, help="The store's SPARQL 1.1 Graph Store Protocol URL.")
@click.option("--graph", default=None, help="The graph to replace  [default: https://w3id.org/january20/dataset]")
@click.option("--data", "data_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The triples to load  [default: build/january20.ttl, the union of the dataset's graphs]")
def load(endpoint: str, graph: str | None, data_file: Path | None) -> None:
    """Replace a graph in any triplestore with the dataset, by an HTTP PUT (SPARQL 1.1 Graph Store Protocol).

    Loading twice gives the same store as loading once. Credentials, if the store needs them, are read from the
    environment variables J20_LOAD_USER and J20_LOAD_PASSWORD (digest or basic authentication).
    """
    from .load import DEFAULT_GRAPH, load as run_load

    try:
        result = run_load(endpoint, graph or DEFAULT_GRAPH, data_file)
    except January20Error as exc:
        _fail(exc)
    verb = "Created" if result.status == 201 else "Replaced"
    click.echo(f"{verb} <{result.graph}> at {endpoint} with {result.triples_file} ({result.size} bytes, "
               f"HTTP {result.status}).")


if __name__ == "__main__":
    main()
