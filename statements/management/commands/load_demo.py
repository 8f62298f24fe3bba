"""Load the demo: one real news article, curated by hand into its speakers, topics and statements."""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from statements.models import (
    Citation,
    Country,
    Official,
    Organization,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
)

ARTICLE = Path(__file__).with_name("demo_article.txt")
SAID_ON = datetime.date(2024, 11, 12)
PRESS_CONFERENCE = "Press conference at the Government Complex Seoul, Jongno District"
UNNAMED_OFFICIAL = "a senior Foreign Ministry official"

# (slug, name, parent slug, description)
TOPICS = [
    ("korean-peninsula", "Korean Peninsula", None, "Security and diplomacy on the Korean Peninsula."),
    ("denuclearization", "Denuclearization", "korean-peninsula", "The denuclearization of North Korea."),
    (
        "us-north-korea-dialogue",
        "US–North Korea dialogue",
        "korean-peninsula",
        "Talks between the US and North Korea.",
    ),
    ("china-korean-peninsula", "China's role", "korean-peninsula", "China's part in North Korea's affairs."),
    ("us-alliance", "Alliance with the United States", None, "Alliances of states with the United States."),
    ("ukraine", "War in Ukraine", None, "Russia's war against Ukraine and its consequences."),
    ("support-for-ukraine", "Support for Ukraine", "ukraine", "Military, financial and humanitarian aid."),
    ("prisoners-of-war", "Prisoners of war", "ukraine", "Captured soldiers and their repatriation."),
    ("relations-with-russia", "Relations with Russia", None, "Bilateral relations with Russia."),
    ("indo-pacific", "Indo-Pacific strategy", None, "Strategies for a free and open Indo-Pacific."),
    ("trade", "Trade and protectionism", None, "Tariffs, trade policy and protectionism."),
]

# Each statement: speaker ("cho" or "official"), kind, its quotations in the article (adjacent quotations
# of one point joined), topics and the countries it mentions or addresses.
STATEMENTS = [
    {
        "speaker": "cho",
        "kind": "direct",
        "quotes": [
            "I know that many are concerned that the international situation will become more unstable and the "
            "wave of protectionism will become stronger due to 'America First' policies after the new "
            "administration takes office early next year,",
            "Many changes are expected, but one thing is clear — the South Korea-U.S. alliance will be firmly "
            "maintained and strengthened.",
        ],
        "topics": ["us-alliance", "trade"],
        "countries": ["KR", "US"],
    },
    {
        "speaker": "cho",
        "kind": "direct",
        "quotes": [
            "The institutionalization of small-scale cooperation between South Korea, the United States and Japan, "
            "as well as favorable external conditions for strengthening alliances, have been created,",
            "President-elect Trump’s policy direction, which emphasizes expanding the role of allies and "
            "contributing to security, is in line with our vision of a global pivotal nation that will fulfill its "
            "role and responsibility appropriate to its national power and status.",
        ],
        "topics": ["us-alliance"],
        "countries": ["KR", "US", "JP"],
    },
    {
        "speaker": "cho",
        "kind": "direct",
        "quotes": [
            "The first Trump administration was the first U.S. administration to fully pursue an Indo-Pacific "
            "strategy,",
            "The free and open Indo-Pacific order and alliances emphasized by Trump are largely consistent with the "
            "diplomatic policies of the Yoon Suk Yeol administration. Based on these common policy points, the "
            "Foreign Ministry intends to further strengthen cooperation with the coming second Trump administration "
            "through detailed policy coordination.",
        ],
        "topics": ["indo-pacific", "us-alliance"],
        "countries": ["US", "KR"],
    },
    {
        "speaker": "official",
        "kind": "direct",
        "quotes": [
            "The important thing is that the U.S. talks with North Korea through a process that reflects our "
            "position, which is the most important prerequisite,"
        ],
        "topics": ["us-north-korea-dialogue"],
        "countries": ["US", "KP"],
    },
    {
        "speaker": "official",
        "kind": "partial",
        "quotes": [
            "since the situation is uncertain at this point, we must keep all possibilities open and negotiate "
            "accordingly."
        ],
        "topics": ["us-north-korea-dialogue"],
        "countries": ["US", "KP"],
    },
    {
        "speaker": "official",
        "kind": "direct",
        "quotes": [
            "As opportunities for denuclearization negotiations decrease, it may seem as if the priority has been "
            "lowered, but this is a different story from actual policy movements,"
        ],
        "topics": ["denuclearization"],
        "countries": ["KP", "US"],
    },
    {
        "speaker": "official",
        "kind": "partial",
        "quotes": ["there is no need to doubt the goal of denuclearization shared between South Korea and the U.S."],
        "topics": ["denuclearization", "us-alliance"],
        "countries": ["KR", "US", "KP"],
    },
    {
        "speaker": "official",
        "kind": "direct",
        "quotes": [
            "Even if the United States emphasizes national interests under the banner of ‘America first,’ it is "
            "highly unlikely that they will move forward while ignoring basic geopolitical frameworks,",
            "The focus of consultations and cooperation between South Korea and the U.S. will be to adjust those "
            "policies that must be adjusted within the big picture, remain firm on what we can't do, and narrow "
            "any differences while doing so.",
        ],
        "topics": ["us-alliance"],
        "countries": ["US", "KR"],
    },
    {
        "speaker": "official",
        "kind": "partial",
        "quotes": ["policy coordination between South Korea and the United States."],
        "topics": ["support-for-ukraine", "us-alliance"],
        "countries": ["KR", "US", "UA"],
    },
    {
        "speaker": "official",
        "kind": "direct",
        "quotes": ["We don’t see any need to change our foreign policy in a hurry at the moment."],
        "topics": ["support-for-ukraine"],
        "countries": ["UA"],
    },
    {
        "speaker": "official",
        "kind": "partial",
        "quotes": ["are being considered under international law."],
        "topics": ["prisoners-of-war"],
        "countries": ["KP", "UA"],
    },
    {
        "speaker": "official",
        "kind": "paraphrase",
        "quotes": [
            "Seoul would examine the circumstances after the conflict, adding that he was certain Seoul's diplomatic "
            "clout would grow after the shooting stopped"
        ],
        "topics": ["relations-with-russia", "ukraine"],
        "countries": ["KR", "RU"],
    },
    {
        "speaker": "official",
        "kind": "paraphrase",
        # The reporter's sentence, quotation marks kept around the words that are the official's own.
        "quotes": [
            "“uncertainty” was a “crisis factor” for South Korea under a second Trump administration, while the "
            "possibility that “we can act faster if our interests align” was an “opportunity factor.”"
        ],
        "topics": ["us-alliance"],
        "countries": ["KR", "US"],
    },
    {
        "speaker": "official",
        "kind": "direct",
        "quotes": ["China has never explicitly taken further steps or done anything to intervene."],
        "topics": ["china-korean-peninsula", "relations-with-russia"],
        "countries": ["CN", "KP", "RU"],
    },
]


