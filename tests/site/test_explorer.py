import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from statements.models import Official, Statement
from tests.factories import (
    make_official,
    make_organization,
    make_source,
    make_statement,
    make_topic,
)

pytestmark = pytest.mark.django_db


def listed(client, query="", **headers):
    """The statements the explorer lists for a query string, in order."""
    response = client.get(f"/statements/?{query}", **headers)
    assert response.status_code == 200
    return [statement["pk"] for statement in response.context["page"].object_list]


@pytest.fixture
def world():
    """A few statements from two countries, on nested topics, at different dates."""
    # Names apart from the starter topics, which the migrations create.
    peninsula = make_topic(name="Peninsula security")
    denuclearization = make_topic(name="Denuclearization talks", parent=peninsula)
    climate = make_topic(name="Ocean policy")
    cho = make_official(name="Cho Tae-yul", country="KR")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    ministry = make_organization(name="Ministry of Foreign Affairs", country="KR")
    return {
        "alliance": make_statement(
            text="The alliance with the United States will be firmly maintained and strengthened.",
            official=cho,
            date=datetime.date(2024, 11, 12),
            topics=[peninsula],
            mentions=["US"],
        ),
        "denuclearization": make_statement(
            text="There is no need to doubt the goal of denuclearization.",
            organization=ministry,
            attribution_text="a senior Foreign Ministry official",
            date=datetime.date(2024, 11, 10),
            topics=[denuclearization],
            mentions=["KP", "US"],
            kind="partial",
        ),
        "climate": make_statement(
            text="Japan will cut its emissions and support adaptation in the Pacific.",
            official=kamikawa,
            date=datetime.date(2023, 9, 20),
            topics=[climate],
            kind="speech",
        ),
        "korean": make_statement(
            text="한미동맹은 굳건히 유지될 것입니다.",
            official=cho,
            date=datetime.date(2024, 1, 5),
            language="ko",
        ),
        "draft": make_statement(text="A draft about the alliance.", official=cho, status=Statement.Status.DRAFT),
        "retracted": make_statement(
            text="A retracted word on the alliance.", official=cho, status=Statement.Status.RETRACTED
        ),
    }


def ids(world, *names):
    return [world[name].pk for name in names]


def test_the_home_page_is_the_explorer_newest_first(client, world):
    assert listed(client) == ids(world, "alliance", "denuclearization", "korean", "climate")
    assert client.get("/").context["page"].object_list == client.get("/statements/").context["page"].object_list


def test_drafts_and_retracted_statements_are_never_listed(client, world):
    shown = listed(client, "q=alliance")
    assert world["draft"].pk not in shown and world["retracted"].pk not in shown


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KR", ["alliance", "denuclearization", "korean"]),
        ("country=kr", ["alliance", "denuclearization", "korean"]),
        ("country=KR&country=JP", ["alliance", "denuclearization", "korean", "climate"]),
        ("mentions=KP", ["denuclearization"]),
        ("mentions=us", ["alliance", "denuclearization"]),
        ("topic=peninsula-security", ["alliance", "denuclearization"]),
        ("topic=denuclearization-talks", ["denuclearization"]),
        ("topic=denuclearization-talks&topic=ocean-policy", ["denuclearization", "climate"]),
        ("official=cho-tae-yul", ["alliance", "korean"]),
        ("organization=ministry-of-foreign-affairs-kr", ["denuclearization"]),
        ("kind=speech", ["climate"]),
        ("lang=ko", ["korean"]),
        ("date_from=2024-01-05", ["alliance", "denuclearization", "korean"]),
        ("date_to=2024-01-05", ["korean", "climate"]),
        ("date_from=2024-01-01&date_to=2024-11-10", ["denuclearization", "korean"]),
        ("country=KR&topic=peninsula-security&mentions=KP", ["denuclearization"]),
        ("sort=date", ["climate", "korean", "denuclearization", "alliance"]),
    ],
)
def test_each_filter_alone_and_combined(client, world, query, expected):
    assert listed(client, query) == ids(world, *expected)


def test_officials_are_found_by_name_with_typos_forgiven(client, world):
    assert listed(client, "official=Tae-yul+Cho") == ids(world, "alliance", "korean")
    response = client.get("/statements/?official=Cho+Tae-yull")
    assert [s["pk"] for s in response.context["page"].object_list] == ids(world, "alliance", "korean")
    assert "showing Cho Tae-yul, the closest name" in response.content.decode()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("alliance", ["alliance"]),
        ("strengthening", ["alliance"]),
        ('"firmly maintained"', ["alliance"]),
        ('"maintained firmly"', []),
        ("united -alliance", []),
        ("alliance OR emissions", ["alliance", "climate"]),
        ("cho", ["alliance", "korean"]),
        ("senior official", ["denuclearization"]),
        ("한미동맹은", ["korean"]),
        ("DENUCLEARIZATION", ["denuclearization"]),
    ],
)
def test_search_words(client, world, words, expected):
    assert listed(client, f"q={words}") == ids(world, *expected)


def test_search_ignores_accents(client):
    statement = make_statement(text="Côte d'Ivoire calls for négociations.")
    assert listed(client, "q=cote+negociations") == [statement.pk]
    assert listed(client, "q=négociations") == [statement.pk]


