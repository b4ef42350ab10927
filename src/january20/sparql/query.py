"""SPARQL over the built dataset: the query catalogue, an embedded engine, and the results formats.

The engine is pyoxigraph (a real SPARQL 1.1 engine, no server). Queries run over the union of the dataset's named
graphs, which is what the published ``.ttl`` and ``.nt`` files hold, so a catalogue query gives the same answer on
the TriG in an embedded store, on the Turtle in rdflib and on the N-Triples in Virtuoso.

Nothing here imports rdflib or pyshacl: ``january20 query`` starts fast.

Results have one *normal form*, used for the catalogue's expected results and for comparing engines: a TSV table
whose header names the variables (``?name``) and whose rows are sorted, each value an N-Triples term with the
language tag lower-cased (BCP 47 tags are case-insensitive and Virtuoso and Oxigraph lower-case them) and
``xsd:string`` written as a plain literal (RDF 1.1). An ASK result is a one-column table ``?boolean``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape, quoteattr

from january20.errors import January20Error, Problem

CATALOGUE_DIR = Path(__file__).resolve().parent / "queries"
EXPECTED_SUFFIX = ".expected.tsv"
FORMATS = ("table", "csv", "tsv", "json", "xml")

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Media types of the SPARQL 1.1 results formats, by format name.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
}


class QueryError(January20Error):
    """A query that cannot be run: malformed, an update, federated, or naming no catalogue query."""


class UpdateRefused(QueryError):
    """A SPARQL update sent to this read-only service."""


class FederationRefused(QueryError):
    """A query with a SERVICE clause, which would make the engine fetch a remote endpoint."""


class ResultTooLarge(QueryError):
    """A result with more rows than the caller allows."""


# ---------------------------------------------------------------------------------------------------------------
# Terms: one engine-independent representation for IRIs, blank nodes and literals.


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term as results carry it: ``kind`` is ``uri``, ``bnode`` or ``literal``."""

    kind: str
    value: str
    datatype: str | None = None  # literals only; None for plain (xsd:string) and language-tagged literals
    language: str | None = None  # lower-cased

    @staticmethod
    def literal(value: str, datatype: str | None = None, language: str | None = None) -> "Term":
        if language:
            return Term("literal", value, None, language.lower())
        if datatype in (XSD_STRING, RDF_LANGSTRING):
            datatype = None
        return Term("literal", value, datatype or None, None)

    def n3(self) -> str:
        """The term in N-Triples syntax (tabs and newlines escaped, so it fits on one TSV line)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = f'"{escape_literal(self.value)}"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_literal(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


# Characters that would act on a terminal rather than be shown by it: the C0 and C1 controls and DEL (escape
# sequences start with ESC, or with the one-byte CSI), the bidirectional overrides that reorder what follows, and
# the Unicode line separators.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``), for output meant for people: the query table, the server's log."""
    return _TERMINAL_UNSAFE.sub(lambda m: _SHORT_ESCAPES.get(m.group()) or (
        f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"), text)


def term_from_oxigraph(term) -> Term | None:
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term.literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported term in results: {term!r}")


def term_from_rdflib(term) -> Term | None:
    """Convert an rdflib term (used by the engine-comparison tests; rdflib is imported by the caller)."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "URIRef":
        return Term("uri", str(term))
    if kind == "BNode":
        return Term("bnode", str(term))
    if kind == "Literal":
        return Term.literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"unsupported term in results: {term!r}")


def term_from_json(binding: dict) -> Term:
    """Convert one SPARQL JSON results binding, including Virtuoso's older ``typed-literal``."""
    kind = binding["type"]
    if kind == "uri":
        return Term("uri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    if kind in ("literal", "typed-literal"):
        return Term.literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))
    raise ValueError(f"unknown binding type {kind!r}")


# ---------------------------------------------------------------------------------------------------------------
# Results.


@dataclass
class Results:
    """A SELECT or ASK result (``boolean`` set for ASK), or a graph (``triples`` set for CONSTRUCT/DESCRIBE)."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] | None = None

    @property
    def kind(self) -> str:
        if self.triples is not None:
            return "graph"
        return "ask" if self.boolean is not None else "select"

    @classmethod
    def from_sparql_json(cls, document: dict) -> "Results":
        """Read a SPARQL 1.1 JSON results document (as any endpoint returns it)."""
        if "boolean" in document:
            return cls(boolean=bool(document["boolean"]))
        variables = list(document["head"]["vars"])
        rows = [[term_from_json(b[v]) if v in b else None for v in variables]
                for b in document["results"]["bindings"]]
        return cls(variables, rows)

    def normal_form(self) -> str:
        """The engine-independent text the catalogue's expected results are compared with (see module docstring)."""
        if self.kind == "graph":
            return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.triples))
        if self.kind == "ask":
            return f"?boolean\n{Term.literal('true' if self.boolean else 'false', XSD_BOOLEAN).n3()}\n"
        lines = sorted("\t".join(t.n3() if t is not None else "" for t in row) for row in self.rows)
        return "\t".join(f"?{v}" for v in self.variables) + "\n" + "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------------------------------------------------------
