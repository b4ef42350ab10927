"""Read RDF files we did not write (a user's edit, a third party's extension) safely and with clear errors.

JSON-LD is expanded with remote loading refused: only the dataset's own context, from disk, may be referenced.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import January20Error, Problem

FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".trig": "trig", ".nq": "nquads",
    ".jsonld": "json-ld", ".json": "json-ld",
}
# Larger inputs are refused rather than risk exhausting memory: rdflib holds about 1 KB per triple.
MAX_BYTES = 512 * 1024 * 1024


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise January20Error(Problem(str(path), "unknown file type: expected one of "
                                     + ", ".join(sorted(FORMATS))))
    return fmt


def _where(message: str) -> tuple[int | None, str]:
    """rdflib's parsers put the line in the message in several ways; pull it out, and keep the reason."""
    m = re.search(r"(?:line|at line)[ :]*(\d+)", message)
    reason = re.search(r"Bad syntax \(([^)]*)\)", message)
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    text = reason.group(1) if reason else (lines[0] if lines else message)
    return (int(m.group(1)) if m else None), text


def read_rdf_dataset(paths: list[Path], max_bytes: int = MAX_BYTES) -> Dataset:
    """Parse every file into one Dataset (named graphs kept). Raises January20Error naming file and line."""
    dataset = Dataset()
    problems: list[Problem] = []
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError as exc:
            problems.append(Problem(str(path), f"cannot read: {exc.strerror}"))
            continue
        if size > max_bytes:
            problems.append(Problem(str(path), f"file is {size} bytes, over the limit of {max_bytes} bytes"))
            continue
        try:
            fmt = format_of(path)
            if fmt == "json-ld":
                _parse_jsonld(path, dataset)
            else:
                dataset.parse(path, format=fmt, publicID=path.resolve().as_uri())
        except January20Error as exc:
            problems += exc.problems
        except Exception as exc:  # every parser error is the user's input, reported as such
            line, message = _where(str(exc))
            problems.append(Problem(str(path), f"not valid {FORMATS.get(path.suffix.lower(), 'RDF')}: {message}",
                                    line=line))
    if problems:
        raise January20Error(problems)
    return dataset


def read_rdf(paths: list[Path], max_bytes: int = MAX_BYTES) -> Graph:
    """The union of every triple in the files, named graphs merged."""
    union = Graph()
    for graph in read_rdf_dataset(paths, max_bytes).graphs():
        union += graph
    return union


def _parse_jsonld(path: Path, dataset: Dataset) -> None:
    from pyld import jsonld

    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise January20Error(Problem(str(path), f"not valid JSON: {exc.msg} (column {exc.colno})",
                                     line=exc.lineno)) from None

    refused: list[str] = []

    def refuse(url: str, options: dict | None = None) -> dict:
        refused.append(url)
        raise ValueError(f"remote document loading is disabled: {url}")

    try:
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse,
                                          "base": path.resolve().as_uri()})
    except jsonld.JsonLdError as exc:
        if refused:
            raise January20Error(Problem(str(path), f"refused to load the remote JSON-LD context {refused[0]}: "
                                         "contexts must be inline (no network access)")) from None
        raise January20Error(Problem(str(path), f"not valid JSON-LD: {exc.type}: {exc.args[0] if exc.args else exc}")
                             ) from None
    dataset.parse(data=nquads, format="nquads")
