"""Pasting an article (curation/forms.py PasteForm, views.paste): its Source is saved with the text at once."""

from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from statements.models import MAX_TEXT, Source, Statement
from tests.curation.helpers import ARTICLE, DEMO_URL, INGEST, ingested, paste, review_data, review_url
from tests.factories import make_source
from tests.shared import SAMPLE, need

pytestmark = pytest.mark.django_db


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


def test_a_url_already_known_is_reused_and_what_it_cited_is_marked(curator_client, demo):
    article = need(SAMPLE, "The shared sample article").read_text()
    demo_source = Source.objects.get(url=DEMO_URL)
    sources = Source.objects.count()
    response = paste(curator_client, article, url=DEMO_URL)
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


def test_an_empty_post_is_a_form_error(curator_client):
    response = curator_client.post(INGEST, {})
    assert "This field is required." in str(response.context["form"].errors["text"])


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
