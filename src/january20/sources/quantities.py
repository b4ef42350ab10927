"""Load and check the reported quantities (data/editorial/quantities.yaml) against the sources' records.

A quantity is the editors' name for what several sources' figures are figures of; an explanation is the editors'
account of a disagreement between sources. Both are editorial. Every problem is reported with file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from january20.errors import January20Error, Problem
from january20.sources.cited import CitedSource, _iso_date
from january20.sources.facts import (
    OPTIONAL, REQUIRED, SLUG, TEXT, Checker, _check_fields, _Collector, _line, _list_of, concept_of, kind_of,
    check_sections, read_yaml)
from january20.names import is_slug

SLUGS = Checker("a list of ids (slugs)", _list_of(lambda v: isinstance(v, str) and is_slug(v)), is_list=True)
FIGURE_REFS = Checker("a list of figures written <source id>/<figure id>",
                      _list_of(lambda v: isinstance(v, str) and len(v.split("/")) == 2
                               and all(is_slug(p) for p in v.split("/"))), is_list=True)
QUANTITY_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT),
    "categories": (REQUIRED, concept_of("count-categories", many=True)),
    "populations": (REQUIRED, concept_of("counted-things", many=True)),
    "event": (REQUIRED, SLUG), "place": (OPTIONAL, SLUG), "scope": (REQUIRED, TEXT),
    "narrower_than": (OPTIONAL, SLUG), "part_of": (OPTIONAL, SLUG), "related_to": (OPTIONAL, SLUG),
    "full_text_counts": (OPTIONAL, SLUGS), "alignment_evidence": (OPTIONAL, TEXT),
    "alignment_checked": (OPTIONAL, Checker("a date written YYYY-MM-DD, in quotes", lambda v: _iso_date(v))),
}
EXPLANATION_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "name": (REQUIRED, TEXT), "about": (REQUIRED, SLUGS), "text": (REQUIRED, TEXT),
    "evidence": (REQUIRED, FIGURE_REFS),
}
NAMED_PLACE_FIELDS: dict[str, tuple[bool, Checker]] = {
    "id": (REQUIRED, SLUG), "reference": (REQUIRED, TEXT),
    "named_in": (REQUIRED, Checker("a list of attributions written <source id>/<attribution id>",
                                   FIGURE_REFS.test, is_list=True)),
    "checked": (OPTIONAL, Checker("a date written YYYY-MM-DD, in quotes", lambda v: _iso_date(v))),
}
RELATIONS = ("narrower_than", "part_of", "related_to")


@dataclass
class Quantities:
    path: Path
    quantities: list[dict[str, Any]]
    explanations: list[dict[str, Any]]
    named_places: list[dict[str, Any]] = field(default_factory=list)

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {q["id"]: q for q in self.quantities}


def read_quantities(path: Path, concepts: dict[str, set[str]]) -> Quantities:
    """The quantities file, each record checked on its own (references are checked by :func:`check_quantities`).
    Raises January20Error."""
    c = _Collector(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise January20Error(Problem(str(path), "expected a mapping with 'quantities' and "
                                     f"'explanations', got {kind_of(data)}", line=_line(data)))
    check_sections(c, data, {"quantities", "explanations", "named_places"})
    lists: dict[str, list[dict]] = {}
    for section, spec in (("quantities", QUANTITY_FIELDS), ("explanations", EXPLANATION_FIELDS),
                          ("named_places", NAMED_PLACE_FIELDS)):
        items = data.get(section) or []
        if not isinstance(items, list):
            c.add(f"expected a list of records, got {kind_of(items)}", _line(data, section), section)
            items = []
        seen: dict[str, int | None] = {}
        good = []
        for i, record in enumerate(items):
            where = f"{section}[{i}]" + (f" ({record['id']})" if isinstance(record, dict) and isinstance(
                record.get("id"), str) else "")
            if not _check_fields(c, where, record, spec, concepts, _line(items, i)):
                continue
            if record["id"] in seen:
                c.add(f"duplicate id '{record['id']}': already used at line {seen[record['id']]}",
                      _line(record, "id"), f"{where}.id")
                continue
            seen[record["id"]] = _line(record, "id")
            good.append(record)
        lists[section] = good
    if c.problems:
        raise January20Error(c.problems)
    return Quantities(path, lists["quantities"], lists["explanations"], lists["named_places"])


def check_quantities(quantities: Quantities, records: dict[str, dict[str, Any]], sections: dict[str, str],
                     cited: list[CitedSource]) -> list[Problem]:
    """Problems with what the quantities and explanations point at, and with cited figures that do not fit their
    quantity: a figure counting another category or population than its quantity says.

    ``records`` maps every full-text record id to its record and ``sections`` to its section."""
    problems: list[Problem] = []
    path = str(quantities.path)
    by_id = quantities.by_id()
    for i, q in enumerate(quantities.quantities):
        where = f"quantities[{i}] ({q['id']})"
        event = q["event"]
        if sections.get(event) != "events":
            problems.append(Problem(path, f"unknown event '{q['event']}': expected the id of an event record of a "
                                    "full-text source", _line(q, "event"), f"{where}.event"))
        if "place" in q and sections.get(q["place"]) != "places":
            problems.append(Problem(path, f"unknown place '{q['place']}': expected the id of a place record of a "
                                    "full-text source", _line(q, "place"), f"{where}.place"))
        for relation in RELATIONS:
            if relation in q and q[relation] not in by_id:
                problems.append(Problem(path, f"unknown quantity '{q[relation]}': expected the id of another "
                                        "quantity in this file", _line(q, relation), f"{where}.{relation}"))
        for count in q.get("full_text_counts", []):
            record = records.get(count) if sections.get(count) == "counts" else None
            if record is None:
                problems.append(Problem(path, f"unknown count '{count}': expected the id of a count record of a "
                                        "full-text source", _line(q, "full_text_counts"),
                                        f"{where}.full_text_counts"))
            elif record["category"] not in q["categories"] or record["population"] not in q["populations"]:
                problems.append(Problem(path, f"count '{count}' counts {record['category']} {record['population']}, "
                                        "which this quantity's categories and populations do not include",
                                        _line(q, "full_text_counts"), f"{where}.full_text_counts"))
        for needed in ("alignment_evidence", "alignment_checked"):
            if q.get("full_text_counts") and needed not in q:
                problems.append(Problem(path, f"an alignment with full-text counts needs '{needed}'",
                                        _line(q, "full_text_counts"), f"{where}.{needed}"))
    figures = {f"{s.id}/{f['id']}" for s in cited for f in s.figures}
    for i, e in enumerate(quantities.explanations):
        where = f"explanations[{i}] ({e['id']})"
        for about in e["about"]:
            if about not in by_id:
                problems.append(Problem(path, f"unknown quantity '{about}'", _line(e, "about"), f"{where}.about"))
        for ref in e["evidence"]:
            if ref not in figures:
                problems.append(Problem(path, f"unknown figure '{ref}': expected <source id>/<figure id> of a cited "
                                        "source", _line(e, "evidence"), f"{where}.evidence"))
    attributions = {f"{s.id}/{a['id']}" for s in cited for a in s.attributions}
    for i, named in enumerate(quantities.named_places):
        where = f"named_places[{i}] ({named['id']})"
        if sections.get(named["id"]) is not None:
            problems.append(Problem(path, f"'{named['id']}' is already a record of a full-text source: link it in "
                                    "enrichment.yaml instead", _line(named, "id"), f"{where}.id"))
        for ref in named["named_in"]:
            if ref not in attributions:
                problems.append(Problem(path, f"unknown attribution '{ref}': expected <source id>/<attribution id> "
                                        "of a cited source", _line(named, "named_in"), f"{where}.named_in"))
    for source in cited:
        for i, figure in enumerate(source.figures):
            q = by_id.get(figure["quantity"])
            if q is None:
                continue  # reported by check_cited_references
            where = f"figures[{i}] ({figure['id']})"
            for name, plural in (("category", "categories"), ("population", "populations")):
                if figure[name] not in q[plural]:
                    problems.append(Problem(str(source.path), f"{name} '{figure[name]}' does not fit quantity "
                                            f"'{q['id']}', whose {plural} are: {', '.join(q[plural])}; choose "
                                            "another quantity, or define one in data/editorial/quantities.yaml",
                                            _line(figure, name), f"{where}.{name}"))
    return problems
