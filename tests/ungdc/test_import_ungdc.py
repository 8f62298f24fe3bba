import datetime
import io
import os
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from statements.models import (
    Citation,
    Country,
    Official,
    Organization,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
)
from statements.ungdc import reader as ungdc
from statements.ungdc.importer import SessionImporter
from tests.adminforms import change_form_data
from tests.factories import make_official, make_topic
from tests.shared import UNGDC, need
from tests.ungdc.test_import_killed import ROOT, connect, database_url
from tests.ungdc.ungdc_corpus import speech_path, write_archive, write_corpus, write_speakers

CHO_2024 = (
    "Mr. President,\n"
    "The war of aggression against Ukraine drags on to its third year.\n"
    "We call on North Korea to return to dialogue, and we stand with our partners in the Indo-Pacific."
)
MOON = "Climate change is the crisis of our time, and the Paris Agreement is our answer.\nPeace in Korea."


def speakers_row(year, code, name, post, country="Somewhere "):
    return (year, code, country, name, post)


@pytest.fixture
def corpus(tmp_path):
    """Write a corpus folder and a speakers sheet; return a function importing them (stdout returned)."""

    def make(speeches, rows=(), archive=False):
        sheet = write_speakers(tmp_path / "Speakers_by_session.xlsx", list(rows))
        if archive:
            path = write_archive(tmp_path / "UNGDC.tgz", speeches)
        else:
            path = write_corpus(tmp_path / "corpus", speeches)
        return lambda *args, **kwargs: import_ungdc(path, "--speakers", sheet, *args, **kwargs)

    return make


