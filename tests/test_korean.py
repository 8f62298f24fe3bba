"""Korean search: statements indexed by their morphemes, searches read the same way, matches highlighted."""

import datetime

import pytest
from django.db import connection

from statements import korean, search
from statements.curation import linking
from statements.models import Official, Statement, copy_create
from statements.ungdc import people
from tests.factories import make_official, make_organization, make_statement
from tests.korean_search_set import NOUN_FORMS, VERB_FORMS, cases


def found(words):
    return set(Statement.objects.filter(search.matching(words)).values_list("pk", flat=True))


@pytest.fixture
def korean_set(db):
    """The test set's sentences as Korean statements: {(searched word, form): statement id}."""
    speaker = make_official(name="Lim Soo-suk")
    return {
        (word, form): make_statement(text=sentence, language="ko", official=speaker).pk
        for word, form, sentence in cases()
    }


@pytest.mark.django_db
def test_each_inflected_form_is_found_by_its_dictionary_form_and_nothing_else(korean_set):
    missed, extra = [], []
    for word in [*NOUN_FORMS, *VERB_FORMS]:
        expected = {pk for (searched, _), pk in korean_set.items() if searched == word}
        got = found(word)
        missed += [form for (searched, form), pk in korean_set.items() if searched == word and pk not in got]
        extra += [(word, pk) for pk in got - expected]
    assert missed == [], f"not found: {missed}"
    assert extra == [], f"found but not meant: {extra}"


@pytest.mark.django_db
@pytest.mark.parametrize("form", NOUN_FORMS["북한"])
def test_an_inflected_search_word_finds_the_other_forms(korean_set, form):
    assert found(form) == {pk for (word, _), pk in korean_set.items() if word == "북한"}


