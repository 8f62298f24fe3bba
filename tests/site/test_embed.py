"""The quote card other sites may frame, the oEmbed answer that describes it, and its discovery link."""

import json
from html.parser import HTMLParser

import pytest

from statements.models import Statement
from tests.factories import make_official, make_source, make_statement
from tests.test_fuzz_everything import world  # noqa: F401  (the fixture: every public route's URLs)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    source = make_source(publisher="Yonhap", url="https://news.example/alliance")
    return make_statement(
        text="We will <strengthen> the alliance.", official=make_official(name="Cho Tae-yul"), source=source
    )


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))


def test_the_card_shows_words_speaker_date_and_source_and_may_be_framed(client, statement):
    response = client.get(f"/statements/{statement.pk}/embed/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "“We will &lt;strengthen&gt; the alliance.”" in body
    assert ">Cho Tae-yul</a>" in body and "12 November 2024" in body
    assert 'href="https://news.example/alliance" target="_blank" rel="noopener">Yonhap</a>' in body
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_drafts_have_no_card(curator_client):
    draft = make_statement(status=Statement.Status.DRAFT)
    assert curator_client.get(f"/statements/{draft.pk}/embed/").status_code == 404


def test_the_embed_route_alone_may_be_framed(client, world):  # noqa: F811
    for name, urls in world.items():
        for url in urls:
            response = client.get(url, follow=True)
            policy = response.get("Content-Security-Policy", "")
            if name == "statement_embed":
                assert "X-Frame-Options" not in response.headers, url
                assert "frame-ancestors *" in policy, url
            else:
                assert response["X-Frame-Options"] == "DENY", url
                assert "frame-ancestors 'none'" in policy, url


def test_the_page_links_its_oembed_answer(client, statement):
    parser = Links()
    parser.feed(client.get(statement.get_absolute_url()).content.decode())
    [link] = [link for link in parser.links if link.get("type") == "application/json+oembed"]
    href = link["href"]
    assert href.startswith("http://testserver/oembed/?url=http%3A%2F%2Ftestserver%2Fstatements%2F")
    answer = json.loads(client.get(href).content)
    assert answer["type"] == "rich"


def test_oembed_answers_a_rich_iframe(client, statement):
    url = f"http://testserver{statement.get_absolute_url()}"
    response = client.get("/oembed/", {"url": url, "format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = json.loads(response.content)
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["width"] == 500 and answer["height"] == 280
    assert answer["html"].startswith(f'<iframe src="http://testserver/statements/{statement.pk}/embed/" width="500"')
    assert answer["provider_name"] == "DiploTrack"
    assert answer["author_name"] == "Cho Tae-yul"
    assert answer["author_url"] == f"http://testserver{statement.official.get_absolute_url()}"
    # By id alone, its embed's own address, and within a consumer's bounds.
    for other in [
        f"http://testserver/statements/{statement.pk}/",
        f"http://testserver/statements/{statement.pk}/embed/",
    ]:
        answer = json.loads(client.get("/oembed/", {"url": other, "maxwidth": "300", "maxheight": "x"}).content)
        assert (answer["width"], answer["height"]) == (300, 280)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("", "give the full address"),
        ("/statements/1/", "give the full address"),
        ("javascript:alert(1)", "give the full address"),
        ("https://evil.example/statements/1/", "only this site's statements"),
        ("http://testserver/officials/", "not the address of a statement's page"),
        ("http://testserver/nowhere/", "not the address of a statement's page"),
    ],
)
def test_oembed_refuses_other_urls_with_a_reason(client, url, reason):
    response = client.get("/oembed/", {"url": url})
    assert response.status_code == 400
    assert reason in json.loads(response.content)["error"]


def test_oembed_404_for_unknown_or_unpublished_and_501_for_xml(client):
    draft = make_statement(status=Statement.Status.DRAFT)
    for pk in [draft.pk, 999999]:
        response = client.get("/oembed/", {"url": f"http://testserver/statements/{pk}/"})
        assert response.status_code == 404
    published = make_statement()
    response = client.get("/oembed/", {"url": f"http://testserver/statements/{published.pk}/", "format": "xml"})
    assert response.status_code == 501
    response = client.get("/oembed/", {"url": f"http://testserver/statements/{published.pk}/", "format": "yaml"})
    assert response.status_code == 400 and json.loads(response.content) == {"error": "format: use json"}
