"""People, organisations, armed forces and groups, and the roles people held at a given time."""

from __future__ import annotations

from rdflib.namespace import PROV, RDF

from january20.names import J20, SCHEMA
from january20.graph.builders.context import Context, Triple

AGENT_TYPES = {
    "person": (SCHEMA.Person, PROV.Person),
    "organization": (SCHEMA.Organization, PROV.Organization),
    "government": (SCHEMA.GovernmentOrganization, PROV.Organization),
    "news-media": (SCHEMA.NewsMediaOrganization, PROV.Organization),
    "armed-force": (J20.ArmedForce, PROV.Organization),
    "group": (J20.AgentGroup, PROV.Agent),
}


def build_agents(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("agents"):
        agent = ctx.iri(record["id"])
        triples += [(agent, RDF.type, t) for t in AGENT_TYPES[record["kind"]]]
        if record["kind"] != "person":
            triples.append((agent, RDF.type, SCHEMA.Organization))
        triples += ctx.named(agent, record["name"])
        if "parent" in record:
            triples.append((agent, SCHEMA.parentOrganization, ctx.iri(record["parent"])))
        if "territory" in record:
            triples.append((agent, J20.territory, ctx.iri(record["territory"])))
        triples += [(agent, J20.drawnFrom, ctx.iri(o)) for o in record.get("drawn_from", [])]
        triples += ctx.derived(agent, record["quote"])
    return triples


def build_groups(ctx: Context) -> list[Triple]:
    triples: list[Triple] = []
    for record in ctx.facts.records("groups"):
        group = ctx.iri(record["id"])
        triples.append((group, RDF.type, J20.PersonGroup))
        triples += ctx.named(group, record["name"])
        triples += ctx.derived(group, record["quote"])
    return triples


def build_roles(ctx: Context) -> list[Triple]:
    """A role is a node (n-ary), so that who held it, of what and when travel together with their quote."""
    triples: list[Triple] = []
    for record in ctx.facts.records("roles"):
        role = ctx.iri(record["id"])
        of_name = ctx.names_of.get(record["of"], record["of"])
        triples += [
            (role, RDF.type, J20.RoleHolding),
            (role, RDF.type, SCHEMA.Role),
            (role, SCHEMA.roleName, ctx.text(record["role"])),
            (role, J20.holder, ctx.iri(record["holder"])),
            (role, J20.roleIn, ctx.iri(record["of"])),
            (role, J20.heldDuring, ctx.iri(record["during"])),
        ]
        triples += ctx.named(role, f"{record['role']} of {of_name}: {ctx.names_of[record['holder']]}")
        triples += ctx.derived(role, record["quote"])
    return triples
