"""SERVICE never leaves the machine: a corpus of attempts to slip a SERVICE clause past the query check, each sent
through `january20 query` and through `january20 serve` (GET, POST, form) while a listener on loopback stands in
for the remote endpoint and fails the test if anything connects; and a property, checked against pyoxigraph
itself, that the check sees every SERVICE the engine would run.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from january20.cli import main
from january20.sparql import query as q
from january20.sparql import sandbox
from january20.sparql.serve import Limits, make_endpoint

try:
    from tests.support.tools import skip_or_fail
except ImportError:  # plain `pytest` puts tests/ (not the repo root) on sys.path
    from support.tools import skip_or_fail


class Listener:
    """A stand-in remote endpoint on 127.0.0.1: it counts connections and closes each at once."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.fixture(scope="module")
def endpoint():
    with make_endpoint(port=0, limits=Limits(workers=2), quiet=True).start() as running:
        yield running


# Each attempt: a name, the query (``{svc}`` is the listener's IRI, ``{url}`` its URL), and whether pyoxigraph,
# given the query unchecked, would run the SERVICE (else the engine's own parser rejects it).
ATTEMPTS = [
    ("plain", "SELECT * WHERE { SERVICE {svc} { ?a ?b ?c } }", True),
    ("comment-ended-by-cr", "SELECT * WHERE { #x\rSERVICE {svc} { ?a ?b ?c } }", True),
    ("comment-ended-by-crlf", "SELECT * WHERE { #x\r\nSERVICE {svc} { ?a ?b ?c } }", True),
    ("comment-ended-by-lf", "SELECT * WHERE { #x\nSERVICE {svc} { ?a ?b ?c } }", True),
    ("nbsp-iri-between-apostrophes", "SELECT * WHERE { OPTIONAL { ?x <http://x/\u00a0'> ?o } SERVICE {svc} "
     "{ ?a ?b ?c } OPTIONAL { ?x <http://y/'> ?o2 } }", True),
    ("comment-then-line-separator", "SELECT * WHERE { #x\u2028SERVICE {svc} { ?a ?b ?c } }", False),
    ("comment-then-paragraph-separator", "SELECT * WHERE { #x\u2029SERVICE {svc} { ?a ?b ?c } }", False),
    ("comment-then-form-feed", "SELECT * WHERE { #x\fSERVICE {svc} { ?a ?b ?c } }", False),
    ("comment-then-vertical-tab", "SELECT * WHERE { #x\vSERVICE {svc} { ?a ?b ?c } }", False),
    ("form-feed-as-space", "SELECT * WHERE {\fSERVICE {svc} { ?a ?b ?c } }", False),
    ("hash-inside-iri", "SELECT * WHERE { OPTIONAL { ?s <http://x/#frag> ?o } SERVICE {svc} { ?a ?b ?c } }", True),
    ("apostrophe-inside-iri", "SELECT * WHERE { OPTIONAL { ?s <http://x/it's> ?o } SERVICE {svc} { } "
     "OPTIONAL { ?s <http://x/'> ?o } }",
     True),
    ("hash-inside-string", "SELECT * WHERE { BIND(\"#\" AS ?x) SERVICE {svc} { ?a ?b ?c } }", True),
    ("quote-inside-string", "SELECT * WHERE { BIND('\"' AS ?x) SERVICE {svc} { } BIND('\"' AS ?y) }", True),
    ("escaped-quote-in-string", "SELECT * WHERE { BIND('it\\'s' AS ?x) SERVICE {svc} { } BIND('x' AS ?y) }", True),
    ("quotes-in-long-string", "SELECT * WHERE { BIND('''it's ''ok''' AS ?x) SERVICE {svc} { } }", True),
    ("long-string-ending-in-quote", "SELECT * WHERE { BIND(\"\"\"say \"hi\\\"\"\"\" AS ?x) SERVICE {svc} { } }",
     True),
    ("hash-escaped-in-prefixed-name",
     "PREFIX e: <http://e/> SELECT * WHERE { OPTIONAL { ?s e:a\\#b ?o } SERVICE {svc} { } }",
     True),
    ("less-than-then-string", "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<'x>' || true) SERVICE {svc} { } } #'",
     True),
    ("escaped-keyword", "SELECT * WHERE { \\u0053ERVICE {svc} { ?a ?b ?c } }", False),
    ("escape-closing-an-iri", "SELECT * WHERE { ?s <http://x/\\u003E SERVICE {svc} { } #> ?o }", False),
    ("mixed-case", "select * where { sErViCe {svc} { ?a ?b ?c } }", True),
    ("long-s", "SELECT * WHERE { \u017fERVICE {svc} { ?a ?b ?c } }", False),
    ("silent", "SELECT * WHERE { SERVICE SILENT {svc} { ?a ?b ?c } }", True),
    ("silent-run-together", "SELECT * WHERE { SERVICESILENT{svc}{ } }", True),
    ("after-a-boolean-run-together", "SELECT * WHERE { ?s ?p trueSERVICE{svc}{ } }", True),
    ("keyword-as-prefix", "PREFIX : <{url}/> SELECT * WHERE { SERVICE:x { } }", True),
    ("no-spaces", "SELECT*WHERE{SERVICE{svc}{}}", True),
    ("in-subquery", "SELECT * WHERE { { SELECT * WHERE { SERVICE {svc} { ?a ?b ?c } } } }", True),
    ("in-optional", "SELECT * WHERE { OPTIONAL { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-minus", "SELECT * WHERE { BIND(1 AS ?x) MINUS { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-union", "SELECT * WHERE { { } UNION { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-exists", "SELECT * WHERE { FILTER EXISTS { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-not-exists", "SELECT * WHERE { FILTER NOT EXISTS { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-lateral", "SELECT * WHERE { LATERAL { SERVICE {svc} { ?a ?b ?c } } }", True),
    ("in-graph", "SELECT * WHERE { GRAPH ?g { SERVICE {svc} { ?a ?b ?c } } }", False),
    ("variable-name", "SELECT * WHERE { VALUES ?svc { {svc} } SERVICE ?svc { ?a ?b ?c } }", False),
    ("variable-name-bound-by-lateral", "SELECT * WHERE { VALUES ?svc { {svc} } LATERAL { SERVICE ?svc { } } }", True),
    ("ask", "ASK { SERVICE {svc} { ?a ?b ?c } }", True),
    ("describe", "DESCRIBE ?a WHERE { SERVICE {svc} { ?a ?b ?c } }", True),
    ("after-a-long-string", "SELECT * WHERE { BIND('" + "x" * 200_000 + "' AS ?z) SERVICE {svc} { } }", True),
    ("nested-200-deep", "SELECT * WHERE " + "{ " * 200 + "SERVICE {svc} { }" + " }" * 200, True),
    ("nested-10000-deep", "SELECT * WHERE " + "{ " * 10_000 + "SERVICE {svc} { }" + " }" * 10_000, False),
]
ATTEMPT_IDS = [name for name, _, _ in ATTEMPTS]


