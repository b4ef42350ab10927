"""The site's pages, as bytes keyed by their path inside the site folder.

Templates are package data (string.Template, $name placeholders); every value put into them is escaped here, and
every link is relative, so the site works from any static server, from any folder, and from file://.
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import cache
from html import escape
from importlib import resources
from string import Template

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

from january20 import __version__
from january20.names import J20, SCHEMA, SPDX
from january20.rdf.write import OxTerms, to_ntriples_and_turtle
from january20.publish.site import article as art
from january20.publish.site import charts
from january20.publish.site import quantities as qty
from january20.publish.site.jsonld import describe_all, in_script, to_bytes
from january20.publish.site.model import SiteModel, natural_key
from january20.publish.site.schemaorg import SchemaOrgView

KIND_HEADINGS = {
    "event": "Events", "place": "Places", "person": "People", "organization": "Organisations", "group": "Groups",
    "role": "Roles", "count": "Counts", "amount": "Amounts", "claim": "Claims", "concept": "Concepts",
    "source": "Sources, excerpts and sentences", "editorial": "Editorial statements", "graph": "Named graphs",
    "figure": "Figures cited from other sources", "quantity": "Reported quantities",
    "dataset": "Parts of the dataset", "distribution": "Distributions (downloadable files)",
}
MAIN_KINDS = ("event", "place", "person", "organization", "group", "role", "count", "amount", "claim")
FORMATS = {".ttl": "Turtle", ".nt": "N-Triples (sorted)", ".trig": "TriG (named graphs)", ".jsonld": "JSON-LD",
           ".txt": "plain text", ".html": "HTML", ".csv": "CSV", ".json": "JSON"}
ONTOLOGY_DOC = "ontology/index.html"  # the ontology's documentation, among the build's files
ARTICLES = "articles.html"  # the list of the articles, where there are several
# Terms read on every page, looked up once (rdflib's namespaces make a new term on every attribute access).
RDF_TYPE, XSD_STRING, J20_EVIDENCE = RDF.type, XSD.string, J20.evidence
# Pages whose JSON-LD is compacted in one pass: enough that pyld's set-up per pass is nothing beside it, few enough
# that a large corpus's documents are not all held at once.
BATCH = 2000
GRAPH_WORDS = {"facts": "article", "editorial": "editors", "vocabulary": "vocabulary", "metadata": "metadata"}


@cache
def _template(name: str) -> Template:
    return Template(resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8"))


def stylesheet() -> bytes:
    return resources.files(__package__).joinpath("style.css").read_bytes()


def favicon() -> bytes:
    """A 16x16 icon (a highlighted line on blue), written out so that a browser's automatic request for
    /favicon.ico finds a file, on our pages and on the build's other HTML files published here."""
    size, blue, yellow = 16, (0x8B, 0x5F, 0x1F, 0xFF), (0x8A, 0xE6, 0xFD, 0xFF)  # BGRA
    rows = []
    for y in range(size):  # bottom row first
        rows.append(b"".join(bytes(yellow if 6 <= y <= 9 and 2 <= x <= 13 else blue) for x in range(size)))
    pixels = b"".join(rows) + bytes(4 * size)  # colour, then a transparent-nowhere AND mask
    header = struct.pack("<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0, 0, 0, 0, 0, 0)
    image = header + pixels
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 22) + image


