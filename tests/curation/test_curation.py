import datetime
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.forms import ModelMultipleChoiceField
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from statements.curation import linking
from statements.curation.review import MAX_TEXT, CandidateForms, save_reviewed
from statements.models import Citation, Official, Organization, Source, Statement
from tests.adminforms import _form_data
from tests.factories import make_official, make_organization, make_position, make_source, make_statement

pytestmark = pytest.mark.django_db

INGEST = reverse("admin:statements_source_ingest")
SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "joongang-cho-tae-yul-us-alliance.txt"
DEMO_URL = "https://v.daum.net/v/20241112182451750"
ARTICLE = """Seoul vows close coordination on North Korea
SEOUL, Nov. 13 (Yonhap) -- South Korean Foreign Minister Cho Tae-yul said Wednesday that Seoul would keep working with Washington on North Korea.
"We will work closely with the new administration to respond firmly to North Korea's provocations," Cho said during a meeting in Seoul.
U.S. Ambassador Philip Goldberg said, "The alliance between our two countries has never been stronger than it is today."
"We look forward to many more years of friendship and cooperation," Goldberg added.
A senior Foreign Ministry official told reporters that the talks had been "frank and constructive."
"There is no change in our position on the denuclearization of the Korean Peninsula," the official said.
"""  # noqa: E501


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def review_url(source):
    return reverse("admin:statements_source_review", args=[source.pk])


def paste(client, text=ARTICLE, **fields):
    data = {"text": text, "publisher": "Yonhap", "published_on": "2024-11-13", "language": "en"} | fields
    return client.post(INGEST, data)


def review_data(response, changes=()):
    """The review form's data as shown, with changes to some candidates: {index: {field: value, or None to clear}}."""
    formset = response.context["formset"]
    data = _form_data(formset.management_form)
    for index, form in enumerate(formset.forms):
        data.update(_form_data(form))
        for name, value in dict(changes).get(index, {}).items():
            data[form.add_prefix(name)] = value
    return {name: value for name, value in data.items() if value is not None}


def ingested(client, text=ARTICLE, **fields):
    response = paste(client, text, **fields)
    assert response.status_code == 302, response.context["form"].errors
    source = Source.objects.get(pk=int(response.url.rstrip("/").split("/")[-2]))
    return source, client.get(response.url)


def test_the_source_list_links_to_the_ingest_page(curator_client):
    response = curator_client.get(reverse("admin:statements_source_changelist"))
    assert INGEST in response.content.decode()


def test_pasting_saves_the_source_with_its_text_at_once(curator_client):
    text = ARTICLE.replace("\n", "\r\n")
    source, response = ingested(curator_client, text, url="https://en.yna.co.kr/view/1")
    assert source.full_text == ARTICLE.strip()
    assert (source.title, source.publisher, str(source.published_on)) == (
        "Seoul vows close coordination on North Korea",
        "Yonhap",
        "2024-11-13",
    )
    assert response.status_code == 200
    assert "<mark>We will work closely with the new administration" in response.content.decode()


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


def test_words_already_stated_from_another_source_become_a_citation_of_that_statement(curator_client, demo):
    if not SAMPLE.exists():
        pytest.skip(f"shared sample article not found at {SAMPLE}")
    source, response = ingested(curator_client, SAMPLE.read_text(), url="https://koreajoongangdaily.joins.com/x")
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


def test_a_url_already_known_is_reused_and_what_it_cited_is_marked(curator_client, demo):
    if not SAMPLE.exists():
        pytest.skip(f"shared sample article not found at {SAMPLE}")
    demo_source = Source.objects.get(url=DEMO_URL)
    sources = Source.objects.count()
    response = paste(curator_client, SAMPLE.read_text(), url=DEMO_URL)
    assert response.url == review_url(demo_source)
    assert Source.objects.count() == sources
    response = curator_client.get(response.url)
    assert "is already the source" in next(str(message) for message in get_messages(response.wsgi_request))
    rows = response.context["rows"]
    marked = [row for row in rows if row["candidate"].cited_by]
    assert len(marked) >= 14
    assert {row["form"]["decision"].value() for row in marked} == {"reject"}
    assert "Already saved from this source" in response.content.decode()


def test_a_known_url_with_other_text_keeps_the_stored_text_and_the_paste(curator_client, demo):
    demo_source = Source.objects.get(url=DEMO_URL)
    stored = demo_source.full_text
    response = paste(curator_client, ARTICLE, url=DEMO_URL)
    assert response.status_code == 200
    assert "stored text differs" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["text"].value() == ARTICLE
    assert review_url(demo_source) in response.content.decode()

    response = paste(curator_client, ARTICLE, url=DEMO_URL, replace_text="on")
    assert "citation(s) point into its stored text" in str(response.context["form"].non_field_errors())
    demo_source.refresh_from_db()
    assert demo_source.full_text == stored


