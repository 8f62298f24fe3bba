"""Tell an article's body paragraphs from the page furniture copied with it (headline, byline, related links)."""

import re
from typing import NamedTuple

# The UTF-8 lead bytes of U+1100–U+11FF (E1) and U+3040–U+D7AF (E3–ED), where HANGUL_OR_CJK_RE's scripts are.
CJK_LEAD_BYTES = tuple(bytes((lead,)) for lead in (0xE1, *range(0xE3, 0xEE)))
HANGUL_OR_CJK_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7af]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")

# Lines after which the article has ended: everything that follows is page furniture.
END_OF_ARTICLE_MARKS = ("©", "copyright", "all rights reserved")
END_OF_ARTICLE_LINES = ("(END)", "(끝)")
COPYRIGHT_WORD_RE = re.compile(r"\bcopyright\b")
# A copyright notice is a short line; a paragraph that mentions copyright is prose.
COPYRIGHT_LINE_WORDS = 25
MOJIBAKE_COPYRIGHT_RE = re.compile(r"(?<=[^\W\d_]|[\u0300-\u036f])©")
# Lines that start a block of links or credits; the short lines after them are not body text either.
LINK_BLOCK_RE = re.compile(
    r"^(?:related(?: articles| stories| coverage| news| content)?|read more|more from|most read|most viewed|"
    r"recommended(?: stories)?|see also|also read|trending(?: now)?|popular|latest(?: news)?|more stories|"
    r"you may (?:also )?like|(?:additional )?reporting by|editing by|writing by|compiled by|our standards|"
    r"more on this story|explore more on these topics)\b.{0,80}$",
    re.IGNORECASE,
)
# A link block's first line is at most its longest opening words and 80 characters long.
LINK_BLOCK_LENGTH = len("explore more on these topics") + 80
BYLINE_STARTS = "bBwW"  # "by", "written by", in any case
BYLINE_RE = re.compile(
    r"^(?:by|written by)\s+[A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,5}\s*(?:[\[(<][^\])>]*[\])>])?\s*"
    r"(?:,.{0,60})?$",
    re.IGNORECASE,
)
FURNITURE_RE = re.compile(
    r"^(?:advertisement|share(?: this(?: article)?)?|print|email|listen to this article|font size|"
    r"sign up\b.*|subscribe\b.*|follow us\b.*|click here\b.*|published\b.{0,60}|updated\b.{0,60}|posted\b.{0,60}|"
    r"(?:photo|image|caption|photograph|video|graphic)s?\s*(?:[:|=/]|by\b|courtesy\b).{0,200}|\[(?:photo|image)\].*|"
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}.{0,30}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}.{0,30})$",
    re.IGNORECASE,
)
# How a line ends where CAPTION_END_RE matches it, unless in "Photograph: …".
CAPTION_ENDINGS = ("]", ")", "Images", "Yonhap", "Reuters", "AP", "AFP", "EPA", "Newsis", "News1")
CAPTION_END_RE = re.compile(
    r"(?:\[[A-Z0-9 /&.,-]{3,}\]|\((?:AP|Reuters|AFP|EPA|Yonhap|Getty)[^)]*\)|Photograph: .*|Getty Images|"
    r"/ ?(?:Yonhap|Reuters|AP|AFP|EPA|Newsis|News1))\s*$"
)
# The most words a photo caption runs to.
CAPTION_WORDS = 60
TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
BULLET_MARKS = "-•·*▶►▲■□◆"
BULLET_RE = re.compile(r"^\s*(?:[-•·*▶►▲■□◆]|\d+\.)\s+")
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .,'’-]{2,}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([\w .]+\)\s*)?(?:--|—|–|-)\s"
)
SENTENCE_END = ".!?…:;\"”’')]"


# A quotation credited after a dash ("“…” — Jane Roe"): a short line, but a voice, not a subheading.
CREDITED_QUOTATION_RE = re.compile(r"[”\"]\s*[―—–-]\s*[A-Z][^”\"]{0,60}$")


# A colon introducing a quotation: "More from Jones: “…”" is a voice, not a link block's heading.
QUOTATION_INTRODUCED_RE = re.compile(r":\s*[“\"]")


class Paragraph(NamedTuple):
    """One body paragraph: the stripped line and where it sits in the original text."""

    start: int
    end: int
    text: str


def _word_count(line: str) -> int:
    return len(line.split())


def _is_foreign_script(line: str) -> bool:
    """A line mostly in Korean/Chinese/Japanese script: portal boilerplate on an English page."""
    if not HANGUL_OR_CJK_RE.search(line):
        return False
    return len(HANGUL_OR_CJK_RE.findall(line)) > len(LATIN_LETTER_RE.findall(line)) / 3


def _may_be_caption(line: str) -> bool:
    """Whether CAPTION_END_RE can match the (stripped) line's end: a cheap test before the regex search."""
    return line.endswith(CAPTION_ENDINGS) or "Photograph: " in line[-120:]


