"""Push the dataset into any triplestore through the SPARQL 1.1 Graph Store HTTP Protocol.

One HTTP PUT replaces the whole target graph with the file's triples, so loading twice leaves the store exactly as
loading once (the protocol's PUT is idempotent). Credentials, when the store needs them, come from the
environment, never from the command line, where they would end up in shell history and process listings:

* ``J20_LOAD_USER`` and ``J20_LOAD_PASSWORD``: sent with HTTP digest or basic authentication, whichever the
  server asks for in its 401 challenge.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from january20.errors import TERMINAL_CONTROLS, January20Error, Problem, escape_controls

DEFAULT_GRAPH = "https://w3id.org/january20/dataset"
USER_ENV = "J20_LOAD_USER"
PASSWORD_ENV = "J20_LOAD_PASSWORD"
TIMEOUT_SECONDS = 120

CONTENT_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml",
                 ".owl": "application/rdf+xml", ".jsonld": "application/ld+json"}


@dataclass(frozen=True)
class LoadResult:
    status: int
    graph: str
    url: str
    triples_file: Path
    size: int


def default_file() -> Path:
    from january20.resources import default_project

    return default_project().root / "build" / "january20.ttl"


def graph_store_url(endpoint: str, graph: str) -> str:
    """The endpoint with the standard ``graph`` parameter added (keeping any query string it already has)."""
    parts = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in ("graph", "default")] + [("graph", graph)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


PORT = "the port must be a whole number from 1 to 65535"


def check_endpoint(endpoint: str) -> None:
    """Raise January20Error, in one line that shows no credential, unless ``endpoint`` is an http(s) URL with a host,
    a port from 1 to 65535 if any, no user or password (they come from the environment), and no space or control
    character (which the HTTP library refuses with a traceback, or which would end the request line early)."""
    scheme, _, rest = endpoint.partition("://")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        shown = f"{scheme}://…@{rest[len(authority.rpartition('@')[0]) + 1:]}"
        raise January20Error(Problem("--endpoint", f"refused: the URL carries credentials ({escape_controls(shown)}); "
                                     f"give them in the environment as {USER_ENV} and {PASSWORD_ENV}, never in the "
                                     "URL, which shell history and process listings keep"))

    def refuse(why: str) -> January20Error:
        return January20Error(Problem("--endpoint", f"not an http(s) URL: {why}: '{escape_controls(endpoint)}'"))

    bad = next((i for i, c in enumerate(endpoint) if c.isspace() or c in TERMINAL_CONTROLS), None)
    if bad is not None:
        raise refuse(f"a space or control character (U+{ord(endpoint[bad]):04X}) at character {bad + 1}")
    try:
        parts = urllib.parse.urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", "Port could not be cast ..."
        raise refuse(PORT if "Port" in str(exc) else str(exc)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refuse("expected http:// or https:// and a host")
    if port == 0:
        raise refuse(PORT)


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if user is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    # Both handlers: each answers only the challenge of its own scheme, so the server chooses.
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def load(endpoint: str, graph: str = DEFAULT_GRAPH, path: Path | None = None, *, user: str | None = None,
         password: str | None = None, environ: dict[str, str] | None = None,
         timeout: float = TIMEOUT_SECONDS) -> LoadResult:
    """Replace ``graph`` at the Graph Store endpoint ``endpoint`` with the triples of ``path``.

    ``path`` defaults to the built ``build/january20.ttl`` (the union of the dataset's graphs). Credentials default
    to the ``J20_LOAD_USER``/``J20_LOAD_PASSWORD`` environment variables. Returns the HTTP status (201 created,
    200/204 replaced). Raises January20Error with the server's answer on any failure.
    """
    environ = os.environ if environ is None else environ
    if user is None:
        user = environ.get(USER_ENV) or None
        password = environ.get(PASSWORD_ENV) if password is None else password
    check_endpoint(endpoint)
    if not urllib.parse.urlsplit(graph).scheme:
        raise January20Error(Problem("--graph", f"not an absolute IRI: {graph!r}"))
    path = Path(path) if path else default_file()
    content_type = CONTENT_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise January20Error(Problem(str(path), "a graph holds triples: give a .ttl, .nt, .rdf or .jsonld file "
                                                "(a .trig file holds several graphs)"))
    try:
        body = path.read_bytes()
    except OSError as exc:
        hint = " (run `january20 build` first)" if path.name == "january20.ttl" else ""
        raise January20Error(Problem(str(path), f"cannot read: {exc.strerror or exc}{hint}")) from None

    url = graph_store_url(endpoint, graph)
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": f"{content_type}; charset=utf-8"})
    try:
        with _opener(url, user, password).open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        reason = " ".join(detail[:3])[:300] or exc.reason
        if exc.code in (401, 403) and user is None:
            reason += f" (set {USER_ENV} and {PASSWORD_ENV} for a store that needs credentials)"
        raise January20Error(Problem(endpoint, f"PUT {graph} failed: HTTP {exc.code}: {reason}")) from None
    except (urllib.error.URLError, OSError) as exc:
        raise January20Error(Problem(endpoint, f"cannot reach the endpoint: {getattr(exc, 'reason', exc)}")
                             ) from None
    return LoadResult(status, graph, url, path, len(body))
