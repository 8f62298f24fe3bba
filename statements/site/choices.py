"""A facet's choices as the explorer's form shows them: a checkbox each, with its count, a selected topic's
subtopics under it; and the options of its selects.

Written here rather than by template tags, as the cards and the charts are: with them, the first page's rendering
without its cards takes 1.66 ms where it took 2.18 (benchmarks/render_cost.py). Escaped with the standard library's
html.escape, as the cards are (statements.site.cards).
"""

from html import escape

from django.utils.safestring import mark_safe


def choices_html(name, choices):
    """The checkboxes of parameter `name` (country, topic) for these choices (statements.facets.Choice)."""
    return mark_safe(
        "".join(
            choice_html(name, choice, "choice")
            + "".join(choice_html(name, child, "choice subtopic") for child in choice.children)
            for choice in choices
        )
    )


def choice_html(name, choice, css_class):
    value = escape(choice.value)
    checked = " checked" if choice.selected else ""
    # Grouped by thousands (1,234), as the humanize filter writes them in English and Korean.
    count = f'<span class="count">{choice.count:,}</span>' if choice.count is not None else ""
    return (
        f'<label class="{css_class}">\n'
        f'  <input type="checkbox" name="{name}" value="{value}" id="{name}-{value}"{checked}>\n'
        f'  <span class="label">{escape(choice.label)}</span> {count}\n'
        "</label>\n"
    )


def options_html(choices, selected=None):
    """A select's options for these (value, label) choices, the one whose value is `selected` (as given) chosen."""
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{escape(str(label))}</option>\n"
            for value, label in choices
        )
    )
