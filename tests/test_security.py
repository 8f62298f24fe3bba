"""Who may see what, login lockouts, the security headers and Content Security Policy, and logs without people."""

import datetime
import io
import json
import logging
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from diplotrack.logs import JsonFormatter
from statements.models import Statement
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
PASSWORD = "a-long-curator-password"


# The Content Security Policy and the other headers ----------------------------------------------------------------


def policy(response):
    """The Content-Security-Policy header as {directive: set of sources}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: set(sources) for name, *sources in directives}


def test_public_pages_send_the_security_headers(client):
    response = client.get("/", secure=True)
    assert policy(response) == {
        "default-src": {"'self'"},
        "script-src": {"'self'"},
        "style-src": {"'self'"},
        "img-src": {"'self'"},
        "object-src": {"'none'"},
        "base-uri": {"'none'"},
        "form-action": {"'self'"},
        "frame-ancestors": {"'none'"},
    }
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_htmx_fragments_have_the_policy_too(client):
    response = client.get("/statements/?q=alliance", headers={"HX-Request": "true"})
    assert policy(response)["script-src"] == {"'self'"}


def test_only_the_api_docs_allow_inline_styles(client):
    """Swagger UI's page has a <style> element and data: images in its CSS; its script is a file."""
    docs = client.get("/api/docs/")
    assert policy(docs)["style-src"] == {"'self'", "'unsafe-inline'"}
    assert policy(docs)["img-src"] == {"'self'", "data:"}
    assert policy(docs)["script-src"] == {"'self'"}
    scripts = Tags.of(docs.content.decode()).scripts
    assert all(script.get("src") for script in scripts)
    init = client.get(next(script["src"] for script in scripts if script["src"].startswith("/api/docs/")))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")


