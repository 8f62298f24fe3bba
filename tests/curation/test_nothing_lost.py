"""Nothing a curator entered is lost: edits never silently overwrite each other, duplicates are merged."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from statements.models import Citation, Official, Organization, Position, Source, Statement, StatementTopic, Topic
from tests.adminforms import change_form_data
from tests.curation.helpers import review_data
from tests.factories import (
    make_curator,
    make_official,
    make_organization,
    make_position,
    make_source,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db

CURATED = [Official, Organization, Topic, Source, Position, Citation, Statement]


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


def at_once(*calls):
    """Run the calls in threads of their own, released together, each on its own database connection."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(run, call) for call in calls]]


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# Committed, as on the site, for the two requests to see each other's rows: each runs on a connection of its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviews_creating_the_same_new_official_at_once_make_one_official_and_lose_nothing():
    alice, bob = logged_in(make_curator(username="alice")), logged_in(make_curator(username="bob"))
    # Repeated: before names were locked, the two made the same slug and one failed, 7 times in 8.
    names = ["Philip Goldberg", "Kurt Campbell", "Jung Pak", "Sung Kim", "Ned Price", "Seth Bailey"]
    for round, name in enumerate(names):
        reviews = []
        for client, city in [(alice, "Seoul"), (bob, "Tokyo")]:
            # Words of their own each round: the same words again would be offered as a citation instead.
            said = f'"{city} and Washington are closer than ever after {round + 2} talks," Ambassador {name} said.'
            text = f"Talks in {city}\n{said}\n"
            source = make_source(full_text=text, published_on=datetime.date(2024, 11, 13))
            url = reverse("admin:statements_source_review", args=[source.pk])
            response = client.get(url)
            assert response.context["formset"].forms[0].initial["speaker"] == "new"
            reviews.append((client, url, review_data(response), source))

        responses = at_once(*[partial(client.post, url, data) for client, url, data, _ in reviews])

        official = Official.objects.get(name=name)  # One: whoever came second found the first's record.
        for response, (*_, source) in zip(responses, reviews, strict=True):
            if response.status_code == 302:
                assert Statement.objects.get(sources=source).official == official
            else:  # The first had saved before this one was checked: as if it came a minute later.
                assert response.status_code == 200, round
                assert f"{name} is already in the database" in response.content.decode()
                assert response.context["formset"].forms[0]["name"].value() == name
        assert 302 in [response.status_code for response in responses]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_review_that_meets_a_writer_without_locks_keeps_the_decisions_with_a_message():
    curator = logged_in(make_curator())
    text = 'Talks\n"Seoul and Washington are closer than ever," U.S. Ambassador Philip Goldberg said.\n'
    source = make_source(full_text=text, published_on=datetime.date(2024, 11, 13))
    url = reverse("admin:statements_source_review", args=[source.pk])
    data = review_data(curator.get(url)) | {"form-0-role": "Ambassador to Seoul"}

    # As the importer does: a bulk insert, which takes no lock, of the slug the review is about to give him.
    with ThreadPoolExecutor(1) as pool, transaction.atomic():
        Official.objects.bulk_create([Official(name="Philip Goldberg", slug="philip-goldberg", name_keys=["x"])])
        posted = pool.submit(lambda: (curator.post(url, data), connection.close())[0])
        while not posted.done() and not waiting_for_a_lock():
            time.sleep(0.05)
    response = posted.result()

    assert response.status_code == 200
    assert "nothing was saved: your decisions are below" in response.content.decode()
    assert response.context["formset"].forms[0]["role"].value() == "Ambassador to Seoul"
    assert not Statement.objects.filter(sources=source).exists()


def waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_locks WHERE NOT granted)")
        return cursor.fetchone()[0]


