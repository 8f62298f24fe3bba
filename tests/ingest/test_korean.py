"""Korean news articles and briefings: each pattern of Korean news writing, and the annotated test articles."""

import datetime
import json
from pathlib import Path

import pytest

from statements.ingest import extract
from statements.ingest.countries import detect_countries
from statements.ingest.scoring import score

KOREAN = Path(__file__).parent / "korean"
NOV_12 = datetime.date(2024, 11, 12)


def quotes(text, published=NOV_12, **options):
    return [
        (q.quote, q.speaker.label if q.speaker else None, q.kind)
        for q in extract(text, published=published, **options).quotations
    ]


@pytest.mark.parametrize("verb", ["말했다", "밝혔다", "강조했다", "전했다", "덧붙였다", "설명했다", "말했습니다"])
@pytest.mark.parametrize("particle", ["라고", "고"])
def test_a_quotation_closed_by_a_quotative_and_a_speech_verb_is_the_subjects(verb, particle):
    text = f"조태열 외교부 장관은 12일 “북한의 도발은 용납할 수 없다”{particle} {verb}."
    assert quotes(text) == [("북한의 도발은 용납할 수 없다", "조태열", "direct")]


def test_a_quotation_of_several_sentences_is_one():
    text = (
        "조태열 외교부 장관은 “북한은 도발을 멈춰야 한다. 대화에 나서야 한다”고 말했다. 그는 “기다리겠다”고 덧붙였다."
    )
    assert quotes(text) == [
        ("북한은 도발을 멈춰야 한다. 대화에 나서야 한다", "조태열", "direct"),
        ("기다리겠다", "조태열", "direct"),
    ]


def test_a_quotation_closed_by_라고_했다_is_speech_and_another_verb_is_not():
    assert quotes("조태열 외교부 장관은 “협력하겠다”라고 했다.") == [("협력하겠다", "조태열", "direct")]
    assert quotes("조태열 외교부 장관은 “협력”이라는 단어를 자주 썼다.") == []


def test_a_quotation_without_a_subject_is_the_last_subjects():
    text = (
        "조태열 외교부 장관은 이날 기자회견을 열었다.\n\n“한미동맹은 굳건하다”고 말했다.\n\n"
        "“대화의 문은 열려 있다”라고 말한 바 있다."
    )
    assert [speaker for _, speaker, _ in quotes(text)] == ["조태열", "조태열"]


def test_a_speaker_named_after_the_quotation_speaks_it():
    text = "조태열 외교부 장관이 기자회견을 열었다.\n\n“동맹은 굳건하다”고 조 장관은 말했다."
    assert quotes(text) == [("동맹은 굳건하다", "조태열", "direct")]


def test_a_surname_and_title_and_a_pronoun_are_the_person_introduced():
    text = (
        "조태열 외교부 장관은 “대화의 문은 열려 있다”고 말했다.\n\n"
        "조 장관은 “압박도 계속할 것”이라고 강조했다.\n\n그는 “원칙을 지키겠다”고 덧붙였다."
    )
    got = extract(text, published=NOV_12).quotations
    assert [q.speaker.label for q in got] == ["조태열"] * 3
    assert [q.mention for q in got] == ["조태열 외교부 장관", "조 장관", "그"]
    assert got[0].speaker.title == "외교부 장관" and got[0].speaker.organization == "외교부"


def test_two_quotations_joined_by_며_have_one_speaker():
    text = "왕이 중국 외교부장은 “중국은 건설적 역할을 할 것”이라며 “긴장 고조를 자제해야 한다”고 밝혔다."
    assert [speaker for _, speaker, _ in quotes(text)] == ["왕이", "왕이"]


@pytest.mark.parametrize(
    ("subject", "description", "organization"),
    [
        ("외교부 당국자는", "외교부 당국자", "외교부"),
        ("정부 소식통은", "정부 소식통", "정부"),
        ("외교부 고위 당국자가", "외교부 고위 당국자", "외교부"),
    ],
)
def test_unnamed_officials_are_described_with_their_organization(subject, description, organization):
    quotation = extract(f"{subject} “협의를 계속하고 있다”고 전했다.", published=NOV_12).quotations[0]
    assert quotation.speaker.name is None
    assert (quotation.speaker.description, quotation.speaker.organization) == (description, organization)


def test_a_title_without_a_name_is_an_unnamed_speaker_of_its_organization():
    quotation = extract("북한 외무성 대변인은 “정당한 자위권 행사”라고 주장했다.", published=NOV_12).quotations[0]
    speaker = quotation.speaker
    assert (speaker.name, speaker.description, speaker.organization, speaker.country) == (
        None,
        "북한 외무성 대변인",
        "외무성",
        "KP",
    )


