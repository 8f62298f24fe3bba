"""Find quotations by their quotation marks, and the sentences around them."""

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from .layout import Paragraph
from .lexicon import words

DOUBLE_OPENING = "“„«‟"
DOUBLE_CLOSING = "”»"
SINGLE_OPENING = "‘‚‹"
SINGLE_CLOSING = "’›"
DOUBLE_MARKS = DOUBLE_OPENING + DOUBLE_CLOSING + '"'
SINGLE_MARKS = SINGLE_OPENING + SINGLE_CLOSING + "'"
# What may stand right before an opening mark, besides a space ("(“…”", "—“…”").
BEFORE_OPENING = "([{—–-/:;,\"“‘'«„"
MASK = "~"
TERMINAL = ".!?…"
ELISION_RE = re.compile(r"(?:\d\ds?|em|n|til|cause|tis)\b")
ABBREVIATIONS = words(
    """mr mrs ms dr st sen rep gov gen lt col adm maj capt sgt jr sr prof no vs etc inc corp co ltd jan feb mar apr
    jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m d.c ft mt rev"""
)
SENTENCE_START_WORDS = words(
    """He She It They We I The A An But And In On At This That These Those There His Her Its Their Our"""
)
NEXT_WORD_RE = re.compile(r"[\"“‘'«(]?(\w+)")
BOUNDARY_RE = re.compile(r"[.!?…][\"”’'»)]*\s+(?=[\"“‘'«(]?[A-Z0-9~])")
SPAN_START = attrgetter("start")
NON_ASCII_SPACE_RE = re.compile(r"[^\S\x00-\x7f]")


@dataclass(slots=True)
class QuoteSpan:
    """A quotation found by its marks: content offsets, mark offsets and run-on links."""

    start: int
    end: int
    open_mark: int | None
    close_mark: int | None
    paragraph: int
    runs_on: bool = False
    continued: bool = False
    nested: bool = False


def _opens(text: str, index: int) -> bool:
    """A mark in opening position: after a space or opening punctuation, before a non-space."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in BEFORE_OPENING) and not after.isspace()


def _closes(text: str, index: int) -> bool:
    """A mark in closing position: after a non-space, before a space, punctuation or the end."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _is_apostrophe(text: str, index: int) -> bool:
    """can't, Trump’s, ’90s: a single mark inside a word or opening an elision."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True
    return not before.isalnum() and bool(ELISION_RE.match(text, index + 1))


def _find_all(text: str, marks: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where any of the marks stands in text[start:end], in order: str.find runs far faster than a regex pass."""
    end = len(text) if end is None else end
    positions = []
    for mark in marks:
        index = text.find(mark, start, end)
        while index >= 0:
            positions.append(index)
            index = text.find(mark, index + 1, end)
    positions.sort()
    return positions


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _scan(text: str, positions: list[int], opening: str, closing: str) -> tuple[list[tuple], int | None]:
    """Pair the marks at positions in one paragraph; returns (open, close) pairs and a still open mark."""
    pairs = []
    open_at: int | None = None
    # An opening followed by a second one: stray, unless two closings follow, when the second quotation was nested
    # in the first with the same marks ("“… the number of “cell phone only” households …”").
    outer: int | None = None
    for index in positions:
        char = text[index]
        if open_at is None:
            if outer is not None and char in closing and not _opens(text, index):
                pairs[-1] = (outer, index)
            elif char in closing and not _opens(text, index):
                # A closing mark with nothing open: the quotation began before this paragraph's text.
                pairs.append((None, index))
            elif char in opening or _opens(text, index):
                open_at = index
            elif _closes(text, index):
                pairs.append((None, index))
            outer = None
        elif char in opening and _opens(text, index) and not _closes(text, index):
            outer, open_at = open_at, index
        elif char in closing or char in "\"'" or _closes(text, index):
            pairs.append((open_at, index))
            open_at = None
    return pairs, open_at


def find_quotes(paragraphs: list[Paragraph]) -> list[QuoteSpan]:
    """Every quotation in the body, with run-on quotations linked across paragraphs."""
    texts = [paragraph.text for paragraph in paragraphs]
    body = "\n".join(texts)
    doubles, singles = _find_all(body, DOUBLE_MARKS), _find_all(body, SINGLE_MARKS)
    # Double quotation marks unless the article quotes only with single ones (British style).
    style = "double" if len(doubles) >= 2 else "single"
    opening, closing = (DOUBLE_OPENING, DOUBLE_CLOSING) if style == "double" else (SINGLE_OPENING, SINGLE_CLOSING)
    spans: list[QuoteSpan] = []
    previous_runs_on = False
    offset = next_double = next_single = 0
    for number, paragraph in enumerate(paragraphs):
        text = texts[number]
        end = offset + len(text)
        first_double, next_double = next_double, bisect_left(doubles, end, next_double)
        first_single, next_single = next_single, bisect_left(singles, end, next_single)
        if first_double == next_double and first_single == next_single:
            # No mark at all: no quotation.
            offset = end + 1
            previous_runs_on = False
            continue
        double_positions = [index - offset for index in doubles[first_double:next_double]]
        single_positions = [
            index - offset for index in singles[first_single:next_single] if not _is_apostrophe(text, index - offset)
        ]
        offset = end + 1
        pairs, still_open = _scan(text, double_positions if style == "double" else single_positions, opening, closing)
        paragraph_spans = []
        starts_with_mark = bool(text) and text[0] in (DOUBLE_MARKS if style == "double" else SINGLE_MARKS)
        previous_close = -1
        for open_at, close_at in pairs:
            # A closing mark with nothing open closes words from the previous quotation's close (or the paragraph's
            # start), never words already quoted ("…says, "I'd like 10,000 rounds," you know…").
            start = previous_close + 1 if open_at is None else open_at + 1
            previous_close = close_at
            paragraph_spans.append(_span(paragraph, number, start, close_at, open_at, close_at))
        if still_open is not None:
            span = _span(paragraph, number, still_open + 1, len(text), still_open, None)
            next_text = texts[number + 1] if number + 1 < len(paragraphs) else ""
            span.runs_on = bool(next_text) and next_text[0] in (DOUBLE_MARKS if style == "double" else SINGLE_MARKS)
            paragraph_spans.append(span)
        if previous_runs_on and paragraph_spans and (starts_with_mark or paragraph_spans[0].open_mark is None):
            paragraph_spans[0].continued = True
        previous_runs_on = bool(paragraph_spans) and paragraph_spans[-1].runs_on
        if style == "double" and single_positions:
            paragraph_spans += _nested_single_quotes(paragraph, number, paragraph_spans, single_positions)
        if len(paragraph_spans) > 1:
            paragraph_spans.sort(key=SPAN_START)
        spans += paragraph_spans
    return [span for span in spans if span.end > span.start]


