"""The scoring rule of the samples README: token positions in the text, with the speaker."""

import pytest

from statements.ingest.records import Quotation
from statements.ingest.scoring import score

TEXT = 'Cho said the tie is "rock solid." "We are ready. Talks can start," he said. Kim said "no."\n'
EXPECTED = {
    "speakers": {
        "Cho Tae-yul": {"kind": "named", "full_name": "Cho Tae-yul", "other_names": ["Cho"]},
        "Kim": {"kind": "named", "full_name": "Kim Yong-hyun", "other_names": ["Kim"]},
    },
    "quotes": [
        {"speaker": "Cho Tae-yul", "kind": "partial", "text": "rock solid."},
        {"speaker": "Cho Tae-yul", "kind": "direct", "text": "We are ready. Talks can start,"},
    ],
    "optional_quotes": [{"speaker": "Kim", "kind": "partial", "text": "no."}],
}


def quotation(quote: str, speaker: str | None) -> dict:
    start = TEXT.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote), "speaker": speaker}


def test_perfect_extraction():
    result = score(
        [quotation("rock solid.", "Cho Tae-yul"), quotation("We are ready. Talks can start,", "Cho")], EXPECTED, TEXT
    )
    assert (result["precision"], result["recall"], result["char_precision"], result["char_recall"]) == (1, 1, 1, 1)


def test_splitting_or_joining_quotations_does_not_matter():
    split = [
        quotation("rock solid.", "cho tae-yul"),
        quotation("We are ready.", "Cho"),
        quotation("Talks can start,", "Cho"),
    ]
    assert score(split, EXPECTED, TEXT)["recall"] == 1


def test_wrong_speaker_counts_as_missed_and_wrong():
    result = score([quotation("We are ready. Talks can start,", "Kim")], EXPECTED, TEXT)
    assert (result["precision"], result["recall"]) == (0, 0)


def test_partial_recall_counts_tokens():
    result = score([quotation("We are ready.", "Cho")], EXPECTED, TEXT)
    assert result["precision"] == 1
    assert result["recall"] == pytest.approx(3 / 8)


def test_optional_quotations_do_not_hurt_precision_or_recall():
    result = score([quotation("no.", "Kim"), quotation("rock solid.", "Cho")], EXPECTED, TEXT)
    assert result["precision"] == 1
    assert result["recall"] == pytest.approx(2 / 8)


def test_quotation_objects_are_accepted():
    start = TEXT.index("rock solid.")
    quote = Quotation(quote="rock solid.", start=start, end=start + 11, kind="partial")
    assert score([quote], EXPECTED, TEXT)["precision"] == 0


def test_text_is_required():
    with pytest.raises(ValueError, match="article text"):
        score([], EXPECTED)
