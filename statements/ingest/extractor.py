"""Extract an article's quotations with their speakers, dates and countries, by the rules of news writing."""

import datetime
import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from operator import attrgetter, itemgetter

import ftfy

from .clauses import IRREGULAR_PAST, head_speaker, opening_subject, phrase_before, source_after, tail_speaker
from .countries import detect_countries
from .dates import DateClue, date_clues, nearest_clue
from .followons import link_follow_ons
from .hygiene import in_doubled_marks, readable
from .kinds import ARTICLE, KINDS, RELEASE, TRANSCRIPT, detect_kind
from .korean import is_korean, read_korean
from .layout import Paragraph, body_paragraphs
from .lexicon import (
    ANCHOR_PHRASES,
    ANCHOR_WORDS,
    CUE_PHRASES,
    CUE_RE,
    DETERMINERS,
    HONORIFICS,
    LISTENER_RE,
    LISTENER_VERBS,
    MEDIUM_RE,
    ORGANIZATION_WORDS,
    PARTICIPLE_CUES,
    PHRASE_ANCHORS,
    PRONOUNS,
    ROLES,
    TITLE_WORDS,
    words,
)
from .mentions import (
    BREAK,
    GAP,
    TITLED,
    WORDS,
    Mention,
    Tokens,
    Word,
    parse_phrase,
    phrase_shape,
    shape_mention,
    subject_after,
    subject_before,
    tokenize,
)
from .quotes import MASK, QuoteSpan, find_quotes, mask_quotes, sentence_bounds, sentence_stops
from .records import Extraction, Quotation, Speaker
from .releases import read_release
from .speakers import Entity, Registry
from .transcripts import read_transcript

# What stands between a speech verb and the subject of the clause it reports: "said she", "says that he".
REPORTED_SUBJECT_RE = re.compile(r"\s+(?:that\s+)?")
# A form of "be" (and an adverb) before a participle: the verb is passive.
PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:(?:first|also|not|never|widely|\w+ly)\s+)?$")
# A coordinate clause opened by a pronoun: ", but he gave", "; she offered".
COLON_CLAUSE_RE = re.compile(
    r"(?:[,;][\"”’]?\s*(?:but|and|yet)|[\"”’],?\s+(?:but|and|yet)|;)\s+(he|she|they)\s+(?:also\s+)?[a-z]"
)
# The agent of a passive speech verb: "was asked by".
AGENT_RE = re.compile(r"\s+by\s+")
# A participle opening a description ("Following a swiftly called meeting"): a phrase of time, not a speaker.
OPENING_PARTICIPLE_RE = re.compile(r"[A-Z][a-z]{3,}ing\b")
# A connective alone before a quotation that opens its sentence ("But "…"", "Adding, "…"").
CONNECTIVE_HEAD_RE = re.compile(r"\s*(?:But|And|Yet|Still|So|Then|Also|Adding|Continuing)\s*,?\s*")
# An object relative before the subject of the clause it opens: "Clinton, whom he called", "what she called".
RELATIVE_BEFORE_RE = re.compile(r"\b(?:whom|what)\s+$")
# A participle and whom it addresses, right before a noun phrase: "speaking to", "talking with".
ADDRESSED_RE = re.compile(r"\b(?:speaking|talking|writing) (?:to|with) $")
# What stands between a name and its appositive: "Gloria Garcia, a nurse", "Gloria Garcia, 34, a nurse".
APPOSITIVE_GAP_RE = re.compile(r",(?:\s*\d+,)?\s*")
PUNCTUATION_ONLY_RE = re.compile(r"^[\s,;:.!?—–\-~\"“”'‘’]*$")
CLAUSE_BREAK_RE = re.compile(r"[,;:—–]")
WORD_RE = re.compile(r"[\w’'-]+")
NORTH_NAMES = ("North Korea", "Pyongyang", "DPRK", "the North ")
SOUTH_NAMES = ("South Korea", "Seoul", "ROK", "Republic of Korea", "the South ")
# How far around a speech verb (or a role word) the speaker's noun phrase may reach, in characters.
CUE_WINDOW = (90, 60)
ROLE_WINDOW = (50, 30)
WINDOW_REACH = {anchor: ROLE_WINDOW if anchor in ANCHOR_WORDS else CUE_WINDOW for anchor in ANCHOR_PHRASES}
SUBJECT_WINDOW = 40
# The share of quotations whose mention was the annotated speaker's, by how the speaker was found and how the
# mention names them, measured on PolNeAR's train split (840 articles; `benchmarks/extract_accuracy.py --calibrate`
# prints them); pronouns lose a tenth more for resolution to a person, which the corpus does not annotate.
CONFIDENCE = {
    ("verb", "name"): 0.96,
    ("verb", "pronoun"): 0.86,
    ("verb", "description"): 0.88,
    ("verb", "organization"): 0.86,
    ("verb", "other"): 0.85,
    ("tail", "name"): 0.97,
    ("tail", "pronoun"): 0.75,
    ("tail", "description"): 0.88,
    ("tail", "other"): 0.7,
    ("head", "name"): 0.95,
    ("head", "pronoun"): 0.86,
    ("head", "description"): 0.77,
    ("head", "other"): 0.6,
    ("subject", "name"): 0.85,
    ("subject", "pronoun"): 0.79,
    ("subject", "description"): 0.77,
    ("subject", "other"): 0.55,
    ("paragraph", "name"): 0.95,
    ("paragraph", "other"): 0.6,
    ("closing", "name"): 0.95,
    ("closing", "pronoun"): 0.85,
    ("closing", "other"): 0.8,
    ("follow-on", "name"): 0.96,
    ("follow-on", "pronoun"): 0.86,
    ("follow-on", "description"): 0.93,
    ("follow-on", "organization"): 0.7,
    ("follow-on", "other"): 0.7,
}
# Nouns, besides roles and organizations, for those a sentence's subject may quote: groups of people and texts.
SPEAKING_NOUNS = words(
    """campaign campaigns team staff family crowd people report reports lawsuit suit complaint document documents
    textbook book letter statement memo email emails study poll survey filing release ad ads website site post
    tweet video indictment ruling order bill law editorial column article transcript analysis platform petition
    resolution news piece paper message sign"""
)
# How many quoted words are no term named in a noun phrase ("the "Washington cartel"") but the words of someone.
CLAUSE_WORDS = 6
# Determiners that may stand alone for the people they count: "the two", "another", "one", "some".
STANDING_DETERMINERS = frozenset(("one", "another", "two", "three", "four", "several", "some", "many"))
# The closing marks of a quotation quoted at the end of another, before the other's own closing mark.
NESTED_CLOSINGS = "’'”\"»›"
# How long the words after a closing attribution's verb may run to the sentence's end, in characters.
CLOSING_REST = 100
# The longest credit line under a quotation ("Josh Bivens, Economic Policy Institute.”").
CREDIT_LENGTH, CREDIT_WORDS = 100, 12
# What may follow the verb of a sentence that only names the previous quotation's speaker ("in a statement Tuesday.").
NAMING_REST = 45
QUOTE_MARKS = '"“”'
# A quotation right after a source and its comma or colon.
QUOTED_NEXT_RE = re.compile(r"[,:]\s*[\"“]")
# Words that may open the words read as a speaker but name nobody ("from U.S. President Barack Obama").
LEADING_PREPOSITIONS = frozenset(("from", "at", "by", "to", "in", "on", "of", "with", "for", "and", "but"))
# How many later quotations of its paragraph an unattributed one looks at for its speaker.
LOOKAHEAD = 8
# Words after a quoted phrase that show it is part of a longer sentence rather than a noun modifier.
FUNCTION_WORDS = words(
    """was is were are be been being will would could should can may might must shall has have had do does did not
    and or but nor for to of in on at by with from as than that which who whom whose when where while if because
    since after before until unless although though so then into onto over under about against between among
    through during without within toward towards upon across behind beyond despite amid per via he she it they
    we you i his her its their our this these those the a an also too even only just now yet still already again
    soon said says cannot can't won't wouldn't couldn't"""
)
# Words before a quoted phrase that make it a verb phrase or a clause, not part of a noun phrase.
VERB_CONTEXT = words(
    """would will could should can may might must to be been is are was were not and that it as being become became
    remain remains remained"""
)
THAT_CLAUSE_RE = re.compile(
    r"(?:\s+(?:on\s+|last\s+|this\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"week|month|year))?\s+that\b"
)
# A byline right after a quotation: ", by Name" or ", by the Outlet's Name" (a capital after "by", so that
# "…," by contrast, is not one).
BYLINE_RE = re.compile(r",?\s*by (?:the )?[A-Z]")
SMALL_WORDS = words("""a an the of and or for in on to at by with vs""")
# Nouns for works whose titles are quoted ("the book "Tough Choices"", "NBC's "Today"").
WORK_NOUNS = words(
    """book books memoir novel film movie documentary series show program programme episode play musical song album
    article column op-ed essay headline headlined titled entitled magazine newspaper podcast video ad report poem"""
)
KIND, BARE = attrgetter("kind"), attrgetter("bare")
SITE_START, SITE_END = attrgetter("start"), attrgetter("end")
PARAGRAPH_START = attrgetter("start")
_position = itemgetter(0)


