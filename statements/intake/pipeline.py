"""The intake's steps, each callable on its own: poll a feed for new items, take one item into the inbox, re-check a
document for edits or removal, alert the curators of a failing feed.

The worker's tasks (tasks.py) and `manage.py intake run --once` call the same steps. Each document is saved in one
transaction, with the raw response, whatever became of it: a process killed halfway leaves nothing half-saved, and
the unique address of a document makes a second run of the same step find the first one's work.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator

from statements.curation import linking
from statements.ingest.kinds import ARTICLE, RELEASE, TRANSCRIPT
from statements.intake import read
from statements.intake.fetch import FetchError, fetch
from statements.intake.models import (
    Candidate,
    Document,
    DocumentVersion,
    Feed,
    ReviewFlag,
    compress,
    text_hash,
)
from statements.models import MAX_TEXT, Citation, Source, Statement, hold_lock
from statements.text import normalized

logger = logging.getLogger(__name__)

# A document whose fetch failed is tried again on later polls, up to this many times in all.
MAX_ATTEMPTS = 3
READING = {
    Feed.DocumentKind.RELEASE: RELEASE,
    Feed.DocumentKind.TRANSCRIPT: TRANSCRIPT,
    Feed.DocumentKind.NEWS: ARTICLE,
}


class TransientFailure(Exception):
    """A document's fetch failed in a way worth retrying soon (a timeout, a 5xx); the failure is recorded."""


@dataclass
class Summary:
    """What a run did, counted for `intake run --once`."""

    polled: int = 0
    failed_polls: int = 0
    documents: dict = field(default_factory=dict)
    candidates: int = 0
    rechecked: int = 0

    def count(self, document):
        self.documents[document.status] = self.documents.get(document.status, 0) + 1

    def __str__(self):
        statuses = ", ".join(f"{count} {status}" for status, count in sorted(self.documents.items())) or "none"
        return (
            f"Polled {self.polled} feed(s), {self.failed_polls} failed; documents: {statuses}; "
            f"{self.candidates} candidate statement(s) in the inbox; {self.rechecked} document(s) re-checked."
        )


def poll(feed: Feed) -> list[read.Item] | None:
    """The new items the feed lists (at most INTAKE_MAX_ITEMS, the rest left for the next polls); None if it failed."""
    try:
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        items = (
            [] if response.not_modified else read.listing(feed.kind, response.body, response.url, feed.link_selector)
        )
        if not response.not_modified and not items and feed.kind in (Feed.Kind.HTML, Feed.Kind.SITEMAP):
            raise read.ReadError("The listing has no links to documents (has the page's layout changed?).")
    except Exception as error:  # whatever a listing holds, the feed's failure is recorded
        if not isinstance(error, FetchError | read.ReadError):
            logger.exception("intake: feed %s could not be read", feed.pk)
            error = read.ReadError(f"The listing could not be read: {type(error).__name__}: {error}")
        logger.warning("intake: feed %s failed: %s", feed.pk, error)
        if feed.failed(error):
            alert(feed)
        return None
    if not response.not_modified:
        feed.etag, feed.last_modified = response.etag[:500], response.last_modified[:100]
    feed.succeeded()
    return new_items(feed, items)


