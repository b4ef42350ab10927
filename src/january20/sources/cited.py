"""Load and check a cited source's facts file: a page the editors read but do not hold the text of.

A cited source's facts file starts with ``cited_source:`` (the bibliographic record: title, publisher, author and
date where the page gives them, the address it was read at, the date it was checked, its genre and language), then
``attributions`` (to whom the page credits a figure) and ``figures`` (each number as the page states it, with its
qualifier, its range, its scope and a locator). Nothing rests on quotes and offsets here: every figure rests on a
citation (the page, the place in it, the date it was checked).

Problems are collected with file, line and field, as :mod:`january20.sources.facts` does, and raised together as
:class:`~january20.errors.January20Error`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from january20.errors import January20Error, Problem
from january20.sources.untrusted import read_regular
from january20.sources.facts import (
    COUNT, OPTIONAL, REQUIRED, SLUG, TEXT, TRUE, Checker, _check_fields, _Collector, _line, concept_of, kind_of,
    check_sections, read_yaml)

CITED_KEY = "cited_source"
_CITED_FILE = re.compile(r"^cited_source\s*:", re.MULTILINE)


def is_cited_file(path: Path) -> bool:
    """Whether the facts file at ``path`` describes a cited source (its top-level section is ``cited_source``).

    A file that cannot be read or decoded, or is not a regular file (a FIFO would block the read for ever), is not;
    the seed's loader then reports what is wrong with it."""
    try:
        text = read_regular(path, 1_000_000, "a YAML file").decode("utf-8")
    except (January20Error, OSError, UnicodeDecodeError):
        return False
    return bool(_CITED_FILE.search(text))


def _iso_date(v: Any) -> bool:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


DATE = Checker("a date written YYYY-MM-DD, in quotes", _iso_date)
URL = Checker("the address the page was read at, starting http:// or https://",
              lambda v: isinstance(v, str) and bool(re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", v)))
LANGUAGE = Checker("a BCP 47 language tag such as 'en'",
                   lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", v)))
PUBLISHER = Checker("a mapping {id, name}: the publisher's slug and its name as the page gives it",
                    lambda v: isinstance(v, dict) and set(v) == {"id", "name"} and SLUG.test(v["id"])
                    and TEXT.test(v["name"]))

SOURCE_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "genre": (REQUIRED, concept_of("source-genres")),
    "title": (OPTIONAL, TEXT), "title_not_stated": (OPTIONAL, TRUE), "title_basis": (OPTIONAL, TEXT),
    "publisher": (REQUIRED, PUBLISHER), "author": (OPTIONAL, TEXT),
    "published": (OPTIONAL, DATE), "published_not_stated": (OPTIONAL, TRUE), "published_basis": (OPTIONAL, TEXT),
    "url": (REQUIRED, URL), "checked": (REQUIRED, DATE), "language": (REQUIRED, LANGUAGE),
    "about": (REQUIRED, TEXT), "note": (OPTIONAL, TEXT),
}
ATTRIBUTION_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "kind": (REQUIRED, concept_of("attribution-kinds")),
    "detail": (OPTIONAL, TEXT),
}
FIGURE_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "quantity": (REQUIRED, SLUG),
    "category": (REQUIRED, concept_of("count-categories")), "population": (REQUIRED, concept_of("counted-things")),
    "value": (OPTIONAL, COUNT), "low": (OPTIONAL, COUNT), "high": (OPTIONAL, COUNT),
    "qualifier": (OPTIONAL, concept_of("figure-qualifiers")),
    "event": (OPTIONAL, SLUG), "place": (OPTIONAL, SLUG), "who": (OPTIONAL, TEXT), "where": (OPTIONAL, TEXT),
    "when": (OPTIONAL, TEXT),
    "attributed_to": (OPTIONAL, SLUG), "locator": (REQUIRED, TEXT), "says": (REQUIRED, TEXT),
}
SECTIONS = ("attributions", "figures")


@dataclass
class CitedSource:
    """One cited source, checked: its record, its attributions and its figures (each a dict with line numbers)."""

    path: Path
    source: dict[str, Any]
    attributions: list[dict[str, Any]]
    figures: list[dict[str, Any]]

    @property
    def id(self) -> str:
        return self.source["id"]


