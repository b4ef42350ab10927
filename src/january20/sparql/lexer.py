"""A SPARQL 1.1 lexer, to decide what a query may do before any engine sees it.

No maintained Python library tokenises SPARQL for this purpose: pyoxigraph parses and runs a query in one call and
exposes no parse tree, and rdflib's parser is a different grammar (pyparsing) with its own leniencies, so agreeing
with it says nothing about what pyoxigraph will do. This module follows the terminals of the SPARQL 1.1 grammar
(https://www.w3.org/TR/sparql11-query/#terminals) and errs on one side only: where it cannot be sure what the
engine will read, it refuses the query rather than guess. ``tests/test_sparql_lexer.py`` checks it against
pyoxigraph on generated queries, with a listener standing in for a remote endpoint.

What the engine (Oxigraph 0.5) does, and what follows from it here:

* Comments end at CR or LF (as the grammar says), whitespace is exactly space, tab, CR and LF; any other control
  or separator character outside a string, an IRI or a comment is a lexing error here (and a syntax error there).
* Keywords are matched without a word boundary: ``SERVICESILENT<...>``, ``?s ?p trueSERVICE<...>{}`` and
  ``SERVICE:x {}`` all run a SERVICE. So every bare word and every prefix of a prefixed name that *contains*
  "service" (compared case-insensitively, with Unicode case folding, so ``ſERVICE`` counts too) is taken as the
  keyword. No SPARQL keyword or function contains it, so nothing legitimate is lost but a prefix named so.
* Inside an expression, after a value, ``<`` is the less-than operator: ``FILTER(?a<'x>')`` compares ``?a`` with a
  string, while a longest-match lexer would read ``<'x>`` as an IRI and then a string opening at the last quote --
  a string that could hide a SERVICE. Such an ambiguous ``<...>`` is refused when reading it either way could
  change what follows (it holds a quote, ``#`` or a bracket); otherwise both readings give the same tokens after it.
* ``\\u`` escapes are decoded inside strings and IRIs only (not in keywords, as the grammar's first step would);
  an escape that decodes to a quote, ``<``, ``>`` or a backslash is refused, so that an engine that decoded
  escapes first could not end a string or an IRI where this lexer does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The grammar's character classes (SPARQL 1.1, section 19.8).
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_VARNAME_CHARS = _PN_CHARS_U + r"0-9\u00B7\u0300-\u036F\u203F-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"

_WHITESPACE = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\r\n]*")
_IRIREF = re.compile(f"<((?:[^<>\"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*)>")
_STRINGS = [re.compile(p, re.DOTALL) for p in (
    f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*'''",
    f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*"""',
    f"'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*'",
    f'"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*"',
)]
_PNAME = re.compile(f"({_PN_PREFIX})?:({_PN_LOCAL})?")
_WORD = re.compile(f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_VAR = re.compile(f"[?$][{_VARNAME_CHARS}]+")
_BNODE = re.compile(f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_NUMBER = re.compile(r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
                     r"|[0-9]*\.[0-9]+|[0-9]+")
_PUNCT = re.compile(r"\^\^|&&|\|\||!=|<=|>=|<<|>>|\{\||\|\}|[{}()\[\],;.*+\-/!=<>|&^~?]")
_ESCAPE = re.compile(_UCHAR)

OPENING = {"(": ")", "{": "}", "[": "]"}
CLOSING = {v: k for k, v in OPENING.items()}
# A token after which an expression's `<` is the less-than operator.
_VALUE_KINDS = {"iri", "pname", "var", "bnode", "string", "number", "langtag", "word"}

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"})


class LexError(ValueError):
    """The query cannot be read safely; ``offset`` is where, in characters."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


class TooManyTokens(LexError):
    """The query has more tokens than the caller allows (scanning stops there)."""


@dataclass(frozen=True)
class Token:
    kind: str  # iri, pname, var, bnode, string, number, langtag, word, punct
    text: str
    start: int


@dataclass(frozen=True)
class Scan:
    """What a query's tokens say about it: the tokens, and the deepest nesting of ``( { [`` in it."""

    tokens: list[Token]
    depth: int

    def federation(self) -> Token | None:
        """The first token that the engine could read as the SERVICE keyword, if any."""
        for token in self.tokens:
            if token.kind == "word" and _names_service(token.text):
                return token
            if token.kind == "pname" and _names_service(token.text.split(":", 1)[0]):
                return token
        return None

    def update(self) -> Token | None:
        """The first keyword of a SPARQL update (INSERT, LOAD, ...), if any."""
        for token in self.tokens:
            if token.kind == "word" and token.text.upper() in UPDATE_KEYWORDS:
                return token
        return None


def _names_service(word: str) -> bool:
    return "SERVICE" in word.upper() or "service" in word.casefold()


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset``; lines end at LF (a lone CR too, as in the grammar)."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def scan(text: str, max_tokens: int | None = None) -> Scan:
    """Tokenise ``text``, the whole of it, without recursion (so any depth is safe to read).

    Raises TooManyTokens as soon as there are more than ``max_tokens``, and LexError for anything the SPARQL 1.1
    grammar does not allow as a token, for an unterminated string or IRI, and for the ambiguous cases described in
    the module docstring.
    """
    tokens: list[Token] = []
    stack: list[str] = []
    depth = 0
    at = 0
    end = len(text)
    while at < end:
        char = text[at]
        match = _WHITESPACE.match(text, at) or _COMMENT.match(text, at)
        if match:
            at = match.end()
            continue
        token = None
        if char == "<":
            token = _iri_or_operator(text, at, tokens, stack)
        elif char in "'\"":
            for pattern in _STRINGS:
                match = pattern.match(text, at)
                if match:
                    _check_escapes(match.group(), at)
                    token = Token("string", match.group(), at)
                    break
            else:
                raise LexError("a string that does not end (or holds a line break or a bad escape)", at)
        elif char in "?$" and (match := _VAR.match(text, at)):
            token = Token("var", match.group(), at)
        elif char == "_" and (match := _BNODE.match(text, at)):
            token = Token("bnode", match.group(), at)
        elif char == "@":
            match = _LANGTAG.match(text, at)
            if not match:
                raise LexError("'@' without a language tag", at)
            token = Token("langtag", match.group(), at)
        elif (match := _NUMBER.match(text, at)) and (char.isdigit() or char == "."):
            token = Token("number", match.group(), at)
        elif (match := _PNAME.match(text, at)) and match.end() > at:
            _check_escapes(match.group(), at)
            token = Token("pname", match.group(), at)
        elif match := _WORD.match(text, at):
            token = Token("word", match.group(), at)
        elif match := _PUNCT.match(text, at):
            token = Token("punct", match.group(), at)
        else:
            raise LexError(f"unexpected character {char!r}", at)
        if token.kind == "punct":
            if token.text in OPENING:
                stack.append(token.text)
                depth = max(depth, len(stack))
            elif token.text in CLOSING and stack and stack[-1] == CLOSING[token.text]:
                stack.pop()
        tokens.append(token)
        if max_tokens is not None and len(tokens) > max_tokens:
            raise TooManyTokens(f"more than {max_tokens} tokens", token.start)
        at = token.start + len(token.text)
    return Scan(tokens, depth)


def _iri_or_operator(text: str, at: int, tokens: list[Token], stack: list[str]) -> Token:
    match = _IRIREF.match(text, at)
    if not match:
        return Token("punct", _PUNCT.match(text, at).group(), at)
    in_expression = bool(stack) and stack[-1] == "("
    after_value = bool(tokens) and (tokens[-1].kind in _VALUE_KINDS or tokens[-1].text in (")", "]"))
    if in_expression and after_value and re.search(r"['#()\[\]]", match.group(1)):
        raise LexError("'<' here may be the less-than operator or the start of an IRI, and the two readings "
                       "differ; put a space after a less-than operator", at)
    _check_escapes(match.group(), at)
    return Token("iri", match.group(), at)


def _check_escapes(text: str, at: int) -> None:
    for escape in _ESCAPE.finditer(text):
        code = int(escape.group()[2:], 16)
        if chr(code) in "'\"<>\\":
            raise LexError(f"the escape {escape.group()} stands for {chr(code)!r}, which would end a string or an "
                           "IRI if read first; write it with a backslash escape such as \\' in a string",
                           at + escape.start())
