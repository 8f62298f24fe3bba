"""Read what official documents say of themselves: their lines, who they name with a title, who issued them, when.

Transcripts and press releases open with a header ("Regular Press Briefing by Spokesperson Lim Soo-suk",
"ANTONY J. BLINKEN, SECRETARY OF STATE", "Ministry of Foreign Affairs, Republic of Korea", "NOVEMBER 15, 2024")
that names the people and bodies their words belong to. Both readers take them from here.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .countries import detect_countries
from .dates import date_clues
from .lexicon import NON_NAME_CAPITALS, TITLE_WORDS, words


class Line(NamedTuple):
    """One non-blank line, stripped, with where it sits in the text."""

    start: int
    end: int
    text: str


def text_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped)
            lines.append(Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


SMALL_WORDS = words("of the for and to on in at by a an de du la le von van der")
UPPER_WORD_RE = re.compile(r"[^\W\d_][\w'’]*")


def is_upper(line: str) -> bool:
    """A line set in capitals ("PRESS STATEMENT", "ANTONY J. BLINKEN, SECRETARY OF STATE")."""
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 4 and sum(char.isupper() for char in letters) >= 0.8 * len(letters)


def titlecase(text: str) -> str:
    """Capitals as in running text, same length: "SECRETARY OF STATE" -> "Secretary of State"; "U.S." stays."""

    def word(match: re.Match) -> str:
        value = match.group()
        if not value.isupper() or len(value) == 1:
            return value
        lower = value.lower()
        if lower in SMALL_WORDS and match.start() > 0:
            return lower
        return value[0] + lower[1:]

    return UPPER_WORD_RE.sub(word, text)


def name_case(name: str) -> str:
    """A name's words in capitals written as names are: "IWAYA Takeshi" -> "Iwaya Takeshi", "THOMAS-GREENFIELD"."""
    return "-".join(
        " ".join(part[0] + part[1:].lower() if part.isupper() and len(part) > 1 else part for part in piece.split(" "))
        for piece in name.split("-")
    )


# Role words that end a title ("Foreign Ministry Spokesperson", "Secretary of State", "Deputy Secretary").
ROLE = (
    r"(?:Spokesperson|Spokesman|Spokeswoman|Secretary-General|Under-Secretary-General|Secretary|Minister|Ambassador|"
    r"President|Vice-President|Director-General|Director|Representative|Envoy|Coordinator|Chairman|Chairwoman|Chair|"
    r"Commissioner|Governor|Premier|Chancellor|Counselor|Counsellor|Undersecretary|Administrator|Advisor|Adviser)"
)
SPOKESPEOPLE = {"spokesperson", "spokesman", "spokeswoman"}
NAME_WORD = r"[A-ZÀ-Þ][\w'’-]*\.?"
TITLE_PHRASE = rf"(?:(?:{NAME_WORD})\s+){{0,3}}{ROLE}"
# "Spokesperson Lim Soo-suk", "Foreign Minister IWAYA Takeshi", "Secretary-General António Guterres".
TITLE_THEN_NAME_RE = re.compile(rf"(?P<title>{TITLE_PHRASE})\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}})")
# "Matthew Miller, Department Spokesperson", "Stéphane Dujarric, Spokesperson for the Secretary-General".
NAME_THEN_TITLE_RE = re.compile(
    rf"(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}),\s+(?P<title>(?:the\s+)?{TITLE_PHRASE}"
    rf"(?:\s+(?:for|of|to)\s+(?:the\s+)?{NAME_WORD}(?:\s+(?:and\s+|of\s+|the\s+)*{NAME_WORD})*)?)"
)
# Words that may follow a name in a header but are no part of it ("Lin Jian's Regular Press Conference").
NOT_NAME_WORDS = words(
    """regular press briefing briefings conference remarks statement statements on at in with to by for of and the
    interview meeting daily special background transcript"""
)
HONORIFICS = words("mr mr. ms ms. mrs mrs. dr dr. m. mme mme. h.e. amb. amb")


# "Secretary of State Antony J. Blinken", "Minister of Foreign Affairs Cho Tae-yul": the title runs on through its
# title words ("State", "Foreign Affairs"), and the name follows.
TITLE_OF_RE = re.compile(
    rf"(?P<title>{TITLE_PHRASE}\s+(?:of|for)\s+(?:the\s+)?)(?P<rest>{NAME_WORD}(?:\s+{NAME_WORD}){{1,7}})"
)


@dataclass(slots=True)
class Person:
    """A person a document names with a title, as written there."""

    name: str
    title: str
    start: int  # where the name stands in the text
    end: int

    @property
    def name_words(self) -> frozenset[str]:
        return name_words(self.name)

    @property
    def role(self) -> str:
        """The title's head: "Spokesperson" in "Spokesperson for the Secretary-General"."""
        return head_role(self.title)


@lru_cache(maxsize=1024)
def name_words(name: str) -> frozenset[str]:
    """A name's words, case and hyphens ignored, with hyphenated parts joined too: "Soo-suk" is "soosuk"."""
    found = set()
    for word in name.replace("’", "'").split():
        lower = word.lower().strip(".,'")
        found.add(lower.replace("-", ""))
        found.update(part for part in lower.split("-") if part)
    return frozenset(found - {""})


