"""Speakers: names, titles, short names, pronouns, descriptions and unnamed officials."""

from .helpers import article, run


def speakers_of(text: str) -> list[tuple]:
    return [(speaker.name, speaker.title, speaker.country) for speaker in run(text).speakers]


def test_full_name_title_and_country_from_the_first_mention():
    text = article(
        'South Korean Foreign Minister Cho Tae-yul said on Tuesday the alliance was strong.\n"We are ready," Cho said.'
    )
    [speaker] = run(text).speakers
    assert (speaker.name, speaker.title, speaker.country, speaker.organization) == (
        "Cho Tae-yul",
        "Foreign Minister",
        "KR",
        "Foreign Ministry",
    )
    assert speaker.mentions == ["South Korean Foreign Minister Cho Tae-yul", "Cho"]


def test_a_dateline_dash_is_not_part_of_the_title():
    text = article(
        "SEOUL, Nov. 13 (Yonhap) -- South Korean Foreign Minister Cho Tae-yul said Wednesday the talks went well.\n"
        '"We will meet again soon," Cho said.'
    )
    [speaker] = run(text).speakers
    assert (speaker.name, speaker.title, speaker.country, speaker.organization) == (
        "Cho Tae-yul",
        "Foreign Minister",
        "KR",
        "Foreign Ministry",
    )


def test_appositive_title():
    text = article('Blinken, the U.S. secretary of state, said: "Our commitment is ironclad."')
    assert speakers_of(text) == [("Blinken", "Secretary of State", "US")]


def test_organization_and_title_from_a_spokesperson_mention():
    text = article('"We oppose sanctions," Chinese Foreign Ministry spokesperson Mao Ning said.')
    [speaker] = run(text).speakers
    assert (speaker.name, speaker.title, speaker.organization, speaker.country) == (
        "Mao Ning",
        "spokesperson",
        "Foreign Ministry",
        "CN",
    )


def test_family_name_first_and_western_order_short_names():
    text = article(
        "President Yoon Suk Yeol met Chinese President Xi Jinping and U.S. Secretary of State Antony Blinken.\n"
        '"We agreed to talk," Yoon said. "Trade matters," Xi said. "So does security," Blinken said.'
    )
    assert [speaker.name for speaker in run(text).speakers] == ["Yoon Suk Yeol", "Xi Jinping", "Antony Blinken"]


def test_pronouns_follow_the_most_recent_fitting_speaker():
    text = article(
        'Japanese Foreign Minister Yoko Kamikawa spoke first. "We are worried," Ms. Kamikawa said.\n'
        '"This must stop," Defense Minister Kim Yong-hyun said. "We will respond," he added.\n'
        '"So will we," she said.'
    )
    labels = [quotation.speaker.label for quotation in run(text).quotations]
    assert labels == ["Yoko Kamikawa", "Kim Yong-hyun", "Kim Yong-hyun", "Yoko Kamikawa"]


def test_descriptions_resolve_to_an_unnamed_official():
    text = article(
        "During the press conference, a senior Foreign Ministry official addressed North Korea.\n"
        '"Dialogue remains open," the senior official said. "We are watching closely," the official added.\n'
        'The senior officials also said talks "are being considered."'
    )
    result = run(text)
    [speaker] = result.speakers
    assert (speaker.name, speaker.description, speaker.organization) == (
        None,
        "senior Foreign Ministry official",
        "Foreign Ministry",
    )
    assert speaker.label == "senior Foreign Ministry official"
    assert len(result.quotations) == 3


def test_two_people_with_one_surname_are_kept_apart():
    text = article(
        "Foreign Minister Cho Tae-yul met the ambassador to Washington on Tuesday.\n"
        '"We must be ready," Minister Cho said.\n'
        'Ambassador Cho Hyun-dong briefed him. "The team understands the alliance," the ambassador said.\n'
        '"Communication is our priority," Minister Cho said.'
    )
    labels = [quotation.speaker.label for quotation in run(text).quotations]
    assert labels == ["Cho Tae-yul", "Cho Hyun-dong", "Cho Tae-yul"]


def test_headline_and_related_headlines_are_skipped():
    text = (
        "Alliance will be 'firmly maintained,' minister says\n"
        'Foreign Minister Cho Tae-yul said on Tuesday that the alliance would be "firmly maintained."\n'
        "BY LIM JEONG-WON [lim.jeongwon@joongang.co.kr]\n"
        "Copyright © JoongAng. All rights reserved.\n"
        "- 'It's a slaughter': Video shows soldier captured in Kursk\n"
        "- Baskin Robbins apologizes for using 'Lucky Vicky' in flavor name\n"
    )
    assert [quotation.quote for quotation in run(text).quotations] == ["firmly maintained."]
