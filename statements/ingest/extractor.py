"""Extract an article's quotations with their speakers, dates and countries, by the rules of news writing."""

import datetime
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .countries import detect_countries
from .dates import DateClue, date_clues, nearest_date
from .layout import Paragraph, body_paragraphs
from .lexicon import (
    CUE_PHRASES,
    CUE_RE,
    LISTENER_RE,
    LISTENER_VERBS,
    MEDIUM_RE,
    PARTICIPLE_CUES,
    ROLES,
    TITLE_WORDS,
    words,
)
from .mentions import Mention, Token, parse_phrase, subject_after, subject_before, tokenize
from .quotes import QuoteSpan, find_quotes, masked, sentence_bounds
from .records import Extraction, Quotation, Speaker
from .speakers import Entity, Registry
from .trie import trie_pattern

PUNCTUATION_ONLY_RE = re.compile(r"^[\s,;:.!?—–\-~\"“”'‘’]*$")
CLAUSE_BREAK_RE = re.compile(r"[,;:—–]")
WORD_RE = re.compile(r"[\w’'-]+")
NORTH_NAMES = ("North Korea", "Pyongyang", "DPRK", "the North ")
SOUTH_NAMES = ("South Korea", "Seoul", "ROK", "Republic of Korea", "the South ")
# Role and title words that may introduce a person outside an attribution ("a senior Foreign Ministry official"),
# searched in the same pass as the speech verbs.
ANCHOR_WORDS = ROLES | {word.capitalize() for word in ROLES | TITLE_WORDS if word.isalpha()}
ANCHOR_RE = re.compile(r"(?<![\w-])(?:" + trie_pattern(sorted(ANCHOR_WORDS | CUE_PHRASES)) + r")(?![\w-])")
# How far around a speech verb (or a role word) the speaker's noun phrase may reach, in characters.
CUE_WINDOW = (90, 60)
ROLE_WINDOW = (50, 30)
SUBJECT_WINDOW = 40
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
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today))?\s+that\b"
)
SMALL_WORDS = words("""a an the of and or for in on to at by with vs""")


@dataclass
class CueSite:
    """A speech verb in the body and the speaker written next to it."""

    start: int
    end: int
    cue: str
    mention: Mention | None
    entity: Entity | None = None


@dataclass
class Attribution:
    """Who a quotation is attributed to, as written ("the senior official") and by which verb."""

    entity: Entity | None
    mention: Mention | None
    cue: str | None
    site: CueSite | None = None


@dataclass
class Found:
    """A quotation on its way to becoming a Quotation."""

    span: QuoteSpan
    sentence: tuple[int, int]
    kind: str
    attribution: Attribution | None
    next_sentence_sites: list[CueSite]
    previous_sentence_sites: list[CueSite]


