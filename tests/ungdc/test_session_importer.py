"""The importer's parts on their own: a session, the speakers registry, the summary; no command, no files."""

import datetime
from collections import Counter

import pytest
from django.db import transaction

from statements.models import Official, Position, Statement
from statements.ungdc.importer import SessionImporter, Speakers, Summary
from statements.ungdc.reader import Skip, SpeakerRow, Speech
from tests.factories import make_official, make_topic

pytestmark = pytest.mark.django_db


def speech(code, year, text):
    session = year - 1945
    return Speech(
        path=f"TXT/Session {session} - {year}/{code}_{session}_{year}.txt",
        code=code,
        session=session,
        year=year,
        text=text,
    )


def sheet(*rows):
    """The speakers sheet's rows by (year, country code), as import_corpus reads them."""
    by_country = {}
    for year, country, name, post in rows:
        row = SpeakerRow(year=year, session=year - 1945, code="", country="", name=name, post=post)
        by_country.setdefault((year, country), []).append(row)
    return by_country


def run(session):
    with transaction.atomic():
        session.run()
    return session.summary


def test_a_session_makes_statements_speakers_and_positions():
    climate = make_topic(name="Climate", search_terms='"climate change"')
    speakers = Speakers()
    session = SessionImporter(
        2019,
        [(speech("KOR", 2019, "Climate change is the crisis of our time. Japan agrees."), "KR")],
        sheet((2019, "KR", "H.E. Mr. Moon Jae-in", "President ")),
        speakers,
        topics=[(climate.pk, climate.search_terms)],
    )
    summary = run(session)

    assert (summary.imported, summary.officials_created, summary.positions_created) == (1, 1, 1)
    assert summary.topics == Counter({climate.pk: 1})
    statement = Statement.objects.select_related("official", "organization").get()
    assert (statement.official.name, statement.role, statement.attribution_text) == (
        "Moon Jae-in",
        "President",
        "H.E. Mr. Moon Jae-in",
    )
    assert statement.organization.name == "Government of South Korea"
    assert statement.official.name_keys == ["in jae moon", "kr:문:jaein"]  # Made as save() makes them.
    assert statement.official.slug == "moon-jae-in"
    assert list(statement.topic_links.values_list("topic", "machine_assigned")) == [(climate.pk, True)]
    assert list(statement.mentioned_countries.values_list("code", flat=True)) == ["JP"]
    assert statement.topic_ids == [climate.pk]  # The trigger's, from the links saved before the statement.


def test_one_registry_across_sessions_keeps_one_official_and_extends_the_position():
    speakers = Speakers()
    for year, printed in [(2017, "Moon Jae-in"), (2018, "MOON JAE-IN")]:
        run(
            SessionImporter(
                year,
                [(speech("KOR", year, "Peace."), "KR")],
                sheet((year, "KR", printed, "President")),
                speakers,
                topics=[],
            )
        )
    moon = Official.objects.get()
    position = Position.objects.get()
    assert (position.official, position.start_date, position.end_date) == (moon, None, None)
    assert position.attested_on == [datetime.date(2017, 9, 1), datetime.date(2018, 9, 1)]
    assert position.version == 2


def test_a_renamed_officials_version_is_counted_from_the_row_a_curator_saved_meanwhile():
    frederick = make_official(name="Frederick Mitchell", country="BS")
    speakers = Speakers()  # The import reads the official at version 1...
    frederick.sort_name = "Mitchell, Frederick"
    frederick.save()  # ...then a curator saves version 2...
    session = SessionImporter(
        2015,
        [(speech("BHS", 2015, "One."), "BS")],
        sheet((2015, "BS", "Mr. Frederick A. Mitchell", "Minister")),
        speakers,
        topics=[],
    )
    run(session)
    frederick.refresh_from_db()
    assert frederick.other_names == ["Frederick A. Mitchell"]
    assert frederick.version == 3  # ...so the import's change is version 3, and a form showing version 2 is stale.
    assert frederick.history.first().version == 3


def test_a_new_officials_slug_is_unique_among_those_taken():
    make_official(name="Park Jin", country="KR")
    run(
        SessionImporter(
            2023,
            [(speech("PRK", 2023, "Two."), "KP")],
            sheet((2023, "KP", "Park Jin", "Vice-Minister")),
            Speakers(),
            topics=[],
        )
    )
    assert sorted(Official.objects.values_list("slug", "country")) == [("park-jin", "KR"), ("park-jin-2", "KP")]


def test_a_failed_session_leaves_its_figures_out_and_the_registry_can_forget_it():
    speakers = Speakers()
    session = SessionImporter(
        2019, [(speech("KOR", 2019, "One."), "KR")], sheet((2019, "KR", "Moon Jae-in", "")), speakers, topics=[]
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        session.run()
        raise RuntimeError("the disk is full")
    assert not Official.objects.exists()
    speakers.load()
    again = SessionImporter(
        2019, [(speech("KOR", 2019, "One."), "KR")], sheet((2019, "KR", "Moon Jae-in", "")), speakers, topics=[]
    )
    assert run(again).officials_created == 1
    assert Official.objects.get().name == "Moon Jae-in"


def test_summaries_add_up():
    total = Summary(imported=1, skipped=[Skip("a", "why")], speakers={1}, topics=Counter({7: 1}))
    total.add(Summary(imported=2, unchanged=1, skipped=[Skip("b", "why")], speakers={1, 2}, topics=Counter({7: 2})))
    assert (total.imported, total.unchanged, total.speakers, total.topics) == (3, 1, {1, 2}, Counter({7: 3}))
    assert [skip.path for skip in total.skipped] == ["a", "b"]