def fill(template: str, listener: Listener) -> str:
    return template.replace("{svc}", f"<{listener.url}>").replace("{url}", listener.url)


def test_the_engine_runs_the_attempts_it_is_said_to_run(listener):
    # The corpus's own check: an attempt marked as run really connects when given to pyoxigraph unchecked, so
    # each one below tests a real way out (the nesting attempt crashes the engine instead, so it is left out).
    store = ox.Store()
    for name, template, runs in ATTEMPTS:
        if not runs:
            continue
        before = listener.connections
        try:
            answer = store.query(fill(template, listener))
            list(answer) if not isinstance(answer, ox.QueryBoolean) else None
        except (OSError, RuntimeError):
            pass
        assert listener.connections > before, name


@pytest.mark.parametrize("name,template,runs", [a for a in ATTEMPTS if a[2]], ids=[a[0] for a in ATTEMPTS if a[2]])
def test_the_query_check_refuses_every_service_the_engine_would_run(listener, name, template, runs):
    with pytest.raises(q.QueryError):
        q.check_read_only(fill(template, listener))


@pytest.mark.parametrize("name,template,runs", ATTEMPTS, ids=ATTEMPT_IDS)
def test_query_command_refuses_the_attempt_without_connecting(listener, name, template, runs):
    before = listener.connections
    result = CliRunner().invoke(main, ["query", fill(template, listener)])
    assert result.exit_code == 2, result.output
    assert listener.connections == before


@pytest.mark.parametrize("method", ["GET", "POST", "form"])
@pytest.mark.parametrize("name,template,runs", ATTEMPTS, ids=ATTEMPT_IDS)
def test_endpoint_refuses_the_attempt_without_connecting(listener, endpoint, method, name, template, runs):
    text = fill(template, listener)
    before = listener.connections
    if method == "GET":
        request = urllib.request.Request(f"{endpoint.url}?{urllib.parse.urlencode({'query': text})}")
    elif method == "POST":
        request = urllib.request.Request(endpoint.url, text.encode("utf-8"),
                                         {"Content-Type": "application/sparql-query"})
    else:
        request = urllib.request.Request(endpoint.url, urllib.parse.urlencode({"query": text}).encode("ascii"),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60).close()
    assert refused.value.code in (400, 414)
    assert listener.connections == before


# --- the second layer: evaluation without the network ------------------------------------------------------------


def test_evaluation_offline_cannot_reach_a_listener_even_without_the_query_check(listener):
    store = ox.Store()
    before = listener.connections

    def unchecked():
        try:
            return list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"))
        except OSError as exc:
            return str(exc)

    answer, why_online = sandbox.run_offline(unchecked)
    if why_online:
        skip_or_fail(f"this platform keeps the network (the query check is the only layer): {why_online}")
    assert listener.connections == before
    assert "unreachable" in answer.lower()


def test_endpoint_workers_run_in_a_network_namespace_of_their_own(endpoint):
    from pathlib import Path

    if endpoint.pool.why_online:
        skip_or_fail(f"this platform keeps the network (the query check is the only layer): "
                     f"{endpoint.pool.why_online}")
    mine = Path("/proc/self/ns/net").readlink()
    theirs = {Path(f"/proc/{worker.process.pid}/ns/net").readlink() for worker in endpoint.pool._all}
    assert theirs and mine not in theirs


