"""Load and check the editorial enrichment: links to reference entities, resolved years, the editors' readings of
co-reference, and notes to readers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from january20.errors import January20Error, Problem
from january20.names import is_slug
from january20.sources.facts import MONTH_DAY, _line, read_yaml, shown

SECTIONS = ("reference_checked", "links", "resolved_dates", "coreferences", "notes")
URL = re.compile(r"https?://[^\s\"<>()\[\]]+")


@dataclass
class Enrichment:
    path: Path
    reference_path: Path
    reference: dict[str, dict[str, Any]]      # reference entity name -> its entry
    links: list[dict[str, Any]]               # {reference, record, note?}
    resolved_dates: list[dict[str, Any]]      # {event, start, end, evidence, derived_from, checked}
    coreferences: list[dict[str, Any]] = field(default_factory=list)  # {id, record, same_as, evidence, ...}
    notes: list[dict[str, Any]] = field(default_factory=list)         # {id, about, text, evidence, ...}
    reference_checked: str | None = None      # the date the reference material says its entries were checked


def load_enrichment(path: Path, reference_path: Path, records: dict[str, dict[str, Any]],
                    sources: set[str] = frozenset(), cited_figures: set[str] | None = None) -> Enrichment:
    """Read the enrichment file and the reference file it points into.

    ``records`` maps every facts record id to its record, so a link to an unknown record, or a resolved date that
    disagrees with the month-day the article states, is reported with its line. ``sources`` are the ids of the
    sources, which a statement's ``derived_from`` may name (besides web pages by their URL). ``cited_figures`` holds
    the cited figures (``<source id>/<figure id>``) a resolved date may name as its evidence (``cited``).
    """
    problems: list[Problem] = []
    data = read_yaml(path)
    reference_list = read_yaml(reference_path)
    if not isinstance(reference_list, list):
        raise January20Error(Problem(str(reference_path), "expected a list of entities"))
    reference = {str(e.get("entity")): e for e in reference_list if isinstance(e, dict)}
    if not isinstance(data, dict):
        raise January20Error(Problem(str(path), "expected a mapping with 'links' and 'resolved_dates'"))
    for key in data:
        if key not in SECTIONS:
            problems.append(Problem(str(path), f"unknown section {shown(key)}; expected {', '.join(SECTIONS)}",
                                    _line(data, key), str(key)))

    def check_date(item: dict, name: str, where: str) -> bool:
        try:
            dt.date.fromisoformat(str(item[name]))
            return True
        except ValueError:
            problems.append(Problem(str(path), f"expected a date as YYYY-MM-DD, got {shown(item[name])}",
                                    _line(item, name), f"{where}.{name}"))
            return False

    def check_origin(item: dict, where: str) -> None:
        """The evidence's origin: ``derived_from`` (source ids or page URLs) and the ``checked`` date."""
        origins = item.get("derived_from")
        if not isinstance(origins, list) or not origins or not all(
                isinstance(o, str) and (o in sources or URL.fullmatch(o)) for o in origins):
            problems.append(Problem(str(path), "expected derived_from: a list of source ids or page URLs "
                                    f"(sources: {', '.join(sorted(sources)) or 'none'})",
                                    _line(item, "derived_from"), f"{where}.derived_from"))
        check_date(item, "checked", where)

    checked = data.get("reference_checked")
    if checked is not None:
        check_date(data, "reference_checked", "reference_checked")

    links = data.get("links") or []
    for i, link in enumerate(links):
        where = f"links[{i}]"
        if not isinstance(link, dict) or not {"reference", "record"} <= set(link) <= {"reference", "record", "note"}:
            problems.append(Problem(str(path), "expected a mapping {reference, record, note (optional)}",
                                    _line(link), where))
            continue
        if not isinstance(link["reference"], str) or link["reference"] not in reference:
            problems.append(Problem(str(path), f"no entity named {shown(link['reference'])} in {reference_path.name}",
                                    _line(link, "reference"), f"{where}.reference"))
        if not isinstance(link["record"], str) or link["record"] not in records:
            problems.append(Problem(str(path), f"unknown record {shown(link['record'])}: expected an id from a "
                                    "facts file", _line(link, "record"), f"{where}.record"))

    dates = data.get("resolved_dates") or []
    for i, item in enumerate(dates):
        where = f"resolved_dates[{i}]"
        if not isinstance(item, dict) or not {"event", "start", "end", "evidence", "checked"} <= set(item) <= {
                "event", "start", "end", "evidence", "checked", "derived_from", "cited"} or not (
                {"derived_from", "cited"} & set(item)):
            problems.append(Problem(str(path), "expected a mapping {event, start, end, evidence, checked} with "
                                    "derived_from (source ids or page URLs), cited (<source id>/<figure id> of a "
                                    "cited source that gives the year), or both", _line(item), where))
            continue
        if "derived_from" in item:
            check_origin(item, where)
        else:
            check_date(item, "checked", where)
        if "cited" in item and str(item["cited"]) not in (cited_figures or set()):
            problems.append(Problem(str(path), f"unknown cited figure {shown(item['cited'])}: expected <source id>/"
                                    "<figure id> of a cited source", _line(item, "cited"), f"{where}.cited"))
        event = records.get(item["event"]) if isinstance(item["event"], str) else None
        if event is None:
            problems.append(Problem(str(path), f"unknown event {shown(item['event'])}", _line(item, "event"),
                                    f"{where}.event"))
            continue
        for name in ("start", "end"):
            if not check_date(item, name, where):
                continue
            stated = (event.get("stated_date") or event.get(f"stated_{name}") or {}).get("value")
            if stated and MONTH_DAY.match(stated) and str(item[name])[4:] != stated[1:]:
                problems.append(Problem(str(path), f"resolved {name} {item[name]} disagrees with the month-day "
                                        f"{stated} the article states", _line(item, name), f"{where}.{name}"))
        if event.get("year_not_stated"):
            problems.append(Problem(str(path), f"event {item['event']!r} is marked year_not_stated in its facts",
                                    _line(item, "event"), f"{where}.event"))

    coreferences = data.get("coreferences") or []
    for i, item in enumerate(coreferences):
        where = f"coreferences[{i}]"
        if not isinstance(item, dict) or set(item) != {"id", "record", "same_as", "evidence", "derived_from",
                                                       "checked"}:
            problems.append(Problem(str(path), "expected a mapping {id, record, same_as, evidence, derived_from, "
                                    "checked}", _line(item), where))
            continue
        if not is_slug(str(item["id"])):
            problems.append(Problem(str(path), "expected a slug", _line(item, "id"), f"{where}.id"))
        for name in ("record", "same_as"):
            if item[name] not in records:
                problems.append(Problem(str(path), f"unknown record {item[name]!r}", _line(item, name),
                                        f"{where}.{name}"))
        check_origin(item, where)

    notes = data.get("notes") or []
    for i, item in enumerate(notes):
        where = f"notes[{i}]"
        if not isinstance(item, dict) or set(item) != {"id", "about", "text", "evidence", "derived_from", "checked"}:
            problems.append(Problem(str(path), "expected a mapping {id, about, text, evidence, derived_from, "
                                    "checked}", _line(item), where))
            continue
        if not is_slug(str(item["id"])):
            problems.append(Problem(str(path), "expected a slug", _line(item, "id"), f"{where}.id"))
        if not isinstance(item["about"], list) or not item["about"] or any(a not in records for a in item["about"]):
            problems.append(Problem(str(path), "expected about: a list of ids from a facts file",
                                    _line(item, "about"), f"{where}.about"))
        check_origin(item, where)
    if problems:
        raise January20Error(problems)
    return Enrichment(path, reference_path, reference, links, dates, coreferences, notes,
                      str(checked) if checked is not None else None)
