"""The browsable static site: an overview with a timeline, a counts chart and a map; the article with its quoted
spans; and one page per resource at a path mirroring its IRI (``<base>place/baku`` -> ``place/baku.html``, with
``place/baku.ttl`` and ``place/baku.jsonld`` beside it).

The site is plain HTML and CSS with relative links: no server of ours, no network, no scripts beyond the JSON-LD
data blocks. It is rendered as bytes like every other output, so it is byte-for-byte the same on every build.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..dataset import Built
from .model import SiteModel
from .pages import Site

SITE_DIR = "site"


def render_site(built: Built, ontology: Graph, context: dict, downloads: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of the site, keyed by its path inside the site folder.

    ``downloads`` are the build's own files (Turtle, N-Triples, ...), published under ``download/`` and listed on
    the index with their sizes and SHA-256 checksums. Raises January20Error if a resource IRI would overwrite one of
    the site's own pages.
    """
    return Site(SiteModel(built, ontology), context, downloads).files()


def site_files(files: dict[str, bytes]) -> set[str]:
    """The site's paths (relative to the site folder) among a build's output files."""
    return {name[len(SITE_DIR) + 1:] for name in files if name.startswith(SITE_DIR + "/")}


def write_site(files: dict[str, bytes], site_dir: Path) -> int:
    """Write the site part of a build's output files into ``site_dir`` (atomically, file by file) and remove what
    an earlier build left there that this one did not write. Returns the number of files written."""
    from ..build import write_atomically  # build imports this package; importing it here avoids a cycle

    keep = site_files(files)
    write_atomically({path: files[f"{SITE_DIR}/{path}"] for path in keep}, site_dir)
    remove_stale(site_dir, keep)
    return len(keep)


def remove_stale(site_dir: Path, keep: set[str]) -> list[str]:
    """Delete files under ``site_dir`` that the current build did not write (a resource that no longer exists),
    then empty folders. Returns the removed paths, relative to ``site_dir``, sorted."""
    removed = []
    if not site_dir.is_dir():
        return removed
    for path in sorted(site_dir.rglob("*"), reverse=True):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
            removed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(removed)
