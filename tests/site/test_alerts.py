"""Email alerts without an account: subscribe, confirm, digests, unsubscribe, manage; bad links and floods."""

import re
import threading
import time
from datetime import date, timedelta

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from statements import alerts
from statements.alerts import send_digests
from statements.models import Alert, Statement, copy_create
from tests.factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db

SITE = "https://diplotrack.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALERT_REQUESTS_PER_EMAIL = 5
    settings.ALERT_REQUESTS_PER_CLIENT = 20


@pytest.fixture
def world():
    cho = make_official(name="Cho Tae-yul", country="KR")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    alliance = make_topic(name="Alliance")
    make_statement(text="An old statement on the alliance.", official=cho, topics=[alliance])
    return {"cho": cho, "kamikawa": kamikawa, "alliance": alliance}


def link(message, name):
    """The link to an alerts page in an email's text, as a path for the test client."""
    [url] = re.findall(rf"{re.escape(SITE)}(/alerts/{name}/[^/\s]+/)", message.body)
    return url


def subscribe(client, email="reader@example.com", query="country=KR", frequency="daily", **extra):
    return client.post("/alerts/subscribe/", {"email": email, "query": query, "frequency": frequency}, **extra)


def subscribed(client, **kwargs):
    """An alert subscribed to and confirmed, the emails sent so far cleared."""
    assert subscribe(client, **kwargs).status_code == 200
    confirm = link(mail.outbox[-1], "confirm")
    assert client.post(confirm).status_code == 200
    mail.outbox.clear()
    return Alert.objects.latest("pk")


def test_every_explorer_view_has_the_form_with_its_filters(client, world):
    pages = {
        "/statements/?country=KR&topic=alliance": "country=KR&amp;topic=alliance",
        world["cho"].get_absolute_url(): f"official={world['cho'].slug}",
        world["alliance"].get_absolute_url(): "topic=alliance",
        "/countries/KR/": "country=KR",
    }
    for url, query in pages.items():
        response = client.get(url)
        body = response.content.decode()
        assert 'action="/alerts/subscribe/"' in body, url
        assert f'<input type="hidden" name="query" value="{query}">' in body, url
        assert "csrftoken" not in response.cookies, url  # No cookie set by the form.