@dataclass(slots=True)
class CueSite:
    """A speech verb in the body and the speaker written next to it."""

    start: int
    end: int
    cue: str
    mention: Mention | None
    entity: Entity | None = None


@dataclass(slots=True)
class Attribution:
    """Who a quotation is attributed to, as written ("the senior official") and by which verb."""

    entity: Entity | None
    mention: Mention | None
    cue: str | None
    site: CueSite | None = None
    # How it was found, which tells how far to trust it (CONFIDENCE).
    how: str = "verb"


@dataclass(slots=True)
class Found:
    """A quotation on its way to becoming a Quotation."""

    span: QuoteSpan
    sentence: tuple[int, int]
    kind: str
    attribution: Attribution | None
    next_sentence_sites: list[CueSite]
    previous_sentence_sites: list[CueSite]
    # The words of its sentence before it (from the previous quotation's end) and after it (to the next one's start).
    head: tuple[int, int] = (0, 0)
    tail: tuple[int, int] = (0, 0)


def extract(
    text: str, *, published: datetime.date | None = None, kind: str | None = None, doubled_marks: bool = False
) -> Extraction:
    """Find the quotations in a pasted text, with speakers resolved, dates and countries.

    kind: "article", "transcript" or "release" (kinds.py); None detects it from the text's form.
    doubled_marks: also return the quotations printed between two apostrophes or backquotes (''…'', ``…''), as
    news archives and old wire copy print quotation marks. They are read either way, so that the words around them
    parse as they should, but by default they are left out and counted (Extraction.doubled_left_out): these are not
    quotation marks to the corpus the extractor is measured on, and read as such they cost PolNeAR's train split
    0.084 of F1 (README, "Turning articles into statements")."""
    kind = kind or detect_kind(text)
    if kind not in KINDS:
        raise ValueError(f"unknown kind of text {kind!r}: one of {', '.join(KINDS)}")
    if is_korean(text):  # Korean news and briefings have rules of their own; a release reads as an article.
        return read_korean(text, published, TRANSCRIPT if kind == TRANSCRIPT else ARTICLE)
    view = readable(text)
    article = _ArticleReader(view, published).read()
    if view is not text:
        for quotation in article.quotations:
            quotation.quote = text[quotation.start : quotation.end]
    left_out = 0 if doubled_marks or view is text else _leave_out_doubled(article, text)
    if kind == TRANSCRIPT:
        article = read_transcript(text, published, article, korea=korea_in_context(text))
    elif kind == RELEASE:
        article = read_release(text, published, article, korea=korea_in_context(text))
    article.doubled_left_out = left_out
    link_follow_ons(article.quotations)
    return article


def _leave_out_doubled(article: Extraction, text: str) -> int:
    """Drop the quotations in doubled marks, and the speakers only they quote; how many were dropped."""
    quotations = article.quotations
    kept = [quotation for quotation in quotations if not in_doubled_marks(text, quotation.start, quotation.end)]
    if len(kept) < len(quotations):
        quoted = {id(quotation.speaker) for quotation in kept}
        article.speakers = [speaker for speaker in article.speakers if id(speaker) in quoted]
    article.quotations = kept
    return len(quotations) - len(kept)


def korea_in_context(text: str) -> str:
    """ "Korea" alone means North Korea only in an article that is clearly about the North."""
    north = sum(text.count(name) for name in NORTH_NAMES)
    south = sum(text.count(name) for name in SOUTH_NAMES)
    return "KP" if north > 2 * south + 1 else "KR"


