"""Read RDF files we did not write (a user's edit, a third party's extension) safely and with clear errors.

What is refused, and why:

- **Syntax errors** are reported with the file, line and column. Every text format is checked first by pyoxigraph,
  a strict parser that says exactly where it stopped, and only then loaded by rdflib.
- **JSON-LD** is expanded with remote loading refused: a document may use an inline context, or the dataset's own
  context by its published IRI (:func:`own_contexts`), which is read from disk. Nothing is ever fetched.
- **RDF/XML** is accepted only without a DTD: a ``<!DOCTYPE`` is refused before any RDF parsing, so no entity can
  be declared and none is ever expanded (no "billion laughs", no external entities that read local files).
- **Size**: more than :data:`MAX_BYTES` in total (64 MiB, about half a million triples; rdflib needs roughly 1 KB
  of memory per triple) is refused rather than risk exhausting memory. Files are read through a bounded read, so
  a FIFO or a device such as ``/dev/zero`` is refused too. Set ``J20_MAX_RDF_BYTES`` to change the limit.
"""

from __future__ import annotations

import json
import os
import re
import xml.parsers.expat
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import January20Error, Problem

if TYPE_CHECKING:  # rdflib (and names, which needs it) load on use: `january20 query` reads files here without them
    from rdflib import Dataset, Graph

FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".trig": "trig", ".nq": "nquads",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}
FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "trig": "TriG", "nquads": "N-Quads", "json-ld": "JSON-LD",
                "xml": "RDF/XML"}
MAX_BYTES = 64 * 1024 * 1024

# The dataset's own JSON-LD context, by the IRIs a document may use for it; read from ontology/context.jsonld.
def own_contexts() -> tuple[str, str]:
    from .names import DEFAULT_BASE

    return (DEFAULT_BASE + "context.jsonld", DEFAULT_BASE + "context")


def max_bytes_default() -> int:
    value = os.environ.get("J20_MAX_RDF_BYTES", "").strip()
    if not value:
        return MAX_BYTES
    if not value.isdigit():
        raise January20Error(Problem("J20_MAX_RDF_BYTES", f"expected a whole number of bytes, got {value!r}"))
    return int(value)


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise January20Error(Problem(str(path), "unknown file type: expected one of "
                                     + ", ".join(sorted(FORMATS))))
    return fmt


def read_rdf_dataset(paths: list[Path], max_bytes: int | None = None, context_file: Path | None = None) -> Dataset:
    """Parse every file into one Dataset (named graphs kept).

    ``max_bytes`` bounds the total size of all files (default :data:`MAX_BYTES`, or ``J20_MAX_RDF_BYTES``);
    ``context_file`` is the dataset's own JSON-LD context, the only one a document may load by reference (default:
    the project's ``ontology/context.jsonld``). Raises January20Error naming file, line and column of every file
    that cannot be read, with the parser's own words.
    """
    from rdflib import Dataset

    limit = max_bytes_default() if max_bytes is None else max_bytes
    budget = limit
    dataset = Dataset()
    problems: list[Problem] = []
    for path in paths:
        try:
            fmt = format_of(path)
            data = read_untrusted(path, budget, limit)
            budget -= len(data)
            if fmt == "json-ld":
                _parse_jsonld(path, data, dataset, context_file)
            else:
                _check_syntax(path, data, fmt)
                dataset.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        except January20Error as exc:
            problems += exc.problems
        except Exception as exc:  # every parser error is the user's input, reported as such
            line, message = _where(str(exc))
            problems.append(Problem(str(path), f"not valid {FORMAT_NAMES[fmt]}: {message}", line=line))
    if problems:
        raise January20Error(problems)
    return dataset


def read_rdf(paths: list[Path], max_bytes: int | None = None, context_file: Path | None = None) -> Graph:
    """The union of every triple in the files, named graphs merged. Raises January20Error as read_rdf_dataset."""
    from rdflib import Graph

    union = Graph()
    for graph in read_rdf_dataset(paths, max_bytes, context_file).graphs():
        union += graph
    return union


