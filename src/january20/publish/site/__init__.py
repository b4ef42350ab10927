"""The browsable static site: an overview with a timeline, a counts chart and a map; the article with its quoted
spans (with several sources, a page per article and a list of them); and one page per resource at a path
mirroring its IRI (``<base>place/baku`` -> ``place/baku.html``, with ``place/baku.ttl`` and ``place/baku.jsonld``
beside it).

The site is plain HTML and CSS with relative links: no server of ours, no network, no scripts beyond the JSON-LD
data blocks. It is rendered as bytes like every other output, so it is byte-for-byte the same on every build.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from january20.graph.dataset import Built
from january20.publish import conneg
from january20.publish.atomic import write_atomically
from january20.publish.site.model import SiteModel
from january20.publish.site.pages import Site

SITE_DIR = "site"


def render_site(built: Built, ontology: Graph, context: dict, downloads: dict[str, bytes],
                site_url: str | None = None) -> dict[str, bytes]:
    """Every file of the site, keyed by its path inside the site folder.

    ``downloads`` are the build's own files (Turtle, N-Triples, ...), published under ``download/`` and listed on
    the index with their sizes and SHA-256 checksums. ``site_url`` is where the site is published (default: the
    base IRI, as when it is served at the IRIs themselves): the sitemap and robots.txt name pages there. Beside the
    pages, the site's ``.htaccess`` makes each IRI's path answer by content negotiation (publish/conneg.py).
    Raises January20Error if a resource IRI would overwrite one of the site's own pages.
    """
    site_url = site_url or built.names.base
    files = Site(SiteModel(built, ontology), context, downloads).files()
    pages = [path for path in files if path.endswith(".html")]
    files[".htaccess"] = conneg.site_htaccess(downloads)
    files.update(conneg.sitemaps(site_url, pages))
    files["robots.txt"] = conneg.robots(site_url)
    return files


def site_files(files: dict[str, bytes]) -> set[str]:
    """The site's paths (relative to the site folder) among a build's output files."""
    return {name[len(SITE_DIR) + 1:] for name in files if name.startswith(SITE_DIR + "/")}


def write_site(files: dict[str, bytes], site_dir: Path) -> int:
    """Write the site part of a build's output files into ``site_dir``, replacing the folder whole and atomically
    (so pages of resources that no longer exist go with it). Returns the number of files written."""
    keep = site_files(files)
    write_atomically({path: files[f"{SITE_DIR}/{path}"] for path in keep}, site_dir)
    return len(keep)