class _ArticleReader:
    def __init__(self, text: str, published: datetime.date | None) -> None:
        self.text = text
        self.published = published
        self.registry = Registry()
        self.paragraphs = body_paragraphs(text)
        self.spans = find_quotes(self.paragraphs)
        self.credit_lines = _credit_lines(self.paragraphs, self.spans)
        self.spans = [span for span in self.spans if span.paragraph not in self.credit_lines]
        # The whole text with quoted words masked: every offset below is an offset into text.
        self.masked, self.masked_regions = mask_quotes(text, self.spans)
        self.anchor_phrases = [phrase for phrase in PHRASE_ANCHORS if phrase in self.masked]
        body = "\n".join(paragraph.text for paragraph in self.paragraphs)
        self.korea = korea_in_context(body)
        self.found: list[Found] = []
        self.clues: dict[tuple[int, int], list[DateClue]] = {}
        self.quoted_paragraphs: set[int] = set()
        self.unquoted_clues: dict[tuple[int, int], list[DateClue]] = {}
        self.lead_clue: DateClue | None = None

    def read(self) -> Extraction:
        self.tokens, self.anchors, self.anchor_starts, self.stops = Tokens([], [], []), [], [], []
        if self.paragraphs:
            # One tokenization of the whole body; no token spans a paragraph's (or sentence's) bounds, and masked
            # quotations have none.
            self.tokens = tokenize(
                self.masked, self.paragraphs[0].start, self.paragraphs[-1].end, skip=self.masked_regions
            )
            self.anchors = self._anchors(self.tokens)
            self.anchor_starts = [anchor[0] for anchor in self.anchors]
            self.stops = sentence_stops(self.masked, self.paragraphs[0].start, self.paragraphs[-1].end)
        by_paragraph: dict[int, list[QuoteSpan]] = {}
        for span in self.spans:
            by_paragraph.setdefault(span.paragraph, []).append(span)
        for number, paragraph in enumerate(self.paragraphs):
            self._read_paragraph(paragraph, by_paragraph.get(number, []))
        return self._results()

    # Reading the paragraphs

    def _read_paragraph(self, paragraph: Paragraph, spans: list[QuoteSpan]) -> None:
        masked_text, limit = self.masked, paragraph.end
        sentences = sentence_bounds(masked_text, paragraph.start, limit, self.stops)
        anchors, anchor_starts = self.anchors, self.anchor_starts
        first = bisect_left(anchor_starts, paragraph.start)
        sites_by_sentence = []
        subjects: list[Attribution | None] = []
        for start, end in sentences:
            last = bisect_left(anchor_starts, end, first)
            sentence_anchors = anchors[first:last]
            first = last
            tokens = _window_tokens(self.tokens, masked_text, start, end, sentence_anchors)
            cues = [anchor for anchor in sentence_anchors if anchor[2] in CUE_PHRASES]
            sites = self._cue_sites(masked_text, limit, cues, tokens) if cues else []
            subjects.append(self._resolve(sites, tokens, start))
            sites_by_sentence.append(sites)
        # A paragraph without quotations is as masked, so its tokens tell whether it may hold a date clue.
        if self.lead_clue is None and (spans or self._may_hold_clue(paragraph.start, paragraph.end)):
            clues = self._clues_between(paragraph.start, paragraph.end)
            self.lead_clue = next((clue for clue in clues if clue.date), None)
        if not spans:
            return
        # Where each quotation opens, in order (quotations do not overlap): a sentence's are a slice of them, found
        # by bisection, so that a paragraph of thousands of quotations costs no more than thousands of paragraphs.
        opens = [span.open_mark or span.start for span in spans]
        in_order = all(opens[i] <= opens[i + 1] for i in range(len(opens) - 1))
        for index, (start, end) in enumerate(sentences):
            if in_order:
                sentence_spans = spans[bisect_left(opens, start) : bisect_left(opens, end)]
            else:
                sentence_spans = [span for span in spans if start <= (span.open_mark or span.start) < end]
            for position, span in enumerate(sentence_spans):
                self.found.append(
                    self._classify(
                        span,
                        (start, end),
                        sentence_spans,
                        position,
                        sites_by_sentence[index],
                        sites_by_sentence[index + 1] if index + 1 < len(sentences) else [],
                        sites_by_sentence[index - 1] if index > 0 else [],
                        subjects[index],
                        sentences[index + 1][1] if index + 1 < len(sentences) else end,
                    )
                )

    def _anchors(self, tokens: Tokens) -> list[tuple[int, int, str]]:
        """Speech verbs and role words in the masked body, as (start, end, words), from its tokens."""
        text = self.masked
        anchors = []
        for index in tokens.anchored:
            position = tokens.starts[index]
            before = text[position - 1] if position else " "
            for start, end, anchor in tokens.words[index].anchors:
                # At the token's start, what stands before the token decides, as within it.
                if start or not (before.isalnum() or before in "_-"):
                    anchors.append((position + start, position + end, anchor))
        body_end = self.paragraphs[-1].end
        for phrase in self.anchor_phrases:
            position = self.paragraphs[0].start
            while (position := text.find(phrase, position, body_end)) >= 0:
                end = position + len(phrase)
                before = text[position - 1] if position else " "
                after = text[end] if end < len(text) else " "
                if not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-"):
                    # Its words are no anchors of their own ("quoted", "saying").
                    anchors = [anchor for anchor in anchors if not position <= anchor[0] < end]
                    anchors.append((position, end, phrase))
                    anchors.sort()
                position = end
        return anchors

    def _cue_sites(self, text: str, limit: int, cues: list[tuple[int, int, str]], tokens: Tokens) -> list[CueSite]:
        """Speech verbs in one sentence with the speaker before or after each; text ends at limit."""
        sites: list[CueSite] = []
        token_starts = tokens.starts
        for cue_start, cue_end, cue in cues:
            looks_before, looks_after, extension_re = CUE_READINGS[cue]
            if cue.endswith(("ed", "told")) and PASSIVE_BEFORE_RE.search(text, max(0, cue_start - 30), cue_start):
                # "since they were first proposed", "was quoted": a passive names no speaker before its verb, but its
                # agent after "by" is the one speaking ("Sanders was asked by host Bill Maher, "…"").
                agent = AGENT_RE.match(text, cue_end, limit)
                place = source_after(text, agent.end(), limit) if agent else None
                mention = self._mention_at(*place) if place else None
                if mention is not None:
                    mention.text = self.text[mention.start : mention.end]
                sites.append(CueSite(cue_start, cue_end, cue, mention))
                continue
            before = bisect_left(token_starts, cue_start) - 1
            mention = subject_before(tokens, before) if before >= 0 and looks_before else None
            if mention is None and looks_before and looks_after is not True:
                # Whatever noun phrase stands right before the verb, in words the lexicon does not know ("the GOP
                # front-runner said"), before a phrase after it, which may be the object ("said Clinton caused").
                place = phrase_before(text, max(0, cue_start - 200), cue_start)
                mention = self._mention_at(*place) if place else None
            if mention is None and not looks_before and before >= 0 and tokens.texts[before][:1].isupper():
                # "with Sen. John McCain calling it": a name right before a participle is its subject.
                place = phrase_before(text, max(0, cue_start - 200), cue_start)
                opener = WORD_RE.findall(text, max(0, place[0] - 12), place[0]) if place else []
                mention = self._mention_at(*place) if place and opener[-1:] == ["with"] else None
            if looks_after is True or (looks_after is None and mention is None):
                mention = subject_after(tokens, bisect_left(token_starts, cue_end))
            if mention is None and cue in ("according to", "According to"):
                # Whoever the lexicon does not know, next to a quotation: "According to Paul Sperry of Counter Jihad,
                # “…”", "“…,” according to a court document" (not "fell, according to government estimates").
                place = source_after(text, cue_end, limit)
                closes_quotation = self.text[max(0, cue_start - 3) : cue_start].rstrip(" ,")[-1:] in tuple(QUOTE_MARKS)
                quoted = place and (QUOTED_NEXT_RE.match(self.text, place[1]) or closes_quotation)
                mention = self._mention_at(*place) if quoted else None
            if mention is not None and mention.text.endswith(("'s", "’s")):
                # "calling Rubio's plan": a possessive is never the speaker.
                mention = None
            if mention is not None and mention.kind == "description" and OPENING_PARTICIPLE_RE.match(mention.text):
                # "Following a swiftly called meeting, …": an opening participle's phrase is not a speaker.
                mention = None
            if mention is not None and mention.start < cue_start:
                addressed = ADDRESSED_RE.search(text, max(0, mention.start - 30), mention.start)
                if addressed:
                    # "A source speaking to Fox News said": the one speaking, not the outlet spoken to.
                    place = phrase_before(text, max(0, addressed.start() - 200), addressed.start())
                    mention = self._mention_at(*place) if place else None
            extension = extension_re.match(text, cue_end, limit)
            if extension and "~" not in extension.group():
                cue = " ".join((cue + extension.group()).split())
            if mention is not None:
                mention.text = self.text[mention.start : mention.end]
            outer = sites[-1] if sites else None
            relative = mention is not None and RELATIVE_BEFORE_RE.search(text, mention.start - 8, mention.start)
            if relative and outer is not None and outer.mention is None:
                outer = next((site for site in reversed(sites) if site.mention is not None), None)
            if (
                mention is not None
                and mention.kind == "pronoun"
                and outer is not None
                and outer.mention is not None
                and (outer.mention.kind != "pronoun" or _pronoun_word(outer.mention) == _pronoun_word(mention))
                and not (outer.mention.gender and mention.gender and outer.mention.gender != mention.gender)
                and (relative or REPORTED_SUBJECT_RE.fullmatch(text, outer.end, mention.start))
            ):
                # "Lynch said she recalled thinking, "…"": the one reporting holds the words, not the pronoun that
                # stands for them in the reported clause.
                mention = outer.mention
            sites.append(CueSite(cue_start, cue_end, cue, mention))
        return sites

    def _resolve(self, sites: list[CueSite], tokens: Tokens, sentence_start: int) -> Attribution | None:
        """Resolve speakers at speech verbs and people named elsewhere in the sentence, in text order.

        Returns the sentence's subject when it is a known person not attached to a speech verb.
        """
        events: list[tuple[int, Mention, CueSite | None, bool, bool]] = (
            [(site.mention.start, site.mention, site, True, True) for site in sites if site.mention] if sites else []
        )
        self._introductions(tokens, sentence_start, events)
        if not events:
            return None
        if len(events) > 1:
            events.sort(key=_position)
        sentence_subject = None
        for position, mention, site, subject, create in events:
            entity = self.registry.resolve(mention, position, subject=subject, create=create)
            if site is not None:
                site.entity = entity
            elif position == sentence_start and entity is not None:
                sentence_subject = Attribution(entity, mention, None, how="subject")
        return sentence_subject

    def _introductions(self, tokens: Tokens, sentence_start: int, events: list[tuple]) -> None:
        """People introduced by title or description outside attributions: "a senior Foreign Ministry official".

        They stand in runs of phrase tokens (IN_PHRASE or TITLED) holding a title word, or in the run opening the
        sentence if it holds a known person's name ("Lammy rejected the criticism"). Each becomes an event unless
        it overlaps a speaker already read at a speech verb (the events so far)."""
        words, starts, texts = tokens.words, tokens.starts, tokens.texts
        kinds = "".join(map(KIND, words))
        opens = kinds[:1] not in ("", BREAK) and starts[0] == sentence_start
        if not opens and TITLED not in kinds:
            return
        count = len(kinds)
        runs = []
        position = 0
        if opens:
            end = kinds.find(BREAK)
            end = count if end < 0 else end
            if kinds.find(TITLED, 0, end) < 0:
                if not self.registry.name_parts().isdisjoint(map(BARE, words[:end])):
                    runs.append((0, end))
                position = end
        position = kinds.find(TITLED, position)
        while position >= 0:
            first = kinds.rfind(BREAK, 0, position) + 1
            end = kinds.find(BREAK, position)
            end = count if end < 0 else end
            runs.append((first, end))
            position = kinds.find(TITLED, end)
        taken = [(event[1].start, event[1].end) for event in events]
        for first, end in runs:
            shape = phrase_shape(tuple(texts[first:end]))
            if shape is None or shape[2] not in ("description", "name"):
                continue
            last = first + shape[1]
            mention_start, mention_end = starts[first + shape[0]], starts[last] + words[last].length
            for start, stop in taken:
                if start < mention_end and mention_start < stop:
                    break
                if stop <= mention_start and APPOSITIVE_GAP_RE.fullmatch(self.masked, stop, mention_start):
                    # "Gloria Garcia, 34, a nurse": the appositive describes the speaker just named, no one new.
                    break
            else:
                mention = shape_mention(tokens, first, shape)
                mention.text = self.text[mention_start:mention_end]
                subject = starts[first] == sentence_start or (first > 0 and words[first - 1].text in (",", "—"))
                # A bare name only refers back to someone known.
                introduces = mention.kind == "description" or mention.title is not None
                events.append((mention_start, mention, None, subject, introduces))

    def _classify(
        self,
        span: QuoteSpan,
        sentence: tuple[int, int],
        sentence_spans: list[QuoteSpan],
        position: int,
        sites: list[CueSite],
        next_sites: list[CueSite],
        previous_sites: list[CueSite],
        sentence_subject: Attribution | None,
        next_end: int,
    ) -> Found:
        """Decide direct or partial, and find the attribution written in the quotation's own sentence."""
        sentence_start, sentence_end = sentence
        open_at = span.open_mark if span.open_mark is not None else span.start
        close_at = span.close_mark + 1 if span.close_mark is not None else span.end
        previous_close = sentence_start
        if position > 0:
            earlier = sentence_spans[position - 1]
            previous_close = earlier.close_mark + 1 if earlier.close_mark is not None else earlier.end
        next_open = sentence_end
        if position + 1 < len(sentence_spans):
            later = sentence_spans[position + 1]
            next_open = later.open_mark if later.open_mark is not None else later.start
        head = self.masked[previous_close:open_at]
        tail = self.masked[close_at:next_open]
        attribution = self._tail_attribution(sites, close_at, next_open)
        # "…longer." Kasich said he would have fired him: after a quotation that ends its own sentence, words that go
        # on after their verb are a sentence of their own, not the quotation's attribution.
        ends_sentence = _last_stop(self.text, span) == "."
        if attribution is not None and ends_sentence and not self._only_names(attribution.site, sentence_end):
            attribution = None
        # "…," he said. But "…": a connective alone before a quotation opening its sentence opens no clause.
        starts = span.continued or span.open_mark is None or bool(PUNCTUATION_ONLY_RE.match(head))
        starts = starts or bool(CONNECTIVE_HEAD_RE.fullmatch(head))
        if attribution is None and starts and PUNCTUATION_ONLY_RE.match(tail) and span.end >= sentence_end - 3:
            attribution = self._next_sentence_attribution(next_sites, next_end)
        if not starts and head.rstrip().endswith((",", ":")):
            clause = CLAUSE_BREAK_RE.split(head.rstrip()[:-1])[-1]
            clause_start = open_at - len(head) + head.rstrip()[:-1].rfind(clause)
            starts = any(clause_start <= site.start < open_at for site in sites)
        quote_text = self.text[span.start : span.end]
        ends = (
            attribution is not None
            or bool(PUNCTUATION_ONLY_RE.match(tail))
            or _last_stop(self.text, span) in tuple(".,!?…;:—-")
            or span.close_mark is None
        )
        kind = (
            "direct" if starts and ends and not (span.nested and len(WORD_RE.findall(quote_text)) < 4) else "partial"
        )
        if attribution is None and (kind == "partial" or not PUNCTUATION_ONLY_RE.match(head)):
            attribution = self._head_attribution(sites, open_at, sentence_subject)
            if attribution is not None and attribution.site is not None and head.rstrip().endswith(":"):
                attribution = self._colon_clause(attribution, open_at) or attribution
        if attribution is None or attribution.entity is None:
            attribution = self._closing_attribution(sites, close_at, sentence_end) or attribution
        return Found(
            span,
            sentence,
            kind,
            attribution,
            # The next sentence speaks for this quotation only when it does no more than name a speaker.
            [site for site in next_sites if self._only_names(site, next_end)],
            previous_sites,
            (previous_close, open_at),
            (close_at, next_open),
        )

    def _tail_attribution(self, sites: list[CueSite], close_at: int, limit: int) -> Attribution | None:
        """ "…," said Cho / "…," the senior official said: an attribution right after the closing mark."""
        # Sites are in text order: start at the first after the closing mark, not at the sentence's first.
        for index in range(bisect_left(sites, close_at, key=SITE_START), len(sites)):
            site = sites[index]
            if site.start >= limit:
                break
            if site.mention is None:
                continue
            first = min(site.start, site.mention.start)
            if PUNCTUATION_ONLY_RE.match(self.masked[close_at:first]):
                return Attribution(site.entity, site.mention, site.cue, site)
            return None
        return None

    def _colon_clause(self, attribution: Attribution, open_at: int) -> Attribution | None:
        """ "Reid said both are "non-entities," but he gave the Texan a compliment: "…"": a clause of its own
        between the speech verb and the colon introducing the quotation, opened by a pronoun, names its speaker."""
        clauses = list(COLON_CLAUSE_RE.finditer(self.masked, attribution.site.end, open_at))
        clause = clauses[-1] if clauses else None
        if clause is None or self.masked.find(MASK, clause.end(), open_at) >= 0:
            return None
        mention = self._mention_at(*clause.span(1))
        if mention is None or mention.kind != "pronoun":
            return None
        entity = self.registry.resolve(mention, mention.start, subject=True, create=False)
        return Attribution(entity, mention, attribution.cue, attribution.site, how="head") if entity else None

    def _closing_attribution(self, sites: list[CueSite], close_at: int, sentence_end: int) -> Attribution | None:
        """ "…" that Sanders can catch Clinton, said Steve Elmendorf. / "…" because …, he said.: a clause closing the
        sentence after a comma names the speaker of the quoted words before it."""
        following = WORD_RE.search(self.masked, close_at, sentence_end)
        if following is None or not following.group()[0].islower():
            # "…," Harry Bond, 30, of Raleigh, who was polled, said: a name right after is the tail's to read.
            return None
        for site in reversed(sites):
            if site.start < close_at:
                return None
            if site.mention is None or site.entity is None:
                continue
            first = min(site.start, site.mention.start)
            last = max(site.end, site.mention.end)
            # The clause closes the sentence: what follows the verb is short ("in a court filing", "on Tuesday").
            closes = len(self.masked[last:sentence_end].strip()) < CLOSING_REST
            if closes and self.masked[close_at:first].rstrip().endswith(","):
                return Attribution(site.entity, site.mention, site.cue, site, how="closing")
            return None
        return None

    def _next_sentence_attribution(self, next_sites: list[CueSite], next_end: int) -> Attribution | None:
        """ "…strengthened." Cho said. — a short sentence that only names the speaker. A sentence that goes on
        after its verb ("Kasich said he would have fired him", "Levine said, “…”") says something of its own."""
        for site in next_sites[:1]:
            named = site.mention and site.entity and site.mention.kind in ("name", "pronoun")
            if named and self._only_names(site, next_end) and site.end - min(site.start, site.mention.start) < 60:
                return Attribution(site.entity, site.mention, site.cue, site)
        return None

    def _only_names(self, site: CueSite, sentence_end: int) -> bool:
        """Whether the sentence ends soon after the verb ("Cho said.", "Cho said in a statement on Tuesday.")."""
        rest = self.text[max(site.end, site.mention.end if site.mention else 0) : sentence_end].strip()
        # "Clinton said, with a passion that …": after a comma the rest only tells how it was said.
        return rest.startswith(",") or (len(rest) < NAMING_REST and not any(mark in rest for mark in QUOTE_MARKS))

    @staticmethod
    def _head_attribution(
        sites: list[CueSite], open_at: int, sentence_subject: Attribution | None
    ) -> Attribution | None:
        """The speech verb before the quotation in its sentence; a bare "adding that" takes the earlier subject."""
        count = bisect_right(sites, open_at, key=SITE_END)
        if not count:
            return None
        nearest = sites[count - 1]
        # The nearest few only: a sentence of thousands of verbs and quotations must not cost their square.
        for index in range(count - 1, max(-1, count - 1 - LOOKAHEAD), -1):
            site = sites[index]
            if site.entity is not None:
                return Attribution(site.entity, site.mention, nearest.cue, site)
        if sentence_subject is not None:
            # "Mao declined to comment, saying she was …": the participle's subject opens the sentence.
            return Attribution(sentence_subject.entity, sentence_subject.mention, nearest.cue, nearest, "subject")
        return Attribution(None, None, nearest.cue, nearest)

    # Assembling the results

    def _results(self) -> Extraction:
        quotations: list[Quotation] = []
        speakers: list[Speaker] = []
        entities: dict[int, Entity] = {}
        previous: tuple[Found, Attribution | None] | None = None
        self.quoted_paragraphs = {found.span.paragraph for found in self.found}
        for index, found in enumerate(self.found):
            attribution = found.attribution
            if attribution is None or attribution.mention is None:
                attribution = self._by_shape(found) or attribution
            elif attribution.mention.start < found.span.start:
                # "Biden "has a role to play," said Doyle": the words right after a quotation name its speaker.
                attribution = self._by_shape(found, head=False) or self._nearer_head(found, attribution) or attribution
            if attribution is None or (attribution.entity is None and attribution.mention is None):
                attribution = self._inherited(index, found, previous, attribution)
            if not self._is_statement(found, attribution):
                continue
            entity = attribution.entity if attribution else None
            quotation = self._quotation(found, attribution)
            quotations.append(quotation)
            previous = (found, attribution)
            if entity is not None and id(entity) not in entities:
                entities[id(entity)] = entity
                speakers.append(entity.speaker)
        self._date(quotations)
        _share_countries(speakers)
        for speaker in speakers:
            _fix_encoding(speaker)
        return Extraction(quotations=quotations, speakers=speakers)

    def _nearer_head(self, found: Found, attribution: Attribution) -> Attribution | None:
        """ "After Brown criticized Bill Clinton, Hillary shot back, "…"": a clause nearer the quotation, with a
        reporting verb the lexicon does not know, names its speaker rather than a speech verb in an earlier one."""
        site = attribution.site
        if site is None:
            return None
        after = max(site.end, attribution.mention.end)
        opening = found.span.open_mark if found.span.open_mark is not None else found.span.start
        if not CLAUSE_BREAK_RE.search(self.masked, after, opening):
            return None
        place = head_speaker(self.masked, *found.head, sentence_start=found.sentence[0])
        if place is None or place[0] <= after or not CLAUSE_BREAK_RE.search(self.masked, after, place[0]):
            return None
        mention = self._mention_at(place[0], place[1])
        if mention is None or (mention.kind == "name" and not mention.text[:1].isupper()):
            return None
        if mention.kind == "description" and not _may_speak(mention.text):
            return None
        entity = self.registry.resolve(mention, place[0], subject=True)
        return Attribution(entity, mention, place[2] or None, how="head") if entity else None

    def _by_shape(self, found: Found, head: bool = True) -> Attribution | None:
        """The speaker where the sentence's shape puts it: right after the quotation, else (if head) before it."""
        tail_start, tail_end = found.tail
        closing = _last_stop(self.text, found.span) in (",", "?", "!", "—") or self.text[
            tail_start : tail_start + 1
        ] in (",", "—")
        # Quoted words inside a sentence ("thousands" of emails) are followed by the rest of it, not by a speaker.
        how = "tail"
        place = (
            tail_speaker(self.masked, tail_start, tail_end, loose=closing)
            if closing or found.kind == "direct"
            else None
        )
        asks = _last_stop(self.text, found.span) in ("?", "!") and found.kind == "direct"
        if place is None and asks and PUNCTUATION_ONLY_RE.match(self.masked[tail_start:tail_end]):
            # "“…, right?” Trump went on, as if …": a question or exclamation ends the sentence, so its attribution
            # opens the next one.
            paragraph_end = self.paragraphs[found.span.paragraph].end
            place = tail_speaker(self.masked, found.sentence[1], paragraph_end, loose=True)
        if place is None and head:
            place, how = head_speaker(self.masked, *found.head, sentence_start=found.sentence[0]), "head"
        known = False
        if place is None and head and found.kind == "direct":
            place, how = self._paragraph_around(found.span), "paragraph"
        if place is None and head and found.kind == "partial" and self._may_be_words_of_subject(found.span):
            # Quoted words inside a sentence are its subject's: "Trump also embraced torture -- "I think …"".
            place, how = opening_subject(self.masked, found.sentence[0], found.span.start), "subject"
            known = True
        if place is None:
            return None
        start, end, cue = place
        mention = self._mention_at(start, end)
        if mention is None:
            return None
        if known and mention.kind == "description" and not _may_speak(mention.text):
            # "The inquiry found …", "Job growth was 30% lower than …": a sentence about a thing quotes someone else.
            return None
        # A mention the registry cannot resolve ("he" before anyone is named) still says where the speaker stands,
        # except a sentence's subject, which must be someone the article has introduced.
        entity = self.registry.resolve(mention, start, subject=True, create=not known)
        if known and entity is None:
            return None
        return Attribution(entity, mention, cue or None, how=how)

    def _paragraph_around(self, span: QuoteSpan) -> tuple[int, int, str] | None:
        """A quotation that is a paragraph of its own: introduced by the paragraph before ("Jared Potts echoed:"),
        or credited by the one after ("- Clinton.")."""
        number = span.paragraph
        paragraph = self.paragraphs[number]
        if number > 0 and span.start - paragraph.start <= 1:
            previous = self.paragraphs[number - 1]
            if previous.text.endswith(":"):
                start = sentence_bounds(self.masked, previous.start, previous.end)[-1][0]
                return head_speaker(self.masked, start, previous.end)
        if number + 1 < len(self.paragraphs) and paragraph.end - span.end <= 2:
            following = self.paragraphs[number + 1]
            if following.text[:1] in "-—–" and len(following.text) < 200:
                return opening_subject(self.masked, following.start + 1, following.end)
            if number + 1 in self.credit_lines:
                return opening_subject(self.masked, following.start, following.end)
        return None

    def _may_be_words_of_subject(self, span: QuoteSpan) -> bool:
        """Whether quoted words may be the sentence's subject's own: three words or more, and not a term named in a
        noun phrase (Korea's "value diplomacy", the "Washington cartel") unless they are too many for one."""
        count = len(WORD_RE.findall(self.text[span.start : span.end]))
        if count < 3:
            return False
        if count >= CLAUSE_WORDS:
            # "She signed an agreement barring her from publishing a "diary, memoir, letter, story, …"": words that
            # many are no term, whatever stands before them.
            return True
        before = self.text[max(0, (span.open_mark or span.start) - 20) : span.open_mark or span.start].split()
        return not (before and (before[-1].lower() in DETERMINERS or before[-1].endswith(("'s", "’s"))))

    def _mention_at(self, start: int, end: int) -> Mention | None:
        """The speaker written at text[start:end], read by the lexicon where it can, else as a name or description."""
        tokens = tokenize(self.masked, start, end)
        if not tokens.texts:
            return None
        # "I’m", "He’s": a pronoun with its verb contracted is the pronoun.
        pronoun = _uncontracted(tokens.words[0].lower) if len(tokens.texts) == 1 else None
        mention = parse_phrase(tokens, 0, len(tokens.texts)) if pronoun not in PRONOUNS else None
        text = self.text[start:end]
        if mention is None:
            lower = [word.lower for word in tokens.words]
            if pronoun in PRONOUNS:
                return Mention("pronoun", text, start, end, gender=PRONOUNS[pronoun], plural=pronoun in ("they", "we"))
            words = [word for word in tokens.words if word.text not in (",", "(", ")")]
            if all(word.capitalized for word in words):
                # "Psychologist Jane Roe": leading role and title words are her title, not her name.
                titled = 0
                while titled < len(words) - 1 and (words[titled].lower in ROLES or words[titled].lower in TITLE_WORDS):
                    titled += 1
                name = " ".join(word.bare for word in words[titled:] if word.lower not in HONORIFICS)
                if name:
                    gender = HONORIFICS.get(words[0].lower, "")
                    title = " ".join(word.bare for word in words[:titled] if word.lower not in HONORIFICS) or None
                    return Mention("name", text, start, end, name=name, title=title, gender=gender)
            determiner = lower[0] if lower[0] in DETERMINERS else None
            content = [word.lower for word in tokens.words if word.lower not in DETERMINERS]
            if not content and lower[-1] in STANDING_DETERMINERS:
                # "…," the two write / tweeted another: a number or "another" stands for the people it counts.
                content = lower[-1:]
            if not content:
                return None
            return Mention(
                "description",
                text,
                start,
                end,
                description=" ".join(tokens.texts[1:] if determiner and len(tokens.texts) > 1 else tokens.texts),
                definite=determiner == "the",
                head=content[-1],
                modifiers=content[:-1],
            )
        mention.start, mention.end, mention.text = start, end, text
        return mention

    def _inherited(
        self, index: int, found: Found, previous: tuple[Found, Attribution | None] | None, own: Attribution | None
    ) -> Attribution | None:
        """A quotation without its own attribution belongs to the speaker holding the floor."""
        if found.kind == "partial":
            # '"…," Palmieri told reporters. "I think what they care about is …" and other issues.': quoted words
            # opening their sentence, after a quotation of the same paragraph, are still the one speaking's.
            opens = found.span.start - found.sentence[0] <= 1
            long = len(WORD_RE.findall(self.text[found.span.start : found.span.end])) >= 4
            if not (opens and long and previous is not None and previous[0].span.paragraph == found.span.paragraph):
                return own
            earlier_attribution = previous[1]
            if earlier_attribution and (earlier_attribution.entity or earlier_attribution.mention):
                return replace(earlier_attribution, how="follow-on")
            return own
        sites = found.previous_sentence_sites
        if previous is not None and all(site is not (previous[1] and previous[1].site) for site in sites):
            for site in reversed(sites):
                if site.entity is not None and site.start >= previous[0].span.end:
                    # "…," says Gloria Garcia. She says people should choose. "It is their life.": the sentence
                    # between names the speaker for this quotation (but not a verb in the attribution's own sentence:
                    # "…," Ash wrote in the email, which was first reported by the AP).
                    return Attribution(site.entity, site.mention, None, how="follow-on")
        if previous is not None:
            earlier, earlier_attribution = previous
            same_paragraph = earlier.span.paragraph == found.span.paragraph
            adjacent = found.span.paragraph - earlier.span.paragraph == 1
            holds_floor = earlier_attribution and (earlier_attribution.entity or earlier_attribution.mention)
            if holds_floor and (same_paragraph or (found.span.continued and adjacent)):
                return replace(earlier_attribution, how="follow-on")
        for site in reversed(found.previous_sentence_sites):
            if site.entity is not None:
                return Attribution(site.entity, site.mention, None, how="follow-on")
        # The next few quotations only: a paragraph of thousands without a speaker must not cost their square.
        for later in self.found[index + 1 : index + 1 + LOOKAHEAD]:
            if later.span.paragraph != found.span.paragraph:
                break
            if later.attribution and later.attribution.entity:
                return replace(later.attribution, how="follow-on")
        for site in found.next_sentence_sites:
            if site.entity is not None:
                return Attribution(site.entity, site.mention, None, how="follow-on")
        paragraph = self.paragraphs[found.span.paragraph]
        opens_sentence = found.span.start - found.sentence[0] <= 1
        if opens_sentence and found.sentence[0] > paragraph.start + 1:
            # "Bolton distanced himself from the movement. “I am going to support him.”": the one the sentence
            # before is about holds the floor, as for a paragraph before.
            previous_start = sentence_bounds(self.masked, paragraph.start, found.sentence[0])[-1][0]
            subject = self._subject_of(previous_start, found.sentence[0])
            if subject is not None:
                return subject
        if previous is not None and found.span.paragraph - previous[0].span.paragraph == 1:
            earlier, earlier_attribution = previous
            starts_paragraph = found.span.start - self.paragraphs[found.span.paragraph].start <= 1
            if earlier_attribution and earlier_attribution.entity and starts_paragraph:
                return Attribution(earlier_attribution.entity, earlier_attribution.mention, None, how="follow-on")
        if found.span.start - self.paragraphs[found.span.paragraph].start > 1:
            return own
        paragraph_sites = self._paragraph_end_sites(found.span.paragraph - 1)
        if paragraph_sites:
            # The main clause's verb, the first: "Roe wrote that delegates pledged to Clinton may reconsider." ¶ "…"
            # is Roe's, not the delegates' (a speech verb inside what is reported).
            return Attribution(paragraph_sites[0].entity, paragraph_sites[0].mention, None, how="follow-on")
        return self._paragraph_end_subject(found.span.paragraph - 1) or own

    def _paragraph_end_subject(self, number: int) -> Attribution | None:
        """ "Valastro praised Christie's leadership." then a paragraph that is only a quotation: the one the last
        sentence of a paragraph without quotations is about (named, or a pronoun for someone known) holds the floor."""
        if number < 0 or number in self.quoted_paragraphs:
            return None
        paragraph = self.paragraphs[number]
        return self._subject_of(*sentence_bounds(self.text, paragraph.start, paragraph.end)[-1])

    def _subject_of(self, start: int, end: int) -> Attribution | None:
        """The person the sentence text[start:end] opens with, named or a pronoun for someone known."""
        if self.masked.find(MASK, start, end) >= 0:
            # A sentence holding a quotation is that quotation's, not an introduction of the next one's speaker.
            return None
        place = opening_subject(self.text, start, end)
        mention = self._mention_at(place[0], place[1]) if place else None
        if mention is None or mention.kind not in ("name", "pronoun", "organization"):
            return None
        entity = self.registry.resolve(mention, mention.start, subject=True, create=mention.kind != "pronoun")
        return Attribution(entity, mention, None, how="follow-on") if entity else None

    def _paragraph_end_sites(self, number: int) -> list[CueSite]:
        """Speech verbs with a resolved speaker in the last sentence of a paragraph without quotations."""
        if number < 0 or number in self.quoted_paragraphs:
            return []
        paragraph = self.paragraphs[number]
        start, end = sentence_bounds(self.text, paragraph.start, paragraph.end)[-1]
        tokens = tokenize(self.text, start, end)
        cues = [(match.start(), match.end(), match.group()) for match in CUE_RE.finditer(self.text, start, end)]
        sites = self._cue_sites(self.text, paragraph.end, cues, tokens)
        resolved = []
        for site in sites:
            if site.mention is not None:
                site.entity = self.registry.resolve(site.mention, site.mention.start, subject=False)
                if site.entity is not None:
                    resolved.append(site)
        return resolved

    def _is_statement(self, found: Found, attribution: Attribution | None) -> bool:
        """Direct quotations always count; quoted words inside a sentence only with a speech verb and a speaker."""
        if self._names_a_work(found.span) or self._is_subheading(found.span):
            return False
        if attribution is not None and attribution.entity is not None and found.kind == "direct":
            return True
        words = WORD_RE.findall(self.text[found.span.start : found.span.end])
        if found.kind == "direct":
            return len(words) > 2
        if attribution is None or (attribution.entity is None and attribution.mention is None):
            return False
        if attribution.cue is None and (attribution.entity is None or len(words) < 2):
            # Without a verb of its own, one quoted word is a name or a term ("Hwasong-19"), not a statement.
            return False
        if _is_title(words) or (len(words) == 1 and words[0][:1].isupper() and not words[0].isalpha()):
            # Quoted titles and names ("Culinary Class Wars", "Hwasong-19") are not statements.
            return False
        return not self._is_modifier(found.span, len(words), attribution.site)

    def _names_a_work(self, span: QuoteSpan) -> bool:
        """The book "Backfire", the show "Today": quoted words right after a noun for a work are its title; so are
        words followed by their byline ("“Met accused of whitewashing,” by the Post's Kathianne Boniello"), as
        news roundups list the stories they link to."""
        if span.close_mark is not None and BYLINE_RE.match(self.text, span.close_mark + 1):
            return True
        opening = span.open_mark if span.open_mark is not None else span.start
        before = WORD_RE.findall(self.text[max(0, opening - 40) : opening])[-3:]
        return any(word.lower().rstrip("'’s") in WORK_NOUNS for word in before) and _is_title_case(
            WORD_RE.findall(self.text[span.start : span.end])
        )

    def _is_subheading(self, span: QuoteSpan) -> bool:
        """A paragraph that is only a short quotation in single marks is a subheading ('A fight to the end.')."""
        paragraph = self.paragraphs[span.paragraph]
        return (
            span.nested
            and span.start - paragraph.start <= 1
            and paragraph.end - span.end <= 2
            and len(paragraph.text.split()) <= 12
        )

    def _is_modifier(self, span: QuoteSpan, word_count: int, site: CueSite | None) -> bool:
        """A national interest-centered "America-first" policy: quoted words used inside a noun phrase."""
        if word_count > 4 or span.close_mark is None or self.text[span.end - 1] in ",.;:!?":
            return False
        following = (
            WORD_RE.match(self.text, span.close_mark + 2)
            if self.text[span.close_mark + 1 : span.close_mark + 2] == " "
            else None
        )
        if not following or not following.group()[0].islower() or following.group() in FUNCTION_WORDS:
            return False
        preceding = WORD_RE.findall(self.text[max(0, span.open_mark - 40) : span.open_mark])
        if preceding and preceding[-1].lower() in VERB_CONTEXT:
            return False
        # Reported speech ("said Monday that his government would roll out "unprecedented" measures") may quote
        # a modifier; a verb with a noun object ("having emphasized a … "America-first" policy") does not.
        return not (site and THAT_CLAUSE_RE.match(self.text, site.end))

    def _quotation(self, found: Found, attribution: Attribution | None) -> Quotation:
        span = found.span
        mention = attribution.mention if attribution else None
        if mention is not None:
            first = mention.text.split(" ", 1)
            if len(first) == 2 and first[0] in LEADING_PREPOSITIONS:
                # "a damning reaction from U.S. President Barack Obama, who called": the mention is the name.
                cut = len(first[0]) + 1
                mention = replace(mention, text=mention.text[cut:], start=mention.start + cut)
        quote_text = self.text[span.start : span.end]
        return Quotation(
            quote=quote_text,
            start=span.start,
            end=span.end,
            kind=found.kind,
            speaker=attribution.entity.speaker if attribution and attribution.entity else None,
            mention=mention.text if mention else None,
            mention_start=mention.start if mention else None,
            mention_end=mention.end if mention else None,
            cue=attribution.cue if attribution else None,
            countries=detect_countries(quote_text, korea=self.korea),
            found_by=(attribution.how, mention.kind) if attribution and mention and attribution.entity else None,
            confidence=_confidence(attribution, mention),
        )

    def _date(self, quotations: list[Quotation]) -> None:
        """Date each quotation by the nearest clue in its sentences, else by its speaker's or the lead's date, and
        say on what basis: a stated date, a relative one, or none (the publication date applies)."""
        sentence_of = {found.span.start: found for found in self.found}
        dated: list[tuple[Quotation, DateClue | None]] = []
        speaker_clues: dict[int, DateClue] = {}
        for quotation in quotations:
            found = sentence_of[quotation.start]
            start, end = found.sentence
            clues = self._clues_outside_quotes(start, end)
            anchor = found.attribution.site.start if found.attribution and found.attribution.site else quotation.start
            clue = nearest_clue(clues, anchor) if clues else None
            if clue is None and found.attribution and found.attribution.site:
                site = found.attribution.site
                if not start <= site.start < end:
                    clue = nearest_clue(self._clues_around(site.start), site.start)
            dated.append((quotation, clue))
            if clue and quotation.speaker is not None:
                speaker_clues.setdefault(id(quotation.speaker), clue)
        for quotation, clue in dated:
            if clue is None and quotation.speaker is not None:
                clue = speaker_clues.get(id(quotation.speaker))
            clue = clue or self.lead_clue
            quotation.date = clue.date if clue else None
            quotation.date_basis = clue.basis if clue else ("publication" if self.published else None)

    def _clues_between(self, start: int, end: int) -> list[DateClue]:
        if (start, end) not in self.clues:
            self.clues[start, end] = date_clues(self.text, self.published, start, end)
        return self.clues[start, end]

    def _may_hold_clue(self, start: int, end: int) -> bool:
        """Whether masked text[start:end] may hold a date clue: one starts within a token that may start one."""
        clues = self.tokens.clues
        index = bisect_left(clues, start)
        return index < len(clues) and clues[index] < end

    def _clues_outside_quotes(self, start: int, end: int) -> list[DateClue]:
        # No clue runs into a quotation (none takes in a quotation mark), so those outside are the masked text's.
        if (start, end) not in self.unquoted_clues:
            found = self._may_hold_clue(start, end)
            self.unquoted_clues[start, end] = date_clues(self.masked, self.published, start, end) if found else []
        return self.unquoted_clues[start, end]

    def _clues_around(self, position: int) -> list[DateClue]:
        index = bisect_right(self.paragraphs, position, key=PARAGRAPH_START) - 1
        for paragraph in self.paragraphs[max(index, 0) : index + 1]:
            if paragraph.start <= position <= paragraph.end:
                for start, end in sentence_bounds(self.text, paragraph.start, paragraph.end):
                    if start <= position < end:
                        return self._clues_outside_quotes(start, end)
        return []


