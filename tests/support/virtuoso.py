"""A real Virtuoso server for tests, started through ``scripts/virtuoso.sh``.

Stdlib only, so it works before the project's own dependencies are installed.
Typical use from a session-scoped pytest fixture::

    from support import virtuoso   # tests/ is on sys.path under pytest

    @pytest.fixture(scope="session")
    def server(tmp_path_factory):
        ok, reason = virtuoso.available()
        if not ok:
            pytest.skip(reason)
        v = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
        yield v
        v.stop()

Each instance gets its own database directory and its own free loopback
ports, so parallel test runs and a developer's ``scripts/virtuoso.sh start``
on the default ports do not collide.

What Virtuoso 7.2.5 (Debian 12, virtuoso-opensource 7.2.5.1+dfsg1-0.3) does
to values, measured with this harness -- both the bulk loader (ld_dir /
rdf_loader_run) and the Graph Store PUT behave the same:

* Language tags are lower-cased on the way in: ``"x"@en-GB`` comes back as
  ``"x"@en-gb``, ``@az-Latn`` as ``@az-latn``. ``FILTER(lang(?o) = "en-GB")``
  therefore matches nothing, while ``langMatches(lang(?o), "en-GB")`` and
  ``?o = "x"@en-GB`` do match. Compare tags case-insensitively (BCP 47 says
  they are) or lower-case ours before comparing with Virtuoso's output.
* xsd:gMonthDay is kept as an opaque string: ``"--01-20"``, ``"--01-20Z"``
  and ``"--01-20+04:00"`` round-trip byte for byte with their datatype. It is
  NOT validated: ``"--13-45"`` and ``"--1-20"`` are accepted silently, so
  Virtuoso is no check on our gMonthDay values (SHACL has to be). Equality is
  lexical: ``"--01-20"`` does not equal ``"--01-20Z"``.
* xsd:integer is stored as a number and comes back in canonical form:
  ``"0131"`` -> ``"131"``, ``"+7"`` -> ``"7"``. An ill-typed ``"abc"^^xsd:integer``
  is silently stored as ``0`` -- no error from either loader.
  xsd:decimal ``"1.50"`` -> ``"1.5"``; xsd:double ``"1.5e0"`` -> ``"1.5"``.
  xsd:boolean ``"1"`` comes back as ``"1"`` in JSON results but ``"true"`` in
  N-Triples.
* xsd:dateTime keeps its lexical form, including fractional seconds, ``Z``,
  offsets and the absence of a timezone.
* ``"s"^^xsd:string`` and plain ``"s"`` stay distinct terms (RDF 1.0
  behaviour), unlike RDF 1.1 engines such as rdflib or Oxigraph.
* SPARQL JSON results use the old ``"type": "typed-literal"`` for literals
  with a datatype (not ``"literal"`` + ``"datatype"``); non-ASCII text is
  escaped as ``\\uXXXX``. Read ``datatype``/``xml:lang`` keys, not ``type``.
* The first Graph Store PUT of a graph answers 201, a repeated PUT 200; the
  graph is replaced, so triple counts are stable.
* ``isql-vt`` exits 0 even when a statement fails; errors are only visible as
  ``*** Error`` lines on stderr (scripts/virtuoso.sh turns them into exit 1).
  The bulk loader does not fail either: a parse error is recorded in
  ``DB.DBA.load_list.ll_error``, which :meth:`Virtuoso.bulk_load` checks.
* A fresh start takes about 2-5 s on this 2-core machine (the first start
  after boot is the slow one), stop about 1.5-2 s.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "virtuoso.sh"

SPARQL_JSON = "application/sparql-results+json"
HTTP_TIMEOUT = 60

# Quiet isql: no banner, prompt or echo, so stdout holds only result rows.
_ISQL_QUIET = ["VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"]


class VirtuosoError(RuntimeError):
    """Raised when the server cannot be started, queried or loaded."""


def _binary(env_var: str, default: str) -> str:
    return os.environ.get(env_var) or default


def available() -> tuple[bool, str]:
    """Tell whether a Virtuoso server can be started here.

    Returns ``(True, "")`` or ``(False, reason)`` where the reason names what
    is missing and how to install it.
    """
    missing = [
        name
        for name in (
            _binary("J20_VIRTUOSO_BIN", "virtuoso-t"),
            _binary("J20_VIRTUOSO_ISQL", "isql-vt"),
            "bash",
        )
        if shutil.which(name) is None
    ]
    if missing:
        return False, (
            f"{', '.join(missing)} not found on PATH "
            "(install with scripts/install-system-deps.sh: Debian package virtuoso-opensource)"
        )
    if not SCRIPT.is_file():
        return False, f"{SCRIPT} is missing"
    return True, ""


def _free_port() -> int:
    # The port is released before Virtuoso binds it; the window is tiny and
    # virtuoso.sh refuses to start on a port that turns out to be taken.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class Virtuoso:
    """A running private Virtuoso instance; create it with :func:`start`."""

    directory: Path
    sql_port: int
    http_port: int
    password: str = "dba"
    startup_seconds: float = 0.0
    _loads: itertools.count = field(default_factory=itertools.count, repr=False)
    _stopped: bool = field(default=False, repr=False)

    @property
    def sparql_url(self) -> str:
        """The SPARQL query endpoint (anonymous, read-only)."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def gsp_url(self) -> str:
        """The SPARQL 1.1 Graph Store endpoint that accepts writes (digest auth)."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    @property
    def load_dir(self) -> Path:
        """A directory the server's DirsAllowed covers, for bulk loading."""
        return self.directory / "load"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            J20_VIRTUOSO_DIR=str(self.directory),
            J20_VIRTUOSO_SQL_PORT=str(self.sql_port),
            J20_VIRTUOSO_HTTP_PORT=str(self.http_port),
            J20_VIRTUOSO_DBA_PASSWORD=self.password,
        )
        return env

    def isql(self, sql: str, timeout: float = 300) -> str:
        """Run SQL statements as dba and return isql's stdout (result rows only).

        Raises :class:`VirtuosoError` if any statement fails.
        """
        proc = subprocess.run(
            ["bash", str(SCRIPT), "isql", *_ISQL_QUIET, f"EXEC={sql}"],
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise VirtuosoError(f"isql failed ({proc.returncode}): {proc.stderr.strip()}\nSQL: {sql}")
        return proc.stdout

    def bulk_load(self, path: str | os.PathLike[str], graph_iri: str, *, replace: bool = False) -> None:
        """Load an RDF file into ``graph_iri`` with Virtuoso's bulk loader.

        The parser is chosen from the file extension (``.ttl``, ``.nt``,
        ``.nq``, ``.trig``, ``.rdf``/``.owl``, optionally ``.gz``). Triples are
        added to what the graph holds unless ``replace`` is true, in which case
        the graph is cleared first. Ends with a checkpoint, so the data
        survives a restart. Raises :class:`VirtuosoError` with the loader's
        message if the file does not parse.
        """
        source = Path(path)
        if not source.is_file():
            raise FileNotFoundError(source)
        # A fresh directory per load: DirsAllowed covers it, ld_dir's LIKE
        # pattern cannot pick up any other file, and load_list (keyed by
        # path) never mistakes it for an earlier, already-loaded file.
        target_dir = self.load_dir / f"{next(self._loads):04d}"
        target_dir.mkdir(parents=True)
        target = target_dir / source.name
        shutil.copyfile(source, target)

        statements = []
        if replace:
            statements.append(f"SPARQL CLEAR GRAPH <{graph_iri}>;")
        statements += [
            f"ld_dir({_sql_string(str(target_dir))}, {_sql_string(source.name)}, {_sql_string(graph_iri)});",
            "rdf_loader_run();",
            "checkpoint;",
        ]
        self.isql(" ".join(statements))

        state = self.isql(
            f"SELECT ll_state FROM DB.DBA.load_list WHERE ll_file = {_sql_string(str(target))};"
        ).split()
        if state != ["2"]:
            raise VirtuosoError(f"bulk loader did not finish {target} (ll_state {state})")
        error = self.isql(
            f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file = {_sql_string(str(target))};"
        ).strip()
        if error != "NULL":
            raise VirtuosoError(f"bulk load of {source} failed: {error}")

    def _request(self, request: urllib.request.Request, opener=None) -> tuple[int, bytes]:
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=HTTP_TIMEOUT) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            raise VirtuosoError(f"{request.get_method()} {request.full_url} -> {exc.code}: {body[:2000]}") from exc

    def select(self, query: str, *, method: str = "POST") -> dict:
        """Run a SPARQL SELECT or ASK and return the parsed SPARQL JSON results.

        ``method`` is ``"POST"`` (form-encoded) or ``"GET"`` (query string).
        """
        data = urllib.parse.urlencode({"query": query})
        headers = {"Accept": SPARQL_JSON}
        if method == "GET":
            request = urllib.request.Request(f"{self.sparql_url}?{data}", headers=headers, method="GET")
        elif method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(self.sparql_url, data=data.encode(), headers=headers, method="POST")
        else:
            raise ValueError(f"method must be GET or POST, not {method!r}")
        _, body = self._request(request)
        return json.loads(body)

    def construct(self, query: str) -> bytes:
        """Run a SPARQL CONSTRUCT or DESCRIBE and return N-Triples bytes."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.sparql_url,
            data=data,
            headers={"Accept": "application/n-triples", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        return self._request(request)[1]

    def triple_count(self, graph_iri: str) -> int:
        """Number of triples in the named graph."""
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
        return int(result["results"]["bindings"][0]["n"]["value"])

    def put_graph(
        self,
        turtle_bytes: bytes,
        graph_iri: str,
        user: str = "dba",
        password: str | None = None,
    ) -> int:
        """Replace ``graph_iri`` with the given Turtle via the Graph Store Protocol.

        Authenticates with HTTP digest auth (``password`` defaults to the
        instance's dba password). Returns the HTTP status: 201 when the graph
        was created, 200 or 204 when it was replaced.
        """
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph-uri': graph_iri})}"
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, self.gsp_url, user, self.password if password is None else password)
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
        request = urllib.request.Request(
            url, data=bytes(turtle_bytes), headers={"Content-Type": "text/turtle"}, method="PUT"
        )
        status, _ = self._request(request, opener)
        return status

    def stop(self) -> None:
        """Shut the server down (cleanly, or by force if it hangs). Idempotent."""
        if self._stopped:
            return
        proc = subprocess.run(
            ["bash", str(SCRIPT), "stop"],
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self._stopped = True
        if proc.returncode != 0:
            raise VirtuosoError(f"virtuoso.sh stop failed: {proc.stderr.strip()}")

    def __enter__(self) -> Virtuoso:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start(
    tmpdir: str | os.PathLike[str],
    *,
    sql_port: int | None = None,
    http_port: int | None = None,
    password: str = "dba",
    timeout: float = 60,
) -> Virtuoso:
    """Start a fresh Virtuoso with its database under ``tmpdir/virtuoso``.

    Ports default to free loopback ports. Blocks until /sparql answers (at
    most ``timeout`` seconds) and raises :class:`VirtuosoError` with the
    server's log tail if it does not.
    """
    ok, reason = available()
    if not ok:
        raise VirtuosoError(reason)
    sql_port = sql_port or _free_port()
    while not http_port or http_port == sql_port:
        http_port = _free_port()
    server = Virtuoso(
        directory=Path(tmpdir).resolve() / "virtuoso",
        sql_port=sql_port,
        http_port=http_port,
        password=password,
    )
    env = server._env()
    env["J20_VIRTUOSO_START_TIMEOUT"] = str(int(timeout))
    t0 = time.monotonic()
    proc = subprocess.run(
        ["bash", str(SCRIPT), "start"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout + 30,
    )
    server.startup_seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise VirtuosoError(f"virtuoso.sh start failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return server
