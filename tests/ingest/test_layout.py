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