def _cue_reading(cue: str) -> tuple[bool, bool | None, re.Pattern]:
    """Where a speech verb's speaker stands: whether before it, whether after it (None: only if not before), and
    what may extend the cue ("told reporters", "said in a statement")."""
    lower = cue.lower()
    # "…, adding that": a participle's subject is the main clause's, found at the earlier verb.
    before = lower not in PARTICIPLE_CUES
    if lower.startswith("quoted") or lower.endswith("quoted"):
        # "Yonhap quoted Cho as saying": the speaker is the one quoted.
        after = lower == "quoted"
    else:
        after = None if lower not in PARTICIPLE_CUES and lower not in LISTENER_VERBS else False
    return before, after, LISTENER_RE if lower in LISTENER_VERBS else MEDIUM_RE


CUE_READINGS = {cue: _cue_reading(cue) for cue in CUE_PHRASES}


def _window_tokens(
    body_tokens: Tokens, masked_text: str, start: int, end: int, anchors: list[tuple[int, int, str]]
) -> Tokens:
    """Tokens near speech verbs and role words only; a gap marker separates windows so phrases never span one.

    They are taken from the body's tokens, as the tokens of masked_text[low:high] for each window."""
    # The sentence's opening words always count: that is where its subject stands. Windows as [low, high, ...].
    windows = [start, start + SUBJECT_WINDOW if start + SUBJECT_WINDOW < end else end]
    for anchor_start, anchor_end, anchor in anchors:
        before, after = WINDOW_REACH[anchor]
        low = anchor_start - before if anchor_start - before > start else start
        high = anchor_end + after if anchor_end + after < end else end
        if low <= windows[-1]:
            if high > windows[-1]:
                windows[-1] = high
        else:
            windows += (low, high)
    all_texts, all_words, all_starts = body_tokens.texts, body_tokens.words, body_tokens.starts
    if len(windows) == 2 and windows[1] == end:
        # One window, the whole sentence: no gap, and no word cut at its end (a sentence ends at white space).
        first = bisect_left(all_starts, start)
        last = bisect_left(all_starts, end, first)
        return Tokens(all_texts[first:last], all_words[first:last], all_starts[first:last])
    texts: list[str] = []
    words: list[Word] = []
    starts: list[int] = []
    for index in range(0, len(windows), 2):
        low, high = windows[index], windows[index + 1]
        if low > start:
            # Start at a word boundary, never inside a word.
            space = masked_text.find(" ", low, high)
            low = high if space < 0 else space + 1
            texts.append(GAP.text)
            words.append(GAP)
            starts.append(low)
        first = bisect_left(all_starts, low)
        last = bisect_left(all_starts, high, first)
        texts += all_texts[first:last]
        words += all_words[first:last]
        starts += all_starts[first:last]
        if last > first and all_starts[last - 1] + len(all_texts[last - 1]) > high:
            # The window's end cuts its last token: a word reads as its part within the window, "--" as nothing.
            position = starts.pop()
            texts.pop()
            words.pop()
            if all_texts[last - 1] != "--":
                texts.append(masked_text[position:high])
                words.append(WORDS[masked_text[position:high]])
                starts.append(position)
        if high < end:
            if words and masked_text[high].isalnum() and starts[-1] + words[-1].length == high:
                # A word cut by the window's end.
                texts.pop()
                words.pop()
                starts.pop()
            texts.append(GAP.text)
            words.append(GAP)
            starts.append(high)
    return Tokens(texts, words, starts)


