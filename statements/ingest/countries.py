"""Find the countries a text mentions, as ISO 3166-1 alpha-2 codes, with one compiled regex."""

import re
from functools import lru_cache

import pycountry

from .country_names import (
    BARE_KOREA,
    BOTH_KOREAS,
    COUNTRY_NAMES,
    KOREAN_COMPOUNDS,
    KOREAN_COUNTRY_NAMES,
    KOREAN_NOT_COUNTRIES,
    NOT_COUNTRIES,
    PERSON_NAME_COUNTRIES,
)
from .trie import trie_pattern

BOTH = "both Koreas"
BARE = "bare Korea"
PLURAL_ENDINGS = ("an", "i", "ese", "e", "k", "b", "t", "n")
UNPLURALISED = ("Chinese", "Japanese", "Vietnamese", "Burmese", "Lebanese", "Sudanese", "Congolese", "Swiss")


def _variants() -> dict[str, str | None]:
    """Map every surface form to its code; None marks a phrase that only hides a country word."""
    variants: dict[str, str | None] = {}
    for code, names in COUNTRY_NAMES.items():
        for name in names:
            variants.setdefault(name, code)
            # Plural demonyms: "Americans", "Pakistanis"; harmless for names ("the two Chinas").
            if name.endswith(PLURAL_ENDINGS) and name not in UNPLURALISED and not name.isupper():
                variants.setdefault(name + "s", code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            # "Korea, Republic of" and "Holy See (Vatican City State)" are catalogue forms, not prose.
            if name and "," not in name and "(" not in name:
                variants.setdefault(name, country.alpha_2)
    # Names are written with either apostrophe: "People’s Republic of China" is not "Republic of China" (Taiwan).
    for name, code in list(variants.items()):
        for apostrophe, other in (("'", "’"), ("’", "'")):
            if apostrophe in name:
                variants.setdefault(name.replace(apostrophe, other), code)
    variants.update(dict.fromkeys(BOTH_KOREAS, BOTH))
    variants.update(dict.fromkeys(BARE_KOREA, BARE))
    variants.update(dict.fromkeys(NOT_COUNTRIES))
    return variants


VARIANTS = _variants()
# No lookbehind: a pattern that starts with the trie lets the regex engine skip ahead by first character.
COUNTRY_RE = re.compile(trie_pattern(VARIANTS) + r"(?![\w])")
PERSON_NAME_VARIANTS = frozenset(PERSON_NAME_COUNTRIES)
FOLLOWED_BY_NAME_RE = re.compile(r"\s+[A-Z][a-z]")


# Korean: each name or compound at the start of a word (not inside one: 주한미군 is no 한미), particles after it.
KOREAN_VARIANTS: dict[str, tuple[str, ...] | None] = {
    **{name: (code,) for code, names in KOREAN_COUNTRY_NAMES.items() for name in names},
    **KOREAN_COMPOUNDS,
    **dict.fromkeys(KOREAN_NOT_COUNTRIES),
}
KOREAN_COUNTRY_RE = re.compile(r"(?<![가-힣])(?:" + trie_pattern(KOREAN_VARIANTS) + ")")
HANGUL_RE = re.compile(r"[가-힣]")


def detect_countries(text: str, *, korea: str = "KR") -> list[str]:
    """Return the ISO alpha-2 codes of the countries mentioned in text, in order of first appearance."""
    found: dict[str, None] = {}
    if HANGUL_RE.search(text):
        for match in KOREAN_COUNTRY_RE.finditer(text):
            found.update(dict.fromkeys(KOREAN_VARIANTS[match.group()] or ()))
    for match in COUNTRY_RE.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "._"):
            continue
        code = VARIANTS[match.group()]
        if code is None:
            continue
        if match.group() in PERSON_NAME_VARIANTS and FOLLOWED_BY_NAME_RE.match(text, match.end()):
            continue
        if code == BARE:
            found[korea] = None
        elif code == BOTH:
            found["KR"] = None
            found["KP"] = None
        else:
            found[code] = None
    return list(found)


@lru_cache(maxsize=4096)
def country_from_adjective(text: str) -> str | None:
    """Return the country named by a demonym, name or capital ("South Korean", "Japan's"), else None."""
    word = text.strip()
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    code = VARIANTS.get(word)
    if code == BARE:
        return "KR"
    return code if code and code != BOTH else None
