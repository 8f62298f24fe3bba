"""A statement's citation: the Cite box, its BibTeX, RIS and CSL-JSON downloads, and the tags Zotero reads."""

import datetime
import json
from html.parser import HTMLParser

import bibtexparser
import jsonschema
import pytest
import rispy
from django.test import Client
from django.utils import timezone
from django.utils.text import Truncator

from statements.models import Statement
from tests.factories import make_official, make_organization, make_position, make_source, make_statement

pytestmark = pytest.mark.django_db

WORDS = 'We will strengthen the alliance {firmly} & 100% with "trust" — 한미동맹 #1_a~b^c\\d.'

# The part of CSL-JSON's schema (citation-style-language/schema, csl-data.json) that an item must satisfy: its
# required fields, its type among CSL's, names and dates in their shapes.
DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["integer", "string"]}},
        }
    },
    "additionalProperties": False,
}
NAME = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in ["family", "given", "literal", "suffix"]},
    "additionalProperties": False,
}
CSL_TYPES = ["article", "article-journal", "article-newspaper", "book", "document", "interview", "speech", "webpage"]
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": CSL_TYPES},
            "author": {"type": "array", "items": NAME},
            "issued": DATE,
            "accessed": DATE,
            **{
                name: {"type": "string"}
                for name in ["title", "URL", "publisher", "container-title", "genre", "note", "event-title"]
            },
        },
        "additionalProperties": False,
    },
}


@pytest.fixture
def statement():
    cho = make_official(name="Cho Tae-yul", country="KR")
    ministry = make_organization(name="Ministry of Foreign Affairs", country="KR")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    source = make_source(
        title="Alliance 'firmly maintained'",
        publisher="Korea JoongAng Daily",
        url="https://news.example/1",
        published_on=datetime.date(2024, 11, 12),
    )
    return make_statement(text=WORDS, official=cho, source=source, date=datetime.date(2024, 11, 12))


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs["content"]
        if tag == "link":
            self.links.append(attrs)


