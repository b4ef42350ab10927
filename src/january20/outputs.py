"""The build's output files, by path: small ones kept in memory, large ones written out as soon as they are made.

At a thousand sources the Turtle, N-Triples, TriG and JSON-LD files come to about a gigabyte; held in memory until
the final write, they were a quarter of the build's peak. :class:`OutputFiles` writes each file of at least
``threshold`` bytes at once into a spool folder (beside the output folder, so that the final write hard-links it
into place instead of copying it) and keeps only its size and SHA-256, which the dataset description needs.
It is a Mapping of path to bytes, so reading a spooled file back gives its bytes, as with a dict.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path

SPOOL_THRESHOLD = 1 << 20
_NUMBERS = itertools.count()  # the seed's files are all smaller: its build writes and compares them as before


@dataclass(frozen=True)
class Spooled:
    """A file written to ``path`` in the spool folder, with its size and SHA-256 (hex)."""

    path: Path
    size: int
    sha256: str


class OutputFiles(MutableMapping):
    """Output path -> bytes. With ``spool`` (a folder, which must exist and is the caller's to remove), a file of
    ``threshold`` bytes or more is written there when set and its bytes let go; without it, everything stays in
    memory, as in a dict."""

    def __init__(self, spool: Path | None = None, threshold: int | None = None) -> None:
        self._spool = spool
        self._threshold = SPOOL_THRESHOLD if threshold is None else threshold
        self._held: dict[str, bytes | Spooled] = {}

    def __setitem__(self, name: str, data: bytes) -> None:
        if self._spool is None or len(data) < self._threshold:
            self._held[name] = data
            return
        # One spool file per set, numbered: paths may hold folders, and a name set twice must not overwrite the
        # file an earlier Spooled still points to. The numbers are the process's, not this object's, and the
        # process id is in the name: several OutputFiles, in one process or two, may spool into the same folder.
        path = self._spool / f"{os.getpid()}-{next(_NUMBERS)}"
        with open(path, "wb") as fh:
            fh.write(data)
        self._held[name] = Spooled(path, len(data), hashlib.sha256(data).hexdigest())

    def __getitem__(self, name: str) -> bytes:
        held = self._held[name]
        if isinstance(held, Spooled):
            return held.path.read_bytes()
        return held

    def __delitem__(self, name: str) -> None:
        del self._held[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def spooled(self, name: str) -> Spooled | None:
        """Where ``name`` was spooled, or None if its bytes are in memory."""
        held = self._held[name]
        return held if isinstance(held, Spooled) else None

    def entries(self) -> dict[str, bytes | Spooled]:
        """Every file as held here: its bytes, or where it was spooled. Picklable, for :meth:`adopt`."""
        return dict(self._held)

    def adopt(self, entries: dict[str, bytes | Spooled]) -> None:
        """Take files as :meth:`entries` gave them, spooled or not (by another process, possibly)."""
        self._held.update(entries)

    def moved_to(self, folder: Path) -> None:
        """Read spooled files from ``folder`` from now on: the output they were written to, as the spool goes."""
        for name, held in self._held.items():
            if isinstance(held, Spooled):
                self._held[name] = Spooled(folder / name, held.size, held.sha256)


def size_of(files: MutableMapping, name: str) -> int:
    """The size in bytes of ``files[name]``, without reading a spooled file back."""
    spooled = files.spooled(name) if isinstance(files, OutputFiles) else None
    return spooled.size if spooled else len(files[name])


def sha256_of(files: MutableMapping, name: str) -> str:
    """The SHA-256 (hex) of ``files[name]``, without reading a spooled file back."""
    spooled = files.spooled(name) if isinstance(files, OutputFiles) else None
    return spooled.sha256 if spooled else hashlib.sha256(files[name]).hexdigest()
