"""The index page's three pictures, drawn as inline SVG from the graph: a timeline of the dated events, the counts
as parts of their totals (with the part the article leaves unexplained), and a map of the located places.

Each picture has two halves: a function that reads plain data out of the model, and a pure function that draws
that data. The SVGs are images (role="img" with a title and a description); the tables beside them on the page
carry the same data, and the links, for readers who cannot see them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from html import escape

from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from january20.names import J20, SCHEMA
from january20.publish.site.model import SiteModel

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PART_COLOURS = ("#1f5f8b", "#a4501a", "#3d7a33", "#6f4596", "#8a6d00")
WIDTH = 720


def _n(value: float) -> str:
    """Coordinates with one decimal and no '-0.0', so the same picture is always the same bytes."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _svg(kind: str, title: str, desc: str, height: float, body: list[str]) -> str:
    return (f'<svg class="chart {kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
            f'role="img" aria-labelledby="{kind}-title {kind}-desc">\n'
            f'<title id="{kind}-title">{escape(title)}</title>\n<desc id="{kind}-desc">{escape(desc)}</desc>\n'
            + "\n".join(body) + "\n</svg>")


# ====================================================================== timeline
@dataclass(frozen=True)
class DatedEvent:
    iri: URIRef
    label: str
    start: tuple[int, int]  # (month, day) as the article states it
    end: tuple[int, int]
    stated: str  # the stated date in words, e.g. "night of January 19–20"
    year: str | None  # the resolved year(s), e.g. "1990"; None when unknown
    year_note: str  # "1990, the editors' dating", "year not stated in the article", ...


@dataclass
class Timeline:
    events: list[DatedEvent]
    other: list[tuple[URIRef, str, str]] = field(default_factory=list)  # (iri, label, stated dates) off the axis
    undated: int = 0


def _month_day(literal) -> tuple[int, int] | None:
    match = re.fullmatch(r"--(\d\d)-(\d\d)", str(literal))
    if literal is None or literal.datatype != XSD.gMonthDay or not match:
        return None
    return int(match.group(1)), int(match.group(2))


def stated_words(start: tuple[int, int], end: tuple[int, int], time_of_day: str | None) -> str:
    """(1, 19), (1, 20), 'night' -> 'night of January 19–20'."""
    if start == end:
        words = f"{MONTHS[start[0] - 1]} {start[1]}"
    elif start[0] == end[0]:
        words = f"{MONTHS[start[0] - 1]} {start[1]}–{end[1]}"
    else:
        words = f"{MONTHS[start[0] - 1]} {start[1]} – {MONTHS[end[0] - 1]} {end[1]}"
    return f"{time_of_day} of {words}" if time_of_day else words


def timeline_data(model: SiteModel) -> Timeline:
    """Events with a stated day and month, each with the year the editors resolved, if any."""
    g = model.graph
    events, other, undated = [], [], 0
    for event in sorted(set(g.subjects(RDF.type, SCHEMA.Event)), key=str):
        start_lit = g.value(event, J20.statedStartDate) or g.value(event, J20.statedDate)
        end_lit = g.value(event, J20.statedEndDate) or g.value(event, J20.statedDate) or start_lit
        if start_lit is None:
            undated += 1
            continue
        start, end = _month_day(start_lit), _month_day(end_lit)
        if start is None or end is None:
            dates = str(start_lit) if str(start_lit) == str(end_lit) else f"{start_lit}–{end_lit}"
            other.append((event, model.label(event), dates))
            continue
        years = sorted({str(v)[:4] for p in (J20.editorialStartDate, J20.editorialEndDate) for v in g.objects(event, p)
                        if getattr(v, "datatype", None) == XSD.date})
        year = "–".join(years) if years else None
        if year:
            note = f"{year}, the editors' dating"  # the article gives no year: the year is never shown as its
        elif (event, J20.notStated, SCHEMA.startDate) in g:
            note = "year not stated in the article"
        else:
            note = "year not resolved"
        time_of_day = g.value(event, J20.statedTimeOfDay)
        events.append(DatedEvent(event, model.label(event), start, end,
                                 stated_words(start, end, str(time_of_day) if time_of_day else None), year, note))
    events.sort(key=lambda e: (e.year is None, e.year or "", e.start, e.end, e.label, str(e.iri)))
    return Timeline(events, sorted(other, key=lambda o: (o[2], o[1], str(o[0]))), undated)


