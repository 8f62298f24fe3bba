import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import DataVersion, Statement
from tests.factories import make_official, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching(settings):
    settings.CACHE_PUBLIC_ANSWERS = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cho():
    official = make_official(name="Cho Tae-yul", country="KR")
    make_statement(text="The alliance is ironclad.", official=official)
    return official


def test_an_answer_is_computed_once_then_served_from_the_cache(client, cho):
    first = client.get("/statements/?country=KR")
    second = client.get("/statements/?country=KR")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content and "ironclad" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"]  # The security headers are each answer's own.
    # Another address, another answer; the htmx fragment is not the page.
    assert client.get("/statements/?country=JP")["X-Cache"] == "miss"
    fragment = client.get("/statements/?country=KR", HTTP_HX_REQUEST="true")
    assert fragment["X-Cache"] == "miss" and "<html" not in fragment.content.decode()
    assert client.get("/statements/?country=KR", HTTP_HX_REQUEST="true")["X-Cache"] == "hit"


@pytest.mark.parametrize("address", ["/statements/", "/api/statements/", "/feeds/statements/", "/countries/KR/"])
def test_publishing_shows_at_once_everywhere(client, cho, address):
    assert "ironclad" in client.get(address).content.decode()
    assert client.get(address)["X-Cache"] == "hit"
    draft = make_statement(text="Deterrence is stronger now.", official=cho, status=Statement.Status.DRAFT)
    assert client.get(address)["X-Cache"] == "hit"  # A draft changes nothing the public sees.
    assert "Deterrence" not in client.get(address).content.decode()
    draft.review(Statement.Status.PUBLISHED)
    draft.save()
    published = client.get(address)
    assert published["X-Cache"] == "miss" and "Deterrence" in published.content.decode()


def test_an_edit_a_retraction_and_a_speakers_new_name_show_at_once(client, cho):
    statement = Statement.objects.get()
    client.get("/statements/")
    statement.text = "The alliance is unbreakable."
    statement.save()
    assert "unbreakable" in client.get("/statements/").content.decode()
    cho.name = "Cho Tae-yul (FM)"
    cho.save()
    assert "Cho Tae-yul (FM)" in client.get("/statements/").content.decode()
    statement.review(Statement.Status.RETRACTED)
    statement.save()
    assert "unbreakable" not in client.get("/statements/").content.decode()


def test_a_validator_saves_sending_the_answer_again(client, cho):
    first = client.get("/statements/")
    assert first["Cache-Control"] == "public, no-cache" and first["Last-Modified"]
    again = client.get("/statements/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    make_statement(text="A new one.", official=cho)
    changed = client.get("/statements/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_curators_and_their_drafts_never_enter_the_cache(client, curator_client, cho):
    make_statement(text="Drafted words.", official=cho, status=Statement.Status.DRAFT)
    version = DataVersion.current()[0]
    statement = Statement.objects.get(text="Drafted words.")
    seen = curator_client.get(statement.get_absolute_url())
    assert seen.status_code == 200 and "X-Cache" not in seen
    curator_client.logout()
    client.cookies.clear()
    assert client.get(statement.get_absolute_url()).status_code == 404  # Not a curator's page from the cache.
    assert DataVersion.current()[0] == version


def test_answers_that_are_not_200_or_set_a_cookie_are_not_kept(client, cho):
    statement = Statement.objects.get()
    for expected in ("miss", "hit"):  # A 301 to the canonical address is kept.
        moved = client.get(f"/statements/{statement.pk}/")
        assert (moved.status_code, moved["X-Cache"]) == (301, expected)
        assert moved["Location"] == statement.get_absolute_url()
    assert client.get("/statements/?page=abc")["X-Cache"] == "miss"  # A note, but a 200: kept.
    assert client.get("/officials/nobody-at-all/").status_code == 404
    assert "X-Cache" not in client.get("/officials/nobody-at-all/")
    assert "X-Cache" not in client.get("/statements/export.csv")  # Streamed.


def test_the_embed_stays_frameable_from_the_cache(client, cho):
    statement = Statement.objects.get()
    for expected in ("miss", "hit"):
        card = client.get(f"/statements/{statement.pk}/embed/")
        assert card["X-Cache"] == expected
        assert "frame-ancestors *" in card["Content-Security-Policy"] and "X-Frame-Options" not in card
    page = client.get(statement.get_absolute_url())
    page = client.get(statement.get_absolute_url())
    assert page["X-Cache"] == "hit" and page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_an_answer_computed_for_the_cache_reads_the_data_version_once(client, cho):
    """The version the answer is kept under is the one its filters read the topics and countries under."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/statements/?country=KR")["X-Cache"] == "miss"
    assert sum("statements_dataversion" in query["sql"] for query in queries) == 1
    assert DataVersion.current() is not None  # Outside the request, read again.
