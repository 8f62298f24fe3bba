"""A statement as a reference: the citation its page shows, and the same in BibTeX, RIS and CSL-JSON.

    reference = Reference.of(statement, position=position, permalink="https://diplotrack.example/statements/12/")
    reference.text, reference.bibtex(), reference.ris(), reference.csl()

One reference, four writings: each download says what the page says. The speaker is named as a literal name
(Cho Tae-yul is not "Tae-yul, Cho"), the date at its precision, the first source as where it was reported, and
the statement's address by its id alone, which an edit of its words leaves alone.
"""

import dataclasses
import datetime
import re

from django.utils import timezone

from statements.models import Statement, display_date
from statements.text import first_words

# Enough of a long speech to know it by: the whole stays one click away, at the permanent URL.
TITLE_WORDS = 60
PUBLISHER = "DiploTrack"


def one_line(text):
    """Text on one line, runs of spaces made one: a field of BibTeX or RIS ends at a line break."""
    return re.sub(r"\s+", " ", text or "").strip()


@dataclasses.dataclass(frozen=True)
class Reported:
    """Where a statement was reported: a source's title, publisher, date and address."""

    title: str
    publisher: str
    published_on: datetime.date | None
    url: str


@dataclasses.dataclass(frozen=True)
class Reference:
    pk: int
    speaker: str
    role: str
    title: str  # The words, cut after TITLE_WORDS words.
    date: datetime.date
    precision: str
    source: Reported | None
    permalink: str
    accessed: datetime.date

    @classmethod
    def of(cls, statement, *, position, permalink, accessed=None):
        """The reference of a statement fetched with_related(), its speaker's `position` on the day (or None)."""
        if position is not None:
            role = f"{position.role}, {position.organization.name}"
        else:
            role = ", ".join(
                part for part in [statement.role, statement.organization and statement.organization.name] if part
            )
        citation = next(iter(statement.citations.all()), None)
        source = citation and citation.source
        return cls(
            pk=statement.pk,
            speaker=one_line(statement.speaker_label),
            role=one_line(role),
            # The first words alone: a speech's whole text would be split (or made one line) for sixty of them.
            title=first_words(statement.text, TITLE_WORDS),
            date=statement.date,
            precision=statement.date_precision,
            source=source
            and Reported(one_line(source.title), one_line(source.publisher), source.published_on, source.url),
            permalink=permalink,
            accessed=accessed or timezone.localdate(),
        )

    @property
    def key(self):
        return f"diplotrack-{self.pk}"

    @property
    def date_parts(self):
        """The date as CSL's date-parts: as far as it is known (a year, a month, a day)."""
        parts = [self.date.year, self.date.month, self.date.day]
        return parts[: {Statement.DatePrecision.YEAR: 1, Statement.DatePrecision.MONTH: 2}.get(self.precision, 3)]

    @property
    def text(self):
        """The formatted citation: "Cho Tae-yul, Minister of Foreign Affairs, Ministry of Foreign Affairs. “We will
        ….” 12 November 2024. Reported in Korea JoongAng Daily, “U.S. alliance…,” 12 November 2024. DiploTrack,
        https://…/statements/12/ (accessed 6 December 2026)."""
        who = ", ".join(part for part in [self.speaker, self.role] if part)
        words = self.title if self.title[-1:] in ".?!…" else f"{self.title}."
        said = f"{who}. “{words}” {display_date(self.date, self.precision)}."
        reported = ""
        if self.source:
            on = self.source.published_on
            title = f"“{self.source.title},” {on.day} {on:%B %Y}." if on else f"“{self.source.title}.”"
            reported = f" Reported in {self.source.publisher}, {title}"
        accessed = f"{self.accessed.day} {self.accessed:%B %Y}"
        return f"{said}{reported} {PUBLISHER}, {self.permalink} (accessed {accessed})."

    @property
    def note(self):
        """The role and the source, for the formats' note field."""
        parts = [self.role]
        if self.source:
            parts.append(f"Reported in {self.source.publisher}: {self.source.title}")
        return ". ".join(part for part in parts if part)

    def csl(self):
        """CSL-JSON (a list of one item), as Zotero, Pandoc and citeproc read it."""
        item = {
            "id": self.key,
            "type": "speech",
            "title": self.title,
            "author": [{"literal": self.speaker}],
            "issued": {"date-parts": [self.date_parts]},
            "genre": self.role,
            "publisher": PUBLISHER,
            "URL": self.permalink,
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
        }
        if self.source:
            item["container-title"] = self.source.title
            item["note"] = f"Reported in {self.source.publisher}" + (f", {self.source.url}" if self.source.url else "")
        return [{name: value for name, value in item.items() if value}]

    def bibtex(self):
        """A BibTeX @misc entry (biblatex reads its date and urldate too)."""
        fields = {
            "author": "{" + bibtex_escape(self.speaker) + "}",  # Braced twice: one name, never split into parts.
            "title": bibtex_escape(self.title),
            "year": str(self.date.year),
            "month": str(self.date.month) if len(self.date_parts) > 1 else "",
            "date": "-".join(f"{part:02d}" for part in self.date_parts),
            "howpublished": PUBLISHER,
            "note": bibtex_escape(self.note),
            "url": self.permalink,
            "urldate": self.accessed.isoformat(),
        }
        lines = [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
        return "\n".join([f"@misc{{{self.key},", *lines, "}"]) + "\n"

    def ris(self):
        """A RIS record (TY to ER), as EndNote and Zotero import it."""
        date = [f"{part:02d}" for part in self.date_parts] + [""] * (3 - len(self.date_parts))
        tags = [
            ("TY", "GEN"),
            ("ID", self.key),
            ("AU", self.speaker),
            ("TI", self.title),
            ("PY", str(self.date.year)),
            ("DA", "/".join([*date, ""])),
            ("PB", PUBLISHER),
            ("UR", self.permalink),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("N1", self.note),
        ]
        if self.source:
            tags.append(("T2", self.source.title))
        lines = [f"{tag}  - {one_line(value)}" for tag, value in tags if value]
        return "\r\n".join([*lines, "ER  - ", ""])


BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    """Text as a BibTeX value: its special characters escaped, so that braces always balance."""
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in one_line(text))