def timeline_svg(data: Timeline) -> str:
    """Rows of bars on a day-of-month axis; events whose year is unknown sit apart, below a rule, drawn dashed."""
    if not data.events:
        return ""
    ordinal = {e: (date(2000, *e.start).toordinal(), date(2000, *e.end).toordinal() + 1) for e in data.events}
    lo = min(s for s, _ in ordinal.values()) - 1
    hi = max(e for _, e in ordinal.values()) + 1
    x0, x1 = 24.0, WIDTH - 24.0

    def x(day: int) -> float:
        return x0 + (day - lo) / (hi - lo) * (x1 - x0)

    body = ['<defs><pattern id="timeline-unknown" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b4e00" stroke-width="3"/></pattern></defs>']
    step = 1 if hi - lo <= 16 else 7
    axis_y = 34.0
    months = sorted({e.start[0] for e in data.events} | {e.end[0] for e in data.events})
    body.append(f'<text class="axis-title" x="{_n(x0)}" y="14">Day of {" / ".join(MONTHS[m - 1] for m in months)}'
                ' (as the article states it)</text>')
    rows_top = axis_y + 14
    known = [e for e in data.events if e.year is not None]
    unknown = [e for e in data.events if e.year is None]
    row_h = 46.0
    height = rows_top + row_h * len(data.events) + (34 if known and unknown else 0) + 8
    for day in range(lo, hi + 1, step):
        d = date.fromordinal(day)
        body.append(f'<line class="grid" x1="{_n(x(day))}" y1="{_n(axis_y)}" x2="{_n(x(day))}" '
                    f'y2="{_n(height - 6)}"/>')
        if day < hi:
            body.append(f'<text class="tick" x="{_n((x(day) + x(day + 1)) / 2)}" y="{_n(axis_y - 4)}" '
                        f'text-anchor="middle">{d.day}</text>')
    y = rows_top
    for group in (known, unknown):
        if group is unknown and known and unknown:
            body.append(f'<line class="rule" x1="{_n(x0)}" y1="{_n(y + 8)}" x2="{_n(x1)}" y2="{_n(y + 8)}"/>')
            body.append(f'<text class="note" x="{_n(x0)}" y="{_n(y + 26)}">Year not stated in the article: '
                        'placed by day and month only</text>')
            y += 34
        for event in group:
            start, end = ordinal[event]
            bx, bw = x(start), max(x(end) - x(start), 4.0)
            body.append(f'<text class="name" x="{_n(x0)}" y="{_n(y + 14)}">{escape(event.label)}</text>')
            cls = "bar" if event.year else "bar unknown"
            # A style attribute, not a fill attribute: the stylesheet's .bar fill would override an attribute, and a
            # url(#...) inside the stylesheet would point into the stylesheet, not this page.
            fill = "" if event.year else ' style="fill: url(#timeline-unknown)"'
            body.append(f'<rect class="{cls}" x="{_n(bx)}" y="{_n(y + 22)}" width="{_n(bw)}" height="14" '
                        f'rx="3"{fill}/>')
            words = f"{event.stated} · {event.year_note}"
            if bx + bw / 2 > (x0 + x1) / 2:
                body.append(f'<text class="when" x="{_n(bx - 6)}" y="{_n(y + 33)}" text-anchor="end">'
                            f'{escape(words)}</text>')
            else:
                body.append(f'<text class="when" x="{_n(bx + bw + 6)}" y="{_n(y + 33)}">{escape(words)}</text>')
            y += row_h
    desc = "; ".join(f"{e.label}: {e.stated}, {e.year_note}" for e in data.events)
    return _svg("timeline", "Timeline of the events with a stated date", desc, height, body)


# ====================================================================== counts
@dataclass(frozen=True)
class CountBar:
    iri: URIRef
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    """A total and the counts the source states as parts (or subsets) of it."""

    total: CountBar
    parts: tuple[CountBar, ...]
    relation: str  # "part" or "subset"

    @property
    def stated(self) -> int:
        return sum(p.value for p in self.parts)

    @property
    def gap(self) -> int:
        return self.total.value - self.stated


def _bar(model: SiteModel, iri) -> CountBar | None:
    value = model.graph.value(iri, SCHEMA.value)
    try:
        return CountBar(iri, model.label(iri), int(value))
    except (TypeError, ValueError):
        return None


def counts_data(model: SiteModel) -> list[Breakdown]:
    """Every total with parts (j20:partOf) or subsets (j20:subsetOf), in the order the text states the totals."""
    g = model.graph
    out = []
    for prop, relation in ((J20.partOf, "part"), (J20.subsetOf, "subset")):
        totals = sorted(set(g.objects(None, prop)), key=str)
        for total in totals:
            whole = _bar(model, total)
            parts = [b for b in (_bar(model, p) for p in g.subjects(prop, total)) if b is not None]
            if whole is None or not parts:
                continue
            parts.sort(key=lambda b: (_text_order(model, b.iri), -b.value, b.label, str(b.iri)))
            out.append(Breakdown(whole, tuple(parts), relation))
    return sorted(out, key=lambda b: (_text_order(model, b.total.iri), b.total.label, str(b.total.iri), b.relation))


