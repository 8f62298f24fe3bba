import csv
import datetime
import io
import json
import tracemalloc

import pytest
from django.db import Error, connection

from statements.models import Statement
from statements.opendata import exports
from tests.factories import make_official, make_organization, make_position, make_source, make_statement, make_topic

pytestmark = pytest.mark.django_db

# Popolo's field names for each class (popoloproject.com/specs), and the Link, Identifier and OtherName parts.
POPOLO = {
    "areas": {"id", "name", "identifier", "classification", "parent_id", "geometry", "identifiers", "other_names"},
    "persons": {
        "id",
        "name",
        "other_names",
        "identifiers",
        "family_name",
        "given_name",
        "additional_name",
        "honorific_prefix",
        "honorific_suffix",
        "patronymic_name",
        "sort_name",
        "email",
        "gender",
        "birth_date",
        "death_date",
        "image",
        "summary",
        "biography",
        "national_identity",
        "contact_details",
        "links",
        "sources",
    },
    "organizations": {
        "id",
        "name",
        "other_names",
        "identifiers",
        "classification",
        "parent_id",
        "area_id",
        "abstract",
        "description",
        "founding_date",
        "dissolution_date",
        "image",
        "contact_details",
        "links",
        "sources",
    },
    "memberships": {
        "id",
        "label",
        "role",
        "person_id",
        "organization_id",
        "post_id",
        "on_behalf_of_id",
        "area_id",
        "start_date",
        "end_date",
        "contact_details",
        "links",
        "sources",
    },
    "speeches": {
        "id",
        "creator_id",
        "role",
        "attribution_text",
        "audience_id",
        "text",
        "audio",
        "video",
        "date",
        "title",
        "type",
        "position",
        "event_id",
        "sources",
    },
}
PARTS = {
    "identifiers": {"identifier", "scheme"},
    "other_names": {"name", "note"},
    "links": {"url", "note"},
    "sources": {"url", "note"},
}


def streamed(response):
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")  # With the BOM Excel needs.


@pytest.fixture
def world():
    topic = make_topic(name="Peninsula security")
    cho = make_official(name="Cho Tae-yul", country="KR", native_name="조태열", wikidata_id="Q1")
    ministry = make_organization(name="Ministry of Foreign Affairs", country="KR")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    source = make_source(url="https://example.com/a")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    return [
        make_statement(
            text='He said "no", then: yes, twice.\nNew line.',
            official=cho,
            topics=[topic],
            mentions=["US", "KP"],
            source=source,
        ),
        make_statement(
            text="Words of an unnamed official.",
            organization=ministry,
            attribution_text="an official",
            kind="paraphrase",
            date=datetime.date(2024, 9, 1),
            date_precision="month",
        ),
        make_statement(text="Japan's view.", official=kamikawa, date=datetime.date(2023, 1, 1)),
        make_statement(text="A draft.", official=cho, status=Statement.Status.DRAFT),
    ]


def read_csv(client, query=""):
    return list(csv.DictReader(io.StringIO(streamed(client.get(f"/statements/export.csv?{query}")))))


def test_the_csv_holds_the_explorer_view_with_every_field(client, world):
    rows = read_csv(client)
    explorer = client.get("/statements/").context["page"].object_list
    assert [int(row["id"]) for row in rows] == [statement["pk"] for statement in explorer]
    first = rows[0]
    assert first["text"] == 'He said "no", then: yes, twice.\nNew line.'
    assert (first["speaker"], first["official"], first["country"]) == ("Cho Tae-yul", "cho-tae-yul", "KR")
    assert first["topics"] == "peninsula-security"
    assert first["mentioned_countries"] == "KP;US"
    assert first["source_urls"] == "https://example.com/a"
    assert first["url"] == f"http://testserver/statements/{world[0].pk}/"
    assert rows[1]["speaker"] == "an official" and rows[1]["date_precision"] == "month"


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("country=KR", lambda row: row["country"] == "KR"),
        ("topic=peninsula-security", lambda row: "peninsula-security" in row["topics"].split(";")),
        ("mentions=KP", lambda row: "KP" in row["mentioned_countries"].split(";")),
        ("kind=paraphrase", lambda row: row["kind"] == "paraphrase"),
        ("date_from=2024-01-01", lambda row: row["date"] >= "2024-01-01"),
        ("q=japan", lambda row: "Japan" in row["text"]),
    ],
)
def test_the_csv_round_trips_the_filters(client, world, query, check):
    rows = read_csv(client, query)
    assert rows and all(check(row) for row in rows)
    assert len(rows) == client.get(f"/statements/?{query}").context["facets"].total


def test_the_explorer_links_to_its_csv(client, world):
    content = client.get("/statements/?country=KR").content.decode()
    assert 'href="/statements/export.csv?country=KR"' in content
    assert 'href="/api/statements/?country=KR"' in content
    official_page = client.get("/officials/cho-tae-yul/").content.decode()
    assert 'href="/statements/export.csv?official=cho-tae-yul"' in official_page


