"""One statement, two languages: the original and its translation, found from either, shown both."""

import pytest
from django.core.exceptions import ValidationError

from statements import search
from statements.models import Statement
from tests.factories import make_official, make_statement

ORIGINAL = "북한의 비핵화는 한반도 평화의 출발점이라고 생각합니다."
TRANSLATION = "North Korea's denuclearization is the starting point of peace on the Korean Peninsula."


@pytest.fixture
def bilingual(db):
    cho = make_official(name="Cho Tae-yul", native_name="조태열")
    return make_statement(
        text=TRANSLATION,
        language="en",
        original_text=ORIGINAL,
        original_language="ko",
        translated_by=Statement.Translator.PUBLISHER,
        official=cho,
    )


def found(words):
    return set(Statement.objects.filter(search.matching(words)).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("words", ["denuclearization", "peninsula", "비핵화", "한반도의", "평화를", "조태열"])
def test_search_finds_it_from_either_language(bilingual, words):
    assert found(words) == {bilingual.pk}


@pytest.mark.django_db
def test_its_page_shows_both_versions_marked(client, bilingual):
    content = client.get(bilingual.get_absolute_url()).content.decode()
    assert 'lang="ko">' in content and ORIGINAL in content
    assert 'lang="en">' in content
    assert "Original · Korean" in content
    assert "Translation · English · The publisher&#x27;s translation" in content


@pytest.mark.django_db
def test_a_curators_translation_says_so(client, bilingual):
    bilingual.translated_by = Statement.Translator.CURATOR
    bilingual.save()
    assert "A curator&#x27;s translation" in client.get(bilingual.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_statement_in_one_language_shows_no_versions(client):
    statement = make_statement(text="We will strengthen the alliance.")
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "Translation ·" not in content and "Original ·" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "expected"), [("ko", {"bilingual", "korean"}), ("en", {"bilingual", "english"})])
def test_the_language_filter_means_has_words_in_that_language(client, bilingual, lang, expected):
    statements = {
        "bilingual": bilingual,
        "korean": make_statement(text="한미동맹을 강화하겠습니다.", language="ko"),
        "english": make_statement(text="We will strengthen the alliance."),
    }
    got = {pk for pk in Statement.objects.in_language(lang).values_list("pk", flat=True)}
    assert got == {statements[name].pk for name in expected}
    content = client.get("/statements/", {"lang": lang}).content.decode()
    for name, statement in statements.items():
        assert (statement.get_absolute_url() in content) == (name in expected)


@pytest.mark.django_db
def test_a_translator_needs_an_original(bilingual):
    bilingual.original_text = ""
    with pytest.raises(ValidationError, match="Only a translation has a translator"):
        bilingual.full_clean()


@pytest.mark.django_db
def test_the_api_gives_whose_translation_it_is(client, bilingual):
    data = client.get(f"/api/statements/{bilingual.pk}/").json()
    assert data["original_text"] == ORIGINAL
    assert data["translated_by"] == "publisher"


@pytest.mark.django_db
def test_a_search_that_matches_only_the_original_shows_the_original_marked(client, bilingual):
    content = client.get("/statements/", {"q": "비핵화"}).content.decode()
    assert "Original · Korean" in content
    assert 'lang="ko"' in content and "<mark>비핵화는</mark>" in content
    content = client.get("/statements/", {"q": "denuclearization"}).content.decode()
    assert "<mark>denuclearization</mark>" in content and "Original · Korean" not in content