@lru_cache(maxsize=1024)
def head_role(title: str) -> str:
    """The role word a title turns on, spokespeople as one: "Department Spokesperson" -> "spokesperson"."""
    main = re.split(r"\s+(?:for|of|to)\s+", title, maxsplit=1)[0]
    roles = re.findall(ROLE, titlecase(main))
    role = roles[-1].lower() if roles else main.split()[-1].lower() if main.split() else ""
    return "spokesperson" if role in SPOKESPEOPLE else role


def _clean_name(name: str) -> str:
    """Cut a name at a possessive or a word that is no part of it; drop title words in front."""
    kept = []
    for word in name.split():
        bare = word.rstrip(".")
        possessive = bare.endswith(("'s", "’s", "s'", "s’"))  # "Lin Jian's", "António Guterres'"
        if possessive:
            word = bare[:-2] if bare.endswith(("'s", "’s")) else bare[:-1]
        if word.lower() in NOT_NAME_WORDS or (word in NON_NAME_CAPITALS and not kept):
            break
        if not kept and word.lower().rstrip(".") in TITLE_WORDS:
            continue
        kept.append(word)
        if possessive:
            break
    return name_case(" ".join(kept))


def people(text: str, lines: list[Line]) -> list[Person]:
    """People named with their titles in these lines, in order."""
    found: list[Person] = []
    for line in lines:
        shown = titlecase(line.text) if is_upper(line.text) else line.text
        named = [
            (match.start(), match["title"], match["name"], match.start("name"))
            for match in [*NAME_THEN_TITLE_RE.finditer(shown), *TITLE_THEN_NAME_RE.finditer(shown)]
        ]
        named += [_title_of(match) for match in TITLE_OF_RE.finditer(shown)]
        for _position, title, raw, offset in sorted(item for item in named if item is not None):
            name = _clean_name(raw)
            if len(name) < 2 or name.lower() in TITLE_WORDS or any(name == person.name for person in found):
                continue
            start = line.start + offset
            found.append(Person(name, titlecase(title).rstrip(".,;:"), start, start + len(raw)))
    return found


def _title_of(match: re.Match) -> tuple[int, str, str, int] | None:
    """A TITLE_OF_RE match as (where, title, name, where the name starts), the title taking its title words."""
    words = match["rest"].split()
    taken = 0
    while taken < len(words) - 1 and words[taken].lower().rstrip(".") in TITLE_WORDS:
        taken += 1
    if not taken:
        return None
    title = match["title"] + " ".join(words[:taken])
    name = " ".join(words[taken:])
    return match.start(), title, name, match.start("rest") + match["rest"].index(words[taken])


# A body that issues statements: "Ministry of Foreign Affairs", "U.S. Department of State", "Foreign Ministry".
ORGANIZATION_RE = re.compile(
    r"(?:(?:U\.S\.|The|the)\s+)?(?:(?:Ministry|Department|Embassy|Mission|Office|Secretariat|Commission|Council|"
    r"Agency|Bureau|Cabinet)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:(?:,\s+|\s+and\s+|\s+(?:of|in)\s+(?:the\s+)?|\s+)"
    r"[A-Z][\w'’-]*)*|(?:[A-Z][\w-]*\s+){1,3}(?:Ministry|Department|Office)(?![\w-])|White House|United Nations|"
    r"European Union|European Commission|Kremlin)"
)
# Organizations known by what they are called, and a country that goes without saying.
IMPLIED = {"White House": "US", "Kremlin": "RU", "State Department": "US", "Department of State": "US"}
UN_WORDS = ("Secretary-General", "United Nations", "Security Council", "General Assembly")
# Headings that look like organizations but are a page's sections.
NOT_ORGANIZATIONS = words("""Press Spokesperson Spokesperson's Briefing Releases Release Statement""")


@dataclass(slots=True)
class Organization:
    name: str
    country: str | None
    start: int
    end: int


# Words that end a body's name and begin a place in it: "Ministry of Foreign Affairs Press Conference Room".
PLACE_STARTS = words(
    """Press Conference Room Briefing Building Hall Complex Auditorium Spokesperson's Release Releases"""
)


def _cut_at_place(name: str) -> str:
    parts = name.split(" ")
    for index, part in enumerate(parts[2:], 2):
        if part in PLACE_STARTS:
            return " ".join(parts[:index]).rstrip(",")
    return name


def _country_suffix(name: str) -> tuple[str, str | None]:
    """ "Ministry of Foreign Affairs, Republic of Korea" -> ("Ministry of Foreign Affairs", "KR").

    Every country has a Ministry of Foreign Affairs, and the database names it so, with its country; an embassy's
    name keeps the country it is of."""
    if not name.startswith(("Ministry", "Department")):
        return name, None
    for separator in (", ", " of the ", " of "):
        head, found, tail = name.rpartition(separator)
        if found and head and len(head.split()) >= 2:
            countries = detect_countries(tail)
            if countries and len(tail.split()) <= 6:
                return head, countries[0]
    return name, None


