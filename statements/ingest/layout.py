"""Tell an article's body paragraphs from the page furniture copied with it (headline, byline, related links)."""

import re
from dataclasses import dataclass

LINE_RE = re.compile(r"[^\n]+")
HANGUL_OR_CJK_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7af]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")

# Lines after which the article has ended: everything that follows is page furniture.
END_OF_ARTICLE_MARKS = ("©", "copyright", "all rights reserved")
END_OF_ARTICLE_LINES = ("(END)", "(끝)")
# Lines that start a block of links or credits; the short lines after them are not body text either.
LINK_BLOCK_RE = re.compile(
    r"^(?:related(?: articles| stories| coverage| news| content)?|read more|more from|most read|most viewed|"
    r"recommended(?: stories)?|see also|also read|trending(?: now)?|popular|latest(?: news)?|more stories|"
    r"you may (?:also )?like|(?:additional )?reporting by|editing by|writing by|compiled by|our standards|"
    r"more on this story|explore more on these topics)\b.{0,80}$",
    re.IGNORECASE,
)
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
CAPTION_END_RE = re.compile(
    r"(?:\[[A-Z0-9 /&.,-]{3,}\]|\((?:AP|Reuters|AFP|EPA|Yonhap|Getty)[^)]*\)|Photograph: .*|Getty Images|"
    r"/ ?(?:Yonhap|Reuters|AP|AFP|EPA|Newsis|News1))\s*$"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
BULLET_RE = re.compile(r"^\s*(?:[-•·*▶►▲■□◆]|\d+\.)\s+")
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .,'’-]{2,}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([\w .]+\)\s*)?(?:--|—|–|-)\s"
)
SENTENCE_END = ".!?…:;\"”’')]"


@dataclass(frozen=True)
class Paragraph:
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


def _is_furniture(line: str) -> bool:
    """Bylines, captions, time stamps and buttons, wherever they appear."""
    if _is_foreign_script(line) or FURNITURE_RE.match(line) or CAPTION_END_RE.search(line[-120:]):
        return True
    if BYLINE_RE.match(line) and _word_count(line) <= 12:
        return True
    return "@" in line and bool(EMAIL_RE.search(line)) and _word_count(line) <= 15


def _ends_article(line: str) -> bool:
    """Copyright lines and end marks close the article."""
    lower = line.lower()
    return line in END_OF_ARTICLE_LINES or any(mark in lower for mark in END_OF_ARTICLE_MARKS)


def _is_title_like(line: str) -> bool:
    """A headline, subheading or link text: short and without closing sentence punctuation."""
    return line[-1] not in SENTENCE_END and _word_count(line) <= 25


def _looks_like_prose(line: str) -> bool:
    """The first body paragraph: a dateline, or a full sentence of reasonable length."""
    if DATELINE_RE.match(line):
        return True
    return _word_count(line) >= 15 and line[-1] in SENTENCE_END


def body_paragraphs(text: str) -> list[Paragraph]:
    """Return the article's body paragraphs, skipping headline, byline, copyright and link lists."""
    lines = []
    for match in LINE_RE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            offset = match.start() + raw.index(stripped)
            lines.append(Paragraph(offset, offset + len(stripped), stripped))
    candidates = [line for line in lines if not _is_furniture(line.text)]
    first_body = next((i for i, line in enumerate(candidates) if _looks_like_prose(line.text)), 0)
    body = []
    in_link_block = False
    for line in candidates[first_body:]:
        if _ends_article(line.text):
            break
        if LINK_BLOCK_RE.match(line.text):
            in_link_block = True
            continue
        if BULLET_RE.match(line.text) and (in_link_block or _is_title_like(line.text)):
            continue
        if in_link_block and (_is_title_like(line.text) or _word_count(line.text) < 12):
            continue
        in_link_block = False
        if _is_title_like(line.text) and _word_count(line.text) <= 12:
            continue
        body.append(line)
    return body
