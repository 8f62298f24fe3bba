import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from statements.models import Citation, Official, Organization, Source, Statement
from tests.shared import SAMPLES, need

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def normalized(text):
    """The words alone, in order: word for word means these match, whatever the punctuation between them."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def counts():
    models = [Statement, Official, Organization, Source, Citation, Statement.history.model]
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_loads_once_and_a_second_run_changes_nothing():
    load_demo()
    first = counts()
    assert first["Statement"] >= 10
    assert "0 statement(s) created" in load_demo()
    assert counts() == first


def test_every_expected_quotation_is_in_a_published_statement_of_its_speaker():
    answer_file = need(SAMPLES / "joongang-cho-tae-yul-us-alliance.expected.json", "The sample answer")
    answer = json.loads(answer_file.read_text())
    load_demo()
    published = Statement.objects.published().select_related("official")
    words_by_speaker = {
        "Cho Tae-yul": [normalized(s.text) for s in published if s.official and s.official.name == "Cho Tae-yul"],
        "senior Foreign Ministry official": [normalized(s.text) for s in published if s.official is None],
    }
    for quote in answer["quotes"]:
        texts = words_by_speaker[quote["speaker"]]
        assert any(normalized(quote["text"]) in text for text in texts), quote["text"]


def test_the_demo_holds_the_article_its_speakers_and_citations():
    load_demo()
    source = Source.objects.get()
    assert (source.publisher, source.author, str(source.published_on)) == (
        "Korea JoongAng Daily",
        "Lim Jeong-won",
        "2024-11-12",
    )
    cho = Official.objects.get(slug="cho-tae-yul")
    assert cho.native_name == "조태열"
    assert list(Official.objects.matching_name("Tae-yul Cho")) == [cho]
    assert cho.positions.get().role == "Minister of Foreign Affairs"
    unnamed = Statement.objects.filter(official=None)
    assert set(unnamed.values_list("attribution_text", flat=True)) == {"a senior Foreign Ministry official"}
    assert set(unnamed.values_list("organization__name", flat=True)) == {"Ministry of Foreign Affairs"}
    for citation in Citation.objects.select_related("statement", "source"):
        cited = citation.source.full_text[citation.start_offset : citation.end_offset]
        first_words = normalized(citation.statement.text)[:30]
        assert normalized(cited).startswith(first_words)
        assert normalized(cited).rstrip().endswith(normalized(citation.statement.text)[-20:].rstrip())
    assert Statement.objects.filter(mentioned_countries="KP", topics__slug="denuclearization").exists()


def test_no_admin_account_unless_asked():
    load_demo()
    assert not User.objects.exists()


def test_the_admin_account_has_a_known_password_only_in_debug_mode(settings):
    settings.DEBUG = False
    output = load_demo("--with-admin")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert not admin.check_password("admin")
    password = re.search(r"password '([^']+)'", output).group(1)
    assert admin.check_password(password)


def test_the_admin_account_in_debug_mode(settings):
    settings.DEBUG = True
    load_demo("--with-admin")
    assert User.objects.get(username="admin").check_password("admin")


def test_the_demo_reuses_an_official_already_imported_under_another_name_order():
    from tests.factories import make_official

    imported = make_official(name="Tae-yul Cho", country="KR")
    load_demo()
    assert Official.objects.filter(country="KR").count() == 1
    assert Statement.objects.filter(official=imported).count() == 3