# --- the property ------------------------------------------------------------------------------------------------

SPACES = [" ", "\t", "\r", "\n", "\r\n"]
ODD_SPACES = ["\f", "\v", "\u00a0", "\u2028", "\u2029", "\x85", ""]
# What goes inside comments, strings and IRIs: the characters that end or open one of them, escapes, keywords.
INSIDE = list("'\"#<>{}\\ \r\n\u00a0\u2028x()") + ["''", '""', "'''", '"""', "\\'", '\\"', "\\u0027",
                                                    "\\u003E", "\\n", "SERVICE", "} SERVICE <", "#"]
IRI_INSIDE = list("'#()x\u00a0\u2028[]") + ["%20", "\\u0041", "SERVICE"]
WRAPPERS = ["{}", "OPTIONAL {{ {} }}", "{{ }} UNION {{ {} }}", "FILTER EXISTS {{ {} }}", "MINUS {{ {} }}",
            "LATERAL {{ {} }}", "{{ SELECT * WHERE {{ {} }} }}"]


def text_of(alphabet, max_size=6):
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


@st.composite
def queries(draw, url: str):
    """A query assembled from pieces that play on the grammar's corners -- comments, the four kinds of string,
    IRIs, prefixed names with escapes, the less-than operator -- with SERVICE clauses among them, wrapped in the
    patterns that can hold one. Mostly valid, so that the engine gets as far as running what it reads."""
    space = st.sampled_from(SPACES * 3 + ODD_SPACES)
    service = st.builds(
        lambda word, silent, name, gap, wrapper: wrapper.format(f"{word}{gap}{silent}{name}{gap}{{ }}"),
        st.sampled_from(["SERVICE", "service", "SeRvIcE"]), st.sampled_from(["", "SILENT ", "SILENT"]),
        st.sampled_from([f"<{url}>", ":x", "?svc"]), space, st.sampled_from(WRAPPERS))
    common = ["x", "#", "<", ">", "{", "}", " ", "\u00a0", "\u2028", "SERVICE", "} SERVICE <", "\\u0041"]
    comment = st.builds(lambda t, end: f"#{t}{end}", st.one_of(text_of(common + ["'", '"']), text_of(INSIDE)),
                        st.one_of(st.sampled_from(["\n", "\r", "\r\n"]), st.sampled_from(ODD_SPACES)))
    # Strings mostly well formed (each form with what it may hold), sometimes anything.
    forms = {"'": common + ['"', "\\'", "\\n"], '"': common + ["'", '\\"', "\\n"],
             "'''": common + ["'x", "''x", '"', "\n", "\r", '"""'],
             '"""': common + ['"x', '""x', "'", "\n", "\r", "'''"]}
    string = st.sampled_from(sorted(forms)).flatmap(lambda q: st.builds(
        lambda t: f"BIND({q}{t}{q} AS ?v)", st.one_of(text_of(forms[q]), text_of(forms[q]), text_of(INSIDE))))
    iri = st.builds(lambda t: f"OPTIONAL {{ ?s <http://e/{t}> ?o }}", text_of(IRI_INSIDE))
    less = st.one_of(st.builds(lambda t: f"FILTER(?n<{t}> || true)", text_of(IRI_INSIDE + ["'", "' || '"])),
                     st.builds(lambda t: f"FILTER(?n<'{t}>' || true)", text_of(IRI_INSIDE)))
    pname = st.builds(lambda t: f"OPTIONAL {{ ?s e:a{t} ?o }}", text_of(["\\#", "\\'", "#", "'", ".", "x", "%41"]))
    piece = st.one_of(service, comment, string, iri, less, pname)
    pieces = draw(st.lists(st.tuples(piece, space), max_size=5))
    # At least one SERVICE, anywhere: the property is about what hides one.
    pieces.insert(draw(st.integers(0, len(pieces))), (draw(service), draw(space)))
    # Each BIND gets a variable of its own (binding one twice is an error, and would stop the query early).
    body, count = "", 0
    for text, gap in pieces:
        if text.startswith("BIND("):
            count += 1
            text = text[:-2] + f"{count})"
        body += text + gap
    return (f"PREFIX : <{url}/> PREFIX e: <http://e/> "
            f"SELECT * WHERE {{ VALUES ?svc {{ <{url}> }} BIND(1 AS ?n) {body} }}")


@pytest.fixture(scope="module")
def empty_store():
    return ox.Store()


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_the_check_sees_every_service_the_engine_would_run(listener, empty_store, data):
    text = data.draw(queries(listener.url))
    try:
        q.check_read_only(text)
    except q.QueryError:
        return  # refused: nothing reaches the engine
    before = listener.connections
    try:
        answer = empty_store.query(text)
        list(answer) if not isinstance(answer, ox.QueryBoolean) else None
    except (SyntaxError, OSError, RuntimeError):
        pass
    assert listener.connections == before, f"the engine ran a SERVICE the check let through: {text!r}"
