"""Configurations of real official sources, shipped disabled: `manage.py intake ship` adds them (`make run` does),
and a curator checks each (a site's layout, hence a listing's selector, changes) and enables it in the admin.

Not a data migration: its publishers would then be in every database, tests' included, beside the ones a curator or a
test makes. The tests never reach these addresses.
"""

import datetime

from statements.intake.models import Feed
from statements.models import Organization

# slug: name, country, kind; the slug of Korea's is the demo data's (load_demo), so both name one ministry.
PUBLISHERS = {
    "ministry-of-foreign-affairs-kr": ("Ministry of Foreign Affairs", "KR", Organization.Kind.MINISTRY),
    "department-of-state-us": ("Department of State", "US", Organization.Kind.MINISTRY),
    "united-nations": ("United Nations", None, Organization.Kind.INTERNATIONAL),
    "ministry-of-foreign-affairs-jp": ("Ministry of Foreign Affairs", "JP", Organization.Kind.MINISTRY),
}

FEEDS = [
    # name, publisher's slug, kind, url, link selector, document kind
    (
        "Korea MOFA: press releases (English)",
        "ministry-of-foreign-affairs-kr",
        "html",
        "https://www.mofa.go.kr/eng/brd/m_5676/list.do",
        "div.board_list td.title a, table.board_list td a[href*='view.do']",
        "release",
    ),
    (
        "Korea MOFA: spokesperson's press briefings (English)",
        "ministry-of-foreign-affairs-kr",
        "html",
        "https://www.mofa.go.kr/eng/brd/m_5674/list.do",
        "div.board_list td.title a, table.board_list td a[href*='view.do']",
        "transcript",
    ),
    (
        "US State Department: press briefings",
        "department-of-state-us",
        "rss",
        "https://www.state.gov/rss-feed/department-press-briefings/feed/",
        "",
        "transcript",
    ),
    ("UN: press releases", "united-nations", "rss", "https://press.un.org/en/rss.xml", "", "release"),
    (
        "UN: Secretary-General's statements",
        "united-nations",
        "html",
        "https://www.un.org/sg/en/content/sg/statements",
        "div.view-content h3 a, div.views-field-title a",
        "release",
    ),
    (
        "Japan MOFA: press conferences",
        "ministry-of-foreign-affairs-jp",
        "html",
        "https://www.mofa.go.jp/press/kaiken/index.html",
        "a[href*='/press/kaiken/kaiken']",
        "transcript",
    ),
]


def ship() -> int:
    """Add the shipped feeds not followed yet (disabled), with their publishers; how many were added."""
    added = 0
    for name, slug, kind, url, selector, document_kind in FEEDS:
        if Feed.objects.filter(url=url).exists():
            continue
        publisher_name, country, publisher_kind = PUBLISHERS[slug]
        publisher, _ = Organization.objects.get_or_create(
            slug=slug, defaults={"name": publisher_name, "country_id": country, "kind": publisher_kind}
        )
        Feed.objects.create(
            name=name,
            kind=kind,
            url=url,
            link_selector=selector,
            publisher=publisher,
            country_id=publisher.country_id,
            language="en",
            document_kind=document_kind,
            poll_interval=datetime.timedelta(hours=1),
            enabled=False,
        )
        added += 1
    return added
