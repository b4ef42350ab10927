"""The one exception type for mistakes a user can fix, caught once at the CLI edge; and the escaping of what a
terminal would act on, for every text that carries words from an input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected there."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class January20Error(Exception):
    """A user-facing error: carries every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="january20", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# What a terminal acts on or reorders rather than shows: the C0 and C1 controls (ESC starts the sequences that move
# the cursor and repaint a line, BEL rings, CR returns to the line's start, 0x9b is an 8-bit CSI), DEL, the line and
# paragraph separators, and Unicode's bidirectional controls (U+202E shows what follows it reversed).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TERMINAL_CONTROLS = frozenset([chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xa0)]
                              + ["\u2028", "\u2029"] + list(BIDI_CONTROLS))
# In a line of text, as http.server escapes what it logs (\x1b), and \u202e above Latin-1.
_IN_TEXT = str.maketrans({c: f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                          for c in TERMINAL_CONTROLS})
# In a JSON or Turtle document, as \u escapes, which both formats read back as the character itself (inside a
# string or an IRI, the only places either can hold one); the document's own line breaks and tabs stay.
_IN_DOCUMENT = str.maketrans({c: f"\\u{ord(c):04x}" for c in TERMINAL_CONTROLS if c not in "\n\t"})


def escape_controls(text: str) -> str:
    """``text`` with every character a terminal acts on (:data:`TERMINAL_CONTROLS`, line breaks included) written
    as an escape (``\\x1b``, ``\\x0a`` for a line break, ``\\u202e``): one line that shows what is there."""
    return text.translate(_IN_TEXT)


def escape_controls_in_document(text: str) -> str:
    """A JSON or Turtle document with every character a terminal acts on, but its own line breaks and tabs,
    written as a ``\\uXXXX`` escape: the same data for any reader, and nothing for a terminal to act on."""
    return text.translate(_IN_DOCUMENT)
