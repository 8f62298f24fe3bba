"""Briefing transcripts: speaker labels, who they are, and what is not a statement."""

import datetime

from statements.ingest import extract
from statements.ingest.kinds import detect_kind

NOV_12 = datetime.date(2024, 11, 12)


def turns(text, **kwargs):
    """(speaker label, first words) of each quotation."""
    extraction = extract(text, published=NOV_12, **kwargs)
    return [
        (quotation.speaker.label if quotation.speaker else None, " ".join(quotation.quote.split()[:4]))
        for quotation in extraction.quotations
    ]


WHITE_HOUSE = """Press Briefing by Press Secretary Karine Jean-Pierre
James S. Brady Press Briefing Room
1:32 P.M. EST

MS. JEAN-PIERRE: Good afternoon, everybody. The President spoke with the President of the Republic of Korea this morning about the situation on the Peninsula.
Q    Thank you, Karine. Did they discuss the troop deployments?
MS. JEAN-PIERRE: They did. The two leaders agreed that the deployment is a serious escalation and that our alliance remains ironclad.
Q    Will there be new sanctions?
MS. JEAN-PIERRE: I am not going to get ahead of the Treasury Department on that question today.
"""  # noqa: E501


def test_a_labelled_name_resolves_to_the_full_name_the_header_gives_and_questions_are_no_statements():
    assert detect_kind(WHITE_HOUSE) == "transcript"
    assert turns(WHITE_HOUSE) == [
        ("Karine Jean-Pierre", "Good afternoon, everybody. The"),
        ("Karine Jean-Pierre", "They did. The two"),
        ("Karine Jean-Pierre", "I am not going"),
    ]
    speaker = extract(WHITE_HOUSE).speakers[0]
    assert speaker.title == "Press Secretary"


MODERATED = """Background Press Call on the Upcoming Trilateral Summit
Via Teleconference
MODERATOR: Thanks, everyone, for joining today's call. As a reminder, this call is on background and embargoed until its conclusion.
SENIOR ADMINISTRATION OFFICIAL: Thanks. The leaders will launch a secretariat to make trilateral cooperation permanent.
QUESTION (AFP): Thanks for doing this. Will the leaders discuss North Korean troops in Russia?
SENIOR ADMINISTRATION OFFICIAL: I expect that to be a significant topic of conversation among the three leaders.
Global Times: Is the secretariat aimed at China?
SENIOR ADMINISTRATION OFFICIAL: It is not aimed at any country. It is about the three of us working together.
MODERATOR: That concludes the call. Thank you all for joining us.
"""  # noqa: E501


def test_the_moderator_and_journalists_labelled_by_outlet_are_not_statements_and_a_title_stays_a_description():
    assert turns(MODERATED) == [
        ("Senior Administration Official", "Thanks. The leaders will"),
        ("Senior Administration Official", "I expect that to"),
        ("Senior Administration Official", "It is not aimed"),
    ]
    speaker = extract(MODERATED).speakers[0]
    assert (speaker.name, speaker.description) == (None, "Senior Administration Official")


SECURITY_COUNCIL = """Remarks at a UN Security Council Briefing on the DPRK
Ambassador Linda Thomas-Greenfield, U.S. Representative to the United Nations
New York, New York
November 4, 2024

AMBASSADOR THOMAS-GREENFIELD: Thank you, Madam President. The DPRK has launched another intercontinental ballistic missile in flagrant violation of this Council's resolutions.
MR. KIM: Thank you. The Republic of Korea condemns the launch in the strongest terms, as Ambassador Joonkook Hwang said yesterday.
AMBASSADOR THOMAS-GREENFIELD: We call on all members to enforce the sanctions regime fully and without delay.
"""  # noqa: E501