@pytest.mark.django_db
def test_word_for_word_search_missed_them():
    """What the analyser is for: PostgreSQL's simple parse of 북한은 is 북한은, which a search for 북한 misses."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', '북한은 비핵화를') @@ websearch_to_tsquery('simple', '북한')")
        assert cursor.fetchone()[0] is False


@pytest.mark.django_db
def test_mixed_english_and_korean_search_finds_a_statement_with_both_languages():
    bilingual = make_statement(
        text="North Korea must give up its nuclear weapons.",
        language="en",
        original_text="북한은 핵무기를 포기해야 한다.",
        original_language="ko",
    )
    korean_only = make_statement(text="북한은 대화에 나서야 한다.", language="ko")
    make_statement(text="Nuclear weapons are a threat.", language="en")
    assert found("nuclear 북한") == {bilingual.pk}
    assert found("북한의") == {bilingual.pk, korean_only.pk}
    assert found("북한 -nuclear") == {korean_only.pk}
    assert found("weapons -북한은") == set(found("weapons")) - {bilingual.pk}


@pytest.mark.django_db
def test_a_quoted_korean_phrase_matches_words_in_that_order():
    both = make_statement(text="정부는 북한의 비핵화를 촉구했다.", language="ko")
    make_statement(text="비핵화는 북한이 결정할 일이 아니다.", language="ko")
    assert found('"북한의 비핵화"') == {both.pk}


@pytest.mark.django_db
def test_particles_alone_search_for_nothing(client):
    response = client.get("/statements/", {"q": "에서"})
    assert "it holds no searchable words" in response.content.decode()


@pytest.mark.django_db
def test_korean_matches_are_highlighted_as_written(client):
    make_statement(text="북한은 비핵화를 거부했다고 외교부가 밝혔다.", language="ko")
    content = client.get("/statements/", {"q": "북한 밝히다"}).content.decode()
    assert "<mark>북한은</mark>" in content
    assert "<mark>밝혔다</mark>" in content
    assert "<mark>비핵화를</mark>" not in content


@pytest.mark.django_db
def test_mixed_search_highlights_english_and_korean(client):
    make_statement(text="한미동맹은 강화될 것이다. The alliance is strong.", language="ko")
    content = client.get("/statements/", {"q": "alliance OR 동맹"}).content.decode()
    assert "<mark>alliance</mark>" in content
    assert "<mark>한미동맹은</mark>" in content


@pytest.mark.django_db
def test_morphemes_follow_the_words_when_they_change():
    statement = make_statement(text="북한은 대화에 나서야 한다.", language="ko")
    statement.text = "일본은 대화에 나서야 한다."
    statement.save(update_fields=["text"])
    assert found("북한") == set()
    assert found("일본") == {statement.pk}


@pytest.mark.django_db
def test_english_statements_store_no_morphemes():
    statement = make_statement(text="We will strengthen the alliance.")
    assert Statement.objects.get(pk=statement.pk).search_morphemes is None


def test_a_search_is_read_into_morphemes():
    assert korean.analysed("북한은 sanctions") == "북한 sanctions"
    assert korean.analysed("-북한의 alliance") == "-북한 alliance"
    assert korean.analysed('"북한의 비핵화를"') == '"북한 비핵화"'
    assert korean.analysed("밝혔다") == "밝히"
    assert korean.analysed("no Korean at all") == "no Korean at all"


def test_stems_that_contract_are_highlighted_in_their_contracted_forms():
    assert set(korean.contracted("밝히")) == {"밝혀", "밝혔"}
    assert set(korean.contracted("만나")) == {"만났"}
    assert korean.contracted("먹") == []


@pytest.mark.django_db
def test_bulk_writes_read_the_morphemes_too():
    ministry = make_organization()
    rows = [
        Statement(
            text="북한의 도발을 규탄한다.", language="ko", organization=ministry, date=datetime.date(2024, 1, 1)
        ),
        Statement(text="일본과 협력하겠다.", language="ko", organization=ministry, date=datetime.date(2024, 1, 1)),
    ]
    copy_create(Statement, rows[:1])
    Statement.objects.bulk_create(rows[1:])
    assert found("북한") == {rows[0].pk}
    assert found("협력") == {rows[1].pk}


@pytest.mark.django_db
def test_a_hangul_name_finds_the_officials_english_statements():
    cho = make_official(name="Cho Tae-yul", native_name="조태열", other_names=["Tae-yul Cho"])
    said = make_statement(text="We will strengthen the alliance.", official=cho)
    make_statement(text="We will strengthen the alliance.", official=make_official(name="Park Jin"))
    assert found("조태열") == {said.pk}
    assert found("조태열 alliance") == {said.pk}
    assert found("조태열은") == {said.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["조태열", "Cho Tae-yul", "Tae-yul Cho"])
def test_the_official_filter_takes_the_name_in_hangul_or_in_either_order(client, name):
    cho = make_official(name="Cho Tae-yul")
    said = make_statement(text="The alliance is strong.", official=cho)
    other = make_statement(
        text="The alliance holds.", official=make_official(name="Cho Hyun-dong", native_name="조현동")
    )
    content = client.get("/statements/", {"official": name}).content.decode()
    assert said.get_absolute_url() in content
    assert other.get_absolute_url() not in content
    assert "closest name" not in content


@pytest.mark.django_db
def test_an_official_known_in_hangul_is_found_by_a_romanisation():
    lim = make_official(name="임수석", country="KR")
    assert list(Official.objects.matching_name("Lim Soo-suk")) == [lim]
    assert list(Official.objects.matching_name("임수석")) == [lim]
    assert list(Official.objects.matching_name("Lim Su-seok")) == [lim]
    assert list(Official.objects.matching_name("Kim Soo-suk")) == []


@pytest.mark.parametrize(
    ("hangul", "roman"),
    [
        ("조태열", "Cho Tae-yul"),
        ("조태열", "Tae-yul Cho"),
        ("조태열", "Jo Taeyeol"),
        ("반기문", "Ban Ki-moon"),
        ("윤석열", "Yoon Suk Yeol"),
        ("이재명", "Lee Jae-myung"),
        ("정의용", "Chung Eui-yong"),
        ("강경화", "Kang Kyung-wha"),
        ("김정은", "Kim Jong Un"),
        ("최선희", "Choe Son Hui"),
        ("리선권", "Ri Son Gwon"),
        ("박진", "Park Jin"),
        ("임수석", "Lim Soo-suk"),
    ],
)
def test_hangul_names_and_their_romanisations_are_one_person(hangul, roman):
    assert korean.same_person(hangul, roman)


@pytest.mark.parametrize(
    ("hangul", "roman"), [("조태열", "Cho Hyun-dong"), ("조태열", "Park Tae-yul"), ("박진", "Park Jin-woo")]
)
def test_other_names_are_not(hangul, roman):
    assert not korean.same_person(hangul, roman)


@pytest.mark.parametrize(
    ("first", "second", "likeness"),
    [
        ("조태열", "Cho Tae-yul", "same"),
        ("Tae-yul Cho", "조태열", "same"),
        ("Cho Taeyul", "Cho Tae-yul", "same"),
        ("Taeyul Cho", "Cho Tae-yul", "same"),
        ("조태열", "Cho Hyun-dong", ""),
        ("조태열", "조현동", ""),
    ],
)
def test_the_un_importers_people_matching_knows_korean_names(first, second, likeness):
    assert people.likeness(people.parse(first), people.parse(second)) == likeness


@pytest.mark.django_db
def test_a_korean_articles_speaker_in_hangul_is_linked_to_the_official():
    cho = make_official(name="Cho Tae-yul", country="KR")
    make_official(name="Cho Hyun-dong", country="KR")
    assert linking.match_official("조태열", "KR") == (cho, [cho])
    assert linking.match_official("Tae-yul Cho", "KR") == (cho, [cho])
