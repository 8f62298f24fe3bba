import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from statements.models import (
    Citation,
    Country,
    Official,
    Position,
    Statement,
    StatementTopic,
    Topic,
    copy_create_with_history,
)
from tests.factories import (
    make_official,
    make_organization,
    make_position,
    make_source,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db


def assert_rejected(model_instance, constraint_name, message):
    """The model's validation explains the problem, and the database refuses the row all the same."""
    with pytest.raises(ValidationError, match=message):
        model_instance.full_clean()
    with pytest.raises(IntegrityError, match=constraint_name), transaction.atomic():
        model_instance.save()


def test_a_statement_needs_an_official_or_an_organization():
    statement = Statement(text="No one said this.", date=datetime.date(2024, 1, 1))
    assert_rejected(statement, "statement_has_speaker", "Give the official who spoke")


def test_an_unnamed_speaker_with_an_organization_is_accepted():
    statement = make_statement(organization=make_organization(), attribution_text="a senior official")
    assert statement.official is None
    assert statement.country_id == "KR"


def test_a_statement_needs_words():
    statement = Statement(text="", official=make_official(), date=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError, match="statement_has_words"), transaction.atomic():
        statement.save()


def test_a_published_statement_must_have_been_reviewed():
    statement = Statement(
        text="Words.", official=make_official(), date=datetime.date(2024, 1, 1), status=Statement.Status.PUBLISHED
    )
    assert_rejected(statement, "statement_reviewed_before_publication", "must have been reviewed")


def test_a_position_cannot_end_before_it_starts():
    position = Position(
        official=make_official(),
        organization=make_organization(),
        role="Ambassador",
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 4, 1),
    )
    assert_rejected(position, "position_dates_in_order", "cannot end before it starts")


def test_citation_offsets_must_be_in_order():
    citation = Citation(
        statement=make_statement(), source=make_source(full_text="x" * 100), start_offset=50, end_offset=10
    )
    assert_rejected(citation, "citation_offsets_in_order", "the end after the start")


def test_a_statement_is_cited_once_per_source():
    source = make_source()
    statement = make_statement(source=source)
    with pytest.raises(IntegrityError, match="citation_once_per_source"), transaction.atomic():
        Citation.objects.create(statement=statement, source=source)


def test_source_urls_are_unique_but_may_be_blank():
    make_source(url="https://example.com/a")
    make_source(url="")
    make_source(url="")
    with pytest.raises(IntegrityError, match="source_unique_url"), transaction.atomic():
        make_source(url="https://example.com/a")


def test_wikidata_ids_are_unique_and_well_formed():
    make_official(wikidata_id="Q42")
    with pytest.raises(IntegrityError, match="official_unique_wikidata_id"), transaction.atomic():
        make_official(wikidata_id="Q42")
    with pytest.raises(ValidationError, match="looks like Q12345"):
        Official(name="Someone", slug="someone", wikidata_id="42").full_clean()


def test_slugs_are_unique_and_made_from_names():
    first = make_official(name="Cho Tae-yul")
    second = make_official(name="Cho Tae-yul")
    assert (first.slug, second.slug) == ("cho-tae-yul", "cho-tae-yul-2")
    with pytest.raises(IntegrityError, match="slug"), transaction.atomic():
        make_official(name="Another", slug="cho-tae-yul")


def test_topics_nest_one_level_deep():
    parent = make_topic(name="Korean Peninsula")
    child = make_topic(name="Denuclearization", parent=parent)
    grandchild = Topic(name="Too deep", slug="too-deep", parent=child)
    with pytest.raises(ValidationError, match="one level deep"):
        grandchild.full_clean()
    parent.parent = make_topic(name="Asia")
    with pytest.raises(ValidationError, match="has subtopics of its own"):
        parent.full_clean()


def test_a_topic_cannot_be_its_own_parent():
    topic = make_topic()
    topic.parent_id = topic.pk
    with pytest.raises(IntegrityError, match="topic_not_own_parent"), transaction.atomic():
        topic.save()


def test_a_statement_has_a_topic_once():
    topic = make_topic()
    statement = make_statement(topics=[topic])
    with pytest.raises(IntegrityError, match="statement_topic_once"), transaction.atomic():
        StatementTopic.objects.create(statement=statement, topic=topic)


def test_country_codes_are_iso_codes():
    with pytest.raises(IntegrityError, match="country_code_format"), transaction.atomic():
        Country.objects.create(code="kr1", name="Bad")


def test_countries_include_former_states_and_the_eu():
    assert Country.objects.get(code="KR").name == "South Korea"
    assert Country.objects.get(alpha3="SUN").code == "SUHH"
    assert Country.objects.get(code="YUCS").kind == Country.Kind.FORMER_STATE
    assert Country.objects.get(code="EU").kind == Country.Kind.UNION


