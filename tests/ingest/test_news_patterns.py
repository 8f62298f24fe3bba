"""Patterns of news attribution beyond our own articles: text hygiene, follow-on quotations and their mentions."""

from pathlib import Path

import pytest

from .helpers import article, run, triples

DOUBLED = article(
    "Senator Jane Doe spoke in Ohio on Tuesday.\n"
    "''We will not back down,'' Ms. Doe said. ''The people want this.''\n"
    "Her rival called it ''a 'stunt.' ''"
)


def test_doubled_apostrophes_are_double_quotation_marks_when_asked():
    extraction = run(DOUBLED, doubled_marks=True)
    quotations = extraction.quotations
    assert [(quotation.quote, quotation.speaker.label) for quotation in quotations[:2]] == [
        ("We will not back down,", "Jane Doe"),
        ("The people want this.", "Jane Doe"),
    ]
    for quotation in quotations:
        # Offsets into the text as given, the doubled marks outside them.
        assert DOUBLED[quotation.start : quotation.end] == quotation.quote
        assert DOUBLED[quotation.start - 2 : quotation.start] == "''"
    assert extraction.doubled_left_out == 0


def test_quotations_in_doubled_marks_are_left_out_and_counted_by_default():
    extraction = run(DOUBLED)
    assert extraction.quotations == []
    assert extraction.speakers == []
    assert extraction.doubled_left_out == len(run(DOUBLED, doubled_marks=True).quotations) == 3
    assert extraction.as_dict()["doubled_left_out"] == 3


def test_doubled_marks_left_out_leave_the_other_quotations_as_read():
    text = article(
        "Senator Jane Doe spoke in Ohio on Tuesday.\n"
        '"We will not back down," Ms. Doe said.\n'
        "Her rival, John Roe, called it ''a stunt.''\n"
        '"It will pass," Mr. Roe said.'
    )
    extraction = run(text)
    assert [(quote, speaker) for quote, speaker, _ in triples(text)] == [
        ("We will not back down,", "Jane Doe"),
        ("It will pass,", "John Roe"),
    ]
    assert extraction.doubled_left_out == 1
    assert [speaker.name for speaker in extraction.speakers] == ["Jane Doe", "John Roe"]


def test_doubled_marks_within_a_double_quotation_quote_within_it():
    text = article(
        "Foreign Minister Jane Doe said on Tuesday: \"My counterpart told me ''we will not back down'' and I "
        'believe him," at the meeting.\n'
        "The deal was called ''historic'' by aides."
    )
    for doubled_marks in (False, True):
        first = run(text, doubled_marks=doubled_marks).quotations[0]
        assert (first.quote, first.speaker.label) == (
            "My counterpart told me ''we will not back down'' and I believe him,",
            "Jane Doe",
        )
    assert [quotation.quote for quotation in run(text, doubled_marks=True).quotations][1:] == ["historic"]
    assert run(text).doubled_left_out == 1


def test_tex_style_quotation_marks():
    text = article("``We will not back down,'' Senator Jane Doe said on Tuesday.")
    assert triples(text, doubled_marks=True) == [("We will not back down,", "Jane Doe", "direct")]
    assert triples(text) == []


def test_markup_pasted_with_an_embed_is_not_quoted():
    text = article(
        'Senator Jane Doe wrote on Twitter on Tuesday: "We will not back down."\n'
        '<tweet id="123" author="@janedoe" datetime="2016-09-01">We will not back down.</tweet>\n'
        "The post was shared widely."
    )
    assert [quote for quote, _, _ in triples(text)] == ["We will not back down."]


def test_mojibake_is_not_a_copyright_line():
    text = article(
        "The chef JosÃ© AndrÃ©s spoke to reporters on Tuesday in Washington about the new restaurant.\n"
        '"We will open in the spring," AndrÃ©s said.\n'
        "© 2016 The Daily Example"
    )
    assert [quote for quote, _, _ in triples(text)] == ["We will open in the spring,"]


def test_follow_on_quotation_carries_the_mention_of_its_speaker():
    text = article(
        "Senator Jane Doe spoke in Ohio on Tuesday.\n"
        '"We will not back down," she said. "The people want this."\n'
        '"And they will get it."'
    )
    first, second, third = run(text).quotations
    mention = text.index("she said")
    for quotation in (first, second, third):
        assert (quotation.speaker.name, quotation.mention) == ("Jane Doe", "she")
        assert (quotation.mention_start, quotation.mention_end) == (mention, mention + 3)


def mention_of(text: str, quote: str) -> tuple[str | None, str | None]:
    """(mention, speaker label) of the quotation that starts with quote; the mention checked against its offsets."""
    for quotation in run(text).quotations:
        if quotation.quote.startswith(quote):
            if quotation.mention is not None:
                assert text[quotation.mention_start : quotation.mention_end] == quotation.mention
            return quotation.mention, quotation.speaker.label if quotation.speaker else None
    raise AssertionError(f"no quotation {quote!r} in {[q.quote for q in run(text).quotations]}")


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        # Speakers no lexicon lists.
        ('"We are doing fine," the investor said.', "the investor"),
        ('"Trump is very cute," one user wrote.', "one user"),
        ('"It is a scam," the progressive heavyweights wrote in a joint statement.', "the progressive heavyweights"),
        ('"We welcome all," the website explains.', "the website"),
        ('"Not us but we cannot argue with it!" Murphy, the head of Right to Rise USA, tweeted on Friday.', "Murphy"),
        # Reporting verbs beyond the common ones, before or after the speaker.
        ('"This is fantastic!" beamed Donald Hartley of Madison.', "Donald Hartley of Madison"),
        ('"People are afraid of wasting their votes," he surmised.', "he"),
        ('"How big is that wall?" asked the boy, who wore a red hat.', "the boy"),
        ('"The results will be revealed tonight," read the statement.', "the statement"),
        # An appositive with commas of its own between the quotation and the verb.
        ('"Both scare me," Harry Bond, 30, of Raleigh, N.C., who was polled, said in an interview.', "Harry Bond"),
    ],
)
def test_speakers_named_in_any_words(body, mention):
    text = article("Voters and officials spoke about the race in Iowa on Tuesday.\n" + body)
    assert mention_of(text, body[1:6])[0] == mention


