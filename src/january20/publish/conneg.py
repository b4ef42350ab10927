"""What makes the dataset's IRIs dereference, and its pages findable: Apache rewrite rules, a sitemap, robots.txt.

Every resource IRI ``<base>PATH`` has its page and its data beside it in the site: ``PATH.html``, ``PATH.ttl``,
``PATH.jsonld`` and ``PATH.nt``. Two ``.htaccess`` files choose among them by the request's Accept header
(``text/turtle``, ``application/ld+json``, ``application/n-triples``, anything else HTML), both answering
``Vary: Accept``:

- the **site's own** (``site/.htaccess``), for an Apache httpd serving the site folder: it rewrites internally,
  so ``<site>place/baku`` answers with the Turtle itself;
- the **w3id.org redirect** (``w3id/.htaccess``), for the pull request that claims ``https://w3id.org/january20/``:
  it answers ``303 See Other`` to where the site is published (``--site-url``), so the IRI
  ``https://w3id.org/january20/place/baku`` asked for Turtle leads to ``<site>place/baku.ttl``.

Both also send the dataset's download URLs (``<base>january20.ttl``, ``<base>events/<slug>.jsonld`` ...: the
``dcat:downloadURL`` of every distribution is the base plus the file's path in the build) to the file published
under ``download/``, and the ontology's IRI to its documentation or its Turtle.

Rules are matched in order, on substrings of the Accept header: mod_rewrite cannot weigh q-values, so a client
that asks for Turtle among other types gets Turtle (as the usual w3id.org rules do). The files are written for
Apache httpd 2.4 with mod_rewrite, mod_mime and mod_headers (all on at w3id.org).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# Resource representations, in the order the rules try them; HTML is what anything else gets.
REPRESENTATIONS = (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"))
HTML = ".html"
MEDIA_TYPES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
               ".trig": "application/trig", ".html": "text/html", ".txt": "text/plain", ".xml": "application/xml"}
DOWNLOAD_DIR = "download"
# The ontology's IRI (<base>ontology, whose terms are <base>ontology#Term) and its two representations among the
# build's files.
ONTOLOGY = "ontology"
ONTOLOGY_FILES = {".html": "ontology/index.html", ".ttl": "ontology/january20.ttl"}


def _alternatives(paths) -> str:
    return "|".join(re.escape(p) for p in sorted(paths))


def _header(what: str) -> list[str]:
    return [f"# {what}", "# Written by `january20 build` (publish/conneg.py); do not edit: build again.", ""]


def _common() -> list[str]:
    # A resource can be a page and a folder (place/baku.html, and place/baku/ holding its geometry's page): the IRI
    # must not be redirected to the folder (mod_dir's trailing slash) before the rules below see it.
    return ["Options -MultiViews", "DirectorySlash Off",
            *(f"AddType {media} {ext}" for ext, media in sorted(MEDIA_TYPES.items()) if ext != HTML),
            "AddCharset utf-8 " + " ".join(sorted(MEDIA_TYPES)),
            "RewriteEngine On", ""]


def _downloads_and_ontology(downloads, target: str, flags: str, negotiated_flags: str) -> list[str]:
    """The rules both rule sets share: the build's files at their download URLs, and the ontology's IRI (its Turtle
    to a client that accepts Turtle, else its documentation), each sent to ``target`` + its path with ``flags``
    (``negotiated_flags`` where the Accept header chose)."""
    lines: list[str] = []
    files = sorted(downloads)
    if files:
        lines += ["# The dataset's files, at their download URLs (the base plus their path in the build).",
                  f"RewriteRule ^({_alternatives(files)})$ {target}$1 {flags}", ""]
    ontology = {ext: path for ext, path in ONTOLOGY_FILES.items() if path in files}
    if ontology:
        lines.append("# The ontology's IRI: its Turtle, else its documentation.")
        if ".ttl" in ontology:
            lines += ["RewriteCond %{HTTP_ACCEPT} text/turtle",
                      f"RewriteRule ^{ONTOLOGY}$ {target}{ontology['.ttl']} {negotiated_flags}"]
        if ".html" in ontology:
            lines.append(f"RewriteRule ^{ONTOLOGY}$ {target}{ontology['.html']} {negotiated_flags}")
        lines.append("")
    return lines


def site_htaccess(downloads) -> bytes:
    """The site's own rules: internal rewrites from each IRI's path to its representation in the site folder.

    ``downloads`` are the paths of the build's files that the site publishes under ``download/``."""
    lines = _header("Content negotiation for the january20 site, served by Apache httpd 2.4 from this folder.")
    lines += _common()
    lines += _downloads_and_ontology(downloads, f"{DOWNLOAD_DIR}/", "[L]", "[L,E=J20_NEGOTIATED:1]")
    lines.append("# A resource's IRI: the representation the client accepts, else its page.")
    for media, ext in REPRESENTATIONS:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {re.escape(media)}",
                  f"RewriteCond %{{REQUEST_FILENAME}}{ext} -f",
                  f"RewriteRule ^(.+)$ $1{ext} [L,E=J20_NEGOTIATED:1]"]
    lines += [f"RewriteCond %{{REQUEST_FILENAME}}{HTML} -f",
              f"RewriteRule ^(.+)$ $1{HTML} [L,E=J20_NEGOTIATED:1]", "",
              "# What was chosen by the Accept header says so, for caches.",
              "<IfModule mod_headers.c>",
              "Header merge Vary Accept env=REDIRECT_J20_NEGOTIATED",
              "</IfModule>", ""]
    return "\n".join(lines).encode("utf-8")


