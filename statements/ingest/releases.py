"""Read a press release: its body is one statement by whoever issued it.

A ministry's release, a joint statement, a "statement attributable to the Spokesperson" is itself the words of its
issuer: the person its header names with a title ("ANTONY J. BLINKEN, SECRETARY OF STATE", "Statement by Foreign
Minister IWAYA Takeshi"), else the organization ("Ministry of Foreign Affairs, Republic of Korea"). The body runs
from its first sentence (after a dateline) to an end mark ("###", "End.", "Media contact: …"). People the release
quotes by name keep their quotations, as in an article.
"""

import datetime
import re

from .countries import detect_countries
from .headers import (
    ASIDE_LINE_RE,
    HEADING_RE,
    Line,
    Organization,
    ends_sentence,
    first_country,
    is_end,
    is_upper,
    organizations,
    people,
    set_if_known,
    stated_date,
    text_lines,
    titlecase,
    un_context,
)
from .records import Extraction, Quotation, Speaker

# What a release calls itself, in its first lines.
MARKER_RE = re.compile(
    r"\b(?:press releases?|news releases?|media releases?|press statement|media note|joint (?:press )?statement|"
    r"joint declaration|joint communiqu[eé]|communiqu[eé]|for immediate release|readout|fact sheet|"
    r"statement attributable to)\b|^(?:statement|remarks|message) (?:by|of|from|on)\b",
    re.IGNORECASE,
)
# "Statement by Foreign Minister IWAYA Takeshi on …", "Statement attributable to the Spokesperson for the SG – on …".
ISSUER_RE = re.compile(
    r"^(?:joint\s+)?(?:press\s+)?statement\s+(?:by|of|from|attributable to)\s+(?:the\s+)?(?P<who>.+?)"
    r"(?:\s+(?:on|regarding|concerning|following|at|about)\s+|\s+[–—-]\s+|[:.]?$)",
    re.IGNORECASE,
)
# "SEOUL, November 12, 2024 – ", "WASHINGTON (Reuters) -- ": where a body's first sentence is filed from.
DATELINE_RE = re.compile(
    r"^[A-Z][A-Za-z .'’-]{1,30}(?:,\s*[A-Z][A-Za-z .]{1,20})?(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2}(?:,\s*\d{4})?|"
    r",\s*\d{1,2} [A-Z][a-z]{2,8}(?: \d{4})?)?\s*(?:\([\w .]+\)\s*)?(?:--|—|–|-)\s+"
)
# A sentence of the header about the release itself: "The text of the following statement was released by …".
ABOUT_RELEASE_RE = re.compile(
    r"\b(?:the following|was released|were released|begin text|text of the)\b|^(?:begin|start) text\b", re.IGNORECASE
)
NEWS_CUE_RE = re.compile(r"\b(?:said|says|told)\b")
AGENCY_DATELINE_RE = re.compile(r"^[A-Z][A-Za-z .,]{1,40}\((?:Yonhap|AP|AFP|Reuters|Xinhua|Kyodo|UPI)\)")
HEADER_LINES = 8
PROSE_WORDS = 8


