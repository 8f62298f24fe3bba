"""Random and hostile requests at every public URL: never a server error, never markup taken from the input.

The URLs come from the URL patterns (a test fails when a new public route is not fuzzed here). The data is
hostile too: markup and control characters in a statement's words, an official's name, a topic, an
organization and a source; and control characters written with SQL past the models that normalise them.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements import alerts, photos
from statements.models import Alert, Photo, Statement
from statements.query import PARAMETERS
from statements.text import CONTROLS
from tests.adminforms import change_form_data
from tests.factories import (
    drop_text_checks,
    make_official,
    make_organization,
    make_position,
    make_source,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db

# C0 and C1 controls, DEL, a CRLF, and a noncharacter that is valid UTF-8 but not XML.
CONTROL = "\x0c\x0b\r\n\x01\x1b\x7f\x85\x9d\ufffe"
MARKUP = ["<script>alert(1)</script>", '"><svg onload=alert(2)>', "'><img src=x onerror=alert(3)>"]
# What must never come back as markup: the payloads' tags, as the browser would parse them.
HOSTILE_TAGS = {"svg", "img"}
SQL = ["'", '"', ";", "--", "%", "_", "\\", "/*"]
INJECTIONS = [*SQL, "' OR '1'='1", "1; DROP TABLE statements_statement; --", "a%_\\b", "*/ SELECT pg_sleep(5) /*"]
TRICKY = [*MARKUP, *INJECTIONS, "", " ", "\x00", "9" * 30, "-1", "0", "2024-02-30", "0001-01-01", "KR", "日本", "🇰🇷"]
TRICKY += ["a" * 2000, "&&", "|", "(", "<->", "a:*", "relevance", "date", "json", "openapi", "ko"]

# The explorer's filters and paging, as declared (statements.filters).
EXPLORER = list(PARAMETERS)
# The query parameters each kind of URL reads; the rest of the URLs read none, and get all of them anyway.
# A 1×1 PNG: the photo every official page of the world shows.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0d00000048101802c"
    "55ceb00000000049454e44ae426082"
)
PARAMETERS = {
    "explorer": EXPLORER,
    "timeline": [*EXPLORER, "interval"],
    "official_list": ["name", "country", "page"],
    "official_suggestions": ["official"],
    "api:official-list": ["name", "country", "page", "page_size"],
    "api:organization-list": ["name", "country", "kind", "page", "page_size"],
    "api:topic-list": ["parent", "page", "page_size"],
    "api:source-list": ["publisher", "kind", "published_from", "published_to", "page", "page_size"],
    "api_schema": ["format", "lang", "version"],
    "api_docs": ["lang", "script"],
    "oembed": ["url", "format", "maxwidth", "maxheight"],
    "compare": ["a", "b", "c", "d", *EXPLORER, "interval"],
    "official_photo": ["v"],
}
EVERY_PARAMETER = sorted({name for names in PARAMETERS.values() for name in names} | {"unknown", "format"})
EXPLORER_ROUTES = {"home", "statement_list", "statements_csv", "statement_feed", "official_detail", "official_feed"}
EXPLORER_ROUTES |= {"topic_detail", "topic_feed", "country_detail", "country_feed", "api:statement-list"}
# The timelines read the explorer's parameters and their interval.
TIMELINE_ROUTES = {"statement_timeline", "official_timeline", "topic_timeline", "country_timeline"}
TIMELINE_ROUTES |= {"timeline_csv", "timeline_json", "api:statement-timeline"}


@pytest.fixture
def world(db):
    """Published data with markup and control characters in every text a page shows, and the routes' URLs for it."""
    official = make_official(name=f"Evil {MARKUP[0]}{CONTROL} Official", native_name=MARKUP[1] + CONTROL)
    organization = make_organization(name=f"Ministry {MARKUP[2]}{CONTROL}", other_names=[CONTROL + "MOFA"])
    make_position(official=official, organization=organization, role=MARKUP[0] + CONTROL)
    topic = make_topic(name=f"Topic {MARKUP[1]}{CONTROL}", description=CONTROL)
    source = make_source(
        title=f"Article {MARKUP[2]}{CONTROL}", publisher=MARKUP[0] + CONTROL, full_text=CONTROL.join(MARKUP)
    )
    statement = make_statement(
        text=f"We said {CONTROL.join(MARKUP)}.",
        official=official,
        topics=[topic],
        mentions=["US"],
        source=source,
        occasion=MARKUP[1] + CONTROL,
        role=MARKUP[2] + CONTROL,
        attribution_text=CONTROL,
    )
    # The quotation in its context, marked on the statement's page: markup on both sides of it.
    statement.citations.update(start_offset=len(MARKUP[0]) + 3, end_offset=len(MARKUP[0]) + 20)
    make_statement(text="The alliance will be strengthened.", organization=organization, topics=[topic])
    image = photos.prepared(PNG)
    Photo.objects.create(
        official=official,
        image=image.data,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        digest=image.digest,
        credit=MARKUP[1] + CONTROL,
        license=MARKUP[2],
    )
    alert = Alert.objects.create(email="reader@example.com", query=f"topic={topic.slug}&q=%3Cscript%3E")
    alert_links = {name: urlsplit(url).path for name, url in alerts.links(alert).items()}
    return {
        "alert_subscribe": ["/alerts/subscribe/", f"/alerts/subscribe/?query=topic%3D{topic.slug}%26q%3D{MARKUP[1]}"],
        "alert_confirm": [reverse("alert_confirm", args=[alerts.sign("confirm", [alert.pk, alert.email, "daily"])])],
        "alert_unsubscribe": [alert_links["unsubscribe_url"]],
        "alert_manage": [alert_links["manage_url"]],
        "home": ["/"],
        "statement_list": ["/statements/"],
        "statement_detail": [f"/statements/{statement.pk}/", statement.get_absolute_url()],
        "statement_embed": [f"/statements/{statement.pk}/embed/"],
        "oembed": [f"/oembed/?url=http://testserver/statements/{statement.pk}/"],
        "statement_cite": [f"/statements/{statement.pk}/cite.{extension}" for extension in ["bib", "ris", "json"]],
        "statements_csv": ["/statements/export.csv"],
        "statement_timeline": ["/statements/timeline/", "/statements/timeline/?interval=year"],
        "timeline_csv": ["/statements/timeline.csv"],
        "timeline_json": ["/statements/timeline.json"],
        "statement_feed": ["/feeds/statements/"],
        "popolo": ["/export/popolo.json"],
        "official_list": ["/officials/"],
        "official_suggestions": ["/officials/suggestions/?official=evil"],
        "official_detail": [official.get_absolute_url()],
        "official_feed": [f"{official.get_absolute_url()}feed/"],
        "official_timeline": [f"{official.get_absolute_url()}timeline/"],
        "official_photo": [f"{official.get_absolute_url()}photo/", f"{official.get_absolute_url()}photo/?v=x"],
        "compare": [
            f"/compare/?a=country:KR&b=official:{official.slug}&topic={topic.slug}",
            "/compare/?a=q:said&b=country:US&c=q:alliance&interval=year",
        ],
        "topic_list": ["/topics/"],
        "topic_detail": [topic.get_absolute_url()],
        "topic_feed": [f"{topic.get_absolute_url()}feed/"],
        "topic_timeline": [f"{topic.get_absolute_url()}timeline/"],
        "country_list": ["/countries/"],
        "country_detail": ["/countries/KR/"],
        "country_feed": ["/countries/KR/feed/"],
        "country_timeline": ["/countries/KR/timeline/"],
        "source_detail": [source.get_absolute_url()],
        "api_schema": ["/api/schema/"],
        "api_docs": ["/api/docs/", "/api/docs/?script="],
        "api:api-root": ["/api/", "/api/.json"],
        "api:statement-list": ["/api/statements/", "/api/statements.json"],
        "api:statement-timeline": ["/api/statements/timeline/", "/api/statements/timeline.json"],
        "api:statement-detail": [f"/api/statements/{statement.pk}/", f"/api/statements/{statement.pk}.json"],
        "api:official-list": ["/api/officials/"],
        "api:official-detail": [f"/api/officials/{official.slug}/"],
        "api:organization-list": ["/api/organizations/"],
        "api:organization-detail": [f"/api/organizations/{organization.slug}/"],
        "api:topic-list": ["/api/topics/"],
        "api:topic-detail": [f"/api/topics/{topic.slug}/"],
        "api:source-list": ["/api/sources/"],
        "api:source-detail": [f"/api/sources/{source.pk}/"],
    }