def _credit_lines(paragraphs: list[Paragraph], spans: list[QuoteSpan]) -> set[int]:
    """Paragraphs that credit the quotation left open above them inside its marks, a columnist's way of quoting
    experts: "“I worry that …¶Dean Baker, Center for Economic and Policy Research.”". Such a line names the
    speaker; it is no quotation of its own."""
    credits = set()
    for previous, span in itertools.pairwise(spans):
        if not (previous.close_mark is None and span.open_mark is None and span.paragraph == previous.paragraph + 1):
            continue
        line = paragraphs[span.paragraph]
        whole_line = span.start - line.start <= 1 and line.end - span.end <= 2 and line.text[:1].isupper()
        if whole_line and len(line.text) < CREDIT_LENGTH and len(line.text.split()) <= CREDIT_WORDS:
            credits.add(span.paragraph)
    return credits


def _may_speak(description: str) -> bool:
    """Whether a description may name one who is quoted: it holds a noun for a person by role, an organization or a
    group, or a text that says something ("the lawsuit", "a 2014 House committee report found"), or a name ("the
    Daily News"; not a possessive: "Trump's gloomy tone" is a thing)."""
    found = WORD_RE.findall(description)
    for index, word in enumerate(found):
        possessive = word.endswith(("’s", "'s", "s’", "s'"))
        bare = word.lower().removesuffix("’s").removesuffix("'s")
        if bare in ROLES or bare in ORGANIZATION_WORDS or bare in SPEAKING_NOUNS:
            return True
        if word[:1].isupper() and not possessive and (index > 0 or len(found) == 1 or _verb_like(found[1])):
            # A name; the first word only when a verb follows it ("Pew found"), not a capital opening a sentence.
            return True
    return False


