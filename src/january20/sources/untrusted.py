"""The checks every reader of an RDF file from elsewhere needs, whichever parser it then uses: a regular file, a
size limit, a bounded read, a limit on triples, and RDF/XML without a DTD. Imports nothing heavy (no rdflib; pyoxigraph
only where triples are counted), so ``query`` stays quick to start.

- **Regular files only**: a FIFO, a device (``/dev/zero``, a terminal) or a socket is refused from its ``stat``,
  before it is opened (opening a FIFO waits for a writer for ever); the file is then opened without blocking and
  checked again, in case it was swapped in between.
- **Size**: more than :data:`MAX_BYTES` in total (64 MiB) is refused before parsing. Set ``J20_MAX_RDF_BYTES`` to
  change the limit.
- **Triples**: bytes do not bound memory (a dense Turtle file holds a triple in 7 bytes, and rdflib needs about
  2.8 KB of memory per triple for ``validate``), so the triples are counted first by pyoxigraph's streaming parser,
  which holds one triple at a time, and more than :data:`MAX_TRIPLES` in total (500,000) are refused before any
  graph is built: :func:`count_triples`. Set ``J20_MAX_TRIPLES`` to change the limit.
- **RDF/XML** is accepted only without a DTD: a ``<!DOCTYPE`` is refused before any RDF parsing, so no entity can
  be declared and none is ever expanded (no "billion laughs", no external entities that read local files).
"""

from __future__ import annotations

import os
import stat
import xml.parsers.expat
from pathlib import Path

from january20.errors import January20Error, Problem

MAX_BYTES = 64 * 1024 * 1024
# 190 times the dataset (2,612 triples), 250 sources of the benchmark's corpus; `validate` needs about 1.4 GB for it.
MAX_TRIPLES = 500_000
XML_SUFFIXES = (".rdf", ".owl", ".xml")


def max_bytes_default() -> int:
    return _limit_from_env("J20_MAX_RDF_BYTES", MAX_BYTES, "bytes")


def max_triples_default() -> int:
    return _limit_from_env("J20_MAX_TRIPLES", MAX_TRIPLES, "triples")


def _limit_from_env(name: str, default: int, unit: str) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or len(value) > 18:
        raise January20Error(Problem(name, f"expected a whole number of {unit}, got {value[:40]!r}"))
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


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _refuse_special(path: Path, mode: int, expected: str) -> None:
    if stat.S_ISDIR(mode):
        raise January20Error(Problem(str(path), f"is a folder, expected {expected}"))
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
        raise January20Error(Problem(str(path), f"refused: {kind}, expected {expected}"))


def read_regular(path: Path, size: int, expected: str = "a regular RDF file") -> bytes:
    """At most ``size`` bytes of ``path``, which must be a regular file: a FIFO, a device or a socket is refused from
    its stat, before it is opened (opening a FIFO waits for a writer for ever, reading ``/dev/zero`` never ends); the
    open does not block, and what it opened is checked again in case the file was swapped in between. ``expected``
    says what the file should be, in the message. Raises January20Error."""
    try:
        _refuse_special(path, os.stat(path).st_mode, expected)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise January20Error(Problem(str(path), f"cannot read: {exc.strerror}")) from None
    try:
        with open(fd, "rb") as fh:
            _refuse_special(path, os.fstat(fd).st_mode, expected)
            return fh.read(size)
    except OSError as exc:
        raise January20Error(Problem(str(path), f"cannot read: {exc.strerror}")) from None


def _read_bounded(path: Path, budget: int, limit: int) -> bytes:
    """The file's bytes, reading at most one byte past what is left of the budget."""
    data = read_regular(path, max(budget, 0) + 1)
    if len(data) > budget:
        raise January20Error(Problem(str(path), f"refused: the input is over the limit of {_size(limit)} for "
                                     "all files together (set J20_MAX_RDF_BYTES to change it)"))
    return data


def count_triples(path: Path, data: bytes, fmt: str, budget: int | None = None, limit: int | None = None) -> int:
    """The number of triples (quads) in ``data``, parsed by pyoxigraph's streaming parser as ``fmt`` (a name of
    ``pyoxigraph.RdfFormat``: "TURTLE", "N_TRIPLES", ...), which holds one at a time. More than ``budget``
    (default: the whole limit, :data:`MAX_TRIPLES` or ``J20_MAX_TRIPLES``) raises January20Error as soon as the
    count passes it, naming ``limit``; a syntax error raises pyoxigraph's SyntaxError, for the caller to word."""
    import pyoxigraph

    limit = max_triples_default() if limit is None else limit
    budget = limit if budget is None else budget
    count = 0
    for _ in pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, fmt), base_iri=path.resolve().as_uri()):
        count += 1
        if count > budget:
            raise January20Error(too_many_triples(path, limit))
    return count


def too_many_triples(path: Path, limit: int) -> Problem:
    return Problem(str(path), f"refused: the input has more than {limit:,} triples, the limit for all files together "
                              "(set J20_MAX_TRIPLES to change it)")


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
