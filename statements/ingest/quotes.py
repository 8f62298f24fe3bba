"""Find quotations by their quotation marks, and the sentences around them."""

import re
from dataclasses import dataclass

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
MARK_RES = {marks: re.compile(f"[{re.escape(marks)}]") for marks in (DOUBLE_MARKS, SINGLE_MARKS)}
NEXT_WORD_RE = re.compile(r"[\"“‘'«(]?(\w+)")
BOUNDARY_RE = re.compile(r"[.!?…][\"”’'»)]*\s+(?=[\"“‘'«(]?[A-Z0-9~])")


@dataclass
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


def _char(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else " "


def _opens(text: str, index: int) -> bool:
    """A mark in opening position: after a space or opening punctuation, before a non-space."""
    before, after = _char(text, index - 1), _char(text, index + 1)
    return (before.isspace() or before in BEFORE_OPENING) and not after.isspace()


def _closes(text: str, index: int) -> bool:
    """A mark in closing position: after a non-space, before a space, punctuation or the end."""
    before, after = _char(text, index - 1), _char(text, index + 1)
    return not before.isspace() and not after.isalnum()


def _is_apostrophe(text: str, index: int) -> bool:
    """can't, Trump’s, ’90s: a single mark inside a word or opening an elision."""
    before, after = _char(text, index - 1), _char(text, index + 1)
    if before.isalnum() and after.isalnum():
        return True
    return not before.isalnum() and bool(ELISION_RE.match(text, index + 1))


def _mark_positions(text: str, marks: str, single: bool) -> list[int]:
    positions = [match.start() for match in MARK_RES[marks].finditer(text)]
    if single:
        positions = [i for i in positions if not _is_apostrophe(text, i)]
    return positions


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _scan(text: str, marks: str, opening: str, closing: str, single: bool) -> tuple[list[tuple], int | None]:
    """Pair marks in one paragraph; returns (open, close) pairs and the position of a still open mark."""
    pairs = []
    open_at: int | None = None
    for index in _mark_positions(text, marks, single):
        char = text[index]
        if open_at is None:
            if char in closing and not _opens(text, index):
                # A closing mark with nothing open: the quotation began before this paragraph's text.
                pairs.append((None, index))
            elif _opens(text, index) or char in opening:
                open_at = index
            elif _closes(text, index):
                pairs.append((None, index))
        elif char in opening and _opens(text, index) and not _closes(text, index):
            # Two openings in a row: the first was a stray mark.
            open_at = index
        elif _closes(text, index) or char in closing or char in "\"'":
            pairs.append((open_at, index))
            open_at = None
    return pairs, open_at


def primary_marks(paragraphs: list[Paragraph]) -> str:
    """Double quotation marks unless the article quotes only with single ones (British style)."""
    doubles = 0
    for paragraph in paragraphs:
        doubles += len(MARK_RES[DOUBLE_MARKS].findall(paragraph.text))
        if doubles >= 2:
            return "double"
    return "single"


def find_quotes(paragraphs: list[Paragraph]) -> list[QuoteSpan]:
    """Every quotation in the body, with run-on quotations linked across paragraphs."""
    style = primary_marks(paragraphs)
    if style == "double":
        primary = (DOUBLE_MARKS, DOUBLE_OPENING, DOUBLE_CLOSING, False)
    else:
        primary = (SINGLE_MARKS, SINGLE_OPENING, SINGLE_CLOSING, True)
    spans: list[QuoteSpan] = []
    previous_runs_on = False
    for number, paragraph in enumerate(paragraphs):
        text = paragraph.text
        pairs, still_open = _scan(text, *primary)
        paragraph_spans = []
        starts_with_mark = bool(text) and text[0] in primary[0]
        for open_at, close_at in pairs:
            start = 0 if open_at is None else open_at + 1
            paragraph_spans.append(_span(paragraph, number, start, close_at, open_at, close_at))
        if still_open is not None:
            span = _span(paragraph, number, still_open + 1, len(text), still_open, None)
            next_text = paragraphs[number + 1].text if number + 1 < len(paragraphs) else ""
            span.runs_on = bool(next_text) and next_text[0] in primary[0]
            paragraph_spans.append(span)
        if previous_runs_on and paragraph_spans and (starts_with_mark or paragraph_spans[0].open_mark is None):
            paragraph_spans[0].continued = True
        previous_runs_on = bool(paragraph_spans) and paragraph_spans[-1].runs_on
        if style == "double":
            paragraph_spans += _nested_single_quotes(paragraph, number, paragraph_spans)
        spans += sorted(paragraph_spans, key=lambda span: span.start)
    return [span for span in spans if span.end > span.start]


def _span(paragraph: Paragraph, number: int, start: int, end: int, open_mark, close_mark) -> QuoteSpan:
    start, end = _trimmed(paragraph.text, start, end)
    base = paragraph.start
    return QuoteSpan(
        start=base + start,
        end=base + end,
        open_mark=None if open_mark is None else base + open_mark,
        close_mark=None if close_mark is None else base + close_mark,
        paragraph=number,
    )


def _nested_single_quotes(paragraph: Paragraph, number: int, spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Single-quoted words outside the double quotations ('value diplomacy'); closed within the paragraph."""
    text = paragraph.text
    covered = [(span.start - paragraph.start, span.end - paragraph.start) for span in spans]
    found = []
    pairs, _ = _scan(text, SINGLE_MARKS, SINGLE_OPENING, SINGLE_CLOSING, True)
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


def masked(paragraph: Paragraph, spans: list[QuoteSpan]) -> str:
    """The paragraph with quoted words blanked out, keeping each quotation's final stop as a boundary."""
    text = paragraph.text
    if not spans:
        return text
    parts, done = [], 0
    for span in sorted(spans, key=lambda span: span.start):
        start, end = span.start - paragraph.start, span.end - paragraph.start
        if end > start and text[end - 1] in TERMINAL:
            end -= 1
        start = max(start, done)
        if end > start:
            parts += [text[done:start], text[start:end].translate(MASK_TABLE)]
            done = end
    parts.append(text[done:])
    return "".join(parts)


def sentence_bounds(masked_text: str) -> list[tuple[int, int]]:
    """Split the masked paragraph into sentences, ignoring stops after abbreviations and initials."""
    bounds = []
    start = 0
    for match in BOUNDARY_RE.finditer(masked_text):
        stop = match.start()
        words = masked_text[max(start, stop - 12) : stop].rsplit(None, 1)
        token = words[-1].lstrip("(\"“‘'").lower() if words else ""
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            # "U.S. The talks…": an abbreviation ends the sentence when the next word opens one.
            next_word = NEXT_WORD_RE.match(masked_text, match.end()) if token in ("u.s", "u.k", "u.n", "e.u") else None
            if not (next_word and next_word.group(1) in SENTENCE_START_WORDS):
                continue
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(masked_text)))
    return bounds
