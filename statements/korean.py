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

    # In the calling thread: one core, as an import or a request has. Without the dictionaries of typos and of
    # multi-word expressions, which search needs neither of: 330 MB resident rather than 510 MB.
    return Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)


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
        # A run of nouns is written in the word; one that is not was misread (이도훈, a name, as 이도후 + ㄴ):
        # the word as written is searched for then.
        runs = noun_runs(morphemes)
        units += [run if run in word else word for run in runs] + stems(morphemes)
        units += [form for form, tag in morphemes if tag == "SL"]
    return list(dict.fromkeys(units))


def document(*texts):
    """A tsvector (as PostgreSQL reads its text form) of the Korean morphemes of these (text, weight) pairs, or None
    without Korean words. Each word's units share its position, so that a quoted phrase of Korean words matches."""
    return tsvector([(word_units(text), weight) for text, weight in texts if has_hangul(text)])


def word_units(text):
    """What each word of the text is indexed as (stored_units), in order; [] for a word without Hangul."""
    return [
        stored_units(morphemes) if any(has_hangul(form) for form, _ in morphemes) else []
        for morphemes in eojeols(text)
    ]


def tsvector(texts):
    """The tsvector text of (word_units(), weight) pairs, one text after another, or None when no word has units.
    Texts may be read apart and joined here (generate_synthetic reads each sentence once)."""
    positions, base = {}, 0
    for words, weight in texts:
        for number, units in enumerate(words, start=base + 1):
            for unit in units:
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


@functools.lru_cache(maxsize=512)
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
    return tuple(dict.fromkeys(prefixes))  # Asked once for each card of a page: kept.


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


# Names. A Korean name in Hangul (조태열) and its romanisations (Cho Tae-yul, Tae-yul Cho, Jo Taeyeol) are matched
# by a key that romanisations share: the surname in Hangul, and the given name's sounds with the differences of the
# usual romanisations (Revised, McCune-Reischauer, the spellings people choose) folded away: 태열, Tae-yul, Taeyeol
# are all "taeyol". Lossy on purpose: a key finds candidates, which the caller narrows (by country, by role).

