"""Korean briefings and articles through the curation review: read, linked to the officials the database knows by
their English names, and saved as Korean statements that Korean search finds."""

import datetime
from pathlib import Path

import pytest

from statements import search
from statements.models import Source, Statement
from tests.curation.helpers import ingested, review_data, review_url
from tests.factories import make_official, make_organization, make_position, make_statement

pytestmark = pytest.mark.django_db

KOREAN = Path(__file__).parents[1] / "ingest" / "korean"


@pytest.fixture
def ministry(db):
    return make_organization(name="Ministry of Foreign Affairs", country="KR")


def test_a_korean_briefing_is_reviewed_linked_and_saved(curator_client, ministry):
    lim = make_official(name="Lim Soo-suk", country="KR")
    make_position(official=lim, organization=ministry, role="Spokesperson", start_date=datetime.date(2024, 1, 1))
    text = (KOREAN / "mofa-ko-briefing.txt").read_text()
    source, response = ingested(curator_client, text, publisher="외교부", language="ko", published_on="2024-11-12")
    assert source.kind == Source.Kind.TRANSCRIPT
    rows = response.context["rows"]
    assert len(rows) == 4
    first = rows[0]["form"].initial
    assert (first["kind"], first["speaker"], first["official"]) == ("speech", "official", lim)  # 임수석 is Lim.

    response = curator_client.post(review_url(source), review_data(response))
    assert response.status_code == 302, response.context["formset"].errors
    saved = Statement.objects.filter(sources=source)
    assert saved.count() == 4 and {statement.official for statement in saved} == {lim}
    assert {statement.language for statement in saved} == {"ko"}
    found = Statement.objects.filter(search.matching("파병")).filter(sources=source)
    assert [statement.text[:12] for statement in found] == ["정부는 북한군의 러시아"]


def test_a_korean_articles_speaker_is_linked_by_the_hangul_name_and_the_ministry(curator_client, ministry):
    cho = make_official(name="Cho Tae-yul", country="KR")
    text = (KOREAN / "yonhap-ko-foreign-minister.txt").read_text()
    _, response = ingested(curator_client, text, publisher="연합뉴스", language="ko", published_on="2024-11-12")
    rows = response.context["rows"]
    officials = [row["form"].initial.get("official") for row in rows]
    assert officials[:6] == [cho] * 6
    unnamed = rows[6]["form"].initial
    assert (unnamed["speaker"], unnamed["attribution_text"], unnamed["organization"]) == (
        "unnamed",
        "외교부 당국자",
        ministry,
    )


def test_saving_a_korean_review_keeps_the_officials_hangul_name_and_search_finds_his_english_words(
    curator_client, ministry
):
    cho = make_official(name="Cho Tae-yul", country="KR")
    english = make_statement(text="We will strengthen the alliance.", official=cho)
    assert not Statement.objects.filter(search.matching("조태열")).exists()
    text = (KOREAN / "yonhap-ko-foreign-minister.txt").read_text()
    source, response = ingested(curator_client, text, publisher="연합뉴스", language="ko", published_on="2024-11-12")
    response = curator_client.post(review_url(source), review_data(response))
    assert response.status_code == 302, response.context["formset"].errors
    cho.refresh_from_db()
    assert cho.native_name == "조태열"
    assert english in Statement.objects.filter(search.matching("조태열"))


def test_a_hangul_name_of_another_person_is_not_kept():
    cho = make_official(name="Cho Tae-yul", country="KR")
    assert not cho.learn_native_name("조현동")
    assert not cho.learn_native_name("Cho Tae-yul")
    assert cho.learn_native_name("조태열") and cho.native_name == "조태열"
    assert not cho.learn_native_name("조태열")  # Known already.


def test_a_korean_text_pasted_as_english_is_korean(curator_client, ministry):
    text = (KOREAN / "yonhap-ko-foreign-minister.txt").read_text()
    source, _ = ingested(curator_client, text, publisher="연합뉴스", language="en", published_on="2024-11-12")
    assert source.language == "ko"
