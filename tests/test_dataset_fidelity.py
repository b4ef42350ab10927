"""The graph says exactly what the article says: every figure with its scope, nothing invented, gaps left open,
opinions kept as the article's claims, and every statement traced to its words."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from january20.names import J20, OA, SCHEMA, WD

BASE = "https://w3id.org/january20/"


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def test_every_excerpt_is_found_in_the_article_at_its_offsets(graph, article_text):
    excerpts = list(graph.subjects(RDF.type, OA.SpecificResource))
    assert len(excerpts) > 50
    for excerpt in excerpts:
        selectors = list(graph.objects(excerpt, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        exact = str(graph.value(quote, OA.exact))
        assert article_text[start:end] == exact, excerpt
        assert article_text[:start].endswith(str(graph.value(quote, OA.prefix)))
        assert article_text[end:].startswith(str(graph.value(quote, OA.suffix)))


def _figures_in(text: str) -> list[int]:
    """Every number in the text that is not part of a date ("January 19-20", "20 January", "1945-1946")."""
    without_dates = re.sub(r"January \d+(?:-\d+)?|\d+ January|\b\d{4}-\d{4}\b", " ", text)
    return [int(n) for n in re.findall(r"\d+", without_dates)]


def test_every_figure_in_the_article_is_a_count_resting_on_a_quote_that_states_it(graph, article_text):
    figures = _figures_in(article_text)
    assert sorted(figures) == [8, 20, 21, 80, 82, 112, 131, 150, 200, 744, 841]
    for figure in figures:
        rows = graph.query(
            """SELECT ?count ?exact WHERE {
                 ?count a j20:Count ; schema:value ?v ; prov:wasDerivedFrom ?excerpt .
                 ?excerpt oa:hasSelector ?s . ?s oa:exact ?exact .
                 FILTER(?v = ?figure) }""",
            initNs={"j20": J20, "schema": SCHEMA, "prov": PROV, "oa": OA},
            initBindings={"figure": Literal(figure, datatype=XSD.integer)})
        assert any(re.search(rf"(?<!\d){figure}(?!\d)", str(r.exact)) for r in rows), figure


def test_joint_count_is_not_split_between_places(graph):
    count = iri("count/killed-in-neftchala-and-lankaran")
    group = iri("place/regions-without-curfew")
    assert set(graph.objects(count, SCHEMA.location)) == {group}
    assert set(graph.objects(group, J20.groupMember)) == {iri("place/neftchala"), iri("place/lankaran")}
    for place in ("neftchala", "lankaran"):
        assert not (set(graph.subjects(SCHEMA.location, iri(f"place/{place}"))) & set(
            graph.subjects(RDF.type, J20.Count))), place


def test_parts_and_subsets_are_related_as_the_article_relates_them(graph):
    parts = {str(s).rsplit("/", 1)[1] for s in graph.subjects(J20.partOf, iri("count/killed-total"))}
    assert parts == {"killed-before-curfew", "killed-in-baku-after-curfew", "killed-in-neftchala-and-lankaran"}
    assert graph.value(iri("count/sent-to-prison"), J20.subsetOf) == iri("count/detained")
    # The article never says how the 150 martyrs relate to the 131 killed; the graph does not guess.
    assert not set(graph.predicate_objects(iri("count/remembered-as-martyrs"))) & {
        (J20.partOf, iri("count/killed-total")), (J20.subsetOf, iri("count/killed-total"))}


def test_the_commemoration_keeps_its_month_day_and_no_invented_year(graph):
    event = iri("event/commemoration")
    assert graph.value(event, J20.statedDate) == Literal("--01-18", datatype=XSD.gMonthDay)
    assert graph.value(event, SCHEMA.startDate) is None
    assert (event, J20.notStated, SCHEMA.startDate) in graph


def test_resolved_years_are_editorial_and_never_in_the_facts_graph(facts_graph, editorial_graph):
    entry = iri("event/entry-of-troops")
    assert facts_graph.value(entry, SCHEMA.startDate) is None
    assert editorial_graph.value(entry, SCHEMA.startDate) == Literal("1990-01-19", datatype=XSD.date)
    assert facts_graph.value(entry, J20.statedStartDate) == Literal("--01-19", datatype=XSD.gMonthDay)


def test_every_editorial_statement_carries_evidence_a_check_date_or_reason_and_the_editors(editorial_graph):
    statements = list(editorial_graph.subjects(RDF.type, J20.EditorialStatement))
    assert statements
    for node in statements:
        assert editorial_graph.value(node, J20.evidence) is not None, node
        assert editorial_graph.value(node, PROV.wasDerivedFrom) is not None or "date" in str(node), node
        assert editorial_graph.value(node, PROV.wasAttributedTo) == iri("organization/january20-editors")
        subject, predicate, obj = (editorial_graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert (subject, predicate, obj) in editorial_graph, node


def test_only_verified_identifiers_are_linked(graph):
    linked = {(str(s).removeprefix(BASE), str(o)) for s, o in graph.subject_objects(SCHEMA.sameAs)}
    assert linked == {("place/baku", str(WD.Q9248)), ("place/azerbaijan", str(WD.Q227)),
                      ("place/soviet-union", str(WD.Q15180)), ("person/mikhail-gorbachev", str(WD.Q30487)),
                      ("place/azerbaijan-ssr", str(WD.Q131337))}


def test_the_articles_judgements_are_claims_of_the_article_not_facts(graph):
    for word in ("brutality", "chilling resemblance", "resilience"):
        holders = {s for s, _, o in graph if isinstance(o, Literal) and word in str(o)}
        for holder in holders:
            kinds = set(graph.objects(holder, RDF.type))
            assert kinds & {J20.ArticleClaim, OA.TextQuoteSelector}, (word, holder, kinds)
        claims = [h for h in holders if (h, RDF.type, J20.ArticleClaim) in graph]
        assert claims, word
        for claim in claims:
            assert graph.value(claim, J20.claimedBy) == iri("source/caliber-az-20-january-commemoration")


def test_every_source_derived_node_rests_on_an_excerpt_or_on_a_citation_never_both(facts_graph):
    derived_types = {SCHEMA.Event, SCHEMA.Place, SCHEMA.Person, SCHEMA.Organization, J20.Count,
                     J20.QualitativeAmount, SCHEMA.Claim, J20.RoleHolding, J20.Participation, J20.PersonGroup,
                     J20.AgentGroup, J20.CitedFigure}
    nodes = {s for t in derived_types for s in facts_graph.subjects(RDF.type, t)}
    assert len(nodes) > 60
    for node in nodes:
        grounds = list(facts_graph.objects(node, PROV.wasDerivedFrom))
        assert grounds, node
        kinds = {kind for e in grounds for kind in (J20.Excerpt, J20.Citation) if (e, RDF.type, kind) in facts_graph}
        assert len(kinds) == 1 and len(grounds) == len([e for e in grounds if any(
            (e, RDF.type, k) in facts_graph for k in kinds)]), node


def test_a_cited_figure_rests_on_a_citation_with_source_locator_and_check_date(facts_graph):
    figures = set(facts_graph.subjects(RDF.type, J20.CitedFigure))
    assert len(figures) >= 60
    for figure in figures:
        [citation] = facts_graph.objects(figure, PROV.wasDerivedFrom)
        assert (citation, RDF.type, J20.Citation) in facts_graph
        source = facts_graph.value(citation, J20.citedSource)
        assert facts_graph.value(citation, J20.locator) is not None
        assert facts_graph.value(citation, J20.checkedOn) is not None
        assert facts_graph.value(source, SCHEMA.url) is not None
        assert (figure, J20.reportedBy, source) in facts_graph


def test_roles_are_facts_of_their_time_not_permanent_labels(graph):
    role = iri("role/mikhail-gorbachev-general-secretary")
    assert graph.value(role, J20.holder) == iri("person/mikhail-gorbachev")
    assert graph.value(role, J20.heldDuring) == iri("event/january-1990-events")
    assert graph.value(role, J20.roleIn) == iri("organization/communist-party-of-the-soviet-union")
    assert not list(graph.objects(iri("person/mikhail-gorbachev"), SCHEMA.jobTitle))


def test_the_article_records_its_checksum_and_what_it_does_not_state(graph):
    article = iri("source/caliber-az-20-january-commemoration")
    checksum = graph.value(article, URIRef("http://spdx.org/rdf/terms#checksum"))
    assert str(graph.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))) == (
        "78ae74c479fb897fb5be970251db0f1fdea0fae7fd003304a609f61e0e439885")
    assert set(graph.objects(article, J20.notStated)) == {SCHEMA.datePublished, SCHEMA.url}
    assert graph.value(article, SCHEMA.datePublished) is None
    assert graph.value(article, SCHEMA.author) == iri("person/khagan-isayev")
    assert graph.value(article, SCHEMA.publisher) == iri("organization/caliber-az")


def test_every_sentence_of_the_article_is_represented_by_some_fact(graph):
    sentences = set(graph.subjects(RDF.type, J20.Sentence))
    assert len(sentences) == 19
    grounded = {s for e in graph.subjects(RDF.type, J20.Excerpt) for s in graph.objects(e, J20.inSentence)
                if list(graph.subjects(PROV.wasDerivedFrom, e)) or list(graph.subjects(J20.headlineExcerpt, e))}
    assert sentences - grounded == set()