def test_a_known_url_with_no_citations_takes_the_pasted_text_when_asked(curator_client):
    source = make_source(url="https://example.com/a", full_text="An older copy.")
    response = paste(curator_client, ARTICLE, url="https://example.com/a", replace_text="on")
    assert response.url == review_url(source)
    source.refresh_from_db()
    assert source.full_text == ARTICLE.strip()


def test_a_known_url_without_text_takes_the_pasted_text(curator_client):
    source = make_source(url="https://example.com/b")
    assert paste(curator_client, ARTICLE, url="https://example.com/b").url == review_url(source)
    source.refresh_from_db()
    assert source.full_text == ARTICLE.strip()


def test_an_article_without_quotations_is_saved_and_the_review_says_so(curator_client):
    text = "Talks resume\nThe two ministers met in Seoul on Wednesday and agreed to meet again next month in Tokyo.\n"
    source, response = ingested(curator_client, text)
    assert source.full_text == text.strip()
    assert "No quotation was found in this article" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"text": "  "}, "text", "This field is required."),
        ({"text": "x" * (MAX_TEXT + 1)}, "text", "at most 200000 characters"),
        ({"published_on": "9999-12-31"}, "published_on", "Enter a date from 1800 to"),
        ({"published_on": "2024-02-30"}, "published_on", "Enter a valid date."),
        ({"publisher": ""}, "publisher", "This field is required."),
        ({"url": "not a url"}, "url", "Enter a valid URL."),
    ],
)
def test_bad_input_is_a_form_error(curator_client, fields, field, error):
    response = curator_client.post(INGEST, {"text": ARTICLE, "publisher": "Yonhap", "language": "en"} | fields)
    assert response.status_code == 200
    assert error in str(response.context["form"].errors[field])
    assert not Source.objects.exists()


def test_an_overlong_paste_in_korean_is_a_form_error_that_keeps_the_text(curator_client):
    # 2.7 MB form-encoded, as a browser sends it: above Django's default limit, which answered 400 and lost it.
    text = "한국" * (MAX_TEXT // 2 + 50_000)
    body = urlencode({"text": text, "publisher": "Yonhap", "language": "ko"})
    response = curator_client.post(INGEST, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "at most 200000 characters" in str(response.context["form"].errors["text"])
    assert response.context["form"]["text"].value() == text


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


def test_an_empty_post_is_a_form_error(curator_client):
    response = curator_client.post(INGEST, {})
    assert "This field is required." in str(response.context["form"].errors["text"])


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


def test_an_existing_statement_citing_the_source_is_never_proposed_for_reuse(curator_client, demo):
    source, response = ingested(curator_client)
    make_statement(text=response.context["rows"][0]["candidate"].quotation.quote, source=source)
    response = curator_client.get(review_url(source))
    assert response.context["rows"][0]["candidate"].earlier is None


def test_a_paste_is_stored_without_control_characters_before_offsets_are_taken(curator_client, demo):
    # Windows line ends, a PDF's page break (a form feed), a stray escape in a quotation, a C1 dash.
    pasted = ARTICLE.replace("\n", "\r\n").replace('\r\n"We will', '\r\n\x0c"We will')
    pasted = pasted.replace("respond firmly", "respond\x1b firmly").replace("Seoul vows", "Seoul\x97vows")
    source, response = ingested(curator_client, pasted)
    expected = ARTICLE.replace('\n"We will', '\n\n"We will').replace("Seoul vows", "Seoul—vows").strip()
    assert (source.full_text, source.title) == (expected, "Seoul—vows close coordination on North Korea")
    assert curator_client.post(review_url(source), review_data(response)).status_code == 302
    for statement in Statement.objects.filter(sources=source):
        citation = statement.citations.get()
        assert source.full_text[citation.start_offset : citation.end_offset] == statement.text
    assert Statement.objects.filter(
        text="We will work closely with the new administration to respond firmly to North Korea's provocations,"
    ).exists()


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


def test_other_forms_and_visitors_keep_djangos_limit_on_fields(curator_client):
    body = urlencode({f"field{n}": "x" for n in range(1_500)})
    form = "application/x-www-form-urlencoded"
    assert curator_client.post(INGEST, body, content_type=form).status_code == 400
    # The CSRF check reads the form first: a bare 400, before any login page.
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(reverse("admin:login"))  # For a CSRF cookie.
    assert visitor.post(review_url(make_source()), body, content_type=form).status_code == 400
