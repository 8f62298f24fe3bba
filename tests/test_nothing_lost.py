"""Nothing a curator entered is lost: edits never silently overwrite each other, duplicates are merged."""

import pytest
from django.test import Client
from django.urls import reverse

from statements.models import Official, Position, Statement
from tests.adminforms import change_form_data
from tests.factories import make_curator, make_official, make_position, make_statement

pytestmark = pytest.mark.django_db


def test_a_second_curators_edit_of_the_same_statement_is_refused_not_lost(curator_client):
    statement = make_statement(text="The original words.")
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    other = Client()
    other.force_login(make_curator(username="other"))
    mine = change_form_data(curator_client.get(url)) | {"text": "My correction."}
    theirs = change_form_data(other.get(url)) | {"text": "Their correction."}

    assert curator_client.post(url, mine).status_code == 302
    response = other.post(url, theirs)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Another curator saved this statement while you were editing it" in content
    assert "Their correction." in content  # What they typed is still in the form.
    statement.refresh_from_db()
    assert statement.text == "My correction."

    # Saving again after that warning is a deliberate choice, and it goes through.
    assert other.post(url, change_form_data(response)).status_code == 302
    statement.refresh_from_db()
    assert statement.text == "Their correction."
    assert [version.text for version in statement.history.order_by("history_date")] == [
        "The original words.",
        "My correction.",
        "Their correction.",
    ]


def test_every_save_raises_the_version(curator):
    statement = make_statement()
    version = statement.version
    statement.text = "Changed."
    statement.save()
    statement.review(Statement.Status.RETRACTED, curator)
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    statement.refresh_from_db()
    assert statement.version == version + 2


def test_merging_officials_moves_everything_and_keeps_the_duplicate(curator_client):
    cho = make_official(name="Cho Tae-yul", native_name="조태열")
    duplicate = make_official(name="Tae-yul Cho", other_names=["FM Cho"], wikidata_id="Q99")
    make_position(official=duplicate, role="Minister of Foreign Affairs")
    statement = make_statement(text="Words from the UN record.", official=duplicate)
    changelist = reverse("admin:statements_official_changelist")
    selected = {"action": "merge", "_selected_action": [cho.pk, duplicate.pk]}

    confirmation = curator_client.post(changelist, selected)
    assert "Choose the record to keep" in confirmation.content.decode()
    assert curator_client.post(changelist, selected | {"keep": cho.pk}).status_code == 302

    cho.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == cho
    assert Statement.objects.get(pk=statement.pk).official == cho
    assert Position.objects.get().official == cho
    assert set(cho.other_names) == {"Tae-yul Cho", "FM Cho"} and cho.wikidata_id == "Q99"
    assert Official.objects.count() == 2  # Nothing deleted.
    assert duplicate.history.count() >= 2

    client = Client()
    assert client.get(f"/officials/{duplicate.slug}/").url == "/officials/cho-tae-yul/"
    assert "Tae-yul Cho" not in [o["name"] for o in client.get("/api/officials/").json()["results"]]
    assert client.get(f"/statements/?official={duplicate.slug}").context["page"].object_list[0]["pk"] == statement.pk
    assert list(Official.objects.matching_name("Tae-yul Cho")) == [cho]


def test_merging_needs_two_officials_that_are_not_merged(curator_client):
    official = make_official()
    response = curator_client.post(
        reverse("admin:statements_official_changelist"),
        {"action": "merge", "_selected_action": [official.pk]},
        follow=True,
    )
    assert "Select at least two officials" in response.content.decode()


def test_a_merged_official_is_not_offered_or_accepted_for_new_statements(curator_client):
    cho = make_official(name="Cho Tae-yul")
    duplicate = make_official(name="Cho Taeyul")
    duplicate.merge_into(cho)
    autocomplete = curator_client.get(
        "/admin/autocomplete/",
        {"term": "Cho", "app_label": "statements", "model_name": "statement", "field_name": "official"},
    ).json()
    assert [result["id"] for result in autocomplete["results"]] == [str(cho.pk)]
    statement = make_statement(official=cho)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = curator_client.post(url, change_form_data(curator_client.get(url)) | {"official": duplicate.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