def extract(text: str, *, published: datetime.date | None = None) -> Extraction:
    """Find the quotations in a pasted news article, with speakers resolved, dates and countries."""
    return _ArticleReader(text, published).read()


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
        body = "\n".join(paragraph.text for paragraph in self.paragraphs)
        self.korea = korea_in_context(body)
        self.found: list[Found] = []
        self.clues: dict[tuple[int, int], list[DateClue]] = {}
        self.speaker_dates: dict[int, datetime.date] = {}
        self.lead_date: datetime.date | None = None

    def read(self) -> Extraction:
        by_paragraph: dict[int, list[QuoteSpan]] = {}
        for span in self.spans:
            by_paragraph.setdefault(span.paragraph, []).append(span)
        for number, paragraph in enumerate(self.paragraphs):
            self._read_paragraph(number, paragraph, by_paragraph.get(number, []))
        return self._results()

    # Reading the paragraphs

    def _read_paragraph(self, number: int, paragraph: Paragraph, spans: list[QuoteSpan]) -> None:
        masked_text = masked(paragraph, spans)
        sentences = [(paragraph.start + start, paragraph.start + end) for start, end in sentence_bounds(masked_text)]
        sites_by_sentence = []
        subjects: list[Attribution | None] = []
        for start, end in sentences:
            anchors = list(ANCHOR_RE.finditer(masked_text, start - paragraph.start, end - paragraph.start))
            cues = [match for match in anchors if match.group() in CUE_PHRASES]
            tokens = _window_tokens(masked_text, paragraph.start, start, end, anchors)
            sites = self._cue_sites(masked_text, paragraph.start, cues, tokens)
            subjects.append(self._resolve(sites, tokens, start))
            sites_by_sentence.append(sites)
        if self.lead_date is None:
            clues = self._clues_between(paragraph.start, paragraph.end)
            self.lead_date = next((clue.date for clue in clues if clue.date), None)
        for index, (start, end) in enumerate(sentences):
            sentence_spans = [span for span in spans if start <= (span.open_mark or span.start) < end]
            for position, span in enumerate(sentence_spans):
                self.found.append(
                    self._classify(
                        span,
                        (start, end),
                        sentence_spans,
                        position,
                        masked_text,
                        paragraph.start,
                        sites_by_sentence[index],
                        sites_by_sentence[index + 1] if index + 1 < len(sentences) else [],
                        sites_by_sentence[index - 1] if index > 0 else [],
                        subjects[index],
                    )
                )

    def _cue_sites(self, masked_text: str, base: int, cues: list[re.Match], tokens: list[Token]) -> list[CueSite]:
        """Speech verbs in one sentence with the speaker before or after each."""
        sites: list[CueSite] = []
        if not cues:
            return sites
        token_starts = [token.start for token in tokens]
        for match in cues:
            cue = match.group()
            cue_start, cue_end = base + match.start(), base + match.end()
            before = bisect_left(token_starts, cue_start) - 1
            after = bisect_left(token_starts, cue_end)
            lower = cue.lower()
            # "…, adding that": a participle's subject is the main clause's, found at the earlier verb.
            mention = subject_before(tokens, before) if before >= 0 and lower not in PARTICIPLE_CUES else None
            if lower.startswith("quoted") or lower.endswith("quoted"):
                # "Yonhap quoted Cho as saying": the speaker is the one quoted.
                mention = subject_after(tokens, after) if lower == "quoted" else mention
            elif mention is None and lower not in PARTICIPLE_CUES and lower not in LISTENER_VERBS:
                mention = subject_after(tokens, after)
            extension = (LISTENER_RE if lower in LISTENER_VERBS else MEDIUM_RE).match(masked_text, match.end())
            if extension and "~" not in extension.group():
                cue += extension.group()
            if mention is not None:
                mention.text = self.text[mention.start : mention.end]
            sites.append(CueSite(cue_start, cue_end, " ".join(cue.split()), mention))
        return sites

    def _resolve(self, sites: list[CueSite], tokens: list[Token], sentence_start: int) -> Attribution | None:
        """Resolve speakers at speech verbs and people named elsewhere in the sentence, in text order.

        Returns the sentence's subject when it is a known person not attached to a speech verb.
        """
        events: list[tuple[int, Mention, CueSite | None, bool, bool]] = [
            (site.mention.start, site.mention, site, True, True) for site in sites if site.mention
        ]
        taken = [(site.mention.start, site.mention.end) for site in sites if site.mention]
        for mention, subject, introduces in self._introductions(tokens, sentence_start):
            if not any(start < mention.end and mention.start < end for start, end in taken):
                events.append((mention.start, mention, None, subject, introduces))
        sentence_subject = None
        for position, mention, site, subject, create in sorted(events, key=lambda event: event[0]):
            entity = self.registry.resolve(mention, position, subject=subject, create=create)
            if site is not None:
                site.entity = entity
            elif position == sentence_start and entity is not None:
                sentence_subject = Attribution(entity, mention, None)
        return sentence_subject

    def _introductions(self, tokens: list[Token], sentence_start: int):
        """People introduced by title or description outside attributions: "a senior Foreign Ministry official"."""
        kinds = [_phrase_kind(token.text) for token in tokens]
        known = None
        index, count = 0, len(tokens)
        while index < count:
            if not kinds[index]:
                index += 1
                continue
            first = index
            while index < count and kinds[index]:
                index += 1
            run = tokens[first:index]
            titled = TITLED in kinds[first:index]
            if not titled and run[0].start == sentence_start:
                # A sentence may open with a known person's name ("Lammy rejected the criticism").
                known = self.registry.name_parts() if known is None else known
                titled = any(token.bare in known for token in run)
            if not titled:
                continue
            mention = parse_phrase(run)
            if mention and mention.kind in ("description", "name"):
                mention.text = self.text[mention.start : mention.end]
                subject = run[0].start == sentence_start or (first > 0 and tokens[first - 1].text in (",", "—"))
                # A bare name only refers back to someone known.
                introduces = mention.kind == "description" or mention.title is not None
                yield mention, subject, introduces

    def _classify(
        self,
        span: QuoteSpan,
        sentence: tuple[int, int],
        sentence_spans: list[QuoteSpan],
        position: int,
        masked_text: str,
        base: int,
        sites: list[CueSite],
        next_sites: list[CueSite],
        previous_sites: list[CueSite],
        sentence_subject: Attribution | None,
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
        head = masked_text[previous_close - base : open_at - base]
        tail = masked_text[close_at - base : next_open - base]
        attribution = self._tail_attribution(sites, close_at, next_open, masked_text, base)
        head_attribution = self._head_attribution(sites, open_at, sentence_subject)
        starts = span.continued or span.open_mark is None or bool(PUNCTUATION_ONLY_RE.match(head))
        if attribution is None and starts and PUNCTUATION_ONLY_RE.match(tail) and span.end >= sentence_end - 3:
            attribution = self._next_sentence_attribution(next_sites)
        if not starts and head.rstrip().endswith((",", ":")):
            clause = CLAUSE_BREAK_RE.split(head.rstrip()[:-1])[-1]
            clause_start = open_at - len(head) + head.rstrip()[:-1].rfind(clause)
            starts = any(clause_start <= site.start < open_at for site in sites)
        quote_text = self.text[span.start : span.end]
        ends = (
            attribution is not None
            or bool(PUNCTUATION_ONLY_RE.match(tail))
            or quote_text[-1:] in ".,!?…;:—-"
            or span.close_mark is None
        )
        kind = (
            "direct" if starts and ends and not (span.nested and len(WORD_RE.findall(quote_text)) < 4) else "partial"
        )
        if attribution is None and (kind == "partial" or not PUNCTUATION_ONLY_RE.match(head)):
            attribution = head_attribution
        return Found(span, sentence, kind, attribution, next_sites, previous_sites)

    def _tail_attribution(
        self, sites: list[CueSite], close_at: int, limit: int, masked_text: str, base: int
    ) -> Attribution | None:
        """ "…," said Cho / "…," the senior official said: an attribution right after the closing mark."""
        for site in sites:
            if not (close_at <= site.start < limit) or site.mention is None:
                continue
            first = min(site.start, site.mention.start)
            if PUNCTUATION_ONLY_RE.match(masked_text[close_at - base : first - base]):
                return Attribution(site.entity, site.mention, site.cue, site)
            return None
        return None

    def _next_sentence_attribution(self, next_sites: list[CueSite]) -> Attribution | None:
        """ "…strengthened." Cho said. — a short sentence that only names the speaker."""
        for site in next_sites[:1]:
            named = site.mention and site.entity and site.mention.kind in ("name", "pronoun")
            if named and site.end - min(site.start, site.mention.start) < 60:
                return Attribution(site.entity, site.mention, site.cue, site)
        return None

    @staticmethod
    def _head_attribution(
        sites: list[CueSite], open_at: int, sentence_subject: Attribution | None
    ) -> Attribution | None:
        """The speech verb before the quotation in its sentence; a bare "adding that" takes the earlier subject."""
        before = [site for site in sites if site.end <= open_at]
        if not before:
            return None
        nearest = before[-1]
        for site in reversed(before):
            if site.entity is not None:
                return Attribution(site.entity, site.mention, nearest.cue, site)
        if sentence_subject is not None:
            # "Mao declined to comment, saying she was …": the participle's subject opens the sentence.
            return Attribution(sentence_subject.entity, sentence_subject.mention, nearest.cue, nearest)
        return Attribution(None, None, nearest.cue, nearest)

    # Assembling the results

    def _results(self) -> Extraction:
        quotations: list[Quotation] = []
        speakers: list[Speaker] = []
        entities: dict[int, Entity] = {}
        previous: tuple[Found, Attribution | None] | None = None
        for index, found in enumerate(self.found):
            attribution = found.attribution
            if attribution is None or attribution.entity is None:
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
        return Extraction(quotations=quotations, speakers=speakers)

    def _inherited(
        self, index: int, found: Found, previous: tuple[Found, Attribution | None] | None, own: Attribution | None
    ) -> Attribution | None:
        """A quotation without its own attribution belongs to the speaker holding the floor."""
        if found.kind == "partial":
            return own
        if previous is not None:
            earlier, earlier_attribution = previous
            same_paragraph = earlier.span.paragraph == found.span.paragraph
            adjacent = found.span.paragraph - earlier.span.paragraph == 1
            holds_floor = earlier_attribution and earlier_attribution.entity
            if holds_floor and (same_paragraph or (found.span.continued and adjacent)):
                return earlier_attribution
        for site in reversed(found.previous_sentence_sites):
            if site.entity is not None:
                return Attribution(site.entity, None, None)
        for later in self.found[index + 1 :]:
            if later.span.paragraph != found.span.paragraph:
                break
            if later.attribution and later.attribution.entity:
                return later.attribution
        for site in found.next_sentence_sites:
            if site.entity is not None:
                return Attribution(site.entity, None, None)
        if previous is not None and found.span.paragraph - previous[0].span.paragraph == 1:
            earlier, earlier_attribution = previous
            starts_paragraph = found.span.start - self.paragraphs[found.span.paragraph].start <= 1
            if earlier_attribution and earlier_attribution.entity and starts_paragraph:
                return Attribution(earlier_attribution.entity, None, None)
        paragraph_sites = self._paragraph_end_sites(found.span.paragraph - 1)
        if paragraph_sites and found.span.start - self.paragraphs[found.span.paragraph].start <= 1:
            return Attribution(paragraph_sites[-1].entity, None, None)
        return own

    def _paragraph_end_sites(self, number: int) -> list[CueSite]:
        """Speech verbs with a resolved speaker in the last sentence of a paragraph without quotations."""
        if number < 0 or any(found.span.paragraph == number for found in self.found):
            return []
        paragraph = self.paragraphs[number]
        sentences = sentence_bounds(paragraph.text)
        start, end = sentences[-1]
        tokens = tokenize(paragraph.text[start:end], paragraph.start + start)
        sites = self._cue_sites(
            paragraph.text, paragraph.start, list(CUE_RE.finditer(paragraph.text, start, end)), tokens
        )
        resolved = []
        for site in sites:
            if site.mention is not None:
                site.entity = self.registry.resolve(site.mention, site.mention.start, subject=False)
                if site.entity is not None:
                    resolved.append(site)
        return resolved

    def _is_statement(self, found: Found, attribution: Attribution | None) -> bool:
        """Direct quotations always count; quoted words inside a sentence only with a speech verb and a speaker."""
        quote_text = self.text[found.span.start : found.span.end]
        words = WORD_RE.findall(quote_text)
        if found.kind == "direct":
            return len(words) > 2 or bool(attribution and attribution.entity)
        if attribution is None or attribution.entity is None or attribution.cue is None:
            return False
        if _is_title(words):
            return False
        return not self._is_modifier(found.span, len(words), attribution.site)

    def _is_modifier(self, span: QuoteSpan, word_count: int, site: CueSite | None) -> bool:
        """A national interest-centered "America-first" policy: quoted words used inside a noun phrase."""
        if word_count > 4 or span.close_mark is None:
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
        )

    def _date(self, quotations: list[Quotation]) -> None:
        """Date each quotation by the nearest clue in its sentences, else by its speaker's or the lead's date."""
        sentence_of = {found.span.start: found for found in self.found}
        dated: list[tuple[Quotation, datetime.date | None]] = []
        for quotation in quotations:
            found = sentence_of[quotation.start]
            start, end = found.sentence
            clues = self._clues_outside_quotes(start, end)
            anchor = found.attribution.site.start if found.attribution and found.attribution.site else quotation.start
            date = nearest_date(clues, anchor)
            if date is None and found.attribution and found.attribution.site:
                site = found.attribution.site
                if not start <= site.start < end:
                    date = nearest_date(self._clues_around(site.start), site.start)
            dated.append((quotation, date))
            if date and quotation.speaker is not None:
                self.speaker_dates.setdefault(id(quotation.speaker), date)
        for quotation, date in dated:
            if date is None and quotation.speaker is not None:
                date = self.speaker_dates.get(id(quotation.speaker))
            quotation.date = date or self.lead_date

    def _clues_between(self, start: int, end: int) -> list[DateClue]:
        if (start, end) not in self.clues:
            self.clues[start, end] = date_clues(self.text, self.published, start, end)
        return self.clues[start, end]

    def _clues_outside_quotes(self, start: int, end: int) -> list[DateClue]:
        clues = self._clues_between(start, end)
        if not clues:
            return clues
        inside = [(span.start, span.end) for span in self.spans if span.start < end and start < span.end]
        return [clue for clue in clues if not any(s <= clue.start < e for s, e in inside)]

    def _clues_around(self, position: int) -> list[DateClue]:
        for paragraph in self.paragraphs:
            if paragraph.start <= position <= paragraph.end:
                for start, end in sentence_bounds(paragraph.text):
                    if paragraph.start + start <= position < paragraph.start + end:
                        return self._clues_outside_quotes(paragraph.start + start, paragraph.start + end)
        return []