def head_of(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def test_the_page_shows_the_citation_with_role_source_permanent_url_and_access_date(client, statement):
    response = client.get(statement.get_absolute_url())
    text = response.context["reference"].text
    today = timezone.localdate()
    assert text.startswith(
        "Cho Tae-yul, Minister of Foreign Affairs, Ministry of Foreign Affairs. “We will strengthen"
    )
    assert "12 November 2024." in text
    assert "Reported in Korea JoongAng Daily, “Alliance 'firmly maintained',” 12 November 2024." in text
    assert f"DiploTrack, http://testserver/statements/{statement.pk}/ (accessed {today.day} {today:%B %Y})." in text
    body = response.content.decode()
    assert 'id="cite-heading"' in body
    assert "&amp; 100%" in body  # Escaped like every text.
    for extension in ["bib", "ris", "json"]:
        assert f'href="/statements/{statement.pk}/cite.{extension}"' in body


def test_the_tags_zotero_and_link_previews_read(client, statement):
    meta = head_of(client.get(statement.get_absolute_url())).meta
    permalink = f"http://testserver/statements/{statement.pk}/"
    assert meta["citation_title"].startswith("We will strengthen the alliance {firmly} & 100%")
    assert meta["citation_author"] == "Cho Tae-yul"
    assert meta["citation_date"] == "2024/11/12"
    assert meta["citation_public_url"] == permalink
    assert meta["og:url"] == permalink
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Cho Tae-yul, 12 November 2024"
    assert meta["og:description"].startswith("“We will strengthen the alliance")


def test_bibtex_parses_with_the_fields_and_balanced_braces(client, statement):
    response = client.get(f"/statements/{statement.pk}/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert f'filename="diplotrack-{statement.pk}.bib"' in response["Content-Disposition"]
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.entry_type == "misc" and entry.key == f"diplotrack-{statement.pk}"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "{Cho Tae-yul}"  # Still braced once past the value's own: one literal name.
    assert fields["title"].startswith(r"We will strengthen the alliance \{firmly\} \& 100\% with")
    assert r"\#1\_a\textasciitilde{}b\textasciicircum{}c\textbackslash{}d" in fields["title"]
    assert fields["year"] == "2024" and fields["month"] == "11" and fields["date"] == "2024-11-12"
    assert fields["url"] == f"http://testserver/statements/{statement.pk}/"
    assert fields["urldate"] == timezone.localdate().isoformat()
    assert "Korea JoongAng Daily" in fields["note"]


def test_ris_parses_with_its_tags(client, statement):
    response = client.get(f"/statements/{statement.pk}/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "GEN"
    assert entry["authors"] == ["Cho Tae-yul"]
    assert entry["title"].startswith("We will strengthen the alliance {firmly} & 100%")
    assert entry["year"] == "2024"
    assert entry["date"] == "2024/11/12/"
    assert entry["urls"] == [f"http://testserver/statements/{statement.pk}/"]
    assert entry["access_date"] == timezone.localdate().strftime("%Y/%m/%d")
    assert entry["publisher"] == "DiploTrack"
    assert entry["secondary_title"] == "Alliance 'firmly maintained'"


def test_csl_json_is_valid_with_its_dates(client, statement):
    response = client.get(f"/statements/{statement.pk}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(response.content)
    jsonschema.validate(items, CSL_SCHEMA)
    [item] = items
    today = timezone.localdate()
    assert item["type"] == "speech"
    assert item["author"] == [{"literal": "Cho Tae-yul"}]
    assert item["issued"] == {"date-parts": [[2024, 11, 12]]}
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["genre"] == "Minister of Foreign Affairs, Ministry of Foreign Affairs"
    assert item["container-title"] == "Alliance 'firmly maintained'"
    assert item["URL"] == f"http://testserver/statements/{statement.pk}/"


def test_a_coarse_date_and_an_unnamed_speaker_without_source(client):
    organization = make_organization(name="Ministry of Foreign Affairs", country="JP")
    statement = make_statement(
        text="A long speech " * 200,
        organization=organization,
        attribution_text="a senior official",
        role="Spokesperson",
        date=datetime.date(2019, 9, 1),
        date_precision=Statement.DatePrecision.MONTH,
    )
    [item] = json.loads(client.get(f"/statements/{statement.pk}/cite.json").content)
    jsonschema.validate([item], CSL_SCHEMA)
    assert item["issued"] == {"date-parts": [[2019, 9]]}
    assert item["author"] == [{"literal": "a senior official"}]
    assert item["genre"] == "Spokesperson, Ministry of Foreign Affairs"
    assert item["title"].endswith("…") and len(item["title"].split()) == 60
    [entry] = bibtexparser.parse_string(client.get(f"/statements/{statement.pk}/cite.bib").content.decode()).entries
    assert entry.fields_dict["date"].value == "2019-09"
    [record] = rispy.loads(client.get(f"/statements/{statement.pk}/cite.ris").content.decode())
    assert record["date"] == "2019/09//"
    text = client.get(statement.get_absolute_url()).context["reference"].text
    assert "September 2019." in text and "Reported in" not in text


def test_drafts_have_no_citation_for_the_public(curator_client):
    draft = make_statement(status=Statement.Status.DRAFT)
    client = Client()
    for extension in ["bib", "ris", "json"]:
        assert client.get(f"/statements/{draft.pk}/cite.{extension}").status_code == 404
    assert curator_client.get(f"/statements/{draft.pk}/cite.bib").status_code == 200
    assert client.get("/statements/999999/cite.bib").status_code == 404
    assert client.get(f"/statements/{draft.pk}/cite.pdf").status_code == 404


def test_a_long_speechs_page_cuts_its_first_words_as_truncatewords_did_without_splitting_it_all(client, monkeypatch):
    """A speech's page (its description, its link preview, its citation), its embed and its source's page show its
    first words as Django's truncatewords gave them, from the first words alone: a UN speech holds thousands, and
    splitting all of them (Truncator) for forty was most of the page's Python."""
    words = [f"word{n}" for n in range(5000)]
    text = "Mr. President,\n\n" + "  ".join(" ".join(words[at : at + 12]) + "." for at in range(0, 5000, 12))
    source = make_source(title="General Debate", publisher="United Nations", url="https://un.example/speech")
    speech = make_statement(text=text, kind=Statement.Kind.SPEECH, source=source)
    expected = {count: Truncator(text).words(count, truncate=" …") for count in (40, 60, 70, 90)}
    title = Truncator(text).words(60)

    def split_all(*args, **kwargs):
        raise AssertionError("Truncator split the whole text")

    monkeypatch.setattr(Truncator, "words", split_all)
    response = client.get(speech.get_absolute_url())
    head = head_of(response)
    assert (head.meta["og:description"], head.meta["citation_title"]) == (f"“{expected[60]}”", title)
    assert f'<meta name="description" content="{expected[40]}">' in response.content.decode()
    assert (
        f"“{title}.”" not in response.context["reference"].text and f"“{title}”" in response.context["reference"].text
    )
    embed = client.get(f"/statements/{speech.pk}/embed/").content.decode()
    assert f"“{expected[70]}”" in embed
    assert f">{expected[90]}</blockquote>" in client.get(source.get_absolute_url()).content.decode()
