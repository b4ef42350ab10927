"""The dataset's IRIs dereference: Debian's Apache httpd, with the rules `january20 build` writes, answers a sample
of IRIs of every kind with each Accept header, both as the w3id.org namespace (303 to the site) and as the site
itself; and the sitemap lists every page."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import urllib.parse
from xml.etree import ElementTree

import pytest
from rdflib import Graph, URIRef

from january20.build import W3ID_HTACCESS, build
from january20.names import DEFAULT_BASE
from january20.publish import conneg
from january20.publish.site import SITE_DIR
from january20.publish.site.model import natural_key
from support import apache

W3ID_PATH = urllib.parse.urlsplit(DEFAULT_BASE).path  # /january20/
ACCEPTS = {  # Accept header -> the media type and rdflib format of the answer
    "text/turtle": ("text/turtle", "turtle"),
    "application/ld+json": ("application/ld+json", "json-ld"),
    "application/n-triples": ("application/n-triples", "nt"),
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": ("text/html", "html"),
    "*/*": ("text/html", "html"),
}


@pytest.fixture(scope="module")
def served(project):
    """A fresh build whose site is published at one loopback port, and the w3id.org rules at another."""
    apache.httpd_binary()
    site_port, w3id_port = apache.free_port(), apache.free_port()
    site_url = f"http://127.0.0.1:{site_port}/"
    folder = apache.readable_folder("j20-conneg-")
    try:
        result = build(project, folder / "build", site_url=site_url)
        w3id_root = folder / "w3id.org"
        (w3id_root / W3ID_PATH.strip("/")).mkdir(parents=True)
        shutil.copy(folder / "build" / W3ID_HTACCESS, w3id_root / W3ID_PATH.strip("/") / ".htaccess")
        for path in (w3id_root, w3id_root / W3ID_PATH.strip("/")):
            path.chmod(0o755)
        server = apache.start({site_port: folder / "build" / SITE_DIR, w3id_port: w3id_root})
        try:
            yield {"result": result, "site": site_url, "w3id": f"http://127.0.0.1:{w3id_port}{W3ID_PATH}",
                   "server": server}
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def get(url: str, accept: str) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    connection.request("GET", parts.path or "/", headers={"Accept": accept})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def sample(graph: Graph) -> list[URIRef]:
    """The first resource (in the site's order) of each kind: each first path segment at each depth."""
    chosen: dict[tuple, URIRef] = {}
    subjects = sorted((s for s in set(graph.subjects()) if str(s).startswith(DEFAULT_BASE)),
                      key=lambda s: natural_key(str(s)))
    for subject in subjects:
        rest = str(subject)[len(DEFAULT_BASE):]
        chosen.setdefault((rest.split("/")[0], rest.count("/")), subject)
    return list(chosen.values())


def triples_of(body: bytes, fmt: str) -> set:
    if fmt == "html":
        blocks = re.findall(rb'<script type="application/ld\+json">\n(.*?)\n</script>', body, re.S)
        own = [b for b in blocks if json.loads(b).get("@context") != "https://schema.org"]
        assert len(own) == 1
        return set(Graph().parse(data=own[0].decode("utf-8"), format="json-ld"))
    return set(Graph().parse(data=body.decode("utf-8"), format=fmt))


def test_sample_covers_every_kind_of_resource(served):
    kinds = {str(s)[len(DEFAULT_BASE):].split("/")[0] for s in sample(served["result"].built.union())}
    assert {"event", "place", "person", "organization", "count", "claim", "concept", "source", "editorial",
            "dataset", "distribution", "graph", "role"} <= kinds


def check_answer(response, iri: URIRef, accept: str, graph: Graph) -> str | None:
    media, fmt = ACCEPTS[accept]
    if response.status != 200:
        return f"{iri} [{accept}]: HTTP {response.status}"
    if response.getheader("Content-Type", "").split(";")[0].strip() != media:
        return f"{iri} [{accept}]: Content-Type {response.getheader('Content-Type')}, expected {media}"
    if triples_of(response.body, fmt) != set(graph.triples((iri, None, None))):
        return f"{iri} [{accept}]: the body is not the resource's triples"
    return None


def test_site_answers_each_iri_path_by_content_negotiation(served):
    graph = served["result"].built.union()
    wrong = []
    for iri in sample(graph):
        for accept in ACCEPTS:
            response = get(served["site"] + str(iri)[len(DEFAULT_BASE):], accept)
            wrong.append(check_answer(response, iri, accept, graph))
            if "Accept" not in (response.getheader("Vary") or ""):
                wrong.append(f"{iri} [{accept}]: no Vary: Accept")
    wrong = [w for w in wrong if w]
    assert not wrong, "\n".join(wrong) + served["server"].error_log()


def test_w3id_rules_send_each_iri_to_its_representation_on_the_site(served):
    graph = served["result"].built.union()
    wrong = []
    for iri in sample(graph):
        rest = str(iri)[len(DEFAULT_BASE):]
        for accept, (media, fmt) in ACCEPTS.items():
            redirect = get(served["w3id"] + rest, accept)
            ext = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt", "html": ".html"}[fmt]
            expected = served["site"] + rest + ext
            if redirect.status != 303 or redirect.getheader("Location") != expected:
                wrong.append(f"{iri} [{accept}]: {redirect.status} to {redirect.getheader('Location')}, "
                             f"expected 303 to {expected}")
                continue
            if redirect.getheader("Vary") != "Accept":
                wrong.append(f"{iri} [{accept}]: Vary {redirect.getheader('Vary')}")
            wrong.append(check_answer(get(expected, accept), iri, accept, graph))
    wrong = [w for w in wrong if w]
    assert not wrong, "\n".join(wrong) + served["server"].error_log()


def test_download_urls_of_the_distributions_lead_to_the_files(served):
    from rdflib.namespace import DCAT
    result = served["result"]
    urls = sorted(str(u) for u in result.built.union().objects(None, DCAT.downloadURL))
    assert len(urls) >= 8
    for url in urls:
        path = url[len(DEFAULT_BASE):]
        redirect = get(served["w3id"] + path, "*/*")
        assert (redirect.status, redirect.getheader("Location")) == (302, f"{served['site']}download/{path}")
        for response in (get(redirect.getheader("Location"), "*/*"), get(served["site"] + path, "*/*")):
            assert response.status == 200, url
            assert response.body == result.files[path], url
            media = conneg.MEDIA_TYPES["." + path.rsplit(".", 1)[-1]]
            assert response.getheader("Content-Type").split(";")[0] == media, url


def test_ontology_iri_gives_its_turtle_or_its_documentation(served):
    result = served["result"]
    for accept, name in (("text/turtle", "ontology/january20.ttl"), ("text/html", "ontology/index.html")):
        redirect = get(served["w3id"] + "ontology", accept)
        assert (redirect.status, redirect.getheader("Location")) == (303, f"{served['site']}download/{name}")
        assert get(served["site"] + "ontology", accept).body == result.files[name]


def test_namespace_itself_leads_to_the_landing_page(served):
    redirect = get(served["w3id"], "text/html")
    assert (redirect.status, redirect.getheader("Location")) == (302, served["site"])
    page = get(served["site"], "text/html")
    assert page.status == 200 and b'"@type": "Dataset"' in page.body


def test_sitemap_lists_every_page_at_the_site_url(served):
    files = served["result"].files
    sitemap = ElementTree.fromstring(files[f"{SITE_DIR}/sitemap.xml"])
    listed = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(name[len(SITE_DIR) + 1:] for name in files if name.startswith(SITE_DIR + "/")
                   and name.endswith(".html"))
    assert sorted(listed) == sorted(served["site"] + p for p in pages)
    assert len(pages) > 400
    assert get(served["site"] + "sitemap.xml", "*/*").status == 200


def test_robots_txt_points_at_the_sitemap(served):
    robots = served["result"].files[f"{SITE_DIR}/robots.txt"].decode()
    assert f"Sitemap: {served['site']}sitemap.xml" in robots.splitlines()
    assert get(served["site"] + "robots.txt", "*/*").body.decode() == robots


def test_sitemap_splits_into_an_index_past_fifty_thousand_pages():
    files = conneg.sitemaps("https://example.org/", [f"p/{i}.html" for i in range(50_001)])
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = ElementTree.fromstring(files["sitemap.xml"])
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert files["sitemap-2.xml"].count(b"<url>") == 1


def test_w3id_rules_are_written_only_for_a_site_published_elsewhere(rendered):
    assert W3ID_HTACCESS not in rendered.files


def test_build_refuses_a_site_url_without_a_trailing_slash(tmp_path):
    from click.testing import CliRunner
    from january20.cli import main
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), "--site-url", "https://example.org/j20"])
    assert result.exit_code == 2 and "--site-url" in result.output and "ending in '/'" in result.output
    assert not (tmp_path / "out").exists()