def test_labels_resolve_through_the_header_and_an_unknown_name_keeps_its_label():
    assert turns(SECURITY_COUNCIL) == [
        ("Linda Thomas-Greenfield", "Thank you, Madam President."),
        ("Kim", "Thank you. The Republic"),
        ("Linda Thomas-Greenfield", "We call on all"),
    ]
    quotations = extract(SECURITY_COUNCIL, published=NOV_12).quotations
    assert quotations[0].date == datetime.date(2024, 11, 4)  # the header's date, not publication
    confidences = [getattr(quotation, "confidence", None) for quotation in quotations]
    if confidences[0] is not None:
        assert confidences[1] < confidences[0]  # a bare "MR. KIM" is a guess, the header's name is not


UN_BRIEFING = """Daily Press Briefing by the Office of the Spokesperson for the Secretary-General
5 November 2024
The following is a near-verbatim transcript of today's noon briefing by Farhan Haq, Deputy Spokesman for the Secretary-General.
All right, good afternoon.
**Haiti
Our colleagues in Haiti tell us that gang violence has displaced more than 700,000 people across the country.
**Questions and Answers
Deputy Spokesman: Yes, please.
Question: Farhan, does the Secretary-General have any reaction to the election in the United States?
Deputy Spokesman: We will wait for the results, and the Secretary-General looks forward to working with whoever is elected.
Question: Thank you.
"""  # noqa: E501


def test_words_before_the_first_label_belong_to_the_briefer_and_headings_are_left_out():
    assert turns(UN_BRIEFING) == [
        ("Farhan Haq", "All right, good afternoon."),
        ("Farhan Haq", "Our colleagues in Haiti"),
        ("Farhan Haq", "We will wait for"),
    ]
    quotation = extract(UN_BRIEFING).quotations[1]
    assert "**" not in quotation.quote and "Questions and Answers" not in quotation.quote
    assert quotation.speaker.organization == "United Nations" and quotation.speaker.country is None


def test_an_untitled_name_whose_turns_are_questions_is_a_journalist():
    text = """Press Conference by Foreign Minister Cho Tae-yul
Ministry of Foreign Affairs, Republic of Korea
MINISTER CHO: Good morning. I have just returned from Lima, where I met my Japanese counterpart.
KIM JI-HOON: What did the two ministers agree on regarding North Korea?
MINISTER CHO: We agreed to respond firmly, together with the United States, to any provocation.
KIM JI-HOON: And on history issues?
MINISTER CHO: We agreed to keep talking, and to manage our differences wisely.
"""
    assert turns(text) == [
        ("Cho Tae-yul", "Good morning. I have"),
        ("Cho Tae-yul", "We agreed to respond"),
        ("Cho Tae-yul", "We agreed to keep"),
    ]
    speaker = extract(text).speakers[0]
    assert (speaker.title, speaker.organization, speaker.country) == (
        "Foreign Minister",
        "Ministry of Foreign Affairs",
        "KR",
    )


def test_stage_directions_and_the_closing_note_are_no_part_of_a_turn():
    text = """Department Press Briefing
Vedant Patel, Principal Deputy Spokesperson
MR PATEL: We are aware of the reports and are seeking more information. (Laughter.)
QUESTION: Can you say more about the reports?
MR PATEL: I don't have anything further to offer on that at this time.
(The briefing was concluded at 2:31 p.m.)
Related Articles
Secretary Blinken's Call With Foreign Minister Cho
"""
    quotations = extract(text).quotations
    assert [quotation.quote for quotation in quotations] == [
        "We are aware of the reports and are seeking more information.",
        "I don't have anything further to offer on that at this time.",
    ]
    assert {quotation.speaker.name for quotation in quotations} == {"Vedant Patel"}


