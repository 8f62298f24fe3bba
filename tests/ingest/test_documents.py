"""Transcripts and press releases, in the styles of real sources, held above a floor of 0.95.

Measured with benchmarks/extract_accuracy.py (token and character level, the kind detected from the text): 1.00
precision and recall on every document. The same answers are scored by the shared scorer
(../shared/tools/score_quotes.py seed), as the issue measures them.
"""

import contextlib
import datetime
import importlib.util
import io
import json
from pathlib import Path

import pytest

from statements.ingest import extract
from statements.ingest.kinds import detect_kind
from statements.ingest.scoring import score
from tests.shared import SHARED, need

DOCUMENTS = Path(__file__).resolve().parent / "documents"
ARTICLES = Path(__file__).resolve().parent / "articles"
SCORER = SHARED / "tools" / "score_quotes.py"
POLNEAR = SHARED / "data" / "polnear"
FLOOR = 0.95
ANSWERS = sorted(DOCUMENTS.glob("*.expected.json"))


def answer_and_text(answer):
    expected = json.loads(answer.read_text())
    return expected, (DOCUMENTS / expected["file"]).read_text()


def test_there_are_three_transcripts_and_three_releases_at_least():
    kinds = [json.loads(answer.read_text())["document_kind"] for answer in ANSWERS]
    assert kinds.count("transcript") >= 3 and kinds.count("release") >= 3


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda path: path.name.removesuffix(".expected.json"))
def test_document_is_read_as_its_kind_and_scores_above_floor(answer):
    expected, text = answer_and_text(answer)
    assert detect_kind(text) == expected["document_kind"]
    published = datetime.date.fromisoformat(expected["source"]["published"])
    extraction = extract(text, published=published)
    assert extraction.kind == expected["document_kind"]
    result = score(extraction.quotations, expected, text)
    assert not result["unplaced"]
    for measure in ("precision", "recall", "char_precision", "char_recall"):
        assert result[measure] >= FLOOR, (measure, result)
    statements = [quotation for quotation in extraction.quotations if quotation.kind == "speech"]
    assert statements and {quotation.date for quotation in statements} == {
        datetime.date.fromisoformat(expected["statement_date"])
    }
    for quotation in extraction.quotations:
        assert text[quotation.start : quotation.end] == quotation.quote
        if quotation.mention is not None:
            assert text[quotation.mention_start : quotation.mention_end] == quotation.mention


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda path: path.name.removesuffix(".expected.json"))
def test_document_scores_above_floor_with_the_shared_scorer(answer, tmp_path):
    spec = importlib.util.spec_from_file_location("score_quotes", need(SCORER, "The shared scorer"))
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    expected, text = answer_and_text(answer)
    published = datetime.date.fromisoformat(expected["source"]["published"])
    quotes = [quotation.as_dict() for quotation in extract(text, published=published).quotations]
    predictions = tmp_path / "predictions.json"
    predictions.write_text(json.dumps({"file": expected["file"], "quotes": quotes}))
    with contextlib.redirect_stdout(io.StringIO()):
        precision, recall, _ = scorer.score_seed(answer, DOCUMENTS / expected["file"], predictions)
    assert precision >= FLOOR and recall >= FLOOR, (precision, recall)


@pytest.mark.parametrize("article", sorted(ARTICLES.glob("*.txt")), ids=lambda path: path.stem)
def test_news_articles_are_read_as_articles(article):
    # Among them a story about a State Department briefing and one about a ministry's statement.
    assert detect_kind(article.read_text()) == "article"


def test_real_news_never_tuned_on_is_read_as_articles():
    # PolNeAR's 924 train and dev texts, among them interviews printed as Q and A under a story's own opening.
    texts = sorted(need(POLNEAR, "PolNeAR").glob("*/text/*.txt"))
    assert len(texts) >= 900
    assert [path.name for path in texts if detect_kind(path.read_text(encoding="utf-8")) != "article"] == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        extract("Some text.", kind="poem")
