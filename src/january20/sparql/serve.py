"""A read-only SPARQL 1.1 Protocol endpoint over the dataset, for local use.

* ``GET /sparql?query=...`` and ``POST /sparql`` with ``application/sparql-query`` or a form
  (``application/x-www-form-urlencoded``, field ``query``); ``/`` answers the same as ``/sparql``.
* Results by content negotiation (``Accept``): SPARQL JSON (the default), XML, CSV or TSV; CONSTRUCT and
  DESCRIBE answer N-Triples. A ``format`` (or ``output``) parameter of ``json``/``xml``/``csv``/``tsv`` overrides
  the header, for clients that cannot set it.
* Refused: updates (403), SERVICE (400), a malformed query (400, with the parser's message), a query nested too
  deeply (400), a request body over the size limit (413), a result over the row or byte cap (400), a query over
  the time limit (503), a request for another host name (421, against DNS rebinding), a request that waited too
  long for a free worker or found too many connections open (503 with Retry-After).
* No CORS header unless asked for (``cors``): a web page on another origin cannot read the answers.

Each query runs in a worker process holding its own copy of the (small) dataset. A query past the time limit is
stopped by killing its worker, which is then replaced: the embedded engine cannot be interrupted, and a thread
left running would keep a core busy forever. Workers also run under an address-space limit, so one runaway
query cannot exhaust the machine's memory, and without the network where the platform allows it (see
:mod:`january20.sparql.sandbox`). An answer goes from its worker to the client a piece at a time: this process
never holds a whole one. A worker that dies is replaced before it is handed another request.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import queue
import select
import subprocess
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Sequence

from january20.sparql import query as q
from january20.errors import January20Error, Problem

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000
    max_result_bytes: int = 50_000_000  # the rendered answer
    max_request_bytes: int = 1_000_000
    workers: int = 2
    worker_memory_bytes: int = 4 * 1024**3
    max_connections: int = 32  # open at once; each holds a thread
    queue_wait: float = 2.0  # seconds a request waits for a free worker before a 503 with Retry-After


class QueryTimeout(Exception):
    pass


class ServiceBusy(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Worker processes.


def _worker_main(argv: list[str]) -> int:  # pragma: no cover - runs in a child process
    """``python -m january20.sparql.serve --worker MEMORY_BYTES [FILE...]``: answer requests on stdin.

    Each request is a JSON line ``{"query", "format", "max_rows", "max_bytes"}``. Each reply is a JSON line
    ``{"status", "body"}`` with status ``ready`` (once, after loading; body: why the network could not be denied,
    or null), ``ok`` (body ``{"kind", "length"}``, then exactly ``length`` bytes of the rendered answer), ``bad``
    (a refused query; body: the message) or ``error``.
    """
    import json
    import signal

    from january20.sparql.sandbox import deny_network, die_with_parent

    # Ctrl-C reaches the whole process group: the parent stops the workers itself, without a traceback from each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    # First, while this process has one thread and before the engine is loaded.
    why_online = deny_network()
    memory_bytes, paths = int(argv[0]), [Path(p) for p in argv[1:]]
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit still holds
    out = sys.stdout.buffer

    def reply(status: str, body, data: bytes = b"") -> None:
        out.write(json.dumps({"status": status, "body": body}, ensure_ascii=False).encode("utf-8") + b"\n" + data)
        out.flush()

    try:
        store = q.open_store(paths or None)
    except January20Error as exc:
        reply("failed", str(exc))
        return 1
    reply("ready", why_online)
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            results = q.run(store, request["query"], request["max_rows"], request["max_bytes"])
            kind, data = results.kind, q.render(results, request["format"]).encode("utf-8")
            del results
            if len(data) > request["max_bytes"]:
                raise q.result_too_large(request["max_bytes"])
            reply("ok", {"kind": kind, "length": len(data)}, data)
        except q.QueryError as exc:
            reply("bad", "; ".join(p.message for p in exc.problems))
        except MemoryError:
            reply("error", "the query ran out of memory")
        except Exception as exc:  # an engine failure must not kill the worker silently
            reply("error", f"query failed: {exc}")
    return 0


class _Worker:
    """One worker process, started as ``python -m january20.sparql.serve --worker``: a plain subprocess rather than
    multiprocessing, so that embedding the server in a script needs no ``if __name__ == "__main__"`` guard."""

    def __init__(self, paths: list[str], memory_bytes: int, timeout: float):
        env = dict(os.environ)
        # The child must import this very copy of the package, whatever sys.path the parent was given.
        package_parent = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join([package_parent] + [p for p in [env.get("PYTHONPATH")] if p])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "january20.sparql.serve", "--worker", str(memory_bytes), *paths],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.why_online: str | None = None
        try:
            status, body = self._read(max(timeout, 30.0))
        except QueryTimeout:
            self.kill()
            raise January20Error(Problem("serve", "a query worker did not start")) from None
        if status != "ready":
            self.kill()
            raise January20Error(Problem("serve", f"a query worker could not load the dataset: {body}"))
        self.why_online = body

    def _read(self, timeout: float) -> tuple[str, object]:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            raise QueryTimeout
        line = self.process.stdout.readline()
        if not line:
            self.kill()  # reaped now, so that it is never mistaken for a live worker
            return ("error", "the query worker stopped (it crashed, or ran out of memory) and is being replaced")
        message = json.loads(line)
        return message["status"], message["body"]

    def ask(self, text: str, fmt: str, limits: Limits) -> tuple[str, object]:
        request = {"query": text, "format": fmt, "max_rows": limits.max_rows, "max_bytes": limits.max_result_bytes}
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            self.kill()
            return ("error", "the query worker had stopped")
        return self._read(limits.timeout)

    def chunks(self, length: int, size: int = 64 * 1024):
        """The ``length`` bytes of an answer, a piece at a time: the server never holds a whole answer."""
        left = length
        while left:
            piece = self.process.stdout.read(min(size, left))
            if not piece:
                self.kill()
                raise OSError("the query worker stopped while sending its answer")
            left -= len(piece)
            yield piece

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        try:
            self.process.stdin.close()  # end of input: the worker's loop ends
            self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class QueryPool:
    """A fixed number of worker processes, each answering one query at a time."""

    def __init__(self, paths: Sequence[Path], limits: Limits):
        self.paths = [str(Path(p).resolve()) for p in paths]
        self.limits = limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        # Every worker is started from this one thread, which lives as long as the pool: a worker asks the kernel to
        # kill it when its parent dies (sandbox.die_with_parent), and Linux means the thread that started it. A
        # worker started from a request's thread (a replacement) was killed as soon as that request ended, and the
        # next request got "the query worker stopped".
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="january20-worker-spawner")
        self.why_online: str | None = None  # why the workers could not be cut off from the network, if they could not
        for _ in range(limits.workers):
            worker = self._spawn()
            self.why_online = worker.why_online
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = self._spawner.submit(_Worker, self.paths, self.limits.worker_memory_bytes, self.limits.timeout).result()
        with self._lock:
            self._all.add(worker)
        return worker

    def run(self, text: str, fmt: str, respond) -> None:
        """Run ``text``, render it as ``fmt`` and hand it to ``respond(kind, length, chunks)`` while the worker is
        held, so the answer goes from the worker to the client a piece at a time.

        Raises QueryError for a query the worker refused, QueryTimeout, ServiceBusy when no worker became free
        within the queue's wait limit, and RuntimeError when a worker failed.
        """
        try:
            worker = self._idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise ServiceBusy from None
        try:
            if not worker.alive():  # died while idle (killed from outside, say): never hand it a request
                worker = self._replace(worker)
            status, payload = worker.ask(text, fmt, self.limits)
            if status == "ok":
                try:
                    respond(payload["kind"], payload["length"], worker.chunks(payload["length"]))
                except BaseException:
                    worker.kill()  # the rest of the answer may still be in its pipe: it cannot be reused
                    raise
        except QueryTimeout:
            worker.kill()
            raise
        finally:
            if not worker.alive():
                try:
                    worker = self._replace(worker)
                except RuntimeError:
                    pass  # the next request that takes it tries again
            self._idle.put(worker)
        if status == "ok":
            return
        if status == "bad":
            raise q.QueryError(Problem("query", payload))
        raise RuntimeError(payload)

    def _replace(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        try:
            return self._spawn()
        except January20Error as exc:
            raise RuntimeError(f"a query worker could not be restarted: {exc}") from None

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.close()
        self._spawner.shutdown(wait=False)


# ---------------------------------------------------------------------------------------------------------------
# Content negotiation.

_RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {"application/n-triples": "application/n-triples", "text/plain": "application/n-triples",
                "text/turtle": "text/turtle", "application/x-turtle": "text/turtle"}


def _accepted(header: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q-values honoured, q=0 dropped)."""
    if not header:
        return ["*/*"]
    ranked = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        quality = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if fields[0] and quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def choose_format(accept: str | None, override: str | None = None) -> str | None:
    """The results format for an Accept header (or an explicit ``format`` parameter); None if nothing fits."""
    if override:
        # Clients such as SPARQLWrapper also send values like ``turtle``: those are left to the Accept header.
        override = override.lower()
        if override in ("json", "xml", "csv", "tsv"):
            return override
        if override in _RESULT_TYPES:
            return _RESULT_TYPES[override]
    for media in _accepted(accept):
        if media in _RESULT_TYPES:
            return _RESULT_TYPES[media]
        if media in ("*/*", "application/*"):
            return "json"
        if media == "text/*":
            return "csv"
        if media in _GRAPH_TYPES:
            return "json"  # a graph result is N-Triples whatever the format; SELECT answers its default
    return None


