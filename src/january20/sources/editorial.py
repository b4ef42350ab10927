"""Load and check the editorial enrichment: the links to reference entities and the resolved years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from january20.errors import January20Error, Problem
from january20.sources.facts import MONTH_DAY, _line, read_yaml


@dataclass
class Enrichment:
    path: Path
    reference_path: Path
    reference: dict[str, dict[str, Any]]      # reference entity name -> its entry
    links: list[dict[str, Any]]               # {reference, record}
    resolved_dates: list[dict[str, Any]]      # {event, start, end, evidence}


def load_enrichment(path: Path, reference_path: Path, records: dict[str, dict[str, Any]],
                    cited_figures: set[str] | None = None) -> Enrichment:
    """Read the enrichment file and the reference file it points into.

    ``records`` maps every facts record id to its record, so a link to an unknown record, or a resolved date that
    disagrees with the month-day the article states, is reported with its line. ``cited_figures`` holds the cited
    figures (``<source id>/<figure id>``) a resolved date may name as its evidence (``cited``).
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
        if key not in ("links", "resolved_dates"):
            problems.append(Problem(str(path), f"unknown section '{key}'; expected links, resolved_dates",
                                    _line(data, key), str(key)))

    links = data.get("links") or []
    for i, link in enumerate(links):
        where = f"links[{i}]"
        if not isinstance(link, dict) or set(link) != {"reference", "record"}:
            problems.append(Problem(str(path), "expected a mapping {reference, record}", _line(link), where))
            continue
        if link["reference"] not in reference:
            problems.append(Problem(str(path), f"no entity named {link['reference']!r} in {reference_path.name}",
                                    _line(link, "reference"), f"{where}.reference"))
        if link["record"] not in records:
            problems.append(Problem(str(path), f"unknown record {link['record']!r}: expected an id from a facts file",
                                    _line(link, "record"), f"{where}.record"))

    dates = data.get("resolved_dates") or []
    for i, item in enumerate(dates):
        where = f"resolved_dates[{i}]"
        if not isinstance(item, dict) or not {"event", "start", "end", "evidence"} <= set(item) <= {
                "event", "start", "end", "evidence", "cited"}:
            problems.append(Problem(str(path), "expected a mapping {event, start, end, evidence} and optionally "
                                    "cited (<source id>/<figure id> of a cited source that gives the year)",
                                    _line(item), where))
            continue
        if "cited" in item and str(item["cited"]) not in (cited_figures or set()):
            problems.append(Problem(str(path), f"unknown cited figure {item['cited']!r}: expected <source id>/"
                                    "<figure id> of a cited source", _line(item, "cited"), f"{where}.cited"))
        event = records.get(item["event"])
        if event is None:
            problems.append(Problem(str(path), f"unknown event {item['event']!r}", _line(item, "event"),
                                    f"{where}.event"))
            continue
        for name in ("start", "end"):
            try:
                dt.date.fromisoformat(str(item[name]))
            except ValueError:
                problems.append(Problem(str(path), f"expected a date as YYYY-MM-DD, got {item[name]!r}",
                                        _line(item, name), f"{where}.{name}"))
                continue
            stated = (event.get("stated_date") or event.get(f"stated_{name}") or {}).get("value")
            if stated and MONTH_DAY.match(stated) and str(item[name])[4:] != stated[1:]:
                problems.append(Problem(str(path), f"resolved {name} {item[name]} disagrees with the month-day "
                                        f"{stated} the article states", _line(item, name), f"{where}.{name}"))
        if event.get("year_not_stated"):
            problems.append(Problem(str(path), f"event {item['event']!r} is marked year_not_stated in its facts",
                                    _line(item, "event"), f"{where}.event"))
    if problems:
        raise January20Error(problems)
    return Enrichment(path, reference_path, reference, links, dates)