def test_the_whole_flow_subscribe_confirm_digest_and_no_duplicate(world):
    client = Client(enforce_csrf_checks=True)  # The form needs no token (no session to forge a request in).
    response = subscribe(client, query="country=KR&sort=date")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == ("reader@example.com", "country=KR", None)
    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.com"]
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Unconfirmed: nothing is sent.
    make_statement(text="Before the confirmation.", official=world["cho"])
    assert send_digests("daily").emails == 0
    confirm = link(confirmation, "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm your alert" in page.content
    assert Alert.objects.get().confirmed_at is None  # Opening the link (a mail scanner) confirms nothing.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(confirm, HTTP_X_CSRFTOKEN=token).status_code == 200
    assert Alert.objects.get().confirmed_at is not None
    mail.outbox.clear()

    assert send_digests("daily").emails == 0  # Nothing new since the confirmation.
    new = make_statement(text="The alliance is <strong> & firm.", official=world["cho"], date=date(2024, 12, 1))
    make_statement(text="Not from Korea.", official=world["kamikawa"])
    make_statement(text="A draft from Korea.", official=world["cho"], status=Statement.Status.DRAFT)
    assert send_digests("weekly").emails == 0  # Another frequency's run.
    sent = send_digests("daily")
    assert (sent.alerts, sent.queries, sent.emails) == (1, 1, 1)
    [digest] = mail.outbox
    assert digest.to == ["reader@example.com"]
    assert digest.subject == "DiploTrack: 1 new statement for country=KR"
    assert f"{SITE}/statements/{new.pk}/" in digest.body
    assert "The alliance is <strong> & firm." in digest.body
    assert "Not from Korea" not in digest.body and "draft" not in digest.body
    assert "Before the confirmation" not in digest.body
    html = digest.alternatives[0][0]
    assert "The alliance is &lt;strong&gt; &amp; firm." in html
    assert digest.extra_headers["List-Unsubscribe"] == f"<{SITE}{link(digest, 'unsubscribe')}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(digest, "manage")
    alert = Alert.objects.get()
    assert alert.last_sent_at is not None and alert.sent_until is not None
    mail.outbox.clear()
    assert send_digests("daily").emails == 0  # No duplicate the next time.
    assert mail.outbox == []


def test_a_statement_published_late_is_sent_once(client, world):
    late = make_statement(text="Said long ago, published late.", official=world["cho"], status="draft")
    subscribed(client)
    assert send_digests("daily").emails == 0
    late.review(Statement.Status.PUBLISHED)
    late.save()
    assert send_digests("daily").emails == 1
    assert "Said long ago, published late." in mail.outbox[0].body
    assert send_digests("daily").emails == 0
    # Edited while published: not new again.
    late.occasion = "A press conference"
    late.save()
    assert send_digests("daily").emails == 0


def test_identical_queries_run_once_and_each_alert_gets_its_own_links(client, world):
    for email in ["a@example.com", "b@example.com", "c@example.com"]:
        subscribed(client, email=email)
    subscribed(client, email="d@example.com", query="country=JP")
    make_statement(text="For the three.", official=world["cho"])
    sent = send_digests("daily")
    assert (sent.alerts, sent.queries, sent.emails) == (4, 2, 3)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.com", "b@example.com", "c@example.com"]
    assert len({link(message, "unsubscribe") for message in mail.outbox}) == 3


def test_unsubscribe_page_and_one_click_post(client, world):
    subscribed(client, email="x@example.com")
    client = Client(enforce_csrf_checks=True)  # As a mail program posts: no cookie, no token.
    make_statement(text="News.", official=world["cho"])
    send_digests("daily")
    unsubscribe = link(mail.outbox[0], "unsubscribe")
    page = client.get(unsubscribe)
    assert page.status_code == 200 and b"Stop the emails" in page.content
    assert Alert.objects.exists()  # Opening the link changes nothing.
    # A mail program's one click (RFC 8058): a POST without a CSRF token.
    response = client.post(unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and b"Unsubscribed" in response.content
    assert not Alert.objects.exists()
    again = client.post(unsubscribe)
    assert again.status_code == 200 and b"cancelled already" in again.content
    make_statement(text="More news.", official=world["cho"])
    mail.outbox.clear()
    assert send_digests("daily").emails == 0


def test_manage_lists_the_addresss_alerts_to_change_or_cancel(client, world):
    subscribed(client, query="country=KR")
    subscribed(client, query="topic=alliance")
    subscribed(client, email="other@example.com")
    make_statement(text="News.", official=world["cho"], topics=[world["alliance"]])
    send_digests("daily")
    manage = link(next(m for m in mail.outbox if m.to == ["reader@example.com"]), "manage")
    page = client.get(manage).content.decode()
    assert "Alerts for reader@example.com" in page
    assert "country=KR" in page and "topic=alliance" in page and "other@example.com" not in page
    kr = Alert.objects.get(email="reader@example.com", query="country=KR")
    response = client.post(manage, {"alert": kr.pk, "action": "frequency", "frequency": "weekly"})
    assert response.status_code == 200 and Alert.objects.get(pk=kr.pk).frequency == "weekly"
    response = client.post(manage, {"alert": kr.pk, "action": "cancel"})
    assert response.status_code == 200 and not Alert.objects.filter(pk=kr.pk).exists()
    other = Alert.objects.get(email="other@example.com")
    response = client.post(manage, {"alert": other.pk, "action": "cancel"})  # Not this address's.
    assert response.status_code == 400 and Alert.objects.filter(pk=other.pk).exists()
    assert client.post(manage, {"alert": "x" * 40, "action": "cancel"}).status_code == 400


@pytest.mark.parametrize("page", ["confirm", "unsubscribe", "manage"])
def test_a_bad_token_gets_a_clear_400_page(client, world, page):
    for token in ["garbage", "a" * 300, signing.dumps("reader@example.com", salt="another.purpose")]:
        response = client.get(f"/alerts/{page}/{token}/")
        assert response.status_code == 400
        assert b"This link does not work" in response.content
        assert client.post(f"/alerts/{page}/{token}/").status_code in {400, 403}


def test_an_expired_confirmation_link(client, world, monkeypatch):
    subscribe(client)
    alert = Alert.objects.get()
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = alerts.sign("confirm", [alert.pk, alert.email, "daily"])
    monkeypatch.undo()
    response = client.post(f"/alerts/confirm/{token}/")
    assert response.status_code == 400 and b"expired" in response.content
    assert Alert.objects.get().confirmed_at is None


def test_the_query_is_normalised_and_bad_ones_refused_with_a_message(client, world):
    given = "official=Cho Tae-yu&sort=date&page=3&interval=year&q="
    assert subscribe(client, query=given).status_code == 200
    assert Alert.objects.get().query == f"official={world['cho'].slug}"
    response = subscribe(client, email="b@example.com", query="country=XX&topic=alliance&colour=red")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This view&#x27;s filters cannot be followed" in body
    assert "country=XX: there is no such country." in body and "colour=red: not a parameter" in body
    response = client.get("/alerts/subscribe/", {"query": "date_from=2024-99-01"})
    assert response.status_code == 200 and b"not a date: use YYYY-MM-DD" in response.content
    for bad in [{"email": "not-an-address"}, {"frequency": "hourly"}]:
        response = client.post("/alerts/subscribe/", {"email": "c@example.com", "frequency": "daily", **bad})
        assert response.status_code == 400
    assert Alert.objects.count() == 1


def test_a_flood_of_requests_gets_429(client, world):
    for _ in range(5):
        assert subscribe(client, email="victim@example.com").status_code == 200
    response = subscribe(client, email="VICTIM@example.com")
    assert response.status_code == 429
    assert b"too often in the last hour" in response.content and response["Retry-After"] == "3600"
    assert len(mail.outbox) == 5
    # From one client address, whatever the address asked for.
    for number in range(14):
        assert subscribe(client, email=f"someone{number}@example.com").status_code == 200
    assert subscribe(client, email="one-more@example.com").status_code == 429
    assert subscribe(Client(REMOTE_ADDR="192.0.2.99"), email="one-more@example.com").status_code == 200


def test_the_command_sends_one_frequency(client, world):
    subscribed(client, frequency="weekly")
    make_statement(text="Weekly news.", official=world["cho"])
    call_command("send_alerts", "--frequency", "daily")
    assert mail.outbox == []
    call_command("send_alerts", "--frequency", "weekly")
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError):
        call_command("send_alerts", "--frequency", "hourly")


def test_every_way_in_records_when_a_statement_became_published(world):
    """The importer's COPY and bulk updates pass no save(): the database's trigger sets published_at for all."""
    copied = Statement(
        text="Imported.",
        official=world["cho"],
        country_id="KR",
        date=date(2020, 9, 1),
        status="published",
        reviewed_at=timezone.now(),
    )
    copy_create(Statement, [copied])
    draft = make_statement(text="A draft.", official=world["cho"], status=Statement.Status.DRAFT)
    assert Statement.objects.get(pk=draft.pk).published_at is None
    Statement.objects.filter(pk=draft.pk).update(status="published", reviewed_at=timezone.now())
    first = Statement.objects.get(pk=copied.pk).published_at
    assert first is not None and Statement.objects.get(pk=draft.pk).published_at > first
    Statement.objects.filter(pk=copied.pk).update(text="Imported again.", published_at=None)  # An older copy's.
    assert Statement.objects.get(pk=copied.pk).published_at == first


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_committed_after_a_digest_read_is_sent_by_the_next_one():
    """A statement published in a transaction still open when a digest runs is not visible to it, and its
    published_at is before that digest's time: the mark stops at that transaction's start, so the next one sends it."""
    cho = make_official(name="Cho Tae-yul", country="KR")
    alert = Alert.objects.create(email="reader@example.com", query="country=KR", frequency="daily")
    Alert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now(), sent_until=timezone.now())
    written, finish = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                make_statement(text="Committed late.", official=cho)
                written.set()
                finish.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(10)
        assert send_digests("daily").emails == 0  # Not committed yet.
    finally:
        finish.set()
        thread.join()
    assert send_digests("daily").emails == 1
    assert "Committed late." in mail.outbox[0].body
    assert send_digests("daily").emails == 0


