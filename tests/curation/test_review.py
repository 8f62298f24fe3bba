"""The review page (curation/forms.py CandidateForm, views.review): proposals, form errors, who may see it."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from statements.models import Source, Statement
from tests.curation.helpers import ARTICLE, INGEST, ingested, review_data, review_url
from tests.factories import make_source, make_statement

pytestmark = pytest.mark.django_db


def test_the_review_proposes_speakers_dates_countries_and_topics(curator_client, demo):
    _source, response = ingested(curator_client)
    rows = response.context["rows"]
    assert [row["candidate"].quotation.speaker.label for row in rows] == [
        "Cho Tae-yul",
        "Philip Goldberg",
        "Philip Goldberg",
        "senior Foreign Ministry official",
        "senior Foreign Ministry official",
    ]
    cho, goldberg, _, _, official = (row["form"].initial for row in rows)
    assert (cho["speaker"], cho["official"].name) == ("official", "Cho Tae-yul")
    assert (goldberg["speaker"], goldberg["name"], goldberg["role"], goldberg["country"]) == (
        "new",
        "Philip Goldberg",
        "Ambassador",
        "US",
    )
    assert (official["speaker"], official["attribution_text"], official["organization"].name) == (
        "unnamed",
        "senior Foreign Ministry official",
        "Ministry of Foreign Affairs",
    )
    assert str(official["date"]) == "2024-11-13"
    assert official["countries"] == ["KR"]
    assert {topic.slug for topic in official["topics"]} >= {"korean-peninsula", "denuclearization"}
    assert {row["form"]["decision"].value() for row in rows} == {"new"}


def test_an_incomplete_candidate_is_a_form_error_and_keeps_what_was_typed(curator_client, demo):
    source, response = ingested(curator_client)
    data = review_data(response, {3: {"attribution_text": "a well-placed diplomat", "organization": None}})
    response = curator_client.post(review_url(source), data)

    assert response.status_code == 200
    form = response.context["formset"].forms[3]
    assert "organization they spoke for" in str(form.errors)
    assert form["attribution_text"].value() == "a well-placed diplomat"
    assert 'value="a well-placed diplomat"' in response.content.decode()
    assert not Statement.objects.filter(sources=source).exists()


def test_a_quote_without_a_date_clue_is_dated_to_the_publication_and_marked_assumed(curator_client):
    text = 'Officials meet\n"We are ready to talk to anyone who wants peace," the minister said in a speech.\n'
    _source, response = ingested(curator_client, text, published_on="2024-11-13")
    form = response.context["rows"][0]["form"]
    assert str(form.initial["date"]) == "2024-11-13"
    assert "Assumed: the article's publication date" in response.content.decode()


def test_an_article_without_quotations_is_saved_and_the_review_says_so(curator_client):
    text = "Talks resume\nThe two ministers met in Seoul on Wednesday and agreed to meet again next month in Tokyo.\n"
    source, response = ingested(curator_client, text)
    assert source.full_text == text.strip()
    assert "No quotation was found in this article" in response.content.decode()


def test_an_existing_statement_citing_the_source_is_never_proposed_for_reuse(curator_client, demo):
    source, response = ingested(curator_client)
    make_statement(text=response.context["rows"][0]["candidate"].quotation.quote, source=source)
    response = curator_client.get(review_url(source))
    assert response.context["rows"][0]["candidate"].earlier is None


def test_a_text_changed_since_the_page_was_made_is_refused(curator_client):
    source, response = ingested(curator_client)
    data = review_data(response)
    Source.objects.filter(pk=source.pk).update(full_text="Another text altogether, much shorter.")
    response = curator_client.post(review_url(source), data)
    assert response.status_code == 200
    assert "The source&#x27;s text has changed" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_tampered_management_form_is_an_error_not_a_crash(curator_client):
    source, _ = ingested(curator_client)
    response = curator_client.post(review_url(source), {"form-TOTAL_FORMS": "x"})
    assert response.status_code == 200
    assert "nothing was saved: here are the quotations again" in response.content.decode()
    assert len(response.context["rows"]) == 5
    assert not Statement.objects.exists()


def test_forms_the_page_never_showed_are_ignored(curator_client):
    source, response = ingested(curator_client)
    data = review_data(response, {index: {"decision": "reject"} for index in range(5)})
    data["form-TOTAL_FORMS"] = "8"
    response = curator_client.post(review_url(source), data)
    assert response.status_code == 302
    assert not Statement.objects.exists()


def test_a_source_without_text_cannot_be_reviewed_but_says_why(curator_client):
    response = curator_client.get(review_url(make_source()))
    assert "This source has no text to read" in response.content.decode()


def test_an_unknown_source_is_not_found(curator_client):
    assert curator_client.get(reverse("admin:statements_source_review", args=[999999])).status_code == 404


@pytest.mark.parametrize("url", [INGEST, "review"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    url = review_url(make_source()) if url == "review" else url
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [INGEST, "review"])
def test_staff_who_may_not_add_statements_are_refused(client, django_user_model, url):
    url = review_url(make_source()) if url == "review" else url
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": ARTICLE}).status_code == 403
    assert Source.objects.count() == (1 if "review" in url else 0)


def test_the_source_change_page_links_to_its_review(curator_client):
    source = make_source(full_text=ARTICLE)
    response = curator_client.get(reverse("admin:statements_source_change", args=[source.pk]))
    assert review_url(source) in response.content.decode()


def test_other_forms_and_visitors_keep_djangos_limit_on_fields(curator_client):
    body = urlencode({f"field{n}": "x" for n in range(1_500)})
    form = "application/x-www-form-urlencoded"
    assert curator_client.post(INGEST, body, content_type=form).status_code == 400
    # The CSRF check reads the form first: a bare 400, before any login page.
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(reverse("admin:login"))  # For a CSRF cookie.
    assert visitor.post(review_url(make_source()), body, content_type=form).status_code == 400
