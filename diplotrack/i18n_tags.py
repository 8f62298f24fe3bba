"""Django's i18n template tags, whose `{% translate "constant" %}` is translated once a process for each language.

The explorer's page holds some forty-five of them: each asked gettext again on every request (the active language
from a thread-local, then the catalogue and its fallbacks), a third of the page's template time without its cards.
A constant's translation changes only with the catalogues, which a process reads once. Our templates load this
library, `{% load i18n_once %}` (settings.TEMPLATES' `libraries`), in place of Django's `i18n`, whose every tag it
has: makemessages reads their tags as Django's.
"""

from django import template
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class TranslatedOnce(template.Node):
    """A constant `{% translate %}`: its text in each language, as Django's tag first wrote it (a literal's
    translation is marked safe, so escaping does not change it)."""

    child_nodelists = ()

    def __init__(self, node):
        self.node = node
        self.written = {}

    def render(self, context):
        language = get_language()
        if language not in self.written:
            self.written[language] = self.node.render(context)
        return self.written[language]


def constant(node):
    """Whether a translate tag's text depends on nothing but the language: a quoted string, without filters, a
    variable context or `as`."""
    expression, context = node.filter_expression, node.message_context
    return (
        not node.noop
        and node.asvar is None
        and not expression.filters
        and expression.var.literal is not None
        and (context is None or (isinstance(context.var, str) and not context.filters))
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return TranslatedOnce(node) if constant(node) else node
