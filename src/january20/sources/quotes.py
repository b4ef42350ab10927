"""Where a quote sits in a source text: character offsets (Python string indices) and the words around it."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass

# Long enough to tell two occurrences apart in a news article, short enough to read in a selector.
CONTEXT_CHARS = 32


_SHORT = reprlib.Repr()
_SHORT.maxstring = 160  # a quote in a message stays one readable line, whatever its length in the facts file


class QuoteNotFound(ValueError):
    """A quote that is absent from the text or occurs more than once."""


@dataclass(frozen=True, order=True)
class Excerpt:
    """A span of the source text: ``text[start:end] == exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def excerpt_at(text: str, start: int, end: int, exact: str | None = None) -> Excerpt:
    """The span ``start``-``end`` of ``text``; ``exact``, where given, is that span's text already at hand (kept
    instead of a copy)."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside a text of {len(text)} characters")
    if exact is None or text[start:end] != exact:
        exact = text[start:end]
    return Excerpt(start, end, exact, text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def locate(text: str, quote: str) -> Excerpt:
    """The one place ``quote`` occurs in ``text``.

    Raises QuoteNotFound when it is absent (with the longest prefix that was found, to point at the typo) or when
    it occurs more than once (with the offsets, so the quote can be lengthened).
    """
    first = text.find(quote)
    if first < 0:
        found = _longest_found_prefix(text, quote)
        hint = f"; the text has its first {len(found)} characters {_SHORT.repr(found)} but not what follows" if found else ""
        raise QuoteNotFound(f"quote not found in the source text: {_SHORT.repr(quote)}{hint}")
    second = text.find(quote, first + 1)
    if second >= 0:
        raise QuoteNotFound(f"quote is ambiguous, it occurs at offsets {first} and {second}: {_SHORT.repr(quote)}; "
                            "quote more words so that it occurs once")
    return excerpt_at(text, first, first + len(quote), quote)


def _longest_found_prefix(text: str, quote: str) -> str:
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return quote[:lo] if lo >= 8 else ""


# A sentence ends at . ! ? (optionally closed by a quotation mark) before white space and a capital or an opening
# quotation mark; "Caliber.Az" has no space after its dot, and an initial ("A. Writer") does not end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!(?<![A-Za-z])[A-Z]\.)[”\"]?(?=\s+[A-Z“\"])|\n")


def sentences(text: str) -> list[Excerpt]:
    """The text's sentences in order, each line (headline, byline) at least one, blank lines skipped."""
    spans: list[Excerpt] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_span(text, start, match.end(), spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[Excerpt]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(excerpt_at(text, start, end))
