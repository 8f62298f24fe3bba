"""The extractor's results: quotations, their speakers, and the extraction holding both."""

import datetime
from dataclasses import dataclass, field


@dataclass(eq=False)
class Speaker:
    """A person or body quoted in the article; unnamed speakers keep their description."""

    name: str | None = None
    title: str | None = None
    description: str | None = None
    organization: str | None = None
    country: str | None = None
    mentions: list[str] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        return self.name or self.description

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "organization": self.organization,
            "country": self.country,
            "mentions": list(self.mentions),
            "label": self.label,
        }


@dataclass
class Quotation:
    """Quoted words as they stand in the text (text[start:end]) with who said them, when, and countries named."""

    quote: str
    start: int
    end: int
    kind: str
    speaker: Speaker | None = None
    mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    date: datetime.date | None = None
    countries: list[str] = field(default_factory=list)
    # How far to trust the speaker (0 to 1): the share of speakers found the same way that were right, measured.
    confidence: float = 0.0
    # Where the date comes from: "stated" (a date in the text), "relative" ("Tuesday", "yesterday", read against
    # the publication date), "publication" (no date in the text: the publication date applies), None (neither).
    date_basis: str | None = None
    # How the speaker was found ("verb", "tail", "head", "subject", "paragraph", "follow-on") and named ("name",
    # "pronoun", "description", "organization"), which confidence is measured by; None without a speaker.
    found_by: tuple[str, str] | None = None
    # The index, among the extraction's quotations, of the one whose attribution this one continues ("…," she
    # said, after "…," said Cho; a transcript's later turns under the same label): set by followons.py.
    follows: int | None = None

    def as_dict(self) -> dict:
        """The JSON contract of `extract_quotes --format json`, less the `official` the command adds."""
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "speaker": self.speaker.label if self.speaker else None,
            "mention": self.mention,
            "mention_start": self.mention_start,
            "mention_end": self.mention_end,
            "cue": self.cue,
            "date": self.date.isoformat() if self.date else None,
            "countries": list(self.countries),
            "confidence": self.confidence,
            "date_basis": self.date_basis,
        }


@dataclass
class Extraction:
    """All quotations of one text in order of appearance, and each distinct speaker once.

    kind: how the text was read, "article", "transcript" or "release" (statements.ingest.kinds)."""

    quotations: list[Quotation] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    kind: str = "article"
    # Quotations printed between doubled marks (''…'', ``…'') that were not read, as asked (extract's doubled_marks).
    doubled_left_out: int = 0

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "doubled_left_out": self.doubled_left_out,
            "quotations": [quotation.as_dict() for quotation in self.quotations],
            "speakers": [speaker.as_dict() for speaker in self.speakers],
        }