def test_a_speaker_right_after_the_quotation_wins_over_a_name_before_it():
    text = article('Biden "has a lot of really good roles to play," said Doyle, whose state is a target.')
    assert mention_of(text, "has a lot") == ("Doyle", "Doyle")


def test_a_paragraph_ending_with_a_colon_introduces_the_quotation_after_it():
    text = article(
        "Voters spoke about the race in Iowa on Tuesday.\n"
        "Jared Potts, 17, echoed:\n"
        '"He speaks his mind, and I think that might be what the country needs."'
    )
    assert mention_of(text, "He speaks") == ("Jared Potts", "Jared Potts")


def test_a_credit_line_after_the_quotation_names_its_speaker():
    text = article(
        "The candidates spoke about Wall Street on Tuesday.\n"
        '"I went to Wall Street before the crash and warned them about the shenanigans."\n'
        "- Clinton.\n"
        "Clinton tends to overstate the significance of her visit."
    )
    assert mention_of(text, "I went") == ("Clinton", "Clinton")


def test_partial_quotation_takes_the_subject_the_article_introduced():
    text = article(
        "Senator Jane Doe spoke to voters in Ohio on Tuesday about the race for the White House and the economy.\n"
        'Doe also embraced the plan -- "I think it is the best deal we will ever get."'
    )
    assert mention_of(text, "I think") == ("Doe", "Jane Doe")


def test_json_contract_of_follow_ons_confidence_and_date_basis():
    text = article(
        "Senator Jane Doe spoke to voters in Ohio about the race for the White House and the economy on Nov. 8.\n"
        '"We will not back down," Doe said on Tuesday. "The people want this."\n'
        'Her rival called the plan "a stunt that will cost us all dearly in the years to come."'
    )
    first, second, third = (quotation.as_dict() for quotation in run(text).quotations)
    # The follow-on points at the words that name its speaker, with their offsets.
    assert (second["speaker"], second["mention"]) == ("Jane Doe", "Doe")
    assert (second["mention_start"], second["mention_end"]) == (first["mention_start"], first["mention_end"])
    assert text[second["mention_start"] : second["mention_end"]] == "Doe"
    assert 0.9 <= first["confidence"] <= 1
    assert 0.5 < second["confidence"] <= 1
    assert (first["date"], first["date_basis"]) == ("2024-11-12", "relative")
    assert third["date_basis"] in ("stated", "relative")


def test_date_basis_stated_and_publication():
    stated = article('"We will not back down," Senator Jane Doe said on Nov. 8, 2024.')
    [quotation] = run(stated).quotations
    assert (quotation.date.isoformat(), quotation.date_basis) == ("2024-11-08", "stated")
    undated = article('"We will not back down," Senator Jane Doe said.')
    [quotation] = run(undated).quotations
    # No date in the text: the publication date applies, as the review assumes; without one, no basis.
    assert (quotation.date, quotation.date_basis) == (None, "publication")
    [quotation] = run(undated, published=None).quotations
    assert (quotation.date, quotation.date_basis) == (None, None)


def test_a_quotation_without_a_speaker_has_no_confidence():
    text = article(
        "The campaign released a list of slogans on Tuesday for the last week of the race in Ohio.\n"
        '"A better deal for every family in every town of this state."'
    )
    [quotation] = run(text).quotations
    assert (quotation.speaker, quotation.confidence) == (None, 0.0)


def test_a_possessive_is_never_the_speaker():
    text = article(
        "Senator Rand Paul and Senator Marco Rubio debated child care in Milwaukee on Tuesday night.\n"
        'Paul then interjected, calling Rubio\'s proposed credit "a welfare transfer payment that we cannot afford."'
    )
    assert mention_of(text, "a welfare")[0] != "Rubio's"


def test_the_subject_before_the_verb_in_any_words_not_the_object_after_it():
    text = article(
        "The candidates appeared on the Sunday shows to talk about the race for the White House this week.\n"
        'Appearing on CBS, the GOP front-runner said Democratic front-runner Clinton "caused tremendous death."'
    )
    assert mention_of(text, "caused")[0] == "the GOP front-runner"


def test_she_goes_to_the_woman_the_article_introduced_not_the_last_man_named():
    text = article(
        "Senator Jane Doe met Governor John Smith in Columbus on Tuesday to talk about the budget and the roads.\n"
        '"We agreed on the roads," Doe said.\n'
        '"The budget is another matter," Smith said.\n'
        '"I will not give up," she said.'
    )
    assert mention_of(text, "I will not") == ("she", "Jane Doe")


