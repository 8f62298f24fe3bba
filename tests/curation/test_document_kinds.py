"""Transcripts and press releases through the curation review, the kind shown and changed, doubtful speakers flagged,
follow-ons given a corrected speaker, and officials linked by name and role."""

import datetime

import pytest
from django.urls import reverse

from statements.curation import linking
from statements.ingest import Speaker
from statements.models import Official, Source, Statement
from tests.curation.helpers import ARTICLE, ingested, paste, review_data, review_url
from tests.factories import make_official, make_organization, make_position

pytestmark = pytest.mark.django_db

NOV_12 = datetime.date(2024, 11, 12)
BRIEFING = """Regular Press Briefing by Spokesperson Lim Soo-suk
Ministry of Foreign Affairs, Republic of Korea
Date: November 12, 2024 (Tuesday), 14:00

SPOKESPERSON LIM: Good afternoon. Minister Cho Tae-yul will attend the APEC Ministerial Meeting in Lima this week.
Q: Is the Government considering supplying weapons to Ukraine directly?
SPOKESPERSON LIM: The Government will take a phased approach, depending on the level of military cooperation between North Korea and Russia.
REPORTER (Yonhap): Can you confirm the date of the trilateral summit?
SPOKESPERSON LIM: The three countries are coordinating the schedule, and we will let you know.
"""  # noqa: E501
RELEASE = """Press Releases
Outcome of Korea-Japan Foreign Ministers' Meeting
Date: 2024-11-15
Ministry of Foreign Affairs, Republic of Korea

1. Minister of Foreign Affairs Cho Tae-yul held a meeting with Minister for Foreign Affairs of Japan Iwaya Takeshi on November 15 in Lima, Peru.
2. The two Ministers agreed to respond firmly, in close coordination with the United States, to North Korea's provocations.
End.
"""  # noqa: E501


@pytest.fixture
def ministry(db):
    return make_organization(name="Ministry of Foreign Affairs", country="KR", other_names=["Foreign Ministry"])


@pytest.fixture
def lim(ministry):
    lim = make_official(name="Lim Soo-suk", country="KR")
    make_position(official=lim, organization=ministry, role="Spokesperson", start_date=datetime.date(2024, 1, 1))
    return lim


def test_a_pasted_transcript_is_detected_and_its_officials_turns_become_speeches(curator_client, lim):
    source, response = ingested(curator_client, BRIEFING, publisher="Ministry of Foreign Affairs")
    assert source.kind == Source.Kind.TRANSCRIPT
    page = response.content.decode()
    assert "Read as <strong>a transcript</strong>" in page
    rows = response.context["rows"]
    assert [row["candidate"].quotation.quote for row in rows] == [
        "Good afternoon. Minister Cho Tae-yul will attend the APEC Ministerial Meeting in Lima this week.",
        "The Government will take a phased approach, depending on the level of military cooperation between North "
        "Korea and Russia.",
        "The three countries are coordinating the schedule, and we will let you know.",
    ]
    first = rows[0]["form"].initial
    assert (first["kind"], first["speaker"], first["official"], str(first["date"])) == (
        "speech",
        "official",
        lim,
        "2024-11-12",
    )
    assert rows[0]["date_note"] == "The date is stated in the text." and "stated in the text" in page
    # The later turns of the same label follow the first: one correction can reach them all.
    assert rows[0]["follow_ons"] == [2, 3] and rows[1]["follows"] == 1

    response = curator_client.post(review_url(source), review_data(response))
    assert response.status_code == 302, response.context["formset"].errors
    saved = Statement.objects.filter(sources=source).order_by("citations__start_offset")
    assert [(statement.kind, statement.official, statement.date) for statement in saved] == [
        ("speech", lim, NOV_12)
    ] * 3
    assert not any("Ukraine directly" in statement.text or "Can you confirm" in statement.text for statement in saved)


def test_a_pasted_release_is_one_statement_of_the_issuing_ministry(curator_client, ministry):
    # The minister works there: the ministry's release is still the ministry's, not the minister's.
    make_position(
        official=make_official(name="Cho Tae-yul"), organization=ministry, start_date=datetime.date(2024, 1, 1)
    )
    source, response = ingested(curator_client, RELEASE, publisher="Ministry of Foreign Affairs")
    assert source.kind == Source.Kind.PRESS_RELEASE
    (row,) = response.context["rows"]
    data = row["form"].initial
    assert (data["kind"], data["speaker"], data["organization"], data["attribution_text"]) == (
        "speech",
        "unnamed",
        ministry,
        "Ministry of Foreign Affairs",
    )
    assert str(data["date"]) == "2024-11-15"

    response = curator_client.post(review_url(source), review_data(response))
    assert response.status_code == 302, response.context["formset"].errors
    (statement,) = Statement.objects.filter(sources=source)
    assert statement.text.startswith("1. Minister of Foreign Affairs Cho Tae-yul held a meeting")
    assert statement.text.endswith("to North Korea's provocations.")
    assert (statement.kind, statement.official, statement.organization, statement.country_id) == (
        "speech",
        None,
        ministry,
        "KR",
    )


