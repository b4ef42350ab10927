"""The article page: the source text with every quoted span highlighted and linked to the facts resting on it.

Quoted spans overlap (a sentence-long quote contains shorter ones), so the text is cut at every span boundary into
segments; each segment is covered by one or more excerpts and lists the facts of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rdflib import URIRef

from january20.publish.site.model import SiteModel, Span


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[Span, ...]  # the excerpts covering the whole segment; empty for unquoted text

    @property
    def anchor(self) -> str:
        return f"q{self.start}-{self.end}"


def segments(text: str, spans: list[Span]) -> list[list[Segment]]:
    """The text as lines (split at newlines, blank lines dropped), each line cut at every span boundary.

    A segment lists the spans covering all of it; spans crossing a line break are cut there too.
    """
    lines: list[list[Segment]] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        cuts = {start, end}
        for span in spans:
            cuts.update(c for c in (span.start, span.end) if start < c < end)
        bounds = sorted(cuts)
        row = []
        for a, b in zip(bounds, bounds[1:]):
            covering = tuple(s for s in spans if s.start <= a and b <= s.end)
            row.append(Segment(a, b, covering))
        lines.append(row)
    return lines


def article_path(model: SiteModel, source: URIRef) -> str:
    return f"article/{model.page_stem(source).rsplit('/', 1)[-1]}.html"


def anchor_of_span(lines: list[list[Segment]], span: Span) -> str | None:
    """The first segment an excerpt covers: where a link to that excerpt in the article lands."""
    for row in lines:
        for seg in row:
            if span in seg.spans:
                return seg.anchor
    return None


def facts_of(model: SiteModel, seg: Segment) -> list[URIRef]:
    found: dict[URIRef, None] = {}
    for span in seg.spans:
        for fact in model.derived_from(span.iri):
            found.setdefault(fact, None)
    return sorted(found, key=lambda f: (model.label(f), str(f)))


def _link(model: SiteModel, iri, here: str) -> str:
    path = model.pages.get(iri)
    text = escape(model.label(iri))
    return f'<a href="{escape(model.href(path, here))}">{text}</a>' if path else text


def text_html(model: SiteModel, text: str, lines: list[list[Segment]], here: str) -> str:
    """The article as paragraphs; each quoted segment is a link to its entry in the list of grounded facts, with a
    pop-up (shown on hover and on keyboard focus, by CSS alone) naming those facts."""
    out = []
    for i, row in enumerate(lines):
        cls = "line first" if i == 0 else "line"
        parts = []
        for seg in row:
            words = escape(text[seg.start:seg.end])
            if not seg.spans:
                parts.append(words)
                continue
            facts = facts_of(model, seg)
            depth = min(len(seg.spans), 3)
            pop = "".join(f'<span class="pop-fact">{_link(model, f, here)}</span>' for f in facts) \
                or '<span class="pop-fact">no fact derived from this span</span>'
            parts.append(
                f'<span class="seg">'
                f'<a class="q d{depth}" id="{seg.anchor}" href="#f-{seg.anchor}" '
                f'aria-describedby="p-{seg.anchor}">{words}</a>'
                f'<span class="pop" id="p-{seg.anchor}"><span class="pop-h">{len(facts)} fact'
                f'{"" if len(facts) == 1 else "s"} from this passage:</span>{pop}</span></span>')
        out.append(f'<p class="{cls}">{"".join(parts)}</p>')
    return "\n".join(out)


def grounding_html(model: SiteModel, text: str, lines: list[list[Segment]], here: str) -> str:
    """One entry per quoted segment: its words, each excerpt covering it, and the facts derived from each."""
    items = []
    for row in lines:
        for seg in row:
            if not seg.spans:
                continue
            excerpts = []
            for span in seg.spans:
                facts = model.derived_from(span.iri)
                fact_items = "".join(f"<li>{_link(model, f, here)}</li>" for f in facts) \
                    or "<li>no fact derived from it</li>"
                others = sorted({(model.label(s), str(p), s) for s, p in model.graph.subject_predicates(span.iri)
                                 if s not in facts and isinstance(s, URIRef) and s != span.iri}, key=str)
                other_items = "".join(f"<li>{_link(model, s, here)} ({escape(model.term_label(URIRef(p)))})</li>"
                                      for _, p, s in others)
                excerpts.append(
                    f'<li>excerpt {_link(model, span.iri, here)} (characters {span.start}–{span.end})'
                    f'<ul class="facts">{fact_items}{other_items}</ul></li>')
            items.append(
                f'<li id="f-{seg.anchor}" class="grounding"><blockquote>{escape(text[seg.start:seg.end])}'
                f'</blockquote><ul class="excerpts">{"".join(excerpts)}</ul>'
                f'<a class="back" href="#{seg.anchor}">back to the text</a></li>')
    return '<ol class="groundings">\n' + "\n".join(items) + "\n</ol>"
