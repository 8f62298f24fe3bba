"""The shared sample article, scored against its hand-made answer."""

import datetime
import json

import pytest

from statements.ingest import extract
from statements.ingest.scoring import score
from tests.shared import SAMPLE, need

PUBLISHED = datetime.date(2024, 11, 12)


@pytest.fixture(scope="module")
def sample():
    text = need(SAMPLE, "The shared sample article").read_text()
    expected = json.loads(need(SAMPLE.with_name(SAMPLE.stem + ".expected.json"), "Its answer").read_text())
    return text, expected, extract(text, published=PUBLISHED)


def test_precision_and_recall(sample):
    text, expected, extraction = sample
    result = score(extraction.quotations, expected, text)
    for measure in ("precision", "recall", "char_precision", "char_recall"):
        assert result[measure] >= 0.95, (measure, result)


def test_quoted_terms_are_not_returned_as_quotations(sample):
    _, expected, extraction = sample
    returned = {quotation.quote.strip(" ,.") for quotation in extraction.quotations}
    assert not returned & set(expected["not_quotes"])


def test_cho_is_quoted_on_the_day_of_the_press_conference(sample):
    _, _, extraction = sample
    dates = {quotation.date for quotation in extraction.quotations if quotation.speaker.name == "Cho Tae-yul"}
    assert dates == {PUBLISHED}


def test_both_speakers_are_found(sample):
    _, _, extraction = sample
    cho, official = extraction.speakers
    assert (cho.name, cho.title, cho.country) == ("Cho Tae-yul", "Foreign Minister", "KR")
    assert (official.name, official.description, official.organization, official.country) == (
        None,
        "senior Foreign Ministry official",
        "Foreign Ministry",
        "KR",
    )


def test_json_contract(sample):
    _, _, extraction = sample
    record = extraction.quotations[0].as_dict()
    assert list(record) == [
        "quote",
        "start",
        "end",
        "kind",
        "speaker",
        "mention",
        "mention_start",
        "mention_end",
        "cue",
        "date",
        "countries",
        "confidence",
        "date_basis",
    ]
    assert record["date"] == "2024-11-12"
    assert record["date_basis"] == "relative"  # "said Tuesday"
    assert 0.9 <= record["confidence"] <= 1
    json.dumps(extraction.as_dict())