@pytest.mark.parametrize(
    "body",
    [
        '"We will keep talking," the UN under-secretary-general for the Middle East, Asia and the Pacific said.',
        '"We will keep talking," said the assistant secretary-general for the Middle East and the Pacific.',
    ],
)
def test_the_tail_of_a_long_title_is_not_the_speaker(body):
    text = article("Diplomats met in New York on Tuesday to talk about the region and the talks ahead.\n" + body)
    mention, speaker = mention_of(text, "We will")
    assert "secretary-general" in mention
    assert speaker not in ("Pacific", "Middle East", "the Pacific")


def test_the_outlet_told_is_not_the_speaker_nor_the_quoting_one():
    intro = "Foreign Minister Cho Tae-yul met officials in Seoul on Tuesday to talk about the alliance and trade.\n"
    told = article(intro + '"We will keep talking," Cho told the JoongAng Ilbo.')
    assert mention_of(told, "We will") == ("Cho", "Cho Tae-yul")
    quoted = article(intro + 'Yonhap quoted Cho as saying, "We will keep talking."')
    assert mention_of(quoted, "We will") == ("Cho", "Cho Tae-yul")


def test_titles_of_works_and_subheadings_are_not_statements():
    text = article(
        "Carly Fiorina spoke to business students in Philadelphia on Tuesday about her years at the company.\n"
        'She recalled the merger, as told in the book "Backfire: Carly Fiorina\'s High-Stakes Battle for HP."\n'
        "'A fight from start to finish.'\n"
        '"We had to move fast," she said.'
    )
    assert [quote for quote, _, _ in triples(text)] == ["We had to move fast,"]


@pytest.mark.parametrize(
    ("body", "mention", "speaker"),
    [
        ('"We see more anxiety," psychologist Jane Roe says.', "psychologist Jane Roe", "Jane Roe"),
        ('Psychologist Jane Roe says, "We see more anxiety."', "Psychologist Jane Roe", "Jane Roe"),
        ('"We see more anxiety," says Jane Roe, a psychologist at Ohio State.', "Jane Roe", "Jane Roe"),
        ('Jane Roe, an adviser to Governor John Smith, said: "We see more anxiety."', "Jane Roe", "Jane Roe"),
        ('"We see more anxiety," the company said in a statement.', "the company", "company"),
        ('Her campaign called the charge "a baseless attack on a public servant."', "Her campaign", "campaign"),
        ('Roe issued a statement saying "the plan is a disaster for families."', "Roe", "Roe"),
    ],
)
def test_roles_appositions_and_bodies_as_speakers(body, mention, speaker):
    text = article(
        "Voters in Ohio are worried about the economy, according to a new poll released on Tuesday by the state.\n"
        + body
    )
    quote = body.split('"')[1][:6]
    assert mention_of(text, quote) == (mention, speaker)


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        # A participle's speaker is the sentence's subject, after an opening phrase.
        (
            'Holding signs, the protesters chanted, "Chris Christie is bad for New Jersey, bad for you."',
            "the protesters",
        ),
        (
            'A week later, Trump reversed himself, telling CBS that the laws "are set and we have to leave it."',
            "Trump",
        ),
        # The words right before a colon after a dash: "Polls were wrong - HuffPollster: "…"".
        (
            'Polls did predict the result - HuffPollster: "Most pollsters fared much better with the Democrats."',
            "HuffPollster",
        ),
    ],
)
def test_the_subject_of_a_participle_or_a_colon(body, mention):
    text = article(
        "Voters in New Hampshire went to the polls on Tuesday in the first primary of the presidential race.\n" + body
    )
    quote = body.split('"')[1][:6]
    assert mention_of(text, quote)[0] == mention


def test_a_name_read_in_the_wrong_encoding_is_mended_for_the_speaker():
    text = article(
        "Restaurant owner JosÃ© AndrÃ©s spoke to reporters in Washington on Tuesday about the city.\n"
        '"We will open in the spring," AndrÃ©s said.'
    )
    [quotation] = run(text).quotations
    assert quotation.speaker.name == "José Andrés"
    assert text[quotation.mention_start : quotation.mention_end] == quotation.mention == "AndrÃ©s"


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        ('Jane Roe went on to say, "The plan is a disaster for families and for the state."', "Jane Roe"),
        ('The email went on to say: "Trump wants to write his views into our law books."', "The email"),
        ('Roe praised the staff but said, "We are in a different ballgame now, and we know it."', "Roe"),
        (
            'Said Dorothy Poynter, who grew up with him, "We were all so proud of him and of the town."',
            "Dorothy Poynter",
        ),
        (
            '"They have to decide whether to feed themselves," Fight for $15 organizer Kendall Fells told Fox News.',
            "Fight for $15 organizer Kendall Fells",
        ),
    ],
)
def test_verb_phrases_inverted_verbs_and_joined_verbs(body, mention):
    text = article(
        "Voters in Ohio are worried about the economy, according to a new poll released on Tuesday by the state.\n"
        + body
    )
    quote = body.split('"')[1][:6]
    assert mention_of(text, quote)[0] == mention


def test_mojibake_with_a_combining_tilde_is_not_a_copyright_line():
    # "rÃ©sumÃ©" with "Ã" written as "A" and a combining tilde, as some pages give it.
    text = article(
        "Senator Jane Doe spoke to voters in Ohio about the race for the White House and the economy on Tuesday.\n"
        "Doe has an impressive rA\u0303\u00a9sumA\u0303\u00a9 for a first-term senator from a small town.\n"
        '"We will not back down," Doe said.'
    )
    assert [quote for quote, _, _ in triples(text)] == ["We will not back down,"]


