"""Direct quotations, partial quotations inside paraphrase, and quoted words that are nobody's statement."""

from .helpers import article, triples

INTRODUCTION = "Foreign Minister Cho Tae-yul spoke to reporters on Tuesday.\n"


def test_whole_sentence_quotations_are_direct():
    text = article(INTRODUCTION + '"We are ready," Cho said. He added, "Talks can start soon."')
    assert [kind for _, _, kind in triples(text)] == ["direct", "direct"]


def test_quoted_words_inside_paraphrase_are_partial():
    text = article(
        INTRODUCTION + 'Cho said the alliance would be "firmly maintained and strengthened" under the new government.'
    )
    assert triples(text) == [("firmly maintained and strengthened", "Cho Tae-yul", "partial")]


def test_several_partial_quotations_in_one_reported_sentence():
    text = article(
        INTRODUCTION
        + 'The minister added that "uncertainty" was a "crisis factor" while cooperation was an "opportunity."'
    )
    assert [(quote, kind) for quote, _, kind in triples(text)] == [
        ("uncertainty", "partial"),
        ("crisis factor", "partial"),
        ("opportunity.", "partial"),
    ]


def test_partial_quotation_with_trailing_attribution():
    text = article(INTRODUCTION + 'The alliance is "rock solid," Cho said.')
    assert triples(text) == [("rock solid,", "Cho Tae-yul", "partial")]


def test_scare_quotes_and_terms_without_a_speaker_are_not_statements():
    text = article(
        INTRODUCTION + "The minister also addressed whether Korea’s “value diplomacy” will continue, with Trump "
        "having emphasized a national interest-centered “America-first” policy."
    )
    assert triples(text) == []


def test_titles_of_works_are_not_statements():
    text = article(INTRODUCTION + 'Cho said he had watched the Netflix series "Squid Game" twice.')
    assert triples(text) == []


def test_so_called_terms_are_not_statements():
    text = article(INTRODUCTION + 'Cho said the so-called "two-state" doctrine was dangerous.')
    assert triples(text) == []