def test_the_kind_chosen_on_pasting_is_how_the_text_is_read_and_saving_keeps_it(curator_client, ministry):
    response = paste(curator_client, ARTICLE, kind="release", url="https://example.org/known")
    assert response.status_code == 302 and response.url.endswith("?kind=release")
    source = Source.objects.get(url="https://example.org/known")
    assert source.kind == Source.Kind.PRESS_RELEASE
    # The same URL pasted again with another kind is read as that one, and kept only once the review is saved.
    response = paste(curator_client, ARTICLE, kind="article", url="https://example.org/known")
    assert response.url.endswith("?kind=article")
    review = curator_client.get(response.url)
    assert len(review.context["rows"]) == 5
    assert Source.objects.get(pk=source.pk).kind == Source.Kind.PRESS_RELEASE
    data = review_data(review, {index: {"decision": "reject"} for index in range(1, 5)})
    response = curator_client.post(response.url, data)
    assert response.status_code == 302, response.context["formset"].errors
    assert Source.objects.get(pk=source.pk).kind == Source.Kind.NEWS_ARTICLE


def test_the_review_reads_a_source_again_as_another_kind_and_an_unknown_kind_is_a_note(curator_client):
    source, _response = ingested(curator_client, BRIEFING)
    as_article = curator_client.get(review_url(source), {"kind": "article"})
    assert as_article.status_code == 200 and as_article.context["rows"] == []
    assert "Read as <strong>a news article</strong>" in as_article.content.decode()
    unknown = curator_client.get(review_url(source), {"kind": "memo"})
    assert unknown.status_code == 200
    assert "There is no kind of text “memo”" in unknown.content.decode()
    assert len(unknown.context["rows"]) == 3  # as stored: a transcript


def test_a_speaker_the_extractor_doubts_is_flagged(curator_client):
    text = """Security Council Briefing on the DPRK
New York, 4 November 2024
SECRETARY-GENERAL: The launch is a clear violation of Security Council resolutions, and I condemn it.
QUESTION: Will you speak with the leadership in Pyongyang?
MR. KIM: The Republic of Korea condemns the launch in the strongest terms and calls for unity in the Council.
AMBASSADOR THOMAS-GREENFIELD: We call on all members to enforce the sanctions regime, as Linda Thomas-Greenfield said last week.
"""  # noqa: E501
    _source, response = ingested(curator_client, text)
    rows = response.context["rows"]
    doubts = [bool(row["doubt"]) for row in rows]
    assert doubts == [True, True, False]  # a role alone, a bare "MR. KIM", a name the text gives in full
    assert response.content.decode().count('class="warning uncertain-speaker"') == 2


def test_a_quotation_without_a_speaker_is_flagged(curator_client):
    text = """Talks resume
The talks resumed in Geneva on Tuesday after a pause of several months.
"There is no alternative to dialogue and we will keep talking for as long as it takes to reach a deal."
"""
    _source, response = ingested(curator_client, text)
    (row,) = response.context["rows"]
    assert row["candidate"].quotation.speaker is None
    assert "No speaker was found" in row["doubt"]


FOLLOW_ON = """Minister sees progress in talks
SEOUL, Nov. 13 (Yonhap) -- A senior Foreign Ministry official said Wednesday that the talks had made progress.
"We have narrowed our differences on the most important issues," the official said.
"There is still work to do before an agreement can be announced," she said.
"""


def test_giving_a_quotation_a_new_speaker_offers_it_to_its_follow_ons_and_saves_nothing_yet(curator_client, ministry):
    source, response = ingested(curator_client, FOLLOW_ON)
    rows = response.context["rows"]
    assert rows[0]["follow_ons"] == [2] and rows[1]["follows"] == 1
    assert 'name="follow" value="0"' in response.content.decode()
    chosen = {"speaker": "new", "name": "Park Yoon-joo", "country": "KR"}
    data = review_data(response, {0: chosen}) | {"follow": "0"}
    response = curator_client.post(review_url(source), data)
    assert response.status_code == 200
    assert not Statement.objects.filter(sources=source).exists()
    follower = response.context["formset"].forms[1]
    assert tuple(follower.initial[name] for name in chosen) == tuple(chosen.values())
    assert "Quotation 2 now has the speaker of quotation 1" in response.content.decode()

    response = curator_client.post(review_url(source), review_data(response))
    assert response.status_code == 302, response.context["formset"].errors
    park = Official.objects.get(name="Park Yoon-joo")
    assert list(Statement.objects.filter(sources=source).values_list("official", flat=True)) == [park.pk] * 2


