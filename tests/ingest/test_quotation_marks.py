"""Quotation marks of every kind, nesting, apostrophes, run-on paragraphs and split quotations."""

from itertools import pairwise

import pytest

from .helpers import article, run, triples


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ('"', "”"), ("“", '"')],
)
def test_quotation_marks_of_every_kind(opening, closing):
    text = article(f"{opening}We will stand together with our allies,{closing} Cho said on Tuesday.")
    assert triples(text) == [("We will stand together with our allies,", "Cho", "direct")]


def test_quote_within_a_quote_stays_in_the_outer_quotation():
    text = article(
        "South Korean Foreign Minister Cho Tae-yul spoke on Tuesday.\n"
        "\"The wave of protectionism will grow due to 'America First' policies,\" said Cho."
    )
    assert triples(text) == [
        ("The wave of protectionism will grow due to 'America First' policies,", "Cho Tae-yul", "direct")
    ]


def test_apostrophes_are_not_quotation_marks():
    text = article("“We can't ignore Trump's plans or the Koreas' talks,” Cho said. ‘It’s clear,’ he added.")
    quotes = [quote for quote, _, _ in triples(text)]
    assert quotes == ["We can't ignore Trump's plans or the Koreas' talks,", "It’s clear,"]


def test_quotation_running_on_into_the_next_paragraph():
    text = article(
        'Cho said: "Many changes are expected, but the alliance will be maintained.\n'
        '"We will work closely with the new administration."\n'
        "Reporters asked about trade."
    )
    assert triples(text) == [
        ("Many changes are expected, but the alliance will be maintained.", "Cho", "direct"),
        ("We will work closely with the new administration.", "Cho", "direct"),
    ]


def test_quotation_split_by_said_speaker():
    text = article('"The alliance is strong," said Cho. "It will grow stronger."')
    assert triples(text) == [
        ("The alliance is strong,", "Cho", "direct"),
        ("It will grow stronger.", "Cho", "direct"),
    ]


def test_quotation_split_by_speaker_said_with_a_comma():
    text = article('"The alliance is strong," Cho said, "and it will grow stronger."')
    assert triples(text) == [
        ("The alliance is strong,", "Cho", "direct"),
        ("and it will grow stronger.", "Cho", "direct"),
    ]


def test_offsets_index_the_text_as_given():
    text = article("“We are ready,” the minister said.\n\nShe added: “Talks can start today.”")
    for quotation in run(text).quotations:
        assert text[quotation.start : quotation.end] == quotation.quote
        assert text[quotation.mention_start : quotation.mention_end] == quotation.mention


def test_a_stray_mark_never_quotes_words_already_quoted():
    # Straight marks nested in straight marks: the inner pair cannot be told from two quotations, but no quotation
    # may reach back over words another one already holds.
    text = article(
        '"Do we need a new plan?" Lee asked. "But if somebody walks in and says, "I\'d like ten thousand rounds," '
        'you might be suspicious."'
    )
    quotations = run(text).quotations
    spans = sorted((quotation.start, quotation.end) for quotation in quotations)
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(spans))
    assert quotations[0].quote == "Do we need a new plan?"
    assert quotations[0].mention == "Lee"


def test_a_quotation_nested_in_the_same_marks_stays_inside_the_outer_one():
    text = article(
        "“Beyond the challenges polling faces, such as the growing number of “cell phone only” households, the "
        "misfire has older causes,” Jane Doe wrote."
    )
    assert triples(text) == [
        (
            "Beyond the challenges polling faces, such as the growing number of “cell phone only” households, the "
            "misfire has older causes,",
            "Jane Doe",
            "direct",
        )
    ]


def test_a_quotation_ending_with_one_quoted_in_it_closes_before_its_attribution():
    # The comma that hands over to the attribution stands inside the nested quotation's closing mark.
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        "She has opposed the rules since they were first proposed last year by the agency.\n"
        "“This narrative is pushed by the media, where we find the labels of ‘criminal, super predator,’” Malkia "
        "Roe, the director of a media group and whose work is also featured in the film, told the Daily Ledger."
    )
    quotation = run(text).quotations[0]
    assert (quotation.kind, quotation.mention, quotation.speaker.label) == ("direct", "Malkia Roe", "Malkia Roe")