# The Revised Romanization of each jamo: initial consonants, vowels, final consonants.
INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
FINALS = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]
# Spellings folded into one, in this order: vowels that romanisations write differently (ㅓ eo/u/o, ㅡ eu/u,
# ㅜ u/oo, ㅢ ui/ee/i), consonants that they voice or not (ㄱ g/k, ㄷ d/t, ㅂ b/p, ㅈ j/ch), r/l, doubled letters.
FOLDS = [
    ("sh", "s"),
    ("tch", "j"),
    ("ch", "j"),
    ("wee", "wi"),
    ("eui", "i"),
    ("ee", "i"),
    ("ui", "i"),
    ("eo", "o"),
    ("eu", "o"),
    ("oo", "o"),
    ("ou", "o"),
    ("u", "o"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("r", "l"),
    ("h", ""),
]
SURNAMES = (
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 "
    "곽 성 차 주 우 구 민 나 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 석 선 설 마 길 연 위 표 "
    "명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 봉 경 사 부 가 복 태 목 형 계 피 두 감 "
    "음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당 화 창 옹 "
    "리 림 로 량 렴 "  # As North Korea writes them.
    "남궁 제갈 선우 황보 독고 사공 서문"
).split()
# Romanisations of surnames that the folds do not reach: {spelling: surnames}.
SURNAME_SPELLINGS = {
    "lee": ["이"],
    "yi": ["이"],
    "rhee": ["이"],
    "rhie": ["이"],
    "ri": ["이"],
    "i": ["이"],
    "park": ["박"],
    "pak": ["박"],
    "bak": ["박"],
    "choi": ["최"],
    "choe": ["최"],
    "oh": ["오"],
    "ahn": ["안"],
    "an": ["안"],
    "roh": ["노"],
    "noh": ["노"],
    "ro": ["노"],
    "huh": ["허"],
    "hur": ["허"],
    "suh": ["서"],
    "sur": ["서"],
    "uhm": ["엄"],
    "um": ["엄"],
    "yoo": ["유", "류"],
    "yu": ["유", "류"],
    "ryu": ["류"],
    "lim": ["임"],
    "rim": ["임"],
    "yim": ["임"],
    "im": ["임"],
    "shin": ["신"],
    "sohn": ["손"],
    "kwon": ["권"],
    "kwak": ["곽"],
    "paik": ["백"],
    "baik": ["백"],
    "kang": ["강"],
    "yoon": ["윤"],
    "youn": ["윤"],
    "chung": ["정"],
    "moon": ["문"],
    "koo": ["구"],
    "woo": ["우"],
    "joo": ["주"],
    "ra": ["나"],
    "ryang": ["양"],
}


def syllables_roman(hangul):
    """The Revised Romanization of Hangul syllables, one by one, as names are romanised."""
    out = []
    for char in hangul:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        initial, rest = divmod(code, 588)
        medial, final = divmod(rest, 28)
        out.append(INITIALS[initial].strip("-") + MEDIALS[medial] + FINALS[final])
    return "".join(out)


@functools.cache
def folded(roman):
    """A romanised name's sounds with the usual romanisations' differences folded away ("taeyul" → "taeyol")."""
    roman = re.sub(r"[^a-z]", "", roman.lower())
    for spelling, sound in FOLDS:
        roman = roman.replace(spelling, sound)
    return re.sub(r"(.)\1+", r"\1", roman)


@functools.cache
def surname_keys():
    """{folded romanisation: surnames in Hangul}, from the surnames' own romanisation and the usual spellings."""
    keys = {}
    for surname in SURNAMES:
        keys.setdefault(folded(syllables_roman(surname)), []).append(surname)
    for spelling, surnames in SURNAME_SPELLINGS.items():
        keys.setdefault(folded(spelling), []).extend(surnames)
    return {key: list(dict.fromkeys(surnames)) for key, surnames in keys.items()}


HANGUL_NAME = re.compile(r"^[가-힣]{2,5}$")


def hangul_name_keys(name):
    """The keys of a name written in Hangul (조태열, 남궁 민): the surname (one syllable, or two of the known
    two-syllable ones) and the given name's folded sounds: {"조:taeyol"}."""
    name = re.sub(r"\s+", "", name)
    if not HANGUL_NAME.match(name):
        return set()
    keys = {f"{name[0]}:{folded(syllables_roman(name[1:]))}"}
    if name[:2] in SURNAMES and len(name) >= 3:
        keys.add(f"{name[:2]}:{folded(syllables_roman(name[2:]))}")
    return keys


def roman_name_keys(name):
    """The keys a romanised Korean name may have (Cho Tae-yul, Tae-yul Cho, Taeyul Cho): the surname first or
    last, one of the usual surnames, the rest the given name. None for a name of more than four words."""
    words = [word for word in re.split(r"[\s.,]+", name.lower()) if word]
    if not 2 <= len(words) <= 4 or any(HANGUL.search(word) for word in words):
        return set()
    keys, surnames = set(), surname_keys()
    for surname, given in ((words[0], words[1:]), (words[-1], words[:-1])):
        for hangul in surnames.get(folded(surname), []):
            keys.add(f"{hangul}:{folded(''.join(given))}")
    return keys


def name_keys(name):
    """A name's Korean keys, to be stored: "ko:" for a name in Hangul, "kr:" for a romanisation of one."""
    if HANGUL.search(name):
        return {f"ko:{key}" for key in hangul_name_keys(name)}
    return {f"kr:{key}" for key in roman_name_keys(name)}


def wanted_keys(name):
    """The stored keys that name the same person as this name: a Hangul name finds its romanisations and itself;
    a romanised name finds the Hangul names it romanises (romanisations of each other are left to the other ways
    of matching names, which know less loose ones)."""
    if HANGUL.search(name):
        return {f"{kind}:{key}" for key in hangul_name_keys(name) for kind in ("ko", "kr")}
    return {f"ko:{key}" for key in roman_name_keys(name)}


def same_person(hangul, roman):
    """Whether a Hangul name and a romanised one can be one person's (조태열, Tae-yul Cho)."""
    return bool(hangul_name_keys(hangul) & roman_name_keys(roman))
