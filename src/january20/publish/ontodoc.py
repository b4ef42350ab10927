"""HTML documentation of the january20 ontology and concept schemes, generated from their Turtle at build time.

One self-contained page: every class and property with its label, definition and alignment to standard terms
(subclass, subproperty, inverse), its domain and range, how often the dataset uses it, and every concept scheme with
its concepts. No scripts, no external fonts or stylesheets; terms are sorted, so the bytes are the same on every run.
Each term's anchor is its local name, so ``https://w3id.org/january20/ontology#Count`` lands on its entry.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from operator import itemgetter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from january20.names import CONCEPT, J20, PREFIXES

STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem;
       color: #1b1b1b; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #ccc; margin-top: 2.5rem; }
h3 { margin: 0 0 0.3rem 0; font-size: 1.15rem; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; background: #f3f3f3; padding: 0 0.2em; }
.term { border: 1px solid #ddd; border-radius: 4px; padding: 0.8rem 1rem; margin: 1rem 0; }
.term:target { border-color: #2a6ebb; box-shadow: 0 0 0 2px #2a6ebb33; }
dl.fields { display: grid; grid-template-columns: 11rem 1fr; gap: 0.2rem 1rem; margin: 0.4rem 0 0 0; }
dl.fields dt { font-weight: 600; color: #555; }
dl.fields dd { margin: 0; }
nav ul { columns: 3; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e3e3e3; padding: 0.3rem 0.5rem; }
a { color: #1f5c99; }
"""


class _Page:
    """What every part of the page needs: the graphs, the usage counts, and the prefixes to shorten IRIs with."""

    def __init__(self, ontology: Graph, concepts: Graph, data: Graph):
        self.ontology, self.concepts = ontology, concepts
        # The project's prefixes win; the ontology file adds those of its alignment targets (sem:, crm:, time: ...).
        declared = {prefix: str(ns) for prefix, ns in ontology.namespaces()}
        self.prefixes = {**declared, **{prefix: str(ns) for prefix, ns in PREFIXES.items()}}
        # How many triples use each term: as predicate, as class, or as value. Counter's update counts an iterable
        # in C; a += per triple was most of this page's time on a large graph.
        self.used: Counter = Counter(map(itemgetter(1), data))
        self.used.update(o for _, _, o in data if isinstance(o, URIRef))

    def compact(self, iri: URIRef) -> str:
        """``prefix:local`` for an IRI in a known namespace (the longest that matches), else the IRI itself."""
        text = str(iri)
        for prefix, ns in sorted(self.prefixes.items(), key=lambda item: (-len(item[1]), item[0])):
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return text

    def link(self, iri: URIRef) -> str:
        anchor = _anchor(iri)
        href = f"#{anchor}" if anchor else str(iri)
        return f'<a href="{escape(href)}"><code>{escape(self.compact(iri))}</code></a>'

    def links(self, iris) -> str:
        return ", ".join(self.link(i) for i in sorted({i for i in iris if isinstance(i, URIRef)}, key=str))

    def uses(self, term: URIRef) -> str:
        n = self.used[term]
        return f"{n} triple{'' if n == 1 else 's'}"

    def term(self, term: URIRef, kind: str) -> str:
        g = self.ontology
        fields = [
            _field("IRI", f"<code>{escape(str(term))}</code>"),
            _field("Kind", escape(kind)),
            _field("Definition", escape(_english(g, term, SKOS.definition))),
            _field("Subclass of", self.links(g.objects(term, RDFS.subClassOf))),
            _field("Superclass of", self.links(g.subjects(RDFS.subClassOf, term))),
            _field("Subproperty of", self.links(g.objects(term, RDFS.subPropertyOf))),
            _field("Superproperty of", self.links(g.subjects(RDFS.subPropertyOf, term))),
            _field("Inverse of", self.links(g.objects(term, OWL.inverseOf))),
            _field("Close match", self.links(g.objects(term, SKOS.closeMatch))),
            _field("Domain", self.links(g.objects(term, RDFS.domain))),
            _field("Range", self.links(g.objects(term, RDFS.range))),
            _field("Domain of", self.links(g.subjects(RDFS.domain, term))),
            _field("Range of", self.links(g.subjects(RDFS.range, term))),
            _field("Used in the dataset", self.uses(term)),
        ]
        label = _english(g, term, RDFS.label) or _anchor(term)
        return (f'<section class="term" id="{escape(_anchor(term))}">\n<h3>{escape(label)}</h3>\n'
                f'<dl class="fields">{"".join(fields)}</dl>\n</section>\n')

    def scheme(self, scheme: URIRef) -> str:
        g = self.concepts
        rows = []
        for concept in sorted((c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)), key=str):
            broader = self.links(g.objects(concept, SKOS.broader))
            rows.append(
                f'<tr id="{escape(_anchor(concept))}"><td><code>{escape(self.compact(concept))}</code></td>'
                f"<td>{escape(_english(g, concept, SKOS.prefLabel))}</td>"
                f"<td>{escape(_english(g, concept, SKOS.definition))}"
                f"{'<br>Broader: ' + broader if broader else ''}</td><td>{self.used[concept]}</td></tr>")
        return (f'<section class="term" id="{escape(_anchor(scheme))}">\n'
                f"<h3>{escape(_english(g, scheme, SKOS.prefLabel))}</h3>\n"
                f"<p>{escape(_english(g, scheme, SKOS.definition))} <code>{escape(str(scheme))}</code></p>\n"
                "<table><thead><tr><th>Concept</th><th>Label</th><th>Definition</th><th>Uses</th></tr></thead>\n"
                f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>\n</section>\n")

    def contents(self, heading: str, terms: list[URIRef]) -> str:
        items = "".join(f"<li>{self.link(t)}</li>" for t in terms)
        return f"<h3>{escape(heading)}</h3><ul>{items}</ul>\n"


def _english(graph: Graph, node: URIRef, prop: URIRef) -> str:
    values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language in ("en", None))
    return values[0] if values else ""