def import_ungdc(*args, out=None):
    """Run the command; return what it printed (also in out, for a run that raises)."""
    out = out or io.StringIO()
    call_command("import_ungdc", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def figures(output):
    """The summary's counts: {"imported": 1, "updated": 0, ...}."""
    lines = (line.partition(": ") for line in output.splitlines())
    return {key: int(value) for key, _, value in lines if key in {"imported", "updated", "unchanged", "skipped"}}


def counts():
    models = [Statement, Official, Position, Organization, Source, Citation, StatementTopic]
    counted = {model.__name__: model.objects.count() for model in models}
    for model in [Statement, Official, Position, Organization, Source, Citation]:
        counted[f"history of {model.__name__}"] = model.history.count()
    counted["mentions"] = Statement.mentioned_countries.through.objects.count()
    counted["updated_at"] = sorted(Statement.objects.values_list("updated_at", flat=True))
    return counted


@pytest.mark.django_db
def test_a_speech_becomes_a_published_statement_of_its_speaker(corpus):
    run = corpus(
        {speech_path("KOR", 2019): MOON},
        [speakers_row(2019, "KOR", "Mr. Moon Jae-in", "President ")],
    )
    assert figures(run()) == {"imported": 1, "updated": 0, "unchanged": 0, "skipped": 0}

    statement = Statement.objects.select_related("official", "organization").get()
    assert statement.external_id == "ungdc:KOR:2019"
    assert statement.text == MOON
    assert (statement.kind, statement.language, statement.status) == ("speech", "en", "published")
    assert (statement.date, statement.date_precision) == (datetime.date(2019, 9, 1), "month")
    assert statement.date_display == "September 2019"
    assert statement.occasion == "General Debate of the 74th session of the UN General Assembly"
    assert statement.reviewed_at is not None and statement.reviewed_by is None
    assert (statement.official.name, statement.official.country_id) == ("Moon Jae-in", "KR")
    assert (statement.role, statement.country_id, statement.attribution_text) == ("President", "KR", "Mr. Moon Jae-in")
    assert (statement.organization.name, statement.organization.kind) == ("Government of South Korea", "government")
    source = statement.sources.get()
    assert (source.publisher, source.kind) == ("United Nations", "transcript")
    assert source.title == "General Debate of the 74th session of the UN General Assembly (2019)"
    assert "doi:10.7910/DVN/0TJX8Y" in source.author
    assert Statement.objects.filter(search_vector="paris").exists()
    assert statement.history.get().history_change_reason == "Imported from the UN General Debate Corpus"


@pytest.mark.django_db
def test_an_archive_imports_as_the_folder_does(corpus):
    speeches = {speech_path("KOR", 2019): MOON, speech_path("JPN", 2019): "Japan speaks."}
    run = corpus(speeches, [speakers_row(2019, "KOR", "Moon Jae-in", "President")], archive=True)
    assert figures(run())["imported"] == 2
    assert set(Statement.objects.values_list("country", flat=True)) == {"KR", "JP"}


@pytest.mark.django_db
def test_several_archives_or_the_folder_holding_them_import_as_one_corpus(tmp_path):
    old = write_archive(tmp_path / "UNGDC_1946-2013.tgz", {speech_path("CSK", 1990): "Czechoslovakia speaks."})
    new = write_archive(tmp_path / "UNGDC_2014-2024.tgz", {speech_path("KOR", 2019): MOON})
    write_speakers(tmp_path / "Speakers_by_session.xlsx", [speakers_row(2019, "KOR", "Moon Jae-in", "President")])
    assert figures(import_ungdc(old, new))["imported"] == 2
    assert Statement.objects.get(country="KR").official.name == "Moon Jae-in"  # The sheet beside them is found.

    output = import_ungdc(tmp_path)  # The folder stands for its archives: a re-import.
    assert figures(output) == {"imported": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert dict(Statement.objects.values_list("external_id", "country")) == {
        "ungdc:CSK:1990": "CSHH",
        "ungdc:KOR:2019": "KR",
    }


@pytest.mark.django_db
def test_one_person_across_the_years_is_one_official_with_one_position(corpus):
    run = corpus(
        {speech_path("KOR", year): f"{MOON} {year}" for year in (2017, 2018, 2019, 2020, 2021)},
        [
            speakers_row(2017, "KOR", "Mr. Moon Jae-in", "President"),
            speakers_row(2018, "KOR", "H.E. Mr. Moon Jae-in", "President "),
            speakers_row(2019, "KOR", "MOON JAE-IN", "president"),
            speakers_row(2020, "KOR", "Moon Jae-in", "President"),
            speakers_row(2021, "KOR", "Moon Jae in", "President "),
        ],
    )
    run()
    moon = Official.objects.get()
    assert moon.name == "Moon Jae-in"
    assert moon.statements.count() == 5
    position = moon.positions.get()
    assert (position.role, position.organization.name) == ("President", "Government of South Korea")
    # Seen holding the post at five debates, no term stated: an attestation, not a term from 2017 to 2021.
    assert (position.start_date, position.end_date) == (None, None)
    assert position.attested_on == [datetime.date(year, 9, 1) for year in (2017, 2018, 2019, 2020, 2021)]
    assert position.dates_display == "attested as President in September of 2017, 2018, 2019, 2020 and 2021"
    assert moon.position_on(datetime.date(2019, 9, 1)) == position
    assert moon.position_on(datetime.date(2019, 3, 1)) is None  # Not seen then: nothing is made up.
    assert position.version == 5  # Extended by four sessions: a curator's form opened before is stale.


@pytest.mark.django_db
def test_names_in_either_order_and_with_initials_are_one_person(corpus):
    run = corpus(
        {speech_path("BHS", 2015): "One.", speech_path("BHS", 2016): "Two.", speech_path("KOR", 2024): "Three."},
        [
            speakers_row(2015, "BHS", "Mr. Frederick A. Mitchell", "Minister for Foreign Affairs"),
            speakers_row(2016, "BHS", "Mr. Frederick Mitchell", "Minister for Foreign Affairs and Immigration"),
            speakers_row(2024, "KOR", "Tae-yul Cho", "Minister of Foreign Affairs "),
        ],
    )
    cho = make_official(name="Cho Tae-yul", country="KR")
    run()
    mitchell = Official.objects.get(country="BS")
    assert mitchell.name == "Frederick A. Mitchell"
    assert mitchell.other_names == ["Frederick Mitchell"]
    # Made with both spellings: not renamed by the second session, which would parse its first statement again.
    assert mitchell.version == 1
    assert list(Official.objects.matching_name("Frederick Mitchell")) == [mitchell]
    assert sorted(mitchell.positions.values_list("role", flat=True)) == [
        "Minister for Foreign Affairs",
        "Minister for Foreign Affairs and Immigration",
    ]
    assert Statement.objects.get(country="KR").official == cho
    assert Official.objects.count() == 2


@pytest.mark.django_db
def test_people_who_share_a_surname_or_a_name_stay_apart(corpus):
    run = corpus(
        {speech_path("KOR", 2015): "One.", speech_path("KOR", 2023): "Two.", speech_path("PRK", 2023): "Three."},
        [
            speakers_row(2015, "KOR", "Park Geun-hye", "President"),
            speakers_row(2023, "KOR", "Park Jin", "Minister for Foreign Affairs"),
            speakers_row(2023, "PRK", "Mr. Park Jin", "Vice-Minister"),  # A namesake of another country.
        ],
    )
    run()
    assert sorted(Official.objects.values_list("name", "country")) == [
        ("Park Geun-hye", "KR"),
        ("Park Jin", "KP"),
        ("Park Jin", "KR"),
    ]


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Mr. Moon Jae-in", "Moon Jae-in"),
        ("MR. GENSCHER", "Genscher"),
        ("Mr Otto", "Otto"),
        ("H.E.Mr. Ban Ki-moon", "Ban Ki-moon"),
        ("Mrs. Ellen Johnson-Sirleaf", "Ellen Johnson-Sirleaf"),
        ("Ms. Julie Bishop", "Julie Bishop"),
        ("Dr. Mahathir Mohamad", "Mahathir Mohamad"),
        ("Sir Anerood Jugnauth", "Anerood Jugnauth"),
        ("His Majesty King Abdullah II bin Al Hussein", "Abdullah II bin Al Hussein"),
        ("His Highness Sheikh Tamim bin Hamad Al-Thani", "Tamim bin Hamad Al-Thani"),
        ("Sheikh Hasina", "Sheikh Hasina"),  # Title and one name: how she is known.
        ("His Holiness Pope Francis", "Pope Francis"),
        ("General Prayut Chan-o-cha", "Prayut Chan-o-cha"),
        ("Dato’ Sri Mohd Najib bin Tun Haji Abdul Razak", "Mohd Najib bin Tun Haji Abdul Razak"),
        ("Sheikh Ahmad Nawaf Al-Ahmad\nAl-Sabah ", "Ahmad Nawaf Al-Ahmad Al-Sabah"),
        ("Vuk Dra\x9akovic,", "Vuk Draškovic"),
        ("Mrinal Sen", "Mrinal Sen"),
    ],
)
def test_names_lose_their_forms_of_address(printed, name):
    assert ungdc.person_name(printed) == name