def _verb_like(word: str) -> bool:
    """A word in lower case that reads as a verb after a name: "found", "says", "thought"."""
    return word.islower() and (word.endswith(("ed", "s")) or word in IRREGULAR_PAST)


def _pronoun_word(mention: Mention) -> str:
    """The pronoun a mention is, without a contraction: "It’s" is "it"."""
    return _uncontracted(WORD_RE.match(mention.text).group().lower())


def _uncontracted(word: str) -> str:
    """A word without the verb contracted onto it: "he’s", "I'm" are "he", "i"."""
    return word.split("’")[0].split("'")[0]


def _last_stop(text: str, span: QuoteSpan) -> str:
    """The quotation's last character but the closing marks of one quoted at its end ("… the labels of ‘criminal,’"
    ends with its comma); "" for an empty one."""
    end = span.end
    while end > span.start and text[end - 1] in NESTED_CLOSINGS:
        end -= 1
    return text[end - 1 : end] if end > span.start else ""


def _confidence(attribution: Attribution | None, mention: Mention | None) -> float:
    """How far to trust a quotation's speaker, by how it was found and how it is named (CONFIDENCE)."""
    if attribution is None or mention is None or attribution.entity is None:
        return 0.0
    return CONFIDENCE.get((attribution.how, mention.kind), CONFIDENCE[attribution.how, "other"])


