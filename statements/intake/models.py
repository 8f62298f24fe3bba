"""What the intake follows and what it brought in: feeds, the documents fetched from them, their versions, and the
candidate statements waiting in the curators' inbox.

Imported by statements.models, so that they are the statements app's models (one app, one set of migrations).
"""

import datetime
import difflib
import gzip
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from statements.models import Citation, Country, Official, Organization, Source, Statement, TextModel

# When a document is fetched again after it was first read: its text may be edited, or the page removed.
RECHECKS = [
    datetime.timedelta(hours=1),
    datetime.timedelta(days=1),
    datetime.timedelta(weeks=1),
    datetime.timedelta(days=30),
]


def compress(raw: bytes) -> bytes:
    return gzip.compress(raw or b"", compresslevel=6)


def text_hash(text: str) -> str:
    """The hash of the words alone, spacing ignored: a page whose markup or ads change on every fetch keeps it."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


class FeedQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)

    def due(self, now=None):
        """Enabled feeds whose next poll has come (or that were never polled)."""
        now = now or timezone.now()
        return self.enabled().filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))

    def failing(self, threshold):
        return self.filter(consecutive_failures__gte=threshold)


class Feed(TextModel):
    """A source of documents the intake follows: a ministry's press releases, a spokesperson's briefings..."""

    class Kind(models.TextChoices):
        RSS = "rss", "RSS or Atom feed"
        API = "api", "JSON API"
        HTML = "html", "HTML listing page"
        SITEMAP = "sitemap", "Sitemap"

    class DocumentKind(models.TextChoices):
        RELEASE = "release", "Press releases and statements"
        TRANSCRIPT = "transcript", "Transcripts of briefings"
        NEWS = "news", "News articles"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.RSS)
    url = models.URLField("URL", max_length=1000, unique=True)
    link_selector = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an HTML listing: the CSS selector of the links to its documents, e.g. “ul.board a”.",
    )
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="feeds")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="feeds")
    language = models.CharField(max_length=12, default="en", help_text="Of its documents, unless a page says.")
    speaker = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who speaks in its documents when they name nobody (a spokesperson); blank: the publisher.",
    )
    document_kind = models.CharField(max_length=12, choices=DocumentKind, default=DocumentKind.RELEASE)
    poll_interval = models.DurationField(default=datetime.timedelta(minutes=30))
    enabled = models.BooleanField(default=True)
    auto_publish = models.BooleanField(
        "publish without review",
        default=False,
        help_text="Publish candidates at or above the confidence below without a curator (each one is logged).",
    )
    auto_publish_confidence = models.FloatField(default=0.95)
    # Health, kept by each poll.
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    documents_seen = models.PositiveIntegerField(default=0, editable=False)
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Conditional GET: the listing is sent again only when it changed.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="html") | ~Q(link_selector=""),
                name="feed_html_has_selector",
                violation_error_message="An HTML listing needs the CSS selector of its links.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def host(self):
        return urlsplit(self.url).netloc.lower()

    def state(self, threshold):
        """ "disabled", "failing" (red), "erring" (some failures), "ok", or "new" (never polled)."""
        if not self.enabled:
            return "disabled"
        if self.consecutive_failures >= threshold:
            return "failing"
        if self.consecutive_failures:
            return "erring"
        return "ok" if self.last_success_at else "new"

    def succeeded(self, now=None):
        now = now or timezone.now()
        self.last_polled_at = self.last_success_at = now
        self.next_poll_at = now + self.poll_interval
        self.consecutive_failures = 0
        self.alerted_at = None
        self.save(
            update_fields=[
                "last_polled_at",
                "last_success_at",
                "next_poll_at",
                "consecutive_failures",
                "alerted_at",
                "etag",
                "last_modified",
            ]
        )

    def failed(self, error, now=None):
        """Record a failed poll; True when this failure is the one that turns the feed red (time to tell curators)."""
        now = now or timezone.now()
        self.last_polled_at = self.last_error_at = now
        self.last_error = str(error)[:2000]
        self.consecutive_failures += 1
        self.next_poll_at = now + self.poll_interval
        self.save(
            update_fields=["last_polled_at", "last_error_at", "last_error", "consecutive_failures", "next_poll_at"]
        )
        return self.consecutive_failures >= settings.INTAKE_ALERT_FAILURES and self.alerted_at is None

    def source_kind(self):
        return {
            self.DocumentKind.RELEASE: Source.Kind.PRESS_RELEASE,
            self.DocumentKind.TRANSCRIPT: Source.Kind.TRANSCRIPT,
            self.DocumentKind.NEWS: Source.Kind.NEWS_ARTICLE,
        }[self.document_kind]


class DocumentQuerySet(models.QuerySet):
    def recheck_due(self, now=None):
        """Documents read into the inbox whose next re-fetch has come."""
        now = now or timezone.now()
        return self.filter(status=Document.Status.READ, next_check_at__lte=now)

    def known_addresses(self, urls):
        """Which of these addresses a document already has, as listed or as its canonical address."""
        urls = list(urls)
        found = self.filter(Q(url__in=urls) | Q(canonical_url__in=urls)).values_list("url", "canonical_url")
        return {url for pair in found for url in pair if url}


class Document(TextModel):
    """One page or file a feed listed, as fetched: its raw response (compressed), its text, and what became of it."""

    class Status(models.TextChoices):
        READ = "read", "Read into the inbox"
        COPY = "copy", "Copy of another document"
        EMPTY = "empty", "No text found"
        FAILED = "failed", "Failed"
        REMOVED = "removed", "Removed by the publisher"

    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    url = models.URLField("URL as listed", max_length=1000, unique=True)
    canonical_url = models.URLField(max_length=1000, blank=True, db_index=True)
    guid = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    # The response as received (gzip), kept whatever became of it, so that nothing fetched is lost.
    raw = models.BinaryField(editable=False)
    content_type = models.CharField(max_length=200, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)
    source = models.OneToOneField(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="document")
    copy_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", help_text="Syndicated copy."
    )
    listed_at = models.DateTimeField(null=True, blank=True, help_text="When its feed first listed it.")
    fetched_at = models.DateTimeField(default=timezone.now)
    # Change tracking: re-fetched on the RECHECKS schedule; edited when its text changed, removed when it went.
    checks_done = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    # What the publisher said of the version last fetched: a re-check asks for the page only if it changed since.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [
            models.Index("next_check_at", condition=Q(status="read"), name="document_recheck_due"),
        ]

    def __str__(self):
        return self.title or self.url

    def get_absolute_url(self):
        return reverse("admin:statements_document_change", args=[self.pk])

    @property
    def raw_bytes(self):
        return gzip.decompress(bytes(self.raw)) if self.raw else b""

    def schedule_next_check(self, now=None):
        now = now or timezone.now()
        done = self.checks_done
        self.next_check_at = (self.fetched_at or now) + RECHECKS[done] if done < len(RECHECKS) else None


class DocumentVersion(models.Model):
    """A text of a document as it was on one fetch: the first, then each that differed from the one before."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    fetched_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    raw = models.BinaryField(editable=False)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_once")]

    def __str__(self):
        return f"{self.document} (version {self.number})"

    def diff(self, earlier):
        """The lines that changed from the earlier version: (mark, line) pairs, mark one of "+", "-", " "."""
        lines = difflib.unified_diff(earlier.text.splitlines(), self.text.splitlines(), lineterm="", n=1)
        return [(line[:1], line[1:]) for line in lines if not line.startswith(("---", "+++", "@@"))]


class CandidateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Candidate.Status.PENDING)

    def confidence_between(self, low, high):
        return self.filter(confidence__gte=low, confidence__lt=high)


class Candidate(TextModel):
    """A quotation the extractor found in a fetched document, waiting in the inbox for a curator's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "To review"
        ACCEPTED = "accepted", "Accepted as a draft"
        PUBLISHED = "published", "Published without review"
        REJECTED = "rejected", "Rejected"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="candidates")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="candidates")
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Statement.Kind, default=Statement.Kind.DIRECT)
    speaker = models.CharField(max_length=300, blank=True, help_text="As the extractor read it.")
    official = models.ForeignKey(Official, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    mentions = ArrayField(models.CharField(max_length=4), default=list, blank=True)
    date = models.DateField(null=True, blank=True)
    confidence = models.FloatField(default=0)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    statement = models.ForeignKey(Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Reading a document again (a task run twice) finds the same quotations: they are not added twice.
            models.UniqueConstraint(fields=["document", "start", "end"], name="candidate_once_per_span"),
        ]
        indexes = [models.Index(F("created_at").desc(), name="candidate_inbox", condition=Q(status="pending"))]

    def __str__(self):
        return f"{self.speaker or self.organization}: {Truncator(self.quote).words(12)}"

    def accept(self, user=None, *, publish=False):
        """Make the candidate a draft statement (published, for a feed that publishes without review) cited from its
        source at its offsets; the statement."""
        with transaction.atomic():
            statement = Statement(
                text=self.quote,
                kind=self.kind,
                official=self.official,
                organization=None if self.official_id else self.organization,
                attribution_text="" if self.official_id else Truncator(self.speaker).chars(200),
                country=self.country,
                date=self.date or self.document.published_on or self.created_at.date(),
                language=self.document.language or "en",
            )
            statement.review(Statement.Status.PUBLISHED if publish else Statement.Status.DRAFT, user)
            if publish:
                # In the statement's history too, where curators look for who published what.
                feed = self.document.feed
                statement._change_reason = (
                    f"Published without review by the intake (feed #{feed.pk if feed else '-'}, "
                    f"confidence {self.confidence:.2f})"
                )
            statement.save()
            statement.mentioned_countries.set(Country.objects.filter(code__in=self.mentions))
            Citation.objects.create(
                statement=statement, source=self.source, start_offset=self.start, end_offset=self.end
            )
            self.status = self.Status.PUBLISHED if publish else self.Status.ACCEPTED
            self.statement, self.decided_at = statement, timezone.now()
            self.save(update_fields=["status", "statement", "decided_at"])
        return statement

    def reject(self):
        self.status, self.decided_at = self.Status.REJECTED, timezone.now()
        self.save(update_fields=["status", "decided_at"])


class ReviewFlag(models.Model):
    """A statement to review again: the words it cites were edited away from its source's page."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="flags")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["resolved", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["statement", "version"], name="review_flag_once")]

    def __str__(self):
        return f"Statement #{self.statement_id}: {self.reason}"