def test_search_results_are_highlighted_and_escaped(client):
    make_statement(text="We reject <script>alert(1)</script> and support the alliance.")
    content = client.get("/statements/?q=alliance").content.decode()
    assert "<mark>alliance</mark>" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def filler(start, characters):
    """Sentences without the words searched for, numbered from `start`, about `characters` long."""
    sentences, number = [], start
    while sum(map(len, sentences)) < characters:
        sentences.append(f"Paragraph {number} concerns ordinary business of the assembly. ")
        number += 1
    return "".join(sentences)


def card_words(client, query):
    """The words of the first card of a search's page, marks kept."""
    content = client.get(f"/statements/?{query}").content.decode()
    return re.search(r'<blockquote class="words[^"]*"[^>]*>(.*?)</blockquote>', content, re.S)[1]


def test_a_long_statements_headline_is_read_around_its_first_match(client):
    """A speech's headline comes from a window of it around the first match (statements_headline), where
    ts_headline() of the whole of a long text read every word of it: the first match's fragment, not those far
    past the window."""
    make_statement(text=filler(1, 4000) + "Climate change is near. " + filler(500, 6000) + "Far climate ocean. ")
    words = card_words(client, "q=climate")
    assert "<mark>Climate</mark> change is near" in words
    assert "Far <mark>climate</mark>" not in words and "Paragraph 1 " not in words


@pytest.mark.parametrize(
    "query, text, marked",
    [
        # The English stem ("happili") is not how the word starts; the word as searched for is.
        ("q=happily", "They happily agreed.", "<mark>happily</mark>"),
        # The first "nuclear" is not the phrase: the whole text's headline finds it further on.
        ("q=%22nuclear+weapons%22", "Nuclear power. " + filler(900, 3000) + "No nuclear weapons here.", "<mark>"),
        # A Korean word as written, from its morpheme.
        ("q=북한", "북한은 미사일을 발사했다.", "<mark>북한은</mark>"),
    ],
)
def test_a_long_statements_headline_marks_its_words_wherever_they_are(client, query, text, marked):
    make_statement(text=filler(1, 5000) + text + " " + filler(2000, 5000))
    words = card_words(client, query)
    assert marked in words, words
    if "nuclear" in query:
        assert "<mark>nuclear</mark> <mark>weapons</mark>" in words


def test_relevance_puts_the_closest_match_first(client):
    passing = make_statement(text="Climate finance matters, among many other things we discussed today at length.")
    focused = make_statement(
        text="Climate change, climate finance, climate adaptation.", date=datetime.date(2020, 1, 1)
    )
    assert listed(client, "q=climate&sort=relevance") == [focused.pk, passing.pk]
    assert listed(client, "q=climate") == [passing.pk, focused.pk]


def test_facet_counts_follow_the_other_filters(client, world):
    response = client.get("/statements/?country=KR&topic=peninsula-security")
    facets = response.context["facets"]
    assert facets.total == 2
    countries = {choice.value: (choice.count, choice.selected) for choice in facets.countries}
    assert countries == {"KR": (2, True)}  # Japan has nothing on the peninsula.
    topics = {choice.value: (choice.count, choice.selected) for choice in facets.topics}
    assert topics["peninsula-security"] == (2, True)
    children = {child.value: child.count for child in facets.topics[0].children}
    assert children == {"denuclearization-talks": 1}


def test_precounted_and_live_facets_agree(client, world):
    """The trigger-kept counts give what counting the statements gives."""
    for query in ["", "country=KR", "topic=peninsula-security", "country=KR&country=JP&topic=ocean-policy"]:
        precounted = client.get(f"/statements/?{query}").context["facets"]
        context = client.get(f"/statements/?{query}&date_from=1900-01-01").context
        live = context["facets"]
        assert live.periods  # Counted one by one, and so by period too (for the timeline).
        # And the first ones in the page's order: the page that shows them.
        assert live.first == [card.pk for card in context["page"].object_list], query
        live.periods = live.first = None
        assert precounted == live, query


def test_words_count_among_the_matching_statements(client, world):
    facets = client.get("/statements/?q=alliance&country=KR").context["facets"]
    assert facets.total == 1
    assert [(choice.value, choice.count) for choice in facets.countries] == [("KR", 1)]