def _fix_encoding(speaker: Speaker) -> None:
    """ "JosÃ© AndrÃ©s" -> "José Andrés": names read in the wrong encoding, mended for the speaker (the mention
    stays as written, at its offsets)."""
    for field in ("name", "title", "description", "organization"):
        value = getattr(speaker, field)
        if value and not value.isascii():
            setattr(speaker, field, ftfy.fix_text(value))


def _share_countries(speakers: list[Speaker]) -> None:
    """An unnamed "Foreign Ministry official" belongs to the country of the article's Foreign Minister."""
    countries = {
        speaker.organization: speaker.country for speaker in speakers if speaker.organization and speaker.country
    }
    for speaker in speakers:
        if speaker.country is None and speaker.organization in countries:
            speaker.country = countries[speaker.organization]


def _is_title_case(words: list[str]) -> bool:
    """Every main word capitalised, as in a title ("Backfire: Carly Fiorina's High-Stakes Battle")."""
    main = [word for word in words if word.lower() not in SMALL_WORDS]
    return bool(main) and all(word[:1].isupper() or word[:1].isdigit() for word in main)


def _is_title(words: list[str]) -> bool:
    """ "Culinary Class Wars": a short quotation with every main word capitalised names a work, not a statement."""
    main = [word for word in words if word.lower() not in SMALL_WORDS]
    return 1 < len(main) <= 6 and all(word[:1].isupper() for word in main)
