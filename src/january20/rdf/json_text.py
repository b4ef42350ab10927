"""JSON text as every JSON-LD output is laid out, and RDF terms as expanded JSON-LD values.

Shared by the pyld path (:mod:`january20.rdf.jsonld`) and our own compactor and framer, so that both write the same
bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

_NATIVE = {XSD.integer, XSD.boolean}
_INTEGERS = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}


def _json_value(term: URIRef | Literal) -> dict[str, Any]:
    if type(term) is URIRef or isinstance(term, URIRef):
        return {"@id": str(term)}
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype in _NATIVE:
        return {"@value": term.toPython()}
    if term.datatype in _INTEGERS and re.fullmatch(r"0|[1-9][0-9]*", str(term)):
        # A JSON number with its datatype: compacts to a bare number where the context coerces the type, and turns
        # back into the same literal, because the lexical form is canonical.
        return {"@value": int(str(term)), "@type": str(term.datatype)}
    if term.datatype is not None and term.datatype != XSD.string:
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def _readable_order(value: Any) -> Any:
    """Keys in an order a reader can scan: ``@context``, ``id``, ``type``, then the rest alphabetically.

    pyld emits properties in the order of their full IRIs, which scatters related keys; key order carries no
    meaning in JSON-LD, so reordering changes nothing but legibility. The context keeps its curated order.
    """
    if isinstance(value, list):
        return [_readable_order(v) for v in value]
    if not isinstance(value, dict):
        return value
    first = [k for k in ("@context", "id", "@id", "@value", "type", "@type", "@language") if k in value]
    rest = sorted(k for k in value if k not in first)
    return {k: value[k] if k == "@context" else _readable_order(value[k]) for k in first + rest}


def indented_json(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``, the same text in half the time.

    Python's json module writes indented JSON with its pure-Python encoder (its C one cannot indent), through a chain
    of generators per value; this writes the same layout directly, with the C string escaper. Anything but str, int,
    float, bool, None and lists and str-keyed dicts of them is handed to json.dumps. The serialisations and the
    site's pages use it; ``tests/test_outputs_unchanged_by_fast_writers.py`` and ``tests/test_site_at_scale.py``
    compare it with json.dumps.
    """
    out: list[str] = []
    try:
        _write_json(value, " " * indent, "\n", out)
    except TypeError:
        return json.dumps(value, indent=indent, ensure_ascii=False)
    return "".join(out)


def _write_json(value: Any, step: str, newline: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + step
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(key)
            if type(item) is str:  # most values: written here rather than in a call of their own
                out.append(f"{separator}{_json_string(key)}: {_json_string(item)}")
            else:
                out.append(f"{separator}{_json_string(key)}: ")
                _write_json(item, step, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(separator + _json_string(item))
            else:
                out.append(separator)
                _write_json(item, step, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value == value and value not in (_INFINITY, -_INFINITY):
        out.append(float.__repr__(value))
    else:  # NaN and infinities, subclasses, tuples, and what json.dumps refuses: its own way
        raise TypeError(value)


_json_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False (C where available)
_INFINITY = float("inf")


def jsonld_bytes(document: dict[str, Any]) -> bytes:
    """How every JSON-LD output is laid out: keys in :func:`_readable_order`, two-space indentation, except the
    inlined context, one term a line as in the context file."""
    body = _readable_order(document)
    context = body.pop("@context")
    terms = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in context.items())
    rest = indented_json(body)
    head = f'{{\n  "@context": {{\n{terms}\n  }}'
    text = head + ("\n}" if rest == "{}" else ",\n" + rest[2:])
    return (text + "\n").encode("utf-8")