@pytest.mark.slow
def test_exporting_100000_rows_stays_in_bounded_memory(client):
    official = make_official(name="Prolific Speaker")
    with connection.cursor() as cursor:
        # Test data: 100,000 rows and their search documents may take longer than the site lets a statement run.
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(
            """INSERT INTO statements_statement (text, kind, language, original_text, original_language, date,
                   date_precision, occasion, official_id, attribution_text, role, country_id, status, reviewed_at,
                   created_at, updated_at, external_id, locked_fields, topic_ids, version)
               SELECT 'Statement number ' || n || ' about the alliance and its future in the region.', 'direct',
                      'en', '', '', DATE '2000-01-01' + (n %% 9000), 'day', '', %s, '', 'Minister', 'KR',
                      'published', now(), now(), now(), '', '{}', '{}', 1
                 FROM generate_series(1, 100000) AS n""",
            [official.pk],
        )
    response = client.get("/statements/export.csv")
    tracemalloc.start()
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rows == 100_001
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_the_popolo_export_uses_popolo_field_names(client, world):
    document = json.loads(streamed(client.get("/export/popolo.json")))
    assert set(document) == set(POPOLO)
    for kind, objects in document.items():
        for obj in objects:
            assert set(obj) <= POPOLO[kind], (kind, set(obj) - POPOLO[kind])
            for part, fields in PARTS.items():
                for item in obj.get(part) or []:
                    assert set(item) <= fields, (kind, part, item)
    persons = {person["id"]: person for person in document["persons"]}
    cho = persons["person/cho-tae-yul"]
    assert cho["other_names"][0] == {"name": "조태열", "note": "native script"}
    assert cho["identifiers"] == [{"scheme": "wikidata", "identifier": "Q1"}]
    organizations = {organization["id"] for organization in document["organizations"]}
    for membership in document["memberships"]:
        assert membership["person_id"] in persons and membership["organization_id"] in organizations
    speeches = {speech["text"]: speech for speech in document["speeches"]}
    assert "A draft." not in speeches
    assert speeches["Japan's view."]["creator_id"] == "person/kamikawa-yoko"
    unnamed = speeches["Words of an unnamed official."]
    assert (unnamed["creator_id"], unnamed["attribution_text"], unnamed["date"], unnamed["type"]) == (
        None,
        "an official",
        "2024-09",
        "summary",
    )
    assert {"url": "https://example.com/a"} in speeches[world[0].text]["sources"]


def test_the_csv_opens_in_a_spreadsheet_as_utf8_without_running_formulas(client):
    cho = make_official(name='=HYPERLINK("http://evil.example","click")')
    make_statement(text="- The Assembly meets.", official=cho, occasion="@SUM(A1)", role="+1 Minister")
    make_statement(text="한미동맹은 굳건하다.", language="ko")
    response = client.get("/statements/export.csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    first = rows[1] if rows[0]["text"].startswith("한") else rows[0]
    assert first["text"] == "'- The Assembly meets."
    assert first["speaker"].startswith("'=HYPERLINK") and first["occasion"] == "'@SUM(A1)"
    assert first["role"] == "'+1 Minister"
    assert {row["text"] for row in rows} >= {"한미동맹은 굳건하다."}


@pytest.mark.parametrize("text", [" =1+1", "  +1", "\t-1", "\n@SUM(A1)", "\u00a0=1", "\u3000=1", "\r=1"])
def test_a_formula_after_spaces_is_neutralised_too(client, text):
    # Spreadsheets skip the spaces before a formula; line breaks and tabs too.
    make_statement(text=f"{text} The Assembly meets.", attribution_text=text, organization=make_organization())
    [row] = read_csv(client)
    assert row["text"].startswith("'") and row["attribution_text"].startswith("'"), row


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The test ends the stream's connection.
@pytest.mark.parametrize("url", ["/statements/export.csv", "/export/popolo.json"])
def test_a_download_the_database_breaks_off_ends_with_the_error_marker(client, monkeypatch, url):
    monkeypatch.setattr(exports, "CHUNK", 2)  # Rows fetched two at a time: the stream goes back to the database.
    for number in range(6):
        make_statement(text=f"Statement {number}.")
    response = client.get(url)
    assert response.status_code == 200
    chunks = iter(response.streaming_content)
    received = [next(chunks) for _ in range(3)]
    # From another connection, as an administrator or a failover would.
    killer = connection.get_new_connection(connection.get_connection_params())
    killer.autocommit = True
    killer.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    killer.close()
    with pytest.raises(Error):  # Which makes the server abort the chunked transfer.
        received.extend(chunks)
    response.close()
    body = b"".join(received).decode("utf-8-sig")
    assert body.splitlines()[-1] == exports.STREAM_ERROR
    if url.endswith(".csv"):
        assert list(csv.reader(io.StringIO(body)))[-1] == [exports.STREAM_ERROR]
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
