"""The extractor on real news it was never tuned on: PolNeAR's dev split and the sample, by the shared scorer."""

import pytest

from statements.ingest.polnear import POLNEAR, SAMPLE, SCORER, score_polnear, score_sample

from .helpers import require_shared

# Floors a little under what was measured (README, Performance), so that a regression fails and noise does not.
DEV_WITH_SPEAKER_F1 = 0.74
DEV_QUOTE_PRECISION = 0.81
DEV_QUOTE_RECALL = 0.94
SAMPLE_F1 = 0.95


@pytest.fixture(scope="module")
def dev():
    require_shared(SCORER, POLNEAR / "dev")
    return score_polnear("dev")


def test_dev_with_speaker(dev):
    assert dev["articles"] == 84
    assert dev["f1"] >= DEV_WITH_SPEAKER_F1, dev


def test_dev_quotation_marks_only(dev):
    assert dev["quote_precision"] >= DEV_QUOTE_PRECISION, dev
    assert dev["quote_recall"] >= DEV_QUOTE_RECALL, dev


def test_sample_article_by_the_shared_scorer():
    require_shared(SCORER, SAMPLE)
    assert score_sample()["f1"] >= SAMPLE_F1