# Paragraphs are parted by blank lines; in a text that has none, by line breaks.
BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE_BREAKS = re.compile(r"\n\s*")
# How much of a long paragraph around the quotation is shown, on each side.
CONTEXT_CHARS = 600


@dataclasses.dataclass(frozen=True)
class InContext:
    """A quotation in its source's text: the paragraph before, the quotation's own paragraph(s) as the text before
    it (lead), the quotation and the text after it (tail), and the paragraph after; "" where there is none."""

    before: str
    lead: str
    quotation: str
    tail: str
    after: str

    @classmethod
    def of(cls, text, start, end):
        """The quotation at text[start:end], or None when the offsets do not fall within the text."""
        if start is None or end is None or not 0 <= start < end <= len(text):
            return None
        separator = BLANK_LINES if BLANK_LINES.search(text) else LINE_BREAKS
        spans, position = [], 0
        for found in separator.finditer(text):
            spans.append((position, found.start()))
            position = found.end()
        spans.append((position, len(text)))
        spans = [(first, last) for first, last in spans if text[first:last].strip()]
        if not spans:
            return None
        first = next((index for index, (_, last) in enumerate(spans) if last > start), len(spans) - 1)
        last = max(next((index for index, (begin, _) in enumerate(spans) if begin >= end), len(spans)) - 1, first)
        paragraph = spans[first][0], max(spans[last][1], end)
        return cls(
            before=cut(text[slice(*spans[first - 1])], keep="end") if first > 0 else "",
            lead=cut(text[min(paragraph[0], start) : start], keep="end"),
            quotation=text[start:end],
            tail=cut(text[end : paragraph[1]], keep="start"),
            after=cut(text[slice(*spans[last + 1])], keep="start") if last + 1 < len(spans) else "",
        )


def cut(text, *, keep):
    """At most CONTEXT_CHARS of the text, from its start or its end, cut at a word with an ellipsis."""
    if len(text) <= CONTEXT_CHARS:
        return text
    if keep == "start":
        return text[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return "…" + text[-CONTEXT_CHARS:].split(" ", 1)[-1]