def test_news_that_prints_an_interview_or_a_results_list_stays_an_article():
    interview = """Minister says alliance is ironclad
Foreign Minister Cho Tae-yul sat down with the Korea Herald this week to discuss the alliance with the United States, the deployment of North Korean troops to Russia and relations with Japan ahead of the APEC meeting in Lima. Here is the edited transcript of the interview.
Q: How do you see the alliance under the next administration?
A: I am confident that the alliance will be firmly maintained and strengthened, as it has been for seventy years.
Q: What about the troops?
A: We are watching closely and coordinating with our allies at every step of the way.
"""  # noqa: E501
    results = """Delegate count
The latest count in the race, as of Tuesday night.
Hillary Clinton: 1,769.
Bernie Sanders: 1,501.
Clinton: 547.
Sanders: 46.
"""
    assert detect_kind(interview) == "article"
    assert detect_kind(results) == "article"
    # Asked for, the interview is read as a transcript: "A" is the one person its header names.
    assert extract(interview, kind="transcript").kind == "transcript"


def test_a_transcript_read_as_an_article_has_no_turns_and_an_article_as_a_transcript_keeps_its_quotations():
    assert extract(WHITE_HOUSE, kind="article").quotations == []
    article = """Seoul vows close coordination
SEOUL, Nov. 13 (Yonhap) -- South Korean Foreign Minister Cho Tae-yul said Wednesday that Seoul would keep working with Washington.
"We will work closely with the new administration," Cho said during a meeting in Seoul.
"""  # noqa: E501
    read = extract(article, kind="transcript")
    assert read.kind == "transcript"
    assert [(quotation.speaker.label, quotation.kind) for quotation in read.quotations] == [("Cho Tae-yul", "direct")]


def test_journalists_named_with_their_outlet_ask_and_a_ministers_room_is_no_part_of_the_ministry():
    text = """Press Conference by Foreign Minister IWAYA Takeshi
Tuesday, November 12, 2024, 10:35 a.m. Ministry of Foreign Affairs Press Conference Room
Opening Remarks
Minister Iwaya: I will be visiting Peru from November 13 to attend the APEC Ministerial Meeting.
Questions and Answers
NHK, Yamada: I would like to ask about North Korean troops in Russia. What is the Government's assessment?
Minister Iwaya: The Government is gravely concerned. We will continue to coordinate closely with our allies.
"""
    extraction = extract(text)
    assert [(quotation.speaker.name, quotation.quote.split()[0]) for quotation in extraction.quotations] == [
        ("Iwaya Takeshi", "I"),
        ("Iwaya Takeshi", "The"),
    ]
    assert extraction.speakers[0].organization == "Ministry of Foreign Affairs"
    assert extraction.quotations[1].follows == 0


def test_officials_labelled_by_full_name_are_each_their_own_speaker():
    text = """Meeting with Security Council permanent members
November 8, 2024, 14:00, The Kremlin, Moscow
Vladimir Putin: Good afternoon, colleagues. Today we will discuss our cooperation with our partners in Asia.
Sergei Lavrov: Mr President, the treaty has entered into force, and we are working on its implementation.
Vladimir Putin: Thank you. Let us move on to the second item on the agenda.
"""
    assert turns(text) == [
        ("Vladimir Putin", "Good afternoon, colleagues. Today"),
        ("Sergei Lavrov", "Mr President, the treaty"),
        ("Vladimir Putin", "Thank you. Let us"),
    ]


def test_labels_followed_by_non_breaking_spaces_as_pasted_from_a_web_page():
    text = WHITE_HOUSE.replace("MS. JEAN-PIERRE: ", "MS. JEAN-PIERRE:\u00a0 ").replace("Q    ", "Q\u00a0\u00a0 ")
    assert turns(text) == turns(WHITE_HOUSE)


def test_a_shortened_title_is_the_title():
    text = """Secretary-General António Guterres' remarks to the press on the Korean Peninsula
SG: I am deeply alarmed by the launch of an intercontinental ballistic missile this morning.
Q: Will you speak with the leadership of the country about it?
SG: I am in contact with all the parties concerned, and I will continue to be.
"""
    assert turns(text) == [
        ("António Guterres", "I am deeply alarmed"),
        ("António Guterres", "I am in contact"),
    ]