class Site:
    """Writes every page of one build. ``downloads`` are the build's other files, published beside the pages."""

    def __init__(self, model: SiteModel, context: dict, downloads: dict[str, bytes]):
        self.m = model
        self.context = context
        self.downloads = dict(sorted(downloads.items()))
        self.sources = sorted(set(model.graph.subjects(RDF.type, SCHEMA.NewsArticle)), key=str)
        self.texts = {model.built.names.source(s.id): s.text for s in model.built.sources}
        self.lines = {src: art.segments(self.texts[src], [s for s in model.spans if s.source == src])
                      for src in self.sources if src in self.texts}
        dataset = model.built.names.dataset()
        self.dataset = dataset
        rights = model.graph.value(dataset, DCTERMS.rights)
        licence = model.graph.value(dataset, DCTERMS.license)
        # The ontology's own documentation, when the build makes one: vocabulary terms link to their entry there.
        doc = self.downloads.get(ONTOLOGY_DOC)
        self.ontology_ids = set(re.findall(r'\bid="([^"]+)"', doc.decode("utf-8"))) if doc else set()
        self.rights = (escape(str(rights)) if rights else "") + (
            f' <a href="{escape(str(licence))}">Licence</a>.' if licence else "")
        self.article_paths = {src: art.article_path(model, src) for src in self.lines}
        # Where a link to each excerpt lands in its article (art.anchor_of_span, for every span at once).
        self.anchors: dict = {}
        for lines in self.lines.values():
            for row in lines:
                for seg in row:
                    for span in seg.spans:
                        self.anchors.setdefault(span, seg.anchor)
        self._outside_links: dict[tuple, str] = {}
        self._navs: dict[str, str] = {}
        # Every page's Turtle converts its terms to pyoxigraph's through one memory: each term once for the site.
        self.turtle_terms = OxTerms()
        self.schemaorg = SchemaOrgView(model)

    # ------------------------------------------------------------------ shared pieces
    def page(self, here: str, title: str, body: str, head: str = "") -> bytes:
        root = self.m.href("index.html", here)[: -len("index.html")]
        nav = self._navs.get(root)
        if nav is None:
            nav = self._navs[root] = self.nav(root)
        html = _template("layout.html").substitute(
            title=escape(title), root=root, head=head, nav=nav, body=body, rights=self.rights,
            version=escape(__version__))
        return html.encode("utf-8")

    def nav(self, root: str) -> str:
        """The site menu's links to the article and the ontology, from a page ``root`` below the site's top.

        With several sources, one link to the list of articles: a link per source on every page would make the
        site grow with the square of the number of sources."""
        if len(self.article_paths) > 1:
            nav = f'<a href="{root}{ARTICLES}">Articles</a>\n'
        else:
            nav = "".join(f'<a href="{root}{path}">Article</a>\n' for path in self.article_paths.values())
        if self.ontology_ids:
            nav += f'<a href="{root}download/{ONTOLOGY_DOC}">Ontology</a>\n'
        return nav

    def link(self, iri, here: str, text: str | None = None) -> str:
        """A link to the resource's page here, or else to the IRI itself (a vocabulary term, Wikidata, ...)."""
        path = self.m.pages.get(iri)
        if path:
            words = text if text is not None else self.m.label(iri)
            return f'<a href="{escape(self.m.href(path, here))}">{escape(words)}</a>'
        if here.startswith("download/"):
            return self._link_out(iri, here, text)
        # Links out (mostly properties and classes, on every page) depend on the page only through its depth: the
        # one relative target they have, the ontology's page under download/, is reached by going up to the top.
        key = (iri, here.count("/"), text)
        found = self._outside_links.get(key)
        if found is None:
            found = self._outside_links[key] = self._link_out(iri, here, text)
        return found

    def _link_out(self, iri, here: str, text: str | None) -> str:
        words = text if text is not None else self.m.curie(iri)
        local = str(iri)[len(str(J20)):]
        if str(iri).startswith(str(J20)) and local in self.ontology_ids:
            target = self.m.href(f"download/{ONTOLOGY_DOC}", here)
            return f'<a href="{escape(target)}#{escape(local)}">{escape(words)}</a>'
        return f'<a class="external" href="{escape(str(iri))}">{escape(words)}</a>'

    def value(self, obj, here: str) -> str:
        if isinstance(obj, URIRef):
            return self.link(obj, here)
        text = escape(str(obj))
        if obj.language:
            return f'{text} <span class="tag" title="language">{escape(obj.language)}</span>'
        if obj.datatype is not None and obj.datatype != XSD_STRING:
            return f'{text} <span class="tag" title="datatype">{escape(self.m.curie(obj.datatype))}</span>'
        return text

    def article_anchor(self, span, here: str) -> str | None:
        anchor = self.anchors.get(span)
        if anchor is None:
            return None
        return f"{self.m.href(self.article_paths[span.source], here)}#{anchor}"

    # ------------------------------------------------------------------ resource pages
    def resource_files(self, iri: URIRef, path: str, document: dict) -> dict[str, bytes]:
        """The page of ``iri`` at ``path``, and its Turtle and JSON-LD (``document``, from :func:`describe_all`)."""
        stem = path[: -len(".html")]
        description = self.m.description(iri)
        name = stem.rsplit("/", 1)[-1]
        head = (f'<link rel="alternate" type="text/turtle" href="{escape(name)}.ttl">\n'
                f'<link rel="alternate" type="application/ld+json" href="{escape(name)}.jsonld">\n'
                f'<link rel="alternate" type="application/n-triples" href="{escape(name)}.nt">\n'
                f'<script type="application/ld+json">\n{in_script(document)}\n</script>\n'
                + self.schemaorg_script(iri))
        grounds = self.m.grounds(iri)
        body = _template("resource.html").substitute(
            title=escape(self.m.label(iri)),
            types=" · ".join(self.link(t, path, self.m.term_label(t)) for t in self.m.types(iri)) or "resource",
            iri=escape(str(iri)), ttl=escape(name + ".ttl"), jsonld=escape(name + ".jsonld"),
            extra=self.excerpt_extra(iri, path) + self.cited_extra(iri, path),
            statements=self.statements(iri, path, grounds), quotes=self.quotes(grounds, path),
            incoming=self.incoming(iri, path))
        ntriples, turtle = to_ntriples_and_turtle(description, self.turtle_terms)
        return {path: self.page(path, self.m.label(iri), body, head), stem + ".ttl": turtle,
                stem + ".jsonld": to_bytes(document), stem + ".nt": ntriples}

    def statements(self, iri, here: str, grounds) -> str:
        rows = []
        refs = " ".join(f'<a href="#quote-{i}">{i}</a>' for i in range(1, len(grounds) + 1))
        # What rests on a citation of a page the dataset does not hold says so, not "the article".
        cited = next((c for c in self.m.graph.objects(iri, PROV.wasDerivedFrom)
                      if (c, RDF_TYPE, J20.Citation) in self.m.graph), None) if not grounds else None
        triples = sorted(self.m.graph.predicate_objects(iri),
                         key=lambda po: (po[0] != RDF_TYPE, self.m.term_label(po[0]), str(po[0]), po[1].n3()))
        for prop, obj in triples:
            origin = []
            for graph in self.m.graphs_of((iri, prop, obj)):
                if graph == "facts" and cited is not None:
                    origin.append(f"the cited source ({self.link(cited, here, 'citation')})")
                elif graph == "facts":
                    origin.append(f"the article{', quotes ' + refs if refs else ''}")
                elif graph == "editorial":
                    notes = self.m.editorial_statements.get((iri, prop, obj), [])
                    evidence = [self.link(n, here, "editorial statement") + (
                        f": {escape(str(self.m.graph.value(n, J20_EVIDENCE)))}"
                        if self.m.graph.value(n, J20_EVIDENCE) else "") for n in notes]
                    origin.append("the editors" + (" (" + "; ".join(evidence) + ")" if evidence else ""))
                else:
                    origin.append(f"the {GRAPH_WORDS.get(graph, graph)} graph")
            rows.append(
                f'<tr><th scope="row">{self.link(prop, here, self.m.term_label(prop))} '
                f'<span class="curie">{escape(self.m.curie(prop))}</span></th>'
                f'<td>{self.value(obj, here)}</td><td class="origin">{"; ".join(origin)}</td></tr>')
        return ('<table class="statements"><thead><tr><th scope="col">Property</th><th scope="col">Value</th>'
                '<th scope="col">From</th></tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>")

    def quotes(self, grounds, here: str) -> str:
        if not grounds:
            return ""
        items = []
        for i, span in enumerate(grounds, 1):
            where = self.article_anchor(span, here)
            in_text = f' · <a href="{escape(where)}">in the article</a>' if where else ""
            items.append(f'<li id="quote-{i}"><blockquote>{escape(span.exact)}</blockquote>'
                         f'{self.link(span.iri, here, f"excerpt, characters {span.start}–{span.end}")}{in_text}</li>')
        return ('<section aria-labelledby="quotes-h"><h2 id="quotes-h">The words it rests on</h2>'
                '<p>What the article states about this resource is derived from these quotes '
                '(<code>prov:wasDerivedFrom</code>).</p>'
                f'<ol class="quotes">{"".join(items)}</ol></section>')

    def excerpt_extra(self, iri, here: str) -> str:
        span = self.m.span_of.get(iri)
        if span is None:
            return ""
        text = self.texts.get(span.source, "")
        before = text[max(0, span.start - 80):span.start]
        after = text[span.end:span.end + 80]
        where = self.article_anchor(span, here)
        facts = self.m.derived_from(iri)
        items = "".join(f"<li>{self.link(f, here)}</li>" for f in facts) or "<li>none</li>"
        return (f'<section aria-labelledby="context-h"><h2 id="context-h">In the article</h2>'
                f'<p class="context">…{escape(before)}<mark>{escape(span.exact)}</mark>{escape(after)}…</p>'
                + (f'<p><a href="{escape(where)}">See it in the article</a></p>' if where else "")
                + f'<h3>Facts derived from this excerpt</h3><ul class="facts">{items}</ul></section>')

    def cited_extra(self, iri, here: str) -> str:
        """A reported quantity's values by source; a cited source's figures."""
        types = set(self.m.graph.objects(iri, RDF_TYPE))
        if J20.ReportedQuantity in types:
            return qty.quantity_section(self, iri, here)
        if J20.CitedSource in types:
            return qty.source_section(self, iri, here)
        return ""

    def incoming(self, iri, here: str) -> str:
        refs = sorted({(self.m.label(s), self.m.term_label(p), s, p) for s, p in self.m.graph.subject_predicates(iri)
                       if isinstance(s, URIRef)}, key=lambda r: (r[1], r[0], str(r[2]), str(r[3])))
        if not refs:
            return ""
        items = "".join(f"<li>{self.link(s, here)} <span class=\"via\">({escape(p_label)})</span></li>"
                        for _, p_label, s, _ in refs)
        return (f'<section aria-labelledby="incoming-h"><h2 id="incoming-h">Referred to by</h2>'
                f'<ul class="incoming">{items}</ul></section>')

    # ------------------------------------------------------------------ the article page
    def article_page(self, source: URIRef) -> tuple[str, bytes]:
        here = art.article_path(self.m, source)
        text, lines = self.texts[source], self.lines[source]
        g = self.m.graph
        meta = []
        for prop, words in ((SCHEMA.publisher, "Published by"), (SCHEMA.author, "written by"),
                            (J20.cites, "citing")):
            for agent in sorted(g.objects(source, prop), key=str):
                meta.append(f"{words} {self.link(agent, here)}")
        meta.append(self.link(source, here, "the source's own page"))
        body = _template("article.html").substitute(
            title=escape(self.m.label(source)), meta=", ".join(meta) + ".",
            text=art.text_html(self.m, text, lines, here), groundings=art.grounding_html(self.m, text, lines, here))
        return here, self.page(here, self.m.label(source), body)

    # ------------------------------------------------------------------ the index
    def index_page(self) -> bytes:
        here = "index.html"
        g, ds = self.m.graph, self.dataset
        timeline = charts.timeline_data(self.m)
        counts = charts.counts_data(self.m)
        located = charts.map_data(self.m)
        body = _template("index.html").substitute(
            title=escape(str(g.value(ds, DCTERMS.title) or "january20")),
            description=escape(str(g.value(ds, DCTERMS.description) or "")),
            provenance=self.provenance(here),
            timeline_svg=charts.timeline_svg(timeline), timeline_caption=self.timeline_caption(timeline, here),
            timeline_table=self.timeline_table(timeline, here),
            counts_svg=charts.counts_svg(counts), counts_table=self.counts_table(counts, here),
            map_svg=charts.map_svg(located), map_caption=self.map_caption(located, here),
            map_table=self.map_table(located, here),
            downloads=self.downloads_table(here), browse=self.browse(here))
        return self.page(here, "Overview", body, self.schemaorg_script(self.dataset))

    def schemaorg_script(self, iri) -> str:
        """The resource described in plain schema.org, for search engines (publish/site/schemaorg.py)."""
        return f'<script type="application/ld+json">\n{in_script(self.schemaorg.describe(iri))}\n</script>\n'

    def provenance(self, here: str) -> str:
        g, ds = self.m.graph, self.dataset
        out = []
        for source in self.sources:
            parts = [f"<strong>{self.link(source, here)}</strong>"]
            for prop, words in ((SCHEMA.publisher, "published by"), (SCHEMA.author, "written by"),
                                (J20.cites, "citing")):
                parts += [f"{words} {self.link(a, here)}" for a in sorted(g.objects(source, prop), key=str)]
            facts = [f"{self.link(c, here, 'checksum')} of its text: "
                     f"{escape(self.m.curie(g.value(c, SPDX.algorithm)).split('_')[-1].upper())} "
                     f"<code class=\"hash\">{escape(str(g.value(c, SPDX.checksumValue)))}</code>"
                     for c in sorted(g.objects(source, SPDX.checksum), key=str)]
            missing = [self.m.term_label(p) for p in sorted(g.objects(source, J20.notStated), key=str)]
            if missing:
                facts.append("the article does not state its " + " or its ".join(escape(m) for m in missing))
            if source in self.lines:
                facts.append(f'<a href="{art.article_path(self.m, source)}">read it with every quoted span '
                             'highlighted</a>')
            out.append(f"<li>{', '.join(parts)}.<ul>" + "".join(f"<li>{f}</li>" for f in facts) + "</ul></li>")
        rows = []
        # The metadata graph cannot state its own size; void.ttl, written after it, does.
        elsewhere = 'in <a href="download/void.ttl">void.ttl</a>' if "void.ttl" in self.downloads else "not stated"
        for name in self.m.graphs:
            graph = self.m.built.names.graph(name)
            triples = g.value(graph, VOID.triples)
            rows.append(f'<tr><th scope="row">{self.link(graph, here)}</th>'
                        f'<td class="num">{escape(str(triples)) if triples is not None else elsewhere}</td>'
                        f'<td>{escape(str(g.value(graph, DCTERMS.description) or ""))}</td></tr>')
        publisher = g.value(ds, DCTERMS.publisher)
        licence = g.value(ds, DCTERMS.license)
        return (f'<p>Derived from {len(self.sources)} source{"" if len(self.sources) == 1 else "s"}: every fact of a '
                'source whose text is held links to the exact words it came from, every figure of a cited page to '
                'its address, the place on the page and the date it was checked. What the editors added is kept '
                'in a graph of its own, each addition with its evidence.</p>'
                f'<ul class="sources">{"".join(out)}</ul>'
                '<table class="graphs"><caption>Named graphs</caption><thead><tr><th scope="col">Graph</th>'
                '<th scope="col">Triples</th><th scope="col">What it holds</th></tr></thead><tbody>'
                + "".join(rows) + '</tbody></table>'
                + f'<p>Dataset: {self.link(ds, here)}'
                + (f", curated by {self.link(publisher, here)}" if publisher else "")
                + (f', licensed <a href="{escape(str(licence))}">{escape(str(licence))}</a>' if licence else "")
                + ".</p>")

    def timeline_caption(self, data: charts.Timeline, here: str) -> str:
        words = [f"{len(data.events)} events with a stated day and month."]
        if data.other:
            words.append("Dated off this axis: " + "; ".join(
                f"{self.link(iri, here)} ({escape(dates)})" for iri, _, dates in data.other) + ".")
        if data.undated:
            words.append(f"{data.undated} other events have no stated date (some are placed only relative to others, "
                         "as the article does: before or after the curfew, over the following days).")
        return " ".join(words)

    def timeline_table(self, data: charts.Timeline, here: str) -> str:
        rows = "".join(f'<tr><th scope="row">{self.link(e.iri, here)}</th><td>{escape(e.stated)}</td>'
                       f'<td>{escape(e.year_note)}</td></tr>' for e in data.events)
        return ('<table class="data"><caption>The timeline as a table</caption><thead><tr><th scope="col">Event</th>'
                '<th scope="col">Stated date</th><th scope="col">Year</th></tr></thead>'
                f'<tbody>{rows}</tbody></table>')

    def counts_table(self, data: list[charts.Breakdown], here: str) -> str:
        rows = []
        for b in data:
            parts = "<br>".join(f"{self.link(p.iri, here)}" for p in b.parts)
            rows.append(f'<tr><th scope="row">{self.link(b.total.iri, here)}</th><td>{parts}</td>'
                        f'<td class="num">{b.stated} of {b.total.value}</td><td>{escape(charts.gap_words(b))}</td></tr>')
        in_charts = {b.total.iri for b in data} | {p.iri for b in data for p in b.parts}
        others = sorted((s for s in set(self.m.graph.subjects(RDF.type, J20.Count))
                         | set(self.m.graph.subjects(RDF.type, J20.QualitativeAmount)) if s not in in_charts),
                        key=lambda s: (charts._text_order(self.m, s), str(s)))
        other = "".join(f"<li>{self.link(s, here)}</li>" for s in others)
        return ('<table class="data"><caption>The chart as a table</caption><thead><tr><th scope="col">Total</th>'
                '<th scope="col">Stated parts</th><th scope="col">Sum</th><th scope="col">Unexplained</th></tr>'
                f'</thead><tbody>{"".join(rows)}</tbody></table>'
                + (f'<h3>Other figures</h3><p>Stated on their own, not as parts of a total:</p><ul>{other}</ul>'
                   if other else "") + qty.spread_section(self, here))

    def map_caption(self, data: charts.MapData, here: str) -> str:
        places = set(self.m.graph.subjects(RDF.type, SCHEMA.Place))
        missing = len(places) - len(data.places)
        words = f"{len(data.places)} located places"
        if data.groups:
            words += "; places the article names together, with a figure for them jointly, are joined: " + "; ".join(
                self.link(iri, here) for iri, _, _ in data.groups)
        return words + f". {missing} other places have no coordinates." if missing else words + "."

    def map_table(self, data: charts.MapData, here: str) -> str:
        rows = "".join(f'<tr><th scope="row">{self.link(p.iri, here)}</th><td class="num">{p.lat:.5f}</td>'
                       f'<td class="num">{p.lon:.5f}</td></tr>' for p in data.places)
        return ('<table class="data"><caption>The map as a table</caption><thead><tr><th scope="col">Place</th>'
                '<th scope="col">Latitude</th><th scope="col">Longitude</th></tr></thead>'
                f'<tbody>{rows}</tbody></table>')

    def downloads_table(self, here: str) -> str:
        rows = []
        for name, data in self.downloads.items():
            suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
            rows.append(f'<tr><th scope="row"><a href="download/{escape(name)}">{escape(name)}</a></th>'
                        f'<td>{escape(FORMATS.get(suffix, suffix))}</td><td class="num">{len(data)}</td>'
                        f'<td><code class="hash">{hashlib.sha256(data).hexdigest()}</code></td></tr>')
        return ('<table class="downloads"><thead><tr><th scope="col">File</th><th scope="col">Format</th>'
                '<th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')

    def browse(self, here: str) -> str:
        by_kind = self.by_kind()
        out = []
        if len(self.lines) > 1:
            out.append(f'<p><a href="{ARTICLES}">The articles, with their quoted spans</a> · '
                       '<a href="resources.html">All resources</a>, including excerpts, sentences and concepts.</p>')
        for src in self.lines if len(self.lines) == 1 else ():
            out.append(f'<p><a href="{self.article_paths[src]}">The article, with its quoted spans</a> · '
                       '<a href="resources.html">All resources</a>, including excerpts, sentences and concepts.</p>')
        for kind in MAIN_KINDS:
            if kind in by_kind:
                items = "".join(f"<li>{self.link(iri, here)}</li>" for iri in by_kind[kind])
                out.append(f'<h3>{escape(KIND_HEADINGS.get(kind, kind))}</h3><ul class="columns">{items}</ul>')
        return "\n".join(out)

    def by_kind(self) -> dict[str, list[URIRef]]:
        out: dict[str, list[URIRef]] = {}
        for iri, path in self.m.pages.items():
            out.setdefault(path.split("/")[0].removesuffix(".html"), []).append(iri)
        return out

    def resources_page(self) -> bytes:
        here = "resources.html"
        groups = []
        for kind, iris in sorted(self.by_kind().items()):
            items = "".join(f"<li>{self.link(iri, here)}</li>" for iri in iris)
            groups.append(f'<section aria-labelledby="k-{escape(kind)}"><h2 id="k-{escape(kind)}">'
                          f'{escape(KIND_HEADINGS.get(kind, kind.capitalize()))} ({len(iris)})</h2>'
                          f'<ul class="columns">{items}</ul></section>')
        body = _template("resources.html").substitute(count=len(self.m.pages), groups="\n".join(groups))
        return self.page(here, "All resources", body)

    def articles_page(self) -> bytes:
        items = "".join(f'<li><a href="{escape(path)}">{escape(self.m.label(src))}</a></li>'
                        for src, path in self.article_paths.items())
        body = _template("articles.html").substitute(count=len(self.article_paths), items=items)
        return self.page(ARTICLES, "The articles", body)

    # ------------------------------------------------------------------ everything
    def files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {"index.html": self.index_page(), "resources.html": self.resources_page(),
                                 "style.css": stylesheet(), "favicon.ico": favicon()}
        for source in self.lines:
            path, data = self.article_page(source)
            out[path] = data
        if len(self.lines) > 1:
            out[ARTICLES] = self.articles_page()
        pages = list(self.m.pages.items())
        for start in range(0, len(pages), BATCH):
            batch = pages[start:start + BATCH]
            documents = describe_all([t for iri, _ in batch for t in self.m.description(iri)], self.context)
            for iri, path in batch:
                out.update(self.resource_files(iri, path, documents[str(iri)]))
        for name, data in self.downloads.items():
            out[f"download/{name}"] = data
        return dict(sorted(out.items(), key=lambda item: natural_key(item[0])))
