"""Read the noun phrase that names a speaker next to a speech verb: names, titles, descriptions, pronouns."""

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache

from .countries import country_from_adjective
from .dates import CLUE_START_RE, CLUE_STARTS
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
    WORD_ANCHOR_RE,
    WORD_ANCHORS,
    words,
)

# A word, a punctuation mark or "--". Written to start with one character set, so that the regex engine skips
# spaces and masked quotations fast: the lookbehinds tell which kind of token the first character began.
# Within a word, the Latin-1 signs that mojibake leaves there ("AndrÃ©s"), but not the guillemets, and combining
# marks.
MOJIBAKE_SIGNS = "\u00a1-\u00aa\u00ac-\u00ba\u00bc-\u00bf\u0300-\u036f"
TOKEN_RE = re.compile(rf"[\w,:;()—–-](?:(?<=[^\W_])[\w.'’&{MOJIBAKE_SIGNS}-]*|(?<=[,:;()—–])|(?<=-)-)")
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
# What a token is to an introduction ("a senior Foreign Ministry official"): a break, part of a phrase, or a title
# word; one character each, so that a sentence's runs are found with str.find over the string of them.
BREAK, IN_PHRASE, TITLED = "0", "1", "2"
BREAKS = frozenset((",", ":", ";", "(", ")", "—", "–", "--", "and"))
GROUP, START = re.Match.group, re.Match.start


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


def _phrase_kind(text: str) -> str:
    """What a token is to an introduction: part of a title-and-name or description, a title word, or a break."""
    if text in BREAKS:
        return BREAK
    bare = text[:-2] if text[-2:] in ("'s", "’s") else text
    lower = bare.lower()
    if lower in ROLES or lower in TITLE_WORDS:
        return TITLED
    return IN_PHRASE if text[:1].isupper() or lower in ("a", "an", "the", "senior", "top") else BREAK


# Dotted acronyms that are no one's initials.
DOTTED_ACRONYMS = frozenset(("U.N.", "U.N", "E.U.", "E.U", "D.C.", "D.C", "U.S.", "U.S", "U.K.", "U.K"))


@lru_cache(maxsize=1 << 16)
def _is_name_word(bare: str) -> bool:
    if not bare[:1].isupper() or bare in NON_NAME_CAPITALS or bare in MONTHS or bare in KNOWN_ORGANIZATIONS:
        return False
    if bare.lower() in TITLE_WORDS or bare.lower() in ORGANIZATION_WORDS or bare.lower() in ROLES:
        return False
    # All-capital words are acronyms of organizations ("KCNA", "NIS"), not names; but two initials are ("G.K.").
    initials = len(bare) in (3, 4) and bare[1] == "." and bare[2:3].isalpha() and bare not in DOTTED_ACRONYMS
    return country_from_adjective(bare) is None and not (bare.isupper() and len(bare) > 1 and not initials)


@lru_cache(maxsize=1 << 16)
def _is_phrase_word(text: str) -> bool:
    """A word that may sit inside a speaker's noun phrase."""
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


class Word:
    """A distinct token text, read once: bare drops a possessive ("Japan's" -> "Japan"), length leaves out the final
    stop a sentence lent the word, kind is its part in introductions, and anchors are the one-word anchors in the
    token's text, as (start, end, word) in it (at its start, what stands before the token decides); clue tells
    whether a date clue may start in it, and marked whether it has anchors or a clue."""

    __slots__ = ("anchors", "bare", "capitalized", "clue", "kind", "length", "lower", "marked", "text")

    def __init__(self, matched: str) -> None:
        word, _, bare, lower, capitalized = _word(matched)
        self.text, self.length, self.bare, self.lower, self.capitalized = word, len(word), bare, lower, capitalized
        self.kind = _phrase_kind(word)
        if matched.isalpha():
            # Letters only: no word boundary within, so an anchor or clue can only start the word (and an anchor
            # take all of it).
            self.anchors = ((0, len(matched), matched),) if matched in WORD_ANCHORS else ()
            self.clue = matched.startswith(CLUE_STARTS)
        else:
            found = WORD_ANCHOR_RE.finditer(matched)
            self.anchors = tuple((match.start(), match.end(), match.group()) for match in found)
            self.clue = CLUE_START_RE.search(matched) is not None
        self.marked = bool(self.anchors) or self.clue


# The marker of a gap between two windows of a sentence: empty, and its bare form too, unlike any word's.
GAP = Word("|")
GAP.length, GAP.bare, GAP.lower, GAP.kind, GAP.clue, GAP.marked = 0, "", "", BREAK, False, False


class _Words(dict):
    """Word records by matched text, made on first sight: an article repeats its words, and the next article most
    of its vocabulary. Emptied when full, so that a long-running process stays bounded."""

    def __missing__(self, text: str) -> Word:
        if len(self) >= 1 << 16:
            self.clear()
        self[text] = word = GAP if text == GAP.text else Word(text)
        return word


WORDS = _Words()