def _text_order(model: SiteModel, iri) -> tuple:
    spans = model.grounds(iri)
    return (spans[0].start, spans[0].end) if spans else (math.inf, math.inf)


def gap_words(b: Breakdown) -> str:
    if b.gap < 0:
        return f"the stated {b.relation}s add up to {b.stated}, more than the total of {b.total.value}"
    if b.relation == "part":
        return f"{b.gap} of {b.total.value} not in any part the article states ({b.total.value} − {b.stated})"
    return f"{b.gap} of {b.total.value} not further described by the article ({b.total.value} − {b.stated})"


def counts_svg(data: list[Breakdown]) -> str:
    """One bar per total, each drawn to its own total's scale: coloured parts, then the hatched remainder."""
    if not data:
        return ""
    x0, x1 = 16.0, WIDTH - 16.0
    body = ['<defs><pattern id="counts-gap" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#555" stroke-width="3"/></pattern></defs>']
    y = 8.0
    for b in data:
        body.append(f'<text class="name" x="{_n(x0)}" y="{_n(y + 14)}">{escape(b.total.label)}</text>')
        body.append(f'<text class="sum" x="{_n(x1)}" y="{_n(y + 14)}" text-anchor="end">'
                    f'{b.stated} of {b.total.value} in stated {b.relation}s</text>')
        bar_y = y + 22
        scale = (x1 - x0) / max(b.total.value, b.stated, 1)
        cursor = x0
        for i, part in enumerate(b.parts):
            w = part.value * scale
            colour = PART_COLOURS[i % len(PART_COLOURS)]
            body.append(f'<rect class="part" x="{_n(cursor)}" y="{_n(bar_y)}" width="{_n(w)}" height="26" '
                        f'fill="{colour}"/>')
            if w >= 30:
                body.append(f'<text class="inbar" x="{_n(cursor + w / 2)}" y="{_n(bar_y + 18)}" '
                            f'text-anchor="middle">{part.value}</text>')
            cursor += w
        if b.gap > 0:
            w = b.gap * scale
            body.append(f'<rect class="gap" x="{_n(cursor)}" y="{_n(bar_y)}" width="{_n(w)}" height="26" '
                        'fill="url(#counts-gap)"/>')
            if w >= 40:
                body.append(f'<text class="ingap" x="{_n(cursor + w / 2)}" y="{_n(bar_y + 18)}" '
                            f'text-anchor="middle">{b.gap}?</text>')
        body.append(f'<rect class="outline" x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(b.total.value * scale)}" '
                    'height="26"/>')
        y = bar_y + 44
        for i, part in enumerate(b.parts):
            colour = PART_COLOURS[i % len(PART_COLOURS)]
            body.append(f'<rect x="{_n(x0)}" y="{_n(y - 10)}" width="12" height="12" fill="{colour}"/>')
            body.append(f'<text class="legend" x="{_n(x0 + 18)}" y="{_n(y)}">{escape(part.label)}</text>')
            y += 18
        if b.gap != 0:
            body.append(f'<rect x="{_n(x0)}" y="{_n(y - 10)}" width="12" height="12" fill="url(#counts-gap)" '
                        'stroke="#555"/>')
            body.append(f'<text class="legend gapnote" x="{_n(x0 + 18)}" y="{_n(y)}">{escape(gap_words(b))}</text>')
            y += 18
        y += 16
    desc = "; ".join(f"{b.total.label}: " + " + ".join(str(p.value) for p in b.parts) + f" = {b.stated} stated, "
                     + gap_words(b) for b in data)
    return _svg("counts", "Counts as parts of their totals, each bar to its own scale", desc, y, body)


# ====================================================================== map
@dataclass(frozen=True)
class Located:
    iri: URIRef
    label: str
    lon: float
    lat: float


@dataclass
class MapData:
    places: list[Located]
    groups: list[tuple[URIRef, str, list[Located]]]  # place groups whose members are all located


def map_data(model: SiteModel) -> MapData:
    g = model.graph
    located: dict[URIRef, Located] = {}
    for place in sorted(set(g.subjects(RDF.type, SCHEMA.Place)), key=str):
        where = model.coordinates(place)
        if where is not None:
            located[place] = Located(place, model.label(place), where[0], where[1])
    groups = []
    for group in sorted(set(g.subjects(RDF.type, J20.PlaceGroup)), key=str):
        members = sorted(g.objects(group, J20.groupMember), key=str)
        if len(members) >= 2 and all(m in located for m in members):
            groups.append((group, model.label(group), [located[m] for m in members]))
    return MapData(sorted(located.values(), key=lambda p: (p.label, str(p.iri))), groups)