def test_a_headline_in_title_case_is_not_the_body_even_with_a_final_stop():
    text = (
        "John Bolton: ‘Hillary’s Campaign Slogan Might as Well Be Vote for Hillary Clinton – Not Indicted, Yet!’\n\n"
        "Former UN Ambassador John Bolton spoke to a radio host on Tuesday about the scandals around the campaign.\n"
        '"It is a disgrace," Bolton said.'
    )
    assert [quote for quote, _, _ in triples(text)] == ["It is a disgrace,"]


def test_words_around_a_speaker_are_not_the_speaker():
    text = article(
        "The candidates traded blows over the Khan family on Monday in a week of angry exchanges on the trail.\n"
        "The row triggered a damning reaction from U.S. President Barack Obama, who called the Republican "
        'nominee "unfit to serve as president of this country."\n'
        'WASHINGTON — Sen. Chuck Grassley on Wednesday said the remark was "the same thing as a wise Latina."'
    )
    assert mention_of(text, "unfit")[0] == "U.S. President Barack Obama"
    assert mention_of(text, "the same")[0] != "WASHINGTON"


def test_a_credit_after_a_dash_in_the_same_paragraph():
    text = article(
        "The candidates spoke about Wall Street and the economy in a debate in New Hampshire on Tuesday night.\n"
        '"I helped write that bill and I am proud of it." — Bernie Sanders, in the debate.'
    )
    assert mention_of(text, "I helped") == ("Bernie Sanders", "Bernie Sanders")


def test_every_speaker_comes_with_its_mention_at_its_offsets():
    for path in sorted((Path(__file__).parent / "articles").glob("*.txt")):
        text = path.read_text()
        for quotation in run(text).quotations:
            record = quotation.as_dict()
            if record["speaker"] is not None:
                assert record["mention"] is not None, (path.name, record["quote"])
                assert text[record["mention_start"] : record["mention_end"]] == record["mention"]
                assert 0 < record["confidence"] <= 1
            else:
                assert record["confidence"] == 0
            assert record["date_basis"] in ("stated", "relative", "publication")


def test_a_credit_after_the_quotation_dash_names_the_speaker():
    # ― (U+2015) is the typographer's quotation dash: readers' and voters' voices are credited with it.
    text = article(
        "Voters shared their thoughts after the debate.\n"
        "“He did not answer a single question about jobs.” ― Maria Lopez\n"
        "“The debate proved nothing to me.”― Tom Reyes."
    )
    assert triples(text) == [
        ("He did not answer a single question about jobs.", "Maria Lopez", "direct"),
        ("The debate proved nothing to me.", "Tom Reyes", "direct"),
    ]


def test_a_follow_on_takes_its_mention_from_the_sentence_between():
    text = article(
        '"Nobody should care about that," says Gloria Garcia, 34, a nurse from Texas. She says people should be '
        'free to choose. "It is their life; they are not hurting anybody."'
    )
    quotations = run(text).quotations
    assert [quotation.mention for quotation in quotations] == ["Gloria Garcia", "She"]
    assert quotations[1].speaker.label == "Gloria Garcia"


