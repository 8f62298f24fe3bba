"""Configurations of real official sources, disabled: a curator checks each (its selector may have changed since)
and enables it in the admin. The tests never reach them."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

PUBLISHERS = {
    "kr-mofa": ("Ministry of Foreign Affairs", "KR", "ministry"),
    "us-state": ("Department of State", "US", "ministry"),
    "un": ("United Nations", None, "international"),
    "jp-mofa": ("Ministry of Foreign Affairs", "JP", "ministry"),
}

FEEDS = [
    # name, publisher, kind, url, link selector, document kind, language
    (
        "Korea MOFA: press releases (English)",
        "kr-mofa",
        "html",
        "https://www.mofa.go.kr/eng/brd/m_5676/list.do",
        "div.board_list td.title a, table.board_list td a[href*='view.do']",
        "release",
    ),
    (
        "Korea MOFA: spokesperson's press briefings (English)",
        "kr-mofa",
        "html",
        "https://www.mofa.go.kr/eng/brd/m_5674/list.do",
        "div.board_list td.title a, table.board_list td a[href*='view.do']",
        "transcript",
    ),
    (
        "US State Department: press briefings",
        "us-state",
        "rss",
        "https://www.state.gov/rss-feed/department-press-briefings/feed/",
        "",
        "transcript",
    ),
    ("UN: press releases", "un", "rss", "https://press.un.org/en/rss.xml", "", "release"),
    (
        "UN: Secretary-General's statements",
        "un",
        "html",
        "https://www.un.org/sg/en/content/sg/statements",
        "div.view-content h3 a, div.views-field-title a",
        "release",
    ),
    (
        "Japan MOFA: press conferences",
        "jp-mofa",
        "html",
        "https://www.mofa.go.jp/press/kaiken/index.html",
        "a[href*='/press/kaiken/kaiken']",
        "transcript",
    ),
]


def organization(Organization, name, country, kind):
    found = Organization.objects.filter(name=name, country_id=country).order_by("id").first()
    if found:
        return found
    base = slugify(f"{name} {country or ''}".strip())
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Organization.objects.create(name=name, country_id=country, kind=kind, slug=slug)


def curators_follow_feeds(apps, schema_editor):
    """Curators add and change feeds and decide on the inbox's candidates; documents and flags they read and mark."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in ("feed", "candidate", "reviewflag") for action in ("add", "change", "view")]
    codenames += ["view_document", "change_document", "view_documentversion"]
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(*Permission.objects.filter(content_type__app_label="statements", codename__in=codenames))


def ship(apps, schema_editor):
    Organization = apps.get_model("statements", "Organization")
    Feed = apps.get_model("statements", "Feed")
    Country = apps.get_model("statements", "Country")
    known = set(Country.objects.values_list("code", flat=True))
    publishers = {
        key: organization(Organization, name, country if country in known else None, kind)
        for key, (name, country, kind) in PUBLISHERS.items()
    }
    for name, publisher, kind, url, selector, document_kind in FEEDS:
        Feed.objects.get_or_create(
            url=url,
            defaults={
                "name": name,
                "kind": kind,
                "link_selector": selector,
                "publisher": publishers[publisher],
                "country_id": publishers[publisher].country_id,
                "language": "en",
                "document_kind": document_kind,
                "poll_interval": datetime.timedelta(hours=1),
                "enabled": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("statements", "0021_intake")]

    operations = [
        migrations.RunPython(curators_follow_feeds, migrations.RunPython.noop),
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
