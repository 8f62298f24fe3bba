"""Read the noun phrase that names a speaker next to a speech verb: names, titles, descriptions, pronouns."""

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache

from .countries import country_from_adjective
from .lexicon import (
    ADVERBS,
    DETERMINERS,
    HONORIFICS,
    KNOWN_ORGANIZATIONS,
    MODIFIERS,
    MONTHS,
    NON_NAME_CAPITALS,
    ORGANIZATION_WORDS,
    PLURAL_ROLES,
    PRONOUNS,
    ROLES,
    TITLE_WORDS,
    WEEKDAYS,
    words,
)

TOKEN_RE = re.compile(r"[^\W_][\w.'’&-]*|[,:;()—–]|--")
PREPOSITIONS = ("for", "at", "from", "with", "in", "of", "to")
CONNECTORS = frozenset(("of", "for", "at", "from", "in", "to", "and"))
TIME_WORDS = words("""on last this late early night morning afternoon evening""")
# What may follow a speaker named after the verb ("said Cho during…", "said Cho on Tuesday").
AFTER_INVERTED = words(
    """, . ; : ( — – -- during at in on to after before while when as who whose from of in a an the last this
    yesterday today tonight earlier later"""
)
AFTER_INVERTED |= frozenset(WEEKDAYS)
UNTITLED = frozenset(("of", "for", "and", "the"))


@dataclass(slots=True)
class Token:
    """A word or punctuation mark; bare drops a possessive ("Japan's" -> "Japan")."""

    text: str
    start: int
    end: int
    bare: str = ""
    lower: str = ""
    capitalized: bool = False


@dataclass(slots=True)
class Mention:
    """A speaker as written at one place: "South Korean Foreign Minister Cho Tae-yul", "he", "the official"."""

    kind: str  # "name", "pronoun", "description" or "organization"
    text: str
    start: int
    end: int
    name: str | None = None
    title: str | None = None
    description: str | None = None
    organization: str | None = None
    country: str | None = None
    definite: bool = False
    plural: bool = False
    gender: str = ""
    head: str | None = None
    modifiers: list[str] = field(default_factory=list)


MENTION_FIELDS = [item.name for item in fields(Mention)]


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words and punctuation with their offsets; a sentence's final stop is not part of its last word."""
    tokens = []
    for match in TOKEN_RE.finditer(text):
        word, cut, bare, lower, capitalized = _word(match.group())
        start, end = match.span()
        tokens.append(Token(word, offset + start, offset + end - cut, bare, lower, capitalized))
    return tokens


# Cached, like the word tests below: an article repeats its words, and the next article most of its vocabulary.
@lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, int, str, str, bool]:
    """A matched word as a token: its text, the characters cut from its end, bare, lower case, capitalised."""
    cut = 0
    abbreviation = word.lower() in TITLE_WORDS or word in MONTHS or word[:-1] in MONTHS
    if word.endswith(".") and word.count(".") == 1 and len(word) > 2 and not abbreviation:
        word, cut = word[:-1], 1
    # Possessives: "Japan's" -> "Japan".
    bare = word[:-2] if word[-2:] in ("'s", "’s") else word
    return word, cut, bare, bare.lower(), word[:1].isupper()


def _is_name_token(token: Token) -> bool:
    """A capitalised word that can belong to a person's name."""
    return _is_name_word(token.bare)


@lru_cache(maxsize=1 << 16)
def _is_name_word(bare: str) -> bool:
    if not bare[:1].isupper() or bare in NON_NAME_CAPITALS or bare in MONTHS or bare in KNOWN_ORGANIZATIONS:
        return False
    if bare.lower() in TITLE_WORDS or bare.lower() in ORGANIZATION_WORDS or bare.lower() in ROLES:
        return False
    # All-capital words are acronyms of organizations ("KCNA", "NIS"), not names.
    return country_from_adjective(bare) is None and not (bare.isupper() and len(bare) > 1)


def _is_phrase_token(token: Token) -> bool:
    """A word that may sit inside a speaker's noun phrase."""
    return _is_phrase_word(token.text)


@lru_cache(maxsize=1 << 16)
def _is_phrase_word(text: str) -> bool:
    if text in NON_NAME_CAPITALS and text not in ("The", "A", "An", "One", "Another"):
        return False
    _, _, bare, lower, capitalized = _word(text)
    if capitalized:
        return bare not in MONTHS
    return (
        lower in ROLES
        or lower in MODIFIERS
        or lower in DETERMINERS
        or lower in ORGANIZATION_WORDS
        # Hyphenated words ("South Korea-U.S.") but not a dash ("SEOUL, March 4 (Yonhap) -- Minister…").
        or ("-" in lower and lower[0].isalnum())
    )


def skip_back_adverbs(tokens: list[Token], index: int) -> int:
    """Step back over "also", "on Tuesday", "last week" between a speaker and the verb."""
    while index >= 0:
        lower = tokens[index].lower
        if (
            lower in ADVERBS
            or tokens[index].bare in WEEKDAYS
            or (lower in TIME_WORDS and index + 1 < len(tokens) and tokens[index + 1].bare in WEEKDAYS)
        ):
            index -= 1
        elif lower == "week" and index > 0 and tokens[index - 1].lower == "last":
            index -= 2
        else:
            break
    return index


