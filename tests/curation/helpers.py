"""Helpers for the tests of the article review: paste an article, read the review's form, send it back."""

from django.urls import reverse

from statements.models import Source
from tests.adminforms import _form_data

INGEST = reverse("admin:statements_source_ingest")
DEMO_URL = "https://v.daum.net/v/20241112182451750"
ARTICLE = """Seoul vows close coordination on North Korea
SEOUL, Nov. 13 (Yonhap) -- South Korean Foreign Minister Cho Tae-yul said Wednesday that Seoul would keep working with Washington on North Korea.
"We will work closely with the new administration to respond firmly to North Korea's provocations," Cho said during a meeting in Seoul.
U.S. Ambassador Philip Goldberg said, "The alliance between our two countries has never been stronger than it is today."
"We look forward to many more years of friendship and cooperation," Goldberg added.
A senior Foreign Ministry official told reporters that the talks had been "frank and constructive."
"There is no change in our position on the denuclearization of the Korean Peninsula," the official said.
"""  # noqa: E501


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
