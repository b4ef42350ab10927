"""The source itself: the article, its checksum, its sentences, and an excerpt node for every quote."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..names import J20, OA, SCHEMA, SPDX
from ..quotes import Excerpt, sentences
from .context import Context, Triple

NOT_STATED_PROPERTY = {"publication-date": SCHEMA.datePublished, "url": SCHEMA.url}


def build_source(ctx: Context) -> list[Triple]:
    facts, names = ctx.facts, ctx.names
    article = names.source(facts.id)
    src = facts.source
    triples: list[Triple] = [
        (article, RDF.type, SCHEMA.NewsArticle),
        (article, RDF.type, PROV.Entity),
        (article, SCHEMA.headline, ctx.text(src["headline"]["text"])),
        (article, DCTERMS.title, ctx.text(src["headline"]["text"])),
        (article, SCHEMA.inLanguage, Literal(src["language"])),
        (article, DCTERMS.language, Literal(src["language"])),
        (article, J20.characterCount, Literal(len(facts.text), datatype=XSD.integer)),
        (article, J20.headlineExcerpt, ctx.excerpt(src["headline"]["quote"])),
    ]
    checksum = names.part(article, "checksum", "sha256")
    triples += [
        (article, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, Literal(src["sha256"], datatype=XSD.hexBinary)),
    ]
    if "photo_marker" in src:
        triples.append((article, J20.carriesPhotographs, Literal(True)))
        triples.append((article, J20.photoMarkerExcerpt, ctx.excerpt(src["photo_marker"]["quote"])))
    for field, prop in (("author", SCHEMA.author), ("publisher", SCHEMA.publisher), ("based_on", SCHEMA.isBasedOn)):
        if field in src:
            triples.append((article, prop, ctx.iri(src[field]["agent"])))
    for item in src.get("not_stated", []):
        triples.append((article, J20.notStated, NOT_STATED_PROPERTY[item]))

    spans = sentences(facts.text)
    for number, span in enumerate(spans, start=1):
        node = names.sentence(facts.id, number)
        triples += [(node, RDF.type, J20.Sentence), (node, J20.sentenceNumber, Literal(number, datatype=XSD.integer))]
        triples += _specific_resource(ctx, article, node, span)
    for excerpt in sorted(set(facts.excerpts.values())):
        node = names.excerpt(facts.id, excerpt.start, excerpt.end)
        triples.append((node, RDF.type, J20.Excerpt))
        triples += _specific_resource(ctx, article, node, excerpt)
        for number, span in enumerate(spans, start=1):
            if span.start < excerpt.end and excerpt.start < span.end:
                triples.append((node, J20.inSentence, names.sentence(facts.id, number)))
    return triples


def _specific_resource(ctx: Context, article: URIRef, node: URIRef, span: Excerpt) -> list[Triple]:
    quote = ctx.names.selector(node, "quote")
    position = ctx.names.selector(node, "position")
    return [
        (node, _A, _SPECIFIC_RESOURCE),
        (node, _HAS_SOURCE, article),
        (node, _HAS_SELECTOR, quote),
        (node, _HAS_SELECTOR, position),
        (quote, _A, _TEXT_QUOTE_SELECTOR),
        (quote, _EXACT, Literal(span.exact)),
        (quote, _PREFIX, Literal(span.prefix)),
        (quote, _SUFFIX, Literal(span.suffix)),
        (position, _A, _TEXT_POSITION_SELECTOR),
        (position, _START, _offset(span.start)),
        (position, _END, _offset(span.end)),
    ]


# A selector is made for every sentence and excerpt of every source: its terms are made once (rdflib makes and
# checks a new term on every attribute of a namespace), and an offset's literal once per offset.
_A, _SPECIFIC_RESOURCE, _TEXT_QUOTE_SELECTOR, _TEXT_POSITION_SELECTOR = (
    RDF.type, OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector)
_HAS_SOURCE, _HAS_SELECTOR, _EXACT, _PREFIX, _SUFFIX, _START, _END = (
    OA.hasSource, OA.hasSelector, OA.exact, OA.prefix, OA.suffix, OA.start, OA.end)


@lru_cache(maxsize=65536)
def _offset(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)
