"""Events and their phases: what happened, where, when (as stated), to whom, and who took part in which role."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from january20.sources.facts import MONTH_DAY
from january20.names import J20, SCHEMA
from january20.graph.builders.context import Context, Triple

# A participation also yields one plain triple on the event, for consumers that want who without the role node:
# j20:orderedBy for those on whose orders it happened, j20:carriedOutBy for everyone else. (Not schema:actor,
# which is a performer in a film or play, for persons only.)
ROLE_SHORTCUT = {"orderer": J20.orderedBy, "direct-orderer": J20.orderedBy}


def stated_date_type(value: str) -> URIRef:
    """--MM-DD is an xsd:gMonthDay (the article gives no year), YYYY an xsd:gYear."""
    return XSD.gMonthDay if MONTH_DAY.match(value) else XSD.gYear


def build_events(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("events"):
        event = ctx.iri(record["id"])
        triples += [(event, RDF.type, SCHEMA.Event),
                    (event, J20.eventKind, ctx.concept("event-kinds", record["kind"]))]
        triples += ctx.named(event, record["name"])
        triples += [(event, SCHEMA.alternateName, ctx.text(n)) for n in record.get("alternate_names", [])]
        if "part_of" in record:
            parent = ctx.iri(record["part_of"])
            triples += [(event, SCHEMA.superEvent, parent), (parent, SCHEMA.subEvent, event)]
        triples += [(event, SCHEMA.location, ctx.iri(p)) for p in record.get("places", [])]
        if record.get("place_not_stated"):
            triples.append((event, J20.notStated, SCHEMA.location))
        triples += _dates(ctx, event, record)
        if "time_of_day" in record:
            triples.append((event, J20.statedTimeOfDay, ctx.text(record["time_of_day"])))
        if "stated_time" in record:
            triples.append((event, J20.statedTime, ctx.text(record["stated_time"])))
        for field, prop in (("before", J20.before), ("after", J20.after), ("condemned_at", J20.condemnedAt)):
            if field in record:
                triples.append((event, prop, ctx.iri(record[field])))
        triples += [(event, J20.commemorates, ctx.iri(x)) for x in record.get("commemorates", [])]
        triples += [(event, J20.notInEffectIn, ctx.iri(p)) for p in record.get("not_in_effect_in", [])]
        triples += [(event, J20.targetPopulation, ctx.concept("counted-things", t)) for t in record.get("targets", [])]
        triples += [(event, J20.victimsIncluded, ctx.concept("victim-groups", v))
                    for v in record.get("victims_included", [])]
        triples += [(event, J20.statedInstrument, ctx.text(i)) for i in record.get("instruments", [])]
        triples += _participations(ctx, event, record)
        triples += ctx.derived(event, record["quote"])
    return triples


def _dates(ctx: Context, event, record: dict) -> list[Triple]:
    triples: list[Triple] = []
    for field, prop in (("stated_date", J20.statedDate), ("stated_start", J20.statedStartDate),
                        ("stated_end", J20.statedEndDate)):
        if field in record:
            value = record[field]["value"]
            literal = ctx.literal(value, stated_date_type(value))
            triples.append((event, prop, literal))
            triples += ctx.derived(event, record[field]["quote"])
            # Not also schema:startDate/endDate: those expect a Date or DateTime, and a bare year is neither.
    if record.get("year_not_stated"):
        triples.append((event, J20.notStated, SCHEMA.startDate))
    return triples


def _participations(ctx: Context, event, record: dict) -> list[Triple]:
    triples: list[Triple] = []
    for p in record.get("participants", []):
        node = ctx.names.part(event, "participation", p["agent"], p["role"])
        agent = ctx.iri(p["agent"])
        triples += [
            (node, RDF.type, J20.Participation),
            (node, J20.inEvent, event),
            (node, J20.participant, agent),
            (node, J20.participantRole, ctx.concept("participant-roles", p["role"])),
            (event, J20.hasParticipation, node),
            (event, ROLE_SHORTCUT.get(p["role"], J20.carriedOutBy), agent),
        ]
        role_label = ctx.concept_label("participant-roles", p["role"])
        triples += ctx.named(node, f"{ctx.names_of[p['agent']]} as {role_label} in: {record['name']}")
        triples += ctx.derived(node, p["quote"])
    return triples
