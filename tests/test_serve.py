"""`january20 serve`: a read-only SPARQL 1.1 Protocol endpoint, tested with a real client (SPARQLWrapper)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper, TURTLE
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from january20.sparql import query as q
from january20.cli import main
from january20.sparql.serve import Limits, choose_format, make_endpoint

BUILD = Path(__file__).resolve().parents[1] / "build"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint():
    with make_endpoint(port=0, limits=Limits(workers=2), quiet=True).start() as running:
        yield running


@pytest.fixture(scope="module")
def limited():
    """One worker, a two-second time limit and a five-row cap."""
    with make_endpoint(port=0, limits=Limits(timeout=2.0, max_rows=5, workers=1, max_request_bytes=2000),
                       quiet=True).start() as running:
        yield running


def client(endpoint, text: str, fmt=JSON, method="GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint.url)
    sparql.setQuery(text)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def get(endpoint, text: str, accept: str | None = None, **params):
    query = urllib.parse.urlencode({"query": text, **params})
    return http(f"{endpoint.url}?{query}", headers={"Accept": accept} if accept else {})


# --- answers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", q.catalogue(), ids=lambda e: e.name)
def test_catalogue_query_posted_by_sparqlwrapper_gives_the_expected_result(endpoint, entry):
    document = client(endpoint, entry.text, JSON, "POST").queryAndConvert()
    assert q.Results.from_sparql_json(document).normal_form() == entry.expected_path.read_text(encoding="utf-8")


def test_get_with_sparqlwrapper_returns_sparql_json(endpoint):
    entry = q.find_query("death-toll-gap")
    document = client(endpoint, entry.text, JSON, "GET").queryAndConvert()
    assert q.Results.from_sparql_json(document).normal_form() == entry.expected_path.read_text(encoding="utf-8")


def test_xml_results_for_sparqlwrapper(endpoint):
    document = client(endpoint, q.find_query("who-ordered").text, XML).queryAndConvert()
    names = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert "Mikhail Gorbachev" in names


def test_csv_and_tsv_results_for_sparqlwrapper(endpoint):
    text = q.find_query("death-toll-gap").text
    csv_body = client(endpoint, text, CSV).queryAndConvert().decode("utf-8")
    tsv_body = client(endpoint, text, TSV).queryAndConvert().decode("utf-8")
    assert csv_body.splitlines()[0] == "total,totalName,totalValue,parts,sumOfParts,unaccounted"
    assert tsv_body.splitlines()[0] == "?total\t?totalName\t?totalValue\t?parts\t?sumOfParts\t?unaccounted"


def test_ask_answers_a_boolean(endpoint):
    result = client(endpoint, q.find_query("split-joint-figure").text).queryAndConvert()
    assert result["boolean"] is False


def test_construct_answers_triples_that_parse_as_turtle(endpoint):
    from rdflib import Graph

    body = client(endpoint, "CONSTRUCT { ?c <https://schema.org/value> ?v } WHERE { "
                  "?c a <https://w3id.org/january20/ontology#Count> ; <https://schema.org/value> ?v }",
                  TURTLE).queryAndConvert()
    assert len(Graph().parse(data=body, format="turtle")) == 11


def test_accept_header_chooses_the_format_with_q_values(endpoint):
    status, headers, _ = get(endpoint, "ASK {}", "text/csv;q=0.5, application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")


def test_format_parameter_overrides_the_accept_header(endpoint):
    status, headers, body = get(endpoint, "SELECT ?x WHERE { BIND(1 AS ?x) }", "text/csv", format="json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "1"


def test_post_as_application_sparql_query(endpoint):
    status, _, body = http(endpoint.url, b"ASK { ?s a <https://schema.org/Event> }",
                           {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert (status, json.loads(body)["boolean"]) == (200, True)


def test_unacceptable_accept_header_is_406(endpoint):
    status, _, _ = get(endpoint, "ASK {}", "image/png")
    assert status == 406


def test_get_without_a_query_describes_the_endpoint(endpoint):
    status, _, body = http(endpoint.url)
    assert status == 200 and "application/sparql-query" in body


def test_unknown_path_is_404(endpoint):
    status, _, _ = http(endpoint.url.replace("/sparql", "/update"))
    assert status == 404


# --- refusals ---------------------------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parsers_message(endpoint):
    with pytest.raises(QueryBadFormed, match="malformed query: error at 1:"):
        client(endpoint, "SELECT * WHERE { ?s ?p }").query()


@pytest.mark.parametrize("data, content_type", [
    (b"update=INSERT+DATA+%7B%3Chttps%3A%2F%2Fe.org%2Fa%3E+%3Chttps%3A%2F%2Fe.org%2Fb%3E+1+%7D",
     "application/x-www-form-urlencoded"),
    (b"INSERT DATA { <https://e.org/a> <https://e.org/b> 1 }", "application/sparql-update"),
    (b"query=DROP+ALL", "application/x-www-form-urlencoded"),
])
def test_updates_are_refused_with_403(endpoint, data, content_type):
    status, _, body = http(endpoint.url, data, {"Content-Type": content_type})
    assert status == 403 and "not accepted" in body


def test_update_through_sparqlwrapper_is_refused_and_changes_nothing(endpoint):
    sparql = SPARQLWrapper(endpoint.url)
    sparql.setMethod("POST")
    sparql.setQuery("INSERT DATA { <https://e.org/a> <https://e.org/b> <https://e.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        sparql.query()
    assert caught.value.code == 403
    assert client(endpoint, "ASK { <https://e.org/a> ?p ?o }").queryAndConvert()["boolean"] is False


def test_service_is_refused_without_contacting_the_remote_endpoint(endpoint):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        remote = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        status, _, body = get(endpoint, f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}")
        with pytest.raises(socket.timeout):
            listener.accept()
    assert status == 400 and "SERVICE" in body


def test_dataset_parameters_are_refused(endpoint):
    status, _, body = get(endpoint, "ASK {}", **{"default-graph-uri": "https://e.org/g"})
    assert status == 400 and "default-graph-uri" in body


def test_request_body_over_the_limit_is_413(limited):
    status, _, _ = http(limited.url, b"ASK {} " + b"#" * 3000, {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_result_over_the_row_cap_is_refused_and_a_limit_fits(limited):
    status, _, body = get(limited, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and "more than 5 rows" in body
    status, _, body = get(limited, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


def test_query_over_the_time_limit_is_503_and_the_endpoint_keeps_answering(limited):
    started = time.monotonic()
    status, _, body = get(limited, CARTESIAN)
    assert status == 503 and "time limit" in body
    assert time.monotonic() - started < 15
    status, _, body = get(limited, "ASK { ?s ?p ?o }")
    assert (status, json.loads(body)["boolean"]) == (200, True)


# --- robustness and safety ---------------------------------------------------------------------------------------


def test_concurrent_clients_all_get_correct_answers(endpoint):
    entry = q.find_query("casualties")
    expected = entry.expected_path.read_text(encoding="utf-8")
    failures: list[str] = []

    def worker():
        for _ in range(5):
            status, _, body = get(endpoint, entry.text)
            if status != 200 or q.Results.from_sparql_json(json.loads(body)).normal_form() != expected:
                failures.append(f"{status}: {body[:200]}")

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == [] and not any(t.is_alive() for t in threads)


def test_binds_to_loopback_by_default(endpoint):
    assert endpoint.server.server_address[0] == "127.0.0.1"


def test_choose_format_defaults_to_json_and_rejects_what_it_cannot_give():
    assert choose_format(None) == "json"
    assert choose_format("text/html, */*;q=0.1") == "json"
    assert choose_format("image/png") is None


def test_serve_with_a_broken_data_file_is_a_clean_error(tmp_path):
    broken = tmp_path / "broken.nt"
    broken.write_text("<https://e.org/a> <https://e.org/b> .\n")
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--data", str(broken)])
    assert result.exit_code == 1 and f"{broken}:1" in result.output and "Traceback" not in result.output


def test_serve_command_answers_curl_style_requests_and_stops_cleanly_on_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "january20.cli", "serve", "--port", "0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        match = re.search(r"Serving SPARQL at (http://127\.0\.0\.1:\d+/sparql)", line)
        assert match, line
        url = match.group(1)
        status, _, body = http(f"{url}?{urllib.parse.urlencode({'query': 'ASK { ?s ?p ?o }'})}")
        assert (status, json.loads(body)["boolean"]) == (200, True)
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert workers
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "Traceback" not in stderr
    # A child may take a moment to notice that its pipe closed; it must not outlive that.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(int(pid)) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(int(pid)) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_check_against_the_endpoint_finds_every_catalogue_answer_as_expected(endpoint):
    result = CliRunner().invoke(main, ["query", "--check", "--endpoint", endpoint.url])
    assert result.exit_code == 0, result.output
    assert "DIFFERENT" not in result.output


def test_post_without_a_usable_content_length_is_411_and_closes_the_connection(endpoint):
    host, port = endpoint.server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: -5\r\n\r\nASK {}")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 411 ") and b"Connection: close" in answer


def test_endpoint_can_be_embedded_in_a_script_without_a_main_guard(tmp_path):
    script = tmp_path / "embed.py"
    script.write_text(
        "import json, urllib.request\n"
        "from january20.sparql.serve import Limits, make_endpoint\n"
        "with make_endpoint(port=0, limits=Limits(workers=1), quiet=True).start() as ep:\n"
        "    with urllib.request.urlopen(ep.url + '?query=ASK%7B%7D') as r:\n"
        "        print(json.load(r)['boolean'])\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True\n", "")

