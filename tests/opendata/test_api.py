import datetime
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from statements.models import Statement
from tests.factories import make_official, make_organization, make_position, make_source, make_statement, make_topic

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    topic = make_topic(name="Peninsula security")
    subtopic = make_topic(name="Denuclearization talks", parent=topic)
    cho = make_official(name="Cho Tae-yul", country="KR", other_names=["Tae-yul Cho"], wikidata_id="Q123")
    ministry = make_organization(name="Ministry of Foreign Affairs", country="KR")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    source = make_source(title="An article", url="https://example.com/a", publisher="Yonhap")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    statements = [
        make_statement(
            text="The alliance will be strengthened.",
            official=cho,
            topics=[topic],
            mentions=["US"],
            source=source,
            date=datetime.date(2024, 11, 12),
        ),
        make_statement(
            text="No need to doubt denuclearization.",
            organization=ministry,
            attribution_text="a senior official",
            topics=[subtopic],
            date=datetime.date(2024, 11, 11),
        ),
        make_statement(
            text="Japan supports the alliance in the Pacific.",
            official=kamikawa,
            date=datetime.date(2023, 9, 20),
            kind="speech",
        ),
    ]
    for day in range(1, 29):
        make_statement(
            text=f"Routine remark {day} on the alliance.", official=kamikawa, date=datetime.date(2022, 2, day)
        )
    make_statement(text="A draft on the alliance.", official=cho, status=Statement.Status.DRAFT)
    return {"cho": cho, "ministry": ministry, "topic": topic, "source": source, "statements": statements}


def test_the_statement_list_carries_everything_a_statement_has(client, world):
    response = client.get("/api/statements/?official=cho-tae-yul")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "count_is_estimate", "ranked_among", "next", "previous", "facets", "results"}
    assert body["count_is_estimate"] is False
    assert body["ranked_among"] is None  # Not by relevance.
    assert body["count"] == 1
    statement = body["results"][0]
    assert statement["text"] == "The alliance will be strengthened."
    assert statement["official"]["slug"] == "cho-tae-yul"
    assert statement["official"]["url"].endswith("/api/officials/cho-tae-yul/")
    assert statement["role"] == "Minister of Foreign Affairs"
    assert statement["country"] == {"code": "KR", "name": "South Korea"}
    assert (statement["date"], statement["date_precision"], statement["kind"], statement["language"]) == (
        "2024-11-12",
        "day",
        "direct",
        "en",
    )
    assert [topic["slug"] for topic in statement["topics"]] == ["peninsula-security"]
    assert statement["mentioned_countries"] == [{"code": "US", "name": "United States"}]
    assert statement["sources"][0]["url"] == "https://example.com/a"
    assert statement["sources"][0]["publisher"] == "Yonhap"
    assert statement["html_url"].endswith(world["statements"][0].get_absolute_url())
    assert client.get(statement["url"]).json()["id"] == statement["id"]


def test_every_link_in_an_answer_is_the_address_of_what_it_names(client, world):
    # Each pattern is reversed once an answer (serializers.Link): the addresses must be the records' own.
    topic = client.get("/api/topics/peninsula-security/").json()
    statement = client.get("/api/statements/?official=cho-tae-yul").json()["results"][0]
    for url, slug in [(statement["official"]["url"], "cho-tae-yul"), (statement["topics"][0]["url"], topic["slug"])]:
        assert url.startswith("http://testserver/api/") and client.get(url).json()["slug"] == slug
    assert client.get(statement["url"]).json()["url"] == statement["url"]
    assert client.get(statement["html_url"]).status_code == 200
    # Asked for with a format suffix, the links keep it, as DRF writes them.
    suffixed = client.get("/api/statements.json?official=cho-tae-yul").json()["results"][0]
    assert suffixed["url"] == statement["url"].removesuffix("/") + ".json"
    assert suffixed["official"]["url"] == statement["official"]["url"].removesuffix("/") + ".json"


def test_an_unnamed_speaker_comes_with_attribution_and_organization(client, world):
    statement = client.get("/api/statements/?topic=denuclearization-talks").json()["results"][0]
    assert statement["official"] is None
    assert statement["organization"]["slug"] == world["ministry"].slug
    assert statement["attribution_text"] == "a senior official"