class Tags(HTMLParser):
    """The <script> and <style> elements of a page, and the inline style and event handler attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.inline = [], [], []

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        elif tag == "style":
            self.styles.append(attrs)
        self.inline += [f"<{tag} {name}>" for name in attrs if name == "style" or name.startswith("on")]


@pytest.fixture
def published(db):
    official = make_official(name="Cho Tae-yul")
    topic = make_topic(name="Alliance")
    source = make_source(title="An article")
    statement = make_statement(text="The alliance will hold.", official=official, topics=[topic], source=source)
    return statement


def public_pages(statement):
    official, topic, source = statement.official, statement.topics.get(), statement.citations.get().source
    return [
        "/",
        "/statements/?q=alliance",
        statement.get_absolute_url(),
        "/officials/",
        "/officials/?name=cho",
        f"/officials/{official.slug}/",
        "/officials/suggestions/?official=cho",
        "/topics/",
        f"/topics/{topic.slug}/",
        "/countries/",
        "/countries/KR/",
        f"/sources/{source.pk}/",
    ]


def test_no_public_page_has_inline_scripts_or_styles(client, published):
    for url in public_pages(published):
        for headers in [{}, {"HX-Request": "true"}]:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            tags = Tags.of(response.content.decode())
            assert all(script.get("src", "").startswith("/static/") for script in tags.scripts), (url, tags.scripts)
            assert not tags.styles, url
            assert not tags.inline, (url, tags.inline)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    return client


def test_no_admin_page_has_an_inline_script(superuser_client, published):
    source = published.citations.get().source
    source.full_text = "“The alliance will hold,” the minister said."
    source.save()
    history_id = published.history.latest().history_id
    urls = [
        "/admin/",
        "/admin/statements/statement/",
        "/admin/statements/statement/add/",
        f"/admin/statements/statement/{published.pk}/change/",
        f"/admin/statements/statement/{published.pk}/history/",
        f"/admin/statements/statement/{published.pk}/history/{history_id}/",
        "/admin/statements/official/",
        f"/admin/statements/official/{published.official.pk}/change/",
        "/admin/statements/source/",
        f"/admin/statements/source/{source.pk}/change/",
        "/admin/statements/source/ingest/",
        f"/admin/statements/source/{source.pk}/review/",
        "/admin/statements/topic/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
        "/admin/password_change/",
    ]
    for url in urls:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        scripts = Tags.of(response.content.decode()).scripts
        assert all(script.get("src") for script in scripts), (url, scripts)


def test_the_login_page_has_no_inline_script(client):
    response = client.get("/admin/login/")
    assert all(script.get("src") for script in Tags.of(response.content.decode()).scripts)


# Visitors ---------------------------------------------------------------------------------------------------------


HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": "http://testserver/"}


@pytest.mark.parametrize("status", [Statement.Status.DRAFT, Statement.Status.RETRACTED])
def test_a_visitor_never_reaches_an_unpublished_statement(client, status):
    official = make_official(name="Kim Min-jun")
    topic = make_topic(name="Unification")
    statement = make_statement(text="Zyxwvut unpublished words.", official=official, topics=[topic], status=status)
    for headers in [{}, HTMX]:
        for url in [f"/statements/{statement.pk}/", f"/statements/{statement.pk}/{statement.slug}/"]:
            assert client.get(url, headers=headers).status_code == 404, url
        assert client.get(f"/api/statements/{statement.pk}/", headers=headers).status_code == 404
        # The official has no published statement: unknown to visitors.
        assert client.get(f"/officials/{official.slug}/", headers=headers).status_code == 404
        assert client.get(f"/officials/{official.slug}/feed/", headers=headers).status_code == 404
        listings = [
            "/statements/?q=zyxwvut",
            "/statements/",
            f"/topics/{topic.slug}/",
            "/countries/KR/",
            "/feeds/statements/",
            "/statements/export.csv",
            "/export/popolo.json",
            "/api/statements/?q=zyxwvut",
            "/api/statements/",
        ]
        for url in listings:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert b"Zyxwvut" not in body, url


@pytest.fixture
def draft_only(db):
    """An official, an organization (parent of a public one), a position and a source that only a draft has."""
    official = make_official(name="Zyxwvut Official", country="KR")
    organization = make_organization(name="Zyxwvut Ministry", country="KR")
    make_position(official=official, organization=organization, role="Zyxwvut envoy")
    embassy = make_organization(name="Embassy of Korea", country="KR", parent=organization)
    make_statement(text="Published words of the embassy.", organization=embassy)
    source = make_source(title="Zyxwvut article", author="Zyxwvut Reporter", url="https://example.com/zyxwvut")
    draft = make_statement(
        text="Words still in draft.", official=official, organization=organization, source=source, status="draft"
    )
    return {"official": official, "organization": organization, "embassy": embassy, "source": source, "draft": draft}


# What a draft's speaker, body, role and source would tell, beside its words (the typed names below are misspelled).
DRAFT_ONLY = ["Zyxwvut Official", "zyxwvut-official", "Zyxwvut Ministry", "zyxwvut-ministry", "Zyxwvut envoy"]
DRAFT_ONLY += ["Zyxwvut article", "Zyxwvut Reporter", "example.com/zyxwvut"]


def draft_only_routes(found):
    """Pages and details (404 until published), and lists, searches and exports (200, without the names)."""
    official, organization, source = found["official"], found["organization"], found["source"]
    details = [
        f"/officials/{official.slug}/",
        f"/officials/{official.slug}/feed/",
        f"/sources/{source.pk}/",
        f"/api/officials/{official.slug}/",
        f"/api/organizations/{organization.slug}/",
        f"/api/sources/{source.pk}/",
    ]
    listings = [
        "/officials/?name=Zyxwvut+Oficial",
        "/officials/suggestions/?official=Zyxwvut+Oficial",
        "/countries/KR/",
        "/statements/?official=Zyxwvut+Oficial",  # "showing Zyxwvut Official, the closest name"
        "/statements/?organization=Zyxwvut+Minstry",
        "/api/officials/",
        "/api/officials/?name=Zyxwvut+Oficial",
        "/api/organizations/",
        f"/api/organizations/{found['embassy'].slug}/",  # Its parent.
        "/api/sources/",
        "/export/popolo.json",  # Persons, organizations and their parents, memberships.
    ]
    return details, listings


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_what_exists_only_for_drafts_is_public_once_a_statement_is_published(client, draft_only):
    details, listings = draft_only_routes(draft_only)
    found = [url for url in details if client.get(url).status_code != 404]
    for url in listings:
        response = client.get(url)
        assert response.status_code == 200, url
        found += [f"{url}: {name}" for name in DRAFT_ONLY if name in body(response)]
    assert not found

    draft_only["draft"].review(Statement.Status.PUBLISHED)
    draft_only["draft"].save()
    expected = {
        "/officials/?name=Zyxwvut+Oficial": "Zyxwvut Official",
        "/officials/suggestions/?official=Zyxwvut+Oficial": "Zyxwvut Official",
        "/countries/KR/": "Zyxwvut Official",
        "/statements/?official=Zyxwvut+Oficial": "showing Zyxwvut Official, the closest name",
        "/statements/?organization=Zyxwvut+Minstry": "showing Zyxwvut Ministry, the closest name",
        "/api/officials/": "zyxwvut-official",
        "/api/officials/?name=Zyxwvut+Oficial": "zyxwvut-official",
        "/api/organizations/": "zyxwvut-ministry",
        f"/api/organizations/{draft_only['embassy'].slug}/": f'"parent":"{draft_only["organization"].slug}"',
        "/api/sources/": "Zyxwvut Reporter",
        "/export/popolo.json": '"role": "Zyxwvut envoy"',
    }
    missing = [url for url in details if client.get(url).status_code != 200]
    missing += [url for url in listings if expected[url] not in body(client.get(url))]
    assert not missing
    popolo = json.loads(body(client.get("/export/popolo.json")))
    embassy = next(o for o in popolo["organizations"] if o["name"] == "Embassy of Korea")
    assert embassy["parent_id"] == f"organization/{draft_only['organization'].slug}"


def test_curators_still_see_the_pages_of_what_only_drafts_have(curator_client, draft_only):
    assert curator_client.get(f"/officials/{draft_only['official'].slug}/").status_code == 200
    assert curator_client.get(f"/sources/{draft_only['source'].pk}/").status_code == 200
    assert "Zyxwvut Official" in curator_client.get("/officials/suggestions/?official=Zyxwvut").content.decode()


def test_the_view_on_site_shortcut_needs_the_view_permission(client, draft_only):
    from django.contrib.contenttypes.models import ContentType

    draft = draft_only["draft"]
    url = f"/admin/r/{ContentType.objects.get_for_model(Statement).pk}/{draft.pk}/"
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(User.objects.create_user("intern", password=PASSWORD, is_staff=True))
    response = client.get(url)
    assert response.status_code == 403 and draft.slug not in response.get("Location", "")
    client.force_login(make_curator())
    assert client.get(url)["Location"].endswith(draft.get_absolute_url())


@pytest.fixture
def statement_with_history(db):
    statement = make_statement(text="Curated words.", status=Statement.Status.DRAFT)
    source = make_source(title="A pasted article", full_text="“Curated words,” she said.")
    return statement, source


def private_urls(statement, source):
    history_id = statement.history.latest().history_id
    return [
        "/admin/",
        "/admin/statements/statement/",
        "/admin/statements/statement/add/",
        f"/admin/statements/statement/{statement.pk}/change/",
        f"/admin/statements/statement/{statement.pk}/history/",
        f"/admin/statements/statement/{statement.pk}/history/{history_id}/",
        "/admin/statements/source/",
        "/admin/statements/source/ingest/",
        f"/admin/statements/source/{source.pk}/review/",
        "/admin/statements/official/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ]


def test_a_visitor_is_sent_to_the_login_page_from_every_admin_page(client, statement_with_history):
    for url in private_urls(*statement_with_history):
        for headers in [{}, HTMX]:
            response = client.get(url, headers=headers)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login") + "?next="), url
        response = client.post(url, {"full_text": "x", "title": "x"}, headers=HTMX)
        assert response.status_code == 302, url
    assert Statement.objects.count() == 1


def test_a_visitor_cannot_ingest_an_article(client):
    response = client.post(
        "/admin/statements/source/ingest/", {"title": "Planted", "full_text": "“Planted,” he said."}
    )
    assert response.status_code == 302
    assert not Statement.objects.exists()


def test_staff_outside_the_curators_group_is_refused(client, statement_with_history):
    client.force_login(User.objects.create_user("intern", password=PASSWORD, is_staff=True))
    assert client.get("/admin/").status_code == 200  # The index, saying there is nothing for them.
    for url in private_urls(*statement_with_history)[1:]:
        for headers in [{}, HTMX]:
            assert client.get(url, headers=headers).status_code == 403, url
    statement, _ = statement_with_history
    response = client.post(f"/admin/statements/statement/{statement.pk}/change/", {"text": "Changed."})
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.text == "Curated words."


# Logins -----------------------------------------------------------------------------------------------------------


def log_in(client, password, address="198.51.100.7", username="curator"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", data, REMOTE_ADDR=address)


def test_repeated_failed_logins_lock_the_curator_out(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong password")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    response = log_in(client, "wrong password")
    assert response.status_code == 429
    assert b"too many login attempts" in response.content

    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/statements/statement/").status_code == 302


def test_the_lockout_is_for_one_username_from_one_address(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 429
    # The same curator from elsewhere, and another name from the same address, may still log in.
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    assert log_in(client, PASSWORD, username="other").status_code == 302
    client.logout()
    assert log_in(client, PASSWORD, address="203.0.113.9").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_successful_login_forgets_the_failures(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong password")
    assert log_in(client, PASSWORD).status_code == 302


def log_in_through_the_proxy(client, proxy, password, forwarded_for, **extra):
    """A login POST as the trusted proxy forwards it: X-Forwarded-For ends with the address the proxy saw."""
    data = {"username": "curator", "password": password, "next": "/admin/"}
    headers = {"X-Forwarded-For": forwarded_for}
    return client.post("/admin/login/?next=/admin/", data, headers=headers, **proxy, **extra)


def test_behind_the_proxy_an_attacker_locks_out_only_their_own_address(client, curator, settings, behind_a_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes the curator's address first; the proxy appends the one it saw.
        log_in_through_the_proxy(client, behind_a_proxy, "wrong password", "198.51.100.7, 203.0.113.66")
    assert log_in_through_the_proxy(client, behind_a_proxy, PASSWORD, "203.0.113.66").status_code == 429
    assert log_in_through_the_proxy(client, behind_a_proxy, PASSWORD, "198.51.100.7").status_code == 302


def test_a_curator_is_told_of_the_failed_logins_since_their_last_login(
    client, curator, settings, behind_a_proxy, log_lines
):
    log_in_through_the_proxy(client, behind_a_proxy, "wrong password", "198.18.0.1")  # Before the last login.
    assert log_in_through_the_proxy(client, behind_a_proxy, PASSWORD, "198.51.100.7").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in_through_the_proxy(client, behind_a_proxy, "wrong password", "203.0.113.66")
    log_in_through_the_proxy(client, behind_a_proxy, "wrong password", "203.0.113.99")

    response = log_in_through_the_proxy(client, behind_a_proxy, PASSWORD, "198.51.100.7", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    [notice] = [str(message) for message in response.context["messages"]]
    failures = settings.AXES_FAILURE_LIMIT + 2
    assert notice.startswith(f"Since your last login, {failures} failed logins on your username: 203.0.113.99 (on ")
    assert f"; 203.0.113.66 ({failures - 1}, the last on " in notice
    assert "198.18.0.1" not in notice
    assert "203.0.113.66" in response.content.decode()

    client.logout()
    response = log_in_through_the_proxy(client, behind_a_proxy, PASSWORD, "198.51.100.7", follow=True)
    assert not list(response.context["messages"])
    # The curator sees the addresses; the logs never hold them.
    logged = json.dumps(log_lines())
    assert not any(address in logged for address in ["203.0.113", "198.51.100", "198.18.0"])


# Logs ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """The JSON lines that the project's formatter writes while the test runs, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_request_has_one_log_line_without_personal_data(curator_client, published, log_lines):
    response = curator_client.get(
        "/statements/?q=Jane+Citizen&official=jane",
        headers={"User-Agent": "Secret-Browser/1.0", "Referer": "https://elsewhere.example/jane"},
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 200
    [line] = [line for line in log_lines() if line["logger"] == "diplotrack.requests"]
    assert set(line) == {"time", "level", "logger", "message", "request_id", "method", "path", "status"} | {
        "duration_ms",
        "size",
    }
    assert line["method"] == "GET"
    assert line["path"] == "/statements/"
    assert line["status"] == 200
    assert line["size"] == len(response.content)
    assert line["duration_ms"] > 0
    assert line["request_id"] == response["X-Request-ID"]
    text = json.dumps(line).lower()
    session = curator_client.cookies["sessionid"].value.lower()
    for personal in ["jane", "citizen", "secret-browser", "elsewhere", "203.0.113.77", "curator", session]:
        assert personal not in text


def test_an_error_is_logged_with_its_request_and_traceback(client, published, log_lines, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the facets broke")

    monkeypatch.setattr("statements.facets.count", broken)
    client.raise_request_exception = False
    response = client.get("/statements/?q=Jane")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    [error] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert (error["method"], error["path"], error["status"]) == ("GET", "/statements/", 500)
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: the facets broke" in error["exception"]
    assert "Jane" not in json.dumps(error)
