"""The questions the dataset exists to answer, asked in SPARQL over the built graph."""

from __future__ import annotations

from january20.names import PREFIXES

PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def ask(graph, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) if v is not None else "" for v in row) for row in graph.query(PREFIX + query))


def test_how_many_civilians_were_killed_in_total_and_in_which_phases(graph):
    rows = ask(graph, """
        SELECT ?total ?phase ?part WHERE {
          ?t a j20:TotalCount ; schema:value ?total ;
             j20:countedCategory <https://w3id.org/january20/concept/count-categories/killed> .
          ?p j20:partOf ?t ; schema:value ?part ; j20:inEvent ?e . ?e schema:name ?phase }""")
    assert rows == sorted([
        ("131", "Use of force against the civilian population before the curfew", "82"),
        ("131", "Killings in Baku after the curfew", "21"),
        ("131", "Killings in Neftchala and Lankaran, where the curfew was not in place", "8"),
    ])


def test_which_organisations_units_took_part_and_on_whose_orders(graph):
    rows = ask(graph, """
        SELECT ?orderer ?body WHERE {
          ?entry j20:orderedBy ?o ; j20:hasParticipation ?p . ?o schema:name ?orderer .
          ?p j20:participantRole <https://w3id.org/january20/concept/participant-roles/entering-force> ;
             j20:participant ?force . ?force j20:drawnFrom ?b . ?b schema:name ?body }""")
    assert rows == sorted([("Mikhail Gorbachev", b) for b in
                           ("USSR Ministry of Defense", "State Security Committee", "Ministry of Internal Affairs")])


def test_what_happened_in_neftchala_and_when(graph):
    rows = ask(graph, """
        SELECT ?event ?stated ?resolved ?figure WHERE {
          { ?e schema:location <https://w3id.org/january20/place/neftchala> } UNION
          { ?e schema:location ?g . ?g j20:groupMember <https://w3id.org/january20/place/neftchala> }
          ?e schema:name ?event .
          OPTIONAL { ?e j20:statedDate ?stated }
          OPTIONAL { ?e j20:editorialStartDate ?resolved }
          OPTIONAL { ?e j20:hasCount ?c . ?c schema:value ?figure } }
        """)
    assert ("Killings in Neftchala", "--01-25", "1990-01-25", "") in rows
    assert ("Killings in Neftchala and Lankaran, where the curfew was not in place", "", "", "8") in rows


def test_which_counts_are_parts_of_which_totals_and_what_the_parts_add_up_to(graph):
    rows = ask(graph, """
        SELECT ?total (SUM(?part) AS ?sum) WHERE {
          ?p j20:partOf ?t ; schema:value ?part . ?t schema:value ?total } GROUP BY ?total""")
    assert rows == [("131", "111")]


def test_which_statements_rest_on_a_given_sentence(graph):
    rows = ask(graph, """
        SELECT DISTINCT ?thing WHERE {
          ?s j20:sentenceNumber 9 . ?x j20:inSentence ?s . ?node prov:wasDerivedFrom ?x . ?node rdfs:label ?thing .
          FILTER(lang(?thing) = "en") }""")
    things = [r[0] for r in rows]
    assert "21 civilians killed (Killings in Baku after the curfew)" in things
    assert "Neftchala" in things and "Lankaran" in things
    assert not any("Alley of Martyrs" == t for t in things)