# The text columns that pages, feeds, exports and the API show, with control characters written past the models.
SHOWN_TEXT = {
    "statements_statement": ["text", "original_text", "occasion", "attribution_text", "role"],
    "statements_official": ["name", "sort_name", "native_name"],
    "statements_organization": ["name"],
    "statements_position": ["role"],
    "statements_topic": ["name", "description"],
    "statements_source": ["title", "publisher", "author", "full_text"],
    "statements_country": ["name", "official_name"],
}
SHOWN_LISTS = {"statements_official": ["other_names"], "statements_organization": ["other_names"]}


@pytest.fixture
def controls_in_the_database(world):
    """The world, with control characters written into every text it shows with SQL, as a path that forgot to
    normalise would (the database's checks dropped first): the writers must hold on their own."""
    drop_text_checks()
    with connection.cursor() as cursor:
        for table, columns in SHOWN_TEXT.items():
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = %s || {column}' for column in columns)}",
                [CONTROL] * len(columns),
            )
        for table, columns in SHOWN_LISTS.items():
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = {column} || %s' for column in columns)}",
                [[CONTROL]] * len(columns),
            )
    return world


def route_names(patterns=None, namespace=""):
    """The names of every route outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from route_names(
                    pattern.url_patterns, f"{namespace}{pattern.namespace}:" * bool(pattern.namespace)
                )
        # The admin's view-on-site shortcut, guarded; the language switch, a form to post (tests/site/test_languages).
        elif not str(pattern.pattern).startswith("admin/") and pattern.name != "set_language":
            yield f"{namespace}{pattern.name}"


def urls_of(world):
    return [(name, url) for name, urls in world.items() for url in urls]


def all_urls(world):
    return [url for urls in world.values() for url in urls]


# The alerts' pages take forms (tests/site/test_alerts.py): every other public URL is read-only.
FORMS = {"alert_subscribe", "alert_confirm", "alert_unsubscribe", "alert_manage"}


def read_only_urls(world):
    return [url for name, urls in world.items() if name not in FORMS for url in urls]


def parameters_of(name):
    if name in TIMELINE_ROUTES:
        return PARAMETERS["timeline"]
    return PARAMETERS["explorer"] if name in EXPLORER_ROUTES else PARAMETERS.get(name, [])


def with_query(url, query):
    """The URL with more query parameters, after any it has."""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query if isinstance(query, str) else urlencode(query)}"


class Markup(HTMLParser):
    """The elements of a page that could run code: scripts, hostile tags and event handler attributes."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline <script>")
        # The timeline's chart and an official's photo (served by the site itself): no payload's.
        own = (tag == "svg" and attrs.get("class") == "timeline-chart") or (
            tag == "img" and re.fullmatch(r"/officials/[\w-]+/photo/\?v=\w+", attrs.get("src") or "")
        )
        if (tag in HOSTILE_TAGS and not own) or any(name.startswith("on") for name in attrs):
            self.problems.append(f"<{tag} {' '.join(attrs)}>")


