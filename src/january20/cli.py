"""The command line: parses options and calls the library; every user-facing error is one clean message."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from january20.errors import January20Error, Problem, escape_controls, escape_controls_in_document


def _fail(exc: January20Error, code: int = 1) -> None:
    for problem in exc.problems:  # a message may quote the input: nothing in it reaches the terminal as a control
        click.echo(f"error: {escape_controls(str(problem))}", err=True)
    sys.exit(code)


def _site_url(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?/", value):
        raise click.BadParameter(f"expected an http(s) URL ending in '/', got {value!r}", param_hint="--site-url")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="january20")
def main() -> None:
    """Build, validate, query and publish the january20 linked-data dataset."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder to write the outputs into.")
@click.option("--base", default=None, help="Base IRI for the dataset's resources (ends in '/').")
@click.option("--project", "project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Project folder holding data/, ontology/ and shapes/ (default: this checkout).")
@click.option("--site-url", default=None, callback=lambda ctx, param, value: _site_url(value),
              help="Where the site will be published (ends in '/'), if not at the IRIs themselves: the sitemap "
                   "names pages there, and w3id/.htaccess redirects the IRIs there.  [default: the base IRI]")
def build(out_dir: Path, base: str | None, project_dir: Path | None, site_url: str | None) -> None:
    """Build the dataset from the facts files, validate it, and write Turtle, N-Triples, TriG, JSON-LD (whole and
    one framed document per event), the dataset description (void.ttl), the ontology documentation, the
    validation report and the browsable site (with its .htaccess for content negotiation, sitemap.xml and
    robots.txt); with --site-url, also w3id/.htaccess, the redirects for w3id.org. Writes nothing unless every
    step succeeds."""
    from january20.build import build as run_build
    from january20.names import Names
    from january20.resources import Project, default_project

    try:
        names = Names(base) if base else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    try:
        result = run_build(Project(project_dir) if project_dir else default_project(), out_dir, names,
                           site_url=site_url)
    except January20Error as exc:
        _fail(exc)
    report = result.report
    built = result.built
    cited = f", {len(built.cited)} of them cited" if built.cited else ""
    click.echo(f"Built {len(built.union_triples())} triples from {len(built.sources) + len(built.cited)} source(s)"
               f"{cited} into {out_dir}/ ({len(report.warnings)} warnings).")
    for warning in report.warnings:
        click.echo(f"warning: {escape_controls(warning.headline())}")


@main.command()
@click.argument("data_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True,
              help="Output: a report for people, the SHACL validation report as Turtle, or JSON for tools.")
@click.option("--shapes", "shapes_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Validate against the shapes (*.ttl) in this folder  [default: the project's shapes/]")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: our own validator (same report; hands shapes it does not implement to pySHACL); "
                   "pyshacl: the W3C-conformant reference.")
@click.option("--with-project-vocabulary/--without-project-vocabulary", "project_vocabulary", default=None,
              help="Add the dataset's ontology and concept schemes to the data, or not  [default: only with the "
                   "project's own shapes]")
def validate(data_files: tuple[Path, ...], fmt: str, shapes_dir: Path | None, engine: str,
             project_vocabulary: bool | None) -> None:
    """Check the built dataset (build/january20.trig), or the DATA_FILES given (.ttl .trig .nt .nq .jsonld: your
    own edit, a third party's extension, anyone's data), against the dataset's SHACL shapes or those of --shapes.

    Results are grouped by severity and by shape, each naming the thing at fault by its label and IRI, the
    offending value and what is expected. The report's sh:conforms is SHACL's: false on any result, warnings
    too. Exits 0 when there is no violation (warnings are shown), 1 when there are violations, 2 when an input
    or the shapes cannot be read.
    """
    from january20.names import Names
    from january20.resources import default_project
    from january20.rdf.write import to_turtle
    from january20.shacl.validation import (default_data_files, render_json, render_text, report_turtle,
                                            skolemized_report, validate_files)

    project = default_project()
    try:
        report = validate_files(list(data_files) or default_data_files(project), project, shapes_dir, engine,
                                project_vocabulary)
    except January20Error as exc:
        _fail(exc, 2)
    if fmt == "json":
        click.echo(render_json(report), nl=False)
    elif fmt == "turtle" and not data_files:
        # The built dataset's report, named as the build names it (validation-report.ttl); anyone's data keeps
        # its blank nodes, and the report its own: no IRI is made up for them.
        turtle = to_turtle(skolemized_report(report, Names())).decode("utf-8")
        click.echo(escape_controls_in_document(turtle), nl=False)
    elif fmt == "turtle":
        click.echo(escape_controls_in_document(report_turtle(report).decode("utf-8")), nl=False)
    else:
        click.echo(render_text(report), nl=False)
    sys.exit(1 if report.violations else 0)


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build/site"),
              show_default=True, help="Folder to write the site into.")
@click.option("--base", default=None, help="Base IRI for the dataset's resources (ends in '/').")
@click.option("--site-url", default=None, callback=lambda ctx, param, value: _site_url(value),
              help="Where the site will be published (ends in '/'): the sitemap names pages there.  "
                   "[default: the base IRI]")