def _span(paragraph: Paragraph, number: int, start: int, end: int, open_mark, close_mark) -> QuoteSpan:
    start, end = _trimmed(paragraph.text, start, end)
    base = paragraph.start
    return QuoteSpan(
        base + start,
        base + end,
        None if open_mark is None else base + open_mark,
        None if close_mark is None else base + close_mark,
        number,
    )


def _nested_single_quotes(
    paragraph: Paragraph, number: int, spans: list[QuoteSpan], positions: list[int]
) -> list[QuoteSpan]:
    """Single-quoted words outside the double quotations ('value diplomacy'); closed within the paragraph."""
    text = paragraph.text
    covered = [(span.start - paragraph.start, span.end - paragraph.start) for span in spans]
    found = []
    pairs, _ = _scan(text, positions, SINGLE_OPENING, SINGLE_CLOSING)
    for open_at, close_at in pairs:
        if open_at is None or any(start - 1 <= open_at <= end for start, end in covered):
            continue
        span = _span(paragraph, number, open_at + 1, close_at, open_at, close_at)
        span.nested = True
        found.append(span)
    return found


class _MaskTable(dict):
    """str.translate's table for masking: every character but white space becomes MASK, filled as they are met."""

    def __missing__(self, code: int) -> str:
        self[code] = value = chr(code) if chr(code).isspace() else MASK
        return value


# translate with a filled table runs in C, where a regex substitution replaces each character in turn.
MASK_TABLE = _MaskTable()


def _mask(words: str) -> str:
    """Every character but white space becomes MASK."""
    if not words.isascii() and not NON_ASCII_SPACE_RE.search(words):
        # translate is fast on ASCII only; "?" stands in for each other character, as no white space is among them.
        words = words.encode("ascii", "replace").decode("ascii")
    return words.translate(MASK_TABLE)


def mask_quotes(text: str, spans: list[QuoteSpan]) -> tuple[str, list[tuple[int, int]]]:
    """The text with quoted words blanked out, keeping each quotation's final stop as a boundary; and the masked
    stretches of it, in order."""
    kept, quoted, regions, done = [], [], [], 0
    for span in sorted(spans, key=SPAN_START):
        start, end = span.start, span.end
        if end > start and text[end - 1] in TERMINAL:
            end -= 1
        start = max(start, done)
        if end > start:
            kept.append(text[done:start])
            quoted.append(text[start:end])
            regions.append((start, end))
            done = end
    if not quoted:
        return text, regions
    # Masked all at once: quotations lie within paragraphs, which hold no line break, and a mask keeps white space.
    masks = _mask("\n".join(quoted)).split("\n")
    return "".join([part for pair in zip(kept, masks, strict=True) for part in pair]) + text[done:], regions


def sentence_stops(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where text[start:end] has a stop (".!?…"), in order: the only places where a sentence may end."""
    return _find_all(text, TERMINAL, start, end)


def sentence_bounds(
    text: str, start: int = 0, end: int | None = None, stops: list[int] | None = None
) -> list[tuple[int, int]]:
    """Split text[start:end] (a paragraph, masked or not) into sentences, ignoring stops after abbreviations and
    initials; stops may give sentence_stops() of a text around it."""
    end = len(text) if end is None else end
    bounds = []
    # A boundary begins at a stop: the regex is tried there only, far cheaper than a scan of every character.
    if stops is None:
        stops = sentence_stops(text, start, end)
    searched_to = start
    for index in range(bisect_left(stops, start), len(stops)):
        stop = stops[index]
        if stop >= end:
            break
        if stop < searched_to:
            continue
        match = BOUNDARY_RE.match(text, stop, end)
        if match is None:
            continue
        searched_to = match.end()
        words = text[max(start, stop - 12) : stop].rsplit(None, 1)
        token = words[-1].lstrip("(\"“‘'").lower() if words else ""
        # An initial ("J. Smith") or two ("G.K. Butterfield", "George H.W. Bush") ends no sentence.
        initials = len(token) == 1 or (len(token) == 3 and token[1] == "." and token[0] != token[2])
        if token in ABBREVIATIONS or (initials and token.replace(".", "").isalpha()):
            # "U.S. The talks…": an abbreviation ends the sentence when the next word opens one.
            next_word = NEXT_WORD_RE.match(text, match.end(), end) if token in ("u.s", "u.k", "u.n", "e.u") else None
            if not (next_word and next_word.group(1) in SENTENCE_START_WORDS):
                continue
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, end))
    return bounds
