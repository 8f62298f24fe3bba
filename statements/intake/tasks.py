"""The intake's background tasks, run by procrastinate's workers on our own PostgreSQL (`manage.py procrastinate
worker`): nothing else to install, and more workers on more machines share the same queue.

Every minute `schedule` queues a poll of each feed that is due and a re-check of each document that is due. A poll
queues one job per new document, due INTAKE_HOST_DELAY seconds apart. Each document's job runs under its host's
lock (procrastinate's `lock`: a host's jobs run one at a time, whichever worker takes them, while other hosts' go
on), and is queued once (`queueing_lock` on its address). A job that fails for a passing reason is retried with a
growing wait; a worker that dies mid-job leaves its job stalled, and `retry_stalled` queues it again. Running a job
twice changes nothing: each document is saved in one transaction under its unique address (pipeline.py).
"""

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from statements.intake import pipeline
from statements.intake.models import Document, Feed
from statements.intake.read import Item

logger = logging.getLogger(__name__)

# A timeout or a 5xx is tried again after about 10 s, 100 s, then 1000 s (procrastinate's exponential wait).
BACKOFF = RetryStrategy(max_attempts=4, exponential_wait=10, retry_exceptions={pipeline.TransientFailure})
# Re-checks queued per minute at most, so that a month's backlog never floods the queue.
RECHECKS_PER_RUN = 500


def host_lock(url):
    return f"intake-host:{urlsplit(url).netloc.lower()}"


def _queue(task, *, queueing_lock, lock=None, schedule_in=None, **kwargs):
    """Queue the job unless the same one is already waiting; whether it was queued."""
    try:
        # In a savepoint: the refusal of a second job is an error of the database, which would end a caller's
        # transaction (an admin action's, a test's) with it.
        with transaction.atomic():
            task.configure(queueing_lock=queueing_lock, lock=lock, schedule_in=schedule_in).defer(**kwargs)
    except AlreadyEnqueued:
        return False
    return True


def queue_poll(feed: Feed) -> bool:
    """Queue a poll of the feed, and count it as done for `schedule` until the poll itself says when the next is."""
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() + feed.poll_interval)
    return _queue(poll_feed, queueing_lock=f"intake-poll:{feed.pk}", lock=host_lock(feed.url), feed_id=feed.pk)


@app.periodic(cron="* * * * *", periodic_id="intake")
@app.task(name="intake.schedule", queueing_lock="intake-schedule")
def schedule(timestamp: int):
    """Queue the polls and re-checks that are due."""
    polls = sum(queue_poll(feed) for feed in Feed.objects.due())
    due = Document.objects.recheck_due().order_by("next_check_at").values_list("pk", "url")[:RECHECKS_PER_RUN]
    rechecks = sum(
        _queue(recheck_document, queueing_lock=f"intake-recheck:{pk}", lock=host_lock(url), document_id=pk)
        for pk, url in due
    )
    if polls or rechecks:
        logger.info("intake: queued %d poll(s), %d re-check(s)", polls, rechecks)


@app.task(name="intake.poll_feed", retry=RetryStrategy(max_attempts=2, exponential_wait=10))
def poll_feed(feed_id: int):
    """Read the feed's listing; one job per new document."""
    feed = Feed.objects.select_related("publisher", "speaker").filter(pk=feed_id, enabled=True).first()
    if feed is None:
        return
    items = pipeline.poll(feed) or []
    listed_at = timezone.now().isoformat()
    for number, item in enumerate(items):
        _queue(
            take_document,
            queueing_lock=f"intake-take:{item.url}",
            lock=host_lock(item.url),
            # The host's rate limit across workers: its documents become due INTAKE_HOST_DELAY seconds apart.
            schedule_in={"seconds": number * settings.INTAKE_HOST_DELAY} if number else None,
            feed_id=feed.pk,
            url=item.url,
            guid=item.guid,
            title=item.title,
            published=item.published.isoformat() if item.published else None,
            listed_at=listed_at,
        )


@app.task(name="intake.take_document", retry=BACKOFF)
def take_document(feed_id: int, url: str, guid: str, title: str, published: str | None, listed_at: str):
    """Fetch and read one document into the inbox."""
    feed = Feed.objects.select_related("publisher", "speaker").get(pk=feed_id)
    item = Item(
        url=url,
        guid=guid,
        title=title,
        published=datetime.date.fromisoformat(published) if published else None,
    )
    pipeline.take(feed, item, listed_at=datetime.datetime.fromisoformat(listed_at))


@app.task(name="intake.recheck_document")
def recheck_document(document_id: int):
    document = Document.objects.select_related("feed").filter(pk=document_id).first()
    if document is not None and document.status == Document.Status.READ:
        pipeline.recheck(document)


@app.periodic(cron="* * * * *", periodic_id="intake-stalled")
@app.task(name="intake.retry_stalled", queueing_lock="intake-retry-stalled", pass_context=True)
async def retry_stalled(context, timestamp: int):
    """Queue again the jobs of workers that stopped sending their heartbeat (killed, or their machine lost)."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs():
        logger.warning("intake: job %s of a stalled worker queued again", job.id)
        await manager.retry_job(job)
