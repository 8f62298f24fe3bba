"""The extractor's shortcuts must give what the regexes they stand for give."""

import pytest

from statements.ingest import extract
from statements.ingest.dates import CLUE_START_RE
from statements.ingest.layout import body_paragraphs
from statements.ingest.lexicon import WORD_ANCHOR_RE
from statements.ingest.mentions import TOKEN_RE, Word, tokenize
from statements.ingest.quotes import find_quotes, mask_quotes, sentence_bounds, sentence_stops

from .helpers import article

TRICKY = [
    "Cho said, “We are ready.” (Yonhap) -- U.S.-Japan ties; Cho's and Cho’s views",
    "said.\tThe  minister—told\xa0reporters: ‘value diplomacy’ U.S said—--- x_y _said -said",
    "~~~ ~~~,” said Cho. ~said A&B’s 2024-11-05 mid-January 5 ’90s can't",
    "",
    " ",
    "--",
    "a-",
]


def regex_tokens(text: str) -> list[tuple[str, int]]:
    return [(match.group(), match.start()) for match in TOKEN_RE.finditer(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_the_token_regex_matches(text):
    tokens = tokenize(text)
    assert list(zip(tokens.texts, tokens.starts, strict=True)) == regex_tokens(text)
    for index, word in enumerate(tokens.words):
        assert tokens.end(index) == tokens.starts[index] + len(word.text)


def test_tokens_skip_masked_quotations():
    text = article('Cho said, “We are ready, and we will talk,” and left. "Soon," he added.')
    masked, regions = mask_quotes(text, find_quotes(body_paragraphs(text)))
    assert len(regions) == 2
    tokens = tokenize(masked, skip=regions)
    assert list(zip(tokens.texts, tokens.starts, strict=True)) == regex_tokens(masked)


@pytest.mark.parametrize(
    "text",
    [
        "said",
        "Minister",
        "Minister's",
        "officials",
        "officials-",
        "U.S.said",
        "Cho’said",
        "_said",
        "x-said",
        "Janet",
        "today",
        "Today",
        "mid-January",
        "2024",
        "x2024",
        "Monday.",
        "Thisbe",
        "lasting",
        "İstanbul",
        "saying",
    ],
)
def test_word_records_agree_with_the_regexes(text):
    word = Word(text)
    assert word.anchors == tuple(
        (match.start(), match.end(), match.group()) for match in WORD_ANCHOR_RE.finditer(text)
    )
    assert word.clue == (CLUE_START_RE.search(text) is not None)


def test_a_speech_verb_after_a_literal_tilde_counts():
    text = article('Foreign Minister Cho Tae-yul spoke.\n"We are ready," Cho ~said.')
    [quotation] = extract(text).quotations
    assert (quotation.speaker.name, quotation.cue) == ("Cho Tae-yul", "said")


def test_sentence_bounds_with_and_without_precomputed_stops():
    text = "He met U.S. officials. The talks ended! Were they useful? Yes… maybe. Mr. Cho left."
    assert sentence_bounds(text) == sentence_bounds(text, 0, len(text), sentence_stops(text))
    assert len(sentence_bounds(text)) == 5
