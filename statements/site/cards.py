"""What a list shows of each statement: its public fields (statements.present), and its words cut short or, for a
search, with the words searched for marked.

Read as plain values, not model instances: a page of 25 statements as instances, each with its official,
organization, country, topics, citations and sources, costs Django hundreds of objects. Four queries, whatever
the page size: the page's statement ids, their rows, their topics, their sources.
"""

import functools

from django.utils.text import Truncator

from statements import search
from statements.models import language_name
from statements.present import Shown, page


class Card(Shown):
    words = ""  # The search words, for marking Korean words as written.

    @functools.cached_property
    def highlighted(self):
        """The words with the search's marked; the original's instead when only they hold them (a Korean search
        that found an English translation by its Korean original)."""
        if not self.row.get("headline"):
            return None
        words = search.highlighted(self.row["headline"], self.words)
        if "<mark>" not in words and self.row.get("original_headline"):
            original = search.highlighted(self.row["original_headline"], self.words)
            if "<mark>" in original:
                self._shows_original = True
                return original
        return words

    _shows_original = False

    @property
    def shows_original(self):
        """Whether the card shows the original's words (see highlighted)."""
        return self.highlighted is not None and self._shows_original

    @property
    def shown_language(self):
        """The language of the words the card shows."""
        return self.original_language if self.shows_original else self.language

    @property
    def original_language_name(self):
        return language_name(self.original_language)

    @property
    def excerpt(self):
        return None if self.row.get("headline") else Truncator(self.text).words(90)


def cards(statements, *, words=None):
    """Cards for a sliced, ordered queryset of statements; with search words, the words marked."""
    annotations = {}
    if words:
        original = search.Headline(words, column="original_text", language="original_language")
        annotations = {"headline": search.Headline(words), "original_headline": original}
    shown = page(statements, Card, lists=["topics", "sources"], **annotations)
    for card in shown:
        card.words = words or ""
    return shown
