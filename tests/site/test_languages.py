"""The public pages in English or Korean: chosen by the browser's language or by the switch, which is a plain form."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, engines
from django.utils import translation

from diplotrack.i18n_tags import TranslatedOnce
from statements.models import Country, local_country_name
from tests.factories import make_official, make_source, make_statement

pytestmark = pytest.mark.django_db


def test_pages_are_in_english_by_default(client):
    content = client.get("/statements/").content.decode()
    assert '<html lang="en">' in content and ">Statements</a>" in content and "Search words" in content


@pytest.mark.parametrize("url", ["/", "/statements/"])
def test_a_korean_browser_gets_the_korean_interface(client, url):
    response = client.get(url, headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    content = response.content.decode()
    assert '<html lang="ko">' in content
    assert ">발언</a>" in content and "검색어" in content and "필터 적용" in content
    assert "Accept-Language" in response.headers["Vary"]


def test_counts_and_pages_are_translated(client):
    make_statement(text="북한은 대화에 나서야 한다.", language="ko")
    content = client.get("/statements/", {"q": "북한"}, headers={"Accept-Language": "ko"}).content.decode()
    assert "“북한” 검색 결과 <strong>1</strong>건" in content


def test_a_statement_page_marks_original_and_translation_in_korean(client):
    statement = make_statement(
        text="North Korea must denuclearize.",
        original_text="북한은 비핵화해야 한다.",
        original_language="ko",
        translated_by="publisher",
        official=make_official(name="Cho Tae-yul"),
    )
    content = client.get(statement.get_absolute_url(), headers={"Accept-Language": "ko"}).content.decode()
    assert "원문 · 한국어" in content and "번역 · 영어 · 발행처의 번역" in content
    english = client.get(statement.get_absolute_url()).content.decode()
    assert "Original · Korean" in english and "Translation · English" in english


def test_the_switch_sets_the_language_and_returns_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/statements/?q=alliance"})
    assert response.status_code == 302 and response.url == "/statements/?q=alliance"
    assert response.cookies["django_language"].value == "ko"
    content = client.get("/statements/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="ko">' in content  # The choice outranks the browser's language.


def test_the_switch_is_a_form_on_every_page_that_works_without_javascript(client):
    content = client.get("/topics/").content.decode()
    assert '<form class="language-switch" action="/i18n/setlang/" method="post">' in content
    assert '<option value="ko" lang="ko">한국어</option>' in content
    assert '<input type="hidden" name="next" value="/topics/">' in content


def test_the_header_written_once_a_process_is_each_pages_own_in_each_language(client):
    # base.html writes its header once a process for each language and section: the current link, the language, the
    # page to return to after a switch and the switch's own choice are still each request's own.
    pages = ["/topics/", "/officials/", "/topics/", "/statements/?q=peace", "/countries/", "/officials/"]
    for language in ["en", "ko", "en"]:
        for page in pages:
            content = client.get(page, headers={"Accept-Language": language}).content.decode()
            header = content[content.index('<header class="site-header">') : content.index("</header>")]
            current = re.findall(r'<a href="([^"]+)" aria-current="page">', header)
            assert current == [page.split("?")[0]], (language, page, current)
            assert f'<input type="hidden" name="next" value="{page}">' in header
            assert f'<option value="{language}" lang="{language}" selected>' in header
            statements = ">Statements</a>" if language == "en" else ">발언</a>"
            assert statements in header and header.count("</a></li>") == 4
            assert f'<html lang="{language}">' in content


def test_the_labels_translated_once_a_process_are_in_each_readers_language(client):
    # A constant {% translate %} keeps its text for each language (diplotrack.i18n_tags), as Django's tag writes it.
    for language, label, help_text in [
        ("en", "Search words", 'Words, "a phrase", -excluded, OR'),
        ("ko", "검색어", '낱말, "구절", -제외, OR'),
        ("en", "Search words", 'Words, "a phrase", -excluded, OR'),
    ]:
        content = client.get("/statements/", headers={"Accept-Language": language}).content.decode()
        assert f'<label for="id_q">{label}</label>' in content
        assert f'<p class="help" id="q-help">{help_text}</p>' in content
    template = engines["django"].from_string(
        """{% load i18n_once %}{% translate 'Words, "a phrase", -excluded, OR' %}"""
    )
    assert isinstance(template.template.nodelist[-1], TranslatedOnce)
    for language, written in [("en", 'Words, "a phrase", -excluded, OR'), ("ko", '낱말, "구절", -제외, OR')]:
        with translation.override(language):
            assert (
                template.template.render(Context()) == template.template.render(Context(autoescape=False)) == written
            )
    # Anything but a constant is Django's own tag, translated each time.
    variable = engines["django"].from_string("{% load i18n_once %}{% translate label %}{% translate 'Any'|upper %}")
    assert not any(isinstance(node, TranslatedOnce) for node in variable.template.nodelist)
    with translation.override("ko"):
        assert variable.render({"label": "Search words"}) == "검색어전체"
    assert variable.render({"label": "Search words"}) == "Search wordsANY"
    # Every template of ours loads it, in place of Django's own library.
    loads = [
        (path.name, tags)
        for path in (Path(settings.BASE_DIR) / "templates").rglob("*.*")
        for tags in re.findall(r"{% load ([^%]*)%}", path.read_text())
    ]
    assert loads and not [(name, tags) for name, tags in loads if "i18n" in tags.split()]
    assert any("i18n_once" in tags.split() for _, tags in loads)


@pytest.mark.parametrize(
    ("data", "goes_to"),
    [
        ({"language": "ko", "next": "https://evil.example/"}, "/"),
        ({"language": "xx", "next": "/topics/"}, "/topics/"),
        ({"language": "<script>", "next": "javascript:alert(1)"}, "/"),
        ({}, "/"),
    ],
)
def test_the_switch_never_sends_elsewhere_nor_fails(client, data, goes_to):
    response = client.post("/i18n/setlang/", data)
    assert response.status_code == 302 and response.url == goes_to
    assert "django_language" not in response.cookies or response.cookies["django_language"].value == "ko"


def test_pages_set_no_cookie_until_a_language_is_chosen(client):
    assert not client.get("/statements/").cookies


def catalogue():
    """(context, message, plural, translation) of each entry of the Korean .po file."""
    text = (Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text()
    for block in text.split("\n\n")[1:]:
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
            if match:
                current, value = match.groups()
                fields[current] = value
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields:
            continue
        unescape = lambda value: value.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
        translation = fields.get("msgstr", fields.get("msgstr[0]", ""))
        yield (
            fields.get("msgctxt") and unescape(fields["msgctxt"]),
            unescape(fields["msgid"]),
            fields.get("msgid_plural") and unescape(fields["msgid_plural"]),
            unescape(translation),
        )


@pytest.mark.django_db(databases=[])
def test_every_message_is_translated_and_the_compiled_catalogue_is_up_to_date():
    entries = list(catalogue())
    assert len(entries) > 90
    with translation.override("ko"):
        for context, message, plural, korean in entries:
            assert korean, f"not translated: {message!r}"
            if plural:
                got = (
                    translation.npgettext(context, message, plural, 1)
                    if context
                    else translation.ngettext(message, plural, 1)
                )
            else:
                got = translation.pgettext(context, message) if context else translation.gettext(message)
            assert got == korean, f"django.mo is older than django.po (compilemessages): {message!r}"


def test_kinds_sorts_and_dates_are_in_the_readers_language(client):
    source = make_source(publisher="Yonhap", url="https://example.org/a", published_on=datetime.date(2024, 11, 13))
    make_statement(text="We will keep talking.", kind="paraphrase", source=source)
    make_statement(text="Later that year.", date=datetime.date(2024, 12, 1), date_precision="month")
    korean = client.get("/statements/", {"q": "talking"}, headers={"Accept-Language": "ko"}).content.decode()
    assert (
        '<span class="kind">간접 인용</span>' in korean
        and ">관련도순</option>" in korean
        and ">최신순</option>" in korean
    )
    assert '<time datetime="2024-11-12">2024년 11월 12일</time>' in korean and "Yonhap</a>, 2024년 11월 13일" in korean
    assert "Paraphrase" not in korean and "November" not in korean and "Newest first" not in korean
    month = client.get("/statements/", {"q": "later"}, headers={"Accept-Language": "ko"}).content.decode()
    assert '<time datetime="2024-12-01">2024년 12월</time>' in month
    english = client.get("/statements/", {"q": "talking"}).content.decode()
    assert '<span class="kind">Paraphrase</span>' in english and ">Most relevant</option>" in english
    assert '<time datetime="2024-11-12">12 November 2024</time>' in english and "Yonhap</a>, 13 Nov 2024" in english


def test_notes_are_in_the_readers_language_on_a_page_and_in_english_in_the_api(client):
    korean = client.get("/statements/", {"country": "ZZ", "page": "x"}, headers={"Accept-Language": "ko"})
    content = korean.content.decode()
    assert "<code>country=ZZ</code>: country 값 중 해당하는 것이 없습니다." in content
    assert "<code>page=x</code>: 페이지 번호가 아니어서 첫 페이지를 보여 드립니다." in content
    assert "there is no such" not in content
    api = client.get("/api/statements/", {"country": "ZZ"}, headers={"Accept-Language": "ko"})
    assert api.status_code == 400 and api.json()["errors"][0]["reason"] == "there is no such country"


def test_the_alert_form_is_translated(client):
    content = client.get("/statements/", headers={"Accept-Language": "ko"}).content.decode()
    assert "<summary>이런 새 발언을 이메일로 받기</summary>" in content and ">구독</button>" in content
    assert "Subscribe" not in content and "You confirm by email" not in content


def marked_messages():
    """The messages the Python code marks for translation (gettext, gettext_lazy, gettext_noop and pgettext's), read
    from its syntax tree: inside f-strings too, which makemessages does not read."""
    import ast

    names = {"gettext": 0, "gettext_lazy": 0, "gettext_noop": 0, "_": 0, "pgettext": 1, "pgettext_lazy": 1}
    for path in sorted(Path(settings.BASE_DIR, "statements").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.func.id not in names:
                continue
            arguments = node.args[: names[node.func.id] + 1]
            if len(arguments) == names[node.func.id] + 1 and all(isinstance(a, ast.Constant) for a in arguments):
                context = arguments[0].value if names[node.func.id] else None
                yield f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}", context, arguments[-1].value


@pytest.mark.django_db(databases=[])
def test_every_message_the_code_marks_is_in_the_catalogue():
    translated = {(context, message) for context, message, _, korean in catalogue() if korean}
    marked = list(marked_messages())
    assert len(marked) > 40
    missing = [f"{where}: {message!r}" for where, context, message in marked if (context, message) not in translated]
    assert not missing, "not in locale/ko (makemessages, translate, compilemessages):\n" + "\n".join(missing)


KOREAN = {"Accept-Language": "ko"}


def test_countries_are_named_in_the_readers_language_on_the_pages(client):
    """On Korean pages, a country is named as the Unicode CLDR names it in Korean (the facets, the lists to choose
    from, the cards, a statement's page, a country's page, the list of countries); in English, as curated."""
    official = make_official(name="Cho Tae-yul", country="KR")
    statement = make_statement(official=official, mentions=[Country.objects.get(code="KP")])
    korean = client.get("/statements/", headers=KOREAN).content.decode()
    assert '<span class="label">대한민국</span>' in korean  # The facet.
    assert '<option value="KP">북한</option>' in korean and '<option value="TW">대만</option>' in korean
    assert '/countries/KR/">대한민국</a>' in korean  # The card.
    assert '<option value="ko">한국어</option>' in korean and '<option value="en">영어</option>' in korean
    english = client.get("/statements/").content.decode()
    assert '<span class="label">South Korea</span>' in english and '<option value="KP">North Korea</option>' in english
    assert "대한민국" not in english and "북한" not in english  # The cached options are the reader's language's.
    assert '<option value="ko">Korean</option>' in english

    page = client.get(statement.get_absolute_url(), headers=KOREAN).content.decode()
    assert '/countries/KR/">대한민국</a>' in page and '/countries/KP/">북한</a>' in page
    country = client.get("/countries/KR/", headers=KOREAN).content.decode()
    assert "<h1>대한민국</h1>" in country and "<title>대한민국 · DiploTrack</title>" in country
    listed = client.get("/countries/", headers=KOREAN).content.decode()
    assert '/countries/KR/">대한민국</a>' in listed


def test_the_countries_to_choose_from_are_in_the_order_of_their_names_as_shown(client):
    korean = re.findall(r'<option value="([A-Z]{2,4})">', client.get("/statements/", headers=KOREAN).content.decode())
    names = dict(Country.objects.values_list("code", "name"))
    with translation.override("ko"):
        shown = [local_country_name(code, names[code]) for code in korean[: len(korean) // 2]]
    assert shown == sorted(shown) and shown[0] != sorted(names.values())[0]


def test_a_country_the_cldr_does_not_name_keeps_its_curated_name_and_open_data_keeps_the_curated_names(client):
    make_statement(official=make_official(country="SUHH"))
    with translation.override("ko"):
        assert local_country_name("SUHH", "Soviet Union") == "Soviet Union"
        assert local_country_name("KR", "South Korea") == "대한민국"
    assert client.get("/countries/SUHH/", headers=KOREAN).content.decode().count("<h1>Soviet Union</h1>") == 1
    make_statement(official=make_official(country="KR"))
    data = client.get("/api/statements/", {"country": "KR"}, headers=KOREAN).json()
    assert data["results"] and "대한민국" not in str(data) and "South Korea" in str(data)
    feed = client.get("/countries/KR/feed/", headers=KOREAN).content.decode()
    assert "대한민국" not in feed


def test_the_sources_kinds_are_in_the_readers_language(client):
    source = make_source(kind="press_release", url="https://example.org/release")
    statement = make_statement(source=source)
    for url in [statement.get_absolute_url(), source.get_absolute_url()]:
        assert "보도자료" in client.get(url, headers=KOREAN).content.decode()
        english = client.get(url).content.decode()
        assert "Press release" in english and "보도자료" not in english


def test_a_pages_cards_ask_the_readers_language_once_and_show_it(monkeypatch):
    """The cards' dates, countries, sources and labels in the reader's language, which the page asks once for all
    of them (a card asked it four times, through a thread-local)."""
    from statements import models
    from statements.models import Statement
    from statements.site import cards

    source = make_source(publisher="Yonhap", published_on=datetime.date(2024, 11, 12))
    official = make_official(name="Cho Tae-yul", country="KR")
    for day in (1, 2, 3):
        make_statement(
            text=f"Words of day {day}.", date=datetime.date(2024, 11, day), source=source, official=official
        )
    asked = []
    for module in (models, cards):
        monkeypatch.setattr(module, "get_language", lambda: asked.append(1) or translation.get_language())
    with translation.override("ko"):
        shown = cards.cards(Statement.objects.published().order_by("date"))
        html = "".join(card.html() for card in shown)
    assert len(asked) == 1
    assert html.count('<a href="/countries/KR/">대한민국</a>') == 3 and "2024년 11월 1일</time>" in html
    assert html.count("Yonhap, 2024년 11월 12일") == 3 and html.count("직접 인용") == 3
