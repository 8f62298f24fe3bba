import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.curation import linking
from statements.ingest import Speaker
from statements.models import Statement
from tests.factories import make_official, make_organization, make_position, make_source, make_statement, make_topic

pytestmark = pytest.mark.django_db

NOV_12 = datetime.date(2024, 11, 12)


def test_an_official_is_matched_by_any_name_in_either_order():
    cho = make_official(name="Cho Tae-yul", other_names=["FM Cho"])
    assert linking.match_official("Tae-yul Cho") == (cho, [cho])
    assert linking.match_official("FM Cho")[0] == cho
    assert linking.match_official("Cho Hyun") == (None, [])
    assert linking.match_official(None) == (None, [])


def test_the_speakers_country_settles_a_shared_name_and_a_name_still_shared_gives_none():
    korean = make_official(name="Kim Young-sam", country="KR")
    make_official(name="Kim Young-sam", country="KP")
    assert linking.match_official("Kim Young-sam", "KR")[0] == korean
    official, matches = linking.match_official("Kim Young-sam")
    assert official is None and len(matches) == 2
    # A country that none of them has does not narrow the name down to nobody.
    assert len(linking.match_official("Kim Young-sam", "JP")[1]) == 2


def test_an_organization_is_matched_by_name_or_other_name_of_its_country():
    ministry = make_organization(name="Ministry of Foreign Affairs", other_names=["Foreign Ministry", "MOFA"])
    make_organization(name="Foreign Ministry", country="JP")
    assert linking.match_organization("foreign ministry", "KR") == ministry
    assert linking.match_organization("Ministry of Foreign Affairs", "KR") == ministry
    assert linking.match_organization("Foreign Ministry", "US") is None
    assert linking.match_organization(None, "KR") is None


def test_a_known_speaker_is_linked_with_the_organization_of_their_position():
    cho = make_official(name="Cho Tae-yul")
    ministry = make_organization(name="Ministry of Foreign Affairs")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    link = linking.link_speaker(Speaker(name="Tae-yul Cho", title="Foreign Minister", country="KR"), NOV_12, {"KR"})
    assert (link.mode, link.official, link.role, link.organization) == ("official", cho, "Foreign Minister", ministry)


def test_an_unknown_speaker_is_proposed_as_a_new_official_and_an_unnamed_one_by_description():
    new = linking.link_speaker(
        Speaker(name="Takeshi Iwaya", title="Foreign Minister", organization="Foreign Ministry", country="JP"),
        NOV_12,
        {"JP"},
    )
    assert (new.mode, new.name, new.role, new.country, new.new_organization) == (
        "new",
        "Takeshi Iwaya",
        "Foreign Minister",
        "JP",
        "Foreign Ministry",
    )
    ministry = make_organization(name="Ministry of Foreign Affairs", other_names=["Foreign Ministry"])
    unnamed = linking.link_speaker(
        Speaker(description="senior Foreign Ministry official", organization="Foreign Ministry", country="KR"),
        NOV_12,
        {"KR"},
    )
    assert (unnamed.mode, unnamed.attribution_text, unnamed.organization) == (
        "unnamed",
        "senior Foreign Ministry official",
        ministry,
    )


def test_words_are_compared_without_case_accents_or_punctuation():
    assert linking.words_key("“We don’t see any need,” he said — Café!") == "we don t see any need he said cafe"
    assert linking.words_key("We don't see ANY need") in linking.words_key("“We don’t see any need,” he said")


def test_earlier_statements_holding_a_quotes_words_are_found_in_one_query():
    source = make_source()
    cho = make_official(name="Cho Tae-yul")
    stated = make_statement(text="We don't see any need to change our foreign policy in a hurry at the moment.")
    mine = make_statement(
        text="We don't see any need to change our foreign policy in a hurry at the moment. Really.", official=cho
    )
    make_statement(text="The alliance will be firmly maintained and strengthened.", status=Statement.Status.RETRACTED)
    quotes = [
        "We don’t see any need to change our foreign policy in a hurry",
        "the alliance will be firmly maintained and strengthened",
        "crisis factor",
        "Words nobody has said before anywhere.",
    ]
    with CaptureQueriesContext(connection) as queries:
        found = linking.earlier_statements(quotes, source, [cho, None, None, None])
    assert len(queries) == 1
    # The quoted speaker's own statement comes first; a retracted one is never proposed; short quotes are skipped.
    assert found == [mine, None, None, None]
    assert linking.earlier_statements(quotes[:1], source, [None]) == [stated]


def test_a_statement_already_citing_the_source_is_not_an_earlier_statement():
    source = make_source()
    make_statement(text="We will never accept a nuclear North Korea.", source=source)
    assert linking.earlier_statements(["We will never accept a nuclear North Korea."], source, [None]) == [None]


def test_topics_are_proposed_from_their_search_terms_in_one_query_accents_ignored():
    peninsula = make_topic(name="Peninsula", search_terms='"Korean Peninsula" OR Pyongyang')
    make_topic(name="Climate", search_terms='"climate change"')
    make_topic(name="No terms")
    quotes = ["Peace on the Korean peninsula matters.", "Talks with Pyongyáng resume.", "Nothing here."]
    with CaptureQueriesContext(connection) as queries:
        topics = linking.proposed_topics(quotes)
    assert len(queries) == 2  # the match, then the topics themselves
    assert [[topic.pk for topic in found if topic.pk == peninsula.pk] for found in topics] == [
        [peninsula.pk],
        [peninsula.pk],
        [],
    ]
    assert linking.proposed_topics([]) == []


def test_citations_of_a_source_mark_the_quotations_they_overlap():
    source = make_source(full_text="x" * 100)
    statement = make_statement(source=None)
    statement.citations.create(source=source, start_offset=10, end_offset=60)
    spans = linking.cited_spans(source)
    assert linking.cited_by(spans, 20, 30) == statement.pk
    assert linking.cited_by(spans, 55, 70) == statement.pk
    assert linking.cited_by(spans, 60, 70) is None


def test_the_context_of_a_quotation_is_cut_at_spaces():
    text = "word " * 100 + "QUOTE" + " word" * 100
    before, quote, after = linking.context(text, 500, 505, around=30)
    assert quote == "QUOTE"
    assert before.startswith("…word") and before.endswith("word ")
    assert after.startswith(" word") and after.endswith("word…")
    assert linking.context("Short.", 0, 5) == ("", "Short", ".")


def test_candidates_of_an_article_without_quotations_are_none():
    source = make_source(full_text="Talks resume\nThe ministers met in Seoul and agreed to meet again next month.")
    assert linking.candidates(source) == []


def test_earlier_statements_are_looked_up_for_hundreds_of_quotations_at_once():
    # One OR chain of their phrases nested too deep for Python from a few hundred quotations on (a 500).
    statement = make_statement(text="The alliance between our two countries has never been stronger.")
    quotes = [f"words of quotation number {n} here" for n in range(500)] + [statement.text]
    found = linking.earlier_statements(quotes, make_source(), [None] * len(quotes))
    assert found == [None] * 500 + [statement]
