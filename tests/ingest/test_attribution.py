"""Where news writing puts the speaker and the speech verb."""

import pytest

from .helpers import article, run, triples

INTRODUCTION = "South Korean Foreign Minister Cho Tae-yul held a press conference on Tuesday.\n"


@pytest.mark.parametrize(
    ("body", "mention", "cue"),
    [
        ('"We are ready," said Cho.', "Cho", "said"),
        ('"We are ready," Cho said.', "Cho", "said"),
        ('"We are ready," the minister said.', "the minister", "said"),
        ('The minister said, "We are ready."', "The minister", "said"),
        ('"We are ready," Cho continued.', "Cho", "continued"),
        ('He added, "We are ready."', "He", "added"),
        ('Cho said: "We are ready."', "Cho", "said"),
        ('"We are ready," Cho told reporters.', "Cho", "told reporters"),
        ('"We are ready," Cho said in a statement.', "Cho", "said in a statement"),
        ('"We are ready," according to Cho.', "Cho", "according to"),
    ],
)
def test_attribution_patterns(body, mention, cue):
    [quotation] = run(article(INTRODUCTION + body)).quotations
    assert quotation.quote.rstrip(",.") == "We are ready"
    assert (quotation.speaker.name, quotation.mention, quotation.cue) == ("Cho Tae-yul", mention, cue)


@pytest.mark.parametrize(
    "verb",
    [
        "added",
        "noted",
        "stressed",
        "warned",
        "told",
        "wrote",
        "asked",
        "argued",
        "insisted",
        "explained",
        "continued",
        "emphasized",
        "emphasised",
        "urged",
        "declared",
        "stated",
        "remarked",
        "recalled",
    ],
)
def test_speech_verbs_beyond_said(verb):
    [quotation] = run(article(INTRODUCTION + f'"Dialogue must continue," Cho {verb}.')).quotations
    assert (quotation.speaker.name, quotation.cue.split()[0]) == ("Cho Tae-yul", verb)


def test_participle_cues_take_the_main_clause_subject():
    text = article(
        'The senior official said, "The important thing is our position," adding that "we must keep all options '
        'open," and clarifying that "there is no need to doubt the goal."'
    )
    cues = [(quotation.speaker.label, quotation.cue, quotation.kind) for quotation in run(text).quotations]
    assert cues == [
        ("senior official", "said", "direct"),
        ("senior official", "adding", "partial"),
        ("senior official", "clarifying", "partial"),
    ]


def test_paragraph_that_is_only_a_quotation_takes_the_previous_speaker():
    text = article(INTRODUCTION + "Cho said the alliance would endure.\n“We will not be shaken by outside pressure.”")
    assert triples(text) == [("We will not be shaken by outside pressure.", "Cho Tae-yul", "direct")]


def test_quotation_with_attribution_in_the_next_sentence():
    text = article(INTRODUCTION + "“We will not be shaken.” Cho said this at the ministry.")
    assert triples(text) == [("We will not be shaken.", "Cho Tae-yul", "direct")]


def test_speaker_after_the_verb_with_full_title():
    text = article('"Our alliance is ironclad," said U.S. Secretary of State Antony Blinken during the visit.')
    [quotation] = run(text).quotations
    speaker = quotation.speaker
    assert (speaker.name, speaker.title, speaker.country) == ("Antony Blinken", "Secretary of State", "US")


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        ('Ohio Gov. Jane Roe has also broadly called for "boots on the ground" in the region.', "Ohio Gov. Jane Roe"),
        ('Senator Tom Poe bluntly dismissed the accord as "nowhere near far enough" on Monday.', "Senator Tom Poe"),
        ('The city council has always described the plan as "a waste of money" in its votes.', "The city council"),
        ('Senator Tom Poe on Saturday criticized the accord, saying it goes "nowhere near far enough."', None),
    ],
)
def test_adverbs_between_speaker_and_verb_are_not_the_speaker(body, mention):
    (quotation,) = run(article(body)).quotations
    assert quotation.mention == (mention or "Senator Tom Poe")


def test_the_outlet_spoken_to_is_not_the_speaker():
    text = article(
        'Another intelligence source speaking to Fox News said, "The agents are looking at the contracts."\n'
        'A senior aide talking with The Times said, "Nothing has been decided."'
    )
    assert [quotation.mention for quotation in run(text).quotations] == [
        "Another intelligence source",
        "A senior aide",
    ]


def test_a_name_that_is_also_a_word_after_the_quotation():
    text = article(
        "Columnist George Will and the strategist Al From wrote about the race on Sunday.\n"
        '"The eruption of war is a reminder of the stakes," Will wrote.\n'
        '"The circumstances changed after the depression," From said.'
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["Will", "From"]


@pytest.mark.parametrize(
    ("body", "quote", "mention"),
    [
        (
            '"He can assert it, but it seems extremely unlikely" that Lee can catch up, said Tom Poe, a strategist.',
            "He can assert it, but it seems extremely unlikely",
            "Tom Poe",
        ),
        (
            '"There is a sense of stability now," and donations began to pick up last week, Jane Roe said.',
            "There is a sense of stability now,",
            "Jane Roe",
        ),
        (
            'That would create a "summer of agony" for the front-runner, forcing her to fight on, said Tom Poe.',
            "summer of agony",
            "Tom Poe",
        ),
    ],
)
def test_a_clause_closing_the_sentence_names_the_speaker_of_the_words_before_it(body, quote, mention):
    (quotation,) = run(article(body)).quotations
    assert (quotation.quote, quotation.mention) == (quote, mention)
    assert quotation.confidence > 0.5


def test_a_capitalised_word_inside_a_name_is_not_a_speech_verb():
    # "States" is a speech verb only in lower case; "the United" is nobody.
    text = article(
        'Civic groups asked the senator to reject a general who suggested that the United States should "segregate" '
        "radicals.\n"
        'Officials in the region hope the United States will "stay the course" on trade.'
    )
    mentions = [quotation.mention for quotation in run(text).quotations]
    assert "Officials" in mentions
    assert not any("United" in (mention or "") for mention in mentions)


def test_went_on_after_a_quotation_names_the_speaker():
    text = article('Tom Poe said the plan was fine. "It is a bit concerning to me," Jane Roe went on.')
    assert triples(text) == [("It is a bit concerning to me,", "Jane Roe", "direct")]


def test_a_colon_introduction_from_a_source():
    text = article(
        "The poll results surprised many observers across the country on Monday night and into the morning.\n"
        "From the report: “In general, samples with more careful weighting produced more accurate results.”\n"
        "More from Jones: “The partisanship of the state population is a starting point.”"
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["the report", "Jones"]


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        (
            "On Thursday, after remaining neutral throughout the primary, Jane Roe appeared on television and "
            'endorsed the senator, saying, "I think having a fighter in the lead is what this country needs."',
            "Jane Roe",
        ),
        (
            "But Sen. Tom Poe (D-Ill.), noting the size of the crowd, said, "
            '"Let me tell you, he has got a heck of an email list."',
            "Sen. Tom Poe",
        ),
    ],
)
def test_the_subject_after_opening_phrases_and_a_bracketed_party(body, mention):
    (quotation,) = run(article(body)).quotations
    assert quotation.mention == mention


def test_a_phrase_of_time_between_speaker_and_verb_is_not_the_speaker():
    text = article('Lee said that Poe in the past has called the plan "weak" in his speeches.')
    assert [quotation.mention for quotation in run(text).quotations] == ["Poe"]
