"""Atom feeds of statements: of any explorer view, and of an official's, a topic's or a country's page."""

import dataclasses
import datetime
import functools
from urllib.parse import parse_qsl

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from statements import present
from statements.models import Country, Official, Topic
from statements.query import ExplorerQuery, Refused, clean_query
from statements.text import first_words, xml_text

ENTRIES = 50


@dataclasses.dataclass
class Scope:
    """What one feed request covers: a title, the page it follows, and its statements."""

    title: str
    link: str
    feed_url: str
    statements: list


def xml_safe(value):
    """A feed's or an entry's value (text, or a list of texts such as categories) as XML 1.0 can carry it."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return [xml_safe(item) for item in value]
    return value


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom that drops what XML cannot carry from every text it is given, where Django's writer would raise."""

    def __init__(self, **kwargs):
        super().__init__(**{name: xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, **kwargs):
        super().add_item(**{name: xml_safe(value) for name, value in kwargs.items()})


class StatementFeed(Feed):
    """The newest statements of an explorer view: the same query parameters as /statements/."""

    feed_type = XMLSafeAtom1Feed
    # As diplotrack.http.read_only: a POST gets __call__'s 405, not the CSRF check's 403.
    csrf_exempt = True

    @method_decorator(require_safe)
    def __call__(self, request, *args, **kwargs):
        """GET and HEAD only, as for every page: Django's Feed answers any method."""
        try:
            return super().__call__(request, *args, **kwargs)
        except Refused as refusal:
            # A feed reader shows no notes: a feed of everything for a mistyped filter would mislead.
            return refusal.response()

    def get_object(self, request, *args, **kwargs):
        title, page, fixed = self.scope(request, *args, **kwargs)
        # The page's own filter, as its page applies it; another value for it is refused.
        query = ExplorerQuery(request.GET, fixed=fixed, where="feed")
        query.refuse_problems()
        # Newest first, unless `sort` says not; as plain values, as a page reads them.
        read = functools.partial(present.page, lists=["topics"], columns=["updated_at"])
        statements = query.first(ENTRIES, read=read)
        given = clean_query(request.GET)
        shown = ", ".join(f"{key}={value}" for key, value in parse_qsl(given))
        # One printable line: no line breaks or invisible formatting from the query in a reader's list of feeds.
        shown = Truncator("".join(char for char in shown if char.isprintable())).chars(200)
        return Scope(
            title=f"{title} ({shown})" if shown else title,
            link=f"{page}?{given}" if given else page,
            feed_url=request.get_full_path(),
            statements=statements,
        )

    def scope(self, request):
        """The feed's title, the page it follows, and the filter it applies by itself."""
        return "DiploTrack: statements", reverse("statement_list"), {}

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def feed_url(self, scope):
        return scope.feed_url

    def subtitle(self, scope):
        return "What officials said, newest first, each linked to its sources."

    def items(self, scope):
        return scope.statements

    # Each entry is a statement as statements.present.Shown shows it.

    def item_title(self, shown):
        return f"{shown.speaker}: {first_words(shown.text, 14)}"

    def item_link(self, shown):
        # Without the slug, which follows the words: an entry's link is its id, and an edit must not change it.
        return shown.permalink

    def item_description(self, shown):
        return escape(shown.text)  # Atom's summary is HTML here: the words are text.

    def item_author_name(self, shown):
        return shown.speaker

    def item_pubdate(self, shown):
        return timezone.make_aware(datetime.datetime.combine(shown.date, datetime.time()), datetime.UTC)

    def item_updateddate(self, shown):
        return shown.row["updated_at"]

    def item_categories(self, shown):
        return [topic["name"] for topic in shown.topics]


class OfficialFeed(StatementFeed):
    def scope(self, request, slug):
        official = get_object_or_404(Official.objects.public(), slug=slug)
        official = official.merged_into or official  # A merged record's feed goes on with the person's.
        return f"DiploTrack: {official.name}", official.get_absolute_url(), {"official": official.slug}


class TopicFeed(StatementFeed):
    def scope(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        return f"DiploTrack: {topic.name}", topic.get_absolute_url(), {"topic": topic.slug}


class CountryFeed(StatementFeed):
    def scope(self, request, code):
        country = get_object_or_404(Country, code=code.upper())
        return f"DiploTrack: {country.name}", country.get_absolute_url(), {"country": country.code}
