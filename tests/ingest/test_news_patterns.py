"""Patterns of news attribution beyond our own articles: text hygiene, follow-on quotations and their mentions."""

from .helpers import article, run, triples


def test_doubled_apostrophes_are_double_quotation_marks():
    text = article(
        "Senator Jane Doe spoke in Ohio on Tuesday.\n"
        "''We will not back down,'' Ms. Doe said. ''The people want this.''\n"
        "Her rival called it ''a 'stunt.' ''"
    )
    quotations = run(text).quotations
    assert [(quotation.quote, quotation.speaker.label) for quotation in quotations[:2]] == [
        ("We will not back down,", "Jane Doe"),
        ("The people want this.", "Jane Doe"),
    ]
    for quotation in quotations:
        # Offsets into the text as given, the doubled marks outside them.
        assert text[quotation.start : quotation.end] == quotation.quote
        assert text[quotation.start - 2 : quotation.start] == "''"


def test_tex_style_quotation_marks():
    text = article("``We will not back down,'' Senator Jane Doe said on Tuesday.")
    assert triples(text) == [("We will not back down,", "Jane Doe", "direct")]


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
