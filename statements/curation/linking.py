"""Link the extractor's quotations to what the database knows: officials, organizations, earlier statements, topics.

Used by the article review (views.py, forms.py), which turns each quotation into a candidate statement, and by
`extract_quotes`, which reports the matched official's id.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db.models import Value

from statements.curation import attribution
from statements.ingest import Extraction, Quotation, Speaker, extract
from statements.ingest.korean import ENGLISH_ORGANIZATIONS
from statements.models import Citation, Country, Official, Organization, Source, Statement, Topic
from statements.search import Unaccent

# Fewer words than this ("uncertainty", "crisis factor") are found in too many statements to mean the same one.
MIN_REUSE_WORDS = 4
# Enough earlier statements to choose from; a phrase that matches more is too common to propose any of them.
MAX_EARLIER = 200
CONTEXT_CHARS = 300
WORD_RE = re.compile(r"[^\W_]+")


@dataclass
class SpeakerLink:
    """Who the database says a speaker is: an existing official, a new one to create, or an unnamed speaker."""

    mode: str  # "official", "new" or "unnamed", as the review form's speaker choice
    official: Official | None = None
    matches: list[Official] = field(default_factory=list)
    name: str = ""
    role: str = ""
    country: str | None = None
    attribution_text: str = ""
    organization: Organization | None = None
    new_organization: str = ""


@dataclass
class Candidate:
    """A quotation proposed as a statement, with everything the review form starts from."""

    quotation: Quotation
    speaker: SpeakerLink
    date: datetime.date | None
    date_assumed: bool
    countries: list[str]
    topics: list[Topic]
    earlier: Statement | None = None  # the same words, already a statement from another source
    cited_by: int | None = None  # the statement already made from these offsets of this source

    @property
    def span(self):
        return self.quotation.start, self.quotation.end


def words_key(text: str) -> str:
    """The words alone, lower case and without accents: punctuation and quotation marks never tell quotes apart."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(WORD_RE.findall(bare.casefold()))


def match_official(name: str | None, country: str | None = None) -> tuple[Official | None, list[Official]]:
    """The official known by this name (any form, either order), and every official it could be.

    The speaker's country settles a name shared by officials of several countries; a name still
    shared gives no official, for the curator to choose.
    """
    if not name:
        return None, []
    matches = list(Official.objects.matching_name(name).select_related("country"))
    if country and len(matches) > 1:
        matches = [official for official in matches if official.country_id == country] or matches
    return (matches[0] if len(matches) == 1 else None), matches


def match_organization(name: str | None, country: str | None) -> Organization | None:
    """The organization of that country called this name or one of its other names, case ignored."""
    if not name:
        return None
    # A Korean article's 외교부 is the Ministry of Foreign Affairs, unless the record knows it by its Korean name.
    wanted = {name.casefold(), ENGLISH_ORGANIZATIONS.get(name, name).casefold()}
    for organization in Organization.objects.filter(country_id=country).order_by("id"):
        if wanted & {other.casefold() for other in [organization.name, *organization.other_names]}:
            return organization
    return None


def link_speaker(speaker: Speaker | None, on: datetime.date | None, countries: set[str]) -> SpeakerLink:
    """Propose who spoke: the matching official, a new official with the article's title, or a description."""
    if speaker is None:
        return SpeakerLink(mode="official")
    country = speaker.country if speaker.country in countries else None
    organization = match_organization(speaker.organization, country)
    link = SpeakerLink(
        mode="new",
        name=speaker.name or "",
        role=speaker.title or "",
        country=country,
        organization=organization,
        new_organization="" if organization else speaker.organization or "",
    )
    if not speaker.name:
        link.mode = "unnamed"
        link.attribution_text = speaker.description or ""
        # "SECRETARY-GENERAL:": the one official holding that title at the speaker's organization that day.
        holder = attribution.official_by_role(speaker, on, country)
        if holder is None:
            return link
        link.official, link.matches = holder, [holder]
    else:
        link.official, link.matches = match_official(speaker.name, country)
    if link.official is None:
        # A shared or bare name ("Cho") settles on the official holding the title the text gives.
        link.official = attribution.official_by_role(speaker, on, country, link.matches)
        link.matches = link.matches or ([link.official] if link.official else [])
    if link.matches:
        link.mode = "official"
    if link.official:
        link.country = link.official.country_id
        position = link.official.position_on(on) if on else None
        if position and organization is None:
            link.organization, link.new_organization = position.organization, ""
    return link


def proposed_topics(quotes: list[str]) -> list[list[Topic]]:
    """For each quotation, the topics whose search terms its words match (Topic.matching)."""
    if not quotes:
        return []
    topics = Topic.objects.exclude(search_terms="").select_related("parent").in_bulk()
    found = Topic.matching(quotes, [(pk, topic.search_terms) for pk, topic in topics.items()])
    return [[topics[pk] for pk in ids] for ids in found]


