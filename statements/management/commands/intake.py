"""Drive the intake without a browser: add a feed, poll every feed once, print each feed's health."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from statements.intake import pipeline, shipped
from statements.intake.models import Feed
from statements.models import Country, Organization

DEMO_PATH = "/intake/demo/feed.xml"


class Command(BaseCommand):
    help = "The intake of official feeds: `add URL`, `run --once`, `status`, `ship` (and `demo` for `make run`)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="add|run|status|ship|demo")
        add = commands.add_parser("add", help="Follow a feed.")
        add.add_argument("url")
        add.add_argument("--kind", choices=Feed.Kind.values, default=Feed.Kind.RSS)
        add.add_argument("--name", default="", help="Default: the publisher and the address.")
        add.add_argument("--publisher", default="", help="The publishing organization's name (made if unknown).")
        add.add_argument("--country", default="", help="ISO code of the publisher's country: KR, US...")
        add.add_argument("--language", default="en")
        add.add_argument("--document-kind", choices=Feed.DocumentKind.values, default=Feed.DocumentKind.RELEASE)
        add.add_argument("--selector", default="", help="For --kind html: the CSS selector of its links.")
        add.add_argument("--every", type=int, default=30, metavar="MINUTES", help="Poll interval (30).")
        add.add_argument("--disabled", action="store_true", help="Add it without polling it yet.")
        run = commands.add_parser("run", help="Poll every enabled feed once and read what is new into the inbox.")
        run.add_argument("--once", action="store_true", required=True, help="Synchronously, without a worker.")
        run.add_argument("--feed", type=int, action="append", help="Only this feed (its id); repeatable.")
        commands.add_parser("status", help="Each feed's health.")
        commands.add_parser("ship", help="Add the shipped configurations of real official sources, disabled.")
        demo = commands.add_parser("demo", help="Follow the demo feed the site serves in debug mode.")
        demo.add_argument("--base", default="http://127.0.0.1:8000")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def add(self, *, url, kind, name, publisher, country, language, document_kind, selector, every, disabled, **_):
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise CommandError(f"{url!r} is not a web address (http:// or https://).") from error
        if kind == Feed.Kind.HTML and not selector:
            raise CommandError("An HTML listing needs --selector, the CSS selector of its links.")
        if every < 1:
            raise CommandError("--every is a number of minutes, 1 or more.")
        code = country.upper()
        if code and not Country.objects.filter(code=code).exists():
            raise CommandError(f"No country with the code {country!r}: use ISO codes such as KR, US, JP.")
        if existing := Feed.objects.filter(url=url).first():
            raise CommandError(f"{url} is already followed: feed #{existing.pk} ({existing.name}).")
        with transaction.atomic():
            organization = self.publisher(publisher or "Ministry of Foreign Affairs", code or None)
            feed = Feed.objects.create(
                name=name or f"{organization.name}{f' ({code})' if code else ''}: {url}"[:200],
                kind=kind,
                url=url,
                link_selector=selector,
                publisher=organization,
                country_id=code or None,
                language=language,
                document_kind=document_kind,
                poll_interval=datetime.timedelta(minutes=every),
                enabled=not disabled,
            )
        self.stdout.write(f"Feed #{feed.pk} added: {feed.name} ({'disabled' if disabled else 'enabled'}).")
        return feed

    @staticmethod
    def publisher(name, country):
        found = Organization.objects.filter(name__iexact=name, country_id=country).order_by("id").first()
        kind = Organization.Kind.MINISTRY if country else Organization.Kind.INTERNATIONAL
        return found or Organization.objects.create(name=name, country_id=country, kind=kind)

    def run(self, *, feed=None, **_):
        feeds = Feed.objects.enabled().select_related("publisher", "speaker")
        if feed:
            feeds = feeds.filter(pk__in=feed)
        summary = pipeline.run_once(feeds)
        self.stdout.write(str(summary))

    def status(self, **_):
        threshold = settings.INTAKE_ALERT_FAILURES
        feeds = Feed.objects.select_related("country").order_by("name")
        if not feeds:
            self.stdout.write("No feeds yet: `manage.py intake add URL`.")
        for feed in feeds:
            success = f"{feed.last_success_at:%Y-%m-%d %H:%M}" if feed.last_success_at else "never"
            line = (
                f"#{feed.pk} [{feed.state(threshold).upper()}] {feed.name} — last success {success}, "
                f"{feed.consecutive_failures} failure(s) in a row, {feed.documents_seen} document(s)"
            )
            if feed.consecutive_failures:
                line += f"; last error: {feed.last_error}"
            self.stdout.write(line)

    def ship(self, **_):
        added = shipped.ship()
        self.stdout.write(
            f"{added} shipped feed(s) added, disabled: check each in the admin (Feeds) and enable it."
            if added
            else "The shipped feeds are all followed already."
        )

    def demo(self, *, base, **_):
        url = base.rstrip("/") + DEMO_PATH
        if Feed.objects.filter(url=url).exists():
            self.stdout.write(f"The demo feed {url} is followed already.")
            return
        feed = self.add(
            url=url,
            kind=Feed.Kind.RSS,
            name="Demo: a ministry's press releases (served by this site in debug mode)",
            publisher="Ministry of Foreign Affairs",
            country="KR",
            language="en",
            document_kind=Feed.DocumentKind.RELEASE,
            selector="",
            every=1,
            disabled=False,
        )
        # `make run` starts the worker and the site together: the first poll waits for the site to answer.
        Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() + datetime.timedelta(seconds=20))
