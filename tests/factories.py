"""Plain factory helpers: keyword-only arguments, sensible defaults, saved rows."""

import datetime
import itertools

from django.contrib.auth.models import Group, User
from django.db import connection

from statements.models import Citation, Official, Organization, Position, Source, Statement, StatementTopic, Topic

_numbers = itertools.count(1)


def make_official(*, name=None, country="KR", **fields):
    return Official.objects.create(name=name or f"Official {next(_numbers)}", country_id=country, **fields)


def make_organization(*, name=None, country="KR", kind=Organization.Kind.MINISTRY, **fields):
    return Organization.objects.create(
        name=name or f"Ministry {next(_numbers)}", country_id=country, kind=kind, **fields
    )


def make_position(*, official, organization=None, role="Minister of Foreign Affairs", **fields):
    organization = organization or make_organization(country=official.country_id)
    return Position.objects.create(official=official, organization=organization, role=role, **fields)


def make_topic(*, name=None, parent=None, **fields):
    return Topic.objects.create(name=name or f"Topic {next(_numbers)}", parent=parent, **fields)


def make_source(*, title=None, publisher="Yonhap", url="", **fields):
    return Source.objects.create(title=title or f"Article {next(_numbers)}", publisher=publisher, url=url, **fields)


def make_statement(
    *,
    text="We will strengthen the alliance.",
    official=None,
    organization=None,
    date=datetime.date(2024, 11, 12),
    status=Statement.Status.PUBLISHED,
    topics=(),
    mentions=(),
    source=None,
    **fields,
):
    if official is None and organization is None:
        official = make_official()
    statement = Statement(text=text, official=official, organization=organization, date=date, **fields)
    statement.review(status)
    statement.save()
    StatementTopic.objects.bulk_create(StatementTopic(statement=statement, topic=topic) for topic in topics)
    statement.mentioned_countries.set(mentions)
    if source is not None:
        Citation.objects.create(statement=statement, source=source)
    statement.refresh_from_db()
    return statement


def make_curator(*, username="curator", password="a-long-curator-password", email=""):
    user = User.objects.create_user(username, email=email, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def drop_text_checks():
    """Drop the database's checks against control characters (in the test's transaction), as in a database that
    a path forgetting to normalise could write them to: for tests of what reads text to hold on its own."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL alters no table with checks pending.
        cursor.execute(
            "SELECT conname, conrelid::regclass FROM pg_constraint WHERE conname LIKE '%%_text_without_controls'"
        )
        for name, table in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
