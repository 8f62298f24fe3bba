"""What a list shows of each statement, read as plain values and handed to the template as dicts.

A page of 25 statements as model instances, each with its official, organization, country, topics,
citations and sources, costs Django hundreds of objects and the template thousands of failed
`obj[key]` lookups before each attribute; as dicts, both are cheap. Four queries, whatever the page
size: the page's statement ids, their rows, their topics, their sources.
"""

import functools

from django.urls import reverse
from django.utils.text import Truncator

from statements import search
from statements.models import Citation, Statement, StatementTopic, display_date, statement_slug, statement_url

FIELDS = [
    "pk",
    "text",
    "kind",
    "date",
    "date_precision",
    "attribution_text",
    "role",
    "official__name",
    "official__slug",
    "organization__name",
    "organization__country_id",
    "country_id",
    "country__name",
]
KINDS = dict(Statement.Kind.choices)


def cards(statements, *, words=None):
    """Cards for a sliced, ordered queryset of statements; with search words, the words marked."""
    # The page's ids first, then their rows: sorting thousands of matches by relevance would otherwise
    # join every match to its speaker and country before keeping 25 (the planner expects few matches).
    ids = list(statements.values_list("pk", flat=True))
    rows = Statement.objects.filter(pk__in=ids)
    if words:
        rows = rows.annotate(headline=search.Headline(words))
    position = {pk: index for index, pk in enumerate(ids)}
    rows = sorted(rows.values(*FIELDS, *(["headline"] if words else [])), key=lambda row: position[row["pk"]])
    topics, sources = {}, {}
    url = functools.cache(lambda name, arg: reverse(name, args=[arg]))  # Once a page for each object.
    links = StatementTopic.objects.filter(statement__in=ids).order_by("topic__name")
    for statement_id, name, slug in links.values_list("statement_id", "topic__name", "topic__slug"):
        topics.setdefault(statement_id, []).append({"name": name, "url": url("topic_detail", slug)})
    citations = Citation.objects.filter(statement__in=ids).order_by("id")
    for statement_id, publisher, address, published_on in citations.values_list(
        "statement_id", "source__publisher", "source__url", "source__published_on"
    ):
        sources.setdefault(statement_id, []).append(
            {"publisher": publisher, "url": address, "published_on": published_on}
        )
    return [card(row, topics.get(row["pk"], []), sources.get(row["pk"], []), url) for row in rows]


def card(row, topics, sources, url):
    official = row["official__name"]
    organization = row["organization__name"]
    if official:
        speaker = official
    elif row["attribution_text"]:
        speaker = row["attribution_text"]
    else:
        speaker = (
            f"{organization} ({row['organization__country_id']})" if row["organization__country_id"] else organization
        )
    return {
        "pk": row["pk"],
        "url": statement_url(row["pk"], statement_slug(speaker, row["text"])),
        "highlighted": search.highlighted(row["headline"]) if row.get("headline") else None,
        "text": None if row.get("headline") else Truncator(row["text"]).words(90),
        "kind": row["kind"],
        "kind_display": KINDS[row["kind"]],
        "speaker": speaker,
        "official_url": url("official_detail", row["official__slug"]) if official else None,
        "organization": organization,
        "role": row["role"],
        "country": row["country__name"],
        "country_url": url("country_detail", row["country_id"]) if row["country_id"] else None,
        "date": row["date"],
        "date_display": display_date(row["date"], row["date_precision"]),
        "topics": topics,
        "sources": sources,
    }