def check(response, url):
    """No server error; HTML with no markup from the data or the request; JSON that parses."""
    # oEmbed's 501 for format=xml, as its specification asks, is the one 5xx a request may get.
    oembed_xml = response.status_code == 501 and response.wsgi_request.path == "/oembed/"
    assert response.status_code < 500 or oembed_xml, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        parser = Markup()
        parser.feed(body.decode())
        assert not parser.problems, (url, parser.problems)
    elif content_type.startswith("application/json"):
        json.loads(body)
    elif "xml" in content_type:
        ElementTree.fromstring(body)  # Well-formed XML 1.0: no character it cannot carry.
        assert b"<script" not in body, url


def test_every_public_route_is_fuzzed(world):
    assert set(route_names()) == set(world)


def test_every_public_url_answers_with_hostile_data_in_it(client, world):
    for url in all_urls(world):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        check(response, url)


def test_control_characters_in_the_data_are_stored_as_line_breaks_or_not_at_all(world):
    with connection.cursor() as cursor:
        for table, columns in (SHOWN_TEXT | SHOWN_LISTS).items():
            cursor.execute(f"SELECT {', '.join(f'{column}::text' for column in columns)} FROM {table}")
            stored = [value for row in cursor.fetchall() for value in row]
            assert not [value for value in stored if CONTROLS.search(value)], table
    # A form feed, a vertical tab and a CRLF are line breaks; \x85 is Windows-1252's ellipsis; the rest is gone.
    assert Statement.objects.filter(text__contains="</script>\n\n\n…\ufffe").exists()


