import csv
import datetime
import io

import pytest

from statements.models import Statement
from tests.factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    topic = make_topic(name="Ocean policy")
    cho = make_official(name="Cho Tae-yul", country="KR")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    for date, official, text in [
        (datetime.date(2023, 11, 2), cho, "The alliance is strong."),
        (datetime.date(2024, 1, 9), cho, "The alliance grows."),
        (datetime.date(2024, 1, 30), kamikawa, "Our alliance endures."),
        (datetime.date(2024, 2, 3), kamikawa, "The ocean is shared."),
    ]:
        make_statement(text=text, official=official, date=date, topics=[topic])
    make_statement(text="The alliance, drafted.", official=cho, status=Statement.Status.DRAFT)


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("query", ["", "q=alliance", "country=KR&country=JP", "q=alliance&interval=week"])
def test_the_csv_the_json_and_the_api_agree(client, world, query):
    api = client.get(f"/api/statements/timeline/?{query}")
    download = client.get(f"/statements/timeline.json?{query}")
    assert api.status_code == download.status_code == 200
    assert api.json() == download.json()
    answer = api.json()
    table = rows(client.get(f"/statements/timeline.csv?{query}"))
    assert len(table) == len(answer["periods"]) * len(answer["series"])
    from_csv = {(row["period_start"], row["value"]): int(row["statements"]) for row in table}
    from_json = {
        (period["start"], series["value"]): count
        for series in answer["series"]
        for period, count in zip(answer["periods"], series["counts"], strict=True)
    }
    assert from_csv == from_json
    assert {row["interval"] for row in table} == {answer["interval"]}


def test_the_json_names_its_periods_and_series(client, world):
    answer = client.get("/api/statements/timeline/?country=KR&country=JP&q=alliance&interval=month").json()
    assert answer["interval"] == "month"
    assert [period["start"] for period in answer["periods"]] == ["2023-11-01", "2023-12-01", "2024-01-01"]
    assert answer["periods"][0]["end"] == "2023-11-30"
    assert [(s["filter"], s["value"], s["label"], s["counts"]) for s in answer["series"]] == [
        ("country", "KR", "South Korea", [1, 0, 1]),
        ("country", "JP", "Japan", [0, 0, 1]),
    ]
    assert (answer["counted"], answer["not_split"]) == (True, [])
    nothing = client.get("/api/statements/timeline/?q=unheard").json()
    assert (nothing["periods"], nothing["series"], nothing["interval"]) == ([], [], None)


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ("interval=daily", ["interval"]),
        ("country=XX&topic=nothing", ["country", "topic"]),
        ("date_from=2024-13-01", ["date_from"]),
        ("colour=red", ["colour"]),
    ],
)
def test_bad_parameters_are_refused_naming_each(client, world, query, parameters):
    api = client.get(f"/api/statements/timeline/?{query}")
    assert api.status_code == 400
    assert [error["parameter"] for error in api.json()["errors"]] == parameters
    for url in ["/statements/timeline.csv", "/statements/timeline.json"]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert all(f"- {parameter}=" in response.content.decode() for parameter in parameters)
