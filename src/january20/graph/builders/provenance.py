"""The source itself: the article, its checksum, its sentences, and an excerpt node for every quote."""

from __future__ import annotations

from bisect import bisect_right

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from january20.names import J20, OA, SCHEMA, SPDX
from january20.sources.quotes import Excerpt, sentences
from january20.graph.builders.context import Context, Triple

NOT_STATED_PROPERTY = {"publication-date": SCHEMA.datePublished, "url": SCHEMA.url}


def build_source(ctx: Context) -> list[Triple]:
    facts, names, literal = ctx.facts, ctx.names, ctx.literal
    article = names.source(facts.id)
    src = facts.source
    triples: list[Triple] = [
        (article, RDF.type, SCHEMA.NewsArticle),
        (article, RDF.type, PROV.Entity),
        (article, SCHEMA.headline, ctx.text(src["headline"]["text"])),
        (article, DCTERMS.title, ctx.text(src["headline"]["text"])),
        (article, SCHEMA.inLanguage, literal(src["language"])),
        (article, DCTERMS.language, literal(src["language"])),
        (article, J20.characterCount, literal(len(facts.text), XSD.integer)),
        (article, J20.headlineExcerpt, ctx.excerpt(src["headline"]["quote"])),
    ]
    checksum = names.part(article, "checksum", "sha256")
    triples += [
        (article, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, literal(src["sha256"], XSD.hexBinary)),
    ]
    if "photo_marker" in src:
        triples.append((article, J20.carriesPhotographs, literal(True)))
        triples.append((article, J20.photoMarkerExcerpt, ctx.excerpt(src["photo_marker"]["quote"])))
    for field, prop in (("author", SCHEMA.author), ("publisher", SCHEMA.publisher), ("based_on", J20.cites)):
        if field in src:
            triples.append((article, prop, ctx.iri(src[field]["agent"])))
    for item in src.get("not_stated", []):
        triples.append((article, J20.notStated, NOT_STATED_PROPERTY[item]))

    spans = sentences(facts.text)
    nodes = [names.sentence(facts.id, number) for number in range(1, len(spans) + 1)]
    for number, (node, span) in enumerate(zip(nodes, spans), start=1):
        triples += [(node, _A, _SENTENCE), (node, _SENTENCE_NUMBER, literal(number, XSD.integer))]
        triples += _specific_resource(ctx, article, node, span)
    # Sentences follow one another without overlapping, so their ends are in order: the sentences an excerpt
    # overlaps start at the first that ends after the excerpt starts.
    ends = [span.end for span in spans]
    for excerpt in sorted(set(facts.excerpts.values())):
        node = ctx.excerpt_node(excerpt)
        triples.append((node, _A, _EXCERPT))
        triples += _specific_resource(ctx, article, node, excerpt)
        for i in range(bisect_right(ends, excerpt.start), len(spans)):
            if spans[i].start >= excerpt.end:
                break
            triples.append((node, _IN_SENTENCE, nodes[i]))
    return triples


def _specific_resource(ctx: Context, article: URIRef, node: URIRef, span: Excerpt) -> list[Triple]:
    quote = ctx.names.selector(node, "quote")
    position = ctx.names.selector(node, "position")
    literal = ctx.literal
    return [
        (node, _A, _SPECIFIC_RESOURCE),
        (node, _HAS_SOURCE, article),
        (node, _HAS_SELECTOR, quote),
        (node, _HAS_SELECTOR, position),
        (quote, _A, _TEXT_QUOTE_SELECTOR),
        (quote, _EXACT, literal(span.exact)),
        (quote, _PREFIX, literal(span.prefix)),
        (quote, _SUFFIX, literal(span.suffix)),
        (position, _A, _TEXT_POSITION_SELECTOR),
        (position, _START, literal(span.start, XSD.nonNegativeInteger)),
        (position, _END, literal(span.end, XSD.nonNegativeInteger)),
    ]


# A selector is made for every sentence and excerpt of every source: its terms are looked up once.
_A, _SPECIFIC_RESOURCE, _TEXT_QUOTE_SELECTOR, _TEXT_POSITION_SELECTOR = (
    RDF.type, OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector)
_HAS_SOURCE, _HAS_SELECTOR, _EXACT, _PREFIX, _SUFFIX, _START, _END = (
    OA.hasSource, OA.hasSelector, OA.exact, OA.prefix, OA.suffix, OA.start, OA.end)
_SENTENCE, _SENTENCE_NUMBER, _EXCERPT, _IN_SENTENCE = J20.Sentence, J20.sentenceNumber, J20.Excerpt, J20.inSentence