def new_items(feed, items):
    """The items no document has yet (by address or by the feed's GUID), in the listing's order, capped."""
    settled = Document.objects.exclude(status=Document.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
    known = settled.known_addresses(item.url for item in items)
    guids = [item.guid for item in items if item.guid]
    known_guids = set(settled.filter(feed=feed, guid__in=guids).values_list("guid", flat=True))
    fresh = [item for item in items if item.url not in known and not (item.guid and item.guid in known_guids)]
    return fresh[: settings.INTAKE_MAX_ITEMS]


def take(feed: Feed, item: read.Item, *, listed_at=None) -> Document:
    """Fetch and read one item into the inbox; its document as saved (read, a copy, empty or failed)."""
    done = Document.objects.filter(url=item.url).exclude(status=Document.Status.FAILED).first()
    if done is not None:
        return done
    try:
        response = fetch(item.url)
    except FetchError as error:
        document = _failed(feed, item, error, listed_at)
        if error.transient and document.attempts < MAX_ATTEMPTS:
            raise TransientFailure(str(error)) from error
        return document
    try:
        reading = read.document(response.body, response.content_type, response.url)
    except read.ReadError as error:
        return _failed(feed, item, error, listed_at, response=response)
    try:
        return _store(feed, item, response, reading, listed_at)
    except Exception as error:  # a bug in reading one document must not lose it, nor stop the rest
        logger.exception("intake: could not read %s into the inbox", item.url)
        failure = RuntimeError(f"Could not read it into the inbox: {type(error).__name__}: {error}")
        return _failed(feed, item, failure, listed_at, response=response)


def _failed(feed, item, error, listed_at, response=None):
    """Record a failure on the document (with whatever was received) and on its feed."""
    body = response.body if response is not None else getattr(error, "body", b"")
    empty = isinstance(error, read.NoText)
    with transaction.atomic():
        hold_lock("intake-document", item.url)
        document = Document.objects.select_for_update().filter(url=item.url).first()
        if document is not None and document.status != Document.Status.FAILED:
            return document
        document = document or Document(url=item.url, attempts=0)
        document.feed, document.guid, document.title = feed, item.guid[:500], Truncator(item.title).chars(500)
        document.status = Document.Status.EMPTY if empty else Document.Status.FAILED
        document.error = str(error)[:5000]
        document.attempts += 1
        document.raw = compress(body)
        document.content_type = (response.content_type if response else getattr(error, "content_type", ""))[:200]
        document.http_status = response.status if response else getattr(error, "status", None)
        document.listed_at = document.listed_at or listed_at
        document.fetched_at = timezone.now()
        document.save()
        Feed.objects.filter(pk=feed.pk).update(
            last_error=f"{item.url}: {error}"[:2000], last_error_at=document.fetched_at
        )
    return document


def _store(feed, item, response, reading, listed_at):
    """Save a read document, its Source (our snapshot), its first version and its candidates, in one transaction."""
    text = normalized(reading.text)[:MAX_TEXT]
    digest = text_hash(text)
    canonical = reading.canonical_url or response.url
    canonical = canonical if len(canonical) <= 1000 else item.url
    with transaction.atomic():
        # In one order for all, so that two workers reading copies of one text wait for each other.
        for key in sorted([f"url {item.url}", f"canonical {canonical}", f"hash {digest}"]):
            hold_lock("intake-document", key)
        document = Document.objects.select_for_update().filter(url=item.url).first()
        if document is not None and document.status != Document.Status.FAILED:
            return document
        document = document or Document(url=item.url, attempts=0)
        original = (
            Document.objects.filter(Q(canonical_url=canonical) | Q(content_hash=digest), status=Document.Status.READ)
            .order_by("id")
            .first()
        )
        now = timezone.now()
        document.feed, document.guid = feed, item.guid[:500]
        document.canonical_url, document.content_hash = canonical, digest
        document.raw, document.content_type = compress(response.body), response.content_type[:200]
        document.http_status, document.error = response.status, ""
        document.etag, document.last_modified = response.etag[:500], response.last_modified[:100]
        document.title = Truncator(reading.title or item.title or text.split("\n", 1)[0]).chars(500)
        document.text = text
        document.published_on = reading.published or item.published
        document.author = Truncator(reading.author).chars(200)
        document.language = (reading.language or feed.language)[:12]
        document.listed_at = document.listed_at or listed_at
        document.fetched_at = now
        document.attempts += 1
        if original is not None:
            document.status, document.copy_of = Document.Status.COPY, original
            document.save()
            return document
        document.source = _source(feed, document)
        document.status = Document.Status.READ
        document.checks_done = 0
        document.schedule_next_check(now)
        document.save()
        DocumentVersion.objects.create(
            document=document,
            number=1,
            fetched_at=now,
            title=document.title,
            text=text,
            content_hash=digest,
            raw=document.raw,
        )
        inbox(document, feed)
        Feed.objects.filter(pk=feed.pk).update(documents_seen=F("documents_seen") + 1)
    return document


def _source(feed, document):
    """Our snapshot of the document as a Source; one a curator pasted with the same address already is reused."""
    url = document.canonical_url
    known = Source.objects.filter(url=url).first()
    if known is not None and not Document.objects.filter(source=known).exists():
        return known
    return Source.objects.create(
        url=url if known is None else "",
        title=document.title or "(untitled)",
        publisher=Truncator(feed.publisher.name).chars(200),
        author=document.author,
        published_on=document.published_on,
        kind=feed.source_kind(),
        language=document.language,
        full_text=document.text,
    )


def inbox(document, feed):
    """The document's quotations as candidate statements, found by the extractor as the feed's kind of text."""
    source = document.source
    found = linking.candidates(source, linking.read(source, READING[feed.document_kind]))
    default_name = feed.speaker.name if feed.speaker_id else feed.publisher.name
    rows = []
    for candidate in found:
        quotation, link = candidate.quotation, candidate.speaker
        # Words the text gives no speaker for are the feed's default speaker's (a release speaks for its issuer).
        official = link.official or (feed.speaker if quotation.speaker is None else None)
        rows.append(
            Candidate(
                document=document,
                source=source,
                quote=quotation.quote,
                start=quotation.start,
                end=quotation.end,
                kind=quotation.kind if quotation.kind in Statement.Kind.values else Statement.Kind.DIRECT,
                speaker=Truncator(quotation.speaker.label if quotation.speaker else default_name).chars(300),
                official=official,
                organization=link.organization or feed.publisher,
                country_id=(official.country_id if official else None) or link.country or feed.country_id,
                mentions=candidate.countries,
                date=candidate.date or document.published_on,
                confidence=quotation.confidence if quotation.speaker else 0.5,
            )
        )
    for row in rows:
        row.normalize_text()
    Candidate.objects.bulk_create(rows, ignore_conflicts=True)
    if feed.auto_publish:
        for row in Candidate.objects.filter(document=document, confidence__gte=feed.auto_publish_confidence):
            statement = row.accept(publish=True)
            logger.info(
                "intake: published statement %s from feed %s without review (confidence %.2f)",
                statement.pk,
                feed.pk,
                row.confidence,
            )
    return rows


def recheck(document: Document) -> Document:
    """Fetch a document again: a new version when its words changed, removed when it is gone; next check planned."""
    try:
        response = fetch(document.url, etag=document.etag, last_modified=document.last_modified, accept_gone=True)
        reading = None
        if not (response.not_modified or response.gone or _to_listing(document, response)):
            reading = read.document(response.body, response.content_type, response.url)
    except (FetchError, read.ReadError) as error:
        # Unreachable for now, or unreadable: not a removal. Tried again at the next step of the schedule.
        Document.objects.filter(pk=document.pk).update(error=f"Re-check: {error}"[:5000])
        document.checks_done += 1
        document.schedule_next_check()
        Document.objects.filter(pk=document.pk).update(
            checks_done=document.checks_done, next_check_at=document.next_check_at
        )
        return document
    now = timezone.now()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.READ:
            return document
        document.checks_done += 1
        document.schedule_next_check(now)
        if response.not_modified:  # 304: the publisher says it is as we have it.
            document.save(update_fields=["checks_done", "next_check_at"])
            return document
        document.etag, document.last_modified = response.etag[:500], response.last_modified[:100]
        if reading is None:
            document.status, document.removed_on, document.next_check_at = Document.Status.REMOVED, now.date(), None
            document.error = f"HTTP {response.status}" if response.gone else f"Redirected to {response.url}"
        else:
            text = normalized(reading.text)[:MAX_TEXT]
            digest = text_hash(text)
            if digest != document.content_hash:
                number = document.versions.count() + 1
                version = DocumentVersion.objects.create(
                    document=document,
                    number=number,
                    fetched_at=now,
                    title=Truncator(reading.title).chars(500),
                    text=text,
                    content_hash=digest,
                    raw=compress(response.body),
                )
                document.text, document.content_hash, document.edited_at = text, digest, now
                _flag_edited_away(document, version)
        document.save()
    return document


def _to_listing(document, response):
    """A redirect that lands on the site's front page, the feed's listing, a page above the document's own, or (a
    board's view.do?seq=1 sent to list.do) a page beside it without the query that chose the document."""
    if not response.redirects:
        return False
    landed, asked = urlsplit(response.url), urlsplit(document.url)
    if landed.path in ("", "/") or (document.feed_id and response.url == document.feed.url):
        return True
    if landed.netloc != asked.netloc:
        return False
    above = asked.path.startswith(landed.path.rstrip("/") + "/")
    beside = asked.query and not landed.query and landed.path.rsplit("/", 1)[0] == asked.path.rsplit("/", 1)[0]
    return above or bool(beside)


def _flag_edited_away(document, version):
    """Flag for review each statement cited from the document whose words its new text no longer holds."""
    if document.source_id is None:
        return
    now_words = f" {linking.words_key(version.text)} "
    citations = Citation.objects.filter(source_id=document.source_id).exclude(
        statement__status=Statement.Status.RETRACTED
    )
    for citation in citations.select_related("statement"):
        if f" {linking.words_key(citation.statement.text)} " not in now_words:
            ReviewFlag.objects.get_or_create(
                statement=citation.statement,
                version=version,
                defaults={
                    "document": document,
                    "reason": f"Its words are no longer on the publisher's page (version {version.number}, "
                    f"fetched {version.fetched_at:%Y-%m-%d %H:%M}).",
                },
            )


def alert(feed: Feed) -> int:
    """Email the curators that the feed is failing; the number of addresses written to."""
    curators = User.objects.filter(is_active=True, is_staff=True).filter(
        Q(groups__name="Curators") | Q(is_superuser=True)
    )
    emails = sorted(set(curators.exclude(email="").values_list("email", flat=True)))
    if emails:
        send_mail(
            f"[DiploTrack] Feed failing: {feed.name}",
            f"The feed “{feed.name}” ({feed.url}) has failed {feed.consecutive_failures} times in a row.\n\n"
            f"Last error: {feed.last_error}\n\nIts health is in the admin: /admin/statements/feed/{feed.pk}/change/",
            None,
            emails,
        )
    Feed.objects.filter(pk=feed.pk).update(alerted_at=timezone.now())
    logger.warning("intake: feed %s failing, %d curator(s) alerted", feed.pk, len(emails))
    return len(emails)


def run_once(feeds=None) -> Summary:
    """Poll every enabled feed once, take its new items, and re-check the documents due: synchronously."""
    summary = Summary()
    for feed in feeds if feeds is not None else Feed.objects.enabled().select_related("publisher", "speaker"):
        items = poll(feed)
        summary.polled += 1
        if items is None:
            summary.failed_polls += 1
            continue
        listed_at = timezone.now()
        for item in items:
            try:
                document = take(feed, item, listed_at=listed_at)
            except TransientFailure:
                document = Document.objects.get(url=item.url)
            summary.count(document)
            summary.candidates += document.candidates.count()
    for document in Document.objects.recheck_due().select_related("feed"):
        recheck(document)
        summary.rechecked += 1
    return summary
