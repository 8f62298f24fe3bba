"""Date clues in news prose ("said Tuesday", "on Nov. 11", "yesterday") resolved against the publication date."""

import datetime
import re
from typing import NamedTuple

WEEKDAY_NUMBERS = {
    name: number
    for number, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"  # noqa: E501
# The lookahead lets the regex engine skip to plausible first characters.
DATE_CLUE_RE = re.compile(
    r"(?=[JFMASONDTWYyTtLl0-9])(?:"
    rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>January|February|March|April|May|June|July|August|September|"
    rf"October|November|December)\b(?:\s+(?P<year2>(?:19|20)\d\d)\b)?"
    r"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b"
    r"|\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?P<relative>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]his morning|[Tt]his afternoon|[Tt]his evening|"
    r"[Ll]ast night|[Ll]ast week)\b)"
)
# Where a clue may begin in a word or token: its text starts as a clue's first word does, at a word boundary. A text
# without any cannot hold a clue's start.
CLUE_STARTS = tuple(
    (
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
        "Yesterday yesterday Today today Tonight tonight This this Last last"
    ).split()
)
CLUE_START_RE = re.compile(r"(?<!\w)(?:[0-9]|" + "|".join(CLUE_STARTS) + ")")
RELATIVE_DAYS = {
    "yesterday": 1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "last night": 1,
    "last week": 7,
}


class DateClue(NamedTuple):
    """A date expression at a text position, with the date it stands for (None if it cannot be resolved)."""

    start: int
    end: int
    date: datetime.date | None
    # "stated" (a month and day, or an ISO date) or "relative" ("Tuesday", "yesterday": read against publication).
    basis: str = "stated"


def _month_day(month: str, day: str, year: str | None, published: datetime.date | None) -> datetime.date | None:
    month_number = MONTH_NUMBERS[month[:3].lower()]
    try:
        if year:
            return datetime.date(int(year), month_number, int(day))
        if published is None:
            return None
        guess = datetime.date(published.year, month_number, int(day))
    except ValueError:
        return None
    # A month and day later than the publication belong to the year before.
    if guess > published + datetime.timedelta(days=1):
        guess = guess.replace(year=guess.year - 1)
    return guess


def _resolve(match: re.Match, published: datetime.date | None) -> datetime.date | None:
    if match["month"]:
        return _month_day(match["month"], match["day"], match["year"], published)
    if match["month2"]:
        return _month_day(match["month2"], match["day2"], match["year2"], published)
    if match["iso"]:
        try:
            return datetime.date.fromisoformat(match["iso"])
        except ValueError:
            return None
    if published is None:
        return None
    if match["weekday"]:
        # The most recent such day on or before publication.
        days_back = (published.weekday() - WEEKDAY_NUMBERS[match["weekday"].lower()]) % 7
        return published - datetime.timedelta(days=days_back)
    return published - datetime.timedelta(days=RELATIVE_DAYS[match["relative"].lower()])


def date_clues(text: str, published: datetime.date | None, start: int = 0, end: int | None = None) -> list[DateClue]:
    """All date clues in text[start:end], resolved; clues that cannot be resolved carry date None."""
    end = len(text) if end is None else end
    return [
        DateClue(
            match.start(),
            match.end(),
            _resolve(match, published),
            "relative" if match["weekday"] or match["relative"] else "stated",
        )
        for match in DATE_CLUE_RE.finditer(text, start, end)
    ]


def nearest_clue(clues: list[DateClue], position: int) -> DateClue | None:
    """The resolved clue closest to position."""
    resolved = [clue for clue in clues if clue.date]
    if not resolved:
        return None
    return min(resolved, key=lambda clue: min(abs(clue.start - position), abs(clue.end - position)))