class _Chunks(dict):
    """The tokens of a stretch of text without spaces, by its text: their texts, Word records and offsets in it.

    No token spans white space, so a text's tokens are those of its chunks between spaces; and an article repeats
    most chunks ("said", "the", "Cho's") of the articles before it, so the token regex reads each chunk once.
    CHUNK_WORDS keeps the common cases for the shortest path: a chunk that is one whole word, and one without any
    token (a masked quotation's word), as None."""

    def __missing__(self, chunk: str) -> tuple[tuple[str, ...], tuple[Word, ...], tuple[int, ...]]:
        if len(self) >= 1 << 16:
            self.clear()
            CHUNK_WORDS.clear()
        if chunk.isalnum():
            # Letters and digits only: one word.
            texts, offsets = (chunk,), (0,)
        else:
            matches = list(TOKEN_RE.finditer(chunk))
            texts, offsets = tuple(map(GROUP, matches)), tuple(map(START, matches))
        words = tuple(map(WORDS.__getitem__, texts))
        self[chunk] = tokens = (texts, words, offsets)
        if texts == (chunk,) or not texts:
            CHUNK_WORDS[chunk] = words[0] if texts else None
        return tokens


CHUNKS = _Chunks()
CHUNK_WORDS: dict[str, Word | None] = {}


class Tokens:
    """Words and punctuation as parallel lists: matched texts, Word records and offsets into the text."""

    __slots__ = ("anchored", "clues", "starts", "texts", "words")

    def __init__(
        self,
        texts: list[str],
        words: list[Word],
        starts: list[int],
        anchored: list[int] | None = None,
        clues: list[int] | None = None,
    ) -> None:
        self.texts, self.words, self.starts = texts, words, starts
        # As tokenize() finds them: the indexes of the tokens with anchors, and where those that may start a date
        # clue start.
        self.anchored = anchored or []
        self.clues = clues or []

    def end(self, index: int) -> int:
        return self.starts[index] + self.words[index].length


def tokenize(text: str, start: int = 0, end: int | None = None, skip: list[tuple[int, int]] | None = None) -> Tokens:
    """Words and punctuation of text[start:end]; a sentence's final stop is not part of its last word.

    skip lists stretches of text, in order, known to hold no token nor part of one (masked quotations)."""
    end = len(text) if end is None else end
    texts: list[str] = []
    words: list[Word] = []
    starts: list[int] = []
    anchored: list[int] = []
    clues: list[int] = []
    add_text, add_word, add_start = texts.append, words.append, starts.append
    chunk_word = CHUNK_WORDS.get
    stretches = [start]
    for skip_start, skip_end in skip or ():
        if start <= skip_start and skip_end <= end:
            stretches += (skip_start, skip_end)
    stretches.append(end)
    for stretch in range(0, len(stretches), 2):
        position = stretches[stretch]
        # A loop over chunks costs far less than a regex match per token.
        for chunk in text[position : stretches[stretch + 1]].split(" "):
            word = chunk_word(chunk, 0)
            if word:
                if word.marked:
                    if word.anchors:
                        anchored.append(len(texts))
                    if word.clue:
                        clues.append(position)
                add_text(chunk)
                add_word(word)
                add_start(position)
            elif word is not None:
                chunk_texts, chunk_words, offsets = CHUNKS[chunk]
                if chunk_texts:
                    for index, chunk_word_ in enumerate(chunk_words):
                        if chunk_word_.marked:
                            if chunk_word_.anchors:
                                anchored.append(len(texts) + index)
                            if chunk_word_.clue:
                                clues.append(position + offsets[index])
                    texts += chunk_texts
                    words += chunk_words
                    starts += [position + offset for offset in offsets]
            position += len(chunk) + 1
    return Tokens(texts, words, starts, anchored, clues)


@dataclass(slots=True)
class Token:
    """A word or punctuation mark, as phrase reading sees it."""

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


def _is_name_token(token: Token) -> bool:
    """A capitalised word that can belong to a person's name."""
    return _is_name_word(token.bare)


def skip_back_adverbs(words: list[Word], index: int) -> int:
    """Step back over "also", "on Tuesday", "last week" between a speaker and the verb."""
    while index >= 0:
        lower = words[index].lower
        if (
            lower in ADVERBS
            or words[index].bare in WEEKDAYS
            or (lower in TIME_WORDS and index + 1 < len(words) and words[index + 1].bare in WEEKDAYS)
        ):
            index -= 1
        elif lower == "week" and index > 0 and words[index - 1].lower == "last":
            index -= 2
        else:
            break
    return index