def test_a_verb_in_the_attributions_own_sentence_does_not_take_the_next_quotation():
    text = article(
        '"It became apparent to me during the talks," Ash wrote in the email, which was first reported by the '
        'Associated Press. "Reopening the nominations would be a mistake."\n'
        '"Where were we attacked?" Clinton said, with a passion that almost suggested the question was out of line. '
        '"I did spend a lot of time helping them rebuild."'
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["Ash", "Ash", "Clinton", "Clinton"]


def test_a_quotation_paragraph_after_a_paragraph_about_its_speaker():
    text = article(
        "The governor was joined on Monday by Buddy Poe, star of a cooking show, at a town hall meeting.\n"
        "Poe praised the governor's leadership in the aftermath of the storm and his ability to get things done.\n"
        "“We need someone who is going to cut through the noise and bring people together.”"
    )
    (quotation,) = run(text).quotations
    assert quotation.mention == "Poe"
    assert text[quotation.mention_start : quotation.mention_end] == "Poe"


def test_a_quotation_after_a_sentence_about_its_speaker_in_the_same_paragraph():
    text = article(
        "The election is three months away and the party is divided over its nominee.\n"
        "Tom Poe distanced himself from the movement by saying he would help if asked. "
        "“I am going to support him, and support him enthusiastically.”"
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("Tom Poe", "Tom Poe")


def test_a_sentence_that_goes_on_after_its_verb_is_not_the_previous_quotations_attribution():
    text = article(
        'Senator Jane Doe spoke to reporters in Ohio on Tuesday. "We cannot wait any longer." '
        "Governor Tom Roe said he would veto the bill if it reached his desk.\n"
        'Senator Doe took questions afterwards. "The votes are there." Governor Roe said.'
    )
    speakers = [(quotation.quote, quotation.mention) for quotation in run(text).quotations]
    # The first is followed by Roe's own report of what he would do; the second by a sentence only naming him.
    assert speakers[0] != ("We cannot wait any longer.", "Governor Tom Roe")
    assert speakers[1] == ("The votes are there.", "Governor Roe")


def test_a_headline_quoted_with_its_byline_is_no_statement():
    text = article(
        "Today's reading list:\n"
        '—"Senate passes the farm bill after a long night," by the Post\'s Jane Doe: http://example.com/1.\n'
        '"We will not back down," Senator Tom Roe said on Tuesday.'
    )
    assert triples(text) == [("We will not back down,", "Tom Roe", "direct")]


def test_a_credit_line_inside_the_quotation_marks_names_its_speaker():
    text = article(
        "Economists were divided over the plan.\n"
        '"I worry that the plan will raise prices for everyone who rents a home in the city.\n'
        'Jane Doe, Center for Housing Policy."\n'
        "The mayor did not respond."
    )
    quotations = run(text).quotations
    assert [(quotation.quote, quotation.speaker.label) for quotation in quotations] == [
        ("I worry that the plan will raise prices for everyone who rents a home in the city.", "Jane Doe")
    ]
    assert text[quotations[0].mention_start : quotations[0].mention_end] == "Jane Doe"


def test_a_name_right_before_a_participle_is_its_subject():
    text = article(
        "Governor Tom Roe presented the budget on Tuesday.\n"
        'Lawmakers were unimpressed, with Senator Jane Doe calling it "a list of wishes."\n'
        'The plan drew scorn, with Carl Poe calling it "a cruel joke."'
    )
    assert triples(text) == [("a list of wishes.", "Jane Doe", "partial"), ("a cruel joke.", "Carl Poe", "partial")]


@pytest.mark.parametrize("adverb", ["now", "even", "long", "first", "himself", "too"])
def test_an_adverb_between_the_speaker_and_the_verb_is_not_the_speaker(adverb):
    text = article(
        f'Delegates gathered in Cleveland.\nMassie {adverb} said Trump had "the obligation to bring us together."'
    )
    (quotation,) = run(text).quotations
    assert quotation.mention == "Massie"


def test_a_present_tense_verb_right_after_a_quotation_names_its_speaker():
    text = article(
        "The editorial board of the Herald weighed in on Sunday.\n"
        '"The attacks on the governor show that the party has lost its way," they conclude. '
        '"It is time for new leadership."\n'
        '"Nobody reads the fine print," Jane Doe notes.'
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["they", "they", "Jane Doe"]


def test_a_dash_pasted_onto_the_next_word_ends_the_phrase_before_a_colon_introduction():
    text = article(
        "Polls were close in Iowa.\n"
        "Signs were there all along -More from Jane Doe and Tom Roe: “Data collected by our firm confirm that.”"
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["Jane Doe and Tom Roe"]


def test_put_it_is_a_speech_verb():
    text = article(
        "Governor Tom Roe and Senator Jane Doe met voters on Tuesday.\n"
        'As Tom Roe put it, "We are not going anywhere."\n'
        'The party, as Doe put it, is "not going anywhere either."'
    )
    assert [(quotation.quote, quotation.mention) for quotation in run(text).quotations] == [
        ("We are not going anywhere.", "Tom Roe"),
        ("not going anywhere either.", "Doe"),
    ]


def test_according_to_names_a_source_the_lexicon_does_not_know():
    text = article(
        "The speech was set for Monday.\n"
        "According to the Roe campaign, “The speech will be delivered at the college.”\n"
        "According to Carl Poe of Voter Watch, “The vans were moving at night.”"
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["the Roe campaign", "Carl Poe of Voter Watch"]


def test_the_attribution_after_a_question_opens_the_next_sentence():
    text = article(
        "Donald Poe sat down with Jane Doe on Tuesday.\n"
        "Jane Doe asked him about the debate. “You know, it happens, right?” Poe went on, as if he had not heard her."
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["Poe"]


def test_according_to_away_from_a_quotation_introduces_no_speaker():
    text = article(
        "Prime Minister Tom Roe spoke in Tokyo on Tuesday.\n"
        "Births fell below 800,000 for the first time, according to government estimates.\n"
        '"We must act now," he said.'
    )
    assert [quotation.speaker.label for quotation in run(text).quotations] == ["Tom Roe"]


def test_a_time_ago_between_the_speaker_and_the_verb_is_not_the_speaker():
    text = article(
        "Officials met on Tuesday.\n"
        "The State Department less than two weeks ago said that “top secret” material had passed through the server.\n"
        'Carl Poe a few days ago said he was "ready to serve."'
    )
    assert [quotation.mention for quotation in run(text).quotations] == ["The State Department", "Carl Poe"]


def test_a_participle_after_a_quotation_is_not_an_inverted_attribution():
    # The words after ", saying" are what was said, not who said it: the quotation is its sentence subject's.
    text = article(
        'Governor Mary Lane made a spirited defense of "small-town values," saying the region embodied the '
        '"grit and decency of the country."'
    )
    mentions = [quotation.mention for quotation in run(text).quotations]
    assert "the region embodied the" not in mentions
    assert mention_of(text, "grit and decency") == ("Governor Mary Lane", "Mary Lane")


def test_an_adverb_opening_the_sentence_is_not_its_subject():
    # A participle's subject opens the sentence, after any opening phrase ("Early in …, ", "Minutes later, ").
    text = article(
        "Senator Tom Reyes met the mayor on Monday.\n"
        'Early in the campaign, Reyes attacked the mayor, calling him "a failed manager of a failing city."\n'
        'Minutes later, Reyes was on the phone, telling donors "the race is far from over."'
    )
    assert mention_of(text, "a failed manager")[0] == "Reyes"
    assert mention_of(text, "the race is far")[0] == "Reyes"


def test_an_adverb_after_an_appositive_is_not_the_speaker():
    text = article(
        "Ana Ruiz, the chief executive of the National Urban League, forcefully told a student that "
        '"staying home is not a plan at all."\n'
        'Ben Okafor, a longtime ally of the governor, effectively conceded the point, saying "the numbers are not '
        'there yet for us."'
    )
    assert mention_of(text, "staying home") == ("Ana Ruiz", "Ana Ruiz")
    assert mention_of(text, "the numbers are not") == ("Ben Okafor", "Ben Okafor")


def test_the_year_of_a_date_opening_the_sentence_is_not_its_subject():
    text = article(
        "Senator Ruth Ames has spoken about wages before.\n"
        "On March 3, 2015, Ames made the following remark:\n"
        '"Nobody who works full time should live in poverty."'
    )
    assert mention_of(text, "Nobody who works") == ("Ames", "Ruth Ames")


def test_a_dateline_or_a_headline_in_capitals_is_no_speaker():
    text = article(
        "PORTLAND, May 4 (Wire) — The city council adopted a resolution on Tuesday, calling the plan "
        '"a betrayal of every renter in the city."\n'
        'CITY ENDS PARKING FEES "The council voted to end the fees that downtown shops had fought for years."'
    )
    assert mention_of(text, "a betrayal of every renter")[0] == "The city council"
    assert all(quotation.mention != "CITY ENDS PARKING FEES" for quotation in run(text).quotations)


def test_a_name_before_a_participle_speaks_for_what_follows():
    text = article(
        "Senator Tom Reyes and Governor Ana Ruiz met on Monday.\n"
        "Both issued statements afterwards, Ruiz saying the talks were "
        '"the most useful in years" and Reyes calling them "a good start."'
    )
    assert mention_of(text, "the most useful")[0] == "Ruiz"
    assert mention_of(text, "a good start")[0] == "Reyes"


def test_a_verb_in_the_present_ends_the_subject():
    text = article('The Daily Ledger reveals a few facts in its report: "Half of the voters were never contacted."')
    assert mention_of(text, "Half of the voters")[0] == "The Daily Ledger"


def test_initials_are_part_of_the_name_and_end_no_sentence():
    text = article(
        '"This is a sad day," said Rep. G.K. Pruitt (D-N.C.), head of the caucus. "We expected better."\n'
        '"We will not," the U.N. said.'
    )
    assert mention_of(text, "This is a sad day") == ("Rep. G.K. Pruitt", "G.K. Pruitt")
    assert mention_of(text, "We expected better") == ("Rep. G.K. Pruitt", "G.K. Pruitt")
    assert mention_of(text, "We will not") == ("the U.N.", "U.N.")


def test_a_number_or_another_standing_for_people_names_the_speaker():
    text = article(
        "Two senators, Ann Roe and Bo Lin, sent the agency a letter on Monday.\n"
        '"You seem to have invented a new standard out of thin air," the two write. "We do not understand it."\n'
        '"Yet another state we would have won," one supporter wrote online.\n'
        '"Better watch out for the county clerk," tweeted another.'
    )
    assert mention_of(text, "You seem to have")[0] == "the two"
    assert mention_of(text, "We do not understand")[0] == "the two"
    assert mention_of(text, "Better watch out") == ("another", "another")


def test_an_organization_the_paragraph_before_is_about_holds_the_floor():
    text = article(
        "Officials met in Seoul on Monday to discuss the alliance and trade.\n"
        "The Democratic Party issued a statement on Monday apologizing to the senator for the emails.\n"
        "“On behalf of everyone at the party, we want to offer a deep and sincere apology to the senator.”\n"
        "The Foreign Ministry rejected the claim on Tuesday.\n"
        "“The claim has no basis in fact and we regret that it was made at all.”"
    )
    assert mention_of(text, "On behalf of everyone") == ("The Democratic Party", "Democratic Party")
    assert mention_of(text, "The claim has no basis") == ("The Foreign Ministry", "Foreign Ministry")


def test_a_place_and_its_state_in_an_opening_phrase_are_not_the_subject():
    text = article(
        "Governor Ana Ruiz toured the state on Monday.\n"
        'Speaking at a town hall in Salem, New Hampshire, Ruiz went after her rival, calling him "a total stiff '
        'with no plan at all."'
    )
    assert mention_of(text, "a total stiff") == ("Ruiz", "Ruiz")


def test_the_one_reporting_holds_the_words_of_a_pronoun_in_the_reported_clause():
    text = article(
        "Judge Amy Lynch and Mr. Tom Ruiz described the meeting in the county offices on Monday.\n"
        "The meeting lasted for four hours and ended without a vote on the plan.\n"
        'Lynch said she recalled thinking, "This is what people have talked about for years."\n'
        'Mr. Ruiz said she called the plan "a disaster for the county and its schools."'
    )
    assert mention_of(text, "This is what people")[0] == "Lynch"
    # A pronoun that cannot stand for the one reporting keeps the words.
    assert mention_of(text, "a disaster for the county")[0] == "she"


def test_a_pronoun_after_whom_or_what_stands_for_the_one_reporting():
    text = article(
        "Judge Amy Lynch and Mr. Tom Ruiz described the meeting in the county offices on Monday.\n"
        "The meeting lasted for four hours and ended without a vote on the plan.\n"
        'Ruiz said he would vote against the mayor, whom he called "the most divisive figure in the county."'
    )
    assert mention_of(text, "the most divisive figure")[0] == "Ruiz"


def test_a_quotation_after_a_connective_alone_is_a_follow_on():
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        "She has opposed the rules since they were first proposed last year by the agency.\n"
        '"I do not think it is do or die," she said outside the building. But "the plan is stronger with '
        'the governor behind it. It helps."'
    )
    assert run(text).quotations[1].kind == "direct"
    assert mention_of(text, "the plan is stronger") == ("she", "Ruth Ames")


def test_a_passive_verb_names_no_speaker_before_it():
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        "Ames has fought the plan since the rules were first proposed last year.\n"
        '"I do not think it is do or die," she said outside the building.'
    )
    assert mention_of(text, "I do not think") == ("she", "Ruth Ames")


def test_adding_alone_before_a_quotation_continues_the_speaker():
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        "Ames has fought the plan since the rules were first proposed last year.\n"
        'Ames said the report "was not good." Adding, "Now, as with every scandal, it is how they handle it."'
    )
    assert mention_of(text, "Now, as with every scandal")[0] == "Ames"


def test_a_participle_s_subject_after_a_connective_speaks_for_partial_words():
    text = article(
        "The Daily Ledger endorsed the governor on Sunday in a long editorial on the race.\n"
        "It praised her record on schools and roads over two terms in office.\n"
        "Meanwhile, it attacked her rival, saying he “has offended voters with his insults and bombast.”"
    )
    assert mention_of(text, "has offended voters")[0] == "it"


def test_a_name_between_commas_after_an_opening_phrase_is_the_speaker():
    text = article(
        "Governor Tom Kasko won the state primary on Tuesday night by a wide margin.\n"
        "After winning the state in the primary, Gov. Tom Kasko (R-OH), said, “I am getting ready to rent a "
        "covered wagon for the trip west.”"
    )
    assert mention_of(text, "I am getting ready")[0] == "Gov. Tom Kasko"


def test_a_relative_clause_without_commas_is_not_the_speaker():
    text = article(
        "The White House and the campaign have talked for weeks about the platform.\n"
        "A White House official who spoke anonymously to discuss internal strategy said Wednesday, "
        '"Certainly there are discussions between the White House and the campaign."'
    )
    assert mention_of(text, "Certainly there are")[0] == "A White House official"


def test_an_opening_phrase_with_a_comma_inside_is_not_the_subject():
    text = article(
        "The Security Council met on Sunday after the test, its third this year.\n"
        "Following a swiftly called, late-afternoon meeting, the Security Council issued a statement calling the "
        'test "a clear violation and in flagrant disregard" of its resolutions.'
    )
    assert mention_of(text, "a clear violation")[0] == "the Security Council"


def test_quoted_words_opening_their_sentence_after_a_quotation_are_the_speaker_s():
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        '"I do not think voters care about this," Ames told reporters. "What they care about is that we raise '
        'incomes for the middle class" and other pocketbook issues.'
    )
    assert mention_of(text, "What they care about") == ("Ames", "Ruth Ames")


def test_a_verb_joined_by_but_after_an_adverb_has_the_sentence_s_subject():
    text = article(
        "Senator Ruth Ames spoke to supporters in Phoenix on Monday about the new rules from Washington.\n"
        "House Republican Tom Massie used to support fellow Kentuckian Rand Paul, but now said Ames had "
        '"the opportunity and the obligation to bring us together."'
    )
    assert mention_of(text, "the opportunity and")[0] == "House Republican Tom Massie"


def test_the_same_pronoun_in_the_reported_clause_keeps_the_first_mention():
    text = article(
        "Governor Ana Ruiz answered the report about her campaign's spending on Tuesday morning in a statement.\n"
        'She said she recalls the auditor being "confused" by the figures he was shown.'
    )
    first = text.index("She said")
    quotation = run(text).quotations[0]
    assert (quotation.mention_start, quotation.mention, quotation.speaker.label) == (first, "She", "Ana Ruiz")


def test_a_year_or_an_adverb_in_a_relative_clause_is_not_the_speaker():
    text = article(
        "The majority leader met the president on Tuesday for the first time in months.\n"
        'Ames, now the majority leader, who in 2010 said the goal was to make him "a one-term president," '
        "smiled for the cameras.\n"
        'She recalled a comment that egregiously described the city as "a hellhole nobody should visit."'
    )
    mentions = [quotation.mention for quotation in run(text).quotations]
    assert "2010" not in mentions and "egregiously" not in mentions


def test_a_pronoun_with_its_verb_contracted_is_a_pronoun():
    text = article(
        "Pollster Pat Caddell spoke on the radio on Tuesday about the latest numbers from two polls.\n"
        "He read out one of them on the air, which, I’m going to read you the question: "
        '"Do you think her health affects her ability to serve?"'
    )
    quotation = run(text).quotations[0]
    assert (quotation.mention, quotation.found_by[1]) == ("I’m", "pronoun")


def test_an_adverb_after_a_noun_in_lower_case_is_not_the_speaker():
    text = article(
        "The party's rules committee met in Denver on Friday to discuss the convention and its delegates.\n"
        "The pollster wrote that superdelegates currently pledged to the governor may reconsider.\n"
        "“A win in the state would underscore her weakness as a candidate in the general election.”\n"
        'The family said the senator "was at peace with the decision."'
    )
    assert all("currently" not in (quotation.mention or "") for quotation in run(text).quotations)
    assert mention_of(text, "was at peace")[0] == "The family"


def test_a_demonstrative_description_is_the_speaker():
    text = article(
        "Staff had long been unhappy with the manager, the Post reported.\n"
        "“The staff do not like him, and they are certainly happy with the new director,” this source told the "
        "Post.\n"
    )
    (quotation,) = run(text).quotations
    assert quotation.mention == "this source"
    assert text[quotation.mention_start : quotation.mention_end] == "this source"


def test_a_reporting_verb_read_as_a_plural_noun_names_no_speaker():
    # "messages" (as "texted") stands after a possessive and before "have": a noun, so the speaker is the one who
    # said it, before the long appositive, not the words before "messages".
    text = article(
        "Ari Fleischer, a former press secretary who also sits on the board of the Republican Jewish Coalition, said "
        'the senator\'s seemingly confused messages have given "reliably Republican voters reasons to doubt him."'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("Ari Fleischer", "Ari Fleischer")
    assert text[quotation.mention_start : quotation.mention_end] == "Ari Fleischer"


def test_a_sentence_about_a_thing_does_not_quote_it():
    # The quoted words inside a sentence are its subject's only when the subject may speak: job growth does not.
    text = article(
        "Job growth in manufacturing was 30% lower than it would have been had Congress not passed "
        '"permanent normal trade relations with the country" in 2000.'
    )
    assert [(quotation.quote, quotation.mention) for quotation in run(text).quotations] == []


def test_a_text_quoted_as_the_sentence_subject_speaks():
    text = article(
        'A 2014 House committee report found "no evidence that there was either a stand down order or a denial of '
        'air support."'
    )
    (quotation,) = run(text).quotations
    assert quotation.mention.startswith("A 2014 House committee report")


def test_the_agent_of_a_passive_speech_verb_is_the_speaker():
    text = article(
        "Senator Jane Doe appeared on the program on Friday.\n"
        "Doe was asked by host Bill Smith, who supports her, "
        '"Now, you famously said you were tired of hearing about the emails, has that changed?"'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("host Bill Smith", "Bill Smith")


def test_the_agent_of_quoted_is_the_outlet_not_the_speaker():
    # A guard for the rule above: "was quoted by Reuters as saying" is the senator's, not the outlet's.
    text = article('Senator Jane Doe was quoted by Reuters as saying "we will not back down on the bill."')
    assert "Reuters" not in [quotation.mention for quotation in run(text).quotations]


def test_a_clause_of_its_own_before_the_colon_names_the_speaker():
    # The quotation after the colon is introduced by "he gave … a compliment", not by "Reid said" before it.
    text = article(
        "Senator Harry Reid spoke on Tuesday.\n"
        'Reid said both men are "non-entities in the Senate," but he gave the Texan a back-handed compliment: '
        '"You never have to guess where he is. He is not winning personality contests here."'
    )
    first, second = run(text).quotations
    assert (first.mention, second.mention, second.speaker.label) == ("Reid", "he", "Reid")
    assert text[second.mention_start : second.mention_end + 5] == "he gave"


def test_a_clause_nearer_the_quotation_names_its_speaker_before_an_earlier_speech_verb():
    # "criticized" is a speech verb, but the clause introducing the quotation is "Mary Roe shot back".
    text = article(
        "After Governor John Doe criticized the plan during a debate, Mary Roe shot back, "
        '"I suppose I could have stayed home, but I chose to fight for this state."'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("Mary Roe", "Mary Roe")


def test_a_demonstrative_opens_a_speaker_the_lexicon_does_not_know():
    text = article(
        "The candidate met the president for an hour.\n"
        '"I have such great respect for them and their strong values," this look-alike declared in the capital.'
    )
    (quotation,) = run(text).quotations
    assert quotation.mention == "this look-alike"


def test_an_opening_phrase_after_amid_is_not_the_speaker():
    text = article(
        "Amid calls from some to publish the list, the columnist Matt Roe offered a defense of it, saying it is "
        'necessary to "identify the traitors and remember their names."'
    )
    (quotation,) = run(text).quotations
    assert "Matt Roe" in quotation.mention


def test_the_speaker_before_an_aside_in_dashes_not_the_one_told():
    text = article(
        "On Friday, Gingrich — named by one outlet as the leading choice for running mate — told Bill Roe of "
        'Channel Five, that "you have to look at it very seriously, of course."'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("Gingrich", "Gingrich")


def test_the_one_told_is_never_read_as_an_inverted_speaker():
    text = article("The senator was angry. (Told Bill Roe of Channel Five: “the vote is ours, of course.”)")
    assert "Bill Roe of Channel Five" not in [quotation.mention for quotation in run(text).quotations]


def test_the_phrase_after_a_preposition_is_the_object_of_the_speaker():
    text = article(
        "Senator Jane Doe is raising money for candidates in her state.\n"
        "Doe’s fundraising email to her supporters notes that the mayor, who is running for the state Senate, "
        "“is a civil rights attorney who has fought for affordable housing and fair wages in her city.”"
    )
    (quotation,) = run(text).quotations
    assert quotation.mention.startswith("Doe’s fundraising email")


def test_many_quoted_words_after_a_determiner_are_the_subjects_own():
    text = article(
        "Senator Jane Doe released an advertisement in March.\n"
        'Doe targets a "corrupt political system that keeps in place a rigged economy."'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("Doe", "Jane Doe")


def test_a_quoted_paragraph_follows_the_main_clause_of_the_paragraph_before():
    text = article(
        "The pollster Mark Roe argued in an editorial on Friday that delegates now pledged to the governor may "
        "reconsider.\n"
        '"A win in the state would show the weakness of the governor as a candidate in the general election."'
    )
    (quotation,) = run(text).quotations
    assert (quotation.mention, quotation.speaker.label) == ("The pollster Mark Roe", "Mark Roe")
