"""A fast SHACL validator for the subset of SHACL our shapes use, producing exactly pySHACL's report.

pySHACL is the reference (W3C-conformant, and what the report format follows), but it evaluates every constraint
through rdflib one focus node at a time and parses every SPARQL query with rdflib's pure-Python parser, again for
every focus node: a second and a half on the seed, a minute at 100 sources, hopeless at 1,000. This package
evaluates the same shapes in linear time:

- :mod:`.shapes` reads the shapes graph once into a model, and refuses (:class:`Unsupported`) any SHACL feature it
  does not implement, so that the caller can run pySHACL instead;
- :mod:`.data` looks the data up through rdflib's own in-memory indexes, with the ontology's class and property
  axioms mixed in the way pySHACL mixes its ``ont_graph`` into a copy of the data;
- :mod:`.engine` follows pySHACL's evaluation step by step (focus nodes, value nodes, nested shapes, which failures
  count against conformance), so that the report has the same results, messages and
  ``sh:detail`` nodes;
- :mod:`.sparql` runs SHACL-SPARQL constraints and targets on pyoxigraph, each query once over the whole graph
  where that gives the same answer as pre-binding ``$this`` to each focus node;
- :mod:`.report` builds pySHACL's report graph (and its default messages for shapes without ``sh:message``).

:func:`validate` returns ``(conforms, report_graph)`` like ``pyshacl.validate`` does, or raises Unsupported.
"""

from __future__ import annotations

from january20.shacl.common import Unsupported, collector_paused
from january20.shacl.data import DataView
from january20.shacl.engine import Engine
from january20.shacl.report import build_report
from january20.shacl.shapes import ShapesModel

__all__ = ["Unsupported", "collector_paused", "data_view", "validate"]


def validate(data, shapes, ontology=None, view=None):
    """Validate ``data`` (an rdflib Graph, or a collection of triples) with the rdflib graph ``shapes``, the
    ontology's axioms mixed in, as ``pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
    inference="none", advanced=True)`` would. ``view`` is ``data_view(data, ontology)`` if the
    caller made it already. Returns ``(conforms, report_graph)``; raises Unsupported."""
    with collector_paused():
        model = ShapesModel(shapes)
        view = view or data_view(data, ontology, shapes)
        conforms, results = Engine(model, view).run()
        return conforms, build_report(shapes, view, conforms, results)


def data_view(data, ontology=None, shapes=None, also_by_object=()):
    """The data as the engine looks it up (see :class:`.data.DataView`), indexed by object up front for what the
    ``shapes`` look up that way (and the predicates ``also_by_object``); raises Unsupported."""
    from rdflib.namespace import RDF, RDFS, SH

    by_object = None
    if shapes is not None:
        by_object = {RDF.type, RDFS.subClassOf, *also_by_object}
        for p in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.inversePath):
            by_object.update(shapes.objects(None, p))
    with collector_paused():
        return DataView(data, ontology, by_object)