def test_topic_ids_include_parent_topics_and_follow_changes():
    peninsula = make_topic(name="Korean Peninsula")
    denuclearization = make_topic(name="Denuclearization", parent=peninsula)
    statement = make_statement(topics=[denuclearization])
    assert sorted(statement.topic_ids) == sorted([peninsula.pk, denuclearization.pk])
    assert list(Statement.objects.about(peninsula)) == [statement]

    denuclearization.parent = None
    denuclearization.save()
    statement.refresh_from_db()
    assert statement.topic_ids == [denuclearization.pk]

    StatementTopic.objects.filter(statement=statement).delete()
    statement.refresh_from_db()
    assert statement.topic_ids == []


def test_saving_a_stale_statement_does_not_undo_its_topics():
    statement = make_statement()
    stale = Statement.objects.get(pk=statement.pk)
    topic = make_topic()
    StatementTopic.objects.create(statement=statement, topic=topic)
    stale.text = "Edited words."
    stale.save()
    stale.refresh_from_db()
    assert stale.topic_ids == [topic.pk]


def test_the_search_vector_holds_words_speaker_names_and_attribution():
    official = make_official(name="Cho Tae-yul", native_name="조태열", other_names=["FM Cho"])
    statement = make_statement(text="The alliance will be strengthened.", official=official)
    anonymous = make_statement(
        text="No comment.", organization=make_organization(), attribution_text="a senior Foreign Ministry official"
    )

    def found(words):
        return set(Statement.objects.filter(search_vector=words).values_list("pk", flat=True))

    assert found("alliance") == {statement.pk}
    assert found("cho") == {statement.pk}
    assert found("조태열") == {statement.pk}
    assert found("ministry") == {anonymous.pk}

    official.name = "Cho Taeyul"
    official.save()
    assert found("taeyul") == {statement.pk}


def test_a_statements_words_are_parsed_again_only_when_they_or_its_speaker_change():
    statement = make_statement(text="The alliance will be strengthened.")
    topic = make_topic()

    def update(assignments):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE statements_statement SET {assignments} WHERE id = %s", [statement.pk])

    def mark():
        """A search vector no parse gives, to see whether one ran."""
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # No foreign key check pending: the table may be altered.
            cursor.execute("ALTER TABLE statements_statement DISABLE TRIGGER statement_derive")
            update("search_vector = to_tsvector('simple', 'marker')")
            cursor.execute("ALTER TABLE statements_statement ENABLE TRIGGER statement_derive")

    def searchable(words):
        return Statement.objects.filter(pk=statement.pk, search_vector=words).exists()

    mark()
    StatementTopic.objects.create(statement=statement, topic=topic)  # Its topics change: its words are kept.
    statement.refresh_from_db()
    assert statement.topic_ids == [topic.pk] and searchable("marker")
    update("search_vector = to_tsvector('simple', 'stale'), official_id = official_id")  # An older copy's.
    assert searchable("marker") and not searchable("stale")
    update("text = 'Peace on the peninsula.'")
    assert searchable("peninsula") and not searchable("marker")
    mark()
    update("search_vector = NULL")  # Parse again, as after a change the columns do not show (names).
    assert searchable("peninsula") and not searchable("marker")


def test_a_statement_takes_its_country_and_role_from_the_speaker():
    official = make_official(country="JP")
    make_position(official=official, role="Minister for Foreign Affairs", start_date=datetime.date(2023, 9, 13))
    statement = make_statement(official=official, date=datetime.date(2024, 3, 1))
    assert (statement.country_id, statement.role) == ("JP", "Minister for Foreign Affairs")


def test_officials_are_found_by_any_name_in_any_order():
    official = make_official(name="Cho Tae-yul", other_names=["FM Cho"])
    assert list(Official.objects.matching_name("Tae-yul Cho")) == [official]
    assert list(Official.objects.matching_name("CHO TAE YUL")) == [official]
    assert list(Official.objects.matching_name("fm cho")) == [official]
    assert list(Official.objects.matching_name("Cho Hyun-dong")) == []


def test_the_position_on_a_date_is_the_one_held_then():
    official = make_official()
    make_position(
        official=official, role="Ambassador", start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2019, 1, 1)
    )
    minister = make_position(official=official, role="Minister", start_date=datetime.date(2024, 1, 10))
    assert official.position_on(datetime.date(2024, 11, 12)) == minister
    assert official.position_on(datetime.date(2017, 5, 1)).role == "Ambassador"
    assert official.position_on(datetime.date(2020, 5, 1)) is None


