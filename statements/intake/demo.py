"""A demo feed the site serves itself in debug mode, so that `make run` shows the intake working with no internet:
an RSS feed of three press releases, each a page in the manner of a foreign ministry's site (written for the demo).
"""

import datetime
from email.utils import format_datetime
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.feedgenerator import Rss201rev2Feed

PAGES = Path(__file__).parent / "demo_pages"


def releases():
    """(slug, title, date) of each demo page, newest first."""
    found = []
    for page in sorted(PAGES.glob("*.html"), reverse=True):
        date, _, rest = page.stem.partition("_")
        found.append((page.stem, rest.replace("-", " ").capitalize(), datetime.date.fromisoformat(date)))
    return found


def feed(request):
    rss = Rss201rev2Feed(
        title="Ministry of Foreign Affairs (demo): press releases",
        link=request.build_absolute_uri("/"),
        description="Demo releases for DiploTrack's intake",
        language="en",
    )
    for slug, title, date in releases():
        url = request.build_absolute_uri(slug + "/")  # beside feed.xml, wherever the demo is mounted
        rss.add_item(
            title=title,
            link=url,
            description=title,
            unique_id=slug,
            pubdate=datetime.datetime.combine(date, datetime.time(9), datetime.UTC),
        )
    response = HttpResponse(rss.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8")
    response["Last-Modified"] = format_datetime(datetime.datetime(2024, 11, 20, 9, tzinfo=datetime.UTC), usegmt=True)
    return response


def page(request, slug):
    file = PAGES / f"{slug}.html"
    if "/" in slug or not file.is_file():
        raise Http404("No such demo page.")
    return HttpResponse(file.read_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("feed.xml", feed, name="intake_demo_feed"),
    path("<slug:slug>/", page, name="intake_demo_page"),
]
