"""A quotation shown in its source's text: the paragraphs around it, the quotation marked, everything escaped."""

import pytest

from statements.cite import CONTEXT_CHARS, InContext
from statements.models import Citation
from tests.factories import make_source, make_statement

pytestmark = pytest.mark.django_db

ARTICLE = (
    "SEOUL — The minister spoke on Tuesday.\n\n"
    "Asked about the alliance, he said <b>firmly</b> & calmly: “We will strengthen the alliance.” Then he left.\n\n"
    "Reporters waited outside.\n\n"
    "Nobody else spoke."
)
QUOTE = "We will strengthen the alliance."


def cited(text, quote, **source_fields):
    statement = make_statement(text=quote)
    source = make_source(full_text=text, **source_fields)
    start = text.index(quote)
    Citation.objects.create(statement=statement, source=source, start_offset=start, end_offset=start + len(quote))
    return statement


def test_the_paragraph_before_and_after_with_the_quotation_marked_and_escaped(client):
    statement = cited(ARTICLE, QUOTE)
    body = client.get(statement.get_absolute_url()).content.decode()
    assert "<p>SEOUL — The minister spoke on Tuesday.</p>" in body
    assert (
        "<p>Asked about the alliance, he said &lt;b&gt;firmly&lt;/b&gt; &amp; calmly: “"
        "<mark>We will strengthen the alliance.</mark>” Then he left.</p>"
    ) in body
    assert "<p>Reporters waited outside.</p>" in body
    assert "Nobody else spoke." not in body  # Two paragraphs away.
    assert "<b>firmly</b>" not in body


def test_markup_in_the_quotation_itself_is_escaped(client):
    text = "Before.\n\nHe said <script>alert(1)</script> here.\n\nAfter."
    statement = cited(text, "<script>alert(1)</script>")
    body = client.get(statement.get_absolute_url()).content.decode()
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in body
    assert "<script>alert" not in body


def test_single_line_breaks_part_paragraphs_when_there_are_no_blank_lines():
    context = InContext.of("One.\nTwo, the quote here.\nThree.\nFour.", 5, 9)
    assert context == InContext(before="One.", lead="", quotation="Two,", tail=" the quote here.", after="Three.")


def test_a_quotation_over_two_paragraphs_and_at_the_edges_of_the_text():
    text = "First part of it.\n\nSecond part.\n\nLast."
    context = InContext.of(text, text.index("part of"), text.index("Second part") + 6)
    assert context == InContext(
        before="", lead="First ", quotation="part of it.\n\nSecond", tail=" part.", after="Last."
    )
    assert InContext.of(text, text.index("Last"), len(text)).after == ""


def test_long_paragraphs_are_cut_around_the_quotation():
    long = " ".join(["word"] * 1000)
    text = f"{long}\n\n{long} QUOTE {long}\n\n{long}"
    start = text.index("QUOTE")
    context = InContext.of(text, start, start + 5)
    for part in [context.before, context.lead, context.tail, context.after]:
        assert len(part) <= CONTEXT_CHARS + 1 and "…" in part
    assert context.lead.startswith("…") and context.tail.endswith("…")


def test_offsets_outside_the_text_or_no_text_show_no_context(client):
    assert InContext.of("short", 2, 50) is None
    assert InContext.of("", 0, 1) is None
    assert InContext.of("   \n\n  ", 0, 3) is None
    statement = make_statement(text=QUOTE)
    source = make_source(full_text="")
    Citation.objects.create(statement=statement, source=source, start_offset=0, end_offset=10)
    assert client.get(statement.get_absolute_url()).context["in_context"] == []
    uncited = make_statement(text=QUOTE, source=make_source(full_text=ARTICLE))  # No offsets.
    response = client.get(uncited.get_absolute_url())
    assert response.context["in_context"] == [] and b"<mark>" not in response.content
