import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
from tests.adminforms import change_form_data
from tests.factories import make_official, make_organization, make_source, make_statement, make_topic

pytestmark = pytest.mark.django_db

CURATED = [Official, Organization, Position, Topic, Source, Statement, StatementTopic, Citation]
REGISTERED = [Country, *CURATED]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def admin_url(model, view, *args):
    return reverse(f"admin:statements_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_and_change_pages_render_for_a_curator(curator_client, demo, model):
    assert curator_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    assert curator_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CURATED, ids=lambda model: model.__name__)
def test_add_pages_render_for_a_curator(curator_client, model):
    assert curator_client.get(admin_url(model, "add")).status_code == 200


def test_countries_are_reference_data_that_curators_only_read(curator_client):
    assert curator_client.get(admin_url(Country, "add")).status_code == 403
    response = curator_client.get(admin_url(Country, "change", "KR"))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_the_admin_is_refused_to_anonymous_visitors(client, model, view):
    response = client.get(admin_url(model, view))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_admin_is_refused_to_staff_outside_the_curators_group(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(admin_url(Statement, "changelist")).status_code == 403


def add_statements(count):
    topic = make_topic()
    source = make_source()
    for n in range(count):
        make_statement(
            text=f"Statement number {n}.",
            official=make_official() if n % 2 else None,
            organization=make_organization() if not n % 2 else None,
            attribution_text="" if n % 2 else "an official",
            topics=[topic],
            mentions=["US"],
            source=source,
        )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelists_run_a_fixed_number_of_queries(curator_client, model):
    add_statements(3)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as few:
        curator_client.get(url)
    add_statements(12)
    with CaptureQueriesContext(connection) as many:
        assert curator_client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_a_constraint_violation_is_a_form_error_not_a_crash(curator_client):
    response = curator_client.get(admin_url(Statement, "add"))
    data = change_form_data(response) | {"text": "Words with no speaker.", "date": "2024-11-12"}
    response = curator_client.post(admin_url(Statement, "add"), data)
    assert response.status_code == 200
    assert "Give the official who spoke" in response.content.decode()
    assert not Statement.objects.exists()


def test_publishing_in_the_change_form_records_the_review(curator_client, curator):
    statement = make_statement(status=Statement.Status.DRAFT)
    url = admin_url(Statement, "change", statement.pk)
    data = change_form_data(curator_client.get(url)) | {"status": "published"}
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement.refresh_from_db()
    assert (statement.status, statement.reviewed_by) == ("published", curator)
    assert statement.reviewed_at is not None


def test_bulk_actions_publish_and_retract(curator_client, curator):
    drafts = [make_statement(status=Statement.Status.DRAFT) for _ in range(3)]
    url = admin_url(Statement, "changelist")
    ids = [str(statement.pk) for statement in drafts]
    curator_client.post(url, {"action": "publish", "_selected_action": ids})
    assert set(Statement.objects.values_list("status", flat=True)) == {"published"}
    curator_client.post(url, {"action": "retract", "_selected_action": ids[:1]})
    retracted = Statement.objects.get(pk=drafts[0].pk)
    assert (retracted.status, retracted.reviewed_by) == ("retracted", curator)
    assert retracted.history.count() == 3


def test_statements_officials_and_sources_cannot_be_deleted(curator_client, django_user_model):
    statement = make_statement(source=make_source())
    for obj in [statement, statement.official, statement.sources.get()]:
        assert curator_client.get(admin_url(type(obj), "delete", obj.pk)).status_code == 403
    superuser = django_user_model.objects.create_superuser("root", password="x")
    curator_client.force_login(superuser)
    assert curator_client.get(admin_url(Statement, "delete", statement.pk)).status_code == 403


# Outside a test transaction, as on the site: restoring locks the statement's row, which needs one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_is_recorded_and_an_earlier_version_can_be_restored(curator_client, curator):
    statement = make_statement(text="The original words.")
    url = admin_url(Statement, "change", statement.pk)
    data = change_form_data(curator_client.get(url)) | {"text": "A mistaken edit."}
    assert curator_client.post(url, data).status_code == 302

    history = list(statement.history.order_by("history_date"))
    assert [version.text for version in history] == ["The original words.", "A mistaken edit."]
    assert history[-1].history_user == curator
    response = curator_client.get(admin_url(Statement, "history", statement.pk))
    assert "A mistaken edit." in response.content.decode() or "Changed" in response.content.decode()

    revert_url = admin_url(Statement, "simple_history", statement.pk, history[0].history_id)
    response = curator_client.get(revert_url)
    assert response.context["adminform"].form["text"].value() == "The original words."
    assert curator_client.post(revert_url, change_form_data(response)).status_code == 302
    statement.refresh_from_db()
    assert statement.text == "The original words."
    assert statement.history.count() == 3
    assert statement.version == 3  # Counted on from the latest, not from the version restored.


def test_officials_are_found_in_the_admin_by_any_name_order(curator_client):
    make_official(name="Cho Tae-yul")
    response = curator_client.get(admin_url(Official, "changelist"), {"q": "Tae-yul Cho"})
    assert "Cho Tae-yul" in response.content.decode()


def test_curators_confirm_machine_assigned_topics(curator_client):
    statement = make_statement()
    link = StatementTopic.objects.create(statement=statement, topic=make_topic(), machine_assigned=True)
    curator_client.post(admin_url(StatementTopic, "changelist"), {"action": "confirm", "_selected_action": [link.pk]})
    link.refresh_from_db()
    assert link.machine_assigned is False


def test_a_curators_edit_of_an_imported_statement_locks_the_fields_changed(curator_client):
    statement = make_statement(text="Imported words.", external_id="ungdc:KOR:2024")
    url = admin_url(Statement, "change", statement.pk)
    data = change_form_data(curator_client.get(url)) | {"text": "Corrected words.", "occasion": "General Debate"}
    assert curator_client.post(url, data).status_code == 302
    statement.refresh_from_db()
    assert statement.locked_fields == ["occasion", "text"]


def test_a_cited_sources_text_cannot_be_edited_under_its_citations(curator_client):
    source = make_source(full_text="Cho said: “The alliance will be strengthened.”")
    make_statement(source=source)
    url = admin_url(Source, "change", source.pk)
    response = curator_client.get(url)
    assert "full_text" not in response.context["adminform"].form.fields
    data = change_form_data(response) | {"full_text": "A new headline. " + source.full_text}
    assert curator_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.full_text == "Cho said: “The alliance will be strengthened.”"
    uncited = make_source(url="https://example.com/uncited", full_text="Nothing cited yet.")
    assert "full_text" in curator_client.get(admin_url(Source, "change", uncited.pk)).context["adminform"].form.fields


def test_an_organization_or_topic_as_its_own_parent_is_a_form_error(curator_client):
    ministry = make_organization(name="Ministry of Foreign Affairs")
    embassy = make_organization(name="Embassy in Tokyo", parent=ministry)
    topic = make_topic(name="Alliance")
    for model, obj, parent, message in [
        (Organization, ministry, ministry, "cannot be part of itself"),
        (Organization, ministry, embassy, "cannot be part of itself"),  # Through another.
        (Topic, topic, topic, "cannot be its own parent"),
    ]:
        url = admin_url(model, "change", obj.pk)
        data = change_form_data(curator_client.get(url)) | {"parent": parent.pk}
        response = curator_client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), model


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "9999-12-31", "Enter a date from 1800 to"),
        ("date", "0001-01-01", "Enter a date from 1800 to"),
        ("text", "word " * 40_001, "at most 200000 characters"),  # Its search document would pass 1 MB.
    ],
)
def test_implausible_dates_and_overlong_texts_are_form_errors_that_keep_the_input(
    curator_client, field, value, message
):
    statement = make_statement()
    url = admin_url(Statement, "change", statement.pk)
    response = curator_client.post(url, change_form_data(curator_client.get(url)) | {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["adminform"].form[field].value() == value


def test_the_longest_allowed_text_is_saved_and_searchable(curator_client):
    statement = make_statement()
    url = admin_url(Statement, "change", statement.pk)
    words = " ".join(f"w{number:x}" for number in range(40_000))[:200_000]
    assert curator_client.post(url, change_form_data(curator_client.get(url)) | {"text": words}).status_code == 302
    assert Statement.objects.filter(pk=statement.pk, search_vector="w5000").exists()


@pytest.mark.parametrize("model", [m for m in CURATED if m is not StatementTopic], ids=lambda model: model.__name__)
def test_a_history_address_with_an_id_that_is_not_a_number_is_a_404(curator_client, model):
    base = f"/admin/statements/{model._meta.model_name}"
    for url in [f"{base}/abc/history/", f"{base}/1/history/abc/", f"{base}/%C2%B2/history/"]:
        assert curator_client.get(url).status_code == 404, url


@pytest.mark.parametrize("selected", ["abc", "1\x00", "²"])
def test_an_action_on_ids_that_are_not_numbers_is_a_message(curator_client, selected):
    statement = make_statement()
    url = admin_url(Statement, "changelist")
    response = curator_client.post(url, {"action": "publish", "_selected_action": [selected]}, follow=True)
    assert response.status_code == 200
    assert "Choose the records with their checkboxes." in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).version == statement.version


@pytest.mark.parametrize(
    ("field", "value"), [("official", "abc"), ("country", "K\x00R"), ("mentioned_countries", "Z\x00")]
)
def test_an_autocomplete_value_that_is_no_key_is_a_form_error(curator_client, field, value):
    statement = make_statement()
    url = admin_url(Statement, "change", statement.pk)
    response = curator_client.post(url, change_form_data(curator_client.get(url)) | {field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