def graph_media_type(accept: str | None) -> str:
    for media in _accepted(accept):
        if media in _GRAPH_TYPES:
            return _GRAPH_TYPES[media]
    return "application/n-triples"


# ---------------------------------------------------------------------------------------------------------------
# HTTP.

HELP_TEXT = """january20 SPARQL endpoint (read-only).

GET  /sparql?query=<url-encoded SPARQL>
POST /sparql  Content-Type: application/sparql-query            (the query as the body)
POST /sparql  Content-Type: application/x-www-form-urlencoded   (query=...)

Results: Accept application/sparql-results+json (default), application/sparql-results+xml, text/csv or
text/tab-separated-values. Queries see the union of the dataset's graphs.
"""


class _Handler(BaseHTTPRequestHandler):
    server_version = "january20-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may sit idle: a silent client cannot hold a thread for ever

    # Set by make_endpoint.
    pool: QueryPool
    limits: Limits
    quiet: bool = False
    cors: bool = False
    hosts: "HostCheck"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's signature
        # The request line and headers are the client's bytes: escaped, they cannot drive the operator's terminal.
        if not self.quiet:
            sys.stderr.write(q.for_terminal(f"{self.address_string()} - {format % args}") + "\n")

    # -- plumbing

    def _start(self, status: int, content_type: str, length: int, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(length))
        self.send_header("Vary", "Accept")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(self, status: int, body: str, content_type: str = "text/plain", extra: dict | None = None) -> None:
        data = body.encode("utf-8")
        self._start(status, content_type, len(data), extra)
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, message.rstrip("\n") + "\n", extra=extra)

    def _path_ok(self, paths: tuple[str, ...] = ("/", "/sparql")) -> bool:
        if not self._host_ok():
            return False
        path = urllib.parse.urlsplit(self.path).path
        if path in paths:
            return True
        self.close_connection = True  # any request body is left unread
        self._error(HTTPStatus.NOT_FOUND, f"not found: {path} (the endpoint is /sparql)")
        return False

    def _host_ok(self) -> bool:
        """Refuse a Host this server does not answer to: a web page whose own name was made to resolve to this
        address (DNS rebinding) would otherwise read the answers as its own."""
        problem = self.hosts.problem(self.headers.get_all("Host") or [], self.request_version)
        if problem is None:
            return True
        self.close_connection = True
        self._error(HTTPStatus.MISDIRECTED_REQUEST, problem)
        return False

    # -- methods

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        if not self._path_ok(("/sparql",)):
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if not self._path_ok():
            return
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are not accepted: this endpoint is read-only")
            return
        if "query" not in params:
            self._send(HTTPStatus.OK, HELP_TEXT)
            return
        self._answer(params)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._path_ok():
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
            return
        if length > self.limits.max_request_bytes:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"request body of {length} bytes is over the limit of {self.limits.max_request_bytes}")
            return
        body = self.rfile.read(length)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        url_params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are not accepted: this endpoint is read-only")
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
            return
        if content_type == "application/sparql-query":
            params = dict(url_params)
            params["query"] = [text]
        elif content_type == "application/x-www-form-urlencoded":
            params = urllib.parse.parse_qs(text, keep_blank_values=True)
            for key, values in url_params.items():
                params.setdefault(key, values)
            if "update" in params:
                self._error(HTTPStatus.FORBIDDEN, "SPARQL updates are not accepted: this endpoint is read-only")
                return
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "POST a query as application/sparql-query or application/x-www-form-urlencoded")
            return
        self._answer(params)

    # -- the query

    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty query parameter")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported: queries "
                                                "see the union of the dataset's graphs")
            return
        text = queries[0]
        override = (params.get("format") or params.get("output") or [None])[0]
        fmt = choose_format(self.headers.get("Accept"), override)
        if fmt is None:
            self._error(HTTPStatus.NOT_ACCEPTABLE, "results are available as application/sparql-results+json, "
                                                   "application/sparql-results+xml, text/csv and "
                                                   "text/tab-separated-values")
            return
        try:
            q.check_read_only(text)
            self.pool.run(text, fmt, lambda kind, length, chunks: self._stream(fmt, kind, length, chunks))
        except q.UpdateRefused as exc:
            self._error(HTTPStatus.FORBIDDEN, _message(exc))
        except q.QueryError as exc:
            self._error(HTTPStatus.BAD_REQUEST, _message(exc))
        except QueryTimeout:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                        f"the query did not finish within the {self.limits.timeout:g} s time limit")
        except ServiceBusy:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"every query worker is busy (waited "
                        f"{self.limits.queue_wait:g} s): try again shortly", {"Retry-After": str(self.retry_after)})
        except RuntimeError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.limits.queue_wait))

    def _stream(self, fmt: str, kind: str, length: int, chunks) -> None:
        content_type = graph_media_type(self.headers.get("Accept")) if kind == "graph" else q.MEDIA_TYPES[fmt]
        self._start(HTTPStatus.OK, content_type, length)
        for chunk in chunks:
            if self.command != "HEAD":
                self.wfile.write(chunk)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    max_connections = 32  # set by make_endpoint
    retry_after = 1

    def server_activate(self) -> None:
        self._slots = threading.BoundedSemaphore(self.max_connections)
        super().server_activate()

    def process_request(self, request, client_address) -> None:
        # One thread per connection, but only so many: past that a client is told to come back, at once.
        if not self._slots.acquire(blocking=False):
            _refuse(request, self.retry_after, f"too many connections (the limit is {self.max_connections}): "
                                               "try again shortly")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up or goes silent is routine for a server, not worth a traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def _refuse(sock, retry_after: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: {retry_after}\r\nConnection: close\r\n\r\n")
    try:
        sock.settimeout(1)  # a small answer into an empty send buffer: this never waits in practice
        sock.sendall(head.encode("ascii") + body)
    except OSError:
        pass


class HostCheck:
    """Which Host headers the server answers: its own address, loopback names and addresses, any IP address when
    it listens on all of them, and the names given with ``--public-host``. An IP address in Host cannot be the
    work of DNS rebinding, which needs a name the attacker controls."""

    def __init__(self, bound_host: str, public_hosts: Sequence[str] = ()):
        self.bound = _bare_host(bound_host)
        self.names = {"localhost", self.bound} | {_bare_host(h) for h in public_hosts}
        self.any_address = self.bound in ("0.0.0.0", "::", "")

    def allows(self, host: str) -> bool:
        host = _bare_host(host)
        if host in self.names or host.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address.is_loopback or self.any_address

    def problem(self, values: list[str], version: str) -> str | None:
        """None if a request with these Host header values is answered, else the message to refuse it with."""
        if len(values) > 1:
            return "more than one Host header"
        if not values:
            return None if version == "HTTP/1.0" else "a request without a Host header"
        if self.allows(values[0]):
            return None
        shown = q.for_terminal(values[0][:100])
        return (f"this server does not answer for the host {shown!r}; it answers for its own address and loopback "
                "names (start it with --public-host NAME to answer for a name)")


def _bare_host(host: str) -> str:
    """The host of a Host header or an address, lower-cased, without port, brackets or a final dot."""
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.split(":")[0]
    return host.rstrip(".")


def _message(exc: January20Error) -> str:
    return "; ".join(p.message for p in exc.problems)


@dataclass
class Endpoint:
    """A running server and its workers; ``url`` is the SPARQL endpoint's address."""

    server: ThreadingHTTPServer
    pool: QueryPool
    thread: threading.Thread | None = field(default=None)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"

    def start(self) -> "Endpoint":
        """Serve from a background thread (for tests and embedding)."""
        self.thread = threading.Thread(target=self.server.serve_forever, name="january20-sparql", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.pool.close()

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def make_endpoint(paths: Sequence[Path] | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                  limits: Limits = Limits(), quiet: bool = False, cors: bool = False,
                  public_hosts: Sequence[str] = ()) -> Endpoint:
    """Bind the server (port 0 picks a free port) and start its workers; serve with ``.start()`` or
    ``.server.serve_forever()``.

    ``cors`` lets any web page read the answers (``Access-Control-Allow-Origin: *``); ``public_hosts`` are names,
    besides its address and loopback names, that the server answers for in the Host header (others get 421).

    Raises January20Error if the data cannot be read or the address cannot be bound.
    """
    paths = list(paths or [])  # empty: the built dataset
    q.open_store(paths or None)  # a clean error for a missing or broken file, before any worker starts
    handler = type("Handler", (_Handler,), {"pool": None, "limits": limits, "quiet": quiet, "cors": cors,
                                            "hosts": HostCheck(host, public_hosts)})
    family_server = type("Server", (_Server,), {"max_connections": limits.max_connections,
                                                "retry_after": max(1, math.ceil(limits.queue_wait))})
    if ":" in host:
        import socket

        family_server.address_family = socket.AF_INET6
    try:
        server = family_server((host, port), handler)
    except OSError as exc:
        raise January20Error(Problem("serve", f"cannot listen on {host}:{port}: {exc.strerror or exc}")) from None
    try:
        pool = QueryPool(paths, limits)
    except BaseException:
        server.server_close()
        raise
    handler.pool = pool
    return Endpoint(server, pool)


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


if __name__ == "__main__":  # pragma: no cover - the worker entry point
    if sys.argv[1:2] != ["--worker"]:
        sys.exit("usage: python -m january20.sparql.serve --worker MEMORY_BYTES [FILE...]")
    sys.exit(_worker_main(sys.argv[2:]))