def subject_before(tokens: list[Token], index: int) -> Mention | None:
    """The speaker written just before the verb at tokens[index + 1]: "Cho", "Blinken, the U.S. secretary, "."""
    index = skip_back_adverbs(tokens, index)
    if index < 0:
        return None
    appositive = None
    if tokens[index].text == "," and index > 0:
        # "Blinken, the U.S. secretary of state, said" or "Cho, who …, said": the speaker precedes the first comma.
        for comma in range(index - 1, max(index - 16, -1), -1):
            if tokens[comma].text == ",":
                appositive = parse_phrase(tokens[comma + 1 : index])
                index = comma - 1
                break
            if tokens[comma].text in ("(", ")", ":", ";", "—", "–", "--", "|"):
                return None
        else:
            return None
    if index < 0:
        return None
    if tokens[index].lower in ("who", "which") and index > 1 and tokens[index - 1].text == ",":
        # "…, Maroš Šefčovič, who said": the relative pronoun stands for the phrase before the comma.
        return subject_before(tokens, index - 2)
    if tokens[index].lower in PRONOUNS and (index == 0 or not tokens[index - 1].capitalized):
        return _pronoun(tokens[index])
    first = index
    while first - 1 >= 0 and index - first < 14 and _is_phrase_token(tokens[first - 1]):
        previous = tokens[first - 1]
        if previous.lower in DETERMINERS and not (first - 2 >= 0 and tokens[first - 2].lower in CONNECTORS):
            first -= 1
            break
        first -= 1
    mention = parse_phrase(tokens[first : index + 1])
    if mention and appositive:
        if mention.kind == "description" and appositive.kind == "name":
            # "The foreign secretary, David Lammy, said": the name is in the appositive.
            mention, appositive = appositive, mention
            mention.start = min(mention.start, appositive.start)
        _merge_appositive(mention, appositive)
    return mention


def subject_after(tokens: list[Token], index: int) -> Mention | None:
    """The speaker written just after the verb ending at tokens[index - 1]: "said Cho", "said the official"."""
    last = index
    while last < len(tokens) and last - index < 14 and _is_phrase_token(tokens[last]):
        if last > index and tokens[last].bare in WEEKDAYS:
            break
        last += 1
    if last == index:
        return None
    if tokens[last - 1].lower in CONNECTORS or tokens[last - 1].lower in DETERMINERS:
        last -= 1
    following = tokens[last].lower if last < len(tokens) else "."
    if following not in AFTER_INVERTED and not (last < len(tokens) and tokens[last].bare in WEEKDAYS):
        return None
    mention = parse_phrase(tokens[index:last])
    if mention and following == "," and last + 1 < len(tokens) and tokens[last + 1].lower in DETERMINERS:
        # "said Antony Blinken, the U.S. secretary of state."
        end = last + 1
        while end < len(tokens) and tokens[end].text not in (",", ".", ";", "(", ")") and end - last < 14:
            end += 1
        appositive = parse_phrase(tokens[last + 1 : end])
        if appositive:
            _merge_appositive(mention, appositive)
    return mention


def _pronoun(token: Token) -> Mention:
    lower = token.lower
    return Mention(
        kind="pronoun",
        text=token.text,
        start=token.start,
        end=token.end,
        gender=PRONOUNS[lower],
        plural=lower in ("they", "we"),
    )


def _merge_appositive(mention: Mention, appositive: Mention) -> None:
    """Take title, organization and country from "…, the U.S. secretary of state, …"."""
    if mention.kind != "name" or appositive.kind not in ("description", "name"):
        return
    if appositive.kind == "name" and appositive.name:
        return
    mention.title = mention.title or _title_case(appositive.title)
    mention.organization = mention.organization or appositive.organization
    mention.country = mention.country or appositive.country


def _title_case(words: str | None) -> str | None:
    """ "secretary of state" -> "Secretary of State"."""
    if not words:
        return None
    return " ".join(word if word in UNTITLED else word[:1].upper() + word[1:] for word in words.split())


def _country_prefix(tokens: list[Token]) -> tuple[str | None, int]:
    """A leading "South Korean", "U.S.", "Japan's": the country and how many tokens it takes."""
    return _country_prefix_words(tuple([token.text for token in tokens[:3]]))


@lru_cache(maxsize=1 << 16)
def _country_prefix_words(words: tuple[str, ...]) -> tuple[str | None, int]:
    for size in (3, 2, 1):
        if len(words) >= size:
            code = country_from_adjective(" ".join(words[:size]))
            if code:
                return code, size
    return None, 0