def test_every_public_url_answers_with_control_characters_written_past_the_models(client, controls_in_the_database):
    for url in all_urls(controls_in_the_database):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        check(response, url)


@pytest.mark.slow
def test_sql_characters_in_every_filter(client, world):
    for name, url in urls_of(world):
        for value in INJECTIONS:
            everything = [(parameter, value) for parameter in parameters_of(name) or EVERY_PARAMETER]
            check(client.get(with_query(url, everything), follow=True), url)
    # The API stops at the first bad parameter: so each filter alone too, wherever one is read.
    for name, [url, *_] in world.items():
        for parameter in parameters_of(name) if name.startswith("api") else []:
            for value in SQL:
                check(client.get(with_query(url, [(parameter, value)])), (url, parameter, value))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_read_only_urls_get_405(world, method):
    # With CSRF checks, as in production: a read-only URL refuses the method itself, not as a forged form (403).
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for url in read_only_urls(world):
        response = getattr(client, method)(url, {"text": MARKUP[0]})
        assert response.status_code == 405, (method, url, response.status_code)
        assert "GET" in response["Allow"], (method, url, response["Allow"])


def test_options_and_head_never_fail(world):
    client = Client(raise_request_exception=False)
    for url in all_urls(world):
        assert client.options(url).status_code in {200, 405}, url
        assert client.head(url).status_code in {200, 301}, url


# Hypothesis -----------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Header values as a WSGI server hands them over: any byte but controls, undecodable UTF-8 included (as latin-1).
header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"))
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
values = text | st.sampled_from(TRICKY)
HEADERS = {
    "HX-Request": st.sampled_from(["true", "false", ""]) | header_text,
    "HX-History-Restore-Request": st.sampled_from(["true", "false"]) | header_text,
    "HX-Target": st.sampled_from(["results", "officials", "#<script>"]) | header_text,
    "HX-Current-URL": st.sampled_from(["http://testserver/statements/?q=x", "javascript:alert(1)"]) | header_text,
    "HX-Trigger": header_text,
    "Accept": st.sampled_from(
        ["application/json", "text/html", "*/*", "application/xml", "text/csv", "application/json; version=9", ";;q=x"]
    )
    | header_text,
    "Accept-Language": st.sampled_from(["ko-KR,ko;q=0.9", "xx-YY;q=abc", "*"]) | header_text,
    "Origin": st.sampled_from(["null", "https://evil.example", "http://testserver"]) | header_text,
    "Range": st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=abc", "bytes=9999999999-"]) | header_text,
    "If-None-Match": header_text,
    "If-Modified-Since": st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "yesterday"]) | header_text,
    "Cookie": st.sampled_from(
        [
            "sessionid=" + "a" * 8000,
            "csrftoken=" + "<script>" * 500,
            "; ".join(f"c{i}={'x' * 100}" for i in range(80)),
            "sessionid=\xff\xfe\xc3\x28; csrftoken=\x80",
            "=;=;;==",
        ]
    )
    | header_text,
    "User-Agent": header_text,
    "X-Forwarded-For": header_text,
    "X-Forwarded-Proto": st.sampled_from(["https", "http"]) | header_text,
}
headers = st.fixed_dictionaries({}, optional=HEADERS)
queries = st.lists(st.tuples(st.sampled_from(EVERY_PARAMETER) | text, values), max_size=6)
# Raw bytes after the "?": broken percent-encoding and invalid UTF-8 included.
raw_queries = st.text(alphabet="abcdefgqz=&%+;0123456789FFZ\"'<>/*-_\\", max_size=80)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_random_requests_never_fail(world, data):
    url = data.draw(st.sampled_from(all_urls(world)))
    query = data.draw(queries | raw_queries)
    client = Client(raise_request_exception=False)
    url = with_query(url, query)
    check(client.get(url, headers=data.draw(headers)), url)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_random_form_posts_never_fail(world, data):
    url = data.draw(st.sampled_from(read_only_urls(world)))
    form = dict(data.draw(st.lists(st.tuples(text, values), max_size=5)))
    client = Client(raise_request_exception=False, enforce_csrf_checks=data.draw(st.booleans()))
    sent = data.draw(headers)
    response = client.post(url, form, headers=sent)
    # 406: the API can answer in no format the Accept header takes.
    assert response.status_code in {405, 406 if "Accept" in sent else 405}, (url, response.status_code)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_random_posts_to_the_alerts_forms_never_fail(world, data):
    url = data.draw(st.sampled_from([url for name in sorted(FORMS) for url in world[name]]))
    fields = st.sampled_from(["email", "query", "frequency", "alert", "action"]) | text
    form = dict(data.draw(st.lists(st.tuples(fields, values | st.sampled_from(["daily", "cancel", "a@b.example"])))))
    client = Client(raise_request_exception=False, enforce_csrf_checks=data.draw(st.booleans()))
    check(client.post(url, form, headers=data.draw(headers)), url)


