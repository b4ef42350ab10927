"""Read RDF files we did not write (a user's edit, a third party's extension) safely and with clear errors.

What is refused, and why:

- **Syntax errors** are reported with the file, line and column. Every text format is checked first by pyoxigraph,
  a strict parser that says exactly where it stopped, and only then loaded by rdflib.
- **JSON-LD** is expanded with remote loading refused: a document may use an inline context, or the dataset's own
  context by its published IRI (:data:`OWN_CONTEXTS`), which is read from disk. Nothing is ever fetched.
- **RDF/XML** is accepted only without a DTD, only regular files are read (no FIFO or device), **size** is limited
  (64 MiB in total, ``J20_MAX_RDF_BYTES``) and so are **triples** (500,000 in total, ``J20_MAX_TRIPLES``, counted
  by pyoxigraph's streaming parser before rdflib builds a graph): see :mod:`january20.sources.untrusted`, which
  ``query --data`` and ``serve --data`` use too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rdflib is imported where it is used: `january20 query` reads files without it
    from rdflib import Dataset, Graph

from january20.errors import January20Error, Problem
from january20.sources.untrusted import (MAX_BYTES, count_triples, max_bytes_default,  # noqa: F401 - MAX_BYTES
                                         max_triples_default, read_untrusted, too_many_triples)  # re-exported

FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".trig": "trig", ".nq": "nquads",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}
FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "trig": "TriG", "nquads": "N-Quads", "json-ld": "JSON-LD",
                "xml": "RDF/XML"}

# The dataset's own JSON-LD context, by the IRIs a document may use for it; read from ontology/context.jsonld.
# The published IRIs of our own context, under the default base (names.DEFAULT_BASE; not imported, because names
# needs rdflib and `january20 query` reads files without it; tests/test_rdfio.py checks the two agree).
OWN_CONTEXTS = ("https://w3id.org/january20/context.jsonld", "https://w3id.org/january20/context")


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise January20Error(Problem(str(path), "unknown file type: expected one of "
                                     + ", ".join(sorted(FORMATS))))
    return fmt


def read_rdf_dataset(paths: list[Path], max_bytes: int | None = None, context_file: Path | None = None,
                     max_triples: int | None = None) -> Dataset:
    """Parse every file into one Dataset (named graphs kept).

    ``max_bytes`` bounds the total size of all files (default :data:`MAX_BYTES`, or ``J20_MAX_RDF_BYTES``),
    ``max_triples`` the total number of triples (default ``MAX_TRIPLES``, or ``J20_MAX_TRIPLES``), counted before
    rdflib builds anything; ``context_file`` is the dataset's own JSON-LD context, the only one a document may
    load by reference (default: the project's ``ontology/context.jsonld``). Raises January20Error naming file,
    line and column of every file that cannot be read, with the parser's own words.
    """
    limit = max_bytes_default() if max_bytes is None else max_bytes
    budget = limit
    triple_limit = max_triples_default() if max_triples is None else max_triples
    triple_budget = triple_limit
    from rdflib import Dataset

    dataset = Dataset()
    problems: list[Problem] = []
    for path in paths:
        try:
            fmt = format_of(path)
            data = read_untrusted(path, budget, limit)
            budget -= len(data)
            if fmt == "json-ld":
                triple_budget -= _parse_jsonld(path, data, dataset, context_file, triple_budget, triple_limit)
            else:
                triple_budget -= _check_syntax(path, data, fmt, triple_budget, triple_limit)
                dataset.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        except January20Error as exc:
            problems += exc.problems
        except Exception as exc:  # every parser error is the user's input, reported as such
            line, message = _where(str(exc))
            problems.append(Problem(str(path), f"not valid {FORMAT_NAMES[fmt]}: {message}", line=line))
    if problems:
        raise January20Error(problems)
    return dataset


def read_rdf(paths: list[Path], max_bytes: int | None = None, context_file: Path | None = None,
             max_triples: int | None = None) -> Graph:
    """The union of every triple in the files, named graphs merged, with the prefixes the files declare (as
    ``Graph.parse`` of one file keeps them: pySHACL's SPARQL queries fall back on them, as when it is given the
    file). Raises January20Error as read_rdf_dataset."""
    from rdflib import Graph

    dataset = read_rdf_dataset(paths, max_bytes, context_file, max_triples)
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=False)
    for graph in dataset.graphs():
        union += graph
    return union


# ---------------------------------------------------------------------------------------------------------------
# Syntax checks that say where

_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS", "xml": "RDF_XML"}


def _check_syntax(path: Path, data: bytes, fmt: str, budget: int, limit: int) -> int:
    """The number of triples in ``data``; raise January20Error with line and column if it is not valid ``fmt``, or
    as soon as it has more than ``budget`` triples (naming ``limit``)."""
    try:
        return count_triples(path, data, _OX_FORMATS[fmt], budget, limit)
    except SyntaxError as exc:
        message = str(exc.msg if exc.msg else exc)
        # pyoxigraph says "Parser error at line 3 column 11: reason (file, line 3)"; keep the position and reason.
        message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", message)
        message = re.sub(r"^Parser error ", "", message)
        position = re.match(r"((?:at|between) line .*?): (.*)$", message, re.S)
        if position:
            message = f"{position.group(2)} ({position.group(1)})"
        raise January20Error(Problem(str(path), f"not valid {FORMAT_NAMES[fmt]}: {message}",
                                     line=exc.lineno)) from None


def _where(message: str) -> tuple[int | None, str]:
    """rdflib's parsers put the line in the message in several ways; pull it out, and keep the reason."""
    m = re.search(r"(?:line|at line)[ :]*(\d+)", message)
    reason = re.search(r"Bad syntax \(([^)]*)\)", message)
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    text = reason.group(1) if reason else (lines[0] if lines else message)
    return (int(m.group(1)) if m else None), text


# ---------------------------------------------------------------------------------------------------------------
# JSON-LD, offline

def _parse_jsonld(path: Path, data: bytes, dataset: Dataset, context_file: Path | None, budget: int,
                  limit: int) -> int:
    """Add the document's triples to ``dataset``; return how many there are (more than ``budget`` is refused)."""
    from pyld import jsonld

    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise January20Error(Problem(str(path), f"not valid JSON: not UTF-8 at byte {exc.start}")) from None
    except ValueError as exc:
        raise January20Error(Problem(str(path), f"not valid JSON: {exc.msg} (at line {exc.lineno} column "
                                     f"{exc.colno})", line=exc.lineno)) from None
    except RecursionError:
        raise January20Error(Problem(str(path), "not valid JSON: nested too deeply")) from None

    refused: list[str] = []

    def load_document(url: str, options: dict | None = None) -> dict:
        if url in OWN_CONTEXTS:
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": _own_context(context_file)}
        refused.append(url)
        raise ValueError(f"remote document loading is disabled: {url}")

    try:
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": load_document,
                                          "base": path.resolve().as_uri()})
    except jsonld.JsonLdError as exc:
        if refused:
            raise January20Error(Problem(str(path), f"refused to load the remote JSON-LD context {refused[0]}: "
                                         "contexts must be inline or the dataset's own "
                                         f"({OWN_CONTEXTS[0]}); nothing is fetched from the network")) from None
        raise January20Error(Problem(str(path), f"not valid JSON-LD: {_jsonld_reason(exc)}")) from None
    except RecursionError:
        raise January20Error(Problem(str(path), "not valid JSON-LD: nested too deeply")) from None
    # Parsed apart and then added: rdflib's N-Quads parser, run on a Dataset that already holds triples in its
    # default graph, drops them (a JSON-LD file read after a Turtle file would erase the Turtle file's triples).
    count = nquads.count("\n")  # one quad a line, and no line breaks inside one: N-Quads escapes them
    if count > budget:
        raise January20Error(too_many_triples(path, limit))
    from rdflib import Dataset, Graph

    parsed = Dataset()
    parsed.parse(data=nquads, format="nquads")
    for s, p, o, g in parsed.quads((None, None, None, None)):
        dataset.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
    return count


def _jsonld_reason(exc: BaseException) -> str:
    """pyld wraps the real reason ("the value of @vocab must be a string") in "could not expand"; dig it out."""
    while exc.__cause__ is not None and type(exc.__cause__).__name__ == "JsonLdError":
        exc = exc.__cause__
    reason = str(exc.args[0]) if exc.args else str(exc)
    reason = reason.splitlines()[0] if reason.strip() else type(exc).__name__
    code = getattr(exc, "code", None)
    return f"{reason} ({code})" if code else reason


def _own_context(context_file: Path | None) -> dict:
    if context_file is None:
        from january20.resources import default_project

        context_file = default_project().context_file
    try:
        return json.loads(context_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise January20Error(Problem(str(context_file), f"cannot read the dataset's JSON-LD context: {exc}")
                             ) from None
