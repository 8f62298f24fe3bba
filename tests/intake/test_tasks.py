"""The worker's tasks, called in this process: what each queues, under which locks."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from statements.intake import tasks
from statements.intake.models import Document
from tests.intake.helpers import make_feed, release_feed

pytestmark = pytest.mark.django_db


def queued():
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, lock, queueing_lock, args FROM procrastinate_jobs WHERE status = 'todo'")
        return [(name, lock, queueing_lock, json.loads(args)) for name, lock, queueing_lock, args in cursor.fetchall()]


def test_schedule_queues_each_due_feed_once(server):
    due = make_feed(url=release_feed(server, 1))
    make_feed(url=server.url("/later.xml"), next_poll_at=timezone.now() + datetime.timedelta(hours=1))
    make_feed(url=server.url("/off.xml"), enabled=False)
    tasks.schedule(timestamp=0)
    tasks.schedule(timestamp=60)
    jobs = queued()
    assert [(name, args["feed_id"]) for name, _, _, args in jobs] == [("intake.poll_feed", due.pk)]
    assert jobs[0][1] == f"intake-host:127.0.0.1:{server.server_address[1]}"


def test_a_poll_queues_one_job_per_new_document_under_its_hosts_lock(server):
    feed = make_feed(url=release_feed(server, 3))
    tasks.poll_feed(feed_id=feed.pk)
    tasks.poll_feed(feed_id=feed.pk)  # the same documents, still waiting: not queued again
    jobs = [job for job in queued() if job[0] == "intake.take_document"]
    assert len(jobs) == 3
    assert {lock for _, lock, _, _ in jobs} == {f"intake-host:127.0.0.1:{server.server_address[1]}"}
    for _, _, _, args in jobs:
        tasks.take_document(**args)
    assert Document.objects.filter(status="read").count() == 3


def test_schedule_queues_the_rechecks_that_are_due(server):
    feed = make_feed(url=release_feed(server, 1))
    tasks.poll_feed(feed_id=feed.pk)
    (args,) = [job[3] for job in queued() if job[0] == "intake.take_document"]
    tasks.take_document(**args)
    document = Document.objects.get()
    Document.objects.filter(pk=document.pk).update(next_check_at=timezone.now())
    tasks.schedule(timestamp=0)
    rechecks = [job for job in queued() if job[0] == "intake.recheck_document"]
    assert [job[3] for job in rechecks] == [{"document_id": document.pk}]
    tasks.recheck_document(document_id=document.pk)
    document.refresh_from_db()
    assert document.checks_done == 1


def test_a_hosts_documents_come_due_host_delay_seconds_apart(server, settings):
    settings.INTAKE_HOST_DELAY = 2
    feed = make_feed(url=release_feed(server, 3))
    tasks.poll_feed(feed_id=feed.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scheduled_at FROM procrastinate_jobs WHERE task_name = 'intake.take_document' ORDER BY id"
        )
        due = [row[0] for row in cursor.fetchall()]
    assert due[0] is None
    assert round((due[2] - due[1]).total_seconds()) == 2