def read_untrusted(path: Path, budget: int | None = None, limit: int | None = None) -> bytes:
    """The bytes of an RDF file from elsewhere, after the checks every reader of one needs, whichever parser it
    then uses: at most ``budget`` bytes (default: the whole limit), read through a bounded read so that a FIFO or
    ``/dev/zero`` cannot hang us; and, for RDF/XML (``.rdf``, ``.owl``, ``.xml``), well-formed XML with no DTD, so
    that no entity is ever expanded. ``limit`` is the total named in the message. Raises January20Error."""
    limit = max_bytes_default() if limit is None else limit
    budget = limit if budget is None else budget
    data = _read_bounded(path, budget, limit)
    if FORMATS.get(path.suffix.lower()) == "xml":
        _refuse_dtd(path, data)
    return data


def _read_bounded(path: Path, budget: int, limit: int) -> bytes:
    """The file's bytes, reading at most one byte past what is left of the budget (so /dev/zero cannot hang us)."""
    if path.is_dir():
        raise January20Error(Problem(str(path), "is a folder, expected an RDF file"))
    try:
        with open(path, "rb") as fh:
            data = fh.read(max(budget, 0) + 1)
    except OSError as exc:
        raise January20Error(Problem(str(path), f"cannot read: {exc.strerror}")) from None
    if len(data) > budget:
        raise January20Error(Problem(str(path), f"refused: the input is over the limit of {_size(limit)} for "
                                     "all files together (set J20_MAX_RDF_BYTES to change it)"))
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


# ---------------------------------------------------------------------------------------------------------------
# Syntax checks that say where

_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS", "xml": "RDF_XML"}


def _check_syntax(path: Path, data: bytes, fmt: str) -> None:
    """Raise January20Error with line and column if ``data`` is not valid ``fmt``; return quietly otherwise."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, _OX_FORMATS[fmt]),
                                  base_iri=path.resolve().as_uri()):
            pass
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


def _refuse_dtd(path: Path, data: bytes) -> None:
    """Check that the XML is well-formed and has no DTD: without one, no entity can be declared or expanded."""

    def refuse(*_args: object) -> None:
        raise _DtdRefused

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except _DtdRefused:
        raise January20Error(Problem(str(path), "refused: RDF/XML with a DTD (<!DOCTYPE ...>); entities are not "
                                     "expanded, write the IRIs out in full", line=parser.CurrentLineNumber)) from None
    except xml.parsers.expat.ExpatError as exc:
        raise January20Error(Problem(str(path), f"not well-formed XML: {xml.parsers.expat.errors.messages[exc.code]}"
                                     f" (at line {exc.lineno} column {exc.offset + 1})", line=exc.lineno)) from None


class _DtdRefused(Exception):
    pass


def _where(message: str) -> tuple[int | None, str]:
    """rdflib's parsers put the line in the message in several ways; pull it out, and keep the reason."""
    m = re.search(r"(?:line|at line)[ :]*(\d+)", message)
    reason = re.search(r"Bad syntax \(([^)]*)\)", message)
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    text = reason.group(1) if reason else (lines[0] if lines else message)
    return (int(m.group(1)) if m else None), text


# ---------------------------------------------------------------------------------------------------------------
# JSON-LD, offline

def _parse_jsonld(path: Path, data: bytes, dataset: Dataset, context_file: Path | None) -> None:
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
        if url in own_contexts():
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
                                         f"({own_contexts()[0]}); nothing is fetched from the network")) from None
        raise January20Error(Problem(str(path), f"not valid JSON-LD: {_jsonld_reason(exc)}")) from None
    except RecursionError:
        raise January20Error(Problem(str(path), "not valid JSON-LD: nested too deeply")) from None
    dataset.parse(data=nquads, format="nquads")


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
        from .resources import default_project

        context_file = default_project().context_file
    try:
        return json.loads(context_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise January20Error(Problem(str(context_file), f"cannot read the dataset's JSON-LD context: {exc}")
                             ) from None