@pytest.mark.parametrize(
    ("printed", "role"),
    [
        ("Prime minister", "Prime Minister"),
        ("Prime Minister ", "Prime Minister"),
        ("vice-President", "Vice-President"),
        ("PRIME MINISTER", "Prime Minister"),
        ("MInister for Foreign Affairs", "Minister for Foreign Affairs"),
        ("Minister for Foreign and CARICOM Affairs", "Minister for Foreign and CARICOM Affairs"),
        (
            "President and Commander-in-Chief of the Defence Forces",
            "President and Commander-in-Chief of the Defence Forces",
        ),
    ],
)
def test_posts_are_written_one_way(printed, role):
    assert ungdc.post_title(printed) == role


def test_the_same_post_written_differently_is_one_post():
    assert ungdc.post_key("Vice President") == ungdc.post_key("Vice-President")
    assert ungdc.post_key("Minister of Foreign Affairs") == ungdc.post_key("Minister for Foreign Affairs")
    assert ungdc.post_key("Chair of Delegation") == ungdc.post_key("Chair of the delegation")
    assert ungdc.post_key("Prime Minister") != ungdc.post_key("Deputy Prime Minister")


@pytest.mark.django_db
def test_posts_spelled_differently_are_one_position(corpus):
    run = corpus(
        {speech_path("ALB", 2015): "One.", speech_path("ALB", 2016): "Two.", speech_path("ALB", 2017): "Three."},
        [
            speakers_row(2015, "ALB", "Mr. Edi Rama", "Prime minister"),
            speakers_row(2016, "ALB", "Edi Rama", "Prime Minister "),
            speakers_row(2017, "ALB", "Edi Rama", "PRIME MINISTER"),
        ],
    )
    run()
    position = Position.objects.get()
    assert position.role == "Prime Minister"
    assert [date.year for date in position.attested_on] == [2015, 2016, 2017]
    assert set(Statement.objects.values_list("role", flat=True)) == {"Prime Minister"}


