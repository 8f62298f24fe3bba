from statements.ingest.layout import body_paragraphs


def test_page_furniture_is_not_body_text():
    text = (
        "Seoul's top envoy says alliance will hold\n"
        "이 글자크기로 변경됩니다.\n"
        "By Kim Arin (arin@heraldcorp.com)\n"
        "Published : Nov. 12, 2024 - 15:31\n"
        "South Korean Foreign Minister Cho Tae-yul said Tuesday that the alliance would be firmly maintained.\n"
        "Photo: Cho speaks at a press conference in Seoul. [YONHAP]\n"
        "Read more\n"
        "- Ukraine intercepts coded North Korean military communications\n"
        "The senior official also commented on a possible meeting between the two leaders after the election.\n"
        "BY LIM JEONG-WON [lim.jeongwon@joongang.co.kr]\n"
        "Copyright © 코리아중앙데일리. 무단전재 및 재배포 금지.\n"
        "- U.S. streamer handed to Korean prosecutors\n"
    )
    paragraphs = body_paragraphs(text)
    assert [paragraph.text[:20] for paragraph in paragraphs] == ["South Korean Foreign", "The senior official "]
    for paragraph in paragraphs:
        assert text[paragraph.start : paragraph.end] == paragraph.text


def test_reuters_credits_end_the_article():
    text = (
        "Headline\n"
        "SEOUL, Nov 5 (Reuters) - The minister said the talks went well and both sides agreed to meet again.\n"
        "Reporting by Hyonhee Shin; Editing by Kim Coghill\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n"
    )
    assert len(body_paragraphs(text)) == 1


def test_end_marks_in_any_case_end_the_article():
    body = "The minister said the talks went well and that both sides would meet again in Seoul next month."
    for mark in ("COPYRIGHT 2024 Yonhap", "Copyright © JoongAng", "All Rights Reserved.", "(END)"):
        text = f"Headline\n{body}\n{mark}\n{body} Again, the minister said the talks went well in the end.\n"
        assert [paragraph.text for paragraph in body_paragraphs(text)] == [body], mark


def test_a_link_block_opens_with_a_short_line_only():
    body = "The minister said the talks went well and that both sides would meet again in Seoul next month."
    related = "Related articles: " + "x" * 80
    too_long = "Related " + "word " * 22
    text = f"Headline\n{body}\n{related}\nShort link title\n{too_long}\n"
    assert [paragraph.text for paragraph in body_paragraphs(text)] == [body, too_long.strip()]


def test_numbered_bullets_and_bylines_in_capitals_are_furniture():
    body = "The minister said the talks went well and that both sides would meet again in Seoul next month."
    text = f"Headline\nBY KIM ARIN\n{body}\n1. Alliance talks resume\n{body}\n"
    assert [paragraph.text for paragraph in body_paragraphs(text)] == [body, body]


def test_prose_that_mentions_copyright_does_not_end_the_article():
    body = "The minister said the talks went well and that both sides would meet again in Seoul next month."
    for prose in (
        "The city sent a letter on Thursday. It says the campaign violated the law by using copyrighted "
        "material, including images of officers in uniform and at work.",
        "The city says the campaign ignored copyright law in an advertisement that was broadcast across the state "
        "for weeks, and it wants the images removed from every version of the advertisement now.",
    ):
        text = f"Headline\n{body}\n{prose}\n{body}\n"
        assert len(body_paragraphs(text)) == 3, prose


def test_a_long_paragraph_crediting_its_source_in_brackets_is_no_caption():
    quoted = " ".join(["The pollsters who kept calling voters late found the shift that the others missed."] * 6)
    text = (
        "Polls missed the late shift in Iowa\n"
        "South Korean Foreign Minister Cho Tae-yul said Tuesday that the alliance would be firmly maintained.\n"
        f"Pollsters agree - Jane Roe: “{quoted}” [538.]\n"
        "Photo: Cho speaks at a press conference in Seoul. [YONHAP]\n"
    )
    assert [paragraph.text[:15] for paragraph in body_paragraphs(text)] == ["South Korean Fo", "Pollsters agree"]