def test_saving_a_changed_speaker_whose_follow_ons_keep_the_old_one_offers_it_to_them_once(curator_client, ministry):
    source, response = ingested(curator_client, FOLLOW_ON)
    changed = {0: {"speaker": "new", "name": "Park Yoon-joo", "country": "KR"}}
    response = curator_client.post(review_url(source), review_data(response, changed))
    assert response.status_code == 200
    assert not Statement.objects.filter(sources=source).exists()
    page = response.content.decode()
    assert "You changed the speaker of quotation 1, and quotation 2 that follows it still has the old one" in page
    assert 'name="follow_ons_checked"' in page
    # Saved again as it is (with the page's hidden mark): the follow-on keeps the speaker it had, as chosen.
    response = curator_client.post(review_url(source), review_data(response) | {"follow_ons_checked": "1"})
    assert response.status_code == 302, response.context["formset"].errors
    first, second = Statement.objects.filter(sources=source).order_by("citations__start_offset")
    assert first.official.name == "Park Yoon-joo"
    assert (second.official, second.attribution_text) == (None, "senior Foreign Ministry official")


def test_asking_for_follow_ons_a_quotation_has_not_is_a_message(curator_client):
    source, response = ingested(curator_client, FOLLOW_ON)
    response = curator_client.post(review_url(source), review_data(response) | {"follow": "1"})
    assert response.status_code == 200
    assert "no follow-ons" in response.content.decode()
    response = curator_client.post(review_url(source), review_data(response) | {"follow": "x"})
    assert response.status_code == 200


def test_a_bare_family_name_links_to_the_official_holding_the_title_not_another_of_that_name(ministry):
    cho = make_official(name="Cho Tae-yul")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    spy_chief = make_official(name="Cho Tae-yong")
    service = make_organization(name="National Intelligence Service")
    make_position(official=spy_chief, organization=service, role="Director", start_date=datetime.date(2024, 1, 1))
    link = linking.link_speaker(Speaker(name="Cho", title="Foreign Minister", country="KR"), NOV_12, {"KR"})
    assert (link.mode, link.official) == ("official", cho)
    link = linking.link_speaker(Speaker(name="Cho", title="spy chief", country="KR"), NOV_12, {"KR"})
    assert link.official is None  # no position answers to that title
    # Before Cho took office the title was someone else's.
    earlier = linking.link_speaker(Speaker(name="Cho", title="Foreign Minister"), datetime.date(2023, 6, 1), set())
    assert earlier.official is None


def test_a_name_shared_by_two_officials_settles_on_the_one_holding_the_title(ministry):
    minister = make_official(name="Kim Sung-han")
    make_position(official=minister, organization=ministry, start_date=datetime.date(2024, 1, 1))
    namesake = make_official(name="Kim Sung-han")
    make_position(official=namesake, role="Ambassador to Japan", start_date=datetime.date(2024, 1, 1))
    speaker = Speaker(name="Kim Sung-han", title="Foreign Minister", country="KR")
    assert linking.link_speaker(speaker, NOV_12, {"KR"}).official == minister
    assert linking.link_speaker(Speaker(name="Kim Sung-han", country="KR"), NOV_12, {"KR"}).official is None


def test_an_unnamed_title_links_to_the_one_official_holding_it_at_the_organization():
    un = make_organization(name="United Nations", country=None, other_names=["UN"])
    guterres = make_official(name="António Guterres", country="PT")
    make_position(official=guterres, organization=un, role="Secretary-General", start_date=datetime.date(2017, 1, 1))
    speaker = Speaker(description="Secretary-General", title="Secretary-General", organization="United Nations")
    link = linking.link_speaker(speaker, NOV_12, set())
    assert (link.mode, link.official) == ("official", guterres)
    spokesperson = Speaker(description="Spokesperson", organization="United Nations")
    assert linking.link_speaker(spokesperson, NOV_12, set()).mode == "unnamed"


def test_the_ingest_form_offers_the_kinds(curator_client):
    page = curator_client.get(reverse("admin:statements_source_ingest")).content.decode()
    assert 'name="kind"' in page and "Detect from the text" in page


def test_quotations_in_doubled_marks_are_said_to_be_left_out_and_reviewed_when_asked(curator_client):
    archive = ARTICLE.replace('"', "''")
    source, response = ingested(curator_client, archive)
    page = response.content.decode()
    assert response.context["rows"] == []
    assert response.context["doubled_left_out"] == 5
    assert "5 more quotations" in page and "not read as quotations" in page
    assert 'name="doubled_marks"' in page

    url = review_url(source) + "?kind=article&doubled_marks=on"
    read = curator_client.get(url)
    quotes = [row["candidate"].quotation.quote for row in read.context["rows"]]
    assert len(quotes) == 5 and quotes[0].startswith("We will work closely with the new administration")
    assert 'id="doubled_left_out"' not in read.content.decode()
    # Asked for alone (a link), the kind is the source's.
    alone = curator_client.get(review_url(source) + "?doubled_marks=on")
    assert [row["candidate"].quotation.quote for row in alone.context["rows"]] == quotes
    # The review is sent to the address it was read from, so saving reads the text the same way.
    data = review_data(read, {index: {"decision": "reject"} for index in range(1, 5)})
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors
    (statement,) = Statement.objects.filter(sources=source)
    assert statement.text == quotes[0]
    assert archive[statement.citations.get().start_offset - 2 :].startswith("''We will work closely")