@pytest.mark.django_db
def test_the_eu_and_former_states_import_under_their_own_names(corpus):
    run = corpus(
        {
            speech_path("EU", 2019): "The European Union speaks.",
            speech_path("YUG", 1990): "Yugoslavia speaks.",
            speech_path("CSK", 1990): "Czechoslovakia speaks.",
            speech_path("DDR", 1989): "The German Democratic Republic speaks.",
            speech_path("YDYE", 1989): "Democratic Yemen speaks.",
            speech_path("RUS", 1990): "The Soviet Union speaks.",
            speech_path("RUS", 1992): "The Russian Federation speaks.",
            speech_path("YUG", 2004): "Serbia and Montenegro speaks.",
        },
        [
            speakers_row(2019, "EU", "Mr. Donald Tusk", "President of the European Council"),
            speakers_row(1990, "YUG", "BORISLAV JOVIC ", "President"),
            speakers_row(1989, "YDYE", " AL-DALI ", None),
            speakers_row(1990, "RUS", "SHEVARDNADZE", None),
        ],
    )
    assert figures(run())["imported"] == 8
    by_file = dict(Statement.objects.values_list("external_id", "country"))
    assert by_file == {
        "ungdc:EU:2019": "EU",
        "ungdc:YUG:1990": "YUCS",
        "ungdc:CSK:1990": "CSHH",
        "ungdc:DDR:1989": "DDDE",
        "ungdc:YDYE:1989": "YDYE",
        "ungdc:RUS:1990": "SUHH",
        "ungdc:RUS:1992": "RU",
        "ungdc:YUG:2004": "CSXX",
    }
    eu = Statement.objects.get(country="EU")
    assert (eu.organization.name, eu.organization.kind, eu.official.name) == (
        "European Union",
        "international",
        "Donald Tusk",
    )
    yugoslavia = Statement.objects.get(external_id="ungdc:YUG:1990")
    assert (yugoslavia.organization.name, yugoslavia.official.name) == ("Government of Yugoslavia", "Borislav Jovic")
    assert yugoslavia.official.country.kind == Country.Kind.FORMER_STATE
    assert list(Statement.objects.published().by_country("YUCS")) == [yugoslavia]
    shevardnadze = Official.objects.get(name="Shevardnadze")
    assert (shevardnadze.country_id, shevardnadze.positions.count()) == ("SUHH", 0)  # No post in the sheet.
    assert Statement.objects.get(external_id="ungdc:RUS:1992").official is None


