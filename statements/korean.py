"""Korean words as search needs them: the morphemes of Korean text, read by a morphological analyser (Kiwi).

Korean joins particles and endings to its nouns and verb stems (북한은, 북한의, 북한이; 밝혔다, 밝히고), so the
words as written rarely repeat. A statement's Korean words are read into their content morphemes (nouns, verb
and adjective stems, roots, and each run of nouns as one word: 비핵화 from 비핵 + 화, 한미동맹 from 한미 + 동맹),
stored beside it as a tsvector (Statement.search_morphemes) that the search trigger adds to the search document.
A search's Korean words are read the same way, so that 북한 finds 북한은, 비핵화 finds 비핵화를, 밝히다 finds
밝혔다. Statements are read where they are saved, imported or generated; a page reads only the search's words.

The analyser and its model install from PyPI (kiwipiepy, kiwipiepy-model): nothing is downloaded at run time. It is
loaded once per process, on first use (about a second), so that processes that never meet Korean never pay for it.
"""

import functools
import re

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# PostgreSQL keeps positions up to 16383; later words share the last one.
MAX_POSITION = 16383
# Morphemes too common to be worth a search: the stems of 하다, 되다, 있다, 없다, 않다, 같다.
COMMON_STEMS = {"하", "되", "있", "없", "않", "같"}
# Tags (Sejong, as Kiwi gives them) of morphemes that join a run of nouns: nouns, noun prefixes and suffixes, Hanja.
NOUN_RUN = {"NNG", "NNP", "XPN", "XSN", "SH"}
NOUNS = {"NNG", "NNP", "SH"}
# Verb and adjective stems, with Kiwi's marks of regular (-R) and irregular (-I) conjugation.
STEMS = re.compile(r"^(VV|VA)(-[RI])?$")
# A stem whose last syllable has no final consonant contracts with the ending (밝히 + 었 → 밝혔; 만나 + 았 → 만났):
# the vowels it may take then, for highlighting the conjugated forms.
CONTRACTED = {
    "ㅣ": "ㅕ",
    "ㅗ": "ㅘ",
    "ㅜ": "ㅝ",
    "ㅏ": "ㅏ",
    "ㅓ": "ㅓ",
    "ㅡ": "ㅓㅏ",
    "ㅐ": "ㅐ",
    "ㅔ": "ㅔ",
    "ㅚ": "ㅙ",
}
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINAL_SS = 20  # ㅆ among the final consonants


def has_hangul(text):
    return bool(text) and HANGUL.search(text) is not None


@functools.cache
def analyser():
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=-1)  # In the calling thread: one core, as an import or a request has.


def eojeols(text):
    """The morphemes of each word (eojeol, the words between spaces) of the text, in order: lists of (form, tag)."""
    words = {}
    for token in analyser().tokenize(text):
        # Kiwi counts words within each sentence.
        words.setdefault((token.sent_position, token.word_position), []).append((token.form, token.tag))
    return [words[position] for position in sorted(words)]


def noun_runs(morphemes):
    """Runs of noun morphemes in one word, each joined as one: 한미 + 동맹 → 한미동맹, 비핵 + 화 → 비핵화."""
    runs, run = [], []
    for form, tag in [*morphemes, ("", "")]:
        if tag in NOUN_RUN and (tag != "XSN" or run):
            run.append(form)
        else:
            if run and has_hangul("".join(run)):
                runs.append("".join(run))
            run = []
    return runs


def stems(morphemes):
    """The word's verb and adjective stems (밝히, 돕) and roots (XR: 중요 of 중요하다), the commonest left out."""
    return [form for form, tag in morphemes if (STEMS.match(tag) or tag == "XR") and form not in COMMON_STEMS]


def stored_units(morphemes):
    """What one word of a statement is indexed as: each noun, each run of nouns, each stem, Latin letters."""
    units = [form for form, tag in morphemes if tag in NOUNS and has_hangul(form)]
    units += noun_runs(morphemes) + stems(morphemes)
    units += [form.lower() for form, tag in morphemes if tag == "SL"]
    return list(dict.fromkeys(units))


def query_units(word):
    """What one search word stands for: its runs of nouns and its stems (북한은 → 북한; 비핵화를 → 비핵화)."""
    units = []
    for morphemes in eojeols(word):
        units += noun_runs(morphemes) + stems(morphemes)
        units += [form for form, tag in morphemes if tag == "SL"]
    return list(dict.fromkeys(units))


def document(*texts):
    """A tsvector (as PostgreSQL reads its text form) of the Korean morphemes of these (text, weight) pairs, or None
    without Korean words. Each word's units share its position, so that a quoted phrase of Korean words matches."""
    positions, base = {}, 0
    for text, weight in texts:
        if not has_hangul(text):
            continue
        words = eojeols(text)
        for number, morphemes in enumerate(words, start=base + 1):
            if not any(has_hangul(form) for form, _ in morphemes):
                continue
            for unit in stored_units(morphemes):
                positions.setdefault(unit, []).append(f"{min(number, MAX_POSITION)}{weight}")
        base += len(words) + 1
    if not positions:
        return None
    return " ".join(f"'{lexeme(unit)}':{','.join(dict.fromkeys(at))}" for unit, at in positions.items())


def lexeme(unit):
    return unit.replace("\\", "\\\\").replace("'", "''")


# A search word with Hangul in it, as web-search syntax writes it: maybe excluded (-), maybe in a quoted phrase.
SEARCH_WORD = re.compile(r'(-?)([^\s"]+)')


@functools.lru_cache(maxsize=512)
def analysed(words):
    """The search in web-search syntax with each Korean word replaced by what it stands for (query_units).

    "북한은 sanctions" → "북한 sanctions"; an excluded word excludes each of its units; a word of particles
    alone is dropped.
    """
    if not has_hangul(words):
        return words
    out, quoted, at = [], False, 0
    for match in SEARCH_WORD.finditer(words):
        between = words[at : match.start()]
        quoted ^= between.count('"') % 2 == 1
        out.append(between)
        at = match.end()
        sign, word = match.groups()
        if not has_hangul(word):
            out.append(match.group())
            continue
        units = query_units(word)
        if sign and not quoted:
            out.append(" ".join(f"-{unit}" for unit in units))
        else:
            out.append(sign + " ".join(units))
    out.append(words[at:])
    return "".join(out)


def highlight_prefixes(words):
    """Prefixes that the words a search's Korean units stand for start with, as written in a statement: 북한 (of
    북한은) and, for a stem that contracts with its ending, its contracted forms (밝혔, 밝혀 of 밝히).
    Excluded words are left out."""
    prefixes = []
    for match in SEARCH_WORD.finditer(words):
        sign, word = match.groups()
        if sign or not has_hangul(word):
            continue
        for morphemes in eojeols(word):
            prefixes += noun_runs(morphemes)
            for stem in stems(morphemes):
                prefixes += [stem, *contracted(stem)]
    return list(dict.fromkeys(prefixes))


def contracted(stem):
    """The stem's last syllable as it contracts with an ending that starts with 어/아 (밝히 → 밝혀, 밝혔)."""
    last = ord(stem[-1]) - 0xAC00
    if not 0 <= last < 11172 or last % 28:
        return []
    initial, vowel = divmod(last // 28, 21)
    forms = []
    for new in CONTRACTED.get(VOWELS[vowel], ""):
        syllable = 0xAC00 + (initial * 21 + VOWELS.index(new)) * 28
        forms += [stem[:-1] + chr(syllable), stem[:-1] + chr(syllable + FINAL_SS)]
    return [form for form in dict.fromkeys(forms) if form != stem]
