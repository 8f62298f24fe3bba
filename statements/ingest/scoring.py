"""Score extracted quotations against a hand-made answer, by token and character positions in the article.

Recall is the share of gold quote tokens the extractor returns inside a quotation attributed to the right
speaker; precision the share of returned quote tokens lying in a gold (or optional) quotation of that speaker.
Quotation marks, case and whitespace are ignored, and how quotations are split or joined does not matter,
because both sides are compared as sets of positions in the article text.
"""

import re
from collections.abc import Iterable

QUOTE_MARKS = frozenset("\"'“”‘’„‟«»‹›‚")
TOKEN_RE = re.compile(r"[^\W_]+")
TRAILING_PUNCTUATION = ",.;:!?…—–-)"


def _significant(char: str) -> bool:
    return not char.isspace() and char not in QUOTE_MARKS


def _normalized(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


class _Article:
    """The article as a stream of significant characters, mapped back to text positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = [index for index, char in enumerate(text) if _significant(char)]
        self.stream = "".join(_normalized(text[index]) for index in self.positions)
        self.tokens = [(match.start(), match.end()) for match in TOKEN_RE.finditer(text)]

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Where the quotation's words stand in the text, as (first, last) text positions."""
        needle = "".join(_normalized(char) for char in quote if _significant(char))
        found = []
        start = self.stream.find(needle) if needle else -1
        while start >= 0:
            first, last = self.positions[start], self.positions[start + len(needle) - 1]
            # Whole words only: "no" is not in "casino".
            if not (self._is_word(first - 1) and self._is_word(first)) and not (
                self._is_word(last) and self._is_word(last + 1)
            ):
                found.append((first, last))
            start = self.stream.find(needle, start + 1)
        return found

    def _is_word(self, index: int) -> bool:
        return 0 <= index < len(self.text) and self.text[index].isalnum()

    def is_quoted(self, first: int, last: int) -> bool:
        """Whether a quotation mark stands right before or right after the words (allowing punctuation)."""
        before = self.text[max(0, first - 3) : first].rstrip()
        after = self.text[last + 1 : last + 4].lstrip(TRAILING_PUNCTUATION + " ")
        return bool(before and before[-1] in QUOTE_MARKS) or bool(after and after[0] in QUOTE_MARKS)

    def characters(self, start: int, end: int) -> set[int]:
        return {index for index in range(start, end) if _significant(self.text[index])}

    def token_starts(self, characters: set[int]) -> set[int]:
        """Tokens (by start position) whose every character lies in the given positions."""
        return {start for start, end in self.tokens if all(index in characters for index in range(start, end))}


def _place(article: _Article, quotes: list[dict]) -> list[tuple[dict, tuple[int, int] | None]]:
    """Place gold quotations in the text, last to first, each before the next one (headlines repeat them)."""
    placed: list[tuple[dict, tuple[int, int] | None]] = []
    limit = len(article.text)
    for quote in reversed(quotes):
        occurrences = article.occurrences(quote["text"])
        before_limit = [occurrence for occurrence in occurrences if occurrence[1] < limit]
        ranked = sorted(before_limit or occurrences, key=lambda o: (article.is_quoted(*o), o[0]), reverse=True)
        occurrence = ranked[0] if ranked else None
        if occurrence is not None and before_limit:
            limit = occurrence[0]
        placed.append((quote, occurrence))
    return list(reversed(placed))


def _place_optional(article: _Article, quotes: list[dict], taken: list[tuple[int, int]]):
    """Optional quotations take the first occurrence no required quotation holds."""
    placed = []
    for quote in quotes:
        free = [o for o in article.occurrences(quote["text"]) if not any(o[0] <= t[1] and t[0] <= o[1] for t in taken)]
        free.sort(key=lambda o: (not article.is_quoted(*o), o[0]))
        if free:
            placed.append((quote, free[0]))
    return placed


def _speaker_names(expected: dict) -> dict[str, set[str]]:
    """Every accepted way to name each answer speaker: its key, full name, other names, description."""
    names = {}
    for key, speaker in expected.get("speakers", {}).items():
        accepted = {key, speaker.get("full_name"), speaker.get("description"), *speaker.get("other_names", [])}
        names[key] = {name.casefold() for name in accepted if name}
    return names


def _field(quote, name: str):
    if isinstance(quote, dict):
        return quote.get(name)
    value = getattr(quote, name)
    if name == "speaker" and value is not None and not isinstance(value, str):
        return value.label
    return value


def score(extraction_quotes: Iterable, expected: dict, text: str | None = None) -> dict:
    """Token- and character-level precision and recall of quotations (Quotation objects or their dicts)."""
    text = text if text is not None else expected.get("text")
    if text is None:
        raise ValueError("scoring aligns quotations by position, so it needs the article text")
    article = _Article(text)
    names = _speaker_names(expected)
    gold = _place(article, expected.get("quotes", []))
    optional = _place_optional(article, expected.get("optional_quotes", []), [o for _, o in gold if o])
    required_chars: dict[str, set[int]] = {key: set() for key in names}
    allowed_chars: dict[str, set[int]] = {key: set() for key in names}
    for quotes, targets in ((gold, (required_chars, allowed_chars)), (optional, (allowed_chars,))):
        for quote, occurrence in quotes:
            if occurrence is None:
                continue
            characters = article.characters(occurrence[0], occurrence[1] + 1)
            for target in targets:
                target.setdefault(quote["speaker"], set()).update(characters)
    returned_chars: dict[str, set[int]] = {}
    for quote in extraction_quotes:
        label = (_field(quote, "speaker") or "").casefold()
        characters = article.characters(_field(quote, "start"), _field(quote, "end"))
        returned_chars.setdefault(label, set()).update(characters)

    def matching(label: str) -> list[str]:
        return [key for key, accepted in names.items() if label in accepted]

    result = {}
    for level, unit in (("token", article.token_starts), ("char", lambda characters: characters)):
        required = {key: unit(characters) for key, characters in required_chars.items()}
        allowed = {key: unit(characters) for key, characters in allowed_chars.items()}
        returned = {label: unit(characters) for label, characters in returned_chars.items()}
        gold_total = sum(len(units) for units in required.values())
        found = sum(
            len(units & set().union(*(returned[label] for label in returned if key in matching(label))))
            for key, units in required.items()
        )
        returned_total = sum(len(units) for units in returned.values())
        correct = sum(
            len(units & set().union(*(allowed[key] for key in matching(label)))) for label, units in returned.items()
        )
        prefix = "" if level == "token" else "char_"
        result[f"{prefix}precision"] = correct / returned_total if returned_total else (1.0 if not gold_total else 0.0)
        result[f"{prefix}recall"] = found / gold_total if gold_total else 1.0
        result[f"{prefix}gold"] = gold_total
        result[f"{prefix}returned"] = returned_total
    result["unplaced"] = [quote["text"] for quote, occurrence in gold if occurrence is None]
    return result