def test_a_senior_official_without_an_organization_takes_the_one_the_article_named():
    text = "외교부는 이날 입장을 냈다.\n\n고위 당국자는 “상황을 주시하고 있다”고 말했다."
    quotation = extract(text, published=NOV_12).quotations[0]
    assert (quotation.speaker.description, quotation.speaker.organization) == ("고위 당국자", "외교부")


def test_indirect_speech_is_a_paraphrase_by_the_subject():
    text = "조태열 외교부 장관은 이날 기자회견에서 북한이 도발을 멈춰야 한다고 밝혔다."
    assert quotes(text) == [("북한이 도발을 멈춰야 한다", "조태열", "paraphrase")]


def test_a_quoted_term_is_no_statement():
    text = "통일부는 이번 조치를 ‘적대적 두 국가’ 노선으로 본다. 현장에는 “평화”라는 현수막이 걸렸다."
    assert quotes(text) == []


def test_a_quoted_phrase_the_subject_calls_something_is_partial():
    text = "조태열 외교부 장관은 북한의 미사일 발사를 “명백한 도발”로 규정했다."
    assert quotes(text) == [("명백한 도발", "조태열", "partial")]


@pytest.mark.parametrize(
    ("when", "date", "basis"),
    [
        ("지난 12일", datetime.date(2024, 11, 12), "relative"),
        ("20일", datetime.date(2024, 10, 20), "relative"),
        ("11월 3일", datetime.date(2024, 11, 3), "stated"),
        ("12월 30일", datetime.date(2023, 12, 30), "stated"),
        ("2024년 9월 1일", datetime.date(2024, 9, 1), "stated"),
        ("오늘", datetime.date(2024, 11, 14), "relative"),
        ("어제", datetime.date(2024, 11, 13), "relative"),
    ],
)
def test_korean_dates_are_read_against_the_publication_date(when, date, basis):
    quotation = extract(
        f"조태열 외교부 장관은 {when} “협력하겠다”고 말했다.", published=datetime.date(2024, 11, 14)
    ).quotations[0]
    assert (quotation.date, quotation.date_basis) == (date, basis)


def test_이날_is_the_day_last_named():
    text = "조태열 외교부 장관은 11월 3일 방한했다.\n\n조 장관은 이날 “협력하겠다”고 말했다."
    assert extract(text, published=NOV_12).quotations[0].date == datetime.date(2024, 11, 3)


def test_countries_named_in_korean_are_mentions():
    assert detect_countries("미국은 북한의 도발을 규탄했고 일본, 중국과 협의했다. 한미동맹과 북러 협력") == [
        "US",
        "KP",
        "JP",
        "CN",
        "KR",
        "RU",
    ]
    assert detect_countries("인도적 지원을 계속한다. 주한미군") == []


def test_a_korean_briefing_is_read_as_a_transcript_of_its_spokesperson():
    text = (KOREAN / "mofa-ko-briefing.txt").read_text()
    extraction = extract(text, published=NOV_12)
    assert extraction.kind == "transcript"
    assert {q.speaker.label for q in extraction.quotations} == {"임수석"}
    assert all(q.kind == "speech" for q in extraction.quotations)
    assert not any("있습니까" in q.quote for q in extraction.quotations)  # Questions are not statements.
    assert all(q.date == NOV_12 for q in extraction.quotations)


def test_english_texts_are_read_as_before():
    text = '"We will strengthen the alliance," Foreign Minister Cho Tae-yul said on Tuesday.'
    assert quotes(text) == [("We will strengthen the alliance,", "Cho Tae-yul", "direct")]


@pytest.mark.parametrize("path", sorted(KOREAN.glob("*.txt")), ids=lambda path: path.stem)
def test_the_annotated_korean_texts(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    text = path.read_text()
    extraction = extract(text, published=datetime.date.fromisoformat(expected["source"]["published"]))
    result = score(extraction.quotations, expected, text)
    assert result["unplaced"] == []
    assert result["char_precision"] >= 0.95 and result["char_recall"] >= 0.95, result


def test_an_english_article_knows_a_korean_name_in_either_order_and_joined():
    text = (
        "SEOUL -- South Korean Foreign Minister Cho Tae-yul spoke on Tuesday.\n"
        '"We will keep working with Washington," Cho said.\n'
        '"The alliance is ironclad," said Tae-yul Cho at a later briefing.\n'
        '"We are ready," Taeyul Cho added.'
    )
    assert {speaker for _, speaker, _ in quotes(text)} == {"Cho Tae-yul"}
