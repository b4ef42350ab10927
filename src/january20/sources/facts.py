"""Load and check one source's facts file: YAML a historian edits, turned into plain records the builders read.

Every problem found is collected with its file, line and field, so one run reports them all; nothing here raises
anything but :class:`~january20.errors.January20Error`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import reprlib
import unicodedata
from sys import intern
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from january20.errors import BIDI_CONTROLS, TERMINAL_CONTROLS, January20Error, Problem
from january20.names import is_slug
from january20.sources.quotes import Excerpt, QuoteNotFound, locate
from january20.sources.untrusted import read_regular

# ---------------------------------------------------------------------------------------------------------------
# Reading YAML with line numbers

class _Mapping(dict):
    """A dict that remembers the line of itself and of each key (1-based)."""

    __slots__ = ("line", "key_lines")  # no __dict__ for each of a corpus's hundred thousand records
    line: int
    key_lines: dict[str, int]


class _Sequence(list):
    """A list that remembers the line of itself and of each item (1-based): a bare word where a record was expected
    still gets a line in the error."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list[int]


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature a facts file has no use for and an attacker has (anchors and aliases): reported with its line
    as what it is, not as a syntax error."""


def _refuse_anchor(event: yaml.Event) -> None:
    """Raise :class:`_Refused` if ``event`` is an alias or carries an anchor.

    An alias makes one value stand for another: nine lists of nine aliases, nine deep, are 387 million strings
    once anything walks them (an error message, a type check, ``str()``), from a file of 2 KB. A facts file is
    reviewed like a table, so a value that is not written where it is used has no place in it anyway."""
    if isinstance(event, yaml.AliasEvent):
        what = f"an alias (*{shown_text(event.anchor)})"
    elif getattr(event, "anchor", None) is not None:
        what = f"an anchor (&{shown_text(event.anchor)})"
    else:
        return
    raise _Refused(None, None, f"refused: {what}: YAML anchors and aliases are not accepted in a facts file; "
                               "write the value out in full", event.start_mark)


class _LongNumber:
    """What a number too long to read stands for: it fails every field's check, and is shown by its length. (Python
    refuses to turn an int of over 4,300 digits into text, and a longer one is no figure from an article.)"""

    __slots__ = ("length",)

    def __init__(self, length: int):
        self.length = length

    def __repr__(self) -> str:
        return f"a number written with {self.length:,} characters (at most {MAX_NUMBER_CHARS} are read)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _LongNumber) and other.length == self.length

    def __hash__(self) -> int:
        return hash((_LongNumber, self.length))


MAX_NUMBER_CHARS = 30


def _construct_int(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> int | _LongNumber:
    if len(node.value) > MAX_NUMBER_CHARS:
        return _LongNumber(len(node.value))
    return yaml.SafeLoader.construct_yaml_int(loader, node)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no object construction) that keeps line numbers on mappings and lists, and refuses anchors and
    aliases before they are composed."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        _refuse_anchor(self.peek_event())
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(
                None, None, f"a field name must be a plain word, got {kind_of(key)}", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_NULL, _BOOL, _INT, _FLOAT, _STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in (
    "null", "bool", "int", "float", "str", "seq", "map"))


class _Unusual(Exception):
    """A node :class:`_PlainConstructor` leaves to PyYAML's constructor: an explicit or merge tag, a duplicate or
    non-scalar key, a recursive alias."""


_BUILDING = object()  # a node whose object is being made: met again through an alias, it is recursive


class _PlainConstructor:
    """What PyYAML's constructor (with ours for mappings and lists) makes of a document of plain mappings, lists
    and scalars, made directly: ``_PlainConstructor(loader).construct(node)``.

    PyYAML's ``construct_object`` spends most of a facts file's reading on bookkeeping (recursion guards,
    generators for two-step objects, a dict of every node made) that a facts file never needs: this walks the
    nodes once, makes scalars with the loader's own constructors and mappings and lists as ours do, and raises
    :class:`_Unusual` for anything else, which PyYAML then reads (and words the error of) as before. An alias
    gives the very object its anchor made, as in PyYAML, so an alias bomb stays small.

    A class, not a closure: a function that calls itself through its closure is a reference cycle, which keeps
    every node of the file alive while the build has the cycle collector paused.
    """

    def __init__(self, loader: yaml.BaseLoader) -> None:
        self.loader = loader
        self.scalars = {tag: loader.yaml_constructors[tag] for tag in (_NULL, _BOOL, _INT, _FLOAT)}
        self.made: dict[yaml.Node, Any] = {}  # mappings and lists only: a scalar made twice is the same value

    def construct(self, node: yaml.Node) -> Any:
        kind = node.__class__
        if kind is yaml.ScalarNode:
            if node.tag == _STR:
                return node.value
            make = self.scalars.get(node.tag)
            if make is None:
                raise _Unusual
            return make(self.loader, node)
        made = self.made
        value = made.get(node, made)
        if value is not made:
            if value is _BUILDING:
                raise _Unusual
            return value
        made[node] = _BUILDING
        construct = self.construct
        if kind is yaml.MappingNode and node.tag == _MAP:
            value = _Mapping()
            value.line = node.start_mark.line + 1
            value.key_lines = key_lines = {}
            for key_node, value_node in node.value:
                key = construct(key_node)
                if type(key) is str:
                    key = intern(key)  # one "id", "quote" ... for the whole corpus, not one per record
                elif not isinstance(key, (str, int, float, bool, type(None))):
                    raise _Unusual
                if key in value:
                    raise _Unusual
                value[key] = construct(value_node)
                key_lines[str(key)] = key_node.start_mark.line + 1
        elif kind is yaml.SequenceNode and node.tag == _SEQ:
            value = _Sequence(construct(child) for child in node.value)
            value.line = node.start_mark.line + 1
            value.item_lines = [child.start_mark.line + 1 for child in node.value]
        else:
            raise _Unusual
        made[node] = value
        return value


# libyaml's parser, where PyYAML was built with it, reads a facts file ten times faster than the pure-Python one;
# both compose the same nodes and the same constructors below make the records. Every message about a broken file
# was written for the pure one (its wording, its line), so a file libyaml refuses is read again by the pure one.
if getattr(yaml, "__with_libyaml__", False):
    class _CLineLoader(yaml.CSafeLoader):
        """libyaml's parser; a plain document made by :class:`_PlainConstructor`, any other by PyYAML. A document
        with an anchor or an alias is refused as the pure loader refuses it."""

        def __init__(self, stream: str | bytes) -> None:
            # libyaml composes in C, where an alias leaves no trace: a pass over the events finds them first, in
            # the rare file that has the character that starts one.
            if not isinstance(stream, (str, bytes)):
                stream = stream.read()
            marks = ("&", "*") if isinstance(stream, str) else (b"&", b"*")
            if marks[0] in stream or marks[1] in stream:
                for event in yaml.parse(stream, Loader=yaml.CSafeLoader):
                    _refuse_anchor(event)
            super().__init__(stream)

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            # With no path resolvers (asserted below), only a plain scalar whose first character starts one of the
            # patterns can be anything but a string: skip matching for the rest (the quotes, names and slugs).
            if kind is yaml.ScalarNode and (not implicit[0] or value[:1] not in self.yaml_implicit_resolvers):
                return _STR
            return super().resolve(kind, value, implicit)

        def construct_document(self, node: yaml.Node) -> Any:
            try:
                return _PlainConstructor(self).construct(node)
            except _Unusual:
                return super().construct_document(node)
else:
    _CLineLoader = None

for _loader in (_LineLoader, _CLineLoader):
    if _loader is None:
        continue
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor(_INT, _construct_int)
    # YAML 1.1 turns bare dates into datetime objects and "--01-18" stays a string; keep every scalar that looks
    # like a date a plain string so that dates are checked by our rules, not by the YAML library's guesses.
    _loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
# _CLineLoader.resolve's short cut holds while no resolver looks at a node's path or at every first character.
assert not _LineLoader.yaml_path_resolvers and None not in _LineLoader.yaml_implicit_resolvers


def _load_yaml(text: str) -> Any:
    if _CLineLoader is not None:
        try:
            return yaml.load(text, Loader=_CLineLoader)  # noqa: S506 - a SafeLoader
        except _Refused:
            raise
        except Exception:  # noqa: BLE001 - any refusal is reported as the pure loader words it, below
            pass
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader


# A hand-edited facts file is tens of kilobytes; PyYAML's pure-Python parser would take minutes over a huge file.
MAX_YAML_BYTES = 4 * 1024 * 1024
# The article is 6 KB; a book would not fit the model of one article per source either.
MAX_TEXT_BYTES = 16 * 1024 * 1024


def read_yaml(path: Path) -> Any:
    """Parse ``path`` safely (no Python objects are ever constructed); a syntax error becomes a Problem with its
    line and column. Files over :data:`MAX_YAML_BYTES` and nesting too deep to parse are refused the same way."""
    raw = read_regular(path, MAX_YAML_BYTES + 1, "a YAML file")
    if len(raw) > MAX_YAML_BYTES:
        raise January20Error(Problem(str(path), f"refused: the file is over the limit of {MAX_YAML_BYTES} bytes"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise January20Error(Problem(str(path), f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save "
                                     "the file as UTF-8", line=line)) from None
    try:
        return _load_yaml(text)
    except _Refused as exc:
        raise January20Error(Problem(str(path), exc.problem, line=exc.problem_mark.line + 1)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        message = f"YAML syntax error{column}: {exc.problem or exc.context}"
        raise January20Error(Problem(str(path), message, line=line)) from None
    except yaml.YAMLError as exc:
        raise January20Error(Problem(str(path), f"YAML error: {exc}")) from None
    except RecursionError:
        raise January20Error(Problem(str(path), "refused: lists or mappings nested too deeply to read")) from None


# ---------------------------------------------------------------------------------------------------------------
# The shape of a facts file, as data: section -> field -> (required, checker)

MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")
YEAR = re.compile(r"^\d{4}$")
DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

PLACE_KINDS = ("city", "country", "region", "landmark", "place", "group")
AGENT_KINDS = ("person", "organization", "government", "news-media", "armed-force", "group")
CLAIM_KINDS = ("characterisation", "comparison", "interpretation")
NOT_STATED = ("publication-date", "url")


@dataclass
class Checker:
    """Checks one field's value; returns an error message or None. ``ref`` names the section a reference points to."""

    expected: str
    test: Callable[[Any], bool]
    ref: str | None = None
    is_list: bool = False
    concept_scheme: str | None = None
    is_name: bool = False  # words of the historian's shown as names and labels: no control characters at all