# The same unique value from two add forms at once: (model, the forms' values in a round, the second's error).
SAME_VALUES = [
    (Official, lambda n: {"name": "Philip Goldberg", "slug": f"goldberg-{n}"}, "with this Slug already exists"),
    (Organization, lambda n: {"name": "Embassy", "slug": f"embassy-{n}"}, "with this Slug already exists"),
    (Topic, lambda n: {"name": "Alliance", "slug": f"alliance-{n}"}, "with this Slug already exists"),
    (Source, lambda n: {"title": "Talks", "publisher": "AP", "url": f"https://apnews.com/{n}"}, "with this URL"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("model", "values", "error"), SAME_VALUES, ids=[model.__name__ for model, *_ in SAME_VALUES])
def test_two_curators_adding_the_same_record_at_once_get_a_form_error_not_a_500(model, values, error):
    alice, bob = logged_in(make_curator(username="alice")), logged_in(make_curator(username="bob"))
    url = reverse(f"admin:statements_{model._meta.model_name}_add")
    for round in range(5):
        typed = values(round)
        responses = at_once(
            *[partial(client.post, url, change_form_data(client.get(url)) | typed) for client in (alice, bob)]
        )

        assert sorted(response.status_code for response in responses) == [200, 302], round
        refused = next(response for response in responses if response.status_code == 200)
        assert error in refused.content.decode()
        assert {name: refused.context["adminform"].form[name].value() for name in typed} == typed
        assert model.objects.filter(**typed).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("keep", ["same", "other"], ids=["both-keep-one", "each-keeps-their-own"])
def test_two_curators_merging_the_same_pair_at_once_get_one_merge_and_a_message(keep):
    curators = make_curator(username="alice"), make_curator(username="bob")
    changelist = reverse("admin:statements_official_changelist")
    for round in range(5):
        alice, bob = map(logged_in, curators)  # Each round's messages alone.
        pair = [make_official(name=f"Cho Tae-yul {round}"), make_official(name=f"Tae-yul Cho {round}")]
        for official in pair:
            make_position(official=official)
            for n in range(3):
                make_statement(text=f"Words {n} of {official.name}.", official=official)
        merge = {"action": "merge", "_selected_action": [official.pk for official in pair]}
        kept = [pair[0], pair[0] if keep == "same" else pair[1]]
        posts = [
            partial(client.post, changelist, merge | {"keep": official.pk})
            for client, official in zip((alice, bob), kept, strict=True)
        ]
        responses = at_once(*posts)

        assert [response.status_code for response in responses] == [302, 302], round  # Not a 503 for a deadlock.
        said = [str(message) for response in responses for message in get_messages(response.wsgi_request)]
        assert len([text for text in said if text.startswith("Merged 1 official")]) == 1, said
        assert len([text for text in said if "already merged" in text]) == 1, said
        assert Official.objects.filter(pk__in=[o.pk for o in pair], merged_into=None).count() == 1
        survivor = Official.objects.get(pk__in=[o.pk for o in pair], merged_into=None)
        assert survivor.statements.count() == 6 and survivor.positions.count() == 2


def curated(model):
    """A record of a curated model, a field its page edits, and two curators' values for it."""
    if model is Official:
        return make_official(name="Cho Tae-yul"), "name", "Cho Tae-yul (FM)", "Tae-yul Cho"
    if model is Organization:
        return make_organization(name="Foreign Ministry"), "name", "Ministry of Foreign Affairs", "MOFA"
    if model is Topic:
        return make_topic(name="Alliance"), "name", "Alliances", "US alliance"
    if model is Source:
        return make_source(title="Seoul vows coordination"), "title", "Seoul vows close coordination", "Seoul vows"
    if model is Position:
        return make_position(official=make_official()), "role", "Foreign Minister", "Prime Minister"
    if model is Citation:
        source = make_source(full_text="Cho said the alliance would be strengthened.")
        citation = Citation.objects.create(statement=make_statement(), source=source, start_offset=0, end_offset=10)
        return citation, "end_offset", "12", "14"
    return make_statement(text="The original words."), "text", "My correction.", "Their correction."


@pytest.mark.parametrize("model", CURATED, ids=lambda model: model.__name__)
def test_a_second_curators_edit_is_refused_and_keeps_what_they_typed(curator_client, model):
    record, field, mine, theirs = curated(model)
    url = reverse(f"admin:statements_{model._meta.model_name}_change", args=[record.pk])
    other = logged_in(make_curator(username="other"))
    my_edit = change_form_data(curator_client.get(url)) | {field: mine}
    their_edit = change_form_data(other.get(url)) | {field: theirs}

    assert curator_client.post(url, my_edit).status_code == 302
    response = other.post(url, their_edit)
    assert response.status_code == 200
    assert f"Another curator saved this {model._meta.verbose_name} while you were editing it" in response.text
    assert response.context["adminform"].form[field].value() == theirs
    assert reverse(f"admin:statements_{model._meta.model_name}_history", args=[record.pk]) in response.text
    record.refresh_from_db()
    assert str(getattr(record, field)) == mine

    # Saving again after that warning is a deliberate choice, and it goes through.
    assert other.post(url, change_form_data(response)).status_code == 302
    record.refresh_from_db()
    assert str(getattr(record, field)) == theirs


@pytest.mark.parametrize("model", CURATED, ids=lambda model: model.__name__)
def test_every_save_of_a_curated_record_raises_its_version(model):
    record, field, mine, _ = curated(model)
    version = record.version
    setattr(record, field, int(mine) if field == "end_offset" else mine)
    record.save()
    stale = model.objects.get(pk=record.pk)
    stale.version = 1  # A copy read long ago: the version counts on from the row's.
    stale.save(update_fields=[field])
    assert model.objects.get(pk=record.pk).version == version + 2


@pytest.mark.parametrize("delete", [False, True], ids=["changed", "deleted"])
def test_a_position_changed_meanwhile_is_not_overwritten_from_the_officials_page(curator_client, delete):
    official = make_official(name="Cho Tae-yul")
    position = make_position(official=official, role="Minister of Foreign Affairs")
    url = reverse("admin:statements_official_change", args=[official.pk])
    my_page = change_form_data(curator_client.get(url))
    other = logged_in(make_curator(username="other"))
    position_url = reverse("admin:statements_position_change", args=[position.pk])
    their_edit = change_form_data(other.get(position_url)) | {"role": "Prime Minister"}
    assert other.post(position_url, their_edit).status_code == 302

    edit = {"positions-0-DELETE": "on"} if delete else {"positions-0-role": "Foreign Minister"}
    response = curator_client.post(url, my_page | edit)
    assert response.status_code == 200
    assert "Another curator saved this position while you were editing it" in response.text
    if delete:
        assert "and you deleted it" in response.text
    else:
        assert response.context["inline_admin_formsets"][0].formset.forms[0]["role"].value() == "Foreign Minister"
    assert Position.objects.get(pk=position.pk).role == "Prime Minister"

    # Saving again after that warning is a deliberate choice, and it goes through.
    assert curator_client.post(url, change_form_data(response) | edit).status_code == 302
    remaining = Position.objects.filter(pk=position.pk).values_list("role", flat=True)
    assert list(remaining) == ([] if delete else ["Foreign Minister"])


@pytest.mark.parametrize("model", CURATED, ids=lambda model: model.__name__)
def test_an_earlier_version_of_any_curated_record_can_be_restored(curator_client, model):
    record, field, mine, _ = curated(model)
    url = reverse(f"admin:statements_{model._meta.model_name}_change", args=[record.pk])
    first = str(getattr(record, field))
    assert curator_client.post(url, change_form_data(curator_client.get(url)) | {field: mine}).status_code == 302

    earliest = record.history.earliest("history_date")
    restore = reverse(f"admin:statements_{model._meta.model_name}_simple_history", args=[record.pk, earliest.pk])
    assert curator_client.post(restore, change_form_data(curator_client.get(restore))).status_code == 302
    record.refresh_from_db()
    assert (str(getattr(record, field)), record.version) == (first, 3)


def topics_of(version):
    """A history row's topics: (slug, machine-assigned) pairs."""
    return sorted((row.topic.slug, row.machine_assigned) for row in version.topics.select_related("topic"))


def test_removing_a_topic_in_the_admin_is_in_the_history_and_restoring_brings_it_back(curator_client, curator):
    alliance, nuclear = make_topic(name="Alliance"), make_topic(name="Nuclear")
    statement = make_statement(topics=[alliance], mentions=["US", "JP"])
    StatementTopic.objects.create(statement=statement, topic=nuclear, machine_assigned=True)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    assert curator_client.post(url, change_form_data(curator_client.get(url))).status_code == 302
    before = statement.history.latest()
    assert topics_of(before) == [("alliance", False), ("nuclear", True)]

    # The curator removes a topic (the inline's first row) and a mentioned country.
    versions = statement.history.count()
    edit = change_form_data(curator_client.get(url)) | {"topic_links-0-DELETE": "on", "mentioned_countries": ["US"]}
    assert curator_client.post(url, edit).status_code == 302
    after = statement.history.latest()
    assert topics_of(after) == [("nuclear", True)]
    assert [row.country_id for row in after.mentioned_countries.all()] == ["US"]
    assert after.history_user == curator
    assert statement.history.count() == versions + 1  # One version a save, with its topics as saved.
    history = curator_client.get(reverse("admin:statements_statement_history", args=[statement.pk])).content.decode()
    assert "Topics:" in history and "[Alliance, Nuclear]" in history and "[Nuclear]" in history

    restore = reverse("admin:statements_statement_simple_history", args=[statement.pk, before.pk])
    page = curator_client.get(restore)
    assert page.context["adminform"].form["mentioned_countries"].value() == ["JP", "US"]
    assert "Alliance" in page.content.decode()  # The topics the version restores are shown.
    assert curator_client.post(restore, change_form_data(page)).status_code == 302
    statement.refresh_from_db()
    assert sorted(statement.topic_links.values_list("topic__slug", "machine_assigned")) == [
        ("alliance", False),
        ("nuclear", True),
    ]
    assert sorted(statement.mentioned_countries.values_list("code", flat=True)) == ["JP", "US"]
    assert topics_of(statement.history.latest()) == [("alliance", False), ("nuclear", True)]


def test_confirming_a_machine_topic_is_a_version_in_the_statements_history(curator_client, curator):
    statement = make_statement()
    link = StatementTopic.objects.create(statement=statement, topic=make_topic(name="Alliance"), machine_assigned=True)
    version, versions = statement.version, statement.history.count()
    changelist = reverse("admin:statements_statementtopic_changelist")
    curator_client.post(changelist, {"action": "confirm", "_selected_action": [link.pk]})

    statement.refresh_from_db()
    assert (statement.version, statement.history.count()) == (version + 1, versions + 1)
    latest = statement.history.latest()
    assert topics_of(latest) == [("alliance", False)]
    assert latest.history_user == curator


def test_removing_a_topic_on_its_own_page_is_in_the_statements_history(curator_client):
    statement = make_statement(topics=[make_topic(name="Alliance")])
    link = statement.topic_links.get()
    version = statement.version
    curator_client.post(reverse("admin:statements_statementtopic_delete", args=[link.pk]), {"post": "yes"})
    statement.refresh_from_db()
    assert not statement.topic_links.exists()
    assert statement.version == version + 1
    assert topics_of(statement.history.latest()) == []