def organizations(text: str, lines: list[Line]) -> list[Organization]:
    """Issuing bodies named in these lines, in order, with the country their names give."""
    found = []
    for line in lines:
        shown = titlecase(line.text) if is_upper(line.text) else line.text
        for match in ORGANIZATION_RE.finditer(shown):
            raw = _cut_at_place(match.group().rstrip(","))
            bare = raw.removeprefix("The ").removeprefix("the ")
            if bare.split()[0] in NOT_ORGANIZATIONS or bare.startswith("Office of the Spokesperson"):
                continue  # a ministry's or the UN's press office speaks for it: the body is named elsewhere
            name, country = _country_suffix(raw)
            country = country or next((code for key, code in IMPLIED.items() if key in name), None)
            country = country or (detect_countries(name)[:1] or [None])[0]
            start = line.start + match.start()
            name = name.removeprefix("The ").removeprefix("the ")
            found.append(Organization(name, country, start, start + len(raw)))
    # One named with its country first ("Ministry of Foreign Affairs, Republic of Korea" over "Foreign Ministry").
    return sorted(found, key=lambda organization: organization.country is None)


def un_context(lines: list[Line]) -> bool:
    """A document of the United Nations: its header speaks of the Secretary-General or a UN body."""
    return any(word.lower() in line.text.lower() for line in lines for word in UN_WORDS)


PLACE_WORDS = 6


def first_country(lines: list[Line]) -> str | None:
    """The one country the header's short lines name ("Washington, D.C."), if they name exactly one.

    Longer lines are titles, which name what the words are about ("Condemning the DPRK's … Launch")."""
    codes = {
        code
        for line in lines
        if len(line.text.split()) <= PLACE_WORDS
        for code in detect_countries(titlecase(line.text) if is_upper(line.text) else line.text)
    }
    return codes.pop() if len(codes) == 1 else None


def stated_date(lines: list[Line], published: datetime.date | None) -> datetime.date | None:
    """The first full date the lines give ("November 12, 2024", "12 November 2024", "2024-11-12")."""
    for line in lines:
        shown = titlecase(line.text) if is_upper(line.text) else line.text
        for clue in date_clues(shown, published):
            if clue.date and (published is None or clue.date.year > 1900) and not _is_relative(shown, clue):
                return clue.date
    return None


def _is_relative(text: str, clue) -> bool:
    word = text[clue.start : clue.end].lower()
    return word in {"today", "yesterday", "tonight", "this morning", "this afternoon", "this evening", "last night"}


# Lines after which a document's words have ended: end marks, a transcript's closing note, contacts.
END_RE = re.compile(
    r"^(?:#\s*#\s*#[#\s]*|\*[\s*]*\*|-+\s*(?:end|30)\s*-+|\(?(?:end|end text|the end)\)?\.?|-30-|"
    r"\((?:the\s+)?(?:briefing|press briefing|press conference|conference|meeting|session|call|encounter)\b[^)]*\)|"
    r"(?:media|press) (?:contacts?|inquiries|enquiries)\b.*|contacts?\s*:.*|for (?:further|more) information\b.*|"
    r"for media inquiries\b.*|for information media\b.*|attachments?\s*:.*|related (?:articles|content|links)\b.*)$",
    re.IGNORECASE,
)
# A line that is only a stage direction or a note: "(Laughter.)", "[Inaudible]", "(END)".
ASIDE_LINE_RE = re.compile(r"^[(\[][^()\[\]]*[)\]]$")
TRAILING_ASIDE_RE = re.compile(r"\s*[(\[][^()\[\]\n]{1,40}[)\]]\s*$")
HEADING_RE = re.compile(r"^(?:\*\*|##+\s*)")
TERMINAL = '.!?…:;"”’)'


def is_end(line: str) -> bool:
    return bool(END_RE.match(line))


def ends_sentence(line: str) -> bool:
    """Whether a line ends as a sentence does ("Good afternoon, everyone.", not "Washington, D.C.")."""
    if not line or line[-1] not in TERMINAL:
        return False
    last = line.split()[-1]
    return not (last.endswith(".") and ("." in last[:-1] or last.lower().rstrip(".") in ("p.m", "a.m", "est")))


def is_heading(line: str) -> bool:
    """A section heading between paragraphs: "**Sudan", or a short line in title style without a full stop."""
    if HEADING_RE.match(line):
        return True
    return not ends_sentence(line) and len(line.split()) <= 10 and not line.endswith((",", "—", "–", "-"))


def trim_asides(text: str, start: int, end: int) -> int:
    """The end of text[start:end] without stage directions at its end ("… get ahead of it. (Laughter.)")."""
    while True:
        match = TRAILING_ASIDE_RE.search(text, start, end)
        if not match or match.start() == start:
            return end
        end = match.start()


def set_if_known(quotation, **values) -> None:
    """Set the fields the quotation's record has: how its date was found is the news reader's to add to records."""
    for name, value in values.items():
        if hasattr(quotation, name):
            setattr(quotation, name, value)