def subject_before(tokens: Tokens, index: int) -> Mention | None:
    """The speaker written just before the verb at token index + 1: "Cho", "Blinken, the U.S. secretary, "."""
    words = tokens.words
    index = skip_back_adverbs(words, index)
    if index < 0:
        return None
    appositive = None
    title_end = None
    if words[index].text == "," and index > 0:
        title_end = index
        # "Blinken, the U.S. secretary of state, said" or "Cho, who …, said": the speaker precedes the first comma.
        for comma in range(index - 1, max(index - 16, -1), -1):
            if words[comma].text == ",":
                appositive = parse_phrase(tokens, comma + 1, index)
                index = comma - 1
                break
            if words[comma].text in ("(", ")", ":", ";", "—", "–", "--", "|"):
                return None
        else:
            return None
    if index < 0:
        return None
    if words[index].lower in ("who", "which") and index > 1 and words[index - 1].text == ",":
        # "…, Maroš Šefčovič, who said": the relative pronoun stands for the phrase before the comma.
        return subject_before(tokens, index - 2)
    if words[index].lower in PRONOUNS and (index == 0 or not words[index - 1].capitalized):
        return _pronoun(tokens, index)
    first = index
    while first - 1 >= 0 and index - first < 14 and _is_phrase_word(words[first - 1].text):
        previous = words[first - 1]
        if previous.lower in DETERMINERS and not (first - 2 >= 0 and words[first - 2].lower in CONNECTORS):
            first -= 1
            break
        first -= 1
    mention = parse_phrase(tokens, first, index + 1)
    if (mention is None or mention.kind != "name") and title_end is not None and first >= 2:
        named = _name_before_long_title(tokens, first, title_end)
        if named is not None:
            return named
    if mention and appositive:
        if mention.kind == "description" and appositive.kind == "name":
            # "The foreign secretary, David Lammy, said": the name is in the appositive.
            mention, appositive = appositive, mention
            mention.start = min(mention.start, appositive.start)
        _merge_appositive(mention, appositive)
    return mention


def _name_before_long_title(tokens: Tokens, title_start: int, title_end: int) -> Mention | None:
    """ "Khaled Khiari, Assistant Secretary-General for the Middle East, Asia and the Pacific, told": a title with
    commas of its own (tokens title_start to title_end), after the name that opens the clause."""
    words = tokens.words
    if words[title_start - 1].text != ",":
        return None
    last = title_start - 2
    first = last
    while first - 1 >= 0 and last - first < 5 and _is_phrase_word(words[first - 1].text):
        first -= 1
    named = parse_phrase(tokens, first, last + 1)
    if named is None or named.kind != "name":
        return None
    title = " ".join(tokens.texts[title_start:title_end]).replace(" ,", ",").strip(" ,")
    named.title = named.title or title or None
    # The mention takes in the title, which introduces no one else.
    named.end = tokens.end(title_end - 1)
    return named


def subject_after(tokens: Tokens, index: int) -> Mention | None:
    """The speaker written just after the verb ending at token index - 1: "said Cho", "said the official"."""
    words = tokens.words
    count = len(words)
    last = index
    while last < count and last - index < 14 and _is_phrase_word(words[last].text):
        if last > index and words[last].bare in WEEKDAYS:
            break
        last += 1
    if last == index:
        return None
    if words[last - 1].lower in CONNECTORS or words[last - 1].lower in DETERMINERS:
        last -= 1
    following = words[last].lower if last < count else "."
    if following not in AFTER_INVERTED and not (last < count and words[last].bare in WEEKDAYS):
        return None
    mention = parse_phrase(tokens, index, last)
    if mention and following == "," and last + 1 < count and words[last + 1].lower in DETERMINERS:
        # "said Antony Blinken, the U.S. secretary of state."
        end = last + 1
        while end < count and words[end].text not in (",", ".", ";", "(", ")") and end - last < 14:
            end += 1
        appositive = parse_phrase(tokens, last + 1, end)
        if appositive:
            _merge_appositive(mention, appositive)
    return mention


def _pronoun(tokens: Tokens, index: int) -> Mention:
    word = tokens.words[index]
    lower = word.lower
    return Mention(
        kind="pronoun",
        text=word.text,
        start=tokens.starts[index],
        end=tokens.end(index),
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


def parse_phrase(tokens: Tokens, start: int, end: int) -> Mention | None:
    """Classify the noun phrase of tokens start to end: a named person, a description of one, or an organization."""
    shape = phrase_shape(tuple(tokens.texts[start:end]))
    return None if shape is None else shape_mention(tokens, start, shape)


def shape_mention(tokens: Tokens, start: int, shape: tuple) -> Mention:
    """The Mention read as shape (see phrase_shape) from the phrase of tokens from start."""
    first, last, kind, text, *values, modifiers = shape
    return Mention(kind, text, tokens.starts[start + first], tokens.end(start + last), *values, list(modifiers))


# The reading depends on the words only, and the same phrases ("the official", "Cho") come back again and again.
@lru_cache(maxsize=1 << 14)
def phrase_shape(texts: tuple[str, ...]) -> tuple | None:
    """_parse_phrase's reading of the phrase of these token texts: the Mention's fields, with the indexes of its first
    and last tokens for its offsets (shape[0] and shape[1]); its kind is shape[2]."""
    words = [WORDS[text] for text in texts]
    tokens = [
        Token(word.text, index, index, word.bare, word.lower, word.capitalized) for index, word in enumerate(words)
    ]
    mention = _parse_phrase(tokens)
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
    if 0 < name_start < len(core) and core[name_start - 1].lower in ("the", "of", "for"):
        # "… for the Middle East and the Pacific": the tail of a long title names a place, never the speaker.
        name_start = len(core)
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
