"""What a list shows of each statement: its public fields (statements.present), and its words cut short or, for a
search, with the words searched for marked.

Read as plain values, not model instances: a page of 25 statements as instances, each with its official,
organization, country, topics, citations and sources, costs Django hundreds of objects. Four queries, whatever
the page size: the page's statement ids, their rows, their topics, their sources.

A card writes its own HTML (`Card.html`), where a template would resolve some forty variables and tags a card: a
page's 25 cards took 4.7 ms of the template engine's time against 1.5 ms for their fields (benchmarks/render_cost.py).
"""

import functools
from html import escape

from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from statements import search
from statements.models import Statement, local_date, local_language_name
from statements.present import Shown, page
from statements.text import first_words


@functools.cache
def card_labels(language):
    """The words every card writes, in the reader's language (the active one, named to key the cache), escaped:
    translated once a process, where each card translated five (a hundred and twenty-five a page)."""
    # gettext() outside the f-strings, where makemessages finds its words.
    labels = {
        "original": gettext("Original"),
        "statement_page": gettext("Statement page"),
        "topics": gettext("Topics"),
        "no_source": gettext("No source recorded"),
    }
    kinds = {kind: escape(str(label)) for kind, label in Statement.Kind.choices}
    return {**{key: escape(label) for key, label in labels.items()}, "kinds": kinds}


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
        return local_language_name(self.original_language)

    @property
    def excerpt(self):
        return None if self.row.get("headline") else first_words(self.text, 90)

    def html(self):
        """The card: its words, who said them where and when, its topics and its sources (see the module's doc).

        Written with the standard library's html.escape, which Django's escape() wraps: a card escapes some thirty
        values, and Django's wrapper, which checks each for a lazy translation, took as long as the rest together.
        """
        labels = card_labels(self.reader or get_language())
        version = ""
        if self.shows_original:
            version = f'<p class="version-label">{labels["original"]} · {escape(self.original_language_name)}</p>\n'
        speech = " speech" if self.kind == "speech" else ""
        words = self.highlighted or escape(self.excerpt)  # Marked by search.highlighted, which escaped the rest.
        speaker, when = escape(self.speaker), escape(self.date_display)
        return mark_safe(
            f'<article class="statement-card">\n{version}'
            f'<blockquote class="words{speech}" lang="{escape(self.shown_language)}">{words}</blockquote>\n'
            f'<p class="speaker">{self.speaker_html()} · <time datetime="{self.date:%Y-%m-%d}">{when}</time> · '
            f'<span class="kind">{labels["kinds"][self.kind]}</span></p>\n'
            f"{self.topics_html(labels)}"
            f'<p class="sources">{self.sources_html(labels)} · <a href="{escape(self.url)}" class="permalink">'
            f'{labels["statement_page"]}<span class="visually-hidden">: {speaker}, {when}</span></a></p>\n'
            "</article>"
        )

    def speaker_html(self):
        """Who said it (linked to the official's page), in which role, for which country (linked to its page)."""
        if self.official_url:
            who = f'<a href="{escape(self.official_url)}">{escape(self.speaker)}</a>'
        else:
            who = f'<span class="attribution">{escape(capfirst(self.speaker))}</span>'
            if self.organization and self.organization not in self.speaker:
                who += f", {escape(self.organization)}"
        if self.role:
            who += f', <span class="role">{escape(self.role)}</span>'
        if self.country:
            who += f' · <a href="{escape(self.country_url)}">{escape(self.local_country)}</a>'
        return who

    def topics_html(self, labels):
        if not self.topics:
            return ""
        items = "".join(
            f'<li><a href="{escape(topic["url"])}">{escape(topic["name"])}</a></li>' for topic in self.topics
        )
        return f'<ul class="topics" aria-label="{labels["topics"]}">{items}</ul>\n'

    def sources_html(self, labels):
        if not self.sources:
            return f'<span class="source missing">{labels["no_source"]}</span>'
        return "; ".join(source_html(source, self.reader) for source in self.sources)


def source_html(source, language=None):
    """A source as a card names it: its publisher (linked to the report), and its date (in the reader's language,
    asked when not given)."""
    publisher = escape(source["publisher"])
    if source["url"]:
        publisher = f'<a href="{escape(source["url"])}" rel="noopener">{publisher}</a>'
    date = f", {escape(local_date(source['published_on'], 'short', language))}" if source["published_on"] else ""
    return f'<span class="source">{publisher}{date}</span>'


def cards(statements, *, words=None):
    """Cards for a sliced, ordered queryset of statements; with search words, the words marked."""
    shown = page(statements, Card, lists=["topics", "sources"], words=words)
    reader = get_language() or "en"  # Asked once for the page's cards (Shown.reader): None is English too.
    for card in shown:
        card.words, card.reader = words or "", reader
    return shown