def test_pages_link_to_the_next_and_previous(client, world):
    first = client.get("/api/statements/").json()
    assert first["count"] == 31 and len(first["results"]) == 25 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6 and second["next"] is None
    assert client.get(second["previous"]).json() == first
    assert len(client.get("/api/statements/?page_size=100").json()["results"]) == 31


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2",
        "country=KR",
        "country=kr&country=JP",
        "topic=peninsula-security",
        "q=alliance",
        "q=alliance&sort=relevance",
        "q=alliance&sort=date&page=2",
        "mentions=US",
        "kind=speech",
        "date_from=2023-01-01&date_to=2024-11-11",
        "official=Tae-yul+Cho",
    ],
)
def test_the_api_lists_exactly_what_the_explorer_lists(client, world, query):
    explorer = [s["pk"] for s in client.get(f"/statements/?{query}").context["page"].object_list]
    api = [s["id"] for s in client.get(f"/api/statements/?{query}").json()["results"]]
    assert api == explorer
    assert (
        client.get(f"/api/statements/?{query}").json()["count"]
        == client.get(f"/statements/?{query}").context["facets"].total
    )


def test_drafts_are_not_in_the_api(client, world):
    draft = Statement.objects.get(status=Statement.Status.DRAFT)
    assert draft.pk not in [s["id"] for s in client.get("/api/statements/?page_size=100").json()["results"]]
    assert client.get(f"/api/statements/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "parameter", "reason"),
    [
        ("/api/statements/?country=XX", "country", "there is no such country"),
        ("/api/statements/?topic=nothing", "topic", "there is no such topic"),
        ("/api/statements/?date_from=2024-13-01", "date_from", "not a date: use YYYY-MM-DD"),
        ("/api/statements/?date_from=2024-02-01&date_to=2024-01-01", "date_from", "it is after date_to"),
        ("/api/statements/?kind=rumour", "kind", "use one of"),
        ("/api/statements/?q=%22%22", "q", "no words"),
        ("/api/statements/?sort=relevance", "sort", "needs search words"),
        ("/api/statements/?official=zzqqxx", "official", "no official has a name like it"),
        ("/api/statements/?page=abc", "page", "not a page between 1 and 2"),
        ("/api/statements/?page=3", "page", "not a page between 1 and 2"),
        ("/api/statements/?page=%C2%B2", "page", "not a page between 1 and 2"),
        ("/api/statements/?page_size=%C2%B2", "page_size", "not a number from 1 to 100"),
        ("/api/statements/?date_from=10/25/2024", "date_from", "not a date: use YYYY-MM-DD"),
        ("/api/statements/?page_size=1000", "page_size", "not a number from 1 to 100"),
        ("/api/officials/?page=0", "page", "not a page"),
        ("/api/organizations/?kind=club", "kind", "valid choice"),
        ("/api/sources/?published_from=yesterday", "published_from", "valid date"),
        ("/api/sources/?published_from=10/25/2024", "published_from", "valid date"),
        ("/api/statements/?lang=e%E2%84%AA", "lang", "use a language code"),  # A Kelvin sign: "k" in lower case.
        ("/api/statements/?page=", "page", "not a page"),
    ],
)
def test_malformed_parameters_get_a_400_naming_them(client, world, url, parameter, reason):
    response = client.get(url)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(error["parameter"] == parameter and reason in error["reason"] for error in errors), errors


def test_officials_organizations_topics_and_sources(client, world):
    officials = client.get("/api/officials/?name=Tae-yul").json()
    assert [official["slug"] for official in officials["results"]] == ["cho-tae-yul"]
    cho = client.get("/api/officials/cho-tae-yul/").json()
    assert cho["other_names"] == ["Tae-yul Cho"] and cho["wikidata_id"] == "Q123"
    assert cho["positions"][0]["role"] == "Minister of Foreign Affairs"
    assert client.get(cho["statements_url"]).json()["count"] == 1
    assert [o["slug"] for o in client.get("/api/officials/?country=jp").json()["results"]] == ["kamikawa-yoko"]

    organizations = client.get("/api/organizations/?country=KR&kind=ministry").json()["results"]
    assert [organization["slug"] for organization in organizations] == [world["ministry"].slug]
    topic = client.get("/api/topics/peninsula-security/").json()
    assert topic["children"] == ["denuclearization-talks"]
    assert (
        client.get("/api/topics/?parent=peninsula-security").json()["results"][0]["slug"] == "denuclearization-talks"
    )
    source = client.get(f"/api/sources/{world['source'].pk}/").json()
    assert source["url"] == "https://example.com/a"
    assert client.get("/api/sources/?publisher=yonhap").json()["count"] == 1
    assert client.get("/api/officials/nobody/").status_code == 404


