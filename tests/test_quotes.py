"""Locating quotes in the source text: exact offsets, and refusal when a quote is missing or ambiguous."""

import pytest

from january20.sources.quotes import QuoteNotFound, locate, sentences

TEXT = "Over the days, 21 more were killed in Baku, and 8 more in Lankaran on January 26."


def test_a_unique_quote_gets_its_offsets_and_context():
    found = locate(TEXT, "21 more")
    assert TEXT[found.start:found.end] == "21 more"
    assert found.prefix == TEXT[:found.start]
    assert found.suffix.startswith(" were killed")


def test_a_missing_quote_is_refused_and_points_at_the_typo():
    with pytest.raises(QuoteNotFound, match="not found.*first 19 characters 'were killed in Baku'"):
        locate(TEXT, "were killed in Bakuu")


def test_an_ambiguous_quote_is_refused_with_both_offsets():
    with pytest.raises(QuoteNotFound, match="ambiguous.*offsets 18 and 50"):
        locate(TEXT, "more")


def test_sentences_split_at_full_stops_but_not_inside_a_domain_name():
    text = "The flame was lit, Caliber.Az reports. The anthem was played.\nBy A. Writer"
    assert [s.exact for s in sentences(text)] == [
        "The flame was lit, Caliber.Az reports.", "The anthem was played.", "By A. Writer"]


def test_an_excerpt_keeps_the_quote_it_was_found_by_instead_of_a_copy():
    quote = "".join(["Alley of ", "Martyrs"])  # a string of its own, as a facts file's quote is
    excerpt = locate("They walked to the Alley of Martyrs at dawn.", quote)
    assert excerpt.exact is quote and (excerpt.start, excerpt.end) == (19, 35)