def site(out_dir: Path, base: str | None, site_url: str | None) -> None:
    """Write the browsable static site: an overview (timeline, counts chart, map, downloads with checksums), the
    article with its quoted spans, and one page per resource with its data as JSON-LD and Turtle. `build` writes
    it too, into build/site/. Open index.html from any static server or straight from the disk."""
    from january20.build import render
    from january20.names import Names
    from january20.resources import default_project
    from january20.publish.site import write_site

    try:
        names = Names(base) if base else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    try:
        result = render(default_project(), names, site_url=site_url)
        if result.report.violations:
            raise January20Error([Problem("validation", r.headline())
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
@click.option("--check", is_flag=True,
              help="Run the whole catalogue and compare each answer with its committed expected result.")
@click.option("--endpoint", default=None,
              help="With --check: ask this SPARQL endpoint (e.g. a store `january20 load` filled) instead.")
@click.option("--default-graph", default=None,
              help="With --endpoint: the graph to query (sent as default-graph-uri), e.g. the one loaded.")
def query(query_or_name: str | None, data_files: tuple[Path, ...], fmt: str, list_catalogue: bool, check: bool,
          endpoint: str | None, default_graph: str | None) -> None:
    """Run a SPARQL query over the dataset: a catalogue query by NAME, a .rq file, or the query text itself.

    Queries see the union of the dataset's graphs (build/january20.trig). A malformed query exits with code 2 and
    the parser's message; updates and SERVICE are refused.
    """
    from january20.sparql import query as q

    if list_catalogue:
        for entry in q.catalogue():
            click.echo(f"{entry.name}\n    {entry.question}")
        return
    if check:
        try:
            if endpoint:
                outcomes = q.check_catalogue(lambda text: q.query_endpoint(endpoint, text, default_graph))
            else:
                store = q.open_store(list(data_files) or None)
                outcomes = q.check_catalogue(lambda text: q.run(store, text))
        except January20Error as exc:
            _fail(exc)
        for outcome in outcomes:
            click.echo(f"{'same' if outcome.same else 'DIFFERENT'}  {outcome.name}")
            if not outcome.same:
                click.echo(outcome.diff)
        different = sum(not o.same for o in outcomes)
        click.echo(f"{len(outcomes) - different} of {len(outcomes)} answers as expected.")
        sys.exit(1 if different else 0)
    if endpoint or default_graph:
        raise click.UsageError("--endpoint and --default-graph go with --check")
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
    from january20.sparql.load import DEFAULT_GRAPH, load as run_load

    try:
        result = run_load(endpoint, graph or DEFAULT_GRAPH, data_file)
    except January20Error as exc:
        _fail(exc)
    verb = "Created" if result.status == 201 else "Replaced"
    click.echo(f"{verb} <{result.graph}> at {endpoint} with {result.triples_file} ({result.size} bytes, "
               f"HTTP {result.status}).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Serve these RDF files instead of the built dataset; repeatable.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (HTTP 503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Largest result returned; a bigger one is refused (HTTP 400).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Queries answered at the same time, each in its own process.")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest answer in bytes; a bigger one is refused (HTTP 400).")
@click.option("--max-connections", default=32, show_default=True, type=click.IntRange(1, 1024),
              help="Connections open at once; more are refused (HTTP 503 with Retry-After).")
@click.option("--queue-wait", default=2.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query waits for a free worker before it is refused (HTTP 503 with Retry-After).")
@click.option("--cors", is_flag=True,
              help="Let web pages on any origin read the answers (Access-Control-Allow-Origin: *).")
@click.option("--public-host", "public_hosts", multiple=True, metavar="NAME",
              help="A host name the endpoint answers for besides its address and loopback names (others get "
                   "HTTP 421); repeatable.")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def serve(host: str, port: int, data_files: tuple[Path, ...], timeout: float, max_rows: int, workers: int,
          max_result_bytes: int, max_connections: int, queue_wait: float, cors: bool, public_hosts: tuple[str, ...],
          quiet: bool) -> None:
    """Serve the dataset as a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql.

    GET and POST queries; results as SPARQL JSON, XML, CSV or TSV by content negotiation. Updates and SERVICE
    are refused; see docs/endpoint-security.md for what else is, and the limits. Stop with Ctrl-C.
    """
    import signal

    from january20.sparql.serve import Limits, is_loopback, make_endpoint

    limits = Limits(timeout=timeout, max_rows=max_rows, workers=workers, max_result_bytes=max_result_bytes,
                    max_connections=max_connections, queue_wait=queue_wait)
    try:
        endpoint = make_endpoint(list(data_files) or None, host, port, limits, quiet=quiet, cors=cors,
                                 public_hosts=public_hosts)
    except January20Error as exc:
        _fail(exc)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: the endpoint is reachable from other machines", err=True)
    click.echo(f"Serving SPARQL at {endpoint.url} (Ctrl-C to stop)", err=True)
    if endpoint.pool.why_online:
        click.echo(f"warning: the query workers keep network access ({endpoint.pool.why_online}); SERVICE is "
                   "refused by the query check alone", err=True)

    def stop(signum, frame):  # SIGTERM (a service manager, `kill`) stops as cleanly as Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        endpoint.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.server.server_close()
        endpoint.pool.close()


if __name__ == "__main__":
    main()