def test_the_statement_list_runs_a_fixed_number_of_queries(client, world):
    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/api/statements/?page_size={size}")
        return len(captured)

    queries(2)  # The topics and countries, read once for the data version (statements.filters.reference).
    assert queries(2) == queries(30)


def test_anonymous_clients_are_throttled(client, world, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    responses = [client.get("/api/topics/") for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert int(responses[-1].headers["Retry-After"]) > 0
    cache.clear()


def test_a_forwarded_for_header_makes_no_new_client_without_a_trusted_proxy(client, world, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    statuses = [
        client.get("/api/topics/", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(client, world, settings, behind_a_proxy):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()

    def status(forwarded_for):
        return client.get("/api/topics/", headers={"X-Forwarded-For": forwarded_for}, **behind_a_proxy).status_code

    # What the client wrote before the proxy's entry changes nothing; another client behind the proxy is counted apart.
    assert [status(f"198.51.100.{n}, 203.0.113.5") for n in range(4)] == [200, 200, 200, 429]
    assert status("203.0.113.6") == 200
    cache.clear()


def test_the_api_answers_while_redis_is_unreachable(client, world, settings, caplog):
    """The rate limit is off until it is back, with an error logged: better than no API at all."""
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = settings.CACHES | {"default": unreachable}
    settings.API_ANONYMOUS_RATE = "3/minute"
    statuses = [client.get("/api/topics/", REMOTE_ADDR="203.0.113.50").status_code for _ in range(4)]
    assert statuses == [200] * 4
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.getMessage() for record in errors] == ["Rate limit not applied: the cache is unreachable"] * 4
    assert "203.0.113.50" not in caplog.text


def test_any_site_may_read_the_api(client, world):
    response = client.get("/api/statements/", HTTP_ORIGIN="https://newsroom.example")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/admin/", HTTP_ORIGIN="https://x.example").headers


def test_the_openapi_schema_and_its_documentation_page(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/statements/"]["get"]["parameters"]}
    assert {"q", "country", "mentions", "topic", "official", "date_from", "date_to", "sort", "page"} <= parameters
    assert "/api/officials/{slug}/" in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


LISTS = ["/api/statements/", "/api/officials/", "/api/organizations/", "/api/topics/", "/api/sources/"]


def test_the_schema_documents_every_answer_and_the_paging_bounds(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert len(schema["paths"]) == 11
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert set(responses) == {"200", "404" if "{" in path else "400", "429", "503"}, path
        assert all(responses[status]["headers"]["Retry-After"]["required"] for status in ["429", "503"])
    answer = schema["paths"]["/api/statements/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/StatementPage"}
    for path in LISTS:
        parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert (parameters["page"]["minimum"], parameters["page"]["maximum"]) == (1, 400), path
        assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100), path


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        *[("/api/statements/", name) for name in ["q", "country", "topic", "official", "kind", "lang", "sort"]],
        *[("/api/statements/", name) for name in ["date_from", "date_to", "mentions", "organization"]],
        ("/api/officials/", "name"),
        ("/api/organizations/", "kind"),
        ("/api/topics/", "parent"),
        ("/api/sources/", "kind"),
        ("/api/sources/", "published_from"),
    ],
)
def test_an_empty_filter_is_no_filter_as_the_schema_says(client, world, path, parameter):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    declared = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert declared[parameter].get("allowEmptyValue") is True
    answer, empty = client.get(path).json(), client.get(path, {parameter: ""}).json()
    links = {"next", "previous"}  # They repeat the parameters as given.
    assert {key: empty[key] for key in empty.keys() - links} == {key: answer[key] for key in answer.keys() - links}


def test_the_schema_generates_without_a_warning_and_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema understands it (a null alternative)."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def test_every_answer_matches_the_published_schema(client, world):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = json_schema(schema["components"])
    nobody = make_organization(name="A body of no country", country=None)
    make_statement(text="Words of a body.", organization=nobody, source=make_source(published_on=None))
    for path, name in [
        ("/api/statements/", "StatementPage"),
        ("/api/statements/timeline/", "Timeline"),
        ("/api/officials/", "PaginatedOfficialList"),
        ("/api/organizations/", "PaginatedOrganizationList"),
        ("/api/topics/", "PaginatedTopicList"),
        ("/api/sources/", "PaginatedSourceList"),
    ]:
        validator = jsonschema.Draft7Validator({"$ref": f"#/components/schemas/{name}", "components": components})
        errors = [
            f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(client.get(path).json())
        ]
        assert not errors, (path, errors[:5])


def documented(schema, path, status):
    """A validator for the body of an operation's documented answer."""
    body = schema["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    return jsonschema.Draft7Validator({**body, "components": json_schema(schema["components"])})


def test_every_documented_error_is_the_answer_given(client, world, settings, monkeypatch):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    answers = [
        ("/api/statements/", "/api/statements/?country=XX&page=0", 400),
        ("/api/statements/timeline/", "/api/statements/timeline/?interval=day&topic=none", 400),
        ("/api/sources/", "/api/sources/?page=9", 400),
        ("/api/officials/{slug}/", "/api/officials/nobody/", 404),
        ("/api/sources/{id}/", "/api/sources/1.5/", 404),
        ("/api/statements/{id}/", "/api/statements/not-a-number/", 404),
    ]
    for path, url, status in answers:
        response = client.get(url)
        assert response.status_code == status, url
        assert list(documented(schema, path, status).iter_errors(response.json())) == [], url

    settings.API_ANONYMOUS_RATE = "1/minute"
    cache.clear()
    throttled = [client.get("/api/topics/") for _ in range(2)][-1]
    cache.clear()
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert list(documented(schema, "/api/topics/", 429).iter_errors(throttled.json())) == []

    def unreachable(filterset):
        raise OperationalError("connection refused")

    monkeypatch.setattr("statements.facets.count", unreachable)
    unavailable = client.get("/api/statements/")
    assert unavailable.status_code == 503 and int(unavailable.headers["Retry-After"]) > 0
    assert list(documented(schema, "/api/statements/", 503).iter_errors(unavailable.json())) == []


def test_addresses_under_the_api_that_lead_nowhere_get_its_json_404(client):
    for url in ["/api/nothing/", "/api/nothing", "/api/sources/1.5/", "/api/officials/a.b/"]:
        response = client.get(url)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), url
    page = client.get("/nothing/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_the_api_stops_at_the_explorers_last_page(client, world, monkeypatch):
    from statements import query

    monkeypatch.setattr(query, "MAX_PAGE", 2)
    for number in range(4):
        make_statement(text=f"More words ({number}).")
    answer = client.get("/api/statements/", {"page_size": 1, "page": 2}).json()
    assert answer["count"] > 2 and answer["next"] is None
    response = client.get("/api/statements/", {"page_size": 1, "page": 3})
    assert response.status_code == 400
    assert "pages stop at 2" in response.json()["errors"][0]["reason"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The live server sees committed rows only.
def test_schemathesis_finds_the_schema_and_the_answers_in_agreement(live_server, world):
    """`st run` against /api/schema/ with every check, as the README says, bounded in examples and time."""
    nobody = make_organization(name="A body of no country", country=None)
    make_statement(text="Words of a body.", organization=nobody, source=make_source(published_on=None))
    command = [Path(sys.executable).with_name("st"), "run", f"{live_server.url}/api/schema/", "--checks", "all"]
    command += ["--max-examples", "10", "--workers", "2", "--generation-database", "none", "--no-color"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout[-12000:] + finished.stderr[-2000:]


def test_a_page_writes_each_statement_as_its_serializer_does(client, world):
    """The list writes its statements from plain values (serializers.statement_data), the detail and a suffixed list
    through StatementSerializer: the same fields, values and order for every kind of statement."""
    make_statement(
        text="We will keep talking.",
        original_text="대화를 계속할 것입니다.",
        original_language="ko",
        translated_by="DiploTrack",
        language="en",
        organization=make_organization(name="Ministry of Unification", country=None),
        official=None,
        occasion="Press briefing",
        role="Spokesperson",
        topics=[world["topic"], make_topic(name="Dialogue")],
        mentions=["KP", "US"],
        source=make_source(title="Undated", publisher="KCNA", url="", published_on=None),
    )
    listed = client.get("/api/statements/?page_size=100").json()["results"]
    suffixed = client.get("/api/statements.json?page_size=100").json()["results"]
    assert [item["id"] for item in listed] == [item["id"] for item in suffixed] and len(listed) > 30
    for item in listed:
        detail = client.get(f"/api/statements/{item['id']}/").json()
        assert list(item) == list(detail) and item == detail
    assert any(item["translated_by"] and item["organization"] and not item["country"] for item in listed)
    assert any(source["published_on"] is None for item in listed for source in item["sources"])
