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
