"""What a list shows of each statement: its public fields (statements.present), and its words cut short or, for a
search, with the words searched for marked.

Read as plain values, not model instances: a page of 25 statements as instances, each with its official,
organization, country, topics, citations and sources, costs Django hundreds of objects. Four queries, whatever
the page size: the page's statement ids, their rows, their topics, their sources.
"""

from django.utils.text import Truncator

from statements import search
from statements.present import Shown, page


class Card(Shown):
    words = ""  # The search words, for marking Korean words as written.

    @property
    def highlighted(self):
        return search.highlighted(self.row["headline"], self.words) if self.row.get("headline") else None

    @property
    def excerpt(self):
        return None if self.row.get("headline") else Truncator(self.text).words(90)


def cards(statements, *, words=None):
    """Cards for a sliced, ordered queryset of statements; with search words, the words marked."""
    annotations = {"headline": search.Headline(words)} if words else {}
    shown = page(statements, Card, lists=["topics", "sources"], **annotations)
    for card in shown:
        card.words = words or ""
    return shown
