"""The checks every reader of an RDF file from elsewhere needs, whichever parser it then uses: a size limit, a
bounded read, and RDF/XML without a DTD. Imports nothing heavy (no rdflib), so ``query`` stays quick to start.

- **Size**: more than :data:`MAX_BYTES` in total (64 MiB, about half a million triples; rdflib needs roughly 1 KB
  of memory per triple) is refused rather than risk exhausting memory. Files are read through a bounded read, so
  a FIFO or a device such as ``/dev/zero`` is refused too. Set ``J20_MAX_RDF_BYTES`` to change the limit.
- **RDF/XML** is accepted only without a DTD: a ``<!DOCTYPE`` is refused before any RDF parsing, so no entity can
  be declared and none is ever expanded (no "billion laughs", no external entities that read local files).
"""

from __future__ import annotations

import os
import xml.parsers.expat
from pathlib import Path

from january20.errors import January20Error, Problem

MAX_BYTES = 64 * 1024 * 1024
XML_SUFFIXES = (".rdf", ".owl", ".xml")


def max_bytes_default() -> int:
    value = os.environ.get("J20_MAX_RDF_BYTES", "").strip()
    if not value:
        return MAX_BYTES
    if not value.isdigit():
        raise January20Error(Problem("J20_MAX_RDF_BYTES", f"expected a whole number of bytes, got {value!r}"))
    return int(value)


def read_untrusted(path: Path, budget: int | None = None, limit: int | None = None) -> bytes:
    """The bytes of an RDF file from elsewhere, after the checks every reader of one needs, whichever parser it
    then uses: at most ``budget`` bytes (default: the whole limit), read through a bounded read so that a FIFO or
    ``/dev/zero`` cannot hang us; and, for RDF/XML (``.rdf``, ``.owl``, ``.xml``), well-formed XML with no DTD, so
    that no entity is ever expanded. ``limit`` is the total named in the message. Raises January20Error."""
    limit = max_bytes_default() if limit is None else limit
    budget = limit if budget is None else budget
    data = _read_bounded(path, budget, limit)
    if path.suffix.lower() in XML_SUFFIXES:
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
