"""IRI minting: one owner, readable slugs, nothing unreadable or colliding gets through."""

import pytest

from january20.names import Names


def test_iris_are_minted_under_the_configured_base():
    assert str(Names("https://example.org/j20/").mint("place", "neftchala")) == "https://example.org/j20/place/neftchala"


@pytest.mark.parametrize("slug", ["Neftchala", "neft chala", "a--b", "-a", "ə", "a/b", ""])
def test_a_slug_that_would_make_an_unreadable_iri_is_refused(slug):
    with pytest.raises(ValueError, match="slug"):
        Names().mint("place", slug)


@pytest.mark.parametrize("base", ["https://example.org/j20", "ftp://example.org/", "https://exa mple.org/"])
def test_a_base_that_is_not_an_http_iri_ending_in_a_slash_is_refused(base):
    with pytest.raises(ValueError, match="base IRI"):
        Names(base)


def test_a_minted_iri_is_the_uriref_rdflib_would_make():
    from rdflib import URIRef

    names = Names("https://example.org/j20/")
    excerpt = names.excerpt("article", 3, 14)
    for iri, text in ((names.mint("place", "baku"), "https://example.org/j20/place/baku"),
                      (excerpt, "https://example.org/j20/source/article/excerpt/3-14"),
                      (names.sentence("article", 2), "https://example.org/j20/source/article/sentence/2"),
                      (names.selector(excerpt, "quote"), f"{excerpt}/quote-selector")):
        assert type(iri) is URIRef and iri == URIRef(text) and hash(iri) == hash(URIRef(text))


def test_a_selector_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="selector"):
        Names().selector(Names().excerpt("a", 0, 1), "range")


def test_an_iri_asked_for_again_is_the_same_object():
    names = Names()
    assert names.mint("place", "baku") is names.mint("place", "baku")
