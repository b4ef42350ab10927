"""SHACL-SPARQL constraints and targets, run by pyoxigraph on the data loaded once.

pySHACL runs a constraint's query once per focus node, with ``$this`` pre-bound, through rdflib. Here a query runs
as few times as gives the same answer:

- ``$this`` only selected (and grouped by), not used in the pattern: the answer does not depend on the focus node,
  so the query runs once, its rows shared by every focus node (the checks anchored on a class, such as
  ``sh:targetNode j20:Count``);
- ``$this`` only in the top-level group of the pattern, selected, no aggregates, modifiers or sub-groups using it:
  pre-binding is the same as joining with ``VALUES ?this { ... }`` at the start of the pattern, so the query runs
  once for all focus nodes and each row goes to the focus node it binds;
- anything else: once per focus node, ``$this`` substituted by pyoxigraph (``substitutions``, SEP-0007).

The data goes in as N-Triples written here (blank nodes keep their labels, so that results map back to rdflib's
nodes). pyoxigraph stores numbers, dates and booleans in canonical form ("1.50" becomes "1.5"); rdflib keeps the
form it was given, so a query could see different literals than pySHACL's: such data goes to pySHACL (Unsupported).
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from january20.shacl.common import Unsupported

XSD_NS = str(XSD)
XSD_STRING = str(XSD.string)
_MASKED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_THIS = re.compile(r"[?$]this\b")
_THIS_USE = re.compile(r"\bbound\s*\(\s*[?$]this\s*\)|[?$]this\b", re.I)
_MODIFIERS = re.compile(r"\b(GROUP|HAVING|ORDER|LIMIT|OFFSET)\b", re.I)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b(.*?)(?=\b(?:HAVING|ORDER|LIMIT|OFFSET)\b|$)", re.I | re.S)
CHUNK = 2000
_EVERY_SUBJECT = re.compile(r"\s*(?i:SELECT)\s+(?:(?i:DISTINCT|REDUCED)\s+)?[?$]this\s+(?:(?i:WHERE)\s*)?"
                            r"\{\s*[?$]this\s+[?$](\w+)\s+[?$](\w+)\s*\.?\s*\}\s*")


def _escape(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


class SparqlRunner:
    """The data in a pyoxigraph store (made on first use), and SELECTs over it with rdflib terms out."""

    def __init__(self, view):
        self.view = view
        self._store = None
        self._blank_in: dict = {}   # rdflib blank node -> label in the store
        self._blank_out: dict = {}  # label -> rdflib blank node
        self._typed_strings = False

    # ------------------------------------------------------------------ loading

    def store(self):
        if self._store is None:
            self._store = self._load()
        return self._store

    def _load(self):
        import pyoxigraph as ox

        view = self.view
        typed: dict = {}  # (lexical form, XSD datatype) of every typed literal, numbered
        lines: list[str] = []
        blank_lines: list[str] = []
        store = ox.Store()

        def note(lex: str, dt: str) -> None:
            if dt.startswith(XSD_NS):
                if dt == XSD_STRING:
                    self._typed_strings = True
                else:
                    typed.setdefault((lex, dt), len(typed))

        def term(node) -> str:
            kind = type(node)
            if kind is URIRef:
                return f"<{node}>"
            if kind is Literal:
                lex = str.__str__(node)
                lang = node.language
                if lang:
                    return f'"{_escape(lex)}"@{lang}'
                dt = node.datatype
                if dt is None:
                    return f'"{_escape(lex)}"'
                dt = str(dt)
                note(lex, dt)
                return f'"{_escape(lex)}"^^<{dt}>'
            if kind is BNode or isinstance(node, BNode):
                label = self._blank_in.get(node)
                if label is None:
                    label = self._blank_in[node] = f"b{len(self._blank_in)}"
                    self._blank_out[label] = node
                return f"_:{label}"
            raise Unsupported(f"a term of type {kind.__name__} in the data")

        def flush() -> None:
            if lines:
                try:
                    # lenient: rdflib took these IRIs; a line pyoxigraph cannot split still fails
                    store.load("".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES, lenient=True)
                except (SyntaxError, ValueError) as exc:
                    raise Unsupported(f"data pyoxigraph cannot read ({exc})") from None
                lines.clear()

        for index in (view.spo, view.extra_spo):
            for s, po in index.items():
                s_text = term(s)
                s_blank = type(s) is not URIRef and isinstance(s, BNode)
                for p, objects in po.items():
                    prefix = f"{s_text} <{p}> "
                    for o in objects:
                        if type(o) is URIRef and not s_blank:
                            lines.append(f"{prefix}<{o}> .\n")
                        else:
                            line = f"{prefix}{term(o)} .\n"
                            (blank_lines if s_blank or (type(o) is not Literal and isinstance(o, BNode))
                             else lines).append(line)
                if len(lines) > 50000:
                    flush()
        flush()
        if blank_lines:  # keep the labels, so that a result's blank node is the data's
            quads = ox.parse("".join(blank_lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False)
            store.extend(quads)
        _check_canonical(typed)
        return store

    # ------------------------------------------------------------------ queries

    def _prefixes(self) -> dict:
        return {p: str(ns) for p, ns in self.view.namespace_manager.namespaces()}

    def select(self, text: str, substitutions: dict | None = None) -> tuple[list, list]:
        """(variable names, rows as {name: rdflib term} of the bound ones, in the order selected)."""
        import pyoxigraph as ox

        try:
            solutions = self.store().query(text, prefixes=self._prefixes(), substitutions=substitutions)
        except SyntaxError as exc:
            raise Unsupported(f"a query pyoxigraph cannot run ({exc})") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise Unsupported("a SPARQL query that is not a SELECT")
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = self._term(value)
            rows.append(row)
        return names, rows

    def _term(self, value):
        import pyoxigraph as ox

        if isinstance(value, ox.NamedNode):
            return URIRef(value.value)
        if isinstance(value, ox.Literal):
            if value.language:
                return Literal(value.value, lang=value.language)
            dt = value.datatype.value
            if dt == XSD_STRING:
                if self._typed_strings:
                    raise Unsupported("data with explicit xsd:string literals, which rdflib and pyoxigraph tell "
                                      "apart differently")
                return Literal(value.value)
            return Literal(value.value, datatype=URIRef(dt))
        if isinstance(value, ox.BlankNode):
            node = self._blank_out.get(value.value)
            if node is None:
                raise Unsupported("a query that makes blank nodes")
            return node
        raise Unsupported(f"a query result of type {type(value).__name__}")

    def _ox(self, node):
        import pyoxigraph as ox

        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            self.store()
            label = self._blank_in.get(node)
            return ox.BlankNode(label) if label else ox.BlankNode()
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))
        raise Unsupported(f"a focus node of type {type(node).__name__}")

    def targets(self, query) -> set:
        """The focus nodes a SPARQL target selects (its ``?this``)."""
        if _selects_every_subject(query.select):
            # Every node with a property: the view has them as keys, with no query and no terms to convert.
            view = self.view
            return {s for index in (view.spo, view.extra_spo) for s, po in index.items() if any(po.values())}
        names, rows = self.select(query.text())
        if "this" not in names or any("this" not in row for row in rows):
            raise Unsupported("a SPARQL target that does not bind ?this in every row")
        return {row["this"] for row in rows}

    # ------------------------------------------------------------------ constraints

    def violations(self, query, focus: list) -> list:
        """For each focus node, pySHACL's violations of the query: (this, path, value, other bindings)."""
        plan, body_start, selected = _plan(query.select)
        per_focus: list = [[] for _ in focus]
        if plan == "once":
            _, rows = self.select(query.text())
            for i, f in enumerate(focus):
                per_focus[i] = [dict(row, this=f) if selected else dict(row) for row in rows]
        else:
            by_node = {}
            singles = []
            for i, f in enumerate(focus):
                if plan == "values" and not isinstance(f, BNode):
                    by_node.setdefault(f, []).append(i)
                else:
                    singles.append(i)
            nodes = list(by_node)
            for start in range(0, len(nodes), CHUNK):
                chunk = nodes[start:start + CHUNK]
                values = "VALUES ?this { " + " ".join(self._sparql_term(n) for n in chunk) + " }\n"
                text = query.select[:body_start + 1] + "\n" + values + query.select[body_start + 1:]
                prefixes = query.text()[:-len(query.select)]
                _, rows = self.select(prefixes + text)
                for row in rows:
                    for i in by_node.get(row.get("this"), ()):
                        per_focus[i].append(row)
            for i in singles:
                per_focus[i] = self._prebound(query, focus[i])
        return [_violations(rows) for rows in per_focus]

    def _prebound(self, query, node) -> list:
        """The query's rows with $this pre-bound to ``node``, as SHACL (and pySHACL) pre-binds: pyoxigraph's
        substitution binds the variable as a join would, unseen by a FILTER in a nested group, so every use of
        $this in the pattern is replaced by the term itself; the substitution binds the selected one."""
        text = query.text()
        masked = _MASKED.sub(lambda m: " " * len(m.group(0)), query.select)
        start, end = _pattern(masked)
        uses = list(_THIS_USE.finditer(masked, start, end)) if start >= 0 else []  # in the pattern, not GROUP BY
        if uses:
            if isinstance(node, BNode):
                raise Unsupported("$this pre-bound to a blank node in a query's pattern")
            term, pieces, last = self._sparql_term(node), [], 0
            for m in uses:  # bound($this) is true, and takes no term
                pieces += [query.select[last:m.start()], term if m.group(0)[0] in "?$" else "true"]
                last = m.end()
            text = text[:len(text) - len(query.select)] + "".join(pieces) + query.select[last:]
        _, rows = self.select(text, {_variable("this"): self._ox(node)})
        return rows

    def _sparql_term(self, node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if node.language:
            return f'"{_escape(str(node))}"@{node.language}'
        if node.datatype is not None:
            return f'"{_escape(str(node))}"^^<{node.datatype}>'
        return f'"{_escape(str(node))}"'


def _selects_every_subject(select: str) -> bool:
    """Whether the query is ``SELECT [DISTINCT] ?this [WHERE] { ?this ?p ?o [.] }`` (comments aside, any two other
    variables): its answer is every subject of the data."""
    if any(not m.group(0).startswith("#") for m in _MASKED.finditer(select)):
        return False  # it has an IRI or a string
    found = _EVERY_SUBJECT.fullmatch(_MASKED.sub(" ", select))
    return found is not None and len({"this", found.group(1), found.group(2)}) == 3


def _check_canonical(typed: dict) -> None:
    """Raise Unsupported if pyoxigraph stores any of these typed literals in another form than rdflib's (it keeps
    numbers, dates and booleans in canonical form: "1.50"^^xsd:decimal comes back as "1.5")."""
    import pyoxigraph as ox

    if not typed:
        return
    lines = "".join(f'<urn:x-literal:{n}> <urn:x-literal:is> "{_escape(lex)}"^^<{dt}> .\n'
                    for (lex, dt), n in typed.items())
    store = ox.Store()
    store.load(lines.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    lexical = {n: lex for (lex, _), n in typed.items()}
    for quad in store:
        n = int(quad.subject.value.rsplit(":", 1)[1])
        if quad.object.value != lexical[n]:
            raise Unsupported(f'a literal pyoxigraph stores in another form ("{lexical[n]}" as '
                              f'"{quad.object.value}")')


def _variable(name: str):
    import pyoxigraph as ox

    return ox.Variable(name)


def _violations(rows: list) -> list:
    """pySHACL's reading of a constraint's rows (``SPARQLBasedConstraint._validate_sparql_query``)."""
    found = []
    for row in rows:
        bindings = dict(row)
        if bindings.pop("failure", None) is not None:
            raise Unsupported("a SPARQL constraint that reports ?failure")
        p = bindings.pop("path", None)
        v = bindings.pop("value", None)
        t = bindings.pop("this", None)
        if p is not None or v is not None or t is not None:
            item = (t, p, v, bindings)
            if item not in found:
                found.append(item)
    return found


def _pattern(masked: str) -> tuple[int, int]:
    """Where the query's pattern (its outermost braces) opens and closes in ``masked``; -1 if it does not."""
    start, depth = masked.find("{"), 0
    for pos in range(max(start, 0), len(masked) if start >= 0 else 0):
        depth += {"{": 1, "}": -1}.get(masked[pos], 0)
        if depth == 0:
            return start, pos
    return -1, -1


def _plan(select: str) -> tuple[str, int, bool]:
    """How to run a constraint's query: ("once" | "values" | "each", where its pattern opens, $this selected)."""
    masked = _MASKED.sub(lambda m: " " * len(m.group(0)), select)
    start = masked.find("{")
    if start < 0:
        return "each", -1, False
    depth, end, level = 0, -1, []
    for pos in range(start, len(masked)):
        ch = masked[pos]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                end = pos
                break
        level.append(depth)
    if end < 0:
        return "each", start, False
    head, tail = masked[:start], masked[end + 1:]
    selected = False
    for m in _THIS.finditer(head):
        if head[:m.start()].count("(") != head[:m.start()].count(")"):
            return "each", start, False  # used in an expression of the projection
        selected = True
    if "*" in head and not selected:
        return "each", start, False
    group_by = _GROUP_BY.search(tail)
    tail_rest = tail[:group_by.start(1)] + tail[group_by.end(1):] if group_by else tail
    if _THIS.search(tail_rest) or (group_by and "(" in group_by.group(1)):
        return "each", start, False
    uses = [m.start() for m in _THIS.finditer(masked, start, end)]
    if not uses:
        return "once", start, selected
    top_level = all(level[pos - start] == 1 for pos in uses)
    if top_level and selected and "(" not in head and not _MODIFIERS.search(tail):
        return "values", start, selected
    return "each", start, selected
