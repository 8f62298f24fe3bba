"""A search's phrases of two words found by their pairs of neighbouring words (statements_bigrams, in the index
statement_bigrams): the same statements that their positions find, and only where that holds."""

import pytest
from django.db import connection
from django.http import QueryDict

from statements import search
from statements.models import Statement
from statements.query import ExplorerQuery
from tests.factories import make_official, make_statement
from tests.test_query import matches_in_sql

pytestmark = pytest.mark.django_db

TEXTS = [
    ("The United States and the United Nations.", "en"),
    ("States united in purpose.", "en"),  # Both words, the other way round.
    ("The United Kingdom and the States of the Gulf.", "en"),  # Both words, apart.
    ("United, the States stand together.", "en"),  # A stop word between: two positions apart.
    ("The United States of America and the Security Council.", "en"),
    ("Security Council resolutions, and the council for security.", "en"),
    ("Nuclear-weapon states must give up nuclear weapons.", "en"),  # A compound's parts.
    ("Weapons, nuclear and other.", "en"),
    ("United States, United States, United States.", "en"),  # The pair again and again.
    ("Des armes nucléaires, et les États-Unis.", "fr"),  # The simple parse, accents dropped.
    ("북한 핵 문제와 한미 동맹", "ko"),
    ("Iran and the United States.", "en"),
]

# Each with a phrase of two words that must hold: found by its pair.
PAIRED = [
    '"united states"',
    '"United States" -america',
    '"united states" "security council"',
    'nations "united states"',
    '"nuclear weapons"',
    '"states united"',
    '"armes nucleaires"',
    '"북한 핵"',
    '"security council" -iran',
]
# Each with a phrase that the positions still decide: a longer one, a negated one, one among alternatives.
NOT_PAIRED = [
    '"united states of america"',
    '-"united states" united',
    '"united states" or "security council"',
    '"united states" security or council',  # ('unit' <-> 'state' & 'secur') | 'council'
    '"nuclear weapon states"',
    "united states",
]
# Written oddly: whatever their parses, the same statements, and a page.
ODD = [
    '"united states',  # Unclosed.
    '"it\'s united states"',
    '"united\\states" council',  # A backslash.
    '"co-operation council"',  # A compound, as parts.
    '"u.s. policy"',
    '""',
    '"the of"',  # Stop words alone.
    '"united" "states"',
    '"united states" & | !',
    '"북한은 핵" united',
]


@pytest.fixture
def texts():
    official = make_official(country="US")
    return [make_statement(text=text, language=language, official=official) for text, language in TEXTS]


@pytest.mark.parametrize("words", PAIRED + NOT_PAIRED + ODD)
def test_a_searchs_parts_find_what_its_positions_find(texts, words):
    """The parts' statements are every match's (matches_in_sql: each statement by the parse of its language), whether
    its phrases are found by their pairs or by their positions."""
    parts = search.matching_parts(words)
    found = sorted(
        pk for part in parts for pk in Statement.objects.published().filter(part).values_list("pk", flat=True)
    )
    assert found == matches_in_sql(words, "id")
    if words not in ODD:
        assert (search.paired(words) != (None, None)) == (words in PAIRED)


@pytest.mark.parametrize("words", ODD)
def test_a_page_answers_a_phrase_written_oddly(texts, client, words):
    """Counted and ranked by the parts, paged, rendered: a page, not an error. Without a word but stop words, the
    search is left out (with a note) and every statement counts."""
    expected = len(matches_in_sql(words, "id")) if search.has_lexemes(words) else len(texts)
    for sort in ("relevance", "date"):  # "-date", the default, is redirected to the address without it.
        response = client.get("/statements/", {"q": words, "sort": sort})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == expected


def test_phrases_found_by_their_pairs_find_some_statements_and_not_others(texts):
    """The searches above are not all trivially empty or full: a phrase's pair finds its statements only."""
    sizes = {words: len(matches_in_sql(words, "id")) for words in PAIRED}
    # "United States, United States" holds "states united" too.
    assert sizes['"united states"'] == 4 and sizes['"states united"'] == 2 and sizes['"nuclear weapons"'] == 1
    assert sizes['"armes nucleaires"'] == 1 and sizes['"북한 핵"'] == 1 and sizes['"United States" -america'] == 3


def test_the_pairs_are_the_words_next_to_each_other():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statements_bigrams(to_tsvector('english', 'The United States of America, the United States.'))"
        )
        assert cursor.fetchone()[0] == "'unit state'"  # "of" leaves "states" and "america" two positions apart.
        cursor.execute("SELECT statements_bigrams(to_tsvector('simple', 'a b a b c'))")
        assert cursor.fetchone()[0] == "'a b' 'b a' 'b c'"
        cursor.execute("SELECT statements_bigrams(''::tsvector)")
        assert cursor.fetchone()[0] == ""


def test_a_parse_is_split_into_its_words_and_its_pairs():
    assert search.paired('"united states" -iran')[0] == ("'unit' & 'state' & ! 'iran'", "'unit state'")
    assert search.paired('"security council" "united nations"')[0] == (
        "'secur' & 'council' & 'unit' & 'nation'",
        "'secur council' & 'unit nation'",
    )
    assert search.split_pairs("'a' <-> 'b' | 'c'") is None  # Alternatives: no pair must hold.
    assert search.split_pairs("!( 'a' <-> 'b' ) & 'c'") is None  # Negated: the positions decide.
    assert search.split_pairs("'a' <-> 'b' <-> 'c'") is None  # Three words: the positions decide.
    assert search.split_pairs("'a' <2> 'b'") is None  # Two positions apart.
    assert search.split_pairs("'a':* <-> 'b'") is None  # A prefix: not a plain lexeme.
    assert search.split_pairs("'it''s' <-> 'b'") == ("'it''s' & 'b'", "'it''s b'")
    assert search.split_pairs("'a' & 'b'") is None  # No phrase.
    assert search.split_pairs("") is None


def test_a_search_with_a_filter_of_its_own_index_finds_phrases_by_their_positions(texts):
    """An official, an organization or mentions may find fewer statements than the pair does: the planner then checks
    each one's words, which it cannot do with the pair's (see query.FOUND_ELSEWHERE)."""

    def sql(params):
        return " ".join(str(part.query) for part in ExplorerQuery(QueryDict(params)).matching_parts())

    official = texts[0].official.slug
    assert "statements_bigrams" in sql("q=%22united+states%22&country=US")
    assert "statements_bigrams" not in sql(f"q=%22united+states%22&official={official}")
    assert "statements_bigrams" not in sql("q=%22united+states%22&mentions=KP")