@pytest.fixture
def alliance(db):
    """30 statements with the word "alliance" (20 of Korea, 10 of Japan, 15 on a topic): two pages of results."""
    topic = make_topic(name="Alliances")
    cho, kamikawa = make_official(name="Cho Tae-yul", country="KR"), make_official(name="Kamikawa Yoko", country="JP")
    for n in range(30):
        make_statement(
            text=f"The alliance holds ({n}).",
            official=kamikawa if n % 3 == 0 else cho,
            topics=[topic] if n % 2 else [],
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
    make_statement(text="Other words.", official=cho)
    return topic


CHOICE = re.compile(
    r'name="(country|topic)" value="([\w-]+)"[^>]*>\s*'
    r'<span class="label">[^<]*</span> (?:<span class="count">([\d,]+))?'
)


def as_read(response):
    """What a visitor reads: the count of results, each choice with its count ("" for none), the pager's links."""
    content = response.content.decode()
    count = re.sub(r"<.*?>", "", re.search(r'class="result-count">(.*?)</p>', content).group(1))
    links = dict(
        (rel, html.unescape(href))
        for href, rel in re.findall(r'<a href="([^"]*)" hx-get="[^"]*" rel="(next|prev)">', content)
    )
    pager = re.search(r"<span>(Page [^<]*)</span>", content)
    return {
        "count": count,
        "choices": {(name, value): number for name, value, number in CHOICE.findall(content)},
        "pager": pager.group(1) if pager else None,
        "links": links,
    }


def slow_counting(monkeypatch, condition):
    """Every query of the explorer's filtered statements runs `condition` (SQL) once, as an init plan."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from statements.query import ExplorerQuery

    slow = RawSQL(f"(SELECT true FROM pg_sleep({condition}))", [], output_field=BooleanField())
    original = ExplorerQuery.filtered
    monkeypatch.setattr(ExplorerQuery, "filtered", lambda self, **kw: original(self, **kw).filter(slow))


def test_an_estimate_far_from_the_matches_is_never_shown(client, alliance, settings):
    """The audit's case: the planner expected 1 match where there were 30, and the page said "about 1"."""
    from django.http import QueryDict

    from statements import facets
    from statements.query import ExplorerQuery

    settings.EXPLORER_EXACT_COUNT_LIMIT = 0  # Views get the planner's estimate without counting them all.
    assert facets.estimate(ExplorerQuery(QueryDict("q=alliance")).filtered()) < 25  # The planner is far off.
    first = as_read(client.get("/statements/?q=alliance"))
    assert first["count"] == "30 statements matching “alliance”"
    assert first["choices"] == {("country", "KR"): "20", ("country", "JP"): "10", ("topic", "alliances"): "15"}
    assert (first["pager"], first["links"]) == ("Page 1 of 2", {"next": "?q=alliance&page=2"})
    second = client.get("/statements/?q=alliance&page=2")
    assert len(second.context["page"].object_list) == 5
    assert (as_read(second)["pager"], as_read(second)["links"]) == ("Page 2 of 2", {"prev": "?q=alliance&page=1"})

    api = client.get("/api/statements/?q=alliance").json()
    assert (api["count"], api["count_is_estimate"]) == (30, False)
    assert api["facets"] == {"countries": {"KR": 20, "JP": 10}, "topics": {"alliances": 15}}
    assert api["next"].endswith("?q=alliance&page=2")


def test_a_first_count_that_pays_for_a_cold_cache_is_retried(client, alliance, settings, monkeypatch):
    """A first query slowed past the budget (a cold cache, a busy server) does not turn 30 matches into an estimate."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE counting_queries")
    slow_counting(monkeypatch, "CASE WHEN nextval('counting_queries') = 1 THEN 5 ELSE 0 END")  # Only the first.
    settings.EXPLORER_COUNT_BUDGET_MS = 200
    first = as_read(client.get("/statements/?q=alliance"))
    assert first["count"] == "30 statements matching “alliance”"
    assert first["choices"][("country", "KR")] == "20"
    assert first["links"] == {"next": "?q=alliance&page=2"}


def test_counts_out_of_time_still_offer_the_choices_and_every_page(client, alliance, settings, monkeypatch):
    """When no count finishes in time: the choices without counts, a total never below what the page found, and a
    pager that reaches the last page, which knows the total."""
    from statements import facets

    slow_counting(monkeypatch, "0.5")
    settings.EXPLORER_COUNT_BUDGET_MS = 0  # No time at all (to PostgreSQL, 0 would mean no limit).
    monkeypatch.setattr(facets, "estimate", lambda queryset: 1)  # The planner guessing low, as in the audit.
    response = client.get("/statements/?q=alliance")
    first = as_read(response)
    assert first["count"] == "at least 26 statements matching “alliance”"
    assert first["choices"] == {("country", "KR"): "", ("country", "JP"): "", ("topic", "alliances"): ""}
    assert (first["pager"], first["links"]) == ("Page 1", {"next": "?q=alliance&page=2"})
    assert "Counting every match would take too long: there are at least that many" in response.content.decode()
    assert len(response.context["page"].object_list) == 25

    last = as_read(client.get("/statements/?q=alliance&page=2"))
    assert last["count"] == "30 statements matching “alliance”"
    assert (last["pager"], last["links"]) == ("Page 2 of 2", {"prev": "?q=alliance&page=1"})

    api = client.get("/api/statements/?q=alliance").json()
    assert (api["count"], api["count_is_estimate"], len(api["results"])) == (26, True, 25)
    assert api["facets"] == {"countries": {"KR": None, "JP": None}, "topics": {"alliances": None}}
    last_page = client.get(api["next"]).json()
    assert (last_page["count"], last_page["count_is_estimate"], last_page["next"]) == (30, False, None)
    past = client.get("/api/statements/?q=alliance&page=5")
    assert past.status_code == 400 and "past the last page" in past.json()["errors"][0]["reason"]


def test_past_the_bound_the_total_is_the_estimate_or_what_was_found(client, alliance, settings, monkeypatch):
    from statements import facets

    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    monkeypatch.setattr(facets, "COUNT_BOUND", 10)  # 30 matches are "many".
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5)  # Below the 11 the bounded count found.
    assert as_read(client.get("/statements/?q=alliance"))["count"] == "at least 26 statements matching “alliance”"
    assert (
        as_read(client.get("/statements/?q=alliance&kind=direct"))["count"]
        == "at least 26 statements matching “alliance”"
    )
    # Without search words, the choices count the statements of every country, the total those of one.
    japan = as_read(client.get("/statements/?kind=direct&country=JP"))
    assert (japan["count"], japan["choices"][("country", "JP")]) == ("10 statements", "")
    monkeypatch.setattr(facets, "estimate", lambda queryset: 900)  # Not contradicted by anything cheap to read.
    shown = as_read(client.get("/statements/?q=alliance"))
    assert (shown["count"], shown["pager"]) == ("about 900 statements matching “alliance”", "Page 1 of about 36")
    assert shown["choices"][("country", "KR")] == ""
    past = client.get("/statements/?q=alliance&page=9")
    assert past.context["page"].object_list == [] and "none this far" in past.content.decode()
    assert as_read(past)["links"] == {"prev": "?q=alliance&page=8"}


def test_too_many_matches_to_count_are_ranked_among_the_newest_and_it_says_so(client, alliance, settings, monkeypatch):
    """By relevance, matches not counted one by one are ranked among the newest EXPLORER_RELEVANCE_CANDIDATES: the
    page and its fragment say so, their pages stop there, and the API says how many were ranked."""
    from statements import facets

    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 20
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5000)  # Too many to count, even up to a bound.
    note = "Sorted by relevance among the 20 newest matches: there are too many to rank them all."
    from statements import search

    newest = Statement.objects.filter(text__contains="alliance").order_by("-date", "-id").values("pk")[:20]
    newest = list(
        Statement.objects.filter(pk__in=newest)
        .annotate(rank=search.rank("alliance"))
        .order_by("-rank", "-date", "-id")
    )
    assert newest != list(Statement.objects.filter(text__contains="alliance").order_by("-date", "-id")[:20])
    response = client.get("/statements/?q=alliance&sort=relevance")
    assert note in response.content.decode()
    shown = [card["pk"] for card in response.context["page"].object_list]
    assert shown == [statement.pk for statement in newest] and as_read(response)["pager"] is None
    fragment = client.get("/statements/?q=alliance&sort=relevance", headers={"HX-Request": "true"})
    assert note in fragment.content.decode() and "<html" not in fragment.content.decode()
    assert note not in client.get("/statements/?q=alliance").content.decode()  # Newest first: nothing left out.
    korean = client.get("/statements/?q=alliance&sort=relevance", headers={"Accept-Language": "ko"})
    assert "가장 최근 20건 중에서 관련도순으로" in korean.content.decode()

    api = client.get("/api/statements/?q=alliance&sort=relevance&page_size=8&page=2").json()
    assert (api["ranked_among"], api["count"], [row["id"] for row in api["results"]]) == (
        20,
        5000,
        [statement.pk for statement in newest[8:16]],
    )
    last = client.get(api["next"]).json()
    assert (len(last["results"]), last["next"], last["ranked_among"]) == (4, None, 20)
    past = client.get("/api/statements/?q=alliance&sort=relevance&page_size=8&page=4")
    assert past.status_code == 400 and "not a page between 1 and 3" in past.json()["errors"][0]["reason"]
    assert client.get("/api/statements/?q=alliance&page_size=8").json()["ranked_among"] is None


def test_an_ignored_filter_does_not_cost_the_exact_counts(client, world, settings):
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0  # Only the trigger-kept counts can be exact now.
    for query in ["country=KR&q=the+or", "country=KR&lang=english!", "country=KR&official=zzqqxx"]:
        facets = client.get(f"/statements/?{query}").context["facets"]
        assert (facets.exact, facets.total) == (True, 3), query


def test_the_published_counts_stay_true_through_edits(world):
    from statements import derived
    from statements.models import OfficialCount, PublishedCount, PublishedMonth, StatementTopic

    def snapshot():
        months = PublishedMonth.objects.exclude(statements=0)
        return {
            **{(c.country_code, c.topic_id): c.statements for c in PublishedCount.objects.exclude(statements=0)},
            **{(c.country_code, c.topic_id, f"{c.month:%Y-%m}"): c.statements for c in months},
            **{c.official_id: c.statements for c in OfficialCount.objects.exclude(statements=0)},
        }

    def recount():
        derived.recount_published()
        return snapshot()

    speaker = world["alliance"].official
    assert snapshot()[speaker.pk] == Statement.objects.published().filter(official=speaker).count() > 0
    other = make_official(name="Park Jin")
    world["denuclearization"].official = other  # Said by another: counted under them instead.
    world["denuclearization"].save()

    world["draft"].review(Statement.Status.PUBLISHED)
    world["draft"].save()
    world["alliance"].review(Statement.Status.RETRACTED)
    world["alliance"].save()
    StatementTopic.objects.create(statement=world["climate"], topic=make_topic(name="Pacific"))
    StatementTopic.objects.filter(statement=world["denuclearization"]).delete()
    world["korean"].country_id = "JP"
    world["korean"].save()
    world["alliance"].date = world["alliance"].date.replace(year=2001)  # Retracted: counted nowhere.
    world["alliance"].save()
    moved = world["draft"]
    month_before = f"{moved.date:%Y-%m}"
    moved.date = moved.date.replace(year=1999, month=1)
    moved.save()
    world["climate"].delete()
    kept = snapshot()
    assert kept == recount()
    assert kept[("KR", 0)] == 2
    assert kept[("*", 0, "1999-01")] == 1 and ("*", 0, "2001-" + month_before[5:]) not in kept
    assert kept[other.pk] == 1


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("country=XX", "country=XX: there is no such country"),
        ("country=xx", "country=xx: there is no such country"),  # As typed.
        ("topic=no-such-topic", "topic=no-such-topic: there is no such topic"),
        ("official=zzzzqqq", "official=zzzzqqq: no official has a name like it"),
        ("organization=zzzzqqq", "organization=zzzzqqq: no organization has a name like it"),
        ("date_from=2024-13-45", "date_from=2024-13-45: not a date: use YYYY-MM-DD"),
        ("date_to=yesterday", "date_to=yesterday: not a date"),
        ("date_from=2024-12-01&date_to=2024-01-01", "date_from=2024-12-01: it is after date_to"),
        ("q=%22%22", "q=&quot;&quot;: there are no words"),
        ("q=-+OR+%22", "it holds no searchable words, only operators or very common words"),
        ("q=the+or", "it holds no searchable words"),
        ("q=" + "a" * 10_000, "only the first 300 characters"),
        ("kind=rumour", "kind=rumour: use one of direct, partial, paraphrase, speech"),
        ("lang=english!", "lang=english!: use a language code"),
        ("sort=random", "sort=random: use one of -date, date, relevance"),
        ("sort=relevance", "sort=relevance: sorting by relevance needs search words"),
        ("page=abc", "page=abc: not a page number"),
        ("page=-1", "not a page number"),
        ("page=999", "page=999: there is one page, so showing it"),
        ("page=%C2%B2", "page=²: not a page number"),  # A digit to str.isdigit, not to int().
        ("page=%E2%91%A0", "page=①: not a page number"),
        ("date_from=10/25/2024", "date_from=10/25/2024: not a date: use YYYY-MM-DD"),
    ],
)
def test_bad_input_keeps_the_valid_filters_and_says_what_it_ignored(client, world, query, note):
    response = client.get(f"/statements/?country=KR&{query}")
    assert response.status_code == 200
    content = response.content.decode().replace("<code>", "").replace("</code>", "")
    assert note in content, content[content.find('class="notes"') :][:600]
    shown = [statement["pk"] for statement in response.context["page"].object_list]
    assert world["alliance"].pk in shown or "q=" in query
    assert world["climate"].pk not in shown  # country=KR still applies.


def test_a_nul_byte_is_no_error(client, world):
    response = client.get("/statements/?q=alli%00ance&country=K%00R")
    assert response.status_code == 200
    assert [s["pk"] for s in response.context["page"].object_list] == ids(world, "alliance")
    response = client.get("/countries/K%00R/")
    assert response.status_code == 400 and b"cannot hold a NUL character" in response.content


def test_htmx_requests_get_the_fragment_and_other_requests_the_page(client, world):
    page = client.get("/statements/?country=KR")
    fragment = client.get("/statements/?country=KR", HTTP_HX_REQUEST="true")
    restore = client.get("/statements/?country=KR", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in page.content.decode() and "<html" in restore.content.decode()
    content = fragment.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<section id="results"')
    assert 'id="facets" hx-swap-oob="true"' in content
    assert "Cho Tae-yul" in content
    for response in (page, fragment, restore):
        assert "HX-Request" in response.headers["Vary"]


def facets_of(content):
    """The country and topic choices of a page or of its htmx fragment (sent out of band), spaces aside."""
    found = re.search(r'<div id="facets"(?: hx-swap-oob="true")?>(.*?)</div>\s*(?:<details|$)', content, re.S)
    return " ".join(found.group(1).split())


@pytest.mark.parametrize(
    ("url", "hidden", "shown"),
    [
        ("/countries/KR/", ["country"], ["topic"]),
        ("/topics/peninsula-security/", ["topic"], ["country"]),
        ("/officials/cho-tae-yul/", ["official"], ["country", "topic"]),
    ],
)
def test_a_pages_own_filter_stays_out_of_its_htmx_fragment(client, world, url, hidden, shown):
    page = client.get(f"{url}?kind=direct").content.decode()
    fragment = client.get(f"{url}?kind=direct", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert facets_of(fragment) == facets_of(page)
    for name in hidden:
        assert f'name="{name}"' not in fragment, name
    for name in shown:
        assert f'name="{name}"' in facets_of(fragment), name


def test_a_plain_form_submission_is_redirected_to_its_clean_url(client, world):
    response = client.get("/statements/?q=&country=KR&country=&sort=-date&date_from=")
    assert (response.status_code, response.url) == (302, "/statements/?country=KR")


def test_htmx_requests_get_their_clean_url_pushed(client, world):
    response = client.get("/statements/?q=&country=KR&sort=-date", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Push-Url"] == "/statements/?country=KR"
    assert "HX-Push-Url" not in client.get("/statements/?country=KR", HTTP_HX_REQUEST="true").headers


def test_the_page_works_as_a_plain_form(client, world):
    content = client.get("/statements/").content.decode()
    assert '<form id="explorer-form" class="filters" method="get" action="/statements/"' in content
    assert '<button type="submit">Apply filters</button>' in content
    assert 'name="country" value="KR"' in content


def test_pagination_keeps_the_filters(client):
    official = make_official(name="Prolific Speaker")
    for day in range(1, 31):
        make_statement(text=f"Statement {day}.", official=official, date=datetime.date(2024, 1, day))
    response = client.get("/statements/?official=prolific-speaker&page=2")
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 5
    content = response.content.decode()
    assert 'href="?official=prolific-speaker&amp;page=1"' in content


def test_every_page_runs_a_fixed_number_of_queries(client):
    topic = make_topic()
    source = make_source()

    def add(count):
        for n in range(count):
            make_statement(text=f"Words {n}.", topics=[topic], mentions=["US"], source=source)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def each(urls):
        """The queries of each, after a first request: the topics and countries are read once for a data version
        (which adding statements changes), and whether a search's words are all stop words once a process."""
        [queries(url) for url in urls]
        return [queries(url) for url in urls]

    urls = ["/statements/", f"/statements/?q=words&topic={topic.slug}&country=KR", f"/topics/{topic.slug}/"]
    add(2)
    few = each(urls)
    add(30)
    assert each(urls) == few


def test_statement_pages_redirect_to_their_canonical_url(client, world):
    statement = world["alliance"]
    canonical = statement.get_absolute_url()
    assert canonical == f"/statements/{statement.pk}/cho-tae-yul-the-alliance-with-the-united-states-will-be/"
    for url in [f"/statements/{statement.pk}/", f"/statements/{statement.pk}/wrong-slug/"]:
        response = client.get(url)
        assert (response.status_code, response.url) == (301, canonical)
    content = client.get(canonical).content.decode()
    assert "firmly maintained and strengthened" in content


def test_the_statement_page_shows_the_speaker_position_sources_and_related_statements(client):
    from tests.factories import make_position

    official = make_official(name="Cho Tae-yul")
    make_position(official=official, role="Minister of Foreign Affairs", start_date=datetime.date(2024, 1, 10))
    topic = make_topic(name="Alliance")
    source = make_source(
        title="Seoul's top envoy says",
        publisher="Korea JoongAng Daily",
        url="https://example.com/a",
        archive_url="https://archive.example/a",
    )
    statement = make_statement(official=official, topics=[topic], mentions=["US"], source=source)
    other = make_statement(text="Another word on the alliance.", official=official, topics=[topic])
    content = client.get(statement.get_absolute_url()).content.decode()
    for expected in [
        "Minister of Foreign Affairs",
        "Korea JoongAng Daily",
        "https://example.com/a",
        "https://archive.example/a",
        "United States",
        "Another word on the alliance.",
        "12 November 2024",
    ]:
        assert expected in content, expected
    assert other.get_absolute_url() in content


def test_the_statement_page_reads_its_subtopics_with_their_parents_whatever_their_number(client):
    """Each subtopic is shown with its parent's name: read with the subtopics, not one query a parent."""

    def page_of(number):
        subtopics = [make_topic(name=f"Sub {n}", parent=make_topic(name=f"Parent {n}")) for n in range(number)]
        statement = make_statement(topics=subtopics)
        with CaptureQueriesContext(connection) as captured:
            content = client.get(statement.get_absolute_url()).content.decode()
        return content, len(captured)

    one, one_read = page_of(1)
    three, three_read = page_of(3)
    assert "Parent 0 › Sub 0" in html.unescape(one)
    assert all(f"Parent {n} › Sub {n}" in html.unescape(three) for n in range(3))
    assert three_read == one_read


@pytest.mark.parametrize(
    ("code", "shown"),
    [("ko", "Korean"), ("pt-br", "Portuguese"), ("zh", "Chinese"), ("fil", "Filipino"), ("xx", "xx")],
)
def test_the_statement_page_names_the_language(client, code, shown):
    statement = make_statement(language=code, text="Words in some language.")
    content = client.get(statement.get_absolute_url()).content.decode()
    assert f"<dt>Language</dt><dd>{shown}</dd>" in content
    assert f'lang="{code}"' in content


def test_drafts_are_not_found_by_visitors_but_curators_may_preview_them(curator_client, world):
    for name in ("draft", "retracted"):
        url = world[name].get_absolute_url()
        assert Client().get(url).status_code == 404
        response = curator_client.get(url)
        assert response.status_code == 200
        assert "only curators see it" in response.content.decode()


def test_the_official_page_lists_positions_and_filterable_statements(client, world):
    response = client.get("/officials/cho-tae-yul/?q=alliance")
    assert [s["pk"] for s in response.context["page"].object_list] == ids(world, "alliance")
    fragment = client.get("/officials/cho-tae-yul/?lang=ko", HTTP_HX_REQUEST="true").content.decode()
    assert "한미동맹은" in fragment and "<html" not in fragment
    assert client.get("/officials/nobody/").status_code == 404


def test_the_officials_list_finds_names_with_typos(client, world):
    content = client.get("/officials/?name=Kamikawa+Yuko").content.decode()
    assert "Kamikawa Yoko" in content and "Cho Tae-yul" not in content
    assert "Cho Tae-yul" in client.get("/officials/").content.decode()
    assert client.get("/officials/suggestions/?official=cho+tae").content.decode().count("<option") == 1


def test_the_officials_list_walks_the_names_in_order_to_its_page(client, world):
    """The page of the officials list is found by walking the index of current officials by name, each checked for a
    published statement until there are 50, not by checking every official before sorting them."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/officials/").status_code == 200
    (page_sql,) = [
        query["sql"] for query in captured if "ORDER BY" in query["sql"] and "statements_official" in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # A test's few rows are otherwise read whole.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {page_sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Scan using official_current_by_name on statements_official" in plan
    assert "Sort" not in plan.split("Index Scan using official_current_by_name")[0]


def test_the_topic_page_includes_its_subtopics_statements_and_its_countries(client, world):
    response = client.get("/topics/peninsula-security/")
    assert [s["pk"] for s in response.context["page"].object_list] == ids(world, "alliance", "denuclearization")
    content = response.content.decode()
    assert "Denuclearization talks" in content and "Who speaks most on it" in content
    assert "Peninsula security" in client.get("/topics/").content.decode()


def test_the_topics_list_counts_what_each_topic_page_counts(client, world):
    """A topic's number, on the list as on its page: its statements and its subtopics', published only."""
    from statements.models import Topic

    make_statement(
        text="A draft on the peninsula.", topics=[Topic.objects.get(slug="peninsula-security")], status="draft"
    )
    listed = client.get("/topics/").content.decode()
    for slug, expected in [("peninsula-security", 2), ("denuclearization-talks", 1), ("ocean-policy", 1)]:
        count = re.search(rf'href="/topics/{slug}/">[^<]*</a> <span class="count">([\d,]+)</span>', listed).group(1)
        assert int(count) == client.get(f"/topics/{slug}/").context["facets"].total == expected, slug


def test_the_country_page_lists_its_officials_statements_and_mentions(client, world):
    response = client.get("/countries/KR/")
    assert [s["pk"] for s in response.context["page"].object_list] == ids(
        world, "alliance", "denuclearization", "korean"
    )
    assert "Cho Tae-yul" in response.content.decode()
    us = client.get("/countries/US/").content.decode()
    assert "Others on United States" in us and "firmly maintained" in us
    assert client.get("/countries/kr/").url == "/countries/KR/"
    assert client.get("/countries/ZZ/").status_code == 404
    assert "South Korea" in client.get("/countries/").content.decode()


def test_the_country_page_ranks_its_officials_who_have_spoken_by_their_published_statements(client, world):
    """Who speaks most for a country: its officials with published statements, the most first, each counted once;
    one with drafts alone, or of another country, is not among them."""
    ban = make_official(name="Ban Ki-moon", country="KR")
    for day in (1, 2, 3, 4):
        make_statement(text=f"The alliance endures ({day}).", official=ban, date=datetime.date(2024, 5, day))
    quiet = make_official(name="Quiet Drafter", country="KR")
    make_statement(text="Not yet said.", official=quiet, status=Statement.Status.DRAFT)
    officials = list(client.get("/countries/KR/").context["officials"])
    counted = {official.pk: Statement.objects.published().filter(official=official).count() for official in officials}
    assert officials[0] == ban and [official.statement_count for official in officials] == list(counted.values())
    assert quiet not in officials and all(official.country_id == "KR" for official in officials)
    assert sorted(counted.values(), reverse=True) == list(counted.values()) and all(counted.values())


def test_the_source_page_lists_its_published_statements(client):
    source = make_source(title="An article", url="https://example.com/article")
    shown = make_statement(text="Shown words.", source=source)
    make_statement(text="Hidden draft words.", source=source, status=Statement.Status.DRAFT)
    content = client.get(source.get_absolute_url()).content.decode()
    assert "Shown words." in content and "Hidden draft words." not in content
    assert shown.get_absolute_url() in content


def test_a_statement_without_latin_letters_has_an_address_without_a_slug(client):
    official = make_official(name="조태열")
    statement = make_statement(official=official, text="한미동맹은 굳건하다.", language="ko")
    url = f"/statements/{statement.pk}/"
    assert statement.get_absolute_url() == url
    assert client.get(url).status_code == 200
    response = client.get(f"{url}some-old-slug/")
    assert (response.status_code, response.url) == (301, url)
    for listing in ["/statements/?lang=ko", "/feeds/statements/", "/api/statements/"]:
        response = client.get(listing)
        assert response.status_code == 200 and url in response.content.decode(), listing


def test_the_form_keeps_the_chosen_organization_by_its_slug_when_names_repeat(client):
    korean = make_organization(name="Ministry of Foreign Affairs", country="KR")
    japanese = make_organization(name="Ministry of Foreign Affairs", country="JP")
    make_statement(organization=korean, text="Seoul's words.")
    wanted = make_statement(organization=japanese, text="Tokyo's words.")
    response = client.get(f"/statements/?organization={japanese.slug}")
    assert [s["pk"] for s in response.context["page"].object_list] == [wanted.pk]
    content = response.content.decode()
    assert f'value="{japanese.slug}"' in content  # What the form sends again.
    assert "Showing Ministry of Foreign Affairs, Japan" in content


def test_a_pages_own_filter_is_kept_and_a_different_one_noted(client, world):
    response = client.get("/countries/KR/?country=JP")
    content = response.content.decode().replace("<code>", "").replace("</code>", "")
    assert "country=JP: this page keeps to its own country" in content
    assert {s["country"] for s in response.context["page"].object_list} == {"South Korea"}


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("kind=paraphrase&kind=direct", "kind=direct: given 2 times, and only the last value was used"),
        ("q=china&q=alliance", "q=alliance: given 2 times"),
    ],
)
def test_a_single_value_filter_given_twice_says_which_value_it_used(client, world, query, note):
    content = client.get(f"/statements/?{query}").content.decode().replace("<code>", "").replace("</code>", "")
    assert note in content


def test_a_language_outside_the_list_stays_chosen_in_the_form(client, world):
    content = client.get("/statements/?lang=fil").content.decode()
    assert '<option value="fil" selected>Filipino</option>' in content


def selected_options(content, name):
    """The values of a select's options, and which are selected, in the order shown."""
    select = re.search(rf'<select id="id_{name}" name="{name}">(.*?)</select>', content, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"( selected)?>', select)


def test_the_selects_keep_what_was_chosen_and_offer_relevance_only_with_words(client, world):
    content = client.get("/statements/?kind=paraphrase&lang=KO&sort=date").content.decode()
    assert selected_options(content, "kind") == [
        ("", ""),
        *[(kind, " selected" * (kind == "paraphrase")) for kind in Statement.Kind.values],
    ]
    assert ("ko", " selected") in selected_options(content, "lang")
    assert selected_options(content, "sort") == [("-date", ""), ("date", " selected")]
    searched = client.get("/statements/?q=alliance&sort=relevance").content.decode()
    assert selected_options(searched, "sort") == [("-date", ""), ("date", ""), ("relevance", " selected")]
    assert not any(selected for _, selected in selected_options(searched, "kind")[1:])
    # A value none of the options has is refused (a note), and none is selected.
    wrong = client.get("/statements/?kind=<b>&sort=sideways").content.decode()
    assert not any(selected for _, selected in selected_options(wrong, "kind") + selected_options(wrong, "sort"))
    assert "<b>" not in wrong.split('id="results"')[0]


def test_too_many_query_parameters_get_a_400_that_says_so(db):
    response = Client(raise_request_exception=False).get("/statements/?" + "&".join(["country=kr"] * 1001))
    assert response.status_code == 400
    assert "more than 1,000 query parameters" in response.content.decode()


def test_a_card_escapes_what_curators_entered_and_links_each_part(client):
    """A card writes its own HTML (statements/site/cards.py): every field entered is escaped, every link kept."""
    ministry = make_organization(name="Ministry <b>of</b> Foreign & Trade Affairs", country="KR")
    source = make_source(publisher='Yonhap "<i>News</i>"', url="https://example.com/a?b=1&c=<2>")
    statement = make_statement(
        text="We <script>reject</script> it & more.",
        organization=ministry,
        attribution_text="a <em>senior</em> official",
        role="Vice <u>Minister</u>",
        date=datetime.date(2024, 11, 12),
        topics=[make_topic(name="Trade & <tariffs>")],
        source=source,
    )
    content = client.get("/statements/").content.decode()
    card = re.search(r'<article class="statement-card">.*?</article>', content, re.S)[0]
    for entered in ["<script>", "<b>", "<i>", "<em>", "<u>", "<tariffs>", "<2>", " & "]:
        assert entered not in card
    assert "We &lt;script&gt;reject&lt;/script&gt; it &amp; more." in card
    assert '<span class="attribution">A &lt;em&gt;senior&lt;/em&gt; official</span>' in card
    assert ", Ministry &lt;b&gt;of&lt;/b&gt; Foreign &amp; Trade Affairs" in card
    assert '<span class="role">Vice &lt;u&gt;Minister&lt;/u&gt;</span>' in card
    assert '<time datetime="2024-11-12">12 November 2024</time>' in card
    assert ">Trade &amp; &lt;tariffs&gt;</a></li>" in card
    assert (
        '<a href="https://example.com/a?b=1&amp;c=&lt;2&gt;" rel="noopener">'
        "Yonhap &quot;&lt;i&gt;News&lt;/i&gt;&quot;</a>" in card
    )
    assert f'<a href="/statements/{statement.pk}/' in card and 'class="permalink">Statement page' in card


def test_a_card_without_a_source_says_so_in_the_visitors_language(client):
    make_statement(text="Said without a source.")
    assert "No source recorded" in client.get("/statements/").content.decode()
    korean = client.get("/statements/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "No source recorded" not in korean and '<span class="source missing">' in korean


def test_the_officials_list_counts_again_only_when_published_data_changes(client, world):
    def listed(url="/officials/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counted = [query for query in captured if query["sql"].startswith("SELECT COUNT(*)")]
        return response.context["page"].paginator.count, counted

    total, counted = listed()
    assert counted and total == Official.objects.current().public().count()
    assert listed() == (total, [])  # The same data: not counted again.
    newcomer = make_official(name="Newly Heard", country="KR")
    assert listed()[0] == total  # An official who has not spoken is not listed.
    make_statement(text="My first words.", official=newcomer)
    again, counted = listed()
    assert again == total + 1 and counted  # Published: counted again, at once.
    korea, counted = listed("/officials/?country=KR")
    assert korea == Official.objects.current().public().filter(country="KR").count() and counted
