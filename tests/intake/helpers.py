"""Factory helpers for the intake's tests."""

import datetime

from statements.intake.models import Feed
from statements.models import Organization
from tests.intake import pages


def make_feed(*, url, kind=Feed.Kind.RSS, publisher=None, country="KR", **fields):
    publisher = (
        publisher
        or Organization.objects.get_or_create(
            name="Ministry of Foreign Affairs", country_id=country, defaults={"slug": f"mofa-{country.lower()}"}
        )[0]
    )
    return Feed.objects.create(
        name=fields.pop("name", f"Feed {url}"), url=url, kind=kind, publisher=publisher, country_id=country, **fields
    )


def release_feed(server, count=3, *, path="/eng/rss.xml", start=1, page=pages.kr_release, **headers):
    """An RSS feed of `count` releases, each page served too; the feed's address."""
    items = []
    for n in range(start, start + count):
        item_path = f"/eng/brd/view.do?seq={n}"
        server.page(item_path, page(n))
        items.append((item_path, f"Release {n}", datetime.date(2024, 11, 15), f"seq-{n}"))
    server.page(path, pages.rss(server.base, items), content_type="application/rss+xml", **headers)
    return server.url(path)