def w3id_htaccess(site_url: str, downloads) -> bytes:
    """The rules for w3id.org: ``303 See Other`` from each IRI under the namespace to the representation that the
    client accepts, on the site published at ``site_url`` (ending in ``/``). ``downloads`` as for
    :func:`site_htaccess`."""
    if not site_url.endswith("/"):
        raise ValueError(f"the site URL must end in '/': {site_url!r}")
    lines = _header(f"The january20 namespace: redirects to the site published at {site_url}")
    lines += ["RewriteEngine On", "",
              "# Every answer depends on the Accept header.",
              "<IfModule mod_headers.c>", "Header always set Vary Accept", "</IfModule>", "",
              "# The namespace itself: the site's landing page.",
              f"RewriteRule ^$ {site_url} [R=302,L]", ""]
    lines += _downloads_and_ontology(downloads, f"{site_url}{DOWNLOAD_DIR}/", "[R=302,L]", "[R=303,L]")
    lines += ["# A path with an extension is one of the site's own files (a page, its Turtle ...).",
              f"RewriteRule ^(.+\\.[a-z]+)$ {site_url}$1 [R=302,L]", "",
              "# A resource's IRI: the representation the client accepts, else its page."]
    for media, ext in REPRESENTATIONS:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {re.escape(media)}",
                  f"RewriteRule ^(.+)$ {site_url}$1{ext} [R=303,L]"]
    lines += [f"RewriteRule ^(.+)$ {site_url}$1{HTML} [R=303,L]", ""]
    return "\n".join(lines).encode("utf-8")


SITEMAP = "sitemap.xml"
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, as sitemaps.org allows


def sitemaps(site_url: str, pages) -> dict[str, bytes]:
    """Sitemaps (sitemaps.org 0.9) listing every page at ``site_url``: ``pages`` are paths in the site folder.

    One ``sitemap.xml``; past 50,000 pages, ``sitemap.xml`` is an index of ``sitemap-1.xml``, ``sitemap-2.xml`` ...
    each listing at most 50,000."""
    pages = list(pages)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if len(pages) <= SITEMAP_LIMIT:
        return {SITEMAP: _urlset(site_url, pages)}
    out = {}
    for number, start in enumerate(range(0, len(pages), SITEMAP_LIMIT), 1):
        out[f"sitemap-{number}.xml"] = _urlset(site_url, pages[start:start + SITEMAP_LIMIT])
    entries = "".join(f"  <sitemap><loc>{escape(site_url + name)}</loc></sitemap>\n" for name in out)
    out[SITEMAP] = (head + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                    f"{entries}</sitemapindex>\n").encode("utf-8")
    return out


def _urlset(site_url: str, pages) -> bytes:
    urls = "".join(f"  <url><loc>{escape(site_url + path)}</loc></url>\n" for path in pages)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode("utf-8")


def robots(site_url: str) -> bytes:
    """robots.txt: every page may be crawled, and here is the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}{SITEMAP}\n".encode("utf-8")