def earlier_statements(quotes: list[str], source: Source, officials: list[Official | None]) -> list[Statement | None]:
    """For each quotation, a draft or published statement of another source whose words contain it.

    The full-text index finds statements holding each quotation's words as a phrase, in one query;
    comparing the words alone then confirms it. The quoted speaker's own statement comes first, then
    published ones; another speaker's still counts, since the words are what a statement is.
    """
    keys = [words_key(quote) for quote in quotes]
    wanted = [index for index, key in enumerate(keys) if len(key.split()) >= MIN_REUSE_WORDS]
    found: list[Statement | None] = [None] * len(quotes)
    if not wanted:
        return found
    phrases = [SearchQuery(Unaccent(Value(quotes[index])), config="english", search_type="phrase") for index in wanted]
    rows = list(
        Statement.objects.exclude(status=Statement.Status.RETRACTED)
        .exclude(sources=source)
        .filter(search_vector=any_of(phrases))
        .select_related("official", "organization__country")
        .order_by("id")[:MAX_EARLIER]
    )
    texts = {statement.pk: f" {words_key(statement.text)} " for statement in rows}
    for index in wanted:
        containing = [statement for statement in rows if f" {keys[index]} " in texts[statement.pk]]
        official = officials[index]
        containing.sort(
            key=lambda statement: (
                not (official and statement.official_id == official.pk),
                statement.status != Statement.Status.PUBLISHED,
            )
        )
        found[index] = containing[0] if containing else None
    return found


def any_of(queries: list[SearchQuery]) -> SearchQuery:
    """The queries OR-ed as a balanced tree: a chain of a few hundred nests too deep for Python to compile."""
    if len(queries) == 1:
        return queries[0]
    middle = len(queries) // 2
    return any_of(queries[:middle]) | any_of(queries[middle:])


def cited_spans(source: Source) -> list[tuple[int, int, int]]:
    """(start, end, statement id) of each citation of the source that has offsets."""
    return list(
        Citation.objects.filter(source=source, start_offset__isnull=False).values_list(
            "start_offset", "end_offset", "statement_id"
        )
    )


def cited_by(spans: list[tuple[int, int, int]], start: int, end: int) -> int | None:
    """The statement whose citation overlaps these offsets: one statement may join several quotations."""
    return next((statement for low, high, statement in spans if low < end and start < high), None)


def read(source: Source, kind: str | None = None, doubled_marks: bool = False) -> Extraction:
    """The source's text read by the extractor: kind says how ("article", "transcript", "release"; None detects it),
    doubled_marks whether ''…'' are quotation marks."""
    return extract(source.full_text, published=source.published_on, kind=kind, doubled_marks=doubled_marks)


def candidates(source: Source, extraction: Extraction | None = None) -> list[Candidate]:
    """The source's quotations as candidate statements, linked to what the database already holds: from its text as
    read (read()), by default as the kind its form shows."""
    if extraction is None:
        extraction = read(source)
    quotations = extraction.quotations
    if not quotations:
        return []
    codes = {code for quotation in quotations for code in quotation.countries}
    codes |= {speaker.country for speaker in extraction.speakers if speaker.country}
    countries = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    links: dict[int, SpeakerLink] = {}
    for quotation in quotations:
        key = id(quotation.speaker)
        if key not in links:
            links[key] = link_speaker(quotation.speaker, quotation.date or source.published_on, countries)
    speakers = [links[id(quotation.speaker)] for quotation in quotations]
    quotes = [quotation.quote for quotation in quotations]
    topics = proposed_topics(quotes)
    earlier = earlier_statements(quotes, source, [link.official for link in speakers])
    spans = cited_spans(source)
    return [
        Candidate(
            quotation=quotation,
            speaker=speaker,
            date=quotation.date or source.published_on,
            date_assumed=quotation.date is None and source.published_on is not None,
            countries=[code for code in quotation.countries if code in countries],
            topics=topics[index],
            earlier=earlier[index],
            cited_by=cited_by(spans, quotation.start, quotation.end),
        )
        for index, (quotation, speaker) in enumerate(zip(quotations, speakers, strict=True))
    ]


def context(text: str, start: int, end: int, around: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The words before a quotation, the quotation, and the words after, cut at spaces."""
    low, high = max(0, start - around), min(len(text), end + around)
    if low > 0:
        low = text.find(" ", low, start) + 1 or low
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space > end else high
    before = ("…" if low > 0 else "") + text[low:start]
    after = text[end:high] + ("…" if high < len(text) else "")
    return before, text[start:end], after