def test_a_stated_term_comes_before_an_attestation_and_a_timeless_post_before_neither():
    official = make_official()
    seen = make_position(official=official, role="President", attested_on=[datetime.date(2019, 9, 1)])
    assert official.position_on(datetime.date(2019, 9, 24)) == seen
    assert official.position_on(datetime.date(2019, 10, 1)) is None  # Not seen that month: nothing made up.
    term = make_position(
        official=official, role="President", start_date=datetime.date(2017, 5, 10), end_date=datetime.date(2022, 5, 9)
    )
    assert official.position_on(datetime.date(2019, 9, 24)) == term
    timeless = make_position(official=official, role="Party leader")  # Entered without dates: a term, unknown.
    assert official.position_on(datetime.date(2023, 1, 1)) == timeless
    assert official.position_on(datetime.date(2019, 9, 24)) == term  # The most recent start first.


@pytest.mark.parametrize(
    ("precision", "shown"), [("day", "12 November 2024"), ("month", "November 2024"), ("year", "2024")]
)
def test_dates_are_shown_at_their_precision(precision, shown):
    assert make_statement(date_precision=precision).date_display == shown


@pytest.mark.django_db
def test_copy_create_stores_what_bulk_create_does_with_the_same_history():
    def official(name):
        made = Official(name=name, country_id="KR", other_names=["Ban Ki Moon"], match_evidence=[])
        made.derive_names()
        made.fill_slug()
        return made

    created, copied = official("Ban Ki-moon"), official("Ban Ki-moon II")
    Official.objects.bulk_create([created])
    Official.history.bulk_history_create([created], default_change_reason="Imported")
    copy_create_with_history(Official, [copied], "Imported")

    def stored(pk):
        """The row and its history row, but what differs by name or time."""
        unique = {"id", "name", "slug", "sort_name", "name_keys", "created_at", "updated_at", "history_id"}
        rows = [Official.objects.values().get(pk=pk), Official.history.filter(id=pk).values().get()]
        return [{key: value for key, value in row.items() if key not in unique | {"history_date"}} for row in rows]

    assert copied.pk not in (None, created.pk)
    assert stored(copied.pk) == stored(created.pk)
    assert Official.objects.get(pk=copied.pk).other_names == ["Ban Ki Moon"]


def test_a_positions_dates_are_written_in_english_whatever_the_readers_language():
    """Its dates go into English sentences ("from ... to ...") and into the open data's labels (popolo_dates)."""
    from django.utils import translation

    term = Position(role="Minister", start_date=datetime.date(2017, 5, 10), end_date=datetime.date(2022, 5, 9))
    attested = Position(role="President", attested_on=[datetime.date(2017, 9, 1)])
    with translation.override("ko"):
        assert term.when_display == "from 10 May 2017 to 9 May 2022"
        assert attested.popolo_dates()["label"] == "attested as President in September 2017"


@pytest.mark.django_db
def test_addresses_are_those_reverse_gives_each_pattern_reversed_once_a_script_prefix(monkeypatch):
    """A page's links to officials, topics, countries, sources and statements are Django's own addresses, under the
    site's script prefix, with each URL pattern reversed once (reverse() takes some 40 µs a link)."""
    from django.urls import reverse, set_script_prefix

    from statements import models

    officials = [make_official(name=f"Official {n}", country="KR") for n in range(3)]
    topic, source = make_topic(name="Peninsula security"), make_source(title="A report")
    statement = make_statement(official=officials[0], text="We will strengthen the alliance.")
    expected = {
        "officials": [reverse("official_detail", args=[official.slug]) for official in officials],
        "topic": reverse("topic_detail", args=[topic.slug]),
        "source": reverse("source_detail", args=[source.pk]),
        "country": reverse("country_detail", args=["KR"]),
        "statement": reverse("statement_detail", args=[statement.pk, statement.slug]),
    }
    reversed_ = []
    monkeypatch.setattr(models, "reverse", lambda *args, **kwargs: reversed_.append(args) or reverse(*args, **kwargs))
    monkeypatch.setattr(models, "_reversed", {})
    for _ in range(2):
        assert [official.get_absolute_url() for official in officials] == expected["officials"]
        assert topic.get_absolute_url() == expected["topic"] and source.get_absolute_url() == expected["source"]
        assert officials[0].country.get_absolute_url() == expected["country"]
        assert statement.get_absolute_url() == expected["statement"]
    assert sorted(name for name, *_ in reversed_) == sorted(
        ["official_detail", "topic_detail", "source_detail", "country_detail", "statement_detail"]
    )
    set_script_prefix("/diplotrack/")  # Served under a path: the addresses are under it too.
    try:
        assert (
            topic.get_absolute_url() == "/diplotrack" + expected["topic"] == reverse("topic_detail", args=[topic.slug])
        )
    finally:
        set_script_prefix("/")