def test_a_mail_server_that_fails_gets_a_503_page_not_a_500(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # Nothing listens.
    response = subscribe(client)
    assert response.status_code == 503
    assert b"could not be sent just now" in response.content


def test_words_with_a_line_break_make_a_one_line_subject(client, world):
    subscribed(client, query="q=alliance%0Afirm")
    make_statement(text="The alliance is firm.", official=world["cho"])
    assert send_digests("daily").emails == 1
    assert "\n" not in mail.outbox[0].subject and "alliance firm" in mail.outbox[0].subject


def test_alerts_never_confirmed_are_forgotten_once_their_link_expires(client, world):
    subscribe(client, email="stale@example.com")
    subscribe(client, email="fresh@example.com")
    subscribed(client, email="kept@example.com")
    eight_days_ago = timezone.now() - timedelta(days=8)
    Alert.objects.update(created_at=eight_days_ago)
    subscribe(client, email="fresh@example.com")  # Asked again: a new link, a week more.
    send_digests("weekly")
    assert sorted(Alert.objects.values_list("email", flat=True)) == ["fresh@example.com", "kept@example.com"]


def test_the_worker_sends_the_digests_on_its_schedule(client, world):
    from procrastinate.contrib.django import app

    from statements import tasks

    periodic = {task.periodic_id: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert (periodic["alerts-daily"], periodic["alerts-weekly"]) == ("0 6 * * *", "0 6 * * 1")
    subscribed(client, frequency="weekly")
    make_statement(text="New words on the alliance.", official=world["cho"])
    tasks.send_daily_digests(timestamp=0)
    assert mail.outbox == []  # Not a daily alert.
    tasks.send_weekly_digests(timestamp=0)
    assert len(mail.outbox) == 1 and "New words on the alliance." in mail.outbox[0].body