@pytest.mark.django_db
def test_a_speech_without_a_speaker_row_is_the_governments(corpus):
    run = corpus({speech_path("CMR", 2015): "Cameroon speaks."}, [speakers_row(2015, "CMR", None, None)])
    run()
    statement = Statement.objects.get()
    assert statement.official is None
    assert (statement.organization.name, statement.country_id) == ("Government of Cameroon", "CM")
    assert statement.speaker_label == "Government of Cameroon (CM)"


@pytest.mark.django_db
def test_known_typos_of_the_speakers_sheet_are_read_as_meant(corpus):
    run = corpus(
        {speech_path("PRT", 2017): "Portugal speaks."},
        [speakers_row(2017, "POR ", "Mr. António Costa", "Prime Minister")],
    )
    run()
    assert Statement.objects.get().official.name == "António Costa"


@pytest.mark.django_db
def test_what_is_not_a_speech_is_skipped_with_a_note(corpus):
    run = corpus(
        {
            speech_path("KOR", 2024): CHO_2024,
            "TXT/Session 79 - 2024/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "TXT/Session 79 - 2024/._KOR_79_2024.txt": b"\x00\x05\x16\x07Mac OS X",
            speech_path("JPN", 2024): "  \n",
            "TXT/Session 79 - 2024/README.md": "About this folder.",
            "TXT/Session 79 - 2024/notes.txt": "Not a speech.",
            speech_path("XYZ", 2024): "A country that does not exist.",
            speech_path("FRA", 2024): b"Binary\x00junk",
        },
    )
    output = run()
    assert figures(output)["imported"] == 1
    assert figures(output)["skipped"] == 7
    assert "Session 79 - 2024/.DS_Store: macOS folder settings, not a speech" in output
    assert "._KOR_79_2024.txt: macOS AppleDouble resource file, not a speech" in output
    assert "JPN_79_2024.txt: empty file" in output
    assert "README.md: not a .txt file" in output
    assert "notes.txt: file name is not CODE_SESSION_YEAR.txt" in output
    assert "XYZ_79_2024.txt: unknown country code XYZ" in output
    assert "FRA_79_2024.txt: binary file (NUL bytes), not text" in output


@pytest.mark.django_db
def test_many_files_skipped_for_one_reason_are_counted_on_one_line(corpus):
    companions = {f"TXT/Session 45 - 1990/._X{n:02}_45_1990.txt": b"\x00\x05" for n in range(25)}
    run = corpus({speech_path("KOR", 1990): "Korea speaks.", **companions})
    output = run()
    assert figures(output)["skipped"] == 25
    assert "  25 files: macOS AppleDouble resource file, not a speech (TXT/Session 45 - 1990/._X" in output
    assert output.count("AppleDouble") == 1


@pytest.mark.django_db
def test_text_that_is_not_utf8_is_read_and_reported(corpus):
    latin1 = "Côte d’Ivoire salue l’Assemblée.".encode("cp1252")
    run = corpus({speech_path("CIV", 2016): latin1, speech_path("KOR", 2016): "\ufeffWith a byte order mark."})
    output = run()
    assert figures(output)["imported"] == 2
    assert "CIV_71_2016.txt: not valid UTF-8" in output
    assert "KOR_71_2016.txt" not in output
    assert "�" in Statement.objects.get(country="CI").text
    assert Statement.objects.get(country="KR").text == "With a byte order mark."