def _anchor(iri: URIRef) -> str:
    """The fragment of a january20 term or concept on this page; empty for terms documented elsewhere."""
    text = str(iri)
    if text.startswith(str(J20)):
        return text[len(str(J20)):]
    if text.startswith(str(CONCEPT)):
        return "concept-" + text[len(str(CONCEPT)):].replace("/", "-")
    return ""


def _terms(ontology: Graph, kinds: tuple[URIRef, ...]) -> list[URIRef]:
    found = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)
             if isinstance(s, URIRef) and str(s).startswith(str(J20))}
    return sorted(found, key=lambda t: (_anchor(t).lower(), str(t)))


def _field(name: str, value: str) -> str:
    return f"<dt>{escape(name)}</dt><dd>{value}</dd>" if value else ""


def render_ontology_html(ontology: Graph, concepts: Graph, data: Graph) -> bytes:
    """The documentation page for ``ontology`` (the january20 terms) and ``concepts`` (the SKOS schemes), with
    usage counts taken from ``data``, the built dataset."""
    page = _Page(ontology, concepts, data)
    onto = next(iter(sorted(ontology.subjects(RDF.type, OWL.Ontology), key=str)), URIRef(str(J20).rstrip("#")))
    title = _english(ontology, onto, DCTERMS.title) or "january20 ontology"
    classes = _terms(ontology, (OWL.Class, RDFS.Class))
    object_props = _terms(ontology, (OWL.ObjectProperty,))
    data_props = _terms(ontology, (OWL.DatatypeProperty,))
    schemes = sorted((s for s in concepts.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=str)
    licence = ontology.value(onto, DCTERMS.license)
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n",
        f"<h1>{escape(title)}</h1>\n<p>{escape(_english(ontology, onto, DCTERMS.description))}</p>\n",
        '<dl class="fields">',
        _field("Ontology IRI", f"<code>{escape(str(onto))}</code>"),
        _field("Namespace", f"<code>{escape(str(J20))}</code> (prefix <code>j20:</code>)"),
        _field("Concepts", f"<code>{escape(str(CONCEPT))}</code> (prefix <code>concept:</code>)"),
        _field("Version", escape(str(ontology.value(onto, OWL.versionInfo) or ""))),
        _field("Licence", f'<a href="{escape(str(licence))}">{escape(str(licence))}</a>' if licence else ""),
        _field("Turtle", '<a href="january20.ttl">january20.ttl</a>'),
        "</dl>\n</header>\n<nav>\n<h2>Contents</h2>\n",
        page.contents(f"Classes ({len(classes)})", classes),
        page.contents(f"Object properties ({len(object_props)})", object_props),
        page.contents(f"Datatype properties ({len(data_props)})", data_props),
        page.contents(f"Concept schemes ({len(schemes)})", schemes),
        '</nav>\n<main>\n<h2 id="classes">Classes</h2>\n',
        *(page.term(t, "Class") for t in classes),
        '<h2 id="object-properties">Object properties</h2>\n',
        *(page.term(t, "Object property") for t in object_props),
        '<h2 id="datatype-properties">Datatype properties</h2>\n',
        *(page.term(t, "Datatype property") for t in data_props),
        '<h2 id="concept-schemes">Concept schemes</h2>\n',
        *(page.scheme(s) for s in schemes),
        "</main>\n</body>\n</html>\n",
    ]
    return "".join(parts).encode("utf-8")
