"""`january20 serve` and `january20 query` against an attacker: browsers and DNS rebinding kept out, answers bounded
in bytes, slow queries unable to hold everyone else, deep queries refused before the engine, dead workers never
reused, and nothing raw reaching a terminal or a log."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from january20.cli import main
from january20.sparql import query as q
from january20.sparql.serve import HostCheck, Limits, make_endpoint

DEEP = "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
# Repeats a 127 kB GROUP_CONCAT of the dataset's objects 8 x 8 times: about 8 MB in one value.
HUGE = ("SELECT ?c WHERE { { SELECT (GROUP_CONCAT(STR(?o)) AS ?a) WHERE { ?s ?p ?o } } "
        "BIND(CONCAT(?a,?a,?a,?a,?a,?a,?a,?a) AS ?b) BIND(CONCAT(?b,?b,?b,?b,?b,?b,?b,?b) AS ?c) }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint():
    with make_endpoint(port=0, limits=Limits(workers=2, max_result_bytes=1_000_000), quiet=True).start() as running:
        yield running


def raw(endpoint, request: bytes) -> bytes:
    """Send ``request`` as it is and return the whole answer (the server closes after it, or on a timeout)."""
    host, port = endpoint.server.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while True:
            head, _, body = answer.partition(b"\r\n\r\n")
            match = re.search(rb"Content-Length: (\d+)", head)
            if match and len(body) >= int(match.group(1)):
                return answer
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def get(endpoint, text: str, headers: dict | None = None, method: str = "GET"):
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': text})}"
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


# --- browsers and DNS rebinding -----------------------------------------------------------------------------------


def test_no_cors_header_unless_asked(endpoint):
    status, headers, _ = get(endpoint, "ASK {}", {"Origin": "http://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_cors_header_when_asked():
    with make_endpoint(port=0, limits=Limits(workers=1), quiet=True, cors=True).start() as running:
        status, headers, _ = get(running, "ASK {}", {"Origin": "http://elsewhere.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


def test_a_foreign_host_header_is_421(endpoint):
    status, _, body = get(endpoint, "ASK {}", {"Host": "rebound.example:8000"})
    assert status == 421 and b"rebound.example" in body


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST", "app.localhost"])
def test_local_host_headers_are_answered(endpoint, host):
    status, _, _ = get(endpoint, "ASK {}", {"Host": host})
    assert status == 200


def test_a_public_host_name_is_answered_when_given():
    with make_endpoint(port=0, limits=Limits(workers=1), quiet=True, public_hosts=["sparql.example"]).start() as ep:
        assert get(ep, "ASK {}", {"Host": "sparql.example"})[0] == 200
        assert get(ep, "ASK {}", {"Host": "other.example"})[0] == 421


def test_any_address_is_answered_when_listening_on_all_of_them():
    check = HostCheck("0.0.0.0")
    assert check.allows("192.0.2.7:8000") and not check.allows("rebound.example")


def test_options_is_answered_on_the_endpoint_only(endpoint):
    assert get(endpoint, "ASK {}", method="OPTIONS")[0] == 204
    request = urllib.request.Request(endpoint.url.replace("/sparql", "/anything"), method="OPTIONS")
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30)
    assert answer.value.code == 404


# --- bounded answers ------------------------------------------------------------------------------------------------


def test_an_answer_over_the_byte_limit_is_refused_with_a_clear_message(endpoint):
    status, _, body = get(endpoint, HUGE)
    assert status == 400 and b"larger than the limit of 1000000 bytes" in body


def test_an_answer_under_the_byte_limit_streams_whole(endpoint):
    status, headers, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 2000", {"Accept": "text/csv"})
    assert status == 200 and int(headers["Content-Length"]) == len(body) > 100_000


def test_the_server_process_does_not_hold_a_large_answer(tmp_path):
    # An 8 MB answer asked for four times; the server copies it through in pieces, so its own memory grows by
    # far less than one answer.
    script = tmp_path / "serve.py"
    script.write_text(
        "import resource, sys, urllib.parse, urllib.request\n"
        "from january20.sparql.serve import Limits, make_endpoint\n"
        f"query = {HUGE!r}\n"
        "with make_endpoint(port=0, limits=Limits(workers=1, max_result_bytes=40_000_000), quiet=True).start() as ep:\n"
        "    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    for _ in range(4):\n"
        "        with urllib.request.urlopen(ep.url + '?' + urllib.parse.urlencode({'query': query, 'format': 'tsv'}),"
        " timeout=120) as r:\n"
        "            size = 0\n"
        "            while chunk := r.read(1 << 16):\n"
        "                size += len(chunk)\n"
        "    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    print(size, (after - before) * 1024)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    size, growth = map(int, done.stdout.split())
    assert size > 8_000_000 and growth < size / 4


def test_the_query_library_stops_at_the_byte_limit():
    store = q.open_store()
    with pytest.raises(q.ResultTooLarge, match="larger than the limit of 1000 bytes"):
        q.run(store, "SELECT * WHERE { ?s ?p ?o }", max_bytes=1000)


# --- no crash, no poisoned pool ---------------------------------------------------------------------------------------


def test_a_query_nested_10000_deep_is_refused_and_the_next_request_is_served(endpoint):
    status, _, body = get(endpoint, DEEP)
    assert status == 400 and b"nests brackets 10002 deep; the limit is 256" in body
    status, _, body = get(endpoint, "ASK { ?s ?p ?o }")
    assert (status, json.loads(body)["boolean"]) == (200, True)


def test_a_worker_that_died_is_never_handed_a_request(endpoint):
    for worker in list(endpoint.pool._all):
        worker.process.kill()
        worker.process.wait()
    for _ in range(3):
        status, _, body = get(endpoint, "ASK { ?s ?p ?o }")
        assert (status, json.loads(body)["boolean"]) == (200, True)


def test_a_worker_dying_mid_query_is_reported_and_replaced():
    # A query the engine would crash on cannot get past the check, so the crash is simulated: the worker is killed
    # while it works. An endpoint of its own, with time to wait for a worker and to run: on a busy machine the
    # shared one may still be working on an earlier test's query, and this one would be turned away with a 503.
    with make_endpoint(port=0, limits=Limits(workers=1, queue_wait=60.0, timeout=60.0), quiet=True).start() as ep:
        _worker_dies_mid_query(ep)


def _worker_dies_mid_query(endpoint):
    answers = []
    slow = threading.Thread(target=lambda: answers.append(get(endpoint, SLOW)))
    slow.start()
    deadline = time.monotonic() + 30
    while endpoint.pool._idle.qsize() == len(endpoint.pool._all) and time.monotonic() < deadline:
        time.sleep(0.05)
    idle = set(endpoint.pool._idle.queue)
    (busy,) = [w for w in endpoint.pool._all if w not in idle]
    busy.process.kill()
    slow.join(60)
    (status, _, body), = answers
    assert status == 500 and b"the query worker stopped" in body
    assert busy not in endpoint.pool._all
    for _ in range(3):
        assert get(endpoint, "ASK {}")[0] == 200


def test_query_command_refuses_a_10000_deep_query_with_exit_2():
    result = CliRunner().invoke(main, ["query", DEEP])
    assert result.exit_code == 2 and "the limit is 256" in result.output


def test_query_command_reports_a_crashed_engine_instead_of_dying_by_the_signal(monkeypatch):
    # The nesting limit keeps the engine's parser from overflowing its stack; without it, the crash is in a child.
    monkeypatch.setattr(q, "MAX_DEPTH", 10**9)
    monkeypatch.setattr(q, "MAX_TOKENS", 10**9)
    from january20.sparql import sandbox

    monkeypatch.setattr(sandbox, "ENGINE_STACK_BYTES", 1024 * 1024)
    result = CliRunner().invoke(main, ["query", "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000])
    assert result.exit_code == 1
    assert "the query engine crashed (signal 11, SIGSEGV)" in result.output


# --- fair service --------------------------------------------------------------------------------------------------


def test_a_cheap_query_behind_slow_ones_is_told_to_retry_rather_than_held():
    limits = Limits(workers=1, timeout=4.0, queue_wait=0.5)
    with make_endpoint(port=0, limits=limits, quiet=True).start() as ep:
        slow = threading.Thread(target=get, args=(ep, SLOW))
        slow.start()
        time.sleep(0.5)
        started = time.monotonic()
        status, headers, body = get(ep, "ASK {}")
        waited = time.monotonic() - started
        slow.join(60)
    assert status == 503 and headers["Retry-After"] == "1" and b"busy" in body
    assert waited < 3


def test_connections_past_the_limit_are_refused_at_once():
    with make_endpoint(port=0, limits=Limits(workers=1, max_connections=2), quiet=True).start() as ep:
        host, port = ep.server.server_address[:2]
        idle = [socket.create_connection((host, port), timeout=10) for _ in range(2)]
        try:
            time.sleep(0.3)
            with socket.create_connection((host, port), timeout=10) as extra:
                answer = extra.recv(4096)
        finally:
            for sock in idle:
                sock.close()
    assert answer.startswith(b"HTTP/1.1 503 ") and b"Retry-After: " in answer and b"too many connections" in answer


# --- nothing raw to a terminal or a log -----------------------------------------------------------------------------


def test_the_server_log_escapes_control_characters():
    process = subprocess.Popen([sys.executable, "-m", "january20.cli", "serve", "--port", "0", "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = process.stderr.readline().decode()
        port = int(re.search(r":(\d+)/sparql", line).group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /\x1b[2J\x1b]0;owned\x07\x9b31m HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Connection: close\r\n\r\n")
            while sock.recv(4096):
                pass
        time.sleep(0.5)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    log = stderr.decode("latin-1")
    assert "\\x1b[2J\\x1b]0;owned\\x07" in log
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", log)


def test_query_table_escapes_control_characters_in_literals_and_iris():
    # The engine refuses an IRI with a control character, but not one with a bidirectional override.
    text = ('SELECT ?label ?iri WHERE { BIND("red\\u001B[31m\\u202Ebad\\nline" AS ?label) '
            'BIND(IRI("http://e/\\u202Egnp.exe") AS ?iri) }')
    result = CliRunner().invoke(main, ["query", text])
    assert result.exit_code == 0, result.output
    assert "red\\x1b[31m\\u202ebad\\nline" in result.output and "<http://e/\\u202egnp.exe>" in result.output
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", result.output)


def test_for_terminal_leaves_printable_text_alone():
    assert q.for_terminal("Bakı, 20 Yanvar — ə ş ğ «x»") == "Bakı, 20 Yanvar — ə ş ğ «x»"


def test_query_graph_output_writes_what_a_terminal_would_act_on_as_ntriples_escapes():
    text = ('CONSTRUCT { ?i <http://e/label> ?x } WHERE { BIND("a\\u0085b\\u202Ec" AS ?x) '
            'BIND(IRI("http://e/\\u202Egnp.exe") AS ?i) }')
    result = CliRunner().invoke(main, ["query", text])
    assert result.exit_code == 0, result.output
    assert result.output == '<http://e/\\u202Egnp.exe> <http://e/label> "a\\u0085b\\u202Ec" .\n'


def test_a_killed_query_command_leaves_no_evaluation_running():
    process = subprocess.Popen([sys.executable, "-m", "january20.cli", "query", SLOW],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        children: list[str] = []
        while not children and time.monotonic() < deadline:
            time.sleep(0.1)
            children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                      text=True).stdout.split()
        assert children, "the evaluation never started in a child"
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(int(pid)) for pid in children):
        time.sleep(0.1)
    left = [pid for pid in children if _alive(int(pid))]
    for pid in left:  # not to leave a cartesian product running when this fails
        os.kill(int(pid), 9)
    assert not left


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
