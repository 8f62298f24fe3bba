"""The worker as it runs in production: `manage.py procrastinate worker` processes, against the test database."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from procrastinate.contrib.django import app

from statements.intake import tasks
from statements.intake.models import Candidate, Document
from tests.intake import pages
from tests.intake.helpers import make_feed, release_feed
from tests.intake.server import FixtureServer
from tests.test_production import url_of

ROOT = Path(__file__).resolve().parents[2]
# Workers are other processes: they see committed rows only, and leave theirs behind.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def empty_queue():
    """procrastinate's tables are not Django's to flush: each test starts, and leaves, an empty queue."""

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE procrastinate_events, procrastinate_jobs, procrastinate_periodic_defers, "
                "procrastinate_workers CASCADE"
            )

    empty()
    yield
    empty()


def worker(*extra):
    env = {**os.environ, "DATABASE_URL": url_of(connection.settings_dict), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "1", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def job_statuses():
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, status, worker_id FROM procrastinate_jobs ORDER BY id")
        return cursor.fetchall()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_two_workers_share_the_queue_and_take_no_document_twice(server):
    other = FixtureServer()
    try:
        feeds = [
            make_feed(url=release_feed(server, 12)),
            make_feed(url=release_feed(other, 12, start=100, page=pages.state_briefing), country="US"),
        ]
        for feed in feeds:
            assert tasks.queue_poll(feed)
        workers = [worker("--one-shot"), worker("--one-shot")]
        for process in workers:
            process.wait(timeout=120)
    finally:
        other.stop()
    assert Document.objects.filter(status="read").count() == 24
    for fixture in (server, other):
        pages_fetched = [path for path, _ in fixture.requests if "view.do" in path]
        assert len(pages_fetched) == len(set(pages_fetched)) == 12
    assert Candidate.objects.values("document").distinct().count() == 24
    statuses = job_statuses()
    assert {status for _, status, _ in statuses} == {"succeeded"}
    assert sum(name == "intake.take_document" for name, _, _ in statuses) == 24


def test_a_worker_killed_mid_task_leaves_nothing_half_saved_and_the_task_runs_again(server):
    release = threading.Event()

    def stuck(handler):
        release.wait(60)
        handler.reply(200, {"Content-Type": "text/html"}, pages.kr_release(7).encode())

    server.handle("/eng/brd/view.do?seq=1", stuck)
    items = [("/eng/brd/view.do?seq=1", "Stuck", datetime.date(2024, 11, 15), "")]
    server.page("/eng/rss.xml", pages.rss(server.base, items), content_type="application/rss+xml")
    feed = make_feed(url=server.url("/eng/rss.xml"))
    tasks.queue_poll(feed)
    first = worker()
    try:
        assert wait_for(lambda: server.hits("/eng/brd/view.do?seq=1")), first.stdout and first.stdout.read()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # Killed in the middle of taking the document: nothing of it is saved, its job is left "doing".
    assert not Document.objects.exists()
    assert ("intake.take_document", "doing") in [(name, status) for name, status, _ in job_statuses()]
    release.set()
    time.sleep(1.5)
    # What the periodic retry_stalled does once the dead worker's heartbeat is old (30 s in production).
    stalled = async_to_sync(app.job_manager.get_stalled_jobs)(seconds_since_heartbeat=1)
    assert [job.task_name for job in stalled] == ["intake.take_document"]
    for job in stalled:
        async_to_sync(app.job_manager.retry_job)(job)
    second = worker("--one-shot")
    second.wait(timeout=60)
    assert Document.objects.get().status == "read"
    assert Candidate.objects.exists()
    # Run once more, it adds nothing: the document's address is unique and its job finds it done.
    tasks.take_document.defer(
        feed_id=feed.pk,
        url=server.url("/eng/brd/view.do?seq=1"),
        guid="",
        title="",
        published=None,
        listed_at="2024-11-15T09:00:00+00:00",
    )
    worker("--one-shot").wait(timeout=60)
    assert Document.objects.count() == 1
