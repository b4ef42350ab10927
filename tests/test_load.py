"""`january20 load`: replace a graph in a triplestore over the SPARQL 1.1 Graph Store Protocol.

Proved against a real Virtuoso (digest authentication) and a small in-process store that asks for basic
authentication.
"""

from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from january20.cli import main
from january20.errors import January20Error
from january20.sparql.load import DEFAULT_GRAPH, graph_store_url, load

try:
    from tests.support import virtuoso
    from tests.support.tools import skip_or_fail
except ImportError:  # plain `pytest` puts tests/ (not the repo root) on sys.path
    from support import virtuoso
    from support.tools import skip_or_fail

BUILD = Path(__file__).resolve().parents[1] / "build"
DATASET_TRIPLES = sum(1 for line in (BUILD / "january20.nt").read_text(encoding="utf-8").splitlines() if line)




@pytest.fixture(scope="module")
def store(tmp_path_factory):
    ok, reason = virtuoso.available()
    if not ok:
        skip_or_fail(reason)
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def credentials(store) -> dict[str, str]:
    return {"J20_LOAD_USER": "dba", "J20_LOAD_PASSWORD": store.password}


# --- against Virtuoso ------------------------------------------------------------------------------------------


def test_first_load_creates_the_graph_and_a_second_replaces_it_with_the_same_triples(store):
    graph = "https://example.org/january20-test/idempotent"
    first = load(store.gsp_url, graph, environ=credentials(store))
    assert (first.status, store.triple_count(graph)) == (201, DATASET_TRIPLES)
    second = load(store.gsp_url, graph, environ=credentials(store))
    assert second.status in (200, 204) and store.triple_count(graph) == DATASET_TRIPLES


def test_load_replaces_what_the_graph_held_before(store, tmp_path):
    graph = "https://example.org/january20-test/replaced"
    stale = tmp_path / "stale.ttl"
    stale.write_text("<https://example.org/stale> <https://example.org/p> 1 .\n", encoding="utf-8")
    load(store.gsp_url, graph, stale, environ=credentials(store))
    load(store.gsp_url, graph, environ=credentials(store))
    assert store.triple_count(graph) == DATASET_TRIPLES
    assert store.select(f"ASK {{ GRAPH <{graph}> {{ <https://example.org/stale> ?p ?o }} }}")["boolean"] is False


def test_cli_reads_credentials_from_the_environment(store):
    result = CliRunner().invoke(main, ["load", "--endpoint", store.gsp_url, "--graph",
                                       "https://example.org/january20-test/cli"], env=credentials(store))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created <https://example.org/january20-test/cli>")


def test_cli_default_graph_is_the_dataset_iri(store):
    result = CliRunner().invoke(main, ["load", "--endpoint", store.gsp_url], env=credentials(store))
    assert result.exit_code == 0, result.output
    assert store.triple_count(DEFAULT_GRAPH) == DATASET_TRIPLES


def test_wrong_password_is_a_clean_401_error(store):
    result = CliRunner().invoke(main, ["load", "--endpoint", store.gsp_url],
                                env={"J20_LOAD_USER": "dba", "J20_LOAD_PASSWORD": "not-the-password"})
    assert result.exit_code == 1
    assert "HTTP 401" in result.output and "Traceback" not in result.output


def test_missing_credentials_error_names_the_environment_variables(store):
    result = CliRunner().invoke(main, ["load", "--endpoint", store.gsp_url],
                                env={"J20_LOAD_USER": "", "J20_LOAD_PASSWORD": ""})
    assert result.exit_code == 1
    assert "set J20_LOAD_USER and J20_LOAD_PASSWORD" in result.output


# --- against a store that asks for basic authentication ---------------------------------------------------------


class _BasicAuthStore(BaseHTTPRequestHandler):
    received: list = []

    def log_message(self, *args) -> None:
        pass

    def do_PUT(self) -> None:  # noqa: N802
        expected = "Basic " + base64.b64encode(b"editor:s3cret").decode()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture()
def basic_store():
    _BasicAuthStore.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BasicAuthStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store", _BasicAuthStore.received
    server.shutdown()
    server.server_close()