def _nice(value: float, steps=(1, 2, 5)) -> float:
    exponent = math.floor(math.log10(value))
    for step in steps:
        if step * 10 ** exponent >= value:
            return step * 10 ** exponent
    return 10 ** (exponent + 1)


def map_svg(data: MapData) -> str:
    """An equirectangular sketch around the points: graticule, scale bar, points, labels; no tiles, no coastline.

    The frame has a fixed shape; the points' extent (plus a margin) is fitted into it and the other axis widened.
    """
    if not data.places:
        return ""
    lons = [p.lon for p in data.places]
    lats = [p.lat for p in data.places]
    pad = max(0.3, 0.2 * max(max(lons) - min(lons), max(lats) - min(lats)))
    west, east, south, north = min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad
    squash = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter than one of latitude
    frame_w, frame_h, ox, oy = WIDTH - 80.0, 400.0, 56.0, 28.0
    k = min(frame_w / ((east - west) * squash), frame_h / (north - south))
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    west, east = mid_lon - frame_w / k / squash / 2, mid_lon + frame_w / k / squash / 2
    south, north = mid_lat - frame_h / k / 2, mid_lat + frame_h / k / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon - west) * squash * k, oy + (north - lat) * k

    body = [f'<rect class="frame" x="{_n(ox)}" y="{_n(oy)}" width="{_n(frame_w)}" height="{_n(frame_h)}"/>']
    step = _nice((north - south) / 5, (1, 2.5, 5))
    lat = math.ceil(south / step) * step
    while lat <= north:
        y = xy(west, lat)[1]
        body.append(f'<line class="grid" x1="{_n(ox)}" y1="{_n(y)}" x2="{_n(ox + frame_w)}" y2="{_n(y)}"/>')
        body.append(f'<text class="tick" x="{_n(ox - 4)}" y="{_n(y + 4)}" text-anchor="end">{lat:g}°N</text>')
        lat = round(lat + step, 6)
    lon = math.ceil(west / step) * step
    while lon <= east:
        x = xy(lon, north)[0]
        body.append(f'<line class="grid" x1="{_n(x)}" y1="{_n(oy)}" x2="{_n(x)}" y2="{_n(oy + frame_h)}"/>')
        body.append(f'<text class="tick" x="{_n(x)}" y="{_n(oy - 6)}" text-anchor="middle">{lon:g}°E</text>')
        lon = round(lon + step, 6)
    for _, label, members in data.groups:
        points = [xy(m.lon, m.lat) for m in members]
        body.append(f'<polygon class="group" points="{" ".join(f"{_n(a)},{_n(b)}" for a, b in points)}"/>')
        half = 3.3 * len(label)  # about half the label's width at 12px
        mx = min(max(sum(a for a, _ in points) / len(points), ox + half + 4), ox + frame_w - half - 4)
        my = max(b for _, b in points) + 36
        body.append(f'<text class="grouplabel" x="{_n(mx)}" y="{_n(my)}" text-anchor="middle">'
                    f'{escape(label)}</text>')
    for place in data.places:
        x, y = xy(place.lon, place.lat)
        anchor, dx = ("end", -10) if x > ox + frame_w * 0.75 else ("start", 10)
        body.append(f'<circle class="place" cx="{_n(x)}" cy="{_n(y)}" r="6"/>')
        body.append(f'<text class="placelabel" x="{_n(x + dx)}" y="{_n(y + 5)}" text-anchor="{anchor}">'
                    f'{escape(place.label)}</text>')
    km_per_px = 111.32 / k  # along a meridian
    bar_km = _nice(km_per_px * frame_w / 5)
    bar_px = bar_km / km_per_px
    sy = oy + frame_h + 24
    body.append(f'<line class="scale" x1="{_n(ox)}" y1="{_n(sy)}" x2="{_n(ox + bar_px)}" y2="{_n(sy)}"/>')
    body.append(f'<text class="tick" x="{_n(ox + bar_px + 6)}" y="{_n(sy + 4)}">{bar_km:g} km</text>')
    body.append(f'<text class="tick" x="{_n(ox + frame_w)}" y="{_n(sy + 4)}" text-anchor="end">'
                'equirectangular projection, north up</text>')
    desc = "; ".join(f"{p.label} at {p.lat:.4f}°N {p.lon:.4f}°E" for p in data.places)
    return _svg("map", "Map of the places with coordinates", desc, sy + 14, body)