# The catalogue.


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def question(self) -> str:
        """The plain-words question: the comment lines at the top of the file, joined."""
        words = []
        for line in self.text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                break
            words.append(stripped.lstrip("#").strip())
        return " ".join(w for w in words if w)

    @property
    def expected_path(self) -> Path:
        return self.path.with_name(self.name + EXPECTED_SUFFIX)


def catalogue(directory: Path = CATALOGUE_DIR) -> list[CatalogueQuery]:
    """Every catalogue query, sorted by name."""
    return [CatalogueQuery(p.stem, p) for p in sorted(directory.glob("*.rq"))]


def find_query(name: str, directory: Path = CATALOGUE_DIR) -> CatalogueQuery:
    """The catalogue query called ``name``; raises QueryError naming the catalogue if there is none."""
    for query in catalogue(directory):
        if query.name == name:
            return query
    known = ", ".join(q.name for q in catalogue(directory))
    raise QueryError(Problem("query", f"no catalogue query named {name!r} (known: {known})"))


_QUERY_START = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|WITH)\b",
                          re.IGNORECASE)


def resolve_query(query_or_name: str) -> tuple[str, str]:
    """Turn the CLI's QUERY_OR_NAME into ``(sparql_text, label)``.

    A catalogue name wins; then an existing file; then anything that looks like SPARQL is taken as the query text.
    """
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", query_or_name):
        if (CATALOGUE_DIR / f"{query_or_name}.rq").is_file():
            return find_query(query_or_name).text, query_or_name
    path = Path(query_or_name)
    if "\n" not in query_or_name and len(query_or_name) < 4096 and _is_file(path):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(Problem(str(path), f"cannot read the query file: {exc}")) from None
    if _QUERY_START.search(query_or_name):
        return query_or_name, "query"
    find_query(query_or_name)  # raises, listing the catalogue
    raise AssertionError("unreachable")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # query text is not a name: too long for one, or holding a NUL
        return False


# ---------------------------------------------------------------------------------------------------------------
# Refusing what a read-only, offline query service must not do.

# Limits on the query text, checked before the engine sees it: the engine's parser and evaluator recurse, and
# 10,000 nested brackets overflow even a large stack. Far above anything the catalogue needs (depth 3, 87 tokens).
MAX_DEPTH = 256
MAX_TOKENS = 100_000


class QueryTooComplex(QueryError):
    """A query nested too deeply, or too long, for the engine to parse safely."""


def check_read_only(text: str) -> None:
    """Raise QueryError for a query that must not reach the engine, before any engine sees it.

    Refused: a query that does not tokenise as SPARQL 1.1 (see :mod:`january20.sparql.lexer`: it refuses what it
    cannot read with certainty), an update (UpdateRefused), SERVICE (FederationRefused: the embedded engine would
    fetch the remote endpoint), and a query nested deeper than MAX_DEPTH or longer than MAX_TOKENS tokens
    (QueryTooComplex).
    """
    from january20.sparql import lexer

    try:
        scan = lexer.scan(text, MAX_TOKENS)
    except lexer.TooManyTokens:
        raise QueryTooComplex(Problem("query", f"the query has more than {MAX_TOKENS} tokens, the limit; "
                                               "split it, or shorten a long VALUES list")) from None
    except lexer.LexError as exc:
        line, column = lexer.position(text, exc.offset)
        raise QueryError(Problem("query", f"cannot read the query at {line}:{column}: {exc.message}")) from None
    update = scan.update()
    if update:
        raise UpdateRefused(Problem("query", f"SPARQL updates are not accepted ({update.text.upper()}): "
                                          "this is a read-only query service"))
    if scan.federation():
        raise FederationRefused(Problem("query", "SERVICE (federated query) is not supported: queries run on the "
                                          "january20 dataset only"))
    if scan.depth > MAX_DEPTH:
        raise QueryTooComplex(Problem("query", f"the query nests brackets {scan.depth} deep; the limit is "
                                               f"{MAX_DEPTH}"))


