"""The concept schemes (what is counted, of whom, roles, kinds) and the ontology, read from Turtle."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from january20.errors import January20Error, Problem
from january20.names import CONCEPT


def parse_turtle(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types; all mean the same thing to a user
        raise January20Error(Problem(str(path), f"not valid Turtle: {exc}")) from None
    return graph


def concept_iri(scheme: str, slug: str) -> URIRef:
    return CONCEPT[f"{scheme}/{slug}"]


def concept_slugs(concepts: Graph) -> dict[str, set[str]]:
    """Scheme name -> the slugs of the concepts in it, from IRIs of the form concept/<scheme>/<slug>."""
    schemes: dict[str, set[str]] = {}
    for concept, scheme in concepts.subject_objects(SKOS.inScheme):
        c, s = str(concept), str(scheme)
        if c.startswith(str(CONCEPT)) and s.startswith(str(CONCEPT)):
            scheme_name = s[len(str(CONCEPT)):]
            schemes.setdefault(scheme_name, set()).add(c[len(str(CONCEPT)) + len(scheme_name) + 1:])
    return schemes


def pref_label(concepts: Graph, scheme: str, slug: str) -> str:
    label = concepts.value(concept_iri(scheme, slug), SKOS.prefLabel)
    return str(label) if label is not None else slug.replace("-", " ")
