import pytest
from django.test import RequestFactory
from django.urls import reverse

from statements.intake import demo, pipeline, shipped
from statements.intake.models import Candidate, Document, ReviewFlag
from statements.models import Citation, Statement
from tests.intake.helpers import make_feed, release_feed

pytestmark = pytest.mark.django_db

INBOX = reverse("admin:statements_candidate_changelist")


@pytest.fixture
def inbox(server):
    make_feed(url=release_feed(server, 2))
    pipeline.run_once()
    return Candidate.objects.order_by("-created_at", "-id")


def test_the_inbox_lists_candidates_newest_first_with_a_link_to_the_review_page(curator_client, inbox):
    page = curator_client.get(INBOX).content.decode()
    newest = inbox.first()
    review = reverse("admin:statements_source_review", args=[newest.source_id]) + "?kind=release"
    assert review in page
    assert page.index(f'value="{newest.pk}"') < page.index(f'value="{inbox.last().pk}"')
    assert curator_client.get(review).status_code == 200


@pytest.mark.parametrize(
    "query", ["confidence=high", "confidence=low", "country__code__exact=KR", "status__exact=pending"]
)
def test_the_inbox_filters(curator_client, inbox, query):
    assert curator_client.get(f"{INBOX}?{query}").status_code == 200


def test_the_inbox_filters_by_feed(curator_client, inbox, server):
    other = make_feed(url=release_feed(server, 1, path="/other.xml", start=50), name="Other")
    pipeline.run_once([other])
    page = curator_client.get(f"{INBOX}?document__feed__id__exact={other.pk}").content.decode()
    shown = Candidate.objects.filter(document__feed=other)
    assert shown and all(f'value="{candidate.pk}"' in page for candidate in shown)
    assert not any(f'value="{candidate.pk}"' in page for candidate in inbox.exclude(document__feed=other))


def test_bulk_accept_makes_drafts_cited_at_their_offsets(curator_client, inbox, curator):
    chosen = list(inbox[:2])
    response = curator_client.post(
        INBOX, {"action": "accept", "_selected_action": [candidate.pk for candidate in chosen]}, follow=True
    )
    assert "2 draft statement(s) made" in response.content.decode()
    for candidate in chosen:
        candidate.refresh_from_db()
        statement = candidate.statement
        assert candidate.status == "accepted" and statement.status == Statement.Status.DRAFT
        assert statement.reviewed_by is None
        citation = Citation.objects.get(statement=statement)
        assert citation.source.full_text[citation.start_offset : citation.end_offset] == candidate.quote


def test_bulk_reject(curator_client, inbox):
    chosen = inbox.first()
    curator_client.post(INBOX, {"action": "reject", "_selected_action": [chosen.pk]})
    chosen.refresh_from_db()
    assert chosen.status == "rejected" and not Statement.objects.exists()


def test_the_inbox_is_for_curators_only(client, inbox, django_user_model):
    assert client.get(INBOX).status_code == 302
    staff = django_user_model.objects.create_user("staff", password="x-long-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get(INBOX).status_code == 403


def test_feeds_show_their_state(curator_client, server, settings):
    settings.INTAKE_ALERT_FAILURES = 1
    make_feed(url=server.url("/missing.xml"), name="Broken feed")
    shipped.ship()
    pipeline.run_once()
    page = curator_client.get(reverse("admin:statements_feed_changelist")).content.decode()
    assert 'class="intake-state intake-state-failing">Failing' in page
    assert 'intake-state-disabled">Disabled' in page
    assert "css/intake-admin.css" in page


def test_poll_now_queues_the_feed_for_the_worker(curator_client, server):
    feed = make_feed(url=server.url("/feed.xml"))
    response = curator_client.post(
        reverse("admin:statements_feed_changelist"), {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True
    )
    assert "1 feed(s) queued" in response.content.decode()


def test_a_documents_page_shows_the_changes_between_versions(curator_client, inbox, server):
    document = Document.objects.get(url=server.url("/eng/brd/view.do?seq=1"))
    document.candidates.order_by("start").first().accept()
    server.page(
        "/eng/brd/view.do?seq=1",
        server.routes["/eng/brd/view.do?seq=1"][2].decode().replace("respond firmly", "respond calmly"),
    )
    document = pipeline.recheck(document)
    assert document.versions.count() == 2, document.error
    page = curator_client.get(reverse("admin:statements_document_change", args=[document.pk])).content.decode()
    assert "Version 2" in page and 'class="intake-diff-add"' in page and "respond calmly" in page
    assert curator_client.get(reverse("admin:statements_reviewflag_changelist")).status_code == 200
    assert ReviewFlag.objects.exists()


def test_the_demo_feed_lists_its_pages():
    request = RequestFactory().get("/intake/demo/feed.xml")
    body = demo.feed(request).content.decode()
    assert body.count("<item>") == 3 and "http://testserver/intake/demo/2024-11-20_" in body
    slug = demo.releases()[0][0]
    assert "Statement on Humanitarian Assistance" in demo.page(request, slug).content.decode()
