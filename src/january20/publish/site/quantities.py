"""The site's view of reported quantities: for each, its values by source as a picture (one mark per figure, a range
as a bar, each linked to its source's page, the full-text source's value marked) and as a table; for each cited
source, its figures; on the index, the spread of every quantity."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, SKOS

from january20.names import J20, OA, SCHEMA
from january20.publish.site.charts import WIDTH, _n, _svg


@dataclass(frozen=True)
class Mark:
    """One figure of a quantity, as the picture and the table show it."""

    figure: URIRef
    source: URIRef
    low: int
    high: int
    qualifier: str     # "" when the figure is given plainly
    full_text: bool    # a count of a full-text source (the seed), not a cited figure

    def text(self) -> str:
        number = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f"{self.qualifier} {number}" if self.qualifier else number


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def marks(model, quantity: URIRef) -> list[Mark]:
    """The quantity's figures, lowest first (then by source), read from the graph."""
    g = model.graph
    found = []
    for figure in g.subjects(J20.valueOf, quantity):
        value = _int(g.value(figure, SCHEMA.value))
        low, high = (value, value) if value is not None else (_int(g.value(figure, SCHEMA.minValue)),
                                                              _int(g.value(figure, SCHEMA.maxValue)))
        if low is None or high is None:
            continue
        source = g.value(figure, J20.reportedBy)
        full_text = source is None
        if full_text:
            source = next((g.value(e, OA.hasSource) for e in sorted(g.objects(figure, PROV.wasDerivedFrom), key=str)
                           if g.value(e, OA.hasSource) is not None), None)
        qualifier = g.value(figure, J20.qualifier)
        words = str(g.value(qualifier, SKOS.prefLabel)) if qualifier is not None else ""
        found.append(Mark(figure, source, low, high, words, full_text))
    return sorted(found, key=lambda m: (m.low, m.high, m.qualifier, model.label(m.source) if m.source else "",
                                        str(m.figure)))


