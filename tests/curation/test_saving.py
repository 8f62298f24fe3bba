"""Saving a review (curation/saving.py): draft statements, citations and new speakers, once each."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.forms import ModelMultipleChoiceField
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from statements.curation import linking
from statements.curation.forms import CandidateForms
from statements.curation.saving import save_reviewed
from statements.models import Citation, Official, Organization, Statement
from tests.curation.helpers import ingested, review_data, review_url
from tests.factories import make_official, make_organization, make_position, make_source, make_statement
from tests.shared import SAMPLE, need

pytestmark = pytest.mark.django_db


def test_accepted_quotations_become_draft_statements_cited_to_the_source(curator_client, demo):
    source, response = ingested(curator_client)
    before = Statement.objects.count()
    changes = {
        1: {"role": "U.S. Ambassador to South Korea"},
        2: {"kind": "partial"},
        3: {"decision": "reject"},
        4: {"topics": None},
    }
    data = review_data(response, changes)
    response = curator_client.post(review_url(source), data)

    assert response.status_code == 302, response.context["formset"].errors
    assert response.url.startswith(reverse("admin:statements_statement_changelist"))
    created = list(Statement.objects.filter(sources=source).order_by("citations__start_offset"))
    assert len(created) == 4 and Statement.objects.count() == before + 4
    for statement in created:
        citation = statement.citations.get()
        assert source.full_text[citation.start_offset : citation.end_offset] == statement.text
        assert statement.status == Statement.Status.DRAFT
    cho, goldberg, goldberg_again, official = created
    assert cho.official == Official.objects.get(slug="cho-tae-yul")
    assert goldberg.official == goldberg_again.official
    assert goldberg.role == "U.S. Ambassador to South Korea"
    assert goldberg.official.country_id == "US"
    assert Official.objects.filter(name__contains="Goldberg").count() == 1
    assert official.official is None
    assert official.organization == Organization.objects.get(slug="ministry-of-foreign-affairs-kr")
    assert official.attribution_text == "senior Foreign Ministry official"
    assert official.country_id == "KR"
    assert list(official.topics.all()) == []
    assert set(cho.mentioned_countries.values_list("code", flat=True)) == {"KP"}
    assert set(cho.topic_links.values_list("machine_assigned", flat=True)) <= {False}
    version = cho.history.get()  # One version, with its topics and countries.
    assert {row.country_id for row in version.mentioned_countries.all()} == {"KP"}
    assert {row.topic_id for row in version.topics.all()} == set(cho.topic_links.values_list("topic", flat=True))

    listing = curator_client.get(response.url)
    assert listing.status_code == 200
    assert "Saved from" in next(str(message) for message in get_messages(listing.wsgi_request))
    assert listing.context["cl"].result_count == 4


def test_words_already_stated_from_another_source_become_a_citation_of_that_statement(curator_client, demo):
    article = need(SAMPLE, "The shared sample article").read_text()
    source, response = ingested(curator_client, article, url="https://koreajoongangdaily.joins.com/x")
    rows = response.context["rows"]
    proposals = {row["candidate"].earlier.pk for row in rows if row["candidate"].earlier}
    demo_statements = set(Statement.objects.exclude(sources=source).values_list("pk", flat=True))
    assert proposals and proposals <= demo_statements
    cites = [row for row in rows if row["form"]["decision"].value() == "cite"]
    assert "These words are already" in response.content.decode()
    statements = Statement.objects.count()

    data = review_data(response)
    for row in rows:
        if row["form"]["decision"].value() != "cite":
            data[row["form"].add_prefix("decision")] = "reject"
    response = curator_client.post(review_url(source), data)

    assert response.status_code == 302
    assert Statement.objects.count() == statements
    citations = Citation.objects.filter(source=source)
    assert {citation.statement_id for citation in citations} == proposals
    # Quotations of one statement ("…," said Cho. "…") make one citation spanning them.
    assert citations.count() == len(proposals) < len(cites)
    for citation in citations:
        quoted = source.full_text[citation.start_offset : citation.end_offset]
        first = next(row for row in cites if row["form"].initial["start"] == citation.start_offset)
        assert quoted.startswith(first["candidate"].quotation.quote)


def test_reopening_after_a_save_does_not_duplicate_statements(curator_client, demo):
    source, response = ingested(curator_client)
    stale = review_data(response)
    assert curator_client.post(review_url(source), stale).status_code == 302
    saved = Statement.objects.filter(sources=source).count()
    assert saved == 5

    reopened = curator_client.get(review_url(source))
    assert {row["form"]["decision"].value() for row in reopened.context["rows"]} == {"reject"}
    # A second curator who had the page open before the save sends the same decisions.
    response = curator_client.post(review_url(source), stale)
    assert response.status_code == 200
    assert "Already saved from this source as statement" in response.content.decode()
    assert Statement.objects.filter(sources=source).count() == saved


def test_a_save_checks_again_under_lock_for_a_review_saved_meanwhile(curator_client, demo):
    source, response = ingested(curator_client)
    data = {name: value if isinstance(value, list) else [value] for name, value in review_data(response).items()}
    formset = CandidateForms(MultiValueDict(data), source=source, candidates=linking.candidates(source))
    assert formset.is_valid(), formset.errors
    make_statement(text="Saved by another curator a moment ago.", source=source)
    Citation.objects.filter(source=source).update(
        start_offset=formset.forms[0].cleaned_data["start"], end_offset=formset.forms[0].cleaned_data["end"]
    )

    assert save_reviewed(source, formset.forms) is None
    assert "Already saved from this source" in str(formset.forms[0].errors)
    assert Statement.objects.filter(sources=source).count() == 1


UNNAMED_AT_THE_MINISTRY = (
    "Talks in Seoul\n"
    'SEOUL, Nov. 13 (Yonhap) -- "We are watching the situation closely," an official at the ministry said.\n'
)


def speaker_fields(official):
    """Every speaker field filled, as a curator may leave them after changing the speaker choice."""
    organization = make_organization(name="Ministry of Unification")
    return {
        "official": official.pk,
        "name": "Kim Min-seok",
        "role": "Spokesperson",
        "attribution_text": "an official at the ministry",
        "organization": organization.pk,
        "new_organization": "ministry",
        "country": "KR",
    }


@pytest.mark.parametrize("speaker", ["official", "new", "unnamed"])
def test_only_the_fields_of_the_chosen_speaker_are_used(curator_client, speaker):
    cho = make_official(name="Cho Tae-yul")
    position = make_position(official=cho, start_date=datetime.date(2024, 1, 10))
    source, response = ingested(curator_client, UNNAMED_AT_THE_MINISTRY)
    assert response.context["formset"].forms[0].initial["new_organization"] == "ministry"
    fields = speaker_fields(cho)
    if speaker == "unnamed":
        fields["organization"] = None  # The new organization, then.
    officials, organizations = Official.objects.count(), Organization.objects.count()
    data = review_data(response, {0: {"speaker": speaker, **fields}})
    response = curator_client.post(review_url(source), data)
    assert response.status_code == 302, response.context["formset"].errors

    statement = Statement.objects.get(sources=source)
    assert statement.role == "Spokesperson"
    if speaker == "official":
        assert (statement.official, statement.organization, statement.attribution_text) == (
            cho,
            position.organization,  # Where he worked that day, not what the other choices said.
            "",
        )
        assert (Official.objects.count(), Organization.objects.count()) == (officials, organizations)
    elif speaker == "new":
        assert statement.official.name == "Kim Min-seok" and statement.official.country_id == "KR"
        assert (statement.organization, statement.attribution_text) == (None, "")
        assert (Official.objects.count(), Organization.objects.count()) == (officials + 1, organizations)
    else:
        assert statement.official is None
        assert (statement.organization.name, statement.organization.country_id) == ("ministry", "KR")
        assert statement.attribution_text == "an official at the ministry"
        assert (Official.objects.count(), Organization.objects.count()) == (officials, organizations + 1)


def test_choosing_an_official_instead_of_the_proposed_unnamed_speaker_creates_no_organization(curator_client):
    cho = make_official(name="Cho Tae-yul")
    source, response = ingested(curator_client, UNNAMED_AT_THE_MINISTRY)
    data = review_data(response, {0: {"speaker": "official", "official": cho.pk}})
    assert curator_client.post(review_url(source), data).status_code == 302
    assert not Organization.objects.filter(name="ministry").exists()
    statement = Statement.objects.get(sources=source)
    assert (statement.official, statement.organization, statement.attribution_text) == (cho, None, "")


@pytest.mark.slow
def test_a_review_of_many_quotations_is_saved_in_one_go(curator):
    # 15 fields or more a quotation: 150 quotations pass Django's default limit of 1,000 fields many times over.
    quotations = 150
    said = [f'"We discussed point number {n} today," Cho Tae-yul said.\n' for n in range(quotations)]
    text = "Briefing\n" + "".join(said)
    browser = Client(enforce_csrf_checks=True)  # The CSRF check is the first to read a form.
    browser.force_login(curator)
    source = make_source(full_text=text, published_on=datetime.date(2024, 11, 13))
    response = browser.get(review_url(source))
    assert len(response.context["rows"]) == quotations
    # As a browser sends it: every input, the empty ones too.
    data = review_data(response) | {"csrfmiddlewaretoken": response.context["csrf_token"]}
    for form in response.context["formset"].forms:
        for field in form:
            if not isinstance(field.field, ModelMultipleChoiceField):
                data.setdefault(field.html_name, "")
    assert sum(len(value) if isinstance(value, list) else 1 for value in data.values()) > 15 * quotations

    body = urlencode(data, doseq=True)  # The page's form has no enctype.
    response = browser.post(review_url(source), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.context["formset"].errors[:3]
    assert Statement.objects.filter(sources=source).count() == quotations