@pytest.mark.slow
@pytest.mark.parametrize("value", ["\x00", "k\x00r", "²", "①", "٣", "ı"])
def test_nul_characters_and_unicode_digits_in_every_parameter_and_path_segment(client, world, value):
    """NUL, which PostgreSQL cannot take, and characters that str.isdigit accepts and int() may not."""
    for name, url in urls_of(world):
        parameters = [(parameter, value) for parameter in parameters_of(name) or EVERY_PARAMETER]
        check(client.get(with_query(url, parameters), follow=True), (url, value))
        path, _, query = url.partition("?")
        segments = path.strip("/").split("/")
        for index in range(len(segments)):
            changed = "/" + "/".join([*segments[:index], quote(value), *segments[index + 1 :]]) + "/"
            check(client.get(with_query(changed, query), follow=True), changed)


@pytest.mark.slow
def test_a_lone_surrogate_in_every_parameter_and_path_segment(client, world):
    """No UTF-8 can encode one (JSON's, a page's): sent percent-encoded, it is read as U+FFFD, never written back."""
    for name, url in urls_of(world):
        parameters = "&".join(f"{parameter}=%ED%A0%80" for parameter in parameters_of(name) or EVERY_PARAMETER)
        check(client.get(with_query(url, parameters), follow=True), url)
        path, _, query = url.partition("?")
        segments = path.strip("/").split("/")
        for index in range(len(segments)):
            changed = "/" + "/".join([*segments[:index], "%ED%A0%80", *segments[index + 1 :]]) + "/"
            check(client.get(with_query(changed, query), follow=True), changed)


# What curators type --------------------------------------------------------------------------------------------

# Each curated model's free-text fields in its admin form, and what else its form needs to save.
CURATED = {
    "official": (["name", "sort_name", "native_name", "other_names"], {"slug": "slug-{n}"}),
    "organization": (["name", "other_names"], {"slug": "slug-{n}"}),
    "position": (["role"], {"official": "{official}", "organization": "{organization}"}),
    "topic": (["name", "description", "search_terms"], {"slug": "slug-{n}"}),
    "source": (["title", "publisher", "author", "full_text"], {}),
    "statement": (
        ["text", "original_text", "occasion", "attribution_text", "role"],
        {"official": "{official}", "date": "2024-11-12"},
    ),
}
# Every control character but NUL, which Django's form fields refuse with a message of their own.
typed = st.text(alphabet=st.characters(categories=["Cc"], exclude_characters="\x00") | st.sampled_from("ab \n"))


@pytest.mark.slow
@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_control_characters_typed_by_curators_are_saved_without_them(curator_client, data):
    """Saved, not refused by the database's checks (a 500) nor by the form: line breaks kept, the rest dropped."""
    official, organization = make_official(), make_organization()
    for model, (fields, needs) in CURATED.items():
        url = f"/admin/statements/{model}/add/"
        values = {
            name: value.format(n=official.pk, official=official.pk, organization=organization.pk)
            for name, value in needs.items()
        }
        posted = change_form_data(curator_client.get(url)) | values
        posted |= {name: f"Words{data.draw(typed)}more words" for name in fields}
        response = curator_client.post(url, posted)
        assert response.status_code == 302, (model, response.status_code, response.context["adminform"].form.errors)
        stored = apps.get_model("statements", model).objects.values_list(*fields).latest("id")
        stored = [text for value in stored for text in (value if isinstance(value, list) else [value])]
        assert not [value for value in stored if CONTROLS.search(value)], (model, stored)
