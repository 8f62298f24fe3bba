"""Press releases: one statement by the issuer, its body without header, dateline or contacts."""

import datetime

from statements.ingest import extract
from statements.ingest.kinds import detect_kind

NOV_20 = datetime.date(2024, 11, 20)


def release(text, **kwargs):
    extraction = extract(text, published=NOV_20, **kwargs)
    assert extraction.kind == "release"
    return extraction


EMBASSY = """NEWS RELEASE
Embassy of the Republic of Korea in the United States
November 18, 2024
Embassy Hosts Seminar on the Future of the Alliance
WASHINGTON, D.C. — The Embassy of the Republic of Korea hosted a seminar on the future of the Korea-U.S. alliance on November 18, bringing together experts from both countries.
Participants discussed ways to strengthen extended deterrence and economic security cooperation.
- END -
For media inquiries, please contact the Embassy's press office at press@example.org.
"""  # noqa: E501


def test_a_release_is_one_statement_of_its_issuer_without_header_dateline_or_contacts():
    assert detect_kind(EMBASSY) == "release"
    (statement,) = release(EMBASSY).quotations
    assert statement.quote.startswith("The Embassy of the Republic of Korea hosted")
    assert statement.quote.endswith("economic security cooperation.")
    assert statement.kind == "speech"
    assert statement.speaker.description == "Embassy of the Republic of Korea in the United States"
    assert statement.speaker.name is None
    assert statement.date == datetime.date(2024, 11, 18)
    assert statement.cue == "news release"


SIGNED = """Press Statement
Matthew Miller, Department Spokesperson
November 19, 2024
The United States congratulates the people of Uruguay on a peaceful and democratic election.
We look forward to working with the President-elect to deepen our partnership.
"""


def test_a_statement_signed_by_a_person_is_theirs():
    (statement,) = release(SIGNED).quotations
    speaker = statement.speaker
    assert (speaker.name, speaker.title) == ("Matthew Miller", "Department Spokesperson")
    assert statement.mention == "Matthew Miller"


def test_a_statement_by_an_unnamed_office_is_an_unnamed_speaker_of_the_un():
    text = """Statement by the Deputy Spokesperson for the Secretary-General on Haiti
The Secretary-General is alarmed by the escalation of gang violence in Port-au-Prince.
He calls on all actors to respect international humanitarian law.
"""
    (statement,) = release(text).quotations
    speaker = statement.speaker
    assert (speaker.name, speaker.description, speaker.organization) == (
        None,
        "Deputy Spokesperson for the Secretary-General",
        "United Nations",
    )
    assert statement.date == NOV_20  # no date given: the publication's


def test_a_joint_statement_between_begin_and_end_text_is_its_signatories_for_the_publishing_ministry():
    text = """Ministry of Foreign Affairs of Japan
Joint Statement of the Foreign Ministers of Japan and the Philippines
The following is the text of the joint statement.
Begin text
The Foreign Ministers reaffirmed their commitment to a free and open Indo-Pacific.
They agreed to deepen maritime security cooperation in the South China Sea.
End text
"""
    assert detect_kind(text) == "release"
    (statement,) = release(text).quotations
    assert statement.quote.startswith("The Foreign Ministers reaffirmed")
    assert statement.quote.endswith("South China Sea.")
    speaker = statement.speaker
    assert (speaker.description, speaker.organization, speaker.country) == (
        "Foreign Ministers of Japan and the Philippines",
        "Ministry of Foreign Affairs",
        "JP",
    )
    assert statement.cue == "joint statement"


def test_a_news_story_about_a_statement_stays_an_article():
    text = """Seoul issues statement on Dokdo
SEOUL, April 16 (Yonhap) -- South Korea's Foreign Ministry issued a statement on Tuesday protesting Japan's renewed claim to the islets.
"The government strongly protests Japan's repeated unjust claim," the ministry said in the statement.
A ministry official said the government summoned a Japanese diplomat.
"""  # noqa: E501
    assert detect_kind(text) == "article"


def test_an_article_read_as_a_release_is_one_statement_of_the_organization_that_opens_it():
    text = """Ministry announces aid package
The Ministry of Foreign Affairs announced a humanitarian aid package of 10 million dollars for Gaza on Tuesday.
The aid will be delivered through United Nations agencies working on the ground.
"""
    (statement,) = release(text, kind="release").quotations
    assert statement.speaker.description == "Ministry of Foreign Affairs"
    assert statement.quote.startswith("The Ministry of Foreign Affairs announced")


def test_contacts_above_the_body_are_no_end_of_it():
    text = """FOR IMMEDIATE RELEASE
Contact: Office of Public Affairs, 202-555-0100
Department of Commerce
November 14, 2024
The Department of Commerce today announced new export controls on advanced semiconductors to protect national security.
The rules take effect in thirty days and apply to exports from all countries.
###
"""
    (statement,) = release(text).quotations
    assert statement.quote.startswith("The Department of Commerce today announced")
    assert statement.quote.endswith("from all countries.")
    assert (statement.speaker.description, statement.speaker.country) == ("Department of Commerce", None)
    assert statement.date == datetime.date(2024, 11, 14)