def looks_like_release(lines: list[Line]) -> bool:
    """A release calls itself one in its first lines or ends as one ("###"), and reads as an issuer's text, not as
    reporting: few "said"s, no news agency's dateline."""
    head = _header_lines(lines)
    marked = any(MARKER_RE.search(line.text) for line in head)
    ended = any((is_end(line.text) and "#" in line.text) or line.text.lower().startswith("end text") for line in lines)
    if not (marked or ended):
        return False
    if any(AGENCY_DATELINE_RE.match(line.text) for line in head):
        return False
    said = sum(len(NEWS_CUE_RE.findall(line.text)) for line in lines)
    prose = sum(1 for line in lines if len(line.text.split()) >= PROSE_WORDS)
    return said <= max(1, prose // 3)


def _header_lines(lines: list[Line]) -> list[Line]:
    """The lines before the first sentence of prose, or its first few lines."""
    for index, line in enumerate(lines[:HEADER_LINES]):
        if _is_prose(line.text) and not ABOUT_RELEASE_RE.search(line.text):
            return lines[:index]
    return lines[:HEADER_LINES]


def read_release(text: str, published: datetime.date | None, article: Extraction, korea: str = "KR") -> Extraction:
    """The release's body as one statement of its issuer, with the quotations of people it names (from article)."""
    lines = text_lines(text)
    body_start, body_end, header = _body(lines)
    if body_start is None:
        return Extraction(quotations=[], speakers=[], kind="release")
    start = lines[body_start].start
    dateline = DATELINE_RE.match(lines[body_start].text)
    if dateline and dateline.end() < len(lines[body_start].text):
        start += dateline.end()
    end = lines[body_end - 1].end
    footer = lines[body_end:]
    speaker, mention, confidence = _issuer(text, header, footer, lines[body_start:body_end])
    date = stated_date(header, published) or (stated_date([lines[body_start]], published) if dateline else None)
    cue = next((match.group().lower() for line in header if (match := MARKER_RE.search(line.text))), None)
    words = text[start:end]
    release = Quotation(
        quote=words,
        start=start,
        end=end,
        kind="speech",
        speaker=speaker,
        mention=text[mention[0] : mention[1]] if mention else None,
        mention_start=mention[0] if mention else None,
        mention_end=mention[1] if mention else None,
        cue=cue,
        date=date or published,
        countries=detect_countries(words, korea=korea),
        confidence=confidence,
    )
    set_if_known(release, date_basis="stated" if date else "publication")
    quotations = [release]
    speakers = [speaker] if speaker else []
    for quotation in article.quotations:
        # Words the release quotes of a named person are theirs as well as the issuer's.
        quoted = quotation.speaker
        if quoted is None or not quoted.name or start > quotation.start or quotation.end > end:
            continue
        if speaker is not None and quoted.name == speaker.name:
            continue
        quotation.date = quotation.date or release.date
        quotations.append(quotation)
        if all(quoted is not known for known in speakers):
            speakers.append(quoted)
    quotations.sort(key=lambda quotation: quotation.start)
    return Extraction(quotations=quotations, speakers=speakers, kind="release")


def _body(lines: list[Line]) -> tuple[int | None, int, list[Line]]:
    """The body's first line, the line after its last, and the header's lines."""
    start = None
    for index, line in enumerate(lines):
        if is_end(line.text):
            continue  # a contact line above the body ("Contact: Press Office, 202-555-0100")
        begins = re.match(r"^(?:begin|start) text\s*:?$", line.text, re.IGNORECASE)
        if begins:
            start = index + 1
            break
        if _is_prose(line.text) and not ABOUT_RELEASE_RE.search(line.text):
            start = index
            break
    if start is None or start >= len(lines):
        return None, 0, lines
    end = start
    for index in range(start, len(lines)):
        if is_end(lines[index].text):
            break
        end = index + 1
    # Signatures and captions after the last sentence ("Ministry of Foreign Affairs", "Photo of the meeting").
    while end > start + 1 and not ends_sentence(lines[end - 1].text) and not _is_list_item(lines[end - 1].text):
        end -= 1
    while end > start + 1 and ASIDE_LINE_RE.match(lines[end - 1].text):
        end -= 1
    return start, end, lines[:start]


def _is_prose(line: str) -> bool:
    return len(line.split()) >= PROSE_WORDS and ends_sentence(line) and not HEADING_RE.match(line)


def _is_list_item(line: str) -> bool:
    return bool(re.match(r"^(?:\d+[.)]|[-•*])\s", line))


def _issuer(
    text: str, header: list[Line], footer: list[Line], body: list[Line]
) -> tuple[Speaker | None, tuple[int, int] | None, float]:
    """Who issued the release, where the text names them, and how sure that is."""
    # Not from a contact line: "Contact: Office of Public Affairs" is whom to call, not who speaks.
    orgs = organizations(text, [line for line in header if not is_end(line.text)]) or organizations(text, footer)
    organization: Organization | None = orgs[0] if orgs else None
    un = un_context(header)
    country = organization.country if organization and organization.country else first_country(header)
    if organization is None and un:
        country = None
    org_name = organization.name if organization else ("United Nations" if un else None)
    # A person named with a title in the header: the byline of a signed statement.
    for person in people(text, header):
        return (
            Speaker(
                name=person.name, title=person.title, organization=org_name, country=country, mentions=[person.name]
            ),
            (person.start, person.end),
            0.9,
        )
    # "Statement attributable to the Spokesperson for the Secretary-General": an unnamed speaker for the body.
    for line in header:
        shown = titlecase(line.text) if is_upper(line.text) else line.text
        match = ISSUER_RE.match(shown)
        if match and not organizations(text, [Line(line.start + match.start("who"), 0, match["who"])]):
            who = match["who"].strip()
            start = line.start + match.start("who")
            speaker = Speaker(description=who, title=who, organization=org_name, country=country, mentions=[who])
            return speaker, (start, start + len(who)), 0.8
    if organization is None:
        # The body's first sentence may say who speaks: "The Ministry of Trade, Industry and Energy announced …".
        found = organizations(text, body[:1])
        if found and found[0].start - body[0].start < 60:
            organization = found[0]
            country = organization.country or first_country(header) or _dateline_country(body[0].text)
    if organization is None:
        return None, None, 0.0
    country = country or _dateline_country(body[0].text if body else "")
    speaker = Speaker(
        description=organization.name,
        organization=organization.name,
        country=country,
        mentions=[organization.name],
    )
    return speaker, (organization.start, organization.end), 0.9 if orgs else 0.7


def _dateline_country(line: str) -> str | None:
    match = DATELINE_RE.match(line)
    if not match:
        return None
    codes = detect_countries(titlecase(match.group()))
    return codes[0] if codes else None