def test_basic_authentication_sends_the_file_as_turtle_to_the_graph_parameter(basic_store):
    url, received = basic_store
    result = load(url, "https://example.org/g", environ={"J20_LOAD_USER": "editor", "J20_LOAD_PASSWORD": "s3cret"})
    assert result.status == 201
    (path, content_type, body), = received
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query) == {"graph": ["https://example.org/g"]}
    assert content_type == "text/turtle; charset=utf-8"
    assert body == (BUILD / "january20.ttl").read_bytes()


def test_ntriples_file_is_sent_as_ntriples(basic_store):
    url, received = basic_store
    load(url, "https://example.org/g", BUILD / "january20.nt", user="editor", password="s3cret")
    assert received[0][1] == "application/n-triples; charset=utf-8"


# --- mistakes ---------------------------------------------------------------------------------------------------


def test_unreachable_endpoint_is_a_clean_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(January20Error, match="cannot reach the endpoint"):
        load(f"http://127.0.0.1:{port}/store", environ={})


def test_trig_file_is_refused_because_a_graph_holds_triples():
    with pytest.raises(January20Error, match="a graph holds triples"):
        load("http://127.0.0.1:1/store", path=BUILD / "january20.trig", environ={})


@pytest.mark.parametrize("endpoint, graph, message", [
    ("ftp://example.org/store", DEFAULT_GRAPH, "not an http"),
    ("http://127.0.0.1:1/store", "relative/graph", "not an absolute IRI"),
])
def test_bad_endpoint_or_graph_is_refused_before_any_request(endpoint, graph, message):
    with pytest.raises(January20Error, match=message):
        load(endpoint, graph, environ={})


@pytest.mark.parametrize("endpoint, why", [
    ("http://exa mple/store", "a space or control character (U+0020) at character 11"),
    ("http://example.org/store\r\nX-Injected: 1", "a space or control character (U+000D) at character 25"),
    ("http://127.0.0.1:abc/store", "the port must be a whole number from 1 to 65535"),
    ("http://127.0.0.1:99999/store", "the port must be a whole number from 1 to 65535"),
    ("http://127.0.0.1:0/store", "the port must be a whole number from 1 to 65535"),
    ("http://[::1/store", "Invalid IPv6 URL"),
    ("http:///store", "expected http:// or https:// and a host"),
], ids=["space", "crlf", "port-not-a-number", "port-too-large", "port-zero", "broken-ipv6", "no-host"])
def test_a_malformed_endpoint_gets_one_line_from_the_command_line(endpoint, why):
    result = CliRunner().invoke(main, ["load", "--endpoint", endpoint])
    assert result.exit_code == 1
    shown = endpoint.replace("\r", "\\x0d").replace("\n", "\\x0a")
    assert result.output == f"error: --endpoint: not an http(s) URL: {why}: '{shown}'\n"


@pytest.mark.parametrize("endpoint", ["http://dba:s3cret@127.0.0.1:1/store", "https://dba:s3c@ret@example.org/store",
                                      "http://s3cret@127.0.0.1:1/store"])
def test_credentials_in_the_endpoint_url_are_refused_and_never_printed(endpoint):
    result = CliRunner().invoke(main, ["load", "--endpoint", endpoint])
    assert result.exit_code == 1
    assert "s3c" not in result.output
    assert result.output.startswith("error: --endpoint: refused: the URL carries credentials (http")
    assert "give them in the environment as J20_LOAD_USER and J20_LOAD_PASSWORD" in result.output
    assert len(result.output.splitlines()) == 1


def test_credentials_in_the_endpoint_url_are_refused_before_any_request(basic_store):
    url, received = basic_store
    with pytest.raises(January20Error, match="carries credentials"):
        load(url.replace("http://", "http://editor:s3cret@"), environ={})
    assert received == []


def test_graph_parameter_replaces_one_already_in_the_endpoint_url():
    url = graph_store_url("http://h/store?graph=old&x=1", "https://example.org/new")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query) == {"x": ["1"], "graph": ["https://example.org/new"]}
