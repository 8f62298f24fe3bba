"""A statement's words as the templates cut them."""

from django import template
from django.template.defaultfilters import stringfilter

from statements.text import first_words as first_words_of

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def first_words(text, count):
    """What Django's truncatewords gives, without splitting the whole text: a UN speech holds thousands of words (the
    longest 21,777), and its page cut them twice for forty and sixty of them."""
    return first_words_of(text, int(count), truncate=" …")