def _is_furniture(line: str, foreign_script: bool = True) -> bool:
    """Bylines, captions, time stamps and buttons, wherever they appear.

    foreign_script=False tells that the text has no Korean/Chinese/Japanese script at all."""
    if foreign_script and _is_foreign_script(line):
        return True
    if FURNITURE_RE.match(line):
        return True
    if _may_be_caption(line) and CAPTION_END_RE.search(line[-120:]) and _word_count(line) <= CAPTION_WORDS:
        # A caption is a sentence or two; a paragraph of a hundred words ending "… [538.]" credits its source.
        return True
    if line[:1] in BYLINE_STARTS and BYLINE_RE.match(line) and _word_count(line) <= 12:
        return True
    return "@" in line and bool(EMAIL_RE.search(line)) and _word_count(line) <= 15


def _may_be_bullet(line: str) -> bool:
    """Whether BULLET_RE can match the (stripped) line: it opens with a bullet or a digit."""
    return line[0] in BULLET_MARKS or line[0].isdigit()


def _ends_article(line: str) -> bool:
    """Copyright lines and end marks close the article."""
    lower = line.lower()
    if line in END_OF_ARTICLE_LINES:
        return True
    # "Ã©" is "é" read in the wrong encoding ("JosÃ© AndrÃ©s"), not a copyright sign.
    if "©" in lower:
        # "Ã©" (or "A" with a combining tilde, then "©") is "é" read in the wrong encoding ("JosÃ© AndrÃ©s"): a
        # copyright sign inside a word is no copyright line.
        lower = MOJIBAKE_COPYRIGHT_RE.sub("é", lower)
    if "copyright" in lower and not ("©" in lower or "all rights reserved" in lower):
        # "COPYRIGHT 2024 Yonhap" is a notice; "the campaign used copyrighted material, …" is prose.
        return COPYRIGHT_WORD_RE.search(lower) is not None and _word_count(line) <= COPYRIGHT_LINE_WORDS
    return any(mark in lower for mark in END_OF_ARTICLE_MARKS)


def _is_title_like(line: str) -> bool:
    """A headline, subheading or link text: short and without closing sentence punctuation."""
    return line[-1] not in SENTENCE_END and _word_count(line) <= 25


def _looks_like_prose(line: str, first: bool = False) -> bool:
    """The first body paragraph: a dateline, or a full sentence of reasonable length; the text's first line not
    if it is a headline in title case ("John Bolton: 'Hillary's Campaign Slogan Might as Well Be …'.")."""
    if DATELINE_RE.match(line):
        return True
    return _word_count(line) >= 15 and line[-1] in SENTENCE_END and not (first and _is_title_case(line))


def _is_title_case(line: str) -> bool:
    """Nearly every word of four letters or more capitalised, as headlines are written."""
    long_words = [word for word in TITLE_WORD_RE.findall(line) if len(word) >= 4]
    capitalised = sum(word[0].isupper() for word in long_words)
    return len(long_words) >= 4 and capitalised >= 0.85 * len(long_words)


def body_paragraphs(text: str) -> list[Paragraph]:
    """Return the article's body paragraphs, skipping headline, byline, copyright and link lists."""
    lines = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset if stripped is raw else offset + raw.index(stripped)
            lines.append(Paragraph(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    # Tests of the whole text, far cheaper than of each line: no Korean, Chinese or Japanese script without one of
    # its UTF-8 lead bytes; and no end mark in the text's lower case without one among its ASCII letters lowered, as
    # only "İ" (to "i̇") and the Kelvin sign (to "k") lower to ASCII letters otherwise.
    data = text.encode("utf-8", "surrogatepass")
    foreign_script = any(lead in data for lead in CJK_LEAD_BYTES) and HANGUL_OR_CJK_RE.search(text) is not None
    lowered = data.lower()
    may_end = any(mark.encode() in lowered for mark in END_OF_ARTICLE_MARKS) or any(
        end in text for end in END_OF_ARTICLE_LINES
    )
    candidates = [line for line in lines if not _is_furniture(line.text, foreign_script)]
    first_body = next((i for i, line in enumerate(candidates) if _looks_like_prose(line.text, line is lines[0])), 0)
    body = []
    in_link_block = False
    for line in candidates[first_body:]:
        text = line.text
        if may_end and _ends_article(text):
            break
        if len(text) <= LINK_BLOCK_LENGTH and LINK_BLOCK_RE.match(text) and not QUOTATION_INTRODUCED_RE.search(text):
            in_link_block = True
            continue
        if _may_be_bullet(text) and BULLET_RE.match(text) and (in_link_block or _is_title_like(text)):
            continue
        if in_link_block and (_is_title_like(text) or _word_count(text) < 12):
            continue
        in_link_block = False
        if _is_title_like(text) and _word_count(text) <= 12 and not CREDITED_QUOTATION_RE.search(text):
            continue
        body.append(line)
    return body
