"""Read a pasted article as the extractor needs it, keeping every offset: quotation marks typed as two apostrophes
(''…'') or as TeX pairs (``…''), and markup pasted with the text (<tweet author="…">), which is no prose."""

import re

# Two apostrophes or two backquotes stand for one double quotation mark; a third apostrophe is a single mark inside
# it ("…'Look.'''"). Replaced by the double mark plus a space on the side away from the words, so that the mark
# stays in its opening or closing position and no offset moves.
DOUBLED_MARK_RE = re.compile(r"'''|''|``")
# An HTML or XML tag of a pasted embed: its attribute values are in quotation marks but quote nobody.
TAG_RE = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]{0,600})?/?>")
# The quotation dash (―, the typographer's mark before a quotation's credit: "“…” ― Jane Roe") and the figure dash
# read as the em dash every rule knows.
DASHES = str.maketrans("―‒", "——")


def _doubled(text: str, match: re.Match, mark: str) -> str:
    start, end = match.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opening = (before.isspace() or before in "([{—–-/:;,") and not after.isspace()
    if match.group() == "'''":
        if mark == "'":  # One single mark, by the words.
            return "  '" if opening else "'  "
        return " \"'" if opening else "'\" "
    return f" {mark}" if opening else f"{mark} "


def undoubled(text: str) -> str:
    """The text with each doubled quotation mark (''…'', ``…'') made one mark, of the same length: a double one, or a
    single one in a text that also quotes with double marks, where they quote within its quotations."""
    if "''" not in text and "``" not in text:
        return text
    # With double marks of its own, the text's doubled marks quote within its quotations ("…told me ''no'' …").
    mark = "'" if sum(text.count(double) for double in '"“”') >= 2 else '"'
    return DOUBLED_MARK_RE.sub(lambda match: _doubled(text, match, mark), text)


def in_doubled_marks(text: str, start: int, end: int) -> bool:
    """Whether the quoted words text[start:end] stand in doubled marks (''…'', ``…''), on either side."""
    return text[max(start - 2, 0) : start] in ("''", "``") or text[end : end + 2] == "''"


def readable(text: str) -> str:
    """The text with doubled quotation marks made single, dashes made em dashes and markup blanked out; of the same
    length."""
    if "―" in text or "‒" in text:
        text = text.translate(DASHES)
    text = undoubled(text)
    if "<" in text:
        text = TAG_RE.sub(lambda match: " " * len(match.group()), text)
    return text
