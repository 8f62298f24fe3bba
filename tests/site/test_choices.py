"""The explorer's checkboxes, written in Python (statements.site.choices): escaped, counted, subtopics under
their topic."""

from statements.facets import Choice
from statements.site.choices import choices_html


def test_a_choice_is_a_labelled_checkbox_escaped_with_its_count_grouped_and_its_subtopics_under_it():
    parent = Choice("security", 'Peace & "security" <b>', 12345, True)
    parent.children.append(Choice("sub-1", "Drills", None, False))
    html = choices_html("topic", [parent, Choice("trade", "Trade", 0, False)])
    assert html == (
        '<label class="choice">\n'
        '  <input type="checkbox" name="topic" value="security" id="topic-security" checked>\n'
        '  <span class="label">Peace &amp; &quot;security&quot; &lt;b&gt;</span> <span class="count">12,345</span>\n'
        "</label>\n"
        '<label class="choice subtopic">\n'
        '  <input type="checkbox" name="topic" value="sub-1" id="topic-sub-1">\n'
        '  <span class="label">Drills</span> \n'
        "</label>\n"
        '<label class="choice">\n'
        '  <input type="checkbox" name="topic" value="trade" id="topic-trade">\n'
        '  <span class="label">Trade</span> <span class="count">0</span>\n'
        "</label>\n"
    )


def test_a_value_is_escaped_in_its_attributes():
    html = choices_html("country", [Choice('"><script>', "X", 1, False)])
    assert "<script>" not in html and 'value="&quot;&gt;&lt;script&gt;"' in html