class _ShortRepr(reprlib.Repr):
    # reprlib picks a method by type name; without these, our line-keeping list and dict would be printed in full.
    def repr__Sequence(self, x: list, level: int) -> str:  # noqa: N802 - name required by reprlib
        return self.repr_list(x, level)

    def repr__Mapping(self, x: dict, level: int) -> str:  # noqa: N802 - name required by reprlib
        return self.repr_dict(x, level)


_SHORT = _ShortRepr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 80, 80, 4, 4, 2


def shown(value: Any) -> str:
    """``repr`` cut short: a value in an error must stay one readable line, even a YAML alias bomb; a control or
    bidirectional formatting character in it is escaped (``\\x1b``, ``\\u202e``), as repr does for them."""
    return _SHORT.repr(value)


def shown_text(text: str) -> str:
    """``text`` as :func:`shown` shows it, without the quotes."""
    return shown(text)[1:-1]


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    return "nothing" if value is None else type(value).__name__


def _text(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != "" and v == v.strip()


# A name or a quote may not hold what a terminal acts on rather than shows (errors.TERMINAL_CONTROLS: ESC starts the
# sequences that move the cursor and repaint lines; U+202E turns the text after it right to left, "Trojan source").
# A quote may hold a line break or a tab, as the article does; a name may not.
_UNSAFE = re.compile("[" + re.escape("".join(sorted(TERMINAL_CONTROLS))) + "]")
_UNSAFE_IN_QUOTES = re.compile("[" + re.escape("".join(sorted(TERMINAL_CONTROLS - {"\n", "\t"}))) + "]")


def unsafe_character(text: str, in_quote: bool = False) -> str | None:
    """Why ``text`` is refused, naming its first control or bidirectional formatting character and where it is; or
    None. A quote may have line breaks and tabs (``in_quote``), a name not."""
    found = (_UNSAFE_IN_QUOTES if in_quote else _UNSAFE).search(text)
    if found is None:
        return None
    char = found.group()
    kind = "bidirectional formatting character" if char in BIDI_CONTROLS else (
        "line separator" if unicodedata.category(char) in ("Zl", "Zp") else "control character")
    what = "quotes" if in_quote else "names"
    return (f"refused: the {kind} U+{ord(char):04X} at character {found.start() + 1}; {what} may not hold control "
            "or bidirectional formatting characters, which can disguise what a terminal or an editor shows")


def _list_of(pred: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, list) and len(v) > 0 and all(pred(x) for x in v)


TEXT = Checker("a non-empty text without leading or trailing spaces", _text, is_name=True)
TEXTS = Checker("a list of non-empty texts", _list_of(_text), is_list=True, is_name=True)
QUOTE = Checker(TEXT.expected, _text)  # checked as every quote is, when it is looked for in the article
SLUG = Checker("a slug (lowercase letters, digits, single hyphens)", lambda v: isinstance(v, str) and is_slug(v))
QUOTES = Checker("a verbatim quote or a list of them", lambda v: _text(v) or _list_of(_text)(v))
TRUE = Checker("true", lambda v: v is True)
COUNT = Checker("a whole number of 0 or more, written in digits",
                lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0)


def ref(section: str) -> Checker:
    return Checker(f"the id of a record under '{section}'", lambda v: isinstance(v, str) and is_slug(v), ref=section)


def refs(section: str) -> Checker:
    return Checker(f"a list of ids of records under '{section}'",
                   _list_of(lambda v: isinstance(v, str) and is_slug(v)), ref=section, is_list=True)


def one_of(*choices: str) -> Checker:
    return Checker("one of: " + ", ".join(choices), lambda v: v in choices)


def concept_of(scheme: str, many: bool = False) -> Checker:
    if many:
        return Checker(f"a list of concepts of the '{scheme}' scheme", _list_of(lambda v: isinstance(v, str)),
                       is_list=True, concept_scheme=scheme)
    return Checker(f"a concept of the '{scheme}' scheme", lambda v: isinstance(v, str), concept_scheme=scheme)


def _stated_date(v: Any) -> bool:
    return isinstance(v, dict) and set(v) == {"value", "quote"} and _text(v.get("quote")) and isinstance(
        v.get("value"), str)


STATED_DATE = Checker("a mapping {value: --MM-DD or YYYY, quote: the words that state it}", _stated_date)

REQUIRED, OPTIONAL = True, False

SECTIONS: dict[str, dict[str, tuple[bool, Checker]]] = {
    "places": {
        "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "kind": (REQUIRED, one_of(*PLACE_KINDS)),
        "quote": (REQUIRED, QUOTES), "alternate_names": (OPTIONAL, TEXTS), "within": (OPTIONAL, ref("places")),
        "members": (OPTIONAL, refs("places")),
    },
    "agents": {
        "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "kind": (REQUIRED, one_of(*AGENT_KINDS)),
        "quote": (REQUIRED, QUOTES), "parent": (OPTIONAL, ref("agents")), "drawn_from": (OPTIONAL, refs("agents")),
        "territory": (OPTIONAL, ref("places")),
    },
    "groups": {
        "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "quote": (REQUIRED, QUOTES),
    },
    "roles": {
        "id": (REQUIRED, SLUG), "holder": (REQUIRED, ref("agents")), "role": (REQUIRED, TEXT),
        "of": (REQUIRED, Checker("the id of a record under 'places' or 'agents'",
                                 lambda v: isinstance(v, str) and is_slug(v), ref="places|agents")),
        "during": (REQUIRED, ref("events")), "quote": (REQUIRED, QUOTES),
    },
    "events": {
        "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "kind": (REQUIRED, concept_of("event-kinds")),
        "quote": (REQUIRED, QUOTES), "alternate_names": (OPTIONAL, TEXTS), "part_of": (OPTIONAL, ref("events")),
        "places": (OPTIONAL, refs("places")), "place_not_stated": (OPTIONAL, TRUE),
        "stated_date": (OPTIONAL, STATED_DATE), "stated_start": (OPTIONAL, STATED_DATE),
        "stated_end": (OPTIONAL, STATED_DATE), "year_not_stated": (OPTIONAL, TRUE),
        "time_of_day": (OPTIONAL, one_of("night")), "stated_time": (OPTIONAL, TEXT),
        "before": (OPTIONAL, ref("events")), "after": (OPTIONAL, ref("events")),
        "condemned_at": (OPTIONAL, ref("events")),
        "commemorates": (OPTIONAL, Checker("a list of ids of records under 'groups' or 'events'",
                                           _list_of(lambda v: isinstance(v, str) and is_slug(v)),
                                           ref="groups|events", is_list=True)),
        "not_in_effect_in": (OPTIONAL, refs("places")),
        "targets": (OPTIONAL, concept_of("counted-things", many=True)),
        "victims_included": (OPTIONAL, concept_of("victim-groups", many=True)),
        "instruments": (OPTIONAL, TEXTS),
        "participants": (OPTIONAL, Checker("a list of {agent, role, quote}", lambda v: isinstance(v, list) and v != [],
                                           is_list=True)),
    },
    "counts": {
        "id": (REQUIRED, SLUG), "value": (REQUIRED, COUNT), "category": (REQUIRED, concept_of("count-categories")),
        "population": (REQUIRED, concept_of("counted-things")), "event": (REQUIRED, ref("events")),
        "quote": (REQUIRED, QUOTES), "place": (OPTIONAL, ref("places")), "part_of": (OPTIONAL, ref("counts")),
        "subset_of": (OPTIONAL, ref("counts")), "total": (OPTIONAL, TRUE),
    },
    "amounts": {
        "id": (REQUIRED, SLUG), "amount": (REQUIRED, TEXT), "category": (REQUIRED, concept_of("count-categories")),
        "population": (REQUIRED, concept_of("counted-things")), "event": (REQUIRED, ref("events")),
        "quote": (REQUIRED, QUOTES), "includes": (OPTIONAL, concept_of("counted-things", many=True)),
    },
    "claims": {
        "id": (REQUIRED, SLUG), "kind": (REQUIRED, one_of(*CLAIM_KINDS)), "quote": (REQUIRED, QUOTES),
        "about": (REQUIRED, Checker("a list of ids of any records", _list_of(lambda v: isinstance(v, str)),
                                    ref="*", is_list=True)),
        "compared_with": (OPTIONAL, ref("events")),
    },
}

# Every value's type is checked here, before anything uses or prints it (a value of the wrong type is shown cut short).
AGENT_QUOTE = Checker("a mapping {agent: the id of a record under 'agents', quote: the words that name it}",
                      lambda v: isinstance(v, dict) and set(v) == {"agent", "quote"} and isinstance(v["agent"], str)
                      and is_slug(v["agent"]) and _text(v["quote"]))

PARTICIPANT_FIELDS = {
    "agent": (REQUIRED, ref("agents")), "role": (REQUIRED, concept_of("participant-roles")),
    "quote": (REQUIRED, QUOTE),
}
SOURCE_FIELDS = {
    "id": (REQUIRED, SLUG), "text": (REQUIRED, TEXT),
    "sha256": (REQUIRED, Checker("64 lowercase hex digits", lambda v: isinstance(v, str) and bool(
        re.fullmatch(r"[0-9a-f]{64}", v)))),
    "language": (REQUIRED, Checker("a BCP 47 language tag such as 'en'",
                                   lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", v)))),
    "headline": (REQUIRED, Checker("a mapping {text, quote}", lambda v: isinstance(v, dict) and set(v) == {
        "text", "quote"} and _text(v["text"]) and _text(v["quote"]))),
    "photo_marker": (OPTIONAL, Checker("a mapping {quote}", lambda v: isinstance(v, dict) and set(v) == {"quote"}
                                       and _text(v["quote"]))),
    "author": (OPTIONAL, AGENT_QUOTE),
    "publisher": (OPTIONAL, AGENT_QUOTE),
    "based_on": (OPTIONAL, AGENT_QUOTE),
    "not_stated": (OPTIONAL, Checker("a list drawn from: " + ", ".join(NOT_STATED),
                                     _list_of(lambda v: v in NOT_STATED), is_list=True)),
}


# ---------------------------------------------------------------------------------------------------------------
# What the loader returns

@dataclass
class SourceFacts:
    """One source's facts, checked: records by section, and every quote located in the text."""

    path: Path
    text: str
    source: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]
    excerpts: dict[str, Excerpt] = field(default_factory=dict)  # quote -> where it is

    @property
    def id(self) -> str:
        return self.source["id"]

    def records(self, section: str) -> list[dict[str, Any]]:
        return self.sections.get(section, [])

    def excerpt(self, quote: str) -> Excerpt:
        return self.excerpts[quote]


def quotes_of(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class _Collector:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, message: str, line: int | None = None, field_name: str | None = None) -> None:
        self.problems.append(Problem(str(self.path), message, line=line, field=field_name))


def _line(mapping: Any, key: str | int | None = None) -> int | None:
    if isinstance(mapping, _Sequence):
        if isinstance(key, int) and 0 <= key < len(mapping.item_lines):
            return mapping.item_lines[key]
        return mapping.line
    if isinstance(mapping, _Mapping):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line
    return None


def _check_fields(c: _Collector, where: str, record: Any, spec: dict[str, tuple[bool, Checker]],
                  concepts: dict[str, set[str]], line: int | None = None) -> bool:
    if not isinstance(record, dict):
        c.add(f"expected a mapping of fields ({', '.join(spec)}), got {kind_of(record)}", line, where)
        return False
    ok = True
    misspelt: set[str] = set()
    for key in record:
        if key not in spec:
            close = difflib.get_close_matches(str(key), list(spec), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(spec)}"
            c.add(f"unknown field {shown(key)}{hint}", _line(record, key), f"{where}.{shown_text(str(key))}")
            misspelt.update(close)
            ok = False
    for name, (required, checker) in spec.items():
        if name not in record:
            if required and name not in misspelt:  # already reported as the misspelling it is
                c.add(f"missing required field '{name}' ({checker.expected})", _line(record), f"{where}.{name}")
            ok = ok and not required
            continue
        value = record[name]
        if not checker.test(value):
            c.add(f"expected {checker.expected}, got {shown(value)}", _line(record, name), f"{where}.{name}")
            ok = False
            continue
        if checker.is_name:
            unsafe = next(filter(None, map(unsafe_character, value if checker.is_list else [value])), None)
            if unsafe:
                c.add(unsafe, _line(record, name), f"{where}.{name}")
                ok = False
                continue
        if checker.concept_scheme:
            known = concepts.get(checker.concept_scheme, set())
            for v in (value if isinstance(value, list) else [value]):
                if v not in known:
                    close = difflib.get_close_matches(v, sorted(known), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    c.add(f"{shown(v)} is not a concept of the '{checker.concept_scheme}' scheme{hint}",
                          _line(record, name), f"{where}.{name}")
                    ok = False
    return ok


def _check_date(c: _Collector, where: str, record: dict, name: str) -> None:
    value = record[name]["value"]
    m = MONTH_DAY.match(value)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month]):
            c.add(f"impossible date {shown(value)}: no such day in the calendar", _line(record, name), f"{where}.{name}")
    elif not YEAR.match(value):
        c.add(f"expected a month-day as --MM-DD or a year as YYYY, got {shown(value)}", _line(record, name),
              f"{where}.{name}")


def check_sections(c: "_Collector", data: dict, allowed: set[str]) -> None:
    """Report each top-level key of a facts-like file that is not one of ``allowed``, with the closest allowed name
    when there is one (every kind of data file says it the same way)."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(sorted(allowed))}"
            c.add(f"unknown section {shown(key)}{hint}", _line(data, key), shown_text(str(key)))


def load_facts(path: Path, concepts: dict[str, set[str]]) -> SourceFacts:
    """Read and check the facts file at ``path`` against the article next to it.

    ``concepts`` maps each concept scheme's name to the slugs it defines. Returns the checked records with every
    quote located. Raises January20Error listing every problem (syntax, missing or unknown fields, wrong types,
    unknown references, duplicate ids, quotes missing or ambiguous, impossible dates, parts larger than totals).
    """
    c = _Collector(path)
    data = read_yaml(path)
    if data is None:
        raise January20Error(Problem(str(path), "the file is empty: expected a mapping with 'source' and sections "
                                     "such as 'events'"))
    if not isinstance(data, dict):
        raise January20Error(Problem(str(path), "expected a mapping with 'source' and sections such as 'events', "
                                     f"got {kind_of(data)}", line=_line(data)))

    allowed = {"source", *SECTIONS}
    check_sections(c, data, allowed)
    source = data.get("source")
    if source is None:
        c.add("missing the 'source' section (id, text, sha256, language, headline)", _line(data), "source")
        raise January20Error(c.problems)
    if not _check_fields(c, "source", source, SOURCE_FIELDS, concepts):
        raise January20Error(c.problems)

    text = _read_source_text(c, path, source)

    sections: dict[str, list[dict]] = {}
    ids: dict[str, tuple[str, int | None]] = {}
    # Ids of records that are already reported as broken (or sit in a misspelt section): a reference to one of them
    # is not reported again, so that one mistake gives one message.
    broken = {r["id"] for key in data if key not in allowed for r in _records_in(data[key])}
    for section in SECTIONS:
        records = data.get(section) or []
        if not isinstance(records, list):
            c.add(f"expected a list of records (each starting with '- id:'), got {kind_of(records)}",
                  _line(data, section), section)
            broken |= {r["id"] for r in _records_in(records)}
            continue
        good = []
        for i, record in enumerate(records):
            where = f"{section}[{i}]" + (f" ({shown_text(record['id'])})" if isinstance(record, dict) and isinstance(
                record.get("id"), str) else "")
            if not _check_fields(c, where, record, SECTIONS[section], concepts, _line(records, i)):
                broken |= {r["id"] for r in _records_in(record)}
                continue
            rid = record["id"]
            if rid in ids:
                first_section, first_line = ids[rid]
                c.add(f"duplicate id '{rid}': already used under '{first_section}' at line {first_line}",
                      _line(record, "id"), f"{where}.id")
                continue
            ids[rid] = (section, _line(record, "id"))
            for name in ("stated_date", "stated_start", "stated_end"):
                if name in record:
                    _check_date(c, where, record, name)
            for j, participant in enumerate(record.get("participants", []) if section == "events" else []):
                _check_fields(c, f"{where}.participants[{j}]", participant, PARTICIPANT_FIELDS, concepts,
                              _line(record["participants"], j))
            good.append(record)
        sections[section] = good

    facts = SourceFacts(path=path, text=text, source=source, sections=sections)
    _check_references(c, facts, ids, broken)
    _check_counts(c, facts)
    if text is not None:
        _locate_quotes(c, facts)
    if c.problems:
        raise January20Error(sorted(c.problems, key=lambda p: p.line or 0))  # in file order, as a reader goes
    return facts


def _read_source_text(c: _Collector, path: Path, source: dict) -> str | None:
    text_path = path.parent / source["text"]
    try:
        raw = read_regular(text_path, MAX_TEXT_BYTES + 1, "the article as a UTF-8 text file")
    except January20Error as exc:
        reason = exc.problems[0].message
        c.add(f"cannot read the source text {shown(source['text'])} (next to this file): "
              f"{reason.removeprefix('cannot read: ')}", _line(source, "text"), "source.text")
        raise January20Error(c.problems) from None
    if len(raw) > MAX_TEXT_BYTES:
        c.add(f"refused: the source text {shown(source['text'])} is over the limit of {MAX_TEXT_BYTES} bytes",
              _line(source, "text"), "source.text")
        raise January20Error(c.problems)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != source["sha256"]:
        c.add(f"the source text's SHA-256 is {digest}, expected {source['sha256']}: the article was edited or "
              "replaced; restore it byte for byte", _line(source, "sha256"), "source.sha256")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        c.add(f"the source text is not UTF-8 ({exc})", _line(source, "text"), "source.text")
        raise January20Error(c.problems) from None


def _records_in(value: Any) -> list[dict]:
    """The records with a usable id in a value that may be a record, a list of them, or anything else."""
    candidates = value if isinstance(value, list) else [value]
    return [r for r in candidates if isinstance(r, dict) and isinstance(r.get("id"), str) and is_slug(r["id"])]


def _check_references(c: _Collector, facts: SourceFacts, ids: dict[str, tuple[str, int | None]],
                      broken: set[str]) -> None:
    def check(where: str, record: dict, name: str, target: str, value: str) -> None:
        if value in broken and value not in ids:
            return
        if target == "*":
            ok = value in ids
        else:
            ok = value in ids and ids[value][0] in target.split("|")
        if not ok:
            expected = "any record" if target == "*" else "a record under '" + "' or '".join(target.split("|")) + "'"
            found = f" (it is under '{ids[value][0]}')" if value in ids else ""
            c.add(f"unknown reference {shown(value)}: expected the id of {expected}{found}", _line(record, name),
                  f"{where}.{name}")

    for section, spec in SECTIONS.items():
        for record in facts.records(section):
            where = f"{section} ({record['id']})"
            for name, (_, checker) in spec.items():
                if checker.ref and name in record:
                    for v in (record[name] if checker.is_list else [record[name]]):
                        check(where, record, name, checker.ref, v)
            for participant in record.get("participants", []) if section == "events" else []:
                if isinstance(participant, dict) and isinstance(participant.get("agent"), str):
                    check(f"{where}.participants", participant, "agent", "agents", participant["agent"])
    for name in ("author", "publisher", "based_on"):
        if name in facts.source:
            check("source", facts.source[name], "agent", "agents", facts.source[name]["agent"])


def _check_counts(c: _Collector, facts: SourceFacts) -> None:
    counts = {r["id"]: r for r in facts.records("counts")}
    for record in counts.values():
        for relation, word in (("part_of", "a part of"), ("subset_of", "a subset of")):
            other = counts.get(record.get(relation, ""))
            if other is not None and record["value"] > other["value"]:
                c.add(f"{record['value']} cannot be {word} '{other['id']}' ({other['value']}): the part is larger",
                      _line(record, "value"), f"counts ({record['id']}).value")
    for record in facts.records("events"):
        if "places" in record and record.get("place_not_stated"):
            c.add("give either 'places' or 'place_not_stated: true', not both", _line(record, "place_not_stated"),
                  f"events ({record['id']})")
        if "places" not in record and not record.get("place_not_stated"):
            c.add("missing 'places' (or 'place_not_stated: true' when the article does not say where)",
                  _line(record), f"events ({record['id']})")


def _locate_quotes(c: _Collector, facts: SourceFacts) -> None:
    def find(quote: str, line: int | None, where: str) -> None:
        if quote in facts.excerpts:
            return
        unsafe = unsafe_character(quote, in_quote=True)
        if unsafe:
            c.add(unsafe, line, where)
            return
        try:
            facts.excerpts[quote] = locate(facts.text, quote)
        except QuoteNotFound as exc:
            c.add(str(exc), line, where)

    src = facts.source
    find(src["headline"]["quote"], _line(src["headline"], "quote"), "source.headline.quote")
    if src["headline"]["text"] not in src["headline"]["quote"]:
        c.add("the headline text must be part of its quote", _line(src["headline"], "text"), "source.headline.text")
    elif unsafe_character(src["headline"]["text"]):
        c.add(unsafe_character(src["headline"]["text"]), _line(src["headline"], "text"), "source.headline.text")
    for name in ("photo_marker", "author", "publisher", "based_on"):
        if name in src:
            find(src[name]["quote"], _line(src[name], "quote"), f"source.{name}.quote")
    for section in SECTIONS:
        for record in facts.records(section):
            where = f"{section} ({record['id']}).quote"
            for quote in quotes_of(record["quote"]):
                find(quote, _line(record, "quote"), where)
            for name in ("stated_date", "stated_start", "stated_end"):
                if name in record:
                    find(record[name]["quote"], _line(record, name), f"{section} ({record['id']}).{name}.quote")
            for j, participant in enumerate(record.get("participants", []) if section == "events" else []):
                if isinstance(participant, dict) and isinstance(participant.get("quote"), str):
                    find(participant["quote"], _line(participant, "quote"),
                         f"{section} ({record['id']}).participants[{j}].quote")
    _check_numbers_in_quotes(c, facts)


def _check_numbers_in_quotes(c: _Collector, facts: SourceFacts) -> None:
    # A count must rest on words that state its number, or the provenance points at the wrong place.
    for record in facts.records("counts"):
        if not any(_states_number(q, record["value"]) for q in quotes_of(record["quote"])):
            c.add(f"none of the quotes states the number {record['value']}", _line(record, "quote"),
                  f"counts ({record['id']}).quote")


def _states_number(text: str, number: int) -> bool:
    r"""Whether ``text`` has ``number`` in digits, not as part of a longer number (``re.search(r"(?<!\d)N(?!\d)")``
    without compiling a pattern per number: a corpus has more distinct figures than re's cache holds)."""
    digits = str(number)
    at = text.find(digits)
    while at >= 0:
        end = at + len(digits)
        if (at == 0 or not text[at - 1].isdecimal()) and (end == len(text) or not text[end].isdecimal()):
            return True
        at = text.find(digits, at + 1)
    return False
