"""The import makes one official per person: variants of a name merged with their evidence, relatives and namesakes
kept apart, a speaker of a former state found again for its successor; positions attested, not made-up terms."""

import datetime
import importlib
import json

import pytest
from django.apps import apps as django_apps

from statements.models import Official, Organization, Position, Statement
from tests.adminforms import change_form_data
from tests.factories import make_source, make_statement
from tests.ungdc.test_import_ungdc import corpus, figures, speakers_row  # noqa: F401 (corpus is a fixture)
from tests.ungdc.ungdc_corpus import speech_path

pytestmark = pytest.mark.django_db


def official_of(code, year):
    return Statement.objects.select_related("official").get(external_id=f"ungdc:{code}:{year}").official


def test_relatives_and_namesakes_are_officials_of_their_own(corpus):  # noqa: F811
    rows = [
        (1992, "USA", "Mr. George BUSH", "President"),
        (1993, "USA", "William Clinton", "President"),
        (2001, "USA", "George W. Bush", "President"),
        (2002, "USA", "Mr. George W. Bush", "President"),
        (1994, "AZE", "Mr. Heydar Alirza ogly Aliyev", "President"),
        (2003, "AZE", "Ilham Heydar Aliyev", "Prime Minister"),
        (2004, "AZE", "Mr. Ilham Heydar oglu ALIYEV", "President"),
        (2016, "JOR", "King Abdullah II ibn Al Hussein", "King"),
        (2017, "JOR", "Crown Prince Al Hussein bin Abdullah II", "Crown Prince"),
    ]
    run = corpus(
        {speech_path(code, year): f"Speech of {code} in {year}." for year, code, _, _ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    assert official_of("USA", 2001) == official_of("USA", 2002) != official_of("USA", 1992)
    assert official_of("AZE", 2003) == official_of("AZE", 2004) != official_of("AZE", 1994)
    assert official_of("JOR", 2016) != official_of("JOR", 2017)
    assert Official.objects.count() == 7  # Two Bushes, Clinton, two Aliyevs, the King and the Crown Prince.
    assert official_of("USA", 1992).name == "George Bush"


def test_an_official_is_named_by_the_fullest_name_printed_not_a_stray_letter(corpus):  # noqa: F811
    rows = [
        (1989, "USA", "Bush", "President"),
        (1990, "USA", "George Bush", "President"),
        (2005, "QAT", "Al-Thani", "Minister for Foreign Affairs"),
        (2006, "QAT", "AI-Thani", "Minister for Foreign Affairs"),  # A garbled row: "AI" is no given name.
        (1991, "KWT", "Al-Sabah", "Minister for Foreign Affairs"),
        (1992, "KWT", "Sheik Sabah Al-Ahmad Al-Sabah", "Minister for Foreign Affairs"),  # A title the reader keeps.
        (1993, "KWT", "Sabah Al-Ahmad Al-Sabah", "Minister for Foreign Affairs"),  # As full, without the title.
    ]
    run = corpus(
        {speech_path(code, year): f"Speech of {code} in {year}." for year, code, _, _ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    bush = official_of("USA", 1989)
    assert official_of("USA", 1990) == bush
    assert (bush.name, bush.other_names) == ("George Bush", ["Bush"])
    assert official_of("QAT", 2005) == official_of("QAT", 2006)
    assert (official_of("QAT", 2005).name, official_of("QAT", 2005).other_names) == ("Al-Thani", ["AI-Thani"])
    assert official_of("KWT", 1991) == official_of("KWT", 1992) == official_of("KWT", 1993)
    assert official_of("KWT", 1991).name == "Sabah Al-Ahmad Al-Sabah"


def test_variants_of_a_name_are_one_official_who_keeps_them_and_the_evidence(corpus):  # noqa: F811
    rows = [
        (2021, "USA", "Joe Biden", "President"),
        (2022, "USA", "Joseph R. Biden, Jr", "President"),
        (2023, "USA", "Joseph R. Biden", "President"),
        (2014, "EGY", "Abdel Fattah Al Sisi", "President"),
        (2021, "EGY", "Abdel Fattah el Sisi", "President"),
        (2019, "SDN", "Mr. Abdalla Adam Hamdok", "Prime Minister"),
        (2021, "SDN", "Abdalla Hamdok", "Prime Minister"),
    ]
    run = corpus(
        {speech_path(code, year): f"Speech of {code} in {year}." for year, code, _, _ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    biden = official_of("USA", 2021)
    assert official_of("USA", 2022) == official_of("USA", 2023) == biden
    assert (biden.name, biden.other_names) == ("Joe Biden", ["Joseph R. Biden, Jr", "Joseph R. Biden"])
    assert list(Official.objects.matching_name("Joseph R. Biden")) == [biden]
    assert any(why.startswith("Joe Biden (2021) and Joseph R. Biden, Jr (2022):") for why in biden.match_evidence)
    assert official_of("EGY", 2014) == official_of("EGY", 2021)
    assert official_of("SDN", 2019) == official_of("SDN", 2021)
    assert Official.objects.count() == 3

    before = list(Official.objects.order_by("pk").values("pk", "name", "other_names", "match_evidence", "version"))
    assert figures(run()) == {"imported": 0, "updated": 0, "unchanged": 7, "skipped": 0}
    assert list(Official.objects.order_by("pk").values("pk", "name", "other_names", "match_evidence", "version")) == (
        before
    )


def test_a_reimport_finds_each_person_by_their_speeches_even_after_a_curator_merged_them(corpus):  # noqa: F811
    rows = [(2019, "SDN", "Mr. Abdalla Adam Hamdok", "Prime Minister"), (2021, "SDN", "Abdalla Hamdok", "")]
    run = corpus(
        {speech_path("SDN", year): f"Sudan in {year}." for year, *_ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    hamdok = official_of("SDN", 2019)
    other = Official.objects.create(name="Abdalla Hamdok", country_id="SD")
    hamdok.merge_into(other)
    assert figures(run())["unchanged"] == 2
    assert official_of("SDN", 2019) == official_of("SDN", 2021) == other
    assert Official.objects.current().count() == 1


def test_a_reimport_keeps_two_people_a_curator_merged(corpus):  # noqa: F811
    rows = [(1968, "IND", "MRS. INDIRA GANDHI", ""), (1983, "IND", "Mrs. GANDHI", "")]
    run = corpus(
        {speech_path("IND", year): f"India in {year}." for year, *_ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    indira, gandhi = official_of("IND", 1968), official_of("IND", 1983)
    assert indira != gandhi  # Fifteen years apart under a surname alone, no post given: the import does not guess.
    gandhi.merge_into(indira)
    assert figures(run()) == {"imported": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert official_of("IND", 1983) == indira and Official.objects.current().count() == 1


def test_a_speaker_of_a_former_state_is_the_same_official_for_its_successor_and_codes_are_historic(corpus):  # noqa: F811
    rows = [
        (1990, "RUS", "SHEVARDNADZE", ""),
        (1992, "GEO", "SHEVARDNADZE", "Chairman"),
        (1989, "YDYE", "Mr. AL-DALI", ""),
        (1990, "DDR", "Mr. Meckel", ""),
        (1991, "CSK", "Mr. Dienstbier", ""),
    ]
    speeches = {speech_path("YMD", 1989): "Democratic Yemen speaks."}  # The corpus's file code for South Yemen.
    speeches |= {speech_path(code, year): f"{code} in {year}." for year, code, *_ in rows if code != "YDYE"}
    run = corpus(speeches, [speakers_row(year, code, name, post) for year, code, name, post in rows])
    assert figures(run())["imported"] == 5
    assert official_of("RUS", 1990) == official_of("GEO", 1992)
    assert official_of("RUS", 1990).country_id == "SUHH"
    assert "names alike, one state the other's successor" in official_of("RUS", 1990).match_evidence[-1]
    countries = dict(Statement.objects.values_list("external_id", "country"))
    assert countries == {
        "ungdc:RUS:1990": "SUHH",
        "ungdc:GEO:1992": "GE",
        "ungdc:YMD:1989": "YDYE",
        "ungdc:DDR:1990": "DDDE",
        "ungdc:CSK:1991": "CSHH",
    }
    assert official_of("YMD", 1989).name == "Al-Dali"


@pytest.fixture
def moon(corpus):  # noqa: F811
    """Moon Jae-in, seen at the 2017 and 2021 debates."""
    rows = [(2017, "KOR", "Mr. Moon Jae-in", "President"), (2021, "KOR", "Moon Jae in", "President")]
    run = corpus(
        {speech_path("KOR", year): f"Korea in {year}." for year, *_ in rows},
        [speakers_row(year, code, name, post) for year, code, name, post in rows],
    )
    run()
    return run


def test_an_attested_position_says_so_on_pages_in_the_api_and_in_popolo(client, moon):
    position = Position.objects.get()
    assert (position.start_date, position.end_date, position.kind) == (None, None, "attestation")

    page = client.get("/officials/moon-jae-in/").content.decode()
    assert "Attested as President in September 2017 and September 2021" in page
    statement = Statement.objects.get(external_id="ungdc:KOR:2017")
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "President, Government of South Korea (attested in September 2017 and September 2021)" in page

    (api,) = client.get("/api/officials/moon-jae-in/").json()["positions"]
    assert (api["kind"], api["start_date"], api["end_date"]) == ("attestation", None, None)
    assert api["attested_on"] == ["2017-09-01", "2021-09-01"]

    popolo = json.loads(b"".join(client.get("/export/popolo.json").streaming_content).decode("utf-8-sig"))
    (membership,) = popolo["memberships"]
    assert (membership["start_date"], membership["end_date"]) == (None, None)
    assert membership["label"] == "attested as President in September 2017 and September 2021"


def test_a_term_a_curator_enters_replaces_the_attestation_everywhere(client, curator_client, moon):
    official = Official.objects.get()
    source = make_source(title="Moon Jae-in", publisher="Wikipedia", url="https://en.wikipedia.org/wiki/Moon_Jae-in")
    url = f"/admin/statements/official/{official.pk}/change/"
    data = change_form_data(curator_client.get(url))
    data |= {
        "positions-0-start_date": "2017-05-10",
        "positions-0-start_precision": "day",
        "positions-0-end_date": "2022-05-01",
        "positions-0-end_precision": "month",
        "positions-0-source": str(source.pk),
    }
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    position = Position.objects.get()
    assert (position.kind, position.source, position.dates_display) == ("term", source, "from 10 May 2017 to May 2022")
    page = client.get("/officials/moon-jae-in/").content.decode()
    assert "Attested" not in page and "10 May 2017" in page and "May 2022" in page
    statement = Statement.objects.get(external_id="ungdc:KOR:2021")
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "President, Government of South Korea (from 10 May 2017 to May 2022)" in page

    (api,) = client.get("/api/officials/moon-jae-in/").json()["positions"]
    assert (api["kind"], api["start_date"], api["start_precision"]) == ("term", "2017-05-10", "day")
    assert (api["end_date"], api["end_precision"]) == ("2022-05-01", "month")
    popolo = json.loads(b"".join(client.get("/export/popolo.json").streaming_content).decode("utf-8-sig"))
    (membership,) = popolo["memberships"]
    assert (membership["start_date"], membership["end_date"]) == ("2017-05-10", "2022-05")
    assert "label" not in membership

    moon()  # A re-import sees the term covers both debates: no attestation beside it.
    assert Position.objects.count() == 1
    assert official.position_on(datetime.date(2019, 3, 1)) == position  # The term covers any day of it.


def test_the_migration_turns_positions_earlier_imports_made_into_attestations():
    migration = importlib.import_module("statements.migrations.0018_people_and_attested_positions")
    official = Official.objects.create(name="Moon Jae-in", country_id="KR")
    government = Organization.objects.create(name="Government of South Korea", kind="government", country_id="KR")
    imported = Position(
        official=official,
        organization=government,
        role="President",
        start_date=datetime.date(2017, 9, 1),
        end_date=datetime.date(2021, 9, 30),
    )
    imported._change_reason = migration.IMPORTED
    imported.save()
    curated = Position.objects.create(
        official=official, organization=government, role="Minister", start_date=datetime.date(2010, 1, 1)
    )
    for year in (2017, 2019, 2021):
        date, external_id = datetime.date(year, 9, 1), f"ungdc:KOR:{year}"
        make_statement(official=official, text=f"Korea {year}.", date=date, role="president", external_id=external_id)

    migration.attest_imported_positions(django_apps, None)
    imported.refresh_from_db()
    assert (imported.start_date, imported.end_date) == (None, None)
    assert imported.attested_on == [datetime.date(year, 9, 1) for year in (2017, 2019, 2021)]
    curated.refresh_from_db()
    assert (curated.start_date, curated.attested_on) == (datetime.date(2010, 1, 1), [])
