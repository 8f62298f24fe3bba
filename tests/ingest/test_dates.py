"""Statement dates from clues in the attribution, resolved against the publication date."""

import datetime

import pytest

from statements.ingest.dates import date_clues

from .helpers import article, run

TUESDAY = datetime.date(2024, 11, 12)


@pytest.mark.parametrize(
    ("clue", "date"),
    [
        ("said Tuesday", datetime.date(2024, 11, 12)),
        ("said on Monday", datetime.date(2024, 11, 11)),
        ("said on Wednesday", datetime.date(2024, 11, 6)),
        ("said yesterday", datetime.date(2024, 11, 11)),
        ("said today", datetime.date(2024, 11, 12)),
        ("said last week", datetime.date(2024, 11, 5)),
        ("said on Nov. 11", datetime.date(2024, 11, 11)),
        ("said on November 11", datetime.date(2024, 11, 11)),
        ("said on 11 November", datetime.date(2024, 11, 11)),
        ("said on Dec. 20", datetime.date(2023, 12, 20)),
        ("said on Nov. 11, 2021", datetime.date(2021, 11, 11)),
    ],
)
def test_clues_resolve_against_publication(clue, date):
    [found] = [found.date for found in date_clues(f"The minister {clue}.", TUESDAY)]
    assert found == date


def test_relative_clues_need_a_publication_date():
    assert [clue.date for clue in date_clues("He spoke on Monday, Nov. 11, 2024.", None)] == [
        None,
        datetime.date(2024, 11, 11),
    ]


def test_nearest_clue_in_the_attribution_dates_the_quotation():
    text = article(
        'Foreign Minister Cho Tae-yul said Tuesday that ties were strong.\n"We met on Friday," Cho said on Monday.'
    )
    assert [quotation.date for quotation in run(text, TUESDAY).quotations] == [datetime.date(2024, 11, 11)]


def test_later_quotations_of_the_speaker_take_the_lead_date():
    text = article(
        'Foreign Minister Cho Tae-yul said Tuesday that ties were "strong."\n'
        'Officials prepared for the summit.\n"We are ready," Cho added.'
    )
    assert [quotation.date for quotation in run(text, TUESDAY).quotations] == [TUESDAY, TUESDAY]


def test_no_clue_and_no_publication_date_gives_none():
    text = article('"We are ready," Foreign Minister Cho Tae-yul said on Tuesday.')
    assert [quotation.date for quotation in run(text, None).quotations] == [None]
    text = article('"We are ready," Foreign Minister Cho Tae-yul said.')
    assert [quotation.date for quotation in run(text, TUESDAY).quotations] == [None]