@pytest.mark.django_db
def test_a_second_import_changes_nothing(corpus):
    run = corpus(
        {speech_path("KOR", 2019): MOON, speech_path("KOR", 2020): MOON + " Again.", speech_path("EU", 2020): "EU."},
        [
            speakers_row(2019, "KOR", "Mr. Moon Jae-in", "President"),
            speakers_row(2020, "KOR", "Moon Jae-in", "President"),
        ],
    )
    assert figures(run())["imported"] == 3
    before = counts()
    assert figures(run()) == {"imported": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    assert counts() == before


@pytest.mark.django_db
def test_a_changed_file_updates_its_statement(corpus, tmp_path):
    speeches = {speech_path("KOR", 2019): "We speak of peace."}
    run = corpus(speeches, [speakers_row(2019, "KOR", "Moon Jae-in", "President")])
    run()
    statement = Statement.objects.get()
    assert not statement.topics.exists()

    write_corpus(tmp_path / "corpus", {speech_path("KOR", 2019): MOON})
    assert figures(run()) == {"imported": 0, "updated": 1, "unchanged": 0, "skipped": 0}
    statement.refresh_from_db()
    assert statement.text == MOON
    assert statement.history.count() == 2
    assert statement.topic_links.get(topic__slug="climate-change").machine_assigned
    assert "climate-change" in {row.topic.slug for row in statement.history.latest().topics.all()}
    assert Statement.objects.filter(search_vector="paris").exists()


@pytest.mark.django_db
def test_a_curators_edits_are_kept_by_a_reimport(corpus, curator_client, tmp_path):
    run = corpus({speech_path("KOR", 2019): MOON}, [speakers_row(2019, "KOR", "Moon Jae-in", "President")])
    run()
    statement = Statement.objects.get()
    url = f"/admin/statements/statement/{statement.pk}/change/"
    data = change_form_data(curator_client.get(url))
    data["text"] = "Climate change is the crisis of our time. [Corrected against the UN record.]"
    data["role"] = "President of the Republic"
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement.refresh_from_db()
    assert statement.locked_fields == ["role", "text"]

    write_corpus(tmp_path / "corpus", {speech_path("KOR", 2019): MOON + "\nA sentence added."})
    assert figures(run())["unchanged"] == 1
    statement.refresh_from_db()
    assert statement.text.endswith("[Corrected against the UN record.]")
    assert statement.role == "President of the Republic"


@pytest.mark.django_db
def test_a_machine_topic_a_curator_removed_stays_removed(corpus):
    run = corpus({speech_path("KOR", 2019): MOON}, [speakers_row(2019, "KOR", "Moon Jae-in", "President")])
    run()
    statement = Statement.objects.get()
    link = statement.topic_links.get(topic__slug="climate-change")
    assert link.machine_assigned
    link.delete()
    run()
    assert not statement.topic_links.filter(topic__slug="climate-change").exists()


@pytest.mark.django_db
def test_topics_are_machine_assigned_from_their_search_terms(corpus):
    visits = make_topic(name="State visits", search_terms='"state visit" OR "official visit"')
    run = corpus(
        {
            speech_path("KOR", 2024): CHO_2024 + "\nThe President's state visit to Kazakhstan.",
            speech_path("JPN", 2024): "We thank the Secretary-General.",
        }
    )
    run()
    korea = Statement.objects.get(country="KR")
    assert set(korea.topic_links.values_list("topic__slug", "machine_assigned")) == {
        ("ukraine", True),
        ("korean-peninsula", True),
        ("indo-pacific", True),
        ("state-visits", True),
    }
    assert list(Statement.objects.about(visits)) == [korea]
    assert not Statement.objects.get(country="JP").topics.exists()
    # Its first version holds them, for a curator who removes one to restore it.
    version = korea.history.get()
    assert {(row.topic.slug, row.machine_assigned) for row in version.topics.all()} == {
        ("ukraine", True),
        ("korean-peninsula", True),
        ("indo-pacific", True),
        ("state-visits", True),
    }


@pytest.mark.django_db
def test_the_starter_topics_nest_and_share_the_demos_slugs():
    topics = Topic.objects.exclude(search_terms="")
    assert topics.filter(parent=None).count() >= 10
    assert topics.exclude(parent=None).count() >= 5
    assert {"korean-peninsula", "denuclearization", "ukraine", "trade", "indo-pacific"} <= set(
        topics.values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_mentioned_countries_are_detected_without_the_speakers_own(corpus):
    run = corpus(
        {
            speech_path(
                "KOR", 2024
            ): "We welcome the Paris Agreement. Korea and Japan stand with Ukraine against Russia.",
            speech_path("PRK", 2017): "The United States threatens Korea.",
        }
    )
    run()
    korea = Statement.objects.get(country="KR")
    assert set(korea.mentioned_countries.values_list("code", flat=True)) == {"JP", "UA", "RU"}
    north = Statement.objects.get(country="KP")
    assert set(north.mentioned_countries.values_list("code", flat=True)) == {"US"}
    version = korea.history.get()
    assert {mention.country_id for mention in version.mentioned_countries.all()} == {"JP", "UA", "RU"}


@pytest.mark.django_db
def test_since_and_until_choose_the_sessions(corpus):
    run = corpus({speech_path("KOR", year): f"Speech of {year}." for year in range(2014, 2025)})
    assert figures(run("--since", 2020, "--until", 2022))["imported"] == 3
    assert sorted(Statement.objects.values_list("date__year", flat=True)) == [2020, 2021, 2022]
    assert figures(run("--since", 2024))["imported"] == 1
    with pytest.raises(CommandError, match="--since comes after --until"):
        run("--since", 2022, "--until", 2020)


@pytest.mark.django_db
def test_the_demo_official_gives_the_speech_and_the_explorer_finds_it(corpus, client):
    call_command("load_demo", stdout=io.StringIO())
    cho = Official.objects.get(slug="cho-tae-yul")
    positions = cho.positions.count()
    run = corpus(
        {speech_path("KOR", 2024): CHO_2024, speech_path("KOR", 2023): "Yoon speaks."},
        [
            speakers_row(2024, "KOR", "Tae-yul Cho", "Minister of Foreign Affairs ", "Republic of Korea"),
            speakers_row(2023, "KOR", "Yoon Suk Yeol", "President", "South Korea "),
        ],
    )
    run()
    speech = Statement.objects.get(external_id="ungdc:KOR:2024")
    assert speech.official == cho
    assert speech.role == "Minister of Foreign Affairs"
    assert cho.positions.count() == positions  # His Foreign Ministry post covers September 2024 already.

    response = client.get("/statements/?country=KR&date_from=2024-01-01&date_to=2024-12-31&kind=speech")
    assert [statement["pk"] for statement in response.context["page"].object_list] == [speech.pk]
    assert set(cho.statements.values_list("kind", flat=True)) >= {"speech", "direct"}


@pytest.mark.django_db
def test_a_missing_corpus_or_sheet_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        import_ungdc(tmp_path / "nowhere.tgz")
    write_corpus(tmp_path / "corpus", {speech_path("KOR", 2019): MOON})
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    with pytest.raises(CommandError, match="Cannot read the speakers sheet"):
        import_ungdc(tmp_path / "corpus", "--speakers", tmp_path / "bad.xlsx")
    (tmp_path / "bad.tgz").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="Cannot read the corpus"):
        import_ungdc(tmp_path / "bad.tgz")


@pytest.mark.django_db
def test_page_breaks_and_other_control_characters_are_stored_as_every_text_is(corpus):
    # As in the corpus: form feeds between pages (168 speeches of 2014-2015), CRs (1965, 1967, 1991), a C1 dash.
    speech = "Mr. President,\r\nThe war of\x97aggression\n\n\x0c\ndrags on\x01 to its third year.\x7f\r"
    corpus({speech_path("KOR", 2024): speech})()
    assert Statement.objects.get().text == "Mr. President,\nThe war of—aggression\n\n\n\ndrags on to its third year."


@pytest.mark.django_db
def test_without_a_speakers_sheet_speeches_are_the_governments(tmp_path):
    write_corpus(tmp_path / "corpus", {speech_path("KOR", 2019): MOON})
    assert figures(import_ungdc(tmp_path / "corpus"))["imported"] == 1
    assert Statement.objects.get().organization.name == "Government of South Korea"


@pytest.mark.slow
@pytest.mark.django_db
def test_one_real_session_imports(tmp_path):
    archive = need(UNGDC / "UNGDC_2014-2024.tgz", "The UN General Debate Corpus")
    call_command("load_demo", stdout=io.StringIO())
    output = import_ungdc(archive, "--since", 2024, "--until", 2024)
    assert figures(output)["imported"] == 192
    assert "TXT/Session 79 - 2024/.DS_Store: macOS folder settings, not a speech" in output
    speeches = Statement.objects.filter(external_id__startswith="ungdc:")
    assert speeches.filter(official=None).count() < 5
    assert speeches.get(external_id="ungdc:KOR:2024").official.slug == "cho-tae-yul"
    assert speeches.get(external_id="ungdc:EU:2024").country_id == "EU"
    assert Source.objects.filter(publisher="United Nations").count() == 1
    assert 150 < Official.objects.filter(statements__in=speeches).distinct().count() <= 192
    assert 0 < speeches.filter(topics__slug="ukraine").count() < 192 * 0.8


@pytest.mark.django_db
def test_a_failing_session_is_rolled_back_and_the_others_import(corpus, monkeypatch):
    create_statements = SessionImporter.create_statements

    def fail_in_2019(self, created):
        if self.year == 2019:
            raise RuntimeError("the disk is full")
        return create_statements(self, created)

    monkeypatch.setattr(SessionImporter, "create_statements", fail_in_2019)
    run = corpus(
        {speech_path("KOR", 2019): MOON, speech_path("KOR", 2020): MOON + " Again."},
        [speakers_row(2019, "KOR", "Moon Jae-in", "President"), speakers_row(2020, "KOR", "Moon Jae-in", "President")],
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 session"):
        run(out=out)
    assert "KOR_74_2019.txt: the 2019 session was not imported: RuntimeError: the disk is full" in out.getvalue()
    assert list(Statement.objects.values_list("external_id", flat=True)) == ["ungdc:KOR:2020"]
    position = Official.objects.get(name="Moon Jae-in").positions.get()
    assert position.attested_on == [datetime.date(2020, 9, 1)]  # 2019's was rolled back with its session.


def wait_for_sessions_waiting_on_locks(monitor, count, *processes, timeout=60):
    """Wait until this many of the test database's other sessions wait for a lock (processes still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"An import ended first: {process.communicate()}")
        row = monitor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()"
        ).fetchone()
        if row[0] >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"Fewer than {count} imports reached a lock.")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_import_at_once_waits_for_the_first(tmp_path):
    speeches = {speech_path(code, 2024): f"Speech of {code} on peace and development." for code in ["KOR", "JPN"]}
    corpus = write_corpus(tmp_path / "corpus", speeches)
    sheet = write_speakers(
        tmp_path / "speakers.xlsx", [(2024, "KOR", "Korea", "Tae-yul Cho", "Minister for Foreign Affairs")]
    )
    environment = os.environ | {"DATABASE_URL": database_url(), "DEBUG": ""}
    command = [sys.executable, "manage.py", "import_ungdc", str(corpus), "--speakers", str(sheet)]

    def start():
        return subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    # The first import is held in the middle of its session (at the citations, which it writes last) while the
    # second starts; then both may go on.
    with connect() as blocker, connect(autocommit=True) as monitor:
        blocker.execute("LOCK TABLE statements_citation IN ACCESS EXCLUSIVE MODE")
        first = start()
        wait_for_sessions_waiting_on_locks(monitor, 1, first)
        second = start()
        wait_for_sessions_waiting_on_locks(monitor, 2, first, second)
        blocker.rollback()
    answers = [process.communicate(timeout=300) for process in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], answers
    assert "Waiting for another import to finish" in answers[1][1]
    assert figures(answers[1][0])["unchanged"] == 2
    assert Statement.objects.count() == 2 and Official.objects.filter(name="Tae-yul Cho").count() == 1