class Command(BaseCommand):
    help = "Load the demo article with its curated speakers, topics and published statements (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help="Also create a superuser 'admin' (password 'admin' with DEBUG on, a random one printed otherwise).",
        )

    @transaction.atomic
    def handle(self, *args, with_admin=False, **options):
        article = ARTICLE.read_text(encoding="utf-8")
        korea = Country.objects.get(code="KR")
        ministry, _ = Organization.objects.get_or_create(
            slug="ministry-of-foreign-affairs-kr",
            defaults={
                "name": "Ministry of Foreign Affairs",
                "other_names": ["Foreign Ministry", "MOFA"],
                "kind": Organization.Kind.MINISTRY,
                "country": korea,
            },
        )
        # He may be here already, from the UN General Debate import ("Tae-yul Cho").
        cho = Official.objects.matching_name("Cho Tae-yul").filter(country=korea).first()
        if cho is None:
            cho = Official.objects.create(
                name="Cho Tae-yul", native_name="조태열", other_names=["Tae-yul Cho", "FM Cho"], country=korea
            )
        Position.objects.get_or_create(
            official=cho,
            organization=ministry,
            role="Minister of Foreign Affairs",
            # Dates from Wikipedia's article on him.
            defaults={"start_date": datetime.date(2024, 1, 10), "end_date": datetime.date(2025, 7, 18)},
        )
        source, _ = Source.objects.get_or_create(
            url="https://v.daum.net/v/20241112182451750",
            defaults={
                "title": "U.S. alliance will be 'firmly maintained and strengthened' under Trump 2.0, "
                "Seoul's top envoy says",
                "publisher": "Korea JoongAng Daily",
                "author": "Lim Jeong-won",
                "published_on": SAID_ON,
                "kind": Source.Kind.NEWS_ARTICLE,
                "language": "en",
                "full_text": article,
            },
        )
        topics = {}
        for slug, name, parent, description in TOPICS:
            topics[slug], _ = Topic.objects.get_or_create(
                slug=slug, defaults={"name": name, "parent": topics.get(parent), "description": description}
            )

        created = 0
        for entry in STATEMENTS:
            start = article.index(entry["quotes"][0])
            end = article.index(entry["quotes"][-1], start) + len(entry["quotes"][-1])
            if Citation.objects.filter(source=source, start_offset=start).exists():
                continue
            speaker = {"official": cho} if entry["speaker"] == "cho" else {"attribution_text": UNNAMED_OFFICIAL}
            statement = Statement(
                text=joined(entry["quotes"]),
                kind=entry["kind"],
                date=SAID_ON,
                occasion=PRESS_CONFERENCE,
                organization=ministry,
                role="" if entry["speaker"] == "cho" else "Senior official",
                **speaker,
            )
            statement.review(Statement.Status.PUBLISHED)
            with statement.one_version():  # Its first version holds its topics and countries.
                statement.save()
                statement.mentioned_countries.set(entry["countries"])
                StatementTopic.objects.bulk_create(
                    StatementTopic(statement=statement, topic=topics[slug]) for slug in entry["topics"]
                )
            Citation.objects.create(statement=statement, source=source, start_offset=start, end_offset=end)
            created += 1
        self.stdout.write(f"Demo data: {created} statement(s) created, {len(STATEMENTS) - created} already there.")

        if with_admin:
            self.create_admin()

    def create_admin(self):
        if User.objects.filter(username="admin").exists():
            self.stdout.write("The user 'admin' already exists; its password is unchanged.")
            return
        password = "admin" if settings.DEBUG else secrets.token_urlsafe(16)
        admin = User.objects.create_superuser("admin", password=password)
        admin.groups.add(Group.objects.get(name="Curators"))
        self.stdout.write(f"Created the superuser 'admin' with the password '{password}': log in at /admin/.")


def joined(quotes):
    """Adjacent quotations as one text: a comma that ended one where the reporter broke in becomes a full stop."""
    text = quotes[0]
    for quote in quotes[1:]:
        if text.endswith(",") and quote[:1].isupper():
            text = text[:-1] + "."
        text = f"{text} {quote}"
    return text
