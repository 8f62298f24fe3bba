"""The extractor on real news it was never tuned on: PolNeAR's dev split and the sample, by the shared scorer."""

import pytest

from statements.ingest.extractor import CONFIDENCE
from statements.ingest.polnear import POLNEAR, SAMPLE, SCORER, calibration, score_polnear, score_sample
from tests.shared import need

# Floors a little under what was measured (README, Performance), so that a regression fails and noise does not.
DEV_WITH_SPEAKER_F1 = 0.74
DEV_QUOTE_PRECISION = 0.81
DEV_QUOTE_RECALL = 0.94
SAMPLE_F1 = 0.95


@pytest.fixture(scope="module")
def dev():
    need(SCORER, "The shared scorer")
    need(POLNEAR / "dev", "PolNeAR's dev split")
    return score_polnear("dev")


def test_dev_with_speaker(dev):
    assert dev["articles"] == 84
    assert dev["f1"] >= DEV_WITH_SPEAKER_F1, dev


def test_dev_quotation_marks_only(dev):
    assert dev["quote_precision"] >= DEV_QUOTE_PRECISION, dev
    assert dev["quote_recall"] >= DEV_QUOTE_RECALL, dev


def test_sample_article_by_the_shared_scorer():
    need(SCORER, "The shared scorer")
    need(SAMPLE, "The shared sample article")
    assert score_sample()["f1"] >= SAMPLE_F1


def test_confidence_is_what_was_measured_on_train():
    need(SCORER, "The shared scorer")
    need(POLNEAR / "train", "PolNeAR's train split")
    for (how, kind), (count, share) in calibration("train").items():
        if count < 20:
            continue
        confidence = CONFIDENCE.get((how, kind), CONFIDENCE[how, "other"])
        if kind == "pronoun":
            # Pronouns lose a tenth more for their resolution to a person, which the corpus does not annotate.
            assert confidence <= share, (how, kind, share)
        else:
            assert abs(confidence - share) <= 0.06, (how, kind, share)