def _window_tokens(masked_text: str, base: int, start: int, end: int, anchors: list[re.Match]) -> list[Token]:
    """Tokens near speech verbs and role words only; a "|" token marks each gap so phrases never span one."""
    # The sentence's opening words always count: that is where its subject stands.
    windows: list[list[int]] = [[start - base, min(end - base, start - base + SUBJECT_WINDOW)]]
    for match in anchors:
        before, after = ROLE_WINDOW if match.group() in ANCHOR_WORDS else CUE_WINDOW
        low, high = max(start - base, match.start() - before), min(end - base, match.end() + after)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    tokens: list[Token] = []
    for low, high in windows:
        if low > start - base:
            # Start at a word boundary, never inside a word.
            space = masked_text.find(" ", low, high)
            low = high if space < 0 else space + 1
            tokens.append(Token("|", base + low, base + low))
        tokens += tokenize(masked_text[low:high], base + low)
        if high < end - base:
            if tokens and masked_text[high].isalnum() and tokens[-1].end == base + high:
                tokens.pop()  # a word cut by the window's end
            tokens.append(Token("|", base + high, base + high))
    return tokens


def _share_countries(speakers: list[Speaker]) -> None:
    """An unnamed "Foreign Ministry official" belongs to the country of the article's Foreign Minister."""
    countries = {
        speaker.organization: speaker.country for speaker in speakers if speaker.organization and speaker.country
    }
    for speaker in speakers:
        if speaker.country is None and speaker.organization in countries:
            speaker.country = countries[speaker.organization]


IN_PHRASE, TITLED = 1, 2


@lru_cache(maxsize=1 << 16)
def _phrase_kind(text: str) -> int:
    """What a token is to an introduction: part of a title-and-name or description, a title word, or a break (0)."""
    if text in (",", ":", ";", "(", ")", "—", "–", "--", "and"):
        return 0
    bare = text[:-2] if text[-2:] in ("'s", "’s") else text
    lower = bare.lower()
    if lower in ROLES or lower in TITLE_WORDS:
        return TITLED
    return IN_PHRASE if text[:1].isupper() or lower in ("a", "an", "the", "senior", "top") else 0


def _is_title(words: list[str]) -> bool:
    """ "Culinary Class Wars": a short quotation with every main word capitalised names a work, not a statement."""
    main = [word for word in words if word.lower() not in SMALL_WORDS]
    return 1 < len(main) <= 6 and all(word[:1].isupper() for word in main)