def values_svg(title: str, rows: list[Mark], label, href) -> str:
    """One row per figure on a shared axis: a dot for a number, a bar for a range, a diamond for the full-text
    source's value; each row links to its source's page (``href(source)``, ``label(source)``)."""
    if not rows:
        return ""
    lo = min(m.low for m in rows)
    hi = max(m.high for m in rows)
    pad = max(1, (hi - lo) // 10) if hi > lo else max(1, hi // 10)
    lo, hi = max(0, lo - pad), hi + pad
    x0, x1 = 300.0, WIDTH - 110.0
    scale = (x1 - x0) / max(hi - lo, 1)
    x = lambda v: x0 + (v - lo) * scale  # noqa: E731
    body = [f'<line class="grid" x1="{_n(x0)}" y1="8" x2="{_n(x0)}" y2="{_n(24 + 22 * len(rows))}"/>']
    for tick in (lo, (lo + hi) // 2, hi):
        body.append(f'<text class="tick" x="{_n(x(tick))}" y="18" text-anchor="middle">{tick}</text>')
    y = 36.0
    for m in rows:
        name = label(m.source) if m.source is not None else "unknown source"
        mark_class = "mark seed" if m.full_text else "mark"
        short = name if len(name) <= 44 else name[:43] + "…"
        parts = [f'<text class="who" x="{_n(x0 - 8)}" y="{_n(y + 4)}" text-anchor="end">{escape(short)}</text>']
        if m.low == m.high:
            cx = x(m.low)
            if m.full_text:
                parts.append(f'<path class="{mark_class}" d="M{_n(cx)} {_n(y - 7)} L{_n(cx + 7)} {_n(y)} '
                             f'L{_n(cx)} {_n(y + 7)} L{_n(cx - 7)} {_n(y)} Z"/>')
            else:
                parts.append(f'<circle class="{mark_class}" cx="{_n(cx)}" cy="{_n(y)}" r="5.5"/>')
        else:
            parts.append(f'<rect class="{mark_class} range" x="{_n(x(m.low))}" y="{_n(y - 5)}" '
                         f'width="{_n(max(x(m.high) - x(m.low), 2))}" height="10"/>')
        parts.append(f'<text class="value" x="{_n(x(m.high) + 9)}" y="{_n(y + 4)}">{escape(m.text())}</text>')
        inner = "".join(parts)
        target = href(m.source) if m.source is not None else None
        body.append(f'<a href="{escape(target)}">{inner}</a>' if target else f"<g>{inner}</g>")
        y += 22
    desc = "; ".join(f"{label(m.source) if m.source is not None else 'unknown'}: {m.text()}"
                     + (" (the article's value)" if m.full_text else "") for m in rows)
    return _svg("values", f"Reported values: {title}", desc, y, body)


def quantity_section(site, quantity: URIRef, here: str) -> str:
    """The picture and the table of a quantity's values, its summary and the editors' explanations about it."""
    m, g = site.m, site.m.graph
    rows = marks(m, quantity)
    if not rows:
        return ""
    link_to = lambda source: m.href(m.pages[source], here) if source in m.pages else None  # noqa: E731
    svg = values_svg(m.label(quantity), rows, m.label, link_to)
    article_tag = ' <span class="tag">the article</span>'
    table = "".join(
        f'<tr><th scope="row">{site.link(r.source, here) if r.source is not None else "?"}'
        f'{article_tag if r.full_text else ""}</th>'
        f'<td class="num">{escape(r.text())}</td><td>{site.link(r.figure, here)}</td></tr>' for r in rows)
    summary = next(iter(sorted(g.subjects(J20.summarises, quantity), key=str)), None)
    facts = ""
    if summary is not None:
        low, high = g.value(summary, J20.lowestReported), g.value(summary, J20.highestReported)
        values, sources = g.value(summary, J20.distinctValueCount), g.value(summary, J20.sourceCount)
        facts = (f'<p class="spread">Lowest reported {escape(str(low))}, highest {escape(str(high))}: '
                 f'{escape(str(values))} distinct value{"" if str(values) == "1" else "s"} from {escape(str(sources))} '
                 f'source{"" if str(sources) == "1" else "s"} ({site.link(summary, here, "summary")}, derived by the '
                 'build; no value is taken as the right one).</p>')
    notes = sorted(g.subjects(SCHEMA.about, quantity), key=str)
    explanations = "".join(f"<li>{site.link(n, here)}: {escape(str(g.value(n, SCHEMA.text) or ''))}</li>"
                           for n in notes if (n, RDF.type, J20.EditorialExplanation) in g)
    return ('<section aria-labelledby="values-h"><h2 id="values-h">Values by source</h2>' + facts + svg
            + '<table class="data values"><caption>The values as a table</caption><thead><tr>'
            '<th scope="col">Source</th><th scope="col">Value as given</th><th scope="col">Figure</th></tr></thead>'
            f'<tbody>{table}</tbody></table>'
            + (f'<h3>The editors\' explanations</h3><ul class="explanations">{explanations}</ul>' if explanations
               else "") + '</section>')


def source_section(site, source: URIRef, here: str) -> str:
    """A cited source's figures: each as given, with its quantity, locator and attribution."""
    m, g = site.m, site.m.graph
    figures = sorted(g.subjects(J20.reportedBy, source), key=lambda f: (m.label(f), str(f)))
    if not figures:
        return ""
    rows = []
    for f in figures:
        citation = g.value(f, PROV.wasDerivedFrom)
        quantity = g.value(f, J20.valueOf)
        party = g.value(f, J20.attributedTo)
        rows.append(f'<tr><th scope="row">{site.link(f, here)}</th>'
                    f'<td>{site.link(quantity, here) if quantity is not None else ""}</td>'
                    f'<td>{escape(str(g.value(citation, J20.locator) or ""))}</td>'
                    f'<td>{site.link(party, here) if party is not None else ""}</td></tr>')
    url = g.value(source, SCHEMA.url)
    checked = g.value(source, J20.checkedOn)
    return ('<section aria-labelledby="figures-h"><h2 id="figures-h">Figures cited from this source</h2>'
            f'<p>Read at <a class="external" href="{escape(str(url))}">{escape(str(url))}</a> on '
            f'{escape(str(checked))}; its text is not held here, so each figure rests on a citation (the source, '
            'where in it, the date checked).</p>'
            '<table class="data figures"><thead><tr><th scope="col">Figure</th><th scope="col">Quantity</th>'
            '<th scope="col">Where on the page</th><th scope="col">Attributed to</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def spread_section(site, here: str) -> str:
    """For the index: every quantity with its lowest and highest reported value and how many sources give it."""
    m, g = site.m, site.m.graph
    rows = []
    for summary in g.subjects(RDF.type, J20.QuantitySummary):
        quantity = g.value(summary, J20.summarises)
        low, high = _int(g.value(summary, J20.lowestReported)), _int(g.value(summary, J20.highestReported))
        rows.append((-(high - low), m.label(quantity), quantity, low, high, g.value(summary, J20.distinctValueCount),
                     g.value(summary, J20.sourceCount)))
    if not rows:
        return ""
    body = "".join(f'<tr><th scope="row">{site.link(q, here)}</th><td class="num">{low}</td><td class="num">{high}</td>'
                   f'<td class="num">{escape(str(values))}</td><td class="num">{escape(str(sources))}</td></tr>'
                   for _, _, q, low, high, values, sources in sorted(rows, key=lambda r: (r[0], r[1], str(r[2]))))
    return ('<h3 id="spread">What other sources report</h3><p>The same quantities as given by every source, the '
            'article and the cited pages side by side: the lowest and highest number reported (a range\'s ends '
            'count), and how many distinct values and sources. Each quantity\'s page shows its values by source.</p>'
            '<table class="data spread"><thead><tr><th scope="col">Quantity</th><th scope="col">Lowest</th>'
            '<th scope="col">Highest</th><th scope="col">Distinct values</th><th scope="col">Sources</th></tr>'
            f'</thead><tbody>{body}</tbody></table>')
