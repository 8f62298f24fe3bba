import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from statements.models import Citation, Official, Source, Statement
from statements.text import first_words, normalized, xml_text
from tests.factories import make_official, make_source, make_statement

BEFORE = [("statements", "0013_merged_officials_not_chosen")]


@pytest.mark.parametrize(
    "text, stored",
    [
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("page one\x0cpage two\x0bline", "page one\npage two\nline"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("no\x00 NUL, \x1bescape, \x7fDEL", "no NUL, escape, DEL"),
        (
            "Windows-1252 read as Latin-1: \x93quoted\x94 \x97 Dra\x9akovic",
            "Windows-1252 read as Latin-1: “quoted” — Draškovic",
        ),
        ("undefined in Windows-1252: \x81\x8d\x8f\x90\x9d", "undefined in Windows-1252: "),
        ("조태열 🇰🇷 \u2028 \ufffe", "조태열 🇰🇷 \u2028 \ufffe"),
    ],
)
def test_text_is_stored_with_line_breaks_as_lf_and_no_other_control_character(text, stored):
    assert normalized(text) == stored


def test_xml_text_drops_what_xml_cannot_carry_and_keeps_the_rest():
    assert xml_text("a\x00b\x0cc\x1bd\ud800e\ufffef\uffffg") == "abcdefg"
    assert xml_text("tab\t, LF\n, CR\r, C1\x85, DEL\x7f, 😀") == "tab\t, LF\n, CR\r, C1\x85, DEL\x7f, 😀"


@pytest.mark.django_db
def test_a_model_save_stores_no_control_character():
    official = make_official(name="Cho\x0cTae-yul", other_names=["\x1b", "Tae-yul\x01 Cho"])
    official.refresh_from_db()
    assert (official.name, official.other_names) == ("Cho\nTae-yul", ["Tae-yul Cho"])
    assert [key for key in official.name_keys if not key.startswith("kr:")] == ["cho tae yul"]  # Korean keys beside.


@pytest.mark.django_db
def test_the_database_refuses_control_characters_a_bulk_insert_did_not_normalise():
    official = make_official()
    with pytest.raises(IntegrityError, match="statement_text_without_controls"):
        Statement.objects.bulk_create([Statement(text="page\x0cbreak", official=official, date="2024-11-12")])


@pytest.mark.slow
@pytest.mark.django_db
def test_the_migration_cleans_each_row_as_a_new_version_of_its_history_and_moves_citation_offsets(curator_client):
    # Made with today's models, then taken back to before the migration (later ones undone too) and dirtied there.
    source = make_source(full_text="placeholder")
    statement = make_statement(text="placeholder", mentions=["US", "KP"])
    citation = Citation.objects.create(statement=statement, source=source, start_offset=0, end_offset=1)
    connection.check_constraints()  # Checked now, for the tables to be altered in this transaction.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    text = 'Seoul, Nov. 12.\r\nPage one.\x0c\r\nCho said: "We will\x01 strengthen the alliance."\r\n'
    quote = "We will\x01 strengthen the alliance."
    with connection.cursor() as cursor:
        # Written as they could be before: the admin stored a browser's CRLF, the importer form feeds.
        cursor.execute("UPDATE statements_source SET full_text = %s", [text])
        cursor.execute("UPDATE statements_statement SET text = %s", [quote])
        cursor.execute("UPDATE statements_official SET name = %s", ["Cho\x0bTae-yul\x7f"])
        cursor.execute(
            "UPDATE statements_citation SET start_offset = %s, end_offset = %s",
            [text.index(quote), text.index(quote) + len(quote)],
        )
    versions = statement.history.count()

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # The migration, and the later ones: today's models.

    source.refresh_from_db()
    statement.refresh_from_db()
    citation.refresh_from_db()
    assert source.full_text == 'Seoul, Nov. 12.\nPage one.\n\nCho said: "We will strengthen the alliance."\n'
    assert statement.text == "We will strengthen the alliance."
    assert source.full_text[citation.start_offset : citation.end_offset] == statement.text
    assert statement.official.name == "Cho\nTae-yul"
    assert [key for key in statement.official.name_keys if not key.startswith("kr:")] == ["cho tae yul"]
    assert statement.version == 2
    # The cleaning is a version of its own, after the one that still holds what was there.
    latest, before = statement.history.all()[:2]
    assert statement.history.count() == versions + 1
    assert (latest.history_type, latest.history_change_reason, latest.text) == (
        "~",
        "Removed control characters",
        statement.text,
    )
    assert sorted(latest.mentioned_countries.values_list("country_id", flat=True)) == ["KP", "US"]
    assert before.text == "placeholder"  # History rows are the record of what was stored: left as they were.
    assert citation.history.latest().history_change_reason == "Removed control characters"
    assert Official.history.latest().history_change_reason == "Removed control characters"
    assert Source.history.latest().history_change_reason == "Removed control characters"
    history = curator_client.get(reverse("admin:statements_statement_history", args=[statement.pk]))
    assert "Removed control characters" in history.content.decode()
    with pytest.raises(IntegrityError, match="source_text_without_controls"), connection.cursor() as cursor:
        cursor.execute("UPDATE statements_source SET full_text = %s", ["again\x0c"])


TEXTS = [
    "",
    "   ",
    "One.",
    "Eight words, no more: one two three four five",
    "Nine  words\n\nacross lines\tand tabs, one two three four",
    "  Leading and trailing spaces, many of them, more than eight words in all   ",
    "북한은 대화에 나서야 한다. 우리는 동맹을 강화할 것이다. 한미 동맹은 굳건하다.",
    "word " * 500,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("count", [1, 8, 9, 90])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_first_words_are_those_of_django_s_truncator(text, count, language):
    with translation.override(language):
        assert first_words(text, count) == Truncator(text).words(count)
        assert first_words(text, count, truncate="") == Truncator(text).words(count, truncate="")
