"""The graph says exactly what the article says: every figure with its scope, nothing invented, gaps left open,
opinions kept as the article's claims, and every statement traced to its words."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

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
    assert set(graph.objects(count, J20.countedAt)) == {group}
    assert set(graph.objects(group, J20.groupMember)) == {iri("place/neftchala"), iri("place/lankaran")}
    for place in ("neftchala", "lankaran"):
        assert not (set(graph.subjects(J20.countedAt, iri(f"place/{place}"))) & set(
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
    assert facts_graph.value(entry, J20.editorialStartDate) is None
    assert editorial_graph.value(entry, J20.editorialStartDate) == Literal("1990-01-19", datatype=XSD.date)
    assert facts_graph.value(entry, J20.statedStartDate) == Literal("--01-19", datatype=XSD.gMonthDay)


def test_every_editorial_statement_carries_evidence_a_check_date_or_reason_and_the_editors(editorial_graph):
    statements = list(editorial_graph.subjects(RDF.type, J20.EditorialStatement))
    assert statements
    for node in statements:
        assert editorial_graph.value(node, J20.evidence) is not None, node
        assert editorial_graph.value(node, PROV.wasDerivedFrom) is not None, node
        assert editorial_graph.value(node, URIRef("http://purl.org/dc/terms/date")) is not None, node
        assert editorial_graph.value(node, PROV.wasAttributedTo) == iri("organization/january20-editors")
        subject, predicate, obj = (editorial_graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert (subject, predicate, obj) in editorial_graph, node


def test_only_verified_identifiers_are_linked(graph):
    linked = {(str(s).removeprefix(BASE), str(o)) for s, o in graph.subject_objects(J20.editorialSameAs)}
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
    assert graph.value(role, J20.heldDuring) == iri("event/20-january-tragedy")
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


def test_no_year_the_article_never_gives_is_in_a_facts_graph_iri_or_name(facts_graph):
    # The article's statements: every triple but those about a cited source, its citations, attributions, figures
    # and publishers (a cited page may well give the year: that is its statement, not the article's).
    cited = {s for k in (J20.CitedSource, J20.Citation, J20.Attribution, J20.CitedFigure)
             for s in facts_graph.subjects(RDF.type, k)}
    cited |= {o for s in facts_graph.subjects(RDF.type, J20.CitedSource) for o in facts_graph.objects(s, SCHEMA.publisher)}
    # Names under the base (not the offsets of excerpts) and texts in a language.
    terms = {t for triple in facts_graph if triple[0] not in cited for t in triple
             if (isinstance(t, URIRef) and t.startswith(BASE) and "/excerpt/" not in t and "/sentence/" not in t
                 and t not in cited)
             or (isinstance(t, Literal) and t.language)}
    assert iri("event/20-january-tragedy") in terms
    quoted = {str(o) for p in (OA.exact, OA.prefix, OA.suffix, SCHEMA.text) for o in facts_graph.objects(None, p)}
    # Only the article's own years (the Nuremberg Trials of 1945-1946) may appear, and only in its words.
    offending = {str(t) for t in terms if re.search(r"19[0-9]{2}", str(t)) and str(t) not in quoted
                 and not re.search(r"1945|1946", str(t))}
    assert offending == set()


def test_the_dataset_title_gives_the_year_only_as_the_editors(rendered):
    title = str(rendered.built.graphs["metadata"].value(iri("dataset"), URIRef("http://purl.org/dc/terms/title")))
    assert "20 January tragedy" in title
    assert "1990" not in title.replace("1990, the editors' dating", "")


def test_the_20_wounded_keep_the_articles_word_and_are_no_part_of_the_injured(graph):
    wounded = iri("count/wounded-before-curfew")
    assert graph.value(wounded, J20.partOf) is None
    assert graph.value(wounded, J20.countedCategory) == iri("concept/count-categories/wounded")
    # "wounded" is not a kind of "injured" (injured but not killed)
    assert graph.value(iri("concept/count-categories/wounded"), SKOS.broader) is None


def test_others_the_article_does_not_call_civilians_are_not_counted_as_civilians(graph):
    for count in ("wounded-before-curfew", "injured-total"):
        assert graph.value(iri(f"count/{count}"), J20.countedThing) == iri("concept/counted-things/others"), count


def test_the_final_death_toll_is_not_placed_where_the_article_places_the_injured(graph):
    assert graph.value(iri("count/killed-total"), J20.countedAt) is None
    assert graph.value(iri("count/injured-total"), J20.countedAt) == iri("place/baku-and-nearby-regions")


def test_the_nuremberg_comparison_is_with_the_war_crimes_condemned_at_the_trials(graph):
    crimes = iri("event/war-crimes-condemned-at-nuremberg")
    assert graph.value(iri("claim/nuremberg-comparison"), J20.comparedWith) == crimes
    assert graph.value(crimes, J20.condemnedAt) == iri("event/nuremberg-trials")


def test_event_kinds_and_roles_are_neutral_and_judgements_stay_claims(graph):
    kinds = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, J20.eventKind)}
    assert not kinds & {"violent-crackdown", "military-crackdown"}
    assert graph.value(iri("event/violence-before-curfew"), J20.eventKind) == iri("concept/event-kinds/use-of-force")
    assert iri("event/violence-before-curfew") in set(graph.objects(iri("claim/violent-crackdown"), SCHEMA.about))
    entry_roles = {graph.value(p, J20.participantRole) for p in graph.objects(iri("event/entry-of-troops"),
                                                                              J20.hasParticipation)}
    assert iri("concept/participant-roles/perpetrator") not in entry_roles


def test_the_orders_are_direct_as_the_article_says(graph):
    [orders] = [p for p in graph.objects(iri("event/entry-of-troops"), J20.hasParticipation)
                if graph.value(p, J20.participant) == iri("person/mikhail-gorbachev")]
    assert graph.value(orders, J20.participantRole) == iri("concept/participant-roles/direct-orderer")


def test_killing_and_wounding_are_attributed_to_the_soviet_forces_in_general_and_later_killings_to_no_one(graph):
    general = iri("event/killing-and-wounding-by-soviet-forces")
    assert graph.value(general, J20.carriedOutBy) == iri("organization/soviet-forces")
    for event in ("killings-in-baku-after-curfew", "killings-in-regions-without-curfew", "killings-in-neftchala",
                  "killings-in-lankaran"):
        assert not list(graph.objects(iri(f"event/{event}"), J20.hasParticipation)), event


def test_the_special_and_internal_troops_are_part_of_the_soviet_forces(facts_graph):
    troops = iri("organization/special-and-internal-soviet-troops")
    assert facts_graph.value(troops, SCHEMA.parentOrganization) == iri("organization/soviet-forces")


def test_the_military_intervention_is_a_phase_not_another_name_for_the_whole(graph):
    tragedy = iri("event/20-january-tragedy")
    assert "the military intervention" not in {str(n).lower() for n in graph.objects(tragedy, SCHEMA.alternateName)}
    intervention = iri("event/military-intervention")
    assert graph.value(intervention, SCHEMA.superEvent) == tragedy
    assert set(graph.objects(intervention, SCHEMA.subEvent)) == {iri("event/entry-of-troops"),
                                                                 iri("event/violence-before-curfew")}


def test_no_schema_org_term_is_used_outside_its_domain_and_range_here(graph):
    counts = set(graph.subjects(RDF.type, J20.Count))
    assert not [c for c in counts if graph.value(c, SCHEMA.location) is not None]
    assert not list(graph.subject_objects(SCHEMA.actor))
    assert not list(graph.subject_objects(SCHEMA.isBasedOn))
    assert not [v for v in graph.objects(None, SCHEMA.startDate) if v.datatype == XSD.gYear]


def _editorial_properties(ontology_graph):
    return set(ontology_graph.subjects(RDF.type, J20.EditorialProperty))


def test_every_triple_says_by_itself_whether_it_is_a_sources_or_the_editors(rendered, ontology):
    """In the flat union, without the named graphs: the editors' triples are exactly those with an editorial
    property or a subject under editorial/ or quantity/ (the editors' reported quantities and the build's summaries
    of them), or the editors themselves."""
    editorial_props = _editorial_properties(ontology)
    assert {J20.editorialSameAs, J20.editorialStartDate, J20.editorialLatitude, J20.editorialLabel} <= editorial_props
    editors = iri("organization/january20-editors")

    def editors_by_itself(s, p, o) -> bool:
        return (p in editorial_props or str(s).startswith((BASE + "editorial/", BASE + "quantity/"))
                or s == editors)

    graphs = rendered.built.graphs
    assert all(editors_by_itself(*t) for t in graphs["editorial"])
    assert not any(editors_by_itself(*t) for t in graphs["facts"])


def test_the_article_is_never_seen_dating_the_events_in_the_flat_download(graph):
    assert not list(graph.subject_objects(SCHEMA.startDate)) and not list(graph.subject_objects(SCHEMA.endDate))
    assert graph.value(iri("event/entry-of-troops"), J20.editorialStartDate) == Literal("1990-01-19",
                                                                                         datatype=XSD.date)


def test_resolved_dates_rest_on_a_cited_sources_citation_with_a_check_date(editorial_graph, graph):
    dated = [s for s in editorial_graph.subjects(RDF.predicate, J20.editorialStartDate)]
    assert len(dated) == 3
    for statement in dated:
        [origin] = editorial_graph.objects(statement, PROV.wasDerivedFrom)
        assert (origin, RDF.type, J20.Citation) in graph, statement
        assert editorial_graph.value(statement, URIRef("http://purl.org/dc/terms/date")) is not None, statement
        assert "gives no year" in str(editorial_graph.value(statement, J20.evidence))


def test_the_soviet_forces_are_the_units_only_in_the_editors_reading(facts_graph, editorial_graph):
    forces, units = iri("organization/soviet-forces"), iri("organization/soviet-military-units")
    assert not set(facts_graph.predicates(forces, units)) and not set(facts_graph.predicates(units, forces))
    assert (forces, J20.editorialCoreference, units) in editorial_graph


def test_the_regions_coordinates_say_they_are_the_towns(editorial_graph):
    for region in ("neftchala", "lankaran"):
        [statement] = [s for s in editorial_graph.subjects(RDF.predicate, J20.editorialLatitude)
                       if editorial_graph.value(s, RDF.subject) == iri(f"place/{region}")]
        evidence = str(editorial_graph.value(statement, J20.evidence))
        assert "calls" in evidence and "region" in evidence and "town" in evidence, evidence


def test_the_150_martyrs_carry_a_caveat_that_the_article_does_not_reconcile_them_with_the_131(graph):
    notes = set(graph.subjects(J20.noteOn, iri("count/remembered-as-martyrs")))
    assert [n for n in notes if (n, J20.noteOn, iri("count/killed-total")) in graph
            and "does not reconcile" in str(graph.value(n, RDFS.comment))]


def test_the_death_tolls_gap_is_recorded_as_a_derived_node_not_only_in_the_report(editorial_graph, facts_graph):
    [gap] = editorial_graph.subjects(J20.discrepancyIn, iri("count/killed-total"))
    assert str(gap).startswith(BASE + "editorial/")
    assert [int(editorial_graph.value(gap, p)) for p in (J20.sumOfParts, J20.statedTotal, J20.difference)] == [
        111, 131, 20]
    assert editorial_graph.value(gap, PROV.wasGeneratedBy) is not None
    assert not list(facts_graph.subjects(RDF.type, J20.CountDiscrepancy))


def test_the_gap_warning_names_the_count_as_its_focus_node(rendered):
    [warning] = [w for w in rendered.report.warnings if w.shape.endswith("#PartsBelowTotalShape")]
    assert warning.focus == iri("count/killed-total") == warning.subject