def _organization(words: list[Token]) -> tuple[str | None, int, int]:
    """The last run of capitalised words ending in an organization word ("Foreign Ministry"), with its bounds."""
    for end in range(len(words), 0, -1):
        if words[end - 1].lower in ORGANIZATION_WORDS and words[end - 1].capitalized:
            start = end - 1
            while start > 0 and (words[start - 1].capitalized or words[start - 1].lower in ("of", "for", "and")):
                if country_from_adjective(words[start - 1].text):
                    break
                start -= 1
            while start < end and words[start].lower in ("of", "for", "and"):
                start += 1
            return " ".join([token.bare for token in words[start:end]]), start, end
    return None, 0, 0


def parse_phrase(tokens: list[Token]) -> Mention | None:
    """Classify a noun phrase as a named person, a description of one, or an organization."""
    texts = tuple([token.text for token in tokens])
    if "|" in texts:
        # A window's gap marker, whose bare form is empty unlike any word's: read the phrase itself.
        return _parse_phrase(tokens)
    shape = _phrase_shape(texts)
    if shape is None:
        return None
    first, last, kind, text, *values, modifiers = shape
    return Mention(kind, text, tokens[first].start, tokens[last].end, *values, list(modifiers))


# The reading depends on the words only, and the same phrases ("the official", "Cho") come back again and again.
@lru_cache(maxsize=1 << 14)
def _phrase_shape(texts: tuple[str, ...]) -> tuple | None:
    """_parse_phrase's reading of these words: the Mention's fields, with token indexes for its offsets."""
    mention = _parse_phrase([Token(text, index, index, *_word(text)[2:]) for index, text in enumerate(texts)])
    if mention is None:
        return None
    values = [getattr(mention, name) for name in MENTION_FIELDS]
    return (mention.start, mention.end, *values[:2], *values[4:-1], tuple(mention.modifiers))


def _parse_phrase(tokens: list[Token]) -> Mention | None:
    while tokens and tokens[0].text in NON_NAME_CAPITALS and tokens[0].text not in ("The", "A", "An"):
        tokens = tokens[1:]
    if not tokens:
        return None
    text_start, text_end = tokens[0].start, tokens[-1].end
    determiner = tokens[0].lower if tokens[0].lower in DETERMINERS else None
    phrase = tokens[1:] if determiner else tokens
    if not phrase:
        return None
    # "a spokesperson for the ministry": the speaker is the head before the preposition.
    head_words, tail_words = phrase, []
    for position, token in enumerate(phrase[:-1]):
        after_role = token.lower in PREPOSITIONS and position > 0 and phrase[position - 1].lower in ROLES
        # Not "Secretary of State Antony Blinken", where the phrase after "of" are part of a title.
        if after_role and not (phrase[position + 1].capitalized and _is_name_token(phrase[-1])):
            head_words, tail_words = phrase[:position], phrase[position + 1 :]
            break
    country, country_size = _country_prefix(head_words)
    core = head_words[country_size:]
    if not core:
        # "The Kremlin said", "Seoul said": a capital or seat of government speaking for its country.
        if len(head_words) > 1 or not head_words[0].capitalized:
            return None
        place = head_words[0].bare
        return Mention(
            "organization", place, text_start, text_end, organization=place, description=place, country=country
        )
    mention = Mention(kind="", text="", start=text_start, end=text_end, country=country)
    mention.definite = determiner == "the"
    name_start = len(core)
    while name_start > 0 and _is_name_token(core[name_start - 1]):
        name_start -= 1
    last = core[-1].lower
    if name_start < len(core):
        name_tokens = core[name_start:]
        title_tokens = core[:name_start]
        mention.kind = "name"
        mention.name = " ".join([token.bare for token in name_tokens])
        honorific = title_tokens[-1].lower if title_tokens else ""
        mention.gender = HONORIFICS.get(honorific, "")
        title_tokens = [token for token in title_tokens if token.lower not in HONORIFICS]
        organization, org_start, org_end = _organization(title_tokens)
        if organization:
            mention.organization = organization
            title_tokens = title_tokens[org_end:] or title_tokens[:org_start]
        if title_tokens:
            mention.title = " ".join([token.bare for token in title_tokens])
    elif last in ROLES:
        mention.kind = "description"
        mention.head = last[:-1] if last in PLURAL_ROLES else last
        mention.plural = last in PLURAL_ROLES
        mention.modifiers = [token.lower for token in core[:-1]]
        mention.description = " ".join([token.text for token in phrase])
        mention.title = " ".join([token.bare for token in phrase[country_size:]])
        organization, _, _ = _organization(core[:-1] or tail_words)
        if not organization and tail_words:
            organization = " ".join([token.bare for token in tail_words if token.lower not in DETERMINERS])
        mention.organization = organization
        if not mention.country and tail_words:
            mention.country, _ = _country_prefix([token for token in tail_words if token.lower not in DETERMINERS])
    elif last in ORGANIZATION_WORDS or core[-1].bare in KNOWN_ORGANIZATIONS or core[-1].bare.isupper():
        mention.kind = "organization"
        mention.head = last
        mention.organization = " ".join([token.text for token in core])
        mention.description = mention.organization
    else:
        return None
    mention.text = " ".join([token.text for token in tokens])
    if mention.title and mention.title.lower() in ("mr.", "mrs.", "ms."):
        mention.title = None
    return mention