def load_cited(path: Path, concepts: dict[str, set[str]]) -> CitedSource:
    """Read and check the cited source's facts file at ``path``.

    ``concepts`` maps each concept scheme's name to its slugs (genres, attribution kinds, count categories, counted
    things, qualifiers). Returns the checked record. Raises January20Error listing every problem found in the file
    (unknown or missing fields, a source without its address, check date or locator, a range whose low is above its
    high, an unknown qualifier, an attribution that is not defined, duplicate ids). References to quantities,
    events and places are checked later, against the other files (:func:`check_cited_references`)."""
    c = _Collector(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise January20Error(Problem(str(path), "expected a mapping with 'cited_source', 'attributions' and "
                                     f"'figures', got {kind_of(data)}", line=_line(data)))
    check_sections(c, data, {CITED_KEY, *SECTIONS})
    source = data.get(CITED_KEY)
    if not _check_fields(c, CITED_KEY, source, SOURCE_FIELDS, concepts, _line(data, CITED_KEY)):
        raise January20Error(c.problems)
    for name in ("title", "published"):
        given, open_ = name in source, source.get(f"{name}_not_stated") is True
        if given == open_:
            c.add(f"give either '{name}' or '{name}_not_stated: true' (when the page does not give it), "
                  "exactly one of them", _line(source, name if given else None), f"{CITED_KEY}.{name}")

    records: dict[str, list[dict]] = {}
    ids: dict[str, int | None] = {}
    for section, spec in (("attributions", ATTRIBUTION_FIELDS), ("figures", FIGURE_FIELDS)):
        items = data.get(section) or []
        if not isinstance(items, list):
            c.add(f"expected a list of records (each starting with '- id:'), got {kind_of(items)}",
                  _line(data, section), section)
            continue
        good = []
        for i, record in enumerate(items):
            where = f"{section}[{i}]" + (f" ({record['id']})" if isinstance(record, dict) and isinstance(
                record.get("id"), str) else "")
            if not _check_fields(c, where, record, spec, concepts, _line(items, i)):
                continue
            key = (section, record["id"])
            if key in ids:
                c.add(f"duplicate id '{record['id']}': already used under '{section}' at line {ids[key]}",
                      _line(record, "id"), f"{where}.id")
                continue
            ids[key] = _line(record, "id")
            if section == "figures" and not _check_figure(c, where, record, ids):
                continue
            good.append(record)
        records[section] = good
    if not records.get("figures") and "figures" in data and isinstance(data["figures"], list) and not c.problems:
        c.add("a cited source needs at least one figure", _line(data, "figures"), "figures")
    if c.problems:
        raise January20Error(sorted(c.problems, key=lambda p: p.line or 0))
    return CitedSource(path, source, records.get("attributions", []), records.get("figures", []))


def _check_figure(c: _Collector, where: str, record: dict, ids: dict) -> bool:
    ok = True
    has_value, has_range = "value" in record, ("low" in record or "high" in record)
    if has_value == has_range:
        c.add("give either 'value' (one number) or 'low' and 'high' (a range), exactly one of them",
              _line(record), where)
        return False
    if has_range:
        if "low" not in record or "high" not in record:
            missing = "low" if "low" not in record else "high"
            c.add(f"a range needs both 'low' and 'high'; '{missing}' is missing", _line(record), f"{where}.{missing}")
            return False
        if record["low"] > record["high"]:
            c.add(f"the range's low ({record['low']}) is above its high ({record['high']}): write the smaller number "
                  "as 'low'", _line(record, "low"), f"{where}.low")
            ok = False
    if "attributed_to" in record and ("attributions", record["attributed_to"]) not in ids:
        c.add(f"unknown attribution '{record['attributed_to']}': expected the id of a record under 'attributions' "
              "(listed before the figures)", _line(record, "attributed_to"), f"{where}.attributed_to")
        ok = False
    return ok


def check_cited_references(cited: list[CitedSource], quantities: set[str], records: dict[str, str]) -> list[Problem]:
    """Problems with what cited figures point at: a quantity not defined in the quantities file, an event that is
    not an event record of a full-text source, a place that is not a place record.

    ``records`` maps every full-text record id to its section."""
    problems: list[Problem] = []
    for source in cited:
        for i, figure in enumerate(source.figures):
            where = f"figures[{i}] ({figure['id']})"
            if figure["quantity"] not in quantities:
                problems.append(Problem(str(source.path), f"unknown quantity '{figure['quantity']}': expected the id "
                                        "of a quantity in data/editorial/quantities.yaml",
                                        _line(figure, "quantity"), f"{where}.quantity"))
            if "event" in figure and records.get(figure["event"]) != "events":
                problems.append(Problem(str(source.path), f"unknown event '{figure['event']}': expected the id of an "
                                        "event record of a full-text source", _line(figure, "event"),
                                        f"{where}.event"))
            if "place" in figure and records.get(figure["place"]) != "places":
                problems.append(Problem(str(source.path), f"unknown place '{figure['place']}': expected the id of a "
                                        "place record of a full-text source", _line(figure, "place"),
                                        f"{where}.place"))
    return problems


def check_unique_source_ids(ids: list[tuple[str, Path, int | None, str]]) -> list[Problem]:
    """Problems for a source id used by two facts files: ``ids`` holds (id, file, line of the id, field), in file
    order; the second use is reported, naming the folder of the first."""
    problems: list[Problem] = []
    first: dict[str, Path] = {}
    for source_id, path, line, field in ids:
        if source_id in first:
            other = first[source_id]
            problems.append(Problem(str(path), f"source id '{source_id}' is already used by "
                                    f"{other.parent.name}/{other.name}: every source needs an id of its own", line,
                                    field))
        else:
            first[source_id] = path
    return problems