# ---------------------------------------------------------------------------------------------------------------
# The embedded engine.

_RDF_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".trig": "TRIG", ".nq": "N_QUADS", ".rdf": "RDF_XML",
                ".owl": "RDF_XML", ".xml": "RDF_XML", ".jsonld": "JSON_LD", ".n3": "N3"}


def default_data_files() -> list[Path]:
    """The built dataset: ``build/january20.trig`` of the project (a checkout, or the copy a wheel carries)."""
    from january20.resources import default_project

    return [default_project().root / "build" / "january20.trig"]


def open_store(paths: Sequence[Path] | None = None):
    """An in-memory pyoxigraph store holding ``paths`` (default: the built dataset).

    Every file goes through :mod:`january20.sources.untrusted` (regular files only; limits on size and triples; RDF/XML
    without a DTD), which loads nothing heavy, so ``january20 query`` still starts without rdflib.

    Raises January20Error naming the file (and line, for a syntax error) of anything that cannot be read.
    """
    import pyoxigraph as ox

    from january20.sources.untrusted import count_triples, max_bytes_default, max_triples_default, read_untrusted

    paths = list(paths) if paths else default_data_files()
    store = ox.Store()
    limit = budget = max_bytes_default()
    triple_limit = triple_budget = max_triples_default()
    for path in paths:
        path = Path(path)
        fmt = _RDF_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise January20Error(Problem(str(path), f"unknown RDF file type {path.suffix!r} (expected one of "
                                                    f"{', '.join(sorted(_RDF_FORMATS))})"))
        if not path.exists():  # anything else that is not a regular file is refused by read_untrusted, unopened
            hint = " (run `january20 build` first, or pass --data)" if path.name == "january20.trig" else ""
            raise January20Error(Problem(str(path), f"no such file{hint}"))
        data = read_untrusted(path, budget, limit)  # size limit; RDF/XML without a DTD (no entity expansion)
        budget -= len(data)
        try:
            # Counted first by the streaming parser, which holds one triple at a time: the store holds them all.
            triple_budget -= count_triples(path, data, fmt, triple_budget, triple_limit)
            store.load(data, format=getattr(ox.RdfFormat, fmt), base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            message = str(exc.args[0]) if exc.args else str(exc)
            raise January20Error(Problem(str(path), message, line=exc.lineno)) from None
        except (OSError, ValueError) as exc:
            raise January20Error(Problem(str(path), f"cannot read: {exc}")) from None
    return store


def run(store, text: str, max_rows: int | None = None, max_bytes: int | None = None) -> Results:
    """Run a read-only SPARQL query over the union of the store's graphs.

    The query is checked first (:func:`check_read_only`), then evaluated on a thread with a large stack (the
    engine recurses). Raises QueryError with the parser's message for a malformed query, an update, a SERVICE
    clause or a query too deep, and ResultTooLarge as soon as the result passes ``max_rows`` rows (or triples) or
    its values pass ``max_bytes`` bytes, without computing the rest.
    """
    from january20.sparql.sandbox import on_big_stack

    check_read_only(text)
    return on_big_stack(lambda: _evaluate(store, text, max_rows, max_bytes))


def _evaluate(store, text: str, max_rows: int | None, max_bytes: int | None) -> Results:
    import pyoxigraph as ox

    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(Problem("query", f"malformed query: {exc.args[0] if exc.args else exc}")) from None
    except (OSError, RuntimeError) as exc:  # evaluation errors the engine reports as I/O, or as its own
        raise QueryError(Problem("query", f"query failed: {exc}")) from None
    if isinstance(answer, ox.QueryBoolean):
        return Results(boolean=bool(answer))
    budget = _Budget(max_rows, max_bytes)
    try:
        if isinstance(answer, ox.QueryTriples):
            return Results(triples=[budget.take(tuple(term_from_oxigraph(t) for t in (triple.subject,
                                                  triple.predicate, triple.object))) for triple in answer])
        variables = [v.value for v in answer.variables]
        return Results(variables, [budget.take([term_from_oxigraph(solution[i]) for i in range(len(variables))])
                                   for solution in answer])
    except (OSError, RuntimeError) as exc:  # evaluation errors surface while iterating
        raise QueryError(Problem("query", f"query failed: {exc}")) from None


class _Budget:
    """Counts rows and the bytes of their values as they come from the engine, and stops at either limit."""

    def __init__(self, max_rows: int | None, max_bytes: int | None):
        self.max_rows, self.max_bytes = max_rows, max_bytes
        self.rows = self.bytes = 0

    def take(self, row):
        self.rows += 1
        if self.max_rows is not None and self.rows > self.max_rows:
            raise ResultTooLarge(Problem("query", f"the result has more than {self.max_rows} rows: add a LIMIT, "
                                                  "or narrow the query"))
        if self.max_bytes is not None:
            # Characters, not encoded bytes: a cheap lower bound, exact for ASCII; the rendered answer is
            # measured in bytes again before it is sent.
            self.bytes += sum(len(t.value) + len(t.datatype or "") for t in row if t is not None)
            if self.bytes > self.max_bytes:
                raise result_too_large(self.max_bytes)
        return row


def result_too_large(max_bytes: int) -> ResultTooLarge:
    return ResultTooLarge(Problem("query", f"the result is larger than the limit of {max_bytes} bytes: add a "
                                           "LIMIT, select fewer or shorter values, or narrow the query"))


def query_files(text: str, paths: Sequence[Path] | None = None) -> Results:
    """Open the dataset (or ``paths``) and run ``text`` over it: the library call behind ``january20 query``.

    The data files are read here (their errors name the file); the query is checked here too, then evaluated in a
    child process without the network (see :mod:`january20.sparql.sandbox`), so that neither a SERVICE the
    check missed nor a crash of the engine reaches this process.
    """
    from january20.sparql.sandbox import run_offline

    store = open_store(paths)
    check_read_only(text)
    results, _why_online = run_offline(lambda: run(store, text))
    return results


# ---------------------------------------------------------------------------------------------------------------
# Output formats.


def _prefixes(text: str) -> list[tuple[str, str]]:
    from january20.sparql import lexer

    try:
        tokens = lexer.scan(text, MAX_TOKENS).tokens
    except lexer.LexError:
        return []
    found = [(name.text[:-1], iri.text[1:-1]) for keyword, name, iri in zip(tokens, tokens[1:], tokens[2:])
             if keyword.kind == "word" and keyword.text.upper() == "PREFIX" and name.kind == "pname"
             and name.text.endswith(":") and iri.kind == "iri"]
    # Longest namespace first, so the most specific prefix wins.
    return sorted(found, key=lambda pair: -len(pair[1]))


def _display(term: Term | None, prefixes: list[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        for prefix, namespace in prefixes:
            local = term.value[len(namespace):]
            if namespace and term.value.startswith(namespace) and re.fullmatch(r"[\w.-]*", local):
                return for_terminal(f"{prefix}:{local}")
        return for_terminal(f"<{term.value}>")
    if term.kind == "bnode":
        return for_terminal(f"_:{term.value}")
    return for_terminal(term.value)


def to_table(results: Results, query_text: str = "") -> str:
    """A plain-text table for people: IRIs shortened with the query's own prefixes, literals as their text."""
    if results.kind == "graph":
        # Still N-Triples, so what a terminal would act on is written as N-Triples' own \uXXXX escape.
        return _TERMINAL_UNSAFE.sub(lambda m: "\n" if m.group() == "\n" else f"\\u{ord(m.group()):04X}",
                                    to_ntriples(results))
    if results.kind == "ask":
        return ("yes" if results.boolean else "no") + "\n"
    prefixes = _prefixes(query_text)
    header = [for_terminal(v) for v in results.variables]
    cells = [[_display(t, prefixes) for t in row] for row in results.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    noun = "row" if len(cells) == 1 else "rows"
    return "\n".join(lines) + f"\n({len(cells)} {noun})\n"


def to_csv(results: Results) -> str:
    """SPARQL 1.1 Query Results CSV: values without datatypes or tags, CRLF line ends."""
    if results.kind == "graph":
        return to_ntriples(results)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if results.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if results.boolean else "false"])
        return out.getvalue()
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return out.getvalue()


def to_tsv(results: Results) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, each value an N-Triples term, rows in the query's order."""
    if results.kind == "graph":
        return to_ntriples(results)
    if results.kind == "ask":
        return results.normal_form()
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines += ["\t".join(t.n3() if t is not None else "" for t in row) for row in results.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict:
    if term.kind == "literal":
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = term.datatype
        return out
    return {"type": term.kind, "value": term.value}


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if results.kind == "graph":
        return to_ntriples(results)
    if results.kind == "ask":
        return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
    bindings = [{v: _json_term(t) for v, t in zip(results.variables, row) if t is not None}
                for row in results.rows]
    return json.dumps({"head": {"vars": results.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def to_xml(results: Results) -> str:
    """SPARQL Query Results XML."""
    if results.kind == "graph":
        return to_ntriples(results)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if results.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if results.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in results.variables]
    out += ["</head>", "<results>"]
    for row in results.rows:
        out.append("<result>")
        for v, t in zip(results.variables, row):
            if t is None:
                continue
            if t.kind == "uri":
                value = f"<uri>{xml_escape(t.value)}</uri>"
            elif t.kind == "bnode":
                value = f"<bnode>{xml_escape(t.value)}</bnode>"
            elif t.language:
                value = f"<literal xml:lang={quoteattr(t.language)}>{xml_escape(t.value)}</literal>"
            elif t.datatype:
                value = f"<literal datatype={quoteattr(t.datatype)}>{xml_escape(t.value)}</literal>"
            else:
                value = f"<literal>{xml_escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{value}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_ntriples(results: Results) -> str:
    return results.normal_form()


def render(results: Results, fmt: str, query_text: str = "") -> str:
    """Render results in one of FORMATS; a graph result is always N-Triples."""
    if fmt == "table":
        return to_table(results, query_text)
    writers = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return writers[fmt](results)


def query_endpoint(endpoint: str, text: str, default_graph: str | None = None, timeout: float = 60) -> Results:
    """Run a SELECT or ASK on a remote SPARQL 1.1 Protocol endpoint (form POST, JSON results).

    ``default_graph`` is sent as ``default-graph-uri``: the graph ``january20 load`` filled. Raises January20Error
    with the endpoint's answer on failure.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    fields = {"query": text}
    if default_graph:
        fields["default-graph-uri"] = default_graph
    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Accept": MEDIA_TYPES["json"],
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Results.from_sparql_json(json.load(response))
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
        raise January20Error(Problem(endpoint, f"HTTP {exc.code}: {detail or exc.reason}")) from None
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        raise January20Error(Problem(endpoint, f"no SPARQL results: {getattr(exc, 'reason', exc)}")) from None


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    same: bool
    diff: str


def check_catalogue(answer, queries: Iterable[CatalogueQuery] | None = None) -> list[CheckOutcome]:
    """Run every catalogue query through ``answer(text) -> Results`` and compare with its expected result."""
    import difflib

    outcomes = []
    for entry in queries if queries is not None else catalogue():
        expected = entry.expected_path.read_text(encoding="utf-8")
        got = answer(entry.text).normal_form()
        diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                            f"{entry.name} (expected)", f"{entry.name} (got)"))
        outcomes.append(CheckOutcome(entry.name, got == expected, diff))
    return outcomes


def regenerate_expected(paths: Sequence[Path] | None = None, queries: Iterable[CatalogueQuery] | None = None
                        ) -> list[Path]:
    """Rewrite every catalogue query's expected result from the embedded engine; returns the files written.

    Run ``python -m january20.sparql.query --regenerate`` after changing the data or a query, then review the diff.
    """
    store = open_store(paths)
    written = []
    for query in queries if queries is not None else catalogue():
        query.expected_path.write_text(run(store, query.text).normal_form(), encoding="utf-8")
        written.append(query.expected_path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's command, documented in the README
    import sys

    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python -m january20.sparql.query --regenerate")
    for written_path in regenerate_expected():
        print(written_path)
