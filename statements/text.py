"""Which characters text may hold: as stored (normalized), and as an XML document can carry it (xml_text); the
words of a name, as names are matched (name_words); a text's first words (first_words)."""

import re

from django.utils.text import add_truncation_text, slugify

# Control characters (Unicode category Cc) but tab and newline; a CR with its LF is one line break.
CONTROLS = re.compile(r"\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same characters, as a PostgreSQL regular expression (the database's checks; NUL it cannot store at all).
CONTROLS_SQL = r"[\x01-\x08\x0B-\x1F\x7F-\x9F]"
# A C1 control (U+0080-U+009F) in text is nearly always a Windows-1252 byte read as Latin-1: "\x97" is the em
# dash of a 1982 speech, "\x92" an apostrophe. HTML reads &#151; the same way. The five bytes Windows-1252
# leaves undefined are dropped.
REPLACEMENTS = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n"} | {
    chr(code): bytes([code]).decode("cp1252", errors="ignore") for code in range(0x80, 0xA0)
}
# Outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]).
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalized(text):
    """Text as it is stored: line breaks as LF (a form feed or vertical tab is one too), no other control
    character but tab, C1 controls read as the Windows-1252 characters they stand for."""
    return CONTROLS.sub(lambda control: REPLACEMENTS.get(control[0], ""), text)


def first_words(text, count, truncate=None):
    """Truncator(text).words(count): the first words, joined by single spaces, and "…" (translated) when some were
    cut. Without splitting the whole text: a card's excerpt and its address read a few words of paragraphs that
    hold hundreds, and splitting them all took a tenth of a page's Python."""
    words = text.split(maxsplit=count)
    if len(words) > count:
        return add_truncation_text(" ".join(words[:count]), truncate)
    return " ".join(words)


def xml_text(text):
    """Text without the characters XML 1.0 cannot carry, which an XML writer must drop."""
    return NOT_XML.sub("", text)


def name_words(name):
    """A name's words, for matching: lower case, accents and punctuation dropped, hyphens as spaces ("tae yul")."""
    return slugify(name).replace("-", " ").split() or name.casefold().split()
